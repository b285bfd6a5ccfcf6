"""Deterministic data for the TUI tests (no predictor, no catalog)."""

from __future__ import annotations

from advisor.schema import (Candidate, FigureBasis, Figures, GeneratedPrompt, HardwareSpec, PromptSet,
                            Questionnaire, Recommendation, Rejected, RequirementCheck)

QUESTIONNAIRE = {
    "use_case": {"task": "code", "domain": "general", "description": ""},
    "workload": {"prompt_tokens": 2000, "output_tokens": 400, "concurrent_requests": 1},
    "requirements": {"deployment": "local", "license": "any", "min_decode_tok_s": 20},
    "priorities": {"accuracy": 0.5, "speed": 0.3, "cost": 0.2},
    "hardware": {"name": "RTX 4090", "count": 1},
}


def fixture_recommendation(q: Questionnaire | None = None) -> Recommendation:
    q = q or Questionnaire.model_validate(QUESTIONNAIRE)
    hw = HardwareSpec(name="NVIDIA GeForce RTX 4090", kind="gpu", vendor="NVIDIA", memory_gb=24,
                      mem_bandwidth_gbs=1010)

    def cand(rank: int, model: str, quant: str, dec: float, mem: float, acc: float, measured: bool,
             ok: bool = True) -> Candidate:
        basis = {
            "decode_tok_s": FigureBasis(basis="measured", source="llama-bench-4090: github:ggml-org discussions")
            if measured else FigureBasis(basis="predicted", detail="gradient boosting, 80 % interval"),
            "memory_gb": FigureBasis(basis="predicted", detail="weights + KV cache + overhead"),
            "accuracy": FigureBasis(basis="measured", source="open-llm-leaderboard: HF"),
        }
        return Candidate(
            rank=rank, model=model, params_b=8.0, quant=quant, engine="llama.cpp", deployment="local",
            context_len=32768,
            predicted=Figures(decode_tok_s=dec, decode_tok_s_low=dec * 0.85, decode_tok_s_high=dec * 1.15,
                              memory_gb=mem, memory_gb_low=mem * 0.95, memory_gb_high=mem * 1.05,
                              accuracy=acc, accuracy_low=acc - 3, accuracy_high=acc + 3),
            basis=basis, meets_requirements=ok, utility=1.0 - rank / 10,
            checks=[RequirementCheck(name="min decode tok/s", status="met surely" if ok else "not met",
                                     detail=f"{dec:.0f} >= 20")],
            why=[f"{model} is the most accurate {quant} model that fits 24 GB",
                 "decode speed measured on this GPU"],
            license="apache-2.0",
        )

    cands = [
        cand(1, "Qwen2.5-Coder-7B-Instruct", "Q4_K_M", 120.0, 6.1, 62.0, True),
        cand(2, "Llama-3.1-8B-Instruct", "Q8_0", 85.0, 10.2, 55.0, False),
        cand(3, "Qwen2.5-Coder-32B-Instruct", "Q4_K_M", 38.0, 21.5, 71.0, True),
        cand(4, "Phi-3-mini-4k-instruct", "Q4_K_M", 150.0, 3.2, 40.0, False),
        cand(5, "NVIDIA-Nemotron-3.5-Lightning-30B-A3B-BF16", "AWQ-INT4", 132.0, 17.2, 70.6, False),
    ]
    hosted = hosted_candidate(6)
    ps = PromptSet(task=q.use_case.task, model=cands[0].model, context_window=32768, tokenizer="approximate",
                   exact=False, notes=["model facts from the catalog"],
                   prompts=[GeneratedPrompt(id="code-system", kind="system", title="System", text="You are a careful coding assistant.", tokens=8),
                            GeneratedPrompt(id="code-review", kind="template", title="Review", text="Review this code:\n{{ code }}", tokens=9)])
    return Recommendation(
        questionnaire=q, hardware=hw, hardware_basis="catalog", candidates=cands,
        rejected=[Rejected(model="Llama-3.1-70B-Instruct", quant="Q4_K_M", engine="llama.cpp",
                           reason="needs 42.5 GB, the RTX 4090 has 24 GB"),
                  Rejected(model="Qwen3-VL-235B-A22B-Thinking-2507-Instruct-long", quant="AWQ-INT4", engine="vllm",
                           reason="needs 133.5 GB (weights 118.0 GB + KV cache 12.1 GB for 8,192 tokens x 1 + "
                                  "overhead 3.4 GB), has 22.8 GB usable (24 GB)"),
                  Rejected(model="Claude-3.5-Sonnet-2024-06-20", engine="anthropic.claude-3-5-sonnet-20240620-v1:0",
                           deployment="api", reason="deployment is local: hosted APIs are not allowed")],
        api_alternatives=[hosted],
        pareto=[cands[0].key, cands[2].key, cands[3].key],
        notes=["accuracy from HumanEval-like code benchmarks", "what if: a second RTX 4090 admits 70B Q4_K_M"],
        prompt_set=ps, catalog_version="test",
    )


def hosted_candidate(rank: int) -> Candidate:
    """A hosted model as the recommender lists it: the price-map key as `engine`."""
    return Candidate(
        rank=rank, model="Claude-3.5-Sonnet-2024-06-20", engine="anthropic.claude-3-5-sonnet-20240620-v1:0",
        deployment="api", context_len=200000,
        predicted=Figures(decode_tok_s=57.0, ttft_ms=650.0, accuracy=81.4, accuracy_low=80.7, accuracy_high=81.7),
        basis={"decode_tok_s": FigureBasis(basis="measured", source="artificial-analysis: hosted speeds"),
               "accuracy": FigureBasis(basis="measured", source="open-llm-leaderboard: HF")},
        usd_per_1m_tokens=4.2, meets_requirements=True, utility=0.55, license="proprietary (API)",
        why=["Hosted API at about $4.20 per 1M tokens for this workload"],
    )
