"""Offload decode predictions (advisor/predict/offload.py) against the published offload runs
in catalog/sources/2026/levers/offload_speeds.csv whose system-memory bandwidth, model and GPU
the catalog can place. The split is the one each run used (its -ngl / --n-cpu-moe), so this
checks the speed model, not the choice of split. Prints one line per run and the median error.

    python -m advisor.benchmarks.bench_offload
"""

from __future__ import annotations

import csv
import re
import statistics
from pathlib import Path

from advisor.predict.offload import OffloadPlan, expert_params

RAW = Path(__file__).resolve().parents[2] / "catalog" / "sources" / "2026" / "levers" / "offload_speeds.csv"
# the runs whose host bandwidth the source states (GB/s) and the catalog names they map to
GPU_AS_IF_GB = 1000.0  # the GPU predicted as if the whole model fitted (no overflow slowdown)
HOST_GBS = {"NVIDIA RTX 2080": 102.0}
MODELS = {"Qwen3-30B-A3B-Instruct-2507": "Qwen3-30B-A3B-Instruct-2507", "gpt-oss-20B": "gpt-oss-20b",
          "Qwen2.5-14B": "Qwen2.5-14B-Instruct", "Gemma-3-12B": "Gemma-3-12B-IT", "Qwen3-14B": "Qwen3-14B",
          "phi-4 (14B)": "Phi-4", "gemma-2-9B": "Gemma-2-9B-IT"}


def _share(row: dict[str, str], spec: object, bits: float) -> float | None:
    """The share of per-token bytes on the GPU under the run's own flags."""
    layers = getattr(spec, "n_layers", None)
    if not layers:
        return None
    setting = row["offload_setting"]
    if row["offload_mode"] == "layers":
        m = re.search(r"-ngl (\d+)", setting)
        return min(int(m.group(1)), layers) / layers if m else None
    m = re.search(r"--n-cpu-moe (\d+)", setting)
    if not m:
        return None
    on_gpu = 1 - min(int(m.group(1)), layers) / layers
    dense, _ = expert_params(spec.params_b, spec.active_params_b or spec.params_b,  # type: ignore[attr-defined]
                             getattr(spec, "moe_experts", None), getattr(spec, "moe_active_experts", None))
    act = (spec.active_params_b or spec.params_b) - dense  # type: ignore[attr-defined]
    gpu, cpu = dense + on_gpu * act, (1 - on_gpu) * act
    return gpu / (gpu + cpu)


def main() -> None:
    from advisor.catalog import open_catalog
    from advisor.predict.api import predict
    from advisor.schema import HardwareSpec, ModelSpec, PredictRequest

    cat = open_catalog()
    errors = []
    for row in csv.DictReader(RAW.open(encoding="utf-8")):
        host = HOST_GBS.get(row["gpu"])
        name = MODELS.get(row["model"])
        if host is None or name is None or not row["decode_tok_s"]:
            continue
        m = cat.find_model(name)
        if m is None:
            continue
        spec = ModelSpec.of(cat.snapshot().models[m.id])
        quant = "MXFP4" if "MXFP4" in row["quant"] else "Q4_K_M"
        gpu = PredictRequest(id="gpu", model=ModelSpec(name=name), quant=quant, engine="llama.cpp",
                             hardware=HardwareSpec(name="NVIDIA GeForce RTX 2080", memory_gb=GPU_AS_IF_GB))
        cpu = PredictRequest(id="cpu", model=ModelSpec(name=name), quant=quant, engine="llama.cpp",
                             hardware=HardwareSpec(kind="cpu", memory_gb=64, mem_bandwidth_gbs=host))
        g, c = predict([gpu, cpu])
        share = _share(row, spec, 0.0)
        if share is None or not g.decode_tok_s or not c.decode_tok_s:
            continue
        plan = OffloadPlan(row["offload_mode"], share, 0.0, 0.0, row["offload_setting"])  # type: ignore[arg-type]
        got, want = plan.decode(g.decode_tok_s, c.decode_tok_s), float(row["decode_tok_s"])
        errors.append(abs(got - want) / want)
        print(f"{row['model']:<28} {row['offload_setting']:<26} GPU share {share:4.2f}: predicted {got:5.1f} tok/s, "
              f"published {want:5.1f} ({(got - want) / want:+.0%}); whole model: GPU {g.decode_tok_s:.0f}, "
              f"CPU {c.decode_tok_s:.1f}")
    if errors:
        print(f"{len(errors)} runs: median error {statistics.median(errors):.0%}, "
              f"within 25 %: {sum(e <= 0.25 for e in errors)}/{len(errors)}")


if __name__ == "__main__":
    main()
