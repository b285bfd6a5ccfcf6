"""Parameters and per-sequence state of the recurrent mixers of hybrid models: Gated DeltaNet
(Qwen3-Next, Qwen3.5), Mamba2 (Nemotron-H, Granite-4.0-H, Falcon-H1, Bamba) and Mamba1
(Jamba); and a rough size of a multimodal model's vision tower (reported apart, in a note).

State, per layer and sequence, in values (the reader stores it at 16 bits, 2 bytes a value):
  conv state      = conv channels x (kernel - 1)   (the last kernel-1 inputs of the causal conv)
  recurrent state = Gated DeltaNet: value heads x key head dim x value head dim
                    Mamba2: SSM heads x head dim x state size; Mamba1: inner size x state size
as vLLM and llama.cpp keep them (HF's own cache keeps `kernel` conv columns, one more)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.catalog.model_files.hf_shapes import Cfg
from advisor.errors import InputError


@dataclass(frozen=True)
class Mixer:
    """One recurrent layer: its parameters and its fixed state (values per sequence)."""

    params: int
    state_values: int


def _int(c: Cfg, *names: str, default: int | None = None) -> int:
    value = c.get(*names, default=default)
    if value is None:
        raise InputError(f"{c.file}: missing {c.prefix}{names[0]} (needed for the {c.model_type} linear layers)")
    return int(value)


def gated_deltanet(c: Cfg, hidden: int) -> Mixer:
    """Qwen3-Next / Qwen3.5 linear attention: in_proj_qkvz (q, k: key heads x key dim; v, z:
    value heads x value dim), in_proj_ba (a, b: one per value head), a depthwise conv1d over
    q, k, v (no bias), A_log and dt_bias per value head, a gated RMSNorm over the value head
    dim, out_proj."""
    nk, dk = _int(c, "linear_num_key_heads"), _int(c, "linear_key_head_dim")
    nv, dv = _int(c, "linear_num_value_heads"), _int(c, "linear_value_head_dim")
    kernel = _int(c, "linear_conv_kernel_dim", default=4)
    key_dim, value_dim = nk * dk, nv * dv
    conv_dim = 2 * key_dim + value_dim
    params = (hidden * (2 * key_dim + 2 * value_dim) + hidden * 2 * nv + conv_dim * kernel
              + 2 * nv + dv + value_dim * hidden)
    return Mixer(params, conv_dim * (kernel - 1) + nv * dk * dv)


def mamba2(c: Cfg, hidden: int) -> Mixer:
    """Mamba2 (HF `Mamba2Mixer` and its kin): in_proj to (gate z, x, B, C, dt), a depthwise conv1d
    over x, B, C, dt_bias / A_log / D per head, a gated RMSNorm over the inner size, out_proj.
    Key names differ by family: Nemotron-H `mamba_num_heads` / `mamba_head_dim` /
    `ssm_state_size` / `n_groups` / `conv_kernel`; Granite and Falcon-H1 `mamba_n_heads` /
    `mamba_d_head` / `mamba_d_state` / `mamba_n_groups` / `mamba_d_conv` (`mamba_d_ssm`)."""
    head_dim = _int(c, "mamba_head_dim", "mamba_d_head", default=64)
    heads = c.get("mamba_num_heads", "mamba_n_heads")
    inner = c.get("mamba_d_ssm")
    if inner is None:
        inner = heads * head_dim if heads else int(c.get("mamba_expand", "expand", default=2)) * hidden
    heads = int(heads or inner // head_dim)
    groups = _int(c, "n_groups", "mamba_n_groups", default=1)
    state = _int(c, "ssm_state_size", "mamba_d_state", "state_size", default=128)
    kernel = _int(c, "conv_kernel", "mamba_d_conv", default=4)
    conv_bias = bool(c.get("use_conv_bias", "mamba_conv_bias", default=True))
    proj_bias = bool(c.get("mamba_proj_bias", "use_bias", default=False))
    conv_dim = inner + 2 * groups * state
    in_out = hidden * (inner + conv_dim + heads) + inner * hidden
    params = (in_out + (inner + conv_dim + heads + hidden if proj_bias else 0)
              + conv_dim * kernel + (conv_dim if conv_bias else 0) + 3 * heads + inner)
    return Mixer(params, conv_dim * (kernel - 1) + heads * head_dim * state)


def mamba1(c: Cfg, hidden: int) -> Mixer:
    """Mamba1 (Jamba): in_proj (x, z), conv1d, x_proj (dt, B, C), dt_proj, A_log (inner x
    state), D, out_proj, and Jamba's dt/B/C RMSNorms."""
    inner = _int(c, "mamba_expand", default=2) * hidden
    state = _int(c, "mamba_d_state", default=16)
    kernel = _int(c, "mamba_d_conv", default=4)
    dt_rank = c.get("mamba_dt_rank")
    dt_rank = math.ceil(hidden / 16) if dt_rank in (None, "auto") else int(dt_rank)
    conv_bias = bool(c.get("mamba_conv_bias", default=True))
    proj_bias = bool(c.get("mamba_proj_bias", default=False))
    params = (hidden * 2 * inner + inner * kernel + (inner if conv_bias else 0)
              + inner * (dt_rank + 2 * state) + dt_rank * inner + inner + inner * state + inner
              + inner * hidden + (2 * inner + hidden if proj_bias else 0) + dt_rank + 2 * state)
    return Mixer(params, inner * (kernel - 1) + inner * state)


RECURRENT = {"gdn": gated_deltanet, "mamba2": mamba2, "attention+mamba2": mamba2, "mamba1": mamba1}
NAMES = {"gdn": "Gated DeltaNet", "mamba2": "Mamba2", "attention+mamba2": "Mamba2", "mamba1": "Mamba"}


def recurrent_mixer(c: Cfg, kind: str, hidden: int) -> Mixer:
    """The parameters and state of one recurrent layer of `kind` (a `Layer.mixer`)."""
    return RECURRENT[kind](c, hidden)


def vision_params(config: Mapping[str, Any]) -> int | None:
    """A rough parameter count of the vision tower a multimodal config describes in
    `vision_config` (ViT blocks: 4 h^2 attention + 2 h i MLP + biases and norms, the patch
    and position embeddings, and a patch-merger / projector into the text width). Reported in
    a note only: it is an estimate from a few keys, not a count of every tensor."""
    v = config.get("vision_config")
    if not isinstance(v, Mapping):
        return None
    h = v.get("hidden_size") or v.get("embed_dim") or v.get("width")
    depth = v.get("depth") or v.get("num_hidden_layers") or v.get("layers")
    if not isinstance(h, int) or not isinstance(depth, int):
        return None
    inter = v.get("intermediate_size") or int(h * float(v.get("mlp_ratio", 4)))
    patch = int(v.get("patch_size", 14))
    channels = int(v.get("in_channels", v.get("num_channels", 3)))
    blocks = depth * (4 * h * h + 2 * h * inter + 9 * h + inter)
    patch_embed = channels * int(v.get("temporal_patch_size", 1)) * patch * patch * h + h
    positions = v.get("num_position_embeddings")
    if positions is None and isinstance(v.get("image_size"), int):
        positions = (v["image_size"] // patch) ** 2
    merge = int(v.get("spatial_merge_size", 1))
    text = config.get("text_config") if isinstance(config.get("text_config"), Mapping) else {}
    out = v.get("out_hidden_size") or text.get("hidden_size") or h
    merged = h * merge * merge
    projector = merged * merged + merged * out if merge > 1 else h * out
    return int(blocks + patch_embed + int(positions or 0) * h + projector)
