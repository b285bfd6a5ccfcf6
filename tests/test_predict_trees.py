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


def test_fast_median_leaves_grow_the_same_trees_as_scikit_learn(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The leaf update of the absolute-error loss is ours for speed; the trees must be
    scikit-learn's to the bit (weights with ties and equal residuals included)."""
    import contextlib

    from advisor.predict import trees as T

    rng = np.random.default_rng(3)
    X = rng.normal(size=(600, 6))
    X[:, 2] = rng.integers(0, 3, 600)
    y = np.round(X[:, 0] * 2 + np.sin(X[:, 1]) + rng.normal(size=600) * 0.3, 1)  # many equal values
    w = rng.choice([0.5, 1.0, 2.0], 600)
    ours = T.fit_trees(X, y, w, max_iter=40, loss="absolute_error", monotonic=[0, 0, 0, -1, 0, 0])
    monkeypatch.setattr(T, "_fast_median_leaves", contextlib.nullcontext)
    theirs = T.fit_trees(X, y, w, max_iter=40, loss="absolute_error", monotonic=[0, 0, 0, -1, 0, 0])
    assert ours.baseline == theirs.baseline
    for f in T.FIELDS:
        assert np.array_equal(getattr(ours, f), getattr(theirs, f)), f


def test_leaf_masks_match_the_walk_for_wider_trees_and_step_aside_beyond_64_leaves() -> None:
    from sklearn.ensemble import HistGradientBoostingRegressor

    rng = np.random.default_rng(5)
    X = rng.normal(size=(3000, 5))
    y = np.sin(X[:, 0] * 3) + X[:, 1] ** 2 + rng.normal(size=3000) * 0.1
    Xq = rng.normal(size=(2000, 5))
    Xq[rng.random(Xq.shape) < 0.05] = np.nan
    for leaves, dtype in ((12, np.uint16), (24, np.uint32), (48, np.uint64), (80, None)):
        est = HistGradientBoostingRegressor(max_iter=15, max_leaf_nodes=leaves, min_samples_leaf=5,
                                            early_stopping=False, random_state=0).fit(X, y)
        trees = TreeEnsemble.from_sklearn(est)
        masks = trees.leaf_masks()
        assert (masks.dtype if masks is not None else None) == dtype
        assert np.array_equal(trees.predict(Xq), trees._walk(Xq)), leaves
        assert np.allclose(trees.predict(Xq), est.predict(Xq))  # scikit-learn's own answer


def test_grouped_masks_in_threaded_blocks_match_the_walk(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Rows built the way a batch builds them (every feature a figure of one device, model or
    workload; some the same on every row) take the grouped-mask path, and in blocks scored
    side by side; the leaves must still be the walk's to the bit."""
    from advisor.predict import blocks

    monkeypatch.setattr(blocks, "BLOCK", 7_000)
    monkeypatch.setattr(blocks, "usable_cores", lambda: 2)
    rng = np.random.default_rng(11)
    n = 50_000
    sizes = (75, 40, 4)
    index = [rng.integers(0, s, n) for s in sizes]
    for trees in (_predictor().decode.trees, _predictor().prefill.trees):
        split = ~trees.is_leaf
        n_feat = int(trees.feature.max()) + 1
        factor = rng.integers(0, 3, n_feat)
        X = np.zeros((n, n_feat))
        for f in range(n_feat):
            thr = trees.threshold[split & (trees.feature == f)]
            table = rng.choice(thr, sizes[factor[f]]) if len(thr) else np.zeros(sizes[factor[f]])
            table += rng.choice([-1e-9, 0.0, 1e-9], len(table))  # below, on (goes left), above a split
            X[:, f] = table[index[factor[f]]]
        X[:, int(trees.feature[split][0])] = trees.threshold[split][0]  # the same on every row
        X[rng.random(n) < 0.02, int(trees.feature[split][-1])] = np.nan
        assert np.array_equal(trees.predict(X), trees._walk(X))


def test_blocks_cover_every_row_once_and_a_failure_surfaces(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from advisor.predict import blocks

    monkeypatch.setattr(blocks, "BLOCK", 10)
    monkeypatch.setattr(blocks, "usable_cores", lambda: 2)
    seen = np.zeros(95, dtype=int)

    def work(rows: slice) -> None:
        seen[rows] += 1

    blocks.for_blocks(95, work)
    assert (seen == 1).all()

    def fail(rows: slice) -> None:
        if rows.start == 50:
            raise ValueError("block 50")

    with pytest.raises(ValueError, match="block 50"):
        blocks.for_blocks(95, fail)
