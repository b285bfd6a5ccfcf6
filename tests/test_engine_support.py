"""Engine and hardware compatibility as data (advisor/catalog/engine_support.py): `advisor
predict` refuses an engine on hardware it cannot run on (that line alone fails, naming both),
the recommender never proposes one, and the table agrees with every published measurement."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from _cli_helpers import run_main

from advisor.catalog.engine_support import engine_problem, engine_runs_on

REPO = Path(__file__).resolve().parents[1]


def test_the_rules_the_issue_names() -> None:
    assert engine_problem("llama.cpp", "tpu", "Google", "TPU v5e") == (
        "llama.cpp does not run on tpu hardware (TPU v5e); it runs on apple, cpu, gpu devices")
    assert "only on qualcomm devices" in (engine_problem("QNN", "npu", "MediaTek") or "")
    assert not engine_runs_on("mlx-lm", "gpu", "NVIDIA") and engine_runs_on("mlx_lm", "apple", "Apple")
    assert engine_runs_on("llama.cpp", "gpu", "NVIDIA") and engine_runs_on("qnn", "npu", None)
    assert engine_runs_on("some-new-engine", "tpu", "Google")  # not in the table: not restricted


def test_every_seed_measurement_is_on_supported_hardware() -> None:
    """The table says nothing that a published measurement contradicts."""
    with (REPO / "catalog" / "hardware.csv").open(encoding="utf-8", newline="") as fh:
        hw = {r["name"]: r for r in csv.DictReader(fh)}
    with (REPO / "catalog" / "measurements.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bad = {(r["engine"], r["hardware"]) for r in rows if r["hardware"] in hw
           and not engine_runs_on(r["engine"], hw[r["hardware"]]["kind"], hw[r["hardware"]]["vendor"])}
    assert not bad and len(rows) > 3000


def test_predict_refuses_llama_cpp_on_a_tpu_and_answers_the_other_lines(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {"id": "tpu", "model": {"name": "Llama-2-13B"}, "quant": "Q4_K_M", "engine": "llama.cpp",
         "hardware": {"name": "TPU v5e"}},
        {"id": "gpu", "model": {"name": "Llama-2-13B"}, "quant": "Q4_K_M", "engine": "llama.cpp",
         "hardware": {"name": "NVIDIA GeForce RTX 4080"}},
        {"id": "mlx", "model": {"name": "Llama-2-13B"}, "engine": "mlx-lm", "hardware": {"name": "RTX 4080"}},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    rc, out, _ = run_main(["predict", "--input", str(src)], capsys, monkeypatch)
    by = {x["id"]: x for x in map(json.loads, out.splitlines())}
    assert rc == 2
    assert by["tpu"]["error"].startswith("engine: llama.cpp does not run on tpu hardware (TPU v5e)")
    assert by["tpu"]["decode_tok_s"] is None
    assert by["mlx"]["error"].startswith("engine: mlx-lm does not run on gpu hardware")
    assert by["gpu"]["error"] is None and by["gpu"]["decode_tok_s"] > 0


def test_recommend_proposes_only_engines_that_run_there() -> None:
    from advisor.recommend.candidates import local_configs
    from advisor.schema import HardwareSpec

    npu = HardwareSpec(name="Dimensity NPU", kind="npu", vendor="MediaTek", memory_gb=12, mem_bandwidth_gbs=60)
    assert [c.engine for c in local_configs(npu)] == []  # QNN is Qualcomm's
    snapdragon = npu.model_copy(update={"vendor": "Qualcomm", "name": "Snapdragon 8 Elite"})
    assert [c.engine for c in local_configs(snapdragon)] == ["qnn"]
    tpu = HardwareSpec(name="TPU v5e", kind="tpu", vendor="Google", memory_gb=16, mem_bandwidth_gbs=819)
    assert {c.engine for c in local_configs(tpu)} == {"jetstream"}
    for kind in ("gpu", "cpu", "apple", "npu", "tpu"):
        hw = HardwareSpec(name=f"some {kind}", kind=kind, vendor="NVIDIA" if kind == "gpu" else None,
                          memory_gb=16, mem_bandwidth_gbs=100)
        assert all(engine_runs_on(c.engine, kind, hw.vendor) for c in local_configs(hw))


def test_apple_silicon_is_offered_mlx_beside_llama_cpp_and_an_answer_can_pick_it() -> None:
    """A Mac user expects MLX: mlx-lm's 4- and 8-bit weights are proposed on Apple GPUs only, and
    their figures come from the same batch prediction as llama.cpp's (mlx-lm rows train it); gpt-oss
    runs as released (MXFP4)."""
    from advisor.recommend import recommend
    from advisor.recommend.candidates import local_configs
    from advisor.schema import HardwareSpec

    mac = HardwareSpec(name="Apple M4 Max (40-core GPU) 128GB", kind="apple", vendor="Apple", memory_gb=128,
                       mem_bandwidth_gbs=546)
    offered = {(c.engine, c.quant) for c in local_configs(mac)}
    assert {("mlx-lm", "MLX-4BIT"), ("mlx-lm", "MLX-8BIT"), ("llama.cpp", "Q4_K_M")} <= offered
    gpu = HardwareSpec(name="RTX 4090", kind="gpu", vendor="NVIDIA", memory_gb=24, mem_bandwidth_gbs=1008)
    assert "mlx-lm" not in {c.engine for c in local_configs(gpu)}
    r = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "M4 Max"}}, with_prompts=False)
    mlx = [c for c in r.candidates if c.engine == "mlx-lm"]
    assert mlx and all(c.quant in ("MLX-4BIT", "MLX-8BIT", "MXFP4") and c.basis["decode_tok_s"].basis != "unknown" for c in mlx)
    assert all(c.predicted.memory_gb is not None and c.predicted.memory_gb <= 128 for c in mlx)
