"""The FP32 matrix-multiply rate of this CPU, measured the way its memory bandwidth is and kept
beside it, so that a detected CPU's compute is never below what it demonstrably does.

A virtual machine's /proc/cpuinfo states its nominal clock (2.6 GHz on this project's EPYC),
not the clock it runs at: the derived peak (advisor/cpu_flops.py) was 0.166 TFLOPS there while
numpy's float32 matmul did 0.19 and llama.cpp's F16 prefill 0.176. The measured rate is a floor
under the peak: a detected CPU's compute figure is the higher of the two, said in its notes.
`n x n` float32 matrices are multiplied by numpy's BLAS on every core several times (after an
untimed one); the figure is the median, with the spread, kept in `$ADVISOR_HOME/hardware.json`
with its date for 30 days, keyed by the machine like the bandwidth. A later launch checks it with
a few products and raises it when the machine now does more (a first detection does that check
too, after its bandwidth's second read, about a second later): a first launch on a busy machine
(a VM's neighbours took half of this project's two cores: 0.105 against 0.20 TFLOPS) must not
hold the compute figure, and with it every prefill estimate, at half for a month."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date

from advisor.hardware_bandwidth import kept_or_measured, rates, spread

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

        def one_product() -> float:
            t = time.perf_counter()
            a @ b
            return time.perf_counter() - t

        return rates(one_product, 2 * size**3 / 1e12, runs, budget_s)
    except Exception:  # noqa: BLE001 - detection must never raise
        return []


def summarize(samples: list[float], machine: str, today: date | None = None) -> Gemm | None:
    """Median and spread of the samples (to 0.001 TFLOPS); None without any."""
    if not samples:
        return None
    fig = spread(samples, 3)
    return Gemm(tflops=fig.pop("median"), **fig, measured=(today or date.today()).isoformat(), machine=machine,
                threads=os.cpu_count() or 1)


RECHECK_RUNS = 3  # products timed again on a later launch (`kept_or_measured`): about 0.1 s here


def machine_gemm(machine: str, refresh: bool = False) -> Gemm | None:
    """This machine's matmul rate: kept when it is this machine's and recent (raised, and kept,
    when a quick check now measures more: `kept_or_measured`), else measured now (and kept).
    None when it cannot be measured."""
    return kept_or_measured("gemm", machine, os.cpu_count() or 1, refresh, lambda e: Gemm(**{**e, "cached": True}),
                            lambda today: summarize(gemm_samples(), machine, today),
                            lambda: summarize(gemm_samples(runs=RECHECK_RUNS, budget_s=0.3), machine),
                            lambda g: g.tflops)
