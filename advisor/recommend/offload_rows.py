"""Offload candidates: the llama.cpp rows of a GPU's candidate table that do not fit in video
memory, run with MoE experts or whole layers in the system memory the questionnaire gives
(`hardware.host_memory_gb`, `hardware.host_bandwidth_gbs`). Their decode speed combines the
predictor's figures for the GPU (as if the model fitted) and for a CPU with the system memory's
bandwidth (advisor/predict/offload.py); their memory figure is what stays on the GPU."""

from __future__ import annotations

from typing import Any

import numpy as np

from advisor.predict import physics
from advisor.predict.offload import OffloadPlan, plan_experts, plan_layers
from advisor.recommend.table import FIGURES, NAN, CandidateTable, empty
from advisor.schema import HardwareSpec, ModelSpec, Questionnaire

AS_IF_GB = 1e4        # a GPU predicted with this much memory: the model's in-memory speed
HOST_USABLE = physics.usable_fraction("cpu")
OFFLOAD_ENGINES = ("llama.cpp",)


def offload_table(src: Any, q: Questionnaire, hw: HardwareSpec, base: CandidateTable) -> CandidateTable:
    """Offload rows for `base`'s rows that overflow the GPU, where system memory holds the rest."""
    if hw.kind != "gpu" or not hw.host_memory_gb or not hw.host_bandwidth_gbs or not len(base):
        return empty()
    mem = base.fig("memory")
    rows = [r for r in range(len(base)) if base.configs[r] is not None
            and base.configs[r][0] in OFFLOAD_ENGINES and mem[r] > base.usable_gb[r]]  # type: ignore[index]
    if not rows:
        return empty()
    configs, _ = src._configs(hw)
    index = {int(m): i for i, m in enumerate(src.model_ids)}
    model_i = np.array([index[int(base.model_id[r])] for r in rows])
    cfg_i = np.array([configs.index(base.configs[r]) for r in rows])
    as_if = src.pred.speed(src._batch(q, hw.model_copy(update={"memory_gb": AS_IF_GB}), configs, model_i, cfg_i))
    host = HardwareSpec(name="system memory", kind="cpu", memory_gb=hw.host_memory_gb,
                        mem_bandwidth_gbs=hw.host_bandwidth_gbs)
    cpu = src.pred.speed(src._batch(q, host, configs, model_i, cfg_i))
    plans: dict[int, OffloadPlan] = {}
    keep: list[int] = []
    for k, r in enumerate(rows):
        plan = _plan(src.snap.models[int(base.model_id[r])], base, r, hw.host_memory_gb * HOST_USABLE)
        if plan is not None and as_if["decode"][k] > 0 and cpu["decode"][k] > 0:
            plans[len(keep)] = plan
            keep.append(k)
    if not keep:
        return empty()
    return _rows(base, [rows[k] for k in keep], plans, as_if, cpu, np.array(keep))


def _plan(model: Any, base: CandidateTable, r: int, host_gb: float) -> OffloadPlan | None:
    spec = ModelSpec.of(model)
    arch = physics.estimate_architecture(spec)
    bits = base.configs[r][3]  # type: ignore[index]
    kv, ovh, usable = float(base.fig("kv_gb")[r]), float(base.fig("overhead_gb")[r]), float(base.usable_gb[r])
    if arch.active_params_b < arch.params_b:
        plan = plan_experts(arch.params_b, arch.active_params_b, spec.moe_experts, spec.moe_active_experts, bits,
                            arch.n_layers, kv, ovh, usable, host_gb)
        if plan is not None:
            return plan
    return plan_layers(arch.params_b, bits, arch.n_layers, kv, ovh, usable, host_gb)


def _rows(base: CandidateTable, rows: list[int], plans: dict[int, OffloadPlan], as_if: dict[str, np.ndarray],
          cpu: dict[str, np.ndarray], k: np.ndarray) -> CandidateTable:
    """The offload rows: decode from the plan, first token unknown, memory on the GPU."""
    figs = {name: base.fig(name)[rows].copy() for name in FIGURES}
    decode = np.array([plans[i].decode(as_if["decode"][k[i]], cpu["decode"][k[i]]) for i in range(len(rows))])
    spread_low = as_if["decode_low"][k] / as_if["decode"][k]
    spread_high = as_if["decode_high"][k] / as_if["decode"][k]
    gpu_gb = np.array([plans[i].gpu_gb for i in range(len(rows))])
    ratio_low, ratio_high = figs["memory_low"] / figs["memory"], figs["memory_high"] / figs["memory"]
    figs.update(decode=decode, decode_low=decode * spread_low, decode_high=decode * spread_high,
                memory=gpu_gb, memory_low=gpu_gb * ratio_low, memory_high=gpu_gb * ratio_high,
                weights_gb=gpu_gb - figs["kv_gb"] - figs["overhead_gb"])
    for name in ("prefill", "prefill_low", "prefill_high", "ttft", "ttft_low", "ttft_high"):
        figs[name] = np.full(len(rows), NAN)  # prefill with offloaded weights is not modelled
    n = len(rows)
    return CandidateTable(base.model_id[rows], np.ones(n, dtype=bool), figs, np.full(n, NAN), base.context_len[rows],
                          base.usable_gb[rows], base.capacity_gb[rows], [base.configs[r] for r in rows], [None] * n,
                          offload=dict(plans))
