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

CHUNK = 2048  # rows whose masks are held at once: memory stays bounded for any number of rows
MAX_LEAVES = 64  # leaves per tree a mask holds (uint64); larger trees are walked
_ALL16 = np.arange(1 << 16)
_LOWEST_BIT16 = np.log2(np.maximum(_ALL16 & -_ALL16, 1)).astype(np.int32)  # index of the lowest set bit (0 for 0)


def feature_codes(te: "TreeEnsemble", X: np.ndarray, cols: np.ndarray) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Per feature some split uses: (feature, its sorted thresholds, each row's code), the code
    being how many thresholds lie below the value (`x <= t` holds for exactly the thresholds
    from the code on), and len(thresholds) + 1 for a missing value. Feature f is column
    `cols[f]` of X."""
    split = ~te.is_leaf
    out = []
    for f in np.unique(te.feature[split]):
        thresholds = np.unique(te.threshold[split & (te.feature == f)])
        col = X[:, cols[f]]
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
        from `feature_codes` of the rows, CHUNK rows at a time. A feature whose code is the
        same on every row is ANDed in once; features that take few joint values (one device's
        figures, one model's) are ANDed per joint value first (`_joint_sources`), so a row
        gathers one mask per group instead of one per feature."""
        trees, width = self.values.shape
        if n == 0:
            return np.zeros(0)
        base = np.full(trees, np.iinfo(self.dtype).max, dtype=self.dtype)
        live = []
        for f, thresholds, code in codes:
            if code.min() == code.max():
                base &= self.tables[f][code[0]]
            else:
                live.append((f, len(thresholds) + 2, code))
        sources = self._joint_sources(live, n)
        offsets = (np.arange(trees) * width).astype(np.int32)
        values = self.values.ravel()
        out = np.empty(n)
        rows = min(n, CHUNK)  # the chunk's work arrays, allocated once: no fresh memory per chunk
        mask, gathered = np.empty((rows, trees), dtype=self.dtype), np.empty((rows, trees), dtype=self.dtype)
        leaf, leaf_value = np.empty((rows, trees), dtype=np.int32), np.empty((rows, trees))  # trees x leaves < 2**31
        for start in range(0, n, CHUNK):
            stop = min(n, start + CHUNK)
            m, g, lf, lv = mask[:stop - start], gathered[:stop - start], leaf[:stop - start], leaf_value[:stop - start]
            m[:] = base
            for table, index in sources:
                np.take(table, index[start:stop], axis=0, out=g, mode="clip")  # clip: unbuffered, indices are in range
                m &= g
            _lowest_bit(m, out=lf)
            lf += offsets
            np.take(values, lf, out=lv, mode="clip")
            lv.sum(axis=1, out=out[start:stop])
        return out

    def _joint_sources(self, live: list[tuple[int, int, np.ndarray]], n: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """(mask table, row index into it) pairs whose AND over rows is that of every feature
        of `live` ((feature, radix, code) triples): features grouped while a sample of rows
        shows few joint values, each group's table the AND of its features' masks per value."""
        sample = slice(None, None, max(1, n // JOINT_SAMPLE))
        groups: list[tuple[list[tuple[int, int, np.ndarray]], np.ndarray]] = []
        for item in sorted(live, key=lambda x: len(np.unique(x[2][sample]))):
            for k, (members, sample_key) in enumerate(groups):
                joined = np.unique(sample_key * item[1] + item[2][sample], return_inverse=True)
                if len(joined[0]) <= len(sample_key) * JOINT_SHARE:
                    groups[k] = (members + [item], joined[1].ravel())
                    break
            else:
                groups.append(([item], np.unique(item[2][sample], return_inverse=True)[1].ravel()))
        sources = []
        for members, _ in groups:
            if len(members) == 1:
                f, _, code = members[0]
                sources.append((self.tables[f], code))
                continue
            key, first = _joint_key(members, n)
            table = self.tables[members[0][0]][members[0][2][first]]
            for f, _, code in members[1:]:
                table &= self.tables[f][code[first]]
            sources.append((table, key))
        return sources


JOINT_SAMPLE = 1024  # rows sampled to decide which features to group
JOINT_SHARE = 1 / 8  # a group may take at most this share of the sampled rows' count of joint values


def _joint_key(members: list[tuple[int, int, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(dense id of each row's joint code over `members`, first row of each id)."""
    key = np.zeros(n, dtype=np.intp)
    size = 1
    for _, radix, code in members:
        if size * radix > DENSE_LIMIT:
            key, size = _dense(key, size)
        key = key * radix + code
        size *= radix
    key, size = _dense(key, size)
    first = np.empty(size, dtype=np.intp)
    first[key[::-1]] = np.arange(n - 1, -1, -1)  # the last write wins: the first row of each id
    return key, first


DENSE_LIMIT = 1 << 22  # widest key range renumbered through a presence table


def _dense(key: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """`key` (values below `size`) renumbered 0.. in order of value, and the count of values."""
    if size > DENSE_LIMIT:
        values, ids = np.unique(key, return_inverse=True)
        return ids.ravel(), len(values)
    present = np.zeros(size, dtype=bool)
    present[key] = True
    values = np.flatnonzero(present)
    ids = np.empty(size, dtype=np.intp)  # only the pages of present values are written and read
    ids[values] = np.arange(len(values))
    return ids[key], len(values)


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


def _lowest_bit(mask: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Index of the lowest set bit of every element (never 0: the exit leaf always remains),
    into `out` when given: one table lookup for 16-bit masks (the shipped predictor's);
    wider ones by `m & -m`, which keeps that bit alone, a power of two that a float64 holds
    exactly, whose exponent is the index (5x faster than looking it up 16 bits at a time)."""
    if mask.dtype == np.uint16:
        return np.take(_LOWEST_BIT16, mask, out=out, mode="clip")
    low = mask & np.negative(mask)
    index = np.frexp(low.astype(np.float64))[1] - 1
    if out is None:
        return index.astype(np.int32)
    out[:] = index
    return out
