"""Benchmarks linked through the models scored on several of them: logit(score) = ability(model)
+ offset(benchmark), fitted on every published score (on the logit of the share, so that an easy
benchmark's scores crowd below 100 as they do, instead of a strong model running past it). A model published on a few
benchmarks only, a hosted one without a parameter count the score trees need, gets the others
as ability + offset, so that its task accuracy averages the same benchmarks as every other
model's: a 2024 model scored on HumanEval (87) no longer outranks a 2026 one scored on
SWE-bench Verified (80) for being measured on an easier test."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

COVERAGE = 0.80
ROUNDS = 30  # alternating means converge well within this on the catalog's scores
MIN_LINKED = 2  # a benchmark needs this many models scored on it and on another one
EDGE = 0.005  # scores of 0 or 100 are taken as 0.5 and 99.5 (a logit needs both sides)
FOLDS = 5  # the band: residuals of scores held out a fifth at a time


@dataclass
class ScoreLinks:
    """Abilities per model, offsets per benchmark (logits), and the 80 % band of held-out residuals."""

    ability: dict[int, float] = field(default_factory=dict)
    offset: dict[str, float] = field(default_factory=dict)
    q_low: float = 0.0
    q_high: float = 0.0

    def predict(self, model_id: int, bench: str) -> tuple[float, float, float] | None:
        """(point, low, high) of `model_id` on `bench`, None when either is not linked."""
        if model_id not in self.ability or bench not in self.offset:
            return None
        p = self.ability[model_id] + self.offset[bench]
        return tuple(float(100.0 / (1.0 + np.exp(-x))) for x in (p, p + self.q_low, p + self.q_high))  # type: ignore[return-value]


def _alternate(mi: np.ndarray, bi: np.ndarray, y: np.ndarray, n_models: int, n_benches: int) -> tuple[np.ndarray, np.ndarray]:
    """(abilities, offsets) of the additive fit by alternating means."""
    theta, delta = np.zeros(n_models), np.zeros(n_benches)
    n_m, n_b = np.bincount(mi, minlength=n_models), np.bincount(bi, minlength=n_benches)
    for _ in range(ROUNDS):
        delta = np.bincount(bi, weights=y - theta[mi], minlength=n_benches) / np.maximum(n_b, 1)
        theta = np.bincount(mi, weights=y - delta[bi], minlength=n_models) / np.maximum(n_m, 1)
    return theta, delta


def fit_links(scores: Mapping[tuple[int, str], float]) -> ScoreLinks:
    """The additive fit over (model, benchmark) -> score, on the models scored on at least two
    benchmarks (one score links nothing); the band from scores held out FOLDS at a time."""
    per_model: dict[int, int] = {}
    for m, _ in scores:
        per_model[m] = per_model.get(m, 0) + 1
    cells = [(m, b, v) for (m, b), v in sorted(scores.items()) if per_model[m] >= 2]
    per_bench: dict[str, int] = {}
    for _, b, _ in cells:
        per_bench[b] = per_bench.get(b, 0) + 1
    cells = [c for c in cells if per_bench[c[1]] >= MIN_LINKED]
    if not cells:
        return ScoreLinks()
    models = sorted({m for m, _, _ in cells})
    benches = sorted({b for _, b, _ in cells})
    mi = np.array([models.index(m) for m, _, _ in cells])
    bi = np.array([benches.index(b) for _, b, _ in cells])
    share = np.clip(np.array([v for _, _, v in cells], dtype=float) / 100.0, EDGE, 1.0 - EDGE)
    y = np.log(share / (1.0 - share))
    theta, delta = _alternate(mi, bi, y, len(models), len(benches))
    resid = []
    fold = np.arange(len(y)) % FOLDS
    for f in range(FOLDS):
        tr, te = fold != f, fold == f
        t_f, d_f = _alternate(mi[tr], bi[tr], y[tr], len(models), len(benches))
        seen = (np.bincount(mi[tr], minlength=len(models)) > 0)[mi[te]] & (np.bincount(bi[tr], minlength=len(benches)) > 0)[bi[te]]
        resid.append((y[te] - (t_f[mi[te]] + d_f[bi[te]]))[seen])
    r = np.concatenate(resid)
    a = (1 - COVERAGE) / 2
    lo, hi = np.quantile(r, [a, 1 - a]) if len(r) > 1 else (0.0, 0.0)
    return ScoreLinks(dict(zip(models, map(float, theta))), dict(zip(benches, map(float, delta))), float(lo), float(hi))
