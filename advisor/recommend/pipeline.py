"""`advisor.recommend(questionnaire)`, the product's main job, as its pipeline: questionnaire
-> hardware -> candidates with figures -> accuracy -> constraints -> ranking -> notes ->
prompt set. Each stage returns values; every view (CLI table, JSON, TUI) renders the one
`Recommendation` this returns."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from advisor.recommend.questionnaire import parse_questionnaire
from advisor.schema import HardwareSpec, PromptSet, Questionnaire, Recommendation, Rejected


def recommend(questionnaire: Questionnaire | dict, db_url: str | None = None, with_prompts: bool = True) -> Recommendation:
    """Rank what runs on the questionnaire's hardware (and hosted models) for its use case."""
    from advisor.catalog import open_catalog
    from advisor.predict.predictor import get_predictor
    from advisor.recommend import notes as notes_
    from advisor.recommend.candidates import MAX_CANDIDATES
    from advisor.recommend.hardware import resolve_hardware
    from advisor.recommend.rank import pareto

    q = parse_questionnaire(questionnaire)
    cat = open_catalog(db_url)
    hw, hw_basis = resolve_hardware(cat, q.hardware)  # a bad name fails before any fitting
    snap = cat.snapshot()
    src = _candidate_source(cat, snap, get_predictor(snap))
    opts, notes = _gather(src, q, hw)
    judged = _judge_all(src, opts, q, hw)
    feasible = _ranked([o for o in judged if o.verdict.feasible], q)  # type: ignore[union-attr]
    infeasible = [o for o in judged if not o.verdict.feasible]  # type: ignore[union-attr]
    best = _best_per_model(feasible)
    ranked = best[:MAX_CANDIDATES]
    front = pareto(best)
    notes += notes_.what_ifs(q, hw, ranked, infeasible, feasible)
    if not ranked:
        notes.insert(0, notes_.blocked_by(infeasible))
    notes += notes_.unknown_note(ranked)
    notes += notes_.concurrency_note(q)
    candidates = _candidates(snap, ranked, q)
    prompt_set = None
    if with_prompts and candidates:
        prompt_set, prompt_notes = prompt_set_for(q, candidates[0], db_url)
        notes += prompt_notes
    return Recommendation(
        questionnaire=q, hardware=hw, hardware_basis=hw_basis, candidates=candidates,
        rejected=_rejected(infeasible, {o.model_id for o in best}),
        pareto=[o.key for o in front if o in ranked] or [o.key for o in front][:10],
        notes=notes, prompt_set=prompt_set, catalog_version=snap.version,
    )


def _candidate_source(cat: Any, snap: Any, pred: Any) -> Any:
    """One `CandidateSource` per snapshot (its caches live as long as the snapshot)."""
    from advisor.recommend.candidates import CandidateSource

    src = snap.derived("recommend.candidate_source", lambda s: CandidateSource(cat, s, pred))
    return src if src.pred is pred else CandidateSource(cat, snap, pred)


def _gather(src: Any, q: Questionnaire, hw: HardwareSpec | None) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    """Local options on the hardware and hosted ones, as the deployment asks."""
    opts: list = []  # type: ignore[type-arg]
    notes: list[str] = []
    deployment = q.requirements.deployment
    if deployment in ("local", "any"):
        if hw is None:
            notes.append("No hardware given: local models were not considered (give hardware, or detect: true).")
        else:
            local, local_notes = src.local_options(q, hw)
            opts += local
            notes += local_notes
    if deployment in ("api", "any"):
        opts += src.api_options(q)
    return opts, notes


def _judge_all(src: Any, opts: list, q: Questionnaire, hw: HardwareSpec | None) -> list:  # type: ignore[type-arg]
    """Every option with its accuracy and its verdict on the hard constraints."""
    from advisor.recommend.constraints import judge

    with_acc = src.with_accuracy(opts, q.use_case.task)
    return [replace(o, verdict=judge(o, q, hw, src.snap.models[o.model_id])) for o in with_acc]


def _ranked(feasible: list, q: Questionnaire) -> list:  # type: ignore[type-arg]
    """Feasible options with their utility, best first (ties by model name); those judged on
    an unknown figure after every one that meets all requirements."""
    from advisor.recommend.rank import utilities

    scored = [replace(o, utility=u) for o, u in zip(feasible, utilities(feasible, q.priorities))]
    return sorted(scored, key=lambda o: (not o.verdict.meets, -o.utility, o.model))


def _best_per_model(ranked: list) -> list:  # type: ignore[type-arg]
    """One line per model: its best configuration, in rank order."""
    best: dict[int, Any] = {}
    for o in ranked:
        best.setdefault(o.model_id, o)
    return list(best.values())


def _candidates(snap: Any, ranked: list, q: Questionnaire) -> list:  # type: ignore[type-arg]
    from advisor.recommend.rank import to_candidate, why

    out = []
    for i, o in enumerate(ranked, 1):
        m = snap.models[o.model_id]
        out.append(to_candidate(o, i, why(o, ranked, q.priorities), m.params_b, m.license))
    return out


def _rejected(infeasible: list, feasible_models: set[int]) -> list[Rejected]:  # type: ignore[type-arg]
    """One entry per model no configuration of which is feasible (its least-blocked one:
    the smallest in memory), most accurate first."""
    per_model: dict[int, Any] = {}
    for o in infeasible:
        if o.model_id in feasible_models:
            continue
        cur = per_model.get(o.model_id)
        if cur is None or (o.figs.get("memory", 0) < cur.figs.get("memory", 0)):
            per_model[o.model_id] = o
    ordered = sorted(per_model.values(), key=lambda o: -(o.accuracy_value if o.accuracy_value is not None else -1))
    return [Rejected(model=o.model, quant=o.quant, engine=o.engine, deployment=o.deployment, reason=o.verdict.reject.text)
            for o in ordered]


def prompt_set_for(q: Questionnaire, top: Any, db_url: str | None) -> tuple[PromptSet | None, list[str]]:
    """The prompt set for the top candidate; the answer stands without it (the note says why)."""
    try:
        from advisor.prompts.generate import generate_prompt_set

        model = top.engine if top.deployment == "api" and top.engine else top.model
        return generate_prompt_set(q.use_case.task, model, domain=q.use_case.domain,
                                   context_window=top.context_len, db_url=db_url), []
    except Exception as exc:  # any failure of the prompt step leaves the recommendation whole
        return None, [f"Prompt set not generated: {exc}"]
