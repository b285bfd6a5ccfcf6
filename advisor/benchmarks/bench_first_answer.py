"""Benchmark (not a test): the figures of "time to first answer" in one run, each beside its
floor. First use on a fresh data folder, a cold `advisor recommend --json` process against the
import floor of its libraries, warm `advisor.recommend()` with the prompt set, the TUI's two
waits (`bench_tui`: launch to the questionnaire, ctrl+r to the answer), a million
model x quantization x engine x hardware combinations ranked with the recommender's own
arrays, and `advisor predict` over many lines (peak memory of the process).

    python -m advisor.benchmarks.bench_first_answer [--lines 100000] [--combinations 1000000]
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
from pathlib import Path

PY = sys.executable
IMPORT_FLOOR = "import sqlalchemy, sqlalchemy.orm, pydantic, numpy"
Q = {"use_case": {"task": "code"}, "hardware": {"name": "RTX 4090"}, "requirements": {"min_decode_tok_s": 20}}


def _run(args: list[str], env: dict[str, str], **kw: object) -> float:
    t = time.perf_counter()
    subprocess.run(args, env=env, capture_output=True, check=False, **kw)  # type: ignore[call-overload]
    return time.perf_counter() - t


def first_use() -> None:
    """A fresh data folder: build the catalog, load the shipped predictor, answer."""
    with tempfile.TemporaryDirectory() as home:
        env = {**child_env(), "ADVISOR_HOME": home}
        t = _run([PY, "-m", "advisor", "recommend", "--task", "code", "--hardware", "RTX 4090", "--json"], env)
        floor = _run([PY, "-c", "pass"], env)
    print(f"first `advisor recommend` on a fresh data folder: {t:.2f} s (python start-up {floor:.2f} s)")


def cold_cli(env: dict[str, str]) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(Q, fh)
    _run([PY, "-m", "advisor", "recommend", "--input", fh.name, "--json"], env)  # builds caches
    cold = min(_run([PY, "-m", "advisor", "recommend", "--input", fh.name, "--json"], env) for _ in range(3))
    floor = min(_run([PY, "-c", IMPORT_FLOOR], env) for _ in range(3))
    os.unlink(fh.name)
    print(f"cold `advisor recommend --input Q.json --json`: {cold:.2f} s best of 3; import floor "
          f"({IMPORT_FLOOR}): {floor:.2f} s; ratio {cold / floor:.2f}x")


def warm() -> None:
    from advisor.recommend import recommend

    for with_prompts in (True, False):
        recommend(Q, with_prompts=with_prompts)
        ts = []
        for _ in range(20):
            t = time.perf_counter()
            recommend(Q, with_prompts=with_prompts)
            ts.append((time.perf_counter() - t) * 1000)
        print(f"warm advisor.recommend() {'with' if with_prompts else 'without'} the prompt set: "
              f"median {statistics.median(ts):.1f} ms")


def million(n_target: int, label: str = "") -> None:
    """Every eligible model x every GPU configuration x every catalog GPU, at as many workloads
    as reach `n_target` rows: predicted, judged and ranked as arrays."""
    import numpy as np

    from advisor.catalog import open_catalog
    from advisor.predict.batch import CaseBatch, HardwareTable
    from advisor.predict.features import ENGINE_GROUPS, SPLITS
    from advisor.predict.predictor import get_predictor
    from advisor.recommend.constraints import judge_table
    from advisor.recommend.pipeline import _candidate_source
    from advisor.recommend.questionnaire import parse_questionnaire
    from advisor.recommend.profiles import ranking_settings
    from advisor.recommend.table import NAN, Accuracy, CandidateTable
    from advisor.schema import HardwareSpec

    cat = open_catalog()
    snap = cat.snapshot()
    src = _candidate_source(snap, get_predictor(snap))
    gpus = [HardwareSpec.of(h) for h in snap.hardware.values() if h.kind == "gpu" and h.memory_gb]
    probe = parse_questionnaire(Q)
    configs, _ = src._configs(gpus[0])  # every configuration for every model: a throughput figure
    per = len(src.model_ids) * len(configs) * len(gpus)
    reps = max(1, -(-n_target // per))
    t0 = time.perf_counter()
    m_i, c_i, h_i = (a.ravel() for a in np.meshgrid(np.arange(len(src.model_ids)), np.arange(len(configs)),
                                                     np.arange(len(gpus)), indexing="ij"))
    m_i, c_i, h_i = (np.tile(a, reps) for a in (m_i, c_i, h_i))
    prompt = np.repeat(np.array([256, 1000, 4000, 16000][:reps] + [1000] * max(0, reps - 4), dtype=float), per)
    m_i, c_i, h_i, prompt = (a[:n_target] for a in (m_i, c_i, h_i, prompt))  # exactly the target: a figure per million
    quants = src._batch(probe, gpus[0], configs, m_i[:1], c_i[:1]).quant
    hwt = HardwareTable.of(gpus, [snap.siblings(h.name) for h in gpus])
    n = len(m_i)
    batch = CaseBatch(src.archs, quants, hwt, m_i, c_i, h_i,
                      np.array([ENGINE_GROUPS.get(e.lower(), 11) for e, *_ in configs], dtype=float)[c_i],
                      np.full(n, float(SPLITS.index("none"))), np.ones(n), prompt, np.full(n, 300.0), np.zeros(n),
                      np.full(n, NAN), hwt.backend_default[h_i])
    figs = {**src.pred.speed(batch), **src.pred.memory_needed(batch, prompt + 300, 1)}
    usable = np.array([(h.memory_gb or 0) * 0.95 for h in gpus])[h_i]
    ctx = np.array([snap.models[int(m)].context_len or NAN for m in src.model_ids])[m_i]
    t = CandidateTable(src.model_ids[m_i], np.ones(n, dtype=bool), figs, np.full(n, NAN), ctx, usable, usable,
                       [configs[0]] * n, [None] * n)
    src.accuracy.preload("code", [int(m) for m in src.model_ids])
    per_model = [src.accuracy.get(int(m), "code") for m in src.model_ids]
    col = {k: np.array([NAN if getattr(x, k) is None else getattr(x, k) for x in per_model])[m_i] for k in ("value", "low", "high")}
    acc_rows = Accuracy(col["value"], col["low"], col["high"], {}, np.ones(n))
    j = judge_table(t, acc_rows, probe, snap)
    feasible = np.flatnonzero(j.feasible)
    from advisor.recommend.utility import utilities

    util = utilities(t, acc_rows, feasible, ranking_settings(probe)).value
    order = feasible[np.lexsort((-util,))]
    dt = time.perf_counter() - t0
    print(f"{n:,} combinations ({len(src.model_ids)} models x {len(configs)} configurations x {len(gpus)} GPUs x "
          f"up to {reps} workloads) predicted, judged and ranked{label}: {dt:.2f} s ({len(order):,} feasible)")


def predict_lines(n: int) -> None:
    lines = [json.dumps({"id": str(i), "model": {"name": ["llama3:8b", "Qwen3-8B", "gpt-oss-20b"][i % 3]},
                         "quant": "Q4_K_M", "hardware": {"name": ["4090", "RTX 3090", "M2 Max"][i % 3],
                                                         "memory_gb": 64}}) for i in range(n)]
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "in.jsonl", Path(d) / "out.jsonl"
        src.write_text("\n".join(lines) + "\n", encoding="utf-8")
        t = time.perf_counter()
        proc = subprocess.Popen([PY, "-m", "advisor", "predict", "--input", str(src), "--output", str(out)],
                                env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
        dt = time.perf_counter() - t
        rss = usage.ru_maxrss / 1024
        answered = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
    print(f"`advisor predict` of {n:,} lines: {dt:.1f} s ({n / dt:,.0f} lines/s), peak memory {rss:.0f} MiB, "
          f"{answered:,} answers")


def child_env() -> dict[str, str]:
    """This environment for the child processes, with Python's default of writing bytecode
    (a sandbox that sets PYTHONDONTWRITEBYTECODE recompiles every module of every cold start,
    ~0.1 s here, which no installed copy does)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--combinations", type=int, default=1_000_000)
    args = ap.parse_args()
    env = child_env()
    first_use()
    cold_cli(env)
    warm()
    from advisor.benchmarks.bench_tui import tui_figures

    tui_figures(3, env)
    predict_lines(args.lines)  # before the million: a forked child starts with this process's peak memory
    million(args.combinations, " (first time in this process)")
    million(args.combinations, " (again: memory and caches warm)")


if __name__ == "__main__":
    main()
