"""Formatting of `Recommendation` figures and catalog entries for the screens, and the
Pareto chart widget. Everything here formats what the library computed; nothing estimates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape

from advisor.tui.columns import Column

if TYPE_CHECKING:  # pragma: no cover
    from advisor.schema import Candidate, HardwareSpec, Recommendation, Rejected

MARKS = {"measured": "M", "predicted": "P", "unknown": "?"}


def num(value: float | None, digits: int | None = None) -> str:
    if value is None:
        return "—"
    if digits is None:
        digits = 0 if abs(value) >= 100 else (1 if abs(value) >= 10 else 2)
    return f"{value:.{digits}f}"


def interval(value: float | None, low: float | None, high: float | None, digits: int | None = None) -> str:
    """`42 (35-50)`; just the value when the bounds are missing or equal to it."""
    if value is None:
        return "—"
    text = num(value, digits)
    if low is not None and high is not None and (low != value or high != value):
        text += f" ({num(low, digits)}-{num(high, digits)})"
    return text


def mark(candidate: "Candidate", figure: str) -> str:
    """`M` (measured), `P` (predicted) or `?` for one figure of a candidate."""
    basis = candidate.basis.get(figure)
    return MARKS.get(basis.basis, "?") if basis is not None else "?"


def hardware_memory(hw: "HardwareSpec | None") -> float | None:
    if hw is None or hw.memory_gb is None:
        return None
    return hw.memory_gb * hw.n_devices


def hardware_line(hw: "HardwareSpec | None", basis: str | None = None) -> str:
    if hw is None:
        return "no local hardware (hosted APIs only)"
    parts = [hw.name or (hw.kind or "device")]
    if hw.n_devices > 1:
        parts[0] = f"{hw.n_devices} x {parts[0]}"
    if hw.memory_gb:
        parts.append(f"{num(hw.memory_gb, 0)} GB")
    if hw.mem_bandwidth_gbs:
        parts.append(f"{num(hw.mem_bandwidth_gbs, 0)} GB/s")
    text = ", ".join(parts)
    return f"{text} ({basis})" if basis else text


def provider_of(model_id: str | None) -> str | None:
    """The provider of a hosted model id (litellm's, from the bundled price map: `openai`,
    `bedrock`, ...), or the prefix of the id; None when unknown."""
    if not model_id:
        return None
    from advisor.pricing import api_model  # plain JSON, cached; already read by recommend

    info = api_model(model_id)
    if info is not None and info.provider:
        return info.provider.split("-", 1)[0]  # `vertex_ai-language-models` -> `vertex_ai`
    return model_id.split("/", 1)[0] if "/" in model_id else None


def provider(c: "Candidate") -> str | None:
    """The provider of a hosted candidate; None for a local one."""
    return provider_of(c.engine) if c.deployment == "api" else None


def label(c: "Candidate") -> str:
    """How a candidate is named on screen: `Qwen3.5-4B / Q5_K_M / llama.cpp`, or for a hosted
    model `GPT-4o-mini-2024-07-18 (hosted, openai)` (its provider, not an engine)."""
    if c.deployment == "api":
        where = provider(c)
        return f"{c.model} (hosted{', ' + where if where else ''})"
    return c.key


def runs_on(c: "Candidate") -> str:
    """The Engine/provider cell: the engine of a local candidate, `openai API` for a hosted one."""
    if c.deployment == "api":
        return f"{provider(c) or 'hosted'} API"
    return c.engine or "—"


CANDIDATE_COLUMNS = [
    Column("#", min_width=1),
    Column("Model", flexible=True, min_width=12),
    Column("Quant", drop=2),
    Column("Engine/provider", drop=3),
    Column("Decode tok/s"),
    Column("Memory GB"),
    Column("Accuracy"),
    Column("$/1M"),
    Column("Utility", drop=4),
]


def candidate_row(c: "Candidate", hw: "HardwareSpec | None") -> tuple[str, ...]:
    """Plain-text cells for CANDIDATE_COLUMNS: speed with its 80 % interval, memory against the
    device, accuracy to one decimal, each with its M/P mark; cost; utility."""
    p = c.predicted
    decode = interval(p.decode_tok_s, p.decode_tok_s_low, p.decode_tok_s_high, 0)
    if p.decode_tok_s is not None:
        decode += " " + mark(c, "decode_tok_s")
    if c.deployment == "api":
        memory = "hosted"
    else:
        memory = num(p.memory_gb, 1)
        total = hardware_memory(hw)
        if p.memory_gb is not None:
            memory += (f"/{num(total, 0)}" if total else "") + " " + mark(c, "memory_gb")
    acc = num(p.accuracy, 1)
    if p.accuracy is not None:
        acc += " " + mark(c, "accuracy")
    usd = num(c.usd_per_1m_tokens, 2) if c.usd_per_1m_tokens is not None else "—"
    return (str(c.rank), c.model, c.quant or "—", runs_on(c), decode, memory, acc, usd, f"{c.utility:.2f}")


REJECTED_COLUMNS = [
    Column("Model", flexible=True, min_width=20),
    Column("Quant", drop=2),
    Column("Engine/provider", drop=3),
    Column("Where", drop=1),
    Column("Reason", flexible=True, wrap=True, min_width=24),
]


def rejected_row(r: "Rejected") -> tuple[str, ...]:
    engine = f"{provider_of(r.engine) or 'hosted'} API" if r.deployment == "api" else (r.engine or "—")
    return (r.model, r.quant or "—", engine, r.deployment, r.reason)


STATUS_STYLE = {"met surely": "green", "met likely": "yellow", "not met": "red", "unknown": "dim"}


def candidate_detail(c: "Candidate", rec: "Recommendation") -> str:
    """Rich markup: why, checks, figures with their basis, sources of measured figures."""
    p = c.predicted
    lines = [f"[b]{c.rank}. {escape(label(c))}[/b]  ({c.deployment}"
             + (f", {escape(c.license)}" if c.license else "") + f", utility {c.utility:.2f})"]
    if c.deployment == "api" and c.engine:
        lines.append(f"provider {escape(provider(c) or 'unknown')}, model id {escape(c.engine)}")
    if c.key in rec.pareto:
        lines.append("[green]on the Pareto front (accuracy vs speed)[/green]")
    if c.why:
        lines.append("")
        lines.append("[b]Why[/b]")
        lines += [f" • {escape(w)}" for w in c.why]
    lines.append("")
    lines.append("[b]Figures[/b]  (M measured, P predicted; 80 % intervals)")
    rows = [
        ("decode tok/s", "decode_tok_s", interval(p.decode_tok_s, p.decode_tok_s_low, p.decode_tok_s_high, 0)),
        ("TTFT ms", "ttft_ms", interval(p.ttft_ms, p.ttft_ms_low, p.ttft_ms_high, 0)),
        ("memory GB", "memory_gb", interval(p.memory_gb, p.memory_gb_low, p.memory_gb_high, 1)),
        ("accuracy", "accuracy", interval(p.accuracy, p.accuracy_low, p.accuracy_high, 1)),
    ]
    for name, key, text in rows:
        if text == "—":
            continue
        lines.append(f" {name:<13} {escape(text)} {mark(c, key)}")
    if c.usd_per_1m_tokens is not None:
        lines.append(f" {'$ / 1M tok':<13} {c.usd_per_1m_tokens:.2f}")
    if c.checks:
        lines.append("")
        lines.append("[b]Checks[/b]")
        for ch in c.checks:
            style = STATUS_STYLE.get(ch.status, "")
            lines.append(f" [{style}]{ch.status:<10}[/{style}] {escape(ch.name)}: {escape(ch.detail)}")
    sources = [(k, b) for k, b in c.basis.items() if b.basis == "measured" and b.source]
    details = [(k, b) for k, b in c.basis.items() if b.basis != "measured" and b.detail]
    if sources:
        lines.append("")
        lines.append("[b]Sources of measured figures[/b]")
        lines += [f" {escape(k)}: {escape(b.source or '')}" for k, b in sources]
    if details:
        lines.append("")
        lines.append("[b]How predicted[/b]")
        lines += [f" {escape(k)}: {escape(b.detail or '')}" for k, b in details]
    if rec.catalog_version:
        lines += ["", f"[dim]catalog version {escape(rec.catalog_version)}[/dim]"]
    return "\n".join(lines)


def catalog_detail(d: dict[str, Any], limit: int = 40) -> str:
    """Rich markup of `Catalog.show(name)`: facts, aliases, measurements, scores, sources."""
    lines = [f"[b]{escape(d.get('name', ''))}[/b]  ({d.get('type')})"]
    if d.get("aliases"):
        lines.append("aliases: " + escape(", ".join(d["aliases"])))
    facts = d.get("facts") or {}
    lines.append("")
    lines.append("[b]Facts[/b]")
    for k, v in facts.items():
        if v is None or k in ("source", "name"):
            continue
        lines.append(f" {k}: {escape(str(v))}")
    sources: dict[str, str] = {}

    def ref(src: str | None) -> str:
        if not src:
            return "[red]no source[/red]"
        key = src.split(":", 1)[0]
        sources.setdefault(key, src)
        return escape(key)

    if facts.get("source"):
        lines.append(f" source: {ref(facts['source'])}")
    meas = d.get("measurements") or []
    lines.append("")
    lines.append(f"[b]Measurements[/b] ({len(meas)})")
    other = "hardware" if d.get("type") == "model" else "model"
    for m in meas[:limit]:
        n = f"{m['n_devices']}x " if m.get("n_devices", 1) > 1 else ""
        figs = []
        if m.get("decode_tok_s") is not None:
            figs.append(f"tg {num(m['decode_tok_s'])} tok/s")
        if m.get("prefill_tok_s") is not None:
            figs.append(f"pp {num(m['prefill_tok_s'])} tok/s")
        if m.get("ttft_ms") is not None:
            figs.append(f"ttft {num(m['ttft_ms'])} ms")
        if m.get("memory_gb") is not None:
            figs.append(f"{num(m['memory_gb'], 1)} GB")
        what = " ".join(str(x) for x in (m.get("quant"), m.get("engine")) if x)
        lines.append(f" {escape(n + str(m.get(other)))} {escape(what)} [dim]{escape(str(m.get('measure_kind') or ''))}"
                     f" bs{m.get('batch_size')}[/dim]: {escape(', '.join(figs))}  [dim]{ref(m.get('source'))}[/dim]")
    if len(meas) > limit:
        lines.append(f" … {len(meas) - limit} more")
    scores = d.get("scores") or []
    if d.get("type") == "model":
        lines.append("")
        lines.append(f"[b]Scores[/b] ({len(scores)})")
        for s in scores[:limit]:
            q = f" [{escape(s['quant'])}]" if s.get("quant") else ""
            lines.append(f" {escape(str(s['benchmark']))} {escape(str(s.get('setting') or ''))}{q}: "
                         f"{num(s.get('score'))}  [dim]{ref(s.get('source'))}[/dim]")
        if len(scores) > limit:
            lines.append(f" … {len(scores) - limit} more")
    if sources:
        lines.append("")
        lines.append("[b]Sources[/b]")
        lines += [f" {escape(v)}" for v in sources.values()]
    return "\n".join(lines)
