"""`advisor serve`: warm the catalog, bind the socket, run uvicorn until interrupted."""

from __future__ import annotations

import socket
import sys

from advisor.serve.settings import ServeSettings


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


def serve(settings: ServeSettings) -> None:
    """Run the server in this process until SIGINT/SIGTERM."""
    import uvicorn

    from advisor.serve.app import create_app
    from advisor.serve.gate import CatalogGate

    gate = CatalogGate(settings.db_url)
    gate.warm()  # fit or load the predictor and fill caches before the first request
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
