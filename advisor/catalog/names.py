"""Name normalisation shared by every lookup: case, spaces, underscores, GGUF file names,
Ollama tags and EXL2 bit rates. Pure functions, no database."""

from __future__ import annotations

import difflib
import re

_SEP = re.compile(r"[\s_]+")
_EXL2 = re.compile(r"^exl2[-_ ]?(\d+(?:\.\d+)?)\s*-?\s*bpw$", re.IGNORECASE)
_BPW_SUFFIX = re.compile(r"^(\d+(?:\.\d+)?)\s*bpw$", re.IGNORECASE)
# A GGUF quant type at the end of a file stem: "...-Q4_K_M", "....q4_0", "-IQ3_XXS", "-f16".
_GGUF_SUFFIX = re.compile(
    r"[-._](?P<q>(?:I?Q\d(?:_[A-Z0-9]+)*)|F16|BF16|F32|FP16|FP8)$", re.IGNORECASE
)


def norm(name: str) -> str:
    """The key every alias table is matched on: lower case, runs of space/underscore -> '-'."""
    return _SEP.sub("-", name.strip()).lower()


def strip_file_suffix(name: str) -> str:
    """`Meta-Llama-3-8B-Instruct-Q4_K_M.gguf` -> `Meta-Llama-3-8B-Instruct-Q4_K_M`."""
    return re.sub(r"\.(gguf|bin|safetensors)$", "", name.strip(), flags=re.IGNORECASE)


def split_gguf_quant(stem: str) -> tuple[str, str | None]:
    """Split a GGUF file stem into (model part, quant type) when it ends in a quant type."""
    m = _GGUF_SUFFIX.search(stem)
    if not m:
        return stem, None
    return stem[: m.start()], m.group("q")


def exl2_bits(name: str) -> float | None:
    """Bits per weight of an EXL2 name (`exl2-4.0bpw`, `EXL2 4.65 bpw`, `4.0bpw`), else None."""
    s = name.strip()
    m = _EXL2.match(s) or _BPW_SUFFIX.match(s)
    return float(m.group(1)) if m else None


def exl2_name(bits: float) -> str:
    return f"EXL2-{bits:.1f}BPW" if round(bits, 1) == bits else f"EXL2-{bits:g}BPW"


def close_matches(name: str, candidates: list[str], n: int = 5) -> list[str]:
    """Closest names for an error message ("did you mean ...")."""
    key = norm(name)
    by_norm: dict[str, str] = {}
    for c in candidates:
        by_norm.setdefault(norm(c), c)
    hits = difflib.get_close_matches(key, list(by_norm), n=n, cutoff=0.5)
    if len(hits) < n:
        hits += [k for k in by_norm if key and key in k and k not in hits][: n - len(hits)]
    return [by_norm[h] for h in hits]
