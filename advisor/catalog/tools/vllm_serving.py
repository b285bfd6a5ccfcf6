"""vLLM `benchmark_serving.py` / `vllm bench serve --save-result` JSON (or JSONL from
`--append-result`) -> one throughput_under_load row (aggregate output tok/s at the client's max
concurrency) and one serving_per_user row (decode = 1000 / median TPOT, TTFT = median TTFT)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.catalog.names import Names, split_count
from advisor.catalog.tools.common import (
    ImportTool, Overrides, Record, Rows, Sniff, num, override_hardware, override_or,
)
from advisor.catalog.tools.jsonpos import json_records, key_where
from advisor.errors import InputError

_VLLM_HW_KEYS = ("hardware", "gpu", "device", "accelerator", "gpu_type")
_VLLM_TP_KEYS = ("tensor_parallel_size", "tp", "tp_size", "num_devices", "n_devices", "num_gpus")
_VERSION_KEYS = ("vllm_version", "engine_version", "version")


def _throughput(r: Record) -> tuple[float, float]:
    """(output tok/s over all streams, completed requests); an error when not a serving result."""
    for key in ("output_throughput", "completed"):
        if key not in r.d:
            raise InputError(f"{r.where}: missing key '{key}' (not a vLLM serving result?)")
    out_tps = r.number("output_throughput")
    completed = r.number("completed")
    if completed <= 0:
        raise InputError(f"{r.kl('completed')}: no completed requests")
    return out_tps, completed


def _model(r: Record, names: Names, ov: Overrides) -> str:
    found = override_or(names, "model", ov.model, r.where)
    if found:
        return found
    mid = r.d.get("model_id")
    if not mid:
        raise InputError(f"{r.where}: the result names no model ('model_id' missing); give --model NAME")
    return names.require("model", str(mid), r.kl("model_id"), "from model_id")


def _hardware(r: Record, names: Names, ov: Overrides) -> tuple[str, int, str | None]:
    """(catalog device, device count, a note when the count is assumed): --hardware, else a
    hardware key of the result; the count from the name ('8x H100') or the parallelism keys."""
    d = r.d
    count: int | None = None
    if ov.hardware:
        hardware, count = override_hardware(names, ov, r.where)
    else:
        key = next((k for k in _VLLM_HW_KEYS if isinstance(d.get(k), str) and d[k].strip()), None)
        if key is None:
            raise InputError(f"{r.where}: a vLLM result does not name the hardware; give --hardware NAME "
                             f"(e.g. --hardware '8x H100')")
        name, count = split_count(d[key])
        hardware = names.require("hardware", name, r.kl(key), f"from '{key}'")
    if count is None:
        key = next((k for k in _VLLM_TP_KEYS if d.get(k) not in (None, "")), None)
        if key is not None:
            count = int(r.number(key))
    if count is None:
        return hardware, 1, "device count not stated in the file: 1 assumed (give --hardware 'Nx NAME')"
    return hardware, count, None


def _quant(r: Record, names: Names, ov: Overrides) -> str | None:
    found = override_or(names, "quant", ov.quant, r.where)
    if found:
        return found
    q = r.d.get("quantization")
    if isinstance(q, str) and q.strip():
        return names.require("quant", q, r.kl("quantization"), "from 'quantization'")
    return None


def _per_request(r: Record, key: str, completed: float) -> int | None:
    """Mean tokens per request of a total (`total_input_tokens`, `total_output_tokens`)."""
    total = r.d.get(key)
    return round(num(total, r.kl(key), key) / completed) if total is not None else None


def _common_notes(r: Record, ov: Overrides, engine: str, backend: str, device_note: str | None) -> list[str]:
    d = r.d
    conc = d.get("max_concurrency")
    common = [
        f"num_prompts={d.get('num_prompts')}", f"request_rate={d.get('request_rate')}",
        f"max_concurrency={conc}", f"completed={d.get('completed')}", f"failed={d.get('failed')}",
        f"duration_s={d.get('duration')}",
        "prompt/gen tokens = mean per request (total_input/output_tokens / completed)",
    ]
    if engine == "vllm" and not ov.engine and backend not in ("", "vllm"):
        common.append(f"engine presumed vllm (client backend '{backend}')")
    if device_note:
        common.append(device_note)
    if conc in (None, ""):
        common.append("no client max_concurrency: concurrency unbounded (all requests at the request rate)")
    return common


def _base_row(r: Record, names: Names, ov: Overrides, completed: float) -> tuple[dict[str, Any], list[str]]:
    """The columns both rows share, and the notes both carry."""
    d = r.d
    model = _model(r, names, ov)
    hardware, count, device_note = _hardware(r, names, ov)
    quant = _quant(r, names, ov)
    backend = str(d.get("backend") or d.get("endpoint_type") or "")
    engine = override_or(names, "engine", ov.engine, r.where) or "vllm"
    version = next((str(d[k]) for k in _VERSION_KEYS if d.get(k)), "")
    conc = d.get("max_concurrency")
    concurrency = int(num(conc, r.kl("max_concurrency"), "max_concurrency")) if conc not in (None, "") else None
    p_tok = _per_request(r, "total_input_tokens", completed)
    g_tok = _per_request(r, "total_output_tokens", completed)
    date = str(d.get("date") or "")
    source = ov.source or (f"vLLM serving benchmark {Path(r.filename).name} "
                           f"(backend {backend or '?'}, model {d.get('model_id') or model}, {date or 'date unknown'})")
    base = {
        "model": model, "quant": quant or "", "engine": engine, "engine_version": version,
        "hardware": hardware, "n_devices": str(count), "split": "none" if count == 1 else "tensor",
        "batch_size": "", "concurrency": "" if concurrency is None else str(concurrency),
        "prompt_tokens": "" if p_tok is None else str(p_tok),
        "gen_tokens": "" if g_tok is None else str(g_tok), "context_depth": "",
        "prefill_tok_s": "", "memory_gb": "", "backend": "", "threads": "", "quality": "normal",
        "source": source,
    }
    return base, _common_notes(r, ov, engine, backend, device_note)


def _per_user_row(r: Record, base: dict[str, Any], common: list[str]) -> dict[str, Any] | None:
    """decode = 1000 / median TPOT, TTFT = median TTFT; None when the result has neither."""
    d = r.d
    tpot = d.get("median_tpot_ms")
    ttft = d.get("median_ttft_ms")
    if tpot is None and ttft is None:
        return None
    decode = ""
    if tpot is not None:
        t = r.number("median_tpot_ms")
        if t <= 0:
            raise InputError(f"{r.kl('median_tpot_ms')}: 'median_tpot_ms' must be above 0, got {tpot}")
        decode = repr(1000.0 / t)
    ttft_ms = repr(r.number("median_ttft_ms")) if ttft is not None else ""
    extra = [f"p99_ttft_ms={d.get('p99_ttft_ms')}", f"mean_ttft_ms={d.get('mean_ttft_ms')}",
             f"median_itl_ms={d.get('median_itl_ms')}"]
    return {
        **base, "measure_kind": "serving_per_user", "decode_tok_s": decode, "ttft_ms": ttft_ms,
        "notes": "; ".join(["metric=per-user speed under load: decode = 1000 / median_tpot_ms, "
                            "ttft = median_ttft_ms", *extra, *common]),
    }


def _result_rows(r: Record, names: Names, ov: Overrides) -> tuple[list[dict[str, Any]], str | None]:
    """The rows of one result, and a note when the per-user row is not written."""
    out_tps, completed = _throughput(r)
    base, common = _base_row(r, names, ov, completed)
    rows = [{
        **base, "measure_kind": "throughput_under_load", "decode_tok_s": repr(out_tps), "ttft_ms": "",
        "notes": "; ".join(["metric=output_throughput (aggregate output tok/s over all concurrent streams)",
                            *common]),
    }]
    per_user = _per_user_row(r, base, common)
    if per_user is None:
        return rows, f"{r.where}: no median_tpot_ms/median_ttft_ms: serving_per_user row not written"
    return [*rows, per_user], None


def parse_vllm(text: str, filename: str, names: Names, ov: Overrides) -> tuple[Rows, list[str]]:
    rows: Rows = []
    notes_out: list[str] = []
    for rec in json_records(text, filename):
        where = f"{filename}:{rec.line}"
        if not isinstance(rec.obj, dict):
            raise InputError(f"{where}: expected a JSON object (one vLLM serving result)")
        result_rows, note = _result_rows(Record(rec.obj, where, key_where(text, filename, rec), filename),
                                         names, ov)
        rows += [(rec.line, row) for row in result_rows]
        if note:
            notes_out.append(note)
    return rows, notes_out


def detect(s: Sniff) -> bool:
    if s.guess_from_text:
        return '"output_throughput"' in s.text or '"median_ttft_ms"' in s.text
    return bool(s.keys & {"output_throughput", "median_ttft_ms", "request_throughput"})


TOOL = ImportTool(
    name="vllm-serving", label="vLLM serving", table="measurements.csv", detect=detect,
    parse=parse_vllm, detect_order=30,
    help="vLLM's serving benchmark (`vllm bench serve --save-result` JSON or JSONL): aggregate "
         "throughput under load and per-user decode speed and TTFT",
)
