"""Hard constraints, judged on every row of the candidate table at once: per requirement a
status (met surely, met likely, not met, unknown) and per row the first requirement it fails,
with a typed kind. Sentences are written only for the rows a user is shown (`verdict_of`)."""

from __future__ import annotations

from collections.abc import Callable

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from advisor.recommend.table import Accuracy, CandidateTable
from advisor.schema import Questionnaire, RequirementCheck

RejectKind = Literal["memory", "context", "license", "speed", "latency", "price", "accuracy", "evidence"]
# how a summary names each kind ("Blocked by: memory (12 configurations), ...")
REJECT_LABELS: dict[RejectKind, str] = {
    "memory": "memory", "context": "context window", "license": "license", "speed": "minimum speed",
    "latency": "time to first token", "price": "price", "accuracy": "accuracy",
    "evidence": "accuracy evidence",
}
# the order in which requirements are judged: a row's reject is the first one it fails
REJECT_ORDER: tuple[RejectKind, ...] = ("context", "license", "memory", "speed", "latency", "price", "evidence", "accuracy")
STATUS = ("", "met surely", "met likely", "not met", "unknown")  # codes 0-4 (0: not judged)
SURE, LIKELY, NOT_MET, UNKNOWN = (np.int8(c) for c in (1, 2, 3, 4))  # int8 columns: a million rows, 1 MB each
CHECKS = ("context", "memory", "min_decode_tok_s", "max_ttft_ms", "max_usd_per_1m_tokens", "min_accuracy")


@dataclass(frozen=True)
class Reject:
    """Why an option is out: a kind code can count and a sentence a person can read."""

    kind: RejectKind
    text: str


@dataclass(frozen=True)
class Verdict:
    checks: tuple[RequirementCheck, ...]
    reject: Reject | None  # the first hard constraint not met (None: feasible)

    @property
    def feasible(self) -> bool:
        """No hard constraint is known to fail (one judged on an unknown figure may still)."""
        return self.reject is None

    @property
    def unknown(self) -> tuple[str, ...]:
        """The requirements judged on a figure nobody knows: never counted as met."""
        return tuple(c.name for c in self.checks if c.status == "unknown")

    @property
    def meets(self) -> bool:
        """Every requirement met (surely or likely); an unknown figure does not meet one."""
        return self.feasible and not self.unknown


@dataclass(frozen=True)
class Judgement:
    """Statuses per requirement (codes of STATUS) and the first failed requirement per row
    (index into REJECT_ORDER, -1: none) for every row of a table."""

    status: dict[str, np.ndarray]
    reject: np.ndarray
    need_context: int

    @property
    def feasible(self) -> np.ndarray:
        return self.reject < 0

    @property
    def meets(self) -> np.ndarray:
        """Feasible, and no requirement judged on an unknown figure."""
        unknown = np.zeros(len(self.reject), dtype=bool)
        for s in self.status.values():
            unknown |= s == UNKNOWN
        return self.feasible & ~unknown

    def kind(self, row: int) -> RejectKind | None:
        return REJECT_ORDER[int(self.reject[row])] if self.reject[row] >= 0 else None


def interval_status(value: np.ndarray, low: np.ndarray, high: np.ndarray, limit: float, at_least: bool) -> np.ndarray:
    """Met surely when the whole 80 % interval is on the right side, likely when the point is,
    unknown where there is no estimate."""
    lo = np.where(np.isnan(low), value, low)
    hi = np.where(np.isnan(high), value, high)
    point = value >= limit if at_least else value <= limit
    sure = lo >= limit if at_least else hi <= limit
    out = np.where(sure, SURE, np.where(point, LIKELY, NOT_MET))
    return np.where(np.isnan(value), UNKNOWN, out)


def _license_ok(t: CandidateTable, q: Questionnaire, snap: Any) -> np.ndarray:
    wanted = q.requirements.license
    if wanted == "any":
        return np.ones(len(t), dtype=bool)
    def ok(mid: int) -> bool:
        m = snap.models[mid]
        return m.commercial_use is True if wanted == "commercial" else "proprietary" not in (m.license or "").lower()

    allowed = t.per_model(ok, dtype=bool)
    return allowed & t.local if wanted == "open" else allowed


def judge_table(t: CandidateTable, acc: Accuracy, q: Questionnaire, snap: Any) -> Judgement:
    """Every hard constraint for every row; the reject is the first one failed, in
    REJECT_ORDER (context, license, memory, speed, latency, price, accuracy evidence, accuracy)."""
    r, n = q.requirements, len(t)
    need = max(r.min_context_tokens or 0, q.workload.effective_context)
    status = {"context": np.where(np.isnan(t.context_len), UNKNOWN, np.where(t.context_len >= need, SURE, NOT_MET))}
    mem, mem_hi = t.fig("memory"), t.fig("memory_high")
    status["memory"] = np.where(~t.local, 0, np.where(mem_hi <= t.usable_gb, SURE, np.where(mem <= t.usable_gb, LIKELY, NOT_MET)))
    for name, limit, fig, at_least in (("min_decode_tok_s", r.min_decode_tok_s, "decode", True),
                                       ("max_ttft_ms", r.max_ttft_ms, "ttft", False)):
        status[name] = np.zeros(n, dtype=np.int8) if limit is None else interval_status(
            t.fig(fig), t.fig(f"{fig}_low"), t.fig(f"{fig}_high"), limit, at_least)
    ceiling = r.max_usd_per_1m_tokens
    priced = ~t.local & (ceiling is not None)
    price_ok = priced & ~np.isnan(t.usd) & (t.usd <= (ceiling if ceiling is not None else np.inf))
    status["max_usd_per_1m_tokens"] = np.where(price_ok, SURE, 0)
    no_acc = np.isnan(acc.value)
    status["min_accuracy"] = np.zeros(n, dtype=np.int8) if r.min_accuracy is None else np.where(
        no_acc, 0, interval_status(acc.value, acc.low, acc.high, r.min_accuracy, True))
    fails = {"context": status["context"] == NOT_MET, "license": ~_license_ok(t, q, snap),
             "memory": status["memory"] == NOT_MET, "speed": status["min_decode_tok_s"] == NOT_MET,
             "latency": status["max_ttft_ms"] == NOT_MET, "price": priced & ~price_ok, "evidence": no_acc,
             "accuracy": status["min_accuracy"] == NOT_MET}
    reject = np.full(n, -1, dtype=np.int8)
    for i in reversed(range(len(REJECT_ORDER))):  # the first in order wins
        reject = np.where(fails[REJECT_ORDER[i]], i, reject)
    return Judgement(status, reject, need)


def _interval_detail(value: float, low: float, high: float, limit: float, at_least: bool, unit: str) -> str:
    rng = f" (80 %: {low:,.0f}-{high:,.0f})" if low == low and high == high and low != high else ""
    return f"{value:,.1f} {unit}{rng} vs required {'>=' if at_least else '<='} {limit:g} {unit}"


def checks_of(t: CandidateTable, acc: Accuracy, j: Judgement, row: int, q: Questionnaire) -> list[RequirementCheck]:
    """The sentences of one row's checks, in the order they are judged."""
    r, out = q.requirements, []
    s = {k: int(v[row]) for k, v in j.status.items()}
    ctx = t.context_len[row]
    out.append(RequirementCheck(name="context", status=STATUS[s["context"]], detail=(
        f"context window unknown (not in the catalog); needed {j.need_context:,} tokens" if s["context"] == UNKNOWN
        else f"window {int(ctx):,} vs needed {j.need_context:,} tokens")))
    if s["memory"]:
        mem, hi = t.fig("memory")[row], t.fig("memory_high")[row]
        out.append(RequirementCheck(name="memory", status=STATUS[s["memory"]], detail=(
            f"needs {mem:.1f} GB (80 %: up to {hi:.1f}), has {t.usable_gb[row]:.1f} usable of {t.capacity_gb[row]:.0f} GB")))
    for name, limit, fig, at_least, unit, what in (("min_decode_tok_s", r.min_decode_tok_s, "decode", True, "tok/s", "speed"),
                                                   ("max_ttft_ms", r.max_ttft_ms, "ttft", False, "ms", "latency")):
        if limit is None:
            continue
        detail = (f"hosted API: {what} not measured" if s[name] == UNKNOWN else
                  _interval_detail(t.fig(fig)[row], t.fig(f"{fig}_low")[row], t.fig(f"{fig}_high")[row], limit, at_least, unit))
        out.append(RequirementCheck(name=name, status=STATUS[s[name]], detail=detail))
    if s["max_usd_per_1m_tokens"]:
        out.append(RequirementCheck(name="max_usd_per_1m_tokens", status="met surely", detail=f"${t.usd[row]:.2f} per 1M tokens"))
    if s["min_accuracy"]:
        out.append(RequirementCheck(name="min_accuracy", status=STATUS[s["min_accuracy"]], detail=_interval_detail(
            acc.value[row], acc.low[row], acc.high[row], r.min_accuracy or 0, True, "points")))
    return out


def _license_text(t: CandidateTable, acc: Accuracy, j: Judgement, row: int, r: Any, m: Any) -> str:
    if r.license == "commercial":
        return f"license '{m.license or 'unknown'}' does not clearly allow commercial use"
    return f"license '{m.license or 'unknown'}' is not open-weight"


def _price_text(t: CandidateTable, acc: Accuracy, j: Judgement, row: int, r: Any, m: Any) -> str:
    if np.isnan(t.usd[row]):
        return "no price known"
    return f"${t.usd[row]:.2f} per 1M tokens > ${r.max_usd_per_1m_tokens:g} allowed"


# the sentence of each failed requirement: (table, accuracy, judgement, row, requirements, model row) -> text
REJECT_TEXT: dict[str, Callable[..., str]] = {
    "context": lambda t, acc, j, row, r, m: f"context window {int(t.context_len[row]):,} tokens < {j.need_context:,} needed",
    "license": _license_text,
    "memory": lambda t, acc, j, row, r, m: (f"needs {t.fig('memory')[row]:.1f} GB, has {t.usable_gb[row]:.1f} GB "
                                            f"usable ({t.capacity_gb[row]:.0f} GB)"),
    "speed": lambda t, acc, j, row, r, m: f"decode {t.fig('decode')[row]:.1f} tok/s < {r.min_decode_tok_s:g} required",
    "latency": lambda t, acc, j, row, r, m: f"time to first token {t.fig('ttft')[row]:,.0f} ms > {r.max_ttft_ms:g} ms allowed",
    "price": _price_text,
    "evidence": lambda t, acc, j, row, r, m: ("no accuracy evidence for this task" if r.min_accuracy is not None else
                                              "no accuracy evidence for this task (no published or predictable scores)"),
    "accuracy": lambda t, acc, j, row, r, m: f"task accuracy {acc.value[row]:.1f} < {r.min_accuracy:g} required",
}


def reject_of(t: CandidateTable, acc: Accuracy, j: Judgement, row: int, q: Questionnaire, snap: Any) -> Reject | None:
    """The sentence of one row's first failed requirement."""
    kind = j.kind(row)
    if kind is None:
        return None
    m = snap.models[int(t.model_id[row])]
    return Reject(kind, REJECT_TEXT[kind](t, acc, j, row, q.requirements, m))


def verdict_of(t: CandidateTable, acc: Accuracy, j: Judgement, row: int, q: Questionnaire, snap: Any) -> Verdict:
    return Verdict(tuple(checks_of(t, acc, j, row, q)), reject_of(t, acc, j, row, q, snap))
