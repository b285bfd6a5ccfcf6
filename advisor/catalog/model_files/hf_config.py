"""Read a Hugging Face `config.json` (and, beside it, `generation_config.json` and
`tokenizer_config.json`) into `ModelFacts`: shapes, context, attention layout, experts,
hybrid layers and state, and parameter counts computed from the shapes (`params`), every fact
with the file and key it came from. Multimodal configs are read from their text part.

A parameter count the files state (a `num_parameters` field, a size in the model's name) is
checked against the computed one: a field more than 10 % off is an error; a size in a name is
rounded, to about one significant figure, so it must also miss by more than half a unit of its
leading digit (a "1B" model of 1.24 B is fine, a "2B" one of 30 B is not)."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from advisor.catalog.model_files.facts import Fact, ModelFacts
from advisor.catalog.model_files.hf_layout import (
    attention_label, attention_source, global_layer_facts, hybrid_facts, window_facts,
)
from advisor.catalog.model_files.hf_shapes import ACTIVE_EXPERTS, EXPERTS, INTERMEDIATE, Cfg
from advisor.catalog.model_files.params import ParamCount, count_breakdown
from advisor.errors import InputError

CONTEXT_KEYS = ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length", "n_ctx")
STATED_KEYS = ("num_parameters", "n_parameters", "num_params", "n_params", "total_params",
               "total_parameters", "parameter_count")


class _Facts:
    """Facts being collected (None values are left out) and notes."""

    def __init__(self) -> None:
        self.facts: dict[str, Fact] = {}
        self.notes: list[str] = []

    def put(self, name: str, value: Any, source: str) -> None:
        if value is not None:
            self.facts[name] = Fact(value, source)

    def result(self) -> ModelFacts:
        return ModelFacts(dict(self.facts), tuple(dict.fromkeys(self.notes)))


def _load_json(path: Path) -> dict[str, Any]:
    """A JSON object from `path`; InputError with FILE:LINE when it is not one."""
    from advisor.recommend.questionnaire import read_json_object

    return read_json_object(path)


def _locate(path: Path) -> tuple[Path, Path]:
    """(the config file, its folder): `path` is the file or a folder holding `config.json`."""
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise InputError(f"{path}: no config.json in this folder")
        return path / "config.json", path
    if not path.exists():
        raise InputError(f"{path}: no such file")
    return path, path.parent


def _shapes(c: Cfg, count: ParamCount, out: _Facts) -> None:
    """Layers, widths, heads, vocabulary, MLP width, experts, MLA rank."""
    s, keys = count.shapes, count.shapes.keys
    out.put("n_layers", s.layers, keys["layers"])
    out.put("hidden_size", s.hidden, keys["hidden"])
    out.put("n_heads", s.heads, keys["heads"])
    out.put("n_kv_heads", s.kv_heads, keys["kv_heads"])
    out.put("head_dim", s.head_dim, keys["head_dim"])
    out.put("vocab_size", s.vocab, keys["vocab"])
    dense = [layer for layer in count.plan if layer.ffn == "dense"]
    inter, ikey = c.find(*INTERMEDIATE)
    if not dense and c.get("moe_intermediate_size"):
        inter, ikey = c.get("moe_intermediate_size"), "moe_intermediate_size"
        out.notes.append(f"intermediate_size is the expert width ({c.source(ikey)}): no layer is dense")
    if isinstance(inter, int) and inter > 0:
        out.put("intermediate_size", inter, c.source(ikey))
    if any(layer.ffn == "moe" for layer in count.plan):
        experts, ekey = c.find(*EXPERTS)
        active, akey = c.find(*ACTIVE_EXPERTS)
        out.put("moe_experts", int(experts), c.source(ekey))
        if akey:
            out.put("moe_active_experts", int(active), c.source(akey))
    if c.get("kv_lora_rank"):
        out.put("kv_lora_rank", int(c.get("kv_lora_rank")), c.source("kv_lora_rank"))
        rope = c.get("qk_rope_head_dim", default=64)
        if rope != 64:
            out.notes.append(f"{c.source('qk_rope_head_dim')} = {rope}: the MLA cache keeps "
                             f"kv_lora_rank + {rope} values per layer and token")


def _context(c: Cfg, extras: dict[str, dict[str, Any]], out: _Facts) -> None:
    """max_position_embeddings, or the rope-scaled length where rope_scaling says the model was
    extended beyond it; tokenizer_config.json's model_max_length as a fallback and a check."""
    mpe, key = c.find(*CONTEXT_KEYS)
    context, source = (int(mpe), c.source(key)) if isinstance(mpe, int) and mpe > 0 else (None, "")
    rope, rkey = c.find("rope_scaling", "rope_parameters")
    if isinstance(rope, dict) and rope.get("factor") and rope.get("original_max_position_embeddings"):
        extended = int(float(rope["factor"]) * int(rope["original_max_position_embeddings"]))
        kind = rope.get("rope_type") or rope.get("type") or "rope"
        if context is None or extended > context:
            context, source = extended, (f"{c.source(rkey)}.factor x {rkey}.original_max_position_embeddings "
                                         f"({kind}: {rope['factor']} x {rope['original_max_position_embeddings']})")
        else:
            out.notes.append(f"{c.source(rkey)}: {kind} x{rope['factor']} from "
                             f"{rope['original_max_position_embeddings']} tokens gives the {context} of {source}")
    limit = extras.get("tokenizer_config.json", {}).get("model_max_length")
    if isinstance(limit, (int, float)) and 0 < limit < 1e9:
        if context is None:
            context, source = int(limit), "tokenizer_config.json: model_max_length"
        elif int(limit) != context:
            out.notes.append(f"tokenizer_config.json: model_max_length = {int(limit)}; "
                             f"context_len {context} from {source}")
    out.put("context_len", context, source)


def _name(config: dict[str, Any], folder: Path) -> tuple[str | None, str]:
    """The model's name: `_name_or_path`, a Hugging Face cache folder, or the folder's name."""
    given = config.get("_name_or_path")
    if isinstance(given, str) and given.strip() and not given.startswith((".", "/")):
        return given.rstrip("/").split("/")[-1], "config.json: _name_or_path"
    folder = folder.resolve()
    if re.fullmatch(r"[0-9a-f]{40}", folder.name) and folder.parent.name == "snapshots" \
            and folder.parent.parent.name.startswith("models--"):
        return folder.parent.parent.name.split("--")[-1], "Hugging Face cache folder name"
    return (folder.name or None), "folder name"


def _variant(name: str | None, name_source: str, folder: Path, extras: dict[str, dict[str, Any]],
             out: _Facts) -> None:
    """base when the name says so; instruct when a chat template ships with the model."""
    words = re.split(r"[-_. ]", (name or "").lower())
    tokenizer = extras.get("tokenizer_config.json", {})
    chat = "tokenizer_config.json: chat_template" if tokenizer.get("chat_template") else \
        "chat_template.jinja" if (folder / "chat_template.jinja").is_file() else None
    if "base" in words:
        out.put("variant", "base", f"{name_source} ({name})")
        if chat:
            out.notes.append(f"{chat} present, but the name says base")
    elif chat:
        out.put("variant", "instruct", f"{chat} (a chat template: presumed instruction-tuned)")


def _stated_sizes(config: dict[str, Any], name: str | None, name_source: str) -> list[tuple[float, str, bool, bool]]:
    """(billions, what states it, from a name, is the active count) for every count the files state."""
    stated = []
    for key in STATED_KEYS:
        value = config.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            billions = value / 1e9 if value > 1e5 else float(value)
            stated.append((billions, f"{key} = {value} ({billions:.4g} B)", False, False))
    tokens = re.split(r"[-_ ]", name or "")
    for i, token in enumerate(tokens):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([BbMm])", token)
        if m:
            value = float(m[1]) / (1 if m[2] in "Bb" else 1000)
            per_expert = i + 1 < len(tokens) and re.fullmatch(r"\d+E", tokens[i + 1]) is not None
            stated.append((value, f"{name_source} '{name}' says {token}", True, per_expert))
            break
    return stated


def _check_stated(config: dict[str, Any], count: ParamCount, name: str | None, name_source: str,
                  out: _Facts) -> None:
    """A note per stated count; InputError when one is off by more than its tolerance."""
    for value, label, from_name, is_active in _stated_sizes(config, name, name_source):
        computed = (count.active if is_active and count.active else count.total) / 1e9
        with_vision = computed + count.excluded.get("vision tower", 0) / 1e9
        best = min((computed, with_vision), key=lambda x: abs(x - value))
        off = abs(best - value) / value
        slack = 0.5 * 10 ** math.floor(math.log10(value)) if from_name else 0.0
        what = "active" if is_active else "total"
        if off > 0.10 and abs(best - value) > slack:
            raise InputError(f"config.json: {label} contradicts the {best:.3g} B {what} parameters "
                             f"computed from config.json shapes ({off:.0%} off)")
        extra = " (with the vision tower)" if best != computed else ""
        out.notes.append(f"{'' if from_name else 'config.json: '}{label}: {what} computed {best:.4g} B{extra}, "
                         f"{off:.1%} off")


def _params(count: ParamCount, file: str, out: _Facts) -> None:
    """params_b (and active_params_b for MoE) from the shapes, with their notes."""
    out.put("params_b", round(count.total / 1e9, 3), f"computed from {file} shapes")
    if count.active is not None:
        out.put("active_params_b", round(count.active / 1e9, 3), f"computed from {file} shapes")
    out.notes += count.notes


def _read_extras(folder: Path) -> dict[str, dict[str, Any]]:
    return {name: _load_json(folder / name) for name in ("generation_config.json", "tokenizer_config.json")
            if (folder / name).is_file()}


def _with_path(exc: InputError, file: str, path: Path) -> InputError:
    """The same error naming the config by its path (sources name it by its file name)."""
    text = str(exc)
    return InputError(str(path) + text[len(file):]) if text.startswith(file + ":") else exc


def config_facts(config: dict[str, Any], file: str = "config.json") -> ModelFacts:
    """The shape facts of a config already parsed (shapes, attention layout, windows, hybrid
    layers, context, parameters), each source naming `file`. InputError naming `file` and the
    field. What only a folder tells (name, variant, tokenizer limits) is `read_hf_config`'s."""
    out = _Facts()
    _shape_facts(config, file, out)
    return out.result()


def _shape_facts(config: dict[str, Any], file: str, out: _Facts, extras: dict[str, dict[str, Any]] | None = None) -> Any:
    c = Cfg.of(config, file)
    count = count_breakdown(config, file)
    _shapes(c, count, out)
    out.put("attention", attention_label(c, count.shapes, count.plan), attention_source(c, count))
    window_facts(c, count.plan, out.put, out.notes)
    global_layer_facts(c, count.plan, out.put, out.notes)
    hybrid_facts(c, count, out.put, out.notes)
    _weights_quant(config, file, out)
    _context(c, extras or {}, out)
    _params(count, file, out)
    if c.prefix:
        arch = ", ".join(config.get("architectures") or []) or config.get("model_type") or "multimodal"
        out.notes.append(f"language model read from {file}: {c.prefix[:-1]} (a {arch} config)")
    return count


# `quantization_config.quant_method` of a checkpoint published quantized -> the catalog's quantization
# (AWQ and GPTQ at 4 bits, group 128, their defaults)
WEIGHTS_QUANT_METHODS = {"mxfp4": "MXFP4", "fp8": "FP8", "awq": "AWQ-INT4", "gptq": "GPTQ-INT4"}


def _weights_quant(config: dict[str, Any], file: str, out: _Facts) -> None:
    """weights_quant: the format a checkpoint's own weights are in (gpt-oss MXFP4, DeepSeek-V3
    FP8), from its `quantization_config`; a method the catalog does not map is noted, not guessed."""
    for prefix, block in (("", config), ("text_config.", config.get("text_config") or {})):
        q = block.get("quantization_config") if isinstance(block, dict) else None
        if not isinstance(q, dict) or not isinstance(q.get("quant_method"), str):
            continue
        method = q["quant_method"].lower()
        bits = q.get("bits", q.get("w_bit", 4))
        name = WEIGHTS_QUANT_METHODS.get(method) if method not in ("awq", "gptq") or bits == 4 else None
        if name is None:
            out.notes.append(f"{file}: {prefix}quantization_config.quant_method {q['quant_method']!r} "
                             "is not a format the catalog maps: weights_quant left unknown")
        out.put("weights_quant", name, f"{file}: {prefix}quantization_config.quant_method")
        return


def read_hf_config(path: Path | str) -> ModelFacts:
    """The facts of a Hugging Face model from its `config.json` (a file or a folder holding one),
    each with its source. InputError in one line naming the file (FILE:LINE for broken JSON)
    and the field, for a missing shape, an unreadable file or a contradicting stated size."""
    config_path, folder = _locate(Path(path))
    config = _load_json(config_path)
    extras = _read_extras(folder)
    file = config_path.name
    out = _Facts()
    try:
        count = _shape_facts(config, file, out, extras)
    except InputError as exc:
        raise _with_path(exc, file, config_path) from None
    name, name_source = _name(config, folder)
    out.put("name", name, name_source)
    _variant(name, name_source, folder, extras, out)
    try:
        _check_stated(config, count, name, name_source, out)
    except InputError as exc:
        raise _with_path(exc, "config.json", config_path) from None
    if "generation_config.json" in extras and extras["generation_config.json"].get("max_length"):
        out.notes.append(f"generation_config.json: max_length = {extras['generation_config.json']['max_length']} "
                         "(a generation default, not the context window)")
    return out.result()
