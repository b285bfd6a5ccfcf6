"""The seed format: one CSV file per table, the columns of each, and the conversion of one
CSV row into column values with names resolved through aliases. Shared by the seed build and
by `advisor catalog import`, so that a user file and the shipped seed obey the same rules.
Errors name `FILE:LINE` and the column."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor.catalog import orm
from advisor.catalog.names import close_matches, exl2_bits, exl2_name, norm
from advisor.errors import InputError

# Column kinds: str, float, int, bool, yesno (yes/no/unknown -> bool|None),
# and references: source, model, hardware, quant, engine (resolved to ids).
ColumnKinds = dict[str, str]


@dataclass(frozen=True)
class TableSpec:
    file: str
    table: type[orm.Base]
    columns: ColumnKinds
    required: tuple[str, ...]
    entity: bool = False  # upserted by name (models, hardware, ...) rather than appended

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".csv")


SPECS: tuple[TableSpec, ...] = (
    TableSpec(
        "sources.csv", orm.Source,
        {"key": "str", "citation": "str", "license": "str", "kind": "str", "notes": "str"},
        ("key", "citation"), entity=True,
    ),
    TableSpec(
        "engines.csv", orm.Engine, {"name": "str", "description": "str"}, ("name",), entity=True
    ),
    TableSpec(
        "quantizations.csv", orm.Quantization,
        {"name": "str", "family": "str", "bits_per_weight": "float", "weight_bits": "float",
         "act_bits": "float", "source": "source", "notes": "str"},
        ("name", "bits_per_weight"), entity=True,
    ),
    TableSpec(
        "hardware.csv", orm.Hardware,
        {"name": "str", "vendor": "str", "kind": "kind", "memory_gb": "float",
         "mem_bandwidth_gbs": "float", "fp16_tflops": "float", "int8_tops": "float",
         "fp16_nontensor_tflops": "float", "fp32_tflops": "float", "tdp_w": "float",
         "source": "source", "notes": "str"},
        ("name", "kind", "source"), entity=True,
    ),
    TableSpec(
        "models.csv", orm.Model,
        {"name": "str", "family": "str", "params_b": "float", "active_params_b": "float",
         "context_len": "int", "release": "str", "license": "str", "commercial_use": "yesno",
         "variant": "str", "n_layers": "int", "hidden_size": "int", "intermediate_size": "int",
         "n_heads": "int", "n_kv_heads": "int", "head_dim": "int", "vocab_size": "int",
         "attention": "str", "sliding_window": "int", "kv_lora_rank": "int",
         "moe_experts": "int", "moe_active_experts": "int", "kv_layers": "int", "sliding_layers": "int",
         "state_mb": "float", "global_head_dim": "int", "global_kv_heads": "int", "weights_quant": "str",
         "facts_basis": "str", "source": "source", "arch_source": "str", "notes": "str",
         "fact_sources": "str"},
        ("name",), entity=True,
    ),
    TableSpec("model_aliases.csv", orm.ModelAlias, {"alias": "alias", "model": "model"},
              ("alias", "model")),
    TableSpec("hardware_aliases.csv", orm.HardwareAlias,
              {"alias": "alias", "hardware": "hardware"}, ("alias", "hardware")),
    TableSpec("quant_aliases.csv", orm.QuantAlias, {"alias": "alias", "quant": "quant"},
              ("alias", "quant")),
    TableSpec("engine_aliases.csv", orm.EngineAlias, {"alias": "alias", "engine": "engine"},
              ("alias", "engine")),
    TableSpec(
        "measurements.csv", orm.Measurement,
        {"model": "model", "quant": "quant", "engine": "engine", "engine_version": "str",
         "hardware": "hardware", "n_devices": "int", "split": "str", "batch_size": "int",
         "concurrency": "int", "measure_kind": "measure_kind", "prompt_tokens": "int",
         "gen_tokens": "int", "context_depth": "int", "prefill_tok_s": "float",
         "decode_tok_s": "float", "ttft_ms": "float", "memory_gb": "float", "backend": "str",
         "threads": "int", "quality": "str", "source": "source", "notes": "str"},
        ("model", "hardware", "measure_kind", "source"),
    ),
    TableSpec(
        "scores.csv", orm.Score,
        {"model": "model", "benchmark": "str", "setting": "str", "score": "float",
         "scale": "str", "quant": "quant", "variant": "str", "evaluator": "str",
         "source": "source", "notes": "str", "quality": "str"},
        ("model", "benchmark", "score", "source"),
    ),
    TableSpec(
        "quant_effects.csv", orm.QuantEffect,
        {"model": "model", "quant_method": "str", "quant": "quant", "bits": "float",
         "metric": "str", "value_quant": "float", "value_baseline": "float",
         "higher_is_better": "yesno", "source": "source", "notes": "str",
         "weight_bits": "float", "act_bits": "float", "group_size": "int",
         "baseline_precision": "str"},
        ("model", "quant_method", "metric", "source"),
    ),
    TableSpec(
        "oom.csv", orm.OomObservation,
        {"model": "model", "quant": "quant", "engine": "engine", "hardware": "hardware",
         "n_devices": "int", "prompt_tokens": "int", "gen_tokens": "int", "source": "source",
         "notes": "str"},
        ("model", "hardware", "source"),
    ),
    TableSpec(
        "hosted_speeds.csv", orm.HostedSpeed,
        {"model": "model", "output_tok_s": "float", "ttft_ms": "float", "date": "str", "method": "str",
         "source": "source", "notes": "str"},
        ("model", "source"),
    ),
)
SPEC_BY_FILE = {s.file: s for s in SPECS}

HARDWARE_KINDS = ("gpu", "cpu", "apple", "npu", "tpu")
MEASURE_KINDS = ("single_stream", "static_batch", "throughput_under_load", "serving_per_user")
NONNEGATIVE = {
    "params_b", "active_params_b", "memory_gb", "mem_bandwidth_gbs", "fp16_tflops",
    "int8_tops", "fp16_nontensor_tflops", "fp32_tflops", "tdp_w", "prefill_tok_s",
    "decode_tok_s", "ttft_ms", "bits_per_weight", "context_len", "n_devices", "batch_size",
    "prompt_tokens", "gen_tokens", "context_depth", "threads", "concurrency", "output_tok_s",
}
# counts and figures a user row must give above 0 (0 devices, a 0 tok/s speed mean nothing)
POSITIVE = {  # (parameter counts may round to 0 for a tiny test model: not negative is enough)
    "memory_gb", "mem_bandwidth_gbs", "fp16_tflops", "int8_tops",
    "fp16_nontensor_tflops", "fp32_tflops", "tdp_w", "prefill_tok_s", "decode_tok_s", "ttft_ms",
    "bits_per_weight", "context_len", "n_devices", "batch_size", "concurrency", "threads", "output_tok_s",
    "n_layers", "hidden_size", "intermediate_size", "n_heads", "n_kv_heads", "head_dim", "vocab_size",
    "sliding_window", "kv_lora_rank", "moe_experts", "moe_active_experts", "kv_layers",
    "global_head_dim", "global_kv_heads",
}
# the physical ceiling of a column (far above any real figure): past it, a row is refused
UPPER = {
    "n_devices": 4096, "params_b": 1e5, "active_params_b": 1e5, "memory_gb": 1e7, "mem_bandwidth_gbs": 1e5,
    "fp16_tflops": 1e6, "fp16_nontensor_tflops": 1e6, "fp32_tflops": 1e6, "int8_tops": 1e6, "tdp_w": 1e6,
    "decode_tok_s": 1e7, "prefill_tok_s": 1e8, "output_tok_s": 1e7, "ttft_ms": 1e9, "bits_per_weight": 64,
    "context_len": 1e9, "prompt_tokens": 1e9, "gen_tokens": 1e9, "context_depth": 1e9, "batch_size": 1e6,
    "concurrency": 1e6, "threads": 1e5, "state_mb": 1e7,
}
REF_ATTR = {"source": "source_id", "model": "model_id", "hardware": "hardware_id",
            "quant": "quant_id", "engine": "engine_id"}


@dataclass
class Resolver:
    """Name -> id maps for every entity, matched on the normalised name or any alias."""

    ids: dict[str, dict[str, int]] = field(default_factory=dict)
    names: dict[str, dict[int, str]] = field(default_factory=dict)
    bits: dict[int, float] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> "Resolver":
        r = cls()
        for kind, table, alias_table, fk in (
            ("model", orm.Model, orm.ModelAlias, "model_id"),
            ("hardware", orm.Hardware, orm.HardwareAlias, "hardware_id"),
            ("quant", orm.Quantization, orm.QuantAlias, "quant_id"),
            ("engine", orm.Engine, orm.EngineAlias, "engine_id"),
        ):
            for id_, name in session.execute(select(table.id, table.name)):
                r.add(kind, name, id_)
            for alias, target in session.execute(
                select(alias_table.alias, getattr(alias_table, fk))
            ):
                r.ids[kind].setdefault(norm(alias), target)
        for id_, key in session.execute(select(orm.Source.id, orm.Source.key)):
            r.add("source", key, id_)
        for id_, bpw in session.execute(select(orm.Quantization.id, orm.Quantization.bits_per_weight)):
            r.bits[id_] = bpw
        return r

    def add(self, kind: str, name: str, id_: int) -> None:
        self.ids.setdefault(kind, {})[norm(name)] = id_
        self.names.setdefault(kind, {})[id_] = name

    def find(self, kind: str, name: str) -> int | None:
        table = self.ids.get(kind, {})
        key = norm(name)
        if key in table:
            return table[key]
        if kind == "quant" and exl2_bits(name) is not None:
            return table.get(norm(exl2_name(exl2_bits(name) or 0)))
        return None

    def suggestions(self, kind: str, name: str) -> list[str]:
        return close_matches(name, list(self.names.get(kind, {}).values()))


def read_csv(path: Path | str, text: str | None = None) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs; line numbers are those of the file (header = 1)."""
    if text is None:
        text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        line = reader.line_num
        for row in reader:
            yield line + 1, row
            line = reader.line_num

    return header, rows()


def convert_row(
    spec: TableSpec, row: dict[str, str | None], where: str, resolver: Resolver, origin: str
) -> dict[str, Any]:
    """Column values for one row of `spec`, references resolved; InputError names `where`."""
    out: dict[str, Any] = {"origin": origin}
    for col in spec.required:
        if not (row.get(col) or "").strip():
            raise InputError(f"{where}: column '{col}' is required")
    for col, kind in spec.columns.items():
        raw = (row.get(col) or "").strip()
        value: Any = None
        if kind in ("str", "alias"):
            value = (norm(raw) if kind == "alias" else raw) or None
        elif kind == "float" or kind == "int":
            value = _number(col, raw, kind, where, origin) if raw else None
        elif kind == "yesno":
            low = raw.lower()
            if low in ("yes", "true", "1", "y"):
                value = True
            elif low in ("no", "false", "0", "n"):
                value = False
            elif low in ("", "unknown", "?"):
                value = None
            else:
                raise InputError(f"{where}: column '{col}': expected yes/no/unknown, got '{raw}'")
        elif kind == "kind":
            if raw.lower() not in HARDWARE_KINDS:
                raise InputError(
                    f"{where}: column '{col}': '{raw}' is not one of {', '.join(HARDWARE_KINDS)}"
                )
            value = raw.lower()
        elif kind == "measure_kind":
            if raw not in MEASURE_KINDS:
                raise InputError(
                    f"{where}: column '{col}': '{raw}' is not one of {', '.join(MEASURE_KINDS)}"
                )
            value = raw
        elif kind in REF_ATTR:
            if raw:
                found = resolver.find(kind, raw)
                if found is None:
                    if kind == "source" and origin == orm.USER:
                        found = None  # created by the importer from the citation text
                        out["_new_source"] = raw
                    else:
                        hint = resolver.suggestions(kind, raw)
                        more = f" (closest: {', '.join(hint)})" if hint else ""
                        raise InputError(f"{where}: column '{col}': unknown {kind} '{raw}'{more}")
                value = found
            out[REF_ATTR[kind]] = value
            continue
        out[col] = value
    if spec.table is orm.Measurement and not any(
        out.get(c) is not None for c in ("prefill_tok_s", "decode_tok_s", "ttft_ms", "memory_gb")
    ):
        raise InputError(
            f"{where}: a measurement needs at least one of prefill_tok_s, decode_tok_s, ttft_ms, memory_gb"
        )
    if spec.table is orm.Measurement and out.get("n_devices") is None:
        out["n_devices"] = 1
    if spec.table is orm.OomObservation and out.get("n_devices") is None:
        out["n_devices"] = 1
    return out


def _number(col: str, raw: str, kind: str, where: str, origin: str) -> float | int:
    """A numeric cell: finite; not negative; for a user row also above 0 where 0 means nothing
    (`POSITIVE`) and under the column's physical ceiling (`UPPER`). Errors name the column."""
    import math

    try:
        x = float(raw)
    except ValueError:
        raise InputError(f"{where}: column '{col}': '{raw}' is not a number") from None
    if math.isnan(x):
        raise InputError(f"{where}: column '{col}': NaN is not a value")
    if math.isinf(x):
        raise InputError(f"{where}: column '{col}': {raw} is not a finite number")
    if col in NONNEGATIVE and x < 0:
        raise InputError(f"{where}: column '{col}': {raw} must not be negative")
    if origin == orm.USER:
        if col in POSITIVE and x <= 0:
            raise InputError(f"{where}: column '{col}': {raw} must be above 0")
        if col in UPPER and x > UPPER[col]:
            raise InputError(f"{where}: column '{col}': {raw} is above the physical bound {UPPER[col]:g}")
    return x if kind == "float" else int(x)


def spec_for_header(header: list[str], filename: str) -> TableSpec:
    """The table a CSV file belongs to: by file name, else by the header's columns."""
    name = Path(filename).name
    if name in SPEC_BY_FILE:
        return SPEC_BY_FILE[name]
    cols = set(header) - {"origin"}
    matches = [s for s in SPECS if set(s.required) <= cols and cols <= set(s.columns)]
    if len(matches) == 1:
        return matches[0]
    # prefer an exact column match when several fit
    exact = [s for s in matches if cols == set(s.columns)]
    if len(exact) == 1:
        return exact[0]
    known = ", ".join(s.file for s in SPECS)
    raise InputError(
        f"{filename}:1: header does not match a catalog table (seed files: {known})"
    )
