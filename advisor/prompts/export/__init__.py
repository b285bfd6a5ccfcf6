"""Exporting the library to other tools' formats, each for the current major version of the
tool and checked against the tool itself (tests/test_prompts_export_tools.py):

- `promptfoo` (0.121): `promptfooconfig.yaml`, `prompts/<id>.txt`, `filters/py.cjs` (`promptfoo.py`);
- `prompty` (2.x): one `<id>.prompty` per prompt (`prompty.py`);
- `llm` (0.2x-0.3x): one `<id>.yaml` template per prompt (`llm.py`).

Where a target cannot express a feature of a prompt, the export writes the closest thing
and says so in the result's `notes` (one per file; the command prints them as `FILE: note`
and the YAML files carry them as comments), never silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from advisor.prompts.export.common import ExportResult
from advisor.prompts.library import Library

__all__ = ["ExportResult", "FORMATS", "Format", "export_library"]

Format = Literal["promptfoo", "prompty", "llm"]
FORMATS: tuple[str, ...] = ("promptfoo", "prompty", "llm")
DEFAULT_MODEL = "gpt-4o-mini"


def export_library(lib: Library, fmt: str, out: Path, model: str | None = None) -> ExportResult:
    """Export every valid prompt of `lib` to `out` in format `fmt`. `model`: the model (or, for
    promptfoo, `provider:model`) written into the export."""
    from advisor.errors import InputError

    if fmt == "promptfoo":
        from advisor.prompts.export.promptfoo import export_promptfoo

        provider = model if model and ":" in model else f"openai:{model or DEFAULT_MODEL}"
        return export_promptfoo(lib, out, provider=provider)
    if fmt == "prompty":
        from advisor.prompts.export.prompty import export_prompty

        return export_prompty(lib, out, model=model or DEFAULT_MODEL)
    if fmt == "llm":
        from advisor.prompts.export.llm import export_llm

        return export_llm(lib, out, model=model)
    raise InputError(f"unknown export format '{fmt}' (expected one of: {', '.join(FORMATS)})")
