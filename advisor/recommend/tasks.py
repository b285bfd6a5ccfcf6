"""Which published benchmarks stand for each task. Accuracy for a task is the mean of the
model's scores on these benchmarks (measured where published, predicted otherwise), so the
choice is visible and reviewable here. Weights favour the benchmark closest to the task."""

from __future__ import annotations

# Newer benchmarks join the older ones where they measure the task better and are what the
# makers of 2025-2026 models report: HumanEval/MBPP/GSM8K are saturated (most current models
# score 85-95) and long public, so they weigh less; LiveCodeBench (problems published after the
# training cut-off), Aider Polyglot (editing real code) and SWE-bench Verified (resolving real
# issues, scaffold-dependent: a lower weight) for code; AIME 2025 and HMMT 2025 for math;
# GPQA-Diamond and HLE for reasoning; tau2-bench (multi-turn tool use) for agents; Arena-Hard v2
# for chat; LongBench v2 (long documents) for RAG; IFBench for instruction-following tasks.
TASK_BENCHMARKS: dict[str, dict[str, float]] = {
    "chat": {"MMLU": 0.7, "IFEval": 1.0, "Arena-Hard": 1.0, "Arena-Hard v2": 1.0, "MMLU-Pro": 0.7},
    "code": {"HumanEval": 0.5, "MBPP": 0.5, "HumanEval+": 0.7, "MBPP+": 0.7, "LiveCodeBench": 1.0,
             "LiveCodeBench v6": 1.0, "Aider Polyglot": 0.7, "SWE-bench Verified": 0.5},
    "summarization": {"IFEval": 1.0, "DROP (F1)": 1.0, "MMLU": 0.7, "IFBench": 0.5},
    "extraction": {"IFEval": 1.0, "DROP (F1)": 1.0, "MMLU": 0.5, "IFBench": 0.5},
    "classification": {"MMLU": 1.0, "MMLU-Pro": 1.0, "BBH": 0.7},
    "rag": {"DROP (F1)": 1.0, "MMLU": 1.0, "IFEval": 0.7, "TriviaQA": 0.5, "LongBench v2": 0.7},
    "translation": {"Flores-101 (Qwen Multi-Translation)": 1.0, "MMMLU": 1.0, "MGSM": 0.5, "MMLU": 0.5},
    "math": {"GSM8K": 0.5, "MATH": 1.0, "MATH-500": 1.0, "AIME 2024": 0.7, "AIME 2025": 1.0, "HMMT 2025": 0.5},
    "reasoning": {"BBH": 1.0, "GPQA": 1.0, "MMLU-Pro": 1.0, "GPQA-Diamond": 1.0, "HLE": 0.3},
    "creative-writing": {"Creative Writing v3": 1.0, "WritingBench": 1.0, "Arena-Hard": 0.7, "IFEval": 0.5},
    "agent": {"BFCL v3": 1.0, "IFEval": 0.7, "tau2-bench Retail": 1.0, "tau2-bench Airline": 0.7,
              "tau2-bench Telecom": 0.7, "BBH": 0.5, "Arena-Hard": 0.5},
}
