"""The catalog over HTTP. Reads: stats, models, hardware, search, one entry. Writes (with the
write token): an import of a file's text (`advisor catalog import`) and measurements as rows
(the columns of measurements.csv), validated first and written in one transaction."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query

from advisor.errors import AdvisorError, InputError, NotFoundError
from advisor.serve.auth import require_writer
from advisor.serve.body import StrictRoute
from advisor.serve.context import Served, served
from advisor.serve.errors import ServeError, StrictJSONResponse, documented_errors
from advisor.serve.models import (
    HardwareRow, ImportAnswer, ImportRequest, MeasurementsIn, ModelRow, SearchResult, WriteAnswer,
)

router = APIRouter(route_class=StrictRoute, responses=documented_errors(), tags=["catalog"])
SEARCH = Query(None, max_length=200, description="substring of the name, an alias or the family")


def _cat(s: Served) -> Any:
    return s.gate.catalog()


@router.get("/v1/catalog/stats", response_model=dict[str, Any], summary="Counts of the catalog")
async def stats(s: Served = Depends(served)) -> Any:
    return StrictJSONResponse(await s.read_light(lambda: _cat(s).stats()))


@router.get("/v1/catalog/models", response_model=list[ModelRow], summary="Models")
async def models(search: str | None = SEARCH, s: Served = Depends(served)) -> Any:
    return StrictJSONResponse(await s.read_light(lambda: _cat(s).list_models(search)))


@router.get("/v1/catalog/hardware", response_model=list[HardwareRow], summary="Hardware devices")
async def hardware(search: str | None = SEARCH, s: Served = Depends(served)) -> Any:
    return StrictJSONResponse(await s.read_light(lambda: _cat(s).list_hardware(search)))


@router.get("/v1/catalog/search", response_model=SearchResult, summary="Models and devices matching a text")
async def search(q: str = Query(min_length=1, max_length=200), s: Served = Depends(served)) -> Any:
    def both() -> dict[str, Any]:
        cat = _cat(s)
        return {"models": cat.list_models(q), "hardware": cat.list_hardware(q)}

    return StrictJSONResponse(await s.read_light(both))


@router.get("/v1/catalog/entries/{name}", response_model=dict[str, Any],
            summary="One model or device (by name or alias) with its measurements, scores and sources")
async def entry(name: str, s: Served = Depends(served)) -> Any:
    if len(name) > 300:
        raise ServeError(422, "invalid: name: at most 300 characters")
    try:
        return StrictJSONResponse(await s.read_light(lambda: _cat(s).show(name)))
    except NotFoundError as exc:
        raise ServeError(404, str(exc)) from None


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _import(s: Served, req: ImportRequest) -> dict[str, Any]:
    """The text written to a private temporary file under its own name (a seed CSV is matched
    by name), imported as `advisor catalog import` does; messages name the file as sent."""
    from advisor.catalog.tools import Overrides, import_any

    name = _SAFE_NAME.sub("_", Path(req.filename).name).strip("._") or "upload"
    with tempfile.TemporaryDirectory(prefix="advisor-serve-") as tmp:
        path = Path(tmp) / name
        path.write_text(req.content, encoding="utf-8")
        try:
            result = import_any(_cat(s), path, req.format,
                                Overrides(req.model, req.hardware, req.quant, req.engine, req.source))
        except AdvisorError as exc:
            raise InputError(str(exc).replace(str(path), name)) from None
    return {"format": result.format, "table": result.table, "rows": result.rows, "already": result.already,
            "skipped": result.skipped, "notes": result.notes, "summary": result.summary(name)}


@router.post("/v1/catalog/imports", response_model=ImportAnswer, status_code=201,
             dependencies=[Depends(require_writer)], summary="Import a file's text (write token)")
async def import_endpoint(req: ImportRequest, s: Served = Depends(served)) -> Any:
    """Seed CSV, llama-bench, vLLM serving, lm-eval, Ollama or llama.cpp server output; one
    transaction; figures already in the catalog are not added again."""
    return StrictJSONResponse(await s.write(_import, s, req), status_code=201)


def _measurements(s: Served, req: MeasurementsIn) -> dict[str, Any]:
    from advisor.catalog.rows import SPEC_BY_FILE
    from advisor.catalog.seed_io import import_tables

    cat = _cat(s)
    rows = [(i, m.seed_row()) for i, m in enumerate(req.measurements)]
    already: dict[str, int] = {}
    try:
        n = import_tables(cat.engine, [(SPEC_BY_FILE["measurements.csv"], rows)], "measurements", already)
    except AdvisorError as exc:
        # rows are numbered from 0 here: "measurements:3: ..." -> "measurements.3: ..."
        raise InputError(re.sub(r"^measurements:(\d+):", r"measurements.\1:", str(exc))) from None
    return {"rows": n["measurements"], "already": already.get("measurements", 0),
            "catalog_version": cat.data_version()}


@router.post("/v1/catalog/measurements", response_model=WriteAnswer, status_code=201,
             dependencies=[Depends(require_writer)], summary="Record measurements (write token)")
async def measurements_endpoint(req: MeasurementsIn, s: Served = Depends(served)) -> Any:
    """Measurements made elsewhere (e.g. by `advisor measure --dry-run --json`), as rows of
    measurements.csv: all written or, on the first bad row, none."""
    return StrictJSONResponse(await s.write(_measurements, s, req), status_code=201)
