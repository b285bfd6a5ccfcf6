"""From a case (model x quantization x engine x hardware x workload) to the physics bounds and
the feature vector the learned corrections use. The same code builds training rows from
catalog measurements and prediction rows from requests, so they cannot drift apart."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from advisor.predict import physics
from advisor.schema import HardwareSpec, ModelSpec

KINDS = ("gpu", "cpu", "apple", "npu", "tpu")
VENDORS = ("nvidia", "amd", "intel", "apple", "qualcomm", "google", "other")
ENGINE_GROUPS = {
    "llama.cpp": 0, "ik_llama.cpp": 0, "ollama": 0, "llama-cpp-python": 0,
    "vllm": 1, "sglang": 1, "lmdeploy": 1, "tensorrt-llm": 2, "mlc-llm": 3, "exllamav2": 4,
    "autoawq": 5, "tinychat": 5, "hf-transformers": 6, "gpt-fast": 7, "qnn": 8,
    "distributed-llama": 9, "jetstream": 10,
}
QUANT_FAMILIES = ("gguf", "float", "int", "awq", "gptq", "fp4", "exl2", "qnn", "other")
SPLITS = ("none", "layer", "tensor", "pipeline", "tensor+pipeline", "nodes", "unknown")
BACKENDS = ("cuda", "metal", "vulkan", "rocm", "cpu", "sycl", "other")

FEATURE_NAMES = (
    [f"kind_{k}" for k in KINDS]
    + ["vendor", "engine", "quant_family", "split", "backend"]
    + [
        "log_bw", "bw_imputed", "log_tflops", "flops_imputed", "log_mem_gb", "log_params",
        "log_active", "is_moe", "bpw", "log_weight_gb", "log_kv_mb_per_tok", "n_devices",
        "log_context", "log_roof_decode", "log_roof_prefill", "overflow", "log_threads",
        "log_prompt", "flops_per_byte", "k_quant", "i_quant", "log_tensor_ratio", "log_tflops_split",
        "log_layer_us", "log_thread_bound", "log_tflops_known", "flops_per_byte_known",
    ]
)


@dataclass
class Case:
    model: ModelSpec
    bits_per_weight: float
    quant: str | None
    quant_family: str | None
    engine: str | None
    hardware: HardwareSpec
    split: str = "none"
    prompt_tokens: int = 512
    gen_tokens: int = 128
    context_depth: int = 0
    backend: str | None = None
    threads: int | None = None
    # bandwidth of a variant of a catalog device that has no figure of its own (the snapshot's
    # `sibling_bandwidth`): "A100 (variant unspecified)" reads like the slowest known A100
    sibling_bandwidth_gbs: float | None = None
    arch: physics.Architecture = field(init=False)

    def __post_init__(self) -> None:
        self.arch = physics.estimate_architecture(self.model)
        if self.hardware.n_devices <= 1:
            self.split = "none"
        elif self.split in ("none", "", None):
            self.split = default_split(self.engine)

    @property
    def decode_context(self) -> int:
        """Average tokens in the KV cache while generating."""
        return self.context_depth + self.prompt_tokens + self.gen_tokens // 2

    @property
    def kind(self) -> str:
        return self.hardware.kind or "gpu"

    def decode_bounds(self) -> tuple[float, float]:
        """(bandwidth bound, roofline) on decode tokens/s: the roofline is also held under the
        threads' compute bound on a CPU whose thread count is known."""
        bw, _ = physics.effective_bandwidth(self.hardware, self.split, self.sibling_bandwidth_gbs)
        by_bandwidth = physics.roofline_decode(self.arch, self.bits_per_weight, self.decode_context, bw)
        if self.kind == "cpu" and self.threads:
            return by_bandwidth, min(by_bandwidth, physics.thread_bound_decode(self.arch, self.quant, self.threads))
        return by_bandwidth, by_bandwidth

    def roofline_decode(self) -> float:
        return self.decode_bounds()[1]

    def prefill_tflops(self) -> float:
        """Compute for this prompt over the devices as the split uses them."""
        return physics.effective_flops(self.hardware, self.split, self.threads, max(self.prompt_tokens, 1))[0]

    def roofline_prefill(self, tflops: float | None = None) -> float:
        tf = self.prefill_tflops() if tflops is None else tflops
        return physics.roofline_prefill(self.arch, max(self.prompt_tokens, 1), tf)


def default_split(engine: str | None) -> str:
    """How an engine spreads one model over several devices by default."""
    e = (engine or "").lower()
    if e in ("llama.cpp", "ik_llama.cpp", "ollama", "exllamav2", "llama-cpp-python"):
        return "layer"
    if e == "distributed-llama":
        return "nodes"
    return "tensor"


def _vendor(hw: HardwareSpec) -> int:
    v = (hw.vendor or hw.name or "").lower()
    for i, name in enumerate(VENDORS[:-1]):
        if name in v:
            return i
    if hw.kind == "apple":
        return VENDORS.index("apple")
    if hw.kind == "tpu":
        return VENDORS.index("google")
    return len(VENDORS) - 1


def _backend(case: Case) -> int:
    b = (case.backend or "").lower()
    for i, name in enumerate(BACKENDS[:-1]):
        if name in b:
            return i
    if not b:
        kind = case.kind
        if kind == "apple":
            return BACKENDS.index("metal")
        if kind == "cpu":
            return BACKENDS.index("cpu")
        vendor = VENDORS[_vendor(case.hardware)]
        if kind == "gpu" and vendor == "nvidia":
            return BACKENDS.index("cuda")
        if kind == "gpu" and vendor == "amd":
            return BACKENDS.index("rocm")
    return len(BACKENDS) - 1


def _log(x: float | None) -> float:
    return math.log(x) if x and x > 0 else float("nan")


def feature_vector(case: Case) -> list[float]:
    hw = case.hardware
    bw, bw_imp = physics.effective_bandwidth(hw, case.split, case.sibling_bandwidth_gbs)
    # compute as a property of one device (the split's effect is in the prefill roofline)
    tf, tf_imp = physics.effective_flops(hw.model_copy(update={"n_devices": 1}), "none", case.threads)
    arch = case.arch
    w_gb = physics.weight_bytes(arch.params_b, case.bits_per_weight) / physics.GB
    kv_tok = physics.kv_cache_bytes(arch, 1) / 1e6
    mem_total = (hw.memory_gb or float("nan")) * hw.n_devices
    overflow = w_gb / mem_total if mem_total == mem_total and mem_total > 0 else float("nan")
    qname = (case.quant or "").upper()
    kinds = [1.0 if case.kind == k else 0.0 for k in KINDS]
    by_bandwidth, roof_decode = case.decode_bounds()
    tf_split = case.prefill_tflops()
    log_tf, flops_per_byte = math.log(tf), math.log(tf * 1e12 / (bw * 1e9))
    return kinds + [
        float(_vendor(hw)),
        float(ENGINE_GROUPS.get((case.engine or "").lower(), 11)),
        float(QUANT_FAMILIES.index(case.quant_family) if case.quant_family in QUANT_FAMILIES else len(QUANT_FAMILIES) - 1),
        float(SPLITS.index(case.split) if case.split in SPLITS else SPLITS.index("unknown")),
        float(_backend(case)),
        math.log(bw), float(bw_imp), log_tf, float(tf_imp), _log(hw.memory_gb),
        math.log(arch.params_b), math.log(arch.active_params_b),
        float(arch.active_params_b < arch.params_b * 0.9), case.bits_per_weight,
        math.log(max(w_gb, 1e-3)), math.log(max(kv_tok, 1e-6)), float(hw.n_devices),
        math.log(max(case.decode_context, 1)), math.log(roof_decode),
        math.log(case.roofline_prefill(tf_split)), overflow, _log(case.threads),
        math.log(max(case.prompt_tokens, 1)), flops_per_byte,
        float("_K" in qname), float(qname.startswith("IQ")), _log(physics.tensor_ratio(hw)),
        math.log(tf_split),
        # time per layer at the roofline: fixed per-layer costs (kernel launches, syncs) weigh
        # more the less data a layer moves
        math.log(1e6 / (roof_decode * arch.n_layers)),
        # how far below its bandwidth bound the threads' compute bound holds a CPU (0: not at all)
        math.log(by_bandwidth / roof_decode),
        # the same compute facts, missing where the figure is a default rather than the device's
        float("nan") if tf_imp else log_tf, float("nan") if tf_imp else flops_per_byte,
    ]


def feature_matrix(cases: list[Case]) -> np.ndarray:
    return np.array([feature_vector(c) for c in cases], dtype=float)
