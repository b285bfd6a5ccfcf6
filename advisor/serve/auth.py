"""Writes need `Authorization: Bearer TOKEN`, the token the server was started with; a server
started without one is read-only (403)."""

from __future__ import annotations

import hmac

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from advisor.serve.errors import ServeError

bearer = HTTPBearer(auto_error=False, description="the write token the server was started with")


def require_writer(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """401 without the right token, 403 when the server takes no writes at all."""
    token = request.app.state.served.settings.write_token
    if not token:
        raise ServeError(403, "read-only server: writes need a server started with a write token "
                              "(ADVISOR_WRITE_TOKEN or --write-token-file)")
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8")):
        why = "missing" if credentials is None else "wrong"
        raise ServeError(401, f"write token {why}: send 'Authorization: Bearer TOKEN'",
                         headers={"WWW-Authenticate": "Bearer"})
