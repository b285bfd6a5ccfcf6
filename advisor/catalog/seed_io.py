"""`advisor catalog import` and `export`: user files in the seed format, validated first and
written in one transaction (a bad row rejects the whole file, nothing written)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from advisor.catalog import orm
from advisor.catalog.db import read_session, write_session
from advisor.catalog.rows import SPECS, REF_ATTR, Resolver, TableSpec, read_csv, spec_for_header
from advisor.catalog.seed import load_rows
from advisor.errors import InputError


def read_user_file(path: Path) -> str:
    """A user's file as text (BOM tolerated), through the one decoding path (size bounded, UTF-8
    checked with the byte offset); a missing or unreadable file is an InputError."""
    from advisor.safeio import MAX_FILE_BYTES, read_text

    if not path.exists():
        raise InputError(f"{path}: no such file")
    return read_text(path, MAX_FILE_BYTES)


def import_file(engine: Engine, path: Path, guard: Any = None) -> tuple[TableSpec, int, int]:
    """Import one seed-format CSV as user rows. Returns (table, rows written, rows already in
    the catalog and left out: `advisor.catalog.dedupe`)."""
    text = read_user_file(path)
    header, rows = read_csv(path, text)
    if not header:
        raise InputError(f"{path}:1: empty file (expected a CSV header)")
    spec = spec_for_header(header, str(path))
    unknown = [c for c in header if c not in spec.columns and c != "origin"]
    if unknown:
        raise InputError(f"{path}:1: unknown column(s) for {spec.file}: {', '.join(unknown)}")
    already: dict[str, int] = {}
    n = import_rows(engine, spec, list(rows), str(path), already, guard)
    return spec, n, already.get(spec.stem, 0)


def import_rows(engine: Engine, spec: TableSpec, rows: list[tuple[int, dict[str, Any]]], filename: str,
                already: dict[str, int] | None = None, guard: Any = None) -> int:
    """Write already-parsed rows (line, dict) as user rows in one writer transaction; figures
    already in the catalog are left out (counted in `already`)."""
    from advisor.catalog.guard import ImportGuard

    guard = guard if guard is not None else ImportGuard()
    skipped: dict[str, int] = {}
    n = import_tables(engine, [(spec, rows)], filename, skipped, guard)[spec.stem]
    if guard.same_overrides:
        skipped[spec.stem] = skipped.get(spec.stem, 0) + guard.same_overrides
    if n == 0 and not skipped.get(spec.stem) and not guard.overridden:
        raise InputError(f"{filename}: no data rows")
    if already is not None:
        already.update(skipped)
    return n


def import_tables(engine: Engine, tables: list[tuple[TableSpec, list[tuple[int, dict[str, Any]]]]],
                  filename: str, already: dict[str, int] | None = None, guard: Any = None,
                  fmt: str = "seed") -> dict[str, int]:
    """Rows of several tables (in dependency order: a model before its aliases and figures)
    as user rows in ONE writer transaction: all of them, or on any error none. Figures the
    catalog already holds (same fingerprint, `advisor.catalog.dedupe`) are not written again;
    `already` receives how many were left out per table. Every figure is checked for
    plausibility, a seed entity is overridden, never changed, and the import is logged
    (`advisor.catalog.guard`; `guard.import_id`). Returns the rows written per table."""
    from advisor.catalog.dedupe import KnownRows
    from advisor.catalog.guard import ImportGuard

    guard = guard if guard is not None else ImportGuard()
    counts: dict[str, int] = {}
    known = KnownRows()
    with write_session(engine) as session:
        resolver = Resolver.load(session)
        for spec, rows in tables:
            counts[spec.stem] = counts.get(spec.stem, 0) + load_rows(
                session, spec, rows, resolver, orm.USER, filename, known=known, guard=guard)
        guard.import_id = guard.log(session, filename, fmt)
    if already is not None:
        already.update(known.already)
    return counts


def _row_out(spec: TableSpec, obj: Any, names: dict[str, dict[int, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col, kind in spec.columns.items():
        if kind in REF_ATTR:
            id_ = getattr(obj, REF_ATTR[kind])
            out[col] = names[kind].get(id_) if id_ is not None else None
        elif kind == "alias":
            out[col] = obj.alias
        elif kind == "yesno":
            v = getattr(obj, col)
            out[col] = None if v is None else ("yes" if v else "no")
        else:
            out[col] = getattr(obj, col)
    out["origin"] = obj.origin
    return out


def export_tables(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every table as a list of rows in the seed format (names, not ids), plus `origin`."""
    result: dict[str, list[dict[str, Any]]] = {}
    with read_session(engine) as session:
        names = {
            "model": dict(session.execute(select(orm.Model.id, orm.Model.name)).all()),
            "hardware": dict(session.execute(select(orm.Hardware.id, orm.Hardware.name)).all()),
            "quant": dict(session.execute(select(orm.Quantization.id, orm.Quantization.name)).all()),
            "engine": dict(session.execute(select(orm.Engine.id, orm.Engine.name)).all()),
            "source": dict(session.execute(select(orm.Source.id, orm.Source.key)).all()),
        }
        for spec in SPECS:
            objs = session.execute(select(spec.table).order_by(spec.table.id)).scalars()
            result[spec.stem] = [_row_out(spec, o, names) for o in objs]
    return result


def export(engine: Engine, fmt: str, out_dir: Path | None, force: bool = False) -> str | None:
    """JSON (one object, table -> rows) to stdout or `out_dir/catalog.json`; CSV needs a
    folder (one file per table, the seed format plus an `origin` column). A file that exists
    is replaced only with `force` (checked before anything is written); each file is written
    whole or not at all."""
    from advisor.safeio import dumps, refuse_existing, write_atomic

    if fmt not in ("csv", "json"):
        raise InputError(f"--format: unknown format '{fmt}' (csv or json)")
    names = ["catalog.json"] if fmt == "json" else [spec.file for spec in SPECS]
    if out_dir is not None:
        for name in names:
            refuse_existing(out_dir / name, force)
    tables = export_tables(engine)
    if fmt == "json":
        text = dumps(tables, indent=1, default=str)
        if out_dir is None:
            return text
        write_atomic(out_dir / "catalog.json", text, force=True)
        return None
    if out_dir is None:
        # a single table on stdout is useless; print all tables separated by a title line
        buf = io.StringIO()
        for spec in SPECS:
            buf.write(f"# {spec.file}\n")
            _write_csv(buf, spec, tables[spec.stem])
        return buf.getvalue()
    for spec in SPECS:
        buf = io.StringIO()
        _write_csv(buf, spec, tables[spec.stem])
        write_atomic(out_dir / spec.file, buf.getvalue(), force=True)
    return None


def _write_csv(fh: Any, spec: TableSpec, rows: list[dict[str, Any]]) -> None:
    writer = csv.DictWriter(fh, fieldnames=[*spec.columns, "origin"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
