"""Ollama's own timings -> single_stream measurements: the final object of `/api/generate` or
`/api/chat` (a JSON object, or the JSON lines of a stream: the object with `done: true`), and
the text `ollama run --verbose` prints.

Fields (api/types.go `Metrics`, every one `omitempty`): `prompt_eval_count` tokens over
`prompt_eval_duration` ns -> prefill tok/s; `eval_count` over `eval_duration` ns -> decode
tok/s (Ollama's own formula); `model` is the tag (a quantization in it, `...-q4_K_M`, is
used; else `--quant`); `created_at` dates the source. `--verbose` prints `prompt eval count:
N token(s)`, `prompt eval duration: 325.953ms`, `eval count`, `eval duration` (Go durations)
and the rates; the text names no model, so `--model` is needed. The device: `--hardware`."""

from __future__ import annotations

import re
from typing import Any

from advisor.catalog.names import Names
from advisor.catalog.tools.common import ImportTool, Overrides, Rows, Sniff, num
from advisor.catalog.tools.jsonpos import json_records
from advisor.catalog.tools.served import Timing, rate, timing_row
from advisor.errors import InputError

_GO_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ns": 1e-9}
_GO_PART = re.compile(r"([0-9.]+)(h|ms|m|s|us|µs|μs|ns)")
_VERBOSE = re.compile(r"^\s*(total duration|load duration|prompt eval count|prompt eval duration|prompt eval rate|"
                      r"eval count|eval duration|eval rate):\s*(.+?)\s*$")


def go_duration(text: str, where: str) -> float:
    """Seconds of a Go `time.Duration` string ('5.0435s', '325.953ms', '1m2.5s')."""
    s = text.strip()
    parts = _GO_PART.findall(s)
    if not parts or "".join(a + b for a, b in parts) != s:
        raise InputError(f"{where}: cannot read the duration {text!r}")
    return sum(float(a) * _GO_UNITS[u] for a, u in parts)


def _json_timing(d: dict[str, Any], where: str) -> Timing:
    """One final /api/generate or /api/chat object's timings."""
    prefill = rate(d.get("prompt_eval_count"), d.get("prompt_eval_duration"), 1e9, where, "prompt eval")
    decode = rate(d.get("eval_count"), d.get("eval_duration"), 1e9, where, "eval")
    notes = []
    if d.get("done_reason"):
        notes.append(f"done_reason {d['done_reason']}")
    if d.get("load_duration"):
        notes.append(f"load_duration {num(d['load_duration'], where, 'load_duration') / 1e6:.1f} ms")
    return Timing(where, str(d.get("model") or "") or None, _int(d.get("prompt_eval_count")), _int(d.get("eval_count")),
                  prefill, decode, date=str(d.get("created_at") or "")[:10] or None, notes=notes)


def _int(v: Any) -> int | None:
    """A JSON number as an int, None otherwise."""
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _verbose_blocks(text: str, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(line of `total duration:`, {field: value}) for every `--verbose` summary in the text."""
    blocks: list[tuple[int, dict[str, str]]] = []
    for i, line in enumerate(text.splitlines(), start=1):
        m = _VERBOSE.match(line)
        if not m:
            continue
        key = m.group(1)
        if key == "total duration" or not blocks or key in blocks[-1][1]:
            blocks.append((i, {}))
        blocks[-1][1][key] = m.group(2)
    return blocks


def _verbose_timing(line: int, f: dict[str, str], filename: str) -> Timing:
    """One `--verbose` summary's timings (rates from count / duration, else as printed)."""
    where = f"{filename}:{line}"

    def count(key: str) -> int | None:
        v = f.get(key)
        m = re.match(r"^(\d+)\s*token", v or "")
        if v is not None and not m:
            raise InputError(f"{where}: cannot read '{key}: {v}'")
        return int(m.group(1)) if m else None

    def speed(prefix: str) -> float | None:
        n, d = count(f"{prefix} count"), f.get(f"{prefix} duration")
        if n is not None and d is not None:
            return rate(n, go_duration(d, where), 1.0, where, prefix)
        r = f.get(f"{prefix} rate")
        return float(r.split()[0]) if r else None

    return Timing(where, None, count("prompt eval count"), count("eval count"), speed("prompt eval"), speed("eval"),
                  notes=["from `ollama run --verbose`"])


def parse_ollama(text: str, filename: str, names: Names, ov: Overrides) -> tuple[Rows, list[str]]:
    """A measurement per final JSON object, or per `--verbose` summary of a text."""
    rows: Rows = []
    skipped: list[str] = []
    if not text.lstrip().startswith(("{", "[")):
        for line, fields in _verbose_blocks(text, filename):
            rows.append((line, timing_row(_verbose_timing(line, fields, filename), names, ov, "Ollama",
                                          "ollama", filename)))
        return rows, skipped
    chunks = 0
    for rec in json_records(text, filename):
        where = f"{filename}:{rec.line}"
        if not isinstance(rec.obj, dict):
            raise InputError(f"{where}: expected a JSON object (an Ollama response)")
        if not rec.obj.get("done"):
            chunks += 1  # a streamed chunk: the figures are on the final one
            continue
        rows.append((rec.line, timing_row(_json_timing(rec.obj, where), names, ov, "Ollama", "ollama", filename)))
    if chunks:
        skipped.append(f"{filename}: {chunks} streamed chunks before the final object (no timings)")
    return rows, skipped


def detect(s: Sniff) -> bool:
    """Ollama's JSON (created_at, done) or the `--verbose` summary lines."""
    if not s.is_json:
        return bool(re.search(r"(?m)^\s*eval rate:\s*[0-9.]+ tokens/s", s.text)
                    and re.search(r"(?m)^\s*(total|eval) duration:", s.text))
    if s.guess_from_text:
        return '"eval_duration"' in s.text and '"created_at"' in s.text
    return "created_at" in s.keys and "done" in s.keys and bool(s.keys & {"response", "message", "eval_count"})


TOOL = ImportTool(
    name="ollama", label="Ollama", table="measurements.csv", detect=detect, parse=parse_ollama,
    detect_order=40,
    help="Ollama's /api/generate (or /api/chat) final JSON, or `ollama run --verbose` text: "
         "prefill and decode speed of one request (--hardware needed)",
)
