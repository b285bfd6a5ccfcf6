"""The library as Prompty 2 files (`prompty[jinja2]` 2.x): one `<id>.prompty` per prompt.

Front matter in Prompty 2's schema: `name` (the id), `displayName`, `description`,
`metadata` (version, authors, tags, the prompt's task/kind/status), `model` (`id`,
`provider`, `apiType: chat`, `options`: temperature, topP, maxOutputTokens, stopSequences,
seed), `inputs` (a `kind` each: string, integer, float, boolean, or array with `items`;
`required`, `default`, `enumValues`, `description`) and `template` (jinja2 format, prompty
parser). The body follows a `system:` (system, guardrail) or `user:` (template, example)
role line. Prompty renders Jinja2 with default whitespace handling, so the whitespace the
library's `trim_blocks`/`lstrip_blocks` remove is removed in the body (checked by rendering).

Notes per file: JSON output becomes JSON mode (`response_format` json_object) with the schema
in `metadata.output_schema` (Prompty's `outputs` would make every property required); an
optional number without default renders "None" in the library and "" in Prompty.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from advisor.prompts.export.common import (
    ExportResult, dump_yaml, explicit_whitespace, prompts_of, same_rendering, yaml_comments,
)
from advisor.prompts.format import FrontMatter, Variable
from advisor.prompts.library import Library
from advisor.prompts.parse import PromptFile

_KINDS = {"string": "string", "integer": "integer", "number": "float", "boolean": "boolean", "list": "array"}
_EMPTY = {"string": "", "list": [], "boolean": False}
# a line Prompty's parser reads as a new message (prompty.parsers.prompty._BOUNDARY_RE)
_ROLE_LINE = re.compile(r"(?im)^\s*#?\s*(system|user|assistant|developer)(\[[^\]]*\])?\s*:\s*$")


def _item_kind(var: Variable) -> str:
    """The kind of a list's items: that of its default or allowed values, else string."""
    values = [*(var.default or []), *(v for a in (var.allowed or []) for v in (a if isinstance(a, list) else [a]))]
    kinds = {type(v) for v in values}
    if kinds == {int}:
        return "integer"
    if kinds and kinds <= {int, float}:
        return "float"
    if kinds == {bool}:
        return "boolean"
    return "string"


def inputs_of(meta: FrontMatter) -> tuple[dict[str, Any], list[str]]:
    """Prompty 2 `inputs` for the prompt's variables, and notes."""
    inputs: dict[str, Any] = {}
    notes = []
    for name, var in meta.variables.items():
        spec: dict[str, Any] = {"kind": _KINDS[var.type]}
        if var.type == "list":
            spec["items"] = {"kind": _item_kind(var)}
        if var.description:
            spec["description"] = var.description
        required = var.required and var.default is None
        spec["required"] = required
        if var.default is not None:
            spec["default"] = var.default
        elif not required and var.type in _EMPTY:
            spec["default"] = _EMPTY[var.type]  # what the library renders for an unset optional
        elif not required:
            notes.append(f"optional {var.type} '{name}' has no default: unset, the library prints "
                         "None, Prompty nothing")
        if var.allowed:
            spec["enumValues"] = list(var.allowed)
        inputs[name] = spec
    return inputs, notes


def model_of(meta: FrontMatter, model: str) -> tuple[dict[str, Any], list[str]]:
    """Prompty 2 `model` (id, provider, apiType, options) with the prompt's params, and notes."""
    provider, _, model_id = model.rpartition(":")
    p = meta.params
    options = {k: v for k, v in {"temperature": p.temperature, "topP": p.top_p,
                                 "maxOutputTokens": p.max_output_tokens, "stopSequences": p.stop,
                                 "seed": p.seed}.items() if v is not None}
    notes = []
    if meta.output.format == "json":
        options["additionalProperties"] = {"response_format": {"type": "json_object"}}
        if meta.output.schema_:
            notes.append("JSON output: JSON mode (response_format json_object), the schema in "
                         "metadata.output_schema (Prompty `outputs` would require every property)")
    spec: dict[str, Any] = {"id": model_id, "provider": provider or "openai", "apiType": "chat"}
    if options:
        spec["options"] = options
    return spec, notes


def prompty_text(pf: PromptFile, model: str) -> tuple[str, list[str]]:
    """The `.prompty` file of one prompt and its notes."""
    meta = pf.meta
    assert meta is not None
    inputs, notes = inputs_of(meta)
    model_spec, model_notes = model_of(meta, model)
    notes += model_notes
    body = explicit_whitespace(pf.body)
    if body is None or not same_rendering(pf, body):
        body = pf.body if body is None else body
        notes.append("whitespace around {% %} tags may differ from the library's rendering")
    if _ROLE_LINE.search(body):
        notes.append("a body line looks like a role marker ('user:'): Prompty starts a new message there")
    metadata: dict[str, Any] = {"version": meta.version, "authors": list(meta.owners), "tags": list(meta.tags),
                                "advisor": {"task": meta.task, "kind": meta.kind, "status": meta.status}}
    if meta.output.format == "json" and meta.output.schema_:
        metadata["output_schema"] = meta.output.schema_
    front: dict[str, Any] = {"name": meta.id, "displayName": meta.title,
                             "description": meta.description or meta.title, "metadata": metadata,
                             "model": model_spec, "inputs": inputs,
                             "template": {"format": {"kind": "jinja2"}, "parser": {"kind": "prompty"}}}
    role = "system" if meta.kind in ("system", "guardrail") else "user"
    header = yaml_comments([f"advisor prompts export --format prompty: {meta.id} {meta.version}",
                            *(f"note: {n}" for n in notes)])
    return f"---\n{header}{dump_yaml(front)}---\n{role}:\n{body.strip()}\n", notes


def export_prompty(lib: Library, out: Path, model: str = "gpt-4o-mini") -> ExportResult:
    """Write one Prompty 2 file per prompt of `lib` under `out`."""
    res = ExportResult("prompty")
    out.mkdir(parents=True, exist_ok=True)
    for pf in prompts_of(lib):
        assert pf.meta is not None
        path = out / f"{pf.meta.id}.prompty"
        text, notes = prompty_text(pf, model)
        path.write_text(text, encoding="utf-8")
        res.files.append(path)
        res.notes += [(path, n) for n in notes]
    return res
