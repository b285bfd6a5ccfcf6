"""`advisor measure`: time an endpoint (TTFT, decode and prefill speed) through litellm and
record the result in the catalog as one single-stream user measurement."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from advisor.cli import db_url_of, echo_json

if TYPE_CHECKING:
    from advisor.measure import MeasureOutcome, RunStats


def _report_progress(i: int, total: int, stats: "RunStats | None") -> None:
    """One stderr line per finished run (`stats` None for the warm-up)."""
    if stats is None:
        msg = f"[{i}/{total}] warm-up done"
    else:
        dec = stats.decode_tok_s
        msg = (f"[{i}/{total}] ttft {stats.ttft_s * 1000:.0f} ms, "
               f"decode {dec:.1f} tok/s, {stats.completion_tokens} tokens"
               if dec is not None and stats.ttft_s is not None
               else f"[{i}/{total}] {stats.completion_tokens} tokens (too few to time decode)")
    click.echo(msg, err=True)


def _announce(message: str) -> None:
    """A resolution message (the detected hardware) on stderr."""
    click.echo(message, err=True)


def _echo_report(outcome: "MeasureOutcome") -> None:
    """The human-readable answer: medians with min-max, tokens, and what was recorded."""
    s = outcome.summary
    t = outcome.target
    click.echo(f"model {outcome.served_model} at {outcome.api_base}: {s['runs']} runs (medians, min-max)")
    click.echo(f"  TTFT           {s['ttft_ms']} ms ({s['ttft_ms_min']}-{s['ttft_ms_max']})")
    click.echo(f"  decode         {s['decode_tok_s']} tok/s ({s['decode_tok_s_min']}-{s['decode_tok_s_max']})")
    click.echo(f"  prefill        {s['prefill_tok_s']} tok/s (prompt tokens / TTFT)")
    est = " (ESTIMATED: the server reported no usage)" if s["tokens_estimated"] else ""
    click.echo(f"  tokens         {s['prompt_tokens']} prompt, {s['completion_tokens']} completion{est}")
    click.echo(f"  total          {s['total_s']} s per run")
    for note in outcome.notes:
        click.echo(note, err=True)
    if outcome.recorded:
        click.echo(f"recorded measurement {outcome.measurement_id}: {t.model} / {t.quant or '-'} / "
                   f"{t.engine} on {t.hardware} (origin user)")
    else:
        click.echo("dry run: nothing recorded", err=True)
    sys.stdout.flush()


@click.command(name="measure")
@click.option("--model", required=True, help="Model name as the server knows it (litellm provider prefixes work).")
@click.option("--api-base", required=True, help="Endpoint URL, e.g. http://127.0.0.1:8000/v1")
@click.option("--api-key-env", default=None, metavar="VAR",
              help="Name of the environment variable holding the API key (never written anywhere).")
@click.option("--runs", type=click.IntRange(1, 1000), default=3, show_default=True, help="Timed runs after one warm-up.")
@click.option("--prompt-tokens", type=click.IntRange(1, 1_000_000), default=512, show_default=True)
@click.option("--gen-tokens", type=click.IntRange(2, 1_000_000), default=128, show_default=True)
@click.option("--hardware", default=None, help="Catalog hardware the server runs on (name or alias; '2x NAME').")
@click.option("--detect-hardware", is_flag=True,
              help="Use this machine's detected hardware (the default when --hardware is not given).")
@click.option("--quant", default=None, help="Quantization served (default: from the model name, e.g. -Q4_K_M).")
@click.option("--engine", default=None, help="Serving engine (default: guessed from /models, else 'unknown').")
@click.option("--catalog-model", default=None, help="Catalog model name when the served name differs.")
@click.option("--gguf", type=click.Path(path_type=Path), default=None,
              help="The served GGUF file: registers an unknown model with its facts (and quantization).")
@click.option("--hf-config", type=click.Path(path_type=Path), default=None,
              help="The served model's config.json (or its folder): registers an unknown model with its facts.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout; progress on stderr.")
@click.option("--dry-run", is_flag=True, help="Measure but record nothing (an unknown model is then allowed).")
@click.option("--timeout", type=click.FloatRange(0.1, 86400), default=120.0, show_default=True,
              help="Seconds per request.")
@click.pass_context
def measure_cmd(ctx: click.Context, model: str, api_base: str, api_key_env: str | None, runs: int,
                prompt_tokens: int, gen_tokens: int, hardware: str | None, detect_hardware: bool,
                quant: str | None, engine: str | None, catalog_model: str | None, gguf: Path | None,
                hf_config: Path | None, as_json: bool, dry_run: bool, timeout: float) -> None:
    """Measure TTFT, decode and prefill speed of a served model and record it in the catalog.

    One warm-up run, then --runs timed streamed completions; medians with min/max. Recorded as
    one measurement (origin user, single_stream, batch 1) unless --dry-run. Errors (unknown
    model, timeout, refused connection, HTTP error, malformed stream) exit 2 and record nothing.
    """
    from advisor.measure import MeasureConfig, MeasureOptions, MeasureSession

    config = MeasureConfig(model=model, api_base=api_base, runs=runs, prompt_tokens=prompt_tokens,
                           gen_tokens=gen_tokens, timeout=timeout)
    options = MeasureOptions(config, api_key_env=api_key_env, hardware=hardware, detect_hardware=detect_hardware,
                             quant=quant, engine=engine, catalog_model=catalog_model, dry_run=dry_run,
                             gguf=gguf, hf_config=hf_config)
    session = MeasureSession.open(options, db_url_of(ctx), announce=None if as_json else _announce)
    outcome = session.run(progress=_report_progress)
    if as_json:
        echo_json(outcome.as_json())
    else:
        _echo_report(outcome)
