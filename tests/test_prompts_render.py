"""Rendering: strict variables, allowed values, defaults, sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from _prompt_helpers import make_library, write
from advisor.errors import InputError, NotFoundError
from advisor.prompts.library import load_library
from advisor.prompts.render import render_prompt


@pytest.fixture()
def lib(tmp_path: Path):
    return load_library([make_library(tmp_path)])


def test_render_applies_defaults(lib) -> None:
    text = render_prompt(lib.get("code.review-diff"), {"diff": "+ x = 1"})
    assert "Review this python diff for a general team." in text
    assert "+ x = 1" in text


def test_missing_required_variable_is_named(lib) -> None:
    with pytest.raises(InputError, match="missing required variable 'diff'"):
        render_prompt(lib.get("code.review-diff"), {})


def test_value_outside_allowed_is_named(lib) -> None:
    with pytest.raises(InputError, match="variable 'language': 'cobol' is not allowed"):
        render_prompt(lib.get("code.review-diff"), {"diff": "x", "language": "cobol"})


def test_unknown_variable_is_named(lib) -> None:
    with pytest.raises(InputError, match="unknown variable 'colour'"):
        render_prompt(lib.get("code.review-diff"), {"diff": "x", "colour": "red"})


def test_unknown_prompt_suggests(lib) -> None:
    with pytest.raises(NotFoundError, match="did you mean: code.review-diff"):
        lib.get("code.review-dif")


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    write(tmp_path, "code/evil.prompt.md",
          "---\nid: evil\nversion: 1.0.0\ntitle: Evil\ntask: code\nkind: template\n---\n"
          "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    pf = load_library([tmp_path]).get("evil")
    with pytest.raises(InputError):
        render_prompt(pf, {})


def test_type_coercion_from_strings(tmp_path: Path) -> None:
    write(tmp_path, "math/n.prompt.md",
          "---\nid: n\nversion: 1.0.0\ntitle: N\ntask: math\nkind: template\nvariables:\n"
          "  n: {type: integer}\n  items: {type: list, max_tokens: 50}\n  flag: {type: boolean, required: false}\n"
          "---\n{{ n + 1 }} {{ items | join('/') }} {{ flag }}\n")
    pf = load_library([tmp_path]).get("n")
    assert render_prompt(pf, {"n": "41", "items": "a, b"}) == "42 a/b False\n"
    with pytest.raises(InputError, match="variable 'n': 'x' is not a integer"):
        render_prompt(pf, {"n": "x", "items": "a"})
