"""Gradient-boosted trees that predict with numpy alone.

scikit-learn fits them (imported only when fitting: it costs ~2 s to import here); the fitted
trees are exported to plain arrays, stored as `.npz` without pickle, and evaluated as leaf
masks in numpy (`advisor.predict.tree_masks`; the level-by-level walk remains for trees too
wide for a mask). So a saved predictor can never execute code on load, and a cold
`advisor recommend` does not import scikit-learn."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from advisor.predict.blocks import for_blocks
from advisor.predict.tree_masks import CHUNK, LeafMasks, feature_codes

_MASKS_LOCK = threading.Lock()
FIELDS = ("feature", "threshold", "missing_left", "left", "right", "is_leaf", "value")


@dataclass
class TreeEnsemble:
    """Concatenated nodes of all trees; `roots[i]` is the first node of tree i."""

    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    is_leaf: np.ndarray
    value: np.ndarray
    _masks: "LeafMasks | bool | None" = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_sklearn(cls, est) -> "TreeEnsemble":  # type: ignore[no-untyped-def]
        """Export a fitted HistGradientBoostingRegressor (numeric features only)."""
        parts: dict[str, list[np.ndarray]] = {f: [] for f in FIELDS}
        roots = []
        offset = 0
        for (predictor,) in est._predictors:
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported by the export")
            roots.append(offset)
            parts["feature"].append(nodes["feature_idx"].astype(np.int32))
            parts["threshold"].append(nodes["num_threshold"].astype(np.float64))
            parts["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
            parts["left"].append(nodes["left"].astype(np.int32) + offset)
            parts["right"].append(nodes["right"].astype(np.int32) + offset)
            parts["is_leaf"].append(nodes["is_leaf"].astype(bool))
            parts["value"].append(nodes["value"].astype(np.float64))
            offset += len(nodes)
        baseline = float(np.asarray(est._baseline_prediction).ravel()[0])
        if not roots:
            empty = {f: np.zeros(0) for f in FIELDS}
            return cls(baseline, np.zeros(0, dtype=np.int32), **empty)  # type: ignore[arg-type]
        return cls(baseline, np.array(roots, dtype=np.int32),
                   **{f: np.concatenate(v) for f, v in parts.items()})

    DEDUPE_ROWS = 20_000  # from this many rows on, rows the splits cannot tell apart are scored once

    def predict(self, X: np.ndarray, columns: np.ndarray | None = None) -> np.ndarray:
        """The ensemble's output per row of X (nan follows each split's missing direction);
        with `columns`, tree feature k is column `columns[k]` of X (no copy of the selection).
        Blocks of rows are scored in parallel threads (`advisor.predict.blocks`)."""
        X = np.asarray(X, dtype=float)  # any memory order: the masks read it a column at a time
        n = X.shape[0]
        if len(self.roots) == 0 or n == 0:
            return np.full(n, self.baseline)
        masks = self.leaf_masks()
        if masks is None:
            return self._walk(np.ascontiguousarray(X if columns is None else X[:, columns]))
        cols = np.arange(X.shape[1]) if columns is None else np.asarray(columns)
        out = np.full(n, self.baseline)

        def block(rows: slice) -> None:
            out[rows] += self._masked_sum(masks, X[rows], cols)

        for_blocks(n, block)  # a block's rows are coded and deduplicated at once
        return out

    def leaf_masks(self) -> "LeafMasks | None":
        """The trees as leaf masks (`advisor.predict.tree_masks`), built once per ensemble."""
        with _MASKS_LOCK:  # blocks in threads ask at once; build the masks once
            if self._masks is None:
                self._masks = LeafMasks.of(self) or False
        return self._masks or None

    def _masked_sum(self, masks: "LeafMasks", X: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Leaf sums through the masks; above DEDUPE_ROWS rows, once per class of rows."""
        codes = feature_codes(self, X, cols)
        if len(X) >= self.DEDUPE_ROWS:
            first, inverse = _classes(codes, len(X))
            if len(first) < 0.8 * len(X):
                return masks.leaf_sum([(f, t, c[first]) for f, t, c in codes], len(first))[inverse]
        return masks.leaf_sum(codes, len(X))

    def _walk(self, X: np.ndarray) -> np.ndarray:
        """The plain walk, one tree level per step (trees too wide for a mask; tests)."""
        X = np.ascontiguousarray(X, dtype=float)
        out = np.full(X.shape[0], self.baseline)
        for start in range(0, X.shape[0], CHUNK):
            out[start:start + CHUNK] += self._leaf_sum(X[start:start + CHUNK])
        return out

    def distinct_rows(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(one row index per class, class of every row), where two rows are in one class
        when every split of every tree sends them the same way. Exact: a class's rows reach
        the same leaves."""
        return _classes(feature_codes(self, X, np.arange(X.shape[1])), len(X))

    def _leaf_sum(self, X: np.ndarray) -> np.ndarray:
        """Sum over trees of the leaf each row reaches: every (row, tree) walk advances one
        level per step, and walks that reached a leaf drop out."""
        n, n_feat = X.shape
        trees = len(self.roots)
        node = np.tile(self.roots.astype(np.int32), n)
        base = np.repeat(np.arange(n, dtype=np.int64) * n_feat, trees)
        flat = X.ravel()
        active = np.flatnonzero(~self.is_leaf[node])
        while active.size:
            nd = node[active]
            x = flat[base[active] + self.feature[nd]]
            go_left = np.where(np.isnan(x), self.missing_left[nd], x <= self.threshold[nd])
            nxt = np.where(go_left, self.left[nd], self.right[nd])
            node[active] = nxt
            active = active[~self.is_leaf[nxt]]
        return self.value[node].reshape(n, trees).sum(axis=1)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        arrays = {f"{prefix}.{f}": getattr(self, f) for f in FIELDS}
        arrays[f"{prefix}.roots"] = self.roots
        arrays[f"{prefix}.baseline"] = np.array([self.baseline])
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "TreeEnsemble":
        return cls(
            baseline=float(arrays[f"{prefix}.baseline"][0]),
            roots=arrays[f"{prefix}.roots"],
            **{f: arrays[f"{prefix}.{f}"] for f in FIELDS},
        )


def _classes(codes: list[tuple[int, np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows with the same code for every feature (`feature_codes`) form a class: (first row
    of each class, class of each row)."""
    key = np.zeros(n, dtype=np.int64)
    radix_so_far = 1
    for _, thresholds, code in codes:
        radix = len(thresholds) + 2
        if radix_so_far * radix >= 2**62:  # renumber the classes so far to keep the key in range
            _, key = np.unique(key, return_inverse=True)
            radix_so_far = int(key.max()) + 1
        key = key * radix + code
        radix_so_far *= radix
    values, inverse = np.unique(key, return_inverse=True)  # without return_index: the faster sort
    inverse = inverse.ravel()
    first = np.empty(len(values), dtype=np.intp)
    first[inverse[::-1]] = np.arange(n - 1, -1, -1)  # the last write wins: each class's first row
    return first, inverse


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """scikit-learn's `_weighted_percentile(values, weights, 50)` (inverted CDF), step for step
    and so to the bit, without its array-API dispatch (which is most of a fit's time)."""
    order = np.argsort(values.reshape(-1, 1), axis=0)  # its sort: unstable, along axis 0 of a column
    cdf = np.cumsum(np.take_along_axis(weights.reshape(-1, 1), order, axis=0).T, axis=1)[0]
    target = 50 / 100 * cdf[-1]
    if target == 0:
        target = np.nextafter(target, target + 1)
    i = min(int(np.searchsorted(cdf, target)), len(values) - 1)
    return float(values[order[i, 0]])


def _update_leaves_values(loss, grower, y_true, raw_prediction, sample_weight):  # type: ignore[no-untyped-def]
    """Drop-in for scikit-learn's leaf update of the absolute-error loss (the weighted median
    of each leaf's residuals, times the shrinkage); other losses go to the original."""
    from sklearn._loss.loss import AbsoluteError

    if not isinstance(loss, AbsoluteError) or sample_weight is None:
        return _ORIGINAL_UPDATE[0](loss, grower, y_true, raw_prediction, sample_weight)
    for leaf in grower.finalized_leaves:
        idx = leaf.sample_indices
        leaf.value = grower.shrinkage * _weighted_median(y_true[idx] - raw_prediction[idx], sample_weight[idx])
    return None


_ORIGINAL_UPDATE: list = []  # type: ignore[type-arg]


@contextmanager
def _fast_median_leaves():  # type: ignore[no-untyped-def]
    """scikit-learn's module function replaced for the duration of one fit (tests check the
    trees are the same as with the original, so a scikit-learn that changes it is caught)."""
    from sklearn.ensemble._hist_gradient_boosting import gradient_boosting as gb

    original = gb._update_leaves_values
    _ORIGINAL_UPDATE[:] = [original]
    gb._update_leaves_values = _update_leaves_values
    try:
        yield
    finally:
        gb._update_leaves_values = original


def fit_trees(X: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None,
              *, max_iter: int = 100, loss: str = "squared_error", seed: int = 0,
              monotonic: list[int] | None = None) -> TreeEnsemble:
    """Fit a small, regularised boosted-tree regressor and export it. `monotonic` gives per
    column -1 (prediction never rises with it), 1 (never falls) or 0."""
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    est = HistGradientBoostingRegressor(
        loss=loss, max_iter=max_iter, learning_rate=0.1, max_leaf_nodes=15,
        min_samples_leaf=12, l2_regularization=1.0, early_stopping=False, random_state=seed,
        monotonic_cst=monotonic,
    )
    X = np.array(X, dtype=float)
    X[:, np.isnan(X).all(axis=0)] = 0.0  # a feature never seen in this subset
    # one thread: on small data OpenMP threads only contend (16x slower on a busy 2-core box)
    with threadpool_limits(limits=1, user_api="openmp"), _fast_median_leaves():
        est.fit(X, y, sample_weight=weight)
    return TreeEnsemble.from_sklearn(est)
