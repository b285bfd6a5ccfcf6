"""Training rows from the catalog snapshot: which measurements mean single-stream decode,
prefill, time to first token and memory, and the groups (whole hardware devices, whole models)
that validation holds out."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from advisor.catalog.names import hardware_group
from advisor.catalog.snapshot import Row, Snapshot
from advisor.predict.features import Case
from advisor.schema import HardwareSpec, ModelSpec

# Engines that reserve most of the device for the KV cache up front: their "memory used" is
# the device, not what the model needs.
PREALLOCATING_ENGINES = {"lmdeploy", "vllm", "sglang", "tensorrt-llm", "jetstream"}
# models released from this month on are the "new" ones: evaluate holds them all out at once,
# trained only on what came before (the test a predictor meets the day a model ships)
NEW_ERA = "2025-06"
QUALITY_WEIGHT = {"low": 0.5, "presumed": 0.7, "anomaly": 0.15}


@dataclass
class SpeedRow:
    case: Case
    target: str  # decode | prefill | ttft | memory
    value: float
    hardware_group: str
    model_group: str
    engine: str
    kind: str
    weight: float
    origin: str
    source_id: int
    measurement: Row
    derived: bool = False
    era: str = "old"  # "new": a model released from NEW_ERA on (held out together by `new-models-out`)  # a prefill speed implied by a measured time to first token


def model_group(name: str) -> str:
    """A base model and its chat/instruct tune have the same shapes: one group."""
    s = name.lower()
    s = re.sub(r"\(.*?\)", "", s)
    s = re.sub(r"[-_ ](instruct|chat|it|base|fp8|hf)\b.*$", "", s)
    s = re.sub(r"^meta-", "", s)
    return s.strip("- ")


def case_for(snap: Snapshot, m: Row) -> Case | None:
    model = snap.models[m.model_id]
    if not model.params_b:
        return None
    quant = snap.quants.get(m.quant_id) if m.quant_id else None
    if quant is None:
        return None
    hw = snap.hardware[m.hardware_id]
    engine = snap.engines[m.engine_id].name if m.engine_id else None
    sib_bw, sib_mem = snap.siblings(hw.name)
    return Case(
        model=ModelSpec.of(model),
        bits_per_weight=quant.bits_per_weight,
        quant=quant.name,
        quant_family=quant.family,
        engine=engine,
        hardware=HardwareSpec.of(hw, m.n_devices or 1),
        split=m.split or "none",
        prompt_tokens=m.prompt_tokens or 0,
        gen_tokens=m.gen_tokens or 0,
        context_depth=m.context_depth or 0,
        backend=m.backend,
        threads=m.threads,
        sibling_bandwidth_gbs=sib_bw,
        sibling_memory_gb=sib_mem,
    )


def speed_rows(snap: Snapshot) -> dict[str, list[SpeedRow]]:
    """Single-stream rows per target. Throughput under load and static batches are a different
    quantity (aggregate over many streams) and are not mixed in."""
    out: dict[str, list[SpeedRow]] = {"decode": [], "prefill": [], "ttft": [], "memory": []}
    per_group = Counter((m.source_id, m.hardware_id) for m in snap.measurements)
    for m in snap.measurements:
        single = m.measure_kind == "single_stream" and (m.batch_size in (None, 1))
        case = case_for(snap, m)
        if case is None:
            continue
        hw = snap.hardware[m.hardware_id]
        model = snap.models[m.model_id]
        weight = QUALITY_WEIGHT.get(m.quality or "", 1.0) / per_group[(m.source_id, m.hardware_id)] ** 0.5
        if m.origin == "user":
            weight *= 3.0  # a team's own measurement on its own machine counts more
        common = dict(
            hardware_group=hardware_group(hw.name), model_group=model_group(model.name),
            engine=case.engine or "unknown", kind=hw.kind, weight=weight, origin=m.origin,
            source_id=m.source_id, measurement=m,
            era="new" if (model.release or "") >= NEW_ERA else "old",
        )
        if single and m.decode_tok_s:
            out["decode"].append(SpeedRow(case=case, target="decode", value=m.decode_tok_s, **common))
        if single and m.prefill_tok_s and (m.prompt_tokens or 0) > 0:
            out["prefill"].append(SpeedRow(case=case, target="prefill", value=m.prefill_tok_s, **common))
        if single and m.ttft_ms and (m.prompt_tokens or 0) > 0:
            out["ttft"].append(SpeedRow(case=case, target="ttft", value=m.ttft_ms, **common))
            if not m.prefill_tok_s:
                # the first token needs the whole prompt: TTFT implies a (lower-bound) prefill
                # speed, which teaches the prefill model engines that publish only TTFT
                implied = dict(common, weight=common["weight"] * 0.5)
                out["prefill"].append(SpeedRow(case=case, target="prefill", derived=True,
                                               value=m.prompt_tokens / (m.ttft_ms / 1000), **implied))
        # CPU runs through HF transformers hold dequantized weights: not what the model needs.
        if (m.memory_gb and single and hw.kind != "cpu" and (case.engine or "").lower() not in PREALLOCATING_ENGINES):
            out["memory"].append(SpeedRow(case=case, target="memory", value=m.memory_gb, **common))
    return out
