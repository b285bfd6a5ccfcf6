"""`advisor.predict(...)`: requests in, results out. Names the catalog knows fill missing
facts (facts given in the request win); a measured figure for the same configuration comes
back as measured, with its source; everything else is predicted with 80 % bounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from advisor.catalog.engine_support import engine_problem
from advisor.catalog.snapshot import Snapshot
from advisor.errors import AdvisorError
from advisor.predict import physics
from advisor.predict.features import Case
from advisor.predict.measured import FIGURE_COLUMNS, find_measured, with_measured
from advisor.predict.predictor import Predictor, get_predictor
from advisor.predict.scores import bench_key, family_key, quant_factor
from advisor.schema import HardwareSpec, ModelSpec, PredictRequest, PredictResult, Workload

DEFAULT_ENGINE = {"gpu": "llama.cpp", "cpu": "llama.cpp", "apple": "llama.cpp", "npu": "qnn", "tpu": "jetstream"}


class CaseError(AdvisorError):
    """A request that cannot be predicted; the message names the field."""


@dataclass
class ResolvedCase:
    case: Case | None
    model_id: int | None
    quant_id: int | None
    engine_id: int | None
    hardware_id: int | None
    family: str
    notes: list[str]


def _merge(base: Any, given: Any, cls: type) -> Any:
    """Catalog facts overridden by the facts given in the request."""
    data = base.model_dump() if base is not None else {}
    if given is not None:
        data.update(given.model_dump(exclude_unset=True, exclude_none=True))
    return cls(**data)


def resolve(names: Any, snap: Snapshot, req: PredictRequest) -> ResolvedCase:
    """The case of a request: names resolved through `names` (the snapshot, or a memo of it)."""
    notes: list[str] = []
    model_id = hw_id = quant_id = engine_id = None
    base_model = None
    if req.model is not None and req.model.name:
        m = names.find_model(req.model.name)
        if m is not None:
            model_id, base_model = m.id, ModelSpec.of(snap.models[m.id])
        elif req.model.params_b is None:
            raise CaseError(f"model.name: unknown model '{req.model.name}' and no params_b given")
        else:
            notes.append(f"model '{req.model.name}' is not in the catalog: described by its facts")
    model = _merge(base_model, req.model, ModelSpec) if (req.model or base_model) else None

    hardware = None
    if req.hardware is not None:
        base_hw = None
        if req.hardware.name:
            h = names.find_hardware(req.hardware.name)
            if h is not None:
                hw_id, base_hw = h.id, HardwareSpec.of(snap.hardware[h.id])
            elif req.hardware.mem_bandwidth_gbs is None and req.hardware.memory_gb is None:
                raise CaseError(f"hardware.name: unknown hardware '{req.hardware.name}' and no facts given")
            else:
                notes.append(f"hardware '{req.hardware.name}' is not in the catalog: described by its facts")
        hardware = _merge(base_hw, req.hardware, HardwareSpec)
        if hardware.kind is None:
            hardware = hardware.model_copy(update={"kind": "gpu"})
            notes.append("hardware.kind not given: assumed gpu")

    bits = req.bits_per_weight
    quant_name, quant_family = req.quant, None
    if req.quant:
        q = names.find_quant(req.quant)
        if q is None:
            raise CaseError(f"quant: unknown quantization '{req.quant}'")
        quant_id, quant_name, quant_family = q.id, q.name, q.family
        bits = bits or q.bits_per_weight
    if bits is None:
        bits = 16.0
        quant_name, quant_family = quant_name or "F16", quant_family or "float"
        notes.append("no quantization given: 16-bit weights assumed")

    engine = req.engine
    if engine:
        e = names.find_engine(engine)
        if e is not None:
            engine_id, engine = e.id, e.name
    elif hardware is not None:
        engine = DEFAULT_ENGINE.get(hardware.kind or "gpu", "llama.cpp")
        e = names.find_engine(engine)
        engine_id = e.id if e else None
    if hardware is not None:
        problem = engine_problem(engine, hardware.kind, hardware.vendor, hardware.name)
        if problem:
            raise CaseError(f"engine: {problem}")

    case = None
    if model is not None and hardware is not None:
        if model.params_b is None:
            raise CaseError("model.params_b: needed to predict speed and memory")
        w = req.workload or Workload()
        sib_bw, sib_mem = snap.siblings(hardware.name)
        case = Case(model=model, bits_per_weight=bits, quant=quant_name, quant_family=quant_family,
                    engine=engine, hardware=hardware, prompt_tokens=w.prompt_tokens,
                    gen_tokens=w.gen_tokens,
                    sibling_bandwidth_gbs=sib_bw, sibling_memory_gb=sib_mem)
        if case.arch.estimated:
            notes.append("architecture estimated from parameters: " + ", ".join(case.arch.estimated))
    family = family_key(model.family if model else None, model.name or "" if model else "")
    return ResolvedCase(case, model_id, quant_id, engine_id, hw_id, family, notes)


def _score(pred: Predictor, snap: Snapshot, rc: ResolvedCase, req: PredictRequest, model: ModelSpec | None,
           res: PredictResult, bits: float | None) -> None:
    if not req.benchmark:
        return
    key = bench_key(req.benchmark)
    if rc.model_id is not None:
        rows = [s for s in snap.scores if s.model_id == rc.model_id and bench_key(s.benchmark) == key
                and s.quant_id is None]
        if req.setting:
            exact = [s for s in rows if (s.setting or "").lower() == req.setting.lower()]
            rows = exact or rows
        if rows:
            vals = sorted(s.score for s in rows)
            med = float(np.median(vals))
            factor = quant_factor(pred.scores.quant_curve, bits, snap.weights_bits(snap.models[rc.model_id]))
            res.score, res.score_low, res.score_high = med * factor, vals[0] * factor, vals[-1] * factor
            res.sources += sorted({snap.source_text(s.source_id) or "" for s in rows})
            if factor != 1.0:
                res.notes.append(f"score published for the released weights ({med:.1f}); quantization loss predicted "
                                 f"({(factor - 1) * 100:+.1f} %)")
                res.basis = "predicted"
            elif res.basis != "predicted" or req.hardware is None:
                res.basis = "measured"
            res.notes.append(f"score: median of {len(rows)} published value(s)")
            return
    if model is None:
        res.error = "model: needed to predict a score"
        return
    stats = pred.score_stats(snap)
    if key not in stats.n:
        res.error = f"benchmark: no catalog data for '{req.benchmark}'"
        return
    s, lo, hi = pred.scores.predict(stats, key, model, rc.family, bits)
    res.score, res.score_low, res.score_high = s, lo, hi
    res.basis = "predicted"


def predict_many(snap: Snapshot, pred: Predictor, reqs: list[PredictRequest]) -> list[PredictResult]:
    """Resolve every request (names cached per call), predict all speeds in one batch, then
    finish each answer; a bad request gets `error` and does not stop the others."""
    resolved: list[ResolvedCase | PredictResult] = []
    memo = _NameMemo(snap)
    for req in reqs:
        try:
            resolved.append(resolve(memo, snap, req))  # type: ignore[arg-type]
        except AdvisorError as exc:
            resolved.append(PredictResult(id=req.id, error=str(exc)))
    cases = [r.case for r in resolved if isinstance(r, ResolvedCase) and r.case is not None]
    sp = pred.speed(cases) if cases else {}
    out, i = [], 0
    for req, rc in zip(reqs, resolved):
        if isinstance(rc, PredictResult):
            out.append(rc)
            continue
        figs = None
        if rc.case is not None:
            figs = {k: float(v[i]) for k, v in sp.items()}
            i += 1
        out.append(_finish(snap, pred, req, rc, figs))
    return out


class _NameMemo:
    """The snapshot's name lookups, remembered for one batch (10,000 lines name few models)."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self._memo: dict[tuple[str, str], Any] = {}

    def __getattr__(self, attr: str) -> Any:
        fn = getattr(self.snap, attr)
        if not attr.startswith("find_"):
            return fn

        def cached(name: str) -> Any:
            key = (attr, name)
            if key not in self._memo:
                self._memo[key] = fn(name)
            return self._memo[key]

        return cached


def _finish(snap: Snapshot, pred: Predictor, req: PredictRequest, rc: ResolvedCase,
            figs: dict[str, float] | None) -> PredictResult:
    res = PredictResult(id=req.id)
    res.notes += rc.notes
    workload = req.workload or Workload()
    if rc.case is not None and figs is not None:
        c = rc.case
        key = (rc.model_id, rc.hardware_id, rc.quant_id, c.hardware.n_devices)
        measured = find_measured(snap, key, rc.engine_id, workload)  # type: ignore[arg-type]
        if workload.batch_size > 1:
            res.notes.append("batch_size > 1: figures are per stream at batch 1 (no batched model yet)")
        for fig, col in FIGURE_COLUMNS.items():
            m = measured.get(fig)
            if m is not None:
                res.sources.append(snap.source_text(m.source_id) or "")
                res.notes.append(f"{col} measured ({'user' if m.origin == 'user' else 'published'}; measurement #{m.id})")
        figs = with_measured(figs, measured, workload.prompt_tokens)
        res.decode_tok_s, res.decode_tok_s_low, res.decode_tok_s_high = figs["decode"], figs["decode_low"], figs["decode_high"]
        res.prefill_tok_s, res.prefill_tok_s_low, res.prefill_tok_s_high = figs["prefill"], figs["prefill_low"], figs["prefill_high"]
        res.ttft_ms, res.ttft_ms_low, res.ttft_ms_high = figs["ttft"], figs["ttft_low"], figs["ttft_high"]
        mem, lo, hi, est = pred.memory_gb(c, workload.prompt_tokens + workload.gen_tokens, workload.batch_size)
        res.memory_gb, res.memory_gb_low, res.memory_gb_high = mem, lo, hi
        capacity = (c.hardware.memory_gb or 0) * c.hardware.n_devices
        if capacity:
            usable = physics.usable_memory_gb(c.hardware)
            res.fits = mem <= usable
            res.notes.append(f"memory: weights {est.weights_gb:.1f} GB + KV cache {est.kv_cache_gb:.2f} GB + overhead {est.overhead_gb:.1f} GB; usable {usable:.1f} of {capacity:.0f} GB")
        res.basis = "measured" if "decode" in measured else "predicted"
    elif req.hardware is not None and req.model is None:
        res.error = "model: needed with hardware"
        return res
    model = rc.case.model if rc.case else (_merge(None, req.model, ModelSpec) if req.model else None)
    if rc.model_id is not None and model is None:
        model = ModelSpec.of(snap.models[rc.model_id])
    _score(pred, snap, rc, req, model, res, rc.case.bits_per_weight if rc.case else (req.bits_per_weight or (snap.quants[rc.quant_id].bits_per_weight if rc.quant_id else None)))
    res.sources = [s for s in dict.fromkeys(res.sources) if s]
    return res


def predict(requests: list[PredictRequest] | PredictRequest, db_url: str | None = None) -> list[PredictResult]:
    """Predict every request; a bad request gets `error` and does not stop the others."""
    if isinstance(requests, PredictRequest):
        requests = [requests]
    from advisor.catalog.read import catalog_snapshot

    snap = catalog_snapshot(db_url)
    pred = get_predictor(snap)
    return predict_many(snap, pred, list(requests))
