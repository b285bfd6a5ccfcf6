"""Offline token counting and the price map."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from advisor import pricing, tokens
from advisor.tokens import chat_overhead, count_tokens

TEXT = "def add(a, b):\n    return a + b  # héllo 日本語 <|endoftext|>\n"


@pytest.mark.parametrize(("model", "encoding"), [
    ("gpt-4o", "o200k_base"), ("gpt-4o-mini", "o200k_base"), ("gpt-4.1", "o200k_base"),
    ("o3-mini", "o200k_base"), ("gpt-5", "o200k_base"), ("openai/gpt-4o", "o200k_base"),
    ("gpt-4", "cl100k_base"), ("gpt-4-turbo", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base"),
    ("text-embedding-3-small", "cl100k_base"),
])
def test_exact_tokenizers_match_tiktoken(model: str, encoding: str) -> None:
    from advisor.config import setup_offline

    setup_offline()
    import tiktoken

    expected = len(tiktoken.get_encoding(encoding).encode(TEXT, disallowed_special=()))
    got = count_tokens(TEXT, model)
    assert got == tokens.TokenCount(expected, encoding, True)


@pytest.mark.parametrize(("model", "factor"), [
    ("Llama-3.1-8B-Instruct", 1.00), ("Mistral-7B-Instruct-v0.3", 1.15), ("claude-3-5-sonnet", 1.20),
    ("some-unknown-model", tokens.DEFAULT_FACTOR), (None, tokens.DEFAULT_FACTOR),
])
def test_other_models_are_approximate(model: str | None, factor: float) -> None:
    base = count_tokens(TEXT, "gpt-4").tokens
    got = count_tokens(TEXT, model)
    assert got.exact is False
    assert got.tokenizer == f"cl100k_base~x{factor:.2f}"
    assert got.tokens >= base * factor - 1e-9


def test_empty_text_and_overhead() -> None:
    assert count_tokens("", "gpt-4o").tokens == 0
    assert chat_overhead("gpt-4o", 2) == 9
    assert chat_overhead(None, 0) == 3


def test_missing_bpe_file_falls_back_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "_local_bpe", lambda name: None)
    tokens.get_encoding.cache_clear()
    try:
        got = count_tokens("x" * 40, "gpt-4o")
        assert got == tokens.TokenCount(10, "chars/4", False)
    finally:
        tokens.get_encoding.cache_clear()


def test_tiktoken_finds_bundled_files_offline(tmp_path) -> None:
    code = ("import socket\n"
            "def no(*a, **k): raise OSError('network')\n"
            "socket.socket.connect = no\n"
            "from advisor.config import setup_offline; setup_offline()\n"
            "import tiktoken\n"
            "print(len(tiktoken.get_encoding('o200k_base').encode('hello world')))\n")
    env = {k: v for k, v in os.environ.items() if k != "TIKTOKEN_CACHE_DIR"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60, check=True)
    assert out.stdout.strip() == "2"


def test_price_map_lookup() -> None:
    info = pricing.api_model("gpt-4o")
    assert info is not None and info.provider == "openai" and info.mode == "chat"
    assert info.max_input_tokens and info.input_usd_per_token and info.output_usd_per_token
    assert pricing.api_model("GPT-4O") == info
    assert pricing.api_model("openai/gpt-4o").name in ("gpt-4o", "openai/gpt-4o")
    assert pricing.api_model("definitely-not-a-model") is None
    chat = pricing.list_api_models("chat")
    assert len(chat) > 100 and all(m.mode == "chat" for m in chat)
    assert "sample_spec" not in pricing.price_map()


def test_counts_are_remembered_on_disk_and_a_damaged_file_is_ignored(fresh_home) -> None:  # type: ignore[no-untyped-def]
    import tiktoken

    from advisor import token_cache

    path = fresh_home / "cache" / "token-counts.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    text = "A sentence only this test counts: 7f3a."
    real = len(tiktoken.get_encoding("o200k_base").encode(text, disallowed_special=()))
    assert count_tokens(text, "gpt-4o").tokens == real  # the damaged file is ignored
    token_cache.flush()
    assert token_cache._read(path)[token_cache.key_of("o200k_base", text)] == real
    path.write_text(path.read_text(encoding="utf-8").replace(f": {real}", ": -5"), encoding="utf-8")
    assert token_cache._read(path).get(token_cache.key_of("o200k_base", text)) is None  # never a negative count
