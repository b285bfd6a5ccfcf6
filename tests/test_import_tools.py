"""Importing benchmark tools' output (llama-bench, vLLM serving, lm-eval) into the catalog:
good files become user rows; malformed ones fail with FILE:LINE and write nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from _measure_helpers import FIXTURES, advisor_cmd, cat, catalog_template, import_tiny_model, user_rows  # noqa: F401
from advisor.catalog.names import quant_from_model_type, split_count
from advisor.catalog.tools import Overrides, detect_format, import_any
from advisor.catalog.tools.jsonpos import json_records
from advisor.errors import InputError


def _imp(catalog, name: str, **ov):  # type: ignore[no-untyped-def]
    return import_any(catalog, FIXTURES / name, "auto", Overrides(**ov))


# --------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize("text,expected", [
    ("qwen2 7B Q4_K - Medium", "Q4_K_M"),
    ("llama 8B Q4_K - Small", "Q4_K_S"),
    ("llama 70B Q3_K - Large", "Q3_K_L"),
    ("llama 7B Q2_K - Medium", "Q2_K"),
    ("llama 7B mostly Q4_0", "Q4_0"),
    ("llama 1B all F32", "F32"),
    ("llama 8B F16", "F16"),
    ("llama 8B IQ2_XXS - 2.0625 bpw", "IQ2_XXS"),
    ("llama 8B Q8_0", "Q8_0"),
    ("llama 8B", None),
])
def test_quant_from_model_type(text: str, expected: str | None) -> None:
    assert quant_from_model_type(text) == expected


def test_split_count() -> None:
    assert split_count("2x RTX 4090") == ("RTX 4090", 2)
    assert split_count("8 x H100") == ("H100", 8)
    assert split_count("RTX 4090 x2") == ("RTX 4090", 2)
    assert split_count("RTX 4090") == ("RTX 4090", None)


def test_json_records_lines() -> None:
    text = '[\n  {"a": 1},\n\n  {"b": 2}\n]\n'
    assert [(r.line, r.obj) for r in json_records(text, "f")] == [(2, {"a": 1}), (4, {"b": 2})]
    jl = '{"a": 1}\n{"b": 2}\n'
    assert [r.line for r in json_records(jl, "f")] == [1, 2]
    with pytest.raises(InputError, match=r"^f:3: invalid JSON"):
        json_records('[\n {"a": 1},\n {"b" 2}\n]', "f")


def test_detect_format() -> None:
    for name, fmt in [("llama_bench_cpu.json", "llama-bench"), ("llama_bench_2gpu.jsonl", "llama-bench"),
                      ("llama_bench_vulkan.csv", "llama-bench"), ("vllm_serve_h100.json", "vllm-serving"),
                      ("lm_eval_qwen.json", "lm-eval"), ("tiny_models.csv", "seed")]:
        path = FIXTURES / name
        assert detect_format(path.read_text(), str(path)) == fmt, name


# --------------------------------------------------------------------------- llama-bench


def test_llama_bench_json_cpu(cat) -> None:  # type: ignore[no-untyped-def]
    res = _imp(cat, "llama_bench_cpu.json")
    assert (res.format, res.table, res.rows) == ("llama-bench", "measurements", 2)
    assert len(res.skipped) == 1 and "pp256+tg64" in res.skipped[0]  # mixed test: neither speed
    rows = user_rows(cat, "measurements")
    assert len(rows) == 2
    pp, tg = rows
    for r in rows:
        assert r["origin"] == "user"
        assert r["model"] == "Llama-3-8B-Instruct"
        assert r["quant"] == "Q4_0"
        assert r["engine"] == "llama.cpp"
        assert r["engine_version"] == "4a5e2f1c (build 6021)"
        assert r["hardware"] == "AMD Ryzen 9 7950X CPU"
        assert r["measure_kind"] == "single_stream" and r["batch_size"] == 1 and r["n_devices"] == 1
        assert r["backend"] == "CPU" and r["threads"] == 16
        assert "llama-bench" in r["source"]
    assert pp["prefill_tok_s"] == pytest.approx(88.996512) and pp["decode_tok_s"] is None
    assert (pp["prompt_tokens"], pp["gen_tokens"], pp["context_depth"]) == (256, 0, 0)
    assert tg["decode_tok_s"] == pytest.approx(10.0) and tg["prefill_tok_s"] is None
    assert (tg["prompt_tokens"], tg["gen_tokens"], tg["context_depth"]) == (0, 64, 2048)


def test_llama_bench_jsonl_two_gpus(cat) -> None:  # type: ignore[no-untyped-def]
    res = _imp(cat, "llama_bench_2gpu.jsonl")
    assert res.rows == 2
    rows = user_rows(cat, "measurements")
    assert {r["hardware"] for r in rows} == {"NVIDIA GeForce RTX 3090"}
    assert {r["n_devices"] for r in rows} == {2}
    assert {r["split"] for r in rows} == {"layer"}
    assert {r["quant"] for r in rows} == {"Q4_K_M"}  # from model_type 'Q4_K - Medium'
    assert {r["model"] for r in rows} == {"Llama-3-8B-Instruct"}


def test_llama_bench_csv(cat) -> None:  # type: ignore[no-untyped-def]
    res = _imp(cat, "llama_bench_vulkan.csv")
    assert (res.format, res.rows) == ("llama-bench", 2)
    rows = user_rows(cat, "measurements")
    assert {r["hardware"] for r in rows} == {"NVIDIA GeForce RTX 4060 Ti 16GB"}
    assert {r["quant"] for r in rows} == {"Q8_0"}
    assert {r["backend"] for r in rows} == {"Vulkan"}
    assert sorted(r["decode_tok_s"] or 0 for r in rows) == [0, 31.25]


def test_llama_bench_unknown_cpu_needs_hardware(cat) -> None:  # type: ignore[no-untyped-def]
    before = cat.stats()
    with pytest.raises(InputError) as err:
        _imp(cat, "llama_bench_unknown_cpu.json")
    msg = str(err.value)
    assert msg.startswith(f"{FIXTURES / 'llama_bench_unknown_cpu.json'}:2: unknown hardware 'Acme Quantum 9000")
    assert "--hardware" in msg
    assert cat.stats() == before
    res = _imp(cat, "llama_bench_unknown_cpu.json", hardware="7950X")
    assert res.rows == 1
    assert user_rows(cat, "measurements")[0]["hardware"] == "AMD Ryzen 9 7950X CPU"


@pytest.mark.parametrize("name,line,needle", [
    ("llama_bench_bad_syntax.json", 9, "invalid JSON"),
    ("llama_bench_missing_key.json", 5, "missing key 'avg_ts'"),
])
def test_llama_bench_malformed(cat, name: str, line: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    before = cat.stats()
    with pytest.raises(InputError) as err:
        _imp(cat, name)
    assert str(err.value).startswith(f"{FIXTURES / name}:{line}: ")
    assert needle in str(err.value)
    assert cat.stats() == before  # the good first record was not written either


def test_llama_bench_unknown_model_file_is_registered_with_its_rows(cat) -> None:  # type: ignore[no-untyped-def]
    """A GGUF file the catalog does not know becomes a user model (named by the file, without
    its quantization) in the same transaction as its measurements; the next import finds it."""
    res = _imp(cat, "llama_bench_unknown_model.csv")
    assert res.rows == 2
    assert any("new model 'frobnicator-13b-v2'" in n for n in res.notes)
    model = cat.find_model("frobnicator-13b-v2-Q4_0.gguf")
    assert model is not None and model.origin == "user" and model.name == "frobnicator-13b-v2"
    assert "llama-bench" in cat.show(model.name)["facts"]["facts_basis"]
    rows = [r for r in user_rows(cat, "measurements") if r["model"] == "frobnicator-13b-v2"]
    assert len(rows) == 1 and rows[0]["quant"] == "Q4_0"
    again = _imp(cat, "llama_bench_unknown_model.csv")
    assert again.notes == []


# --------------------------------------------------------------------------- vLLM


def test_vllm_serving(cat) -> None:  # type: ignore[no-untyped-def]
    res = _imp(cat, "vllm_serve_h100.json")
    assert (res.format, res.rows) == ("vllm-serving", 2)
    rows = {r["measure_kind"]: r for r in user_rows(cat, "measurements")}
    load, user = rows["throughput_under_load"], rows["serving_per_user"]
    for r in (load, user):
        assert r["model"] == "Llama-3-8B-Instruct"
        assert r["hardware"] == "NVIDIA H100 SXM 80GB"
        assert r["engine"] == "vllm" and r["concurrency"] == 16 and r["n_devices"] == 1
        assert (r["prompt_tokens"], r["gen_tokens"]) == (1024, 256)
    assert load["decode_tok_s"] == pytest.approx(1066.67)
    assert user["decode_tok_s"] == pytest.approx(1000 / 12.5)
    assert user["ttft_ms"] == pytest.approx(55.0)
    assert "engine presumed vllm" in load["notes"]


def test_vllm_needs_hardware(cat) -> None:  # type: ignore[no-untyped-def]
    path = FIXTURES / "vllm_serve_nohw.json"
    with pytest.raises(InputError, match=rf"^{path}:1: .*give --hardware"):
        _imp(cat, "vllm_serve_nohw.json")
    res = _imp(cat, "vllm_serve_nohw.json", hardware="2x RTX 4090", quant="bf16")
    assert res.rows == 2
    rows = user_rows(cat, "measurements")
    assert {(r["n_devices"], r["split"], r["quant"], r["concurrency"]) for r in rows} == {(2, "tensor", "BF16", None)}
    assert {r["model"] for r in rows} == {"Qwen2.5-7B-Instruct"}


def test_vllm_bad_value_names_key_line(cat) -> None:  # type: ignore[no-untyped-def]
    before = cat.stats()
    path = FIXTURES / "vllm_serve_bad_value.json"
    with pytest.raises(InputError, match=rf"^{path}:11: 'output_throughput' must be a number"):
        _imp(cat, "vllm_serve_bad_value.json", hardware="H100")
    assert cat.stats() == before


# --------------------------------------------------------------------------- lm-eval


def test_lm_eval(cat) -> None:  # type: ignore[no-untyped-def]
    res = _imp(cat, "lm_eval_qwen.json")
    assert (res.format, res.table) == ("lm-eval", "scores")
    rows = user_rows(cat, "scores")
    got = {(r["benchmark"], r["setting"]): r["score"] for r in rows}
    assert got == {
        ("HellaSwag", "10-shot, acc"): pytest.approx(60.12),
        ("HellaSwag", "10-shot, acc_norm"): pytest.approx(80.43),
        ("MMLU", "5-shot, acc"): pytest.approx(71.75),  # the group; its subtasks are not rows
        ("GSM8K", "5-shot, exact_match (strict-match)"): pytest.approx(77.94),
        ("GSM8K", "5-shot, exact_match (flexible-extract)"): pytest.approx(80.29),
    }
    for r in rows:
        assert r["model"] == "Qwen2.5-7B-Instruct" and r["origin"] == "user"
        assert r["evaluator"] == "lm-evaluation-harness 0.4.9.2" and r["scale"] == "percent"


def test_lm_eval_unknown_model(cat) -> None:  # type: ignore[no-untyped-def]
    before = cat.stats()
    path = FIXTURES / "lm_eval_unknown_model.json"
    with pytest.raises(InputError, match=rf"^{path}:\d+: unknown model 'acme/frobnicator-13b'.*--model"):
        _imp(cat, "lm_eval_unknown_model.json")
    assert cat.stats() == before
    assert _imp(cat, "lm_eval_unknown_model.json", model="Qwen2.5-7B-Instruct").rows == 1


def test_lm_eval_bad_score_line(cat) -> None:  # type: ignore[no-untyped-def]
    before = cat.stats()
    path = FIXTURES / "lm_eval_bad_score.json"
    with pytest.raises(InputError, match=rf"^{path}:4: 'piqa' acc,none = 79.3 is not a fraction"):
        _imp(cat, "lm_eval_bad_score.json")
    assert cat.stats() == before


# --------------------------------------------------------------------------- CLI


def test_cli_import_formats_and_errors(cat, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Through the real command: exit 0 with a summary; exit 2 with FILE:LINE, nothing written."""
    ok = subprocess.run([*advisor_cmd(), "catalog", "import", str(FIXTURES / "llama_bench_2gpu.jsonl"),
                         "--format", "llama-bench"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "imported 2 measurements rows" in ok.stdout and "(llama-bench)" in ok.stdout
    bad = subprocess.run([*advisor_cmd(), "catalog", "import", str(FIXTURES / "llama_bench_missing_key.json")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert f"{FIXTURES / 'llama_bench_missing_key.json'}:5: missing key 'avg_ts'" in bad.stderr
    assert "Traceback" not in bad.stderr
    seed_with_override = subprocess.run(
        [*advisor_cmd(), "catalog", "import", str(FIXTURES / "tiny_models.csv"), "--model", "x"],
        capture_output=True, text=True, timeout=120)
    assert seed_with_override.returncode == 2 and "only for tool formats" in seed_with_override.stderr
    # the seed path still works through --format auto; a models.csv registers a model
    seed = import_tiny_model(tmp_path, timeout=120)
    assert seed.returncode == 0, seed.stderr
    assert "imported 1 models rows" in seed.stdout
    from advisor.catalog import forget_open_catalogs, open_catalog

    forget_open_catalogs()
    again = open_catalog()
    assert len(user_rows(again, "measurements")) == 2
    assert again.find_model("tiny-random-llama") is not None
