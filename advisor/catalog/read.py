"""The catalog snapshot for the read-only paths (recommend, predict, prompt facts). A SQLite
catalog already built from this seed is read with the standard library's sqlite3, in one read
transaction, without importing SQLAlchemy or the ORM (a cold `advisor recommend` spends its
time answering, not importing); anything else (a first use that must build, a seed that
changed, PostgreSQL, a file the plain reader cannot read) goes through `open_catalog`, which
builds, migrates and reports errors in one place."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor import config
from advisor.catalog.seed_files import SCHEMA_VERSION, seed_hash
from advisor.catalog.snapshot import (
    META_TABLE, SCHEMA_VERSION_KEY, SEED_HASH_KEY, Snapshot, cached_snapshot, data_version_of, data_version_sql,
    load_snapshot, peek_snapshot,
)

if TYPE_CHECKING:
    from advisor.schema import ModelSpec


def catalog_snapshot(db_url: str | None = None) -> Snapshot:
    """The snapshot of the catalog at `db_url` (default: ADVISOR_DB_URL or the data folder's file)."""
    url = config.database_url(db_url)
    snap = _read_sqlite(url)
    if snap is None:
        from advisor.catalog.catalog import open_catalog

        snap = open_catalog(url).snapshot()
    return snap


def model_facts(name: str, db_url: str | None = None) -> "ModelSpec | None":
    """Facts of a catalog model by name or alias, or None when the catalog does not know it."""
    from advisor.schema import ModelSpec

    row = catalog_snapshot(db_url).find_model(name)  # its rows carry the user's overrides
    return ModelSpec.of(row) if row is not None else None


def sqlite_path(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL (None for anything else)."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = url[len("sqlite:///"):]
    return Path(path) if path and path != ":memory:" else None


def _read_sqlite(url: str) -> Snapshot | None:
    """The snapshot read with sqlite3, or None when the file is not a catalog this code and
    this seed built (the caller then opens it the full way)."""
    path = sqlite_path(url)
    try:
        st = path.stat() if path is not None else None
    except OSError:
        st = None
    if path is None or st is None or not stat.S_ISREG(st.st_mode):
        return None
    conn = _connection(path, (st.st_dev, st.st_ino))
    if conn is None:
        return None
    try:
        known = peek_snapshot(url)
        if known is not None and _unchanged(path, conn, known.version):
            return known  # the version (with the seed hash) is what this process read
        conn.execute("BEGIN")  # the version and every row from one state of the file
        try:
            return _snapshot_of(conn, url)
        finally:
            conn.execute("COMMIT")
    except sqlite3.Error:
        _forget(path)
        return None


_LOCAL = threading.local()  # per thread (a sqlite3 connection stays in its thread): path -> (file id, connection)


def _connection(path: Path, file_id: tuple[int, int]) -> sqlite3.Connection | None:
    """This thread's connection to the file, opened once (a version check before every
    answer then costs one query); a file replaced at the same path gets a new one."""
    open_ = getattr(_LOCAL, "conns", None)
    if open_ is None:
        open_ = _LOCAL.conns = {}
    known = open_.get(path)
    if known is not None and known[0] == file_id:
        return known[1]
    _forget(path)
    try:
        # mode=rw: never creates a file; WAL readers need the -shm file writable
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=60, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 60000")
    except sqlite3.Error:
        return None
    open_[path] = (file_id, conn)
    return conn


def _unchanged(path: Path, conn: sqlite3.Connection, version: str) -> bool:
    """Whether the file is still at `version`. SQLite's `PRAGMA data_version` (no table read)
    changes whenever another connection, in any process, commits; only then, or on this
    connection's first check, is the version itself read (counts over the figure tables)."""
    seen = getattr(_LOCAL, "seen", None)
    if seen is None:
        seen = _LOCAL.seen = {}
    pragma = conn.execute("PRAGMA data_version").fetchone()[0]
    if seen.get(path) == (pragma, version):
        return True
    now = data_version_of(conn.execute(data_version_sql()).fetchone())
    seen[path] = (pragma, now)
    return now == version


def _forget(path: Path) -> None:
    getattr(_LOCAL, "seen", {}).pop(path, None)
    known = getattr(_LOCAL, "conns", {}).pop(path, None)
    if known is not None:
        known[1].close()


def close_connections() -> None:
    """Close this thread's plain connections (tests switch data folders)."""
    for path in list(getattr(_LOCAL, "conns", {})):
        _forget(path)


def _snapshot_of(conn: sqlite3.Connection, url: str) -> Snapshot | None:
    meta = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    if meta.get(SCHEMA_VERSION_KEY) != str(SCHEMA_VERSION) or meta.get(SEED_HASH_KEY) != seed_hash(config.seed_dir()):
        return None
    version = data_version_of(conn.execute(data_version_sql()).fetchone())

    def query(sql: str) -> tuple[list[str], list[Any]]:
        cur = conn.execute(sql)
        return [d[0] for d in cur.description], cur.fetchall()

    return cached_snapshot(url, version, lambda: load_snapshot(query, version))
