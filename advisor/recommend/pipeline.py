"""`advisor.recommend(questionnaire)`, the product's main job, as its pipeline: questionnaire
-> hardware -> candidates with figures -> accuracy -> constraints -> ranking -> notes ->
prompt set. Each stage returns values; every view (CLI table, JSON, TUI) renders the one
`Recommendation` this returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from advisor.recommend.candidates import MAX_CANDIDATES, Option
from advisor.recommend.profiles import ranking_settings
from advisor.recommend.questionnaire import parse_questionnaire
from advisor.recommend.table import Accuracy, CandidateTable, concat
from advisor.schema import HardwareSpec, PromptSet, Questionnaire, RankingSettings, Recommendation, Rejected


def recommend(questionnaire: Questionnaire | dict, db_url: str | None = None, with_prompts: bool = True) -> Recommendation:
    """Rank what runs on the questionnaire's hardware (and hosted models) for its use case."""
    from advisor.catalog.read import catalog_snapshot
    from advisor.predict.predictor import get_predictor
    from advisor.recommend.hardware import resolve_hardware

    q = parse_questionnaire(questionnaire)
    snap = catalog_snapshot(db_url)
    hw, hw_basis = resolve_hardware(snap, q.hardware)  # a bad name fails before any fitting
    src = _candidate_source(snap, get_predictor(snap))
    settings = ranking_settings(q)
    today = date.today()  # which hosted models their providers still serve
    table, hosted, notes = _gather(src, q, hw, today)
    acc = src.accuracy_of(table, q.use_case.task)
    answer = rank_table(table, acc, q, snap, settings=settings)
    alternatives = _alternatives(src, hosted, q, snap, settings)
    notes += _notes(q, hw, hw_basis, table, acc, answer, snap, alternatives, today)
    if q.requirements.deployment != "local":  # hosted models ranked, or compared beside the local answer
        from advisor.recommend.notes import retired_note

        notes += retired_note(src.retired_hosted(today), today)
    if not answer.shown:
        from advisor.recommend.notes import blocked_by

        notes.insert(0, blocked_by(answer.judgement))
    candidates = _candidates(snap, answer, q)
    prompt_set = None
    if with_prompts and candidates:
        prompt_set, prompt_notes = prompt_set_for(q, candidates[0], db_url)
        notes += prompt_notes
    return Recommendation(
        questionnaire=q, hardware=hw, hardware_basis=hw_basis, candidates=candidates,
        api_alternatives=_candidates(snap, alternatives, q) if alternatives else [],
        rejected=_rejected(table, acc, answer, q, snap), ranking=answer.settings, pareto=answer.pareto, notes=notes,
        prompt_set=prompt_set, catalog_version=snap.version,
    )


API_ALTERNATIVES = 5


def _alternatives(src: Any, hosted: CandidateTable | None, q: Questionnaire, snap: Any,
                  settings: RankingSettings) -> "Ranking | None":
    """Hosted models ranked on their own, beside a local answer (deployment auto)."""
    if hosted is None or not len(hosted):
        return None
    return rank_table(hosted, src.accuracy_of(hosted, q.use_case.task), q, snap, API_ALTERNATIVES, settings)


@dataclass(frozen=True)
class Ranking:
    """What ranking decided: the judgement of every row, the feasible rows with their utility,
    best first, one per model (`best`), the shown options with their utility terms, the Pareto
    front's keys and the settings used (with the accuracy floor)."""

    judgement: Any
    feasible: np.ndarray
    utility: np.ndarray       # per row of `feasible`
    best: np.ndarray          # one row per model, in rank order
    shown: list[Option]
    pareto: list[str]
    settings: RankingSettings
    terms: list[dict[str, float]]   # per shown option
    below_floor: list[bool]          # per shown option
    too_slow: list[bool]             # per shown option: under half the speed need


def rank_table(t: CandidateTable, acc: Accuracy, q: Questionnaire, snap: Any, limit: int = MAX_CANDIDATES,
               settings: RankingSettings | None = None) -> Ranking:
    """Judge every row, rank the feasible ones in the tiers of `advisor.recommend.utility`
    (meets every requirement, usable speed, above the accuracy floor), then by utility (ties by
    model name); keep each model's best row; the pick is not a toy where a larger model shares
    its tiers."""
    from advisor.recommend.candidates import option_of, row_key
    from advisor.recommend.constraints import judge_table, verdict_of
    from advisor.recommend.utility import utilities

    settings = settings or ranking_settings(q)
    j = judge_table(t, acc, q, snap)
    feasible = np.flatnonzero(j.feasible)
    u = utilities(t, acc, feasible, settings)
    util = u.value
    params = t.per_model(lambda m: snap.models[m].params_b or np.nan)[feasible]
    meets = j.meets[feasible]
    order = u.order(meets, [snap.models[int(m)].name for m in t.model_id[feasible]])
    _, first = np.unique(t.model_id[feasible[order]], return_index=True)  # each model's best row
    picked = u.not_toy_first(order[np.sort(first)], meets, params)
    best, best_util = feasible[picked], util[picked]
    ctx, conc = q.workload.effective_context, q.workload.concurrent_requests

    def opt(k: int) -> Option:
        row = int(best[k])
        return option_of(t, acc, row, snap, ctx, conc, verdict_of(t, acc, j, row, q, snap), float(best_util[k]))

    n = min(limit, len(best))
    shown = [opt(k) for k in range(n)]
    front = [row_key(t, int(best[k]), snap) for k in pareto_rows(t, acc, best)]
    keys = {o.key for o in shown}
    floor = None if u.floor is None else round(u.floor, 1)
    return Ranking(j, feasible, util, best, shown, [k for k in front if k in keys] or front[:10],
                   settings.model_copy(update={"accuracy_floor": floor}),
                   [u.terms_of(picked[k]) for k in range(n)], [bool(u.below_floor[picked[k]]) for k in range(n)],
                   [not bool(u.usable[picked[k]]) for k in range(n)])


def pareto_rows(t: CandidateTable, acc: Accuracy, rows: np.ndarray) -> list[int]:
    """Positions in `rows` no other row beats on accuracy, speed and cost at once."""
    v = np.column_stack([np.nan_to_num(acc.value[rows], nan=-1), np.nan_to_num(t.fig("decode")[rows], nan=0.0),
                         np.where(t.local[rows], 0.0, -np.nan_to_num(t.usd[rows], nan=0.0))])
    out: list[int] = []
    for start in range(0, len(rows), 256):  # blocks of rows x all rows: bounded memory
        block = v[start:start + 256, None, :]
        dominated = (np.all(v[None] >= block, axis=2) & np.any(v[None] > block, axis=2)).any(axis=1)
        out += [start + i for i in np.flatnonzero(~dominated)]
    return out


def _candidate_source(snap: Any, pred: Any) -> Any:
    """One `CandidateSource` per snapshot (its caches live as long as the snapshot)."""
    from advisor.recommend.source import CandidateSource

    src = snap.derived("recommend.candidate_source", lambda s: CandidateSource(s, pred))
    return src if src.pred is pred else CandidateSource(snap, pred)


def _gather(src: Any, q: Questionnaire, hw: HardwareSpec | None,
            today: date) -> tuple[CandidateTable, CandidateTable | None, list[str]]:
    """The rows to rank (local on the hardware, hosted, or both, as the deployment asks) and,
    under `auto` with hardware, the hosted rows to compare beside them."""
    tables: list[CandidateTable] = []
    notes: list[str] = []
    asked = q.requirements.deployment
    deployment = ("local" if hw is not None else "api") if asked == "auto" else asked
    if asked == "auto" and hw is None:
        notes.append("No hardware given: hosted API models are ranked (give hardware, or detect: true, "
                     "to see what runs locally).")
    if deployment in ("local", "any"):
        if hw is None:
            notes.append("No hardware given: local models were not considered (give hardware, or detect: true).")
        else:
            tables.append(src.local_table(q, hw))
            if src.base_models:
                notes.append(f"{src.base_models} base (pretrained, not instruction-tuned) models were not considered "
                             f"for '{q.use_case.task}'.")
    if deployment in ("api", "any"):
        tables.append(src.api_table(q, today))
    hosted = src.api_table(q, today) if asked == "auto" and hw is not None else None
    return concat(tables), hosted, notes


def _notes(q: Questionnaire, hw: HardwareSpec | None, hw_basis: str | None, t: CandidateTable, acc: Accuracy,
           answer: Ranking, snap: Any, alternatives: Ranking | None, today: date) -> list[str]:
    from advisor.recommend import levers
    from advisor.recommend import notes as notes_

    top = answer.shown[0] if answer.shown else None
    order = answer.feasible[np.argsort(-answer.utility, kind="stable")]
    out = notes_.what_ifs(q, hw, top, t, acc, answer.judgement, order, snap, answer.settings.enough_decode_tok_s)
    out += levers.kv_fit_what_if(q, top, t, acc, answer.judgement, snap) + levers.kv_sessions_what_if(q, top)
    out += notes_.hosted_alternative(q, top, alternatives.shown if alternatives else [])
    hosted_shown = [o for o in answer.shown if o.deployment != "local"] + (alternatives.shown if alternatives else [])
    out += notes_.retiring_note(hosted_shown, today)
    hw_id = snap.find_id("hardware", hw.name) if hw is not None else None
    out += notes_.detection_note(hw, hw_basis) + notes_.variant_note(q, hw, hw_basis, snap)
    out += notes_.override_note(hw, hw_basis, snap)
    out += notes_.assumed_note(hw, hw_basis, snap)
    out += notes_.measure_hint(hw, hw_basis, snap.hw_measurement_count.get(hw_id, 0) if hw_id is not None else 0)
    out += notes_.document_prompt_note(q)
    return out + notes_.unknown_note(answer.shown) + notes_.floor_note(answer) + notes_.concurrency_note(q)


def _candidates(snap: Any, answer: Ranking, q: Questionnaire) -> list:  # type: ignore[type-arg]
    from advisor.recommend.rank import to_candidate, why
    from advisor.recommend.utility import is_toy

    def toy(o: Any) -> bool:
        return bool(is_toy(snap.models[o.model_id].params_b))

    out = []
    ranked = answer.shown
    for i, o in enumerate(ranked, 1):
        m = snap.models[o.model_id]
        terms, below, slow = answer.terms[i - 1], answer.below_floor[i - 1], answer.too_slow[i - 1]
        passed_over = i > 1 and toy(o) and not toy(ranked[0]) and o.utility > ranked[0].utility
        out.append(to_candidate(o, i, why(o, ranked, answer.settings, terms, below, slow,
                                          q.workload.concurrent_requests, passed_over),
                                m.params_b, m.license, terms, below, slow, q))
    return out


def _rejected(t: CandidateTable, acc: Accuracy, answer: Ranking, q: Questionnaire, snap: Any) -> list[Rejected]:
    """One entry per model no configuration of which is feasible (its least-blocked one:
    the smallest in memory), most accurate first."""
    from advisor.recommend.constraints import reject_of

    rows = np.flatnonzero(~answer.judgement.feasible & ~np.isin(t.model_id, t.model_id[answer.feasible]))
    rows = rows[np.lexsort((np.nan_to_num(t.fig("memory")[rows], nan=0.0), t.model_id[rows]))]
    _, first = np.unique(t.model_id[rows], return_index=True)  # each model's smallest row
    rows = np.sort(rows[first])  # in table order, as ties in accuracy keep it
    ordered = rows[np.argsort(-np.nan_to_num(acc.value[rows], nan=-1.0), kind="stable")]
    out = []
    for row in map(int, ordered):
        cfg = t.configs[row]
        out.append(Rejected(model=snap.models[int(t.model_id[row])].name, quant=cfg[1] if cfg else None,
                            engine=cfg[0] if cfg else t.api_key[row], deployment="local" if t.local[row] else "api",
                            reason=reject_of(t, acc, answer.judgement, row, q, snap).text))  # type: ignore[union-attr]
    return out


def prompt_set_for(q: Questionnaire, top: Any, db_url: str | None) -> tuple[PromptSet | None, list[str]]:
    """The prompt set for the top candidate; the answer stands without it (the note says why)."""
    try:
        from advisor.prompts.generate import generate_prompt_set

        model = top.engine if top.deployment == "api" and top.engine else top.model
        return generate_prompt_set(q.use_case.task, model, domain=q.use_case.domain,
                                   context_window=top.context_len, db_url=db_url), []
    except Exception as exc:  # any failure of the prompt step leaves the recommendation whole
        return None, [f"Prompt set not generated: {exc}"]
