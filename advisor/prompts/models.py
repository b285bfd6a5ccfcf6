"""Model facts the prompt tools need: context window, output limit, price, family, size.

Hosted API models come from litellm's price map (`advisor.pricing.api_model`); open models
from the catalog (`advisor.catalog.model_facts`, imported lazily). API first, then catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from advisor.errors import NotFoundError


@dataclass(frozen=True)
class ModelFacts:
    """What the prompt tools know of a model, and where it came from."""

    name: str
    source: str  # "price map" | "catalog" | "override"
    context_window: int | None = None
    max_output_tokens: int | None = None
    input_usd_per_token: float | None = None
    output_usd_per_token: float | None = None
    family: str | None = None
    params_b: float | None = None
    variant: str | None = None
    supports_system_messages: bool | None = None


def _catalog_lookup(name: str, db_url: str | None) -> Any:  # ModelSpec | None | Ellipsis
    """The catalog's facts; `...` when the catalog function is not available."""
    try:
        from advisor.catalog import model_facts
    except ImportError:
        return ...
    return model_facts(name, db_url=db_url)


def catalog_available() -> bool:
    """Whether the catalog can be asked (it names where an unknown model was looked for)."""
    try:
        from advisor.catalog import model_facts  # noqa: F401
    except ImportError:
        return False
    return True


def params_from_name(name: str) -> float | None:
    """'Llama-3.2-1B-Instruct' -> 1.0 (a guess from the name; None when absent)."""
    bare = name.rsplit("/", 1)[-1]
    m = re.search(r"(?:^|[-_:\s])(\d+(?:\.\d+)?)b(?:$|[-_:\s])", bare, re.IGNORECASE)
    return float(m.group(1)) if m else None


def _resolve(name: str, db_url: str | None) -> ModelFacts | None:
    """The price map's facts for `name`, else the catalog's, else None."""
    from advisor.pricing import api_model

    api = api_model(name)
    if api is not None:
        return ModelFacts(
            name=api.name, source="price map", context_window=api.max_input_tokens,
            max_output_tokens=api.max_output_tokens, input_usd_per_token=api.input_usd_per_token,
            output_usd_per_token=api.output_usd_per_token, family=None,
            params_b=params_from_name(api.name), supports_system_messages=api.supports_system_messages,
        )
    spec = _catalog_lookup(name, db_url)
    if spec is None or spec is ...:
        return None
    return ModelFacts(
        name=spec.name or name, source="catalog", context_window=spec.context_len,
        family=spec.family, params_b=spec.params_b or params_from_name(spec.name or name),
        variant=spec.variant,
    )


def find_model(name: str, db_url: str | None = None) -> ModelFacts | None:
    """Facts for `name`, or None when neither the price map nor the catalog knows it."""
    return _resolve(name.strip(), db_url)


def model_or_error(name: str, db_url: str | None = None) -> ModelFacts:
    """Facts for `name`; NotFoundError naming it (with close price-map names) otherwise."""
    facts = find_model(name, db_url)
    if facts is not None:
        return facts
    from advisor.pricing import close_matches

    close = close_matches(name)
    hint = f" (close API names: {', '.join(close)})" if close else ""
    where = "the price map or the catalog" if catalog_available() else "the price map"
    raise NotFoundError(f"unknown model '{name}': not in {where}{hint}")


def has_system_role(facts: ModelFacts) -> bool:
    """False for chat templates without a system role: the Gemma family and
    Mistral-7B-Instruct v0.1/v0.2 (and any model the price map marks so)."""
    if facts.supports_system_messages is False:
        return False
    text = " ".join(p for p in (facts.family, facts.name, facts.variant) if p).lower()
    if re.search(r"gemma", text):
        return False
    if re.search(r"mistral-instruct-v0\.[12]|mistral-7b-instruct-v0\.[12]", text):
        return False
    return True
