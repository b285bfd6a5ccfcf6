"""Pydantic models that cross boundaries: questionnaire, hardware, models, predictions,
recommendations and prompt sets. The JSON schemas of the API come from here.

This module imports nothing else from the project: everything else may import it (the
questionnaire's flags and form fields, `advisor.recommend.questionnaire`, read their types and
choices from here).
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Task = Literal[
    "chat",
    "code",
    "summarization",
    "extraction",
    "classification",
    "rag",
    "translation",
    "math",
    "reasoning",
    "creative-writing",
    "agent",
]
TASKS: tuple[str, ...] = get_args(Task)
HardwareKind = Literal["gpu", "cpu", "apple", "npu", "tpu"]
Basis = Literal["measured", "predicted", "unknown"]
Deployment = Literal["local", "api"]


class Strict(BaseModel):
    """Base for input models: unknown keys are errors (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# Physical bounds of inputs (per device; far above any real one, so that only nonsense fails):
# a figure past them is an error naming the field, never a device or model taken as real.
MAX_MEMORY_GB = 1e5
MAX_BANDWIDTH_GBS = 1e5
MAX_TFLOPS = 1e6
MAX_DEVICES = 4096
MAX_PARAMS_B = 1e5
MAX_TOKENS = 10**9
MAX_DIM = 10**8
MAX_TOK_S = 1e7
MAX_USD = 1e6


# --------------------------------------------------------------------------- facts


class HardwareSpec(Strict):
    """One accelerator or machine; figures are per device, `n_devices` says how many."""

    name: str | None = None
    kind: HardwareKind | None = None
    vendor: str | None = None
    memory_gb: float | None = Field(default=None, gt=0, le=MAX_MEMORY_GB)
    mem_bandwidth_gbs: float | None = Field(default=None, gt=0, le=MAX_BANDWIDTH_GBS)
    fp16_tflops: float | None = Field(default=None, gt=0, le=MAX_TFLOPS, description="dense tensor FP16")
    fp16_nontensor_tflops: float | None = Field(default=None, gt=0, le=MAX_TFLOPS)
    fp32_tflops: float | None = Field(default=None, gt=0, le=MAX_TFLOPS)
    int8_tops: float | None = Field(default=None, gt=0, le=MAX_TFLOPS)
    tdp_w: float | None = Field(default=None, gt=0, le=1e6)
    host_memory_gb: float | None = Field(default=None, gt=0, le=MAX_MEMORY_GB,
                                         description="system memory beside a GPU, for offloading")
    host_bandwidth_gbs: float | None = Field(default=None, gt=0, le=MAX_BANDWIDTH_GBS,
                                             description="that system memory's bandwidth")
    n_devices: int = Field(default=1, ge=1, le=MAX_DEVICES)

    @classmethod
    def of(cls, row: object, n_devices: int = 1) -> "HardwareSpec":
        """The facts of a catalog row (ORM object or snapshot row), for `n_devices` of it."""
        return cls(**{f: getattr(row, f, None) for f in cls.model_fields if f != "n_devices"},
                   n_devices=max(1, n_devices))


class ModelSpec(Strict):
    """A model's identity and the architecture facts that memory and speed estimates need."""

    name: str | None = None
    family: str | None = None
    params_b: float | None = Field(default=None, gt=0, le=MAX_PARAMS_B)
    active_params_b: float | None = Field(default=None, gt=0, le=MAX_PARAMS_B)
    context_len: int | None = Field(default=None, gt=0, le=MAX_TOKENS)
    release: str | None = None
    variant: str | None = None
    license: str | None = None
    commercial_use: bool | None = None
    n_layers: int | None = Field(default=None, gt=0, le=MAX_DIM)
    hidden_size: int | None = Field(default=None, gt=0, le=MAX_DIM)
    n_heads: int | None = Field(default=None, gt=0, le=MAX_DIM)
    n_kv_heads: int | None = Field(default=None, gt=0, le=MAX_DIM)
    head_dim: int | None = Field(default=None, gt=0, le=MAX_DIM)
    vocab_size: int | None = Field(default=None, gt=0, le=MAX_DIM)
    attention: str | None = None
    sliding_window: int | None = Field(default=None, gt=0, le=MAX_TOKENS)
    kv_lora_rank: int | None = Field(default=None, gt=0, le=MAX_DIM)
    moe_experts: int | None = Field(default=None, gt=0, le=MAX_DIM, description="routed experts per MoE layer")
    moe_active_experts: int | None = Field(default=None, gt=0, le=MAX_DIM, description="routed experts used per token")
    kv_layers: int | None = Field(default=None, gt=0, le=MAX_DIM,
                                  description="layers that keep a KV cache (hybrids); default all")
    sliding_layers: int | None = Field(default=None, ge=0, le=MAX_DIM,
                                       description="KV layers capped at sliding_window tokens")
    state_mb: float | None = Field(default=None, ge=0, le=1e7,
                                   description="fixed per-sequence state of recurrent layers, MB")
    global_head_dim: int | None = Field(default=None, gt=0, le=MAX_DIM,
                                        description="head dim of the full-attention layers of an interleaved "
                                                    "model, where it differs from head_dim (Gemma 4: 512 to 256)")
    global_kv_heads: int | None = Field(default=None, gt=0, le=MAX_DIM,
                                        description="KV heads of the full-attention layers of an interleaved "
                                                    "model, where they differ from n_kv_heads (Gemma 4 31B: 4 to 16)")
    weights_quant: str | None = Field(default=None, max_length=40,
                                      description="the quantization the published weights are in, where not "
                                                  "16-bit (gpt-oss: MXFP4; DeepSeek-V3: FP8)")

    @classmethod
    def of(cls, row: object) -> "ModelSpec":
        """The facts of a catalog row (ORM object or snapshot row) that this model knows."""
        return cls(**{f: getattr(row, f, None) for f in cls.model_fields})


class Workload(Strict):
    prompt_tokens: int = Field(default=512, ge=0, le=MAX_TOKENS)
    gen_tokens: int = Field(default=128, ge=0, le=MAX_TOKENS)
    batch_size: int = Field(default=1, ge=1, le=10**6)


# --------------------------------------------------------------------------- predict API


class PredictRequest(Strict):
    """One case to predict. Every field but `id` is optional; names are filled from the catalog."""

    id: str
    model: ModelSpec | None = None
    quant: str | None = None
    bits_per_weight: float | None = Field(default=None, gt=0, le=32)
    engine: str | None = None
    hardware: HardwareSpec | None = None
    workload: Workload | None = None
    benchmark: str | None = None
    setting: str | None = None


class PredictResult(BaseModel):
    """The answer for one case. Numbers carry 80 % bounds (`_low`/`_high`)."""

    id: str
    basis: Basis = "predicted"
    error: str | None = None
    decode_tok_s: float | None = None
    decode_tok_s_low: float | None = None
    decode_tok_s_high: float | None = None
    prefill_tok_s: float | None = None
    prefill_tok_s_low: float | None = None
    prefill_tok_s_high: float | None = None
    ttft_ms: float | None = None
    ttft_ms_low: float | None = None
    ttft_ms_high: float | None = None
    memory_gb: float | None = None
    memory_gb_low: float | None = None
    memory_gb_high: float | None = None
    fits: bool | None = None
    score: float | None = None
    score_low: float | None = None
    score_high: float | None = None
    sources: list[str] = Field(default_factory=list, description="sources of measured figures")
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- questionnaire


Profile = Literal["balanced", "real-time", "high-precision", "resource-constrained"]
"""Application profiles: what the ranking puts first (advisor/recommend/profiles.py)."""


class UseCase(Strict):
    task: Task
    profile: Profile = "balanced"
    domain: str = "general"
    description: str = ""


class QuestionnaireWorkload(Strict):
    prompt_tokens: int = Field(default=1000, ge=1, le=MAX_TOKENS)
    output_tokens: int = Field(default=300, ge=1, le=MAX_TOKENS)
    context_tokens: int | None = Field(
        default=None, ge=1, le=MAX_TOKENS, description="tokens held in context; default prompt + output"
    )
    concurrent_requests: int = Field(default=1, ge=1, le=10**6)

    @property
    def effective_context(self) -> int:
        return self.context_tokens or (self.prompt_tokens + self.output_tokens)


class Requirements(Strict):
    max_ttft_ms: float | None = Field(default=None, gt=0, le=1e9)
    min_decode_tok_s: float | None = Field(default=None, gt=0, le=MAX_TOK_S)
    min_context_tokens: int | None = Field(default=None, gt=0, le=MAX_TOKENS)
    deployment: Literal["auto", "local", "api", "any"] = "auto"
    license: Literal["any", "open", "commercial"] = "any"
    max_usd_per_1m_tokens: float | None = Field(default=None, ge=0, le=MAX_USD)
    min_accuracy: float | None = Field(default=None, ge=0, le=100)


class Priorities(Strict):
    """Weights and needs of the utility that ranks the feasible candidates. A field left out
    takes its value from the use case's profile (advisor/recommend/profiles.py)."""

    accuracy: float = Field(default=0.6, ge=0, le=1e6)
    speed: float = Field(default=0.25, ge=0, le=1e6)
    cost: float = Field(default=0.15, ge=0, le=1e6)
    footprint: float = Field(default=0.0, ge=0, le=1e6, description="weight of leaving device memory free")
    enough_decode_tok_s: float | None = Field(
        default=None, gt=0, le=MAX_TOK_S, description="decode speed beyond which more speed adds little; default per task"
    )
    ttft_budget_ms: float | None = Field(
        default=None, gt=0, le=1e9, description="time to first token the speed term counts against (real-time)"
    )
    accuracy_margin: float | None = Field(
        default=None, ge=0, le=100,
        description="points below the best usable candidate's accuracy that still do the job",
    )

    @model_validator(mode="after")
    def _not_all_zero(self) -> "Priorities":
        if self.accuracy + self.speed + self.cost + self.footprint <= 0:
            raise ValueError("at least one priority must be above 0")
        return self


class HardwareRequest(Strict):
    """A catalog name or alias with a count, or facts, or `detect: true` for this machine."""

    name: str | None = None
    count: int = Field(default=1, ge=1, le=MAX_DEVICES)
    detect: bool = False
    kind: HardwareKind | None = None
    memory_gb: float | None = Field(default=None, gt=0, le=MAX_MEMORY_GB)
    mem_bandwidth_gbs: float | None = Field(default=None, gt=0, le=MAX_BANDWIDTH_GBS)
    fp16_tflops: float | None = Field(default=None, gt=0, le=MAX_TFLOPS)
    fp32_tflops: float | None = Field(default=None, gt=0, le=MAX_TFLOPS)
    host_memory_gb: float | None = Field(default=None, gt=0, le=MAX_MEMORY_GB)
    host_bandwidth_gbs: float | None = Field(default=None, gt=0, le=MAX_BANDWIDTH_GBS)

    @field_validator("name")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return v.strip() or None if v is not None else None


class Questionnaire(Strict):
    use_case: UseCase
    workload: QuestionnaireWorkload = Field(default_factory=QuestionnaireWorkload)
    requirements: Requirements = Field(default_factory=Requirements)
    priorities: Priorities = Field(default_factory=Priorities)
    hardware: HardwareRequest | None = None


# --------------------------------------------------------------------------- recommendation


class FigureBasis(BaseModel):
    """Where one figure comes from: measured (with the source) or predicted (with how sure)."""

    basis: Basis
    source: str | None = None
    detail: str | None = None


class Figures(BaseModel):
    decode_tok_s: float | None = None
    decode_tok_s_low: float | None = None
    decode_tok_s_high: float | None = None
    ttft_ms: float | None = None
    ttft_ms_low: float | None = None
    ttft_ms_high: float | None = None
    memory_gb: float | None = None
    memory_gb_low: float | None = None
    memory_gb_high: float | None = None
    accuracy: float | None = None
    accuracy_low: float | None = None
    accuracy_high: float | None = None


class RankingSettings(BaseModel):
    """The utility's weights and needs as the ranking used them, and where each came from
    (`given`, `profile <name>`, `task <task>`)."""

    profile: str
    accuracy: float
    speed: float
    cost: float
    footprint: float
    enough_decode_tok_s: float
    ttft_budget_ms: float | None = None
    accuracy_margin: float
    accuracy_floor: float | None = Field(default=None, description="points; below it a candidate ranks after")
    origin: dict[str, str] = Field(default_factory=dict)


class RequirementCheck(BaseModel):
    """One hard constraint judged for one candidate; `status` says how sure."""

    name: str
    status: Literal["met surely", "met likely", "not met", "unknown"]
    detail: str


class Candidate(BaseModel):
    rank: int
    model: str
    params_b: float | None = None
    quant: str | None = None
    bits_per_weight: float | None = None
    engine: str | None = None
    deployment: Deployment
    context_len: int | None = None
    predicted: Figures
    basis: dict[str, FigureBasis]
    usd_per_1m_tokens: float | None = None
    meets_requirements: bool
    checks: list[RequirementCheck] = Field(default_factory=list)
    utility: float
    utility_terms: dict[str, float] = Field(
        default_factory=dict, description="the utility's terms in [0, 1]: accuracy, speed, cost, footprint"
    )
    below_accuracy_floor: bool = False
    too_slow: bool = Field(default=False, description="under half the decode speed the use case needs")
    sessions: int | None = Field(default=None, description="concurrent sessions the predicted memory holds at the context")
    offload: str | None = Field(default=None, description="how the model runs with part of it in system memory")
    kv_gb_per_session: float | None = Field(default=None, description="KV cache of one session at the context, GB")
    why: list[str] = Field(default_factory=list)
    license: str | None = None

    @property
    def key(self) -> str:
        return " / ".join(str(p) for p in (self.model, self.quant, self.engine) if p)


class Rejected(BaseModel):
    model: str
    quant: str | None = None
    engine: str | None = None
    deployment: Deployment = "local"
    reason: str


class GeneratedPrompt(BaseModel):
    id: str
    kind: str
    title: str = ""
    text: str
    tokens: int
    exact: bool = False
    budget_status: str = "ok"


class PromptSet(BaseModel):
    task: str
    model: str
    context_window: int | None = None
    tokenizer: str = ""
    exact: bool = False
    prompts: list[GeneratedPrompt] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Recommendation(BaseModel):
    questionnaire: Questionnaire
    hardware: HardwareSpec | None = None
    hardware_basis: str | None = Field(default=None, description="catalog, facts or detected")
    candidates: list[Candidate] = Field(default_factory=list)
    api_alternatives: list[Candidate] = Field(
        default_factory=list, description="hosted models beside a local answer (deployment auto)"
    )
    rejected: list[Rejected] = Field(default_factory=list)
    ranking: RankingSettings | None = None
    pareto: list[str] = Field(default_factory=list, description="keys of Pareto-optimal candidates")
    notes: list[str] = Field(default_factory=list)
    prompt_set: PromptSet | None = None
    catalog_version: str | None = None
