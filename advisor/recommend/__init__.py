"""`advisor.recommend(questionnaire)`: the product's main job. Every view (CLI table, JSON,
TUI) renders the one `Recommendation` this returns."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from pydantic import ValidationError

from advisor.callable_module import make_callable
from advisor.errors import InputError
from advisor.schema import Questionnaire, Recommendation, Rejected

__all__ = ["recommend", "parse_questionnaire"]


def parse_questionnaire(data: Any, where: str = "questionnaire") -> Questionnaire:
    """Validate a dict (JSON) into a Questionnaire; errors name the field."""
    if isinstance(data, Questionnaire):
        return data
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        msgs = []
        for e in exc.errors():
            loc = ".".join(str(p) for p in e["loc"]) or where
            msgs.append(f"{loc}: {e['msg']}")
        raise InputError(f"{where}: invalid: " + "; ".join(msgs)) from None


def recommend(questionnaire: Questionnaire | dict, db_url: str | None = None, with_prompts: bool = True) -> Recommendation:
    from advisor.catalog import open_catalog
    from advisor.predict.predictor import get_predictor
    from advisor.recommend.engine import MAX_CANDIDATES
    from advisor.recommend.hardware import resolve_hardware
    from advisor.recommend.rank import pareto, score_options, to_candidate, why

    q = parse_questionnaire(questionnaire)
    cat = open_catalog(db_url)
    hw, hw_basis = resolve_hardware(cat, q.hardware)  # a bad name fails before any fitting
    snap = cat.snapshot()
    pred = get_predictor(snap)
    rec = _recommender(cat, snap, pred)
    rec._notes = []
    task = q.use_case.task
    deployment = q.requirements.deployment
    opts = []
    if deployment in ("local", "any"):
        if hw is None:
            rec._notes.append("No hardware given: local models were not considered (give hardware, or detect: true).")
        else:
            opts += rec.local_options(q, hw, task)
    if deployment in ("api", "any"):
        opts += rec.api_options(q)
    rec.acc.preload(task, sorted({o.model_id for o in opts}))
    for o in opts:
        o.accuracy = rec.acc.get(o.model_id, task).quantized(pred.scores.quant_curve, o.bits) if o.deployment == "local" else rec.acc.get(o.model_id, task)
        rec.judge(o, q, hw)
    feasible = [o for o in opts if o.reject is None]
    infeasible = [o for o in opts if o.reject is not None]
    score_options(feasible, q.priorities)
    feasible.sort(key=lambda o: (-o.utility, o.model))
    # one line per model: its best configuration
    best: dict[int, Any] = {}
    for o in feasible:
        best.setdefault(o.model_id, o)
    ranked = list(best.values())[:MAX_CANDIDATES]
    front = pareto(list(best.values()))
    candidates = []
    for i, o in enumerate(ranked, 1):
        m = snap.models[o.model_id]
        candidates.append(to_candidate(o, i, why(o, ranked, q.priorities), m.params_b, m.license))
    # rejected: one entry per model (its least-blocked configuration), most accurate first
    feasible_models = set(best)
    per_model: dict[int, Any] = {}
    for o in infeasible:
        if o.model_id in feasible_models:
            continue
        cur = per_model.get(o.model_id)
        if cur is None or (o.figs.get("memory", 0) < cur.figs.get("memory", 0)):
            per_model[o.model_id] = o
    rej_sorted = sorted(per_model.values(), key=lambda o: -(o.accuracy.value if o.accuracy and o.accuracy.value is not None else -1))
    rejected = [Rejected(model=o.model, quant=o.quant, engine=o.engine, deployment=o.deployment, reason=o.reject or "")
                for o in rej_sorted]
    notes = list(rec._notes)
    notes += _what_ifs(q, hw, ranked, infeasible, feasible)
    if not candidates:
        reasons = Counter(_reason_kind(o.reject or "") for o in infeasible)
        notes.insert(0, "No candidate meets every requirement. Blocked by: " +
                     ", ".join(f"{k} ({n} configurations)" for k, n in reasons.most_common()) + ".")
    if q.workload.concurrent_requests > 1:
        notes.append(f"Speeds are for one stream; with {q.workload.concurrent_requests} concurrent requests each user sees less (memory does include their KV caches).")
    result = Recommendation(
        questionnaire=q, hardware=hw, hardware_basis=hw_basis, candidates=candidates,
        rejected=rejected, pareto=[o.key for o in front if o in ranked] or [o.key for o in front][:10],
        notes=notes, catalog_version=snap.version,
    )
    if with_prompts and candidates:
        result.prompt_set = _prompt_set(q, candidates[0], db_url, notes)
    return result


_RECOMMENDERS: dict[str, Any] = {}


def _recommender(cat: Any, snap: Any, pred: Any) -> Any:
    from advisor.recommend.engine import Recommender

    r = _RECOMMENDERS.get(snap.version)
    if r is None or r.pred is not pred:
        _RECOMMENDERS.clear()
        r = _RECOMMENDERS[snap.version] = Recommender(cat, snap, pred)
    return r


def _reason_kind(reason: str) -> str:
    for key, label in (("needs", "memory"), ("context", "context window"), ("license", "license"),
                       ("decode", "minimum speed"), ("first token", "time to first token"),
                       ("per 1M", "price"), ("accuracy", "accuracy"), ("price", "price")):
        if key in reason:
            return label
    return reason


def _what_ifs(q: Questionnaire, hw: Any, ranked: list, infeasible: list, feasible: list) -> list[str]:
    notes: list[str] = []
    top = ranked[0] if ranked else None
    top_acc = top.accuracy.value if top and top.accuracy and top.accuracy.value is not None else -1
    # memory: the most accurate configuration blocked only by memory
    mem_blocked = [o for o in infeasible if (o.reject or "").startswith("needs ") and o.accuracy and o.accuracy.value is not None]
    if mem_blocked and hw is not None and top is None:
        from advisor.predict import physics

        o = min(mem_blocked, key=lambda x: x.figs["memory"])
        frac = physics.USABLE_MEMORY_FRACTION.get(hw.kind or "gpu", 0.9)
        notes.append(f"What if: the smallest configuration, {o.model} at {o.quant}, needs "
                     f"{o.figs['memory']:.1f} GB: a device with {math.ceil(o.figs['memory'] / frac)} GB "
                     f"would hold it (task accuracy {o.accuracy.value:.1f}).")
    elif mem_blocked and hw is not None:
        best_model = max(mem_blocked, key=lambda x: x.accuracy.value).model_id
        o = min((x for x in mem_blocked if x.model_id == best_model), key=lambda x: x.figs["memory"])
        if o.accuracy.value > top_acc + 0.5:
            from advisor.predict import physics

            frac = physics.USABLE_MEMORY_FRACTION.get(hw.kind or "gpu", 0.9)
            need = math.ceil(o.figs["memory"] / frac)
            notes.append(f"What if: with {need} GB you could run {o.model} at {o.quant} "
                         f"(task accuracy {o.accuracy.value:.1f} vs {max(top_acc, 0):.1f}).")
    if top is not None and top.deployment == "local" and top.quant in ("Q8_0", "F16", "BF16", "Q5_K_M"):
        lighter = [o for o in feasible if o.model_id == top.model_id and o.quant in ("Q4_K_M", "AWQ-INT4")]
        if lighter:
            l0 = max(lighter, key=lambda o: o.figs["decode"])
            notes.append(f"Optimisation: {l0.quant} on {l0.engine} would run {top.model} at about "
                         f"{l0.figs['decode']:.0f} tok/s instead of {top.figs['decode']:.0f}, for an estimated "
                         f"{(top.accuracy.value - l0.accuracy.value):.1f} points of task accuracy.")
    if q.requirements.deployment == "local":
        notes.append("Hosted API models were not considered (deployment: local); set deployment to 'any' to compare them.")
    elif top is not None and top.deployment == "local":
        api = [o for o in feasible if o.deployment == "api" and o.accuracy and o.accuracy.value is not None]
        if api:
            b = max(api, key=lambda o: o.accuracy.value)
            if b.accuracy.value > top_acc + 1:
                price = f" at ${b.usd:.2f} per 1M tokens" if b.usd is not None else ""
                notes.append(f"Alternative: the hosted {b.model} scores {b.accuracy.value:.1f}{price}.")
    return notes


def _prompt_set(q: Questionnaire, top: Any, db_url: str | None, notes: list[str]) -> Any:
    try:
        from advisor.prompts.generate import generate_prompt_set

        model = top.engine if top.deployment == "api" and top.engine else top.model
        return generate_prompt_set(q.use_case.task, model, domain=q.use_case.domain,
                                   context_window=top.context_len, db_url=db_url)
    except Exception as exc:  # the answer stands without prompts; say why
        notes.append(f"Prompt set not generated: {exc}")
        return None


make_callable(__name__, lambda: recommend)
