"""The questionnaire's task names, in a module light enough for the TUI's first paint (the
pydantic schema imports them from here)."""

from __future__ import annotations

TASKS: tuple[str, ...] = (
    "chat",
    "code",
    "summarization",
    "extraction",
    "classification",
    "rag",
    "translation",
    "math",
    "reasoning",
    "creative-writing",
    "agent",
)
