"""The library as templates for Simon Willison's `llm` (0.2x-0.3x): one `<id>.yaml` per prompt.

An `llm` template is text with `$name` placeholders (Python's `string.Template`): no
conditionals, no loops, values inserted as given. The body is rendered once with every
variable standing for its placeholder, so:

- every variable stays a variable (`-p max_words 50` changes the text); a literal `$` is `$$`;
- every optional variable has a `defaults` entry (the text the library prints for its default,
  or for its empty value), so a template runs with only its required variables;
- a `{% if x %}` block that adds fixed text (a boolean switch such as `include_tests`)
  becomes the placeholder `$x` whose default is that text (or empty when the default is off):
  `-p include_tests ''` leaves it out. Other conditional text is always included, and the
  file says so;
- `system`/`guardrail` prompts are `system:` templates (the input is the prompt), the others
  `prompt:`; params become `options` (temperature, max_tokens, top_p, seed, stop), a JSON
  schema `schema_object`. Notes are YAML comments at the top of the file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from advisor.prompts.export.common import ExportResult, body_nodes, dump_yaml, prompts_of, yaml_comments
from advisor.prompts.format import FrontMatter
from advisor.prompts.library import Library
from advisor.prompts.parse import PromptFile

_MARK = re.compile("\ue010(\\w+)\ue011")


def _marker(name: str) -> str:
    """Where variable `name` is inserted (private-use characters: never in a prompt)."""
    return f"\ue010{name}\ue011"


def _printed(value: Any) -> str:
    """A value as the library's Jinja2 prints it (`['a', 'b']`, `True`, `150`)."""
    from advisor.prompts.render import environment

    return str(environment().from_string("{{ v }}").render(v=value))


def _if_names(body: str) -> list[str]:
    """The variables tested by `{% if name %}` / `{% elif name %}`, in order."""
    from jinja2 import nodes

    from advisor.prompts.render import environment

    names = [n.test.name for n in environment().parse(body).find_all(nodes.If) if isinstance(n.test, nodes.Name)]
    return list(dict.fromkeys(names))


def _insertion(full: str, off: str) -> tuple[int, int] | None:
    """(start, end) of the text `full` has and `off` lacks, when that is all that differs."""
    if len(off) >= len(full):
        return None
    start = len(os.path.commonprefix([full, off]))
    tail = os.path.commonprefix([full[start:][::-1], off[start:][::-1]])
    end = len(full) - len(tail)
    return (start, end) if off == full[:start] + full[end:] else None


def _switches(meta: FrontMatter, body: str, full: str) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """The `{% if x %}` blocks that add fixed text (their span in `full`, by variable) and the
    variables whose conditional text stays in (noted)."""
    from advisor.prompts.render import environment

    spans: dict[str, tuple[int, int]] = {}
    kept: list[str] = []
    template = environment().from_string(body)
    base = {n: _marker(n) for n in meta.variables}
    for name in _if_names(body):
        if name not in meta.variables:
            continue
        off = template.render(**{**base, name: ""})
        span = _insertion(full, off)
        block = full[span[0]:span[1]] if span else ""
        overlaps = span and any(s < span[1] and span[0] < e for s, e in spans.values())
        if span and not _MARK.search(block) and _marker(name) not in full and not overlaps:
            spans[name] = span
        elif off != full:
            kept.append(name)
    return spans, kept


def _placeholders(text: str) -> str:
    """Markers -> `$name` (`${name}` before a letter, digit or underscore); `$` -> `$$`."""
    text = text.replace("$", "$$")

    def one(m: re.Match[str]) -> str:
        after = text[m.end():m.end() + 1]
        return "${" + m.group(1) + "}" if re.match(r"\w", after) else "$" + m.group(1)

    return _MARK.sub(one, text)


def llm_template(pf: PromptFile) -> tuple[str, dict[str, Any], list[str]]:
    """(template text, defaults, notes) of one prompt."""
    from advisor.prompts.render import empty_value, environment

    meta = pf.meta
    assert meta is not None
    full = environment().from_string(pf.body).render(**{n: _marker(n) for n in meta.variables})
    spans, kept = _switches(meta, pf.body, full)
    defaults: dict[str, Any] = {}
    notes = [f"text under {{% if {n} %}} is always included (llm templates have no conditionals)" for n in kept]
    for name, (start, end) in sorted(spans.items(), key=lambda kv: -kv[1][0]):
        var = meta.variables[name]
        defaults[name] = full[start:end] if var.default else ""
        full = full[:start] + _marker(name) + full[end:]
        notes.append(f"'{name}' stands for the text it switches on (default: {'on' if var.default else 'off'}); "
                     f"-p {name} '' leaves it out, any other value is inserted as text")
    for name, var in meta.variables.items():
        if name in spans or _marker(name) not in full:
            continue
        if var.type == "list":
            notes.append(f"list '{name}': llm inserts the text passed as it is (the library prints a list as ['a', 'b'])")
        if not (var.required and var.default is None):
            defaults[name] = _printed(var.default if var.default is not None else empty_value(var))
    extra = body_nodes(pf.body) - {"If(expression)"}
    if extra or "If(expression)" in body_nodes(pf.body):
        notes.append(f"uses Jinja features llm templates cannot express ({', '.join(sorted(body_nodes(pf.body)))}): "
                     "rendered with placeholders, check the text")
    if "input" in meta.variables:
        notes.append("variable 'input' is llm's own input: the text given on the command line fills it")
    ordered = {n: defaults[n] for n in meta.variables if n in defaults}
    return _placeholders(full), ordered, notes


def _options(meta: FrontMatter) -> dict[str, Any]:
    """The prompt's params as llm model options (OpenAI names)."""
    p = meta.params
    return {k: v for k, v in {"temperature": p.temperature, "max_tokens": p.max_output_tokens,
                              "top_p": p.top_p, "seed": p.seed, "stop": p.stop}.items() if v is not None}


def export_llm(lib: Library, out: Path, model: str | None = None) -> ExportResult:
    """Write one llm template per prompt of `lib` under `out`."""
    res = ExportResult("llm")
    out.mkdir(parents=True, exist_ok=True)
    for pf in prompts_of(lib):
        meta = pf.meta
        assert meta is not None
        text, defaults, notes = llm_template(pf)
        data: dict[str, Any] = {"system" if meta.kind in ("system", "guardrail") else "prompt": text}
        if model:
            data["model"] = model
        if defaults:
            data["defaults"] = defaults
        if _options(meta):
            data["options"] = _options(meta)
        if meta.output.format == "json" and meta.output.schema_:
            data["schema_object"] = meta.output.schema_
        path = out / f"{meta.id}.yaml"
        header = yaml_comments([f"advisor prompts export --format llm: {meta.id} {meta.version}",
                                *(f"note: {n}" for n in notes)])
        path.write_text(header + dump_yaml(data), encoding="utf-8")
        res.files.append(path)
        res.notes += [(path, n) for n in notes]
    return res
