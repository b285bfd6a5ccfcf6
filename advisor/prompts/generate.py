"""Building a prompt set for a task and a model from the library.

Rules (also in prompts/README.md):

- Prompts: the task's `active` prompts (drafts only when the task has no active prompt;
  deprecated never), ordered system, guardrail, example, template.
- Context window W (price map max_input_tokens, catalog context_len, or `context_window=`):
  - W < 8192: at most 1 example in total (the first section of the first example file)
    and templates whose worst case exceeds 50 % of W are dropped (the smallest template is
    kept, flagged, when all would be dropped);
  - 8192 <= W < 32768: at most 3 examples per example file;
  - larger or unknown: every example. Examples are cut on `## Example` headings, keeping the
    first K (an edge-case example replaces the last kept one when K >= 2 and none is kept).
- No system role (Gemma family, Mistral-7B-Instruct v0.1/v0.2, price-map entries with
  supports_system_messages false): system prompt and guardrail are merged into the start of
  every template (the first user turn) and not listed separately; noted.
- Small models (< 4B parameters): the guardrail keeps its headings and first 3 paragraphs
  ("short instructions" variant); noted.
- params.max_output_tokens is capped to the model's output limit; noted.
- `{{ domain }}` is filled in with `domain` where a prompt declares it. Prompts that need no
  other value are rendered; templates keep their other `{{ variables }}`.
- `tokens`: the text's fixed tokens (variables empty). `budget_status`: the whole call —
  kept system/guardrail/examples + this template at worst case + chat overhead + reserved
  output — against W: `over` above W, `tight` above 75 % of W, else `ok` (`unknown`
  without a window).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError, InputError, NotFoundError
from advisor.prompts.adapt import adapt_prompt, cap_params, shorten, trim_examples
from advisor.prompts.budget import DEFAULT_OUTPUT_RESERVE, fixed_text, worst_case
from advisor.prompts.format import FrontMatter
from advisor.prompts.models import ModelFacts, find_model, has_system_role, model_or_error, params_from_name
from advisor.prompts.parse import PromptFile
from advisor.schema import TASKS, GeneratedPrompt, PromptSet
from advisor.tokens import chat_overhead, count_tokens

SMALL_WINDOW = 8192
MEDIUM_WINDOW = 32768
SMALL_MODEL_B = 4.0
TIGHT = 0.75
KIND_ORDER = {"system": 0, "guardrail": 1, "example": 2, "template": 3}
_JINJA = re.compile(r"\{\{|\{%|\{#")


class RefineError(AdvisorError):
    """--refine-with could not reach or use the model."""


@dataclass
class Item:
    """One prompt of a generated set, with what is needed to write it back as a file."""

    source: PromptFile
    meta: FrontMatter  # adapted front matter (variables, params)
    text: str
    is_template: bool
    title: str
    tokens: int = 0
    worst: int = 0
    reserve: int = DEFAULT_OUTPUT_RESERVE
    status: str = "ok"


@dataclass
class GeneratedSet:
    """A prompt set and the items it was made of (to write them back as library files)."""

    prompt_set: PromptSet
    items: list[Item] = field(default_factory=list)


def _facts(model: str, context_window: int | None, db_url: str | None) -> ModelFacts:
    """The model's facts (`context_window` wins); an unknown model needs `context_window`."""
    facts = find_model(model, db_url)
    if facts is None:
        if context_window is None:
            return model_or_error(model, db_url)
        return ModelFacts(name=model, source="override", context_window=context_window,
                          params_b=params_from_name(model))
    if context_window is not None:
        from dataclasses import replace

        facts = replace(facts, context_window=context_window)
    return facts


def _select(files: list[PromptFile], task: str, notes: list[str]) -> list[PromptFile]:
    """The active prompts (else the drafts, noted), in KIND_ORDER then by id."""
    chosen = [f for f in files if f.meta and f.meta.status == "active"]
    if not chosen:
        chosen = [f for f in files if f.meta and f.meta.status == "draft"]
        if chosen:
            notes.append(f"task '{task}' has no active prompts: drafts used")
    return sorted(chosen, key=lambda f: (KIND_ORDER[f.meta.kind], f.meta.id))  # type: ignore[union-attr]


def _status(total: int, window: int | None) -> str:
    """`over`, `tight`, `ok` or `unknown` for a call of `total` tokens in `window`."""
    if not window:
        return "unknown"
    if total > window:
        return "over"
    if total > TIGHT * window:
        return "tight"
    return "ok"


@dataclass(frozen=True)
class Limits:
    """What the model's window and size allow (see the module docstring)."""

    window: int | None
    small_window: bool  # under SMALL_WINDOW: one example in total, big templates dropped
    per_file_examples: int | None  # examples kept per example file; None = all
    small_model: bool  # under SMALL_MODEL_B: short guardrail
    system_role: bool


def _limits(facts: ModelFacts) -> Limits:
    """The trimming rules that apply to a model with these facts."""
    window = facts.context_window
    small_window = window is not None and window < SMALL_WINDOW
    per_file = 1 if small_window else (3 if window is not None and window < MEDIUM_WINDOW else None)
    small_model = facts.params_b is not None and facts.params_b < SMALL_MODEL_B
    return Limits(window, small_window, per_file, small_model, has_system_role(facts))


def _prompt_files(task: str, dirs: Sequence[str | Path] | None, with_bundled: bool,
                  notes: list[str]) -> list[PromptFile]:
    """The library files chosen for `task`; NotFoundError when it has none."""
    from advisor.prompts.library import load_library

    lib = load_library(dirs, with_bundled)
    files = _select(lib.for_task(task), task, notes)
    if not files:
        raise NotFoundError(f"no prompts for task '{task}' in {', '.join(map(str, lib.dirs))}")
    return files


def _adapt_items(files: list[PromptFile], domain: str, facts: ModelFacts, limits: Limits,
                 notes: list[str]) -> list[Item]:
    """Each file adapted: domain filled in, output capped, examples trimmed, guardrail
    shortened for small models (each change noted)."""
    items: list[Item] = []
    examples_left = 1 if limits.small_window else None
    for pf in files:
        meta, text, is_template = adapt_prompt(pf, domain)
        meta = cap_params(meta, facts, notes)
        if meta.kind == "example" and limits.per_file_examples is not None:
            if examples_left == 0:
                notes.append(f"{meta.id}: dropped (window {limits.window} < {SMALL_WINDOW}: at most 1 example)")
                continue
            text, kept, total = trim_examples(text, limits.per_file_examples)
            if kept < total:
                notes.append(f"{meta.id}: kept {kept} of {total} examples (window {limits.window})")
            if examples_left is not None:
                examples_left -= kept
        if meta.kind == "guardrail" and limits.small_model:
            text, dropped = shorten(text)
            notes.append(f"{meta.id}: small model ({facts.params_b:g}B < {SMALL_MODEL_B:g}B): short "
                         f"instructions, guardrail cut to its first paragraphs ({dropped} dropped)")
        items.append(Item(source=pf, meta=meta, text=text, is_template=is_template, title=meta.title))
    return items


def _merge_system(items: list[Item], facts: ModelFacts, notes: list[str]) -> list[Item]:
    """For a model without a system role: system prompt and guardrail merged into the start of
    every template (and no longer listed), or a note to send them in the first user turn."""
    preamble = [i for i in items if i.meta.kind in ("system", "guardrail")]
    templates = [i for i in items if i.meta.kind == "template"]
    if preamble and templates:
        head = "\n\n".join(i.text.strip() for i in preamble)
        guarded = f"{{% raw %}}{head}{{% endraw %}}" if _JINJA.search(head) else head
        for t in templates:
            t.text = f"{guarded}\n\n---\n\n{t.text}"
            t.title = f"{t.title} (system prompt merged into the user turn)"
        notes.append(f"{facts.name} has no system role: the system prompt and guardrail "
                     f"({', '.join(i.meta.id for i in preamble)}) are merged into the start of "
                     "each template, i.e. the first user turn")
        return [i for i in items if i not in preamble]
    if preamble:
        notes.append(f"{facts.name} has no system role: send the system prompt as the start "
                     "of the first user message")
    return items


def _count_items(items: list[Item], model: str, facts: ModelFacts) -> list[Item]:
    """Tokens (fixed and worst case) and the output reserve of each item."""
    for it in items:
        if it.is_template:
            wc = worst_case(it.meta, it.text, model)
            it.tokens, it.worst = wc.fixed_tokens, wc.worst_case_tokens
        else:
            it.tokens = it.worst = count_tokens(it.text, model).tokens
        reserve = it.meta.params.max_output_tokens or facts.max_output_tokens or DEFAULT_OUTPUT_RESERVE
        it.reserve = min(reserve, facts.max_output_tokens) if facts.max_output_tokens else reserve
    return items


def _drop_big_templates(items: list[Item], window: int, notes: list[str]) -> list[Item]:
    """Small windows: templates whose worst case is over half the window are dropped (the
    smallest kept, noted, when all would go)."""
    templates = [i for i in items if i.is_template]
    big = [t for t in templates if t.worst > window * 0.5]
    if not big:
        return items
    keep_one = min(templates, key=lambda t: t.worst) if len(big) == len(templates) else None
    dropped: list[Item] = []
    for t in big:
        if t is keep_one:
            notes.append(f"{t.meta.id}: worst case {t.worst} tokens is over 50 % of the "
                         f"{window}-token window; kept as the smallest template")
            continue
        dropped.append(t)
        notes.append(f"{t.meta.id}: dropped, worst case {t.worst} tokens is over 50 % of the "
                     f"{window}-token window")
    return [i for i in items if not any(i is d for d in dropped)]


def _budget(items: list[Item], model: str, window: int | None) -> list[Item]:
    """Each item's budget status: the whole call with this template against the window."""
    base = sum(i.tokens for i in items if not i.is_template)
    n_messages = sum(1 for i in items if not i.is_template) + 1
    overhead = chat_overhead(model, n_messages)
    for it in items:
        total = base + (it.worst if it.is_template else 0) + overhead + it.reserve
        it.status = _status(total, window)
    return items


def _prompt_set(task: str, model: str, window: int | None, notes: list[str], items: list[Item]) -> PromptSet:
    """The `PromptSet` of the kept items, with the tokenizer used."""
    counted = count_tokens("x", model)
    return PromptSet(
        task=task, model=model, context_window=window, tokenizer=counted.tokenizer,
        exact=counted.exact, notes=notes,
        prompts=[GeneratedPrompt(id=i.meta.id, kind=i.meta.kind, title=i.title, text=i.text,
                                 tokens=i.tokens, exact=counted.exact, budget_status=i.status)
                 for i in items],
    )


def build_prompt_set(task: str, model: str, domain: str = "general",
                     dirs: Sequence[str | Path] | None = None, *, context_window: int | None = None,
                     db_url: str | None = None, with_bundled: bool = False) -> GeneratedSet:
    """The prompt set with its source files (used by `--out`)."""
    if task not in TASKS:
        raise InputError(f"unknown task '{task}' (expected one of: {', '.join(TASKS)})")
    facts = _facts(model, context_window, db_url)
    notes: list[str] = [f"model facts from the {facts.source}"]
    files = _prompt_files(task, dirs, with_bundled, notes)
    limits = _limits(facts)
    if limits.window is None:
        notes.append("context window unknown: nothing trimmed")
    items = _adapt_items(files, domain, facts, limits, notes)
    if limits.small_model:
        notes.append("small model: prefer short, explicit instructions and one task per message")
    if not limits.system_role:
        items = _merge_system(items, facts, notes)
    items = _count_items(items, model, facts)
    if limits.small_window and limits.window is not None:
        items = _drop_big_templates(items, limits.window, notes)
    items = _budget(items, model, limits.window)
    return GeneratedSet(prompt_set=_prompt_set(task, model, limits.window, notes, items), items=items)


def generate_prompt_set(task: str, model: str, domain: str = "general",
                        dirs: Sequence[str | Path] | None = None, *, context_window: int | None = None,
                        db_url: str | None = None, with_bundled: bool = False) -> PromptSet:
    """A `PromptSet` for `task` tailored to `model` (see the module docstring for the rules)."""
    return build_prompt_set(task, model, domain, dirs, context_window=context_window,
                            db_url=db_url, with_bundled=with_bundled).prompt_set


# --------------------------------------------------------------------------- writing


def item_file_text(item: Item) -> str:
    """A generated prompt as a library file (front matter + body)."""
    import yaml

    data: dict[str, Any] = item.meta.model_dump(mode="json", by_alias=True, exclude_none=False)
    for var in data.get("variables", {}).values():
        for key in [k for k, v in var.items() if v is None]:
            del var[key]
    data["params"] = {k: v for k, v in data["params"].items() if v is not None}
    body = item.text
    if not item.is_template:
        data["variables"] = {}
        if _JINJA.search(body):
            body = "{% raw %}" + body + "{% endraw %}\n"
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n{body}"


def write_prompt_set(gen: GeneratedSet, out: Path, force: bool = False) -> list[Path]:
    """Write the set under `out/<task>/` as library files plus `prompt-set.json`. Files that
    exist are replaced only with `force` (checked before anything is written: an error names
    the first); each file is written whole or not at all."""
    from advisor.safeio import refuse_existing, write_atomic

    folder = out / gen.prompt_set.task
    files = [(folder / item.source.path.name, item_file_text(item)) for item in gen.items]
    files.append((out / "prompt-set.json", gen.prompt_set.model_dump_json(indent=2) + "\n"))
    for path, _ in files:
        refuse_existing(path, force)
    for path, text in files:
        write_atomic(path, text, force=True)
    return [path for path, _ in files]


# --------------------------------------------------------------------------- refine


def refine_prompt_set(gen: GeneratedSet, refine_model: str, api_base: str | None = None,
                      timeout: float = 60.0) -> GeneratedSet:
    """Ask `refine_model` (through litellm) to improve each prompt. Placeholders must survive;
    a reply that drops or adds one is discarded (noted). Network errors raise RefineError."""
    from advisor.config import setup_offline

    setup_offline()
    import litellm  # 2-3 s; only on --refine-with

    litellm.disable_hf_tokenizer_download = True
    placeholder = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)")
    ps = gen.prompt_set
    for item, prompt in zip(gen.items, ps.prompts):
        messages = [
            {"role": "system", "content": (
                "You improve prompts for the model " + ps.model + ". Keep the intent, the output "
                "format and every Jinja placeholder ({{ name }}, {% ... %}) exactly. Make the text "
                "clearer and shorter. Reply with the improved prompt only.")},
            {"role": "user", "content": prompt.text},
        ]
        try:
            reply = litellm.completion(model=refine_model, messages=messages, api_base=api_base,
                                       timeout=timeout, num_retries=0, max_retries=0)
            text = reply.choices[0].message.content or ""
        except Exception as exc:  # noqa: BLE001 - any provider/network failure
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise RefineError(f"--refine-with {refine_model}: cannot get an answer ({first[:300]}); "
                              "check the network, the API key, or drop --refine-with") from None
        if not text.strip() or set(placeholder.findall(text)) != set(placeholder.findall(prompt.text)):
            ps.notes.append(f"{prompt.id}: refinement discarded (placeholders changed or empty reply)")
            continue
        item.text = prompt.text = text.strip() + "\n"
        prompt.tokens = count_tokens(fixed_text(item.meta, item.text) if item.is_template else item.text,
                                     ps.model).tokens
        ps.notes.append(f"{prompt.id}: refined by {refine_model}")
    return gen
