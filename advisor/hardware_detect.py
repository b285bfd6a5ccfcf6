"""Detect the hardware of this machine: NVIDIA GPUs (nvidia-smi), Apple silicon (sysctl),
else the CPU (/proc/cpuinfo, /proc/meminfo, a timed memory read for the bandwidth, a timed
matmul under the compute).

    from advisor.hardware_detect import detect, detect_hardware
    spec = detect_hardware()          # advisor.schema.HardwareSpec
    det = detect()                    # .spec, .notes, .catalog_name, .bandwidth_measured

Every probe is wrapped in try/except with a fallback: detection never raises. A GPU or Apple
chip is matched against the catalog by name (bandwidth and compute come from there); a CPU
that the catalog does not know gets a *measured estimate* of its memory bandwidth (the median
of timed reads of a 256 MB numpy array, one thread per core, with its spread and date) and a
compute figure derived from /proc/cpuinfo, raised to its measured FP32 matmul rate where the
stated clock is nominal, both kept per machine in `$ADVISOR_HOME/hardware.json` so that every
launch uses the same figures (advisor/hardware_bandwidth.py, advisor/hardware_gemm.py); the
notes say so. Measured figures are what the machine achieves, the catalog's are peaks: both are
put on the peak basis, divided by the share of their peaks the catalog's CPUs reach
(`_peak_shares`). The result is cached per process (`detect(refresh=True)` detects and measures
again).
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from advisor.cpu_flops import at_least, this_cpu
from advisor.hardware_bandwidth import SIZE_MB, Bandwidth, machine_bandwidth, read_samples, summarize
from advisor.hardware_gemm import Gemm, machine_gemm
from advisor.schema import HardwareSpec

DETECTED_SUFFIX = "(detected)"


@dataclass
class Detection:
    """What `detect()` found: the spec, how it was found, and what is an estimate."""

    spec: HardwareSpec
    notes: list[str] = field(default_factory=list)
    catalog_name: str | None = None  # the catalog row matched, if any
    bandwidth_measured: bool = False
    cores: int | None = None
    bandwidth: Bandwidth | None = None  # the measurement (median, spread, date) when measured


_CACHE: Detection | None = None


def _run(cmd: list[str], timeout: float = 3.0) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout


def measure_bandwidth_gbs(size_mb: int = SIZE_MB, budget_s: float = 1.5) -> float | None:
    """The median read bandwidth in GB/s measured now (not kept); None on failure."""
    bw = summarize(read_samples(size_mb, budget_s=budget_s), machine="")
    return bw.gbs if bw is not None else None


def _machine_key(what: str, mem: float | None) -> str:
    """What a kept measurement belongs to: the chip, cores, memory and host."""
    return f"{what} | {os.cpu_count()} cores | {mem} GB | {platform.node()}"


def _bandwidth(what: str, mem: float | None, refresh: bool) -> Bandwidth | None:
    """This machine's kept or newly measured bandwidth (advisor/hardware_bandwidth.py)."""
    return machine_bandwidth(_machine_key(what, mem), refresh)


def _meminfo_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    kb = float(line.split()[1])
                    return round(kb / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    out = _run(["sysctl", "-n", "hw.memsize"])
    if out:
        try:
            return round(int(out.strip()) / 1024**3, 1)
        except ValueError:
            pass
    return None


def _cpu_name() -> str | None:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "cpu model", "Processor") and value.strip():
                    return " ".join(value.split())
    except OSError:
        pass
    out = _run(["sysctl", "-n", "machdep.cpu.brand_string"])
    if out and out.strip():
        return out.strip()
    try:
        name = platform.processor() or platform.machine()
        return name or None
    except Exception:  # noqa: BLE001
        return None


def _nvidia_gpus() -> list[tuple[str, float | None]]:
    out = _run(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"])
    gpus: list[tuple[str, float | None]] = []
    if not out:
        return gpus
    for line in out.splitlines():
        if not line.strip():
            continue
        name, _, mem = line.rpartition(",")
        if not name:
            name, mem = mem, ""
        gb: float | None = None
        m = re.search(r"([\d.]+)\s*(MiB|GiB|MB|GB)?", mem)
        if m:
            try:
                value = float(m.group(1))
                unit = (m.group(2) or "MiB").lower()
                gb = round(value / 1024 if unit in ("mib", "mb") else value, 1)
            except ValueError:
                gb = None
        gpus.append((name.strip(), gb))
    return gpus


def _match_catalog(name: str):  # type: ignore[no-untyped-def]
    """The catalog hardware row (snapshot) for `name` (tries name variants), or None; never raises."""
    try:
        from advisor.catalog.names import hardware_name_variants
        from advisor.catalog.read import catalog_snapshot

        snap = catalog_snapshot()
        for variant in hardware_name_variants(name):
            hw = snap.find_hardware(variant)
            if hw is not None:
                return hw
    except Exception:  # noqa: BLE001 - a broken catalog must not break detection
        return None
    return None


def _detect_nvidia() -> Detection | None:
    gpus = _nvidia_gpus()
    if not gpus:
        return None
    name, mem = gpus[0]
    count = sum(1 for g in gpus if g[0] == name)
    notes = [f"found {len(gpus)} GPU(s) with nvidia-smi: {', '.join(sorted({g[0] for g in gpus}))}"]
    if count != len(gpus):
        notes.append(f"mixed GPUs: only the {count} x {name} are counted")
    hw = _match_catalog(name)
    if hw is not None:
        spec = HardwareSpec.of(hw, n_devices=count)
        if mem and spec.memory_gb is None:
            spec = spec.model_copy(update={"memory_gb": mem})
        notes.append(f"matched catalog hardware '{hw.name}' (bandwidth and compute from the catalog)")
        return Detection(spec, notes, catalog_name=hw.name, cores=os.cpu_count())
    notes.append(f"'{name}' is not in the catalog: bandwidth and compute unknown")
    spec = HardwareSpec(name=f"{name} {DETECTED_SUFFIX}", kind="gpu", vendor="NVIDIA",
                        memory_gb=mem, n_devices=count)
    return Detection(spec, notes, cores=os.cpu_count())


def _detect_apple(refresh: bool = False) -> Detection | None:
    if platform.system() != "Darwin":
        return None
    brand = (_run(["sysctl", "-n", "machdep.cpu.brand_string"]) or "").strip()
    if "Apple" not in brand:
        return None
    mem = _meminfo_gb()
    notes = [f"Apple silicon: {brand} (sysctl)"]
    hw = _match_catalog(brand)
    if hw is not None:
        spec = HardwareSpec.of(hw)
        if mem:
            spec = spec.model_copy(update={"memory_gb": mem})
        notes.append(f"matched catalog hardware '{hw.name}' (bandwidth from the catalog); "
                     f"memory {mem} GB from sysctl")
        return Detection(spec, notes, catalog_name=hw.name, cores=os.cpu_count())
    measured = _bandwidth(f"apple {brand}", mem, refresh)
    notes.append(f"'{brand}' is not in the catalog")
    if measured is not None:
        notes.append(measured.note())
    spec = HardwareSpec(name=f"{brand} {DETECTED_SUFFIX}", kind="apple", vendor="Apple",
                        memory_gb=mem, mem_bandwidth_gbs=measured.gbs if measured else None)
    return Detection(spec, notes, bandwidth_measured=measured is not None, cores=os.cpu_count(),
                     bandwidth=measured)


def cpu_vendor(name: str) -> str | None:
    low = name.lower()
    for key, vendor in (("amd", "AMD"), ("intel", "Intel"), ("apple", "Apple"), ("ampere", "Ampere"),
                        ("arm", "Arm"), ("qualcomm", "Qualcomm"), ("graviton", "AWS")):
        if key in low:
            return vendor
    return None


def _detect_cpu(refresh: bool = False) -> Detection:
    name = _cpu_name() or "unknown CPU"
    cores = os.cpu_count()
    mem = _meminfo_gb()
    notes = [f"CPU: {name}, {cores} logical cores (os.cpu_count), {mem} GB RAM"]
    hw = _match_catalog(name)
    if hw is not None:
        if hw.kind == "cpu":
            spec = HardwareSpec.of(hw)
            notes.append(f"matched catalog hardware '{hw.name}'")
            return Detection(spec, notes, catalog_name=hw.name, cores=cores)
    decode_share, prefill_share = _peak_shares()
    machine = _machine_key(f"cpu {name}", mem)
    measured = _bandwidth(f"cpu {name}", mem, refresh)
    gemm = machine_gemm(machine, refresh)
    # a second look at each, about a second after the first: raised where that was a busy moment
    measured = _looked_twice(measured, lambda: _bandwidth(f"cpu {name}", mem, False))
    gemm = _looked_twice(gemm, lambda: machine_gemm(machine))
    notes.append(measured.note() if measured is not None else "memory bandwidth could not be measured")
    compute_notes: list[str] = []
    compute = _cpu_compute_fields(compute_notes, gemm, prefill_share)
    bw = measured.gbs if measured is not None else None
    if bw is not None and decode_share:
        bw = round(bw / decode_share, 1)
        notes.append(f"mem_bandwidth_gbs {bw:g} GB/s is that read on the peak basis of the catalog's CPU figures: "
                     f"{measured.gbs:g} / {decode_share:g}, the median share of their peak bandwidth that the "  # type: ignore[union-attr]
                     f"catalog's CPUs reach in decode (a read runs at about what decode achieves)")
    label = name if re.search(r"\bcpu\b", name, re.I) else f"{name} CPU"
    spec = HardwareSpec(
        name=f"{label} ({cores} cores) {DETECTED_SUFFIX}" if cores else f"{label} {DETECTED_SUFFIX}",
        kind="cpu", vendor=cpu_vendor(name), memory_gb=mem, mem_bandwidth_gbs=bw, **compute,
    )
    notes.extend(compute_notes)
    return Detection(spec, notes, bandwidth_measured=bw is not None, cores=cores, bandwidth=measured)


def _looked_twice(first: Any, look_again: Callable[[], Any]) -> Any:
    """A measurement taken now, or a second look's when that raised it (`kept_or_measured`: the
    first was a busy moment); a kept one as it is."""
    if first is None or first.cached:
        return first
    again = look_again()
    return again if again is not None and not again.cached else first


def _cpu_compute_fields(notes: list[str], gemm: Gemm | None, prefill_share: float | None) -> dict[str, float]:
    """This CPU's peak compute derived from /proc/cpuinfo (advisor/cpu_flops.py), raised to its
    measured FP32 matmul rate `gemm`, put on the peak basis by `prefill_share` (`_peak_shares`),
    where that is higher (advisor/hardware_gemm.py), as HardwareSpec fields with notes saying how;
    empty (compute unknown, the predictor imputes) when the machine does not tell."""
    compute = this_cpu()
    if compute is None:
        notes.append("compute unknown: /proc/cpuinfo names no cores, clock or SIMD flags")
        return {}
    notes.append(compute.note())
    if gemm is not None:
        implied = gemm.tflops / prefill_share if prefill_share else gemm.tflops
        basis = (f" ({gemm.tflops:g} / {prefill_share:g}, the median share of their peak compute that the catalog's "
                 f"CPUs reach in prefill: a matmul runs at about what F16 prefill achieves)" if prefill_share else "")
        raised = at_least(compute, implied)
        notes.append(gemm.note() + (f"; as a peak {implied:.3f} TFLOPS{basis}: above the derived peak, so the clock "
                                    f"is taken as {raised.ghz:.2f} GHz (the stated one is nominal) and the peak as "
                                    f"{raised.fp32_tflops:.3f} TFLOPS" if raised is not compute
                                    else f"; as a peak {implied:.3f} TFLOPS{basis}: within the derived peak"))
        compute = raised
    out = {"fp32_tflops": round(compute.fp32_tflops, 4)}
    if compute.matrix_tflops:
        out["fp16_tflops"] = round(compute.matrix_tflops, 4)
    if compute.int8_tops:
        out["int8_tops"] = round(compute.int8_tops, 4)
    return out


def _peak_shares() -> tuple[float | None, float | None]:
    """(decode, prefill) shares of their peak figures the catalog's CPUs reach (fitted with the
    shipped predictor, `advisor.predict.speed.peak_share`): a measured figure is what a machine
    achieves, the trees learned efficiency against peaks, so measured figures are divided by them.
    That a read and a matmul run at about what an engine achieves was measured on this project's
    2-core EPYC VM (advisor.benchmarks.cpu_profiles, 2026-12-03): read 29.8 GB/s against 38.7 for
    llama.cpp's F16 decode of a 1.1B model; numpy's FP32 matmul 0.16-0.19 TFLOPS against 0.167 for
    its F16 prefill. Without the division the predictions there were 18-55 % low."""
    from advisor.predict.predictor import cpu_peak_shares

    return cpu_peak_shares()


def detect(refresh: bool = False) -> Detection:
    """Detect this machine (cached per process). Never raises."""
    global _CACHE
    if _CACHE is not None and not refresh:
        return _CACHE
    result: Detection | None = None
    for probe in (_detect_nvidia, lambda: _detect_apple(refresh)):
        try:
            result = probe()
        except Exception:  # noqa: BLE001
            result = None
        if result is not None:
            break
    if result is None:
        try:
            result = _detect_cpu(refresh)
        except Exception as exc:  # noqa: BLE001
            result = Detection(HardwareSpec(name=f"unknown machine {DETECTED_SUFFIX}", kind="cpu"),
                               [f"detection failed: {exc}"])
    _CACHE = result
    return result


def detect_hardware() -> HardwareSpec:
    """This machine as a HardwareSpec (see `detect()` for the notes that go with it)."""
    return detect().spec


def notes_of(spec: HardwareSpec) -> list[str]:
    """How this process's detection found `spec` (what was measured, derived or matched); none
    when it found another machine or none ran: nothing is detected or measured here."""
    return list(_CACHE.notes) if _CACHE is not None and _CACHE.spec.name == spec.name else []
