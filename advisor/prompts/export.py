"""Exporting the library to other tools' formats.

- `promptfoo`: `promptfooconfig.yaml` + `prompts/<id>.txt` (Nunjucks reads the Jinja
  `{{ var }}` syntax); tests come from the `.tests.yaml` files (`json_schema` becomes
  promptfoo's `is-json` with the schema as value); each test is tied to its prompt with
  `prompts: [<id>]` and `metadata.prompt`.
- `prompty`: one `<id>.prompty` per prompt: YAML front matter (name, description, model with
  parameters, inputs) and a `system:` (system/guardrail) or `user:` (template/example) body;
  Prompty's default template engine is Jinja2, so bodies are copied as they are.
- `llm`: one `<id>.yaml` template per prompt for Simon Willison's `llm`: `system` or
  `prompt`, `$var` placeholders, `defaults`. `llm` templates have no control flow: the body is
  rendered with every variable standing for its `$name` placeholder (so `{% if var %}` text
  is kept), and literal `$` are doubled.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml

from advisor.prompts.library import Library
from advisor.prompts.parse import PromptFile, parse_tests_file

Format = Literal["promptfoo", "prompty", "llm"]
FORMATS: tuple[str, ...] = ("promptfoo", "prompty", "llm")


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _prompts(lib: Library) -> list[PromptFile]:
    return sorted(lib.valid(), key=lambda f: f.meta.id)  # type: ignore[union-attr]


def export_promptfoo(lib: Library, out: Path, provider: str = "openai:gpt-4o-mini") -> list[Path]:
    folder = out / "prompts"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    prompts, tests = [], []
    for pf in _prompts(lib):
        meta = pf.meta
        assert meta is not None
        path = folder / f"{meta.id}.txt"
        path.write_text(pf.body, encoding="utf-8")
        written.append(path)
        prompts.append({"id": f"file://prompts/{meta.id}.txt", "label": meta.id})
        if pf.tests_path.is_file():
            parsed, _, _ = parse_tests_file(pf.tests_path)
            for case in [c for c in (parsed.cases if parsed else []) if c is not None]:
                asserts = []
                for a in case.assert_:
                    if a.type == "json_schema":
                        asserts.append({"type": "is-json", "value": a.value})
                    elif a.value is None:
                        asserts.append({"type": a.type})
                    else:
                        asserts.append({"type": a.type, "value": a.value})
                defaults = {n: v.default for n, v in meta.variables.items() if v.default is not None}
                tests.append({
                    "description": f"{meta.id}: {case.name}",
                    "prompts": [meta.id],
                    "vars": {**defaults, **case.vars},
                    "assert": asserts,
                    "metadata": {"prompt": meta.id},
                })
    config = {
        "description": "Exported from the advisor prompt library",
        "prompts": prompts,
        "providers": [provider],
        "tests": tests,
    }
    path = out / "promptfooconfig.yaml"
    path.write_text(_dump(config), encoding="utf-8")
    return [path, *written]


_PROMPTY_TYPES = {"string": "string", "integer": "number", "number": "number",
                  "boolean": "boolean", "list": "array"}


def export_prompty(lib: Library, out: Path, model: str = "gpt-4o-mini") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for pf in _prompts(lib):
        meta = pf.meta
        assert meta is not None
        params = {k: v for k, v in {"temperature": meta.params.temperature, "top_p": meta.params.top_p,
                                   "max_tokens": meta.params.max_output_tokens}.items() if v is not None}
        if meta.output.format == "json":
            params["response_format"] = {"type": "json_object"}
        inputs = {}
        for name, var in meta.variables.items():
            spec: dict[str, Any] = {"type": _PROMPTY_TYPES[var.type]}
            if var.description:
                spec["description"] = var.description
            if var.default is not None:
                spec["default"] = var.default
            inputs[name] = spec
        front = {
            "name": meta.title,
            "description": meta.description or meta.title,
            "version": meta.version,
            "authors": list(meta.owners),
            "tags": list(meta.tags),
            "model": {"api": "chat", "configuration": {"type": "openai", "name": model},
                      "parameters": params},
            "inputs": inputs,
        }
        role = "system" if meta.kind in ("system", "guardrail") else "user"
        path = out / f"{meta.id}.prompty"
        path.write_text(f"---\n{_dump(front)}---\n{role}:\n{pf.body.strip()}\n", encoding="utf-8")
        written.append(path)
    return written


def _llm_text(pf: PromptFile) -> str:
    from advisor.prompts.render import environment

    meta = pf.meta
    assert meta is not None
    marker = "\ue010{}\ue011"
    context: dict[str, Any] = {}
    for name, var in meta.variables.items():
        if var.type == "list":
            context[name] = [marker.format(name)]
        elif var.type == "string":
            context[name] = marker.format(name)
        else:
            context[name] = var.default if var.default is not None else marker.format(name)
    try:
        text = environment().from_string(pf.body).render(**context)
    except Exception:  # noqa: BLE001 - fall back to plain substitution of {{ name }}
        text = re.sub(r"\{\{-?\s*([A-Za-z_]\w*)\s*-?\}\}", lambda m: marker.format(m.group(1)), pf.body)
    text = text.replace("$", "$$")
    return re.sub("\ue010(\\w+)\ue011", lambda m: "$" + m.group(1), text)


def export_llm(lib: Library, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for pf in _prompts(lib):
        meta = pf.meta
        assert meta is not None
        data: dict[str, Any] = {}
        key = "system" if meta.kind in ("system", "guardrail") else "prompt"
        data[key] = _llm_text(pf)
        defaults = {n: v.default for n, v in meta.variables.items() if v.default is not None}
        if defaults:
            data["defaults"] = defaults
        if meta.output.format == "json" and meta.output.schema_:
            data["schema_object"] = meta.output.schema_
        path = out / f"{meta.id}.yaml"
        path.write_text(_dump(data), encoding="utf-8")
        written.append(path)
    return written


def export_library(lib: Library, fmt: str, out: Path, model: str | None = None) -> list[Path]:
    """Export every valid prompt of `lib` to `out` in format `fmt`."""
    from advisor.errors import InputError

    if fmt == "promptfoo":
        return export_promptfoo(lib, out, provider=f"openai:{model}" if model and ":" not in model
                                else (model or "openai:gpt-4o-mini"))
    if fmt == "prompty":
        return export_prompty(lib, out, model=model or "gpt-4o-mini")
    if fmt == "llm":
        return export_llm(lib, out)
    raise InputError(f"unknown export format '{fmt}' (expected one of: {', '.join(FORMATS)})")
