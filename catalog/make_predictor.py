#!/usr/bin/env python3
"""Fit the predictor on the shipped seed and write it beside the seed (catalog/predictor.npz),
so that a fresh install answers at once instead of fitting for its first recommendation. Run
after `make_seed.py` (a test fails while the file was fitted on another seed):

    python catalog/make_predictor.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> int:
    """Build the catalog from this folder's seed in a temporary home, fit, save next to the seed."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["ADVISOR_HOME"] = home
        from advisor.catalog import open_catalog
        from advisor.predict.predictor import SHIPPED_FILE, fit_predictor

        snap = open_catalog(seed_dir=HERE).snapshot()
        if not snap.fit_version.startswith("seed:"):
            raise SystemExit("make_predictor.py: the fresh catalog has user rows?")
        pred = fit_predictor(snap)
        pred.save(HERE / SHIPPED_FILE)
        print(f"{HERE / SHIPPED_FILE}: fitted on {snap.fit_version} in {pred.fit_seconds:.1f} s "
              f"(decode {pred.decode.n_rows}, prefill {pred.prefill.n_rows}, scores {pred.scores.n_rows} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
