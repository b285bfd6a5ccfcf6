"""What every export shares: the result (files written and notes per file), the prompts in
id order, YAML output, and the body rewritten for template engines that render with default
settings (the library renders with `trim_blocks` and `lstrip_blocks`; Prompty's Jinja2 and
promptfoo's Nunjucks do not, so the whitespace those settings remove is removed here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.prompts.format import FrontMatter
from advisor.prompts.library import Library
from advisor.prompts.parse import PromptFile

# a block tag or a comment (what trim_blocks / lstrip_blocks act on; `{{ }}` is not)
_TAG = re.compile(r"\{%[-+]?.*?[-+]?%\}|\{#[-+]?.*?[-+]?#\}", re.S)
_WS = re.compile(r"\s+")
# Jinja nodes every target renders the same way (plain text, `{{ name }}`, `{% if name %}`)
PLAIN_NODES = frozenset({"Template", "Output", "TemplateData", "Name", "If"})


@dataclass
class ExportResult:
    """The files an export wrote and, per file, what the target cannot express."""

    format: str
    files: list[Path] = field(default_factory=list)
    notes: list[tuple[Path, str]] = field(default_factory=list)

    def note(self, path: Path, text: str) -> None:
        """Record what `path` cannot express."""
        self.notes.append((path, text))


def prompts_of(lib: Library) -> list[PromptFile]:
    """The valid prompts of the library, by id."""
    return sorted(lib.valid(), key=lambda f: f.meta.id)  # type: ignore[union-attr]


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line text as `|` blocks (templates stay readable in the files)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and not any(line != line.rstrip() for line in value.splitlines()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    """YAML in the order given, Unicode kept, multi-line text as blocks (what every export writes)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def yaml_comments(lines: list[str]) -> str:
    """Lines as YAML comments (a header the file's readers see and parsers ignore)."""
    return "".join(f"# {line}\n" for text in lines for line in text.splitlines())


def explicit_whitespace(body: str) -> str | None:
    """The body rendered by an engine with default settings as the library renders it with
    `trim_blocks` and `lstrip_blocks`: the newline after each block tag and the indentation
    before it removed by hand (Jinja's lexer rules; `{%+`, `{%-` and `-%}` keep their meaning).
    None when the body has `{% raw %}` sections (tags inside them are text)."""
    if re.search(r"\{%[-+]?\s*raw\b", body):
        return None
    out: list[str] = []
    pos = 0
    for m in _TAG.finditer(body):
        chunk, tag = body[pos:m.start()], m.group(0)
        if tag[2:3] not in ("+", "-"):
            nl = chunk.rfind("\n")
            line_start = nl >= 0 or pos == 0 or body[pos - 1] == "\n"
            if line_start and _WS.fullmatch(chunk, nl + 1):
                chunk = chunk[:nl + 1]
        out += [chunk, tag]
        pos = m.end()
        if not tag.endswith(("+%}", "-%}", "+#}", "-#}")):
            pos += 2 if body.startswith("\r\n", pos) else 1 if body.startswith(("\n", "\r"), pos) else 0
    out.append(body[pos:])
    return "".join(out)


def plain_environment() -> Any:
    """A Jinja2 environment with default whitespace handling (what Prompty renders with)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


def probe_contexts(meta: FrontMatter) -> list[dict[str, Any]]:
    """Two contexts that visit both sides of every `{% if %}`: all values present, all empty."""
    from advisor.prompts.render import empty_value, sentinel

    full: dict[str, Any] = {}
    empty: dict[str, Any] = {}
    for name, var in meta.variables.items():
        present = {"string": sentinel(name), "list": [sentinel(name)], "integer": 7,
                   "number": 2.5, "boolean": True}[var.type]
        full[name] = present
        empty[name] = empty_value(var)
    return [full, empty]


def same_rendering(pf: PromptFile, plain_body: str) -> bool:
    """Whether `plain_body` under default settings renders as the library renders the body."""
    from advisor.prompts.render import environment

    assert pf.meta is not None
    try:
        ours, theirs = environment().from_string(pf.body), plain_environment().from_string(plain_body)
        return all(ours.render(**c) == theirs.render(**c) for c in probe_contexts(pf.meta))
    except Exception:  # noqa: BLE001 - any failure means "not shown to be the same"
        return False


def body_nodes(body: str) -> set[str]:
    """The kinds of Jinja nodes in a body beyond plain text, `{{ name }}` and `{% if name %}`
    (what a target with another engine or none may render differently)."""
    from jinja2 import nodes

    from advisor.prompts.render import environment

    ast = environment().parse(body)
    found = {type(n).__name__ for n in ast.find_all(nodes.Node)} - PLAIN_NODES
    for node in ast.find_all(nodes.If):
        if not isinstance(node.test, nodes.Name):
            found.add("If(expression)")
    return found
