"""Which published benchmarks stand for each task. Accuracy for a task is the mean of the
model's scores on these benchmarks (measured where published, predicted otherwise), so the
choice is visible and reviewable here. Weights favour the benchmark closest to the task."""

from __future__ import annotations

TASK_BENCHMARKS: dict[str, dict[str, float]] = {
    "chat": {"MMLU": 1.0, "IFEval": 1.0, "Arena-Hard": 1.0, "MMLU-Pro": 0.5},
    "code": {"HumanEval": 1.0, "MBPP": 1.0, "HumanEval+": 0.7, "MBPP+": 0.7, "LiveCodeBench": 0.7},
    "summarization": {"IFEval": 1.0, "DROP (F1)": 1.0, "MMLU": 0.7},
    "extraction": {"IFEval": 1.0, "DROP (F1)": 1.0, "MMLU": 0.5},
    "classification": {"MMLU": 1.0, "MMLU-Pro": 1.0, "BBH": 0.7},
    "rag": {"DROP (F1)": 1.0, "MMLU": 1.0, "IFEval": 0.7, "TriviaQA": 0.5},
    "translation": {"Flores-101 (Qwen Multi-Translation)": 1.0, "MMMLU": 1.0, "MGSM": 0.5, "MMLU": 0.5},
    "math": {"GSM8K": 1.0, "MATH": 1.0, "MATH-500": 0.7, "AIME 2024": 0.3},
    "reasoning": {"BBH": 1.0, "GPQA": 1.0, "MMLU-Pro": 1.0, "GPQA-Diamond": 0.5},
    "creative-writing": {"Creative Writing v3": 1.0, "WritingBench": 1.0, "Arena-Hard": 0.7, "IFEval": 0.5},
    "agent": {"BFCL v3": 1.0, "IFEval": 1.0, "BBH": 0.7, "Arena-Hard": 0.5},
}
