"""Building the catalog from the shipped seed, and bringing it up to date when the seed
changes (content hash), without losing rows a user added (origin `user`)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session

from advisor.catalog import orm
from advisor.catalog.db import migrate, read_session, write_session
from advisor.catalog.rows import SPECS, Resolver, TableSpec, convert_row, read_csv
from advisor.catalog.seed_files import seed_hash
from advisor.catalog.snapshot import SEED_HASH_KEY
from advisor.errors import InputError

BUILT_AT_KEY = "seed_built_at"


def get_meta(session: Session, key: str) -> str | None:
    return session.execute(select(orm.Meta.value).where(orm.Meta.key == key)).scalar()


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(orm.Meta, key)
    if row is None:
        session.add(orm.Meta(key=key, value=value))
    else:
        row.value = value


def ensure_catalog(engine: Engine, seed_dir: Path) -> bool:
    """Migrate the schema and (re)load the seed when its hash changed. True if it loaded."""
    migrate(engine)
    wanted = seed_hash(seed_dir)
    with read_session(engine) as s:
        if get_meta(s, SEED_HASH_KEY) == wanted:
            return False
    with write_session(engine) as session:
        # Another process may have built it while we waited for the write lock.
        if get_meta(session, SEED_HASH_KEY) == wanted:
            return False
        load_seed(session, seed_dir)
        set_meta(session, SEED_HASH_KEY, wanted)
        set_meta(session, BUILT_AT_KEY, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return True


def load_seed(session: Session, seed_dir: Path) -> dict[str, int]:
    """Replace every seed row by the seed files' content; user rows stay. One transaction."""
    missing = [s.file for s in SPECS if not (seed_dir / s.file).exists()]
    if missing:
        raise InputError(f"seed folder {seed_dir} lacks {', '.join(missing)}")
    for table in orm.FIGURE_TABLES + orm.ALIAS_TABLES:
        session.execute(delete(table).where(table.origin == orm.SEED))
    session.flush()
    counts: dict[str, int] = {}
    resolver = Resolver.load(session)
    for spec in SPECS:
        _, rows = read_csv(seed_dir / spec.file)
        counts[spec.stem] = load_rows(session, spec, rows, resolver, orm.SEED, str(seed_dir / spec.file))
    return counts


def _entity_key(spec: TableSpec) -> str:
    return "key" if spec.table is orm.Source else "name"


def load_rows(
    session: Session,
    spec: TableSpec,
    rows: Any,
    resolver: Resolver,
    origin: str,
    filename: str,
    known: Any = None,
    guard: Any = None,
) -> int:
    """Convert and write rows of one table; entities are upserted by name, aliases and
    figures inserted (with `known`, a `dedupe.KnownRows`, only figures not already in the
    catalog). With `guard` (a user import, `advisor.catalog.guard.ImportGuard`): figures are
    checked for plausibility, a seed entity is overridden rather than changed, and the ids
    written are logged. Returns the rows written. Raises InputError(FILE:LINE) on the first bad row."""
    values: list[dict[str, Any]] = []
    wheres: list[str] = []
    for line, row in rows:
        where = f"{filename}:{line}"
        v = convert_row(spec, row, where, resolver, origin)
        new_source = v.pop("_new_source", None)
        if new_source is not None:
            v["source_id"] = _user_source(session, resolver, new_source, guard)
        values.append(v)
        wheres.append(where)
    if not values:
        return 0
    if spec.entity:
        n = _load_entities(session, spec, values, resolver, origin, guard)
        session.flush()
        return n
    elif spec.table in orm.ALIAS_TABLES:
        _load_aliases(session, spec.table, values, resolver, guard)
    else:
        if guard is not None:
            guard.check(session, spec.table, values, wheres, resolver.bits)
        if known is not None:
            values = known.new_rows(session, spec.table, spec.stem, values)
        if values and guard is None:
            _insert_many(session, spec.table, values)
        elif values:
            ids = session.execute(insert(spec.table).returning(spec.table.id), values).scalars().all()
            guard.wrote(spec.table, list(ids))
    session.flush()
    return len(values)


_KIND = {orm.Model: "model", orm.Hardware: "hardware", orm.Quantization: "quant",
         orm.Engine: "engine", orm.Source: "source"}


def _load_entities(session: Session, spec: TableSpec, values: list[dict[str, Any]], resolver: Resolver,
                   origin: str, guard: Any) -> int:
    """Upsert entities by name. A user row naming a seed entity becomes an override (with a
    guard) and never changes the seed row; a user row naming a user entity updates it.
    Returns the rows written (overrides not counted)."""
    n = 0
    table = spec.table
    keycol = _entity_key(spec)
    existing = {k.lower(): (i, o) for k, i, o in session.execute(select(getattr(table, keycol), table.id, table.origin))}
    pending: dict[str, dict[str, Any]] = {}  # new entities, inserted together below
    for v in values:
        key = v[keycol].lower()
        if key in pending:  # the same name twice in one file: the later row wins, as an update would
            pending[key] = v if origin == orm.SEED else {**pending[key], **{k: x for k, x in v.items() if x is not None}}
            continue
        id_, was = existing.get(key, (None, None))
        if id_ is None:
            pending[key] = v
            continue
        if origin == orm.USER and was == orm.SEED:
            if guard is not None:
                guard.override(session, table, id_, v[keycol], v)
            continue  # the seed row stays as it is
        if origin == orm.USER:
            v = {k: x for k, x in v.items() if x is not None}
        session.execute(update(table).where(table.id == id_).values(**v))
        n += 1
        _resolved(resolver, table, v, keycol, id_)
    if pending:
        _insert_many(session, table, list(pending.values()))
        ids = _ids_by_key(session, table, keycol, set(pending))
        for key, v in pending.items():
            _resolved(resolver, table, v, keycol, ids[key])
        if guard is not None:
            guard.wrote(table, [ids[k] for k in pending])
        n += len(pending)
    return n


def _insert_many(session: Session, table: Any, values: list[dict[str, Any]]) -> None:
    """One executemany through Core: every row with the same columns (NULLs written as NULL).
    The ORM's bulk insert leaves out None values so that defaults apply, which splits rows with
    different empty cells into separate statements (2,500 of them for the seed)."""
    session.execute(insert(table.__table__), values)


def _ids_by_key(session: Session, table: Any, keycol: str, keys: set[str]) -> dict[str, int]:
    """Ids of the rows whose key (lower-cased) is in `keys`."""
    return {k.lower(): i for k, i in session.execute(select(getattr(table, keycol), table.id)) if k.lower() in keys}


def _resolved(resolver: Resolver, table: Any, v: dict[str, Any], keycol: str, id_: int) -> None:
    resolver.add(_KIND[table], v[keycol], id_)
    if table is orm.Quantization:
        resolver.bits[id_] = v["bits_per_weight"]


def _load_aliases(session: Session, table: Any, values: list[dict[str, Any]], resolver: Resolver, guard: Any) -> None:
    taken = set(session.execute(select(table.alias)).scalars())
    fresh = [v for v in values if v["alias"] not in taken]
    for v in fresh:
        taken.add(v["alias"])
    if fresh:
        ids = session.execute(insert(table).returning(table.id), fresh).scalars().all()
        if guard is not None:
            guard.wrote(table, list(ids))
    kind = {orm.ModelAlias: ("model", "model_id"), orm.HardwareAlias: ("hardware", "hardware_id"),
            orm.QuantAlias: ("quant", "quant_id"), orm.EngineAlias: ("engine", "engine_id")}[table]
    for v in fresh:
        resolver.ids.setdefault(kind[0], {}).setdefault(v["alias"], v[kind[1]])


def _user_source(session: Session, resolver: Resolver, citation: str, guard: Any = None) -> int:
    """A user file may cite a source by free text: it becomes a user source row."""
    import re

    key = "user-" + (re.sub(r"[^a-z0-9]+", "-", citation.lower()).strip("-")[:80] or "source")
    found = resolver.find("source", key)
    if found is not None:
        return found
    id_ = session.execute(
        insert(orm.Source).returning(orm.Source.id),
        [{"key": key, "citation": citation, "kind": "user", "origin": orm.USER}],
    ).scalar_one()
    if guard is not None:
        guard.wrote(orm.Source, [id_])
    resolver.add("source", key, id_)
    resolver.add("source", citation, id_)
    return id_
