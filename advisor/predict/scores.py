"""Benchmark scores of a model that has not been evaluated on a benchmark: learned from how
the benchmark scores other models, the model's size, release and variant, and how its family
and nearest sibling did; then the loss from quantization (quantization-effect data)."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from advisor.catalog.snapshot import Snapshot
from advisor.predict.dataset import model_group
from advisor.predict.speed import COVERAGE, group_folds
from advisor.predict.trees import TreeEnsemble, fit_trees
from advisor.schema import ModelSpec

VARIANTS = {"base": 0, "instruct": 1, "reasoning": 2, "hybrid": 3, "api": 4}
SCORE_FEATURES = (
    "bench_mean", "bench_std", "log_params", "log_active", "release_months", "variant",
    "fam_bench", "fam_all", "sib_score", "sib_log_ratio", "bench_n", "is_moe", "normalized",
    "sib_scaled",
)


def bench_key(benchmark: str) -> str:
    return benchmark.strip().lower()


def family_key(family: str | None, name: str) -> str:
    if family:
        return family.lower()
    return re.split(r"[-_ ]\d", name.lower())[0]


def release_months(release: str | None) -> float:
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?", release or "")
    if not m:
        return float("nan")
    return (int(m.group(1)) - 2020) * 12 + int(m.group(2) or 6)


@dataclass
class ScoreObs:
    model_id: int
    group: str
    family: str
    bench: str
    score: float
    params: float
    normalized: bool


class ScoreStats:
    """Aggregates over observations that can leave one model group out in O(1) per feature."""

    def __init__(self, obs: list[ScoreObs]):
        self.obs = obs
        self.n: dict = defaultdict(float)
        self.s: dict = defaultdict(float)
        self.ss: dict = defaultdict(float)
        self.fam_bench: dict[tuple[str, str], list[ScoreObs]] = defaultdict(list)
        for o in obs:
            for key in (o.bench, (o.bench, o.group)):
                self.n[key] += 1
                self.s[key] += o.score
                self.ss[key] += o.score * o.score
            self.fam_bench[(o.family, o.bench)].append(o)
        mean = {b: self.s[b] / self.n[b] for b in {o.bench for o in obs}}
        # points per e-fold of parameters, per benchmark (least squares): carries the nearest
        # sibling's score to this model's size (sib_scaled)
        self.slope: dict[str, float] = {}
        by_b: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for o in obs:
            if o.params == o.params and o.params > 0:
                by_b[o.bench].append((math.log(o.params), o.score))
        for b, pts in by_b.items():
            if len(pts) >= 5:
                xs = np.array([p[0] for p in pts])
                ys = np.array([p[1] for p in pts])
                if xs.std() > 0:
                    self.slope[b] = float(np.polyfit(xs, ys, 1)[0])
        self.res_n: dict = defaultdict(float)
        self.res_s: dict = defaultdict(float)
        for o in obs:
            r = o.score - mean[o.bench]
            for key in (o.family, (o.family, o.group)):
                self.res_n[key] += 1
                self.res_s[key] += r

    def _less(self, table: dict, key, sub) -> float:
        return table.get(key, 0.0) - table.get(sub, 0.0)

    def features(self, bench: str, spec: ModelSpec, family: str, group: str | None) -> list[float]:
        n = self._less(self.n, bench, (bench, group))
        if n <= 0:
            return [float("nan")] * len(SCORE_FEATURES)
        s = self._less(self.s, bench, (bench, group))
        ss = self._less(self.ss, bench, (bench, group))
        mean = s / n
        std = math.sqrt(max(ss / n - mean * mean, 0.0))
        fam = [o for o in self.fam_bench.get((family, bench), []) if o.group != group]
        fam_bench = float(np.mean([o.score for o in fam]) - mean) if fam else float("nan")
        rn = self._less(self.res_n, family, (family, group))
        fam_all = self._less(self.res_s, family, (family, group)) / rn if rn > 0 else float("nan")
        params = spec.params_b or float("nan")
        sib_score = sib_ratio = float("nan")
        if fam and params == params:
            with_p = [o for o in fam if o.params == o.params]
            if with_p:
                best = min(with_p, key=lambda o: abs(math.log(o.params / params)))
                sib_score, sib_ratio = best.score, math.log(params / best.params)
        return [
            mean, std, math.log(params) if params == params else float("nan"),
            math.log(spec.active_params_b or params) if params == params else float("nan"),
            release_months(spec.release), float(VARIANTS.get((spec.variant or "").split(" ")[0], -1)),
            fam_bench, fam_all, sib_score, sib_ratio, float(n),
            float(bool(spec.active_params_b and spec.params_b and spec.active_params_b < spec.params_b)),
            float(bench.endswith("(oll v2)")),
            sib_score + self.slope.get(bench, 0.0) * sib_ratio if sib_score == sib_score else float("nan"),
        ]


def observations(snap: Snapshot) -> tuple[list[ScoreObs], dict[int, ModelSpec]]:
    """Baseline (unquantized) scores on a 0-100 scale; one value per model x benchmark (median)."""

    grouped: dict[tuple[int, str], list[float]] = defaultdict(list)
    for s in snap.scores:
        if s.quant_id is not None or s.scale not in ("percent", "normalized", None, ""):
            continue
        grouped[(s.model_id, bench_key(s.benchmark))].append(s.score)
    specs: dict[int, ModelSpec] = {}
    obs = []
    for (mid, bench), vals in grouped.items():
        m = snap.models[mid]
        specs.setdefault(mid, ModelSpec.of(m))
        obs.append(ScoreObs(
            model_id=mid, group=model_group(m.name), family=family_key(m.family, m.name),
            bench=bench, score=float(np.median(vals)), params=m.params_b or float("nan"),
            normalized=bench.endswith("(oll v2)"),
        ))
    return obs, specs


@dataclass
class ScoreModel:
    trees: TreeEnsemble
    q_low: float
    q_high: float
    quant_curve: list[tuple[float, float]]  # (bits, relative change of accuracy)
    n_rows: int = 0

    def predict(self, stats: ScoreStats, bench: str, spec: ModelSpec, family: str,
                bits: float | None = None) -> tuple[float, float, float]:
        return self.predict_many(stats, [(bench, spec, family)], bits)[0]

    def predict_many(self, stats: ScoreStats, items: list[tuple[str, ModelSpec, str]],
                     bits: float | None = None) -> list[tuple[float, float, float]]:
        """(point, low, high) per (benchmark, model, family), in one walk of the trees."""
        if not items:
            return []
        X = np.array([stats.features(bench_key(bench), spec, family, None) for bench, spec, family in items])
        factor = quant_factor(self.quant_curve, bits)
        return [(p * factor, (p + self.q_low) * factor, (p + self.q_high) * factor)
                for p in map(float, self.trees.predict(X))]


def fit_score_trees(X: np.ndarray, y: np.ndarray) -> TreeEnsemble:
    """Absolute-error loss: the report's metric is the mean absolute error in points.
    (Learning the distance from the benchmark mean instead was tried: MAE 7.65 vs 7.38.)"""
    return fit_trees(X, y, max_iter=SCORE_TREES, loss="absolute_error")


SCORE_TREES = 200


def training_matrix(obs: list[ScoreObs], specs: dict[int, ModelSpec]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    stats = ScoreStats(obs)
    X = np.array([stats.features(o.bench, specs[o.model_id], o.family, o.group) for o in obs])
    y = np.array([o.score for o in obs])
    return X, y, [o.group for o in obs]


def fit_scores(snap: Snapshot, obs: list[ScoreObs] | None = None, specs: dict[int, ModelSpec] | None = None,
               inner_folds: int = 4) -> ScoreModel:
    if obs is None or specs is None:
        obs, specs = observations(snap)
    X, y, groups = training_matrix(obs, specs)
    trees = fit_score_trees(X, y)
    folds = group_folds(groups, inner_folds)
    resid = np.zeros(len(y))
    for f in np.unique(folds):
        tr, te = folds != f, folds == f
        resid[te] = y[te] - fit_score_trees(X[tr], y[tr]).predict(X[te])
    a = (1 - COVERAGE) / 2
    return ScoreModel(trees, float(np.quantile(resid, a)), float(np.quantile(resid, 1 - a)),
                      quant_curve(snap), len(y))


def quant_curve(snap: Snapshot) -> list[tuple[float, float]]:
    """Median relative change of accuracy-type metrics by weight bits (quant-effect data)."""
    by_bits: dict[float, list[float]] = defaultdict(list)
    for q in snap.quant_effects:
        if not q.higher_is_better or not q.value_baseline or q.value_quant is None:
            continue
        bits = q.weight_bits or q.bits
        if not bits or q.value_baseline <= 1:
            continue
        by_bits[round(float(bits))].append(q.value_quant / q.value_baseline - 1)
    curve = sorted((b, float(np.median(v))) for b, v in by_bits.items() if len(v) >= 3)
    # accuracy never improves with fewer bits in expectation: make it monotone
    out: list[tuple[float, float]] = []
    best = 0.0
    for b, r in sorted(curve, key=lambda t: -t[0]):
        best = min(best, r)
        out.append((b, best))
    return sorted(out)


def quant_factor(curve: list[tuple[float, float]], bits: float | None, native_bits: float | None = None) -> float:
    """The share of its published accuracy a model keeps at `bits`: against 16 bits, or against
    `native_bits` where its published weights are themselves quantized (gpt-oss MXFP4: its scores
    are of those weights, so as many bits or more lose nothing)."""
    if bits is None or bits >= 15 or not curve:
        return 1.0
    xs = [b for b, _ in curve] + [16.0]
    ys = [r for _, r in curve] + [0.0]
    kept = 1.0 + float(np.interp(bits, xs, ys))
    if native_bits is None or native_bits >= 15:
        return kept
    return min(1.0, kept / (1.0 + float(np.interp(native_bits, xs, ys))))
