"""What `advisor serve` is started with: address, catalog, write token and limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

TOKEN_ENV = "ADVISOR_WRITE_TOKEN"
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class ServeSettings:
    """Settings of one server. `write_token` None: read-only (writes answer 403)."""

    host: str = "127.0.0.1"
    port: int = 8765
    db_url: str | None = None                 # None: ADVISOR_DB_URL, else the SQLite file
    write_token: str | None = field(default=None, repr=False)
    max_body_bytes: int = 4 * 1024 * 1024     # 413 above this
    timeout_s: float = 30.0                   # 503 when a call takes longer; 408 for a slow body
    workers: int = 4                          # library calls run at once (threads)
    max_queue: int = 64                       # calls waiting beyond those; 503 when full
    max_connections: int = 256                # uvicorn answers 503 above this
    max_predict_batch: int = 2000             # requests in one POST /v1/predict
    prompt_dirs: tuple[Path, ...] = ()        # prompt library folders (default: ADVISOR_PROMPTS_PATH or bundled)
    with_bundled: bool = False

    @property
    def writable(self) -> bool:
        return bool(self.write_token)


def token_from(env_var: str = TOKEN_ENV, token_file: Path | None = None) -> str | None:
    """The write token: the first line of `token_file`, else the environment variable."""
    from advisor.errors import InputError

    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").strip().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"--write-token-file {token_file}: cannot read: {exc}") from None
        value, where = (lines[0].strip() if lines else ""), f"--write-token-file {token_file}"
    else:
        value, where = os.environ.get(env_var, "").strip(), env_var
    if not value:
        return None
    if len(value) < MIN_TOKEN_CHARS or not value.isprintable() or " " in value:
        raise InputError(f"{where}: the write token must be at least {MIN_TOKEN_CHARS} printable characters without spaces")
    return value
