"""Shared by the serve tests: a real `advisor serve` child process and plain HTTP calls."""

from __future__ import annotations

import http.client
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TOKEN = "test-token-0123456789abcdef"


def server_env(home: Path, db_url: str | None = None, token: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ADVISOR_DB_URL", "ADVISOR_WRITE_TOKEN", "ADVISOR_PROMPTS_PATH")}
    env.update(ADVISOR_HOME=str(home), LITELLM_LOCAL_MODEL_COST_MAP="True")
    if db_url:
        env["ADVISOR_DB_URL"] = db_url
    if token:
        env["ADVISOR_WRITE_TOKEN"] = token
    return env


def call(base: str, method: str, path: str, body: Any = None, raw: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, Any, dict[str, str]]:
    """(status, parsed JSON answer, headers) of one request on a new connection."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    try:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        hdrs = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, path, body=data, headers={**hdrs, **(headers or {})})
        resp = conn.getresponse()
        text = resp.read()
        return resp.status, json.loads(text) if text else None, {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
