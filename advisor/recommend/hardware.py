"""The questionnaire's hardware: a catalog name or alias with a count, facts, or this machine."""

from __future__ import annotations

from advisor.catalog.names import stated_memory_gb
from advisor.catalog.snapshot import Snapshot
from advisor.errors import InputError, NotFoundError
from advisor.schema import HardwareRequest, HardwareSpec


# figures a request may give over a catalog device's, and the host's (for offload; the catalog has none)
OVERRIDABLE = ("memory_gb", "mem_bandwidth_gbs", "fp16_tflops", "fp32_tflops", "kind")
HOST_FIGURES = ("host_memory_gb", "host_bandwidth_gbs")


def resolve_hardware(snap: Snapshot, req: HardwareRequest | None) -> tuple[HardwareSpec | None, str | None]:
    """(spec, basis) where basis is `catalog`, `facts` or `detected`; (None, None) if absent."""
    if req is None:
        return None, None
    if req.detect:
        from advisor.hardware_detect import detect_hardware

        spec = detect_hardware()
        return spec.model_copy(update={"n_devices": max(spec.n_devices, req.count if req.count > 1 else spec.n_devices)}), "detected"
    if req.name:
        hw = snap.find_hardware(req.name)
        if hw is None:
            if req.memory_gb is None:
                raise NotFoundError(what="hardware", name=req.name, closest=snap.hardware_closest(req.name))
            return _facts(req), "facts"
        if hw.memory_gb is None and req.memory_gb is None:
            stated = stated_memory_gb(req.name)  # "RTX 4060 Ti 8GB": the name says which
            variant = snap.sized_variant(hw.name, stated)
            if variant is not None:
                hw = variant  # said in the notes (`variant_note`)
            elif stated is not None:
                req = req.model_copy(update={"memory_gb": stated})  # said as an override (`override_note`)
        spec = HardwareSpec.of(hw, req.count)
        overrides = {k: v for k, v in req.model_dump(include=set(OVERRIDABLE + HOST_FIGURES)).items() if v is not None}
        spec = spec.model_copy(update=overrides)
        if spec.memory_gb is None:
            raise InputError(f"hardware.memory_gb: the catalog has no memory figure for '{hw.name}' "
                             "(the source did not state it, and the catalog has no variant of it that does); "
                             "give it with --memory-gb")
        return spec, "catalog"
    return _facts(req), "facts"


def _facts(req: HardwareRequest) -> HardwareSpec:
    if req.kind is None:
        raise InputError("hardware.kind: required when the hardware is given by facts (gpu, cpu, apple, npu, tpu)")
    if req.memory_gb is None:
        raise InputError("hardware.memory_gb: required when the hardware is given by facts")
    return HardwareSpec(name=req.name or f"custom {req.kind}", kind=req.kind, memory_gb=req.memory_gb,
                        mem_bandwidth_gbs=req.mem_bandwidth_gbs, fp16_tflops=req.fp16_tflops,
                        fp32_tflops=req.fp32_tflops, n_devices=req.count, host_memory_gb=req.host_memory_gb,
                        host_bandwidth_gbs=req.host_bandwidth_gbs)
