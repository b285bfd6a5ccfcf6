"""Benchmark (not a test): time fitting the predictor and predicting 10,000 cases.

    python -m advisor.benchmarks.bench_predict [--cases 10000]

Prints figures; it asserts nothing (speed targets belong here, not in the test suite).
"""

from __future__ import annotations

import argparse
import random
import time

from advisor.catalog import open_catalog
from advisor.predict.api import predict_many
from advisor.predict.predictor import fit_predictor
from advisor.schema import PredictRequest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    args = ap.parse_args()
    t = time.perf_counter()
    cat = open_catalog()
    snap = cat.snapshot()
    print(f"catalog open + snapshot: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    pred = fit_predictor(snap)
    print(f"fit (decode, prefill, scores, memory; with interval folds): {time.perf_counter() - t:.2f} s")
    rng = random.Random(0)
    models = [m.name for m in snap.models.values() if m.params_b and m.variant != "api"]
    hardware = [h.name for h in snap.hardware.values() if h.memory_gb]
    quants = ["Q4_K_M", "Q5_K_M", "Q8_0", "F16", "AWQ-INT4", "Q4_0"]
    reqs = [PredictRequest.model_validate({
        "id": str(i), "model": {"name": rng.choice(models)}, "quant": rng.choice(quants),
        "hardware": {"name": rng.choice(hardware)},
        "workload": {"prompt_tokens": rng.choice([128, 512, 2048]), "gen_tokens": rng.choice([64, 256])},
    }) for i in range(args.cases)]
    t = time.perf_counter()
    out = predict_many(cat, snap, pred, reqs)
    dt = time.perf_counter() - t
    errors = sum(r.error is not None for r in out)
    print(f"predict {args.cases} requests as `advisor predict` does (names, measured lookup, intervals): "
          f"{dt:.2f} s ({dt / args.cases * 1e3:.2f} ms/case, {errors} errors)")
    from advisor.predict.dataset import case_for
    cases = [c for c in (case_for(snap, m) for m in snap.measurements) if c is not None]
    cases = (cases * (args.cases // len(cases) + 1))[: args.cases]
    t = time.perf_counter()
    pred.speed(cases)
    dt = time.perf_counter() - t
    print(f"predict {args.cases} cases in one batch (features + trees): {dt:.2f} s")


if __name__ == "__main__":
    main()
