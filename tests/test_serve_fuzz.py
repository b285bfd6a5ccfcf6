"""`advisor serve` fuzzed by schemathesis against its own OpenAPI document: a real server on
127.0.0.1 (writes enabled, a private catalog), generated requests for every operation with a
fixed seed and a small budget; no answer may be a server error, and every answer must be one the
document declares (status, content type, body schema). The larger run of the closing note is
`st run URL -n 60 --seed 2` with the same checks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests._serve_helpers import TOKEN, server_env

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
ST = "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"


def test_schemathesis_finds_no_server_error(tmp_path: Path) -> None:
    from advisor.serve.process import server_process

    env = server_env(tmp_path / "home", token=TOKEN)
    with server_process(env=env) as server:
        r = subprocess.run(
            [sys.executable, "-c", ST, "run", f"{server.url}/openapi.json", "--max-examples", "15", "--seed", "19",
             "--phases", "examples,fuzzing", "--checks", CHECKS, "--header", f"Authorization: Bearer {TOKEN}",
             "--no-color", "--request-timeout", "60"],
            capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-4000:]
    assert "13 selected / 13 total" in out and "Fuzzing" in out, out[-2000:]
    m = re.search(r"(\d+) generated, (\d+) passed", out)
    assert m and int(m.group(1)) >= 150 and m.group(1) == m.group(2), out[-2000:]
