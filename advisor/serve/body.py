"""Strict JSON request bodies: UTF-8 (the byte offset of a bad byte named), nesting depth
bounded, no NaN/Infinity, numbers of bounded size and finite. A body that breaks these is a
400 naming what is wrong; a body that parses but does not fit the model is a 422 (FastAPI's
validation, `advisor.serve.errors`).

(The CLI's readers get the same rules from the decoding path of issue 19, item 1; once it is
merged, `decode_json` should call it instead of keeping its own copy.)"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from advisor.serve.errors import ServeError

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 50


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number (strict JSON: give null for unknown)")


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} characters (at most {MAX_NUMBER_CHARS})")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} characters (at most {MAX_NUMBER_CHARS})")
    return int(text)


def _too_deep(text: str) -> int | None:
    """The offset where brackets (outside strings) nest deeper than MAX_DEPTH, else None."""
    depth, in_str, esc = 0, False, False
    for i, ch in enumerate(text):
        if in_str:
            esc, in_str = (False, True) if esc else (ch == "\\", ch != '"')
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return i
        elif ch in "]}":
            depth -= 1
    return None


def decode_json(data: bytes) -> Any:
    """The JSON value of a request body, or a 400 `ServeError` saying where it is wrong."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ServeError(400, f"body: not UTF-8 at byte {exc.start}: {exc.reason}") from None
    text = text.removeprefix("\ufeff")
    if text.count("[") + text.count("{") > MAX_DEPTH:
        at = _too_deep(text)
        if at is not None:
            raise ServeError(400, f"body: JSON nested deeper than {MAX_DEPTH} levels (at byte {len(text[:at].encode())})")
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise ServeError(400, f"body: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise ServeError(400, f"body: not valid JSON: {exc}") from None


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
