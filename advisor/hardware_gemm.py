"""The FP32 matrix-multiply rate of this CPU, measured the way its memory bandwidth is and kept
beside it, so that a detected CPU's compute is never below what it demonstrably does.

A virtual machine's /proc/cpuinfo states its nominal clock (2.6 GHz on this project's EPYC),
not the clock it runs at: the derived peak (advisor/cpu_flops.py) was 0.166 TFLOPS there while
numpy's float32 matmul did 0.19 and llama.cpp's F16 prefill 0.176. The measured rate is a floor
under the peak: a detected CPU's compute figure is the higher of the two, said in its notes.
`n x n` float32 matrices are multiplied by numpy's BLAS on every core several times (after an
untimed one); the figure is the median, with the spread, kept in `$ADVISOR_HOME/hardware.json`
with its date for 30 days, keyed by the machine like the bandwidth."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import asdict, dataclass
from datetime import date

from advisor.hardware_bandwidth import keep_entry, kept_entry

SIZE = 1536  # 7.2 GFLOP a product: tens of ms on two cores, past the cache-bound sizes


@dataclass(frozen=True)
class Gemm:
    """A measured FP32 matmul rate: median and spread (TFLOPS) of `runs` products on `measured`."""

    tflops: float
    low: float
    high: float
    runs: int
    measured: str
    machine: str
    threads: int
    cached: bool = False

    def note(self) -> str:
        how = "kept from an earlier launch" if self.cached else "measured now, kept for later launches"
        return (f"FP32 matmul MEASURED {self.tflops:g} TFLOPS on {self.measured} (median of {self.runs} "
                f"{SIZE}x{SIZE} numpy float32 products on {self.threads} core(s), spread {self.low:g}-"
                f"{self.high:g}; {how})")


def gemm_samples(size: int = SIZE, runs: int = 7, budget_s: float = 1.0) -> list[float]:
    """TFLOPS of up to `runs` timed float32 products (2 n^3 FLOPs each); at least three when the
    budget allows one, [] on failure."""
    try:
        import numpy as np

        rng = np.random.default_rng(0)
        a, b = (rng.random((size, size), dtype=np.float32) for _ in range(2))
        a @ b  # threads started, pages in: untimed
        out: list[float] = []
        start = time.perf_counter()
        for _ in range(runs):
            t = time.perf_counter()
            a @ b
            dt = time.perf_counter() - t
            if dt > 0:
                out.append(2 * size**3 / dt / 1e12)
            if len(out) >= 3 and time.perf_counter() - start > budget_s:
                break
        return out
    except Exception:  # noqa: BLE001 - detection must never raise
        return []


def summarize(samples: list[float], machine: str, today: date | None = None) -> Gemm | None:
    """Median and spread of the samples (to 0.001 TFLOPS); None without any."""
    if not samples:
        return None
    return Gemm(tflops=round(statistics.median(samples), 3), low=round(min(samples), 3),
                high=round(max(samples), 3), runs=len(samples), measured=(today or date.today()).isoformat(),
                machine=machine, threads=os.cpu_count() or 1)


def machine_gemm(machine: str, refresh: bool = False) -> Gemm | None:
    """This machine's matmul rate: kept when it is this machine's and recent, else measured now
    (and kept). None when it cannot be measured."""
    today = date.today()
    kept = None if refresh else kept_entry("gemm", machine, today, os.cpu_count() or 1)
    try:
        if kept is not None:
            return Gemm(**{**kept, "cached": True})
    except TypeError:  # written by another version: measured again
        pass
    g = summarize(gemm_samples(), machine, today)
    if g is not None:
        keep_entry("gemm", {k: v for k, v in asdict(g).items() if k != "cached"})
    return g
