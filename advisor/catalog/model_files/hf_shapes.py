"""The shapes a Hugging Face `config.json` gives, under every family's own key names, and the
layer plan they imply (which mixer and which feed-forward each layer has). Shared by the
parameter counter (`params`) and the config reader (`hf_config`), so both see one layout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.errors import InputError

# The parts of multimodal configs that describe the language model.
TEXT_PARTS = ("text_config", "llm_config", "language_config")
HIDDEN = ("hidden_size", "n_embd", "d_model", "model_dim")
LAYERS = ("num_hidden_layers", "n_layer", "num_layers", "n_layers")
HEADS = ("num_attention_heads", "n_head", "num_heads", "n_heads")
KV_HEADS = ("num_key_value_heads", "num_kv_heads", "n_head_kv", "multi_query_group_num")
VOCAB = ("vocab_size", "padded_vocab_size", "n_vocab")
INTERMEDIATE = ("intermediate_size", "ffn_hidden_size", "n_inner", "ffn_dim")
EXPERTS = ("num_experts", "n_routed_experts", "num_local_experts", "moe_num_experts")
ACTIVE_EXPERTS = ("num_experts_per_tok", "experts_per_token", "top_k_experts", "moe_top_k")
# Families whose MLPs are plain up/down projections (no gate), by `model_type`.
UNGATED_TYPES = {"gpt2", "gpt_neox", "gpt_bigcode", "falcon", "phi", "opt", "bloom", "mpt",
                 "starcoder2", "nemotron", "nemotron_h", "gptj", "codegen"}
# Families whose config class ties the output head to the embeddings when the key is absent.
TIED_BY_DEFAULT = {"gemma", "gemma2", "gemma3", "gemma3_text", "gemma3n", "gemma3n_text", "gemma4", "gemma4_text", "gpt2", "gptj", "phi", "opt", "bloom"}
# Families that apply `sliding_window` to every layer when the config sets one.
WINDOW_ON_ALL_LAYERS = {"mistral", "mixtral", "phi3", "starcoder2"}


@dataclass(frozen=True)
class Layer:
    """One decoder layer: its token mixer and its feed-forward block."""

    mixer: str          # "attention", "mla", "gdn" (Gated DeltaNet), "mamba2", "mamba1", "attention+mamba2", "none"
    ffn: str            # "dense", "moe", "none"
    sliding: bool = False  # attention capped at the sliding window

    @property
    def keeps_kv(self) -> bool:
        return self.mixer in ("attention", "mla", "attention+mamba2")

    @property
    def recurrent(self) -> bool:
        return self.mixer in ("gdn", "mamba2", "mamba1", "attention+mamba2")


# config keys whose value is a list by nature (not a per-layer variant of a number)
LIST_KEYS = frozenset({"architectures", "layer_types", "layers_block_type", "mlp_only_layers", "sliding_window_pattern",
                       "hybrid_override_pattern", "block_types", "attn_layer_indices", "rope_scaling", "eos_token_id",
                       "full_attn_idxs", "moe_layers", "dense_layers", "swa_layers"})


class Cfg:
    """A config (or its text part) with the file and key prefix that sources name."""

    def __init__(self, data: Mapping[str, Any], file: str = "config.json", prefix: str = "",
                 top: Mapping[str, Any] | None = None) -> None:
        self.data, self.file, self.prefix = data, file, prefix
        self.top = top if top is not None else data

    @classmethod
    def of(cls, config: Mapping[str, Any], file: str = "config.json") -> "Cfg":
        """The language-model part of `config` (its `text_config` when it has one)."""
        for part in TEXT_PARTS:
            inner = config.get(part)
            if isinstance(inner, Mapping) and any(k in inner for k in HIDDEN + LAYERS):
                return cls(inner, file, f"{part}.", config)
        return cls(config, file)

    def source(self, *keys: str) -> str:
        """`config.json: text_config.num_hidden_layers` (a key found at the top level of a nested
        config is marked `^key` by `find` and named without the prefix)."""
        return f"{self.file}: " + " / ".join(self.key(k) for k in keys)

    def key(self, key: str) -> str:
        return key[1:] if key.startswith("^") else self.prefix + key

    def get(self, *names: str, default: Any = None) -> Any:
        """The first of `names` the text part has (then the whole config), else `default`."""
        value, key = self.find(*names)
        return value if key is not None else default

    def find(self, *names: str) -> tuple[Any, str | None]:
        """(value, key) of the first of `names` present and not null; (None, None) if none. A key
        found only at the top level of a nested config comes back as `^key`. A per-layer list of
        one repeated number reads as that number; other lists where a number is wanted are an
        InputError naming the key (`layer_types` and other real lists are asked for by name)."""
        for name in names:
            if self.data.get(name) is not None:
                return self._one(self.data[name], name), name
        if self.top is not self.data:
            for name in names:
                if self.top.get(name) is not None:
                    return self._one(self.top[name], "^" + name), "^" + name
        return None, None

    def _one(self, value: Any, key: str) -> Any:
        if not isinstance(value, list) or key.lstrip("^") in LIST_KEYS:
            return value
        if value and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value) and len(set(value)) == 1:
            return value[0]
        raise InputError(f"{self.file}: {self.key(key)} differs per layer ({value[:4]}...): not read")

    def need(self, *names: str) -> tuple[int, str]:
        """A positive whole number every transformer config has; InputError naming the file and field."""
        value, key = self.find(*names)
        if key is None:
            also = f" (nor {', '.join(names[1:])})" if len(names) > 1 else ""
            raise InputError(f"{self.file}: missing {self.prefix}{names[0]}{also}")
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise InputError(f"{self.file}: {self.key(key)} = {value!r} is not a positive whole number")
        return value, key

    @property
    def model_type(self) -> str:
        return str(self.data.get("model_type") or self.top.get("model_type") or "")


@dataclass(frozen=True)
class Shapes:
    """The core sizes with the source of each (`config.json: num_hidden_layers`)."""

    hidden: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    keys: Mapping[str, str]


def core_shapes(c: Cfg) -> Shapes:
    """Hidden size, layers, heads, KV heads, head size and vocabulary, each with its source;
    InputError for the four every transformer config must have."""
    hidden, hk = c.need(*HIDDEN)
    blocks = c.get("layers_block_type")
    if c.find(*LAYERS)[1] is None and isinstance(blocks, list) and blocks:
        layers, lk = len(blocks), "layers_block_type"  # newer Nemotron-H configs: one entry a block
    else:
        layers, lk = c.need(*LAYERS)
    heads, nk = c.need(*HEADS)
    vocab, vk = c.need(*VOCAB)
    kv, kvk = c.find(*KV_HEADS)
    if kv is None and c.data.get("multi_query") is True:
        kv, kvk = 1, "multi_query"
    keys = {"hidden": c.source(hk), "heads": c.source(nk), "vocab": c.source(vk),
            "layers": c.source(lk) + (" (its length)" if lk == "layers_block_type" else ""),
            "kv_heads": c.source(kvk) if kvk else c.source(nk) + " (no num_key_value_heads: one KV head per head)"}
    head_dim, hdk = c.find("head_dim", "attention_head_dim", "head_size")
    if c.get("kv_lora_rank"):
        head_dim = int(c.get("qk_nope_head_dim", default=128)) + int(c.get("qk_rope_head_dim", default=64))
        keys["head_dim"] = c.source("qk_nope_head_dim") + " + qk_rope_head_dim"
    elif head_dim is None:
        head_dim = hidden // heads
        keys["head_dim"] = c.source(hk, nk)
    else:
        keys["head_dim"] = c.source(hdk)
    return Shapes(hidden, layers, heads, int(kv if kv is not None else heads), int(head_dim), vocab, keys)


def plan_source(c: Cfg) -> str:
    """The key that says which layers are which (for hybrids and windows)."""
    for key in ("hybrid_override_pattern", "layers_block_type", "layer_types", "full_attention_interval",
                "attn_layer_period",
                "sliding_window_pattern", "_sliding_window_pattern"):
        if c.get(key) is not None:
            return c.source(key)
    return f"{c.file}: model_type {c.model_type}"


def is_gated(c: Cfg) -> bool:
    """Whether the MLPs have a gate projection (SwiGLU/GeGLU: three matrices) or not (two)."""
    act = str(c.get("mlp_hidden_act", "hidden_act", "activation_function", default="")).lower()
    return c.model_type not in UNGATED_TYPES and act not in ("relu2", "gelu_new")


def moe_layer(c: Cfg, i: int) -> bool:
    """Whether layer `i` has routed experts, by each family's rule."""
    if not c.get(*EXPERTS):
        return False
    if i in (c.get("mlp_only_layers") or []):
        return False
    if i < int(c.get("first_k_dense_replace", default=0)):
        return False
    freq = c.get("moe_layer_freq")
    if isinstance(freq, list):
        return bool(freq[i]) if i < len(freq) else False
    if isinstance(freq, int) and freq > 1 and i % freq:
        return False
    for key in ("decoder_sparse_step", "interleave_moe_layer_step"):
        step = c.get(key)
        if isinstance(step, int) and step > 1 and (i + 1) % step:
            return False
    period = c.get("expert_layer_period")
    if isinstance(period, int) and period > 0:
        return i % period == int(c.get("expert_layer_offset", default=0))
    return True


_PATTERN = {"M": ("mamba2", "none"), "*": ("attention", "none"), "-": ("none", "dense"), "E": ("none", "moe")}
_BLOCKS = {"mamba": "M", "attention": "*", "mlp": "-", "moe": "E"}  # Nemotron-H `layers_block_type`
_TYPES = {"full_attention": "attention", "attention": "attention", "global": "attention",
          "sliding_attention": "attention", "chunked_attention": "attention",
          "deepseek_sparse_attention": "attention",
          "linear_attention": "gdn", "mamba": "mamba2", "mamba2": "mamba2"}


def _mixers(c: Cfg, layers: int) -> list[str]:
    """Each layer's token mixer, from the keys that say it (`hybrid_override_pattern`,
    `layer_types`, `full_attention_interval`, Jamba's `attn_layer_period`, Falcon-H1's parallel
    layers), else attention everywhere (MLA when the config has `kv_lora_rank`)."""
    types = c.get("layer_types")
    if isinstance(types, list) and types:
        if len(types) != layers:
            raise InputError(f"{c.file}: {c.prefix}layer_types has {len(types)} entries, "
                             f"num_hidden_layers says {layers}")
        unknown = sorted({t for t in types if t not in _TYPES})
        if unknown:
            raise InputError(f"{c.file}: {c.prefix}layer_types: unknown layer type(s) {', '.join(map(str, unknown))}")
        mixers = [_TYPES[t] for t in types]
        if c.model_type == "jamba":
            mixers = ["mamba1" if m == "mamba2" else m for m in mixers]
        if c.get("kv_lora_rank"):
            mixers = ["mla" if m == "attention" else m for m in mixers]
        return mixers
    interval = c.get("full_attention_interval")
    if isinstance(interval, int) and interval > 0:
        return ["attention" if (i + 1) % interval == 0 else "gdn" for i in range(layers)]
    period = c.get("attn_layer_period")
    if isinstance(period, int) and period > 0:
        offset = int(c.get("attn_layer_offset", default=0))
        return ["attention" if i % period == offset else "mamba1" for i in range(layers)]
    if c.model_type == "falcon_h1":
        return ["attention+mamba2"] * layers
    return ["mla" if c.get("kv_lora_rank") else "attention"] * layers


def _sliding_flags(c: Cfg, layers: int, mixers: list[str]) -> list[bool]:
    """Which attention layers the window caps: named per layer (`layer_types`), every layer but
    each Nth (`sliding_window_pattern`, Gemma 3), even layers (Gemma 2), the layers from
    `max_window_layers` on (Qwen2 with `use_sliding_window`), or all (Mistral and kin)."""
    if not c.get("sliding_window") or c.data.get("use_sliding_window") is False:
        return [False] * layers
    types = c.get("layer_types")
    if isinstance(types, list) and any(t == "sliding_attention" for t in types):
        return [t == "sliding_attention" for t in types]
    pattern = c.get("sliding_window_pattern", "_sliding_window_pattern")
    if isinstance(pattern, int) and pattern > 1:
        return [(i + 1) % pattern != 0 for i in range(layers)]
    if c.model_type == "gemma2":
        return [i % 2 == 0 for i in range(layers)]
    if c.data.get("use_sliding_window") is True and isinstance(c.get("max_window_layers"), int):
        return [i >= c.get("max_window_layers") for i in range(layers)]
    if c.model_type in WINDOW_ON_ALL_LAYERS:
        return [m == "attention" for m in mixers]
    return [False] * layers


def layer_plan(c: Cfg, layers: int) -> list[Layer]:
    """Every layer's mixer, feed-forward and window."""
    pattern, key = c.find("hybrid_override_pattern", "layers_block_type")
    if isinstance(pattern, list):
        unknown = sorted({str(b) for b in pattern if b not in _BLOCKS})
        if unknown:
            raise InputError(f"{c.file}: {c.key(key)}: unknown block type(s) {', '.join(unknown)}")
        pattern = "".join(_BLOCKS[b] for b in pattern)
    if isinstance(pattern, str) and pattern:
        if len(pattern) != layers or set(pattern) - set(_PATTERN):
            raise InputError(f"{c.file}: {c.key(key)} '{pattern}' does not give "
                             f"one of M * - E for each of the {layers} layers")
        return [Layer(*_PATTERN[ch]) for ch in pattern]
    mixers = _mixers(c, layers)
    sliding = _sliding_flags(c, layers, mixers)
    ffn = ["moe" if moe_layer(c, i) else "dense" for i in range(layers)]
    return [Layer(m, f, s and m == "attention") for m, f, s in zip(mixers, ffn, sliding)]


def tied_embeddings(c: Cfg) -> tuple[bool, str]:
    """Whether the output head shares the embedding matrix, and why we think so."""
    value, key = c.find("tie_word_embeddings", "tie_embeddings")
    if key is not None:
        return bool(value), key
    tied = c.model_type in TIED_BY_DEFAULT
    return tied, f"(absent: {c.model_type or 'this family'} defaults to {'tied' if tied else 'untied'})"
