"""Offline token counting.

Exact counts use tiktoken's BPE files that ship inside litellm's wheel
(`litellm/litellm_core_utils/tokenizers/`, cache names are the sha1 of the download URL);
`advisor.config.setup_offline()` points `TIKTOKEN_CACHE_DIR` there. Nothing is ever
downloaded: when a BPE file is not on disk the count falls back to an estimate.

Which tokenizer:

- `o200k_base`, exact: gpt-4o, chatgpt-4o, gpt-4.1, gpt-4.5, o1, o3, o4, gpt-5, gpt-oss
  (gpt-oss uses o200k_harmony, identical to o200k_base on plain text).
- `cl100k_base`, exact: gpt-4 (not 4o/4.1/4.5), gpt-3.5, text-embedding-3, text-embedding-ada-002.
- every other model: approximate (`exact=False`). The count is the cl100k_base count times a
  per-family factor (`APPROX_FACTORS`, rounded up). The factors are deliberately on the high
  side, so budgets err towards "does not fit" rather than truncation:
  32k-vocabulary SentencePiece tokenizers (Llama 2, Mistral 7B / Mixtral, Phi-3, Claude's
  tokenizer) produce 10-20 % more tokens than cl100k_base on English prose and code; 128k+
  vocabularies (Llama 3, Qwen, Gemma, DeepSeek, Mistral Nemo's tekken) are within a few
  per cent. Unknown families get 1.10.
- If even cl100k_base cannot be loaded offline: `ceil(len(text) / 4)` ("chars/4").
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}

#: OpenAI's documented chat format cost: every message adds ~3 tokens
#: (`<|start|>{role}\n ... <|end|>`), and the reply is primed with 3 more (`<|start|>assistant<|message|>`).
TOKENS_PER_MESSAGE = 3
REPLY_PRIMING_TOKENS = 3

# (pattern on the lower-cased model name without provider prefix, family label, factor)
APPROX_FACTORS: tuple[tuple[str, str, float], ...] = (
    (r"llama-?2|llama2|codellama|code-llama", "llama-2", 1.15),
    (r"mistral-nemo|nemo|tekken|ministral|mistral-small-3|mistral-large-2|pixtral", "mistral-tekken", 1.05),
    (r"mistral|mixtral|zephyr|openchat|vicuna", "mistral", 1.15),
    (r"phi-?3|phi-?2", "phi-3", 1.15),
    (r"claude|anthropic", "claude", 1.20),
    (r"llama", "llama-3", 1.00),
    (r"qwen|qwq", "qwen", 1.00),
    (r"gemma|gemini", "gemma", 1.00),
    (r"deepseek", "deepseek", 1.05),
    (r"phi-?4", "phi-4", 1.00),
)
DEFAULT_FACTOR = 1.10

_O200K = re.compile(r"^(chatgpt-4o|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4)([-_.:].*)?$")
_CL100K = re.compile(r"^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)([-_.:].*)?$")


@dataclass(frozen=True)
class TokenCount:
    """A token count; `exact` is False when the tokenizer of the model is not known here."""

    tokens: int
    tokenizer: str
    exact: bool


def _bare(model: str) -> str:
    """The model name lower-cased, without `provider/` prefixes and `ft:` wrappers."""
    name = model.strip().lower()
    if name.startswith("ft:"):
        name = name[3:]
    return name.rsplit("/", 1)[-1]


def tokenizer_for(model: str | None) -> tuple[str, bool, float]:
    """(tokenizer name, exact, factor) used for `model`."""
    if model:
        bare = _bare(model)
        if _O200K.match(bare):
            return "o200k_base", True, 1.0
        if _CL100K.match(bare):
            return "cl100k_base", True, 1.0
        for pattern, _family, factor in APPROX_FACTORS:
            if re.search(pattern, bare):
                return "cl100k_base", False, factor
    return "cl100k_base", False, DEFAULT_FACTOR


def _local_bpe(name: str) -> Path | None:
    """The bundled BPE file for an encoding (in TIKTOKEN_CACHE_DIR or litellm's tokenizers)."""
    key = hashlib.sha1(_URLS[name].encode()).hexdigest()
    candidates = []
    if os.environ.get("TIKTOKEN_CACHE_DIR"):
        candidates.append(Path(os.environ["TIKTOKEN_CACHE_DIR"]) / key)
    from advisor.config import litellm_dir

    base = litellm_dir()
    if base is not None:
        candidates.append(base / "litellm_core_utils" / "tokenizers" / key)
    for path in candidates:
        if path.is_file():
            return path
    return None


_CL100K_PAT = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|"""
               r"""\s++$|\s*[\r\n]|\s+(?!\S)|\s""")
_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
# Same regexes and special tokens as tiktoken_ext.openai_public (tiktoken 0.7 - 0.14).
_SPECS: dict[str, tuple[str, dict[str, int]]] = {
    "cl100k_base": (_CL100K_PAT, {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258,
                                  "<|fim_middle|>": 100259, "<|fim_suffix|>": 100260,
                                  "<|endofprompt|>": 100276}),
    "o200k_base": (_O200K_PAT, {"<|endoftext|>": 199999, "<|endofprompt|>": 200018}),
}


@lru_cache(maxsize=None)
def get_encoding(name: str) -> Any | None:
    """A tiktoken Encoding read from the bundled BPE file, or None when it is missing.

    The file is parsed here rather than through `tiktoken.get_encoding`: on a hash mismatch
    tiktoken deletes the cached file (inside litellm's package) and downloads it again.
    """
    from advisor.config import setup_offline

    setup_offline()
    if name not in _SPECS:
        return None
    path = _local_bpe(name)
    if path is None:
        return None
    try:
        import tiktoken

        ranks = {
            base64.b64decode(token): int(rank)
            for token, rank in (line.split() for line in path.read_bytes().splitlines() if line)
        }
        pat_str, special = _SPECS[name]
        return tiktoken.Encoding(name=name, pat_str=pat_str, mergeable_ranks=ranks,
                                 special_tokens=special)
    except Exception:  # noqa: BLE001 - a broken file degrades to an estimate, never a crash
        return None


def _encode_len(encoding: Any, text: str) -> int:
    """Tokens of `text` (`_exact_count` remembers them, in memory and on disk). Special-token
    strings in user text are counted as ordinary text, never rejected."""
    return len(encoding.encode(text, disallowed_special=()))


def _exact_count(encoding_name: str, text: str) -> int | None:
    """The encoding's count of `text`: remembered from an earlier count by the same real
    tokenizer (`advisor.token_cache`), else counted; None when the encoding cannot be loaded."""
    from advisor import token_cache

    n = token_cache.remembered(encoding_name, text)
    if n is not None:
        return n
    encoding = get_encoding(encoding_name)
    if encoding is None:
        return None
    n = _encode_len(encoding, text)
    token_cache.remember(encoding_name, text, n)
    return n


def count_tokens(text: str, model: str | None = None) -> TokenCount:
    """Count the tokens of `text` for `model` (exact where the tokenizer is known)."""
    if not text:
        name, exact, factor = tokenizer_for(model)
        label = name if exact else f"{name}~x{factor:.2f}"
        return TokenCount(0, label, exact)
    name, exact, factor = tokenizer_for(model)
    n = _exact_count(name, text)
    if n is None:
        return TokenCount(math.ceil(len(text) / 4), "chars/4", False)
    if exact:
        return TokenCount(n, name, True)
    return TokenCount(math.ceil(n * factor), f"{name}~x{factor:.2f}", False)


def chat_overhead(model: str | None, n_messages: int) -> int:
    """Tokens the chat format adds: 3 per message + 3 to prime the reply (OpenAI's
    documented figure; used as an approximation for other models' chat templates)."""
    return TOKENS_PER_MESSAGE * max(0, n_messages) + REPLY_PRIMING_TOKENS
