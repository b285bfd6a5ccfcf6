"""A catalog database that cannot be reached is one line naming it (password hidden) and exit
2, for every command that opens the catalog; never a traceback."""

from __future__ import annotations

import socket

import pytest

from _cli_helpers import run_main


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return port


@pytest.mark.parametrize("args", [["catalog", "stats"], ["recommend", "--task", "chat", "--hardware", "4090"],
                                  ["catalog", "models"]])
def test_unreachable_postgresql_is_one_line(args: list[str], capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("psycopg")
    from advisor.catalog import forget_open_catalogs

    forget_open_catalogs()
    url = f"postgresql+psycopg://advisor:s3cret@127.0.0.1:{_closed_port()}/advisor"
    rc, out, err = run_main(["--db", url, *args], capsys, monkeypatch)
    assert rc == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: catalog postgresql+psycopg://advisor:***@127.0.0.1:")
    assert "s3cret" not in err and "Traceback" not in err
