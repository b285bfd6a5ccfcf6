"""Rendering prompt bodies with Jinja2, safely and strictly.

- `SandboxedEnvironment` (templates cannot reach Python internals) with `StrictUndefined`
  (an unknown `{{ name }}` is an error, never an empty string), `trim_blocks` and
  `lstrip_blocks` (a `{% if %}` line leaves no blank line) and `keep_trailing_newline`.
- Values are checked against the declared variables: a missing required variable, an
  undeclared one, a wrong type or a value outside `allowed` is an `InputError` naming it.
- Defaults are applied; an optional variable without default renders empty
  ("" for strings, [] for lists, false for booleans, none for numbers).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from collections.abc import Iterable
from typing import Any

from advisor.errors import InputError
from advisor.prompts.format import FrontMatter, Variable, _type_ok
from advisor.prompts.parse import PromptFile

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


@lru_cache(maxsize=1)
def environment() -> Any:
    """The shared sandboxed Jinja2 environment (bounded: `advisor.prompts.sandbox`)."""
    from advisor.prompts.sandbox import make_environment

    return make_environment()


@lru_cache(maxsize=1024)
def template(body: str) -> Any:
    """A body compiled once (a warm prompt set does not compile its templates again)."""
    return environment().from_string(body)


def empty_value(var: Variable) -> Any:
    """The value an unset optional variable renders with."""
    return {"string": "", "list": [], "boolean": False}.get(var.type)


def coerce(name: str, var: Variable, value: Any) -> Any:
    """Convert a command-line string to the declared type; check the type otherwise."""
    if isinstance(value, str) and var.type != "string":
        text = value.strip()
        try:
            if var.type == "integer":
                return int(text)
            if var.type == "number":
                return float(text)
            if var.type == "boolean":
                if text.lower() in _TRUE:
                    return True
                if text.lower() in _FALSE:
                    return False
                raise ValueError(text)
            if var.type == "list":
                if text.startswith("["):
                    parsed = json.loads(text)
                    if isinstance(parsed, list):
                        return parsed
                return [p.strip() for p in text.split(",") if p.strip()]
        except ValueError:
            raise InputError(f"variable '{name}': {value!r} is not a {var.type}") from None
    if var.type == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not _type_ok(var.type, value):
        raise InputError(f"variable '{name}': {value!r} is not a {var.type}")
    return value


def resolve_values(meta: FrontMatter, values: dict[str, Any]) -> dict[str, Any]:
    """Checked values for every declared variable (defaults and empties filled in)."""
    unknown = sorted(set(values) - set(meta.variables))
    if unknown:
        declared = ", ".join(sorted(meta.variables)) or "none"
        raise InputError(
            f"unknown variable '{unknown[0]}' for prompt '{meta.id}' (declared: {declared})"
        )
    out: dict[str, Any] = {}
    for name, var in meta.variables.items():
        if name in values and values[name] is not None:
            value = coerce(name, var, values[name])
            if var.allowed is not None and value not in var.allowed:
                allowed = ", ".join(map(str, var.allowed))
                raise InputError(f"variable '{name}': {value!r} is not allowed (allowed: {allowed})")
            out[name] = value
        elif var.default is not None:
            out[name] = var.default
        elif var.required:
            desc = f" ({var.description})" if var.description else ""
            raise InputError(f"missing required variable '{name}'{desc} for prompt '{meta.id}'")
        else:
            out[name] = empty_value(var)
    return out


def render_body(body: str, context: dict[str, Any], where: str = "prompt",
                max_tokens: Iterable[int | None] = ()) -> str:
    """Render a Jinja2 body within the sandbox's bounds (output stops at a limit from the body,
    the values and the variables' declared `max_tokens`); template errors become InputError
    naming the problem and its body line."""
    from jinja2 import TemplateError, UndefinedError

    from advisor.prompts.sandbox import RenderLimit, bounded_render, output_limit

    try:
        return bounded_render(template(body), context, output_limit(body, context, max_tokens))
    except RenderLimit as exc:
        at = f" (body line {exc.line})" if exc.line else ""
        raise InputError(f"{where}: {exc}{at}") from None
    except UndefinedError as exc:
        raise InputError(f"{where}: {exc.message}") from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        at = f" (body line {line})" if line else ""
        raise InputError(f"{where}: template error{at}: {exc}") from None


def render_prompt(prompt: PromptFile, values: dict[str, Any] | None = None) -> str:
    """Render a prompt file with `values` checked against its declared variables."""
    if prompt.meta is None:
        raise InputError(f"{prompt.display} has errors; run `advisor prompts lint`")
    context = resolve_values(prompt.meta, dict(values or {}))
    return render_body(prompt.body, context, where=prompt.meta.id,
                       max_tokens=[v.max_tokens for v in prompt.meta.variables.values()])


# --------------------------------------------------------------------------- analysis

_SENTINEL = re.compile("\ue000([A-Za-z_][A-Za-z0-9_]*)\ue001", re.IGNORECASE)


def sentinel(name: str) -> str:
    """A marker that renders where `name` is inserted (private-use characters around it)."""
    return f"\ue000{name}\ue001"


def probe_values(meta: FrontMatter) -> dict[str, Any]:
    """Every string/list variable set to a sentinel (truthy, so conditional text is included),
    others to their default or a plain value."""
    context: dict[str, Any] = {}
    for name, var in meta.variables.items():
        if var.type == "string":
            context[name] = sentinel(name)
        elif var.type == "list":
            context[name] = [sentinel(name)]
        elif var.default is not None:
            context[name] = var.default
        elif var.allowed:
            context[name] = var.allowed[0]
        else:
            context[name] = {"integer": 1, "number": 1.0, "boolean": True}[var.type]
    return context


def probe_render(meta: FrontMatter, body: str) -> tuple[str, dict[str, int]] | None:
    """Render with `probe_values`. Returns the text with the sentinels removed and how many
    times each variable was inserted; None if it fails."""
    from advisor.prompts.sandbox import bounded_render, output_limit

    context = probe_values(meta)
    try:
        limit = output_limit(body, context, [v.max_tokens for v in meta.variables.values()])
        text = bounded_render(template(body), context, limit)
    except Exception:  # noqa: BLE001 - any failure falls back to the simple estimate
        return None
    counts: dict[str, int] = {}
    lowered = {n.lower(): n for n in meta.variables}
    for m in _SENTINEL.finditer(text):
        name = lowered.get(m.group(1).lower())
        if name:
            counts[name] = counts.get(name, 0) + 1
    return _SENTINEL.sub("", text), counts


def template_names(body: str) -> tuple[dict[str, int], str | None, int | None]:
    """Undeclared names used by a body with the body line of first use, or a syntax error
    (message, body line). Jinja globals (range, dict, ...) are not counted."""
    names, error, line = _template_names(body)
    return dict(names), error, line


@lru_cache(maxsize=512)
def _template_names(body: str) -> tuple[tuple[tuple[str, int], ...], str | None, int | None]:
    """`template_names` of a body, parsed once per body text (the library is read per answer)."""
    from jinja2 import TemplateSyntaxError, meta, nodes

    env = environment()
    try:
        ast = env.parse(body)
    except TemplateSyntaxError as exc:
        return (), exc.message or str(exc), exc.lineno
    names = meta.find_undeclared_variables(ast) - set(env.globals)
    first: dict[str, int] = {}
    for node in ast.find_all(nodes.Name):
        if node.name in names and node.ctx == "load":
            first[node.name] = min(first.get(node.name, node.lineno), node.lineno)
    for name in names:
        first.setdefault(name, 1)
    return tuple(sorted(first.items())), None, None
