"""`advisor catalog ...`: stats, models, hardware, show, import, export."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import db_url_of, echo_json
from advisor.textfmt import table


def _catalog(ctx: click.Context):  # type: ignore[no-untyped-def]
    from advisor.catalog import open_catalog

    return open_catalog(db_url_of(ctx))


@click.group()
def catalog() -> None:
    """Browse, import and export the catalog of measured model profiles."""


@catalog.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of models, hardware, measurements, scores, sources; `unsourced` must be 0."""
    cat = _catalog(ctx)
    data = cat.stats()
    if as_json:
        echo_json(data)
        return
    click.echo(f"catalog: {cat.url}")
    for k, v in data.items():
        shown = ", ".join(f"{y}: {n}" for y, n in v.items()) if isinstance(v, dict) else v
        click.echo(f"  {k:22} {shown}")


@catalog.command()
@click.option("--search", default=None, help="Substring of the name, an alias or the family.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def models(ctx: click.Context, search: str | None, as_json: bool) -> None:
    """List models (name, family, parameters, context, counts of measurements and scores)."""
    _listing(_catalog(ctx).list_models(search), as_json, "models",
             {"model": "name", "family": "family", "params B": "params_b", "active B": "active_params_b",
              "context": "context_len", "variant": "variant", "meas.": "measurements", "scores": "scores"})


@catalog.command()
@click.option("--search", default=None, help="Substring of the name or an alias ('4090').")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def hardware(ctx: click.Context, search: str | None, as_json: bool) -> None:
    """List hardware (kind, memory, bandwidth, compute, count of measurements)."""
    _listing(_catalog(ctx).list_hardware(search), as_json, "hardware devices",
             {"hardware": "name", "kind": "kind", "memory GB": "memory_gb", "bandwidth GB/s": "mem_bandwidth_gbs",
              "fp16 TFLOPS": "fp16_tflops", "meas.": "measurements"})


def _listing(rows: list[dict], as_json: bool, noun: str, columns: dict[str, str]) -> None:  # type: ignore[type-arg]
    """A catalog listing as JSON, or as a table (header -> key) with its count."""
    if as_json:
        echo_json(rows)
        return
    click.echo(table(list(columns), [[r[k] for k in columns.values()] for r in rows]))
    click.echo(f"{len(rows)} {noun}")


@catalog.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx: click.Context, name: str, as_json: bool) -> None:
    """A model or hardware device (found by alias): facts, measurements, scores, sources."""
    data = _catalog(ctx).show(name)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['type']}: {data['name']}")
    if data["aliases"]:
        click.echo("aliases: " + ", ".join(data["aliases"]))
    where = data.get("fact_sources", {})
    over = data.get("user_overrides", {})
    for k, v in data["facts"].items():
        if v not in (None, "") and k not in ("name",):
            origin = f"   [{where[k]}]" if data["facts"].get("origin") == "user" and k in where else ""
            if k in over:
                origin = f"   [user override; seed: {over[k]['seed']}]"
            click.echo(f"  {k:22} {v}{origin}")
    if data.get("implausible"):
        click.echo(f"\nflagged implausible (kept, out of fitting): {len(data['implausible'])} rows")
    ms = data["measurements"]
    if ms:
        click.echo(f"\nmeasurements ({len(ms)}; all measured, source per row):")
        other = "hardware" if data["type"] == "model" else "model"
        click.echo(table(
            [other, "n", "quant", "engine", "kind", "pp", "tg", "prefill tok/s", "decode tok/s",
             "TTFT ms", "mem GB", "source"],
            [[m[other], m["n_devices"], m["quant"], m["engine"], m["measure_kind"],
              m["prompt_tokens"], m["gen_tokens"], m["prefill_tok_s"], m["decode_tok_s"],
              m["ttft_ms"], m["memory_gb"], (m["source"] or "").split(":")[0]] for m in ms],
            max_width=40,
        ))
    sc = data["scores"]
    if sc:
        click.echo(f"\nscores ({len(sc)}; published, source per row):")
        click.echo(table(
            ["benchmark", "setting", "score", "quant", "source"],
            [[s["benchmark"], s["setting"], s["score"], s["quant"], (s["source"] or "").split(":")[0]]
             for s in sc],
            max_width=40,
        ))
    if data["out_of_memory"]:
        click.echo(f"\nreported out of memory: {len(data['out_of_memory'])} configurations")
    sources = sorted({x["source"] for x in ms + sc if x.get("source")})
    if sources:
        click.echo("\nsources:")
        for s in sources:
            click.echo(f"  {s}")


class ImportFormat(click.Choice):
    """`--format` of `catalog import`: auto, seed and the registered import tools, read from
    the registry when first needed (it imports the catalog, which `catalog --help` need not)."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from advisor.catalog.tools import formats

        return formats()

    @choices.setter
    def choices(self, value: object) -> None:  # click.Choice.__init__ assigns it; the registry wins
        pass


@catalog.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="auto", show_default=True, type=ImportFormat(),
              help="File format; auto-detected from the content by default.")
@click.option("--model", default=None, help="Catalog model (name or alias) for every row.")
@click.option("--hardware", default=None, help="Catalog hardware, optionally with a count ('2x RTX 4090').")
@click.option("--quant", default=None, help="Quantization for every row.")
@click.option("--engine", default=None, help="Engine for every row.")
@click.option("--source", default=None, help="Citation text for the rows (default: tool, file, date).")
@click.option("--allow-implausible", is_flag=True,
              help="Keep figures past the physics' bounds, flagged and out of fitting, instead of refusing the file.")
@click.pass_context
def import_cmd(ctx: click.Context, file: Path, fmt: str, model: str | None, hardware: str | None,
               quant: str | None, engine: str | None, source: str | None, allow_implausible: bool) -> None:
    """Import a CSV in the seed format (measurements.csv, scores.csv, models.csv ...) or the
    output of llama-bench (-o md|sql|json|jsonl|csv), vLLM's serving benchmark (result JSON),
    lm-evaluation-harness (results JSON), Ollama (/api/generate JSON, `ollama run --verbose`
    text) or the llama.cpp server (a response with `timings`).

    Validated first; one transaction: a bad row rejects the whole file (FILE:LINE), exit 2.
    Figures already in the catalog (same source and figures) are not added again. Figures past
    the physics' bounds (decode above the bandwidth roofline, prefill above the compute
    roofline, a score off its scale) are refused, or kept flagged with --allow-implausible.
    A row naming a seed model or device becomes a user override; the seed row is kept.
    --model/--hardware/--quant/--engine/--source override what a tool's file says.
    `advisor catalog remove --import N` undoes the import.
    """
    from advisor.catalog.tools import Overrides, import_any

    cat = _catalog(ctx)
    result = import_any(cat, file, fmt, Overrides(model, hardware, quant, engine, source), allow_implausible)
    for line in result.skipped:
        click.echo(f"skipped: {line}", err=True)
    for line in result.notes:
        click.echo(line, err=True)
    click.echo(result.summary(file))


@catalog.command()
@click.option("--import", "import_id", type=int, default=None, help="The import's number (printed by `catalog import`).")
@click.option("--source", default=None, help="A source key or citation: every user row citing it.")
@click.option("--row", "rows", multiple=True, help="TABLE:ID of one user row (repeatable).")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@click.pass_context
def remove(ctx: click.Context, import_id: int | None, source: str | None, rows: tuple[str, ...], dry_run: bool) -> None:
    """Remove user rows, in one transaction: an import, a source or single rows. Seed rows are
    never removed; a user model or device goes only when nothing else refers to it."""
    from advisor.catalog.remove import remove as do_remove
    from advisor.catalog.remove import summary

    done, asked = do_remove(_catalog(ctx).engine, import_id, source, rows, dry_run)
    click.echo(summary(done, asked, dry_run))


@catalog.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json",
              show_default=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder to write to (CSV: one file per table). Default: stdout.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist in --out.")
@click.pass_context
def export(ctx: click.Context, fmt: str, out_dir: Path | None, force: bool) -> None:
    """Export every table in the seed format, with an `origin` column (seed or user)."""
    from advisor.catalog.seed_io import export as do_export

    text = do_export(_catalog(ctx).engine, fmt, out_dir, force)
    if text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {fmt} export to {out_dir}", err=True)


@catalog.command(name="add-model")
@click.option("--hf-config", type=click.Path(path_type=Path), default=None,
              help="A Hugging Face config.json, or a folder holding one (generation/tokenizer configs read too).")
@click.option("--hf-id", default=None, help="ORG/NAME on the Hugging Face Hub: fetches its config.json (network).")
@click.option("--gguf", type=click.Path(path_type=Path), default=None,
              help="A GGUF file: shapes, context, experts, parameters from the tensors, its quantization.")
@click.option("--name", default=None, help="Catalog name (default: from the files).")
@click.option("--family", default=None)
@click.option("--license", "license_", default=None)
@click.option("--release", default=None, help="Release month, YYYY-MM.")
@click.option("--variant", type=click.Choice(["base", "instruct", "reasoning"]), default=None)
@click.option("--context-len", type=click.IntRange(min=1), default=None, help="Context window in tokens.")
@click.option("--replace", is_flag=True, help="Update a user model of that name (never a seed model).")
@click.option("--dry-run", is_flag=True, help="Print the row it would write; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_context
def add_model(ctx: click.Context, hf_config: Path | None, hf_id: str | None, gguf: Path | None, name: str | None,
              family: str | None, license_: str | None, release: str | None, variant: str | None,
              context_len: int | None, replace: bool, dry_run: bool, as_json: bool) -> None:
    """Register a model the catalog does not know (origin user) from its own files: every fact
    with where it came from; facts given here win over facts read from files. Its speed,
    memory and (where none are published) scores are predicted from then on."""
    from advisor.catalog.model_files.collect import describe
    from advisor.catalog.register import register_model

    described = describe(hf_config, hf_id, gguf, {"name": name, "family": family, "license": license_,
                                                   "release": release, "variant": variant, "context_len": context_len})
    reg = register_model(_catalog(ctx), described.facts, aliases=described.aliases, replace=replace, dry_run=dry_run)
    if as_json:
        echo_json(_registration_json(reg, described.facts))
        return
    verb = "would register" if dry_run else ("updated" if reg.replaced else "registered")
    click.echo(f"{verb} model '{reg.name}' (origin: user)")
    for key, fact in sorted(described.facts.facts.items()):
        click.echo(f"  {key:20} {fact.value!s:28} {fact.source}")
    if reg.quant is not None:
        click.echo(f"  quantization {reg.quant['name']} ({reg.quant['bits_per_weight']} bits/weight) {'would be ' if dry_run else ''}added")
    for note in reg.notes:
        click.echo(f"note: {note}")
    if reg.missing():
        click.echo(f"unknown: {', '.join(reg.missing())}: speed and memory cannot be predicted until given "
                   f"(advisor catalog add-model --name '{reg.name}' --replace --gguf FILE, or --hf-config)")


def _registration_json(reg, facts) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return {"name": reg.name, "written": reg.written, "replaced": reg.replaced,
            "facts": {k: {"value": f.value, "source": f.source} for k, f in sorted(facts.facts.items())},
            "quantization": reg.quant, "aliases": list(reg.aliases), "notes": list(reg.notes),
            "unknown": reg.missing()}
