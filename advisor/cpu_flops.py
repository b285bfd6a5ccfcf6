"""A CPU's peak compute from what the machine tells: physical cores, clock and the SIMD width
and matrix extensions its flags name (/proc/cpuinfo on Linux), so that a detected CPU gets a
prefill estimate from its own compute instead of an imputed default.

    from advisor.cpu_flops import cpu_compute
    c = cpu_compute(open("/proc/cpuinfo").read())   # None when the text names no usable CPU
    c.fp32_tflops, c.matrix_tflops, c.int8_tops, c.note()

Peak = cores x clock x FLOPs per cycle per core. FLOPs per cycle count two FMA pipes of the
widest vector the flags name (2 FLOPs per lane): AVX-512 64, AVX2+FMA 32, AVX 16, SSE 8, NEON 16
(two 128-bit pipes, as Cortex-A7x/Neoverse cores have). Zen 4 (AMD family 0x19) runs AVX-512 on
256-bit halves: 32. The FP32 vector rate is the basis of prefill on a CPU: llama.cpp's kernels
widen F16 weights to FP32 for the FMA, and its quantized dot products run on the same vector
pipes (their int8 rate scales with it). AMX tiles (amx_bf16) are a matrix figure beside it,
1024 BF16 FLOPs per cycle per core (as tensor cores are beside a GPU's shader figure); VNNI int8
dot products give 4x the FP32 rate in int8 ops (AMX int8: 2048). Hyper-threads share a core's
pipes: only physical cores count.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SIMD_FLOPS_PER_CYCLE = (("avx512f", 64), ("avx2", 32), ("avx", 16), ("asimd", 16), ("sse2", 8))
AMX_BF16_FLOPS_PER_CYCLE = 1024
AMX_INT8_OPS_PER_CYCLE = 2048
VNNI_FLAGS = ("avx512_vnni", "avx_vnni", "asimddp")
ZEN4_FAMILY = 25  # AMD family 0x19 (Zen 3/Zen 4): AVX-512 in two 256-bit halves


@dataclass(frozen=True)
class CpuCompute:
    """Derived peak figures of one CPU (all its physical cores), with what they came from."""

    cores: int
    ghz: float
    simd: str
    flops_per_cycle: int
    fp32_tflops: float
    matrix_tflops: float | None  # AMX BF16 tiles, None without them
    int8_tops: float | None

    def note(self) -> str:
        """How the figure was derived, for the hardware notes (not measured, not a datasheet)."""
        extra = f"; AMX {self.matrix_tflops:.2f} TFLOPS BF16" if self.matrix_tflops else ""
        return (f"compute DERIVED from /proc/cpuinfo: {self.cores} physical cores x {self.ghz:.2f} GHz x "
                f"{self.flops_per_cycle} FP32 FLOPs/cycle ({self.simd}, 2 FMA pipes) = {self.fp32_tflops:.2f} "
                f"TFLOPS FP32{extra} (a peak, not measured)")


def _fields(text: str) -> list[dict[str, str]]:
    """One dict per processor block of /proc/cpuinfo text."""
    blocks, cur = [], {}
    for line in text.splitlines():
        if not line.strip():
            if cur:
                blocks.append(cur)
            cur = {}
            continue
        key, _, value = line.partition(":")
        cur[key.strip().lower()] = value.strip()
    if cur:
        blocks.append(cur)
    return blocks


def physical_cores(blocks: list[dict[str, str]]) -> int | None:
    """Distinct (socket, core) pairs; else 'cpu cores' x sockets; else the processor count."""
    pairs = {(b.get("physical id"), b.get("core id")) for b in blocks if "core id" in b}
    if pairs:
        return len(pairs)
    sockets = {b.get("physical id") for b in blocks}
    per = next((int(b["cpu cores"]) for b in blocks if b.get("cpu cores", "").isdigit()), None)
    if per:
        return per * max(1, len(sockets))
    n = sum(1 for b in blocks if "processor" in b)
    return n or None


def clock_ghz(blocks: list[dict[str, str]], max_khz: float | None = None) -> float | None:
    """The highest clock the machine states: cpufreq's maximum (kHz) where given, else the
    highest 'cpu MHz' of the blocks (on many VMs the nominal clock)."""
    if max_khz:
        return max_khz / 1e6
    mhz = [float(b["cpu mhz"]) for b in blocks if _is_number(b.get("cpu mhz", ""))]
    return max(mhz) / 1000 if mhz else None


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def cpu_compute(cpuinfo: str, max_khz: float | None = None, cores: int | None = None) -> CpuCompute | None:
    """Peak figures of the CPU that /proc/cpuinfo text describes (None without flags, cores or
    clock). `cores` overrides the count read from the text."""
    blocks = _fields(cpuinfo)
    flags = set((next((b.get("flags") or b.get("features") for b in blocks if b.get("flags") or b.get("features")), "")).split())
    cores = cores or physical_cores(blocks)
    ghz = clock_ghz(blocks, max_khz)
    simd = next(((name, f) for name, f in SIMD_FLOPS_PER_CYCLE if name in flags), None)
    if not (flags and cores and ghz and simd):
        return None
    name, per_cycle = simd
    if name == "avx2" and "fma" not in flags:
        per_cycle //= 2
    family = next((b.get("cpu family") for b in blocks if b.get("cpu family")), "")
    vendor = next((b.get("vendor_id") for b in blocks if b.get("vendor_id")), "")
    if name == "avx512f" and vendor == "AuthenticAMD" and family == str(ZEN4_FAMILY):
        per_cycle //= 2
    return peak(cores, ghz, name, per_cycle, amx="amx_bf16" in flags, vnni=bool(flags & set(VNNI_FLAGS)))


def peak(cores: int, ghz: float, simd: str, per_cycle: int, amx: bool, vnni: bool) -> CpuCompute:
    """The peak figures of `cores` cores at `ghz` doing `per_cycle` FP32 FLOPs a cycle each: the
    one formula for a detected CPU and the catalog's CPUs (catalog/seed_tables_hardware.py)."""
    fp32 = cores * ghz * per_cycle / 1000
    matrix = cores * ghz * AMX_BF16_FLOPS_PER_CYCLE / 1000 if amx else None
    int8 = cores * ghz * AMX_INT8_OPS_PER_CYCLE / 1000 if amx else (fp32 * 4 if vnni else None)
    return CpuCompute(cores, ghz, simd, per_cycle, fp32, matrix, int8)


def at_least(c: CpuCompute, measured_tflops: float | None) -> CpuCompute:
    """`c` with its clock raised so that its FP32 peak is no lower than a measured FP32 rate (a
    VM states its nominal clock, not the one it runs at); every figure scales with the clock."""
    if not measured_tflops or measured_tflops <= c.fp32_tflops:
        return c
    ghz = c.ghz * measured_tflops / c.fp32_tflops
    return peak(c.cores, ghz, c.simd, c.flops_per_cycle, amx=c.matrix_tflops is not None,
                vnni=c.int8_tops is not None)


def this_cpu() -> CpuCompute | None:
    """`cpu_compute` of this machine (Linux /proc/cpuinfo and cpufreq); None elsewhere. Never raises."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        return None
    max_khz = None
    try:
        with open("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", encoding="utf-8") as fh:
            max_khz = float(fh.read().strip())
    except (OSError, ValueError):
        pass
    try:
        return cpu_compute(text, max_khz, cores=None if text.strip() else os.cpu_count())
    except (ValueError, KeyError):
        return None
