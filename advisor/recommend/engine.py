"""From a questionnaire to a `Recommendation`: candidates (local configurations and hosted
models), hard constraints judged on predictions and their intervals, utility from the
priorities, the Pareto front, plain-sentence reasons and what-ifs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from advisor.catalog import Catalog
from advisor.catalog.snapshot import Row, Snapshot
from advisor.predict import physics
from advisor.predict.api import measured_index, pick_measured
from advisor.predict.dataset import model_spec
from advisor.predict.features import Case
from advisor.predict.predictor import Predictor
from advisor.recommend.accuracy import AccuracyTable, TaskAccuracy
from advisor.recommend.api_models import API_MODEL_KEYS
from advisor.schema import FigureBasis, HardwareSpec, Questionnaire, RequirementCheck, Workload

LOCAL_CONFIGS: dict[str, list[tuple[str, str]]] = {
    "gpu": [("llama.cpp", "Q4_K_M"), ("llama.cpp", "Q5_K_M"), ("llama.cpp", "Q8_0"),
            ("llama.cpp", "F16"), ("vllm", "AWQ-INT4"), ("vllm", "BF16")],
    "apple": [("llama.cpp", "Q4_K_M"), ("llama.cpp", "Q5_K_M"), ("llama.cpp", "Q8_0"), ("llama.cpp", "F16")],
    "cpu": [("llama.cpp", "Q4_K_M"), ("llama.cpp", "Q5_K_M"), ("llama.cpp", "Q8_0")],
    "npu": [("qnn", "QNN-W4A16")],
    "tpu": [("jetstream", "BF16")],
}
VLLM_VENDORS = ("nvidia", "amd")
MAX_CANDIDATES = 15


@dataclass
class Option:
    """One configuration under evaluation (local or API)."""

    model_id: int
    model: str
    deployment: str
    quant: str | None = None
    quant_id: int | None = None
    bits: float | None = None
    engine: str | None = None
    engine_id: int | None = None
    case: Case | None = None
    figs: dict[str, float] = field(default_factory=dict)
    basis: dict[str, FigureBasis] = field(default_factory=dict)
    accuracy: TaskAccuracy | None = None
    usd: float | None = None
    context_len: int | None = None
    checks: list[RequirementCheck] = field(default_factory=list)
    reject: str | None = None
    uses_user_measurement: bool = False
    utility: float = 0.0
    measurement_key: tuple | None = None  # (model, hardware, quant, devices) of the measured index

    @property
    def key(self) -> str:
        return " / ".join(p for p in (self.model, self.quant, self.engine) if p) if self.deployment == "local" else f"{self.model} / api"


def _judge(name: str, value: float | None, low: float | None, high: float | None, limit: float, at_least: bool, unit: str) -> RequirementCheck:
    """Met surely when the whole 80 % interval is on the right side, likely when the point is."""
    if value is None:
        return RequirementCheck(name=name, status="unknown", detail=f"no estimate; required {'>=' if at_least else '<='} {limit:g} {unit}")
    lo = value if low is None else low
    hi = value if high is None else high
    ok_point = value >= limit if at_least else value <= limit
    ok_sure = lo >= limit if at_least else hi <= limit
    status = "met surely" if ok_sure else ("met likely" if ok_point else "not met")
    rng = f" (80 %: {lo:,.0f}-{hi:,.0f})" if (low is not None and high is not None and low != high) else ""
    return RequirementCheck(name=name, status=status,
                            detail=f"{value:,.1f} {unit}{rng} vs required {'>=' if at_least else '<='} {limit:g} {unit}")


class Recommender:
    def __init__(self, cat: Catalog, snap: Snapshot, pred: Predictor):
        self.cat, self.snap, self.pred = cat, snap, pred
        self.acc = AccuracyTable(snap, pred)
        self.index = measured_index(snap)
        self._quant_by_name = {q.name: q for q in snap.quants.values()}
        self._engine_by_name = {e.name: e for e in snap.engines.values()}
        # predictions per (hardware, workload): the same inputs give the same figures, so a
        # recommendation that only changes requirements or priorities does not predict again
        self._local_cache: dict[str, tuple[list[Option], list[str]]] = {}
        self._notes: list[str] = []  # notes of the recommendation being built (reset per call)

    # ------------------------------------------------------------------ candidates
    def local_options(self, q: Questionnaire, hw: HardwareSpec, task: str) -> list[Option]:
        key = "|".join((hw.model_dump_json(), q.workload.model_dump_json(), task))
        if key not in self._local_cache:
            notes_before = len(self._notes)
            opts = self._local_options(q, hw, task)
            self._local_cache[key] = (opts, self._notes[notes_before:])
            return [dataclasses.replace(o, checks=[]) for o in opts]
        opts, notes = self._local_cache[key]
        self._notes.extend(notes)
        return [dataclasses.replace(o, checks=[]) for o in opts]

    def _local_options(self, q: Questionnaire, hw: HardwareSpec, task: str) -> list[Option]:
        kind = hw.kind or "gpu"
        configs = list(LOCAL_CONFIGS.get(kind, LOCAL_CONFIGS["gpu"]))
        vendor = (hw.vendor or hw.name or "").lower()
        if kind == "gpu" and not any(v in vendor for v in VLLM_VENDORS):
            configs = [c for c in configs if c[0] != "vllm"]
        hw_row = self.cat.find_hardware(hw.name) if hw.name else None
        hw_id = hw_row.id if hw_row is not None else None
        opts: list[Option] = []
        base_skipped = 0
        for mid, m in self.snap.models.items():
            if m.variant == "api" or not m.params_b:
                continue
            if m.variant == "base":
                base_skipped += 1
                continue
            spec = model_spec(m)
            for engine, qname in configs:
                qrow = self._quant_by_name.get(qname)
                if qrow is None:
                    continue
                erow = self._engine_by_name.get(engine)
                case = Case(model=spec, bits_per_weight=qrow.bits_per_weight, quant=qrow.name,
                            quant_family=qrow.family, engine=engine, hardware=hw,
                            prompt_tokens=q.workload.prompt_tokens, gen_tokens=q.workload.output_tokens)
                opt = Option(model_id=mid, model=m.name, deployment="local", quant=qname, quant_id=qrow.id,
                             bits=qrow.bits_per_weight, engine=engine, engine_id=erow.id if erow else None,
                             case=case, context_len=m.context_len,
                             measurement_key=(mid, hw_id, qrow.id, hw.n_devices))
                opts.append(opt)
        if base_skipped:
            self._notes.append(f"{base_skipped} base (pretrained, not instruction-tuned) models were not considered for '{task}'.")
        self._predict_local(opts, q)
        return opts

    def _predict_local(self, opts: list[Option], q: Questionnaire) -> None:
        if not opts:
            return
        sp = self.pred.speed([o.case for o in opts])  # type: ignore[misc]
        wl = Workload(prompt_tokens=q.workload.prompt_tokens, gen_tokens=q.workload.output_tokens)
        ctx = q.workload.effective_context
        conc = q.workload.concurrent_requests
        for i, o in enumerate(opts):
            figs = {k: float(v[i]) for k, v in sp.items()}
            basis = {
                "decode_tok_s": FigureBasis(basis="predicted", detail=f"learned roofline correction; 80 % interval {figs['decode_low']:.0f}-{figs['decode_high']:.0f} tok/s"),
                "ttft_ms": FigureBasis(basis="predicted", detail=f"prompt / predicted prefill + one decode step; 80 % interval {figs['ttft_low']:.0f}-{figs['ttft_high']:.0f} ms"),
            }
            rows = self.index.get(o.measurement_key, [])
            if o.engine_id is not None:
                rows = [r for r in rows if r.engine_id in (None, o.engine_id)]
            measured = pick_measured(rows, wl)
            for fig, col, key in (("decode", "decode_tok_s", "decode_tok_s"), ("prefill", "prefill_tok_s", None), ("ttft", "ttft_ms", "ttft_ms")):
                m: Row | None = measured.get(fig)
                if m is None:
                    continue
                val = getattr(m, col)
                figs[fig] = figs[f"{fig}_low"] = figs[f"{fig}_high"] = val
                who = "your team's measurement" if m.origin == "user" else "published measurement"
                o.uses_user_measurement |= m.origin == "user"
                if key:
                    o.basis[key] = FigureBasis(basis="measured", source=self.snap.source_text(m.source_id),
                                               detail=f"{who} #{m.id} ({m.measure_kind}, prompt {m.prompt_tokens}, gen {m.gen_tokens})")
            if "ttft" not in measured and measured:
                p = max(wl.prompt_tokens, 1)
                figs["ttft"] = p / figs["prefill"] * 1000 + 1000 / figs["decode"]
                figs["ttft_low"] = p / figs["prefill_high"] * 1000 + 1000 / figs["decode_high"]
                figs["ttft_high"] = p / figs["prefill_low"] * 1000 + 1000 / figs["decode_low"]
            for k, v in basis.items():
                o.basis.setdefault(k, v)
            mem, lo, hi, est = self.pred.memory_gb(o.case, ctx, conc)  # type: ignore[arg-type]
            figs.update(memory=mem, memory_low=lo, memory_high=hi)
            o.basis["memory_gb"] = FigureBasis(
                basis="predicted",
                detail=f"weights {est.weights_gb:.1f} GB + KV cache {est.kv_cache_gb:.2f} GB for {ctx:,} tokens x {conc} + overhead {est.overhead_gb:.1f} GB",
            )
            o.figs = figs

    def api_options(self, q: Questionnaire) -> list[Option]:
        from advisor.pricing import api_model

        opts = []
        by_name = {m.name: mid for mid, m in self.snap.models.items()}
        for name, key in API_MODEL_KEYS.items():
            mid = by_name.get(name)
            info = api_model(key)
            if mid is None or info is None:
                continue
            p, out = q.workload.prompt_tokens, q.workload.output_tokens
            usd = None
            if info.input_usd_per_token is not None and info.output_usd_per_token is not None:
                usd = (p * info.input_usd_per_token + out * info.output_usd_per_token) / (p + out) * 1e6
            o = Option(model_id=mid, model=name, deployment="api", engine=key, usd=usd,
                       context_len=info.max_input_tokens or self.snap.models[mid].context_len)
            o.basis = {
                "decode_tok_s": FigureBasis(basis="unknown", detail="hosted API: latency not measured in the catalog"),
                "ttft_ms": FigureBasis(basis="unknown", detail="hosted API: latency not measured in the catalog"),
                "usd_per_1m_tokens": FigureBasis(basis="measured", source="litellm bundled price map",
                                                 detail=f"blended for {p} prompt + {out} output tokens ({key})"),
            }
            opts.append(o)
        return opts

    # ------------------------------------------------------------------ constraints
    def judge(self, o: Option, q: Questionnaire, hw: HardwareSpec | None) -> None:
        r = q.requirements
        need_ctx = max(r.min_context_tokens or 0, q.workload.effective_context)
        if o.context_len is not None:
            ok = o.context_len >= need_ctx
            o.checks.append(RequirementCheck(name="context", status="met surely" if ok else "not met",
                                             detail=f"window {o.context_len:,} vs needed {need_ctx:,} tokens"))
            if not ok:
                o.reject = o.reject or f"context window {o.context_len:,} tokens < {need_ctx:,} needed"
        else:
            o.checks.append(RequirementCheck(name="context", status="unknown",
                                             detail=f"context window not in the catalog; needed {need_ctx:,} tokens"))
        m = self.snap.models[o.model_id]
        if r.license == "commercial":
            if m.commercial_use is not True:
                o.reject = o.reject or f"license '{m.license or 'unknown'}' does not clearly allow commercial use"
        elif r.license == "open":
            if o.deployment == "api" or "proprietary" in (m.license or "").lower():
                o.reject = o.reject or f"license '{m.license or 'unknown'}' is not open-weight"
        if o.deployment == "local" and hw is not None:
            capacity = (hw.memory_gb or 0) * hw.n_devices
            usable = capacity * physics.USABLE_MEMORY_FRACTION.get(hw.kind or "gpu", 0.9)
            mem, hi = o.figs["memory"], o.figs["memory_high"]
            status = "met surely" if hi <= usable else ("met likely" if mem <= usable else "not met")
            o.checks.append(RequirementCheck(name="memory", status=status,
                                             detail=f"needs {mem:.1f} GB (80 %: up to {hi:.1f}), has {usable:.1f} usable of {capacity:.0f} GB"))
            if status == "not met":
                o.reject = o.reject or f"needs {mem:.1f} GB, has {usable:.1f} GB usable ({capacity:.0f} GB)"
        # speed limits: judged on the prediction and its interval; unknown for hosted APIs
        for name, limit, fig, at_least, unit, what in (
            ("min_decode_tok_s", r.min_decode_tok_s, "decode", True, "tok/s", "speed"),
            ("max_ttft_ms", r.max_ttft_ms, "ttft", False, "ms", "latency"),
        ):
            if limit is None:
                continue
            if o.deployment == "api":
                chk = RequirementCheck(name=name, status="unknown", detail=f"hosted API: {what} not measured")
            else:
                value = o.figs[fig]
                chk = _judge(name, value, o.figs[f"{fig}_low"], o.figs[f"{fig}_high"], limit, at_least, unit)
                if chk.status == "not met":
                    o.reject = o.reject or (
                        f"decode {value:.1f} tok/s < {limit:g} required" if at_least
                        else f"time to first token {value:,.0f} ms > {limit:g} ms allowed")
            o.checks.append(chk)
        if r.max_usd_per_1m_tokens is not None and o.deployment == "api":
            if o.usd is None:
                o.reject = o.reject or "no price known"
            elif o.usd > r.max_usd_per_1m_tokens:
                o.reject = o.reject or f"${o.usd:.2f} per 1M tokens > ${r.max_usd_per_1m_tokens:g} allowed"
            else:
                o.checks.append(RequirementCheck(name="max_usd_per_1m_tokens", status="met surely", detail=f"${o.usd:.2f} per 1M tokens"))
        acc = o.accuracy
        if r.min_accuracy is not None:
            if acc is None or acc.value is None:
                o.reject = o.reject or "no accuracy evidence for this task"
            else:
                chk = _judge("min_accuracy", acc.value, acc.low, acc.high, r.min_accuracy, True, "points")
                o.checks.append(chk)
                if chk.status == "not met":
                    o.reject = o.reject or f"task accuracy {acc.value:.1f} < {r.min_accuracy:g} required"
        elif acc is None or acc.value is None:
            o.reject = o.reject or "no accuracy evidence for this task (no published or predictable scores)"
