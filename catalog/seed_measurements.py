"""Measurements step of the seed: one measurements.csv row per speed/TPU row with a figure, with
the engine version, measure kind, split, backend and quality decided as in catalog/README.md."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Mapping
from typing import NamedTuple

from seed_common import CellRow, Cite, Raw, SharedData, canonical_engine, canonical_hardware, canonical_model, canonical_quant
from seed_tables_engines import LLAMACPP_ROW_SPLIT_ERA, MLC_BENCH_COMMITS
from seed_tables_hardware import ANOMALY_F16_PREFILL_HW, ANOMALY_TTFT_PEAK_TFLOPS

FIGURES = ("prefill_tok_s", "decode_tok_s", "ttft_ms", "memory_gb")  # a row with none of these is skipped
Q4Prefill = dict[tuple[str, str, str, str], float]  # (model, hardware, n_devices, prompt_tokens) -> Q4_K_M prefill


class Measurements(NamedTuple):
    """Measurement rows in shared-file order (sources not yet keyed), the skipped rows and anomaly counts."""

    rows: list[CellRow]
    skipped: list[tuple[str, str, str, str]]  # (origin, model, engine, source) of rows without any figure
    anomaly_hits: Counter[str]


class MeasureContext(NamedTuple):
    """What a measurement row is checked and classified against."""

    models: Container[str]
    hw_kind: Mapping[str, str]  # canonical hardware -> kind
    q4_prefill: Q4Prefill
    flat_ttft_ranges: Container[tuple[str, str]] = ()  # (source, hardware) of QNN TTFT ranges with equal ends


def build_measurements(data: SharedData, models: Container[str], hw_kind: Mapping[str, str]) -> Measurements:
    """Every speed then TPU row that has a figure, as a measurements.csv row; the others are counted as skipped."""
    ctx = MeasureContext(models, hw_kind, xiongjiedai_q4_prefill(data.speed), qnn_flat_ttft_ranges(data.speed))
    rows: list[CellRow] = []
    skipped: list[tuple[str, str, str, str]] = []
    hits: Counter[str] = Counter()
    for origin, raw in (("speed", data.speed), ("tpu", data.tpu)):
        for r in raw:
            if not any(r[c] for c in FIGURES):
                skipped.append((origin, r["model"], r["engine"], r["source"]))
                continue
            row, row_hits = measurement_row(origin, r, ctx)
            rows.append(row)
            hits.update(row_hits)
    return Measurements(rows, skipped, hits)


QNN_LOW_END = "ttft_ms = lower end of published TTFT range"


def qnn_flat_ttft_ranges(speed: list[Raw]) -> set[tuple[str, str]]:
    """(source, hardware) of Qualcomm AI Hub TTFT ranges whose two ends are the same figure: the
    range is one time, that of the full-context prompt (its upper end), not a short prompt's."""
    ends: dict[tuple[str, str], dict[bool, str]] = {}
    for r in speed:
        if "quic/ai-hub-models" in r["source"] and r["ttft_ms"] and "end of published TTFT range" in r["notes"]:
            ends.setdefault((r["source"], r["hardware"]), {})[QNN_LOW_END in r["notes"]] = r["ttft_ms"]
    return {k for k, v in ends.items() if len(v) == 2 and float(v[True]) == float(v[False])}


def xiongjiedai_q4_prefill(speed: list[Raw]) -> Q4Prefill:
    """XiongjieDai Q4_K_M prefill per (model, hardware, n_devices, prompt), for the F16 prefill anomaly check."""
    return {(r["model"], r["hardware"], r["n_devices"], r["prompt_tokens"]): float(r["prefill_tok_s"])
            for r in speed if "XiongjieDai" in r["source"] and r["quant"] == "Q4_K_M" and r["prefill_tok_s"]}


def measurement_row(origin: str, r: Raw, ctx: MeasureContext) -> tuple[CellRow, list[str]]:
    """The measurements.csv row of one speed/TPU row, and the anomaly flags it raised."""
    notes = r["notes"]
    metric = notes.split(";")[0] if notes.startswith("metric=") else ""
    eng, ever, _ = canonical_engine(r["engine"])
    model = canonical_model(r["model"], ctx.models)
    hw = canonical_hardware(r["hardware"], ctx.hw_kind)
    quant = canonical_quant(r["quant"])
    nd, bs = r["n_devices"], r["batch_size"]
    ever = ever or notes_engine_version(notes, r["source"], eng)
    kind, conc = measure_kind(origin, metric, notes, eng, bs)
    split = split_mode(nd, eng, notes)
    depth = "0" if "llama-bench" in metric else ""
    backend, threads = backend_threads(origin, r, metric, eng, hw, ctx.hw_kind[hw])
    quality, hits = quality_flags(r, metric, eng, hw, quant, ctx)
    row: CellRow = [model, quant, eng, ever, hw, nd, split, bs, conc, kind, r["prompt_tokens"], r["gen_tokens"], depth,
                    r["prefill_tok_s"], r["decode_tok_s"], r["ttft_ms"], r["memory_gb"], backend, threads, quality,
                    Cite(r["source"], "tpu" if origin == "tpu" else "speed"), notes]
    return row, hits


def notes_engine_version(notes: str, source: str, eng: str) -> str:
    """The engine version stated in the notes or known for the source, where the engine string has none."""
    version = ""
    m = re.search(r"AutoAWQ (\d+\.\d+\.\d+)", notes)
    if m:
        version = m.group(1)
    if "ik_llama.cpp" in source and eng == "llama.cpp":
        version = "081fe431 (build 3441)"
    if "llm-perf-bench" in source and eng in MLC_BENCH_COMMITS:
        version = MLC_BENCH_COMMITS[eng]
    return version


def measure_kind(origin: str, metric: str, notes: str, eng: str, bs: str) -> tuple[str, str]:
    """(measure_kind, concurrency) from the metric text: single stream, static batch, under load or per user."""
    if origin == "tpu":
        return "throughput_under_load", bs if "max-concurrency" in notes and bs else ""
    if metric.startswith("metric=static batch"):
        # lmdeploy's figure is output tokens / time of the whole run, prefill included: even a
        # batch of one is not a pure decode speed, so it is never trained as single-stream decode
        return "static_batch", ""
    if eng == "autoawq":
        return ("static_batch" if bs and int(bs) > 1 else "single_stream"), ""
    if "vLLM serving output token throughput" in metric:
        m = re.search(r"max-concurrency (\d+)", metric)
        conc = m.group(1)  # these Jetson metrics always state it
        return ("single_stream" if conc == "1" else "throughput_under_load"), conc
    if "benchmark_serving.py" in metric or "offline max" in metric:
        return "throughput_under_load", ""
    if metric.startswith("metric=online serving"):
        return "serving_per_user", ""
    return "single_stream", ""


def split_mode(nd: str, eng: str, notes: str) -> str:
    """How the engine split the model over `nd` devices (none, layer, tensor, pipeline, nodes, unknown)."""
    if nd == "1":
        return "none"
    if nd == "":
        return "unknown"
    if eng == "tensorrt-llm":
        m = re.search(r"TP(\d+)(?: PP(\d+))?", notes)
        tp, pp = int(m.group(1)), int(m.group(2) or 1)  # every TRT-LLM row states TP
        return "tensor" if pp == 1 else ("pipeline" if tp == 1 else "tensor+pipeline")
    if eng == "llama.cpp" and LLAMACPP_ROW_SPLIT_ERA.search(notes):
        # before llama.cpp's split-mode change (2024-01-12) CUDA split every matrix by
        # rows across the GPUs: the bandwidth adds up, as in tensor parallelism
        return "tensor"
    if eng in ("llama.cpp", "exllamav2", "autoawq"):
        return "layer"
    if eng in ("mlc-llm", "vllm", "sglang", "gpt-fast", "lmdeploy", "jetstream"):
        return "tensor"
    if eng == "distributed-llama":
        return "nodes"
    return "unknown"


def backend_threads(origin: str, r: Raw, metric: str, eng: str, hw: str, kindhw: str) -> tuple[str, str]:
    """(backend, threads): both from an ik_llama.cpp metric, else the backend the source implies."""
    m = re.search(r"threads=(\d+), backend (\w+)", metric)
    if m:
        return m.group(2), m.group(1)
    src_text, notes = r["source"], r["notes"]
    if "XiongjieDai" in src_text:
        return ("Metal" if kindhw == "apple" else ("CUDA" if hw.startswith("NVIDIA") else ("CPU" if kindhw == "cpu" else ""))), ""
    if "geerlingguy" in src_text:
        if "Vulkan" in r["engine"] or "Vulkan backend" in notes:
            return "Vulkan", ""
        if "[CPU]" in notes or kindhw == "cpu":
            return "CPU", ""
        return ("Metal" if kindhw == "apple" else ""), ""
    if eng == "qnn":
        return "QNN-HTP", ""
    if origin == "tpu":
        return "XLA", ""
    if eng == "distributed-llama" or kindhw == "cpu":
        return "CPU", ""
    if eng == "unknown":
        return "", ""
    if hw.startswith("NVIDIA"):
        return "CUDA", ""
    return ("ROCm" if hw.startswith("AMD Instinct") else ""), ""


def quality_flags(r: Raw, metric: str, eng: str, hw: str, quant: str, ctx: MeasureContext) -> tuple[str, list[str]]:
    """(quality, anomaly flags): presumed or low by source, anomaly where a shared-README anomaly matches
    or a figure is physically impossible for what its source says it timed (`ttft_flags`)."""
    q4_prefill = ctx.q4_prefill
    src_text, nd = r["source"], r["n_devices"]
    quality = "normal"
    if "Jetson" in hw and "jetson-generative-ai-playground" in src_text or "LambdaLabsML" in src_text:
        quality = "presumed"
    if "dmatora" in src_text or "geerlingguy" in src_text:
        quality = "low"
    hits = []
    if "XiongjieDai" in src_text:
        q4 = q4_prefill.get((r["model"], r["hardware"], nd, r["prompt_tokens"]))
        if quant == "F16" and r["prefill_tok_s"] and q4 and float(r["prefill_tok_s"]) < 0.5 * q4 and (
                hw in ANOMALY_F16_PREFILL_HW):
            hits.append("xiongjiedai-f16-prefill")
        if "eafac9d26a" in src_text and nd == "6" and hw in ("NVIDIA GeForce RTX 3090", "NVIDIA GeForce RTX 4090"):
            hits.append("dec2023-x6")
        if hw == "Apple M1 (7-core GPU) 8GB" and "tg4096" in metric:
            hits.append("m1-8gb-tg4096")
    if "llm-perf-bench" in src_text and eng == "exllamav2" and hw == "NVIDIA A10G" and r["decode_tok_s"] == "13.48":
        hits.append("mlc-exllama-a10g")
    hits += ttft_flags(r, hw, ctx)
    return ("anomaly" if hits else quality), hits


def ttft_flags(r: Raw, hw: str, ctx: MeasureContext) -> list[str]:
    """TTFT figures that cannot be what their source says they timed: a TinyChat first token sooner
    than the prompt's matrix work at the device's FP16 tensor peak; the short-prompt end of a QNN
    TTFT range whose two ends are equal (the one figure is the full-context time)."""
    if not r["ttft_ms"]:
        return []
    peak = ANOMALY_TTFT_PEAK_TFLOPS.get(hw)
    if peak and "mit-han-lab/llm-awq" in r["source"] and r["prompt_tokens"] and r["params_b"]:
        implied = 2 * float(r["params_b"]) * 1e9 * float(r["prompt_tokens"]) / (float(r["ttft_ms"]) / 1000) / 1e12
        if implied > peak:
            return ["tinychat-ttft-above-fp16-peak"]
    if (r["source"], r["hardware"]) in ctx.flat_ttft_ranges and QNN_LOW_END in r["notes"]:
        return ["qnn-ttft-range-equal-ends"]
    return []
