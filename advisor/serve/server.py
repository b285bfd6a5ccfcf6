"""`advisor serve`: warm the catalog, bind the socket, run uvicorn until interrupted."""

from __future__ import annotations

import socket
import sys
from typing import TYPE_CHECKING

from advisor.serve.settings import ServeSettings

if TYPE_CHECKING:  # pragma: no cover
    from advisor.serve.gate import CatalogGate


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0: any free port; read it from `getsockname()`)."""
    from advisor.errors import InputError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"--host/--port: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    return sock


def listening_line(settings: ServeSettings, port: int, database: str) -> str:
    """The line printed once the server takes requests (tests and scripts read the port here)."""
    mode = "writes with the token" if settings.writable else "read-only"
    return f"advisor serve: listening on http://{settings.host}:{port} ({database}, {mode})"


def _warm_or_explain(gate: CatalogGate) -> None:
    """Load (or fit) the predictor and fill the caches before the first request; an unreachable
    database is one line naming the URL (password hidden), not a traceback."""
    from sqlalchemy.exc import OperationalError

    from advisor import config
    from advisor.catalog import unavailable

    try:
        gate.warm()
    except OperationalError as exc:  # the database went away after it was opened
        raise unavailable(config.database_url(gate.db_url), exc) from None


def serve(settings: ServeSettings) -> None:
    """Run the server in this process until SIGINT/SIGTERM."""
    import uvicorn

    from advisor.serve.app import create_app
    from advisor.serve.gate import CatalogGate

    gate = CatalogGate(settings.db_url)
    _warm_or_explain(gate)
    sock = bind(settings.host, settings.port)
    app = create_app(settings, gate)
    config = uvicorn.Config(app, log_level="warning", access_log=False, limit_concurrency=settings.max_connections,
                            timeout_keep_alive=5, timeout_graceful_shutdown=5, lifespan="off")
    print(listening_line(settings, sock.getsockname()[1], gate.catalog().engine.dialect.name),
          file=sys.stderr, flush=True)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        app.state.served.runner.close()
        sock.close()
