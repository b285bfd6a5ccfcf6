"""Adapting one library prompt to a model (the rules are in `advisor.prompts.generate`):
`{{ domain }}` filled in, the body rendered when nothing else is needed, examples cut on their
`## Example` headings, a guardrail shortened, the output limit capped."""

from __future__ import annotations

import re

from advisor.errors import InputError
from advisor.prompts.format import FrontMatter
from advisor.prompts.lint import EXAMPLE_HEADING
from advisor.prompts.models import ModelFacts
from advisor.prompts.parse import PromptFile

_DOMAIN_EXPR = re.compile(r"\{\{-?\s*domain\s*-?\}\}")


def trim_examples(text: str, k: int) -> tuple[str, int, int]:
    """Keep the first `k` `## Example` sections (an edge case replaces the last kept one when
    `k` >= 2 and none is kept). (text, kept, total)."""
    heads = list(EXAMPLE_HEADING.finditer(text))
    if not heads or k >= len(heads):
        return text, len(heads), len(heads)
    intro = text[: heads[0].start()]
    sections = [text[h.start(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
                for i, h in enumerate(heads)]
    chosen = list(range(k))
    edge = [i for i, h in enumerate(heads) if "edge case" in h.group(0).lower()]
    if k >= 2 and edge and not set(chosen) & set(edge):
        chosen[-1] = edge[0]
    body = intro + "".join(sections[i] for i in sorted(chosen))
    return body.rstrip() + "\n", len(chosen), len(heads)


def shorten(text: str, keep: int = 3) -> tuple[str, int]:
    """Headings plus the first `keep` paragraphs; (text, paragraphs dropped)."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    out, kept, dropped = [], 0, 0
    for block in blocks:
        if block.lstrip().startswith("#") and "\n" not in block.strip():
            out.append(block)
        elif kept < keep:
            out.append(block)
            kept += 1
        else:
            dropped += 1
    return "\n\n".join(out) + "\n", dropped


def adapt_prompt(pf: PromptFile, domain: str) -> tuple[FrontMatter, str, bool]:
    """(front matter, text, still a template) with `domain` filled in and, when nothing else
    is needed, the body rendered."""
    from advisor.prompts.render import render_prompt

    meta = pf.meta
    assert meta is not None
    values = {"domain": domain} if "domain" in meta.variables else {}
    needs = [n for n, v in meta.variables.items()
             if n != "domain" and v.required and v.default is None]
    if meta.kind != "template" and not needs:
        try:
            text = render_prompt(pf, values)
            return meta.model_copy(update={"variables": {}}), text, False
        except InputError:
            pass
    text = _DOMAIN_EXPR.sub(lambda _: domain, pf.body)
    variables = dict(meta.variables)
    if "domain" in variables:
        if re.search(r"\bdomain\b", _strip_raw(text)):  # still used (e.g. in {% if %})
            variables["domain"] = variables["domain"].model_copy(update={"default": domain, "required": False})
        else:
            variables.pop("domain")
    return meta.model_copy(update={"variables": variables}), text, True


def _strip_raw(text: str) -> str:
    """Only the Jinja expressions and statements of `text` (to see which names it still uses)."""
    return " ".join(m.group(0) for m in re.finditer(r"\{\{.*?\}\}|\{%.*?%\}", text, re.S))


def cap_params(meta: FrontMatter, facts: ModelFacts, notes: list[str]) -> FrontMatter:
    """`params.max_output_tokens` capped to the model's output limit (noted)."""
    limit = facts.max_output_tokens
    current = meta.params.max_output_tokens
    if limit and current and current > limit:
        notes.append(f"{meta.id}: max_output_tokens {current} capped to the model's limit {limit}")
        return meta.model_copy(update={"params": meta.params.model_copy(update={"max_output_tokens": limit})})
    return meta
