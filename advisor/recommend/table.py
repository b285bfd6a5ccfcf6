"""The candidates of a recommendation as columns: one row per configuration (a local model x
engine x quantization on the hardware, or a hosted model), its figures (nan: unknown) and the
measurements behind the measured ones. Constraints, utility and ranking work on these arrays;
only the rows a user is shown become objects with sentences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from advisor.catalog.snapshot import Row
from advisor.schema import FigureBasis

NAN = float("nan")
# the figures of a row: speed and first token with 80 % bounds, memory with its parts
FIGURES = ("decode", "decode_low", "decode_high", "prefill", "prefill_low", "prefill_high", "ttft", "ttft_low",
           "ttft_high", "memory", "memory_low", "memory_high", "weights_gb", "kv_gb", "overhead_gb")


@dataclass(frozen=True)
class CandidateTable:
    """Rows of configurations. `configs[i]` is (engine, quant, quant_id, bits, engine_id) of a
    local row (None for a hosted one, whose `api_key` names its price-map entry)."""

    model_id: np.ndarray
    local: np.ndarray
    figs: dict[str, np.ndarray]
    usd: np.ndarray              # blended $ per 1M tokens (hosted); nan: unknown or local
    context_len: np.ndarray      # nan: unknown
    usable_gb: np.ndarray        # memory the row's hardware lets a model use (nan: hosted)
    capacity_gb: np.ndarray
    configs: list[tuple[str, str, int, float, int | None] | None]
    api_key: list[str | None]
    measured: dict[int, dict[str, Row]] = field(default_factory=dict)  # row -> figure -> measurement
    basis: dict[int, dict[str, FigureBasis]] = field(default_factory=dict)  # hosted rows' figure basis
    notes: tuple[str, ...] = ()
    offload: dict[int, Any] = field(default_factory=dict)  # row -> OffloadPlan (advisor/predict/offload.py)

    def __len__(self) -> int:
        return len(self.model_id)

    def fig(self, name: str) -> np.ndarray:
        found = self.figs.get(name)
        return found if found is not None else np.full(len(self), NAN)

    def per_model(self, value_of: Callable[[int], Any], dtype: type = float) -> np.ndarray:
        """`value_of(model id)` for every row, asked once per model (a table has a few models
        and many rows: a million rows name a few hundred)."""
        ids, row_of = np.unique(self.model_id.astype(int), return_inverse=True)
        return np.array([value_of(int(m)) for m in ids], dtype=dtype)[row_of.ravel()]


def empty() -> CandidateTable:
    z = np.zeros(0)
    return CandidateTable(z.astype(int), z.astype(bool), {}, z, z, z, z, [], [])


def concat(tables: list[CandidateTable]) -> CandidateTable:
    """One table of several (local rows then hosted rows), row indexes of the mappings shifted."""
    tables = [t for t in tables if len(t)] or [empty()]
    offsets = np.cumsum([0] + [len(t) for t in tables[:-1]])
    figs = {k: np.concatenate([t.fig(k) for t in tables]) for k in FIGURES}

    def shifted(attr: str) -> dict[int, Any]:
        return {int(o) + r: v for o, t in zip(offsets, tables) for r, v in getattr(t, attr).items()}

    return CandidateTable(
        np.concatenate([t.model_id for t in tables]).astype(int), np.concatenate([t.local for t in tables]).astype(bool),
        figs, *(np.concatenate([getattr(t, a) for t in tables]) for a in ("usd", "context_len", "usable_gb", "capacity_gb")),
        [c for t in tables for c in t.configs], [k for t in tables for k in t.api_key],
        shifted("measured"), shifted("basis"), tuple(n for t in tables for n in t.notes), shifted("offload"))


@dataclass(frozen=True)
class Accuracy:
    """Task accuracy per row (nan: no evidence), its bounds, and the per-model explanation."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    by_model: dict[int, Any]   # model id -> TaskAccuracy at 16 bits
    factor: np.ndarray         # the quantization loss factor applied per row (1 for hosted)
