"""Running library calls for concurrent requests: in a bounded pool of threads, within a time
limit, and never racing on the caches the catalog builds lazily.

`advisor.recommend()` builds per-snapshot caches on first use (the fitted predictor, the task
accuracies, which `AccuracyTable.preload` fills while iterating a plain dict); two requests
filling them at once could see each other's half-built state. The gate makes first use
exclusive: whenever the catalog's data version differs from the one it warmed, readers wait
while it loads the snapshot and the predictor and answers one questionnaire per task (which
fills every cache a request reads). A write through the server holds the write side of a
readers-writer lock (no reader runs across its commit), then warms the new data in the
background. After
warming, requests only read those caches (the per-hardware candidate tables are locked by
`advisor.recommend.source` itself)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from advisor.serve.errors import ServeError

T = TypeVar("T")


class ReadWriteLock:
    """Many readers or one writer; a waiting writer keeps new readers out (no starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting_writers = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writer and not self._waiting_writers)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._waiting_writers += 1
            self._cond.wait_for(lambda: not self._writer and not self._readers)
            self._waiting_writers -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


def _warm_questionnaire(task: str) -> dict[str, Any]:
    """A questionnaire that touches local and hosted candidates (hardware by facts: no name
    the catalog might lack)."""
    return {"use_case": {"task": task}, "requirements": {"deployment": "any"},
            "hardware": {"kind": "gpu", "memory_gb": 24, "mem_bandwidth_gbs": 1000, "fp16_tflops": 80}}


class CatalogGate:
    """The catalog of one server, read by many threads and written by one at a time."""

    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url
        self._lock = ReadWriteLock()
        self._warm_mutex = threading.Lock()
        self.warm_version: str | None = None

    def catalog(self) -> Any:
        from advisor.catalog import open_catalog

        return open_catalog(self.db_url)

    def warm(self) -> None:
        """Make the caches of the current data version ready. The predictor is loaded (or refit,
        seconds) holding only the warm mutex: readers of the new version wait for it, writers
        do not (no reader runs with the old version once a write is committed: `read` checks).
        The questionnaires, one per task, run with the write side held: nothing reads the
        caches they fill."""
        from advisor.predict.predictor import get_predictor
        from advisor.recommend import recommend
        from advisor.schema import TASKS

        with self._warm_mutex:
            cat = self.catalog()
            version = cat.data_version()
            if version == self.warm_version:
                return
            get_predictor(cat.snapshot())
            with self._lock.writing():
                for task in TASKS:
                    recommend(_warm_questionnaire(task), db_url=self.db_url, with_prompts=True)
            self.warm_version = version

    def read(self, fn: Callable[[], T]) -> T:
        """`fn()` beside other readers, once the caches of the current data version are warm."""
        while True:
            with self._lock.reading():
                if self.catalog().data_version() == self.warm_version:
                    return fn()
            self.warm()

    def write(self, fn: Callable[[], T]) -> T:
        """`fn()` alone. The caches are then warmed for the new data in the background (a refit
        takes seconds, and no request's time limit should pay for it); readers that need them
        wait for it, the light ones (`read_light`) do not."""
        with self._lock.writing():
            out = fn()
        threading.Thread(target=self.warm, name="advisor-serve-warm", daemon=True).start()
        return out

    def read_light(self, fn: Callable[[], T]) -> T:
        """`fn()` for calls that touch no lazily built cache (counts, listings, one entry)."""
        return fn()


class Runner:
    """Library calls in a pool of `workers` threads; at most `max_queue` more wait. A call over
    `timeout_s` answers 503 (the thread finishes its work in the background; one still queued
    is dropped)."""

    def __init__(self, workers: int, max_queue: int, timeout_s: float) -> None:
        self.workers, self.max_queue, self.timeout_s = workers, max_queue, timeout_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="advisor-serve")
        self._pending = 0  # changed only on the event loop

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._pending >= self.workers + self.max_queue:
            raise ServeError(503, f"busy: {self._pending} calls running or waiting; try again",
                             headers={"Retry-After": "1"})
        self._pending += 1
        future = self._pool.submit(fn, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout_s)
        except TimeoutError:
            future.cancel()
            raise ServeError(503, f"not answered within the time limit of {self.timeout_s:g} s",
                             headers={"Retry-After": "5"}) from None
        finally:
            self._pending -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
