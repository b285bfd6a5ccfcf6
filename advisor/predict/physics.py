"""The physics of inference, case by case: weight bytes, KV-cache bytes (with sliding-window,
interleaved and MLA layouts), memory needed, and roofline bounds for decode (bandwidth) and
prefill (compute). Pure functions; the learned models only correct what these miss."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from advisor.schema import HardwareSpec, ModelSpec

GB = 1e9

# Bandwidth / compute assumed when the catalog has no trusted figure (flagged as imputed).
DEFAULT_BANDWIDTH_GBS = {"gpu": 300.0, "cpu": 60.0, "apple": 200.0, "npu": 70.0, "tpu": 800.0}
DEFAULT_FP16_TFLOPS = {"gpu": 30.0, "cpu": 1.5, "apple": 10.0, "npu": 10.0, "tpu": 190.0}
# A CPU with a bandwidth figure but no compute figure: FP32 FLOPs per byte of bandwidth, the
# median of the catalog's CPUs that have both (one per chip, Apple's left out: their bandwidth
# is the SoC's): 7950X 35.1, Sapphire Rapids 38.0, i5-10600K 21.6, i7-7700HQ 12.7, Pi 5 9.0. A
# constant 1.5 TFLOPS read a Pi 4 (12.8 GB/s, four Cortex-A72) as 15x its compute and put its
# first token at 1.8 s for a 1,000-token prompt; compute scales with the memory system far better.
CPU_FLOPS_PER_BYTE = 21.6
# Runtime overhead besides weights and KV cache (CUDA context, compute buffers), in GB.
RUNTIME_OVERHEAD_GB = {"gpu": 0.6, "cpu": 0.3, "apple": 0.4, "npu": 0.3, "tpu": 1.0}
ACTIVATION_FRACTION = 0.04  # compute buffers grow with the weights (llama.cpp, vLLM observed)
# One CPU thread dequantizes and multiplies only so many weights per second: with few threads
# a CPU is limited by its cores, not its memory (llama-bench tg128 at 2 vs 16 threads). The
# cost is per weight, not per byte: codebook quants (IQ1-IQ3) cost several times a plain block
# quant, and F16 needs a conversion per weight on most CPUs. Billions of weights/s per thread.
CPU_THREAD_WEIGHT_RATE = {"block": 40.0, "float": 25.0, "codebook": 15.0}
# The share of a device's memory a model may use: the rest goes to the OS and other programs
# (CPU RAM, Apple unified memory) or to the runtime's own reserve (GPUs, NPUs).
USABLE_MEMORY_FRACTION = {"gpu": 0.95, "cpu": 0.80, "apple": 0.70, "npu": 0.60, "tpu": 0.95}


# Attention FLOPs take this many times the time of a dense matmul FLOP in the prefill roofline:
# the best attention kernels reach 50-73 % of the peak (FlashAttention-2 on an A100, arXiv
# 2307.08691, abstract) where dense matmuls run close to it, and most engines' kernels (Metal,
# Vulkan, ROCm, CPU) fall further behind. 2 was chosen over 1 and 4 by `advisor model evaluate`
# (held out by hardware, median error: first token 54 -> 41 %, prefill 45 -> 41 %; 4: 42 and 55 %).
ATTENTION_COST = 2.0


def usable_fraction(kind: str | None) -> float:
    """The share of a device of this kind that a model may use (0.9 for an unknown kind)."""
    return USABLE_MEMORY_FRACTION.get(kind or "gpu", 0.9)


def usable_memory_gb(hw: HardwareSpec) -> float:
    """Memory a model may use on this hardware, all devices together (0 when unknown)."""
    return usable_gb(hw.memory_gb, hw.n_devices, hw.kind)


def usable_gb(memory_gb: float | None, n_devices: int, kind: str | None) -> float:
    """Memory a model may use on `n_devices` devices of `memory_gb` each (0 when unknown)."""
    return (memory_gb or 0) * n_devices * usable_fraction(kind)


@dataclass
class Architecture:
    """Shape facts with a flag saying which were estimated from the parameter count."""

    params_b: float
    active_params_b: float
    n_layers: int
    n_kv_heads: int
    head_dim: int
    hidden_size: int
    attention: str
    sliding_window: int | None
    kv_lora_rank: int | None
    estimated: list[str] = field(default_factory=list)
    kv_layers: int = 0             # layers that keep a KV cache (hybrids: the attention layers)
    sliding_layers: int | None = None  # of those, capped at the window (None: from `attention`)
    state_bytes: float = 0.0       # fixed per-sequence state of recurrent layers
    attention_width: int = 0       # query heads x head dim (0: the hidden size), what a key costs
    global_head_dim: int | None = None  # full-attention layers' own head dim (Gemma 4; None: head_dim)
    global_kv_heads: int | None = None  # full-attention layers' own KV heads (None: n_kv_heads)

    @property
    def query_width(self) -> int:
        """Width of the queries a prompt token sends to each key: heads x head dim, which is not
        the hidden size for many current models (GLM-4.5 96 x 128 against 4,096; Qwen3-30B-A3B
        32 x 128 against 2,048)."""
        return self.attention_width or self.hidden_size

    @property
    def global_query_width(self) -> int:
        """`query_width` of the layers that cache every token: heads x their own head dim where
        they have one (Gemma 4 31B: 32 x 512 against 32 x 256 on its sliding layers)."""
        if self.global_head_dim and self.attention_width:
            return self.attention_width // self.head_dim * self.global_head_dim
        return self.query_width

    def kv_token_bytes(self, bytes_per_elem: float = 2.0) -> tuple[float, float]:
        """(bytes per token of a layer caching every token, of a window-capped layer): keys and
        values, each layer kind with its own KV heads and head dim."""
        local = self.n_kv_heads * self.head_dim * 2 * bytes_per_elem
        glob = (self.global_kv_heads or self.n_kv_heads) * (self.global_head_dim or self.head_dim) * 2 * bytes_per_elem
        return glob, local

    def __post_init__(self) -> None:
        if not self.kv_layers:
            self.kv_layers = self.n_layers


def estimate_architecture(model: ModelSpec) -> Architecture:
    """Fill missing shapes from the parameter count (say so in `estimated`)."""
    est: list[str] = []
    params = model.params_b
    if params is None:
        raise ValueError("model.params_b is needed (the catalog does not know this model)")
    active = model.active_params_b or params
    layers = model.n_layers
    if layers is None:
        layers = max(8, round(16 * params ** 0.35))
        est.append("n_layers")
    hidden = model.hidden_size
    if hidden is None:
        hidden = int(round(math.sqrt(active * 1e9 / (12 * layers)) / 128) * 128) or 128
        est.append("hidden_size")
    head_dim = model.head_dim
    if head_dim is None:
        head_dim = (hidden // model.n_heads) if model.n_heads else 128
        if not model.n_heads:
            est.append("head_dim")
    kv_heads = model.n_kv_heads
    if kv_heads is None:
        modern = (model.release or "2024") >= "2024"
        kv_heads = 8 if modern else max(1, hidden // head_dim)
        est.append("n_kv_heads")
    mla = bool(model.kv_lora_rank) or "mla" in (model.attention or "").lower()  # latent attention: as before
    return Architecture(
        params_b=params, active_params_b=active, n_layers=layers, n_kv_heads=kv_heads,
        head_dim=head_dim, hidden_size=hidden, attention=(model.attention or "full").lower(),
        sliding_window=model.sliding_window, kv_lora_rank=model.kv_lora_rank, estimated=est,
        kv_layers=min(model.kv_layers or layers, layers), sliding_layers=model.sliding_layers,
        state_bytes=(model.state_mb or 0.0) * 1e6,
        attention_width=model.n_heads * head_dim if model.n_heads and not mla else 0,
        global_head_dim=None if mla else model.global_head_dim,
        global_kv_heads=None if mla else model.global_kv_heads,
    )


def weight_bytes(params_b: float, bits_per_weight: float) -> float:
    """Bytes of weights: parameters x bits per weight / 8 (8B at Q4_K_M 4.89 bpw = 4.9 GB)."""
    return params_b * 1e9 * bits_per_weight / 8


def _global_local_layers(arch: Architecture) -> tuple[int, int, int | None]:
    """(KV layers caching every token, KV layers capped at the window, window): from the
    counts where the model's facts give them, else from the attention layout's name."""
    att, n, w = arch.attention, arch.kv_layers, arch.sliding_window
    if w is not None and arch.sliding_layers is not None:
        local = min(arch.sliding_layers, n)
        return n - local, local, w
    if w is None or "sliding" not in att:
        return n, 0, None
    if "5:1" in att:
        glob = n // 6
        return glob, n - glob, w
    if "1:1" in att or "alternating" in att:
        return n - n // 2, n // 2, w
    if "all layers" in att:
        return 0, n, w
    return n, 0, None


def kv_cache_bytes(arch: Architecture, tokens: int, bytes_per_elem: float = 2.0) -> float:
    """KV cache for `tokens` tokens of one sequence: KV layers x KV heads x head dim x 2 x
    bytes x tokens, with window-capped layers, full-attention layers of their own shape (Gemma
    4), MLA latent caches (no x2) and hybrids (only their attention layers cache) handled.
    Recurrent state is apart (`Architecture.state_bytes`)."""
    if tokens <= 0:
        return 0.0
    if arch.kv_lora_rank or "mla" in arch.attention:
        per_layer = (arch.kv_lora_rank or 512) + 64
        return arch.kv_layers * per_layer * bytes_per_elem * tokens
    glob_token, local_token = arch.kv_token_bytes(bytes_per_elem)
    glob, local, window = _global_local_layers(arch)
    local_tokens = min(tokens, window) if window else tokens
    return glob_token * glob * tokens + local_token * local * local_tokens


@dataclass
class MemoryEstimate:
    weights_gb: float
    kv_cache_gb: float
    overhead_gb: float

    @property
    def total_gb(self) -> float:
        return self.weights_gb + self.kv_cache_gb + self.overhead_gb


def effective_bandwidth(hw: HardwareSpec, split: str, sibling_gbs: float | None = None) -> tuple[float, bool]:
    """Bandwidth one stream sees (GB/s) and whether it was imputed. A device without its own
    figure takes `sibling_gbs` (a variant of the same device) before a default. Layer/pipeline
    splits run the devices one after the other: no more bandwidth than one device."""
    kind = hw.kind or "gpu"
    bw = hw.mem_bandwidth_gbs if hw.mem_bandwidth_gbs is not None else sibling_gbs
    imputed = bw is None
    if bw is None:
        bw = DEFAULT_BANDWIDTH_GBS.get(kind, 100.0)
    n = hw.n_devices
    if n > 1 and split in ("tensor", "nodes", "tensor+pipeline"):
        bw *= n if split != "tensor+pipeline" else math.sqrt(n)
    return bw, imputed


APPLE_TFLOPS_PER_GPU_CORE = 0.35  # 128 FP32 lanes x 2 FLOP x ~1.35 GHz


UBATCH_TOKENS = 512  # llama.cpp's default physical batch: the unit of its prefill pipeline


def pipeline_speedup(n_devices: int, prompt_tokens: int) -> float:
    """Prefill speed-up of a layer (pipeline) split: m micro-batches of the prompt flow through
    n stages, n*m/(n+m-1); a 512-token prompt (one micro-batch) gains nothing."""
    m = max(1, math.ceil(prompt_tokens / UBATCH_TOKENS))
    return n_devices * m / (n_devices + m - 1)


def effective_flops(hw: HardwareSpec, split: str, threads: int | None = None,
                    prompt_tokens: int = UBATCH_TOKENS) -> tuple[float, bool]:
    """FP16 TFLOPS for prefill on one consistent basis across devices (the non-tensor figure
    TechPowerUp gives for nearly every GPU; tensor figures are a separate feature), and
    whether it was imputed. Apple GPUs: cores x 0.35 TFLOPS, from the name."""
    kind = hw.kind or "gpu"
    # the faster of FP16 and FP32 without matrix units: where FP16 runs at a fraction of FP32
    # (Pascal consumer cards, the P40) engines compute in FP32
    plain = [x for x in (hw.fp16_nontensor_tflops, hw.fp32_tflops) if x]
    tf = max(plain) if plain else (hw.fp16_tflops / 4 if hw.fp16_tflops else None)
    imputed = tf is None
    if tf is None and kind == "apple" and hw.name:
        m = re.search(r"(\d+)-core GPU", hw.name)
        if m:
            tf, imputed = int(m.group(1)) * APPLE_TFLOPS_PER_GPU_CORE, False
    if tf is None and kind == "cpu" and hw.mem_bandwidth_gbs:
        tf = hw.mem_bandwidth_gbs * CPU_FLOPS_PER_BYTE / 1000  # still imputed: a scale, not the chip's figure
    if tf is None:
        tf = DEFAULT_FP16_TFLOPS.get(kind, 10.0)
    n = hw.n_devices
    if n > 1 and split in ("tensor", "nodes"):
        tf *= n
    elif n > 1 and split in ("layer", "pipeline"):
        tf *= pipeline_speedup(n, prompt_tokens)
    elif n > 1 and split == "tensor+pipeline":
        stages = max(1, round(math.sqrt(n)))  # TPxPP with the split unknown: assume square
        tf *= (n / stages) * pipeline_speedup(stages, prompt_tokens)
    return tf, imputed


def tensor_ratio(hw: HardwareSpec) -> float | None:
    """Dense tensor FP16 over the non-tensor basis: how much matrix units add (None if unknown)."""
    base = hw.fp16_nontensor_tflops or hw.fp32_tflops
    if hw.fp16_tflops and base:
        return hw.fp16_tflops / base
    if (hw.kind or "") == "apple":
        return 1.0  # Apple GPUs (M1-M4) have no matrix units: FP16 runs at the FP32 rate
    return None


def cpu_weight_rate(quant: str | None) -> float:
    """Weights one CPU thread processes per second (billions) for this quantization's kernel."""
    q = (quant or "").upper()
    if q.startswith(("IQ1", "IQ2", "IQ3")):
        return CPU_THREAD_WEIGHT_RATE["codebook"]
    if q in ("F16", "BF16", "F32", "FP16", "FP32"):
        return CPU_THREAD_WEIGHT_RATE["float"]
    return CPU_THREAD_WEIGHT_RATE["block"]


def thread_bound_decode(arch: Architecture, quant: str | None, threads: int) -> float:
    """Decode tokens/s that `threads` CPU threads can compute: every active weight once per token."""
    return threads * cpu_weight_rate(quant) / arch.active_params_b


def decode_bytes_per_token(arch: Architecture, bits_per_weight: float, context: int) -> float:
    """Bytes moved per generated token: active weights + the KV cache read for the context +
    the recurrent state (hybrids) read and written once."""
    return weight_bytes(arch.active_params_b, bits_per_weight) + kv_cache_bytes(arch, context) + 2 * arch.state_bytes


def roofline_decode(arch: Architecture, bits_per_weight: float, context: int, bw_gbs: float) -> float:
    """Upper bound on single-stream decode tokens/s: bandwidth / bytes per token."""
    return bw_gbs * GB / decode_bytes_per_token(arch, bits_per_weight, context)


def baseline_decode(params_b: float, bits_per_weight: float, bw_gbs: float) -> float:
    """The field's rule of thumb (llmfit): 0.55 x bandwidth / weight bytes."""
    return 0.55 * bw_gbs * GB / weight_bytes(params_b, bits_per_weight)
