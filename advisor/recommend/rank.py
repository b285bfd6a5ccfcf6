"""Ranking the feasible options: utility from the priorities, the Pareto front, reasons in
plain sentences, and the `Candidate` each ranked option becomes."""

from __future__ import annotations

import numpy as np

from advisor.recommend.candidates import Option
from advisor.recommend.table import Accuracy, CandidateTable
from advisor.schema import Candidate, FigureBasis, Figures, Priorities


def _norm(values: np.ndarray) -> np.ndarray:
    """Values scaled to [0, 1] over the known ones (all equal: 1); unknown (nan) in the middle."""
    known = ~np.isnan(values)
    if not known.any():
        return np.full(len(values), 0.5)
    lo, hi = values[known].min(), values[known].max()
    if hi - lo < 1e-9:
        return np.where(known, 1.0, 0.5)
    return np.where(known, (values - lo) / (hi - lo), 0.5)


def utilities(t: CandidateTable, acc: Accuracy, rows: np.ndarray, pri: Priorities) -> np.ndarray:
    """Utility in [0, 1] of the table's `rows`: accuracy, log speed and cost normalised over
    those rows, weighted by the priorities."""
    a = _norm(acc.value[rows])
    d = t.fig("decode")[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        s = _norm(np.where(d > 0, np.log(np.where(d > 0, d, 1.0)), np.nan))
        cost_raw = np.where(t.local[rows], 0.0, np.log10(t.usd[rows] + 1e-3))
    c = 1 - _norm(cost_raw)
    total = pri.accuracy + pri.speed + pri.cost
    return np.round((pri.accuracy * a + pri.speed * s + pri.cost * c) / total, 4)


def pareto(opts: list[Option]) -> list[Option]:
    """Options no other option beats on accuracy, speed and cost at once."""
    def vec(o: Option) -> tuple[float, float, float]:
        return (o.accuracy.value if o.accuracy and o.accuracy.value is not None else -1,
                o.figs.get("decode") or 0.0,
                -(o.usd or 0.0) if o.deployment == "api" else 0.0)
    vs = [vec(o) for o in opts]
    front = []
    for i, v in enumerate(vs):
        dominated = any(all(w[k] >= v[k] for k in range(3)) and any(w[k] > v[k] for k in range(3))
                        for j, w in enumerate(vs) if j != i)
        if not dominated:
            front.append(opts[i])
    return front


def why(o: Option, ranked: list[Option], pri: Priorities) -> list[str]:
    """Plain sentences on what this option gives and what it gives up against the others."""
    out: list[str] = []
    best_acc = max((x.accuracy.value for x in ranked if x.accuracy and x.accuracy.value is not None), default=None)
    fastest = max((x.figs.get("decode") or 0 for x in ranked), default=0)
    a = o.accuracy
    if a and a.value is not None:
        lead = "the highest task accuracy among feasible candidates" if best_acc is not None and a.value >= best_acc - 1e-9 else f"task accuracy {a.value:.1f}"
        out.append(f"{lead[0].upper() + lead[1:]} ({a.value:.1f}; {a.detail()}).")
    if o.deployment == "local":
        d = o.figs["decode"]
        kind = o.basis["decode_tok_s"].basis
        rng = "" if kind == "measured" else f", 80 %: {o.figs['decode_low']:.0f}-{o.figs['decode_high']:.0f}"
        out.append(f"Generates about {d:.0f} tokens/s for one user ({kind}{rng}); fits with {o.figs['memory']:.1f} GB needed.")
        if fastest and d < fastest * 0.7:
            faster = max(ranked, key=lambda x: x.figs.get("decode") or 0)
            out.append(f"Gives up speed: {faster.key} is faster ({faster.figs['decode']:.0f} tok/s).")
        if o.uses_user_measurement:
            out.append("Uses your team's own measurement from the catalog.")
        out.append("Runs locally: no per-token cost.")
    else:
        speed = (f"about {o.figs['decode']:.0f} tokens/s output (published)" if o.figs.get("decode")
                 else "output speed not measured")
        ttft = f", first token in about {o.figs['ttft']:,.0f} ms (published)" if o.figs.get("ttft") else ""
        price = f" at about ${o.usd:.2f} per 1M tokens for this workload" if o.usd is not None else ""
        out.append(f"Hosted API{price}; {speed}{ttft}.")
    if best_acc is not None and a and a.value is not None and a.value < best_acc - 0.5:
        better = max(ranked, key=lambda x: x.accuracy.value if x.accuracy and x.accuracy.value is not None else -1)
        out.append(f"Gives up accuracy: {better.key} scores {best_acc:.1f} but ranks lower on your priorities "
                   f"(accuracy {pri.accuracy:g}, speed {pri.speed:g}, cost {pri.cost:g}).")
    return out


def to_candidate(o: Option, rank: int, reasons: list[str], params_b: float | None, license: str | None) -> Candidate:
    """The schema's view of a ranked option (figures, their basis, the checks, the reasons)."""
    f = o.figs
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
        checks=checks, utility=o.utility, why=reasons, license=license,
    )
