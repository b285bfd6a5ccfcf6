"""The prompt library: file format, discovery, linting, rendering, token budgets,
generation of prompt sets for a model, and exports to other tools.

Modules (one job each): `format` (front matter models), `parse` (file -> PromptFile with
line numbers), `library` (discovery), `lint`, `render`, `budget`, `generate`, `export`.
Nothing here imports litellm or textual at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["generate_prompt_set", "load_library", "lint_paths", "render_prompt", "prompt_budget"]

if TYPE_CHECKING:  # pragma: no cover
    from advisor.prompts.budget import prompt_budget
    from advisor.prompts.generate import generate_prompt_set
    from advisor.prompts.library import load_library
    from advisor.prompts.lint import lint_paths
    from advisor.prompts.render import render_prompt

_LAZY = {
    "generate_prompt_set": "advisor.prompts.generate",
    "load_library": "advisor.prompts.library",
    "lint_paths": "advisor.prompts.lint",
    "render_prompt": "advisor.prompts.render",
    "prompt_budget": "advisor.prompts.budget",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'advisor.prompts' has no attribute {name!r}")
