"""Learned corrections to the roofline: decode and prefill tokens/s as roofline x efficiency,
where log(efficiency) is learned from features; 80 % intervals from residuals on held-out
hardware (split conformal over whole devices)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from advisor.predict.dataset import SpeedRow
from advisor.predict.batch import feature_matrix
from advisor.predict.features import ENGINE_GROUPS, FEATURE_NAMES, KINDS, Case
from advisor.predict.trees import TreeEnsemble, fit_trees

IMPUTED_FEATURE = {"decode": FEATURE_NAMES.index("bw_imputed"), "prefill": FEATURE_NAMES.index("flops_imputed")}
COVERAGE = 0.80
# Features that identify the model's size let the trees memorise the few models with many
# rows instead of learning hardware efficiency; the roofline already carries model size.
# Held-out-model error (evaluate) is what chose these sets.
SIZE_FEATURES = {"log_params", "log_active", "log_weight_gb", "log_kv_mb_per_tok",
                 "log_roof_decode", "log_roof_prefill"}
# Decode efficiency is learned from physics-level facts only (kind, engine, quantization, split,
# bandwidth, compute, memory, per-layer time, thread bound): with ~100 devices, finer features let
# the trees recognise devices instead of learning what carries over to an unseen one.
DECODE_FEATURES = {
    "kind_gpu", "kind_cpu", "kind_apple", "kind_npu", "kind_tpu", "vendor", "engine", "quant_family",
    "split", "backend", "log_bw", "bw_imputed", "log_tflops_known", "flops_per_byte_known", "log_mem_gb",
    "is_moe", "bpw", "log_weight_gb", "n_devices", "log_context", "overflow", "log_threads",
    "log_layer_us", "log_thread_bound",
}
DROPPED = {"decode": set(FEATURE_NAMES) - DECODE_FEATURES,
           # prefill keeps the imputed defaults: NPUs (no published compute) fare better with them
           "prefill": SIZE_FEATURES | {"log_layer_us", "log_thread_bound", "log_tflops_known",
                                       "flops_per_byte_known", "log_prompt"}}


def columns(target: str) -> np.ndarray:
    return np.array([i for i, n in enumerate(FEATURE_NAMES) if n not in DROPPED.get(target, set())])


# Physics the trees must respect: one stream never gets more efficient (against a roofline that
# already counts the split) by adding devices, all else equal: layer splits hand activations
# over, tensor and node splits synchronise every layer. Also keeps predictions for device counts
# the catalog lacks from rising by chance. (The median loss re-fits leaf values after a tree is
# grown, so the constraint holds to within a fraction of a percent.)
MONOTONIC = {"n_devices": -1}


def monotonic(target: str) -> list[int]:
    return [MONOTONIC.get(FEATURE_NAMES[i], 0) for i in columns(target)]


ROOF_FEATURE = {"decode": FEATURE_NAMES.index("log_roof_decode"), "prefill": FEATURE_NAMES.index("log_roof_prefill")}


def roofline(X: np.ndarray, target: str) -> np.ndarray:
    """The physics bound (tokens/s) per row, read back from the feature matrix that holds it."""
    return np.exp(X[:, ROOF_FEATURE[target]])


def group_folds(groups: list[str], k: int, strata: "Sequence[str] | None" = None, seed: int | None = None) -> np.ndarray:
    """Fold id per row: whole groups, largest first, dealt round-robin (deterministic). With
    `strata` (per row: the hardware kind), each stratum's groups are dealt on their own, starting
    at the stratum's place among the strata, so a fold never holds out most of one kind (4 of the
    6 CPUs with prefill rows once fell in one fold) and a device added to one kind leaves every
    other kind's folds as they were (one Raspberry Pi added to a global deal re-dealt every GPU
    and moved held-out prefill from 38 to 48 % with no GPU row changed). With a `seed`, each run
    of k groups of a stratum goes to the k folds in a seeded random order: another deal, as
    balanced by kind and size (`advisor/benchmarks/fold_spread.py` scores several)."""
    sizes: dict[str, int] = {}
    stratum: dict[str, str] = {}
    for i, g in enumerate(groups):
        sizes[g] = sizes.get(g, 0) + 1
        stratum.setdefault(g, strata[i] if strata is not None else "")
    rng = np.random.default_rng(seed) if seed is not None else None
    fold_of: dict[str, int] = {}
    for offset, name in enumerate(sorted(set(stratum.values()))):
        order = sorted((g for g in sizes if stratum[g] == name), key=lambda g: (-sizes[g], g))
        for start in range(0, len(order), k):
            slots = rng.permutation(k) if rng is not None else (np.arange(k) + offset) % k
            fold_of.update((g, int(f)) for g, f in zip(order[start:start + k], slots))
    return np.array([fold_of[g] for g in groups])


def hardware_folds(rows: "Sequence[SpeedRow]", k: int, seed: int | None = None) -> dict[str, int]:
    """Fold per hardware group of `rows`, stratified by hardware kind (`group_folds`; a `seed`:
    another deal of the same kind)."""
    groups = [r.hardware_group for r in rows]
    return {g: int(f) for g, f in zip(groups, group_folds(groups, k, [r.kind for r in rows], seed))}


@dataclass
class TargetModel:
    target: str
    trees: TreeEnsemble
    # residual quantiles (log space): "all", "known"/"imputed" bandwidth or compute, "kind:<kind>"
    q_low: dict[str, float] = field(default_factory=dict)
    q_high: dict[str, float] = field(default_factory=dict)
    n_rows: int = 0
    cpu_peak_share: float | None = None  # `peak_share` of the CPU rows (None: too few CPUs)
    extra_oof: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)  # set by fit_target

    def predict_log(self, X: np.ndarray) -> np.ndarray:
        return self.trees.predict(X, columns(self.target))

    def predict_cases(self, cases: "list[Case]") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`predict` for some cases (their feature matrix built here)."""
        return self.predict([c.kind for c in cases], feature_matrix(cases))

    def predict(self, kinds: "Sequence[str] | np.ndarray", X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point, low and high (tokens/s) for each row of the feature matrix `X` (whose cases
        ran on hardware of `kinds`)."""
        roof = roofline(X, self.target)
        eff = self.predict_log(X)
        imputed = X[:, IMPUTED_FEATURE[self.target]] > 0.5
        lo, hi = interval_offsets(self.q_low, self.q_high, kinds, imputed)
        point = roof * np.exp(eff)
        return point, roof * np.exp(eff + lo), roof * np.exp(eff + hi)


def _xy(rows: list[SpeedRow], target: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = feature_matrix([r.case for r in rows])
    roof = roofline(X, target)
    y = np.log(np.array([r.value for r in rows]) / roof)
    w = np.array([r.weight for r in rows])
    return X, y, w


MIN_INTERVAL_ROWS = 30


def _interval_key(q: dict[str, float], kind: str, imputed: bool) -> str:
    """Residual quantiles to use: the hardware kind's own where it had enough held-out rows
    (CPUs miss by more than GPUs), else by whether the bandwidth/compute was imputed."""
    for key in (f"kind:{kind}", "imputed" if imputed else "known", "all"):
        if key in q:
            return key
    return "all"


def interval_offsets(q_low: dict[str, float], q_high: dict[str, float], kinds: "Sequence[str] | np.ndarray",
                     imputed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the (low, high) residual quantiles of its `_interval_key`, looked up once per
    (kind, imputed) pair rather than once per row (a million rows name a few kinds). `kinds`:
    names, or indexes into `KINDS` (what a batch holds: no million strings to compare)."""
    codes = kind_codes(kinds)
    lo, hi = np.zeros(len(codes)), np.zeros(len(codes))
    for k in np.flatnonzero(np.bincount(codes, minlength=len(KINDS))):
        of_kind = codes == k
        for imp in (False, True):
            mask = of_kind & (imputed == imp)
            if mask.any():
                key = _interval_key(q_low, KINDS[k], imp)
                lo[mask], hi[mask] = q_low[key], q_high[key]
    return lo, hi


def kind_codes(kinds: "Sequence[str] | np.ndarray") -> np.ndarray:
    """Indexes into `KINDS` of hardware kinds given as names or already as indexes."""
    if isinstance(kinds, np.ndarray) and kinds.dtype.kind in "iuf":
        return kinds.astype(np.intp)
    return np.array([KINDS.index(k) for k in kinds], dtype=np.intp)


def _quantiles(resid: np.ndarray, imputed: np.ndarray, kinds: np.ndarray,
               groups: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    """Per interval key (`_interval_key`), the band of held-out residuals (`device_band`)."""
    lo, hi = {}, {}
    masks = [("all", np.ones(len(resid), dtype=bool)), ("known", ~imputed), ("imputed", imputed)]
    masks += [(f"kind:{k}", kinds == k) for k in np.unique(kinds)]
    for name, mask in masks:
        if name == "all" or mask.sum() >= MIN_INTERVAL_ROWS:
            lo[name], hi[name] = device_band(resid[mask], groups[mask])
    return lo, hi


# Below this many devices the sign of a held-out device's miss is not estimable: the band is
# symmetric about the point (the Qualcomm and GPU first-token rows come from 3-4 devices each).
SYMMETRIC_BELOW_DEVICES = 10
# A device's rows weigh as the square root of their number, as in training (`dataset.speed_rows`):
# they are neither independent (one each: the Strix Halo's 315 rows set the prefill band) nor one
# observation (one in all: 50 one-row boards set the CPU decode band at 4 % of the point).
DEVICE_ROWS_POWER = 0.5


def device_weights(groups: np.ndarray) -> tuple[np.ndarray, int]:
    """(weight per row, number of devices): a device's rows weigh 1 / their number **
    DEVICE_ROWS_POWER each, so the device weighs the square root of its rows."""
    names, counts = np.unique(groups, return_counts=True)
    per_row = dict(zip(names, counts))
    return np.array([1.0 / per_row[g] ** DEVICE_ROWS_POWER for g in groups]), len(names)


def device_band(resid: np.ndarray, groups: np.ndarray, coverage: float = COVERAGE) -> tuple[float, float]:
    """(low, high) log offsets that hold `coverage` of held-out residuals, a device's rows weighing
    as the square root of their number (`DEVICE_ROWS_POWER`: the band is for a device the fit has
    not seen, so one device with 300 rows must not set it alone). From few devices, +-the
    `coverage` quantile of |residual|."""
    w, devices = device_weights(groups)
    if devices < SYMMETRIC_BELOW_DEVICES:
        h = _weighted_quantile(np.abs(resid), w, coverage)
        return -h, h
    a = (1 - coverage) / 2
    return _weighted_quantile(resid, w, a), _weighted_quantile(resid, w, 1 - a)


MIN_SHARE_DEVICES = 3


def peak_share(y: np.ndarray, imputed: np.ndarray, kinds: np.ndarray, groups: np.ndarray,
               kind: str = "cpu") -> float | None:
    """The share of its roofline (its peak figures: bandwidth for decode, compute for prefill)
    that a device of `kind` reaches: the median of measured / roofline over the rows whose
    figure is published (not imputed), a device's rows weighing as in `device_weights`; None from
    fewer than MIN_SHARE_DEVICES devices. A detected CPU's measured figures are what it achieves,
    not peaks: divided by this share they stand on the basis the trees learned from
    (advisor/hardware_detect.py)."""
    mask = (kinds == kind) & ~imputed
    w, devices = device_weights(groups[mask])
    if devices < MIN_SHARE_DEVICES:
        return None
    return round(float(np.exp(_weighted_quantile(y[mask], w, 0.5))), 4)


# Median (absolute-error) boosting: published speeds have heavy tails (RISC-V boards at 1 % of
# their bandwidth, implausibly slow multi-GPU runs), and a squared loss lets those few rows pull
# every neighbouring prediction. The median needs more, smaller steps than the mean.
SPEED_LOSS = "absolute_error"
SPEED_TREES = 200


def fit_target(rows: list[SpeedRow], target: str, inner_folds: int = 5, max_iter: int = SPEED_TREES,
               fold_of: dict[str, int] | None = None, extra: list[SpeedRow] | None = None) -> TargetModel:
    """Fit on all rows; intervals from out-of-fold residuals over held-out hardware groups.
    `fold_of` fixes the inner folds by hardware group; `extra` rows (of any target) then get
    out-of-fold predictions too, in `TargetModel.extra_oof` (tokens/s)."""
    X, y, w = _xy(rows, target)
    Xs = X[:, columns(target)]
    trees = fit_trees(Xs, y, w, max_iter=max_iter, loss=SPEED_LOSS, monotonic=monotonic(target))
    groups = [r.hardware_group for r in rows]
    if fold_of is None:
        fold_of = hardware_folds(rows, min(inner_folds, len(set(groups))))
    folds = np.array([fold_of[g] for g in groups])
    extra = extra or []
    Xe = feature_matrix([r.case for r in extra]) if extra else np.zeros((0, X.shape[1]))
    extra_folds = np.array([fold_of.get(r.hardware_group, -1) for r in extra])
    extra_log = trees.predict(Xe[:, columns(target)]) if extra else np.zeros(0)
    resid = np.zeros(len(rows))
    # every fold that holds rows of this target or extra rows gets a model that never saw it
    fold_ids = np.unique(np.concatenate([folds, extra_folds[extra_folds >= 0]]).astype(int))
    if len(np.unique(folds)) >= 2:
        for f in fold_ids:
            tr, te = folds != f, folds == f
            sub = fit_trees(Xs[tr], y[tr], w[tr], max_iter=max_iter, loss=SPEED_LOSS, monotonic=monotonic(target))
            resid[te] = y[te] - sub.predict(Xs[te])
            ex = extra_folds == f
            if ex.any():
                extra_log[ex] = sub.predict(Xe[ex][:, columns(target)])
    else:
        resid = y - trees.predict(Xs)
    imputed = X[:, IMPUTED_FEATURE[target]] > 0.5
    kinds = np.array([r.case.kind for r in rows])
    lo, hi = _quantiles(resid, imputed, kinds, np.array(groups))
    model = TargetModel(target=target, trees=trees, q_low=lo, q_high=hi, n_rows=len(rows),
                        cpu_peak_share=peak_share(y, imputed, kinds, np.array(groups)))
    model.extra_oof = roofline(Xe, target) * np.exp(extra_log)
    return model


@dataclass
class TtftCalibration:
    """80 % bounds of the first-token time, as residual bands (log, `device_band`) per hardware
    kind of the composed time (`composed_ttft`: the prompt's prefill in the engine's chunks + one step) on
    held-out hardware. Composing the prefill and decode intervals instead covered far less than
    80 %: the two errors are not independent, and a first token also pays fixed costs that
    neither speed sees. (A per-kind shift of the point by the held-out median ratio was tried and
    dropped: it did not carry over to unseen devices, see `fit_speed`.) Empty: compose the intervals."""

    q_low: dict[str, float] = field(default_factory=dict)
    q_high: dict[str, float] = field(default_factory=dict)
    n_rows: int = 0

    def bounds(self, ttft: np.ndarray, kinds: "Sequence[str] | np.ndarray") -> tuple[np.ndarray, np.ndarray] | None:
        """80 % bounds around the point `ttft` (None when not calibrated)."""
        if not self.q_low:
            return None
        lo, hi = interval_offsets(self.q_low, self.q_high, kinds, np.zeros(len(kinds), dtype=bool))
        # where held-out rows missed the point mostly to one side, the interval still reaches it
        return np.minimum(ttft * np.exp(lo), ttft), np.maximum(ttft * np.exp(hi), ttft)

    def figures(self, X: np.ndarray, kinds: "Sequence[str] | np.ndarray", prefill: tuple[np.ndarray, ...],
                decode: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(point, low, high) first-token ms for the feature matrix `X` from the (point, low,
        high) prefill and decode speeds: the one place evaluate and the predictor compose it."""
        (p, pl, ph), (d, dl, dh) = prefill, decode
        point = composed_ttft(X, p, d)
        calibrated = self.bounds(point, kinds)
        if calibrated is not None:
            return point, calibrated[0], calibrated[1]
        return point, composed_ttft(X, ph, dh), composed_ttft(X, pl, dl)


def compose_ttft(prompt_tokens: np.ndarray, prefill_tok_s: np.ndarray, decode_tok_s: np.ndarray) -> np.ndarray:
    """First token (ms) = the whole prompt's prefill + one decode step (the step that samples
    and hands the token over: a fixed cost besides the prompt's work)."""
    return prompt_tokens / prefill_tok_s * 1000 + 1000 / decode_tok_s


# Engines whose prompt runs through a fixed-shape graph in chunks, the last one padded: a prompt
# shorter than a chunk costs a whole one (Qualcomm AI Hub's prompt processor: 128 tokens per
# iteration, its TTFT range 1 to context/128 iterations).
PROMPT_CHUNK = {ENGINE_GROUPS["qnn"]: 128}
_PROMPT, _ENGINE = FEATURE_NAMES.index("log_prompt"), FEATURE_NAMES.index("engine")


def prompt_work(X: np.ndarray) -> np.ndarray:
    """Prompt tokens each case's engine computes: the prompt, in whole chunks where its graph
    has a fixed chunk."""
    prompt = np.round(np.exp(X[:, _PROMPT]))
    out = prompt.copy()
    for group, chunk in PROMPT_CHUNK.items():
        mask = X[:, _ENGINE] == group
        out[mask] = np.ceil(prompt[mask] / chunk) * chunk
    return out


# Engines whose first token comes out of the prompt's last pass with no step after it: Qualcomm
# AI Hub's TTFT range runs from one prompt-processor iteration to context/128 of them, its ends
# exactly in that ratio (4096-token end = 32 x the 128-token end): no fixed step beside them.
NO_FIRST_STEP = {ENGINE_GROUPS["qnn"]}


def composed_ttft(X: np.ndarray, prefill_tok_s: np.ndarray, decode_tok_s: np.ndarray) -> np.ndarray:
    """`compose_ttft` over the prompt work (`prompt_work`) of the cases of `X`, without the
    step for engines whose first token is the prompt pass's own (`NO_FIRST_STEP`)."""
    step = np.where(np.isin(X[:, _ENGINE], list(NO_FIRST_STEP)), np.inf, decode_tok_s)
    return compose_ttft(prompt_work(X), prefill_tok_s, step)


def _ttft_calibration(rows: list[SpeedRow], prefill_oof: np.ndarray, decode_oof: np.ndarray) -> TtftCalibration:
    """Per-kind residual quantiles of measured / composed first-token times, from speeds
    predicted by models that never saw the row's hardware (rows flagged implausible left out)."""
    keep = np.array([(r.measurement.quality or "") != "anomaly" for r in rows])  # implausible: not a bias
    rows = [r for r, k in zip(rows, keep) if k]
    X = feature_matrix([r.case for r in rows])
    resid = np.log(np.array([r.value for r in rows]) / composed_ttft(X, prefill_oof[keep], decode_oof[keep]))
    kinds = np.array([r.case.kind for r in rows])
    groups = np.array([r.hardware_group for r in rows])
    lo, hi = {}, {}
    for name, mask in [("all", np.ones(len(rows), dtype=bool))] + [(f"kind:{k}", kinds == k) for k in np.unique(kinds)]:
        if name != "all" and (mask.sum() < MIN_INTERVAL_ROWS or len(set(groups[mask])) < MIN_TTFT_DEVICES):
            continue
        lo[name], hi[name] = device_band(resid[mask], groups[mask])
    return TtftCalibration(q_low=lo, q_high=hi, n_rows=len(rows))


MIN_TTFT_DEVICES = 3  # a kind's own band needs held-out residuals of several devices


def _weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The `q` quantile of `x` with weights `w` (interpolated between sorted midpoints)."""
    order = np.argsort(x)
    cw = np.cumsum(w[order]) - 0.5 * w[order]
    return float(np.interp(q * w.sum(), cw, x[order]))


MIN_TTFT_ROWS = 8


def fit_speed(rows: dict[str, list[SpeedRow]], inner_folds: int = 5,
              progress: Callable[[float], None] | None = None) -> tuple[TargetModel, TargetModel, TtftCalibration]:
    """Decode and prefill corrections on the same inner hardware folds, and the first-token
    interval calibrated on the held-out composition of the two (`progress` hears the share done)."""
    every = [r for t in ("decode", "prefill", "ttft") for r in rows.get(t, [])]
    k = min(inner_folds, len({r.hardware_group for r in every}))
    fold_of = hardware_folds(every, k) if k >= 2 else None
    ttft_rows = rows.get("ttft", [])
    decode = fit_target(rows["decode"], "decode", inner_folds, fold_of=fold_of, extra=ttft_rows)
    if progress is not None:
        progress(0.6)  # decode has about 1.5x the rows of prefill
    prefill = fit_target(rows["prefill"], "prefill", inner_folds, fold_of=fold_of, extra=ttft_rows)
    if progress is not None:
        progress(1.0)
    calibration = TtftCalibration()
    if len(ttft_rows) >= MIN_TTFT_ROWS and fold_of is not None:
        calibration = _ttft_calibration(ttft_rows, prefill.extra_oof, decode.extra_oof)
    return decode, prefill, calibration
