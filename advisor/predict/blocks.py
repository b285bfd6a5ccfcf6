"""Rows in blocks, scored in parallel threads: numpy's ufuncs, gathers and searches release the
GIL, so on a machine with several cores the blocks of a large batch (a million combinations)
run side by side. A block also keeps every temporary array small: a whole-batch temporary of a
million rows is fresh memory the kernel must fault in, every time."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

BLOCK = 262_144  # rows per block: each temporary column 2 MiB, classes of rows found within a block


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def for_blocks(n: int, work: Callable[[slice], None]) -> None:
    """Call `work` on every slice of `BLOCK` rows of `n`, in as many threads as there are
    usable cores (one block: no thread). Each call must write only its own rows."""
    block = BLOCK
    parts = [slice(start, min(n, start + block)) for start in range(0, n, block)]
    workers = min(len(parts), usable_cores())
    if workers <= 1:
        for part in parts:
            work(part)
        return
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(work, parts))  # re-raises the first failure of a block
