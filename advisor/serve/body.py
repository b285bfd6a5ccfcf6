"""Strict JSON request bodies through the CLI's one decoding path (`advisor.safeio`): UTF-8
(the byte offset of a bad byte named), nesting depth bounded, no NaN/Infinity, numbers of
bounded size and finite. A body that breaks these is a 400 naming what is wrong; a body that
parses but does not fit the model is a 422 (FastAPI's validation, `advisor.serve.errors`)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from advisor.errors import InputError
from advisor.safeio import decode_utf8, loads
from advisor.serve.errors import ServeError

MAX_DEPTH = 64


def decode_json(data: bytes) -> Any:
    """The JSON value of a request body, or a 400 `ServeError` saying where it is wrong."""
    try:
        return loads(decode_utf8(data, "body"), "body", max_depth=MAX_DEPTH)
    except InputError as exc:
        raise ServeError(400, str(exc)) from None


class StrictJSONRequest(Request):
    """A request whose `json()` is `decode_json` of its body."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = decode_json(await self.body())
        return self._json


class StrictRoute(APIRoute):
    """Routes that read their JSON body through `StrictJSONRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler
