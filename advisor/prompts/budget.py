"""Token budgets of a prompt for a model.

How each figure is counted (with the model's tokenizer, see `advisor.tokens`):

- `prompt_tokens`: the fixed text, i.e. the body rendered with every variable empty
  ("" / [] / false / its default for numbers). For a prompt without variables this is
  exactly the token count of the rendered text.
- `worst_case_tokens`: the body rendered with every string/list variable present (so that
  text inside `{% if var %}` counts), the variables themselves removed and counted at their
  `max_tokens` once per insertion. A variable with `allowed` values and no `max_tokens`
  counts as its longest allowed value; integers 4, numbers 6, booleans 1 token; a string or
  list without `max_tokens` counts 0 and is reported ('no max_tokens').
- `chat_overhead_tokens`: 3 per message (one message: this prompt) + 3 reply priming.
- `output_reserved_tokens`: params.max_output_tokens, else the model's max output, else 512.
- `total_tokens` = worst case + overhead + output reserved, compared with the context window
  (the price map's max_input_tokens for API models, the catalog's context_len otherwise).
- `usd_per_call` = (worst case + overhead) x input price + output reserved x output price.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from advisor.prompts.format import FrontMatter
from advisor.prompts.models import ModelFacts, model_or_error
from advisor.prompts.parse import PromptFile
from advisor.prompts.render import empty_value, probe_render, template, template_names
from advisor.tokens import chat_overhead, count_tokens

DEFAULT_OUTPUT_RESERVE = 512
_SCALAR_TOKENS = {"integer": 4, "number": 6, "boolean": 1}


class WorstCase(BaseModel):
    fixed_tokens: int
    worst_case_tokens: int
    per_variable: dict[str, int] = Field(default_factory=dict)
    missing_max_tokens: list[str] = Field(default_factory=list)
    tokenizer: str
    exact: bool


class BudgetReport(BaseModel):
    """The JSON of `advisor prompts budget`."""

    id: str
    model: str
    model_source: str
    prompt_tokens: int
    worst_case_tokens: int
    chat_overhead_tokens: int
    output_reserved_tokens: int
    total_tokens: int
    context_window: int | None
    fits: bool | None
    usd_per_call: float | None
    tokenizer: str
    exact: bool
    variables: dict[str, int] = Field(default_factory=dict, description="tokens counted per variable")
    notes: list[str] = Field(default_factory=list)


def fixed_text(meta: FrontMatter, body: str) -> str:
    """The body rendered with every variable empty (numbers: default, else none)."""
    context = {n: (v.default if v.type in ("integer", "number") else empty_value(v))
               for n, v in meta.variables.items()}
    try:
        return template(body).render(**context)
    except Exception:  # noqa: BLE001 - a body that needs values: count the raw text
        return body


def worst_case(meta: FrontMatter, body: str, model: str | None) -> WorstCase:
    """Fixed and worst-case token counts of a body for `model` (see module docstring)."""
    fixed = count_tokens(fixed_text(meta, body), model)
    probe = probe_render(meta, body)
    if probe is None:
        base_tokens, inserts = fixed.tokens, {}
    else:
        text, inserts = probe
        base_tokens = count_tokens(text, model).tokens
    used = set(template_names(body)[0])
    per_var: dict[str, int] = {}
    missing: list[str] = []
    for name, var in meta.variables.items():
        if var.max_tokens is not None:
            size = var.max_tokens
        elif var.allowed:
            size = max(count_tokens(str(v), model).tokens for v in var.allowed)
        elif var.type in _SCALAR_TOKENS:
            size = _SCALAR_TOKENS[var.type]
        else:
            size = 0
            missing.append(name)
        per_var[name] = size * (inserts.get(name) or (1 if name in used else 0))
    return WorstCase(
        fixed_tokens=fixed.tokens, worst_case_tokens=base_tokens + sum(per_var.values()),
        per_variable=per_var, missing_max_tokens=missing, tokenizer=fixed.tokenizer,
        exact=fixed.exact,
    )


def output_reserve(meta: FrontMatter | None, facts: ModelFacts | None) -> int:
    if meta is not None and meta.params.max_output_tokens:
        return meta.params.max_output_tokens
    if facts is not None and facts.max_output_tokens:
        return facts.max_output_tokens
    return DEFAULT_OUTPUT_RESERVE


def budget_for(meta: FrontMatter, body: str, facts: ModelFacts, model: str | None = None) -> BudgetReport:
    """The budget of a parsed prompt for known model facts."""
    model = model or facts.name
    wc = worst_case(meta, body, model)
    overhead = chat_overhead(model, 1)
    reserve = output_reserve(meta, facts)
    total = wc.worst_case_tokens + overhead + reserve
    window = facts.context_window
    usd = None
    if facts.input_usd_per_token is not None and facts.output_usd_per_token is not None:
        usd = (wc.worst_case_tokens + overhead) * facts.input_usd_per_token + reserve * facts.output_usd_per_token
    notes = [
        "prompt_tokens: body rendered with every variable empty",
        "worst_case_tokens: fixed text + each variable at max_tokens per insertion",
        "chat_overhead_tokens: 3 per message (1 message) + 3 reply priming (OpenAI's figure)",
    ]
    if not wc.exact:
        notes.append(f"approximate: no bundled tokenizer for {model}; counted as {wc.tokenizer} (cl100k_base x family factor)")
    if wc.missing_max_tokens:
        notes.append("no max_tokens (counted as 0): " + ", ".join(wc.missing_max_tokens))
    if window is None:
        notes.append("context window unknown")
    if facts.max_output_tokens and reserve > facts.max_output_tokens:
        notes.append(f"params.max_output_tokens {reserve} is above the model's output limit "
                     f"{facts.max_output_tokens}")
    return BudgetReport(
        id=meta.id, model=model, model_source=facts.source, prompt_tokens=wc.fixed_tokens,
        worst_case_tokens=wc.worst_case_tokens, chat_overhead_tokens=overhead,
        output_reserved_tokens=reserve, total_tokens=total, context_window=window,
        fits=None if window is None else total <= window,
        usd_per_call=None if usd is None else round(usd, 8), tokenizer=wc.tokenizer,
        exact=wc.exact, variables=wc.per_variable, notes=notes,
    )


def prompt_budget(prompt: PromptFile, model: str, db_url: str | None = None) -> BudgetReport:
    """Budget of a library prompt for `model` (NotFoundError for an unknown model)."""
    from advisor.errors import InputError

    if prompt.meta is None:
        raise InputError(f"{prompt.display} has errors; run `advisor prompts lint`")
    facts = model_or_error(model, db_url)
    return budget_for(prompt.meta, prompt.body, facts, model=model)
