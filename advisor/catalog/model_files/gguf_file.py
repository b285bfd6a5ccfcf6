"""A model's facts from a GGUF file: the architecture from its metadata (`<arch>.block_count`,
`.attention.head_count_kv`, `.expert_count`, `.ssm.*` ...), the parameter count from its tensor
shapes, and the file it is stored in (quantization, bits per weight, size) as FILE facts.

Key names are those of the `gguf` package (`gguf.constants.Keys`); per-layer arrays, sliding-window
patterns and the recurrent state follow llama.cpp's `src/llama-hparams.cpp` (`set_swa_pattern`,
`n_embd_r`, `n_embd_s`). The `gguf` package is imported only when a file is read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from advisor.catalog.model_files.facts import Fact, ModelFacts
from advisor.errors import InputError

MAGIC = b"GGUF"
_EXPERT_TENSOR = re.compile(r"(^|\.)ffn_\w+_exps(\.|$)")  # routed experts: ffn_{gate,up,down,gate_up}_exps
_SPLIT_NAME = re.compile(r"^(?P<prefix>.*)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$")
# Architectures whose sliding-window period llama.cpp sets in code when the file has no
# `<arch>.attention.sliding_window_pattern` (src/llama-model.cpp, `hparams.set_swa_pattern(n)`).
_SWA_PERIOD = {"gemma2": 2, "gemma3": 6, "gemma-embedding": 6, "cohere2": 4, "llama4": 4, "gpt-oss": 2}
# What numpy says when the reader runs past the end of a memory-mapped file.
_SHORT_READ = ("reshape", "divisor", "out of bounds", "not enough values")
# llama.cpp's names for file types whose enum name is not the name (LlamaFileType.MOSTLY_MXFP4_MOE).
_FILE_TYPE_NAMES = {"ALL_F32": "F32", "MOSTLY_MXFP4_MOE": "MXFP4"}


class _Facts:
    """Facts being collected, each with its source; zero and negative counts are left out (but
    "no layer is windowed", sliding_layers 0, is a fact)."""

    def __init__(self) -> None:
        self.facts: dict[str, Fact] = {}
        self.notes: list[str] = []

    def put(self, name: str, value: Any, source: str) -> None:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if value is None or (number and (value < 0 or (value == 0 and name != "sliding_layers"))):
            return
        self.facts[name] = Fact(value, source)

    def result(self) -> ModelFacts:
        return ModelFacts(dict(self.facts), tuple(self.notes))


class _Meta:
    """GGUF metadata read by key (None when absent or unreadable): of an open file, or a mapping
    of the same keys (Ollama's `model_info`). `origin` starts each fact's source."""

    def __init__(self, reader: Any = None, mapping: Mapping[str, Any] | None = None, origin: str = "GGUF") -> None:
        self.reader, self.mapping, self.origin = reader, mapping, origin

    def get(self, key: str) -> Any:
        if self.mapping is not None:
            return self.mapping.get(key)
        field = self.reader.get_field(key)
        if field is None:
            return None
        try:
            return field.contents()
        except (ValueError, IndexError, UnicodeDecodeError):
            return None

    def count(self, key: str) -> int | None:
        """The number of items of an array field (without decoding them: 150k token strings)."""
        if self.mapping is not None:
            items = self.mapping.get(key)
            return len(items) if isinstance(items, list) and items else None
        field = self.reader.get_field(key)
        return len(field.data) if field is not None and field.types else None


def _positive_int(value: Any) -> int | None:
    """An integer fact from a scalar, or the largest entry of a per-layer array."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        nums = [int(v) for v in value if isinstance(v, (int, float)) and v > 0]
        return max(nums) if nums else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return int(value)
    return None


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


def _split_parts(path: Path, meta: _Meta) -> list[Path]:
    """This file and, for a split model (`split.count` > 1), its sibling parts
    (llama.cpp names them PREFIX-00001-of-00003.gguf); InputError when one is missing."""
    count = _positive_int(meta.get("split.count")) or 1
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


def _identity(meta: _Meta, out: _Facts) -> None:
    """name, family, license from `general.*`."""
    name = meta.get("general.name")
    basename, label = meta.get("general.basename"), meta.get("general.size_label")
    if name:
        out.put("name", str(name), f"{meta.origin} general.name")
    elif basename:
        joined = f"{basename}-{label}" if label else str(basename)
        out.put("name", joined, f"{meta.origin} general.basename" + (" + general.size_label" if label else ""))
    if basename:
        out.put("family", str(basename), f"{meta.origin} general.basename")
    lic = meta.get("general.license.name") or meta.get("general.license")
    if lic:
        out.put("license", str(lic), f"{meta.origin} general.license")


def _attention(meta: _Meta, arch: str, layers: int | None, out: _Facts) -> list[int] | None:
    """Heads, KV heads, head size, KV layers; returns the per-layer KV head counts when the file
    gives them per layer (hybrids: 0 for a layer without attention)."""
    key = f"{arch}.attention."
    heads = _positive_int(meta.get(key + "head_count"))
    out.put("n_heads", heads, f"{meta.origin} {key}head_count")
    kv = meta.get(key + "head_count_kv")
    per_layer = [int(v) for v in kv] if isinstance(kv, Sequence) and not isinstance(kv, str) else None
    if kv is not None:
        out.put("n_kv_heads", _positive_int(kv), f"{meta.origin} {key}head_count_kv")
    elif heads and meta.get(f"{arch}.ssm.state_size") is None:
        out.put("n_kv_heads", heads, f"{meta.origin} {key}head_count (no head_count_kv: llama.cpp uses head_count)")
    if per_layer is not None:
        out.put("kv_layers", sum(1 for v in per_layer if v > 0), f"{meta.origin} {key}head_count_kv (layers with > 0)")
    elif _positive_int(kv) and layers:
        out.put("kv_layers", layers, f"{meta.origin} {arch}.block_count (every layer has attention)")
    key_len = _positive_int(meta.get(key + "key_length"))
    hidden = _positive_int(meta.get(f"{arch}.embedding_length"))
    if key_len:
        out.put("head_dim", key_len, f"{meta.origin} {key}key_length")
    elif hidden and heads:
        out.put("head_dim", hidden // heads, f"computed: {meta.origin} {arch}.embedding_length / {key}head_count")
    out.put("kv_lora_rank", _positive_int(meta.get(key + "kv_lora_rank")), f"{meta.origin} {key}kv_lora_rank")
    return per_layer


def _sliding(meta: _Meta, arch: str, layers: int | None, kv_per_layer: list[int] | None,
             out: _Facts) -> list[bool] | None:
    """Window size and how many KV layers it caps: `sliding_window_pattern` as a per-layer bool
    array, or a period n (layer i windowed when i % n < n - 1, llama.cpp `set_swa_pattern`).
    Returns the per-layer windowed flags (None when no layer pattern is known)."""
    key = f"{arch}.attention.sliding_window"
    window = _positive_int(meta.get(key))
    out.put("sliding_window", window, f"{meta.origin} {key}")
    if not window or not layers:
        return None
    pattern = meta.get(key + "_pattern")
    if isinstance(pattern, Sequence) and not isinstance(pattern, str):
        flags, source = [bool(v) for v in pattern][:layers], f"{meta.origin} {key}_pattern"
    else:
        period = int(pattern) if isinstance(pattern, (int, float)) else _SWA_PERIOD.get(arch)
        if period is None:
            return None
        source = (f"{meta.origin} {key}_pattern" if pattern is not None
                  else f"llama.cpp's window period for {arch} ({period})")
        flags = [period == 0 or (i % period < period - 1) for i in range(layers)]
    has_kv = [v > 0 for v in kv_per_layer] if kv_per_layer else [True] * len(flags)
    out.put("sliding_layers", sum(1 for f, k in zip(flags, has_kv) if f and k), source)
    return flags


def _full_layer_shape(meta: _Meta, arch: str, kv_per_layer: list[int] | None, flags: list[bool] | None,
                      out: _Facts) -> None:
    """Full-attention layers of their own shape (Gemma 4): llama.cpp keeps the sliding layers' head
    size in `key_length_swa` and the full layers' in `key_length`, and the KV heads per layer."""
    if not flags or all(flags) or not any(flags):
        return
    key = f"{arch}.attention."
    swa, full = _positive_int(meta.get(key + "key_length_swa")), _positive_int(meta.get(key + "key_length"))
    if swa and full and swa != full:
        out.put("head_dim", swa, f"{meta.origin} {key}key_length_swa (the sliding layers')")
        out.put("global_head_dim", full, f"{meta.origin} {key}key_length (the full-attention layers')")
    if kv_per_layer:
        local = {v for v, f in zip(kv_per_layer, flags) if f and v > 0}
        glob = {v for v, f in zip(kv_per_layer, flags) if not f and v > 0}
        if len(local) == 1 and len(glob) == 1 and local != glob:
            where = f"{meta.origin} {key}head_count_kv"
            out.put("n_kv_heads", local.pop(), f"{where} (the sliding layers')")
            out.put("global_kv_heads", glob.pop(), f"{where} (the full-attention layers')")


def _recurrent_state(meta: _Meta, arch: str, layers: int | None, kv_per_layer: list[int] | None,
                     out: _Facts) -> int:
    """The fixed per-sequence state of Mamba-style layers (`<arch>.ssm.*`), F32 as llama.cpp keeps it:
    per layer (d_conv - 1) x (d_inner + 2 x groups x d_state) + d_state x d_inner values. Returns
    the number of recurrent layers (0 when the model has none)."""
    key = f"{arch}.ssm."
    d_state = _positive_int(meta.get(key + "state_size"))
    d_inner = _positive_int(meta.get(key + "inner_size"))
    if not d_state or not d_inner or not layers:
        return 0
    d_conv = _positive_int(meta.get(key + "conv_kernel")) or 0
    groups = _positive_int(meta.get(key + "group_count")) or 0
    if kv_per_layer:
        recurrent = sum(1 for v in kv_per_layer if v == 0)
    elif _positive_int(meta.get(f"{arch}.attention.head_count_kv")):
        recurrent = 0  # one KV head count for every layer: every layer has attention
    else:
        recurrent = layers
    per_layer = max(d_conv - 1, 0) * (d_inner + 2 * groups * d_state) + d_state * d_inner
    if recurrent:
        out.put("state_mb", recurrent * per_layer * 4 / 1e6,
                f"computed from {meta.origin} {key}conv_kernel/inner_size/state_size/group_count"
                f" ({recurrent} recurrent layers, F32)")
    return recurrent


def _layout_name(facts: dict[str, Fact], recurrent: int) -> str | None:
    """The attention layout in the catalog's words ("full (GQA)", "MLA", "sliding-window/global
    interleaved 5:1", "hybrid: 8 attention + 24 recurrent layers (GQA)")."""
    get = lambda k: facts[k].value if k in facts else None  # noqa: E731
    heads, kv = get("n_heads"), get("n_kv_heads")
    if get("kv_lora_rank"):
        return "MLA"
    kind = None if not heads or not kv else "MQA" if kv == 1 else "MHA" if kv == heads else "GQA"
    if recurrent and not get("kv_layers"):
        return "recurrent (no attention)"
    if recurrent:
        layout = f"hybrid: {get('kv_layers') or 0} attention + {recurrent} recurrent layers"
        return layout + (f" ({kind})" if kind else "")
    local, n = get("sliding_layers"), get("kv_layers") or get("n_layers")
    if get("sliding_window") and local and n:
        glob = n - local
        if glob <= 0:
            return "sliding-window (all layers)"
        if local % glob == 0:
            return f"sliding-window/global interleaved {local // glob}:1"
        return f"sliding-window on {local} of {n} layers"
    return f"full ({kind})" if kind else None


def _architecture(meta: _Meta, arch: str, out: _Facts) -> None:
    """Layers, sizes, heads, window, experts, recurrent state, vocabulary and the layout's name."""
    layers = _positive_int(meta.get(f"{arch}.block_count"))
    out.put("n_layers", layers, f"{meta.origin} {arch}.block_count")
    out.put("context_len", _positive_int(meta.get(f"{arch}.context_length")), f"{meta.origin} {arch}.context_length")
    out.put("hidden_size", _positive_int(meta.get(f"{arch}.embedding_length")),
            f"{meta.origin} {arch}.embedding_length")
    out.put("intermediate_size", _positive_int(meta.get(f"{arch}.feed_forward_length")),
            f"{meta.origin} {arch}.feed_forward_length")
    kv_per_layer = _attention(meta, arch, layers, out)
    _full_layer_shape(meta, arch, kv_per_layer, _sliding(meta, arch, layers, kv_per_layer, out), out)
    recurrent = _recurrent_state(meta, arch, layers, kv_per_layer, out)
    out.put("moe_experts", _positive_int(meta.get(f"{arch}.expert_count")), f"{meta.origin} {arch}.expert_count")
    out.put("moe_active_experts", _positive_int(meta.get(f"{arch}.expert_used_count")),
            f"{meta.origin} {arch}.expert_used_count")
    shared = _positive_int(meta.get(f"{arch}.expert_shared_count"))
    if shared:
        out.notes.append(f"{meta.origin} {arch}.expert_shared_count {shared}: shared experts run for every token")
    n_tokens = meta.count("tokenizer.ggml.tokens")
    if n_tokens:
        out.put("vocab_size", n_tokens, f"{meta.origin} tokenizer.ggml.tokens (length)")
    else:
        out.put("vocab_size", _positive_int(meta.get(f"{arch}.vocab_size")), f"{meta.origin} {arch}.vocab_size")
    out.put("attention", _layout_name(out.facts, recurrent), f"derived from the {meta.origin} head counts and layers")


def _metadata(meta: _Meta) -> _Facts:
    """Identity and architecture facts from the metadata."""
    out = _Facts()
    _identity(meta, out)
    arch = meta.get("general.architecture")
    if arch:
        _architecture(meta, str(arch), out)
    else:
        out.notes.append(f"{meta.origin}: no general.architecture: architecture facts unknown")
    return out


def metadata_facts(metadata: Mapping[str, Any], origin: str) -> ModelFacts:
    """The identity and architecture facts of GGUF-style metadata given as a mapping (Ollama's
    `/api/show` `model_info` has the GGUF keys), each source starting with `origin`."""
    return _metadata(_Meta(mapping=metadata, origin=origin)).result()


def _quant_name(meta: _Meta, by_type: dict[str, int]) -> tuple[str | None, str]:
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
    parts = _split_parts(path, _Meta(reader))
    readers = [reader if p == path else _open_reader(p, _check_magic(p)) for p in parts]
    meta = _Meta(readers[0])  # a split model's metadata is in its first part
    file_bytes = sum(p.stat().st_size for p in parts)
    out = _metadata(meta)
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
