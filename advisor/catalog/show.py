"""`advisor catalog show NAME`: one model or hardware device with every figure and its source."""

from __future__ import annotations

import json
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


# facts a seed model row takes from its architecture source (`arch_source`); the others from
# its card source (`source`)
ARCH_FACTS = ("n_layers", "hidden_size", "intermediate_size", "n_heads", "n_kv_heads", "head_dim", "vocab_size",
              "attention", "sliding_window", "kv_lora_rank", "moe_experts", "moe_active_experts", "kv_layers",
              "sliding_layers", "state_mb", "global_head_dim", "global_kv_heads", "weights_quant")


def _facts(snap: Any, row: Any) -> dict[str, Any]:
    facts = {k: v for k, v in vars(row).items() if k not in ("id", "source_id", "fact_sources")}
    facts["source"] = snap.source_text(row.source_id)
    return facts


def fact_sources(snap: Any, row: Any) -> dict[str, str]:
    """Where each known fact of a model came from: recorded per fact for a user model; for a
    seed model, its architecture source for shapes and its card source for the rest."""
    recorded = json.loads(row.fact_sources) if getattr(row, "fact_sources", None) else {}
    card = snap.source_text(row.source_id) or ""
    out = {}
    for key, value in vars(row).items():
        if value in (None, "") or key in ("id", "source_id", "fact_sources", "arch_source", "facts_basis", "notes",
                                          "origin", "name"):
            continue
        out[key] = recorded.get(key) or ((row.arch_source or card) if key in ARCH_FACTS else card)
    return out


def _oom(snap: Any, o: Any, other: str) -> dict[str, Any]:
    """One out-of-memory observation, naming the other side (`model` or `hardware`)."""
    name = snap.models[o.model_id].name if other == "model" else snap.hardware[o.hardware_id].name
    return {other: name, "n_devices": o.n_devices, "quant": snap.quants[o.quant_id].name if o.quant_id else None,
            "notes": o.notes, "source": snap.source_text(o.source_id)}


def _entity(snap: Any, kind: str, row: Any, aliases: list[str], measurements: list[Any], scores: list[Any],
            oom: list[dict[str, Any]]) -> dict[str, Any]:
    extra = {"fact_sources": fact_sources(snap, row)} if kind == "model" else {}
    table = "models" if kind == "model" else "hardware"
    over = snap.overridden.get((table, row.id), {})
    flagged = [_measurement(snap, x) if hasattr(x, "decode_tok_s") else {"benchmark": x.benchmark, "score": x.score,
               "scale": x.scale, "source": snap.source_text(x.source_id)}
               for x in snap.implausible if getattr(x, f"{kind}_id", None) == row.id]
    return {"type": kind, "name": row.name, "aliases": sorted(aliases), "facts": _facts(snap, row), **extra,
            "user_overrides": {k: {"seed": a, "user": b} for k, (a, b) in sorted(over.items())},
            "measurements": [_measurement(snap, x) for x in measurements], "scores": scores, "out_of_memory": oom,
            "implausible": flagged}


def show_model(cat: "Catalog", model_id: int) -> dict[str, Any]:
    snap = cat.snapshot()
    scores = [{"benchmark": s.benchmark, "setting": s.setting, "score": s.score, "scale": s.scale,
               "quant": snap.quants[s.quant_id].name if s.quant_id else None,
               "evaluator": s.evaluator, "origin": s.origin, "source": snap.source_text(s.source_id)}
              for s in snap.scores if s.model_id == model_id]
    return _entity(snap, "model", snap.models[model_id], snap.model_aliases.get(model_id, []),
                   [x for x in snap.measurements if x.model_id == model_id], scores,
                   [_oom(snap, o, "hardware") for o in snap.oom if o.model_id == model_id])


def show_hardware(cat: "Catalog", hw_id: int) -> dict[str, Any]:
    snap = cat.snapshot()
    return _entity(snap, "hardware", snap.hardware[hw_id], snap.hardware_aliases.get(hw_id, []),
                   [x for x in snap.measurements if x.hardware_id == hw_id], [],
                   [_oom(snap, o, "model") for o in snap.oom if o.hardware_id == hw_id])
