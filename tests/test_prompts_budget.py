"""Token budgets for a prompt and a model."""

from __future__ import annotations

from pathlib import Path

import pytest

from _prompt_helpers import make_library, no_catalog
from advisor.errors import NotFoundError
from advisor.prompts.budget import prompt_budget
from advisor.prompts.library import load_library
from advisor.prompts.render import render_prompt


@pytest.fixture()
def lib(tmp_path: Path):
    return load_library([make_library(tmp_path)])


def test_prompt_without_variables_counts_exactly_with_o200k(lib) -> None:
    from advisor.config import setup_offline

    setup_offline()
    import tiktoken

    pf = lib.get("code.plain")
    text = render_prompt(pf, {})
    report = prompt_budget(pf, "gpt-4o")
    assert report.prompt_tokens == len(tiktoken.get_encoding("o200k_base").encode(text))
    assert report.worst_case_tokens == report.prompt_tokens
    assert report.exact and report.tokenizer == "o200k_base"


def test_budget_fields_and_cost(lib) -> None:
    from advisor.pricing import api_model

    report = prompt_budget(lib.get("code.review-diff"), "gpt-4o")
    data = report.model_dump()
    for key in ("prompt_tokens", "worst_case_tokens", "chat_overhead_tokens", "output_reserved_tokens",
                "total_tokens", "context_window", "fits", "usd_per_call", "tokenizer", "exact", "model"):
        assert key in data
    assert report.worst_case_tokens >= report.prompt_tokens + 6000 + 5 + 10
    assert report.chat_overhead_tokens == 6
    assert report.output_reserved_tokens == 800
    assert report.total_tokens == report.worst_case_tokens + 6 + 800
    info = api_model("gpt-4o")
    assert report.context_window == info.max_input_tokens and report.fits is True
    expected = (report.worst_case_tokens + 6) * info.input_usd_per_token + 800 * info.output_usd_per_token
    assert report.usd_per_call == pytest.approx(expected)


def test_small_window_does_not_fit(lib) -> None:
    report = prompt_budget(lib.get("code.review-diff"), "cloudflare/@cf/meta/llama-2-7b-chat-int8")
    assert report.context_window == 2048 and report.fits is False and report.exact is False


def test_unknown_model_is_named(lib, monkeypatch: pytest.MonkeyPatch) -> None:
    no_catalog(monkeypatch)
    with pytest.raises(NotFoundError, match="unknown model 'no-such-model-xyz'"):
        prompt_budget(lib.get("code.plain"), "no-such-model-xyz")


def test_catalog_model_window(lib) -> None:
    catalog = pytest.importorskip("advisor.catalog")
    if not hasattr(catalog, "model_facts"):
        pytest.skip("advisor.catalog.model_facts not available yet")
    report = prompt_budget(lib.get("code.plain"), "Llama-3.1-8B-Instruct")
    assert report.context_window == 131072
    assert report.exact is False and report.usd_per_call is None
