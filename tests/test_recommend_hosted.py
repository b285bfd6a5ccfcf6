"""Hosted models their provider shuts down are not recommended, and what the notes say about
them; the lighter-quantization hint only where it is worth its accuracy."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import numpy as np

from advisor import pricing
from advisor.pricing import RETIREMENT_NOTICE_DAYS, api_model


def test_a_shut_down_date_is_read_from_the_price_map_and_rules_out_only_what_is_due() -> None:
    info = pricing._info("m", {"deprecation_date": "2027-03-01", "mode": "chat"})
    assert info.retires_on == date(2027, 3, 1)
    cutoff_day = date(2027, 3, 1) - timedelta(days=RETIREMENT_NOTICE_DAYS)
    assert info.retired(cutoff_day)                          # due within the notice: out
    assert not info.retired(cutoff_day - timedelta(days=1))  # a day earlier: still recommended
    assert info.retired(date(2027, 6, 1))                    # already shut down
    assert pricing._info("m", {"deprecation_date": "soon"}).retires_on is None  # malformed: unknown
    never = pricing._info("m", {})
    assert never.retires_on is None and not never.retired(date(2999, 1, 1))


def _source():  # type: ignore[no-untyped-def]
    from advisor.catalog.read import catalog_snapshot
    from advisor.predict.predictor import get_predictor
    from advisor.recommend.pipeline import _candidate_source

    snap = catalog_snapshot()
    return snap, _candidate_source(snap, get_predictor(snap))


def test_the_hosted_table_holds_what_its_provider_still_serves_on_the_day() -> None:
    from advisor.recommend.questionnaire import parse_questionnaire

    snap, src = _source()
    q = parse_questionnaire({"use_case": {"task": "chat"}})
    dates = sorted({api_model(k).retires_on for k in src._hosted_keys().values()  # type: ignore[union-attr]
                    if api_model(k) is not None and api_model(k).retires_on is not None})  # type: ignore[union-attr]
    assert len(dates) >= 2, "the shipped price map dates several hosted models"
    early, late = dates[0] - timedelta(days=RETIREMENT_NOTICE_DAYS + 1), dates[-1]
    before = {snap.models[int(m)].name for m in src.api_table(q, early).model_id}
    after = {snap.models[int(m)].name for m in src.api_table(q, late).model_id}
    retired = dict(src.retired_hosted(late))
    assert not src.retired_hosted(early)
    assert retired and after == before - set(retired)
    assert all(day <= late + timedelta(days=RETIREMENT_NOTICE_DAYS) for day in retired.values())
    assert list(retired.values()) == sorted(retired.values(), reverse=True)


def test_no_answer_recommends_a_hosted_model_about_to_be_shut_down() -> None:
    from advisor.recommend import recommend

    today = date.today()
    r = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "RTX 4090"}}, with_prompts=False)
    api = recommend({"use_case": {"task": "chat"}, "requirements": {"deployment": "api"}}, with_prompts=False)
    shown = [c for c in r.api_alternatives + api.candidates if c.deployment != "local"]
    assert shown
    for c in shown:
        info = api_model(c.engine or c.model)
        assert info is not None and not info.retired(today), c.model
    for answer in (r, api):
        note = next((n for n in answer.notes if "hosted models were not considered" in n), None)
        _, src = _source()
        n_retired = len(src.retired_hosted(today))
        if n_retired:
            assert note is not None and note.startswith(f"{n_retired} hosted models"), answer.notes
        else:
            assert note is None
    local_only = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "RTX 4090"},
                            "requirements": {"deployment": "local"}}, with_prompts=False)
    assert not any("hosted models were not considered:" in n for n in local_only.notes)


def test_a_shown_hosted_model_due_soon_is_named_with_its_date() -> None:
    from advisor.recommend.candidates import Option
    from advisor.recommend.notes import RETIRING_WITHIN_DAYS, retiring_note

    key = next(k for k, v in pricing.price_map().items() if v.get("deprecation_date") and v.get("mode") == "chat")
    day = api_model(key).retires_on  # type: ignore[union-attr]
    o = Option(model_id=1, model="Hosted", deployment="api", engine=key)
    soon = retiring_note([o], day - timedelta(days=RETIRING_WITHIN_DAYS))
    assert len(soon) == 1 and f"Hosted on {day.isoformat()}" in soon[0]
    assert retiring_note([o], day - timedelta(days=RETIRING_WITHIN_DAYS + 1)) == []
    assert retiring_note([Option(model_id=2, model="Local", deployment="local", engine="llama.cpp")], day) == []


def _lighter_case(current: float, lighter: float) -> list[str]:
    """lighter_quant_hint on a two-row table: the Q8_0 pick and its Q4_K_M at `lighter` tok/s."""
    from advisor.recommend.candidates import Option
    from advisor.recommend.notes import lighter_quant_hint

    t = SimpleNamespace(model_id=np.array([7, 7]), configs=[("llama.cpp", "Q8_0"), ("llama.cpp", "Q4_K_M")],
                        fig=lambda name: np.array([current, lighter]), measured={})
    acc = SimpleNamespace(value=np.array([80.0, 78.5]))
    top = Option(model_id=7, model="M", deployment="local", quant="Q8_0", engine="llama.cpp",
                 figs={"decode": current}, accuracy=SimpleNamespace(value=80.0))  # type: ignore[arg-type]
    return lighter_quant_hint(top, t, acc, np.array([0, 1]))  # type: ignore[arg-type]


def test_a_lighter_quantization_is_suggested_only_where_it_is_clearly_faster() -> None:
    from advisor.recommend.notes import LIGHTER_MIN_SPEEDUP

    hint = _lighter_case(10.0, 16.0)
    assert len(hint) == 1
    assert re.search(r"at about 16 tok/s \(predicted\) instead of 10 \(predicted\), at an estimated cost of 1\.5 points",
                     hint[0]), hint
    assert _lighter_case(29.0, 30.0) == []                               # 3 % faster: not worth 1.5 points
    assert _lighter_case(10.0, 10.0 * LIGHTER_MIN_SPEEDUP * 0.99) == []
    assert _lighter_case(10.0, float("nan")) == []                       # an unknown speed suggests nothing
