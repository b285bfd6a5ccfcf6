"""Benchmark (not a test): a real `advisor serve` process on 127.0.0.1, loaded with N recommend
requests (24 different questionnaires: tasks x devices x deployments x workloads), C at a time,
by a plain HTTP client on kept-alive connections. Prints requests, failures, latency
percentiles and throughput, and checks that each answer is the one its questionnaire gets alone.

    python -m advisor.benchmarks.bench_serve [--requests 2000] [--concurrency 16] [--db URL] [--workers 4] [--no-prompts]

The server uses ADVISOR_HOME / ADVISOR_DB_URL as any command does (`--db` for PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import time

from advisor.serve.load import questionnaires, run_load
from advisor.serve.process import server_process
from advisor.serve.settings import TOKEN_ENV


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--db", default=None, help="catalog URL (default: ADVISOR_DB_URL, else the SQLite file)")
    ap.add_argument("--workers", type=int, default=4, help="server threads (advisor serve --workers)")
    ap.add_argument("--no-prompts", action="store_true", help="recommend without the prompt set")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    path = "/v1/recommend" + ("?prompts=false" if args.no_prompts else "")
    bodies = questionnaires()
    t0 = time.perf_counter()
    with server_process("--workers", str(args.workers), env=env, db_url=args.db) as server:
        started_s = time.perf_counter() - t0
        alone = run_load(server.url, path, bodies, len(bodies), 1, keep_answers=True)
        reference = dict(alone.answers)
        report = run_load(server.url, path, bodies, args.requests, args.concurrency, keep_answers=True)
    mixed = sum(1 for i, answer in report.answers if answer != reference.get(i))
    figures = {**report.figures(), "database": (args.db or os.environ.get("ADVISOR_DB_URL") or "sqlite").split(":")[0],
               "server_workers": args.workers, "prompts": not args.no_prompts, "distinct_bodies": len(bodies),
               "answers_differing_from_alone": mixed, "server_start_s": round(started_s, 1),
               "alone_p50_ms": round(alone.percentile(50), 1), "cpus": os.cpu_count()}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for k, v in figures.items():
        print(f"{k:30} {v}")
    for e in report.errors:
        print(f"error: {e}")


if __name__ == "__main__":
    main()
