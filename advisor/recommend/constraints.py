"""Hard constraints, judged for one option: a `Verdict` with every check (met surely, met
likely, not met, unknown) and, when one is not met, the first reason with its typed kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from advisor.catalog.snapshot import Row
from advisor.predict import physics
from advisor.recommend.candidates import Option
from advisor.schema import HardwareSpec, Questionnaire, RequirementCheck

RejectKind = Literal["memory", "context", "license", "speed", "latency", "price", "accuracy", "evidence"]
# how a summary names each kind ("Blocked by: memory (12 configurations), ...")
REJECT_LABELS: dict[RejectKind, str] = {
    "memory": "memory", "context": "context window", "license": "license", "speed": "minimum speed",
    "latency": "time to first token", "price": "price", "accuracy": "accuracy",
    "evidence": "accuracy evidence",
}


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


def judge_interval(name: str, value: float | None, low: float | None, high: float | None, limit: float,
                   at_least: bool, unit: str) -> RequirementCheck:
    """Met surely when the whole 80 % interval is on the right side, likely when the point is."""
    if value is None:
        return RequirementCheck(name=name, status="unknown", detail=f"no estimate; required {'>=' if at_least else '<='} {limit:g} {unit}")
    lo = value if low is None else low
    hi = value if high is None else high
    ok_point = value >= limit if at_least else value <= limit
    ok_sure = lo >= limit if at_least else hi <= limit
    status = "met surely" if ok_sure else ("met likely" if ok_point else "not met")
    rng = f" (80 %: {lo:,.0f}-{hi:,.0f})" if (low is not None and high is not None and low != high) else ""
    return RequirementCheck(name=name, status=status,
                            detail=f"{value:,.1f} {unit}{rng} vs required {'>=' if at_least else '<='} {limit:g} {unit}")


Judgement = tuple[list[RequirementCheck], list[Reject]]


def _context(o: Option, q: Questionnaire) -> Judgement:
    need = max(q.requirements.min_context_tokens or 0, q.workload.effective_context)
    if o.context_len is None:
        return [RequirementCheck(name="context", status="unknown",
                                 detail=f"context window unknown (not in the catalog); needed {need:,} tokens")], []
    ok = o.context_len >= need
    check = RequirementCheck(name="context", status="met surely" if ok else "not met",
                             detail=f"window {o.context_len:,} vs needed {need:,} tokens")
    return [check], [] if ok else [Reject("context", f"context window {o.context_len:,} tokens < {need:,} needed")]


def _license(o: Option, q: Questionnaire, m: Row) -> Judgement:
    wanted = q.requirements.license
    if wanted == "commercial" and m.commercial_use is not True:
        return [], [Reject("license", f"license '{m.license or 'unknown'}' does not clearly allow commercial use")]
    if wanted == "open" and (o.deployment == "api" or "proprietary" in (m.license or "").lower()):
        return [], [Reject("license", f"license '{m.license or 'unknown'}' is not open-weight")]
    return [], []


def _memory(o: Option, hw: HardwareSpec | None) -> Judgement:
    if o.deployment != "local" or hw is None:
        return [], []
    capacity = (hw.memory_gb or 0) * hw.n_devices
    usable = physics.usable_memory_gb(hw)
    mem, hi = o.figs["memory"], o.figs["memory_high"]
    status = "met surely" if hi <= usable else ("met likely" if mem <= usable else "not met")
    check = RequirementCheck(name="memory", status=status,
                             detail=f"needs {mem:.1f} GB (80 %: up to {hi:.1f}), has {usable:.1f} usable of {capacity:.0f} GB")
    if status != "not met":
        return [check], []
    return [check], [Reject("memory", f"needs {mem:.1f} GB, has {usable:.1f} GB usable ({capacity:.0f} GB)")]


def _speed(o: Option, q: Questionnaire) -> Judgement:
    """Speed limits, judged on the prediction (or measurement) and its interval; unknown where
    nobody measured a hosted API."""
    r = q.requirements
    checks: list[RequirementCheck] = []
    rejects: list[Reject] = []
    for name, limit, fig, at_least, unit, what in (
        ("min_decode_tok_s", r.min_decode_tok_s, "decode", True, "tok/s", "speed"),
        ("max_ttft_ms", r.max_ttft_ms, "ttft", False, "ms", "latency"),
    ):
        if limit is None:
            continue
        if o.figs.get(fig) is None:
            checks.append(RequirementCheck(name=name, status="unknown", detail=f"hosted API: {what} not measured"))
            continue
        value = o.figs[fig]
        chk = judge_interval(name, value, o.figs[f"{fig}_low"], o.figs[f"{fig}_high"], limit, at_least, unit)
        checks.append(chk)
        if chk.status == "not met":
            rejects.append(Reject("speed", f"decode {value:.1f} tok/s < {limit:g} required") if at_least
                           else Reject("latency", f"time to first token {value:,.0f} ms > {limit:g} ms allowed"))
    return checks, rejects


def _price(o: Option, q: Questionnaire) -> Judgement:
    ceiling = q.requirements.max_usd_per_1m_tokens
    if ceiling is None or o.deployment != "api":
        return [], []
    if o.usd is None:
        return [], [Reject("price", "no price known")]
    if o.usd > ceiling:
        return [], [Reject("price", f"${o.usd:.2f} per 1M tokens > ${ceiling:g} allowed")]
    return [RequirementCheck(name="max_usd_per_1m_tokens", status="met surely", detail=f"${o.usd:.2f} per 1M tokens")], []


def _accuracy(o: Option, q: Questionnaire) -> Judgement:
    floor, acc = q.requirements.min_accuracy, o.accuracy
    if acc is None or acc.value is None:
        text = "no accuracy evidence for this task" if floor is not None else \
            "no accuracy evidence for this task (no published or predictable scores)"
        return [], [Reject("evidence", text)]
    if floor is None:
        return [], []
    chk = judge_interval("min_accuracy", acc.value, acc.low, acc.high, floor, True, "points")
    if chk.status != "not met":
        return [chk], []
    return [chk], [Reject("accuracy", f"task accuracy {acc.value:.1f} < {floor:g} required")]


def judge(o: Option, q: Questionnaire, hw: HardwareSpec | None, model: Row) -> Verdict:
    """Every hard constraint for one option (with its figures and accuracy); the reject is
    the first one not met, in the order context, license, memory, speed, price, accuracy."""
    checks: list[RequirementCheck] = []
    rejects: list[Reject] = []
    for c, r in (_context(o, q), _license(o, q, model), _memory(o, hw), _speed(o, q), _price(o, q), _accuracy(o, q)):
        checks += c
        rejects += r
    return Verdict(tuple(checks), rejects[0] if rejects else None)
