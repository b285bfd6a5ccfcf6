"""`advisor recommend` and `advisor schema`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from advisor.cli import db_url_of, echo_json
from advisor.recommend.questionnaire import FIELDS, QuestionField, load_questionnaire
from advisor.textfmt import fmt, table

FLAG_FIELDS = tuple(f for f in FIELDS if f.flag)
_CLICK_TYPES: dict[type, Any] = {int: int, float: float, str: None}


def _option(f: QuestionField) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    if f.type is bool:
        return click.option(f.flag, is_flag=True, help=f.help)
    return click.option(f.flag, type=click.Choice(f.choices) if f.choices else _CLICK_TYPES[f.type],
                        default=None, help=f.help)


def questionnaire_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """One option per questionnaire field with a flag, in the table's order (the way sqlite-utils
    shares `output_options`); the command gets them by `QuestionField.param`."""
    for decorator in reversed([_option(f) for f in FLAG_FIELDS]):
        fn = decorator(fn)
    return fn


def flag_values(opts: dict[str, Any]) -> dict[str, Any]:
    """The flags given, by questionnaire path (a flag not given is None, a switch False)."""
    given = {f.path: opts[f.param] for f in FLAG_FIELDS}
    return {path: value for path, value in given.items() if value is not None and value is not False}


@click.command()
@click.option("--input", "input_file", default=None, help="Questionnaire JSON file ('-' for stdin).")
@questionnaire_options
@click.option("--no-prompts", is_flag=True, help="Skip the prompt set.")
@click.option("--json", "as_json", is_flag=True, help="Print the Recommendation as JSON.")
@click.pass_context
def recommend_cmd(ctx: click.Context, input_file: str | None, as_json: bool, no_prompts: bool, **opts: Any) -> None:
    """Recommend a model (with quantization and engine) for a use case and hardware.

    Flags override the values of --input. Exit 0 with an answer (also when nothing is
    feasible: then the notes say why), 2 for invalid input.
    """
    from advisor.recommend import recommend

    q = load_questionnaire(input_file or None, flag_values(opts))
    rec = recommend(q, db_url=db_url_of(ctx), with_prompts=not no_prompts)
    if as_json:
        echo_json(rec)
        return
    click.echo(render_text(rec))


def _mark(c: Any, key: str) -> str:
    b = c.basis.get(key)
    return {"measured": "M", "predicted": "P", "unknown": "?"}.get(b.basis if b else "unknown", "?")


def _candidate_rows(cands: list[Any]) -> list[list[Any]]:
    rows = []
    for c in cands:
        p = c.predicted
        dec = "-" if p.decode_tok_s is None else f"{p.decode_tok_s:.0f}" + (
            f" ({p.decode_tok_s_low:.0f}-{p.decode_tok_s_high:.0f})" if p.decode_tok_s_low != p.decode_tok_s_high else "")
        engine = (c.engine or "-") + (" +offload" if c.offload else "")
        rows.append([c.rank, c.model, c.quant or "-", engine, f"{dec} {_mark(c, 'decode_tok_s')}",
                     "-" if p.ttft_ms is None else f"{p.ttft_ms:,.0f} {_mark(c, 'ttft_ms')}",
                     "-" if p.memory_gb is None else f"{p.memory_gb:.1f} P",
                     "-" if p.accuracy is None else f"{p.accuracy:.1f}" + (
                         f" ({p.accuracy_low:.0f}-{p.accuracy_high:.0f})" if p.accuracy_low is not None
                         and p.accuracy_high is not None and p.accuracy_high - p.accuracy_low >= 1 else "")
                     + f" {_mark(c, 'accuracy')}",
                     "-" if c.usd_per_1m_tokens is None else f"${c.usd_per_1m_tokens:.2f}",
                     "-" if c.sessions is None else f"{c.sessions} P", f"{c.utility:.2f}"])
    return rows


HEADERS = ["#", "model", "quant", "engine", "decode tok/s", "TTFT ms", "mem GB", "accuracy", "$/1M", "sessions",
           "utility"]


def ranking_line(rec: Any) -> str:
    """How the ranking weighed the candidates (profile, weights, needs, floor)."""
    s = rec.ranking
    if s is None:
        return ""
    weights = ", ".join(f"{k} {getattr(s, k):g}" for k in ("accuracy", "speed", "cost", "footprint") if getattr(s, k))
    ttft = (f"; first-token budget {s.ttft_budget_ms:,.0f} ms ({s.origin.get('ttft_budget_ms', '')})"
            if s.ttft_budget_ms else "")
    floor = (f"; accuracy floor {s.accuracy_floor:.1f} ({s.accuracy_margin:g} points under the best usable)"
             if s.accuracy_floor is not None else "")
    return (f"Ranking: profile {s.profile}; weights {weights}; enough speed {s.enough_decode_tok_s:g} tok/s "
            f"({s.origin.get('enough_decode_tok_s', '')}){ttft}{floor}")


def render_text(rec: Any) -> str:
    """The readable table: top candidates, reasons, hosted alternatives, rejected ones, notes."""
    hw = rec.hardware
    lines = []
    if hw is not None:
        lines.append(f"Hardware: {hw.name} x{hw.n_devices} ({hw.kind}, {fmt(hw.memory_gb)} GB, "
                     f"{fmt(hw.mem_bandwidth_gbs)} GB/s) [{rec.hardware_basis}]")
    q = rec.questionnaire
    lines.append(f"Task: {q.use_case.task}; prompt {q.workload.prompt_tokens}, output {q.workload.output_tokens}, "
                 f"context {q.workload.effective_context} tokens; deployment {q.requirements.deployment}")
    lines += [ranking_line(rec), ""]
    if rec.candidates:
        lines.append(table(HEADERS, _candidate_rows(rec.candidates), max_width=34))
        lines.append("M = measured (source in --json), P = predicted (80 % interval in brackets), ? = unknown")
        lines.append("")
        top = rec.candidates[0]
        lines.append(f"Recommended: {top.key}")
        for w in top.why:
            lines.append(f"  - {w}")
        for chk in top.checks:
            lines.append(f"  [{chk.status}] {chk.name}: {chk.detail}")
    else:
        lines.append("No candidate meets every requirement.")
    if rec.api_alternatives:
        lines += ["", "Hosted alternatives (for comparison; deployment 'any' ranks them with the local ones):",
                  table(HEADERS, _candidate_rows(rec.api_alternatives), max_width=34)]
    if rec.rejected:
        lines.append("")
        lines.append(f"Rejected ({len(rec.rejected)} models; first 8):")
        for r in rec.rejected[:8]:
            lines.append(f"  - {r.model}{' ' + r.quant if r.quant else ''}: {r.reason}")
    if rec.notes:
        lines.append("")
        lines.append("Notes:")
        for n in rec.notes:
            lines.append(f"  - {n}")
    if rec.prompt_set:
        lines.append("")
        lines.append(f"Prompt set for {rec.prompt_set.model}: " + ", ".join(
            f"{p.id} ({p.tokens} tok, {p.budget_status})" for p in rec.prompt_set.prompts))
    return "\n".join(lines)


@click.command()
@click.argument("name", type=click.Choice(["questionnaire", "recommendation", "predict-request", "predict-result"]),
                default="questionnaire")
def schema_cmd(name: str) -> None:
    """Print the JSON schema of the questionnaire, the recommendation or predict lines."""
    from advisor import schema as s

    model = {"questionnaire": s.Questionnaire, "recommendation": s.Recommendation,
             "predict-request": s.PredictRequest, "predict-result": s.PredictResult}[name]
    echo_json(model.model_json_schema())
