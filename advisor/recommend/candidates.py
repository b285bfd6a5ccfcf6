"""The candidates of a recommendation: every local configuration (model x engine x
quantization the hardware can run, with predicted or measured figures) and every hosted model
with published scores. Engines and quantizations proposed per hardware kind come from a
registry that an extension fills the same way the built-ins do."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from advisor.catalog import Catalog
from advisor.catalog.snapshot import Snapshot
from advisor.predict.features import Case
from advisor.predict.measured import MeasurementKey, find_measured, with_measured
from advisor.predict.predictor import Predictor
from advisor.recommend.accuracy import AccuracyTable, TaskAccuracy
from advisor.recommend.api_models import API_MODEL_KEYS
from advisor.schema import FigureBasis, HardwareSpec, ModelSpec, Questionnaire, Workload

if TYPE_CHECKING:
    from advisor.recommend.constraints import Verdict

MAX_CANDIDATES = 15


@dataclass(frozen=True)
class LocalConfig:
    """An engine and a quantization proposed on one kind of hardware."""

    kind: str
    engine: str
    quant: str
    vendors: tuple[str, ...] | None = None  # only on devices of these vendors (None: any)

    def runs_on(self, hw: HardwareSpec) -> bool:
        if self.vendors is None:
            return True
        vendor = (hw.vendor or hw.name or "").lower()
        return any(v in vendor for v in self.vendors)


_LOCAL_CONFIGS: list[LocalConfig] = []


def register_local_config(config: LocalConfig) -> None:
    """Propose `config` on its kind of hardware (after those registered before it)."""
    if config not in _LOCAL_CONFIGS:
        _LOCAL_CONFIGS.append(config)


def local_configs(hw: HardwareSpec) -> list[LocalConfig]:
    """The configurations proposed on this hardware, in registration order."""
    kind = hw.kind or "gpu"
    return [c for c in _LOCAL_CONFIGS if c.kind == kind and c.runs_on(hw)]


def _register_builtin_configs() -> None:
    gguf = ("Q4_K_M", "Q5_K_M", "Q8_0", "F16")
    for kind, quants in (("gpu", gguf), ("apple", gguf), ("cpu", gguf[:3])):
        for quant in quants:
            register_local_config(LocalConfig(kind, "llama.cpp", quant))
        if kind == "gpu":  # vLLM's kernels are CUDA and ROCm only
            for quant in ("AWQ-INT4", "BF16"):
                register_local_config(LocalConfig("gpu", "vllm", quant, vendors=("nvidia", "amd")))
    register_local_config(LocalConfig("npu", "qnn", "QNN-W4A16"))
    register_local_config(LocalConfig("tpu", "jetstream", "BF16"))


_register_builtin_configs()


@dataclass(frozen=True)
class Option:
    """One configuration under evaluation (local or hosted). Stages return new copies with
    their result filled in (`accuracy`, `verdict`, `utility`); nothing edits one in place."""

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
    usd: float | None = None
    context_len: int | None = None
    uses_user_measurement: bool = False
    measurement_key: MeasurementKey | None = None
    accuracy: TaskAccuracy | None = None
    verdict: "Verdict | None" = None
    utility: float = 0.0

    @property
    def key(self) -> str:
        return " / ".join(p for p in (self.model, self.quant, self.engine) if p) if self.deployment == "local" else f"{self.model} / api"

    @property
    def accuracy_value(self) -> float | None:
        return self.accuracy.value if self.accuracy is not None else None


class CandidateSource:
    """What recommending needs from one catalog snapshot and its predictor, built once per
    snapshot: task accuracies, name lookups, and local options per hardware and workload
    (the same inputs give the same figures, so a change of requirements or priorities does
    not predict again)."""

    def __init__(self, cat: Catalog, snap: Snapshot, pred: Predictor):
        self.cat, self.snap, self.pred = cat, snap, pred
        self.accuracy = AccuracyTable(snap, pred)
        self._quant_by_name = {q.name: q for q in snap.quants.values()}
        self._engine_by_name = {e.name: e for e in snap.engines.values()}
        self._local: dict[str, tuple[tuple[Option, ...], tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def local_options(self, q: Questionnaire, hw: HardwareSpec) -> tuple[list[Option], list[str]]:
        """Every local configuration with its figures, and the notes about what was left out."""
        key = "|".join((hw.model_dump_json(), q.workload.model_dump_json(), q.use_case.task))
        with self._lock:
            cached = self._local.get(key)
        if cached is None:
            opts, notes = self._build_local(q, hw)
            cached = (tuple(opts), tuple(notes))
            with self._lock:
                self._local[key] = cached
        return list(cached[0]), list(cached[1])

    def _build_local(self, q: Questionnaire, hw: HardwareSpec) -> tuple[list[Option], list[str]]:
        configs = local_configs(hw)
        hw_row = self.cat.find_hardware(hw.name) if hw.name else None
        hw_id = hw_row.id if hw_row is not None else None
        sibling_bw = self.snap.sibling_bandwidth.get(hw.name or "")
        opts: list[Option] = []
        base_skipped = 0
        for mid, m in self.snap.models.items():
            if m.variant == "api" or not m.params_b:
                continue
            if m.variant == "base":
                base_skipped += 1
                continue
            spec = ModelSpec.of(m)
            for cfg in configs:
                qrow = self._quant_by_name.get(cfg.quant)
                if qrow is None:
                    continue
                erow = self._engine_by_name.get(cfg.engine)
                case = Case(model=spec, bits_per_weight=qrow.bits_per_weight, quant=qrow.name,
                            quant_family=qrow.family, engine=cfg.engine, hardware=hw,
                            prompt_tokens=q.workload.prompt_tokens, gen_tokens=q.workload.output_tokens,
                            sibling_bandwidth_gbs=sibling_bw)
                opts.append(Option(model_id=mid, model=m.name, deployment="local", quant=cfg.quant, quant_id=qrow.id,
                                   bits=qrow.bits_per_weight, engine=cfg.engine, engine_id=erow.id if erow else None,
                                   case=case, context_len=m.context_len,
                                   measurement_key=(mid, hw_id, qrow.id, hw.n_devices)))
        notes = []
        if base_skipped:
            notes.append(f"{base_skipped} base (pretrained, not instruction-tuned) models were not considered for '{q.use_case.task}'.")
        return self._with_figures(opts, q), notes

    def _with_figures(self, opts: list[Option], q: Questionnaire) -> list[Option]:
        """Speed and memory for every option: predicted in one batch, measured where the
        catalog has a measurement of the same configuration."""
        if not opts:
            return []
        sp = self.pred.speed([o.case for o in opts])  # type: ignore[misc]
        wl = Workload(prompt_tokens=q.workload.prompt_tokens, gen_tokens=q.workload.output_tokens)
        ctx, conc = q.workload.effective_context, q.workload.concurrent_requests
        out = []
        for i, o in enumerate(opts):
            predicted = {k: float(v[i]) for k, v in sp.items()}
            measured = find_measured(self.snap, o.measurement_key, o.engine_id, wl)  # type: ignore[arg-type]
            figs = with_measured(predicted, measured, wl.prompt_tokens)
            basis = self._measured_basis(measured)
            basis.setdefault("decode_tok_s", FigureBasis(basis="predicted", detail=f"learned roofline correction; 80 % interval {predicted['decode_low']:.0f}-{predicted['decode_high']:.0f} tok/s"))
            basis.setdefault("ttft_ms", FigureBasis(basis="predicted", detail=f"prompt / predicted prefill + one decode step; 80 % interval {predicted['ttft_low']:.0f}-{predicted['ttft_high']:.0f} ms"))
            mem, lo, hi, est = self.pred.memory_gb(o.case, ctx, conc)  # type: ignore[arg-type]
            figs.update(memory=mem, memory_low=lo, memory_high=hi)
            basis["memory_gb"] = FigureBasis(
                basis="predicted",
                detail=f"weights {est.weights_gb:.1f} GB + KV cache {est.kv_cache_gb:.2f} GB for {ctx:,} tokens x {conc} + overhead {est.overhead_gb:.1f} GB",
            )
            out.append(replace(o, figs=figs, basis=basis,
                                uses_user_measurement=any(m.origin == "user" for m in measured.values())))
        return out

    def _measured_basis(self, measured: dict) -> dict[str, FigureBasis]:  # type: ignore[type-arg]
        basis: dict[str, FigureBasis] = {}
        for fig, key in (("decode", "decode_tok_s"), ("ttft", "ttft_ms")):
            m = measured.get(fig)
            if m is not None:
                who = "your team's measurement" if m.origin == "user" else "published measurement"
                basis[key] = FigureBasis(basis="measured", source=self.snap.source_text(m.source_id),
                                         detail=f"{who} #{m.id} ({m.measure_kind}, prompt {m.prompt_tokens}, gen {m.gen_tokens})")
        return basis

    def api_options(self, q: Questionnaire) -> list[Option]:
        """Hosted models that are both in the catalog (scores) and in litellm's price map: those
        `API_MODEL_KEYS` maps, and hosted catalog models named by their price-map key."""
        from advisor.pricing import api_model

        opts = []
        p, out = q.workload.prompt_tokens, q.workload.output_tokens
        for mid, key in self._hosted_keys().items():
            info = api_model(key)
            if info is None:
                continue
            usd = None
            if info.input_usd_per_token is not None and info.output_usd_per_token is not None:
                usd = (p * info.input_usd_per_token + out * info.output_usd_per_token) / (p + out) * 1e6
            figs, basis = self._hosted_speed(mid)
            basis["usd_per_1m_tokens"] = FigureBasis(basis="measured", source="litellm bundled price map",
                                                     detail=f"blended for {p} prompt + {out} output tokens ({key})")
            opts.append(Option(model_id=mid, model=self.snap.models[mid].name, deployment="api", engine=key, usd=usd,
                               context_len=info.max_input_tokens or self.snap.models[mid].context_len,
                               figs=figs, basis=basis))
        return opts

    def _hosted_keys(self) -> dict[int, str]:
        """model id -> price-map key of every hosted model the recommender can price."""
        from advisor.pricing import api_model

        by_name = {m.name: mid for mid, m in self.snap.models.items()}
        keys = {by_name[name]: key for name, key in API_MODEL_KEYS.items() if name in by_name}
        for mid, m in self.snap.models.items():
            if m.variant == "api" and mid not in keys and api_model(m.name) is not None:
                keys[mid] = m.name
        return keys

    def _hosted_speed(self, model_id: int) -> tuple[dict[str, float], dict[str, FigureBasis]]:
        """A hosted model's published output speed and first-token time (the latest dated
        figure of each), else unknown."""
        rows = sorted((r for r in self.snap.hosted_speeds if r.model_id == model_id), key=lambda r: r.date or "")
        figs: dict[str, float] = {}
        basis = {k: FigureBasis(basis="unknown", detail="hosted API: not measured in the catalog")
                 for k in ("decode_tok_s", "ttft_ms")}
        for fig, col, key in (("decode", "output_tok_s", "decode_tok_s"), ("ttft", "ttft_ms", "ttft_ms")):
            known = [r for r in rows if getattr(r, col)]
            if known:
                r = known[-1]
                figs[fig] = figs[f"{fig}_low"] = figs[f"{fig}_high"] = float(getattr(r, col))
                basis[key] = FigureBasis(basis="measured", source=self.snap.source_text(r.source_id),
                                         detail=f"published for the hosted API ({r.date or 'undated'}; {r.method or ''})".rstrip("; )") + ")")
        return figs, basis

    def with_accuracy(self, opts: list[Option], task: str) -> list[Option]:
        """Each option with its task accuracy (local: minus the predicted quantization loss)."""
        self.accuracy.preload(task, sorted({o.model_id for o in opts}))
        curve = self.pred.scores.quant_curve
        return [replace(o, accuracy=self.accuracy.get(o.model_id, task).quantized(curve, o.bits)
                         if o.deployment == "local" else self.accuracy.get(o.model_id, task))
                for o in opts]
