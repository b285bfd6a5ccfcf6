"""A model's facts from a GGUF file: the metadata's (`gguf_meta`), the parameter count from its
tensor shapes, and the file it is stored in (quantization, bits per weight, size) as FILE facts,
over all parts of a split model. Key names are those of the `gguf` package
(`gguf.constants.Keys`), which is imported only when a file is read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from advisor.catalog.model_files.facts import Fact, ModelFacts
from advisor.catalog.model_files.gguf_meta import Meta, metadata_of, positive_int
from advisor.errors import InputError

MAGIC = b"GGUF"
_EXPERT_TENSOR = re.compile(r"(^|\.)ffn_\w+_exps(\.|$)")  # routed experts: ffn_{gate,up,down,gate_up}_exps
_SPLIT_NAME = re.compile(r"^(?P<prefix>.*)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$")
# What numpy says when the reader runs past the end of a memory-mapped file.
_SHORT_READ = ("reshape", "divisor", "out of bounds", "not enough values")
# llama.cpp's names for file types whose enum name is not the name (LlamaFileType.MOSTLY_MXFP4_MOE).
_FILE_TYPE_NAMES = {"ALL_F32": "F32", "MOSTLY_MXFP4_MOE": "MXFP4"}


def _check_magic(path: Path) -> int:
    """The file's size; InputError when it is missing, unreadable or not GGUF."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a GGUF file")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if head and len(head) < len(MAGIC) and MAGIC.startswith(head):
        raise InputError(f"{path}: truncated at byte {size} (shorter than the GGUF magic)")
    if head != MAGIC:
        raise InputError(f"{path}: not a GGUF file (magic {head!r}, expected {MAGIC!r})")
    return size


def _open_reader(path: Path, size: int) -> Any:
    """A `gguf.GGUFReader` of `path`; its failures as one-line InputErrors (truncated or malformed)."""
    from gguf import GGUFReader

    try:
        reader = GGUFReader(path)
    except (IndexError, ValueError, KeyError, OverflowError, TypeError, UnicodeDecodeError, OSError) as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "version" in text:
            raise InputError(f"{path}: unsupported GGUF file ({text})") from None
        if isinstance(exc, IndexError) or any(w in text for w in _SHORT_READ):
            raise InputError(f"{path}: truncated at byte {size} (the header or the tensors need more)") from None
        raise InputError(f"{path}: malformed GGUF file ({type(exc).__name__}: {text})") from None
    end = max((int(t.data_offset) + int(t.n_bytes) for t in reader.tensors), default=0)
    if end > size:
        raise InputError(f"{path}: truncated at byte {size} (the tensors end at byte {end})")
    return reader


def _split_parts(path: Path, meta: Meta) -> list[Path]:
    """This file and, for a split model (`split.count` > 1), its sibling parts
    (llama.cpp names them PREFIX-00001-of-00003.gguf); InputError when one is missing."""
    count = positive_int(meta.get("split.count")) or 1
    if count <= 1:
        return [path]
    m = _SPLIT_NAME.match(path.name)
    if m is None:
        raise InputError(f"{path}: part of a split GGUF ({count} parts) not named PREFIX-0000N-of-{count:05d}.gguf")
    parts = [path.with_name(f"{m['prefix']}-{i:05d}-of-{count:05d}.gguf") for i in range(1, count + 1)]
    missing = [p.name for p in parts if not p.is_file()]
    if missing:
        raise InputError(f"{path}: split GGUF part(s) missing beside it: {', '.join(missing)}")
    return parts


def _tensor_totals(readers: list[Any]) -> tuple[int, int, dict[str, int]]:
    """(all elements, routed-expert elements, bytes of matrices by ggml type) over all parts."""
    total = experts = 0
    by_type: dict[str, int] = {}
    for reader in readers:
        for t in reader.tensors:
            n = int(t.n_elements)
            total += n
            if _EXPERT_TENSOR.search(t.name):
                experts += n
            if len(t.shape) >= 2:
                kind = getattr(t.tensor_type, "name", str(t.tensor_type))
                by_type[kind] = by_type.get(kind, 0) + int(t.n_bytes)
    return total, experts, by_type


def _quant_name(meta: Meta, by_type: dict[str, int]) -> tuple[str | None, str]:
    """llama.cpp's name of the file type (`general.file_type`: MOSTLY_Q4_K_M -> "Q4_K_M"), else the
    ggml type holding most matrix bytes."""
    from gguf import LlamaFileType

    ftype = meta.get("general.file_type")
    if isinstance(ftype, int):
        try:
            enum_name = LlamaFileType(ftype).name
        except ValueError:
            enum_name = None
        if enum_name and enum_name != "GUESSED":
            name = _FILE_TYPE_NAMES.get(enum_name, enum_name.removeprefix("MOSTLY_"))
            return name, f"{meta.origin} general.file_type"
    if by_type:
        return max(by_type, key=lambda k: by_type[k]), f"{meta.origin} tensor types (the type of most matrix bytes)"
    return None, ""


def _size_note(label: Any, params: int) -> str | None:
    """A note when `general.size_label` ("8B", "8x7B", "135M") is more than 15 % off the tensor count."""
    m = re.fullmatch(r"(?:(\d+)x)?(\d+(?:\.\d+)?)([KMBT])", str(label or "").strip())
    if m is None or params <= 0:
        return None
    stated = float(m[2]) * {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}[m[3]] * (int(m[1]) if m[1] else 1)
    if abs(stated - params) / params <= 0.15:
        return None
    return f"params {params / 1e9:.4g} B from the tensor shapes; GGUF general.size_label says {label}"


def _name_from_file(path: Path) -> str:
    """The model's name in a GGUF file name, without split part or quantization
    ("Qwen3-8B-Q4_K_M-00001-of-00002.gguf" -> "Qwen3-8B")."""
    from advisor.catalog.names import split_gguf_quant

    stem = re.sub(r"-\d{5}-of-\d{5}$", "", path.name.removesuffix(".gguf"))
    return split_gguf_quant(stem)[0].rstrip("-._") or stem


def read_gguf(path: Path | str) -> ModelFacts:
    """The facts of the GGUF file at `path` (and, for a split model, of all its parts), each
    with its source. InputError in one line for a missing, non-GGUF, truncated or malformed file."""
    path = Path(path)
    size = _check_magic(path)
    reader = _open_reader(path, size)
    parts = _split_parts(path, Meta(reader))
    readers = [reader if p == path else _open_reader(p, _check_magic(p)) for p in parts]
    meta = Meta(readers[0])  # a split model's metadata is in its first part
    file_bytes = sum(p.stat().st_size for p in parts)
    out = metadata_of(meta)
    if "name" not in out.facts:
        out.put("name", _name_from_file(path), "GGUF file name")
    total, experts, by_type = _tensor_totals(readers)
    where = "GGUF tensor shapes (sum of element counts" + (f", {len(parts)} parts)" if len(parts) > 1 else ")")
    out.put("params_b", total / 1e9, where)
    n_exp, used = out.facts.get("moe_experts"), out.facts.get("moe_active_experts")
    if experts and n_exp and used:
        active = total - experts * (1 - used.value / n_exp.value)
        out.put("active_params_b", active / 1e9,
                "computed: tensor count minus the unused share of the ffn_*_exps tensors"
                " (expert_used_count / expert_count)")
    quant, q_source = _quant_name(meta, by_type)
    out.put("quant", quant, q_source)
    if total:
        out.put("bits_per_weight", round(file_bytes * 8 / total, 4), "computed: file bytes x 8 / parameters")
    out.put("file_size_gb", file_bytes / 1e9, "GGUF file size" + (" (all parts)" if len(parts) > 1 else ""))
    note = _size_note(meta.get("general.size_label"), total)
    if note:
        out.notes.append(note)
    facts = out.result()  # each source names the file: a model may be described by several
    return ModelFacts({k: Fact(f.value, f"{path.name}: {f.source}") for k, f in facts.facts.items()}, facts.notes)
