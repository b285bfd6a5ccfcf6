"""Recording a measurement in the catalog: the seed-format row (a single-stream user
measurement whose source cites the endpoint without its secrets), and the detected machine as
a user hardware row when the catalog does not know it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from advisor.measure.endpoint import redact_url, served_name
from advisor.measure.runs import MeasureResult

if TYPE_CHECKING:
    from advisor.catalog import Catalog
    from advisor.catalog.register import Registration
    from advisor.hardware_detect import Detection


@dataclass
class Target:
    """The catalog rows a measurement is recorded against (canonical names)."""

    model: str | None
    hardware: str
    n_devices: int
    quant: str | None
    engine: str | None
    hardware_note: str | None = None


def _cell(x: Any) -> str:
    """A CSV cell: '' for None, else the value as text."""
    return "" if x is None else str(x)


def import_user_rows(cat: "Catalog", file: str, rows: list[tuple[int, dict[str, Any]]], label: str) -> int:
    """Import seed-format rows of `file` (e.g. "measurements.csv") as user rows, validated, in
    one transaction; returns how many were imported."""
    from advisor.catalog.seed_io import import_rows
    from advisor.catalog.rows import SPEC_BY_FILE

    return import_rows(cat.engine, SPEC_BY_FILE[file], rows, label)


def _row_notes(result: MeasureResult, target: Target) -> str:
    """The notes column: how it was measured, the spread, the request, the hardware caveat."""
    s = result.summary
    cfg = result.config
    notes = list(result.notes)
    if s.get("ttft_ms_min") is not None:
        notes.append(f"ttft_ms min {s['ttft_ms_min']} max {s['ttft_ms_max']}")
    if s.get("decode_tok_s_min") is not None:
        notes.append(f"decode_tok_s min {s['decode_tok_s_min']} max {s['decode_tok_s_max']}")
    notes.append(f"requested {cfg.prompt_tokens} prompt / {cfg.gen_tokens} generated tokens; "
                 f"measured on {result.started_at[:10]}")
    if target.hardware_note:
        notes.append(target.hardware_note)
    return "; ".join(notes)


def measurement_row(result: MeasureResult, target: Target) -> dict[str, str]:
    """The seed-format measurements row for a measured endpoint (validated by import_rows)."""
    s = result.summary
    cfg = result.config
    engine = target.engine or "unknown"
    citation = (f"advisor measure, {result.started_at}: endpoint {redact_url(cfg.api_base)} "
                f"(served model {served_name(cfg.model)}, engine {engine})")
    return {
        "model": target.model or "", "quant": target.quant or "", "engine": engine,
        "engine_version": "", "hardware": target.hardware, "n_devices": str(target.n_devices),
        "split": "none" if target.n_devices == 1 else "unknown", "batch_size": "1",
        "concurrency": "1", "measure_kind": "single_stream",
        "prompt_tokens": _cell(s.get("prompt_tokens")), "gen_tokens": _cell(s.get("completion_tokens")),
        "context_depth": "0", "prefill_tok_s": _cell(s.get("prefill_tok_s")),
        "decode_tok_s": _cell(s.get("decode_tok_s")), "ttft_ms": _cell(s.get("ttft_ms")),
        "memory_gb": "", "backend": "", "threads": "", "quality": "normal",
        "source": citation, "notes": _row_notes(result, target),
    }


def record(cat: "Catalog", result: MeasureResult, target: Target, new_model: "Registration | None" = None) -> int:
    """Write the measurement, after the model it is of when the catalog lacks it (one
    transaction: both or neither); returns its id."""
    from sqlalchemy import func, select

    from advisor.catalog import orm
    from advisor.catalog.db import read_session
    from advisor.catalog.register import registration_tables
    from advisor.catalog.rows import SPEC_BY_FILE
    from advisor.catalog.seed_io import import_tables

    row = measurement_row(result, target)
    first = registration_tables(new_model, set()) if new_model is not None else []
    import_tables(cat.engine, [*first, (SPEC_BY_FILE["measurements.csv"], [(1, row)])], "advisor measure")
    with read_session(cat.engine) as s:
        src = s.execute(select(orm.Source.id).where(orm.Source.citation == row["source"])).scalar()
        q = select(func.max(orm.Measurement.id)).where(orm.Measurement.origin == orm.USER)
        if src is not None:
            q = q.where(orm.Measurement.source_id == src)
        return int(s.execute(q).scalar() or 0)


def register_detected_hardware(cat: "Catalog", detection: "Detection") -> str:
    """A detected machine the catalog does not know becomes a user hardware row (its
    bandwidth flagged as a measured estimate). Returns the catalog name."""
    spec = detection.spec
    found = cat.find_hardware(spec.name or "")
    if found is not None:
        return found.name
    row = {
        "name": spec.name or "detected machine", "vendor": spec.vendor or "", "kind": spec.kind or "cpu",
        "memory_gb": _cell(spec.memory_gb), "mem_bandwidth_gbs": _cell(spec.mem_bandwidth_gbs),
        "fp16_tflops": _cell(spec.fp16_tflops), "int8_tops": "", "fp16_nontensor_tflops": "",
        "fp32_tflops": _cell(spec.fp32_tflops), "tdp_w": "",
        "source": f"advisor hardware detection on this machine ({datetime.now(timezone.utc).date()})",
        "notes": "; ".join(detection.notes) or "detected by advisor",
    }
    import_user_rows(cat, "hardware.csv", [(1, row)], "detected hardware")
    return row["name"]
