"""`advisor predict` (JSON lines in and out) and `advisor model evaluate|refit`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from advisor.cli import db_url_of, echo_json
from advisor.errors import InputError


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'line'}: {e['msg']}" for e in exc.errors())


CHUNK = 2000  # lines predicted per batch: memory stays flat however long the input


def _parse_line(raw: bytes, lineno: int) -> Any:
    """A request, or the result that says why the line is not one (through the one decoding
    path: size, UTF-8 with the byte offset, nesting, finite numbers)."""
    from advisor.safeio import MAX_LINE_BYTES, decode_utf8, loads
    from advisor.schema import PredictRequest, PredictResult

    rid = f"line-{lineno}"
    try:
        if len(raw) > MAX_LINE_BYTES:
            raise InputError(f"line {lineno}: longer than {MAX_LINE_BYTES:,} bytes")
        data = loads(decode_utf8(raw, f"line {lineno}"), f"line {lineno}")
    except InputError as exc:
        return PredictResult(id=rid, error=str(exc).replace(f"line {lineno}:1:", f"line {lineno}:")
                             .replace("not valid JSON", "not JSON"))
    if isinstance(data, dict) and isinstance(data.get("id"), (str, int)) and not isinstance(data.get("id"), bool):
        rid = str(data["id"])
        data["id"] = rid
    try:
        return PredictRequest.model_validate(data)
    except ValidationError as exc:
        return PredictResult(id=rid, error=f"line {lineno}: {_validation_message(exc)}")


def _lines(src: Any) -> Any:
    """(line number, bytes) of the non-blank lines; a line past the limit is cut, not held."""
    from advisor.safeio import MAX_LINE_BYTES

    lineno = 0
    while True:
        raw = src.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := src.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass  # drop the rest of an over-long line
        if raw.strip():
            yield lineno, raw


def _chunks(src: Any) -> Any:
    """Parsed lines (requests or early errors), CHUNK at a time."""
    chunk: list[Any] = []
    for lineno, raw in _lines(src):
        chunk.append(_parse_line(raw, lineno))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _answer(snap: Any, pred: Any, chunk: list[Any]) -> list[Any]:
    """The answers of a chunk, in order. Should the batch fail as a whole, every line is
    predicted alone, so that a line that cannot be predicted fails alone."""
    from advisor.predict.api import predict_many
    from advisor.schema import PredictRequest, PredictResult

    reqs = [s for s in chunk if isinstance(s, PredictRequest)]
    try:
        answers = iter(predict_many(snap, pred, reqs))
    except (ArithmeticError, ValueError, TypeError):  # retried line by line below
        one: list[Any] = []
        for r in reqs:
            try:
                one += predict_many(snap, pred, [r])
            except (ArithmeticError, ValueError, TypeError) as err:
                one.append(PredictResult(id=r.id, error=f"cannot predict: {type(err).__name__}: {err}"))
        answers = iter(one)
    return [next(answers) if isinstance(slot, PredictRequest) else slot for slot in chunk]


@click.command()
@click.option("--input", "input_file", required=True, help="JSON lines file, '-' for stdin.")
@click.option("--output", "output_file", default="-", show_default=True, help="JSON lines file, '-' for stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing --output file.")
@click.pass_context
def predict_cmd(ctx: click.Context, input_file: str, output_file: str, force: bool) -> None:
    """Predict decode/prefill tokens/s, TTFT, memory, fit and benchmark scores.

    One output line per input line, in order, written as each chunk of lines is predicted. A
    bad line gets `error` (naming the field) and does not stop the others; the exit code is then 2.
    """
    from advisor.catalog import catalog_snapshot
    from advisor.predict.predictor import get_predictor
    from advisor.safeio import refuse_existing, stdin_bytes

    if output_file != "-":
        refuse_existing(Path(output_file), force)
    try:
        src = stdin_bytes() if input_file == "-" else open(input_file, "rb")
    except OSError as exc:
        raise InputError(f"{input_file}: cannot read: {exc.strerror or exc}") from None
    snap = catalog_snapshot(db_url_of(ctx))
    pred = get_predictor(snap)
    with src, _Output(output_file) as out:
        failed = False
        for chunk in _chunks(src):
            for r in _answer(snap, pred, chunk):
                failed |= r.error is not None
                out.write(r.model_dump_json() + "\n")  # pydantic writes a non-finite float as null
    if failed:
        sys.exit(2)


class _Output:
    """stdout, or a file written whole or not at all: a fresh temporary file beside it (no user
    file is touched), renamed over it when every line is written."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tmp: Path | None = None

    def __enter__(self) -> Any:
        if self.name == "-":
            return sys.stdout
        import os
        import tempfile

        dest = Path(self.name)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent or ".")
        self.tmp = Path(tmp)
        self.fh = os.fdopen(fd, "w", encoding="utf-8")
        return self.fh

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if self.tmp is None:
            return
        self.fh.close()
        if exc_type is None:
            self.tmp.replace(self.name)
        else:
            self.tmp.unlink(missing_ok=True)


@click.group(name="model")
def model_group() -> None:
    """The predictor: error report on held-out groups, refit."""


@model_group.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--folds", type=int, default=5, show_default=True, help="Group folds per scheme.")
@click.pass_context
def evaluate(ctx: click.Context, as_json: bool, folds: int) -> None:
    """Grouped cross-validation: leave-hardware-out, leave-model-out, and new-models-out (every
    model released from 2025-06 on held out, trained on the older ones), with the roofline
    baseline (0.55 x bandwidth / weight bytes) on the same held-out rows."""
    from advisor.catalog import open_catalog
    from advisor.predict.evaluate import evaluate as run
    from advisor.progress import Progress

    bar = Progress("evaluating (fold fits)")
    report = run(open_catalog(db_url_of(ctx)).snapshot(), folds, bar.update)
    bar.close()
    if as_json:
        echo_json(report)
        return
    click.echo(render_report(report))


def _cell(m: dict[str, Any] | None) -> str:
    if not m or m.get("median_ape_pct") is None:
        return "-"
    cov = f", cover {m['coverage_80']:.0%}" if "coverage_80" in m else ""
    return f"{m['median_ape_pct']:.1f}% / {m['within_25pct']:.1%}{cov} (n={m['n']})"


DEVICES_SHOWN = 5  # held-out devices listed per target (by rows): the ones that set the medians


def render_report(r: dict[str, Any]) -> str:
    out = [f"Held-out error ({r['folds']} group folds; median abs. % error / share within 25 % / 80 % interval coverage)"]
    from advisor.predict.evaluate import SCHEMES

    for scheme in SCHEMES:
        out.append(f"\n{scheme}:")
        for target in ("decode", "prefill", "ttft"):
            e = r[scheme].get(target)
            if not e:
                continue
            base = e.get("baseline")
            same = e.get("same_rows_as_baseline")
            device = f"; per device {e['device_median_ape_pct']:.1f}%" if e.get("device_median_ape_pct") is not None else ""
            out.append(f"  {target:8} model {_cell(e)}{device}")
            if base:
                out.append(f"  {'':8} same rows: model {_cell(same)}  vs  baseline {_cell(base)}")
            flagged = e.get("flagged_anomalies") or {}
            if flagged.get("n"):
                out.append(f"  {'':8} rows flagged as anomalies in the catalog (left out above): {_cell(flagged)}")
            for k, v in e.get("by_kind", {}).items():
                out.append(f"    {k:6} {_cell(v)}" + (f"  baseline {_cell(v.get('baseline'))}" if v.get("baseline") else ""))
            devices = list(e.get("by_device", {}).items())[:DEVICES_SHOWN]
            if devices:
                out.append("    devices with the most rows (predicted / measured, median):")
                out += [f"      {k[:40]:40} x{v['median_ratio']:<5} {_cell(v)}" for k, v in devices]
        sc = r[scheme].get("score")
        if sc:
            out.append(f"  score    MAE {sc['mae_points']} points (median {sc['median_abs_err_points']}), "
                       f"cover {sc['coverage_80']:.0%}, n={sc['n']} over {sc['models']} models; "
                       f"baseline (benchmark mean) MAE {sc['baseline']['mae_points']}")
    m = r.get("memory", {})
    if m.get("n"):
        out.append(f"\nmemory (physics, no fit): {_cell(m)}")
    out.append(f"\n{r['seconds']} s")
    return "\n".join(out)


@model_group.command()
@click.pass_context
def refit(ctx: click.Context) -> None:
    """Fit the predictor now (it also refits by itself when the catalog changes)."""
    from advisor.catalog import open_catalog
    from advisor.predict.predictor import _CACHE, _path_for, fit_predictor

    snap = open_catalog(db_url_of(ctx)).snapshot()
    pred = fit_predictor(snap)
    pred.save(_path_for(snap.version))
    _CACHE.clear()
    click.echo(f"fitted in {pred.fit_seconds:.1f} s: decode {pred.decode.n_rows} rows, prefill "
               f"{pred.prefill.n_rows}, scores {pred.scores.n_rows}, memory {pred.memory.n_rows}")
