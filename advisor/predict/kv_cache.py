"""KV-cache types an engine can store the cache in: their size against the 16-bit cache and
their published quality cost. The raw rows behind every figure are in
`catalog/sources/2026/levers/` (`kv_type_sizes.csv`, `kv_cache_quant.csv`), with their sources.

The cost is kept as published (perplexity or benchmark deltas on named models), not turned
into task accuracy points: no published figure maps one onto the other, so the recommender
states it beside the memory saving instead of pretending to know the accuracy loss."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KvCacheType:
    """One KV-cache storage type of one engine family."""

    name: str
    engines: tuple[str, ...]
    bits: float
    flags: str
    cost: str          # the published quality cost, with where it was published
    size_source: str

    @property
    def factor(self) -> float:
        """Its size as a share of the 16-bit cache."""
        return self.bits / 16.0


_GGML = "ggml-org/llama.cpp@aca2e6ce7909064dbfbf3bd168e9ad3db1826e6c:ggml/src/ggml-common.h"
KV_TYPES: tuple[KvCacheType, ...] = (
    KvCacheType(
        "q8_0", ("llama.cpp", "ik_llama.cpp", "ollama", "lm-studio"), 8.5, "-ctk q8_0 -ctv q8_0 -fa on",
        "perplexity +0.035 % against the 16-bit cache (llama.cpp PR #7412, 2024-05-20); Gemma-4-31B +0.01 % "
        "(ik_llama.cpp PR #1599, 2026-04-08)", f"{_GGML} (block_q8_0: 34 bytes per 32 values)"),
    KvCacheType(
        "q4_0", ("llama.cpp", "ik_llama.cpp", "ollama", "lm-studio"), 4.5, "-ctk q4_0 -ctv q4_0 -fa on",
        "model-dependent: perplexity +0.8 % on Gemma-4-31B with the Hadamard rotation (ik_llama.cpp PR #1599; "
        "mainline llama.cpp rotates quantized caches since PR #21038, 2026-04-01), +11.3 % on Qwen3-30B-A3B's "
        "K cache without it (ik_llama.cpp PR #1034)", f"{_GGML} (block_q4_0: 18 bytes per 32 values)"),
    KvCacheType(
        "fp8", ("vllm", "sglang", "tensorrt-llm"), 8.0, "--kv-cache-dtype fp8",
        "HumanEval 68.3 -> 67.7 on WizardCoder-34B (fp8_e4m3, vLLM PR #2279); GSM8K within 0.15 points, "
        "GPQA-Diamond -1.1 to +3.5 on three models (SGLang docs @03cd2ec)",
        "vllm-project/vllm@0609ba15df1dc858647954fefd6512b394bdb283:docs/features/quantization/quantized_kvcache.md"),
)


def kv_types_for(engine: str) -> list[KvCacheType]:
    """The quantized KV-cache types `engine` offers, smallest cost first."""
    e = engine.lower()
    return [k for k in KV_TYPES if e in k.engines]
