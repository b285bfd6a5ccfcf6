"""The notes of a recommendation that speak about more than one option: what blocked an empty
answer, what-ifs (more memory, a lighter quantization, a hosted model) and workload caveats.
Each function returns its notes; the pipeline puts them in order."""

from __future__ import annotations

from collections import Counter

from advisor.predict import physics
from advisor.recommend.candidates import Option
from advisor.recommend.constraints import REJECT_LABELS
from advisor.schema import HardwareSpec, Questionnaire


def blocked_by(infeasible: list[Option]) -> str:
    """One sentence counting the configurations each kind of constraint blocked."""
    kinds = Counter(REJECT_LABELS[o.verdict.reject.kind] for o in infeasible
                    if o.verdict is not None and o.verdict.reject is not None)
    return ("No candidate meets every requirement. Blocked by: " +
            ", ".join(f"{k} ({n} configurations)" for k, n in kinds.most_common()) + ".")


def _known(o: Option | None) -> float:
    return o.accuracy_value if o is not None and o.accuracy_value is not None else -1


def memory_what_if(hw: HardwareSpec | None, top: Option | None, infeasible: list[Option]) -> list[str]:
    """With no answer: the device size that holds the smallest configuration memory blocked.
    With one: the device size that runs the most accurate model memory blocked."""
    blocked = [o for o in infeasible if o.verdict and o.verdict.reject and o.verdict.reject.kind == "memory"
               and o.accuracy_value is not None]
    if not blocked or hw is None:
        return []
    if top is None:
        o = min(blocked, key=lambda x: x.figs["memory"])
        return [f"What if: the smallest configuration, {o.model} at {o.quant}, needs "
                f"{o.figs['memory']:.1f} GB: a device with {physics.device_memory_to_hold(o.figs['memory'], hw.kind)} GB "
                f"would hold it (task accuracy {o.accuracy_value:.1f})."]
    best_model = max(blocked, key=lambda x: x.accuracy_value).model_id  # type: ignore[arg-type, return-value]
    o = min((x for x in blocked if x.model_id == best_model), key=lambda x: x.figs["memory"])
    if o.accuracy_value <= _known(top) + 0.5:  # type: ignore[operator]
        return []
    need = physics.device_memory_to_hold(o.figs["memory"], hw.kind)
    return [f"What if: with {need} GB you could run {o.model} at {o.quant} "
            f"(task accuracy {o.accuracy_value:.1f} vs {max(_known(top), 0):.1f})."]


def lighter_quant_hint(top: Option | None, feasible: list[Option]) -> list[str]:
    """A heavier quantization won: what the 4-bit one of the same model would give."""
    if top is None or top.deployment != "local" or top.quant not in ("Q8_0", "F16", "BF16", "Q5_K_M"):
        return []
    lighter = [o for o in feasible if o.model_id == top.model_id and o.quant in ("Q4_K_M", "AWQ-INT4")]
    if not lighter:
        return []
    l0 = max(lighter, key=lambda o: o.figs["decode"])
    return [f"Optimisation: {l0.quant} on {l0.engine} would run {top.model} at about "
            f"{l0.figs['decode']:.0f} tok/s instead of {top.figs['decode']:.0f}, for an estimated "
            f"{(top.accuracy_value - l0.accuracy_value):.1f} points of task accuracy."]  # type: ignore[operator]


def hosted_note(q: Questionnaire, top: Option | None, feasible: list[Option]) -> list[str]:
    """Hosted models left out on request, or the hosted model that beats a local pick."""
    if q.requirements.deployment == "local":
        return ["Hosted API models were not considered (deployment: local); set deployment to 'any' to compare them."]
    if top is None or top.deployment != "local":
        return []
    api = [o for o in feasible if o.deployment == "api" and o.accuracy_value is not None]
    if not api:
        return []
    b = max(api, key=lambda o: o.accuracy_value)  # type: ignore[arg-type, return-value]
    if b.accuracy_value <= _known(top) + 1:  # type: ignore[operator]
        return []
    price = f" at ${b.usd:.2f} per 1M tokens" if b.usd is not None else ""
    return [f"Alternative: the hosted {b.model} scores {b.accuracy_value:.1f}{price}."]


def what_ifs(q: Questionnaire, hw: HardwareSpec | None, ranked: list[Option], infeasible: list[Option],
             feasible: list[Option]) -> list[str]:
    """What would change the answer, in the order a reader wants them."""
    top = ranked[0] if ranked else None
    return memory_what_if(hw, top, infeasible) + lighter_quant_hint(top, feasible) + hosted_note(q, top, feasible)


# what a user can do about an unknown figure, per requirement
UNKNOWN_HINTS = {
    "context": "the context window (add it: `advisor catalog add-model --hf-config PATH` for your own model, or a models.csv row)",
    "min_decode_tok_s": "the decode speed (measure it: `advisor measure --model M --api-base URL`)",
    "max_ttft_ms": "the time to first token (measure it: `advisor measure --model M --api-base URL`)",
    "min_accuracy": "the task accuracy (import published scores: `advisor catalog import scores.csv`)",
}


def unknown_note(ranked: list[Option]) -> list[str]:
    """Which candidates rank last because a requirement was judged on an unknown figure, and
    how to supply it."""
    by_check: dict[str, list[str]] = {}
    for o in ranked:
        for name in (o.verdict.unknown if o.verdict is not None else ()):
            by_check.setdefault(name, []).append(o.model)
    out = []
    for name, models in by_check.items():
        shown = ", ".join(models[:4]) + (f" and {len(models) - 4} more" if len(models) > 4 else "")
        what = UNKNOWN_HINTS.get(name, f"the figure '{name}' judges")
        out.append(f"Unknown, so not counted as met: {what.split(' (')[0]} of {shown}; they rank after every "
                   f"candidate that meets all requirements. Supply {what}.")
    return out


def concurrency_note(q: Questionnaire) -> list[str]:
    n = q.workload.concurrent_requests
    if n <= 1:
        return []
    return [f"Speeds are for one stream; with {n} concurrent requests each user sees less (memory does include their KV caches)."]
