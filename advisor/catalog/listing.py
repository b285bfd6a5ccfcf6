"""Listings of the catalog's models and devices, from a snapshot (no query: the TUI's search
and `advisor catalog list` read the same rows the recommender reads)."""

from __future__ import annotations

from typing import Any

from advisor.catalog.names import norm
from advisor.catalog.snapshot import Snapshot


def list_models(snap: Snapshot, search: str | None = None) -> list[dict[str, Any]]:
    """Catalog models matching `search` (name, alias or family), with their counts, by name."""
    out = []
    needle = norm(search) if search else None
    for m in snap.models.values():
        if needle and not (needle in norm(m.name) or any(needle in a for a in snap.model_aliases.get(m.id, ()))
                           or needle in norm(m.family or "")):
            continue
        out.append({
            "name": m.name, "family": m.family, "params_b": m.params_b,
            "active_params_b": m.active_params_b, "context_len": m.context_len,
            "variant": m.variant, "license": m.license, "release": m.release,
            "measurements": snap.measurement_count.get(m.id, 0),
            "scores": snap.score_count.get(m.id, 0),
        })
    return sorted(out, key=lambda r: r["name"].lower())


def list_hardware(snap: Snapshot, search: str | None = None) -> list[dict[str, Any]]:
    """Catalog devices matching `search` (name or alias), with their counts, by name."""
    needle = norm(search) if search else None
    out = []
    for h in snap.hardware.values():
        if needle and not (needle in norm(h.name) or any(needle in a for a in snap.hardware_aliases.get(h.id, ()))):
            continue
        out.append({
            "name": h.name, "kind": h.kind, "vendor": h.vendor, "memory_gb": h.memory_gb,
            "mem_bandwidth_gbs": h.mem_bandwidth_gbs, "fp16_tflops": h.fp16_tflops,
            "measurements": snap.hw_measurement_count.get(h.id, 0),
        })
    return sorted(out, key=lambda r: r["name"].lower())
