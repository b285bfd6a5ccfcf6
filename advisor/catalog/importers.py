"""Importers for the output of benchmark tools, next to the seed-format CSV import:

- llama.cpp `llama-bench -o json | jsonl | csv` -> single_stream measurements (pp -> prefill,
  tg -> decode, `n_depth` -> context_depth); mixed `pp+tg` tests are skipped (neither speed);
- vLLM `benchmark_serving.py` / `vllm bench serve --save-result` JSON (or JSONL from
  `--append-result`) -> one throughput_under_load row (aggregate output tok/s at the
  client's max concurrency) and one serving_per_user row (decode = 1000 / median TPOT,
  TTFT = median TTFT);
- lm-evaluation-harness `results_*.json` -> scores (acc / acc_norm / exact_match x 100).

Every tool file becomes rows in the seed format, and goes through `import_rows`: the same
validation as a seed file, one transaction, nothing written on the first error. Errors name
`FILE:LINE` (JSON: the line where the record or the offending key starts) and, for unknown
names, the closest catalog names and the option that overrides them.

The field meanings follow `../shared/data/formats/README.md`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.catalog.importer import import_file, import_rows, read_user_file
from advisor.catalog.names import close_matches, split_gguf_quant, strip_file_suffix
from advisor.catalog.rows import SPEC_BY_FILE, read_csv
from advisor.errors import InputError, NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from advisor.catalog import Catalog

FORMATS = ("auto", "seed", "llama-bench", "vllm-serving", "lm-eval")
SCORE_METRICS = ("acc", "acc_norm", "exact_match")

# lm-eval task -> the benchmark name the catalog's scores use
LM_EVAL_BENCHMARKS = {
    "arc_challenge": "ARC-C",
    "arc_easy": "ARC-E",
    "gsm8k": "GSM8K",
    "gsm8k_cot": "GSM8K",
    "hellaswag": "HellaSwag",
    "mmlu": "MMLU",
    "mmlu_pro": "MMLU-Pro",
    "winogrande": "WinoGrande",
    "truthfulqa_mc1": "TruthfulQA",
    "truthfulqa_mc2": "TruthfulQA",
    "piqa": "PIQA",
    "boolq": "BoolQ",
    "openbookqa": "OpenBookQA",
    "social_iqa": "SIQA",
    "siqa": "SIQA",
    "triviaqa": "TriviaQA",
    "commonsense_qa": "CommonsenseQA",
    "bbh": "BBH",
    "ifeval": "IFEval",
    "gpqa_main_zeroshot": "GPQA",
    "gpqa_diamond_zeroshot": "GPQA-Diamond",
    "minerva_math": "MATH",
    "hendrycks_math": "MATH",
    "humaneval": "HumanEval",
    "mbpp": "MBPP",
    "cmmlu": "CMMLU",
    "ceval-valid": "C-Eval",
}


@dataclass
class Overrides:
    """Names given on the command line; they win over what the file says."""

    model: str | None = None
    hardware: str | None = None
    quant: str | None = None
    engine: str | None = None
    source: str | None = None

    def given(self) -> list[str]:
        return [f"--{k}" for k, v in vars(self).items() if v]


@dataclass
class ImportResult:
    format: str
    table: str
    rows: int
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- JSON with lines


@dataclass
class JRecord:
    """One JSON object of a file, with the line it starts on and its span in the text."""

    line: int
    obj: Any
    start: int
    end: int


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, max(0, pos)) + 1


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def json_records(text: str, filename: str) -> list[JRecord]:
    """The objects of a JSON array, a single JSON object, or JSON lines, each with its line.
    Syntax errors become `FILE:LINE: invalid JSON: ...`."""
    dec = json.JSONDecoder()
    i = _skip_ws(text, 0)
    if i >= len(text):
        raise InputError(f"{filename}:1: empty file")

    def decode(at: int) -> tuple[Any, int]:
        try:
            return dec.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise InputError(f"{filename}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})") from None

    records: list[JRecord] = []
    if text[i] == "[":
        i = _skip_ws(text, i + 1)
        if i < len(text) and text[i] == "]":
            return records
        while True:
            i = _skip_ws(text, i)
            obj, end = decode(i)
            records.append(JRecord(line_of(text, i), obj, i, end))
            i = _skip_ws(text, end)
            if i < len(text) and text[i] == ",":
                i += 1
                continue
            if i < len(text) and text[i] == "]":
                i += 1
                break
            raise InputError(f"{filename}:{line_of(text, i)}: invalid JSON: expected ',' or ']'")
        rest = _skip_ws(text, i)
        if rest < len(text):
            raise InputError(f"{filename}:{line_of(text, rest)}: invalid JSON: extra data after the array")
        return records
    # one object, or several (JSON lines / concatenated objects)
    while i < len(text):
        obj, end = decode(i)
        records.append(JRecord(line_of(text, i), obj, i, end))
        i = _skip_ws(text, end)
    return records


def _key_line(text: str, rec: JRecord, key: str) -> int:
    """The line of `"key"` inside the record (the record's first line when absent)."""
    pos = text.find(json.dumps(key), rec.start, rec.end)
    return line_of(text, pos) if pos >= 0 else rec.line


# --------------------------------------------------------------------------- names


def split_count(name: str) -> tuple[str, int | None]:
    """'2x RTX 4090' / '2 x RTX 4090' / 'RTX 4090 x2' -> ('RTX 4090', 2)."""
    s = name.strip()
    m = re.match(r"^(\d+)\s*[x×]\s+(.+)$", s, re.I) or re.match(r"^(\d+)[x×](\S.*)$", s, re.I)
    if m:
        return m.group(2).strip(), int(m.group(1))
    m = re.match(r"^(.+?)\s+[x×]\s*(\d+)$", s, re.I)
    if m:
        return m.group(1).strip(), int(m.group(2))
    return s, None


def hardware_name_variants(name: str) -> list[str]:
    """Spellings to try against the catalog: 'NVIDIA GeForce RTX 4090' -> 'RTX 4090' ...;
    'Apple M2 Pro' -> 'M2 Pro'; drops memory-type and form-factor words tools add."""
    base = " ".join(name.replace("(R)", "").replace("(TM)", "").split())
    out = [name, base]
    s = re.sub(r"\b(HBM\d?e?|GDDR\d\w*|PCIe|SXM\d?|\d+[- ]?Core Processor|Processor)\b", " ", base, flags=re.I)
    s = re.sub(r"\s+\d+\s*GB\b", " ", s, flags=re.I)
    s = " ".join(s.split())
    out.append(s)
    for prefix in ("NVIDIA ", "GeForce ", "AMD ", "Radeon ", "Apple ", "Intel "):
        if s.startswith(prefix):
            s = s[len(prefix):]
            out.append(s)
    m = re.search(r"(\d+)\s*GB", base, re.I)
    if m:
        out.append(f"{s} {m.group(1)}GB")
    return [v for v in dict.fromkeys(x.strip() for x in out) if v]


class Names:
    """Resolves names to canonical catalog names once per distinct spelling."""

    def __init__(self, cat: "Catalog"):
        self.cat = cat
        self._cache: dict[tuple[str, str], str | None] = {}

    def find(self, kind: str, name: str) -> str | None:
        key = (kind, name)
        if key not in self._cache:
            obj = None
            if kind == "model":
                obj = self.cat.find_model(name)
            elif kind == "hardware":
                for v in hardware_name_variants(name):
                    obj = self.cat.find_hardware(v)
                    if obj is not None:
                        break
            elif kind == "quant":
                obj = self.cat.find_quant(name)
            elif kind == "engine":
                obj = self.cat.find_engine(name)
            self._cache[key] = obj.name if obj is not None else None
        return self._cache[key]

    def closest(self, kind: str, name: str) -> list[str]:
        try:
            {"model": self.cat.resolve_model, "hardware": self.cat.resolve_hardware,
             "quant": self.cat.resolve_quant}.get(kind, lambda n: None)(name)
        except NotFoundError as exc:
            text = str(exc)
            if "closest: " in text:
                return text.split("closest: ", 1)[1].split(", ")
        if kind == "engine":
            from sqlalchemy import select

            from advisor.catalog import orm
            from advisor.catalog.db import read_session

            with read_session(self.cat.engine) as s:
                names = list(s.execute(select(orm.Engine.name)).scalars())
            return close_matches(name, names)
        return []

    def require(self, kind: str, name: str, where: str, what: str = "", option: str | None = None) -> str:
        found = self.find(kind, name)
        if found is not None:
            return found
        hint = self.closest(kind, name)
        more = f"; closest: {', '.join(hint)}" if hint else ""
        origin = f" ({what})" if what else ""
        opt = option or f"--{kind}"
        raise InputError(f"{where}: unknown {kind} '{name}'{origin}{more}; give {opt} NAME")


def _override_hardware(names: Names, ov: Overrides, where: str) -> tuple[str, int | None]:
    assert ov.hardware
    hw, count = split_count(ov.hardware)
    return names.require("hardware", hw, where, "from --hardware"), count


def _num(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}: '{key}' must be a number, got {json.dumps(value)}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: '{key}' must be a number, got {json.dumps(value)}") from None
    if math.isnan(x) or math.isinf(x):
        raise InputError(f"{where}: '{key}' must be a finite number, got {value}")
    return x


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


# --------------------------------------------------------------------------- llama-bench

_FTYPE_SIZE = {"small": "S", "medium": "M", "large": "L"}


def quant_from_model_type(model_type: str) -> str | None:
    """The GGUF type in llama-bench's `model_type` ('qwen2 7B Q4_K - Medium' -> Q4_K_M,
    'llama 7B mostly Q4_0' -> Q4_0, 'llama 1B all F32' -> F32, 'IQ2_XXS - 2.0625 bpw')."""
    m = re.search(
        r"\b(?:mostly\s+|all\s+)?((?:I?Q\d+(?:_[A-Z0-9]+)*)|F16|BF16|F32|MXFP4|TQ\d_\d)"
        r"(?:\s*-\s*(Small|Medium|Large|Extra Small|XS|XXS|S|M|L))?\b",
        model_type, re.I,
    )
    if not m:
        return None
    base = m.group(1).upper()
    size = (m.group(2) or "").lower()
    if base.endswith("_K") and size in _FTYPE_SIZE:
        if base == "Q2_K" and size == "medium":
            return "Q2_K"  # llama.cpp names LLAMA_FTYPE_MOSTLY_Q2_K "Q2_K - Medium"
        return f"{base}_{_FTYPE_SIZE[size]}"
    return base


def _lb_bool(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "yes")
    return bool(v)


def _lb_int(v: Any, where: str, key: str) -> int:
    return int(_num(v, where, key))


def _lb_backend(rec: dict[str, Any]) -> str:
    b = rec.get("backends")
    if isinstance(b, str) and b.strip():
        return b.strip()
    # legacy builds: boolean flags
    for key, label in (("cuda", "CUDA"), ("metal", "Metal"), ("vulkan", "Vulkan"), ("sycl", "SYCL"),
                       ("kompute", "Kompute"), ("opencl", "OpenCL")):
        if _lb_bool(rec.get(key)):
            return label
    return "CPU"


def _llama_bench_row(rec: dict[str, Any], where: str, keyline: Any, names: Names, ov: Overrides,
                     filename: str) -> tuple[dict[str, Any] | None, str | None]:
    for key in ("n_prompt", "n_gen", "avg_ts"):
        if key not in rec:
            raise InputError(f"{where}: missing key '{key}' (not a llama-bench record?)")
    if not ov.model and not (rec.get("model_filename") or rec.get("model_type")):
        raise InputError(f"{where}: missing keys 'model_filename'/'model_type'; give --model NAME")
    n_prompt = _lb_int(rec["n_prompt"], keyline("n_prompt"), "n_prompt")
    n_gen = _lb_int(rec["n_gen"], keyline("n_gen"), "n_gen")
    n_depth = _lb_int(rec.get("n_depth") or 0, keyline("n_depth"), "n_depth")
    avg_ts = _num(rec["avg_ts"], keyline("avg_ts"), "avg_ts")
    test = f"pp{n_prompt}" if n_gen == 0 else f"tg{n_gen}" if n_prompt == 0 else f"pp{n_prompt}+tg{n_gen}"
    if n_depth:
        test += f" @ d{n_depth}"
    if n_prompt > 0 and n_gen > 0:
        return None, f"{where}: {test} skipped (a mixed prompt+generation test is neither prefill nor decode speed)"
    if n_prompt == 0 and n_gen == 0:
        return None, f"{where}: skipped (n_prompt and n_gen are both 0)"
    if avg_ts <= 0:
        raise InputError(f"{keyline('avg_ts')}: 'avg_ts' must be above 0, got {rec['avg_ts']}")

    filename_field = str(rec.get("model_filename") or "")
    stem = strip_file_suffix(Path(filename_field).name) if filename_field else ""
    model_type = str(rec.get("model_type") or "")

    # model
    if ov.model:
        model = names.require("model", ov.model, where, "from --model")
    else:
        model = None
        tried = []
        if stem:
            tried.append(Path(filename_field).name)
            model = names.find("model", Path(filename_field).name)
        if model is None and model_type and not stem:
            # only without a file name: 'llama 13B' would pin any 13B llama fine-tune on LLaMA
            parts = model_type.split()
            if len(parts) >= 2:
                guess = f"{parts[0]}-{parts[1]}"
                tried.append(guess)
                model = names.find("model", guess)
        if model is None:
            label = tried[0] if tried else model_type
            names.require("model", label, keyline("model_filename" if stem else "model_type"),
                          "from model_filename" if stem else "from model_type")
    # quant
    if ov.quant:
        quant = names.require("quant", ov.quant, where, "from --quant")
    else:
        q = split_gguf_quant(stem)[1] if stem else None
        q = q or quant_from_model_type(model_type)
        if q is None:
            raise InputError(f"{keyline('model_type')}: no quantization in model_filename or "
                             f"model_type '{model_type}'; give --quant NAME")
        quant = names.require("quant", q, keyline("model_type"), f"from '{model_type or stem}'")
    # hardware
    backend = _lb_backend(rec)
    gpu_info = str(rec.get("gpu_info") or "").strip()
    ngl = rec.get("n_gpu_layers")
    on_gpu = backend.upper() not in ("CPU", "BLAS", "CPU,BLAS", "BLAS,CPU") and bool(gpu_info)
    if ngl is not None:
        try:
            on_gpu = on_gpu and int(float(ngl)) != 0
        except (TypeError, ValueError):
            pass
    if on_gpu:
        gpus = [g.strip() for g in gpu_info.split(",") if g.strip()]
        hw_text, count, hw_key = gpus[0], len(gpus), "gpu_info"
    else:
        hw_text, count, hw_key = str(rec.get("cpu_info") or "").strip(), 1, "cpu_info"
    if ov.hardware:
        hardware, given = _override_hardware(names, ov, where)
        count = given or count
    else:
        if not hw_text:
            raise InputError(f"{where}: no '{hw_key}' in the record; give --hardware NAME")
        hardware = names.require("hardware", hw_text, keyline(hw_key), f"from {hw_key}")
    engine = names.require("engine", ov.engine, where, "from --engine") if ov.engine else "llama.cpp"
    commit = str(rec.get("build_commit") or "").strip()
    number = rec.get("build_number")
    version = f"{commit} (build {number})" if commit and number not in (None, "") else (commit or None)
    split_mode = str(rec.get("split_mode") or "layer")
    samples = rec.get("samples_ts")
    reps = f"{len(samples)} repetitions" if isinstance(samples, list) else "repetitions"
    notes = [f"llama-bench {test}: avg_ts over {reps}"]
    if rec.get("stddev_ts") not in (None, ""):
        try:
            notes[0] += f", stddev {float(rec['stddev_ts']):.2f} tok/s"
        except (TypeError, ValueError):
            pass
    for key in ("n_gpu_layers", "n_batch", "n_ubatch", "type_k", "type_v", "flash_attn", "test_time"):
        if rec.get(key) not in (None, ""):
            notes.append(f"{key}={rec[key]}")
    if model_type:
        notes.append(f"model_type '{model_type}'")
    if filename_field:
        notes.append(f"file {Path(filename_field).name}")
    date = str(rec.get("test_time") or "")[:10] or _today()
    source = ov.source or (f"llama-bench output {Path(filename).name} "
                           f"(llama.cpp {version or 'build unknown'}, {date})")
    threads = rec.get("n_threads")
    row = {
        "model": model, "quant": quant, "engine": engine, "engine_version": version or "",
        "hardware": hardware, "n_devices": str(count), "split": "none" if count == 1 else split_mode,
        "batch_size": "1", "concurrency": "", "measure_kind": "single_stream",
        "prompt_tokens": str(n_prompt), "gen_tokens": str(n_gen), "context_depth": str(n_depth),
        "prefill_tok_s": repr(avg_ts) if n_gen == 0 else "",
        "decode_tok_s": repr(avg_ts) if n_prompt == 0 else "",
        "ttft_ms": "", "memory_gb": "", "backend": backend,
        "threads": "" if threads in (None, "") else str(threads), "quality": "normal",
        "source": source, "notes": "; ".join(notes),
    }
    return row, None


def parse_llama_bench(text: str, filename: str, names: Names, ov: Overrides) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    skipped: list[str] = []
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith("{"):
        records = json_records(text, filename)
        for rec in records:
            where = f"{filename}:{rec.line}"
            if not isinstance(rec.obj, dict):
                raise InputError(f"{where}: expected a JSON object (one llama-bench test)")
            row, skip = _llama_bench_row(
                rec.obj, where, lambda k, r=rec: f"{filename}:{_key_line(text, r, k)}", names, ov, filename)
            if row is None:
                skipped.append(skip or where)
            else:
                rows.append((rec.line, row))
    else:
        header, csv_rows = read_csv(filename, text)
        if "avg_ts" not in header:
            raise InputError(f"{filename}:1: not llama-bench CSV output (no 'avg_ts' column)")
        for line, rec in csv_rows:
            where = f"{filename}:{line}"
            if None in rec:
                raise InputError(f"{where}: more values than header columns")
            row, skip = _llama_bench_row(rec, where, lambda k, w=where: w, names, ov, filename)
            if row is None:
                skipped.append(skip or where)
            else:
                rows.append((line, row))
    return rows, skipped


# --------------------------------------------------------------------------- vLLM serving

_VLLM_HW_KEYS = ("hardware", "gpu", "device", "accelerator", "gpu_type")
_VLLM_TP_KEYS = ("tensor_parallel_size", "tp", "tp_size", "num_devices", "n_devices", "num_gpus")


def parse_vllm(text: str, filename: str, names: Names, ov: Overrides) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    notes_out: list[str] = []
    for rec in json_records(text, filename):
        where = f"{filename}:{rec.line}"
        d = rec.obj
        if not isinstance(d, dict):
            raise InputError(f"{where}: expected a JSON object (one vLLM serving result)")

        def kl(key: str, r: JRecord = rec) -> str:
            return f"{filename}:{_key_line(text, r, key)}"

        for key in ("output_throughput", "completed"):
            if key not in d:
                raise InputError(f"{where}: missing key '{key}' (not a vLLM serving result?)")
        out_tps = _num(d["output_throughput"], kl("output_throughput"), "output_throughput")
        completed = _num(d["completed"], kl("completed"), "completed")
        if completed <= 0:
            raise InputError(f"{kl('completed')}: no completed requests")
        # model
        if ov.model:
            model = names.require("model", ov.model, where, "from --model")
        else:
            mid = d.get("model_id")
            if not mid:
                raise InputError(f"{where}: the result names no model ('model_id' missing); give --model NAME")
            model = names.require("model", str(mid), kl("model_id"), "from model_id")
        # hardware
        count: int | None = None
        if ov.hardware:
            hardware, count = _override_hardware(names, ov, where)
        else:
            key = next((k for k in _VLLM_HW_KEYS if isinstance(d.get(k), str) and d[k].strip()), None)
            if key is None:
                raise InputError(f"{where}: a vLLM result does not name the hardware; give --hardware NAME "
                                 f"(e.g. --hardware '8x H100')")
            name, count = split_count(d[key])
            hardware = names.require("hardware", name, kl(key), f"from '{key}'")
        if count is None:
            key = next((k for k in _VLLM_TP_KEYS if d.get(k) not in (None, "")), None)
            if key is not None:
                count = int(_num(d[key], kl(key), key))
        device_note = None
        if count is None:
            count = 1
            device_note = "device count not stated in the file: 1 assumed (give --hardware 'Nx NAME')"
        quant = None
        if ov.quant:
            quant = names.require("quant", ov.quant, where, "from --quant")
        elif isinstance(d.get("quantization"), str) and d["quantization"].strip():
            quant = names.require("quant", d["quantization"], kl("quantization"), "from 'quantization'")
        backend = str(d.get("backend") or d.get("endpoint_type") or "")
        if ov.engine:
            engine = names.require("engine", ov.engine, where, "from --engine")
        else:
            engine = "vllm"
        version = next((str(d[k]) for k in ("vllm_version", "engine_version", "version") if d.get(k)), "")
        conc = d.get("max_concurrency")
        concurrency = int(_num(conc, kl("max_concurrency"), "max_concurrency")) if conc not in (None, "") else None
        total_in = d.get("total_input_tokens")
        total_out = d.get("total_output_tokens")
        p_tok = round(_num(total_in, kl("total_input_tokens"), "total_input_tokens") / completed) if total_in is not None else None
        g_tok = round(_num(total_out, kl("total_output_tokens"), "total_output_tokens") / completed) if total_out is not None else None
        date = str(d.get("date") or "")
        source = ov.source or (f"vLLM serving benchmark {Path(filename).name} "
                               f"(backend {backend or '?'}, model {d.get('model_id') or model}, {date or _today()})")
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
        base = {
            "model": model, "quant": quant or "", "engine": engine, "engine_version": version,
            "hardware": hardware, "n_devices": str(count), "split": "none" if count == 1 else "tensor",
            "batch_size": "", "concurrency": "" if concurrency is None else str(concurrency),
            "prompt_tokens": "" if p_tok is None else str(p_tok),
            "gen_tokens": "" if g_tok is None else str(g_tok), "context_depth": "",
            "prefill_tok_s": "", "memory_gb": "", "backend": "", "threads": "", "quality": "normal",
            "source": source,
        }
        rows.append((rec.line, {
            **base, "measure_kind": "throughput_under_load", "decode_tok_s": repr(out_tps), "ttft_ms": "",
            "notes": "; ".join(["metric=output_throughput (aggregate output tok/s over all concurrent streams)",
                                *common]),
        }))
        tpot = d.get("median_tpot_ms")
        ttft = d.get("median_ttft_ms")
        if tpot is None and ttft is None:
            notes_out.append(f"{where}: no median_tpot_ms/median_ttft_ms: serving_per_user row not written")
            continue
        decode = ""
        if tpot is not None:
            t = _num(tpot, kl("median_tpot_ms"), "median_tpot_ms")
            if t <= 0:
                raise InputError(f"{kl('median_tpot_ms')}: 'median_tpot_ms' must be above 0, got {tpot}")
            decode = repr(1000.0 / t)
        ttft_ms = repr(_num(ttft, kl("median_ttft_ms"), "median_ttft_ms")) if ttft is not None else ""
        extra = [f"p99_ttft_ms={d.get('p99_ttft_ms')}", f"mean_ttft_ms={d.get('mean_ttft_ms')}",
                 f"median_itl_ms={d.get('median_itl_ms')}"]
        rows.append((rec.line, {
            **base, "measure_kind": "serving_per_user", "decode_tok_s": decode, "ttft_ms": ttft_ms,
            "notes": "; ".join(["metric=per-user speed under load: decode = 1000 / median_tpot_ms, "
                                "ttft = median_ttft_ms", *extra, *common]),
        }))
    return rows, notes_out


# --------------------------------------------------------------------------- lm-eval


def _model_args(cfg: dict[str, Any]) -> dict[str, str]:
    args = cfg.get("model_args")
    if isinstance(args, dict):
        return {str(k): str(v) for k, v in args.items()}
    out: dict[str, str] = {}
    if isinstance(args, str):
        for part in args.split(","):
            k, sep, v = part.partition("=")
            if sep:
                out[k.strip()] = v.strip()
    return out


def parse_lm_eval(text: str, filename: str, names: Names, ov: Overrides) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    records = json_records(text, filename)
    if len(records) != 1 or not isinstance(records[0].obj, dict):
        raise InputError(f"{filename}:1: expected one JSON object (lm-evaluation-harness results)")
    rec = records[0]
    d = rec.obj

    def kl(key: str) -> str:
        return f"{filename}:{_key_line(text, rec, key)}"

    results = d.get("results")
    if not isinstance(results, dict):
        raise InputError(f"{filename}:{rec.line}: missing key 'results' (not lm-evaluation-harness output?)")
    cfg = d.get("config") if isinstance(d.get("config"), dict) else {}
    margs = _model_args(cfg)
    if ov.model:
        model = names.require("model", ov.model, f"{filename}:{rec.line}", "from --model")
    else:
        candidates = [(str(d["model_name"]), "model_name")] if d.get("model_name") else []
        for key in ("pretrained", "model", "path", "peft"):
            if margs.get(key):
                candidates.append((margs[key], f"model_args {key}="))
        if not candidates:
            raise InputError(f"{filename}:{rec.line}: the results name no model (model_name, "
                             f"config.model_args pretrained=); give --model NAME")
        model = None
        for name, _ in candidates:
            model = names.find("model", name)
            if model is None and "/" in name:
                model = names.find("model", name.rsplit("/", 1)[-1])
            if model is not None:
                break
        if model is None:
            name, what = candidates[0]
            names.require("model", name, kl("model_name" if what == "model_name" else "model_args"), f"from {what}")
    quant = names.require("quant", ov.quant, f"{filename}:{rec.line}", "from --quant") if ov.quant else ""
    subtasks: set[str] = set()
    gs = d.get("group_subtasks")
    if isinstance(gs, dict):
        for group, subs in gs.items():
            if isinstance(subs, list):
                subtasks.update(str(s) for s in subs if s != group)
    nshot = d.get("n-shot") if isinstance(d.get("n-shot"), dict) else {}
    configs = d.get("configs") if isinstance(d.get("configs"), dict) else {}
    nsamples = d.get("n-samples") if isinstance(d.get("n-samples"), dict) else {}
    version = d.get("lm_eval_version") or ""
    evaluator = f"lm-evaluation-harness {version}".strip()
    source = ov.source or (f"lm-evaluation-harness results {Path(filename).name} "
                           f"(model {d.get('model_name') or margs.get('pretrained') or model}, "
                           f"{cfg.get('model') or 'backend ?'}, {_date_of(d)})")
    rows: list[tuple[int, dict[str, Any]]] = []
    skipped: list[str] = []
    results_start = text.find('"results"', rec.start, rec.end)
    for task, metrics in results.items():
        tpos = text.find(json.dumps(task), max(results_start, 0), rec.end)
        tline = line_of(text, tpos) if tpos >= 0 else rec.line
        where = f"{filename}:{tline}"
        if not isinstance(metrics, dict):
            raise InputError(f"{where}: results of '{task}' must be an object")
        if task in subtasks:
            continue
        shots = nshot.get(task)
        if shots is None and isinstance(configs.get(task), dict):
            shots = configs[task].get("num_fewshot")
        shot_text = f"{shots}-shot" if shots not in (None, "") else "n-shot unknown"
        found_metric = False
        for key, value in metrics.items():
            metric, _, filt = key.rpartition(",") if "," in key else (key, "", "none")
            if metric not in SCORE_METRICS:
                continue
            found_metric = True
            x = _num(value, where, f"{task} {key}")
            if not 0 <= x <= 1:
                raise InputError(f"{where}: '{task}' {key} = {value} is not a fraction between 0 and 1")
            setting = f"{shot_text}, {metric}" + (f" ({filt})" if filt and filt != "none" else "")
            stderr = metrics.get(f"{metric}_stderr,{filt}" if "," in key else f"{metric}_stderr")
            notes = [f"lm-eval task '{task}', metric '{key}'"]
            if stderr not in (None, ""):
                notes.append(f"stderr {stderr if isinstance(stderr, str) else round(float(stderr) * 100, 2)}")
            ns = nsamples.get(task)
            if isinstance(ns, dict) and ns.get("effective") is not None:
                notes.append(f"{ns.get('effective')} of {ns.get('original')} docs")
            if cfg.get("limit") not in (None, ""):
                notes.append(f"limit={cfg.get('limit')}")
            if cfg.get("model"):
                notes.append(f"lm-eval model backend {cfg.get('model')}")
            rows.append((tline, {
                "model": model, "benchmark": LM_EVAL_BENCHMARKS.get(task, task), "setting": setting,
                "score": repr(round(x * 100, 4)), "scale": "percent", "quant": quant, "variant": "",
                "evaluator": evaluator, "source": source, "notes": "; ".join(notes),
            }))
        if not found_metric:
            skipped.append(f"{where}: task '{task}' has no {'/'.join(SCORE_METRICS)} metric")
    return rows, skipped


def _date_of(d: dict[str, Any]) -> str:
    v = d.get("date")
    if isinstance(v, (int, float)) and v > 0:
        try:
            return datetime.fromtimestamp(float(v), timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            pass
    return _today()


# --------------------------------------------------------------------------- detection & entry


def detect_format(text: str, filename: str) -> str:
    """Guess the format from the content: JSON by its keys, CSV by its header."""
    s = text.lstrip()
    if s.startswith("[") or s.startswith("{"):
        try:
            records = json_records(text, filename)
        except InputError:
            records = []
        first = records[0].obj if records else None
        if first is None:
            # unparseable JSON: guess from the keys in the text so the error names a line
            if '"avg_ts"' in text:
                return "llama-bench"
            if '"results"' in text and ('"n-shot"' in text or '"configs"' in text):
                return "lm-eval"
            if '"output_throughput"' in text or '"median_ttft_ms"' in text:
                return "vllm-serving"
            json_records(text, filename)  # raises the syntax error with its line
            raise InputError(f"{filename}:1: unrecognised JSON")
        if isinstance(first, dict):
            if "avg_ts" in first or "n_prompt" in first:
                return "llama-bench"
            if "results" in first and ("n-shot" in first or "configs" in first or "versions" in first
                                       or "config" in first):
                return "lm-eval"
            if "output_throughput" in first or "median_ttft_ms" in first or "request_throughput" in first:
                return "vllm-serving"
        raise InputError(f"{filename}:1: unrecognised JSON (not llama-bench, vLLM serving or "
                         f"lm-eval output); give --format")
    first_line = s.splitlines()[0] if s else ""
    cols = {c.strip().strip('"') for c in first_line.split(",")}
    if "avg_ts" in cols and ("n_prompt" in cols or "build_commit" in cols):
        return "llama-bench"
    return "seed"


PARSERS = {"llama-bench": (parse_llama_bench, "measurements.csv"),
           "vllm-serving": (parse_vllm, "measurements.csv"),
           "lm-eval": (parse_lm_eval, "scores.csv")}


def import_any(cat: "Catalog", path: Path, fmt: str = "auto", overrides: Overrides | None = None) -> ImportResult:
    """Import a seed CSV or a benchmark tool's output as user rows (one transaction)."""
    ov = overrides or Overrides()
    if fmt not in FORMATS:
        raise InputError(f"--format: unknown format '{fmt}' ({', '.join(FORMATS)})")
    text = read_user_file(path)
    filename = str(path)
    if fmt == "auto":
        fmt = detect_format(text, filename)
    if fmt == "seed":
        if ov.given():
            raise InputError(f"{', '.join(ov.given())}: only for tool formats "
                             f"(llama-bench, vllm-serving, lm-eval), not for seed CSV files")
        spec, n = import_file(cat.engine, path)
        return ImportResult("seed", spec.stem, n)
    parser, table = PARSERS[fmt]
    names = Names(cat)
    rows, skipped = parser(text, filename, names, ov)
    if not rows:
        why = f" ({'; '.join(skipped)})" if skipped else ""
        raise InputError(f"{filename}: no importable rows{why}")
    spec = SPEC_BY_FILE[table]
    n = import_rows(cat.engine, spec, rows, filename)
    return ImportResult(fmt, spec.stem, n, skipped=skipped)
