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


def render_text(rec: Any) -> str:
    """The readable table: top candidates, reasons, rejected ones, notes."""
    hw = rec.hardware
    lines = []
    if hw is not None:
        lines.append(f"Hardware: {hw.name} x{hw.n_devices} ({hw.kind}, {fmt(hw.memory_gb)} GB, "
                     f"{fmt(hw.mem_bandwidth_gbs)} GB/s) [{rec.hardware_basis}]")
    q = rec.questionnaire
    lines.append(f"Task: {q.use_case.task}; prompt {q.workload.prompt_tokens}, output {q.workload.output_tokens}, "
                 f"context {q.workload.effective_context} tokens; deployment {q.requirements.deployment}")
    lines.append("")
    if rec.candidates:
        rows = []
        for c in rec.candidates:
            p = c.predicted
            dec = "-" if p.decode_tok_s is None else f"{p.decode_tok_s:.0f}" + (
                f" ({p.decode_tok_s_low:.0f}-{p.decode_tok_s_high:.0f})" if p.decode_tok_s_low != p.decode_tok_s_high else "")
            rows.append([c.rank, c.model, c.quant or "-", c.engine or "-", f"{dec} {_mark(c, 'decode_tok_s')}",
                         "-" if p.ttft_ms is None else f"{p.ttft_ms:,.0f} {_mark(c, 'ttft_ms')}",
                         "-" if p.memory_gb is None else f"{p.memory_gb:.1f} P",
                         "-" if p.accuracy is None else f"{p.accuracy:.1f} {_mark(c, 'accuracy')}",
                         "-" if c.usd_per_1m_tokens is None else f"${c.usd_per_1m_tokens:.2f}",
                         f"{c.utility:.2f}"])
        lines.append(table(["#", "model", "quant", "engine", "decode tok/s", "TTFT ms", "mem GB",
                            "accuracy", "$/1M", "utility"], rows, max_width=34))
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
