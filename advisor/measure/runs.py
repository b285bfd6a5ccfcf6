"""A measurement: one warm-up run (not counted), then N timed runs, summarised as medians with
min and max, with notes saying how the figures were obtained."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from advisor.errors import InputError
from advisor.measure.request import MeasureConfig, load_litellm, time_request
from advisor.measure.stream import RunStats

Progress = Callable[[int, int, RunStats | None], None]


@dataclass
class MeasureResult:
    """The timed runs of one measurement, their summary and notes."""

    config: MeasureConfig
    runs: list[RunStats]
    summary: dict[str, Any]
    started_at: str
    notes: list[str] = field(default_factory=list)


def _median(xs: list[float]) -> float | None:
    """The median of `xs`, None when empty."""
    return float(statistics.median(xs)) if xs else None


def _rnd(x: float | None, nd: int = 2) -> float | None:
    """`x` rounded to `nd` places; None stays None."""
    return None if x is None else round(x, nd)


def _spread(name: str, xs: list[float], nd: int) -> dict[str, float | None]:
    """`name`, `name_min`, `name_max`: the median, min and max of `xs`, rounded."""
    return {name: _rnd(_median(xs), nd), f"{name}_min": _rnd(min(xs), nd) if xs else None,
            f"{name}_max": _rnd(max(xs), nd) if xs else None}


def summarize(runs: list[RunStats]) -> dict[str, Any]:
    """Medians with min and max of TTFT, decode and prefill speed; median tokens and time."""
    ttft = [r.ttft_s * 1000 for r in runs if r.ttft_s is not None]
    dec = [d for r in runs if (d := r.decode_tok_s) is not None]
    pre = [p for r in runs if (p := r.prefill_tok_s) is not None]
    ptoks = [r.prompt_tokens for r in runs if r.prompt_tokens is not None]
    ctoks = [r.completion_tokens for r in runs if r.completion_tokens is not None]
    return {
        "runs": len(runs), **_spread("ttft_ms", ttft, 1), **_spread("decode_tok_s", dec, 2),
        **_spread("prefill_tok_s", pre, 2),
        "prompt_tokens": int(statistics.median(ptoks)) if ptoks else None,
        "completion_tokens": int(statistics.median(ctoks)) if ctoks else None,
        "tokens_estimated": any(r.tokens_estimated for r in runs),
        "total_s": _rnd(_median([r.total_s for r in runs]), 3),
    }


def check_config(cfg: MeasureConfig) -> None:
    """InputError naming the option when the workload cannot be measured."""
    if cfg.runs < 1:
        raise InputError("--runs must be at least 1")
    if cfg.gen_tokens < 2:
        raise InputError("--gen-tokens must be at least 2 (decode speed needs two tokens)")
    if cfg.prompt_tokens < 1:
        raise InputError("--prompt-tokens must be at least 1")


def _notes(cfg: MeasureConfig, summary: dict[str, Any]) -> list[str]:
    """How the figures were obtained: runs, warm-up, estimated tokens, what prefill means."""
    n = summary["runs"]
    notes = [f"median of {n} runs after 1 warm-up" if cfg.warmup else f"median of {n} runs"]
    if summary["tokens_estimated"]:
        notes.append("token counts ESTIMATED (the server reported no usage): completion = streamed deltas "
                     "or an exact tokenizer count, prompt = advisor.tokens count of the prompt text")
    notes.append("prefill tok/s = prompt tokens / TTFT (includes network and the first decode step)")
    return notes


def measure_endpoint(cfg: MeasureConfig, progress: Progress | None = None) -> MeasureResult:
    """Warm up once, then time `cfg.runs` streamed completions. Raises MeasureError."""
    check_config(cfg)
    litellm = load_litellm()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    warm = 1 if cfg.warmup else 0
    total = cfg.runs + warm
    if cfg.warmup:
        time_request(litellm, cfg, 0)
        if progress:
            progress(1, total, None)
    runs: list[RunStats] = []
    for i in range(1, cfg.runs + 1):
        stats = time_request(litellm, cfg, i)
        runs.append(stats)
        if progress:
            progress(i + warm, total, stats)
    summary = summarize(runs)
    return MeasureResult(cfg, runs, summary, started, _notes(cfg, summary))
