"""Seed tables: hardware added from general knowledge, bandwidth fills, hardware aliases and anomaly rules.

Edit these to change hardware.csv and hardware_aliases.csv; ``seed_hardware.py`` applies them.
"""
from __future__ import annotations

# ---------------------------------------------------------------------------
# Hardware
# ---------------------------------------------------------------------------
HW_MAP = {"TPU v6e": "TPU v6e (Trillium)"}
# shared README anomaly: XiongjieDai F16 prefill far below Q4_K_M on these devices (flagged where F16 pp < 0.5 x Q4_K_M pp
# of the same model/device count/prompt length; the RTX 5000 Ada x4 case exists only in oom_observations.csv)
ANOMALY_F16_PREFILL_HW = ("NVIDIA L40S", "NVIDIA A100 SXM4 80GB", "NVIDIA RTX 5000 Ada Generation")  # measurement spelling -> canonical
# TinyChat README TTFT rows whose implied prefill (2 x params x prompt tokens / TTFT) is above the device's dense FP16
# tensor peak: a first token cannot come sooner than the prompt's matrix work at peak (W4A16 kernels compute in FP16).
# RTX 4090: 165.2 TFLOPS dense FP16 with FP16 accumulate (NVIDIA Ada whitepaper, 330.3 with sparsity).
ANOMALY_TTFT_PEAK_TFLOPS = {"NVIDIA GeForce RTX 4090": 165.2}

# (name, vendor, kind, memory_gb, bw, fp16_tensor, int8, fp16_nontensor, fp32, tdp, notes)
GK_HARDWARE = [
    ("NVIDIA GeForce RTX 4060", "NVIDIA", "gpu", "8", "272", "", "", "15.11", "15.11", "115", "AD107, 128-bit GDDR6 17 Gbps"),
    ("NVIDIA GeForce RTX 4060 Ti 16GB", "NVIDIA", "gpu", "16", "288", "", "", "22.06", "22.06", "165", "AD106, 128-bit GDDR6 18 Gbps"),
    ("NVIDIA GeForce RTX 3060 Ti", "NVIDIA", "gpu", "8", "448", "", "", "16.20", "16.20", "200", "GA104, 256-bit GDDR6 14 Gbps"),
    ("NVIDIA GeForce RTX 4080 SUPER", "NVIDIA", "gpu", "16", "736", "", "", "52.22", "52.22", "320", "AD103, 256-bit GDDR6X 23 Gbps"),
    ("NVIDIA GeForce RTX 5080", "NVIDIA", "gpu", "16", "960", "", "", "56.28", "56.28", "360", "GB203, 256-bit GDDR7 30 Gbps"),
    ("NVIDIA L4", "NVIDIA", "gpu", "24", "300", "121", "242.5", "", "30.3", "72", "dense tensor figures (datasheet sparse figures / 2)"),
    ("NVIDIA A10", "NVIDIA", "gpu", "24", "600", "125", "250", "", "31.2", "150", "dense tensor figures (datasheet sparse figures / 2)"),
    ("NVIDIA H100 NVL 94GB", "NVIDIA", "gpu", "94", "3900", "835", "1670", "", "60", "400", "dense tensor figures (datasheet sparse figures / 2); TDP 350-400 W configurable"),
    ("NVIDIA A100 SXM4 40GB", "NVIDIA", "gpu", "40", "1555", "312", "624", "", "19.5", "400", "dense tensor figures"),
    ("AMD Instinct MI300X", "AMD", "gpu", "192", "5300", "1307.4", "2614.9", "", "163.4", "750", "dense matrix figures; fp32 = vector"),
    ("Apple M4 Max (40-core GPU) 128GB", "Apple", "apple", "128", "546", "", "", "", "", "", "unified memory; the 32-core GPU bin has 410 GB/s"),
    ("Apple M4 Pro (20-core GPU) 48GB", "Apple", "apple", "48", "273", "", "", "", "", "", "unified memory"),
    ("Apple M2 Max (38-core GPU) 96GB", "Apple", "apple", "96", "400", "", "", "", "", "", "unified memory"),
    ("Apple M3 Pro (18-core GPU) 36GB", "Apple", "apple", "36", "150", "", "", "", "", "", "unified memory"),
    ("Intel N100 CPU 16GB", "Intel", "cpu", "16", "38.4", "", "", "", "", "6",
     "4 Gracemont E-cores, 3.4 GHz max; single-channel DDR5-4800 (its 16 GB maximum); the N150's sibling"),
]

# Apple chips the shared hardware file lacks, from the file it cites for Apple's unified-memory bandwidth
# (read 2026-12-03 through the search index): M2 100 GB/s (8/16/24 GB), M1 Pro 200 GB/s (14- and 16-core GPU,
# 16/32 GB). That file gives the M2 no GPU core count; its 8 and 10 cores are general knowledge (Apple's M2
# spec: an 8-core CPU with an 8- or 10-core GPU). Without these, "M2" and "M1 Pro" (a MacBook Air and a
# MacBook Pro) were unknown hardware.
# (name, memory_gb, bandwidth, notes)
APPLE_SPEC_SOURCE = ("public code file 'Manual Apple Silicon GPU specifications' (search index file id 10014072899; "
                     "cites Apple official specs)")
APPLE_SPEC_HARDWARE = [
    ("Apple M2 (8-core GPU) 8GB", "8", "100", "unified memory; GPU cores general knowledge (the file names none)"),
    ("Apple M2 (10-core GPU) 16GB", "16", "100", "unified memory; GPU cores general knowledge (the file names none)"),
    ("Apple M2 (10-core GPU) 24GB", "24", "100", "unified memory; GPU cores general knowledge (the file names none)"),
    ("Apple M1 Pro (14-core GPU) 16GB", "16", "200", "unified memory"),
    ("Apple M1 Pro (16-core GPU) 32GB", "32", "200", "unified memory"),
]

# Peak compute of CPUs whose rows have none, DERIVED with the formula a detected CPU gets
# (advisor/cpu_flops.py `peak`: cores x GHz x FP32 FLOPs per cycle; AMX BF16 tiles as the tensor
# figure) from general-knowledge core counts, max clocks and ISA:
# name -> (cores, max GHz, SIMD, FP32 FLOPs/cycle/core, AMX, int8 dot products, how)
GK_CPU_COMPUTE = {
    "AMD Ryzen 9 7950X CPU": (16, 5.7, "avx512f", 32, False, True,
                              "Zen 4, 16 cores, 5.7 GHz max boost; AVX-512 in 256-bit halves (2 FMA pipes x 8 lanes)"),
    "Apple M2 Max CPU (12-core)": (8, 3.49, "asimd", 32, False, True,
                                   "the 8 performance cores (the runs use 8 threads) at 3.49 GHz, 4 x 128-bit NEON FMA pipes"),
    "Intel Xeon 4th Gen (Sapphire Rapids) CPU, 48 cores": (48, 3.8, "avx512f", 64, True, True,
                                                           "48 cores at 3.8 GHz max turbo (SKU not stated: the 48-core Xeon Platinum 8468/8468V); 2 AVX-512 FMA pipes; AMX"),
    # Broadcom BCM2712: 4 Cortex-A76 at 2.4 GHz (Raspberry Pi 5 launch specs, quoted at
    # http://singleboard.org/Raspberry_Pi/pi_5_b/ and https://circuitdigest.com/news/the-new-raspberry-pi-5-is-here-faster-than-ever);
    # without a figure the Pi 5 read as the CPU default (1.5 TFLOPS), 10x the rate its llama-bench pp512 rows imply
    **{name: (4, 2.4, "asimd", 16, False, True, "BCM2712, 4 Cortex-A76 cores at 2.4 GHz (the Raspberry Pi 5 launch "
              "specs, http://singleboard.org/Raspberry_Pi/pi_5_b/, read 2026-12-03), 2 x 128-bit NEON FMA pipes; ARMv8.2 "
              "dot product") for name in ("Raspberry Pi 5 CPU 8GB", "Raspberry Pi 5 CPU 16GB",
                                                  "Raspberry Pi 5 CPU (RAM unspecified)", "Raspberry Pi 500+ CPU 16GB",
                                                  "Raspberry Pi CM5 CPU 16GB")},
    # Apple CPU clusters: the performance cores only, 4 x 128-bit NEON FMA pipes each, as the M2 Max entry
    "Apple M1 Max CPU (10-core) 32GB": (8, 3.228, "asimd", 32, False, True, "8 performance cores at 3.228 GHz (of 10), 4 x 128-bit NEON FMA pipes"),
    "Apple M2 Pro CPU (12-core) 32GB": (8, 3.49, "asimd", 32, False, True, "8 performance cores at 3.49 GHz (of 12), 4 x 128-bit NEON FMA pipes"),
    "Apple M3 CPU (8-core) 16GB": (4, 4.05, "asimd", 32, False, True, "4 performance cores at 4.05 GHz (of 8), 4 x 128-bit NEON FMA pipes"),
    "Apple M3 Max CPU (16-core) 48GB": (12, 4.05, "asimd", 32, False, True, "12 performance cores at 4.05 GHz (of 16), 4 x 128-bit NEON FMA pipes"),
    "Intel Core i7-7700HQ CPU": (4, 3.8, "avx2", 32, False, False, "Kaby Lake, 4 cores, 3.8 GHz max turbo; AVX2, 2 FMA pipes"),
    "Intel Core i5-10600K CPU": (6, 4.8, "avx2", 32, False, False, "Comet Lake, 6 cores, 4.8 GHz max turbo; AVX2, 2 FMA pipes"),
}

# Memory bandwidth of devices whose row in hardware_specs.csv has none: theoretical peak from
# the memory type and bus width (general knowledge, not verified against a cited file).
GK_BANDWIDTH = {
    "Qualcomm Snapdragon 8 Elite (Hexagon NPU; QRD phone)": ("84.8", "LPDDR5X-5300 (10.6 Gbps) x 64-bit"),
    "Qualcomm Snapdragon 8 Gen 3 (Hexagon NPU; Samsung Galaxy S24)": ("76.8", "LPDDR5X-4800 (9.6 Gbps) x 64-bit"),
    "Qualcomm Snapdragon X Elite (Hexagon NPU; CRD laptop)": ("135", "LPDDR5X-8448 x 128-bit"),
    "Intel Xeon 4th Gen (Sapphire Rapids) CPU, 48 cores": ("307.2", "8 channels DDR5-4800, one socket"),
    "Raspberry Pi 4B CPU 8GB": ("12.8", "LPDDR4-3200 x 32-bit"),
    "Raspberry Pi 400 CPU 4GB": ("12.8", "LPDDR4-3200 x 32-bit"),
    "Raspberry Pi 5 CPU 8GB": ("17.1", "LPDDR4X-4267 x 32-bit"),
    "Raspberry Pi 5 CPU 16GB": ("17.1", "LPDDR4X-4267 x 32-bit"),
    "Raspberry Pi 5 CPU (RAM unspecified)": ("17.1", "LPDDR4X-4267 x 32-bit"),
    "Raspberry Pi 500+ CPU 16GB": ("17.1", "LPDDR4X-4267 x 32-bit"),
    "Raspberry Pi CM5 CPU 16GB": ("17.1", "LPDDR4X-4267 x 32-bit"),
    "Ampere AmpereOne A192-32X CPU 512GB": ("332.8", "8 channels DDR5-5200"),
    "AMD Ryzen AI Max+ 395 (Radeon 8060S iGPU) 128GB": ("256", "LPDDR5X-8000 x 256-bit"),
    "AMD Ryzen AI Max+ 395 CPU 128GB": ("256", "LPDDR5X-8000 x 256-bit (SoC figure; the CPU cluster may reach less)"),
    "Intel Core i5-10600K CPU": ("42.7", "dual-channel DDR4-2666"),
    "Intel Core i7-7700HQ CPU": ("38.4", "dual-channel DDR4-2400"),
    "Intel N150 CPU 16GB": ("38.4", "single-channel DDR5-4800"),
    "Intel Xeon W (Mac Pro 2019, 16-core) CPU 384GB": ("140.8", "6 channels DDR4-2933"),
}

# alias -> canonical hardware (manual; ambiguous short names resolved here)
HW_ALIASES_MANUAL = {
    "A100": "NVIDIA A100 SXM4 80GB",  # most common cloud A100; 40GB and PCIe have own names
    "NVIDIA A100": "NVIDIA A100 SXM4 80GB",
    "A100 80GB": "NVIDIA A100 SXM4 80GB", "A100-80G": "NVIDIA A100 SXM4 80GB", "A100 SXM": "NVIDIA A100 SXM4 80GB",
    "A100 SXM4": "NVIDIA A100 SXM4 80GB", "A100-SXM4-80GB": "NVIDIA A100 SXM4 80GB", "NVIDIA A100-SXM4-80GB": "NVIDIA A100 SXM4 80GB",
    "A100 PCIe": "NVIDIA A100 PCIe 80GB", "A100 PCIe 80GB": "NVIDIA A100 PCIe 80GB", "NVIDIA A100 80GB PCIe": "NVIDIA A100 PCIe 80GB",
    "A100 40GB": "NVIDIA A100 SXM4 40GB", "A100-40GB": "NVIDIA A100 SXM4 40GB", "NVIDIA A100-SXM4-40GB": "NVIDIA A100 SXM4 40GB",
    "H100": "NVIDIA H100 SXM 80GB", "NVIDIA H100": "NVIDIA H100 SXM 80GB", "H100 SXM": "NVIDIA H100 SXM 80GB", "H100 SXM5": "NVIDIA H100 SXM 80GB",
    "H100 80GB": "NVIDIA H100 SXM 80GB", "NVIDIA H100 80GB HBM3": "NVIDIA H100 SXM 80GB", "H100-SXM5-80GB": "NVIDIA H100 SXM 80GB",
    "H100 PCIe": "NVIDIA H100 PCIe 80GB", "NVIDIA H100 PCIe": "NVIDIA H100 PCIe 80GB", "H100 NVL": "NVIDIA H100 NVL 94GB",
    "DGX H100": "NVIDIA H100 SXM 80GB (DGX H100)",
    "H200": "NVIDIA H200 SXM 141GB (DGX H200)", "NVIDIA H200": "NVIDIA H200 SXM 141GB (DGX H200)", "H200 SXM": "NVIDIA H200 SXM 141GB (DGX H200)",
    "B200": "NVIDIA B200 180GB (DGX B200)", "NVIDIA B200": "NVIDIA B200 180GB (DGX B200)",
    "GB200": "NVIDIA GB200 192GB (GB200 NVL72)", "NVIDIA GB200": "NVIDIA GB200 192GB (GB200 NVL72)",
    "GB10": "NVIDIA GB10 (DGX Spark class) 128GB", "DGX Spark": "NVIDIA GB10 (DGX Spark class) 128GB", "NVIDIA DGX Spark": "NVIDIA GB10 (DGX Spark class) 128GB",
    "L40S": "NVIDIA L40S", "L4": "NVIDIA L4", "A10": "NVIDIA A10", "A10G": "NVIDIA A10G", "A40": "NVIDIA A40",
    "RTX PRO 6000": "NVIDIA RTX PRO 6000 Blackwell Server Edition", "RTX PRO 6000 Blackwell": "NVIDIA RTX PRO 6000 Blackwell Server Edition",
    "A6000": "NVIDIA RTX A6000", "RTX A6000": "NVIDIA RTX A6000", "A4000": "NVIDIA RTX A4000", "RTX A4000": "NVIDIA RTX A4000",
    "A2000": "NVIDIA RTX A2000", "RTX A2000": "NVIDIA RTX A2000", "A400": "NVIDIA RTX A400", "RTX A400": "NVIDIA RTX A400",
    "RTX 6000 Ada": "NVIDIA RTX 6000 Ada Generation", "6000 Ada": "NVIDIA RTX 6000 Ada Generation",
    "RTX 5000 Ada": "NVIDIA RTX 5000 Ada Generation", "5000 Ada": "NVIDIA RTX 5000 Ada Generation",
    "RTX 4000 Ada": "NVIDIA RTX 4000 Ada Generation", "4000 Ada": "NVIDIA RTX 4000 Ada Generation",
    "P40": "NVIDIA Tesla P40", "Tesla P40": "NVIDIA Tesla P40",
    "RTX 3060": "NVIDIA GeForce RTX 3060 12GB", "3060": "NVIDIA GeForce RTX 3060 12GB", "GeForce RTX 3060": "NVIDIA GeForce RTX 3060 12GB",
    "RTX 3080": "NVIDIA GeForce RTX 3080 10GB", "3080": "NVIDIA GeForce RTX 3080 10GB", "GeForce RTX 3080": "NVIDIA GeForce RTX 3080 10GB",
    "RTX 4060 Ti": "NVIDIA GeForce RTX 4060 Ti 16GB", "4060 Ti": "NVIDIA GeForce RTX 4060 Ti 16GB", "GeForce RTX 4060 Ti": "NVIDIA GeForce RTX 4060 Ti 16GB",
    "RTX 4060 Ti 8GB": "NVIDIA GeForce RTX 4060 Ti (VRAM unspecified)",
    "Jetson Orin": "NVIDIA Jetson AGX Orin 64GB", "Jetson AGX Orin": "NVIDIA Jetson AGX Orin 64GB", "AGX Orin": "NVIDIA Jetson AGX Orin 64GB",
    "Orin": "NVIDIA Jetson AGX Orin 64GB", "Jetson Thor": "NVIDIA Jetson AGX Thor", "AGX Thor": "NVIDIA Jetson AGX Thor",
    "MI250X": "AMD Instinct MI250X (single GCD)", "AMD MI250X": "AMD Instinct MI250X (single GCD)",  # catalog only knows one GCD
    "MI300X": "AMD Instinct MI300X", "AMD MI300X": "AMD Instinct MI300X",
    "7900 XTX": "AMD Radeon RX 7900 XTX", "RX 7900 XTX": "AMD Radeon RX 7900 XTX", "7900 XT": "AMD Radeon RX 7900 XT", "RX 7900 XT": "AMD Radeon RX 7900 XT",
    "9070 XT": "AMD Radeon RX 9070 XT", "RX 9070 XT": "AMD Radeon RX 9070 XT", "R9700": "AMD Radeon AI PRO R9700",
    "W7700": "AMD Radeon PRO W7700", "RX 580": "AMD Radeon RX 580", "RX 6700 XT": "AMD Radeon RX 6700 XT", "RX 6500 XT": "AMD Radeon RX 6500 XT", "RX 7600": "AMD Radeon RX 7600",
    "Strix Halo": "AMD Ryzen AI Max+ 395 (Radeon 8060S iGPU) 128GB", "Ryzen AI Max+ 395": "AMD Ryzen AI Max+ 395 (Radeon 8060S iGPU) 128GB",
    "Radeon 8060S": "AMD Ryzen AI Max+ 395 (Radeon 8060S iGPU) 128GB", "8060S": "AMD Ryzen AI Max+ 395 (Radeon 8060S iGPU) 128GB",
    "Arc B580": "Intel Arc B580", "B580": "Intel Arc B580", "Arc A310": "Intel Arc A310 ECO", "Arc Pro B50": "Intel Arc Pro B50",
    "7950X": "AMD Ryzen 9 7950X CPU", "Ryzen 9 7950X": "AMD Ryzen 9 7950X CPU", "AMD Ryzen 9 7950X": "AMD Ryzen 9 7950X CPU",
    "Ryzen AI 5 340": "AMD Ryzen AI 5 340 CPU 16GB", "AmpereOne": "Ampere AmpereOne A192-32X CPU 512GB", "AmpereOne A192-32X": "Ampere AmpereOne A192-32X CPU 512GB",
    "N150": "Intel N150 CPU 16GB", "Intel N150": "Intel N150 CPU 16GB", "N100": "Intel N100 CPU 16GB", "Intel N100": "Intel N100 CPU 16GB", "i5-10600K": "Intel Core i5-10600K CPU", "i7-7700HQ": "Intel Core i7-7700HQ CPU",
    "Sapphire Rapids": "Intel Xeon 4th Gen (Sapphire Rapids) CPU, 48 cores", "c3d-highcpu-30": "GCP c3d-highcpu-30 VM (x86_64, 30 vCPU)",
    "Raspberry Pi 5": "Raspberry Pi 5 CPU (RAM unspecified)", "Pi 5": "Raspberry Pi 5 CPU (RAM unspecified)", "RPi 5": "Raspberry Pi 5 CPU (RAM unspecified)",
    "Raspberry Pi 5 8GB": "Raspberry Pi 5 CPU 8GB", "Raspberry Pi 5 16GB": "Raspberry Pi 5 CPU 16GB",
    "Raspberry Pi 4": "Raspberry Pi 4B CPU 8GB", "Raspberry Pi 4B": "Raspberry Pi 4B CPU 8GB", "Pi 4": "Raspberry Pi 4B CPU 8GB", "RPi 4": "Raspberry Pi 4B CPU 8GB",
    "Raspberry Pi 400": "Raspberry Pi 400 CPU 4GB", "Raspberry Pi 500+": "Raspberry Pi 500+ CPU 16GB", "Raspberry Pi CM5": "Raspberry Pi CM5 CPU 16GB", "CM5": "Raspberry Pi CM5 CPU 16GB",
    "Orion O6": "Radxa Orion O6 ARM CPU 16GB", "SiFive P550": "SiFive P550 RISC-V CPU (4-core)", "MS-R1": "Minisforum MS-R1 ARM CPU",
    "M1": "Apple M1 (GPU cores/RAM unspecified)", "Apple M1": "Apple M1 (GPU cores/RAM unspecified)",
    "M1 Max": "Apple M1 Max (GPU cores unspecified)", "Apple M1 Max": "Apple M1 Max (GPU cores unspecified)",
    "M1 Ultra": "Apple M1 Ultra (GPU cores unspecified)", "Apple M1 Ultra": "Apple M1 Ultra (GPU cores unspecified)",
    "M2": "Apple M2 (10-core GPU) 16GB", "Apple M2": "Apple M2 (10-core GPU) 16GB",
    "M1 Pro": "Apple M1 Pro (14-core GPU) 16GB", "Apple M1 Pro": "Apple M1 Pro (14-core GPU) 16GB",
    "M2 Max": "Apple M2 Max (38-core GPU) 96GB", "Apple M2 Max": "Apple M2 Max (38-core GPU) 96GB",
    "M2 Pro": "Apple M2 Pro (19-core GPU) 32GB", "Apple M2 Pro": "Apple M2 Pro (19-core GPU) 32GB",
    "M2 Ultra": "Apple M2 Ultra (76-core GPU) 192GB", "Apple M2 Ultra": "Apple M2 Ultra (76-core GPU) 192GB",
    "M3": "Apple M3 (10-core GPU) 16GB", "Apple M3": "Apple M3 (10-core GPU) 16GB",
    "M3 Pro": "Apple M3 Pro (18-core GPU) 36GB", "Apple M3 Pro": "Apple M3 Pro (18-core GPU) 36GB",
    "M3 Max": "Apple M3 Max (40-core GPU) 48GB", "Apple M3 Max": "Apple M3 Max (40-core GPU) 48GB",
    "M3 Ultra": "Apple M3 Ultra (80-core GPU) 512GB", "Apple M3 Ultra": "Apple M3 Ultra (80-core GPU) 512GB",
    "M4": "Apple M4 (10-core GPU) 32GB", "Apple M4": "Apple M4 (10-core GPU) 32GB",
    "M4 Pro": "Apple M4 Pro (20-core GPU) 48GB", "Apple M4 Pro": "Apple M4 Pro (20-core GPU) 48GB",
    "M4 Max": "Apple M4 Max (40-core GPU) 128GB", "Apple M4 Max": "Apple M4 Max (40-core GPU) 128GB",
    "Snapdragon 8 Elite": "Qualcomm Snapdragon 8 Elite (Hexagon NPU; QRD phone)", "8 Elite": "Qualcomm Snapdragon 8 Elite (Hexagon NPU; QRD phone)",
    "Snapdragon 8 Elite Gen 5": "Qualcomm Snapdragon 8 Elite Gen 5 (Hexagon NPU; QRD phone)",
    "Snapdragon 8 Gen 3": "Qualcomm Snapdragon 8 Gen 3 (Hexagon NPU; Samsung Galaxy S24)", "8 Gen 3": "Qualcomm Snapdragon 8 Gen 3 (Hexagon NPU; Samsung Galaxy S24)",
    "Galaxy S24": "Qualcomm Snapdragon 8 Gen 3 (Hexagon NPU; Samsung Galaxy S24)",
    "Snapdragon X Elite": "Qualcomm Snapdragon X Elite (Hexagon NPU; CRD laptop)", "X Elite": "Qualcomm Snapdragon X Elite (Hexagon NPU; CRD laptop)",
    "SA8295P": "Qualcomm SA8295P (automotive; ADP)",
    "v4": "TPU v4", "TPU v4": None, "v5e": "TPU v5e", "v5litepod": "TPU v5e", "TPU v5 lite": "TPU v5e", "v5p": "TPU v5p",
    "v6e": "TPU v6e (Trillium)", "TPU v6e": "TPU v6e (Trillium)", "Trillium": "TPU v6e (Trillium)",
    "TPU7x": None, "Ironwood": "TPU7x (Ironwood)", "TPU v7": "TPU7x (Ironwood)", "v7x": "TPU7x (Ironwood)", "tpu7x": None,
}
