"""Hardware, quantization and engine steps of the seed: hardware.csv rows from the spec files plus
general-knowledge devices and bandwidths, and the fixed quantizations.csv / engines.csv tables."""
from __future__ import annotations

from seed_common import CellRow, Cite, SharedData, die
from seed_tables_engines import ENGINES, QUANT_ALIASES, QUANTS
from seed_tables_hardware import APPLE_SPEC_HARDWARE, APPLE_SPEC_SOURCE, GK_BANDWIDTH, GK_CPU_COMPUTE, GK_HARDWARE

from advisor.cpu_flops import peak
from seed_tables_sources import GK_HW, HW_NAME_ONLY

SOURCE, NOTES, BANDWIDTH = 10, 11, 4  # hardware row columns
FP16_TENSOR, INT8, FP16, FP32 = 5, 6, 7, 8  # FP16: the shader figure, never derived for a CPU


def build_hardware(data: SharedData) -> dict[str, CellRow]:
    """Every device by name: hardware_specs.csv, tpu_specs.csv, `GK_HARDWARE`, `APPLE_SPEC_HARDWARE`, with `GK_BANDWIDTH` filled in."""
    rows: dict[str, CellRow] = {}
    for h in data.hwspec:
        src = Cite(h["source"], "hardware") if h["source"] else HW_NAME_ONLY
        rows[h["hardware"]] = [h["hardware"], h["vendor"], h["kind"], h["memory_gb"], h["mem_bandwidth_gbs"], h["fp16_tflops"],
                               h["int8_tops"], h["fp16_nontensor_tflops"], h["fp32_tflops"], h["tdp_w"], src, h["notes"]]
    for h in data.tpuspec:
        rows[h["hardware"]] = [h["hardware"], h["vendor"], "tpu", h["memory_gb"], h["mem_bandwidth_gbs"], h["bf16_tflops"],
                               h["int8_tops"], "", "", "", Cite(h["source"], "tpu"),
                               ("fp16_tflops = bf16 dense peak per chip; " + h["notes"]).strip()]
    for g in GK_HARDWARE:
        if g[0] in rows:
            die(f"general-knowledge hardware duplicates data: {g[0]}")
        rows[g[0]] = list(g[:10]) + [GK_HW, "general knowledge (vendor spec sheet), not in hardware_specs.csv; " + g[10]]
    for name, mem, bw, notes in APPLE_SPEC_HARDWARE:
        if name in rows:
            die(f"APPLE_SPEC_HARDWARE duplicates data: {name}")
        rows[name] = [name, "Apple", "apple", mem, bw, "", "", "", "", "", Cite(APPLE_SPEC_SOURCE, "hardware"),
                      f"not in hardware_specs.csv; from the file its Apple rows cite; {notes}"]
    for name, (bw, how) in GK_BANDWIDTH.items():
        if name not in rows:
            die(f"GK_BANDWIDTH names unknown hardware {name!r}")
        rows[name] = with_gk_bandwidth(rows[name], bw, how)
    for name, spec in GK_CPU_COMPUTE.items():
        if name not in rows or rows[name][2] != "cpu":
            die(f"GK_CPU_COMPUTE names no catalog CPU {name!r}")
        rows[name] = with_cpu_compute(rows[name], spec)
    return rows


def with_cpu_compute(row: CellRow, spec: tuple) -> CellRow:  # type: ignore[type-arg]
    """A copy of a CPU row with its peak compute DERIVED by advisor.cpu_flops.peak; never over a cited figure."""
    cores, ghz, simd, per_cycle, amx, vnni, how = spec
    if any(row[i] for i in (FP16_TENSOR, INT8, FP16, FP32)):
        die(f"GK_CPU_COMPUTE would overwrite a cited compute figure of {row[0]!r}")
    c = peak(cores, ghz, simd, per_cycle, amx, vnni)
    row = list(row)
    row[FP32] = f"{c.fp32_tflops:.3f}"
    row[FP16_TENSOR] = f"{c.matrix_tflops:.3f}" if c.matrix_tflops else ""
    row[INT8] = f"{c.int8_tops:.3f}" if c.int8_tops else ""
    note = (f"compute DERIVED = {cores} cores x {ghz} GHz x {per_cycle} FP32 FLOPs/cycle ({how}; general knowledge, "
            "a peak; fp16_tflops = AMX tiles, int8 = dot-product rate)")
    row[NOTES] = f"{row[NOTES]}; {note}" if row[NOTES] else note
    if row[SOURCE] == HW_NAME_ONLY:
        row[SOURCE] = GK_HW
    return row


def with_gk_bandwidth(row: CellRow, bw: str, how: str) -> CellRow:
    """A copy of a device row with a general-knowledge bandwidth; never over a cited one."""
    if row[BANDWIDTH]:
        die(f"GK_BANDWIDTH would overwrite a cited bandwidth of {row[0]!r}")
    row = list(row)
    row[BANDWIDTH] = bw
    note = f"mem_bandwidth_gbs {bw} from general knowledge ({how}; theoretical peak), not in hardware_specs.csv"
    if row[SOURCE] == HW_NAME_ONLY:
        row[SOURCE] = GK_HW  # the only figure besides the name: cite the general-knowledge source
    row[NOTES] = f"{row[NOTES]}; {note}" if row[NOTES] else note
    return row


def hardware_kinds(hardware: dict[str, CellRow]) -> dict[str, str]:
    """The kind (gpu, cpu, apple, npu, tpu, ...) of every device, by name."""
    return {name: str(row[2]) for name, row in hardware.items()}


def build_quantizations() -> list[list[str]]:
    """quantizations.csv rows (`QUANTS`, sorted), after checking every quant alias names one of them."""
    for a, q in QUANT_ALIASES.items():
        if q is not None and q not in QUANTS:
            die(f"quant alias {a!r} -> unknown {q!r}")
    return [[k, *QUANTS[k]] for k in sorted(QUANTS)]


def build_engines() -> list[list[str]]:
    """engines.csv rows (`ENGINES`, sorted by name)."""
    return [[k, ENGINES[k]] for k in sorted(ENGINES)]
