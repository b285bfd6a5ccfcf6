"""Task accuracy of a model: the weighted mean of its scores on the task's benchmarks
(tasks.py), measured where published and predicted otherwise, then the quantization loss."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from advisor import config
from advisor.safeio import write_atomic
from advisor.catalog.snapshot import Snapshot
from advisor.predict.predictor import Predictor
from advisor.predict.score_links import ScoreLinks, fit_links
from advisor.predict.scores import bench_key, family_key, quant_factor
from advisor.recommend.tasks import TASK_BENCHMARKS
from advisor.schema import ModelSpec


@dataclass
class TaskAccuracy:
    value: float | None
    low: float | None
    high: float | None
    measured: list[str] = field(default_factory=list)   # benchmarks with published scores
    predicted: list[str] = field(default_factory=list)  # benchmarks predicted
    sources: list[str] = field(default_factory=list)

    @property
    def basis(self) -> str:
        if self.value is None:
            return "unknown"
        return "measured" if not self.predicted else "predicted"

    def detail(self) -> str:
        parts = []
        if self.measured:
            parts.append("published: " + ", ".join(self.measured))
        if self.predicted:
            parts.append("predicted: " + ", ".join(self.predicted))
        return "; ".join(parts)

    def quantized(self, curve: list[tuple[float, float]], bits: float | None) -> "TaskAccuracy":
        return self.scaled(quant_factor(curve, bits))

    def scaled(self, f: float) -> "TaskAccuracy":
        """This accuracy times a quantization loss factor `f` (itself when `f` is 1)."""
        if self.value is None or f == 1.0:
            return self
        return TaskAccuracy(self.value * f, (self.low or 0) * f, (self.high or 0) * f,
                            self.measured, self.predicted + ["quantization loss"], self.sources)


# bump when how a task accuracy is computed changes: figures saved by an older version are not read
ACCURACY_VERSION = 2  # 2: hosted models' missing benchmarks linked from their published ones


class AccuracyTable:
    """Task accuracies at 16 bits, cached per snapshot in memory and on disk (a JSON file
    keyed by the catalog version, written by this program), so that a cold process does not
    rebuild the score statistics."""

    def __init__(self, snap: Snapshot, pred: Predictor):
        self.snap, self.pred = snap, pred
        self._cache: dict[tuple[int, str], TaskAccuracy] = {}
        self._lock = threading.RLock()  # requests of a server share one table
        self._scores: dict[tuple[int, str], list] = {}
        self._linked: ScoreLinks | None = None
        for s in snap.scores:
            if s.quant_id is None and s.scale in ("percent", None, ""):
                self._scores.setdefault((s.model_id, bench_key(s.benchmark)), []).append(s)

    def get(self, model_id: int, task: str) -> TaskAccuracy:
        key = (model_id, task)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = self._compute(model_id, task)
            return self._cache[key]

    def _disk_path(self, task: str) -> Path:
        # keyed by the task's benchmark map too: a change of weights must not read old figures
        bench = json.dumps(TASK_BENCHMARKS[task], sort_keys=True)
        digest = hashlib.sha256(f"{ACCURACY_VERSION}:{self.snap.version}:{task}:{bench}".encode()).hexdigest()[:16]
        return config.models_cache_dir() / f"accuracy-{digest}.json"

    def preload(self, task: str, model_ids: list[int]) -> None:
        """Fill the cache for a task from disk, or compute it and save it for next time."""
        with self._lock:
            self._preload(task, model_ids)

    def _preload(self, task: str, model_ids: list[int]) -> None:
        if all((m, task) in self._cache for m in model_ids):
            return
        path = self._disk_path(task)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for mid, fields in data.items():
                self._cache[(int(mid), task)] = TaskAccuracy(**fields)
        except (OSError, ValueError, TypeError):
            pass
        missing = [m for m in model_ids if (m, task) not in self._cache]
        if not missing:
            return
        predicted = self._predicted(missing, task)
        for m in missing:
            self._cache[(m, task)] = self._compute(m, task, predicted)
        out = {str(m): dataclasses.asdict(a) for (m, t), a in self._cache.items() if t == task}
        try:  # a temporary file of its own: two processes may save the same task at once
            write_atomic(path, json.dumps(out), force=True)
        except OSError:
            pass

    def _predicted(self, model_ids: list[int], task: str) -> dict[tuple[int, str], tuple[float, float, float]]:
        """Predicted scores of every benchmark of `task` the models have no score for, in one
        batch: by the score trees from a model's facts, else (a hosted model, no parameter count)
        linked from its own published scores (`score_links`: held out, 8.2 points off on average),
        where it has one on the task's own benchmarks (a task with no evidence stays unknown)."""
        stats = self.pred.score_stats(self.snap)
        wanted, linked = [], {}
        keys = [bench_key(b) for b in TASK_BENCHMARKS[task]]
        for m in model_ids:
            row = self.snap.models[m]
            spec = ModelSpec.of(row)
            evidence = any((m, k) in self._scores for k in keys)
            for bench in TASK_BENCHMARKS[task]:
                key = bench_key(bench)
                if (m, key) in self._scores:
                    continue
                if key in stats.n and spec.params_b is not None:
                    wanted.append(((m, key), (bench, spec, family_key(row.family, row.name))))
                elif spec.params_b is None and evidence and (p := self._links().predict(m, key)) is not None:
                    linked[(m, key)] = p
        points = self.pred.scores.predict_many(stats, [item for _, item in wanted])
        return {**linked, **{k: p for (k, _), p in zip(wanted, points)}}

    def _links(self) -> ScoreLinks:
        """Benchmarks linked through the models scored on several (fitted once per snapshot)."""
        if self._linked is None:
            self._linked = fit_links({k: float(np.median([r.score for r in rows])) for k, rows in self._scores.items()})
        return self._linked

    def _compute(self, model_id: int, task: str,
                 predicted: dict[tuple[int, str], tuple[float, float, float]] | None = None) -> TaskAccuracy:
        if predicted is None:
            predicted = self._predicted([model_id], task)
        vals, lows, highs, weights = [], [], [], []
        acc = TaskAccuracy(None, None, None)
        for bench, weight in TASK_BENCHMARKS[task].items():
            key = bench_key(bench)
            rows = self._scores.get((model_id, key))
            if rows:
                v = sorted(r.score for r in rows)
                vals.append(float(np.median(v)))
                lows.append(v[0])
                highs.append(v[-1])
                acc.measured.append(bench)
                acc.sources += [self.snap.source_text(r.source_id) or "" for r in rows]
            elif (model_id, key) in predicted:
                p, lo, hi = predicted[(model_id, key)]
                vals.append(p)
                lows.append(lo)
                highs.append(hi)
                acc.predicted.append(bench)
            else:
                continue
            weights.append(weight)
        if not vals:
            return acc
        w = np.array(weights)
        acc.value = float(np.dot(w, vals) / w.sum())
        acc.low = float(np.dot(w, lows) / w.sum())
        acc.high = float(np.dot(w, highs) / w.sum())
        acc.sources = sorted(set(s for s in acc.sources if s))
        return acc
