"""The memory bandwidth of this machine, measured the same way each time and kept per machine.

One copy of a 256 MB array, split over one thread per core, is timed several times (after an
untimed copy that pays the page faults); the figure is the median, the spread is the lowest and highest copy. A best-of-N
figure moved with whatever else ran on a shared machine (8 GB/s, then 16 GB/s on the next
launch) and every CPU prediction moved with it. The measurement is kept in
`$ADVISOR_HOME/hardware.json` with its date, keyed by the machine (CPU, cores, memory, host),
and reused on later launches for 30 days; `detect(refresh=True)` measures again."""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

SIZE_MB = 256
MAX_AGE_DAYS = 30


@dataclass(frozen=True)
class Bandwidth:
    """A measured copy bandwidth: median and spread (GB/s) of `runs` copies, on `measured` (ISO date)."""

    gbs: float
    low: float
    high: float
    runs: int
    measured: str
    machine: str
    cached: bool = False
    threads: int = 1  # copying at once (files written before this field: one)

    def note(self) -> str:
        how = "kept from an earlier launch" if self.cached else "measured now, kept for later launches"
        return (f"mem_bandwidth_gbs {self.gbs:g} GB/s is a measured estimate on {self.measured} (median of "
                f"{self.runs} copies of a {SIZE_MB} MB array by {self.threads} thread(s) at once, spread "
                f"{self.low:g}-{self.high:g} GB/s; 2 x bytes / time, below the peak; {how})")


def copy_threads() -> int:
    """Threads that copy at once: one per core (as an engine's threads read the weights), at most 16."""
    return max(1, min(os.cpu_count() or 1, 16))


def copy_samples(size_mb: int = SIZE_MB, runs: int = 9, budget_s: float = 1.5) -> list[float]:
    """GB/s of up to `runs` timed copies (2 x bytes / time: read + write), each copy split over
    `copy_threads()` threads at once (numpy copies without the GIL): one core alone reads well
    below a multi-core CPU's bandwidth (28 against 45 GB/s on this project's 2-core machine,
    where llama.cpp's decode reads 42). At least three when the budget allows one, [] on failure."""
    try:
        import numpy as np

        n = max(1, int(size_mb)) * 1024 * 1024
        src = np.ones(n, dtype=np.uint8)
        dst = np.empty_like(src)
        np.copyto(dst, src)  # page-in, untimed
        k = copy_threads()
        parts = [slice(i * n // k, (i + 1) * n // k) for i in range(k)]
        out: list[float] = []
        start = time.perf_counter()
        for _ in range(runs):
            workers = [threading.Thread(target=np.copyto, args=(dst[p], src[p])) for p in parts]
            t = time.perf_counter()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            dt = time.perf_counter() - t
            if dt > 0:
                out.append(2 * n / dt / 1e9)
            if len(out) >= 3 and time.perf_counter() - start > budget_s:
                break
        del src, dst
        return out
    except Exception:  # noqa: BLE001 - detection must never raise
        return []


def summarize(samples: list[float], machine: str, today: date | None = None) -> Bandwidth | None:
    """Median and spread of the samples (rounded to 0.1 GB/s); None without any."""
    if not samples:
        return None
    return Bandwidth(gbs=round(statistics.median(samples), 1), low=round(min(samples), 1),
                     high=round(max(samples), 1), runs=len(samples),
                     measured=(today or date.today()).isoformat(), machine=machine, threads=copy_threads())


def _cache_path() -> Path:
    from advisor.config import advisor_home

    return advisor_home() / "hardware.json"


def _read(machine: str, today: date) -> Bandwidth | None:
    try:
        data = json.loads(_cache_path().read_text(encoding="utf-8"))
        bw = Bandwidth(**{**data["bandwidth"], "cached": True})
        if (bw.machine != machine or bw.threads != copy_threads()
                or date.fromisoformat(bw.measured) < today - timedelta(days=MAX_AGE_DAYS)):
            return None  # another machine, a single-threaded copy of an older version, or too old
        return bw
    except Exception:  # noqa: BLE001 - a missing or damaged cache is measured again
        return None


def _write(bw: Bandwidth) -> None:
    try:
        path = _cache_path()
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps({"bandwidth": {k: v for k, v in asdict(bw).items() if k != "cached"}},
                                  indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)  # whole or not at all
    except Exception:  # noqa: BLE001 - not cached: measured again next launch
        pass


def machine_bandwidth(machine: str, refresh: bool = False) -> Bandwidth | None:
    """This machine's bandwidth: the kept measurement when it is this machine's and recent,
    else measured now (and kept). None when it cannot be measured."""
    today = date.today()
    if not refresh:
        kept = _read(machine, today)
        if kept is not None:
            return kept
    bw = summarize(copy_samples(), machine, today)
    if bw is not None:
        _write(bw)
    return bw
