"""`advisor recommend` and `advisor schema`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from advisor.cli import db_url_of, echo_json
from advisor.errors import InputError
from advisor.schema import TASKS
from advisor.textfmt import fmt, table


def _load_json(path: str) -> Any:
    try:
        text = click.get_text_stream("stdin").read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None


def _set(d: dict, path: str, value: Any) -> None:
    if value is None:
        return
    keys = path.split(".")
    for k in keys[:-1]:
        d = d.setdefault(k, {})
    d[keys[-1]] = value


@click.command()
@click.option("--input", "input_file", default=None, help="Questionnaire JSON file ('-' for stdin).")
@click.option("--task", type=click.Choice(TASKS), default=None, help="What the model is for.")
@click.option("--domain", default=None)
@click.option("--description", default=None)
@click.option("--prompt-tokens", type=int, default=None)
@click.option("--output-tokens", type=int, default=None)
@click.option("--context-tokens", type=int, default=None)
@click.option("--concurrent-requests", type=int, default=None)
@click.option("--min-decode-tok-s", type=float, default=None)
@click.option("--max-ttft-ms", type=float, default=None)
@click.option("--min-context-tokens", type=int, default=None)
@click.option("--deployment", type=click.Choice(["local", "api", "any"]), default=None)
@click.option("--license", "license_", type=click.Choice(["any", "open", "commercial"]), default=None)
@click.option("--max-usd-per-1m-tokens", type=float, default=None)
@click.option("--min-accuracy", type=float, default=None)
@click.option("--priority-accuracy", type=float, default=None)
@click.option("--priority-speed", type=float, default=None)
@click.option("--priority-cost", type=float, default=None)
@click.option("--hardware", default=None, help="Catalog name or alias ('RTX 4090', '4090', 'M2 Ultra').")
@click.option("--count", type=int, default=None, help="Number of devices.")
@click.option("--detect-hardware", is_flag=True, help="Use this machine.")
@click.option("--kind", type=click.Choice(["gpu", "cpu", "apple", "npu", "tpu"]), default=None, help="Hardware by facts: kind.")
@click.option("--memory-gb", type=float, default=None, help="Hardware by facts: memory per device.")
@click.option("--bandwidth-gbs", type=float, default=None, help="Hardware by facts: memory bandwidth.")
@click.option("--no-prompts", is_flag=True, help="Skip the prompt set.")
@click.option("--json", "as_json", is_flag=True, help="Print the Recommendation as JSON.")
@click.pass_context
def recommend_cmd(ctx: click.Context, input_file: str | None, as_json: bool, no_prompts: bool, **opts: Any) -> None:
    """Recommend a model (with quantization and engine) for a use case and hardware.

    Flags override the values of --input. Exit 0 with an answer (also when nothing is
    feasible: then the notes say why), 2 for invalid input.
    """
    from advisor.recommend import parse_questionnaire, recommend

    data: dict = _load_json(input_file) if input_file else {}
    if not isinstance(data, dict):
        raise InputError(f"{input_file}: expected a JSON object")
    mapping = {
        "task": "use_case.task", "domain": "use_case.domain", "description": "use_case.description",
        "prompt_tokens": "workload.prompt_tokens", "output_tokens": "workload.output_tokens",
        "context_tokens": "workload.context_tokens", "concurrent_requests": "workload.concurrent_requests",
        "min_decode_tok_s": "requirements.min_decode_tok_s", "max_ttft_ms": "requirements.max_ttft_ms",
        "min_context_tokens": "requirements.min_context_tokens", "deployment": "requirements.deployment",
        "license_": "requirements.license", "max_usd_per_1m_tokens": "requirements.max_usd_per_1m_tokens",
        "min_accuracy": "requirements.min_accuracy", "priority_accuracy": "priorities.accuracy",
        "priority_speed": "priorities.speed", "priority_cost": "priorities.cost",
        "hardware": "hardware.name", "count": "hardware.count", "kind": "hardware.kind",
        "memory_gb": "hardware.memory_gb", "bandwidth_gbs": "hardware.mem_bandwidth_gbs",
    }
    for opt, path in mapping.items():
        _set(data, path, opts.get(opt))
    if opts.get("detect_hardware"):
        _set(data, "hardware.detect", True)
    if "use_case" not in data:
        raise InputError("use_case.task: required (give --task or an --input file)")
    q = parse_questionnaire(data, where=input_file or "flags")
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
