"""Application profiles and the ranking settings they give: the utility's weights, the speed
that is enough for the task, the first-token budget and the accuracy margin. A value the
questionnaire gives explicitly wins over the profile's; the resolved settings say where each
came from, so the answer can show them.

The speed needs are general knowledge, not measurements: people read about 250 words a minute
(about 5 tokens/s), so a chat answer streaming at twice that stays ahead of its reader; code and
reasoning traces are skimmed and long, and agents chain several generations per step, so they
need more; batch extraction is consumed by programs. They set where speed stops adding much
value (`advisor/recommend/rank.py`), not a hard minimum (that is `min_decode_tok_s`)."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.schema import Questionnaire, RankingSettings

TASK_ENOUGH_TOK_S: dict[str, float] = {
    "chat": 10.0, "creative-writing": 10.0, "rag": 10.0, "translation": 10.0, "summarization": 15.0,
    "classification": 10.0, "extraction": 20.0, "code": 20.0, "math": 20.0, "reasoning": 20.0, "agent": 25.0,
}
"""Decode speed (tokens/s, one stream) beyond which more speed adds little, per task."""

TASK_TTFT_BUDGET_MS: dict[str, float] = {"chat": 10_000.0, "rag": 10_000.0}
"""First-token budget of a dialogue whose every turn prefills a long prompt (chat: the
conversation so far; rag: its documents), where the profile sets none: 10 s, the limit of keeping
a user's attention on a waiting dialogue (Nielsen's response-time limits, general knowledge). A
32k-token RAG prompt on a 27B model on a Mac takes minutes, and a 1,000-token chat turn on a Pi 5
over a minute for an 8B MoE (its measured prefill is 90-220 tok/s for 350M-700M models); a GPU
is well within it and loses nothing."""


@dataclass(frozen=True)
class Profile:
    """What a kind of application puts first."""

    name: str
    accuracy: float
    speed: float
    cost: float
    footprint: float
    speed_factor: float          # times the task's enough speed
    ttft_budget_ms: float | None  # counted in the speed term when set
    accuracy_margin: float       # points below the best usable accuracy that still do the job
    doc: str


PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("balanced", 0.6, 0.25, 0.15, 0.0, 1.0, None, 10.0,
            "the priorities as given: accuracy first, then speed, then price"),
    Profile("real-time", 0.3, 0.55, 0.15, 0.0, 3.0, 1000.0, 10.0,
            "speed and time to first token first: three times the task's speed need and a 1 s first-token budget"),
    Profile("high-precision", 0.8, 0.15, 0.05, 0.0, 0.5, None, 3.0,
            "accuracy first: half the task's speed need is enough, and only candidates within 3 points "
            "of the most accurate usable one do the job"),
    Profile("resource-constrained", 0.3, 0.15, 0.1, 0.45, 1.0, None, 8.0,
            "the smallest footprint that does the job: memory left free weighs most"),
)}


def ranking_settings(q: Questionnaire) -> RankingSettings:
    """The weights and needs the ranking uses for `q`: each explicit priority field wins over
    the profile's value."""
    prof = PROFILES[q.use_case.profile]
    given = q.priorities.model_fields_set
    task = q.use_case.task
    origin: dict[str, str] = {}

    def pick(name: str, profile_value: float | None, default_origin: str | None = None) -> float | None:
        if name in given:
            origin[name] = "given"
            return getattr(q.priorities, name)  # type: ignore[no-any-return]
        origin[name] = default_origin or f"profile {prof.name}"
        return profile_value

    weights = {k: pick(k, getattr(prof, k)) for k in ("accuracy", "speed", "cost", "footprint")}
    if sum(weights.values()) <= 0:  # type: ignore[arg-type]
        weights = {k: getattr(prof, k) for k in weights}  # explicit zeros for the profile's weights only
    enough = pick("enough_decode_tok_s", TASK_ENOUGH_TOK_S.get(task, 10.0) * prof.speed_factor,
                  f"task {task}, profile {prof.name}")
    return RankingSettings(
        profile=prof.name, **weights, enough_decode_tok_s=enough,  # type: ignore[arg-type]
        ttft_budget_ms=pick("ttft_budget_ms", prof.ttft_budget_ms if prof.ttft_budget_ms is not None
                            else TASK_TTFT_BUDGET_MS.get(task),
                            None if prof.ttft_budget_ms is not None or task not in TASK_TTFT_BUDGET_MS
                            else f"task {task}"),
        accuracy_margin=pick("accuracy_margin", prof.accuracy_margin), origin=origin,
    )
