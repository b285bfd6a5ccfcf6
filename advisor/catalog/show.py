"""`advisor catalog show NAME`: one model or hardware device with every figure and its source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.catalog import Catalog

_SPEED_COLS = ("prefill_tok_s", "decode_tok_s", "ttft_ms", "memory_gb")


def _measurement(snap: Any, m: Any) -> dict[str, Any]:
    return {
        "model": snap.models[m.model_id].name,
        "hardware": snap.hardware[m.hardware_id].name,
        "n_devices": m.n_devices,
        "split": m.split,
        "quant": snap.quants[m.quant_id].name if m.quant_id else None,
        "engine": snap.engines[m.engine_id].name if m.engine_id else None,
        "engine_version": m.engine_version,
        "measure_kind": m.measure_kind,
        "batch_size": m.batch_size,
        "prompt_tokens": m.prompt_tokens,
        "gen_tokens": m.gen_tokens,
        "context_depth": m.context_depth,
        **{c: getattr(m, c) for c in _SPEED_COLS},
        "quality": m.quality,
        "origin": m.origin,
        "source": snap.source_text(m.source_id),
    }


def show_model(cat: "Catalog", model_id: int) -> dict[str, Any]:
    snap = cat.snapshot()
    m = snap.models[model_id]
    facts = {k: v for k, v in vars(m).items() if k not in ("id", "source_id")}
    facts["source"] = snap.source_text(m.source_id)
    return {
        "type": "model",
        "name": m.name,
        "aliases": sorted(snap.model_aliases.get(model_id, [])),
        "facts": facts,
        "measurements": [_measurement(snap, x) for x in snap.measurements if x.model_id == model_id],
        "scores": [
            {"benchmark": s.benchmark, "setting": s.setting, "score": s.score, "scale": s.scale,
             "quant": snap.quants[s.quant_id].name if s.quant_id else None,
             "evaluator": s.evaluator, "origin": s.origin, "source": snap.source_text(s.source_id)}
            for s in snap.scores if s.model_id == model_id
        ],
        "out_of_memory": [
            {"hardware": snap.hardware[o.hardware_id].name, "n_devices": o.n_devices,
             "quant": snap.quants[o.quant_id].name if o.quant_id else None,
             "notes": o.notes, "source": snap.source_text(o.source_id)}
            for o in snap.oom if o.model_id == model_id
        ],
    }


def show_hardware(cat: "Catalog", hw_id: int) -> dict[str, Any]:
    snap = cat.snapshot()
    h = snap.hardware[hw_id]
    facts = {k: v for k, v in vars(h).items() if k not in ("id", "source_id")}
    facts["source"] = snap.source_text(h.source_id)
    return {
        "type": "hardware",
        "name": h.name,
        "aliases": sorted(snap.hardware_aliases.get(hw_id, [])),
        "facts": facts,
        "measurements": [_measurement(snap, x) for x in snap.measurements if x.hardware_id == hw_id],
        "scores": [],
        "out_of_memory": [
            {"model": snap.models[o.model_id].name, "n_devices": o.n_devices,
             "quant": snap.quants[o.quant_id].name if o.quant_id else None,
             "notes": o.notes, "source": snap.source_text(o.source_id)}
            for o in snap.oom if o.hardware_id == hw_id
        ],
    }
