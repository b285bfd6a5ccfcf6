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
    # rows flagged implausible (TinyChat TTFTs faster than the 4090's FP16 peak, ...) do not calibrate
    plausible = [r for r in ttft_rows if r.measurement.quality != "anomaly"]
    assert len(plausible) < len(ttft_rows) and pred.ttft.n_rows == len(plausible) >= 30
    # a kind gets its own band from 30 rows of at least 3 devices (each device counting once), else
    # it takes all kinds' band
    from advisor.predict.speed import MIN_INTERVAL_ROWS, MIN_TTFT_DEVICES

    kinds = {r.case.kind for r in plausible}
    own = {f"kind:{k}" for k in kinds if sum(r.case.kind == k for r in plausible) >= MIN_INTERVAL_ROWS
           and len({r.hardware_group for r in plausible if r.case.kind == k}) >= MIN_TTFT_DEVICES}
    assert own and set(pred.ttft.q_low) == own | {"all"}
    assert all(pred.ttft.q_low[k] < pred.ttft.q_high[k] for k in pred.ttft.q_low)
    out = pred.speed([r.case for r in ttft_rows[:5]])
    assert np.all(out["ttft_low"] <= out["ttft"]) and np.all(out["ttft"] <= out["ttft_high"])
    assert np.all(out["ttft_high"] / out["ttft_low"] > 1.05)


def _cases(engine: str, prompts: list[int]):  # type: ignore[no-untyped-def]
    from advisor.predict.features import Case
    from advisor.schema import HardwareSpec, ModelSpec

    model = ModelSpec(name="m", params_b=7.0, n_layers=32, hidden_size=4096, n_heads=32, n_kv_heads=8, head_dim=128)
    hw = HardwareSpec(name="npu", kind="npu", mem_bandwidth_gbs=80.0)
    return [Case(model=model, bits_per_weight=4.5, quant="Q4_0", quant_family="gguf", engine=engine, hardware=hw,
                 prompt_tokens=p) for p in prompts]


def test_a_chunked_engine_pays_whole_prompt_chunks() -> None:
    """Qualcomm's prompt processor runs 128 tokens per iteration: 20 tokens cost 128, 130 cost 256."""
    from advisor.predict.batch import feature_matrix
    from advisor.predict.speed import composed_ttft, prompt_work

    prompts = [20, 128, 130, 4096]
    qnn, plain = feature_matrix(_cases("qnn", prompts)), feature_matrix(_cases("llama.cpp", prompts))
    assert list(prompt_work(qnn)) == [128, 128, 256, 4096]
    assert list(prompt_work(plain)) == prompts
    ones = np.ones(len(prompts))
    # at 1000 tok/s prefill and decode: ms = the chunked prompt; QNN's first token is its last
    # prompt pass's own (no step after it), other engines pay one 1 ms step
    assert list(composed_ttft(qnn, 1000 * ones, 1000 * ones)) == pytest.approx([128, 128, 256, 4096])
    assert list(composed_ttft(plain, 1000 * ones, 1000 * ones)) == pytest.approx([21, 129, 131, 4097])


def test_figures_put_the_point_inside_its_bounds_calibrated_or_composed() -> None:
    from advisor.predict.batch import feature_matrix
    from advisor.predict.speed import TtftCalibration

    X = feature_matrix(_cases("llama.cpp", [512, 2048]))
    pre = (np.array([1000.0, 1000.0]), np.array([500.0, 500.0]), np.array([2000.0, 2000.0]))
    dec = (np.array([20.0, 20.0]), np.array([10.0, 10.0]), np.array([40.0, 40.0]))
    point, low, high = TtftCalibration().figures(X, ["npu", "npu"], pre, dec)
    assert list(point) == pytest.approx([512 + 50, 2048 + 50])
    assert np.all(low < point) and np.all(point < high)  # composed from the speed bounds
    cal = TtftCalibration(q_low={"all": -0.3}, q_high={"all": 0.4}, n_rows=40)
    p2, lo2, hi2 = cal.figures(X, ["npu", "npu"], pre, dec)
    assert list(p2) == pytest.approx(list(point)) and list(hi2 / p2) == pytest.approx([np.exp(0.4)] * 2)
    assert np.all(lo2 < p2)


def test_a_device_with_many_rows_does_not_set_the_band_alone() -> None:
    """Weights 1/rows-of-its-device: 100 rows of one device at 0 and one row each of two others at
    -1 and +1 weigh as three devices, so the 10 % / 90 % quantiles reach towards the others."""
    from advisor.predict.speed import _weighted_quantile

    x = np.array([0.0] * 100 + [-1.0, 1.0])
    w = np.array([1 / 100] * 100 + [1.0, 1.0])
    assert _weighted_quantile(x, w, 0.1) < -0.5 and _weighted_quantile(x, w, 0.9) > 0.5
    assert _weighted_quantile(x, np.ones(len(x)), 0.1) == 0.0  # unweighted: the big device alone


def test_the_band_of_a_few_devices_is_symmetric_of_many_follows_their_misses() -> None:
    """From 3 devices that all missed low, the band still reaches as far above the point as below
    (the next device may miss the other way); from 20 devices the band keeps their skew."""
    from advisor.predict.speed import SYMMETRIC_BELOW_DEVICES, device_band

    few = np.array([-0.9, -0.6, -0.3] * 10)
    groups = np.array(["a", "b", "c"] * 10)
    lo, hi = device_band(few, groups)
    assert lo == pytest.approx(-hi) and hi >= 0.6
    n = SYMMETRIC_BELOW_DEVICES * 2
    many = np.linspace(-1.0, 0.2, n)
    lo, hi = device_band(many, np.array([f"d{i}" for i in range(n)]))
    assert -1.0 < lo < -0.7 and 0.0 < hi < 0.2  # the 10 % / 90 % of the devices' misses
    # one device with 900 rows at 0 weighs as sqrt(900) = 30 rows, not 900: the band still
    # reaches towards the other devices' misses (900 rows counted one each would put it at 0)
    skewed = np.concatenate([many, np.zeros(900)])
    groups = np.array([f"d{i}" for i in range(n)] + ["big"] * 900)
    lo2, _ = device_band(skewed, groups)
    assert lo2 < -0.5
    assert device_band(np.concatenate([many, np.zeros(900 * 30)]), np.array([f"d{i}" for i in range(n)] + ["big"] * 27000))[0] > lo2


def test_cpu_peak_share_is_the_device_weighted_median_of_published_figures() -> None:
    """What share of its roofline a CPU reaches: GPU rows and rows whose figure is imputed do not
    count, a device's rows weigh as the square root of their number, and from two devices there
    is no share (a detected CPU's measured figures then stay as measured)."""
    from advisor.predict.speed import peak_share

    y = np.log(np.array([0.5] * 100 + [0.8, 0.9] + [0.1] * 5 + [3.0] * 20))
    groups = np.array(["big"] * 100 + ["a", "b"] + ["gpu"] * 5 + ["imputed"] * 20)
    kinds = np.array(["cpu"] * 102 + ["gpu"] * 5 + ["cpu"] * 20)
    imputed = np.array([False] * 107 + [True] * 20)
    assert peak_share(y, imputed, kinds, groups) == pytest.approx(0.5, rel=0.05)   # 10 : 1 : 1
    many_small = np.log(np.array([0.5] * 4 + [0.8, 0.9, 0.85]))
    assert peak_share(many_small, np.zeros(7, dtype=bool), np.array(["cpu"] * 7),
                      np.array(["big"] * 4 + ["a", "b", "c"])) == pytest.approx(0.8, rel=0.1)
    assert peak_share(y[:101], imputed[:101], kinds[:101], groups[:101]) is None     # two devices


def test_the_shipped_predictor_carries_the_cpu_shares() -> None:
    from advisor.predict.predictor import cpu_peak_shares

    decode, prefill = cpu_peak_shares()
    assert decode is not None and prefill is not None and 0.2 < decode < 1 and 0.2 < prefill < 1
