"""Shared setup for the measure/import tests: a catalog built once per session from the seed,
copied into each test's private ADVISOR_HOME (building it takes seconds, copying does not)."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "tools"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def catalog_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from advisor.catalog import forget_open_catalogs, open_catalog

    folder = tmp_path_factory.mktemp("catalog-template")
    db = folder / "catalog.sqlite"
    open_catalog(f"sqlite:///{db}")
    forget_open_catalogs()  # closes connections: the WAL is checkpointed into the file
    return db


@pytest.fixture
def cat(catalog_template: Path, fresh_home: Path) -> Any:
    """A fresh copy of the seed catalog in this test's private ADVISOR_HOME, opened (the
    shared session home is never written to)."""
    from advisor.catalog import forget_open_catalogs, open_catalog

    home = fresh_home
    home.mkdir(parents=True, exist_ok=True)
    forget_open_catalogs()
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(catalog_template) + suffix)
        if src.exists():
            shutil.copy(src, home / f"catalog.sqlite{suffix}")
    catalog = open_catalog()
    yield catalog
    forget_open_catalogs()


def user_rows(catalog: Any, table: str) -> list[dict[str, Any]]:
    from advisor.catalog.seed_io import export_tables

    return [r for r in export_tables(catalog.engine)[table] if r["origin"] == "user"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def advisor_cmd() -> list[str]:
    import sys

    return [sys.executable, "-m", "advisor"]


def fake_openai_server(mode: str = "usage", n_tokens: int = 6, delay: float = 0.01):  # type: ignore[no-untyped-def]
    """A local OpenAI-compatible streaming server for error paths and arithmetic checks.
    mode: usage | nousage | http500 | garbage | empty | ctx400 | ctxempty (the last two: a prompt
    over 200 characters does not fit; ctx400 answers llama.cpp's HTTP 400, ctxempty closes the
    stream without text, as llama-cpp-python does). Returns the running server."""
    import json
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        seen_auth: list[str] = []

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # /v1/models
            body = json.dumps({"object": "list", "data": [{"id": "m", "object": "model", "owned_by": "vllm"}]})
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def do_POST(self) -> None:
            n = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(n))
            Handler.seen_auth.append(self.headers.get("authorization", ""))
            too_long = len(json.dumps(body.get("messages", ""))) > 200
            if mode == "ctx400" and too_long:
                self.send_response(400)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"error": {
                    "code": 400, "type": "exceed_context_size_error", "n_prompt_tokens": 900, "n_ctx": 512,
                    "message": "request (900 tokens) exceeds the available context size (512 tokens), try increasing it",
                }}).encode())
                return
            if mode == "http500":
                self.send_response(500)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error": {"message": "boom", "type": "server_error"}}')
                return
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()

            def ev(d: Any) -> None:
                self.wfile.write(b"data: " + (d if isinstance(d, bytes) else json.dumps(d).encode()) + b"\n\n")
                self.wfile.flush()

            if mode == "garbage":
                ev(b"{this is not json")
                self.wfile.write(b"data: [DONE]\n\n")
                return
            base = {"id": "x", "object": "chat.completion.chunk", "created": 1, "model": body["model"]}
            ev({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})
            if mode != "empty" and not (mode == "ctxempty" and too_long):
                for i in range(n_tokens):
                    time.sleep(delay)
                    ev({**base, "choices": [{"index": 0, "delta": {"content": f" w{i}"}, "finish_reason": None}]})
            ev({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]})
            if mode == "usage":
                ev({**base, "choices": [], "usage": {"prompt_tokens": 40, "completion_tokens": n_tokens,
                                                     "total_tokens": 40 + n_tokens}})
            self.wfile.write(b"data: [DONE]\n\n")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.handler = Handler  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def import_tiny_model(tmp_path: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Register the tiny random model through `advisor catalog import` of a seed-format
    models.csv (the real CLI, in a subprocess)."""
    models = tmp_path / "models.csv"
    shutil.copy(FIXTURES / "tiny_models.csv", models)
    return subprocess.run([*advisor_cmd(), "catalog", "import", str(models)], capture_output=True, text=True,
                          timeout=timeout)
