"""The fitted predictor: decode and prefill corrections, memory calibration and the score
model, trained from one catalog snapshot, saved as plain arrays (`.npz`, no pickle) keyed by
the catalog's data version, and refit automatically when the catalog changes."""

from __future__ import annotations

import hashlib
import json
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from advisor import config
from advisor.catalog.snapshot import Snapshot
from advisor.predict import physics
from advisor.predict.dataset import speed_rows
from advisor.predict.batch import CaseBatch, batch_of, features
from advisor.predict.blocks import for_blocks
from advisor.predict.features import Case
from advisor.predict.scores import ScoreModel, ScoreStats, fit_scores, observations
from advisor.predict.speed import COVERAGE, TargetModel, TtftCalibration, fit_speed
from advisor.predict.trees import TreeEnsemble

FORMAT_VERSION = "15"  # bump whenever features or stored arrays change


@dataclass
class MemoryCalibration:
    """measured / physics ratio on rows that report memory used; 80 % bounds in log space."""

    log_ratio: float = 0.0
    q_low: float = -0.15
    q_high: float = 0.15
    n_rows: int = 0


@dataclass
class Predictor:
    data_version: str
    decode: TargetModel
    prefill: TargetModel
    scores: ScoreModel
    memory: MemoryCalibration
    ttft: TtftCalibration = field(default_factory=TtftCalibration)
    fit_seconds: float = 0.0
    _stats: ScoreStats | None = None

    # ------------------------------------------------------------------ speed
    SPEED_FIGURES = ("decode", "decode_low", "decode_high", "prefill", "prefill_low", "prefill_high",
                     "ttft", "ttft_low", "ttft_high")

    def speed(self, cases: "list[Case] | CaseBatch") -> dict[str, np.ndarray]:
        """Decode, prefill and first-token figures with 80 % bounds, for cases or a batch (a
        large batch in blocks of rows, side by side: `advisor.predict.blocks`)."""
        batch = cases if isinstance(cases, CaseBatch) else batch_of(cases)
        out = {k: np.empty(len(batch)) for k in self.SPEED_FIGURES}

        def block(rows: slice) -> None:
            for k, v in zip(self.SPEED_FIGURES, self._speed_block(batch.rows(rows))):
                out[k][rows] = v

        for_blocks(len(batch), block)
        return out

    def _speed_block(self, batch: CaseBatch) -> tuple[np.ndarray, ...]:
        """The `SPEED_FIGURES` of one block of cases, in that order."""
        X = features(batch)
        kinds = batch.kind_codes
        d, dl, dh = self.decode.predict(kinds, X)
        p, pl, ph = self.prefill.predict(kinds, X)
        ttft, ttft_lo, ttft_hi = self.ttft.figures(X, kinds, (p, pl, ph), (d, dl, dh))
        return d, dl, dh, p, pl, ph, ttft, ttft_lo, ttft_hi

    def memory_needed(self, batch: CaseBatch, context: "np.ndarray | int", concurrency: int = 1) -> dict[str, np.ndarray]:
        """Memory needed (GB) with 80 % bounds, and its parts, for every case of a batch."""
        w, kv, over = batch.memory_parts(context, concurrency)
        total = w + kv + over
        m = self.memory
        return {"memory": total * np.exp(m.log_ratio), "memory_low": total * np.exp(m.log_ratio + m.q_low),
                "memory_high": total * np.exp(m.log_ratio + m.q_high), "weights_gb": w, "kv_gb": kv, "overhead_gb": over}

    def memory_gb(self, case: Case, context_tokens: int, concurrency: int = 1) -> tuple[float, float, float, physics.MemoryEstimate]:
        """`memory_needed` for one case: (point, low, high, the physics parts)."""
        f = {k: float(v[0]) for k, v in self.memory_needed(batch_of([case]), context_tokens, concurrency).items()}
        return f["memory"], f["memory_low"], f["memory_high"], physics.MemoryEstimate(f["weights_gb"], f["kv_gb"], f["overhead_gb"])

    # ------------------------------------------------------------------ scores
    def score_stats(self, snap: Snapshot) -> ScoreStats:
        if self._stats is None:
            obs, _ = observations(snap)
            self._stats = ScoreStats(obs)
        return self._stats

    # ------------------------------------------------------------------ persistence
    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {}
        arrays.update(self.decode.trees.to_arrays("decode"))
        arrays.update(self.prefill.trees.to_arrays("prefill"))
        arrays.update(self.scores.trees.to_arrays("scores"))
        meta = {
            "format": FORMAT_VERSION,
            "data_version": self.data_version,
            "fit_seconds": self.fit_seconds,
            "decode": _target_meta(self.decode),
            "prefill": _target_meta(self.prefill),
            "scores": {"q_low": self.scores.q_low, "q_high": self.scores.q_high,
                       "quant_curve": self.scores.quant_curve, "n_rows": self.scores.n_rows},
            "memory": vars(self.memory),
            "ttft": vars(self.ttft),
        }
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(path)  # atomic: a reader never sees half a file

    @classmethod
    def load(cls, path: Path) -> "Predictor | None":
        """The predictor saved at `path`; None when it is missing, of another format, or
        truncated or damaged in any way (the caller then fits again)."""
        try:
            with np.load(path, allow_pickle=False) as f:  # never unpickle
                arrays = {k: f[k] for k in f.files}
            meta = json.loads(arrays["meta"].tobytes().decode())
            if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION:
                return None
            return cls._from(arrays, meta)
        except (OSError, ValueError, KeyError, TypeError, EOFError, IndexError, zipfile.BadZipFile):
            return None

    @classmethod
    def _from(cls, arrays: dict[str, np.ndarray], meta: dict) -> "Predictor":  # type: ignore[type-arg]
        d, p, s = meta["decode"], meta["prefill"], meta["scores"]
        return cls(
            data_version=meta["data_version"],
            decode=TargetModel("decode", TreeEnsemble.from_arrays(arrays, "decode"), d["q_low"], d["q_high"], d["n_rows"],
                               d["cpu_peak_share"]),
            prefill=TargetModel("prefill", TreeEnsemble.from_arrays(arrays, "prefill"), p["q_low"], p["q_high"],
                                p["n_rows"], p["cpu_peak_share"]),
            scores=ScoreModel(TreeEnsemble.from_arrays(arrays, "scores"), s["q_low"], s["q_high"],
                              [tuple(x) for x in s["quant_curve"]], s["n_rows"]),
            memory=MemoryCalibration(**meta["memory"]),
            ttft=TtftCalibration(**meta["ttft"]),
            fit_seconds=meta.get("fit_seconds", 0.0),
        )


def _target_meta(m: TargetModel) -> dict:  # type: ignore[type-arg]
    return {"q_low": m.q_low, "q_high": m.q_high, "n_rows": m.n_rows, "cpu_peak_share": m.cpu_peak_share}


def physics_memory_gb(rows: list) -> np.ndarray:  # type: ignore[type-arg]
    """The physics memory (weights + KV for prompt + generation + overhead) of measured rows."""
    if not rows:
        return np.zeros(0)
    batch = batch_of([r.case for r in rows])
    w, kv, over = batch.memory_parts(batch.prompt + batch.gen, 1)
    return w + kv + over


def fit_memory(rows: list) -> MemoryCalibration:  # type: ignore[type-arg]
    ratios = list(np.log(np.array([r.value for r in rows]) / physics_memory_gb(rows))) if rows else []
    if len(ratios) < 8:
        return MemoryCalibration(n_rows=len(ratios))
    a = (1 - COVERAGE) / 2
    arr = np.array(ratios)
    med = float(np.median(arr))
    return MemoryCalibration(log_ratio=med, q_low=float(np.quantile(arr, a) - med),
                             q_high=float(np.quantile(arr, 1 - a) - med), n_rows=len(arr))


def fit_predictor(snap: Snapshot) -> Predictor:
    """Fit every model of the predictor on the snapshot's rows (a bar on a terminal)."""
    from advisor.progress import Progress

    t0 = time.perf_counter()
    bar = Progress("fitting the predictor on the catalog")
    bar.update(0.0, "speeds")
    rows = speed_rows(snap)
    decode, prefill, ttft = fit_speed(rows, progress=lambda f: bar.update(0.8 * f, "speeds"))
    bar.update(0.8, "scores")
    scores = fit_scores(snap)
    memory = fit_memory(rows["memory"])
    bar.close()
    return Predictor(snap.fit_version, decode, prefill, scores, memory, ttft, time.perf_counter() - t0)


_CACHE: dict[str, Predictor] = {}


def _path_for(version: str) -> Path:
    digest = hashlib.sha256(f"{FORMAT_VERSION}:{version}".encode()).hexdigest()[:16]
    return config.models_cache_dir() / f"predictor-{digest}.npz"


SHIPPED_FILE = "predictor.npz"  # fitted on the shipped seed, beside it (catalog/make_predictor.py)


def shipped_predictor(version: str) -> "Predictor | None":
    """The predictor shipped with the seed, when it was fitted on exactly this seed."""
    pred = Predictor.load(config.seed_dir() / SHIPPED_FILE)
    return pred if pred is not None and pred.data_version == version else None


def cpu_peak_shares() -> tuple[float | None, float | None]:
    """(decode, prefill) `peak_share` of the catalog's CPUs, from the predictor shipped with the
    seed (only its small metadata entry is read: hardware detection asks, before any fit), so a
    detected machine's figures do not move when user rows are added; (None, None) without it."""
    try:
        with np.load(config.seed_dir() / SHIPPED_FILE, allow_pickle=False) as f:
            meta = json.loads(f["meta"].tobytes().decode())
        if meta.get("format") != FORMAT_VERSION:
            return None, None
        return meta["decode"]["cpu_peak_share"], meta["prefill"]["cpu_peak_share"]
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
        return None, None


def needs_fit(snap: Snapshot) -> bool:
    """True when `get_predictor(snap)` will fit (no usable saved or shipped predictor): the
    TUI says so before the wait (about 8 s on two cores)."""
    version = snap.fit_version
    path = _path_for(version)
    if str(path) in _CACHE:
        return False
    if path.exists():
        return False  # a damaged file is refit too, rarely: not announced
    return not (version.startswith("seed:") and shipped_predictor(version) is not None)


def get_predictor(snap: Snapshot) -> Predictor:
    """The predictor for this snapshot: in memory, else the saved file, else the one shipped
    with the seed (while no user figures change the fit), else fit and save. A saved file that
    cannot be read is fitted again."""
    version = snap.fit_version
    path = _path_for(version)
    cached = _CACHE.get(str(path))
    if cached is not None:
        return cached
    pred = Predictor.load(path) if path.exists() else None
    if pred is None and path.exists():
        print(f"notice: the saved predictor {path} cannot be read (damaged or truncated); fitting it again",
              file=sys.stderr)
    if pred is None or pred.data_version != version:
        pred = (shipped_predictor(version) if version.startswith("seed:") else None) or fit_predictor(snap)
        _save(pred, path)
    _CACHE.clear()
    _CACHE[str(path)] = pred
    return pred


def _save(pred: Predictor, path: Path) -> None:
    try:
        pred.save(path)
        for old in path.parent.glob("predictor-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only data folder: keep the fitted model in memory only
