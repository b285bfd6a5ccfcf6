"""`advisor serve` in a child process on an ephemeral port of 127.0.0.1 (tests, benchmarks):
started, its port read from the line it prints, stopped with SIGTERM."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

_LINE = re.compile(r"listening on (http://[\d.]+:\d+)")


@dataclass
class ServerProcess:
    url: str
    proc: subprocess.Popen  # type: ignore[type-arg]
    stderr: list[str] = field(default_factory=list)


def _drain(proc: subprocess.Popen, lines: list[str]) -> None:  # type: ignore[type-arg]
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line)


@contextmanager
def server_process(*args: str, env: dict[str, str] | None = None, db_url: str | None = None,
                   start_timeout: float = 240.0) -> Iterator[ServerProcess]:
    """A server (`python -m advisor [--db URL] serve --port 0 ARGS`) for the duration of the block."""
    cmd = [sys.executable, "-m", "advisor", *(["--db", db_url] if db_url else []), "serve", "--port", "0", *args]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ if env is None else env))
    lines: list[str] = []
    url = _wait_for_url(proc, lines, start_timeout)
    threading.Thread(target=_drain, args=(proc, lines), daemon=True).start()
    try:
        yield ServerProcess(url, proc, lines)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for_url(proc: subprocess.Popen, lines: list[str], timeout: float) -> str:  # type: ignore[type-arg]
    """Read stderr until the listening line (or fail with what the server said)."""
    assert proc.stderr is not None
    box: dict[str, str] = {}

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            m = _LINE.search(line)
            if m:
                box["url"] = m.group(1)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if "url" not in box:
        proc.kill()
        raise RuntimeError(f"advisor serve did not start: {''.join(lines)[-2000:]}")
    return box["url"]
