"""What every import tool shares: the command-line overrides, the result of an import, the
`ImportTool` a tool registers, what detection sees of a file (`Sniff`), a record with the
lines of its keys, and small value checks."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from advisor.catalog.names import Names, split_count
from advisor.errors import InputError

# (line of the record in the file, the row in the seed format)
Rows = list[tuple[int, dict[str, Any]]]


@dataclass
class Overrides:
    """Names given on the command line; they win over what the file says."""

    model: str | None = None
    hardware: str | None = None
    quant: str | None = None
    engine: str | None = None
    source: str | None = None

    def given(self) -> list[str]:
        return [f"--{k}" for k, v in vars(self).items() if v]


@dataclass
class ImportResult:
    """What an import wrote: `rows` new rows of `table`; `already`: rows of the file the
    catalog already held (`advisor.catalog.dedupe`), left out; `skipped`: records that give no
    row (with why); `notes`: what else was done (models registered)."""

    format: str
    table: str
    rows: int
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    already: int = 0
    import_id: int | None = None
    overrides: int = 0

    def summary(self, file: object) -> str:
        """The command's one-line answer (with the import's number, for `catalog remove --import`)."""
        fmt = "" if self.format == "seed" else f" ({self.format})"
        num = f"; import #{self.import_id}" if self.import_id is not None else ""
        if self.overrides:
            num = f"; {self.overrides} user override{'s' if self.overrides > 1 else ''} of seed rows" + num
        if self.already:
            return (f"imported from {file}{fmt}: {self.rows} new rows, {self.already} already in the "
                    f"catalog ({self.table}, origin: user{num})")
        return f"imported {self.rows} {self.table} rows from {file}{fmt} (origin: user{num})"


@dataclass(frozen=True)
class Sniff:
    """What format detection sees of a file.

    `is_json`: the text starts with '[' or '{'. `first`: its first JSON value, None when the JSON
    does not parse or holds no record (then `guess_from_text` is true, and a detector may look
    for its keys in `text`, so that the syntax error is reported for the right format).
    `columns`: the header of a CSV file (empty for JSON)."""

    text: str
    filename: str
    is_json: bool
    first: Any = None
    columns: frozenset[str] = frozenset()

    @property
    def guess_from_text(self) -> bool:
        return self.is_json and self.first is None

    @property
    def keys(self) -> frozenset[str]:
        """The keys of the first JSON object (empty when it is not an object)."""
        return frozenset(self.first) if isinstance(self.first, dict) else frozenset()


Detector = Callable[[Sniff], bool]
# parse(text, filename, names, overrides) -> (rows, skipped or noted lines)
Parser = Callable[[str, str, Names, Overrides], tuple[Rows, list[str]]]


@dataclass(frozen=True)
class ImportTool:
    """A benchmark tool whose output `advisor catalog import` reads.

    `name`: the `--format` value. `label`: how messages name the tool ("vLLM serving").
    `table`: the seed file its rows go to (`measurements.csv`, `scores.csv`). `detect`: whether
    a file is this tool's output. `parse`: the file as rows in the seed format, plus the lines
    skipped (with why). `help`: one line on what is read and what it becomes. `detect_order`:
    detectors run from the lowest; ties in the order of registration."""

    name: str
    label: str
    table: str
    detect: Detector
    parse: Parser
    help: str
    detect_order: int = 50


@dataclass
class Record:
    """One record of a tool's file: its fields `d`, `where` ('FILE:LINE' of the record),
    `kl(key)` ('FILE:LINE' of a key; the record's line where the format has no finer one)
    and the file's name."""

    d: dict[str, Any]
    where: str
    kl: Callable[[str], str]
    filename: str

    def number(self, key: str) -> float:
        """The value of `key` as a finite number (an error naming its line otherwise)."""
        return num(self.d[key], self.kl(key), key)


def num(value: Any, where: str, key: str) -> float:
    """A finite number, else `where: 'key' must be a number, got ...`."""
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}: '{key}' must be a number, got {json.dumps(value)}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: '{key}' must be a number, got {json.dumps(value)}") from None
    if math.isnan(x) or math.isinf(x):
        raise InputError(f"{where}: '{key}' must be a finite number, got {value}")
    return x


def override_hardware(names: Names, ov: Overrides, where: str) -> tuple[str, int | None]:
    """The catalog name and the device count ('2x RTX 4090') of `--hardware`."""
    assert ov.hardware
    hw, count = split_count(ov.hardware)
    return names.require("hardware", hw, where, "from --hardware"), count


def override_or(names: Names, kind: str, given: str | None, where: str) -> str | None:
    """The catalog name of `--<kind>` when given (an error naming it when unknown), else None."""
    return names.require(kind, given, where, f"from --{kind}") if given else None
