"""Writing to the catalog (each test in its own `fresh_home`, seeded from a copy of one
session-built template): `catalog import` of good and bad files, concurrent imports, user rows
surviving a seed rebuild, schema migrations, export round trip, `--db` and ADVISOR_DB_URL."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from _cli_helpers import run_main

REPO = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures" / "catalog"
HEADER = ("model,quant,engine,engine_version,hardware,n_devices,split,batch_size,concurrency,measure_kind,"
          "prompt_tokens,gen_tokens,context_depth,prefill_tok_s,decode_tok_s,ttft_ms,memory_gb,backend,threads,"
          "quality,source,notes")


def copy_db(template: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(template) + suffix)
        if src.exists():
            shutil.copy(src, Path(str(dest) + suffix))
    return dest


@pytest.fixture(scope="module")
def catalog_template(shared_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pristine seed build to copy from: the shared session catalog when it is already built
    and holds no user rows (no second build), else a build of its own."""
    from advisor.catalog import forget_open_catalogs, open_catalog

    folder = tmp_path_factory.mktemp("catalog-template")
    shared = shared_home / "catalog.sqlite"
    source = shared if shared.exists() else folder / "built.sqlite"
    if open_catalog(f"sqlite:///{source}").stats()["user_rows"]:
        source = folder / "built.sqlite"
        open_catalog(f"sqlite:///{source}")
    forget_open_catalogs()  # closes connections: the WAL is checkpointed into the file
    return copy_db(source, folder / "catalog.sqlite")


@pytest.fixture
def home_cat(fresh_home: Path, catalog_template: Path):  # type: ignore[no-untyped-def]
    """A private catalog (a copy of the seed build) in this test's ADVISOR_HOME, opened."""
    from advisor.catalog import open_catalog

    copy_db(catalog_template, fresh_home / "catalog.sqlite")
    return open_catalog()




def user_rows(cat, table: str = "measurements") -> list[dict]:  # type: ignore[no-untyped-def]
    from advisor.catalog.seed_io import export_tables

    return [r for r in export_tables(cat.engine)[table] if r["origin"] == "user"]


def write_measurements(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- good import


def test_import_good_file_adds_user_rows_resolved_by_alias(home_cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = home_cat.stats()
    version = home_cat.data_version()
    rc, out, err = run_main(["catalog", "import", str(FIX / "measurements_good.csv")], capsys, monkeypatch)
    assert rc == 0, err
    assert "imported 2 measurements rows" in out
    after = home_cat.stats()
    assert after["measurements"] == before["measurements"] + 2
    assert after["user_rows"] == 2
    assert after["unsourced"] == 0
    rows = user_rows(home_cat)
    assert {r["model"] for r in rows} == {"Llama-3-8B-Instruct"}       # llama3:8b and the HF-style name
    assert {r["hardware"] for r in rows} == {"NVIDIA GeForce RTX 4090"}
    assert {r["quant"] for r in rows} == {"Q4_K_M"}                     # q4_k_m
    assert sorted(((r["prefill_tok_s"], r["decode_tok_s"]) for r in rows), key=str) == [(6543.21, None), (None, 117.25)]
    assert all(r["source"].startswith("user-") for r in rows)            # the citation became a user source
    # the data version moves, so the predictor knows to refit
    assert home_cat.data_version() != version
    assert home_cat.snapshot().version == home_cat.data_version()


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize("name,line,needle", [
    ("bad_unknown_model.csv", 3, "unknown model 'Llama-99-1T-Imaginary'"),
    ("bad_not_number.csv", 3, "'fast' is not a number"),
    ("bad_negative.csv", 3, "must not be negative"),
    ("bad_header.csv", 1, "header"),
    ("empty.csv", 1, "empty"),
])
def test_bad_file_exits_2_names_file_and_line_and_writes_nothing(  # type: ignore[no-untyped-def]
        home_cat, capsys, monkeypatch, name: str, line: int, needle: str) -> None:
    before = home_cat.stats()
    version = home_cat.data_version()
    path = FIX / name
    rc, out, err = run_main(["catalog", "import", str(path)], capsys, monkeypatch)
    assert rc == 2
    assert f"{path}:{line}:" in err
    assert needle in err
    assert "Traceback" not in err
    assert home_cat.stats() == before
    assert home_cat.data_version() == version


def test_unknown_model_error_suggests_close_names(home_cat, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = write_measurements(tmp_path / "m.csv", [
        "Lama-3-8B-Instruct,Q4_K_M,llama.cpp,,RTX 4090,1,none,1,,single_stream,0,128,0,,100,,,CUDA,,normal,x,typo",
    ])
    rc, _, err = run_main(["catalog", "import", str(path)], capsys, monkeypatch)
    assert rc == 2
    assert f"{path}:2: column 'model'" in err and "closest" in err and "Llama-3-8B-Instruct" in err


def test_missing_file_exits_2(home_cat, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = home_cat.stats()
    path = tmp_path / "nope.csv"
    rc, out, err = run_main(["catalog", "import", str(path)], capsys, monkeypatch)
    assert rc == 2
    assert f"{path}:" in err and "no such file" in err
    assert home_cat.stats() == before


def test_bad_import_through_the_console_script(home_cat) -> None:  # type: ignore[no-untyped-def]
    """The real process boundary once: exit status and stderr of `python -m advisor`."""
    before = home_cat.stats()
    path = FIX / "bad_negative.csv"
    r = subprocess.run([sys.executable, "-m", "advisor", "catalog", "import", str(path)],
                       capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert r.returncode == 2
    assert f"{path}:3:" in r.stderr and "decode_tok_s" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert home_cat.stats() == before


# --------------------------------------------------------------------------- concurrency


def test_two_processes_importing_at_once_lose_nothing(home_cat, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two processes write to one catalog at the same time (SQLite: BEGIN IMMEDIATE queues the
    second writer); every row of both files must be there, nothing twice."""
    n = 25
    files = []
    for tag in ("a", "b"):
        rows = [f"llama3:8b,Q4_K_M,llama.cpp,,RTX 4090,1,none,1,,single_stream,0,{100 + i},0,,{50 + i}.5,,,CUDA,,normal,"
                f"concurrency test {tag},{tag}{i}" for i in range(n)]
        files.append(write_measurements(tmp_path / f"{tag}.csv", rows))
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-m", "advisor", "catalog", "import", str(f)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    for out, err, rc in results:
        assert rc == 0, err
    cat = home_cat
    rows = user_rows(cat)
    assert sorted(r["notes"] for r in rows) == sorted([f"a{i}" for i in range(n)] + [f"b{i}" for i in range(n)])
    stats = cat.stats()
    seed = sum(1 for _ in csv.DictReader((REPO / "catalog" / "measurements.csv").open(encoding="utf-8")))
    assert stats["measurements"] == seed + 2 * n
    assert stats["models"] == sum(1 for _ in csv.DictReader((REPO / "catalog" / "models.csv").open(encoding="utf-8")))


# --------------------------------------------------------------------------- seed rebuild


def test_user_rows_survive_a_seed_rebuild(home_cat, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from advisor.catalog import forget_open_catalogs, open_catalog
    from advisor.catalog.seed import SEED_HASH_KEY, get_meta, seed_hash
    from advisor.catalog.db import read_session

    rc, _, err = run_main(["catalog", "import", str(FIX / "measurements_good.csv")], capsys, monkeypatch)
    assert rc == 0, err
    before = home_cat.stats()
    mine = user_rows(home_cat)
    # a changed seed: one more published measurement
    seed = tmp_path / "seed"
    shutil.copytree(REPO / "catalog", seed)
    with (seed / "measurements.csv").open("a", encoding="utf-8") as fh:
        fh.write("Llama-3-8B,Q8_0,llama.cpp,,NVIDIA GeForce RTX 4090,1,none,1,,single_stream,0,256,0,,77.7,,,CUDA,,normal,"
                 "xiongjiedai-llama3-nvidia-gaming-gpus,added by the rebuild test\n")
    forget_open_catalogs()
    cat = open_catalog(seed_dir=seed)
    with read_session(cat.engine) as s:
        assert get_meta(s, SEED_HASH_KEY) == seed_hash(seed)
    after = cat.stats()
    assert after["measurements"] == before["measurements"] + 1
    assert after["user_rows"] == before["user_rows"] == 2
    assert user_rows(cat) == mine
    show = cat.show("Llama-3-8B")
    assert any(m["decode_tok_s"] == 77.7 and m["quant"] == "Q8_0" and m["origin"] == "seed" for m in show["measurements"])


# --------------------------------------------------------------------------- migrations


def test_migrate_fresh_database_creates_tables(tmp_path) -> None:
    from advisor.catalog.db import LATEST_VERSION, get_engine, migrate, schema_version

    engine = get_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert migrate(engine) == list(range(1, LATEST_VERSION + 1))
    with engine.connect() as conn:
        assert schema_version(conn) == LATEST_VERSION
        assert {"models", "measurements", "scores", "sources", "catalog_meta"} <= set(inspect(conn).get_table_names())
    assert migrate(engine) == []


def test_older_schema_is_upgraded_by_a_new_migration(tmp_path, catalog_template) -> None:  # type: ignore[no-untyped-def]
    from advisor.catalog.db import MIGRATIONS, get_engine, migrate, schema_version

    db = copy_db(catalog_template, tmp_path / "old.sqlite")
    engine = get_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        old = schema_version(conn)
        n_models = conn.execute(text("SELECT count(*) FROM models")).scalar()
    assert old == MIGRATIONS[-1][0]

    def add_column(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute(text("ALTER TABLE models ADD COLUMN test_note TEXT"))
        conn.execute(text("UPDATE models SET test_note = 'migrated'"))

    extra = [*MIGRATIONS, (old + 1, "test: add models.test_note", add_column)]
    assert migrate(engine, extra) == [old + 1]
    with engine.connect() as conn:
        assert schema_version(conn) == old + 1
        assert "test_note" in {c["name"] for c in inspect(conn).get_columns("models")}
        assert conn.execute(text("SELECT count(*) FROM models WHERE test_note = 'migrated'")).scalar() == n_models
    assert migrate(engine, extra) == []  # applied once


def test_failing_migration_changes_nothing(tmp_path, catalog_template) -> None:  # type: ignore[no-untyped-def]
    from advisor.catalog.db import MIGRATIONS, get_engine, migrate, schema_version

    db = copy_db(catalog_template, tmp_path / "old.sqlite")
    engine = get_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        old = schema_version(conn)

    def half_done(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute(text("ALTER TABLE models ADD COLUMN half TEXT"))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        migrate(engine, [*MIGRATIONS, (old + 1, "test: fails", half_done)])
    with engine.connect() as conn:
        assert schema_version(conn) == old
        assert "half" not in {c["name"] for c in inspect(conn).get_columns("models")}


# --------------------------------------------------------------------------- export


def test_export_csv_then_reimport_round_trips_user_rows(home_cat, tmp_path, catalog_template, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rc, _, err = run_main(["catalog", "import", str(FIX / "measurements_good.csv")], capsys, monkeypatch)
    assert rc == 0, err
    out_dir = tmp_path / "export"
    rc, _, err = run_main(["catalog", "export", "--format", "csv", "--out", str(out_dir)], capsys, monkeypatch)
    assert rc == 0, err
    from advisor.catalog.rows import SPECS

    assert {p.name for p in out_dir.iterdir()} == {s.file for s in SPECS}
    with (out_dir / "measurements.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        exported = list(reader)
        header = reader.fieldnames
    assert header == HEADER.split(",") + ["origin"]
    seed_n = home_cat.stats()["measurements"] - 2
    assert sum(r["origin"] == "seed" for r in exported) == seed_n
    mine = [r for r in exported if r["origin"] == "user"]
    assert len(mine) == 2
    # the user rows, exported, import into another catalog (the source citations travel too)
    user_file = tmp_path / "mine.csv"
    with user_file.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(mine)
    sources = tmp_path / "sources.csv"
    with (out_dir / "sources.csv").open(encoding="utf-8", newline="") as fh:
        src_rows = [r for r in csv.DictReader(fh) if r["origin"] == "user"]
    assert len(src_rows) == 1
    with sources.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(src_rows[0]))
        w.writeheader()
        w.writerows(src_rows)
    other = copy_db(catalog_template, tmp_path / "other.sqlite")
    url = f"sqlite:///{other}"
    for f in (sources, user_file):
        rc, _, err = run_main(["--db", url, "catalog", "import", str(f)], capsys, monkeypatch)
        assert rc == 0, err
    from advisor.catalog import open_catalog

    again = user_rows(open_catalog(url))
    first = user_rows(home_cat)
    assert [{k: v for k, v in r.items()} for r in again] == first


def test_export_json_to_stdout(home_cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(["catalog", "export", "--format", "json"], capsys, monkeypatch)
    assert rc == 0, err
    data = json.loads(out)
    stats = home_cat.stats()
    assert len(data["measurements"]) == stats["measurements"]
    assert len(data["models"]) == stats["models"]


# --------------------------------------------------------------------------- --db / ADVISOR_DB_URL


def test_db_option_and_env_url_select_the_database(tmp_path, catalog_template, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from advisor.catalog import forget_open_catalogs, open_catalog

    a = copy_db(catalog_template, tmp_path / "a.sqlite")
    b = copy_db(catalog_template, tmp_path / "b.sqlite")
    home = tmp_path / "home"
    monkeypatch.setenv("ADVISOR_HOME", str(home))
    forget_open_catalogs()
    rc, _, err = run_main(["--db", f"sqlite:///{a}", "catalog", "import", str(FIX / "measurements_good.csv")],
                          capsys, monkeypatch)
    assert rc == 0, err
    monkeypatch.setenv("ADVISOR_DB_URL", f"sqlite:///{a}")
    forget_open_catalogs()
    assert open_catalog().stats()["user_rows"] == 2          # ADVISOR_DB_URL reaches a
    assert open_catalog(f"sqlite:///{b}").stats()["user_rows"] == 0
    forget_open_catalogs()
    # a real process: --db wins over ADVISOR_DB_URL
    r = subprocess.run([sys.executable, "-m", "advisor", "--db", f"sqlite:///{b}", "catalog", "stats", "--json"],
                       capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["user_rows"] == 0
    rc, out, err = run_main(["catalog", "stats", "--json"], capsys, monkeypatch)
    assert rc == 0 and json.loads(out)["user_rows"] == 2
    assert not (home / "catalog.sqlite").exists()  # the data folder's default catalog was never used
    forget_open_catalogs()
