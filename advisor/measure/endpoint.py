"""Names of an endpoint and of the model it serves: the URL without secrets, the model name
litellm routes by, the name the server knows, and the engine behind an OpenAI-compatible server."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

_OWNERS = (("vllm", "vllm"), ("llamacpp", "llama.cpp"), ("sglang", "sglang"),
           ("library", "ollama"), ("ollama", "ollama"), ("me", "llama-cpp-python"))


def redact_url(url: str) -> str:
    """The URL without user:password and without query parameters (keys hide there)."""
    try:
        p = urlsplit(url)
        host = p.hostname or ""
        if p.port:
            host = f"{host}:{p.port}"
        return urlunsplit((p.scheme, host, p.path, "", ""))
    except ValueError:
        return re.sub(r"//[^@/]*@", "//", url).split("?")[0]


def litellm_model(model: str, providers: Iterable[str] | None = None) -> str:
    """`openai/<name>` for an OpenAI-compatible server unless `model` names a litellm provider."""
    prefix = model.split("/", 1)[0] if "/" in model else ""
    if prefix and providers is not None and prefix in set(providers):
        return model
    return f"openai/{model}"


def served_name(model: str) -> str:
    """The model name as the server knows it (without litellm's `openai/` prefix)."""
    return model[len("openai/"):] if model.startswith("openai/") else model


def guess_engine(api_base: str, api_key: str | None, timeout: float = 3.0) -> str | None:
    """The engine behind an OpenAI-compatible server from `/models` `owned_by`, else None."""
    import urllib.request

    from advisor.safeio import decode_utf8, loads

    url = api_base.rstrip("/") + "/models"
    req = urllib.request.Request(url)
    if api_key:
        req.add_header("Authorization", f"Bearer {api_key}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - user's endpoint
            data = loads(decode_utf8(resp.read(200_000), url), url)  # the one decoding path
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(data, dict) or not isinstance(data.get("data", []), list):
        return None
    owners = {str(m.get("owned_by", "")).lower() for m in data.get("data", []) if isinstance(m, dict)}
    for owner, engine in _OWNERS:
        if owner in owners:
            return engine
    return None
