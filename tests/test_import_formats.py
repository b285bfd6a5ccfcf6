"""llama-bench's real outputs (md, sql, json, jsonl, csv, a depth run), Ollama's and the
llama.cpp server's timings; a second import of the same file adds nothing; unknown devices
are offered close matches of their own kind (fixtures: tests/fixtures/tools/README.md)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from _measure_helpers import FIXTURES, advisor_cmd, cat, catalog_template, user_rows  # noqa: F401
from advisor.catalog.tools import Overrides, detect_format, import_any
from advisor.errors import InputError

REAL = FIXTURES / "llama_bench_real"
FORMATS = FIXTURES / "formats"
CPU = "AMD Ryzen 9 7950X CPU"


def _imp(catalog, path: Path, fmt: str = "auto", **ov):  # type: ignore[no-untyped-def]
    return import_any(catalog, path, fmt, Overrides(**ov))


@pytest.mark.parametrize("name", ["bench.md", "bench.sql", "bench.json", "bench.jsonl", "bench.csv", "bench_depth.md"])
def test_real_llama_bench_outputs_import_once(cat, name: str) -> None:  # type: ignore[no-untyped-def]
    path = REAL / name
    assert detect_format(path.read_text(), str(path)) == "llama-bench"
    model = {"model": "tiny-random-llama"} if name.endswith(".md") else {}
    if model:
        _imp(cat, FIXTURES / "tiny_models.csv")  # the table names no file: the model is registered first
    first = _imp(cat, path, hardware=CPU, **model)
    expected = 4 if name == "bench_depth.md" else 2
    assert (first.format, first.rows, first.already) == ("llama-bench", expected, 0)
    rows = user_rows(cat, "measurements")
    assert len(rows) == expected
    for r in rows:
        assert (r["model"], r["quant"], r["engine"], r["hardware"]) == ("tiny-random-llama", "F16", "llama.cpp", CPU)
        assert r["engine_version"] == "0c1e57098 (build 0)" and r["backend"] == "CPU"
        assert (r["prompt_tokens"], r["gen_tokens"]) in ((64, 0), (0, 16))
    assert {r["context_depth"] for r in rows} == ({0, 256} if name == "bench_depth.md" else {0})
    if name.endswith(".md"):
        assert {r["threads"] for r in rows} == {2}
    second = _imp(cat, path, hardware=CPU, **model)
    assert (second.rows, second.already) == (0, expected)
    assert second.summary(path).endswith(f"0 new rows, {expected} already in the catalog (measurements, origin: user)")
    assert len(user_rows(cat, "measurements")) == expected


def test_markdown_needs_model_and_device(cat) -> None:  # type: ignore[no-untyped-def]
    path = REAL / "bench.md"
    with pytest.raises(InputError, match=rf"^{path}:3: llama-bench's Markdown table does not name the model file; give --model"):
        _imp(cat, path, hardware=CPU)
    with pytest.raises(InputError, match=rf"^{path}:3: llama-bench's Markdown table does not name the device; give --hardware"):
        _imp(cat, path, model="Llama-2-7B")


def test_documented_markdown_with_depth(cat) -> None:  # type: ignore[no-untyped-def]
    res = _imp(cat, FORMATS / "llama_bench_md_depth.md", model="Qwen2.5-7B-Instruct", hardware="RTX 4080")
    assert res.rows == 4
    rows = user_rows(cat, "measurements")
    assert {r["quant"] for r in rows} == {"Q4_K_M"}  # from 'qwen2 7B Q4_K - Medium'
    got = {(r["prompt_tokens"], r["gen_tokens"], r["context_depth"]): r["prefill_tok_s"] or r["decode_tok_s"] for r in rows}
    assert got == {(512, 0, 0): 7340.20, (0, 128, 0): 120.60, (512, 0, 512): 6425.91, (0, 128, 512): 116.71}
    old = _imp(cat, FORMATS / "llama_bench.md", model="Llama-2-7B", hardware="RTX 4080")  # 'pp 512' (old builds)
    assert old.rows == 2


def test_unknown_cpu_is_offered_cpus_only(cat) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as err:
        _imp(cat, REAL / "bench.json")
    msg = str(err.value)
    assert msg.startswith(f"{REAL / 'bench.json'}:5: unknown hardware 'AMD EPYC' (from cpu_info)")
    assert "Arc" not in msg and "--hardware" in msg
    from advisor.catalog.names import Names

    names = Names(cat)
    kinds = {h["name"]: h["kind"] for h in cat.list_hardware()}
    assert {kinds[n] for n in names.closest("hardware", "AMD Ryzen 9 7900X")} == {"cpu"}
    assert {kinds[n] for n in names.closest("hardware", "Intel Arc B570")} == {"gpu"}
    assert "NVIDIA GeForce RTX 4090" in names.closest("hardware", "RTX 4099")


@pytest.mark.parametrize("name,prefill,decode,tokens", [
    ("ollama_generate.json", 26 / 0.325953, 290 / 4.709213, (26, 290)),
    ("ollama_generate_stream_final.json", 26 / 0.130079, 259 / 4.23271, (26, 259)),
    ("ollama_run_verbose.txt", 26 / 0.325953, 290 / 4.709213, (26, 290)),
    ("llamacpp_server_timings.json", 532.3261384808426, 46.93433459913811, (42, 11)),
    ("llamacpp_server_timings_legacy_fragment.json", 532.3261384808426, 46.93433459913811, (42, 11)),
    ("llamacpp_server_stream.jsonl", 903.2063826584375, 5275.0565184626985, (66, 8)),
    ("llamacpp_server_completion.json", 193.91118867558657, 15837.10407239819, (1, 8)),  # 15 cached
])
def test_server_timings(cat, name: str, prefill: float, decode: float, tokens: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    path = FORMATS / name
    tool = "ollama" if name.startswith("ollama") else "llamacpp-server"
    assert detect_format(path.read_text(), str(path)) == tool
    # the fixtures are real runs of the tiny random model: named as what they are (a 3B model on
    # an RTX 4090 at 5,000 tok/s would be above its bandwidth roofline, and refused)
    _imp(cat, FIXTURES / "tiny_models.csv")
    res = _imp(cat, path, model="tiny-random-llama", quant="F16", hardware=CPU)
    assert (res.format, res.rows) == (tool, 1)
    (row,) = user_rows(cat, "measurements")
    assert (row["prompt_tokens"], row["gen_tokens"]) == tokens
    assert row["context_depth"] == (15 if name == "llamacpp_server_completion.json" else 0)  # timings.cache_n
    assert row["engine"] == ("ollama" if tool == "ollama" else "llama.cpp") and row["measure_kind"] == "single_stream"
    assert row["prefill_tok_s"] == pytest.approx(prefill) and row["decode_tok_s"] == pytest.approx(decode)
    assert _imp(cat, path, model="tiny-random-llama", quant="F16", hardware=CPU).already == 1


def test_server_timings_need_what_they_do_not_say(cat) -> None:  # type: ignore[no-untyped-def]
    path = FORMATS / "ollama_generate.json"
    with pytest.raises(InputError, match=rf"^{path}:1: Ollama does not name the device; give --hardware"):
        _imp(cat, path)
    with pytest.raises(InputError, match=r"does not say the quantization .*'llama3.2'.*give --quant"):
        _imp(cat, path, hardware="RTX 4090")
    verbose = FORMATS / "ollama_run_verbose.txt"
    with pytest.raises(InputError, match=rf"^{verbose}:1: Ollama does not name the model here; give --model"):
        _imp(cat, verbose, hardware="RTX 4090", quant="Q4_K_M")


def test_seed_csv_reimport_adds_nothing(cat, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _imp(cat, FIXTURES / "llama_bench_cpu.json")
    out = tmp_path / "export"
    from advisor.catalog.seed_io import export

    export(cat.engine, "csv", out)
    before = len(user_rows(cat, "measurements"))
    res = _imp(cat, out / "measurements.csv")
    assert res.format == "seed" and res.rows == 0 and res.already > 1000  # seed rows and the user rows alike
    assert len(user_rows(cat, "measurements")) == before
    scores = _imp(cat, out / "scores.csv")
    assert scores.rows == 0 and scores.already > 1000


def test_cli_second_import_says_so(cat) -> None:  # type: ignore[no-untyped-def]
    cmd = [*advisor_cmd(), "catalog", "import", str(REAL / "bench.sql"), "--hardware", CPU]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and "imported 2 measurements rows" in first.stdout, first.stderr
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0
    assert "0 new rows, 2 already in the catalog" in again.stdout
    bad = subprocess.run([*advisor_cmd(), "catalog", "import", str(REAL / "bench.md")], capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert f"{REAL / 'bench.md'}:3: " in bad.stderr
