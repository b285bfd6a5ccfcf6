"""Benchmark (not a test): warm `advisor.recommend()` over the whole catalog, and a cold
`advisor recommend --json` process (and whether it imported textual or litellm).

    python -m advisor.benchmarks.bench_recommend [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from advisor.recommend import recommend

QUESTIONNAIRES = [
    {"use_case": {"task": "code"}, "hardware": {"name": "RTX 4090"}, "requirements": {"min_decode_tok_s": 20}},
    {"use_case": {"task": "chat"}, "hardware": {"name": "M2 Ultra"}, "requirements": {"deployment": "any"}},
    {"use_case": {"task": "rag"}, "workload": {"prompt_tokens": 6000, "output_tokens": 300, "context_tokens": 16000},
     "hardware": {"kind": "gpu", "memory_gb": 48, "mem_bandwidth_gbs": 864}},
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    for q in QUESTIONNAIRES:
        recommend(q, with_prompts=False)  # warm: catalog snapshot, predictor, caches
        ts = []
        for _ in range(args.runs):
            t = time.perf_counter()
            recommend(q, with_prompts=False)
            ts.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        recommend(q, with_prompts=True)
        with_prompts = (time.perf_counter() - t) * 1000
        print(f"warm recommend {q['use_case']['task']:6} on {q['hardware'].get('name', 'facts')}: "
              f"median {statistics.median(ts):.1f} ms, p90 {sorted(ts)[int(len(ts) * 0.9) - 1]:.1f} ms "
              f"(with prompt set: {with_prompts:.0f} ms)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(QUESTIONNAIRES[0], fh)
    probe = ("import runpy, sys; sys.argv=['advisor','recommend','--input',%r,'--json'];"
             "\ntry:\n    runpy.run_module('advisor', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print('IMPORTED', [m for m in ('textual','litellm','sklearn') if m in sys.modules], file=sys.stderr)") % fh.name
    ts = []
    for _ in range(3):
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=os.environ.copy())
        ts.append(time.perf_counter() - t)
    imported = [line for line in p.stderr.splitlines() if line.startswith("IMPORTED")]
    print(f"cold `advisor recommend --json` process: {min(ts):.2f} s best of 3, {statistics.median(ts):.2f} s median; "
          f"{imported[-1] if imported else p.stderr[-300:]}")
    os.unlink(fh.name)


if __name__ == "__main__":
    main()
