"""`read_gguf`: every fact checked against what was written into small GGUF files (the random
llama of `advisor/benchmarks/gguf_random.py`, and MoE, hybrid, sliding-window, MLA, quantized
and split layouts written here with `gguf.GGUFWriter`); broken files give one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from advisor.catalog.model_files.gguf_file import read_gguf
from advisor.errors import InputError

gguf = pytest.importorskip("gguf")

HIDDEN, FFN, VOCAB = 32, 64, 300  # rows a multiple of 32: Q8_0 blocks


def write_gguf(path: Path, arch: str, kv: dict[str, Any], tensors: dict[str, np.ndarray],
               file_type: int | None = None, quant: Any = None, split_max_tensors: int = 0,
               name: str | None = "test") -> list[Path]:
    """A GGUF file (or split parts) with `kv` metadata (keys without the `<arch>.` prefix are
    prefixed), a VOCAB-token vocabulary and `tensors` (2-D ones stored as `quant`, e.g. Q8_0).
    Returns the files written."""
    w = gguf.GGUFWriter(str(path), arch, split_max_tensors=split_max_tensors)
    if name:
        w.add_name(f"{name}-{arch}")
    if file_type is not None:
        w.add_file_type(file_type)
    for key, value in kv.items():
        key = key if key.startswith(("general.", "tokenizer.")) else f"{arch}.{key}"
        if isinstance(value, bool):
            w.add_bool(key, value)
        elif isinstance(value, int):
            w.add_uint32(key, value)
        elif isinstance(value, str):
            w.add_string(key, value)
        else:
            w.add_array(key, list(value))
    w.add_tokenizer_model("llama")
    w.add_token_list([f"t{i}".encode() for i in range(VOCAB)])
    for name, arr in tensors.items():
        if quant is not None and arr.ndim == 2:
            w.add_tensor(name, gguf.quants.quantize(arr, quant), raw_dtype=quant)
        else:
            w.add_tensor(name, arr)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    if split_max_tensors:
        return sorted(path.parent.glob(f"{path.stem}-*-of-*.gguf"))
    return [path]


def zeros(*shape: int) -> np.ndarray:
    return np.zeros(shape, dtype=np.float32)


def dense_layers(n: int, kv_dim: int = HIDDEN, hidden: int = HIDDEN, ffn: int = FFN) -> dict[str, np.ndarray]:
    t = {"token_embd.weight": zeros(VOCAB, hidden), "output_norm.weight": zeros(hidden)}
    for i in range(n):
        p = f"blk.{i}."
        t.update({p + "attn_q.weight": zeros(hidden, hidden), p + "attn_k.weight": zeros(kv_dim, hidden),
                  p + "attn_v.weight": zeros(kv_dim, hidden), p + "attn_output.weight": zeros(hidden, hidden),
                  p + "ffn_up.weight": zeros(ffn, hidden), p + "ffn_down.weight": zeros(hidden, ffn)})
    return t


def n_elements(tensors: dict[str, np.ndarray]) -> int:
    return sum(int(a.size) for a in tensors.values())


# --------------------------------------------------------------------------- layouts


def test_random_llama_every_fact(tmp_path: Path) -> None:
    from advisor.benchmarks.gguf_random import LlamaShape, write_random_llama

    shape = LlamaShape("tiny-gqa", n_layers=3, hidden=64, n_heads=8, n_kv_heads=2, ffn=96, vocab=300, context=1024)
    path = write_random_llama(tmp_path / "tiny-gqa-F16.gguf", shape, "f16")
    f = read_gguf(path)
    size = path.stat().st_size
    expected = {
        "name": "tiny-gqa", "n_layers": 3, "context_len": 1024, "hidden_size": 64, "intermediate_size": 96,
        "n_heads": 8, "n_kv_heads": 2, "kv_layers": 3, "head_dim": 8, "vocab_size": 300,
        "attention": "full (GQA)", "quant": "F16",
    }
    assert {k: f.get(k) for k in expected} == expected
    assert f.get("params_b") == pytest.approx(shape.n_params / 1e9, rel=1e-12)
    assert f.get("file_size_gb") == pytest.approx(size / 1e9)
    assert f.get("bits_per_weight") == pytest.approx(size * 8 / shape.n_params, abs=1e-4)
    assert f.get("active_params_b") is None and f.get("moe_experts") is None and f.get("sliding_window") is None
    prefix = f"{path.name}: "
    assert all(v.startswith(prefix) for v in f.sources().values())      # every source names the file
    src = {k: v.removeprefix(prefix) for k, v in f.sources().items()}
    assert src["n_layers"] == "GGUF llama.block_count"
    assert src["n_kv_heads"] == "GGUF llama.attention.head_count_kv"
    assert src["vocab_size"] == "GGUF tokenizer.ggml.tokens (length)"
    assert src["head_dim"].startswith("computed")  # gguf_random writes no key_length
    assert src["quant"] == "GGUF general.file_type"
    assert src["params_b"].startswith("GGUF tensor shapes")
    spec = f.spec()  # the facts validate as a ModelSpec
    assert spec.n_layers == 3 and spec.kv_layers == 3


def test_f32_file_type(tmp_path: Path) -> None:
    from advisor.benchmarks.gguf_random import TINY, write_random_llama

    f = read_gguf(write_random_llama(tmp_path / "t.gguf", TINY, "f32"))
    assert f.get("quant") == "F32" and f.get("bits_per_weight") > 32  # metadata counts too: file bytes x 8 / params
    assert f.get("params_b") == pytest.approx(TINY.n_params / 1e9)


def test_moe_active_parameters(tmp_path: Path) -> None:
    n_exp, used, exp_ffn, layers = 8, 2, 16, 2
    t = dense_layers(layers)
    for i in range(layers):
        p = f"blk.{i}."
        del t[p + "ffn_up.weight"], t[p + "ffn_down.weight"]
        t.update({p + "ffn_gate_inp.weight": zeros(n_exp, HIDDEN),
                  p + "ffn_gate_exps.weight": zeros(n_exp, exp_ffn, HIDDEN),
                  p + "ffn_up_exps.weight": zeros(n_exp, exp_ffn, HIDDEN),
                  p + "ffn_down_exps.weight": zeros(n_exp, HIDDEN, exp_ffn),
                  p + "ffn_up_shexp.weight": zeros(exp_ffn, HIDDEN)})
    kv = {"block_count": layers, "embedding_length": HIDDEN, "attention.head_count": 4, "attention.head_count_kv": 4,
          "attention.key_length": 8, "expert_count": n_exp, "expert_used_count": used, "expert_shared_count": 1,
          "context_length": 4096}
    (path,) = write_gguf(tmp_path / "moe.gguf", "qwen2moe", kv, t, gguf.LlamaFileType.MOSTLY_F16)
    f = read_gguf(path)
    total = n_elements(t)
    experts = sum(a.size for k, a in t.items() if "_exps" in k)
    assert f.get("params_b") == pytest.approx(total / 1e9)
    assert f.get("active_params_b") == pytest.approx((total - experts * (1 - used / n_exp)) / 1e9)
    assert (f.get("moe_experts"), f.get("moe_active_experts"), f.get("head_dim")) == (n_exp, used, 8)
    assert f.sources()["head_dim"] == "moe.gguf: GGUF qwen2moe.attention.key_length"
    assert any("expert_shared_count 1" in n for n in f.notes)
    assert f.get("attention") == "full (MHA)"


def test_hybrid_per_layer_kv_heads_and_ssm_state(tmp_path: Path) -> None:
    kv_heads = [0, 0, 2, 0, 0, 2]
    ssm = {"ssm.conv_kernel": 4, "ssm.inner_size": 64, "ssm.state_size": 16, "ssm.group_count": 2}
    kv = {"block_count": 6, "embedding_length": HIDDEN, "attention.head_count": 4,
          "attention.head_count_kv": kv_heads, **ssm}
    (path,) = write_gguf(tmp_path / "hybrid.gguf", "granitehybrid", kv, {"token_embd.weight": zeros(VOCAB, HIDDEN)})
    f = read_gguf(path)
    assert (f.get("kv_layers"), f.get("n_kv_heads"), f.get("n_heads")) == (2, 2, 4)
    per_layer = (4 - 1) * (64 + 2 * 2 * 16) + 16 * 64  # llama.cpp n_embd_r + n_embd_s
    assert f.get("state_mb") == pytest.approx(4 * per_layer * 4 / 1e6)
    assert f.get("attention") == "hybrid: 2 attention + 4 recurrent layers (GQA)"
    assert "layers with > 0" in f.sources()["kv_layers"]


def test_pure_recurrent_model(tmp_path: Path) -> None:
    kv = {"block_count": 4, "embedding_length": HIDDEN, "ssm.conv_kernel": 4, "ssm.inner_size": 64,
          "ssm.state_size": 16}
    (path,) = write_gguf(tmp_path / "mamba.gguf", "mamba", kv, {"token_embd.weight": zeros(VOCAB, HIDDEN)})
    f = read_gguf(path)
    assert f.get("kv_layers") is None and f.get("n_kv_heads") is None
    assert f.get("state_mb") == pytest.approx(4 * ((4 - 1) * 64 + 16 * 64) * 4 / 1e6)
    assert f.get("attention") == "recurrent (no attention)"


@pytest.mark.parametrize(("arch", "pattern", "local", "name"), [
    ("llama", [True, True, False, True, True, False], 4, "sliding-window/global interleaved 2:1"),
    ("llama", 3, 4, "sliding-window/global interleaved 2:1"),   # period 3: layers 0,1 / 3,4 windowed
    ("gemma3", None, 5, "sliding-window/global interleaved 5:1"),  # llama.cpp's period 6 for gemma3
    ("llama", 0, 6, "sliding-window (all layers)"),
    ("llama", 1, 0, "full (MQA)"),  # period 1: no layer windowed (the window is still a fact)
])
def test_sliding_window_layers(tmp_path: Path, arch: str, pattern: Any, local: int, name: str) -> None:
    kv: dict[str, Any] = {"block_count": 6, "embedding_length": HIDDEN, "attention.head_count": 4,
                          "attention.head_count_kv": 1, "attention.sliding_window": 128}
    if pattern is not None:
        kv["attention.sliding_window_pattern"] = pattern
    (path,) = write_gguf(tmp_path / "swa.gguf", arch, kv, {"token_embd.weight": zeros(VOCAB, HIDDEN)})
    f = read_gguf(path)
    assert (f.get("sliding_window"), f.get("sliding_layers"), f.get("attention")) == (128, local, name)


def test_full_attention_layers_of_their_own_shape(tmp_path: Path) -> None:
    """Gemma 4's layout as llama.cpp stores it: `key_length_swa` the sliding layers' head size,
    `key_length` the full layers', and per-layer KV heads (16 sliding, 4 full in the 31B)."""
    pattern = [True, True, False] * 2
    kv = {"block_count": 6, "embedding_length": HIDDEN, "attention.head_count": 32,
          "attention.head_count_kv": [16 if w else 4 for w in pattern], "attention.key_length": 512,
          "attention.key_length_swa": 256, "attention.sliding_window": 1024,
          "attention.sliding_window_pattern": pattern}
    (path,) = write_gguf(tmp_path / "g4.gguf", "gemma4", kv, {"token_embd.weight": zeros(VOCAB, HIDDEN)})
    f = read_gguf(path)
    assert (f.get("head_dim"), f.get("global_head_dim")) == (256, 512)
    assert (f.get("n_kv_heads"), f.get("global_kv_heads"), f.get("sliding_layers")) == (16, 4, 4)
    assert f.sources()["global_kv_heads"] == "g4.gguf: GGUF gemma4.attention.head_count_kv (the full-attention layers')"


def test_mla_kv_lora_rank(tmp_path: Path) -> None:
    kv = {"block_count": 2, "embedding_length": HIDDEN, "attention.head_count": 4, "attention.head_count_kv": 4,
          "attention.kv_lora_rank": 16, "attention.key_length": 24}
    (path,) = write_gguf(tmp_path / "mla.gguf", "deepseek2", kv, {"token_embd.weight": zeros(VOCAB, HIDDEN)})
    f = read_gguf(path)
    assert (f.get("kv_lora_rank"), f.get("attention"), f.get("head_dim")) == (16, "MLA", 24)


def test_quantized_tensors_and_file_type_names(tmp_path: Path) -> None:
    t = dense_layers(1)
    q8 = gguf.GGMLQuantizationType.Q8_0
    (with_type,) = write_gguf(tmp_path / "q8.gguf", "llama", {"block_count": 1}, t,
                              gguf.LlamaFileType.MOSTLY_Q8_0, quant=q8)
    f = read_gguf(with_type)
    assert f.get("quant") == "Q8_0" and f.get("params_b") == pytest.approx(n_elements(t) / 1e9)
    (untyped,) = write_gguf(tmp_path / "q8-untyped.gguf", "llama", {"block_count": 1}, t, None, quant=q8)
    g = read_gguf(untyped)
    assert g.get("quant") == "Q8_0" and "tensor types" in g.sources()["quant"]
    for ftype, name in ((gguf.LlamaFileType.MOSTLY_Q4_K_M, "Q4_K_M"), (gguf.LlamaFileType.MOSTLY_IQ2_XXS, "IQ2_XXS"),
                        (gguf.LlamaFileType.MOSTLY_BF16, "BF16"), (gguf.LlamaFileType.MOSTLY_MXFP4_MOE, "MXFP4")):
        (p,) = write_gguf(tmp_path / f"{name}.gguf", "llama", {"block_count": 1}, {"x.weight": zeros(4, 32)}, ftype)
        assert read_gguf(p).get("quant") == name


def test_name_from_the_file_name_without_general_name(tmp_path: Path) -> None:
    (path,) = write_gguf(tmp_path / "Tiny-7B-Q4_K_M.gguf", "llama", {"block_count": 1}, {"x.weight": zeros(4, 32)},
                         gguf.LlamaFileType.MOSTLY_Q4_K_M, name=None)
    f = read_gguf(path)
    assert (f.get("name"), f.sources()["name"], f.get("quant")) == ("Tiny-7B", "Tiny-7B-Q4_K_M.gguf: GGUF file name", "Q4_K_M")


def test_split_model_sums_its_parts(tmp_path: Path) -> None:
    t = dense_layers(2)
    parts = write_gguf(tmp_path / "big.gguf", "llama", {"block_count": 2, "embedding_length": HIDDEN}, t,
                       gguf.LlamaFileType.ALL_F32, split_max_tensors=5)
    assert len(parts) == 3 and parts[0].name == "big-00001-of-00003.gguf"
    for part in (parts[0], parts[2]):  # any part names the whole model
        f = read_gguf(part)
        assert f.get("params_b") == pytest.approx(n_elements(t) / 1e9)
        assert f.get("file_size_gb") == pytest.approx(sum(p.stat().st_size for p in parts) / 1e9)
        assert f.get("n_layers") == 2 and f.get("name") == "test-llama"
    parts[1].unlink()
    with pytest.raises(InputError, match="big-00002-of-00003.gguf"):
        read_gguf(parts[0])


# --------------------------------------------------------------------------- errors


def one_line_error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_gguf(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_not_a_gguf_file(tmp_path: Path) -> None:
    path = tmp_path / "x.gguf"
    path.write_text('{"model_type": "llama"}')
    assert one_line_error(path) == f"{path}: not a GGUF file (magic b'{{\"mo', expected b'GGUF')"
    assert "cannot read" in one_line_error(tmp_path / "missing.gguf")
    assert "is a folder" in one_line_error(tmp_path)


@pytest.mark.parametrize("keep", [2, 10, 40, 200, 5000, -10])
def test_truncated_copy(tmp_path: Path, keep: int) -> None:
    from advisor.benchmarks.gguf_random import TINY, write_random_llama

    data = write_random_llama(tmp_path / "whole.gguf", TINY, "f16").read_bytes()
    cut = tmp_path / "x.gguf"
    cut.write_bytes(data[:keep])
    n = len(data[:keep])
    assert one_line_error(cut).startswith(f"{cut}: truncated at byte {n} ")


def test_reading_module_does_not_import_gguf() -> None:
    code = "import sys, advisor.catalog.model_files.gguf_file; print('gguf' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
