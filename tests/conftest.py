"""Shared test setup: no network; one data folder for the whole session (the catalog is built
and the predictor fitted once), and `fresh_home` for tests that write to the catalog."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return isinstance(address, (str, bytes))  # AF_UNIX sockets are local


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A data folder shared by read-only tests: never write to its catalog."""
    return tmp_path_factory.mktemp("advisor-shared-home")


@pytest.fixture
def fresh_home(tmp_path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A private data folder (own catalog file) for a test that writes."""
    from advisor.catalog import forget_open_catalogs

    home = tmp_path / "advisor-home"
    monkeypatch.setenv("ADVISOR_HOME", str(home))
    forget_open_catalogs()
    yield home
    forget_open_catalogs()


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, shared_home) -> None:  # type: ignore[no-untyped-def]
    """Block non-loopback connections; point ADVISOR_HOME at the shared session folder."""

    def guarded_connect(self: socket.socket, address: object) -> object:
        if not _is_loopback(address):
            raise OSError(f"network access blocked in tests: {address!r}")
        return _real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setenv("ADVISOR_HOME", str(shared_home))
    monkeypatch.delenv("ADVISOR_DB_URL", raising=False)
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    monkeypatch.delenv("ADVISOR_PROMPTS_PATH", raising=False)
