"""The Hugging Face config reader: published configs of every architecture kind that matters
(dense GQA, MoE, MoE + MLA, interleaved windows, all-layer windows, Gated DeltaNet and Mamba
hybrids, a nested multimodal config) against the parameter figures their makers publish
(cited in each fixture's SOURCE.md) and a KV cache worked out by hand from the config's own
numbers; and the one-line errors for broken, incomplete and contradicting files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from advisor.catalog.model_files.hf_config import read_hf_config
from advisor.catalog.model_files.params import count_params
from advisor.errors import InputError
from advisor.predict import physics

FIXTURES = Path(__file__).parent / "fixtures" / "hf_configs"
ALL = sorted(p.name for p in FIXTURES.iterdir() if (p / "config.json").is_file())
BF16 = 2  # bytes a cached value


def published(name: str) -> tuple[float, tuple[float, bool] | None]:
    """(total B, (active B, counts the input embedding) or None) as SOURCE.md cites them."""
    text = (FIXTURES / name / "SOURCE.md").read_text(encoding="utf-8")
    total = float(re.search(r"^published: total ([\d.]+) B", text, re.M)[1])
    m = re.search(r"^published: active ([\d.]+) B, (counting|not counting) the input embedding", text, re.M)
    return total, ((float(m[1]), m[2] == "counting") if m else None)


def kv_bytes(name: str, tokens: int) -> float:
    """The KV cache the predictor computes for the facts read from fixture `name`."""
    facts = read_hf_config(FIXTURES / name)
    return physics.kv_cache_bytes(physics.estimate_architecture(facts.spec()), tokens)


# KV cache per sequence, by hand from each config's numbers (2 bytes a value; K and V: x 2).
def _hand_kv(name: str, t: int) -> int:
    window = {"Mistral-7B-v0.1": 4096, "gpt-oss-20b": 128}
    return {
        # layers x kv_heads x head_dim x 2 (K, V) x 2 bytes x tokens
        "Qwen3-8B": 36 * 8 * 128 * 2 * BF16 * t,
        "Llama-3.1-8B": 32 * 8 * (4096 // 32) * 2 * BF16 * t,
        "Qwen3-30B-A3B": 48 * 4 * 128 * 2 * BF16 * t,
        "Mixtral-8x7B-v0.1": 32 * 8 * (4096 // 32) * 2 * BF16 * t,
        # every layer capped at the 4096-token window
        "Mistral-7B-v0.1": 32 * 8 * 128 * 2 * BF16 * min(t, window["Mistral-7B-v0.1"]),
        # 12 full layers + 12 layers capped at 128 tokens (layer_types alternate)
        "gpt-oss-20b": 12 * 8 * 64 * 2 * BF16 * t + 12 * 8 * 64 * 2 * BF16 * min(t, window["gpt-oss-20b"]),
        # MLA: (kv_lora_rank + qk_rope_head_dim) x layers x 2 bytes, no K/V pair
        "DeepSeek-V3": (512 + 64) * 61 * BF16 * t,
        # hybrids: only the attention layers cache (48 / full_attention_interval 4 = 12)
        "Qwen3-Next-80B-A3B-Thinking": (48 // 4) * 2 * 256 * 2 * BF16 * t,
        "Qwen3.5-35B-A3B": 10 * 2 * 256 * 2 * BF16 * t,  # 10 full_attention of 40 layer_types
        "Nemotron-H-56B-Base-8K": 10 * 8 * 128 * 2 * BF16 * t,  # ten '*' in hybrid_override_pattern
        "NVIDIA-Nemotron-3-Nano-30B-A3B-BF16": 6 * 2 * 128 * 2 * BF16 * t,  # six '*'
        "NVIDIA-Nemotron-3-Super-120B-A12B-FP8": 8 * 2 * 128 * 2 * BF16 * t,  # eight '*'
    }[name]


def test_every_kind_is_covered() -> None:
    labels = {read_hf_config(FIXTURES / n).get("attention") for n in ALL}
    assert {"full (GQA)", "MLA", "sliding-window (all layers)", "sliding-window/full alternating 1:1",
            "hybrid: Gated DeltaNet + gated attention 3:1"} <= labels
    assert any(label.startswith("hybrid: Mamba2 + attention") for label in labels)
    assert len(ALL) >= 6


@pytest.mark.parametrize("name", ALL)
def test_params_match_the_published_figures(name: str) -> None:
    facts = read_hf_config(FIXTURES / name)
    total, active = published(name)
    assert facts.get("params_b") == pytest.approx(total, rel=0.02)
    if active is not None:
        value, with_embedding = active
        embedding = facts.get("vocab_size") * facts.get("hidden_size") / 1e9
        assert facts.get("active_params_b") + (embedding if with_embedding else 0) == pytest.approx(value, rel=0.02)


@pytest.mark.parametrize("name", ALL)
def test_kv_cache_matches_the_hand_computation(name: str) -> None:
    for tokens in (1, 4096, 32768):
        assert kv_bytes(name, tokens) == _hand_kv(name, tokens), tokens


@pytest.mark.parametrize("name", ALL)
def test_every_fact_says_where_it_came_from(name: str) -> None:
    facts = read_hf_config(FIXTURES / name)
    for fact, source in facts.sources().items():
        assert re.search(r"config\.json|folder name", source), (fact, source)
    assert facts.sources()["params_b"] == "computed from config.json shapes"


def test_count_params_api() -> None:
    cfg = json.loads((FIXTURES / "Qwen3-30B-A3B" / "config.json").read_text())
    total, active, notes = count_params(cfg)
    assert total == pytest.approx(30.53, abs=0.01) and active == pytest.approx(3.04, abs=0.01)
    assert any("input embedding" in n for n in notes)
    dense = count_params(json.loads((FIXTURES / "Qwen3-8B" / "config.json").read_text()))
    assert dense[1] is None
    # Qwen3-8B's card: 6.95 B without the embeddings (8.19 B - 2 x 151936 x 4096)
    assert dense[0] - 2 * 151936 * 4096 / 1e9 == pytest.approx(6.95, rel=0.005)


def test_moe_and_mla_facts() -> None:
    ds = read_hf_config(FIXTURES / "DeepSeek-V3")
    assert (ds.get("kv_lora_rank"), ds.get("moe_experts"), ds.get("moe_active_experts")) == (512, 256, 8)
    assert any("multi-token-prediction" in n and "num_nextn_predict_layers" in n for n in ds.notes)
    assert ds.get("context_len") == 163840  # = yarn 40 x 4096, as max_position_embeddings says


def test_windows_and_hybrid_layers() -> None:
    oss = read_hf_config(FIXTURES / "gpt-oss-20b")
    assert (oss.get("sliding_window"), oss.get("sliding_layers")) == (128, 12)
    assert oss.sources()["sliding_layers"] == "config.json: layer_types"
    nxt = read_hf_config(FIXTURES / "Qwen3-Next-80B-A3B-Thinking")
    assert nxt.get("kv_layers") == 12 and nxt.get("sliding_window") is None
    # 36 Gated DeltaNet layers x (conv (2 x 16 x 128 + 32 x 128) x (4 - 1) + state 32 x 128 x 128) x 2 bytes
    per_layer = (2 * 16 * 128 + 32 * 128) * (4 - 1) + 32 * 128 * 128
    assert nxt.get("state_mb") == pytest.approx(36 * per_layer * 2 / 1e6, abs=1e-3)
    nem = read_hf_config(FIXTURES / "Nemotron-H-56B-Base-8K")
    assert nem.get("attention") == "hybrid: Mamba2 + attention (54:10 layers)"
    # 54 Mamba2 layers x (conv (256 x 64 + 2 x 8 x 256) x 3 + state 256 x 64 x 256) x 2 bytes
    per_layer = (256 * 64 + 2 * 8 * 256) * (4 - 1) + 256 * 64 * 256
    assert nem.get("state_mb") == pytest.approx(54 * per_layer * 2 / 1e6, abs=1e-3)
    assert physics.estimate_architecture(nem.spec()).state_bytes == pytest.approx(nem.get("state_mb") * 1e6)
    assert nem.get("variant") == "base"


def test_nested_multimodal_config_is_read_from_its_text_part() -> None:
    facts = read_hf_config(FIXTURES / "Qwen3.5-35B-A3B" / "config.json")
    assert facts.sources()["n_layers"] == "config.json: text_config.num_hidden_layers"
    assert facts.get("kv_layers") == 10 and facts.get("moe_experts") == 256
    assert any("vision tower" in n for n in facts.notes) and any("text_config" in n for n in facts.notes)


def test_nemotron_block_list_reads_like_the_pattern(tmp_path: Path) -> None:
    """Newer Nemotron-H configs list the blocks (`layers_block_type`) instead of the pattern
    string, and may leave out num_hidden_layers: the same model reads the same."""
    cfg = json.loads((FIXTURES / "NVIDIA-Nemotron-3-Nano-30B-A3B-BF16" / "config.json").read_text())
    names = {"M": "mamba", "*": "attention", "-": "mlp", "E": "moe"}
    listed = {k: v for k, v in cfg.items() if k not in ("hybrid_override_pattern", "num_hidden_layers")}
    listed["layers_block_type"] = [names[ch] for ch in cfg["hybrid_override_pattern"]]
    (tmp_path / "config.json").write_text(json.dumps(listed))
    a, b = read_hf_config(FIXTURES / "NVIDIA-Nemotron-3-Nano-30B-A3B-BF16"), read_hf_config(tmp_path)
    for fact in ("params_b", "active_params_b", "kv_layers", "state_mb", "n_layers", "attention"):
        assert a.get(fact) == b.get(fact), fact
    assert b.sources()["n_layers"] == "config.json: layers_block_type (its length)"


def test_latent_moe() -> None:
    facts = read_hf_config(FIXTURES / "NVIDIA-Nemotron-3-Super-120B-A12B-FP8")
    assert any("latent MoE" in n for n in facts.notes) and facts.get("kv_layers") == 8
    assert any("multi-token-prediction" in n for n in facts.notes)


def test_interleaved_pattern_agrees_with_physics(tmp_path: Path) -> None:
    """A Gemma-3-style layout (every 6th layer global, `sliding_window_pattern`) on Qwen3-8B's
    shapes: the reader's count of capped layers and physics' own 5:1 rule give one cache."""
    cfg = json.loads((FIXTURES / "Qwen3-8B" / "config.json").read_text())
    cfg.update(model_type="gemma3_text", sliding_window=1024, sliding_window_pattern=6, use_sliding_window=None)
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    facts = read_hf_config(tmp_path)
    assert facts.get("attention") == "sliding-window/global interleaved 5:1"
    assert facts.get("sliding_layers") == 36 - 36 // 6
    arch = physics.estimate_architecture(facts.spec())
    by_name = physics.estimate_architecture(facts.spec().model_copy(update={"sliding_layers": None}))
    hand = (36 // 6) * 8 * 128 * 2 * BF16 * 32768 + (36 - 36 // 6) * 8 * 128 * 2 * BF16 * 1024
    assert physics.kv_cache_bytes(arch, 32768) == physics.kv_cache_bytes(by_name, 32768) == hand


def test_tokenizer_and_generation_files_beside_the_config(tmp_path: Path) -> None:
    cfg = json.loads((FIXTURES / "Qwen3-8B" / "config.json").read_text())
    del cfg["max_position_embeddings"]
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    tokenizer = {"model_max_length": 131072, "chat_template": "{{ x }}"}
    (tmp_path / "tokenizer_config.json").write_text(json.dumps(tokenizer))
    (tmp_path / "generation_config.json").write_text(json.dumps({"max_length": 32768}))
    facts = read_hf_config(tmp_path)
    assert facts.get("context_len") == 131072
    assert facts.sources()["context_len"] == "tokenizer_config.json: model_max_length"
    assert facts.get("variant") == "instruct"
    assert facts.sources()["variant"].startswith("tokenizer_config.json: chat_template")


def _write(folder: Path, cfg: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(cfg, indent=2))
    return folder / "config.json"


def _one_line(exc: pytest.ExceptionInfo[InputError]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_missing_field_names_the_file_and_field(tmp_path: Path) -> None:
    cfg = json.loads((FIXTURES / "Qwen3-8B" / "config.json").read_text())
    del cfg["hidden_size"]
    path = _write(tmp_path / "m", cfg)
    with pytest.raises(InputError) as exc:
        read_hf_config(path)
    assert _one_line(exc).startswith(f"{path}: missing hidden_size")
    nested = json.loads((FIXTURES / "Qwen3.5-35B-A3B" / "config.json").read_text())
    del nested["text_config"]["num_hidden_layers"]
    path = _write(tmp_path / "n", nested)
    with pytest.raises(InputError) as exc:
        read_hf_config(path)
    assert _one_line(exc).startswith(f"{path}: missing text_config.num_hidden_layers")


def test_contradicting_parameter_count(tmp_path: Path) -> None:
    cfg = json.loads((FIXTURES / "Qwen3-8B" / "config.json").read_text())
    path = _write(tmp_path / "stated", {**cfg, "num_parameters": 4_000_000_000})
    with pytest.raises(InputError) as exc:
        read_hf_config(path)
    assert _one_line(exc).startswith(f"{path}: num_parameters = 4000000000 (4 B) contradicts the 8.19 B")
    ok = read_hf_config(_write(tmp_path / "agrees", {**cfg, "num_parameters": 8_190_735_360}))
    assert any("num_parameters" in n and "0.0% off" in n for n in ok.notes)
    moe = json.loads((FIXTURES / "Qwen3-30B-A3B" / "config.json").read_text())
    path = _write(tmp_path / "Qwen3-2B", moe)
    with pytest.raises(InputError) as exc:
        read_hf_config(path)
    assert _one_line(exc).startswith(f"{path}: folder name 'Qwen3-2B' says 2B contradicts the 30.5 B total")


def test_broken_json_gives_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(FIXTURES / "Qwen3-8B", folder)
    text = (folder / "config.json").read_text().splitlines()
    text[4] = text[4].rstrip(",")  # line 5 loses its comma
    (folder / "config.json").write_text("\n".join(text))
    with pytest.raises(InputError) as exc:
        read_hf_config(folder)
    assert re.match(rf"{re.escape(str(folder / 'config.json'))}:6: not valid JSON", _one_line(exc))
    (folder / "tokenizer_config.json").write_text("{\n  'x': 1\n}")
    (folder / "config.json").write_text((FIXTURES / "Qwen3-8B" / "config.json").read_text())
    with pytest.raises(InputError) as exc:
        read_hf_config(folder)
    assert _one_line(exc).startswith(f"{folder / 'tokenizer_config.json'}:2: not valid JSON")


def test_not_a_config(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no config.json in this folder"):
        read_hf_config(tmp_path)
    (tmp_path / "config.json").write_text("[1, 2]")
    with pytest.raises(InputError, match=r"config.json: expected a JSON object"):
        read_hf_config(tmp_path)


def _raw_config(hf_id: str) -> dict:
    """A config as the 2026 models' raw file records it (key, JSON value), nested again."""
    import csv

    from advisor.config import seed_dir

    cfg: dict = {}
    with open(seed_dir() / "sources" / "2026" / "models" / "architectures.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["hf_id"] == hf_id:
                *parents, last = row["key"].split(".")
                node = cfg
                for p in parents:
                    node = node.setdefault(p, {})
                node[last] = json.loads(row["value"])
    return cfg


def test_gemma4_full_attention_layers_have_their_own_shape(tmp_path: Path) -> None:
    """Gemma 4 31B (NVIDIA's copy of Google's config): 50 sliding layers of 16 KV heads x 256 and
    10 full-attention layers of 4 KV heads x 512 (`global_head_dim`, `num_global_key_value_heads`
    with `attention_k_eq_v`, as transformers' Gemma4TextAttention builds them). The KV cache at 128k
    is half what one shape for all layers gives, and a full layer's query costs 32 x 512."""
    cfg = _raw_config("google/gemma-4-31B-it")
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    facts = read_hf_config(tmp_path)
    assert (facts.get("head_dim"), facts.get("n_kv_heads"), facts.get("sliding_layers")) == (256, 16, 50)
    assert (facts.get("global_head_dim"), facts.get("global_kv_heads")) == (512, 4)
    assert facts.sources()["global_kv_heads"].startswith("config.json: text_config.num_global_key_value_heads")
    arch = physics.estimate_architecture(facts.spec())
    hand = 10 * 4 * 512 * 2 * BF16 * 131072 + 50 * 16 * 256 * 2 * BF16 * 1024
    assert physics.kv_cache_bytes(arch, 131072) == hand
    one_shape = physics.estimate_architecture(facts.spec().model_copy(update={"global_head_dim": None,
                                                                                "global_kv_heads": None}))
    assert physics.kv_cache_bytes(one_shape, 131072) > 1.9 * hand
    assert (arch.global_query_width, arch.query_width) == (32 * 512, 32 * 256)
    # without attention_k_eq_v the full layers keep num_key_value_heads (and say why)
    cfg["text_config"]["attention_k_eq_v"] = False
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    plain = read_hf_config(tmp_path)
    assert plain.get("global_kv_heads") is None and plain.get("global_head_dim") == 512
    assert any("num_global_key_value_heads = 4 is not applied" in n for n in plain.notes)


def test_the_format_a_checkpoint_is_published_in_is_read_from_its_quantization_config(tmp_path: Path) -> None:
    """gpt-oss ships its experts in MXFP4 and DeepSeek-V3 its weights in FP8 (their configs'
    quantization_config); a method the catalog does not map is noted and left unknown."""
    oss = read_hf_config(FIXTURES / "gpt-oss-20b")
    assert oss.get("weights_quant") == "MXFP4"
    assert oss.sources()["weights_quant"] == "config.json: quantization_config.quant_method"
    assert read_hf_config(FIXTURES / "DeepSeek-V3").get("weights_quant") == "FP8"
    assert read_hf_config(FIXTURES / "Qwen3-8B").get("weights_quant") is None  # published in 16 bits
    cfg = json.loads((FIXTURES / "Qwen3-8B" / "config.json").read_text())
    cfg["quantization_config"] = {"quant_method": "bitnet"}
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    odd = read_hf_config(tmp_path)
    assert odd.get("weights_quant") is None and any("'bitnet' is not a format the catalog maps" in n for n in odd.notes)
