"""`advisor prompts ...`: lint, list, show, render, budget, generate and export prompts.

Every command reads the library from `--dir PATH` (repeatable; replaces the bundled
library, add `--with-bundled` to keep it), else `ADVISOR_PROMPTS_PATH`, else the bundled one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from advisor.cli import db_url_of, echo_json
from advisor.errors import InputError


def library_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--with-bundled", is_flag=True,
                     help="Also search the bundled library when --dir or ADVISOR_PROMPTS_PATH is used.")(f)
    f = click.option("--dir", "dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
                     help="Prompt library folder (repeatable); replaces the bundled library. "
                          "Default: ADVISOR_PROMPTS_PATH, else the bundled library.")(f)
    return f


def _library(dirs: tuple[Path, ...], with_bundled: bool):
    from advisor.prompts.library import load_library

    return load_library(list(dirs) or None, with_bundled)


@click.group()
def prompts() -> None:
    """Lint, render, budget and generate prompts from the prompt library."""


@prompts.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@library_options
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.pass_context
def lint_cmd(ctx: click.Context, paths: tuple[Path, ...], dirs: tuple[Path, ...], with_bundled: bool,
             as_json: bool, strict: bool) -> None:
    """Check prompt files (PATHs, else the library). Exit 1 on errors (or warnings with
    --strict), 0 otherwise. Messages are FILE:LINE: severity: message [code]."""
    from advisor.prompts.library import library_dirs
    from advisor.prompts.lint import lint_paths

    targets = list(paths) or library_dirs(list(dirs) or None, with_bundled)
    report = lint_paths(targets, strict=strict, db_url=db_url_of(ctx))
    if as_json:
        echo_json(report.as_dict())
    else:
        for issue in report.issues:
            click.echo(issue.format())
        n_err, n_warn = len(report.errors), len(report.warnings)
        click.echo(f"{report.files} files, {n_err} errors, {n_warn} warnings"
                   + ("" if report.ok else " (failed)"), err=True)
    if not report.ok:
        # sys.exit, not ctx.exit: main() runs click with standalone_mode=False, which turns
        # ctx.exit(1) into a return value that main() does not pass on.
        sys.exit(1)


@prompts.command("list")
@library_options
@click.option("--task", default=None, help="Only prompts of this task.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_cmd(dirs: tuple[Path, ...], with_bundled: bool, task: str | None, as_json: bool) -> None:
    """List the prompts of the library."""
    lib = _library(dirs, with_bundled)
    rows = []
    for pf in lib.valid():
        m = pf.meta
        assert m is not None
        if task and m.task != task:
            continue
        rows.append({"id": m.id, "task": m.task, "kind": m.kind, "version": m.version,
                     "status": m.status, "title": m.title, "variables": list(m.variables),
                     "file": pf.display})
    rows.sort(key=lambda r: (r["task"], r["kind"], r["id"]))
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no prompts found", err=True)
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['kind']:<9}  {r['status']:<10}  {r['title']}")


@prompts.command("show")
@click.argument("prompt_id")
@library_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON (front matter and body).")
def show_cmd(prompt_id: str, dirs: tuple[Path, ...], with_bundled: bool, as_json: bool) -> None:
    """Show a prompt: front matter summary and body."""
    pf = _library(dirs, with_bundled).get(prompt_id)
    m = pf.meta
    assert m is not None
    if as_json:
        echo_json({"file": pf.display, "front_matter": m.model_dump(mode="json", by_alias=True),
                   "body": pf.body})
        return
    click.echo(f"{m.id} {m.version}  ({m.task} / {m.kind} / {m.status})  {pf.display}")
    click.echo(f"title: {m.title}")
    if m.description:
        click.echo(f"description: {m.description}")
    for name, var in m.variables.items():
        bits = [var.type, "required" if var.required and var.default is None else "optional"]
        if var.default is not None:
            bits.append(f"default={var.default!r}")
        if var.allowed:
            bits.append("allowed=" + "|".join(map(str, var.allowed)))
        if var.max_tokens:
            bits.append(f"max_tokens={var.max_tokens}")
        click.echo(f"  {name}: {', '.join(bits)}" + (f"  - {var.description}" if var.description else ""))
    params = m.params.model_dump(exclude_none=True)
    if params:
        click.echo("params: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    click.echo(f"output: {m.output.format}")
    click.echo("---")
    click.echo(pf.body, nl=not pf.body.endswith("\n"))


def _read_vars(vars_file: Path) -> Any:
    """A --vars file (JSON, else YAML) through the one decoding path (size, UTF-8, nesting,
    finite numbers; YAML aliases bounded)."""
    from advisor.prompts.parse import load_yaml
    from advisor.safeio import loads, read_text

    try:
        text = read_text(vars_file)
        if vars_file.suffix == ".json":
            return loads(text, str(vars_file))
    except InputError as exc:
        raise InputError(f"--vars {exc}") from None
    doc, issues = load_yaml(text, str(vars_file))
    if doc is None or issues:
        raise InputError(f"--vars {issues[0].file}:{issues[0].line}: {issues[0].message}")
    return doc.data


def _parse_vars(pairs: tuple[str, ...], vars_file: Path | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if vars_file is not None:
        data = _read_vars(vars_file)
        if not isinstance(data, dict):
            raise InputError(f"--vars {vars_file}: expected a mapping of variable names to values")
        values.update(data)
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"--var {pair!r}: expected NAME=VALUE")
        name, value = pair.split("=", 1)
        if value.startswith("@"):
            from advisor.safeio import read_text

            try:
                value = read_text(value[1:])
            except InputError as exc:
                raise InputError(f"--var {name}: {exc}") from None
        values[name.strip()] = value
    return values


@prompts.command("render")
@click.argument("prompt_id")
@library_options
@click.option("--var", "pairs", multiple=True, metavar="NAME=VALUE",
              help="A variable (repeatable); NAME=@FILE reads the value from a file.")
@click.option("--vars", "vars_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JSON or YAML file of variables (--var wins).")
def render_cmd(prompt_id: str, dirs: tuple[Path, ...], with_bundled: bool, pairs: tuple[str, ...],
               vars_file: Path | None) -> None:
    """Render a prompt with variables; errors name the variable."""
    from advisor.prompts.render import render_prompt

    pf = _library(dirs, with_bundled).get(prompt_id)
    text = render_prompt(pf, _parse_vars(pairs, vars_file))
    click.echo(text, nl=not text.endswith("\n"))


@prompts.command("budget")
@click.argument("prompt_id")
@click.option("--model", required=True, help="Model name (API model or catalog model).")
@library_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def budget_cmd(ctx: click.Context, prompt_id: str, model: str, dirs: tuple[Path, ...],
               with_bundled: bool, as_json: bool) -> None:
    """Token budget of a prompt for a model: fixed text, worst case, overhead, output, cost."""
    from advisor.prompts.budget import prompt_budget

    pf = _library(dirs, with_bundled).get(prompt_id)
    report = prompt_budget(pf, model, db_url=db_url_of(ctx))
    if as_json:
        echo_json(report)
        return
    approx = "" if report.exact else " (approximate)"
    window = f"{report.context_window:,}" if report.context_window else "unknown"
    click.echo(f"{report.id} on {report.model}  tokenizer {report.tokenizer}{approx}")
    click.echo(f"  fixed text          {report.prompt_tokens:>10,}")
    click.echo(f"  worst case          {report.worst_case_tokens:>10,}")
    click.echo(f"  chat overhead       {report.chat_overhead_tokens:>10,}")
    click.echo(f"  output reserved     {report.output_reserved_tokens:>10,}")
    click.echo(f"  total               {report.total_tokens:>10,}  of {window}"
               + ("" if report.fits is None else ("  fits" if report.fits else "  DOES NOT FIT")))
    if report.usd_per_call is not None:
        click.echo(f"  cost per call       ${report.usd_per_call:.6f} (worst case)")
    for note in report.notes[3:]:
        click.echo(f"  note: {note}")


@prompts.command("generate")
@click.option("--task", required=True, help="Task (chat, code, summarization, ...).")
@click.option("--model", required=True, help="Model the prompts are for.")
@click.option("--domain", default="general", show_default=True, help="Domain filled into {{ domain }}.")
@click.option("--context-window", type=click.IntRange(min=1), default=None,
              help="Override the model's context window (tokens).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the set as library files (OUT/<task>/*.prompt.md) and prompt-set.json.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist under --out.")
@click.option("--refine-with", "refine_with", default=None, metavar="MODEL",
              help="Ask this model (through litellm, needs the network) to improve each prompt.")
@click.option("--refine-api-base", default=None, metavar="URL", help="API base URL for --refine-with.")
@library_options
@click.option("--json", "as_json", is_flag=True, help="Print the PromptSet as JSON.")
@click.pass_context
def generate_cmd(ctx: click.Context, task: str, model: str, domain: str, context_window: int | None,
                 out_dir: Path | None, force: bool, refine_with: str | None, refine_api_base: str | None,
                 dirs: tuple[Path, ...], with_bundled: bool, as_json: bool) -> None:
    """Build a prompt set for a task, tailored to a model's window, family and size."""
    from advisor.prompts.generate import build_prompt_set, refine_prompt_set, write_prompt_set

    gen = build_prompt_set(task, model, domain, list(dirs) or None, context_window=context_window,
                           db_url=db_url_of(ctx), with_bundled=with_bundled)
    if refine_with:
        gen = refine_prompt_set(gen, refine_with, api_base=refine_api_base)
    if out_dir is not None:
        written = write_prompt_set(gen, out_dir, force)
        if not as_json:
            click.echo(f"wrote {len(written)} files to {out_dir}", err=True)
    ps = gen.prompt_set
    if as_json:
        echo_json(ps)
        return
    window = f"{ps.context_window:,}" if ps.context_window else "unknown"
    click.echo(f"{ps.task} prompts for {ps.model} (window {window}, tokenizer {ps.tokenizer}"
               + ("" if ps.exact else ", approximate") + ")")
    for p in ps.prompts:
        click.echo(f"  {p.id:<32} {p.kind:<9} {p.tokens:>7,} tokens  {p.budget_status}")
    for note in ps.notes:
        click.echo(f"  note: {note}")


@prompts.command("export")
@click.option("--format", "fmt", type=click.Choice(["promptfoo", "prompty", "llm"]), required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("prompt-export"), show_default=True, help="Output folder.")
@click.option("--model", default=None, help="Model written into the export (promptfoo: PROVIDER:MODEL).")
@library_options
def export_cmd(fmt: str, out_dir: Path, model: str | None, dirs: tuple[Path, ...], with_bundled: bool) -> None:
    """Export the library for promptfoo (0.121), Prompty 2 or llm templates. Prints the files
    written; what a target cannot express is printed to stderr as FILE: note."""
    from advisor.prompts.export import export_library

    lib = _library(dirs, with_bundled)
    result = export_library(lib, fmt, out_dir, model=model)
    for path in result.files:
        click.echo(str(path))
    for path, note in result.notes:
        click.echo(f"{path}: note: {note}", err=True)
    noted = len({p for p, _ in result.notes})
    click.echo(f"{len(result.files)} files, {len(result.notes)} notes on {noted} files", err=True)
