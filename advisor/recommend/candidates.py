"""What a recommendation considers: the local configurations proposed per hardware kind (a
registry that an extension fills the same way the built-ins do), and `Option`, one shown
configuration (a ranked candidate or a rejected one) with its figures and their basis, built
from a row of the candidate table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from advisor.catalog.engine_support import engine_runs_on
from advisor.recommend.accuracy import TaskAccuracy
from advisor.recommend.table import FIGURES, Accuracy, CandidateTable
from advisor.schema import FigureBasis, HardwareSpec

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
    # only for models whose published weights are in this quantization (`weights_quant`): the
    # engine loads them as released (gpt-oss's MXFP4)
    native_only: bool = False

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
    return [c for c in _LOCAL_CONFIGS if c.kind == kind and c.runs_on(hw)
            and engine_runs_on(c.engine, kind, hw.vendor, hw.name)]


def _register_builtin_configs() -> None:
    gguf = ("Q4_K_M", "Q5_K_M", "Q8_0", "F16")
    for kind, quants in (("gpu", gguf), ("apple", gguf), ("cpu", gguf[:3])):
        for quant in quants:
            register_local_config(LocalConfig(kind, "llama.cpp", quant))
        if kind == "gpu":  # vLLM's kernels are CUDA and ROCm only
            for quant in ("AWQ-INT4", "BF16"):
                register_local_config(LocalConfig("gpu", "vllm", quant, vendors=("nvidia", "amd")))
        if kind == "apple":  # MLX's affine 4- and 8-bit weights (group 64), mlx-lm's defaults
            for quant in ("MLX-4BIT", "MLX-8BIT"):
                register_local_config(LocalConfig("apple", "mlx-lm", quant))
        # checkpoints published in MXFP4 (gpt-oss) run as released on llama.cpp (and MLX, vLLM)
        register_local_config(LocalConfig(kind, "llama.cpp", "MXFP4", native_only=True))
    register_local_config(LocalConfig("apple", "mlx-lm", "MXFP4", native_only=True))
    for quant in ("MXFP4", "FP8"):  # vLLM serves MXFP4 and FP8 checkpoints as released
        register_local_config(LocalConfig("gpu", "vllm", quant, vendors=("nvidia", "amd"), native_only=True))
    register_local_config(LocalConfig("npu", "qnn", "QNN-W4A16"))
    register_local_config(LocalConfig("tpu", "jetstream", "BF16"))


_register_builtin_configs()


@dataclass(frozen=True)
class Option:
    """One configuration a user is shown (local or hosted), with its figures and their basis."""

    model_id: int
    model: str
    deployment: str
    quant: str | None = None
    bits: float | None = None
    engine: str | None = None
    figs: dict[str, float] = field(default_factory=dict)
    basis: dict[str, FigureBasis] = field(default_factory=dict)
    usd: float | None = None
    context_len: int | None = None
    uses_user_measurement: bool = False
    accuracy: TaskAccuracy | None = None
    verdict: "Verdict | None" = None
    utility: float = 0.0
    usable_gb: float | None = None  # the memory the hardware lets a model use (local)
    offload: Any = None             # OffloadPlan: part of the model in system memory

    @property
    def key(self) -> str:
        return option_key(self.model, self.deployment, self.quant, self.engine, self.offload is not None)

    @property
    def accuracy_value(self) -> float | None:
        return self.accuracy.value if self.accuracy is not None else None


def option_key(model: str, deployment: str, quant: str | None, engine: str | None, offload: bool) -> str:
    """How an option is named in `pareto` and `Candidate.key`: model / quant / engine (/ offload)."""
    if deployment != "local":
        return f"{model} / api"
    return " / ".join(p for p in (model, quant, engine, "offload" if offload else None) if p)


def row_key(t: CandidateTable, row: int, snap: Any) -> str:
    """`option_key` of a table row, without building its option."""
    cfg = t.configs[row]
    name = snap.models[int(t.model_id[row])].name
    if cfg is None:
        return option_key(name, "api", None, None, False)
    return option_key(name, "local", cfg[1], cfg[0], row in t.offload)


def _measured_basis(snap: Any, measured: dict[str, Any]) -> dict[str, FigureBasis]:
    basis: dict[str, FigureBasis] = {}
    for fig, key in (("decode", "decode_tok_s"), ("ttft", "ttft_ms")):
        m = measured.get(fig)
        if m is not None:
            who = "your team's measurement" if m.origin == "user" else "published measurement"
            basis[key] = FigureBasis(basis="measured", source=snap.source_text(m.source_id),
                                     detail=f"{who} #{m.id} ({m.measure_kind}, prompt {m.prompt_tokens}, gen {m.gen_tokens})")
    return basis


def _local_basis(t: CandidateTable, row: int, figs: dict[str, float], snap: Any, ctx: int, conc: int) -> dict[str, FigureBasis]:
    """The basis of each figure of a local row: measured (with its source) or predicted (how)."""
    basis = _measured_basis(snap, t.measured.get(row, {}))
    plan = t.offload.get(row)
    if plan is not None:
        basis["decode_tok_s"] = FigureBasis(basis="predicted", detail=(
            f"offload ({plan.flags}): {plan.gpu_share:.0%} of the bytes read per token on the GPU at its predicted "
            f"in-memory speed, the rest from system memory at a CPU's predicted speed for that bandwidth "
            f"(advisor/predict/offload.py; checked on published offload runs: bench_offload); 80 % interval "
            f"{figs['decode_low']:.0f}-{figs['decode_high']:.0f} tok/s"))
        basis["ttft_ms"] = FigureBasis(basis="unknown", detail="prefill with offloaded weights is not modelled")
        basis["memory_gb"] = FigureBasis(basis="predicted", detail=(
            f"on the GPU: weights {figs['weights_gb']:.1f} GB + KV cache {figs['kv_gb']:.2f} GB for {ctx:,} tokens x "
            f"{conc} + overhead {figs['overhead_gb']:.1f} GB; {plan.host_gb:.1f} GB of weights in system memory"))
        return basis
    basis.setdefault("decode_tok_s", FigureBasis(basis="predicted", detail=f"learned roofline correction; 80 % interval {figs['decode_low']:.0f}-{figs['decode_high']:.0f} tok/s"))
    basis.setdefault("ttft_ms", FigureBasis(basis="predicted", detail=f"prompt / predicted prefill + one decode step; 80 % interval {figs['ttft_low']:.0f}-{figs['ttft_high']:.0f} ms"))
    basis["memory_gb"] = FigureBasis(
        basis="predicted",
        detail=f"weights {figs['weights_gb']:.1f} GB + KV cache {figs['kv_gb']:.2f} GB for {ctx:,} tokens x {conc} + overhead {figs['overhead_gb']:.1f} GB")
    return basis


def option_of(t: CandidateTable, acc: Accuracy, row: int, snap: Any, ctx: int, conc: int,
              verdict: "Verdict | None" = None, utility: float = 0.0) -> Option:
    """The `Option` of one row of the table (figures that are known, their basis, accuracy)."""
    mid = int(t.model_id[row])
    figs = {k: float(t.figs[k][row]) for k in FIGURES if k in t.figs and not math.isnan(t.figs[k][row])}
    task_acc = acc.by_model.get(mid)
    if task_acc is not None and t.local[row]:
        task_acc = task_acc.scaled(float(acc.factor[row]))
    ctx_len = None if math.isnan(t.context_len[row]) else int(t.context_len[row])
    usd = None if math.isnan(t.usd[row]) else float(t.usd[row])
    name = snap.models[mid].name
    if t.local[row]:
        engine, quant, _qid, bits, _eid = t.configs[row]  # type: ignore[misc]
        measured = t.measured.get(row, {})
        return Option(mid, name, "local", quant, bits, engine, figs, _local_basis(t, row, figs, snap, ctx, conc),
                      None, ctx_len, any(m.origin == "user" for m in measured.values()), task_acc, verdict, utility,
                      float(t.usable_gb[row]), t.offload.get(row))
    return Option(mid, name, "api", engine=t.api_key[row], figs=figs, basis=dict(t.basis.get(row, {})), usd=usd,
                  context_len=ctx_len, accuracy=task_acc, verdict=verdict, utility=utility)
