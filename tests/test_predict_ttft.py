"""First-token intervals: calibrated on the held-out composition of prefill and decode."""

from __future__ import annotations

import numpy as np
import pytest


def test_bounds_use_the_kind_then_all_and_always_reach_the_point() -> None:
    from advisor.predict.speed import TtftCalibration

    cal = TtftCalibration(q_low={"all": -0.5, "kind:npu": 0.2}, q_high={"all": 0.5, "kind:npu": 0.9}, n_rows=40)
    low, high = cal.bounds(np.array([100.0, 100.0]), ["gpu", "npu"])
    assert low[0] == pytest.approx(100 * np.exp(-0.5)) and high[0] == pytest.approx(100 * np.exp(0.5))
    # held-out NPU rows all took longer than composed: the interval lies above, from the point
    assert low[1] == pytest.approx(100.0) and high[1] == pytest.approx(100 * np.exp(0.9))
    assert TtftCalibration().bounds(np.array([1.0]), ["gpu"]) is None


def test_extra_rows_are_predicted_by_the_fold_model_that_never_saw_their_hardware(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Wiring only: a stand-in fit that predicts the number of rows it was trained on."""
    from advisor.catalog import open_catalog
    from advisor.predict import speed
    from advisor.predict.dataset import speed_rows
    from advisor.predict.batch import feature_matrix

    rows = speed_rows(open_catalog().snapshot())

    class Counting:
        def __init__(self, n: int) -> None:
            self.n = n

        def predict(self, X: np.ndarray) -> np.ndarray:
            return np.full(len(X), float(self.n))

    monkeypatch.setattr(speed, "fit_trees", lambda X, y, w, **kw: Counting(len(y)))
    decode = rows["decode"][:300]
    extra = rows["ttft"]
    groups = sorted({r.hardware_group for r in decode + extra})
    fold_of = {g: i % 3 for i, g in enumerate(groups)}
    model = speed.fit_target(decode, "decode", fold_of=fold_of, extra=extra)
    roof = speed.roofline(feature_matrix([r.case for r in extra]), "decode")
    trained_on = np.log(model.extra_oof / roof)
    for r, n in zip(extra, trained_on):
        assert n == pytest.approx(sum(fold_of[d.hardware_group] != fold_of[r.hardware_group] for d in decode))


def test_fitted_predictor_calibrates_first_token_per_kind() -> None:
    from advisor.catalog import open_catalog
    from advisor.predict.dataset import speed_rows
    from advisor.predict.predictor import get_predictor

    snap = open_catalog().snapshot()
    pred = get_predictor(snap)
    ttft_rows = speed_rows(snap)["ttft"]
    assert pred.ttft.n_rows == len(ttft_rows) >= 30
    kinds = {r.case.kind for r in ttft_rows}
    assert {f"kind:{k}" for k in kinds if sum(r.case.kind == k for r in ttft_rows) >= 30} <= set(pred.ttft.q_low)
    assert all(pred.ttft.q_low[k] < pred.ttft.q_high[k] for k in pred.ttft.q_low)
    out = pred.speed([r.case for r in ttft_rows[:5]])
    assert np.all(out["ttft_low"] <= out["ttft"]) and np.all(out["ttft"] <= out["ttft_high"])
    assert np.all(out["ttft_high"] / out["ttft_low"] > 1.05)
