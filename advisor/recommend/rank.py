"""The shown options in words: reasons in plain sentences with the utility's
terms, the sessions a configuration holds, and the `Candidate` each ranked option becomes."""

from __future__ import annotations

import math

from advisor.recommend.candidates import Option
from advisor.recommend.utility import TERMS, TOY_PARAMS_B, UNKNOWN_TERM
from advisor.schema import Candidate, FigureBasis, Figures, Questionnaire, RankingSettings


def why(o: Option, ranked: list[Option], s: RankingSettings, terms: dict[str, float] | None = None,
        below_floor: bool = False, too_slow: bool = False, concurrent: int = 1, toy: bool = False) -> list[str]:
    """Plain sentences on what this option gives and what it gives up against the others, and
    the utility's terms."""
    out: list[str] = []
    best_acc = max((x.accuracy.value for x in ranked if x.accuracy and x.accuracy.value is not None), default=None)
    a = o.accuracy
    if a and a.value is not None:
        lead = "the highest task accuracy among feasible candidates" if best_acc is not None and a.value >= best_acc - 1e-9 else f"task accuracy {a.value:.1f}"
        out.append(f"{lead[0].upper() + lead[1:]} ({a.value:.1f}; {a.detail()}).")
    out += _local_why(o, ranked, s, concurrent) if o.deployment == "local" else [_hosted_why(o)]
    if best_acc is not None and a and a.value is not None and a.value < best_acc - 0.5:
        better = max(ranked, key=lambda x: x.accuracy.value if x.accuracy and x.accuracy.value is not None else -1)
        out.append(f"Gives up accuracy: {better.key} scores {best_acc:.1f} but ranks lower on your priorities.")
    if too_slow:
        out.append(f"Under half the {s.enough_decode_tok_s:g} tok/s the use case needs: ranked after the "
                   f"candidates fast enough to use.")
    if below_floor and s.accuracy_floor is not None:
        out.append(f"Below the accuracy floor of {s.accuracy_floor:.1f} points: ranked after the candidates that "
                   f"do the job, whatever its speed.")
    if toy:
        out.append(f"Under {TOY_PARAMS_B:g}B parameters: the pick is a larger model that does the job as well "
                   f"(the same tiers), though this one's utility is higher.")
    if terms:
        out.append(utility_sentence(o.utility, terms, s))
    return out


def utility_sentence(value: float, terms: dict[str, float], s: RankingSettings) -> str:
    """`Utility 0.82 = (0.5 x accuracy 0.71 + ...) / 1.0 (profile balanced)`, weights above 0 only."""
    weights = {k: float(getattr(s, k)) for k in TERMS}
    parts = " + ".join(f"{w:g} x {k} {terms[k]:.2f}" for k, w in weights.items() if w > 0 and k in terms)
    return f"Utility {value:.3f} = ({parts}) / {sum(weights.values()):g} (profile {s.profile})."


def speed_text(tok_s: float, need: float) -> str:
    """Tokens/s in whole numbers, with a decimal below 10 or where rounding would put it on the
    need itself ("about 9.7 tokens/s, below the 10 tok/s the use case needs", not "about 10")."""
    if tok_s >= 10 and round(tok_s) != round(need):
        return f"{tok_s:.0f}"
    text = f"{tok_s:.1f}"
    if tok_s < need and float(text) >= need:  # 9.96 below 10 reads 9.9, not 10.0
        text = f"{math.floor(tok_s * 10) / 10:.1f}"
    return text


def _local_why(o: Option, ranked: list[Option], s: RankingSettings, concurrent: int) -> list[str]:
    sessions = sessions_of(o, concurrent)
    d = o.figs["decode"]
    kind = o.basis["decode_tok_s"].basis
    rng = "" if kind == "measured" else f", 80 %: {o.figs['decode_low']:.0f}-{o.figs['decode_high']:.0f}"
    need = s.enough_decode_tok_s
    pace = f"{d / need:.1f}x the {need:g} tok/s the use case needs" if d >= need else f"below the {need:g} tok/s the use case needs"
    usable = f" of {o.usable_gb:.1f} GB usable" if o.usable_gb else ""
    out = [f"Generates about {speed_text(d, need)} tokens/s for one user ({kind}{rng}), {pace}; fits with "
           f"{o.figs['memory']:.1f} GB needed{usable}."]
    if s.ttft_budget_ms is not None:
        out += _first_token_why(o, ranked, s.ttft_budget_ms)
    if sessions is not None and sessions > 1:
        out.append(f"Holds {sessions} sessions at once at this context (KV cache "
                   f"{o.figs['kv_gb'] / max(concurrent, 1):.2f} GB each; each stream slows as they share bandwidth).")
    fastest = max(ranked, key=lambda x: x.figs.get("decode") or 0)
    if d < need and (fastest.figs.get("decode") or 0) > d * 1.3:
        out.append(f"Gives up speed: {fastest.key} is faster ({fastest.figs['decode']:.0f} tok/s).")
    if o.offload is not None:
        out.append(f"Runs with {offload_text(o)}.")
    if o.uses_user_measurement:
        out.append("Uses your team's own measurement from the catalog.")
    out.append("Runs locally: no per-token cost.")
    return out


def seconds_text(ms: float) -> str:
    """A duration in seconds, to two significant figures below 10 s ("0.62 s", "4.8 s", "178 s")."""
    sec = ms / 1000
    return f"{sec:.2f} s" if sec < 1 else f"{sec:.1f} s" if sec < 10 else f"{sec:,.0f} s"


def _first_token_why(o: Option, ranked: list[Option], budget_ms: float) -> list[str]:
    """The first token against the budget the speed term counts it against, and what gives up
    less of it (a 27B model's 3-minute first token on a 32k RAG prompt was never said)."""
    basis = o.basis.get("ttft_ms")
    t = o.figs.get("ttft")
    if t is None or basis is None or basis.basis == "unknown":
        return [f"First token: unknown ({basis.detail if basis else 'no figure'}); the {seconds_text(budget_ms)} "
                f"first-token budget counts it at {UNKNOWN_TERM:g} of its worth."]
    rng = ("" if basis.basis == "measured" else
           f", 80 %: {seconds_text(o.figs['ttft_low']).removesuffix(' s')}-{seconds_text(o.figs['ttft_high'])}")
    times = t / budget_ms
    against = (f"within the {seconds_text(budget_ms)} first-token budget" if t <= budget_ms
               else f"{times:.1f}x the {seconds_text(budget_ms)} first-token budget" if times < 10
               else f"{times:.0f}x the {seconds_text(budget_ms)} first-token budget")
    out = [f"First token after about {seconds_text(t)} ({basis.basis}{rng}), {against}."]
    sooner = min(ranked, key=lambda x: x.figs.get("ttft") or math.inf)
    if t > budget_ms and (sooner.figs.get("ttft") or math.inf) * 2 < t:
        out.append(f"Gives up first-token time: {sooner.key} answers after about {seconds_text(sooner.figs['ttft'])}.")
    return out


def offload_text(o: Option) -> str | None:
    """How an offloaded option runs: mode, flags, what stays where."""
    p = o.offload
    if p is None:
        return None
    what = "MoE experts" if p.mode == "experts" else "layers"
    return (f"{what} in system memory ({p.flags}): {p.gpu_gb:.1f} GB on the GPU, {p.host_gb:.1f} GB of weights "
            f"in system memory; {p.gpu_share:.0%} of the bytes read per token on the GPU")


def _hosted_why(o: Option) -> str:
    speed = (f"about {o.figs['decode']:.0f} tokens/s output (published)" if o.figs.get("decode")
             else "output speed not measured")
    ttft = f", first token in about {o.figs['ttft']:,.0f} ms (published)" if o.figs.get("ttft") else ""
    price = f" at about ${o.usd:.2f} per 1M tokens for this workload" if o.usd is not None else ""
    return f"Hosted API{price}; {speed}{ttft}."


def kv_room(o: Option, concurrent: int) -> tuple[float, float] | None:
    """(GB the usable memory leaves for KV caches, GB of one session's cache at the asked
    context): all but the KV caches is held once. None for hosted models or an unknown KV size."""
    f = o.figs
    if o.deployment != "local" or not o.usable_gb or "kv_gb" not in f or "memory" not in f:
        return None
    per_session = f["kv_gb"] / max(concurrent, 1)
    if per_session <= 0:
        return None
    return o.usable_gb - (f["memory"] - f["kv_gb"]), per_session


def sessions_of(o: Option, concurrent: int, kv_factor: float = 1.0) -> int | None:
    """Concurrent sessions the usable memory holds at the asked context, with the KV cache at
    `kv_factor` of its 16-bit size; None for hosted models or an unknown KV size."""
    room = kv_room(o, concurrent)
    if room is None:
        return None
    return max(int(room[0] // (room[1] * kv_factor) + 1e-9), 0)


def to_candidate(o: Option, rank: int, reasons: list[str], params_b: float | None, license: str | None,
                 terms: dict[str, float] | None = None, below_floor: bool = False, too_slow: bool = False,
                 q: Questionnaire | None = None) -> Candidate:
    """The schema's view of a ranked option (figures, their basis, the checks, the reasons)."""
    f = o.figs
    conc = q.workload.concurrent_requests if q else 1
    checks = list(o.verdict.checks) if o.verdict is not None else []
    acc = o.accuracy
    fig = Figures(
        decode_tok_s=f.get("decode"), decode_tok_s_low=f.get("decode_low"), decode_tok_s_high=f.get("decode_high"),
        ttft_ms=f.get("ttft"), ttft_ms_low=f.get("ttft_low"), ttft_ms_high=f.get("ttft_high"),
        memory_gb=f.get("memory"), memory_gb_low=f.get("memory_low"), memory_gb_high=f.get("memory_high"),
        accuracy=acc.value if acc else None, accuracy_low=acc.low if acc else None,
        accuracy_high=acc.high if acc else None,
    )
    basis = dict(o.basis)
    if acc is not None:
        basis["accuracy"] = FigureBasis(basis=acc.basis, source="; ".join(acc.sources[:5]) or None, detail=acc.detail())
    return Candidate(
        rank=rank, model=o.model, params_b=params_b, quant=o.quant, bits_per_weight=o.bits,
        engine=o.engine, deployment=o.deployment, context_len=o.context_len, predicted=fig, basis=basis,
        usd_per_1m_tokens=o.usd, meets_requirements=o.verdict is not None and o.verdict.meets,
        checks=checks, utility=o.utility, utility_terms=terms or {}, below_accuracy_floor=below_floor, too_slow=too_slow,
        offload=offload_text(o), sessions=sessions_of(o, conc), kv_gb_per_session=f["kv_gb"] / conc if "kv_gb" in f and o.deployment == "local" else None,
        why=reasons, license=license,
    )
