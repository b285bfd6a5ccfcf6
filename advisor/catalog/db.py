"""Database engine and sessions: SQLite in WAL mode with a busy timeout and foreign keys on
(set in a `connect` listener), explicit `BEGIN IMMEDIATE` for writers so that two processes
writing at once queue instead of failing, and an append-only list of schema migrations."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from advisor.catalog.orm import Base, Meta
from advisor.catalog.snapshot import REVISION_KEY, SCHEMA_VERSION_KEY


# Append-only: (version, description, function(connection)). Never edit a released entry;
# add a new one. Version 1 creates the tables of the current ORM.
Migration = tuple[int, str, Callable[[Connection], None]]


def _create_all(conn: Connection) -> None:
    Base.metadata.create_all(conn)


def _add_columns(table: str, columns: dict[str, str]) -> Callable[[Connection], None]:
    """A migration adding columns (SQL types) that a database built by an older version lacks
    (one built by this version has them from `create tables`)."""

    def run(conn: Connection) -> None:
        have = {c["name"] for c in inspect(conn).get_columns(table)}
        for name, sql_type in columns.items():
            if name not in have:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}"))

    return run


def _guard_tables(conn: Connection) -> None:
    _add_columns("scores", {"quality": "VARCHAR(20)"})(conn)
    for name in ("overrides", "imports"):
        Base.metadata.tables[name].create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [
    (1, "create tables", _create_all),
    (2, "models: layers with a KV cache, window-capped layers, recurrent state, per-fact sources",
     _add_columns("models", {"kv_layers": "INTEGER", "sliding_layers": "INTEGER", "state_mb": "FLOAT",
                             "fact_sources": "TEXT"})),
    (3, "hosted API models' published speeds", lambda conn: Base.metadata.tables["hosted_speeds"].create(conn, checkfirst=True)),
    (4, "implausible scores flagged, user overrides of seed entities, the import log", _guard_tables),
    (5, "models: the head dim and KV heads of full-attention layers that differ from the sliding layers'",
     _add_columns("models", {"global_head_dim": "INTEGER", "global_kv_heads": "INTEGER"})),
    (6, "models: the quantization the published weights are in (gpt-oss MXFP4, DeepSeek-V3 FP8)",
     _add_columns("models", {"weights_quant": "VARCHAR(40)"})),
]

LATEST_VERSION = MIGRATIONS[-1][0]

_ENGINES: dict[str, Engine] = {}


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Take transaction control away from pysqlite so BEGIN is ours (see "begin" below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 60000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def get_engine(url: str) -> Engine:
    """One engine per URL per process; SQLite parent folders are created."""
    engine = _ENGINES.get(url)
    if engine is not None:
        return engine
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    _ENGINES[url] = engine
    return engine


def dispose_all() -> None:
    """Close every pooled connection (tests switch databases between cases)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def writer(engine: Engine) -> Engine:
    """The engine with writer transactions (`BEGIN IMMEDIATE` on SQLite)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine


@contextlib.contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with sessionmaker(bind=engine, expire_on_commit=False)() as session:
        yield session


# Writers queue on SQLite through BEGIN IMMEDIATE; on PostgreSQL through a transaction-level
# advisory lock (two importers creating the same user source at once would otherwise collide).
WRITER_LOCK_ID = 7_261_001


def _lock_writers(conn: Connection | Session) -> None:
    bind = conn.get_bind() if isinstance(conn, Session) else conn
    if bind.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": WRITER_LOCK_ID})




def _bump_revision(session: Session) -> None:
    """Count every committed write: an update in place changes no row count, and readers
    (the snapshot, the fitted predictor) must still see that the data changed."""
    row = session.get(Meta, REVISION_KEY)
    if row is None:
        session.add(Meta(key=REVISION_KEY, value="1"))
    else:
        row.value = str(int(row.value or 0) + 1)


@contextlib.contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any error (nothing half-written)."""
    with sessionmaker(bind=writer(engine), expire_on_commit=False)() as session:
        with session.begin():
            _lock_writers(session)
            yield session
            _bump_revision(session)


def schema_version(conn: Connection) -> int:
    if not inspect(conn).has_table(Meta.__tablename__):
        return 0
    row = conn.execute(select(Meta.value).where(Meta.key == SCHEMA_VERSION_KEY)).first()
    return int(row[0]) if row else 0


def migrate(engine: Engine, migrations: list[Migration] | None = None) -> list[int]:
    """Apply pending migrations in one writer transaction; returns the versions applied."""
    migrations = MIGRATIONS if migrations is None else migrations
    applied: list[int] = []
    with writer(engine).begin() as conn:
        _lock_writers(conn)
        current = schema_version(conn)
        for version, _desc, func in migrations:
            if version > current:
                func(conn)
                applied.append(version)
                current = version
        if applied:
            Base.metadata.tables[Meta.__tablename__].create(conn, checkfirst=True)
            conn.execute(
                text("DELETE FROM catalog_meta WHERE key = :k"), {"k": SCHEMA_VERSION_KEY}
            )
            conn.execute(
                text("INSERT INTO catalog_meta (key, value) VALUES (:k, :v)"),
                {"k": SCHEMA_VERSION_KEY, "v": str(current)},
            )
    return applied
