"""Name rules shared by every lookup: case, spaces, underscores, GGUF file names, Ollama tags,
EXL2 bit rates, device counts ('2x RTX 4090'), the spellings tools give hardware and
quantizations. Pure functions, no database; `Names` applies them through a catalog."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from advisor.errors import InputError, NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from advisor.catalog import Catalog

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


def model_name_variants(name: str) -> list[str]:
    """The name as given, without a file suffix, without a GGUF quant suffix, Ollama tag forms."""
    variants = [name]
    stem = strip_file_suffix(name)
    if stem != name:
        variants.append(stem)
    base, quant = split_gguf_quant(stem)
    if quant:
        variants.append(base)
    if ":" in name:
        tag_base, _, tag = name.partition(":")
        # "llama3:8b-instruct-q4_K_M" -> "llama3:8b-instruct" -> "llama3:8b"
        tag_model, q = split_gguf_quant(tag)
        variants.append(f"{tag_base}:{tag_model}")
        variants.append(f"{tag_base}:{tag_model.split('-')[0]}")
        if tag in ("latest", ""):
            variants.append(tag_base)
    return list(dict.fromkeys(variants))


def split_count(name: str) -> tuple[str, int | None]:
    """'2x RTX 4090' / '2 x RTX 4090' / 'RTX 4090 x2' -> ('RTX 4090', 2)."""
    s = name.strip()
    m = re.match(r"^(\d+)\s*[x×]\s+(.+)$", s, re.I) or re.match(r"^(\d+)[x×](\S.*)$", s, re.I)
    if m:
        return m.group(2).strip(), int(m.group(1))
    m = re.match(r"^(.+?)\s+[x×]\s*(\d+)$", s, re.I)
    if m:
        return m.group(1).strip(), int(m.group(2))
    return s, None


def stated_memory_gb(name: str) -> float | None:
    """The memory a device name states ("RTX 4060 Ti 8GB", "Pi 5 16 GB"), else None."""
    m = re.search(r"(\d+(?:\.\d+)?)\s*GB\b", name, re.IGNORECASE)
    return float(m.group(1)) if m else None


def hardware_name_variants(name: str) -> list[str]:
    """Spellings to try against the catalog: 'NVIDIA GeForce RTX 4090' -> 'RTX 4090' ...;
    'Apple M2 Pro' -> 'M2 Pro'; drops memory-type and form-factor words tools add."""
    base = " ".join(name.replace("(R)", "").replace("(TM)", "").split())
    out = [name, base]
    s = re.sub(r"\b(HBM\d?e?|GDDR\d\w*|PCIe|SXM\d?|\d+[- ]?Core Processor|Processor)\b", " ", base, flags=re.I)
    s = re.sub(r"\s+\d+\s*GB\b", " ", s, flags=re.I)
    s = " ".join(s.split())
    out.append(s)
    for prefix in ("NVIDIA ", "GeForce ", "AMD ", "Radeon ", "Apple ", "Intel "):
        if s.startswith(prefix):
            s = s[len(prefix):]
            out.append(s)
    gb = stated_memory_gb(base)
    if gb is not None:
        out.append(f"{s} {gb:g}GB")
    return [v for v in dict.fromkeys(x.strip() for x in out) if v]


# words that say what kind of device a name is ('AMD EPYC' is a CPU, 'Intel Arc B580' a GPU)
_KIND_WORDS = (
    ("npu", r"\bNPU\b|\bHexagon\b"),
    ("tpu", r"\bTPU\b"),
    ("cpu", r"\b(EPYC|Ryzen|Threadripper|Xeon|Core\s*(i[3579]|Ultra|2)|Celeron|Pentium|Athlon|v?CPU|"
            r"Graviton|Ampere(One)?|Raspberry|RISC-V|Cortex|Snapdragon X)\b|\b(x86_64|aarch64)\b"),
    ("apple", r"\bApple\s+M\d|^M\d\b"),
    ("gpu", r"\b(GeForce|RTX|GTX|Quadro|Tesla|Titan|Radeon|Instinct|MI\d{2,3}X?|Arc|A100|H100|H200|H800|B200|"
            r"GB200|L4|L40S?|T4|V100|P100|A10G?|A40|A6000|Iris|Adreno|Mali|GPU)\b"),
)


def hardware_kind_hint(name: str) -> str | None:
    """The device kind a name says (cpu, gpu, apple, npu, tpu), None when it says none: close
    matches are offered within that kind ('AMD EPYC' is never told an Intel Arc GPU is close)."""
    for kind, pattern in _KIND_WORDS:
        if re.search(pattern, name, re.I):
            return kind
    return None


_FTYPE_SIZE = {"small": "S", "medium": "M", "large": "L"}


def quant_from_model_type(model_type: str) -> str | None:
    """The GGUF type in llama.cpp's file-type description, as llama-bench's `model_type` gives it
    ('qwen2 7B Q4_K - Medium' -> Q4_K_M, 'llama 7B mostly Q4_0' -> Q4_0, 'llama 1B all F32' ->
    F32, 'IQ2_XXS - 2.0625 bpw')."""
    m = re.search(
        r"\b(?:mostly\s+|all\s+)?((?:I?Q\d+(?:_[A-Z0-9]+)*)|F16|BF16|F32|MXFP4|TQ\d_\d)"
        r"(?:\s*-\s*(Small|Medium|Large|Extra Small|XS|XXS|S|M|L))?\b",
        model_type, re.I,
    )
    if not m:
        return None
    base = m.group(1).upper()
    size = (m.group(2) or "").lower()
    if base.endswith("_K") and size in _FTYPE_SIZE:
        if base == "Q2_K" and size == "medium":
            return "Q2_K"  # llama.cpp names LLAMA_FTYPE_MOSTLY_Q2_K "Q2_K - Medium"
        return f"{base}_{_FTYPE_SIZE[size]}"
    return base


class Names:
    """Resolves names to canonical catalog names once per distinct spelling."""

    def __init__(self, cat: "Catalog"):
        self.cat = cat
        self._cache: dict[tuple[str, str], str | None] = {}
        # models a tool's file describes that the catalog lacks: registered with its rows
        self.new_models: dict[str, Any] = {}

    def propose_model(self, name: str, facts: Any) -> str:
        """Take `name` as a new (user) model described by `facts` (`ModelFacts`); later
        lookups of the name find it. The importer registers it in the rows' transaction."""
        self.new_models.setdefault(name, facts)
        self._cache[("model", name)] = name
        return name

    def find(self, kind: str, name: str) -> str | None:
        key = (kind, name)
        if key not in self._cache:
            obj = self._lookup(kind, name)
            self._cache[key] = obj.name if obj is not None else None
        return self._cache[key]

    def _lookup(self, kind: str, name: str) -> Any:
        if kind == "hardware":
            for v in hardware_name_variants(name):
                obj = self.cat.find_hardware(v)
                if obj is not None:
                    return obj
            return None
        finder = {"model": self.cat.find_model, "quant": self.cat.find_quant,
                  "engine": self.cat.find_engine}.get(kind)
        return finder(name) if finder is not None else None

    def closest(self, kind: str, name: str, hardware_kind: str | None = None) -> list[str]:
        """The catalog's nearest names for an unknown one (best first; [] when none); for
        hardware only devices of `hardware_kind` (else the kind the name says)."""
        if kind == "hardware":
            return self.cat.hardware_not_found(name, hardware_kind).closest
        resolve = {"model": self.cat.resolve_model, "quant": self.cat.resolve_quant,
                   "engine": self.cat.resolve_engine}.get(kind)
        try:
            if resolve is not None:
                resolve(name)
        except NotFoundError as exc:
            return exc.closest
        return []

    def require(self, kind: str, name: str, where: str, what: str = "", option: str | None = None,
                hardware_kind: str | None = None) -> str:
        found = self.find(kind, name)
        if found is not None:
            return found
        hint = self.closest(kind, name, hardware_kind)
        more = f"; closest: {', '.join(hint)}" if hint else ""
        origin = f" ({what})" if what else ""
        opt = option or f"--{kind}"
        raise InputError(f"{where}: unknown {kind} '{name}'{origin}{more}; give {opt} NAME")


def hardware_group(name: str) -> str:
    """Variants of one device belong together ('NVIDIA H100 SXM 80GB (DGX H100)' ~
    'NVIDIA H100 SXM 80GB'): validation holds them out together, and a variant without a
    bandwidth figure reads like its siblings."""
    s = re.sub(r"\(.*?\)", " ", name.lower())
    s = re.sub(r"\b\d+\s*gb\b", " ", s)
    s = re.sub(r"\b(pcie|sxm\d?|nvl\d*)\b", " ", s)
    return " ".join(s.split())
