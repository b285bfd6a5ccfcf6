"""Measure an OpenAI-compatible (or any litellm-supported) endpoint and record the result in the
catalog as one single-stream user measurement.

Per run, through litellm's streaming completion (temperature 0, `max_tokens=gen_tokens`,
`stream_options={"include_usage": True}`):

- TTFT = time from sending the request to the first non-empty content delta
  (reasoning deltas count: they are generated tokens too);
- total time = send to end of stream;
- completion and prompt tokens = the usage the SERVER reports. litellm fills in usage itself
  when the server sends none; that is detected (the wrapper's raw chunks carry no usage) and
  the streamed text is then counted with `advisor.tokens.count_tokens` and marked estimated;
- decode tok/s = (completion_tokens - 1) / (t_last_delta - t_first_delta);
- prefill tok/s ~ prompt_tokens / TTFT (TTFT also holds the network round trip and the first
  decode step, so this is a lower bound of the engine's prefill speed).

One warm-up run (not counted), then N runs, each with a prompt that differs from its first
token on (a run number and a random tag), so that no engine can reuse a cached prefix.
Medians are reported with min and max.

The API key is read from the environment variable named by the caller and is never written
anywhere: not in the source citation, the notes, the JSON or an error message.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from advisor.errors import AdvisorError, InputError

_FILLER = (
    "The history of measurement is the history of agreeing on units. Merchants weighed grain "
    "against stones, builders counted cubits, and sailors timed knots on a rope with a sandglass. "
    "Each of these methods worked because everyone involved used the same reference, and each "
    "failed when goods or ships crossed into a region with another reference. "
)


class MeasureError(AdvisorError):
    """The endpoint could not be measured (timeout, refused, HTTP error, malformed stream)."""


# --------------------------------------------------------------------------- arithmetic


@dataclass
class RunStats:
    """One streamed completion, timed. Times are seconds from sending the request."""

    ttft_s: float | None
    last_s: float | None
    total_s: float
    prompt_tokens: int | None
    completion_tokens: int | None
    tokens_estimated: bool
    text: str = ""

    @property
    def decode_tok_s(self) -> float | None:
        if (self.completion_tokens is None or self.completion_tokens < 2 or self.ttft_s is None
                or self.last_s is None or self.last_s <= self.ttft_s):
            return None
        return (self.completion_tokens - 1) / (self.last_s - self.ttft_s)

    @property
    def prefill_tok_s(self) -> float | None:
        if not self.prompt_tokens or not self.ttft_s or self.ttft_s <= 0:
            return None
        return self.prompt_tokens / self.ttft_s


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def chunk_text(chunk: Any) -> str:
    """The generated text of one stream chunk (content, else reasoning content)."""
    choices = _get(chunk, "choices") or []
    out = []
    for ch in choices:
        delta = _get(ch, "delta")
        for key in ("content", "reasoning_content"):
            v = _get(delta, key)
            if isinstance(v, str) and v:
                out.append(v)
        text = _get(ch, "text")  # text-completion chunks
        if isinstance(text, str) and text:
            out.append(text)
    return "".join(out)


def _usage_of(u: Any) -> tuple[int | None, int | None]:
    def as_int(v: Any) -> int | None:
        try:
            return int(v) if v is not None else None
        except (TypeError, ValueError):
            return None

    return as_int(_get(u, "prompt_tokens")), as_int(_get(u, "completion_tokens"))


def consume_stream(
    stream: Iterable[Any],
    t0: float,
    clock: Callable[[], float] = time.perf_counter,
    count: Callable[[str], int] | None = None,
    reported_usage: Callable[[], Any] | None = None,
) -> RunStats:
    """Time a stream of chunks. `t0` is the clock value when the request was sent.

    `reported_usage()` (called after the stream ends) returns the usage the server reported,
    or None; without it, the last usage seen on a chunk is taken as reported. When no usage
    was reported, the completion tokens are estimated: `count(text)` when it returns a number
    (an exact tokenizer), else the number of non-empty deltas."""
    first = last = None
    parts: list[str] = []
    usage_seen = None
    n = 0
    for chunk in stream:
        now = clock() - t0
        text = chunk_text(chunk)
        if text:
            n += 1
            if first is None:
                first = now
            last = now
            parts.append(text)
        u = _get(chunk, "usage")
        if u is not None:
            usage_seen = u
    total = clock() - t0
    text = "".join(parts)
    usage = reported_usage() if reported_usage is not None else usage_seen
    prompt_tokens, completion_tokens = _usage_of(usage) if usage is not None else (None, None)
    estimated = False
    if not completion_tokens:
        # no usage from the server: an exact tokenizer count if `count` has one, else one
        # token per non-empty streamed delta (what llama.cpp, vLLM and Ollama send)
        estimated = True
        counted = count(text) if (count is not None and text) else None
        completion_tokens = counted if counted else (n or None)
    return RunStats(ttft_s=first, last_s=last, total_s=total,
                    prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                    tokens_estimated=estimated, text=text)


def _median(xs: list[float]) -> float | None:
    return float(statistics.median(xs)) if xs else None


def summarize(runs: list[RunStats]) -> dict[str, Any]:
    """Medians with min and max of TTFT, decode and prefill speed; median tokens and time."""
    ttft = [r.ttft_s * 1000 for r in runs if r.ttft_s is not None]
    dec = [d for r in runs if (d := r.decode_tok_s) is not None]
    pre = [p for r in runs if (p := r.prefill_tok_s) is not None]
    ptoks = [r.prompt_tokens for r in runs if r.prompt_tokens is not None]
    ctoks = [r.completion_tokens for r in runs if r.completion_tokens is not None]

    def rnd(x: float | None, nd: int = 2) -> float | None:
        return None if x is None else round(x, nd)

    return {
        "runs": len(runs),
        "ttft_ms": rnd(_median(ttft), 1), "ttft_ms_min": rnd(min(ttft), 1) if ttft else None,
        "ttft_ms_max": rnd(max(ttft), 1) if ttft else None,
        "decode_tok_s": rnd(_median(dec)), "decode_tok_s_min": rnd(min(dec)) if dec else None,
        "decode_tok_s_max": rnd(max(dec)) if dec else None,
        "prefill_tok_s": rnd(_median(pre)), "prefill_tok_s_min": rnd(min(pre)) if pre else None,
        "prefill_tok_s_max": rnd(max(pre)) if pre else None,
        "prompt_tokens": int(statistics.median(ptoks)) if ptoks else None,
        "completion_tokens": int(statistics.median(ctoks)) if ctoks else None,
        "tokens_estimated": any(r.tokens_estimated for r in runs),
        "total_s": rnd(_median([r.total_s for r in runs]), 3),
    }


# --------------------------------------------------------------------------- prompts, names


def _count_tokens(text: str, model: str | None) -> tuple[int, bool]:
    """(tokens, exact) with advisor.tokens when present, else len/4."""
    try:
        from advisor.tokens import count_tokens

        c = count_tokens(text, model)
        return int(c.tokens), bool(c.exact)
    except Exception:  # noqa: BLE001 - a missing or failing tokenizer falls back to chars/4
        return math.ceil(len(text) / 4), False


def build_prompt(n_tokens: int, model: str | None = None, run: int = 0) -> str:
    """A prompt of about `n_tokens` tokens (counted with advisor.tokens) that starts with a
    run-specific tag, so that consecutive runs share no cached prefix."""
    head = f"[run {run} {secrets.token_hex(4)}] Summarise the following text in one sentence.\n"
    text = head
    while _count_tokens(text, model)[0] < n_tokens:
        text += _FILLER
    # trim whole words back towards the target
    words = text.split(" ")
    lo, hi = len(head.split(" ")), len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if _count_tokens(" ".join(words[:mid]), model)[0] >= n_tokens:
            hi = mid
        else:
            lo = mid + 1
    return " ".join(words[:max(lo, len(head.split(" ")))])


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
    return model[len("openai/"):] if model.startswith("openai/") else model


def guess_engine(api_base: str, api_key: str | None, timeout: float = 3.0) -> str | None:
    """The engine behind an OpenAI-compatible server from `/models` `owned_by`, else None."""
    import json
    import urllib.request

    url = api_base.rstrip("/") + "/models"
    req = urllib.request.Request(url)
    if api_key:
        req.add_header("Authorization", f"Bearer {api_key}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - user's endpoint
            data = json.loads(resp.read(200_000))
    except Exception:  # noqa: BLE001
        return None
    owners = {str(m.get("owned_by", "")).lower() for m in data.get("data", []) if isinstance(m, dict)}
    for owner, engine in (("vllm", "vllm"), ("llamacpp", "llama.cpp"), ("sglang", "sglang"),
                          ("library", "ollama"), ("ollama", "ollama"), ("me", "llama-cpp-python")):
        if owner in owners:
            return engine
    return None


# --------------------------------------------------------------------------- measuring


@dataclass
class MeasureConfig:
    model: str
    api_base: str
    api_key: str | None = None
    runs: int = 3
    prompt_tokens: int = 512
    gen_tokens: int = 128
    timeout: float = 120.0
    warmup: bool = True


@dataclass
class MeasureResult:
    config: MeasureConfig
    runs: list[RunStats]
    summary: dict[str, Any]
    started_at: str
    notes: list[str] = field(default_factory=list)


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
    if "timeout" in low or "timed out" in low:
        return f"{where}: timed out after {cfg.timeout:g} s ({text})"
    if phase == "stream" or "expecting" in low or "json" in low:
        return f"{where}: malformed or interrupted stream ({text})"
    if "connectionerror" in name.lower() or "connection error" in low or "refused" in low:
        return f"{where}: cannot connect ({text})"
    if isinstance(status, int) and status >= 400:
        return f"{where}: HTTP {status} ({text})"
    if isinstance(status, int) and status >= 400:
        return f"{where}: HTTP {status} ({text})"
    return f"{where}: request failed ({name}: {text})"


def measure_endpoint(cfg: MeasureConfig, progress: Callable[[int, int, RunStats | None], None] | None = None) -> MeasureResult:
    """Warm up once, then time `cfg.runs` streamed completions. Raises MeasureError."""
    from advisor.config import setup_offline

    if cfg.runs < 1:
        raise InputError("--runs must be at least 1")
    if cfg.gen_tokens < 2:
        raise InputError("--gen-tokens must be at least 2 (decode speed needs two tokens)")
    if cfg.prompt_tokens < 1:
        raise InputError("--prompt-tokens must be at least 1")
    setup_offline()
    import litellm  # lazy: 2-3 s to import

    if hasattr(litellm, "disable_hf_tokenizer_download"):
        litellm.disable_hf_tokenizer_download = True
    litellm.suppress_debug_info = True
    try:
        litellm.telemetry = False
    except Exception:  # noqa: BLE001
        pass
    lmodel = litellm_model(cfg.model, getattr(litellm, "provider_list", None))
    name = served_name(cfg.model)

    def count(text: str) -> int | None:
        n, exact = _count_tokens(text, name)
        return n if exact else None

    def one(run: int) -> RunStats:
        prompt = build_prompt(cfg.prompt_tokens, name, run)
        kwargs: dict[str, Any] = dict(
            model=lmodel, messages=[{"role": "user", "content": prompt}], api_base=cfg.api_base,
            api_key=cfg.api_key or "sk-no-key", max_tokens=cfg.gen_tokens, temperature=0,
            stream=True, stream_options={"include_usage": True}, timeout=cfg.timeout,
            max_retries=0, num_retries=0,
        )
        t0 = time.perf_counter()
        phase = "connect"
        try:
            stream = litellm.completion(**kwargs)
            phase = "stream"

            def reported() -> Any:
                chunks = getattr(stream, "chunks", None)
                if chunks is None:
                    return None
                found = None
                for ch in chunks:
                    u = _get(ch, "usage")
                    if u is not None:
                        found = u
                return found

            has_raw = hasattr(stream, "chunks")
            stats = consume_stream(stream, t0, count=count, reported_usage=reported if has_raw else None)
        except MeasureError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes one clear line
            raise MeasureError(_error_message(exc, cfg, phase)) from None
        if stats.prompt_tokens is None:
            stats.prompt_tokens = _count_tokens(prompt, name)[0]  # no usage reported: an estimate
            stats.tokens_estimated = True
        if stats.tokens_estimated and stats.completion_tokens:
            stats.completion_tokens = min(stats.completion_tokens, cfg.gen_tokens)
        if stats.ttft_s is None:
            raise MeasureError(f"{redact_url(cfg.api_base)}: malformed stream: no generated text in the response")
        return stats

    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    total = cfg.runs + (1 if cfg.warmup else 0)
    runs: list[RunStats] = []
    if cfg.warmup:
        stats = one(0)
        if progress:
            progress(1, total, None)
    for i in range(1, cfg.runs + 1):
        stats = one(i)
        runs.append(stats)
        if progress:
            progress(i + (1 if cfg.warmup else 0), total, stats)
    summary = summarize(runs)
    notes = [f"median of {len(runs)} runs after 1 warm-up" if cfg.warmup else f"median of {len(runs)} runs"]
    if summary["tokens_estimated"]:
        notes.append("token counts ESTIMATED (the server reported no usage): completion = streamed deltas "
                     "or an exact tokenizer count, prompt = advisor.tokens count of the prompt text")
    notes.append("prefill tok/s = prompt tokens / TTFT (includes network and the first decode step)")
    return MeasureResult(cfg, runs, summary, started, notes)


# --------------------------------------------------------------------------- recording


@dataclass
class Target:
    """The catalog rows a measurement is recorded against (canonical names)."""

    model: str | None
    hardware: str
    n_devices: int
    quant: str | None
    engine: str | None
    hardware_note: str | None = None


def measurement_row(result: MeasureResult, target: Target) -> dict[str, str]:
    """The seed-format measurements row for a measured endpoint (validated by import_rows)."""
    s = result.summary
    cfg = result.config
    date = result.started_at[:10]
    engine = target.engine or "unknown"
    citation = (f"advisor measure, {result.started_at}: endpoint {redact_url(cfg.api_base)} "
                f"(served model {served_name(cfg.model)}, engine {engine})")
    notes = list(result.notes)
    if s.get("ttft_ms_min") is not None:
        notes.append(f"ttft_ms min {s['ttft_ms_min']} max {s['ttft_ms_max']}")
    if s.get("decode_tok_s_min") is not None:
        notes.append(f"decode_tok_s min {s['decode_tok_s_min']} max {s['decode_tok_s_max']}")
    notes.append(f"requested {cfg.prompt_tokens} prompt / {cfg.gen_tokens} generated tokens; measured on {date}")
    if target.hardware_note:
        notes.append(target.hardware_note)

    def fmt(x: Any) -> str:
        return "" if x is None else str(x)

    return {
        "model": target.model or "", "quant": target.quant or "", "engine": engine,
        "engine_version": "", "hardware": target.hardware, "n_devices": str(target.n_devices),
        "split": "none" if target.n_devices == 1 else "unknown", "batch_size": "1",
        "concurrency": "1", "measure_kind": "single_stream",
        "prompt_tokens": fmt(s.get("prompt_tokens")), "gen_tokens": fmt(s.get("completion_tokens")),
        "context_depth": "0", "prefill_tok_s": fmt(s.get("prefill_tok_s")),
        "decode_tok_s": fmt(s.get("decode_tok_s")), "ttft_ms": fmt(s.get("ttft_ms")),
        "memory_gb": "", "backend": "", "threads": "", "quality": "normal",
        "source": citation, "notes": "; ".join(notes),
    }


def record(cat: Any, result: MeasureResult, target: Target) -> int:
    """Write the measurement (one transaction via import_rows); returns its id."""
    from sqlalchemy import func, select

    from advisor.catalog import orm
    from advisor.catalog.db import read_session
    from advisor.catalog.importer import import_rows
    from advisor.catalog.rows import SPEC_BY_FILE

    row = measurement_row(result, target)
    import_rows(cat.engine, SPEC_BY_FILE["measurements.csv"], [(1, row)], "advisor measure")
    with read_session(cat.engine) as s:
        src = s.execute(select(orm.Source.id).where(orm.Source.citation == row["source"])).scalar()
        q = select(func.max(orm.Measurement.id)).where(orm.Measurement.origin == orm.USER)
        if src is not None:
            q = q.where(orm.Measurement.source_id == src)
        return int(s.execute(q).scalar() or 0)


def register_detected_hardware(cat: Any, detection: Any) -> str:
    """A detected machine the catalog does not know becomes a user hardware row (its
    bandwidth flagged as a measured estimate). Returns the catalog name."""
    from advisor.catalog.importer import import_rows
    from advisor.catalog.rows import SPEC_BY_FILE

    spec = detection.spec
    found = cat.find_hardware(spec.name or "")
    if found is not None:
        return found.name
    notes = "; ".join(detection.notes) or "detected by advisor"

    def fmt(x: Any) -> str:
        return "" if x is None else str(x)

    row = {
        "name": spec.name or "detected machine", "vendor": spec.vendor or "", "kind": spec.kind or "cpu",
        "memory_gb": fmt(spec.memory_gb), "mem_bandwidth_gbs": fmt(spec.mem_bandwidth_gbs),
        "fp16_tflops": fmt(spec.fp16_tflops), "int8_tops": "", "fp16_nontensor_tflops": "",
        "fp32_tflops": fmt(spec.fp32_tflops), "tdp_w": "",
        "source": f"advisor hardware detection on this machine ({datetime.now(timezone.utc).date()})",
        "notes": notes,
    }
    import_rows(cat.engine, SPEC_BY_FILE["hardware.csv"], [(1, row)], "detected hardware")
    return row["name"]


def api_key_from_env(var: str | None) -> str | None:
    if not var:
        return None
    value = os.environ.get(var)
    if value is None:
        raise InputError(f"--api-key-env: environment variable {var} is not set")
    return value
