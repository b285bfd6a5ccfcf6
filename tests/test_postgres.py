"""The same code on PostgreSQL (psycopg 3). Runs when ADVISOR_TEST_POSTGRES_URL names an empty
database (.ci/run starts a throw-away server when PostgreSQL is installed); skipped otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

URL = os.environ.get("ADVISOR_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="ADVISOR_TEST_POSTGRES_URL not set (no PostgreSQL server)")
FIXTURES = Path(__file__).parent / "fixtures" / "catalog"


@pytest.fixture
def pg_url() -> str:
    """A fresh database on the test server, dropped afterwards."""
    import sqlalchemy as sa

    from advisor.config import database_url

    admin = sa.create_engine(database_url(URL), isolation_level="AUTOCOMMIT")
    name = f"advisor_test_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name}"))
    base = database_url(URL).rsplit("/", 1)[0]
    yield f"{base}/{name}"
    from advisor.catalog import forget_open_catalogs

    forget_open_catalogs()
    with admin.connect() as c:
        c.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def _advisor(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ADVISOR_DB_URL=url)
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True, env=env, timeout=300)


def test_catalog_builds_imports_and_answers_on_postgres(pg_url: str) -> None:
    from advisor.catalog import open_catalog

    stats = open_catalog(pg_url).stats()
    assert stats["models"] >= 200 and stats["measurements"] >= 1700 and stats["unsourced"] == 0
    # two processes importing the same file at once: written once (writers queue; the second
    # finds the rows and adds none, advisor.catalog.dedupe), nothing lost, nothing doubled
    procs = [subprocess.Popen([sys.executable, "-m", "advisor", "--db", pg_url, "catalog", "import",
                               str(FIXTURES / "measurements_good.csv")], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outs.append(out)
    assert sum("0 new rows, 2 already in the catalog" in o for o in outs) == 1
    # a bad file writes nothing and names the line
    bad = _advisor(pg_url, "catalog", "import", str(FIXTURES / "bad_unknown_model.csv"))
    assert bad.returncode == 2 and "bad_unknown_model.csv:3:" in bad.stderr
    after = open_catalog(pg_url).stats()
    assert after["measurements"] == stats["measurements"] + 2 and after["user_rows"] == 2
    rec = _advisor(pg_url, "recommend", "--task", "chat", "--hardware", "4090", "--deployment", "local",
                   "--no-prompts", "--json")
    assert rec.returncode == 0, rec.stderr
    assert '"candidates": [' in rec.stdout


def test_serve_on_postgres_answers_concurrent_requests(pg_url: str, tmp_path: Path) -> None:
    """`advisor serve` on the PostgreSQL catalog: 96 recommend requests, 16 at a time, no
    failure, each the answer its questionnaire gets alone (the figures of the 2,000-request run
    come from `python -m advisor.benchmarks.bench_serve --db URL`)."""
    from advisor.serve.load import questionnaires, run_load
    from advisor.serve.process import server_process
    from tests._serve_helpers import call, server_env

    bodies = questionnaires()[1::3]
    with server_process(env=server_env(tmp_path / "home", db_url=pg_url)) as server:
        assert call(server.url, "GET", "/v1/health")[1]["database"] == "postgresql"
        alone = [call(server.url, "POST", "/v1/recommend", b)[1] for b in bodies]
        report = run_load(server.url, "/v1/recommend", bodies, 12 * len(bodies), 16, keep_answers=True)
    assert report.failures == 0, report.errors
    assert all(answer == alone[i] for i, answer in report.answers) and len(report.answers) == report.requests
