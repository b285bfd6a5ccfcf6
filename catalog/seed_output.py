"""Validation, writing and report steps of the seed: the finished tables are checked (every name
canonical, every row sourced), written as the catalog/*.csv files, and counted."""
from __future__ import annotations

import re
from collections import Counter, OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from seed_aliases import Aliases
from seed_common import die, write_csv
from seed_measurements import Measurements
from seed_sources import SourceRow

MODEL_COLS = ["name", "family", "params_b", "active_params_b", "context_len", "release", "license", "commercial_use", "variant",
              "n_layers", "hidden_size", "intermediate_size", "n_heads", "n_kv_heads", "head_dim", "vocab_size", "attention",
              "sliding_window", "kv_lora_rank", "moe_experts", "moe_active_experts", "kv_layers", "sliding_layers", "state_mb",
              "global_head_dim", "global_kv_heads", "weights_quant", "facts_basis", "source", "arch_source", "notes"]
HARDWARE_COLS = ["name", "vendor", "kind", "memory_gb", "mem_bandwidth_gbs", "fp16_tflops", "int8_tops",
                 "fp16_nontensor_tflops", "fp32_tflops", "tdp_w", "source", "notes"]
MEASUREMENT_COLS = ["model", "quant", "engine", "engine_version", "hardware", "n_devices", "split", "batch_size",
                    "concurrency", "measure_kind", "prompt_tokens", "gen_tokens", "context_depth",
                    "prefill_tok_s", "decode_tok_s", "ttft_ms", "memory_gb", "backend", "threads", "quality",
                    "source", "notes"]
SCORE_COLS = ["model", "benchmark", "setting", "score", "scale", "quant", "variant", "evaluator", "source", "notes"]
QUANT_EFFECT_COLS = ["model", "quant_method", "quant", "bits", "metric", "value_quant", "value_baseline",
                     "higher_is_better", "source", "notes", "weight_bits", "act_bits", "group_size", "baseline_precision"]
OOM_COLS = ["model", "quant", "engine", "hardware", "n_devices", "prompt_tokens", "gen_tokens", "source", "notes"]
HOSTED_SPEED_COLS = ["model", "output_tok_s", "ttft_ms", "date", "method", "source", "notes"]
MEASURE_KINDS = ("single_stream", "static_batch", "throughput_under_load", "serving_per_user")
SPLITS = ("none", "layer", "tensor", "pipeline", "tensor+pipeline", "nodes", "unknown")
TARGETS = dict(models=200, hardware=100, measurements=1700, scores=4000, sources=20)  # minimum counts


class SeedTables(NamedTuple):
    """Every table of the seed with source keys in place; row tables sorted as they are written."""

    sources: dict[str, SourceRow]
    models: dict[str, dict[str, str]]
    hardware: dict[str, list[str]]
    quantizations: list[list[str]]
    engines: list[list[str]]
    measurements: list[list[str]]
    scores: list[list[str]]
    quant_effects: list[list[str]]
    oom: list[list[str]]
    aliases: Aliases
    hosted_speeds: list[list[str]]


def validate(t: SeedTables, measurements: Measurements, n_raw_measurements: int, n_recent_measurements: int) -> None:
    """Fail loudly on a bad source key, a row without a valid source, or a name that is not canonical;
    the shared data's measurements (all but the 2026 step's) must account for every raw speed/TPU row."""
    src_keys = set(t.sources)
    for k in src_keys:
        if not re.fullmatch(r"[a-z0-9-]+", k):
            die(f"bad source key {k!r}")
    for name, row in t.models.items():
        if row["source"] not in src_keys:
            die(f"model {name}: source {row['source']!r} unknown")
        ak = row["arch_source"].split(" (inherited")[0]
        if ak and ak not in src_keys:
            die(f"model {name}: arch_source {ak!r} unknown")
        if row["variant"] not in ("base", "instruct", "reasoning", "hybrid", "api"):
            die(f"model {name}: bad variant {row['variant']}")
    for r in t.hardware.values():
        if r[10] not in src_keys:
            die(f"hardware {r[0]}: source unknown")
    validate_rows(t, src_keys)
    for q in t.quantizations:
        if q[5] not in src_keys:
            die("quant source unknown")
    for r in t.measurements:
        if r[9] not in MEASURE_KINDS:
            die(f"bad measure_kind {r[9]}")
        if r[6] not in SPLITS:
            die(f"bad split {r[6]}")
    for r in t.hosted_speeds:
        if r[0] not in t.models or t.models[r[0]]["variant"] != "api":
            die(f"hosted_speeds: {r[0]} is not a hosted catalog model")
        if r[5] not in src_keys:
            die(f"hosted_speeds: row without valid source: {r}")
    if len(t.measurements) - n_recent_measurements + len(measurements.skipped) != n_raw_measurements:
        die("measurement count mismatch")


def validate_rows(t: SeedTables, src_keys: set[str]) -> None:
    """Every measurement, score, quant-effect and OOM row names canonical entities and a known source."""
    qnames = {q[0] for q in t.quantizations}
    engines = {e[0] for e in t.engines}
    for fname, rows, mi, qi, ei, hi, si in (("measurements", t.measurements, 0, 1, 2, 4, 20),
                                             ("scores", t.scores, 0, 5, None, None, 8),
                                             ("quant_effects", t.quant_effects, 0, 2, None, None, 8),
                                             ("oom", t.oom, 0, 1, 2, 3, 7)):
        for r in rows:
            if r[mi] not in t.models:
                die(f"{fname}: unknown model {r[mi]}")
            if r[qi] and r[qi] not in qnames:
                die(f"{fname}: unknown quant {r[qi]}")
            if ei is not None and r[ei] not in engines:
                die(f"{fname}: unknown engine {r[ei]}")
            if hi is not None and r[hi] not in t.hardware:
                die(f"{fname}: unknown hardware {r[hi]}")
            if not r[si] or r[si] not in src_keys:
                die(f"{fname}: row without valid source: {r}")


def by_name(names: Iterable[str]) -> list[str]:
    """Entity names in the order of the seed files (case-insensitive, then exact)."""
    return sorted(names, key=lambda s: (s.lower(), s))


def write_seed(out: Path, t: SeedTables) -> None:
    """Write every seed CSV file into `out` (created if missing)."""
    out.mkdir(parents=True, exist_ok=True)
    models = [[t.models[name].get("basis" if c == "facts_basis" else c, "") for c in MODEL_COLS]
              for name in by_name(t.models)]  # the shared data's rows lack the hybrid columns
    files = [
        ("sources.csv", ["key", "citation", "license", "kind", "notes"], [[k, *v] for k, v in sorted(t.sources.items())]),
        ("models.csv", MODEL_COLS, models),
        ("model_aliases.csv", ["alias", "model"], [list(p) for p in t.aliases.models]),
        ("hardware.csv", HARDWARE_COLS, [t.hardware[k] for k in by_name(t.hardware)]),
        ("hardware_aliases.csv", ["alias", "hardware"], [list(p) for p in t.aliases.hardware]),
        ("quantizations.csv", ["name", "family", "bits_per_weight", "weight_bits", "act_bits", "source", "notes"],
         t.quantizations),
        ("quant_aliases.csv", ["alias", "quant"], [list(p) for p in t.aliases.quants]),
        ("engines.csv", ["name", "description"], t.engines),
        ("engine_aliases.csv", ["alias", "engine"], [list(p) for p in t.aliases.engines]),
        ("measurements.csv", MEASUREMENT_COLS, t.measurements),
        ("scores.csv", SCORE_COLS, t.scores),
        ("quant_effects.csv", QUANT_EFFECT_COLS, t.quant_effects),
        ("oom.csv", OOM_COLS, t.oom),
        ("hosted_speeds.csv", HOSTED_SPEED_COLS, t.hosted_speeds),
    ]
    for fname, header, rows in files:
        write_csv(out / fname, header, rows)


def report(t: SeedTables, measurements: Measurements) -> None:
    """Print the counts, skipped rows, anomaly flags and kinds; fail if a count is below its target."""
    counts = OrderedDict(models=len(t.models), hardware=len(t.hardware), measurements=len(t.measurements),
                         scores=len(t.scores), sources=len(t.sources), quant_effects=len(t.quant_effects), oom=len(t.oom))
    for k, v in counts.items():
        print(f"{k}: {v}")
    a = t.aliases
    print(f"model_aliases: {len(a.models)}  hardware_aliases: {len(a.hardware)}  quant_aliases: {len(a.quants)}  "
          f"engine_aliases: {len(a.engines)}  quantizations: {len(t.quantizations)}  engines: {len(t.engines)}")
    sk = Counter((o, e) for o, _, e, _ in measurements.skipped)
    print("skipped (no prefill/decode/ttft/memory):", dict(sk))
    print("anomaly flags:", dict(measurements.anomaly_hits))
    meas = t.measurements
    print("measure_kind:", dict(Counter(r[9] for r in meas)), " split:", dict(Counter(r[6] for r in meas)),
          " quality:", dict(Counter(r[19] for r in meas)))
    for k, target in TARGETS.items():
        if counts[k] < target:
            die(f"{k} = {counts[k]} below target {target}")
