"""A model's facts from GGUF metadata (a file's, or Ollama's `model_info`, which has the same keys):
name and family, and the architecture from `<arch>.block_count`, `.attention.head_count_kv`,
`.expert_count`, `.ssm.*` ... Per-layer arrays, sliding-window patterns, full-attention layers of
their own shape and the recurrent state follow llama.cpp's `src/llama-hparams.cpp`
(`set_swa_pattern`, `n_embd_head_k_swa`, `n_embd_r`, `n_embd_s`). Reading the file itself is
`gguf_file`'s."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advisor.catalog.model_files.facts import Fact, ModelFacts

# Architectures whose sliding-window period llama.cpp sets in code when the file has no
# `<arch>.attention.sliding_window_pattern` (src/llama-model.cpp, `hparams.set_swa_pattern(n)`).
_SWA_PERIOD = {"gemma2": 2, "gemma3": 6, "gemma-embedding": 6, "cohere2": 4, "llama4": 4, "gpt-oss": 2}


class Facts:
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


class Meta:
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


def positive_int(value: Any) -> int | None:
    """An integer fact from a scalar, or the largest entry of a per-layer array."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        nums = [int(v) for v in value if isinstance(v, (int, float)) and v > 0]
        return max(nums) if nums else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return int(value)
    return None


def _identity(meta: Meta, out: Facts) -> None:
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


def _attention(meta: Meta, arch: str, layers: int | None, out: Facts) -> list[int] | None:
    """Heads, KV heads, head size, KV layers; returns the per-layer KV head counts when the file
    gives them per layer (hybrids: 0 for a layer without attention)."""
    key = f"{arch}.attention."
    heads = positive_int(meta.get(key + "head_count"))
    out.put("n_heads", heads, f"{meta.origin} {key}head_count")
    kv = meta.get(key + "head_count_kv")
    per_layer = [int(v) for v in kv] if isinstance(kv, Sequence) and not isinstance(kv, str) else None
    if kv is not None:
        out.put("n_kv_heads", positive_int(kv), f"{meta.origin} {key}head_count_kv")
    elif heads and meta.get(f"{arch}.ssm.state_size") is None:
        out.put("n_kv_heads", heads, f"{meta.origin} {key}head_count (no head_count_kv: llama.cpp uses head_count)")
    if per_layer is not None:
        out.put("kv_layers", sum(1 for v in per_layer if v > 0), f"{meta.origin} {key}head_count_kv (layers with > 0)")
    elif positive_int(kv) and layers:
        out.put("kv_layers", layers, f"{meta.origin} {arch}.block_count (every layer has attention)")
    key_len = positive_int(meta.get(key + "key_length"))
    hidden = positive_int(meta.get(f"{arch}.embedding_length"))
    if key_len:
        out.put("head_dim", key_len, f"{meta.origin} {key}key_length")
    elif hidden and heads:
        out.put("head_dim", hidden // heads, f"computed: {meta.origin} {arch}.embedding_length / {key}head_count")
    out.put("kv_lora_rank", positive_int(meta.get(key + "kv_lora_rank")), f"{meta.origin} {key}kv_lora_rank")
    return per_layer


def _sliding(meta: Meta, arch: str, layers: int | None, kv_per_layer: list[int] | None,
             out: Facts) -> list[bool] | None:
    """Window size and how many KV layers it caps: `sliding_window_pattern` as a per-layer bool
    array, or a period n (layer i windowed when i % n < n - 1, llama.cpp `set_swa_pattern`).
    Returns the per-layer windowed flags (None when no layer pattern is known)."""
    key = f"{arch}.attention.sliding_window"
    window = positive_int(meta.get(key))
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


def _full_layer_shape(meta: Meta, arch: str, kv_per_layer: list[int] | None, flags: list[bool] | None,
                      out: Facts) -> None:
    """Full-attention layers of their own shape (Gemma 4): llama.cpp keeps the sliding layers' head
    size in `key_length_swa` and the full layers' in `key_length`, and the KV heads per layer."""
    if not flags or all(flags) or not any(flags):
        return
    key = f"{arch}.attention."
    swa, full = positive_int(meta.get(key + "key_length_swa")), positive_int(meta.get(key + "key_length"))
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


def _recurrent_state(meta: Meta, arch: str, layers: int | None, kv_per_layer: list[int] | None,
                     out: Facts) -> int:
    """The fixed per-sequence state of Mamba-style layers (`<arch>.ssm.*`), F32 as llama.cpp keeps it:
    per layer (d_conv - 1) x (d_inner + 2 x groups x d_state) + d_state x d_inner values. Returns
    the number of recurrent layers (0 when the model has none)."""
    key = f"{arch}.ssm."
    d_state = positive_int(meta.get(key + "state_size"))
    d_inner = positive_int(meta.get(key + "inner_size"))
    if not d_state or not d_inner or not layers:
        return 0
    d_conv = positive_int(meta.get(key + "conv_kernel")) or 0
    groups = positive_int(meta.get(key + "group_count")) or 0
    if kv_per_layer:
        recurrent = sum(1 for v in kv_per_layer if v == 0)
    elif positive_int(meta.get(f"{arch}.attention.head_count_kv")):
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


def _architecture(meta: Meta, arch: str, out: Facts) -> None:
    """Layers, sizes, heads, window, experts, recurrent state, vocabulary and the layout's name."""
    layers = positive_int(meta.get(f"{arch}.block_count"))
    out.put("n_layers", layers, f"{meta.origin} {arch}.block_count")
    out.put("context_len", positive_int(meta.get(f"{arch}.context_length")), f"{meta.origin} {arch}.context_length")
    out.put("hidden_size", positive_int(meta.get(f"{arch}.embedding_length")),
            f"{meta.origin} {arch}.embedding_length")
    out.put("intermediate_size", positive_int(meta.get(f"{arch}.feed_forward_length")),
            f"{meta.origin} {arch}.feed_forward_length")
    kv_per_layer = _attention(meta, arch, layers, out)
    _full_layer_shape(meta, arch, kv_per_layer, _sliding(meta, arch, layers, kv_per_layer, out), out)
    recurrent = _recurrent_state(meta, arch, layers, kv_per_layer, out)
    out.put("moe_experts", positive_int(meta.get(f"{arch}.expert_count")), f"{meta.origin} {arch}.expert_count")
    out.put("moe_active_experts", positive_int(meta.get(f"{arch}.expert_used_count")),
            f"{meta.origin} {arch}.expert_used_count")
    shared = positive_int(meta.get(f"{arch}.expert_shared_count"))
    if shared:
        out.notes.append(f"{meta.origin} {arch}.expert_shared_count {shared}: shared experts run for every token")
    n_tokens = meta.count("tokenizer.ggml.tokens")
    if n_tokens:
        out.put("vocab_size", n_tokens, f"{meta.origin} tokenizer.ggml.tokens (length)")
    else:
        out.put("vocab_size", positive_int(meta.get(f"{arch}.vocab_size")), f"{meta.origin} {arch}.vocab_size")
    out.put("attention", _layout_name(out.facts, recurrent), f"derived from the {meta.origin} head counts and layers")


def metadata_of(meta: Meta) -> Facts:
    """Identity and architecture facts from the metadata."""
    out = Facts()
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
    return metadata_of(Meta(mapping=metadata, origin=origin)).result()
