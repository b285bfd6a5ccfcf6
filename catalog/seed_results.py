"""Scores, quantization-effect and OOM steps of the seed: scores.csv, quant_effects.csv and oom.csv
rows from the shared files, with canonical names (rows in file order, sources not yet keyed)."""
from __future__ import annotations

import re
from collections.abc import Container

from seed_common import CellRow, Cite, Raw, canonical_engine, canonical_hardware, canonical_model, canonical_quant, die
from seed_tables_engines import QUANTS
from seed_tables_models import VARIANT_MAP


def build_scores(scores: list[Raw], models: Container[str]) -> list[CellRow]:
    """One scores.csv row per model_scores.csv row, with its scale; no score states a quant."""
    return [[canonical_model(r["model"], models), r["benchmark"], r["shots_setting"], r["score"], score_scale(r["benchmark"]),
             "", VARIANT_MAP[r["variant"]], r["evaluator"], Cite(r["source"], "scores"), r["notes"]] for r in scores]


def score_scale(benchmark: str) -> str:
    """normalized (OLL v2), 0-10 (MT-Bench, WritingBench, AlignBench), elo (Codeforces) or percent."""
    if benchmark.endswith("(OLL v2)"):
        return "normalized"
    if benchmark in ("MT-Bench", "WritingBench") or benchmark.startswith("AlignBench"):
        return "0-10"
    if benchmark == "Codeforces rating":
        return "elo"
    return "percent"


def build_quant_effects(qeff: list[Raw], models: Container[str]) -> list[CellRow]:
    """One quant_effects.csv row per shared row: canonical model and quant, direction of the metric."""
    rows: list[CellRow] = []
    for r in qeff:
        metric = r["metric"]
        hib = "no" if re.search(r"PPL|perplex|KL", metric, re.I) else "yes"
        nums, notes = quant_effect_numbers(r)
        rows.append([canonical_model(r["model"], models), r["quant_method"], quant_of_method(r["quant_method"]), r["bits"],
                     metric, r["value_quant"], r["value_baseline"], hib, Cite(r["source"], "quant"), notes,
                     nums["weight_bits"], nums["act_bits"], nums["group_size"], r["baseline_precision"]])
    return rows


def quant_effect_numbers(r: Raw) -> tuple[dict[str, str], str]:
    """Numeric weight_bits/act_bits/group_size; a qualifier ("16 (F16 compute)", "not stated") moves to notes."""
    notes = r["notes"]
    nums = {}
    for col in ("weight_bits", "act_bits", "group_size"):
        raw = r[col].strip()
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:\((.*)\))?", raw)
        nums[col] = m.group(1) if m else ""
        if raw and not (m and not m.group(2)):
            notes = f"{notes}; {col}: {raw}" if notes else f"{col}: {raw}"
    return nums, notes


def quant_of_method(method: str) -> str:
    """The canonical quant of a quant_effects method where it maps clearly, else ''."""
    m = re.match(r"GGUF(?:/GGML)? (\w+)", method)
    if m and m.group(1) in QUANTS:
        return m.group(1)
    if m:
        die(f"GGUF type {m.group(1)} missing from QUANTS")
    ml = method.lower()
    if re.match(r"gptq[- ]int8", ml):
        return "GPTQ-INT8"
    if re.match(r"gptq[- ]int4", ml) or re.match(r"gptq w4a16 g128", ml):
        return "GPTQ-INT4"
    if ml.startswith("awq (int4)") or re.match(r"awq w4a16 g128", ml):
        return "AWQ-INT4"
    return ""


def build_oom(oom: list[Raw], models: Container[str], hardware: Container[str]) -> list[CellRow]:
    """One oom.csv row per observation; `pp N: OOM` / `tg N: OOM` become prompt/gen token counts."""
    rows: list[CellRow] = []
    for r in oom:
        pt = gt = ""
        m = re.match(r"(pp|tg) (\d+): OOM", r["notes"])
        if m:
            if m.group(1) == "pp":
                pt, gt = m.group(2), "0"
            else:
                pt, gt = "0", m.group(2)
        eng, _, _ = canonical_engine(r["engine"])
        rows.append([canonical_model(r["model"], models), canonical_quant(r["quant"]), eng,
                     canonical_hardware(r["hardware"], hardware), r["n_devices"], pt, gt, Cite(r["source"], "speed"), r["notes"]])
    return rows
