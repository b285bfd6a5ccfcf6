"""The ensemble's trees as leaf masks (the QuickScorer scheme of Lucchese et al., SIGIR 2015),
in numpy: a split `x <= t` that a row fails rules out the leaves of its left subtree, so a
tree's exit leaf is the leftmost leaf no failed split rules out. Per feature, the splits a
value fails are those with a threshold below it: one table row per position of the value among
the feature's thresholds holds, for every tree, the AND of the masks of those splits. A row's
leaves are then one gather and one AND per feature for all trees at once, instead of one step
per tree level. The exit leaves are the walk's to the bit (a test compares them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from advisor.predict.trees import TreeEnsemble

MAX_LEAVES = 64  # leaves per tree a mask holds (uint64); larger trees are walked
_ALL16 = np.arange(1 << 16)
_LOWEST_BIT16 = np.log2(np.maximum(_ALL16 & -_ALL16, 1)).astype(np.int8)  # index of the lowest set bit (0 for 0)


def feature_codes(te: "TreeEnsemble", X: np.ndarray) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Per feature some split uses: (feature, its sorted thresholds, each row's code), the code
    being how many thresholds lie below the value (`x <= t` holds for exactly the thresholds
    from the code on), and len(thresholds) + 1 for a missing value."""
    split = ~te.is_leaf
    out = []
    for f in np.unique(te.feature[split]):
        thresholds = np.unique(te.threshold[split & (te.feature == f)])
        col = X[:, f]
        code = np.where(np.isnan(col), len(thresholds) + 1, np.searchsorted(thresholds, col, side="left"))
        out.append((int(f), thresholds, code))
    return out


@dataclass(frozen=True)
class LeafMasks:
    dtype: type
    tables: dict[int, np.ndarray]  # feature -> (codes, trees) masks of the leaves still possible
    values: np.ndarray             # (trees, leaves) leaf values, leaves left to right

    @classmethod
    def of(cls, te: "TreeEnsemble") -> "LeafMasks | None":
        """The masks of an ensemble, or None when a tree has more leaves than a mask holds."""
        trees = []
        for root in te.roots:
            leaves, left_of = _in_order(te, int(root))
            if len(leaves) > MAX_LEAVES:
                return None
            trees.append((leaves, left_of))
        width = max(len(leaves) for leaves, _ in trees)
        dtype = np.uint16 if width <= 16 else np.uint32 if width <= 32 else np.uint64
        values = np.zeros((len(trees), width))
        for t, (leaves, _) in enumerate(trees):
            values[t, :len(leaves)] = te.value[leaves]
        return cls(dtype, _tables(te, trees, dtype), values)

    def leaf_sum(self, codes: list[tuple[int, np.ndarray, np.ndarray]], n: int) -> np.ndarray:
        """Sum over trees (in tree order, as the walk sums) of each of `n` rows' exit leaf,
        from `feature_codes` of the rows."""
        trees, width = self.values.shape
        mask = np.full((n, trees), np.iinfo(self.dtype).max, dtype=self.dtype)
        for f, _, code in codes:
            mask &= self.tables[f][code]
        leaf = _lowest_bit(mask) + np.arange(trees) * width
        return self.values.ravel()[leaf].sum(axis=1)


def _in_order(te: "TreeEnsemble", root: int) -> tuple[list[int], dict[int, int]]:
    """A tree's leaves left to right, and per split node the bitmask of its left subtree's leaves."""
    leaves: list[int] = []
    left_of: dict[int, int] = {}

    def visit(node: int) -> int:  # the mask of the leaves under `node`
        if te.is_leaf[node]:
            leaves.append(node)
            return 1 << (len(leaves) - 1)
        left = visit(int(te.left[node]))
        left_of[node] = left
        return left | visit(int(te.right[node]))

    visit(root)
    return leaves, left_of


def _tables(te: "TreeEnsemble", trees: list[tuple[list[int], dict[int, int]]], dtype: type) -> dict[int, np.ndarray]:
    full = int(np.iinfo(dtype).max)
    nodes = np.array([n for _, left_of in trees for n in left_of], dtype=np.intp)
    tree_of = np.array([t for t, (_, left_of) in enumerate(trees) for _ in left_of], dtype=np.intp)
    rule_out = np.array([full & ~left for _, left_of in trees for left in left_of.values()], dtype=np.uint64).astype(dtype)
    tables: dict[int, np.ndarray] = {}
    for f in np.unique(te.feature[nodes]):
        on_f = te.feature[nodes] == f
        thresholds = np.unique(te.threshold[nodes[on_f]])
        j = np.searchsorted(thresholds, te.threshold[nodes[on_f]])
        fails_at = np.full((len(thresholds) + 2, len(trees)), full, dtype=dtype)  # fails once the code passes j
        np.bitwise_and.at(fails_at, (j + 1, tree_of[on_f]), rule_out[on_f])   # codes above j: the value is over t
        right = ~te.missing_left[nodes[on_f]]                                   # a missing value goes right
        np.bitwise_and.at(fails_at, (np.full(int(right.sum()), len(thresholds) + 1), tree_of[on_f][right]),
                          rule_out[on_f][right])
        table = np.bitwise_and.accumulate(fails_at[:-1], axis=0)
        tables[int(f)] = np.vstack([table, fails_at[-1:]])
    return tables


def _lowest_bit(mask: np.ndarray) -> np.ndarray:
    """Index of the lowest set bit of every element (never 0: the exit leaf always remains)."""
    if mask.dtype == np.uint16:
        return _LOWEST_BIT16[mask].astype(np.intp)
    out = np.zeros(mask.shape, dtype=np.intp)
    rest = mask.astype(np.uint64)
    for shift in (0, 16, 32, 48):  # the lowest non-zero 16-bit part holds the lowest bit
        part = ((rest >> np.uint64(shift)) & np.uint64(0xFFFF)).astype(np.intp)
        found = (part != 0) & ((rest & np.uint64((1 << shift) - 1)) == 0)
        out = np.where(found, _LOWEST_BIT16[part] + shift, out)
    return out
