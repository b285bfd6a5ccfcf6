"""Shared helpers of the seed generator: failing loudly, CSV in and out, name normalisation,
the raw shared files, and the lookups that turn a spelling into a canonical name."""
from __future__ import annotations

import csv
import re
from collections.abc import Container, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, NoReturn

from seed_tables_engines import ENGINE_ALIASES, QUANT_ALIASES, QUANTS
from seed_tables_hardware import HW_MAP
from seed_tables_models import MODEL_MAP

Raw = dict[str, str]  # one row of a shared CSV file, by column name


class Cite(NamedTuple):
    """A citation waiting for its source key; the key (plus `suffix`) replaces it once all are known.

    Keys depend on the order citations are first seen (a later colliding slug gets a hash
    suffix), so builders leave citations in their cells and one step assigns every key."""

    citation: str
    kind: str
    suffix: str = ""


Cell = str | Cite
CellRow = list[Cell]


class SharedData(NamedTuple):
    """The raw files of ../shared/data that the seed is generated from."""

    meta: list[Raw]
    speed: list[Raw]
    tpu: list[Raw]
    oom: list[Raw]
    arch: list[Raw]
    scores: list[Raw]
    qeff: list[Raw]
    hwspec: list[Raw]
    tpuspec: list[Raw]


def die(msg: str) -> NoReturn:
    """Stop the generator with one message: the seed must never be written from inconsistent data."""
    raise SystemExit(f"make_seed.py: ERROR: {msg}")


def read_csv(path: Path) -> list[Raw]:
    """Read a shared CSV file as dicts (csv module, so names with commas survive)."""
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, header: list[str], rows: Iterable[Sequence[object]]) -> None:
    """Write one seed file in the documented dialect (`\\n` endings), failing on a row of the wrong width."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            if len(r) != len(header):
                die(f"{path.name}: row width {len(r)} != {len(header)}: {r}")
            w.writerow(["" if v is None else v for v in r])


def load_shared(folder: Path) -> SharedData:
    """Read every shared file the seed needs, failing at once if the folder is not the shared data."""
    if not (folder / "model_meta.csv").exists():
        die(f"no model_meta.csv under {folder}")
    names = ("model_meta", "speed_measurements", "tpu_measurements", "oom_observations", "model_architectures",
             "model_scores", "quant_effects", "hardware_specs", "tpu_specs")
    return SharedData(*(read_csv(folder / f"{n}.csv") for n in names))


def slug(text: str) -> str:
    """Lower-case `[a-z0-9-]` slug of a text, for source keys."""
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")


def norm_alias(s: str) -> str:
    """The loader's normalisation: case-insensitive, '_' and spaces -> '-'."""
    return re.sub(r"[\s_]+", "-", s.strip()).lower()


def fmt(x: object) -> str:
    """A table value as CSV text; None and '' are both unknown (empty)."""
    if x is None or x == "":
        return ""
    return str(x)


def canonical_model(name: str, names: Container[str]) -> str:
    """The canonical model of a spelling in a shared file; fails if it maps to no known model."""
    c = MODEL_MAP.get(name, name)
    if c not in names:
        die(f"model {name!r} has no canonical mapping")
    return c


def canonical_hardware(name: str, names: Container[str]) -> str:
    """The canonical device of a measurement's hardware spelling; fails if unknown."""
    c = HW_MAP.get(name, name)
    if c not in names:
        die(f"hardware {name!r} unknown")
    return c


def canonical_quant(s: str) -> str:
    """The canonical quant of a spelling ('' where the data leaves it unstated); fails if unmapped."""
    s = s.strip()
    if s in QUANT_ALIASES:
        return QUANT_ALIASES[s] or ""
    if s in QUANTS:
        return s
    for q in QUANTS:
        if q.lower() == s.lower():
            return q
    die(f"quant {s!r} has no canonical mapping")


def canonical_engine(s: str) -> tuple[str, str, str]:
    """(engine, version, note) of an engine string of the data; fails if it has no mapping."""
    if s not in ENGINE_ALIASES:
        die(f"engine {s!r} has no canonical mapping")
    return ENGINE_ALIASES[s]
