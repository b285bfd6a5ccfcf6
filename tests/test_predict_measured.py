"""The one rule for "a measured figure wins" (`advisor.predict.measured`), which both
`advisor.predict` and the recommender use: which measurement stands for a workload, and the
figures once measured ones replace predicted ones."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from advisor.predict.measured import pick_measured, with_measured
from advisor.schema import Workload

PREDICTED = {"decode": 50.0, "decode_low": 40.0, "decode_high": 60.0, "prefill": 1000.0, "prefill_low": 800.0,
             "prefill_high": 1200.0, "ttft": 999.0, "ttft_low": 900.0, "ttft_high": 1100.0}


def row(**kw: object) -> SimpleNamespace:
    base = dict(id=1, origin="seed", decode_tok_s=None, prefill_tok_s=None, ttft_ms=None, prompt_tokens=512,
                gen_tokens=128, context_depth=0, engine_id=1)
    base.update(kw)
    return SimpleNamespace(**base)


def test_nearest_workload_wins_and_far_ones_do_not_count() -> None:
    wl = Workload(prompt_tokens=512, gen_tokens=128)
    near, far = row(id=1, decode_tok_s=80.0), row(id=2, decode_tok_s=90.0, prompt_tokens=16000)
    assert pick_measured([far, near], wl)["decode"] is near
    assert "decode" not in pick_measured([far], wl)          # 16,576 vs 576 tokens: more than 4x away
    pre = row(id=3, prefill_tok_s=2000.0, prompt_tokens=2048)  # 4x the prompt: too far for prefill
    assert "prefill" not in pick_measured([pre], wl)


def test_a_teams_own_measurement_wins_a_tie() -> None:
    wl = Workload()
    seed, user = row(id=1, decode_tok_s=80.0), row(id=2, decode_tok_s=70.0, origin="user", prompt_tokens=1024)
    assert pick_measured([seed, user], wl)["decode"] is user


def test_measured_figures_replace_predicted_ones_and_ttft_is_recomposed() -> None:
    m = row(decode_tok_s=80.0, prefill_tok_s=2000.0)
    figs = with_measured(PREDICTED, {"decode": m, "prefill": m}, prompt_tokens=1000)
    assert figs["decode"] == figs["decode_low"] == figs["decode_high"] == 80.0
    assert figs["prefill"] == figs["prefill_low"] == figs["prefill_high"] == 2000.0
    assert figs["ttft"] == pytest.approx(1000 / 2000 * 1000 + 1000 / 80)
    assert PREDICTED["decode"] == 50.0                      # the input is not changed


def test_a_measured_ttft_is_kept_as_measured() -> None:
    m = row(ttft_ms=321.0, decode_tok_s=80.0)
    figs = with_measured(PREDICTED, {"ttft": m, "decode": m}, prompt_tokens=512)
    assert figs["ttft"] == figs["ttft_low"] == figs["ttft_high"] == 321.0


def test_nothing_measured_leaves_the_prediction() -> None:
    assert with_measured(PREDICTED, {}, prompt_tokens=512) == PREDICTED


def test_predict_and_recommend_agree_on_a_measured_configuration() -> None:
    """The same configuration through `advisor.predict` and the recommender's candidate table:
    the same measured decode speed (one rule behind both)."""
    from test_recommend import local_rows

    from advisor.predict import predict
    from advisor.schema import PredictRequest

    q = {"use_case": {"task": "math"}, "requirements": {"deployment": "local"},
         "workload": {"prompt_tokens": 1, "output_tokens": 1}, "hardware": {"name": "RTX 4090"}}
    cat, snap, qq, t, acc = local_rows(q)
    row = next(r for r, found in t.measured.items() if "decode" in found)
    engine, quant, *_ = t.configs[row]
    res = predict(PredictRequest(id="x", model={"name": snap.models[int(t.model_id[row])].name}, quant=quant,
                                 engine=engine, hardware={"name": cat.find_hardware("RTX 4090").name},
                                 workload={"prompt_tokens": 1, "gen_tokens": 1}))[0]
    assert res.error is None and res.basis == "measured"
    assert res.decode_tok_s == t.figs["decode"][row]
