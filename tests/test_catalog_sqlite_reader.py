"""The plain SQLite reader (`advisor.catalog.read`): the snapshot it reads without SQLAlchemy is
the one the ORM catalog reads, row for row and type for type; it steps aside (to `open_catalog`,
which builds and migrates) whenever the file is not a catalog of this seed and schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from _cli_helpers import run_main

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


def _as_dicts(snap) -> dict:  # type: ignore[no-untyped-def]
    tables = ("models", "hardware", "quants", "engines", "sources")
    lists = ("measurements", "scores", "quant_effects", "oom", "hosted_speeds", "implausible")
    out = {t: {k: vars(v) for k, v in getattr(snap, t).items()} for t in tables}
    out.update({t: sorted((vars(r) for r in getattr(snap, t)), key=lambda d: d["id"]) for t in lists})
    out.update(version=snap.version, overridden=snap.overridden, aliases=snap.aliases,
               model_aliases=snap.model_aliases, hardware_aliases=snap.hardware_aliases,
               measurement_count=snap.measurement_count, score_count=snap.score_count)
    return out


def test_plain_reader_reads_what_the_orm_reads(fresh_home, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from advisor.catalog import open_catalog
    from advisor.catalog.read import _read_sqlite
    from advisor.catalog.snapshot import forget_snapshots
    from advisor.config import database_url

    cat = open_catalog()
    rc, _, err = run_main(["catalog", "import", str(HOSTILE / "models_seed_override.csv")], capsys, monkeypatch)
    assert rc == 0 and "user override" in err  # an override on a seed row, applied in both snapshots
    forget_snapshots()
    via_orm = _as_dicts(cat.snapshot())
    forget_snapshots()
    plain = _read_sqlite(database_url())
    assert plain is not None
    got = _as_dicts(plain)
    assert got == via_orm
    m = next(r for r in plain.models.values() if r.commercial_use is not None)
    assert isinstance(m.commercial_use, bool)  # SQLite's 0/1 read back as the ORM's Boolean
    assert plain.overridden and any(v["params_b"][1] == 1e-06 for v in plain.overridden.values())


def test_converted_columns_are_the_orms_boolean_and_datetime_columns() -> None:
    from advisor.catalog import orm
    from advisor.catalog.snapshot import BOOLEAN_COLUMNS, DATETIME_COLUMNS

    found: dict[str, dict[str, list[str]]] = {"Boolean": {}, "DateTime": {}}
    for table in orm.Base.metadata.tables.values():
        for col in table.columns:
            kind = type(col.type).__name__
            if kind in found:
                found[kind].setdefault(table.name, []).append(col.name)
    read = {"models", "quant_effects", "measurements", "overrides", "hardware", "scores"}
    assert {t: tuple(c) for t, c in found["Boolean"].items() if t in read} == BOOLEAN_COLUMNS
    assert {t: tuple(c) for t, c in found["DateTime"].items() if t in read} == DATETIME_COLUMNS


def test_seed_files_and_schema_version_match_the_full_loader() -> None:
    from advisor.catalog.db import LATEST_VERSION
    from advisor.catalog.rows import SPECS
    from advisor.catalog.seed_files import SCHEMA_VERSION, SEED_FILES

    assert tuple(s.file for s in SPECS) == SEED_FILES
    assert SCHEMA_VERSION == LATEST_VERSION


def test_reader_steps_aside_for_a_missing_stale_or_foreign_file(fresh_home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from advisor.catalog import catalog_snapshot, forget_open_catalogs, open_catalog
    from advisor.catalog.read import _read_sqlite
    from advisor.config import database_url, default_db_path

    assert not default_db_path().exists()
    assert _read_sqlite(database_url()) is None           # never creates a file
    assert not default_db_path().exists()
    snap = catalog_snapshot()                              # built the full way on first use
    assert default_db_path().exists() and len(snap.models) > 100
    assert _read_sqlite(database_url()) is not None
    with sqlite3.connect(default_db_path()) as conn:       # as if the shipped seed had changed
        conn.execute("UPDATE catalog_meta SET value = 'stale' WHERE key = 'seed_hash'")
    assert _read_sqlite(database_url()) is None
    forget_open_catalogs()                                 # a new process: open_catalog checks the seed
    assert catalog_snapshot().version.split("/")[0] != "stale"  # and rebuilt it
    assert _read_sqlite(database_url()) is not None
    open_catalog()
    other = tmp_path / "not-a-catalog.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert _read_sqlite(f"sqlite:///{other}") is None      # no catalog_meta: not ours
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert _read_sqlite(f"sqlite:///{garbage}") is None


def test_names_resolve_the_same_through_the_snapshot_and_the_catalog() -> None:
    from advisor.catalog import catalog_snapshot, open_catalog

    cat, snap = open_catalog(), catalog_snapshot()
    for name in ("4090", "RTX 4090", "rtx-4090", "M2 Max", "llama3:8b"):
        hw = cat.find_hardware(name)
        assert (snap.find_hardware(name).id if snap.find_hardware(name) else None) == (hw.id if hw else None)
    assert snap.find_id("model", "Qwen3-8B") == cat.find_model("Qwen3-8B").id
    assert snap.find_hardware("RTX 4099") is None and "NVIDIA GeForce RTX 4090" in snap.hardware_closest("RTX 4099")


def test_a_write_by_another_connection_is_seen_at_once(fresh_home, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The plain reader answers from memory while the data version is unchanged (one query),
    and reads the rows again as soon as any committed write bumps it."""
    from advisor.catalog import catalog_snapshot

    before = catalog_snapshot()
    assert catalog_snapshot() is before                        # unchanged: the same snapshot
    rc, _, err = run_main(["catalog", "import", str(HOSTILE / "models_seed_override.csv")], capsys, monkeypatch)
    assert rc == 0, err
    after = catalog_snapshot()
    assert after is not before and after.version != before.version and after.overridden


def test_a_write_by_another_process_is_seen_at_once(fresh_home) -> None:  # type: ignore[no-untyped-def]
    """The reader skips the version query while SQLite's data_version says no other connection
    committed; a commit from another process changes it, and the next snapshot has the new version."""
    import subprocess
    import sys

    from advisor.catalog import catalog_snapshot
    from advisor.catalog.read import sqlite_path
    from advisor.config import database_url

    before = catalog_snapshot()
    assert catalog_snapshot() is before
    path = sqlite_path(database_url())
    bump = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute(\"UPDATE catalog_meta SET value = '999' WHERE key = 'revision'\"); c.commit()")
    subprocess.run([sys.executable, "-c", bump, str(path)], check=True)
    after = catalog_snapshot()
    assert after.version != before.version and "/r999/" in after.version
    assert catalog_snapshot() is after
