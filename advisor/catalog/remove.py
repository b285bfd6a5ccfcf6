"""`advisor catalog remove`: take user rows out again, in one transaction, by import (the ids
its log holds), by source (every user row citing it, and the source) or by row (`TABLE:ID`).
Seed rows are never removed. A user model, device, quantization, engine or source goes with
them only when no row that stays refers to it."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.orm import Session

from advisor.catalog import orm
from advisor.catalog.db import write_session
from advisor.errors import InputError

# tables in the order rows are deleted: figures and overrides, then aliases, then entities
ORDER: tuple[type, ...] = (*orm.FIGURE_TABLES, orm.Override, *orm.ALIAS_TABLES, orm.Model, orm.Hardware,
                           orm.Quantization, orm.Engine, orm.Source)
BY_NAME = {t.__tablename__: t for t in ORDER}
# who refers to an entity: (table, column)
_REFERRERS: dict[type, tuple[tuple[type, str], ...]] = {
    orm.Model: tuple((t, "model_id") for t in orm.FIGURE_TABLES) + ((orm.ModelAlias, "model_id"),),
    orm.Hardware: ((orm.Measurement, "hardware_id"), (orm.OomObservation, "hardware_id"),
                   (orm.HardwareAlias, "hardware_id")),
    orm.Quantization: ((orm.Measurement, "quant_id"), (orm.Score, "quant_id"), (orm.QuantEffect, "quant_id"),
                       (orm.OomObservation, "quant_id"), (orm.QuantAlias, "quant_id")),
    orm.Engine: ((orm.Measurement, "engine_id"), (orm.OomObservation, "engine_id"), (orm.EngineAlias, "engine_id")),
    orm.Source: tuple((t, "source_id") for t in (*orm.FIGURE_TABLES, orm.Model, orm.Hardware, orm.Quantization,
                                                  orm.Override)),
}


def _in_use(session: Session, table: type, id_: int) -> bool:
    for ref, col in _REFERRERS.get(table, ()):
        if session.execute(select(func.count()).select_from(ref).where(getattr(ref, col) == id_)).scalar():
            return True
    return False


def _delete(session: Session, wanted: dict[str, set[int]]) -> dict[str, int]:
    """Delete the user rows of `wanted` (table -> ids), children first; entities only when
    nothing that stays refers to them. Returns the rows deleted per table."""
    done: dict[str, int] = {}
    for table in ORDER:
        ids = sorted(wanted.get(table.__tablename__, ()))
        if not ids:
            continue
        if table in _REFERRERS:
            ids = [i for i in ids if not _in_use(session, table, i)]
        n = 0
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            n += session.execute(delete(table).where(table.id.in_(chunk), table.origin == orm.USER)).rowcount or 0
        if n:
            done[table.__tablename__] = n
    return done


def _prune_logs(session: Session) -> None:
    """Drop the import logs none of whose rows is left (removed by source or by row)."""
    for log in session.execute(select(orm.ImportLog)).scalars().all():
        left = False
        for name, ids in json.loads(log.rows).items():
            table = BY_NAME.get(name)
            if table is not None and ids and session.execute(
                    select(func.count()).select_from(table).where(table.id.in_(ids[:500]))).scalar():
                left = True
                break
        if not left:
            session.delete(log)


def _by_import(session: Session, import_id: int) -> tuple[dict[str, set[int]], str]:
    log = session.get(orm.ImportLog, import_id)
    if log is None:
        known = session.execute(select(orm.ImportLog.id).order_by(orm.ImportLog.id.desc()).limit(5)).scalars().all()
        hint = f" (latest: {', '.join(f'#{i}' for i in known)})" if known else " (no import is logged)"
        raise InputError(f"--import: no import #{import_id}{hint}")
    session.delete(log)
    return {t: set(ids) for t, ids in json.loads(log.rows).items()}, f"import #{import_id} ({log.file})"


def _by_source(session: Session, source: str) -> tuple[dict[str, set[int]], str]:
    src = session.execute(select(orm.Source).where(or_(orm.Source.key == source, orm.Source.citation == source))
                          ).scalars().first()
    if src is None:
        raise InputError(f"--source: no source '{source}' (see `advisor catalog show NAME` for sources)")
    wanted: dict[str, set[int]] = {}
    for table in (*orm.FIGURE_TABLES, orm.Override, orm.Model, orm.Hardware, orm.Quantization):
        ids = session.execute(select(table.id).where(table.source_id == src.id, table.origin == orm.USER)).scalars()
        wanted[table.__tablename__] = set(ids)
    if src.origin == orm.USER:
        wanted["sources"] = {src.id}
    elif not any(wanted.values()):
        raise InputError(f"--source: '{src.key}' is a seed source: seed rows are never removed")
    return wanted, f"source '{src.key}'"


def _by_row(session: Session, row: str) -> tuple[dict[str, set[int]], str]:
    name, _, id_text = row.partition(":")
    table = BY_NAME.get(name.strip())
    if table is None or not id_text.strip().isdigit():
        raise InputError(f"--row: expected TABLE:ID with TABLE one of {', '.join(BY_NAME)}, got '{row}'")
    obj = session.get(table, int(id_text))
    if obj is None:
        raise InputError(f"--row: no row {row}")
    if obj.origin != orm.USER:
        raise InputError(f"--row: {row} is a seed row: seed rows are never removed")
    return {table.__tablename__: {obj.id}}, f"row {row}"


def remove(engine: Engine, import_id: int | None = None, source: str | None = None,
           rows: Iterable[str] = (), dry_run: bool = False) -> tuple[dict[str, int], list[str]]:
    """Remove user rows by import, source or row, in one transaction (a dry run rolls back).
    Returns (rows deleted per table, what was asked, one line each)."""
    rows = list(rows)
    if (import_id is not None) + (source is not None) + bool(rows) != 1:
        raise InputError("give exactly one of --import N, --source KEY or --row TABLE:ID")
    asked: list[str] = []

    class _DryRun(Exception):
        pass

    done: dict[str, int] = {}
    try:
        with write_session(engine) as session:
            wanted: dict[str, set[int]] = {}
            parts: list[tuple[dict[str, set[int]], str]] = (
                [_by_import(session, import_id)] if import_id is not None
                else [_by_source(session, source)] if source is not None
                else [_by_row(session, r) for r in rows])
            for part, label in parts:
                asked.append(label)
                for t, ids in part.items():
                    wanted.setdefault(t, set()).update(ids)
            done = _delete(session, wanted)
            _prune_logs(session)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return done, asked


def summary(done: dict[str, int], asked: list[str], dry_run: bool = False) -> str:
    """One line: what was removed."""
    what = ", ".join(f"{n} {t}" for t, n in done.items()) or "nothing"
    verb = "would remove" if dry_run else "removed"
    return f"{verb} {what} ({'; '.join(asked)})"

