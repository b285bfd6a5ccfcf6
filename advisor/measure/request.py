"""One timed request: a streamed litellm completion of a fresh prompt, its failures turned
into one clear line that never holds the API key."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from advisor.errors import AdvisorError
from advisor.measure.endpoint import litellm_model, redact_url, served_name
from advisor.measure.prompt import build_prompt, count_text_tokens, exact_count
from advisor.measure.stream import RunStats, StreamTimeout, bounded, consume_stream, last_usage


# how servers say a request is longer than their context: llama.cpp (exceed_context_size_error,
# "exceeds the available context size"), llama-cpp-python ("exceed context window"), vLLM and
# OpenAI ("maximum context length"), TGI ("must be <= ... max_total_tokens")
_CONTEXT_ERROR = re.compile(r"exceed\w*[\s_]+(?:the\s+)?(?:available\s+)?context|context[\s_]+(?:window|length|size)"
                            r"[^.]*exceed|maximum context length|max_total_tokens|context_length_exceeded")


class MeasureError(AdvisorError):
    """The endpoint could not be measured (timeout, refused, HTTP error, malformed stream)."""


@dataclass
class MeasureConfig:
    """The endpoint, its key and the workload of each run."""

    model: str
    api_base: str
    api_key: str | None = None
    runs: int = 3
    prompt_tokens: int = 512
    gen_tokens: int = 128
    timeout: float = 120.0
    warmup: bool = True


def _error_message(exc: BaseException, cfg: MeasureConfig, phase: str = "connect") -> str:
    """One line for any failure; `phase` is "connect" (before the stream) or "stream"."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else name
    text = text.split(" Original exception:")[0]
    for _ in range(4):  # litellm chains "litellm.APIConnectionError: APIConnectionError: OpenAIException - ..."
        text = re.sub(r"^(litellm\.)?\w+(Error|Exception)(: | - )", "", text)
    if cfg.api_key:
        text = text.replace(cfg.api_key, "***")
    if len(text) > 160:
        text = text[:157] + "..."
    where = redact_url(cfg.api_base)
    low = (name + " " + text).lower()
    if _CONTEXT_ERROR.search(low):
        return (f"{where}: the prompt did not fit the server's context ({text}); lower --prompt-tokens "
                f"(now {cfg.prompt_tokens}) or --gen-tokens (now {cfg.gen_tokens}), or give the server more context")
    if "timeout" in low or "timed out" in low:
        return f"{where}: timed out after {cfg.timeout:g} s ({text})"
    if phase == "stream" or "expecting" in low or "json" in low:
        return f"{where}: malformed or interrupted stream ({text})"
    if "connectionerror" in name.lower() or "connection error" in low or "refused" in low:
        return f"{where}: cannot connect ({text})"
    if isinstance(status, int) and status >= 400:
        return f"{where}: HTTP {status} ({text})"
    return f"{where}: request failed ({name}: {text})"


def load_litellm() -> ModuleType:
    """litellm, imported now (2-3 s) and set up offline, quiet and without telemetry."""
    from advisor.config import setup_offline

    setup_offline()
    import litellm

    if hasattr(litellm, "disable_hf_tokenizer_download"):
        litellm.disable_hf_tokenizer_download = True
    litellm.suppress_debug_info = True
    try:
        litellm.telemetry = False
    except Exception:  # noqa: BLE001
        pass
    return litellm


def _stream_and_time(litellm: ModuleType, cfg: MeasureConfig, prompt: str) -> RunStats:
    """Send `prompt` as a streamed completion and time it; MeasureError on any failure."""
    name = served_name(cfg.model)
    kwargs: dict[str, Any] = dict(
        model=litellm_model(cfg.model, getattr(litellm, "provider_list", None)),
        messages=[{"role": "user", "content": prompt}], api_base=cfg.api_base,
        api_key=cfg.api_key or "sk-no-key", max_tokens=cfg.gen_tokens, temperature=0,
        stream=True, stream_options={"include_usage": True}, timeout=cfg.timeout,
        max_retries=0, num_retries=0,
    )
    t0 = time.perf_counter()
    phase = "connect"
    try:
        stream = litellm.completion(**kwargs)
        phase = "stream"
        # the wrapper's raw chunks hold what the server sent: a usage there is the server's own
        reported = (lambda: last_usage(stream.chunks or [])) if hasattr(stream, "chunks") else None
        # --timeout bounds the whole request, and the stream is left at --gen-tokens deltas
        return consume_stream(bounded(stream, t0, cfg.timeout), t0, count=exact_count(name),
                              reported_usage=reported, max_deltas=cfg.gen_tokens)
    except StreamTimeout as exc:
        raise MeasureError(f"{redact_url(cfg.api_base)}: timed out: {exc} (--timeout)") from None
    except Exception as exc:  # noqa: BLE001 - every failure becomes one clear line
        raise MeasureError(_error_message(exc, cfg, phase)) from None


def time_request(litellm: ModuleType, cfg: MeasureConfig, run: int) -> RunStats:
    """Run number `run` (0 is the warm-up): a fresh prompt, streamed, timed and counted."""
    name = served_name(cfg.model)
    prompt = build_prompt(cfg.prompt_tokens, name, run)
    stats = _stream_and_time(litellm, cfg, prompt)
    if stats.prompt_tokens is None:
        stats.prompt_tokens = count_text_tokens(prompt, name)[0]  # no usage reported: an estimate
        stats.tokens_estimated = True
    if stats.tokens_estimated and stats.completion_tokens:
        stats.completion_tokens = min(stats.completion_tokens, cfg.gen_tokens)
    if stats.ttft_s is None:
        raise MeasureError(_no_text_message(litellm, cfg, stats.prompt_tokens))
    return stats


def _no_text_message(litellm: ModuleType, cfg: MeasureConfig, prompt_tokens: int | None) -> str:
    """Why a run generated nothing: when a short prompt is answered, the long one did not fit
    the server's context (llama-cpp-python, for one, then closes the stream without a word)."""
    where = redact_url(cfg.api_base)
    short = MeasureConfig(cfg.model, cfg.api_base, cfg.api_key, prompt_tokens=8, gen_tokens=4,
                          timeout=cfg.timeout, warmup=False)
    try:
        answered = _stream_and_time(litellm, short, "Say hello.").ttft_s is not None
    except MeasureError:
        answered = False
    if answered:
        size = f"~{prompt_tokens}" if prompt_tokens else str(cfg.prompt_tokens)
        return (f"{where}: no text for a {size}-token prompt + {cfg.gen_tokens} tokens to generate, while a short "
                f"prompt is answered: the prompt did not fit the server's context; lower --prompt-tokens or "
                f"--gen-tokens, or give the server more context")
    return f"{where}: malformed stream: no generated text in the response (nor for a short prompt)"
