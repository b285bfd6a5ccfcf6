"""Every error as JSON (`ErrorBody`: status, one line, the fields at fault) with the right
status: 400 a body that is not strict JSON, 401/403 a write without the token, 404 an unknown
name or route, 413 a body over the limit, 422 input that does not fit the model or that the
library refuses (`AdvisorError`), 503 over the time limit, too busy or the database unreachable. A 500 is only for a bug,
and its body says so without a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from advisor.errors import AdvisorError, CatalogUnavailableError
from advisor.safeio import dumps

log = logging.getLogger("advisor.serve")
ERROR_STATUSES = (400, 401, 403, 404, 413, 422, 503)


class ServeError(StarletteHTTPException):
    """An answer other than 2xx, with its one-line message (and headers, e.g. Retry-After)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None,
                 details: list[dict[str, str]] | None = None) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.details = details or []


class StrictJSONResponse(JSONResponse):
    """JSON answers without NaN/Infinity (strict parsers reject them); unknown is null."""

    def render(self, content: Any) -> bytes:
        return dumps(content, separators=(",", ":")).encode("utf-8")


def error_response(status: int, message: str, details: list[dict[str, str]] | None = None,
                   headers: dict[str, str] | None = None) -> StrictJSONResponse:
    body = {"status": status, "error": message, "details": details or []}
    return StrictJSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    return ".".join(parts[1:] if parts[:1] == ["body"] else parts)


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """FastAPI/pydantic errors as (field, message) pairs."""
    return [{"field": _field(tuple(e.get("loc", ()))), "message": str(e.get("msg", "invalid"))} for e in errors]


async def _on_validation(request: Request, exc: RequestValidationError) -> StrictJSONResponse:
    details = validation_details(list(exc.errors()))
    first = details[0] if details else {"field": "", "message": "invalid"}
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    where = first["field"] or "body"
    if first["message"] == "Field required" and not first["field"]:
        return error_response(422, "body: a JSON body is required (Content-Type: application/json)", details)
    return error_response(422, f"invalid: {where}: {first['message']}{more}", details)


async def _on_http(request: Request, exc: StarletteHTTPException) -> StrictJSONResponse:
    message = str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"no such endpoint: {request.url.path} (see /openapi.json)"
    elif exc.status_code == 405:
        message = f"method {request.method} not allowed on {request.url.path}"
    return error_response(exc.status_code, message, getattr(exc, "details", None), dict(exc.headers or {}))


async def _on_advisor(request: Request, exc: AdvisorError) -> StrictJSONResponse:
    return error_response(422, str(exc))


async def _on_database(request: Request, exc: Exception) -> StrictJSONResponse:
    log.warning("catalog database unavailable: %s", exc)
    return error_response(503, f"the catalog database is unavailable ({type(exc).__name__}); try again",
                          headers={"Retry-After": "5"})


async def _on_bug(request: Request, exc: Exception) -> StrictJSONResponse:
    log.exception("internal error on %s %s", request.method, request.url.path)
    return error_response(500, f"internal error ({type(exc).__name__}); this is a bug of advisor serve, not of the request")


def install(app: FastAPI) -> None:
    """The handlers above, on `app`."""
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(AdvisorError, _on_advisor)  # type: ignore[arg-type]
    app.add_exception_handler(CatalogUnavailableError, _on_database)
    from sqlalchemy.exc import OperationalError

    app.add_exception_handler(OperationalError, _on_database)
    app.add_exception_handler(Exception, _on_bug)


def documented_errors() -> dict[int | str, dict[str, Any]]:
    """The error answers, for the OpenAPI document of every route."""
    from advisor.serve.models import ErrorBody

    return {status: {"model": ErrorBody, "description": "error (JSON)"} for status in ERROR_STATUSES}
