"""Prompts of a given size in tokens that share no prefix from one run to the next."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable

_FILLER = (
    "The history of measurement is the history of agreeing on units. Merchants weighed grain "
    "against stones, builders counted cubits, and sailors timed knots on a rope with a sandglass. "
    "Each of these methods worked because everyone involved used the same reference, and each "
    "failed when goods or ships crossed into a region with another reference. "
)


def count_text_tokens(text: str, model: str | None) -> tuple[int, bool]:
    """(tokens, exact) with advisor.tokens when present, else len/4."""
    try:
        from advisor.tokens import count_tokens

        c = count_tokens(text, model)
        return int(c.tokens), bool(c.exact)
    except Exception:  # noqa: BLE001 - a missing or failing tokenizer falls back to chars/4
        return math.ceil(len(text) / 4), False


def exact_count(model: str | None) -> Callable[[str], int | None]:
    """A counter that gives the tokens of a text only when the tokenizer of `model` is exact."""

    def count(text: str) -> int | None:
        """Exact tokens of `text`, else None (the caller then counts deltas)."""
        n, exact = count_text_tokens(text, model)
        return n if exact else None

    return count


def build_prompt(n_tokens: int, model: str | None = None, run: int = 0) -> str:
    """A prompt of about `n_tokens` tokens (counted with advisor.tokens) that starts with a
    run-specific tag, so that consecutive runs share no cached prefix."""
    head = f"[run {run} {secrets.token_hex(4)}] Summarise the following text in one sentence.\n"
    text = head
    while count_text_tokens(text, model)[0] < n_tokens:
        text += _FILLER
    # trim whole words back towards the target
    words = text.split(" ")
    lo, hi = len(head.split(" ")), len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if count_text_tokens(" ".join(words[:mid]), model)[0] >= n_tokens:
            hi = mid
        else:
            lo = mid + 1
    return " ".join(words[:max(lo, len(head.split(" ")))])
