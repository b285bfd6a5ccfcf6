"""llama.cpp `llama-bench -o md | sql | json | jsonl | csv` -> single_stream measurements (pp
-> prefill, tg -> decode, `n_depth` -> context_depth); mixed `pp+tg` tests are skipped (neither
speed). The Markdown table (the default output) names neither the device nor the model file:
`--hardware` and `--model` give them (`llama_bench_text` reads the md and sql outputs)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.catalog.names import Names, quant_from_model_type, split_gguf_quant, strip_file_suffix
from advisor.catalog.rows import read_csv
from advisor.catalog.tools.common import (
    ImportTool, Overrides, Record, Rows, Sniff, num, override_hardware, override_or,
)
from advisor.catalog.tools.jsonpos import json_records, key_where
from advisor.catalog.tools.llama_bench_text import is_markdown, is_sql, markdown_records, sql_records
from advisor.errors import InputError

# backends that run on the CPU: the device is `cpu_info`, not `gpu_info`
_CPU_BACKENDS = ("CPU", "BLAS", "CPU,BLAS", "BLAS,CPU")
_LEGACY_BACKENDS = (("cuda", "CUDA"), ("metal", "Metal"), ("vulkan", "Vulkan"), ("sycl", "SYCL"),
                    ("kompute", "Kompute"), ("opencl", "OpenCL"))
_NOTED_KEYS = ("n_gpu_layers", "n_batch", "n_ubatch", "type_k", "type_v", "flash_attn", "test_time")


class _Record(Record):
    """One llama-bench test, and the model names in it."""

    @property
    def model_file(self) -> str:
        return str(self.d.get("model_filename") or "")

    @property
    def stem(self) -> str:
        return strip_file_suffix(Path(self.model_file).name) if self.model_file else ""

    @property
    def model_type(self) -> str:
        return str(self.d.get("model_type") or "")


@dataclass
class _Test:
    n_prompt: int
    n_gen: int
    n_depth: int
    avg_ts: float
    label: str  # pp512, tg128, pp512+tg128, ... @ d4096


def _lb_bool(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "yes")
    return bool(v)


def _lb_int(v: Any, where: str, key: str) -> int:
    return int(num(v, where, key))


def _lb_backend(rec: dict[str, Any]) -> str:
    b = rec.get("backends")
    if isinstance(b, str) and b.strip():
        return b.strip()
    # legacy builds: boolean flags
    for key, label in _LEGACY_BACKENDS:
        if _lb_bool(rec.get(key)):
            return label
    return "CPU"


def _read_test(r: _Record, ov: Overrides) -> _Test:
    """The test's shape and speed; an error when the record is not a llama-bench test."""
    rec, where, keyline = r.d, r.where, r.kl
    for key in ("n_prompt", "n_gen", "avg_ts"):
        if key not in rec:
            raise InputError(f"{where}: missing key '{key}' (not a llama-bench record?)")
    if not ov.model and rec.get("_format") == "md":
        raise InputError(f"{where}: llama-bench's Markdown table does not name the model file; give --model NAME")
    if not ov.model and not (rec.get("model_filename") or rec.get("model_type")):
        raise InputError(f"{where}: missing keys 'model_filename'/'model_type'; give --model NAME")
    n_prompt = _lb_int(rec["n_prompt"], keyline("n_prompt"), "n_prompt")
    n_gen = _lb_int(rec["n_gen"], keyline("n_gen"), "n_gen")
    n_depth = _lb_int(rec.get("n_depth") or 0, keyline("n_depth"), "n_depth")
    avg_ts = num(rec["avg_ts"], keyline("avg_ts"), "avg_ts")
    label = f"pp{n_prompt}" if n_gen == 0 else f"tg{n_gen}" if n_prompt == 0 else f"pp{n_prompt}+tg{n_gen}"
    if n_depth:
        label += f" @ d{n_depth}"
    return _Test(n_prompt, n_gen, n_depth, avg_ts, label)


def _skip_reason(test: _Test, where: str) -> str | None:
    """Why a test gives neither a prefill nor a decode speed (None when it gives one)."""
    if test.n_prompt > 0 and test.n_gen > 0:
        return f"{where}: {test.label} skipped (a mixed prompt+generation test is neither prefill nor decode speed)"
    if test.n_prompt == 0 and test.n_gen == 0:
        return f"{where}: skipped (n_prompt and n_gen are both 0)"
    return None


def _model(r: _Record, names: Names, ov: Overrides) -> str | None:
    """From --model, the GGUF file name, or (only without a file name) the model type. A file
    the catalog does not know becomes a new user model, described by what llama-bench says of
    it (parameters, file size and type)."""
    found = override_or(names, "model", ov.model, r.where)
    if found:
        return found
    tried = []
    if r.stem:
        tried.append(Path(r.model_file).name)
        found = names.find("model", Path(r.model_file).name)
        if found is None:
            return names.propose_model(split_gguf_quant(r.stem)[0], _file_facts(r))
    if found is None and r.model_type and not r.stem:
        # only without a file name: 'llama 13B' would pin any 13B llama fine-tune on LLaMA
        parts = r.model_type.split()
        if len(parts) >= 2:
            guess = f"{parts[0]}-{parts[1]}"
            tried.append(guess)
            found = names.find("model", guess)
    if found is None:
        label = tried[0] if tried else r.model_type
        # raises, naming the closest models; a one-word model_type it does find is not used
        # (the row then fails on its missing 'model', as before this module was split out)
        names.require("model", label, r.kl("model_type"), "from model_type")
    return found


def _file_facts(r: _Record) -> Any:
    """What a llama-bench record says of its model file: parameters, size, architecture."""
    from advisor.catalog.model_files.facts import ModelFacts

    params = r.d.get("model_n_params")
    size = r.d.get("model_size")
    values: dict[str, Any] = {"name": split_gguf_quant(r.stem)[0]}
    if isinstance(params, (int, float)) and params > 0:
        values["params_b"] = round(params / 1e9, 4)
    if isinstance(size, (int, float)) and size > 0:
        values["file_size_gb"] = round(size / 1e9, 4)
        if "params_b" in values:
            values["bits_per_weight"] = round(size * 8 / params, 3)
    where = f"llama-bench {Path(r.model_file).name}"
    notes = [f"registered from llama-bench's record of {Path(r.model_file).name} ({r.model_type}); "
             "complete it with `advisor catalog add-model --replace --gguf FILE`"]
    return ModelFacts.of(values, f"{where}: model_n_params, model_size", notes)


def _quant(r: _Record, names: Names, ov: Overrides) -> str:
    """From --quant, the GGUF file name's suffix or the file type in `model_type`."""
    found = override_or(names, "quant", ov.quant, r.where)
    if found:
        return found
    q = split_gguf_quant(r.stem)[1] if r.stem else None
    q = q or quant_from_model_type(r.model_type)
    if q is None:
        raise InputError(f"{r.kl('model_type')}: no quantization in model_filename or "
                         f"model_type '{r.model_type}'; give --quant NAME")
    return names.require("quant", q, r.kl("model_type"), f"from '{r.model_type or r.stem}'")


def _device(rec: dict[str, Any], backend: str) -> tuple[str, int, str]:
    """(the device as the file names it, count, the key naming it): the GPUs in `gpu_info` when
    layers ran on a GPU backend, else the CPU in `cpu_info`."""
    gpu_info = str(rec.get("gpu_info") or "").strip()
    ngl = rec.get("n_gpu_layers")
    on_gpu = backend.upper() not in _CPU_BACKENDS and bool(gpu_info)
    if ngl is not None:
        try:
            on_gpu = on_gpu and int(float(ngl)) != 0
        except (TypeError, ValueError):
            pass
    if on_gpu:
        gpus = [g.strip() for g in gpu_info.split(",") if g.strip()]
        return gpus[0], len(gpus), "gpu_info"
    return str(rec.get("cpu_info") or "").strip(), 1, "cpu_info"


def _hardware(r: _Record, names: Names, ov: Overrides, backend: str) -> tuple[str, int]:
    """The catalog device and the device count (--hardware wins, its count when it gives one)."""
    hw_text, count, hw_key = _device(r.d, backend)
    if ov.hardware:
        hardware, given = override_hardware(names, ov, r.where)
        return hardware, given or count
    if not hw_text:
        why = ("llama-bench's Markdown table does not name the device" if r.d.get("_format") == "md"
               else f"no '{hw_key}' in the record")
        raise InputError(f"{r.where}: {why}; give --hardware NAME")
    kind = "cpu" if hw_key == "cpu_info" else None  # gpu_info: the kind its name says (GPU, Apple)
    return names.require("hardware", hw_text, r.kl(hw_key), f"from {hw_key}", hardware_kind=kind), count


def _version(rec: dict[str, Any]) -> str | None:
    commit = str(rec.get("build_commit") or "").strip()
    number = rec.get("build_number")
    return f"{commit} (build {number})" if commit and number not in (None, "") else (commit or None)


def _notes(r: _Record, test: _Test) -> str:
    rec = r.d
    samples = rec.get("samples_ts")
    reps = f"{len(samples)} repetitions" if isinstance(samples, list) else "repetitions"
    notes = [f"llama-bench {test.label}: avg_ts over {reps}"]
    if rec.get("stddev_ts") not in (None, ""):
        try:
            notes[0] += f", stddev {float(rec['stddev_ts']):.2f} tok/s"
        except (TypeError, ValueError):
            pass
    for key in _NOTED_KEYS:
        if rec.get(key) not in (None, ""):
            notes.append(f"{key}={rec[key]}")
    if r.model_type:
        notes.append(f"model_type '{r.model_type}'")
    if r.model_file:
        notes.append(f"file {Path(r.model_file).name}")
    return "; ".join(notes)


def _source(r: _Record, ov: Overrides, version: str | None) -> str:
    # no test_time (the Markdown table): no date, so that a re-import on another day is the same source
    date = str(r.d.get("test_time") or "")[:10]
    return ov.source or (f"llama-bench output {Path(r.filename).name} "
                         f"(llama.cpp {version or 'build unknown'}" + (f", {date})" if date else ")"))


def _llama_bench_row(r: _Record, names: Names, ov: Overrides) -> tuple[dict[str, Any] | None, str | None]:
    """(the measurement row, None), or (None, why the test was skipped)."""
    test = _read_test(r, ov)
    skip = _skip_reason(test, r.where)
    if skip:
        return None, skip
    if test.avg_ts <= 0:
        raise InputError(f"{r.kl('avg_ts')}: 'avg_ts' must be above 0, got {r.d['avg_ts']}")
    model = _model(r, names, ov)
    quant = _quant(r, names, ov)
    backend = _lb_backend(r.d)
    hardware, count = _hardware(r, names, ov, backend)
    engine = override_or(names, "engine", ov.engine, r.where) or "llama.cpp"
    version = _version(r.d)
    threads = r.d.get("n_threads")
    speed = repr(test.avg_ts)
    row = {
        "model": model, "quant": quant, "engine": engine, "engine_version": version or "",
        "hardware": hardware, "n_devices": str(count),
        "split": "none" if count == 1 else str(r.d.get("split_mode") or "layer"),
        "batch_size": "1", "concurrency": "", "measure_kind": "single_stream",
        "prompt_tokens": str(test.n_prompt), "gen_tokens": str(test.n_gen), "context_depth": str(test.n_depth),
        "prefill_tok_s": speed if test.n_gen == 0 else "",
        "decode_tok_s": speed if test.n_prompt == 0 else "",
        "ttft_ms": "", "memory_gb": "", "backend": backend,
        "threads": "" if threads in (None, "") else str(threads), "quality": "normal",
        "source": _source(r, ov, version), "notes": _notes(r, test),
    }
    return row, None


def _records(text: str, filename: str) -> Iterator[tuple[int, _Record]]:
    """Every test of the file (JSON, JSON lines, Markdown, SQL or CSV) with its line, checked one
    at a time (a record's error comes before the next record is looked at)."""
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith("{"):
        for rec in json_records(text, filename):
            where = f"{filename}:{rec.line}"
            if not isinstance(rec.obj, dict):
                raise InputError(f"{where}: expected a JSON object (one llama-bench test)")
            yield rec.line, _Record(rec.obj, where, key_where(text, filename, rec), filename)
        return
    if is_markdown(text) or is_sql(text):
        fmt = "md" if is_markdown(text) else "sql"
        for line, row in (markdown_records if fmt == "md" else sql_records)(text, filename):
            where = f"{filename}:{line}"
            yield line, _Record({**row, "_format": fmt}, where, lambda k, w=where: w, filename)
        return
    header, csv_rows = read_csv(filename, text)
    if "avg_ts" not in header:
        raise InputError(f"{filename}:1: not llama-bench output (expected -o md, sql, csv, json or jsonl; "
                         "a CSV needs its 'avg_ts' column)")
    for line, row in csv_rows:
        where = f"{filename}:{line}"
        if None in row:
            raise InputError(f"{where}: more values than header columns")
        yield line, _Record(row, where, lambda k, w=where: w, filename)


def parse_llama_bench(text: str, filename: str, names: Names, ov: Overrides) -> tuple[Rows, list[str]]:
    rows: Rows = []
    skipped: list[str] = []
    for line, r in _records(text, filename):
        row, skip = _llama_bench_row(r, names, ov)
        if row is None:
            skipped.append(skip or r.where)
        else:
            rows.append((line, row))
    return rows, skipped


def detect(s: Sniff) -> bool:
    if not s.is_json and (is_markdown(s.text) or is_sql(s.text)):
        return True
    if s.guess_from_text:
        return '"avg_ts"' in s.text
    if s.is_json:
        return bool(s.keys & {"avg_ts", "n_prompt"})
    return "avg_ts" in s.columns and ("n_prompt" in s.columns or "build_commit" in s.columns)


TOOL = ImportTool(
    name="llama-bench", label="llama-bench", table="measurements.csv", detect=detect,
    parse=parse_llama_bench, detect_order=10,
    help="llama.cpp `llama-bench -o md|sql|json|jsonl|csv`: prefill (pp) and decode (tg) speeds, "
         "one single_stream measurement per test",
)
