"""Parameter counts computed from a Hugging Face config's shapes, layer by layer: embeddings
(and an untied output head), attention (GQA/MHA/MQA with the family's biases, gated attention,
MLA), dense MLPs, MoE layers (routed and shared experts, router), Gated DeltaNet and Mamba
layers (`params_hybrid`), norms.

Conventions (said again in the notes each count returns):
- `total` is the language model as published: multi-token-prediction layers
  (`num_nextn_predict_layers`, `mtp_num_hidden_layers`) and vision towers are left out and
  sized in a note (DeepSeek-V3's 671 B excludes its 14 B MTP module; a Qwen3.5 card's
  "35B" is its language model).
- `active` (MoE only) is the weights each token is multiplied by: attention, shared experts,
  router, the routed experts a token uses and the output head, but not the input embedding (a
  row lookup), as OpenAI and NVIDIA count; Qwen and Mistral count the embedding too, and the
  notes give that figure as well."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.catalog.model_files import params_hybrid as hyb
from advisor.catalog.model_files.hf_shapes import (ACTIVE_EXPERTS, EXPERTS, INTERMEDIATE, UNGATED_TYPES,
                                                   Cfg, Layer, Shapes, core_shapes, is_gated,
                                                   layer_plan, tied_embeddings)

QKV_BIAS_TYPES = {"qwen2", "qwen2_moe", "qwen2_vl", "qwen2_5_vl", "qwen2_5_vl_text", "qwen2_vl_text"}
HEAD_QK_NORM_TYPES = {"qwen3", "qwen3_moe", "qwen3_next", "qwen3_5", "qwen3_5_text", "qwen3_5_moe",
                      "qwen3_5_moe_text", "qwen3_vl", "qwen3_vl_text", "qwen3_vl_moe",
                      "qwen3_vl_moe_text", "gemma3", "gemma3_text"}
NORMS_PER_LAYER = {"gemma2": 4, "gemma3": 4, "gemma3_text": 4, "nemotron_h": 1, "olmo2": 2}


@dataclass
class ParamCount:
    """A count by part, with what was left out and what was assumed."""

    shapes: Shapes
    plan: list[Layer]
    total: int = 0
    active: int | None = None
    embedding: int = 0          # the input embedding (in total, not in active)
    head: int = 0               # an untied output head (0 when tied)
    parts: dict[str, int] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)  # "MTP", "vision tower"
    state_values: int = 0       # recurrent state per sequence (values), see params_hybrid
    notes: list[str] = field(default_factory=list)

    def add(self, part: str, n: int) -> None:
        self.parts[part] = self.parts.get(part, 0) + n


def mlp(hidden: int, inter: int, gated: bool, bias: bool = False) -> int:
    """A feed-forward block: gated (gate, up, down: 3 h i) or plain (up, down: 2 h i)."""
    n = (3 if gated else 2) * hidden * inter
    return n + ((2 * inter if gated else inter) + hidden if bias else 0)


def attention(c: Cfg, s: Shapes) -> int:
    """q/k/v/o projections (q doubled for gated attention, `attn_output_gate` or Qwen3-Next),
    biases where the family has them (`attention_bias`; Qwen2 q/k/v), per-head q/k norms
    (Qwen3, Gemma 3), attention sinks (gpt-oss)."""
    gated = bool(c.get("attn_output_gate")) or c.model_type == "qwen3_next"
    q = s.heads * s.head_dim * (2 if gated else 1)
    kv = s.kv_heads * s.head_dim
    n = s.hidden * (q + 2 * kv) + s.heads * s.head_dim * s.hidden
    bias = c.get("attention_bias")
    if bias is True:
        n += q + 2 * kv + s.hidden
    elif bias is None and c.model_type in QKV_BIAS_TYPES:
        n += q + 2 * kv
    if c.model_type in HEAD_QK_NORM_TYPES:
        n += 2 * s.head_dim
    elif c.model_type == "olmo2":
        n += s.heads * s.head_dim + kv
    if c.model_type == "gpt_oss":
        n += s.heads
    return n


def mla(c: Cfg, s: Shapes) -> int:
    """Multi-head latent attention (DeepSeek-V2/V3, Kimi-K2): q through `q_lora_rank` (or
    direct), the joint KV latent `kv_lora_rank` plus the shared rope key, its up-projection to
    per-head nope keys and values, the output projection, the two latent norms."""
    nope, rope = int(c.get("qk_nope_head_dim", default=128)), int(c.get("qk_rope_head_dim", default=64))
    v_dim, rank = int(c.get("v_head_dim", default=nope)), int(c.get("kv_lora_rank"))
    q_rank = c.get("q_lora_rank")
    q = s.hidden * q_rank + q_rank + q_rank * s.heads * (nope + rope) if q_rank else s.hidden * s.heads * (nope + rope)
    kv = s.hidden * (rank + rope) + rank + rank * s.heads * (nope + v_dim)
    return q + kv + s.heads * v_dim * s.hidden


def _dense_inter(c: Cfg, hidden: int) -> int:
    """The dense MLP width: Llama 4 `intermediate_size_mlp`, Granite hybrids' shared MLP,
    `intermediate_size`, or 4 x hidden where a GPT-2-style config leaves `n_inner` null."""
    if c.get("intermediate_size_mlp"):
        return int(c.get("intermediate_size_mlp"))
    if c.model_type == "granitemoehybrid" and c.get("shared_intermediate_size"):
        return int(c.get("shared_intermediate_size"))
    if c.find(*INTERMEDIATE)[1] is None and c.model_type in UNGATED_TYPES:
        return 4 * hidden
    return c.need(*INTERMEDIATE)[0]


def _shared_experts(c: Cfg, hidden: int, expert_inter: int, gated: bool) -> tuple[int, str]:
    """Experts every token uses besides the routed ones, and the key saying so."""
    n_shared = c.get("n_shared_experts", "num_shared_experts")
    if isinstance(n_shared, int) and n_shared > 0:
        width = c.get("moe_shared_expert_intermediate_size") or n_shared * expert_inter
        return mlp(hidden, int(width), gated), "n_shared_experts"
    if c.get("shared_expert_intermediate_size"):
        return mlp(hidden, int(c.get("shared_expert_intermediate_size")), gated) + hidden, \
            "shared_expert_intermediate_size (+ its gate)"
    if c.model_type in ("llama4", "llama4_text"):
        return mlp(hidden, expert_inter, gated), "one shared expert (Llama 4)"
    if c.model_type == "granitemoehybrid" and c.get("shared_intermediate_size"):
        return mlp(hidden, int(c.get("shared_intermediate_size")), gated), "shared_intermediate_size"
    return 0, ""


def moe(c: Cfg, hidden: int, gated: bool) -> tuple[int, int, list[str]]:
    """(all parameters, those one token uses, notes) of one MoE block. Latent MoE (Nemotron 3
    `moe_latent_size`): the routed experts work in the latent width, with one projection into
    it and one out of it per layer; router and shared experts stay at the hidden width."""
    experts, top_k = int(c.get(*EXPERTS)), int(c.get(*ACTIVE_EXPERTS, default=1))
    width = int(c.get("moe_intermediate_size", default=None) or c.need(*INTERMEDIATE)[0])
    latent = c.get("moe_latent_size")
    biased = c.model_type == "gpt_oss"
    one = mlp(int(latent or hidden), width, gated, bias=biased)
    router = hidden * experts + (experts if biased or c.get("topk_method") == "noaux_tc" else 0)
    router += 2 * hidden * int(latent) if latent else 0
    shared, why = _shared_experts(c, hidden, width, gated)
    notes = [f"shared experts: {why}"] if why else []
    if latent:
        notes.append(f"latent MoE: routed experts {latent} wide ({c.source('moe_latent_size')})")
    return experts * one + router + shared, top_k * one + router + shared, notes


def _layer(c: Cfg, s: Shapes, layer: Layer, count: ParamCount, gated: bool) -> int:
    """Add one layer's parts to `count`; returns the parameters a token uses in it."""
    used = 0
    if layer.mixer in ("attention", "attention+mamba2"):
        n = attention(c, s)
        count.add("attention", n)
        used += n
    elif layer.mixer == "mla":
        n = mla(c, s)
        count.add("attention (MLA)", n)
        used += n
    if layer.recurrent:
        mixer = hyb.recurrent_mixer(c, layer.mixer, s.hidden)
        count.add(hyb.NAMES[layer.mixer], mixer.params)
        count.state_values += mixer.state_values
        used += mixer.params
    if layer.ffn == "dense":
        n = mlp(s.hidden, _dense_inter(c, s.hidden), gated, bias=bool(c.get("mlp_bias")))
        count.add("dense MLP", n)
        used += n
    elif layer.ffn == "moe":
        every, one_token, _ = moe(c, s.hidden, gated)
        count.add("MoE", every)
        used += one_token
    norms = NORMS_PER_LAYER.get(c.model_type, 2) * s.hidden
    count.add("norms", norms)
    return used + norms


def _mtp(c: Cfg, s: Shapes, gated: bool) -> tuple[int, str]:
    """Parameters of multi-token-prediction layers (not in published totals), and the key."""
    for key in ("num_nextn_predict_layers", "mtp_num_hidden_layers"):
        k = c.get(key)
        if isinstance(k, int) and k > 0:
            mixer = "mla" if c.get("kv_lora_rank") else "attention"
            probe = ParamCount(s, [])
            _layer(c, s, Layer(mixer, "moe" if c.get(*EXPERTS) else "dense"), probe, gated)
            return k * (sum(probe.parts.values()) + 2 * s.hidden * s.hidden + 3 * s.hidden), key
    return 0, ""


def _embeddings(c: Cfg, s: Shapes, count: ParamCount) -> None:
    """Input embedding, an untied output head, the final norm."""
    count.embedding = s.vocab * s.hidden
    tied, why = tied_embeddings(c)
    count.head = 0 if tied else s.vocab * s.hidden
    count.add("embedding", count.embedding)
    count.add("output head", count.head)
    count.add("norms", s.hidden)
    count.notes.append(f"output head {'tied to' if tied else 'apart from'} the embeddings "
                       f"({c.source(why) if not why.startswith('(') else why})")


def count_breakdown(config: Mapping[str, Any], file: str = "config.json") -> ParamCount:
    """Every part of the language model counted from `config`'s shapes (its text part when
    nested); InputError naming the file and field when a shape every config has is missing."""
    c = Cfg.of(config, file)
    s = core_shapes(c)
    plan = layer_plan(c, s.layers)
    gated = is_gated(c)
    count = ParamCount(s, plan)
    _embeddings(c, s, count)
    used = sum(_layer(c, s, layer, count, gated) for layer in plan)
    count.total = sum(count.parts.values())
    if any(layer.ffn == "moe" for layer in plan):
        # every token is multiplied by the output projection, tied to the embeddings or not
        count.active = used + s.vocab * s.hidden + s.hidden
        count.notes.append(
            f"active {count.active / 1e9:.3g} B: the weights a token is multiplied by (input embedding "
            f"left out, as OpenAI and NVIDIA count); {(count.active + count.embedding) / 1e9:.3g} B "
            "with it (as Qwen and Mistral count)")
        count.notes += moe(c, s.hidden, gated)[2]
    mtp, key = _mtp(c, s, gated)
    if mtp:
        count.excluded["MTP"] = mtp
        count.notes.append(f"multi-token-prediction layers ({c.source(key)}) not counted: "
                           f"about {mtp / 1e9:.3g} B more in the checkpoint")
    vision = hyb.vision_params(config)
    if vision:
        count.excluded["vision tower"] = vision
        count.notes.append(f"vision tower (config.json: vision_config) not counted: about "
                           f"{vision / 1e9:.2g} B more, estimated from its shapes")
    if not gated:
        count.notes.append(f"MLPs without a gate (up and down projections: {c.model_type or 'this family'})")
    return count


def count_params(cfg: dict) -> tuple[float, float | None, list[str]]:
    """(total, active or None for a dense model, notes): parameters in billions computed from the
    config's shapes. See the module docstring for what is counted."""
    count = count_breakdown(cfg)
    active = count.active / 1e9 if count.active is not None else None
    return count.total / 1e9, active, list(count.notes)
