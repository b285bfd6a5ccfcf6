"""Benchmark (not a test): the held-out-by-hardware error over several deals of devices to folds.

    python -m advisor.benchmarks.fold_spread [--deals 5] [--folds 5] [--json]

`advisor model evaluate` deals whole devices to folds once (per kind, largest first). With about
40 devices holding prefill rows and 8 holding first-token rows, which devices are held out
together moves the medians by 10-20 points: one device (the Strix Halo) has a third of the
prefill rows. (When the deal still ran over all kinds at once, adding four Raspberry Pi 5 rows
re-dealt every GPU and moved held-out prefill from 38.2 to 48.5 % on unchanged GPU data.) This
script scores `--deals` deals (the first is evaluate's; the others `speed.hardware_folds` with
seeds 1, 2, ...) and prints each deal's figures and their median and range: the figure to
compare two versions by, since one deal's difference between them can be the deal's. Fits run
one process per core; about 20 s per deal on 2 cores. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from advisor.catalog.read import catalog_snapshot
from advisor.predict.dataset import speed_rows
from advisor.predict.evaluate import N_FOLDS, evaluate_speed, fold_models, parallel_fits, training_sets
from advisor.predict.speed import hardware_folds
from advisor.progress import Progress

SCHEME = "leave-hardware-out"
TARGETS = ("decode", "prefill", "ttft")


def deal_figures(report: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Median error, device median and coverage per target of one deal's report."""
    return {t: {"median_ape_pct": report[t]["median_ape_pct"], "device_median_ape_pct": report[t]["device_median_ape_pct"],
                "coverage_80": report[t].get("coverage_80")} for t in TARGETS if t in report}


def spread(deals: list[dict[str, dict[str, float | None]]]) -> dict[str, dict[str, float]]:
    """Median, lowest and highest of each figure across the deals."""
    out: dict[str, dict[str, float]] = {}
    for t in TARGETS:
        for k in ("median_ape_pct", "device_median_ape_pct", "coverage_80"):
            vals = [d[t][k] for d in deals if t in d and d[t][k] is not None]
            if vals:
                out[f"{t}.{k}"] = {"median": round(statistics.median(vals), 3), "low": min(vals), "high": max(vals)}
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=5)
    ap.add_argument("--folds", type=int, default=N_FOLDS)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = speed_rows(catalog_snapshot())
    every = [r for rs in rows.values() for r in rs]
    fold_ofs = [hardware_folds(every, args.folds, None if d == 0 else d) for d in range(max(1, args.deals))]
    tasks = [(d, f, train) for d, fold_of in enumerate(fold_ofs)
             for f, train in training_sets(rows, SCHEME, fold_of).items()]
    bar = Progress(f"fitting {len(tasks)} fold models")
    with parallel_fits(fold_models, [t[2] for t in tasks], bar.update) as results:
        fitted: list[dict[int, Any]] = [{} for _ in fold_ofs]
        for (d, f, _), models in zip(tasks, results()):
            fitted[d][f] = models
    bar.close()
    deals = [deal_figures(evaluate_speed(rows, SCHEME, args.folds, fitted[d], fold_ofs[d])) for d in range(len(fold_ofs))]
    out = {"scheme": SCHEME, "folds": args.folds, "deals": deals, "spread": spread(deals),
           "seconds": round(time.perf_counter() - t0, 1)}
    if args.json:
        print(json.dumps(out, indent=2))
        return out
    print(f"{SCHEME}, {args.folds} folds, {len(deals)} deals (deal 0 = advisor model evaluate's); {out['seconds']} s")
    print("deal  " + "  ".join(f"{t} median / device / cover" for t in TARGETS))
    for d, figs in enumerate(deals):
        print(f"{d:>4}  " + "  ".join(f"{figs[t]['median_ape_pct']:>6} / {figs[t]['device_median_ape_pct']} / "
                                      f"{figs[t]['coverage_80']}" for t in TARGETS if t in figs))
    for key, s in out["spread"].items():
        print(f"  {key}: median {s['median']}, range {s['low']}-{s['high']}")
    return out


if __name__ == "__main__":
    main()
