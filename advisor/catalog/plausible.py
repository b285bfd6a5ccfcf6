"""Is an imported figure physically possible? The bounds the predictor's physics sets, checked
on every user row before it is written, so that one accepted row cannot poison the fit.

- a single-stream decode speed may not pass DECODE_MARGIN x the bandwidth roofline (all
  devices' bandwidth over the bytes of the active weights per token);
- a prefill speed may not pass PREFILL_MARGIN x the compute roofline (2 FLOPs per active
  parameter per token over the device's best published compute);
- a score must lie on its benchmark's scale (`SCALES`);
- counts and speeds must be above 0 and every figure finite (`advisor.catalog.rows`).

The margins sit well above the seed's own extremes (decode 1.6x, prefill 2.1x of the roofline:
speculative decoding, sparsity and optimistic device figures), so that only nonsense fails.
A row past a bound is rejected with the row and the bound; with `--allow-implausible` it is
written flagged (`quality = implausible`), shown, and kept out of the snapshot that the
predictor fits on and the recommender reads (`advisor.catalog.snapshot`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from advisor.catalog import orm

DECODE_MARGIN = 3.0
PREFILL_MARGIN = 4.0
# score scales of the seed (`scores.csv` column `scale`) -> (low, high); an unknown scale is
# only checked for being finite and not negative
SCALES: dict[str, tuple[float, float]] = {
    "percent": (0.0, 100.0), "normalized": (0.0, 100.0), "points (0-100)": (0.0, 100.0),
    "0-10": (0.0, 10.0), "elo": (0.0, 5000.0), "": (0.0, 100.0),
}


class Facts:
    """Model, device and quantization facts a check needs, read once per id in a session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[tuple[type, int], Any] = {}

    def get(self, table: type, id_: int | None) -> Any:
        if id_ is None:
            return None
        key = (table, id_)
        if key not in self._cache:
            self._cache[key] = self.session.get(table, id_)
        return self._cache[key]


def _active_params_b(model: Any) -> float | None:
    """Parameters read per token: the active ones; a MoE without them cannot be bounded."""
    if model is None:
        return None
    if model.active_params_b:
        return float(model.active_params_b)
    return float(model.params_b) if model.params_b and not model.moe_experts else None


def _decode_issue(v: dict[str, Any], model: Any, hw: Any, bits: float | None) -> str | None:
    params = _active_params_b(model)
    if not (v.get("decode_tok_s") and params and bits and hw is not None and hw.mem_bandwidth_gbs):
        return None
    n = v.get("n_devices") or 1
    roof = hw.mem_bandwidth_gbs * n * 1e9 / (params * 1e9 * bits / 8)
    if v["decode_tok_s"] > DECODE_MARGIN * roof:
        return (f"decode_tok_s {v['decode_tok_s']:g} is above {DECODE_MARGIN:g} x the bandwidth roofline "
                f"({roof:.1f} tok/s: {n} x {hw.mem_bandwidth_gbs:g} GB/s over {params:g} B parameters at "
                f"{bits:g} bits)")
    return None


def _prefill_issue(v: dict[str, Any], model: Any, hw: Any) -> str | None:
    params = _active_params_b(model)
    compute = [x for x in (hw.fp16_tflops, hw.fp16_nontensor_tflops, hw.fp32_tflops, hw.int8_tops) if x] if hw else []
    if not (v.get("prefill_tok_s") and params and compute):
        return None
    n = v.get("n_devices") or 1
    roof = max(compute) * n * 1e12 / (2 * params * 1e9)
    if v["prefill_tok_s"] > PREFILL_MARGIN * roof:
        return (f"prefill_tok_s {v['prefill_tok_s']:g} is above {PREFILL_MARGIN:g} x the compute roofline "
                f"({roof:.0f} tok/s: {n} x {max(compute):g} TFLOPS at 2 FLOPs per parameter, {params:g} B)")
    return None


def measurement_issue(v: dict[str, Any], facts: Facts, bits: dict[int, float]) -> str | None:
    """Why a measurement row is implausible, or None."""
    model = facts.get(orm.Model, v.get("model_id"))
    hw = facts.get(orm.Hardware, v.get("hardware_id"))
    single = v.get("measure_kind") == "single_stream" and v.get("batch_size") in (None, 1)
    quant_bits = bits.get(v["quant_id"]) if v.get("quant_id") is not None else None
    if single:
        found = _decode_issue(v, model, hw, quant_bits)
        if found:
            return found
    return _prefill_issue(v, model, hw)


def score_issue(v: dict[str, Any]) -> str | None:
    """Why a score is off its benchmark's scale, or None."""
    scale = (v.get("scale") or "").strip().lower()
    low, high = SCALES.get(scale, (0.0, float("inf")))
    if not low <= v["score"] <= high:
        shown = f"[{low:g}, {high:g}]" if high != float("inf") else f">= {low:g}"
        return f"score {v['score']:g} is outside the scale '{scale or 'percent'}' {shown}"
    return None


def row_issue(table: type, v: dict[str, Any], facts: Facts, bits: dict[int, float]) -> str | None:
    """Why a converted user row is physically implausible, or None (tables without checks: None)."""
    if table is orm.Measurement:
        return measurement_issue(v, facts, bits)
    if table is orm.Score:
        return score_issue(v)
    return None
