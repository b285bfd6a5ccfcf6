"""llama-bench's text outputs read back into records with its JSON field names: the Markdown
table (`-o md`, the default) and the SQL script (`-o sql`).

Markdown (`markdown_printer`): `model` is `model_type`, `size` is "%.2f MiB|GiB" (binary),
`params` "%.2f M|B" (decimal), `backend`, `test` (`pp512`, `tg128`, `pp512+tg128`, old
builds `pp 512`; ` @ d<depth>` with `-d`), `t/s` "avg ± stddev"; other columns are the short
names of varied parameters (`ngl`, `threads`, `fa`, ...). The `build: <commit> (<number>)`
line after the table gives the version. The table names neither the device nor the model
file: those come from `--hardware` and `--model`.

SQL (`sql_printer`): `CREATE TABLE IF NOT EXISTS llama_bench (...)` (old builds: `test`),
then one `INSERT INTO llama_bench (<fields>) VALUES ('...', ...);` per test, every value a
quoted string (bools as '0'/'1').
"""

from __future__ import annotations

import re
from typing import Any

from advisor.errors import InputError

# markdown_printer's display names -> the field names of the JSON/CSV outputs
MD_FIELDS = {"model": "model_type", "size": "model_size", "params": "model_n_params", "backend": "backends",
             "ngl": "n_gpu_layers", "sm": "split_mode", "threads": "n_threads", "nkvo": "no_kv_offload",
             "fa": "flash_attn", "mmap": "use_mmap", "embd": "embeddings", "nopo": "no_op_offload",
             "noh": "no_host", "dev": "devices", "ts": "tensor_split", "ot": "tensor_buft_overrides"}
_BIN = {"KIB": 1024, "MIB": 1024 ** 2, "GIB": 1024 ** 3, "TIB": 1024 ** 4}
_DEC = {"K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}
_TEST = re.compile(r"^(?:pp\s*(\d+))?(?:\+?tg\s*(\d+))?(?:\s*@\s*d\s*(\d+))?$", re.I)
_SPEED = re.compile(r"^([-+0-9.eE]+)\s*(?:±\s*([-+0-9.eE]+))?$")
_BUILD = re.compile(r"^build:\s*(\S+)\s*\((\d+)\)")
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\((.*)\)\s*;\s*$", re.I | re.S)
_SQL_VALUE = re.compile(r"\s*(?:'((?:[^']|'')*)'|(NULL)|([-+0-9.eE]+))\s*(,|$)", re.I)


def is_markdown(text: str) -> bool:
    """A llama-bench Markdown table: its first line is a table header with `test` and `t/s`."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    cells = [c.strip() for c in first.strip().strip("|").split("|")]
    return first.lstrip().startswith("|") and "test" in cells and "t/s" in cells


def is_sql(text: str) -> bool:
    """A llama-bench SQL script: a `llama_bench` (or old `test`) table with `avg_ts`."""
    head = text[:4000]
    return bool(re.search(r"\b(CREATE TABLE IF NOT EXISTS|INSERT INTO)\s+(llama_bench|test)\b", head, re.I)) \
        and "avg_ts" in head


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _size(text: str, units: dict[str, float], where: str, column: str) -> float:
    """'3.56 GiB' -> bytes, '6.74 B' -> parameters."""
    m = re.match(r"^([0-9.]+)\s*([A-Za-z]+)$", text)
    if not m or m.group(2).upper() not in units:
        raise InputError(f"{where}: column '{column}': cannot read {text!r}")
    return float(m.group(1)) * units[m.group(2).upper()]


def _md_row(names: list[str], cells: list[str], where: str) -> dict[str, Any]:
    """One Markdown row as a record with llama-bench's JSON field names."""
    if len(cells) != len(names):
        raise InputError(f"{where}: {len(cells)} cells, the header has {len(names)}")
    row: dict[str, Any] = {}
    for name, cell in zip(names, cells):
        key = MD_FIELDS.get(name, name)
        if name == "size":
            row[key] = int(round(_size(cell, _BIN, where, name)))
        elif name == "params":
            row[key] = int(round(_size(cell, _DEC, where, name)))
        elif name == "test":
            m = _TEST.match(cell)
            if not m or not (m.group(1) or m.group(2)):
                raise InputError(f"{where}: column 'test': cannot read {cell!r} (pp<N>, tg<N>, pp<N>+tg<M>, @ d<N>)")
            row["n_prompt"], row["n_gen"] = int(m.group(1) or 0), int(m.group(2) or 0)
            row["n_depth"] = int(m.group(3) or 0)
        elif name == "t/s":
            m = _SPEED.match(cell)
            if not m:
                raise InputError(f"{where}: column 't/s': cannot read {cell!r} (avg ± stddev)")
            row["avg_ts"], row["stddev_ts"] = float(m.group(1)), (float(m.group(2)) if m.group(2) else None)
        else:
            row[key] = cell
    return row


def markdown_records(text: str, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, record) for every row of the table; the build line's version on each."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip())
    names = _cells(lines[start])
    rows: list[tuple[int, dict[str, Any]]] = []
    build: dict[str, Any] = {}
    for i, line in enumerate(lines[start + 1:], start=start + 2):
        s = line.strip()
        m = _BUILD.match(s)
        if m:
            build = {"build_commit": m.group(1), "build_number": int(m.group(2))}
        if not s.startswith("|") or re.fullmatch(r"\|[\s:|-]*", s):
            continue
        rows.append((i, _md_row(names, _cells(s), f"{filename}:{i}")))
    if not rows:
        raise InputError(f"{filename}:{start + 1}: a llama-bench table without rows")
    return [(line, {**build, **row}) for line, row in rows]


def _sql_values(text: str, where: str) -> list[Any]:
    """The literals of a VALUES list ('' in a string is a quote; NULL is None)."""
    values: list[Any] = []
    pos = 0
    while pos < len(text):
        m = _SQL_VALUE.match(text, pos)
        if not m or m.end() == pos:
            raise InputError(f"{where}: cannot read the VALUES of this INSERT near {text[pos:pos + 20]!r}")
        quoted, null, number = m.group(1), m.group(2), m.group(3)
        values.append(quoted.replace("''", "'") if quoted is not None else None if null else number)
        pos = m.end()
    return values


def sql_records(text: str, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, record) for every INSERT of the script."""
    rows = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not re.match(r"\s*INSERT\b", line, re.I):
            continue
        where = f"{filename}:{i}"
        m = _INSERT.match(line)
        if not m:
            raise InputError(f"{where}: cannot read this INSERT (one statement per line expected)")
        columns = [c.strip() for c in m.group(2).split(",")]
        values = _sql_values(m.group(3), where)
        if len(values) != len(columns):
            raise InputError(f"{where}: {len(values)} values for {len(columns)} columns")
        rows.append((i, dict(zip(columns, values))))
    if not rows:
        raise InputError(f"{filename}:1: no INSERT statements (not llama-bench -o sql output?)")
    return rows
