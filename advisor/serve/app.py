"""The application: FastAPI with strict JSON in and out, every error as JSON, a body-size
limit, a whole-request time limit, and the recommend, predict, catalog and prompts routes."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Depends, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advisor import __version__
from advisor.serve import errors
from advisor.serve.context import Served, served
from advisor.serve.gate import CatalogGate, Runner
from advisor.serve.models import Health
from advisor.serve.settings import ServeSettings

DESCRIPTION = """The model-selection advisor over HTTP: the same answers as `advisor recommend
--json`, `advisor predict`, `advisor catalog` and `advisor prompts`, from the same pydantic models
(`advisor schema`). Errors are JSON (`ErrorBody`). Writes need `Authorization: Bearer TOKEN`."""


class TimeLimit:
    """A request not answered within `limit_s` (a body sent slowly, a call stuck in the queue)
    gets 408 while nothing was sent yet."""

    def __init__(self, app: ASGIApp, limit_s: float) -> None:
        self.app, self.limit_s = app, limit_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, receive, tracked), self.limit_s)
        except TimeoutError:
            if not started:
                response = errors.error_response(408, f"request not completed within the limit of {self.limit_s:g} s")
                await response(scope, receive, send)


class BodyLimit:
    """413 for a body over `limit` bytes: at once from Content-Length, else while it streams."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await errors.error_response(413, self.message())(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise errors.ServeError(413, self.message())
            return message

        await self.app(scope, counted, send)

    def message(self) -> str:
        return f"body larger than the limit of {self.limit:,} bytes"


def create_app(settings: ServeSettings, gate: CatalogGate | None = None) -> FastAPI:
    """The ASGI application for `settings` (its catalog gate: warmed by the caller, or on the
    first request)."""
    from advisor.serve import routes_catalog, routes_prompts, routes_recommend

    app = FastAPI(title="advisor", version=__version__, description=DESCRIPTION,
                  default_response_class=errors.StrictJSONResponse)
    app.state.settings = settings
    app.state.served = Served(settings, gate or CatalogGate(settings.db_url),
                              Runner(settings.workers, settings.max_queue, settings.timeout_s))
    errors.install(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(TimeLimit, limit_s=settings.timeout_s + 5)

    @app.get("/v1/health", response_model=Health, tags=["server"], responses=errors.documented_errors())
    async def health(s: Served = Depends(served)) -> Any:
        """Liveness, the catalog's database kind and version, whether writes are accepted."""
        cat = await s.runner.run(s.gate.catalog)
        return {"version": __version__, "database": cat.engine.dialect.name, "writable": settings.writable,
                "catalog_version": s.gate.warm_version}

    for module in (routes_recommend, routes_catalog, routes_prompts):
        app.include_router(module.router)
    return app
