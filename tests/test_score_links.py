"""Benchmarks linked through the models scored on several: a hosted model (no parameter count for
the score trees) gets the task benchmarks it lacks from its published ones, so that task
accuracies average the same benchmarks; a task it has no score in stays unknown."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.predict.score_links import fit_links


def test_an_additive_logit_table_is_recovered_from_its_seen_cells() -> None:
    rng = np.random.default_rng(0)
    ability, offset = rng.normal(0, 1.2, 40), rng.normal(0, 1.0, 8)
    truth = {(m, f"b{b}"): 100 / (1 + np.exp(-(ability[m] + offset[b]))) for m in range(40) for b in range(8)}
    hidden = [k for i, k in enumerate(sorted(truth)) if i % 5 == 0]
    seen = {k: v + rng.normal(0, 1.0) for k, v in truth.items() if k not in hidden}
    links = fit_links(seen)
    errors = [abs(links.predict(*k)[0] - truth[k]) for k in hidden]
    assert np.median(errors) < 2.0                       # within noise of the truth
    inside = [links.predict(*k)[1] <= truth[k] <= links.predict(*k)[2] for k in hidden]
    assert 0.6 < np.mean(inside) <= 1.0
    assert links.predict(999, "b0") is None and links.predict(0, "unseen") is None


def test_hosted_code_accuracy_averages_the_same_benchmarks() -> None:
    """GPT-4o-mini (2024) was published on HumanEval/MBPP only and once outranked gpt-5.2
    (LiveCodeBench, SWE-bench Verified) for code at 81.4 against 86.0."""
    from advisor.catalog.read import catalog_snapshot
    from advisor.predict.predictor import get_predictor
    from advisor.recommend.pipeline import _candidate_source
    from advisor.recommend.tasks import TASK_BENCHMARKS

    snap = catalog_snapshot()
    src = _candidate_source(snap, get_predictor(snap))
    mini, g52 = (src.accuracy.get(snap.find_id("model", n), "code") for n in ("GPT-4o-mini-2024-07-18", "gpt-5.2"))
    assert "SWE-bench Verified" in mini.predicted and "HumanEval" in g52.predicted
    assert set(mini.measured) | set(mini.predicted) == set(g52.measured) | set(g52.predicted) == set(TASK_BENCHMARKS["code"])
    assert g52.value > mini.value and mini.low <= mini.value <= mini.high
    code = [k for k in TASK_BENCHMARKS["code"]]
    from advisor.predict.scores import bench_key

    keys = {bench_key(b) for b in code}
    scored = {s.model_id for s in snap.scores if bench_key(s.benchmark) in keys}
    none = [m for m, r in snap.models.items() if r.variant == "api" and m not in scored
            and any(s.model_id == m for s in snap.scores)]
    assert none, "a hosted model with scores but none for code"
    assert src.accuracy.get(none[0], "code").value is None  # no code evidence: unknown, not linked


@pytest.mark.parametrize("task", ["code", "chat", "math"])
def test_linked_figures_say_they_are_predicted(task: str) -> None:
    from advisor.recommend import recommend

    r = recommend({"use_case": {"task": task}, "requirements": {"deployment": "api"}}, with_prompts=False)
    for c in r.candidates:
        b = c.basis["accuracy"]
        if "predicted:" in b.detail:
            assert b.basis == "predicted" and c.predicted.accuracy_low is not None
