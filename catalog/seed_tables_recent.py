"""Seed tables of the 2026 step: how the raw files under catalog/sources/2026/ map onto the catalog.

Edit these to change what `seed_recent*.py` adds from `sources/2026/{models,scores,speeds}/`: family
spellings, hosted price-map keys, benchmark names, quantization spellings (and the new quantizations),
new engines, and the rules that leave a raw row out (each with its reason, counted in the report).
"""
from __future__ import annotations

# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------
# raw family -> the seed's spelling of the same family name (the seed writes Qwen families "Qwen-3...")
FAMILY_MAP = {
    "Qwen3-2507": "Qwen-3-2507", "Qwen3-Coder": "Qwen-3-Coder", "Qwen3-Next": "Qwen-3-Next", "Qwen3-VL": "Qwen-3-VL",
    "Qwen3.5": "Qwen-3.5", "Qwen3.6": "Qwen-3.6", "Qwen3.8": "Qwen-3.8",
}
# licenses (lower case, as the raw file writes them) that clearly allow commercial use
COMMERCIAL_LICENSES = ("apache-2.0", "mit", "bsd")
PARAMS_TOLERANCE = 0.03  # a computed count further off the published one is noted

# ---------------------------------------------------------------------------
# Hosted models: every `api:<key>` of scores.csv (a key of litellm's bundled price map) -> the family
# of the new hosted model named by the key, or None where the seed already maps a hosted model to the
# key (advisor/recommend/api_models.py, or API_SAME_MODEL below): its scores go to that model.
# ---------------------------------------------------------------------------
HOSTED_KEYS: dict[str, str | None] = {
    "anthropic.claude-3-5-sonnet-20241022-v2:0": None,  # Claude-3.5-Sonnet-2024-10-22
    "anthropic.claude-3-7-sonnet-20250219-v1:0": "Anthropic-Claude-3.7",
    "anthropic.claude-opus-4-20250514-v1:0": "Anthropic-Claude-4",
    "anthropic.claude-sonnet-4-20250514-v1:0": "Anthropic-Claude-4",
    "anthropic.claude-opus-4-1-20250805-v1:0": "Anthropic-Claude-4.1",
    "claude-haiku-4-5-20251001": "Anthropic-Claude-4.5",
    "claude-opus-4-5-20251101": "Anthropic-Claude-4.5",
    "claude-sonnet-4-5-20250929": "Anthropic-Claude-4.5",
    "claude-opus-4-6": "Anthropic-Claude-4.6",
    "claude-opus-4-7": "Anthropic-Claude-4.7",
    "claude-opus-4-8": "Anthropic-Claude-4.8",
    "claude-fable-5": "Anthropic-Claude-5",
    "claude-opus-5": "Anthropic-Claude-5",
    "dashscope/qwen3-max": "Alibaba-Qwen3-Max",
    "dashscope/qwen3-max-2026-01-23": "Alibaba-Qwen3-Max",
    "dashscope/qwen3.8-max": "Alibaba-Qwen3.8-Max",
    "gemini-2.5-flash": "Google-Gemini-2.5",
    "gemini-2.5-flash-lite": "Google-Gemini-2.5",
    "gemini-2.5-pro": None,  # Gemini-2.5-Pro (API_SAME_MODEL)
    "gemini-3-flash-preview": "Google-Gemini-3",
    "gemini-3.1-pro-preview": "Google-Gemini-3.1",
    "gpt-4o-2024-05-13": None,  # GPT-4o-2024-05-13
    "gpt-4o-2024-08-06": None,  # GPT-4o-2024-08-06
    "gpt-4o-mini-2024-07-18": None,  # GPT-4o-mini-2024-07-18
    "gpt-4.1-2025-04-14": "OpenAI-GPT-4.1",
    "gpt-4.1-mini-2025-04-14": "OpenAI-GPT-4.1",
    "gpt-4.1-nano-2025-04-14": "OpenAI-GPT-4.1",
    "gpt-5-2025-08-07": "OpenAI-GPT-5",
    "gpt-5-mini-2025-08-07": "OpenAI-GPT-5",
    "gpt-5-nano-2025-08-07": "OpenAI-GPT-5",
    "gpt-5-pro-2025-10-06": "OpenAI-GPT-5",
    "gpt-5-codex": "OpenAI-GPT-5",
    "gpt-5.2": "OpenAI-GPT-5.2",
    "gpt-5.4": "OpenAI-GPT-5.4",
    "gpt-5.5": "OpenAI-GPT-5.5",
    "gpt-5.6-sol": "OpenAI-GPT-5.6",
    "o1-2024-12-17": None,  # o1-2024-12-17
    "o3-mini-2025-01-31": None,  # o3-mini (medium)
    "o3-2025-04-16": "OpenAI-o3",
    "o3-pro-2025-06-10": "OpenAI-o3",
    "o4-mini-2025-04-16": "OpenAI-o4",
    "moonshot/kimi-k3": "Moonshot-Kimi-K3",
    "vercel_ai_gateway/xai/grok-4": "xAI-Grok-4",
    "xai/grok-4.5": "xAI-Grok-4.5",
    "zai/glm-5.2": "Zai-GLM-5.2",
}
# price-map key -> existing seed model it is the same hosted model as, where api_models.py maps that
# model to another key of the same model. A model named `gemini-2.5-pro` would equal the seed's
# `Gemini-2.5-Pro` after normalisation; api_models.py maps it to the AI Studio key gemini/gemini-2.5-pro.
API_SAME_MODEL = {"gemini-2.5-pro": "Gemini-2.5-Pro"}
# an existing hosted model fixed to one reasoning effort: rows stating another effort are left out
API_MODEL_EFFORT = {"o3-mini (medium)": r"(?i)-high\b|effort\W+high\b"}
# hosted_speeds.csv keys that are undated aliases -> the only dated snapshot of that alias in the
# price map (checked by the generator), which is a catalog hosted model
HOSTED_SPEED_ALIASES = {
    "gpt-4.1": "gpt-4.1-2025-04-14", "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18", "gpt-5": "gpt-5-2025-08-07", "gpt-5-mini": "gpt-5-mini-2025-08-07",
    "o3": "o3-2025-04-16", "o4-mini": "o4-mini-2025-04-16", "claude-haiku-4-5": "claude-haiku-4-5-20251001",
    "claude-opus-4-5": "claude-opus-4-5-20251101", "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
}
# hosted speed rows left out although their key maps, with the reason
HOSTED_SPEED_LEFT_OUT = {
    "deepseek/deepseek-chat": "the page's 'DeepSeek V3' was mapped to this key by presumption (row notes), and the key "
                              "serves later DeepSeek versions by 2026",
}

# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------
# raw benchmark name -> catalog name, where the raw file spells a benchmark the seed already names
# differently (everything else keeps the raw name; the generator fails on a raw name that matches a
# task-map benchmark except for case, spaces and hyphens, unless it is listed here)
BENCHMARK_NAMES = {
    "MMMLU (OpenAI MMLU)": "MMMLU",  # OpenAI's multilingual MMLU, the seed's MMMLU
    "LMArena text (Elo)": "LMArena Text (Elo)",  # the same board, one row spelled in lower case
}
# score scales kept as the raw file writes them; `fraction (0-1)` is converted to percent (x100)
SCORE_SCALES_KEPT = ("percent", "elo", "points (0-100)", "points (index)", "points (average)")
FRACTION_SCALE = "fraction (0-1)"
# mlx-lm MMLU-Pro rows state the MLX quantisation in `setting`: precision label -> quant (bf16 = baseline)
MLX_SCORE_PRECISION = {"bf16": "", "q8": "MLX-8BIT", "q6": "MLX-6BIT", "q5": "MLX-5BIT", "q5 g32": "MLX-5BIT-G32",
                       "q4": "MLX-4BIT", "q4 g32": "MLX-4BIT-G32"}

# ---------------------------------------------------------------------------
# Speeds: quantizations
# ---------------------------------------------------------------------------
# raw quant spelling -> canonical quant (existing QUANTS or RECENT_QUANTS below)
QUANT_MAP = {
    **dict.fromkeys(("Q4_K_M", "Q4_K_M (unsloth)", "Q4_K_M (unsloth; table default 'rows above: Q4_K_M, 131K, q4_0 KV')",
                     "GGUF-Q4_K_M"), "Q4_K_M"),
    **dict.fromkeys(("Q8_0", "GGUF-Q8_0", "Q8_0 (lmstudio-community)"), "Q8_0"),
    **dict.fromkeys(("Q6_K (unsloth)", "GGUF-Q6_K"), "Q6_K"),
    "GGUF-Q2_K": "Q2_K", "Q4_0": "Q4_0", "IQ4_XS (unsloth)": "IQ4_XS",
    # plain llama.cpp file-type spellings of the 2026-12 CPU / AMD / Intel llama-bench additions (llama-bench model column
    # "Q4_K - Small" -> Q4_K_S etc.; the catalog already has these quantizations)
    **{q: q for q in ("Q2_K_S", "Q3_K_S", "Q4_K_S", "Q5_K_S", "Q5_K_M", "Q5_0", "Q6_K", "IQ4_NL", "IQ4_XS")},
    "BF16": "BF16", "F16": "F16", "GGUF-F16": "F16", 'FP16 (as stated: "TP4+FP16")': "FP16",
    **dict.fromkeys(("FP8", "FP8 (native weights)", "FP8-static"), "FP8"),
    # MXFP4_MOE is llama.cpp's file type for MXFP4 experts, as the gpt-oss MXFP4 GGUFs ("MXFP4 MoE")
    **dict.fromkeys(("MXFP4", "mxfp4", "MXFP4_MOE"), "MXFP4"),
    # TensorRT-LLM table header "FP4" on gpt-oss, whose checkpoints ship MXFP4 weights (QUANT_MODEL_ONLY)
    "FP4": "MXFP4",
    **dict.fromkeys(("nvfp4", "nvidia-NVFP4", "unsloth-NVFP4", "unsloth-NVFP4-Fast", "NVFP4 (nvidia modelopt mixed)",
                     "NVFP4 (nvidia modelopt mixed: NVFP4 experts + FP8 attention)", "NVFP4 (unsloth Qwen3.8 Dynamic NVFP4)",
                     "NVFP4 (unsloth/Qwen3.6-35B-A3B-NVFP4-Fast; weight-only Marlin path on Ampere)"), "NVFP4"),
    **dict.fromkeys(("AWQ-4bit", "AWQ-INT4", "AWQ-int4", "AWQ 4-bit (cyankiwi/gemma-4-26B-A4B-it-AWQ-4bit)", "QuantTrio-AWQ",
                     "cyankiwi-AWQ"), "AWQ-INT4"),
    "int4": "INT4",  # Ollama's MLX runner, fmt INT4 (group size not stated: the catalog's generic INT4)
    # MLX affine quantisation (every such row is an MLX model: mlx-lm, mlx-vlm, oMLX, vllm-mlx, LM Studio fmt MLX)
    "4bit": "MLX-4BIT", "5bit": "MLX-5BIT", "6bit": "MLX-6BIT", "8bit": "MLX-8BIT",
    "4bit (group size 32)": "MLX-4BIT-G32", "5bit (group size 32)": "MLX-5BIT-G32",
    **dict.fromkeys(("UD-Q4_K_XL", "UD-Q4_K_XL (unsloth)"), "UD-Q4_K_XL"),
    **dict.fromkeys(("UD-Q5_K_XL", "UD-Q5_K_XL (unsloth)", "UD-Q5_K_XL (Unsloth)"), "UD-Q5_K_XL"),
    **dict.fromkeys(("UD-Q3_K_XL", "UD-Q3_K_XL (unsloth)"), "UD-Q3_K_XL"),
    **dict.fromkeys(("UD-Q2_K_XL", "UD-Q2_K_XL (unsloth)"), "UD-Q2_K_XL"),
    "UD-Q6_K_XL": "UD-Q6_K_XL", "UD-Q8_K_XL": "UD-Q8_K_XL", "UD-Q3_K_S": "UD-Q3_K_S", "UD-Q4_K_M": "UD-Q4_K_M",
    "UD-IQ2_XXS (unsloth)": "UD-IQ2_XXS", "UD-IQ3_XXS (unsloth)": "UD-IQ3_XXS",
    **dict.fromkeys(("autoround-int4", "AutoRound-int4", "AutoRound INT4 (--dtype float16 + auto_round)",
                     "AutoRound INT4 (compose dual/autoround-int4/fp8.yml)",
                     "AutoRound INT4 (compose dual/autoround-int4/preview.yml)",
                     "Int4"), "AUTOROUND-INT4"),  # "Int4": the qwen3.6-27b-autoround-int4 checkpoint (notes)
    "INT8-W8A8": "W8A8-INT8",
    "exl3-4.0bpw-mul1": "EXL3-4.0BPW", "exl3-6.0bpw-mcg": "EXL3-6.0BPW", "exl3-6.0bpw-mul1": "EXL3-6.0BPW",
    **dict.fromkeys(("q2-imatrix (routed experts IQ2_XXS up/gate + Q2_K down; rest Q8)",
                     "q2-imatrix (ds4f-q2: IQ2XXS-w2Q2K-AProjQ8-SExpQ8-OutQ8 imatrix GGUF)",
                     "q2 (ds4 quant; q2 = IQ2_XXS/Q2_K routed experts)"), "DS4-Q2"),
    "4-bit per-channel (.litertlm)": "INT4-PER-CHANNEL",
    "W4 asym block64 (MNN; FP16 scale, dynamic int8 activation)": "MNN-W4-B64",
}
# spellings whose catalog quant holds only for some models (model name regex); another model fails
QUANT_MODEL_ONLY = {"FP4": r"^gpt-oss-"}
# raw quant spellings left out, with the reason
QUANT_LEFT_OUT = {
    **dict.fromkeys(("q2 (presumed)", "INT4 (native QAT checkpoint, presumed)"), "quant presumed, not stated"),
    **dict.fromkeys(("Ollama MLX tag default (quant not stated)", "Ollama tag default (quant not stated)", "not stated",
                     "checkpoint as released (FP8 not restated in the benchmark)", "llama.cpp GGUF (alesha-pro fork)"),
                    "quant not stated"),
    "BF16-base": "quant label ambiguous (a BF16 baseline run or a base checkpoint)",
    "dflash-quant": "no weight format stated (a DFlash speculative-decoding setup)",
    "GGUF-Q4_K_M-reap50": "REAP expert-pruned checkpoint: not the catalog model",
    "QAT-mobile-mixed-int2-4-8": "mixed 2/4/8-bit QAT format whose bits per weight no source states",
    **dict.fromkeys(("AD-IQ3_S_IQ3_XXS (AtomicChat)", "Q4-XYZ-v2 (quimmedes)"),
                    "third-party custom GGUF mix whose bits per weight no source states"),
    "q4 (ds4 quant; q2 = IQ2_XXS/Q2_K routed experts)": "ds4 q4 tensor layout not stated",
}
# (model name regex, raw quant regex) -> reason a row is left out
MODEL_QUANT_LEFT_OUT = {
    (r"^gpt-oss-", r"^F16\b"): "gpt-oss '-F16' GGUFs keep the MoE experts in MXFP4 (the 120B rows' own max_mem is about "
                               "62 GB): the label gives neither the file's bits per weight nor its format",
}
GK = "general-knowledge"  # a RECENT_QUANTS basis: bits per weight from the format's definition
LLAMA_BENCH = "llama-bench"  # basis: median file-level bpw of the llama-bench model lines of this type
MLX_DOC = "mlx-doc"  # basis: MLX's documented affine layout (scale and bias in the weights' 16-bit dtype)
MLX_DOC_CITATION = ("https://ml-explore.github.io/mlx/build/html/python/_autosummary/mlx.core.quantize.html (page, "
                    "as stored in the docs search index; page date not shown), 'Quantization modes' table: affine mode, "
                    "group size 32/64 (default)/128, scale of the input's type, with a bias")
# new quantization -> (family, basis, bits_per_weight (None = derived), weight_bits, act_bits, notes)
RECENT_QUANTS = {
    "MLX-4BIT": ("mlx", MLX_DOC, None, "4", "16", "MLX affine 4-bit, group 64 (mlx-lm default) with a 16-bit scale and bias"),
    "MLX-5BIT": ("mlx", MLX_DOC, None, "5", "16", "MLX affine 5-bit, group 64 with a 16-bit scale and bias"),
    "MLX-6BIT": ("mlx", MLX_DOC, None, "6", "16", "MLX affine 6-bit, group 64 with a 16-bit scale and bias"),
    "MLX-8BIT": ("mlx", MLX_DOC, None, "8", "16", "MLX affine 8-bit, group 64 with a 16-bit scale and bias"),
    "MLX-4BIT-G32": ("mlx", MLX_DOC, None, "4", "16", "MLX affine 4-bit, group 32 with a 16-bit scale and bias"),
    "MLX-5BIT-G32": ("mlx", MLX_DOC, None, "5", "16", "MLX affine 5-bit, group 32 with a 16-bit scale and bias"),
    **{f"UD-{t}_K_XL": ("gguf", LLAMA_BENCH, None, t[1], "16", f"Unsloth Dynamic 2.0 GGUF, {t}_K base with tensors the "
                        "recipe picks per model kept higher; bpw varies by model") for t in ("Q3", "Q4", "Q5", "Q6")},
    "UD-Q8_K_XL": ("gguf", LLAMA_BENCH, None, "8", "16", "Unsloth Dynamic 2.0 GGUF, Q8_0 base with tensors the recipe "
                   "picks per model kept in 16 bits; bpw varies by model"),
    "UD-Q3_K_S": ("gguf", LLAMA_BENCH, None, "3", "16", "Unsloth Dynamic 2.0 GGUF, Q3_K_S base; bpw varies by model"),
    "UD-Q2_K_XL": ("gguf", GK, "3.30", "2", "16", "Unsloth Dynamic 2.0 GGUF, Q2_K base with some tensors kept higher; the "
                   "Q2_K mix figure (3.30, general knowledge) is a lower bound"),
    "UD-Q4_K_M": ("gguf", GK, "4.89", "4", "16", "Unsloth Dynamic 2.0 GGUF of the Q4_K_M recipe; the Q4_K_M mix figure "
                  "(4.89, general knowledge)"),
    "UD-IQ2_XXS": ("gguf", GK, "2.0625", "2", "16", "Unsloth Dynamic 2.0 GGUF, IQ2_XXS base (2.0625 per tensor) with some "
                   "tensors kept higher: a lower bound"),
    "UD-IQ3_XXS": ("gguf", GK, "3.0625", "3", "16", "Unsloth Dynamic 2.0 GGUF, IQ3_XXS base (3.0625 per tensor) with some "
                   "tensors kept higher: a lower bound"),
    "AUTOROUND-INT4": ("int", GK, "4.25", "4", "16", "Intel AutoRound INT4 weight-only, group 128 (its default) with a 16-bit "
                       "scale and a packed 4-bit zero per group, as GPTQ/AWQ g128"),
    "W8A8-INT8": ("int", GK, "8.0", "8", "8", "INT8 weights and activations, per-channel weight scales (< 0.01 bit/weight)"),
    "EXL3-4.0BPW": ("exl3", GK, "4.0", "4", "16", "ExLlamaV3 EXL3 (QTIP trellis), target average bpw of the name"),
    "EXL3-6.0BPW": ("exl3", GK, "6.0", "6", "16", "ExLlamaV3 EXL3 (QTIP trellis), target average bpw of the name"),
    "DS4-Q2": ("gguf", GK, "2.4", "2", "16", "antirez/ds4 q2 GGUF of DeepSeek-V4-Flash: routed experts IQ2_XXS (2.0625) "
               "up/gate and Q2_K (2.625) down = 2.25, the rest Q8_0 (8.5); the routed experts hold about 97 % of the "
               "weights, so about 2.4 for the model"),
    "INT4-PER-CHANNEL": ("int", GK, "4.0", "4", "16", "LiteRT-LM .litertlm 4-bit weights with one scale per output "
                         "channel (< 0.01 bit/weight)"),
    "MNN-W4-B64": ("int", GK, "4.5", "4", "8", "MNN asymmetric 4-bit weights, block 64 with a 16-bit scale and a "
                   "16-bit zero; activations quantised to int8 on the fly"),
}

# ---------------------------------------------------------------------------
# Speeds: engines, hardware, wall rates
# ---------------------------------------------------------------------------
RECENT_ENGINES = {
    "mlx-lm": "ml-explore/mlx-lm: LLM inference and quantization with MLX on Apple silicon (generate, server, benchmark)",
    "mlx-vlm": "Blaizzy/mlx-vlm: MLX inference of vision-language (and text) models on Apple silicon",
    "ds4": "antirez/ds4: a dedicated DeepSeek-V4-Flash inference engine (Metal, CUDA) with its own q2/q4 GGUFs",
    "ktransformers": "kvcache-ai/ktransformers: CPU/GPU hybrid MoE inference (experts on the CPU via kt-kernel, served with SGLang)",
    "exllamav3": "turboderp-org/exllamav3: EXL3 (QTIP trellis) quantization and CUDA inference, tensor/expert parallel",
    "omlx": "oMLX: an MLX-based LLM server for Apple silicon (paged KV cache)",
    "vllm-mlx": "waybarrios/vllm-mlx: OpenAI-compatible vLLM-style serving on Apple silicon with an MLX backend",
    "litert-lm": "google-ai-edge/LiteRT-LM: Google's on-device LLM runtime (CPU/GPU) for .litertlm models",
    "mnn": "alibaba/MNN: on-device inference framework (MNN-LLM; ARM, x86 and RISC-V CPUs, mobile GPUs)",
    "lm-studio": "LM Studio: desktop app that serves GGUF (llama.cpp) and MLX models locally",
    "docker-model-runner": "Docker Model Runner: Docker's local model server (llama.cpp engine, models from Docker Hub)",
}
RECENT_ENGINE_ALIASES = {"lmstudio": "lm-studio", "exl3": "exllamav3", "kt-kernel": "ktransformers", "litert": "litert-lm"}
COMBINED_DEVICE = r"\s\+\s"  # a hardware name naming several devices ("GPU + GPU", "GPU + 2x CPU host")
# metric text of single-stream rows whose decode is a wall rate (end-to-end, TTFT included)
WALL_RATE = r"single_stream_wall|total wall time|WALL TPS|/ wall time, includes TTFT"
WALL_RATE_NOTE = "decode_tok_s is a wall rate (generated tokens over end-to-end time, TTFT included): quality low"

# ---------------------------------------------------------------------------
# Files of the three folders left out, with the reason
# ---------------------------------------------------------------------------
FILES_LEFT_OUT = {
    "speeds/speeds_supplementary.csv": "kyuz0 Strix Halo runs of experimental toolboxes (rocm7-nightlies, hipBLASLt off): "
                                       "the same device, models and workloads as kept rows on a pre-release software "
                                       "stack; the collectors kept them apart so that one device does not dominate more",
    "speeds/excluded.csv": "figures the collectors read and kept out (speculative decoding, unknown metric, ...)",
}
