"""A bounded concurrent HTTP client: N requests, C at a time, each on a kept-alive connection of
its worker (standard library only). Reports the failures and the latency percentiles; the
answers can be kept to check that concurrent requests got the answer of their own body."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class LoadReport:
    requests: int
    failures: int
    concurrency: int
    wall_s: float
    latencies_ms: list[float]
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    answers: list[tuple[int, Any]] = field(default_factory=list)  # (body index, parsed answer)

    def percentile(self, p: float) -> float:
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")

    def figures(self) -> dict[str, Any]:
        return {"requests": self.requests, "failures": self.failures, "concurrency": self.concurrency,
                "p50_ms": round(self.percentile(50), 1), "p99_ms": round(self.percentile(99), 1),
                "max_ms": round(max(self.latencies_ms, default=float("nan")), 1),
                "requests_per_s": round(self.requests / self.wall_s, 1) if self.wall_s else None,
                "statuses": dict(self.statuses)}


def post_json(conn: http.client.HTTPConnection, path: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """One POST on `conn`; (status, parsed JSON answer)."""
    data = json.dumps(body).encode()
    conn.request("POST", path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    resp = conn.getresponse()
    raw = resp.read()
    return resp.status, json.loads(raw) if raw else None


def run_load(base_url: str, path: str, bodies: Sequence[Any], n: int, concurrency: int,
             keep_answers: bool = False, timeout_s: float = 120.0) -> LoadReport:
    """POST `bodies[i % len(bodies)]` for i in range(n), `concurrency` at a time; a failure is a
    non-2xx answer or a broken connection."""
    url = urlsplit(base_url)
    local = threading.local()
    lock = threading.Lock()
    report = LoadReport(n, 0, concurrency, 0.0, [])

    def one(i: int) -> None:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout_s)
        t0 = time.perf_counter()
        try:
            status, answer = post_json(conn, path, bodies[i % len(bodies)])
        except (OSError, http.client.HTTPException, ValueError) as exc:
            conn.close()
            local.conn = None
            status, answer = 0, f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - t0) * 1000
        with lock:
            report.latencies_ms.append(ms)
            report.statuses[status] += 1
            if not 200 <= status < 300:
                report.failures += 1
                if len(report.errors) < 10:
                    report.errors.append(f"{status}: {str(answer)[:300]}")
            elif keep_answers:
                report.answers.append((i % len(bodies), answer))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(n)))
    report.wall_s = time.perf_counter() - t0
    return report


def questionnaires() -> list[dict[str, Any]]:
    """Varied recommend bodies: tasks x hardware (by name and by facts) x deployment x workload."""
    tasks = ["chat", "code", "summarization", "rag", "math", "extraction"]
    hardware: list[dict[str, Any]] = [{"name": "RTX 4090"}, {"name": "A100 80GB"}, {"name": "M2 Max"},
                                      {"kind": "gpu", "memory_gb": 16, "mem_bandwidth_gbs": 500}]
    out = []
    for i, task in enumerate(tasks):
        for j, hw in enumerate(hardware):
            out.append({"use_case": {"task": task},
                        "workload": {"prompt_tokens": 500 + 250 * (i % 3), "output_tokens": 200 + 100 * (j % 2)},
                        "requirements": {"deployment": ["local", "any", "auto"][(i + j) % 3]},
                        "hardware": hw})
    return out
