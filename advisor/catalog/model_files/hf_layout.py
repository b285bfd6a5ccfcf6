"""The attention layout of a Hugging Face config in the catalog's words and numbers: the label
("full (GQA)", "MLA", "sliding-window/global interleaved 5:1", "hybrid: Gated DeltaNet + gated
attention 3:1"), the window and how many KV layers it caps, the layers that keep a KV cache
(hybrids), and the fixed recurrent state of the others (MB at 16 bits; see `params_hybrid`)."""

from __future__ import annotations

from typing import Any

from advisor.catalog.model_files.hf_shapes import Cfg, Layer, Shapes, plan_source
from advisor.catalog.model_files.params import ParamCount
from advisor.catalog.model_files.params_hybrid import NAMES

Put = Any  # callable(name, value, source)
# The keys the recurrent state is computed from (those a config has are named in the source).
STATE_KEYS = ("linear_num_key_heads", "linear_key_head_dim", "linear_num_value_heads", "linear_value_head_dim",
              "linear_conv_kernel_dim", "mamba_num_heads", "mamba_n_heads", "mamba_head_dim", "mamba_d_head",
              "mamba_d_ssm", "mamba_expand", "n_groups", "mamba_n_groups", "ssm_state_size", "mamba_d_state",
              "conv_kernel", "mamba_d_conv")


def _kind(s: Shapes) -> str:
    return "MQA" if s.kv_heads == 1 else "MHA" if s.kv_heads == s.heads else "GQA"


def _ratio(many: int, few: int) -> str:
    return f"{many // few}:1" if few and many % few == 0 else f"({many}:{few} layers)"


def _hybrid_label(c: Cfg, plan: list[Layer]) -> str:
    """"hybrid: Gated DeltaNet + gated attention 3:1", "hybrid: Mamba2 + attention (54:10 layers)"."""
    recurrent = [layer for layer in plan if layer.recurrent and layer.mixer != "attention+mamba2"]
    attn = [layer for layer in plan if layer.keeps_kv]
    if any(layer.mixer == "attention+mamba2" for layer in plan):
        return "hybrid: Mamba2 + attention (parallel in every layer)"
    name = NAMES[recurrent[0].mixer]
    if not attn:
        return f"recurrent: {name} (no attention)"
    gated = bool(c.get("attn_output_gate")) or c.model_type == "qwen3_next"
    return f"hybrid: {name} + {'gated attention' if gated else 'attention'} {_ratio(len(recurrent), len(attn))}"


def _window_label(c: Cfg, kv: list[Layer]) -> str | None:
    """The label of a windowed layout, from the first full layer's place (the period)."""
    sliding = [layer.sliding for layer in kv]
    n_local = sum(sliding)
    if not n_local:
        return None
    if n_local == len(kv):
        return "sliding-window (all layers)"
    period = sliding.index(False) + 1
    if all(flag == ((i + 1) % period != 0) for i, flag in enumerate(sliding)):
        types = c.get("layer_types") or []
        if period == 2 and "full_attention" in types and c.model_type != "gemma2":
            return "sliding-window/full alternating 1:1"
        return f"sliding-window/global interleaved {period - 1}:1"
    return f"sliding-window on {n_local} of {len(kv)} layers"


def attention_label(c: Cfg, s: Shapes, plan: list[Layer]) -> str:
    """The catalog's name of the layout."""
    if any(layer.mixer == "mla" for layer in plan):
        return "MLA"
    if any(layer.recurrent for layer in plan):
        return _hybrid_label(c, plan)
    return _window_label(c, [layer for layer in plan if layer.keeps_kv]) or f"full ({_kind(s)})"


def attention_source(c: Cfg, count: ParamCount) -> str:
    """Where the label comes from: the layer layout's key, the MLA rank, or the head counts."""
    plan, keys = count.plan, count.shapes.keys
    if any(layer.mixer == "mla" for layer in plan):
        return f"derived from {c.source('kv_lora_rank')}"
    if any(layer.recurrent or layer.sliding for layer in plan):
        return f"derived from {plan_source(c)}"
    return f"derived from {keys['kv_heads']} and {keys['heads']}"


def window_facts(c: Cfg, plan: list[Layer], put: Put, notes: list[str]) -> None:
    """sliding_window and sliding_layers when some KV layer is capped; a note when the config
    sets a window that no layer uses."""
    window = c.get("sliding_window")
    kv = [layer for layer in plan if layer.keeps_kv]
    local = sum(layer.sliding for layer in kv)
    if not window:
        return
    if not local:
        why = "use_sliding_window is false" if c.data.get("use_sliding_window") is False else \
            f"no layer of this {c.model_type or 'family'} config uses it"
        notes.append(f"{c.source('sliding_window')} = {window} is not applied ({why})")
        return
    put("sliding_window", int(window), c.source("sliding_window"))
    if local == len(kv):
        src = f"{c.source('sliding_window')} ({c.model_type} windows every attention layer)"
    elif c.get("layer_types") is not None or c.get("sliding_window_pattern", "_sliding_window_pattern"):
        src = plan_source(c)
    elif c.model_type == "gemma2":
        src = f"{c.file}: model_type gemma2 (even layers sliding)"
    else:
        src = c.source("use_sliding_window", "max_window_layers")
    put("sliding_layers", local, src)


def global_layer_facts(c: Cfg, plan: list[Layer], put: Put, notes: list[str]) -> None:
    """global_head_dim and global_kv_heads where an interleaved model's full-attention layers have
    their own shape, as transformers' Gemma4TextAttention builds them: `global_head_dim` for the
    full layers; their KV heads `num_global_key_value_heads` when `attention_k_eq_v` (keys double
    as values), else `num_key_value_heads`. The cache keeps keys and values either way (the values
    are normed apart), so the KV cache is not halved."""
    kv = [layer for layer in plan if layer.keeps_kv]
    if not any(layer.sliding for layer in kv) or all(layer.sliding for layer in kv):
        return
    head_dim, dkey = c.find("global_head_dim")
    if isinstance(head_dim, int) and head_dim > 0 and head_dim != c.get("head_dim"):
        put("global_head_dim", head_dim, c.source(dkey))
    heads, hkey = c.find("num_global_key_value_heads")
    if not (isinstance(heads, int) and heads > 0):
        return
    if c.get("attention_k_eq_v") is True:
        if heads != c.get("num_key_value_heads"):
            put("global_kv_heads", heads, f"{c.source(hkey)} ({c.key('attention_k_eq_v')} is true)")
        notes.append(f"{c.source('attention_k_eq_v')}: full-attention layers take values from the key "
                     "projection; keys and values are both cached")
    else:
        notes.append(f"{c.source(hkey)} = {heads} is not applied ({c.key('attention_k_eq_v')} is not true)")


def hybrid_facts(c: Cfg, count: ParamCount, put: Put, notes: list[str]) -> None:
    """kv_layers and state_mb for models with recurrent layers; what the layer counts mean."""
    plan = count.plan
    recurrent = [layer for layer in plan if layer.recurrent]
    if not recurrent:
        return
    kv_layers = sum(layer.keeps_kv for layer in plan)
    where = plan_source(c)
    if kv_layers:
        put("kv_layers", kv_layers, where)
    kinds = sorted({NAMES[layer.mixer] for layer in recurrent})
    used = [k for k in STATE_KEYS if c.get(k) is not None]
    put("state_mb", round(count.state_values * 2 / 1e6, 3),
        f"computed from {c.source(*used) if used else c.file + ' shapes'}: conv + recurrent state of "
        f"{len(recurrent)} {'/'.join(kinds)} layers, 16-bit")
    state = "value heads x key dim x value dim" if "Gated DeltaNet" in kinds else "heads x head dim x state size"
    notes.append(f"state_mb: per sequence, conv channels x (kernel - 1) + recurrent state ({state}) per layer, "
                 "2 bytes a value")
    cache_dtype, key = c.find("mamba_ssm_cache_dtype", "mamba_ssm_dtype")
    if key and "32" in str(cache_dtype):
        notes.append(f"{c.source(key)} = {cache_dtype}: engines that follow it keep the recurrent state at "
                     "32 bits (about twice state_mb)")
    if c.get("hybrid_override_pattern", "layers_block_type"):
        counts = {k: sum(1 for layer in plan if (layer.mixer, layer.ffn) == v) for k, v in
                  (("Mamba2", ("mamba2", "none")), ("attention", ("attention", "none")),
                   ("MLP", ("none", "dense")), ("MoE", ("none", "moe")))}
        notes.append(f"{count.shapes.keys['layers']} counts every block: "
                     + ", ".join(f"{n} {k}" for k, n in counts.items()) + f" ({where})")
