"""Running a model that does not fit in video memory with part of it in system memory, as
llama.cpp does: MoE experts on the CPU (`--cpu-moe`, `--n-cpu-moe N`) or whole layers on the
CPU (`-ngl N` below the layer count).

Decode reads every active weight once per token, on whichever side holds it. So the time per
token is the sum over the two sides of (the share of the per-token bytes that side reads) x (that
side's predicted time per token for the whole model): the GPU's prediction for the model as if
it fitted, and the prediction for the same model on a CPU with the system memory's bandwidth.
Both come from the fitted predictor, so each side keeps its learned efficiency; the transfer of
activations between the sides is not modelled (one hidden vector per layer boundary and token).
`advisor/benchmarks/bench_offload.py` checks this against published offload runs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

GB = 1e9
UNKNOWN_DENSE_SHARE = 0.5  # dense share of the active parameters when the expert counts are not known


@dataclass(frozen=True)
class OffloadPlan:
    """Where the weights go and what each side reads per token."""

    mode: Literal["experts", "layers"]
    gpu_share: float   # share of the bytes read per token that the GPU reads
    gpu_gb: float      # memory used on the GPU(s): weights kept there, KV cache, overhead
    host_gb: float     # weights in system memory
    flags: str         # the llama.cpp options that give this split

    def decode(self, gpu_tok_s: float, cpu_tok_s: float) -> float:
        """Tokens/s from the two sides' whole-model predictions."""
        return 1.0 / (self.gpu_share / gpu_tok_s + (1.0 - self.gpu_share) / cpu_tok_s)


def expert_params(params_b: float, active_b: float, experts: int | None, used: int | None) -> tuple[float, float]:
    """(dense, routed-expert) parameters, billions, from total and active counts: with E experts
    of which k are used, total = dense + X and active = dense + X k / E. Without E and k, half
    the active parameters are taken as dense (attention, shared experts, embeddings: Qwen3-30B-A3B
    has 1.5 of 3.3 B dense, gpt-oss-20b 1.1 of 3.6 B)."""
    if params_b <= active_b:
        return params_b, 0.0
    if experts and used and used < experts:
        routed = min((params_b - active_b) / (1.0 - used / experts), params_b)
        return params_b - routed, routed
    return active_b * UNKNOWN_DENSE_SHARE, params_b - active_b * UNKNOWN_DENSE_SHARE


def plan_experts(params_b: float, active_b: float, experts: int | None, used: int | None, bits: float,
                 n_layers: int, kv_gb: float, overhead_gb: float, vram_gb: float, host_gb: float) -> OffloadPlan | None:
    """Routed experts of as many layers as needed in system memory; the rest on the GPU. None
    when the dense part does not fit the GPU or the experts do not fit system memory."""
    dense_b, routed_b = expert_params(params_b, active_b, experts, used)
    if routed_b <= 0:
        return None
    dense_gb, routed_gb = dense_b * bits / 8, routed_b * bits / 8
    room = vram_gb - dense_gb - kv_gb - overhead_gb
    if room <= 0:
        return None
    on_gpu = min(1.0, room / routed_gb)
    if on_gpu >= 1.0:
        return None  # it fits without offloading
    cpu_layers = math.ceil((1.0 - on_gpu) * n_layers)
    on_gpu = 1.0 - cpu_layers / n_layers
    host = routed_gb * (1.0 - on_gpu)
    if host > host_gb:
        return None
    active_routed_gb = (active_b - dense_b) * bits / 8
    gpu_read = dense_gb + on_gpu * active_routed_gb
    cpu_read = (1.0 - on_gpu) * active_routed_gb
    flags = "-ngl 99 --cpu-moe" if cpu_layers >= n_layers else f"-ngl 99 --n-cpu-moe {cpu_layers}"
    return OffloadPlan("experts", gpu_read / (gpu_read + cpu_read), dense_gb + on_gpu * routed_gb + kv_gb + overhead_gb,
                       host, flags)


def plan_layers(params_b: float, bits: float, n_layers: int, kv_gb: float, overhead_gb: float, vram_gb: float,
                host_gb: float) -> OffloadPlan | None:
    """Whole layers (with their KV cache) in system memory; the first ones on the GPU."""
    weights = params_b * bits / 8
    per_layer = (weights + kv_gb) / n_layers
    gpu_layers = int((vram_gb - overhead_gb) // per_layer)
    if gpu_layers >= n_layers or gpu_layers < 1:
        return None
    share = gpu_layers / n_layers
    host = (weights + kv_gb) * (1 - share)
    if host > host_gb:
        return None
    return OffloadPlan("layers", share, share * (weights + kv_gb) + overhead_gb, host, f"-ngl {gpu_layers}")
