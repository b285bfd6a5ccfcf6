"""Ask a running server about the model it serves, before (or instead of) timing it.

Probes, in this order, each with a timeout: `GET /v1/models` (every OpenAI-compatible server;
`owned_by` names llama.cpp, vLLM, Ollama or llama-cpp-python, and llama.cpp adds `meta`), then
llama.cpp's `GET /props`, then, unless the server is already known to be another kind, Ollama's
`GET /api/tags` and `POST /api/show`. A probe that gets an HTTP error (404: not that kind of
server; 401: a key is needed) or a body that is not JSON is passed over and listed in
`details["unanswered"]`; when the server cannot be reached at all, probing stops and
`details["error"]` says why in one line. The JSON is turned into facts by
`advisor.catalog.model_files.endpoint` (pure functions, documented field by field there).
Only the standard library is used (no litellm)."""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from advisor.catalog.model_files.endpoint import (
    ServerFacts, ollama_tag, parse_llamacpp_props, parse_ollama_show, parse_openai_models)
from advisor.errors import InputError
from advisor.measure.endpoint import redact_url

MAX_BODY = 8_000_000  # bytes read of one answer (a /props holds the chat template)
_PREFIXES = ("openai/", "ollama/", "ollama_chat/", "hosted_vllm/")


class Unreachable(Exception):
    """No connection to the server (refused, timed out, unknown host)."""


def server_root(api_base: str) -> str:
    """The server's root URL: the OpenAI-style base without a trailing `/v1` (llama.cpp's
    `/props` and Ollama's `/api/*` live at the root)."""
    root = api_base.strip().rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


def bare_model_name(model: str | None) -> str | None:
    """The served name without a litellm provider prefix (`ollama/llama3.2` -> `llama3.2`)."""
    if not model:
        return None
    for prefix in _PREFIXES:
        if model.startswith(prefix):
            return model[len(prefix):]
    return model


def request_json(url: str, method: str = "GET", body: Any = None, api_key: str | None = None,
                 timeout: float = 3.0) -> Any:
    """The JSON answer of one request. An HTTP error or a body that is not JSON raises
    `LookupError` (with the status); no connection raises `Unreachable`."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Accept": "application/json"})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if api_key:
        req.add_header("Authorization", f"Bearer {api_key}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the user's endpoint
            raw = resp.read(MAX_BODY)
    except urllib.error.HTTPError as exc:
        raise LookupError(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise Unreachable(str(getattr(exc, "reason", exc))) from None
    except (TimeoutError, socket.timeout) as exc:
        raise Unreachable(f"timed out after {timeout:g} s ({exc})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise LookupError(f"{type(exc).__name__}: {exc}") from None  # reset mid-answer: this probe only
    from advisor.safeio import decode_utf8, loads

    try:
        return loads(decode_utf8(raw, url), url)  # the one decoding path: UTF-8, nesting, finite numbers
    except InputError as exc:
        raise LookupError(f"not JSON: {exc}") from None


Ask = Callable[[str, str, Any], Any]


def _probe(ask: Ask, missed: list[str], method: str, path: str, body: Any = None) -> Any:
    """One probe's JSON, or None (noted in `missed`) when this server does not answer it."""
    try:
        return ask(method, path, body)
    except LookupError as exc:
        missed.append(f"{method} {path}: {exc}")
        return None


def _ollama(ask: Ask, missed: list[str], model: str | None) -> ServerFacts:
    """Ollama's answers: the model's `/api/tags` entry, then `/api/show` of it."""
    tags = _probe(ask, missed, "GET", "/api/tags")
    if not isinstance(tags, dict) or "models" not in tags:
        return ServerFacts()
    tag = ollama_tag(tags, model)
    name = str(tag.get("name") or tag.get("model")) if tag else model
    if not name:
        names = [str(m.get("name")) for m in tags.get("models", []) if isinstance(m, dict)]
        return ServerFacts(kind="ollama", details={"models": names}, answered=("GET /api/tags",))
    show = _probe(ask, missed, "POST", "/api/show", {"model": name})
    if show is None:
        return ServerFacts(kind="ollama", model_id=name, answered=("GET /api/tags",))
    return parse_ollama_show(show, name, tag if tag is not None else {})


def introspect_endpoint(api_base: str, model: str | None = None, api_key: str | None = None,
                        timeout: float = 3.0) -> ServerFacts:
    """What the server at `api_base` says about the model it serves (`model`: the served name,
    needed only when it serves several). Never raises for a server that does not answer: the
    result's `kind` is then None and `details["error"]` says why."""
    root = server_root(api_base)
    name = bare_model_name(model)
    missed: list[str] = []

    def ask(method: str, path: str, body: Any = None) -> Any:
        return request_json(root + path, method, body, api_key, timeout)

    result = ServerFacts()
    try:
        models = _probe(ask, missed, "GET", "/v1/models")
        if models is not None:
            result = parse_openai_models(models, name)
        props = _probe(ask, missed, "GET", "/props")
        if props is not None:
            result = result.merged(parse_llamacpp_props(props))
        if result.kind in (None, "ollama", "openai-compatible"):
            result = result.merged(_ollama(ask, missed, name or result.model_id))
    except Unreachable as exc:
        error = f"{redact_url(api_base)}: cannot connect ({exc})"
        return result.merged(ServerFacts(details={"error": error, "unanswered": missed}))
    return result.merged(ServerFacts(details={"unanswered": missed})).with_context_note()
