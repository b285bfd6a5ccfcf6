"""From a case (model x quantization x engine x hardware x workload) to the physics bounds and
the feature vector the learned corrections use. The same code builds training rows from
catalog measurements and prediction rows from requests, so they cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.predict import physics
from advisor.schema import HardwareSpec, ModelSpec

KINDS = ("gpu", "cpu", "apple", "npu", "tpu")
VENDORS = ("nvidia", "amd", "intel", "apple", "qualcomm", "google", "other")
ENGINE_GROUPS = {
    "llama.cpp": 0, "ik_llama.cpp": 0, "ollama": 0, "llama-cpp-python": 0,
    "vllm": 1, "sglang": 1, "lmdeploy": 1, "tensorrt-llm": 2, "mlc-llm": 3, "exllamav2": 4,
    "autoawq": 5, "tinychat": 5, "hf-transformers": 6, "gpt-fast": 7, "qnn": 8,
    "distributed-llama": 9, "jetstream": 10,
    # 11: any other engine
    "mlx-lm": 12, "omlx": 12, "vllm-mlx": 12, "mlx-vlm": 16,   # Apple MLX kernels (mlx-vlm: the VLM runner)
    "ds4": 13,                                                  # antirez's DeepSeek-only engine
    "ktransformers": 14,                                        # CPU/GPU hybrid MoE serving
    "litert-lm": 15, "mnn": 15,                                 # on-device (phone) runtimes
    "exllamav3": 4, "docker-model-runner": 0,                   # ExLlama's, and llama.cpp inside
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
        "log_layer_us", "log_thread_bound", "log_tflops_known", "flops_per_byte_known", "log_prefill_balance",
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
    # memory the speed features read: that of the rows measured on the device or, never
    # measured, on its most measured variant (the snapshot's `sibling_memory`; nan: unknown,
    # None: the hardware's own): a Pi 5 8GB reads like the RAM-unspecified Pi 5 measured
    sibling_memory_gb: float | None = None
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

    def _batch(self):  # type: ignore[no-untyped-def]
        from advisor.predict.batch import batch_of  # the physics of cases lives there, as arrays

        return batch_of([self])

    def decode_bounds(self) -> tuple[float, float]:
        """(bandwidth bound, roofline) on decode tokens/s: the roofline is also held under the
        threads' compute bound on a CPU whose thread count is known."""
        by_bw, roof = self._batch().decode_bounds()
        return float(by_bw[0]), float(roof[0])

    def roofline_decode(self) -> float:
        return self.decode_bounds()[1]

    def roofline_prefill(self) -> float:
        """Upper bound on prefill tokens/s for this prompt over the devices as the split uses them."""
        b = self._batch()
        return float(b.roofline_prefill(b.prefill_tflops())[0])


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


def backend_index(backend: str | None, hw: HardwareSpec) -> int:
    """The backend a case ran on (BACKENDS index): as stated, else what the device implies."""
    b = (backend or "").lower()
    for i, name in enumerate(BACKENDS[:-1]):
        if name in b:
            return i
    if not b:
        kind = hw.kind or "gpu"
        if kind == "apple":
            return BACKENDS.index("metal")
        if kind == "cpu":
            return BACKENDS.index("cpu")
        vendor = VENDORS[_vendor(hw)]
        if kind == "gpu" and vendor == "nvidia":
            return BACKENDS.index("cuda")
        if kind == "gpu" and vendor == "amd":
            return BACKENDS.index("rocm")
    return len(BACKENDS) - 1


def _backend(case: Case) -> int:
    return backend_index(case.backend, case.hardware)
