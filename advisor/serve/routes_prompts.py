"""The prompt library over HTTP: list, render with variables, generate a set for a model. The
library is the server's (`--prompts-dir`, else ADVISOR_PROMPTS_PATH, else the bundled one)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query

from advisor.errors import NotFoundError
from advisor.schema import PromptSet, Task
from advisor.serve.body import StrictRoute
from advisor.serve.context import Served, served
from advisor.serve.errors import ServeError, StrictJSONResponse, documented_errors
from advisor.serve.models import GenerateRequest, PromptRow, Rendered, RenderRequest

router = APIRouter(route_class=StrictRoute, responses=documented_errors(), tags=["prompts"])
PROMPT_ID = Path(max_length=200, description="the prompt's id")


def _library(s: Served) -> Any:
    from advisor.prompts.library import load_library

    return load_library(list(s.settings.prompt_dirs) or None, s.settings.with_bundled)


def _rows(s: Served, task: str | None) -> list[dict[str, Any]]:
    rows = []
    for pf in _library(s).valid():
        m = pf.meta
        if m is not None and (task is None or m.task == task):
            rows.append({"id": m.id, "task": m.task, "kind": m.kind, "version": m.version, "status": m.status,
                         "title": m.title, "variables": list(m.variables)})
    return sorted(rows, key=lambda r: (r["task"], r["kind"], r["id"]))


@router.get("/v1/prompts", response_model=list[PromptRow], summary="The prompts of the library")
async def list_prompts(task: Task | None = Query(None), s: Served = Depends(served)) -> Any:
    return StrictJSONResponse(await s.runner.run(_rows, s, task))


def _render(s: Served, prompt_id: str, values: dict[str, Any]) -> dict[str, str]:
    from advisor.prompts.render import render_prompt

    try:
        pf = _library(s).get(prompt_id)
    except NotFoundError as exc:
        raise ServeError(404, str(exc)) from None
    return {"id": prompt_id, "text": render_prompt(pf, values)}


@router.post("/v1/prompts/{prompt_id}/render", response_model=Rendered, summary="Render a prompt with variables")
async def render(req: RenderRequest, prompt_id: str = PROMPT_ID, s: Served = Depends(served)) -> Any:
    """Missing or disallowed values are 422 naming the variable."""
    return StrictJSONResponse(await s.runner.run(_render, s, prompt_id, req.vars))


def _generate(s: Served, req: GenerateRequest) -> dict[str, Any]:
    from advisor.prompts.generate import generate_prompt_set

    ps = generate_prompt_set(req.task, req.model, req.domain, list(s.settings.prompt_dirs) or None,
                             context_window=req.context_window, db_url=s.gate.db_url,
                             with_bundled=s.settings.with_bundled)
    return ps.model_dump(mode="json")


@router.post("/v1/prompts/generate", response_model=PromptSet, summary="A prompt set tailored to a model")
async def generate(req: GenerateRequest, s: Served = Depends(served)) -> Any:
    """The same set as `advisor prompts generate --json` (no refinement: that calls a model)."""
    return StrictJSONResponse(await s.read(_generate, s, req))
