"""The numpy tree walk: rows the splits cannot tell apart are walked once, with the same result
to the last bit as walking every row (the fitted predictor's own trees, nan included)."""

from __future__ import annotations

import numpy as np

from advisor.predict.trees import TreeEnsemble


def _predictor():  # type: ignore[no-untyped-def]
    from advisor.catalog import catalog_snapshot
    from advisor.predict.predictor import get_predictor

    return get_predictor(catalog_snapshot())


def test_distinct_rows_walk_gives_the_same_figures_as_every_row() -> None:
    pred = _predictor()
    rng = np.random.default_rng(7)
    for trees in (pred.decode.trees, pred.prefill.trees, pred.scores.trees):
        n_feat = int(trees.feature.max()) + 1
        base = rng.normal(size=(300, n_feat)) * 2
        X = base[rng.integers(0, 300, TreeEnsemble.DEDUPE_ROWS + 5000)]
        X[rng.random(X.shape) < 0.03] = np.nan
        thresholds = trees.threshold[~trees.is_leaf]
        X[:50, trees.feature[~trees.is_leaf][0]] = thresholds[0]  # exactly on a split: goes left
        first, inverse = trees.distinct_rows(X)
        assert len(first) < len(X) and np.array_equal(inverse[first], np.arange(len(first)))
        assert np.array_equal(trees.predict(X), trees._walk(X))


def test_rows_in_one_class_differ_only_between_thresholds() -> None:
    trees = _predictor().decode.trees
    f = int(trees.feature[~trees.is_leaf][0])
    thr = np.unique(trees.threshold[(~trees.is_leaf) & (trees.feature == f)])
    X = np.zeros((4, int(trees.feature.max()) + 1))
    X[:, f] = [thr[0] - 1e-9, thr[0], thr[0] + 1e-9, np.nan]  # below, on (left), above, missing
    _, inverse = trees.distinct_rows(X)
    assert inverse[0] == inverse[1] and len(set(inverse.tolist())) == 3
