"""`advisor measure` as one object: open it with the options (every name resolved, nothing
sent yet), then `run()` measures the endpoint and records the result unless a dry run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from advisor.measure.endpoint import redact_url
from advisor.measure.record import Target, record, register_detected_hardware
from advisor.measure.runs import MeasureResult, Progress, measure_endpoint
from advisor.measure.target import MeasureOptions, MeasurePlan, api_key_from_env, resolve_plan

if TYPE_CHECKING:
    from advisor.catalog import Catalog

# the summary figures of the JSON answer, in its order
JSON_FIGURES = ("runs", "ttft_ms", "ttft_ms_min", "ttft_ms_max", "decode_tok_s", "decode_tok_s_min",
                "decode_tok_s_max", "prefill_tok_s", "prompt_tokens", "completion_tokens",
                "tokens_estimated", "total_s")


@dataclass
class MeasureOutcome:
    """A finished measurement: the runs, what it was recorded against, and its catalog id."""

    result: MeasureResult
    target: Target
    served_model: str
    recorded: bool = False
    measurement_id: int | None = None
    new_model: str | None = None  # the model registered with it (the catalog lacked it)
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> dict[str, Any]:
        """Medians with min and max (see `summarize`)."""
        return self.result.summary

    @property
    def api_base(self) -> str:
        """The endpoint measured, without user, password or query (keys hide there)."""
        return redact_url(self.result.config.api_base)

    def as_json(self) -> dict[str, Any]:
        """The `--json` answer: the served model, the endpoint without secrets, the figures, and
        whether (and as which id) it was recorded."""
        return {"model": self.served_model, "api_base": self.api_base,
                **{k: self.summary[k] for k in JSON_FIGURES},
                "recorded": self.recorded, "measurement_id": self.measurement_id,
                "catalog_model": self.target.model, "new_model": self.new_model, "notes": list(self.notes)}


class MeasureSession:
    """A resolved measurement against one catalog, ready to run."""

    def __init__(self, cat: "Catalog", plan: MeasurePlan) -> None:
        """Use `MeasureSession.open`; this takes an already resolved plan."""
        self.catalog = cat
        self.plan = plan

    @classmethod
    def open(cls, options: MeasureOptions, db_url: str | None = None,
             announce: Callable[[str], None] | None = None) -> "MeasureSession":
        """Check the options, read the API key, open the catalog and resolve every name, so
        that a mistake is reported before any time is spent on the endpoint."""
        from advisor.catalog import open_catalog

        options.check()
        api_key = api_key_from_env(options.api_key_env)
        cat = open_catalog(db_url)
        return cls(cat, resolve_plan(cat, options, api_key, announce))

    def run(self, progress: Progress | None = None) -> MeasureOutcome:
        """Measure the endpoint; unless a dry run, register a detected machine the catalog does
        not know and record the measurement. Raises MeasureError (nothing recorded then)."""
        plan = self.plan
        result = measure_endpoint(plan.config, progress=progress)
        if plan.dry_run:
            return MeasureOutcome(result, plan.target, plan.served_model, notes=plan.notes)
        target = plan.target
        if plan.detection is not None and plan.detection.catalog_name is None:
            target = replace(target, hardware=register_detected_hardware(self.catalog, plan.detection))
        measurement_id = record(self.catalog, result, target, plan.new_model)
        new = plan.new_model.name if plan.new_model is not None else None
        return MeasureOutcome(result, target, plan.served_model, True, measurement_id, new, plan.notes)
