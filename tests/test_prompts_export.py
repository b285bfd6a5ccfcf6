"""Exports to promptfoo, Prompty and llm templates: the files' shape, the body rewrites and
the regex translation (tests/test_prompts_export_tools.py runs the real tools on them)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from _prompt_helpers import make_library, write
from advisor.prompts.export import export_library
from advisor.prompts.export.common import explicit_whitespace, plain_environment, same_rendering
from advisor.prompts.jsregex import Untranslatable, to_js
from advisor.prompts.library import load_library
from advisor.prompts.render import environment

IDS = {"code.review-diff", "code.system", "code.guardrail", "code.examples", "code.plain"}


def _lib(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_library([make_library(tmp_path / "lib")])


def _front(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text().split("---\n")[1])


def test_promptfoo(tmp_path: Path) -> None:
    out = tmp_path / "pf"
    res = export_library(_lib(tmp_path), "promptfoo", out)
    config = yaml.safe_load((out / "promptfooconfig.yaml").read_text())
    assert {p["label"] for p in config["prompts"]} == IDS
    for p in config["prompts"]:
        assert (out / p["id"].removeprefix("file://")).is_file()
    review = next(p for p in config["prompts"] if p["label"] == "code.review-diff")
    assert review["config"] == {"temperature": 0.2, "max_tokens": 800}
    (test,) = config["tests"]
    assert test["prompts"] == ["code.review-diff"]
    assert test["vars"] == {"diff": "+ x = y.z", "language": "python", "domain": "general"}  # every variable resolved
    assert {"type": "is-json", "value": {"type": "object", "required": ["issues"]}} in test["assert"]
    assert {"type": "regex", "value": "[sS][eE][vV][eE][rR][iI][tT][yY]"} in test["assert"]  # (?i) without flags
    assert config["providers"] == ["openai:gpt-4o-mini"] and config["nunjucksFilters"] == {"py": "filters/py.cjs"}
    assert (out / "filters" / "py.cjs").is_file() and res.files[0] == out / "promptfooconfig.yaml"


def test_promptfoo_lists_whole_and_printed_as_python(tmp_path: Path) -> None:
    root = make_library(tmp_path / "lib", tests=False)
    write(root, "code/labels.prompt.md", "---\nid: code.labels\nversion: 1.0.0\ntitle: L\ntask: code\n"
          "kind: template\nvariables:\n  labels: {type: list, max_tokens: 20}\n  n: {type: integer, required: false, default: 3}\n"
          "---\n{% if labels %}\nLabels: {{ labels }} ({{ n }})\n{% endif %}\n")
    write(root, "code/labels.tests.yaml", "cases:\n  - name: two\n    vars: {labels: [a, b]}\n"
          "    assert:\n      - {type: contains, value: '{{ x }}'}\n")
    out = tmp_path / "pf"
    export_library(load_library([root]), "promptfoo", out)
    text = (out / "prompts" / "code.labels.txt").read_text()
    assert text == '{% if labels | length %}Labels: {{ labels | py("list") }} ({{ n | py("integer") }})\n{% endif %}'
    (test,) = yaml.safe_load((out / "promptfooconfig.yaml").read_text())["tests"]
    assert test["vars"]["labels"] == ["a", "b"] and test["options"] == {"disableVarExpansion": True}
    assert test["assert"] == [{"type": "contains", "value": "{% raw %}{{ x }}{% endraw %}"}]


def test_prompty(tmp_path: Path) -> None:
    out = tmp_path / "prompty"
    res = export_library(_lib(tmp_path), "prompty", out, model="gpt-4o")
    assert {f.name.removesuffix(".prompty") for f in res.files} == IDS
    for f in res.files:
        _, _, body = f.read_text().split("---\n", 2)
        assert body.startswith(("system:\n", "user:\n"))
    review = _front(out / "code.review-diff.prompty")
    assert review["inputs"]["language"] == {"kind": "string", "required": False, "default": "python",
                                            "enumValues": ["python", "typescript", "go", "rust", "java"]}
    assert review["inputs"]["diff"]["kind"] == "string" and review["inputs"]["diff"]["required"] is True
    assert review["model"] == {"id": "gpt-4o", "provider": "openai", "apiType": "chat",
                               "options": {"temperature": 0.2, "maxOutputTokens": 800}}
    assert review["template"] == {"format": {"kind": "jinja2"}, "parser": {"kind": "prompty"}}


def test_llm_templates(tmp_path: Path) -> None:
    out = tmp_path / "llm"
    res = export_library(_lib(tmp_path), "llm", out)
    assert {f.name.removesuffix(".yaml") for f in res.files} == IDS
    review = yaml.safe_load((out / "code.review-diff.yaml").read_text())
    assert "$diff" in review["prompt"] and "$language" in review["prompt"] and "{{" not in review["prompt"]
    assert review["defaults"] == {"language": "python", "domain": "general"}
    assert review["options"] == {"temperature": 0.2, "max_tokens": 800}
    notes = [n for p, n in res.notes if p.name == "code.review-diff.yaml"]
    assert notes == ["text under {% if diff %} is always included (llm templates have no conditionals)"]
    assert (out / "code.review-diff.yaml").read_text().startswith("# advisor prompts export --format llm")
    system = yaml.safe_load((out / "code.system.yaml").read_text())
    assert "$domain" in system["system"] and set(system) <= {"system", "prompt", "defaults", "schema_object", "options"}


def test_llm_boolean_switch_and_typed_values_stay_variables(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    write(root, "code/t.prompt.md", "---\nid: code.t\nversion: 1.0.0\ntitle: T\ntask: code\nkind: template\n"
          "variables:\n  tests: {type: boolean, required: false, default: true}\n"
          "  words: {type: integer, required: false, default: 150}\n  note: {type: string, required: false, max_tokens: 5}\n"
          "---\nAt most {{ words }} words, costs $5.\n{% if tests %}\n- add tests\n{% endif %}\n{{ note }}x\n")
    res = export_library(load_library([root]), "llm", tmp_path / "llm")
    data = yaml.safe_load((tmp_path / "llm" / "code.t.yaml").read_text())
    assert data["prompt"] == "At most $words words, costs $$5.\n$tests${note}x\n"
    assert data["defaults"] == {"tests": "- add tests\n", "words": "150", "note": ""}
    assert any("'tests' stands for the text it switches on" in n for _, n in res.notes)


def test_cli_prints_files_and_notes(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib")
    run = subprocess.run([sys.executable, "-m", "advisor", "prompts", "export", "--format", "llm", "--dir", str(lib),
                          "--out", str(tmp_path / "o")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 5
    assert "code.review-diff.yaml: note: text under {% if diff %}" in run.stderr


# --------------------------------------------------------------------------- body rewrites


@pytest.mark.parametrize("body", [
    "a\n  {% if x %}\n  b\n  {% endif %}\nc\n", "{% if x %}y{% endif %}  {% if x %}z{% endif %}\n",
    "x {# c #}\n  {# d #}\ny", "  {%- if x %}\n a\n{% endif -%}\n\n b", "\t{% if x +%}\nq\n{%+ endif %}\n",
    "{% if x %}\r\nb{% endif %}", "{{ x }}  {% if x %}\nq{% endif %}",
])
def test_explicit_whitespace_renders_as_trim_and_lstrip(body: str) -> None:
    plain = explicit_whitespace(body)
    assert plain is not None
    for x in ("v", ""):
        assert plain_environment().from_string(plain).render(x=x) == environment().from_string(body).render(x=x)


def test_explicit_whitespace_on_the_bundled_library() -> None:
    for pf in load_library().valid():
        assert same_rendering(pf, explicit_whitespace(pf.body) or ""), pf.display


# --------------------------------------------------------------------------- regexes for JavaScript


@pytest.mark.parametrize("py,js", [
    ("(?i)ab", "[aA][bB]"),
    ("(?i:x)y", "(?:[xX])y"),
    ("(?s)a.b", "a[\\s\\S]b"),
    ("a.b", "a[^\\n]b"),
    ("(?m)^x$", "(?:^|(?<=\\n))x(?=\\n|$)"),
    ("^x$", "^x(?=\\n?$)"),
    ("\\Ax\\Z", "^x$"),
    ("(?i)[a-c_]", "[a-c_A-C]"),
    ("(?P<n>a)(?P=n)", "(?<n>a)\\k<n>"),
    ("a{,3}", "a{0,3}"),
    ("[]a]", "[\\]a]"),
    ("(?x) a b # c", "ab"),
    ("x(?#note)y", "xy"),
])
def test_to_js(py: str, js: str) -> None:
    assert to_js(py)[0] == js


@pytest.mark.parametrize("py", ["(a)?(?(1)b|c)", "(?>ab)", "a++", "\\N{BULLET}"])
def test_to_js_untranslatable(py: str) -> None:
    with pytest.raises(Untranslatable):
        to_js(py)


def test_to_js_caveats() -> None:
    assert to_js("\\w+")[1] == ["\\w matches ASCII only in JavaScript (Unicode in Python)"]
    assert to_js("(?a)\\w+")[1] == []


def test_lint_checks_regexes_for_javascript(tmp_path: Path) -> None:
    from advisor.prompts.lint import lint_paths

    root = make_library(tmp_path / "lib", tests=False)
    write(root, "code/review-diff.tests.yaml", "cases:\n  - name: c\n    vars: {diff: d}\n    assert:\n"
          "      - {type: regex, value: 'a++'}\n      - {type: regex, value: '\\w'}\n")
    report = lint_paths([root])
    js = [i for i in report.issues if i.code == "tests-regex-js"]
    assert [(i.severity, i.line) for i in js] == [("error", 5), ("info", 6)]
    assert "possessive" in js[0].message and not report.ok
    assert re.search(r"review-diff\.tests\.yaml:5: error: .*cannot run in promptfoo", js[0].format())
