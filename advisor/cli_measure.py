"""`advisor measure`: time an endpoint (TTFT, decode and prefill speed) through litellm and
record the result in the catalog as one single-stream user measurement."""

from __future__ import annotations

import sys
from typing import Any

import click

from advisor.cli import db_url_of, echo_json


def _progress(as_json: bool):  # type: ignore[no-untyped-def]
    def report(i: int, total: int, stats: Any) -> None:
        if stats is None:
            msg = f"[{i}/{total}] warm-up done"
        else:
            dec = stats.decode_tok_s
            msg = (f"[{i}/{total}] ttft {stats.ttft_s * 1000:.0f} ms, "
                   f"decode {dec:.1f} tok/s, {stats.completion_tokens} tokens"
                   if dec is not None and stats.ttft_s is not None
                   else f"[{i}/{total}] {stats.completion_tokens} tokens (too few to time decode)")
        click.echo(msg, err=True)

    return report


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
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout; progress on stderr.")
@click.option("--dry-run", is_flag=True, help="Measure but record nothing (an unknown model is then allowed).")
@click.option("--timeout", type=click.FloatRange(0.1, 86400), default=120.0, show_default=True,
              help="Seconds per request.")
@click.pass_context
def measure_cmd(ctx: click.Context, model: str, api_base: str, api_key_env: str | None, runs: int,
                prompt_tokens: int, gen_tokens: int, hardware: str | None, detect_hardware: bool,
                quant: str | None, engine: str | None, catalog_model: str | None, as_json: bool,
                dry_run: bool, timeout: float) -> None:
    """Measure TTFT, decode and prefill speed of a served model and record it in the catalog.

    One warm-up run, then --runs timed streamed completions; medians with min/max. Recorded as
    one measurement (origin user, single_stream, batch 1) unless --dry-run. Errors (unknown
    model, timeout, refused connection, HTTP error, malformed stream) exit 2 and record nothing.
    """
    from advisor.catalog import open_catalog
    from advisor.catalog.importers import split_count
    from advisor.catalog.names import split_gguf_quant, strip_file_suffix
    from advisor.errors import InputError
    from advisor.measure import (
        MeasureConfig, Target, api_key_from_env, guess_engine, measure_endpoint, record,
        redact_url, register_detected_hardware, served_name,
    )

    if hardware and detect_hardware:
        raise InputError("--hardware and --detect-hardware exclude each other")
    api_key = api_key_from_env(api_key_env)
    cat = open_catalog(db_url_of(ctx))
    name = served_name(model)

    # ---- resolve everything before spending time on the endpoint
    lookup = catalog_model or name
    found = cat.find_model(lookup)
    if found is None and "/" in lookup:
        found = cat.find_model(lookup.rsplit("/", 1)[-1])
    if found is None and not dry_run:
        try:
            cat.resolve_model(lookup)
        except Exception as exc:  # NotFoundError with the closest names
            hint = "" if catalog_model else "; name it with --catalog-model NAME"
            raise type(exc)(f"{exc}{hint} (or register it with `advisor catalog import models.csv`)") from None
    catalog_name = found.name if found is not None else None

    detection = None
    if hardware:
        hw_name, count = split_count(hardware)
        hw = cat.resolve_hardware(hw_name)
        hw_canonical, n_devices, hw_note = hw.name, count or 1, None
    else:
        from advisor.hardware_detect import detect

        detection = detect()
        hw_canonical = detection.catalog_name or (detection.spec.name or "detected machine")
        n_devices = detection.spec.n_devices
        hw_note = "hardware detected on the measuring machine (assumes the server runs here)"
        if not as_json:
            click.echo(f"hardware: {hw_canonical}" + ("" if "(detected)" in hw_canonical else " (detected)"), err=True)

    quant_name = None
    if quant:
        quant_name = cat.resolve_quant(quant).name
    else:
        q = split_gguf_quant(strip_file_suffix(name.split(":")[-1]))[1]
        if q:
            obj = cat.find_quant(q)
            quant_name = obj.name if obj is not None else None

    if engine:
        eng = cat.find_engine(engine)
        if eng is None:
            raise InputError(f"--engine: unknown engine '{engine}'")
        engine_name: str | None = eng.name
    else:
        guessed = guess_engine(api_base, api_key)
        engine_name = guessed or "unknown"

    cfg = MeasureConfig(model=model, api_base=api_base, api_key=api_key, runs=runs,
                        prompt_tokens=prompt_tokens, gen_tokens=gen_tokens, timeout=timeout)
    result = measure_endpoint(cfg, progress=_progress(as_json))

    recorded = False
    measurement_id = None
    if not dry_run:
        if detection is not None and detection.catalog_name is None:
            hw_canonical = register_detected_hardware(cat, detection)
        target = Target(model=catalog_name, hardware=hw_canonical, n_devices=n_devices,
                        quant=quant_name, engine=engine_name, hardware_note=hw_note)
        measurement_id = record(cat, result, target)
        recorded = True

    s = result.summary
    out = {
        "model": name, "api_base": redact_url(api_base), "runs": s["runs"],
        "ttft_ms": s["ttft_ms"], "ttft_ms_min": s["ttft_ms_min"], "ttft_ms_max": s["ttft_ms_max"],
        "decode_tok_s": s["decode_tok_s"], "decode_tok_s_min": s["decode_tok_s_min"],
        "decode_tok_s_max": s["decode_tok_s_max"], "prefill_tok_s": s["prefill_tok_s"],
        "prompt_tokens": s["prompt_tokens"], "completion_tokens": s["completion_tokens"],
        "tokens_estimated": s["tokens_estimated"], "total_s": s["total_s"],
        "recorded": recorded, "measurement_id": measurement_id,
    }
    if as_json:
        echo_json(out)
        return
    click.echo(f"model {name} at {out['api_base']}: {s['runs']} runs (medians, min-max)")
    click.echo(f"  TTFT           {s['ttft_ms']} ms ({s['ttft_ms_min']}-{s['ttft_ms_max']})")
    click.echo(f"  decode         {s['decode_tok_s']} tok/s ({s['decode_tok_s_min']}-{s['decode_tok_s_max']})")
    click.echo(f"  prefill        {s['prefill_tok_s']} tok/s (prompt tokens / TTFT)")
    est = " (ESTIMATED: the server reported no usage)" if s["tokens_estimated"] else ""
    click.echo(f"  tokens         {s['prompt_tokens']} prompt, {s['completion_tokens']} completion{est}")
    click.echo(f"  total          {s['total_s']} s per run")
    if recorded:
        click.echo(f"recorded measurement {measurement_id}: {catalog_name} / {quant_name or '-'} / "
                   f"{engine_name} on {hw_canonical} (origin user)")
    else:
        click.echo("dry run: nothing recorded", err=True)
    sys.stdout.flush()
