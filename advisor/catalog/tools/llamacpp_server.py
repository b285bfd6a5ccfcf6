"""The llama.cpp server's `timings` -> single_stream measurements: a native `/completion`
response, an OpenAI-compatible `/v1/chat/completions` or `/v1/completions` response (or the
last chunk of a stream: JSON lines, chunks without timings passed over), or `{"timings": ...}`.

Fields (tools/server/server-task.cpp `result_timings::to_json`): `prompt_n` prompt tokens
processed in `prompt_ms` -> prefill (`prompt_per_second`), `predicted_n` tokens generated in
`predicted_ms` -> decode (`predicted_per_second`, one slot), `cache_n` prompt tokens reused
from the KV cache (the context the new prompt tokens were processed after: `context_depth`).
The model: the response's `model` (an alias or a GGUF path; its quantization suffix is used),
else `--model`; the device: `--hardware`."""

from __future__ import annotations

from typing import Any

from advisor.catalog.names import Names
from advisor.catalog.tools.common import ImportTool, Overrides, Rows, Sniff, num
from advisor.catalog.tools.jsonpos import json_records, key_where
from advisor.catalog.tools.served import Timing, rate, timing_row
from advisor.errors import InputError


def _speed(t: dict[str, Any], kind: str, where: str) -> float | None:
    """`<kind>_per_second`, else `<kind>_n` over `<kind>_ms`; None with no tokens."""
    n = t.get(f"{kind}_n")
    if n in (None, 0) or (isinstance(n, (int, float)) and n < 0):
        return None
    per_s = t.get(f"{kind}_per_second")
    if per_s is not None:
        return num(per_s, where, f"timings.{kind}_per_second")
    return rate(n, t.get(f"{kind}_ms"), 1e3, where, f"timings.{kind}")


def _served(d: dict[str, Any]) -> str | None:
    """The model the response names (`model`, else `generation_settings.model`)."""
    model = d.get("model")
    if not model and isinstance(d.get("generation_settings"), dict):
        model = d["generation_settings"].get("model")
    return str(model) if model else None


def _timing(d: dict[str, Any], where: str) -> Timing:
    """One response's `timings`."""
    t = d["timings"]
    if not isinstance(t, dict):
        raise InputError(f"{where}: 'timings' must be an object")
    cache = t.get("cache_n")  # (legacy `tokens_cached` counts the cache after the request, not reuse)
    prompt_n = t.get("prompt_n")
    notes = []
    if t.get("draft_n"):
        notes.append(f"speculative decoding: {t.get('draft_n_accepted')} of {t['draft_n']} drafted tokens accepted")
    if d.get("truncated"):
        notes.append("the prompt was truncated")
    depth = int(num(cache, where, "timings.cache_n")) if cache not in (None, "") else 0
    return Timing(where, _served(d), int(num(prompt_n, where, "timings.prompt_n")) if prompt_n is not None else None,
                  int(num(t["predicted_n"], where, "timings.predicted_n")) if t.get("predicted_n") is not None else None,
                  _speed(t, "prompt", where), _speed(t, "predicted", where),
                  context_depth=depth if prompt_n else 0, notes=notes)


def parse_server(text: str, filename: str, names: Names, ov: Overrides) -> tuple[Rows, list[str]]:
    """A measurement per response with `timings` (stream chunks without them passed over)."""
    rows: Rows = []
    passed = 0
    for rec in json_records(text, filename):
        where = f"{filename}:{rec.line}"
        if not isinstance(rec.obj, dict):
            raise InputError(f"{where}: expected a JSON object (a llama.cpp server response)")
        if "timings" not in rec.obj:
            passed += 1  # a streamed chunk before the last one
            continue
        kw = key_where(text, filename, rec)
        rows.append((rec.line, timing_row(_timing(rec.obj, kw("timings")), names, ov, "llama.cpp server",
                                          "llama.cpp", filename)))
    skipped = [f"{filename}: {passed} records without timings passed over"] if passed else []
    return rows, skipped


def detect(s: Sniff) -> bool:
    """A response with `timings` (also a stream whose first chunks have none yet)."""
    t = s.first.get("timings") if isinstance(s.first, dict) else None
    if isinstance(t, dict):
        return bool(set(t) & {"predicted_n", "prompt_n"})
    return s.is_json and '"timings"' in s.text and '"predicted_n"' in s.text


TOOL = ImportTool(
    name="llamacpp-server", label="llama.cpp server", table="measurements.csv", detect=detect,
    parse=parse_server, detect_order=45,
    help="a llama.cpp server response with `timings` (/completion, /v1/chat/completions, the last "
         "stream chunk): prefill and decode speed of one request (--hardware needed)",
)
