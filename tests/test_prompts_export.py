"""Exports to promptfoo, Prompty and llm templates."""

from __future__ import annotations

from pathlib import Path

import yaml

from _prompt_helpers import make_library
from advisor.prompts.export import export_library
from advisor.prompts.library import load_library

IDS = {"code.review-diff", "code.system", "code.guardrail", "code.examples", "code.plain"}


def _lib(tmp_path: Path):
    return load_library([make_library(tmp_path / "lib")])


def test_promptfoo(tmp_path: Path) -> None:
    out = tmp_path / "pf"
    export_library(_lib(tmp_path), "promptfoo", out)
    config = yaml.safe_load((out / "promptfooconfig.yaml").read_text())
    assert {p["label"] for p in config["prompts"]} == IDS
    for p in config["prompts"]:
        assert (out / p["id"].removeprefix("file://")).is_file()
    (test,) = config["tests"]
    assert test["prompts"] == ["code.review-diff"]
    assert test["vars"]["diff"] == "+ x = y.z"
    assert {"type": "is-json", "value": {"type": "object", "required": ["issues"]}} in test["assert"]
    assert config["providers"]


def test_prompty(tmp_path: Path) -> None:
    out = tmp_path / "prompty"
    files = export_library(_lib(tmp_path), "prompty", out)
    assert {f.name.removesuffix(".prompty") for f in files} == IDS
    for f in files:
        text = f.read_text()
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        assert {"name", "description", "model", "inputs"} <= set(meta)
        assert body.startswith(("system:\n", "user:\n"))
    review = yaml.safe_load((out / "code.review-diff.prompty").read_text().split("---\n")[1])
    assert review["inputs"]["language"] == {"type": "string", "default": "python"}
    assert review["model"]["parameters"]["max_tokens"] == 800


def test_llm_templates(tmp_path: Path) -> None:
    out = tmp_path / "llm"
    files = export_library(_lib(tmp_path), "llm", out)
    assert {f.name.removesuffix(".yaml") for f in files} == IDS
    review = yaml.safe_load((out / "code.review-diff.yaml").read_text())
    assert "$diff" in review["prompt"] and "$language" in review["prompt"] and "{{" not in review["prompt"]
    assert review["defaults"] == {"language": "python", "domain": "general"}
    system = yaml.safe_load((out / "code.system.yaml").read_text())
    assert "$domain" in system["system"] and set(system) <= {"system", "prompt", "defaults", "schema_object"}
