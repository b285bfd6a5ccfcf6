"""What the importers of a serving engine's own timings share (Ollama, the llama.cpp server):
one request's figures become one single_stream measurement at batch 1. Their answers name
the model as it is served (an Ollama tag, a GGUF path or an alias) and never the device, so
`--hardware` is required; the quantization comes from the served name when it carries one
(`llama3:8b-instruct-q4_K_M`, `Qwen2.5-7B-Instruct-Q4_K_M.gguf`), else from `--quant`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.catalog.names import Names, split_gguf_quant, strip_file_suffix
from advisor.catalog.tools.common import Overrides, override_hardware, override_or
from advisor.errors import InputError


@dataclass
class Timing:
    """One request as a serving engine reports it. Speeds in tokens/s; None when not reported."""

    where: str            # FILE:LINE of the record
    served: str | None    # the model name the server answered with
    prompt_tokens: int | None
    gen_tokens: int | None
    prefill_tok_s: float | None
    decode_tok_s: float | None
    context_depth: int = 0
    date: str | None = None
    notes: list[str] = field(default_factory=list)


def _served_parts(served: str) -> tuple[str, str | None]:
    """(model name to look up, quantization in the name or None)."""
    name = Path(served).name if ("/" in served and served.lower().endswith(".gguf")) else served
    stem = strip_file_suffix(name)
    if ":" in stem:
        tag_base, _, tag = stem.partition(":")
        tag_model, quant = split_gguf_quant(tag)
        return (f"{tag_base}:{tag_model}" if tag_model else tag_base), quant
    return split_gguf_quant(stem)


def _model_quant(t: Timing, names: Names, ov: Overrides, tool: str) -> tuple[str, str]:
    """The catalog model and quantization: the options, else the served name."""
    model = override_or(names, "model", ov.model, t.where)
    in_name = None
    if t.served:
        base, in_name = _served_parts(t.served)
        if model is None:
            model = names.find("model", t.served) or names.require("model", base, t.where, "the served name")
    if model is None:
        raise InputError(f"{t.where}: {tool} does not name the model here; give --model NAME")
    quant = override_or(names, "quant", ov.quant, t.where)
    if quant is None and in_name:
        quant = names.require("quant", in_name, t.where, f"from '{t.served}'")
    if quant is None:
        raise InputError(f"{t.where}: {tool} does not say the quantization "
                         f"(the served name '{t.served or '?'}' carries none); give --quant NAME")
    return model, quant


def timing_row(t: Timing, names: Names, ov: Overrides, tool: str, engine: str, filename: str) -> dict[str, Any]:
    """The seed-format measurements row of one request's timings."""
    if t.prefill_tok_s is None and t.decode_tok_s is None:
        raise InputError(f"{t.where}: no prompt or generation timings in this {tool} record")
    if not ov.hardware:
        raise InputError(f"{t.where}: {tool} does not name the device; give --hardware NAME")
    model, quant = _model_quant(t, names, ov, tool)
    hardware, count = override_hardware(names, ov, t.where)
    # no date in the file: none in the citation either (a re-import on another day is the same source)
    source = ov.source or f"{tool} timings {Path(filename).name}" + (f" ({t.date})" if t.date else "")
    notes = [f"{tool}: one request's own timings", *t.notes]
    if t.served:
        notes.append(f"served as '{t.served}'")
    return {
        "model": model, "quant": quant, "engine": override_or(names, "engine", ov.engine, t.where) or engine,
        "engine_version": "", "hardware": hardware, "n_devices": str(count or 1),
        "split": "none" if (count or 1) == 1 else "layer", "batch_size": "1", "concurrency": "",
        "measure_kind": "single_stream", "prompt_tokens": _s(t.prompt_tokens), "gen_tokens": _s(t.gen_tokens),
        "context_depth": str(t.context_depth or 0), "prefill_tok_s": _s(t.prefill_tok_s),
        "decode_tok_s": _s(t.decode_tok_s), "ttft_ms": "", "memory_gb": "", "backend": "", "threads": "",
        "quality": "normal", "source": source, "notes": "; ".join(notes),
    }


def _s(v: Any) -> str:
    """A value as a seed-format cell."""
    return "" if v is None else repr(v) if isinstance(v, float) else str(v)


def rate(count: Any, duration: Any, scale: float, where: str, what: str) -> float | None:
    """Tokens per second from a count and a duration in 1/`scale` seconds; None when either is
    missing or zero (Ollama leaves out zero fields)."""
    from advisor.catalog.tools.common import num

    if count in (None, 0) or duration in (None, 0):
        return None
    n, d = num(count, where, f"{what} count"), num(duration, where, f"{what} duration")
    if n < 0 or d <= 0:
        raise InputError(f"{where}: {what}: count {count} over duration {duration} is not a speed")
    return n / d * scale
