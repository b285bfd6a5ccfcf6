"""The memory bandwidth of this machine, measured the same way each time and kept per machine.

One read of a 256 MB array (a max reduction, which runs at memory speed), split over one thread
per core, is timed several times (after an untimed read that pays the page faults); the figure
is the median, the spread is the lowest and highest read. A read is what decode does (every
token streams the weights): on this project's 2-core EPYC the read gave 32 GB/s and llama.cpp's
F16 decode of a 1.1B model 33, where a copy gave 24 (a copy also writes, and is timed as
2 x bytes). A best-of-N figure moved with whatever else ran on a shared machine (8 GB/s, then
16 GB/s on the next launch) and every CPU prediction moved with it. The measurement is kept in
`$ADVISOR_HOME/hardware.json` with its date, keyed by the machine (CPU, cores, memory, host),
and reused on later launches for 30 days, raised when a later launch's few reads measure more
(never lowered: a slower read is a busier machine); `detect(refresh=True)` measures again. The file's
keyed store (`kept_or_measured`, with `rates` and `spread`) also keeps the matmul rate
(advisor/hardware_gemm.py)."""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SIZE_MB = 256
MAX_AGE_DAYS = 30


@dataclass(frozen=True)
class Bandwidth:
    """A measured read bandwidth: median and spread (GB/s) of `runs` reads, on `measured` (ISO date)."""

    gbs: float
    low: float
    high: float
    runs: int
    measured: str
    machine: str
    cached: bool = False
    threads: int = 1  # reading at once (files written before this field: one)
    method: str = "copy"  # what was timed (files written before this field: copies)

    def note(self) -> str:
        how = "kept from an earlier launch" if self.cached else "measured now, kept for later launches"
        return (f"mem_bandwidth_gbs {self.gbs:g} GB/s is a measured estimate on {self.measured} (median of "
                f"{self.runs} reads of a {SIZE_MB} MB array by {self.threads} thread(s) at once, spread "
                f"{self.low:g}-{self.high:g} GB/s; bytes / time, below the peak; {how})")


def read_threads() -> int:
    """Threads that read at once: one per core (as an engine's threads read the weights), at most 16."""
    return max(1, min(os.cpu_count() or 1, 16))


def rates(timed_run: Callable[[], float], work: float, runs: int, budget_s: float) -> list[float]:
    """`work` / seconds of up to `runs` calls of `timed_run` (each returns the seconds it timed);
    at least three when the budget allows one."""
    out: list[float] = []
    start = time.perf_counter()
    for _ in range(runs):
        dt = timed_run()
        if dt > 0:
            out.append(work / dt)
        if len(out) >= 3 and time.perf_counter() - start > budget_s:
            break
    return out


def spread(samples: list[float], digits: int) -> dict[str, float]:
    """Median, lowest and highest of the samples (rounded) and how many: a kept figure's fields."""
    return {"low": round(min(samples), digits), "high": round(max(samples), digits), "runs": len(samples),
            "median": round(statistics.median(samples), digits)}


def read_samples(size_mb: int = SIZE_MB, runs: int = 9, budget_s: float = 1.5) -> list[float]:
    """GB/s of up to `runs` timed reads (bytes / time), each split over `read_threads()` threads
    at once (numpy reduces without the GIL): one core alone reads well below a multi-core CPU's
    bandwidth (27 against 32 GB/s on this project's 2-core machine). At least three when the
    budget allows one, [] on failure."""
    try:
        import numpy as np

        n = max(1, int(size_mb)) * 1024 * 1024
        src = np.ones(n, dtype=np.uint8)
        src.max()  # page-in, untimed
        k = read_threads()
        parts = [src[i * n // k:(i + 1) * n // k] for i in range(k)]

        def one_read() -> float:
            workers = [threading.Thread(target=np.max, args=(p,)) for p in parts]
            t = time.perf_counter()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            return time.perf_counter() - t

        out = rates(one_read, n / 1e9, runs, budget_s)
        del src, parts
        return out
    except Exception:  # noqa: BLE001 - detection must never raise
        return []


RAISE_MARGIN = 1.1  # how much more a re-check must measure to replace a kept figure (run-to-run noise: ~5 %)


def summarize(samples: list[float], machine: str, today: date | None = None) -> Bandwidth | None:
    """Median and spread of the samples (rounded to 0.1 GB/s); None without any."""
    if not samples:
        return None
    fig = spread(samples, 1)
    return Bandwidth(gbs=fig.pop("median"), **fig, measured=(today or date.today()).isoformat(), machine=machine,
                     threads=read_threads(), method="read")


def _cache_path() -> Path:
    from advisor.config import advisor_home

    return advisor_home() / "hardware.json"


def _kept_entry(key: str, machine: str, today: date, threads: int) -> dict | None:
    """The kept measurement under `key` (bandwidth, gemm) when it is this machine's, taken by
    `threads` threads and at most MAX_AGE_DAYS old; None otherwise (measured again)."""
    try:
        entry = json.loads(_cache_path().read_text(encoding="utf-8"))[key]
        if (entry["machine"] != machine or entry.get("threads", 1) != threads
                or date.fromisoformat(entry["measured"]) < today - timedelta(days=MAX_AGE_DAYS)):
            return None  # another machine, an older version's single-threaded figure, or too old
        return dict(entry)
    except Exception:  # noqa: BLE001 - a missing or damaged cache is measured again
        return None


def _keep_entry(key: str, entry: dict) -> None:
    """Keep `entry` under `key` beside the other kept measurements (the file whole or not at all)."""
    from advisor.safeio import write_atomic

    try:
        path = _cache_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            data = {}
        data[key] = entry
        write_atomic(path, json.dumps(data, indent=2) + "\n", force=True)
    except Exception:  # noqa: BLE001 - not kept: measured again next launch
        pass


def kept_or_measured(key: str, machine: str, threads: int, refresh: bool, load: Callable[[dict], Any],
                     measure: Callable[[date], Any], recheck: Callable[[], Any] | None = None,
                     figure: Callable[[Any], float] | None = None) -> Any:
    """The kept figure under `key` (`load` of its entry; None or a TypeError: not usable) when it is
    this machine's and recent, else `measure(today)`, kept when there is one. With `recheck` (a
    short measurement) a kept figure is timed again and replaced, and kept, when `figure` of the
    new one is RAISE_MARGIN times higher or more: never lowered, since a slower moment is a busier
    machine, not a slower one (a first launch beside a VM's busy neighbours measured half this
    project's matmul rate); within the margin the kept figure stands, so launches agree."""
    today = date.today()
    kept = None if refresh else _kept_entry(key, machine, today, threads)
    try:
        value = load(kept) if kept is not None else None
    except TypeError:  # written by another version: measured again
        value = None
    if value is None:
        value = measure(today)
        if value is not None:
            keep(key, value)
        return value
    again = recheck() if recheck is not None and figure is not None else None
    if again is not None and figure(again) >= RAISE_MARGIN * figure(value):  # type: ignore[misc]
        keep(key, again)
        return again
    return value


def keep(key: str, value: Any) -> None:
    """Keep a measured figure (a dataclass: its fields but `cached`) under `key` for later launches."""
    _keep_entry(key, {k: v for k, v in asdict(value).items() if k != "cached"})


RECHECK_READS = 3  # reads timed again on a later launch (`kept_or_measured`): about 0.1 s here


def machine_bandwidth(machine: str, refresh: bool = False) -> Bandwidth | None:
    """This machine's bandwidth: the kept measurement when it is this machine's and recent (and a
    read: an older version's copy is measured again), raised, and kept, when a few reads now
    measure more (`kept_or_measured`: a VM's neighbours once held a first launch here at 18.6
    GB/s against 29-32, and every decode estimate at 0.6x); else measured now (and kept). None
    when it cannot be measured."""
    return kept_or_measured("bandwidth", machine, read_threads(), refresh,
                            lambda e: Bandwidth(**{**e, "cached": True}) if e.get("method") == "read" else None,
                            lambda today: summarize(read_samples(), machine, today),
                            lambda: summarize(read_samples(runs=RECHECK_READS, budget_s=0.3), machine),
                            lambda b: b.gbs)
