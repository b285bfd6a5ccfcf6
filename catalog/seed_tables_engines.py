"""Seed tables: quantizations, engines, and the engine rules applied to measurements.

Edit these to change quantizations.csv, quant_aliases.csv, engines.csv and engine_aliases.csv.
"""
from __future__ import annotations

import re

from seed_tables_sources import GK_QUANT_DOC, GK_QUANT_LAYOUT

# ---------------------------------------------------------------------------
# Quantization
# ---------------------------------------------------------------------------
# name -> (family, bits_per_weight, weight_bits, act_bits, source, notes)
QUANTS = {
    "F32": ("float", "32", "32", "32", GK_QUANT_LAYOUT, "GGUF full precision"),
    "F16": ("float", "16", "16", "16", GK_QUANT_LAYOUT, "GGUF half precision (llama.cpp spelling); same storage as FP16"),
    "BF16": ("float", "16", "16", "16", GK_QUANT_LAYOUT, "bfloat16 (default dtype of most HF checkpoints, vLLM, TPUs)"),
    "FP16": ("float", "16", "16", "16", GK_QUANT_LAYOUT, "IEEE half precision (non-GGUF engines); same storage as F16"),
    "FP8": ("float", "8", "8", "8", GK_QUANT_LAYOUT, "FP8 E4M3 weights (per-tensor/per-channel scales negligible); activations FP8 on Hopper/Blackwell"),
    "Q8_0": ("gguf", "8.5", "8", "16", GK_QUANT_LAYOUT, "block 32: 32x8-bit + fp16 scale"),
    "Q6_K": ("gguf", "6.5625", "6", "16", GK_QUANT_LAYOUT, "super-block 256: 6-bit values + 8-bit sub-block scales + fp16 scale (per-tensor; whole-model mix ~6.56)"),
    "Q5_K_M": ("gguf", "5.70", "5", "16", GK_QUANT_DOC, "mix (Q5_K + Q6_K for some tensors); model-level effective bpw"),
    "Q5_K_S": ("gguf", "5.57", "5", "16", GK_QUANT_DOC, "mix (mostly Q5_K); model-level effective bpw"),
    "Q5_0": ("gguf", "5.5", "5", "16", GK_QUANT_LAYOUT, "block 32: 5-bit values + fp16 scale"),
    "Q5_1": ("gguf", "6.0", "5", "16", GK_QUANT_LAYOUT, "block 32: 5-bit values + fp16 scale + fp16 min"),
    "Q4_K_M": ("gguf", "4.89", "4", "16", GK_QUANT_DOC, "mix (Q4_K + Q6_K for attn_v/ffn_down halves and output); model-level effective bpw (per-tensor Q4_K = 4.5)"),
    "Q4_K_S": ("gguf", "4.67", "4", "16", GK_QUANT_DOC, "mix (mostly Q4_K); model-level effective bpw"),
    "Q4_0": ("gguf", "4.5", "4", "16", GK_QUANT_LAYOUT, "block 32: 4-bit values + fp16 scale (files keep output.weight at Q6_K, so whole-model ~4.6 for Llama-3)"),
    "Q4_1": ("gguf", "5.0", "4", "16", GK_QUANT_LAYOUT, "block 32: 4-bit values + fp16 scale + fp16 min"),
    "IQ4_XS": ("gguf", "4.25", "4", "16", GK_QUANT_LAYOUT, "super-block 256 non-linear 4-bit with 6-bit sub-block scales"),
    "IQ4_NL": ("gguf", "4.5", "4", "16", GK_QUANT_LAYOUT, "block 32 non-linear 4-bit + fp16 scale"),
    "Q3_K_L": ("gguf", "4.31", "3", "16", GK_QUANT_DOC, "mix (Q3_K + Q5_K for some tensors); model-level effective bpw"),
    "Q3_K_M": ("gguf", "4.03", "3", "16", GK_QUANT_DOC, "mix (Q3_K + Q4_K/Q5_K); model-level effective bpw"),
    "Q3_K_S": ("gguf", "3.65", "3", "16", GK_QUANT_DOC, "mix (mostly Q3_K, per-tensor 3.4375); model-level effective bpw"),
    "IQ3_M": ("gguf", "3.76", "3", "16", GK_QUANT_DOC, "i-quant mix; model-level effective bpw"),
    "IQ3_S": ("gguf", "3.4375", "3", "16", GK_QUANT_LAYOUT, "per-tensor IQ3_S storage"),
    "IQ3_XS": ("gguf", "3.50", "3", "16", GK_QUANT_DOC, "i-quant mix; model-level effective bpw"),
    "IQ3_XXS": ("gguf", "3.0625", "3", "16", GK_QUANT_LAYOUT, "per-tensor IQ3_XXS storage"),
    "Q2_K": ("gguf", "3.30", "2", "16", GK_QUANT_DOC, "mix (Q2_K + Q3_K/Q4_K for some tensors); model-level effective bpw (per-tensor Q2_K = 2.625)"),
    "Q2_K_S": ("gguf", "3.17", "2", "16", GK_QUANT_DOC, "mix; model-level effective bpw"),
    "IQ2_M": ("gguf", "2.93", "2", "16", GK_QUANT_DOC, "i-quant mix; model-level effective bpw (per-tensor IQ2_S 2.5)"),
    "IQ2_S": ("gguf", "2.5", "2", "16", GK_QUANT_LAYOUT, "per-tensor IQ2_S storage"),
    "IQ2_XS": ("gguf", "2.3125", "2", "16", GK_QUANT_LAYOUT, "per-tensor IQ2_XS storage"),
    "IQ2_XXS": ("gguf", "2.0625", "2", "16", GK_QUANT_LAYOUT, "per-tensor IQ2_XXS storage"),
    "IQ1_M": ("gguf", "1.75", "1", "16", GK_QUANT_LAYOUT, "per-tensor IQ1_M storage"),
    "IQ1_S": ("gguf", "1.5625", "1", "16", GK_QUANT_LAYOUT, "per-tensor IQ1_S storage"),
    "INT8": ("int", "8.0", "8", "16", GK_QUANT_LAYOUT, "8-bit weight-only, per-channel scales (negligible, < 0.01 bit/weight); activations 16-bit unless the engine says otherwise"),
    "INT4": ("int", "4.25", "4", "16", GK_QUANT_LAYOUT, "generic engine-specific 4-bit weight-only; group 128 with 16-bit scale+zero assumed (g64 -> 4.5, g32 -> 5.0)"),
    "INT4-G32": ("int", "5.0", "4", "16", GK_QUANT_LAYOUT, "gpt-fast int4 weight-only, group 32 with bf16 scale and zero per group"),
    "AWQ-INT4": ("awq", "4.25", "4", "16", GK_QUANT_LAYOUT, "AWQ W4A16 group 128: 4-bit + fp16 scale + 4-bit zero per group (~4.16-4.25)"),
    "GPTQ-INT4": ("gptq", "4.25", "4", "16", GK_QUANT_LAYOUT, "GPTQ W4A16 group 128: 4-bit + fp16 scale + packed 4-bit zero per group"),
    "GPTQ-INT8": ("gptq", "8.25", "8", "16", GK_QUANT_LAYOUT, "GPTQ W8A16 group 128"),
    "NVFP4": ("fp4", "4.5", "4", "4", GK_QUANT_LAYOUT, "FP4 E2M1, block 16 with FP8 E4M3 scale (+ per-tensor FP32 scale)"),
    "MXFP4": ("fp4", "4.25", "4", "16", GK_QUANT_LAYOUT, "OCP MX FP4 E2M1, block 32 with 8-bit E8M0 scale"),
    "W4A16": ("int", "4.25", "4", "16", GK_QUANT_LAYOUT, "4-bit weights group 128, 16-bit activations (compressed-tensors / generic)"),
    "QNN-W4A16": ("qnn", "4.25", "4", "16", GK_QUANT_LAYOUT, "Qualcomm QNN w4a16, some layers w8 (exact mix per model not published): 4.25 is a lower bound"),
    "MLC-Q4F16_1": ("int", "4.5", "4", "16", GK_QUANT_LAYOUT, "MLC q4f16_1: 4-bit group 32 with fp16 scale"),
    "EXL2-2.5BPW": ("exl2", "2.5", "2.5", "16", GK_QUANT_LAYOUT, "ExLlamaV2 target average bpw"),
    "EXL2-3.0BPW": ("exl2", "3.0", "3", "16", GK_QUANT_LAYOUT, "ExLlamaV2 target average bpw"),
    "EXL2-4.0BPW": ("exl2", "4.0", "4", "16", GK_QUANT_LAYOUT, "ExLlamaV2 target average bpw"),
    "EXL2-5.0BPW": ("exl2", "5.0", "5", "16", GK_QUANT_LAYOUT, "ExLlamaV2 target average bpw"),
    "EXL2-6.0BPW": ("exl2", "6.0", "6", "16", GK_QUANT_LAYOUT, "ExLlamaV2 target average bpw"),
    "EXL2-8.0BPW": ("exl2", "8.0", "8", "16", GK_QUANT_LAYOUT, "ExLlamaV2 target average bpw"),
}

# every quant spelling of speed/tpu/oom files + common spellings -> canonical
# (None = leave unmapped: the measurement row carries an empty quant)
QUANT_ALIASES = {
    "fp16": "FP16", "bf16": "BF16", "f32": "F32", "fp32": "F32", "float16": "FP16", "bfloat16": "BF16", "half": "FP16",
    "bf16 (default; not stated)": "BF16", "bf16 (vLLM default; not stated)": "BF16",
    "fp8": "FP8", "fp8 (ModelOpt FP8)": "FP8", "fp8 (weights), fp8 KV cache": "FP8", "fp8-e4m3": "FP8", "e4m3": "FP8",
    "nvfp4 (ModelOpt FP4)": "NVFP4", "fp4": "NVFP4",
    "awq-int4": "AWQ-INT4", "awq-int4 (GEMM kernel)": "AWQ-INT4", "awq-int4 (GEMV kernel)": "AWQ-INT4",
    "awq-int4 (W4A16 g128)": "AWQ-INT4", "awq": "AWQ-INT4", "awq-4bit": "AWQ-INT4",
    "gptq-int4": "GPTQ-INT4", "gptq-int4 (g128, act-order no)": "GPTQ-INT4", "gptq-int4 (g128, act-order yes)": "GPTQ-INT4",
    "gptq": "GPTQ-INT4", "gptq-4bit": "GPTQ-INT4", "gptq-int8": "GPTQ-INT8",
    "int4 (weight-only, g32)": "INT4-G32",
    "int4 weight-only (engine-specific 4-bit format)": "INT4", "int4": "INT4", "4bit": "INT4", "4-bit": "INT4",
    "int8": "INT8", "int8 (weight-only)": "INT8", "8bit": "INT8", "8-bit": "INT8", "w8a16": "INT8",
    "w4a16 (QNN; some layers w8)": "QNN-W4A16", "w4 (QNN; some layers w8)": "QNN-W4A16",
    "w4a16 (presumed)": "W4A16",
    "q4f16_1 (int4)": "MLC-Q4F16_1", "q4f16_1": "MLC-Q4F16_1",
    "q0f16 (fp16)": "FP16", "q0f16": "FP16",
    "Q4_0 (dllama Q40 weights; Q80 sync buffer)": "Q4_0", "q40": "Q4_0",
    "MXFP4/Q4_K_M (unclear)": "MXFP4",  # gpt-oss experts (most of the bytes) stay MXFP4 in both readings
    "Q4 (variant unspecified)": "Q4_K_M",  # Ollama default 4-bit tag; rows are quality=low anyway
    "exl2-2.5bpw": "EXL2-2.5BPW", "exl2-3.0bpw": "EXL2-3.0BPW", "exl2-4.0bpw": "EXL2-4.0BPW",
    "exl2-5.0bpw": "EXL2-5.0BPW", "exl2-6.0bpw": "EXL2-6.0BPW", "exl2-8.0bpw": "EXL2-8.0BPW",
    "Q4KM": "Q4_K_M", "Q4_K": "Q4_K_M", "q4": "Q4_K_M", "Q5KM": "Q5_K_M", "Q5_K": "Q5_K_M", "Q3_K": "Q3_K_M",
    "q8": "Q8_0", "Q6": "Q6_K", "Q2": "Q2_K",
    "unspecified": None, "": None,
}
# canonical names matched case-insensitively are not repeated as aliases
# (e.g. 'q4_k_m', 'fp8', 'int8', 'mxfp4' resolve by the loader's lower-casing).

# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------
ENGINES = {
    "llama.cpp": "ggml-org/llama.cpp: GGUF inference (llama-bench, llama-cli/./main, llama-server); CPU, CUDA, Metal, Vulkan, ROCm",
    "ik_llama.cpp": "ikawrakow/ik_llama.cpp: llama.cpp fork with faster CPU matmul (iqk_mul_mat) and extra quant types",
    "ollama": "Ollama: llama.cpp-based local server with its own model registry (tags like llama3:8b)",
    "vllm": "vLLM: paged-attention serving engine (CUDA, ROCm, TPU); continuous batching",
    "sglang": "SGLang: serving engine with RadixAttention; continuous batching",
    "tensorrt-llm": "NVIDIA TensorRT-LLM (trtllm-bench, PyTorch or TRT backend)",
    "mlc-llm": "MLC LLM (TVM-compiled; CUDA, ROCm, Vulkan, Metal)",
    "exllamav2": "turboderp/exllamav2: GPTQ/EXL2 CUDA inference",
    "lmdeploy": "InternLM LMDeploy (TurboMind C++ engine or PyTorch engine)",
    "autoawq": "casper-hansen/AutoAWQ: AWQ quantization and HF-transformers-based inference (GEMM/GEMV kernels)",
    "tinychat": "mit-han-lab/llm-awq TinyChat: AWQ W4A16 inference engine (legacy and 2.0)",
    "gpt-fast": "pytorch-labs/gpt-fast: minimal torch.compile PyTorch decoder (int8/int4, TP)",
    "hf-transformers": "Hugging Face transformers generate() (eager PyTorch)",
    "qnn": "Qualcomm AI Engine Direct / QAIRT (Genie runtime or QNN context binaries) on Hexagon NPU",
    "distributed-llama": "b4rtaz/distributed-llama: tensor parallelism over Ethernet across CPU nodes",
    "jetstream": "Google JetStream (JAX / MaxText and PyTorch/XLA variants) TPU serving",
    "llama-cpp-python": "Python bindings for llama.cpp",
    "unknown": "engine not stated by the source",
}
# engine string in data -> (engine, engine_version, note)
ENGINE_ALIASES = {
    "JetStream experimental JAX framework (offline benchmark)": ("jetstream", "", "JetStream experimental JAX"),
    "JetStream-PyTorch": ("jetstream", "", "jetstream-pytorch"),
    "autoawq": ("autoawq", "", ""),
    "distributed-llama 0.1.0": ("distributed-llama", "0.1.0", ""),
    "exllamav2": ("exllamav2", "", ""),
    "gpt-fast (PyTorch)": ("gpt-fast", "", ""),
    "hf-transformers (TinyChat FP16 baseline)": ("hf-transformers", "", "TinyChat FP16 baseline"),
    "ik_llama.cpp": ("ik_llama.cpp", "", ""),
    "llama.cpp": ("llama.cpp", "", ""),
    "llama.cpp (Vulkan)": ("llama.cpp", "", "Vulkan backend"),
    "llama.cpp or Ollama (unspecified per row)": ("llama.cpp", "", "llama.cpp or Ollama (Ollama runs llama.cpp); mapped to llama.cpp"),
    "lmdeploy v0.1.0a1 (TurboMind)": ("lmdeploy", "v0.1.0a1", "TurboMind"),
    "mlc-llm": ("mlc-llm", "", ""),
    "qualcomm genie (QAIRT)": ("qnn", "", "Genie runtime"),
    "qualcomm qnn_context_binary (QAIRT)": ("qnn", "", "QNN context binary"),
    "sglang v0.3.0": ("sglang", "v0.3.0", ""),
    "tensorrt-llm": ("tensorrt-llm", "", ""),
    "tinychat (legacy)": ("tinychat", "legacy", ""),
    "tinychat 2.0": ("tinychat", "2.0", ""),
    "unspecified (community; see proof issue)": ("unknown", "", ""),
    "vLLM TPU (docker vllm/vllm-tpu:e92694b6fe264a85371317295bca6643508034ef)": ("vllm", "vllm-tpu:e92694b6fe264a85371317295bca6643508034ef", "vLLM TPU"),
    "vLLM TPU (docker vllm/vllm-tpu:v0.12.0)": ("vllm", "v0.12.0", "vLLM TPU"),
    "vLLM TPU (vllm/vllm-tpu nightly)": ("vllm", "nightly", "vLLM TPU"),
    "vLLM TPU (vllm/vllm-tpu:nightly-20260626-c539adc-cc79815)": ("vllm", "nightly-20260626-c539adc-cc79815", "vLLM TPU"),
    "vllm": ("vllm", "", ""),
    "vllm v0.5.4": ("vllm", "v0.5.4", ""),
    "vllm v0.6.0 (--num-scheduler-steps 10)": ("vllm", "v0.6.0", "--num-scheduler-steps 10"),
}
ENGINE_ALIASES_EXTRA = {
    "trt-llm": "tensorrt-llm", "trtllm": "tensorrt-llm", "tensorrt": "tensorrt-llm", "tensorrt_llm": "tensorrt-llm", "TRT": "tensorrt-llm",
    "exllama": "exllamav2", "exl2": "exllamav2", "mlc": "mlc-llm", "mlc_llm": "mlc-llm", "hf": "hf-transformers", "transformers": "hf-transformers",
    "huggingface": "hf-transformers", "llamacpp": "llama.cpp", "llama-cpp": "llama.cpp", "llama_cpp": "llama.cpp", "ggml": "llama.cpp",
    "llama-server": "llama.cpp", "llama-bench": "llama.cpp", "ik-llama.cpp": "ik_llama.cpp", "ik_llama": "ik_llama.cpp",
    "sg-lang": "sglang", "turbomind": "lmdeploy", "awq": "autoawq", "auto-awq": "autoawq", "genie": "qnn", "qairt": "qnn",
    "qualcomm": "qnn", "dllama": "distributed-llama", "jetstream-pytorch": "jetstream", "maxtext": "jetstream",
    "vllm-tpu": "vllm", "vLLM TPU": "vllm", "llama_cpp_python": "llama-cpp-python", "ollama-server": "ollama",
    "tiny-chat": "tinychat", "gptfast": "gpt-fast",
}
# engine versions stated in the notes (not in the engine string)
MLC_BENCH_COMMITS = {"mlc-llm": "8e94910", "exllamav2": "9d6fdb9", "llama.cpp": "9476b01", "vllm": "acbed3e"}

# llama.cpp multi-GPU runs from before its split-mode change (PR 4766, 2024-01-12), when the
# only mode split each weight matrix by rows over the GPUs (today's `-sm row`)
LLAMACPP_ROW_SPLIT_ERA = re.compile(r"late 2023|llama\.cpp [0-9a-f]{7} \(2023-")
