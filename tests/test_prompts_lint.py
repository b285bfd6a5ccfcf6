"""Lint: FILE:LINE messages for every kind of broken prompt file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from _prompt_helpers import EXAMPLES, REVIEW, TESTS, make_library, write
from advisor.prompts.lint import lint_paths


def codes(report) -> set[tuple[str, int, str]]:
    return {(Path(i.file).name, i.line, i.code) for i in report.issues}


def test_clean_library(tmp_path: Path) -> None:
    report = lint_paths([make_library(tmp_path)], strict=True)
    assert report.issues == [] and report.ok and report.files == 5


def test_yaml_syntax_error_line(tmp_path: Path) -> None:
    write(tmp_path, "code/bad.prompt.md", "---\nid: x\nversion: 1.0.0\ntitle: [unclosed\ntask: code\n---\nbody\n")
    report = lint_paths([tmp_path])
    (issue,) = report.errors
    assert issue.code == "yaml-syntax" and issue.line in (4, 5) and not report.ok


def test_missing_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "code/none.prompt.md", "Just a body.\n")
    assert codes(lint_paths([tmp_path])) == {("none.prompt.md", 1, "no-front-matter")}


def test_unknown_key_task_kind_and_missing_key(tmp_path: Path) -> None:
    write(tmp_path, "code/bad.prompt.md",
          "---\nid: code.bad\nversion: 1.0.0\ntitle: Bad\ntask: cooking\nkind: recipe\n"
          "colour: red\nvariables:\n  x:\n    type: string\n    max_tokens: 5\n    maxtokens: 3\n---\n{{ x }}\n")
    write(tmp_path, "code/nover.prompt.md", "---\nid: code.nover\ntitle: T\ntask: code\nkind: system\n---\nhi\n")
    got = codes(lint_paths([tmp_path]))
    assert ("bad.prompt.md", 5, "unknown-task") in got
    assert ("bad.prompt.md", 6, "unknown-kind") in got
    assert ("bad.prompt.md", 7, "unknown-key") in got
    assert ("bad.prompt.md", 12, "unknown-key") in got
    assert ("nover.prompt.md", 2, "missing-key") in got


def test_undeclared_and_unused_variables(tmp_path: Path) -> None:
    write(tmp_path, "code/v.prompt.md",
          "---\nid: code.v\nversion: 1.0.0\ntitle: V\ntask: code\nkind: template\nvariables:\n"
          "  used: {type: string, max_tokens: 5}\n  unused: {type: string, max_tokens: 5}\n---\n"
          "line one {{ used }}\n{% for i in range(3) %}{{ loop.index }}{% endfor %}\nline three {{ missing }}\n")
    report = lint_paths([tmp_path])
    got = codes(report)
    assert ("v.prompt.md", 13, "undeclared-variable") in got
    assert ("v.prompt.md", 9, "unused-variable") in got
    assert [i.code for i in report.errors] == ["undeclared-variable"]
    assert "'missing'" in report.errors[0].message


def test_jinja_syntax_error(tmp_path: Path) -> None:
    write(tmp_path, "code/j.prompt.md",
          "---\nid: code.j\nversion: 1.0.0\ntitle: J\ntask: code\nkind: system\n---\nok\n{% if %}\n")
    assert ("j.prompt.md", 9, "jinja-syntax") in codes(lint_paths([tmp_path]))


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    make_library(tmp_path, tests=False)
    write(tmp_path, "code/copy.prompt.md", (tmp_path / "code/system.prompt.md").read_text())
    report = lint_paths([tmp_path])
    dups = [i for i in report.errors if i.code == "duplicate-id"]
    assert len(dups) == 2
    assert {Path(i.file).name for i in dups} == {"copy.prompt.md", "system.prompt.md"}
    assert all(i.line == 2 for i in dups)
    assert "system.prompt.md" in [i for i in dups if i.file.endswith("copy.prompt.md")][0].message


def test_task_folder_mismatch_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "chat/plain.prompt.md", (make_library(tmp_path / "src") / "code/plain.prompt.md").read_text())
    report = lint_paths([tmp_path / "chat"])
    assert codes(report) == {("plain.prompt.md", 5, "task-folder")}
    assert report.ok and not lint_paths([tmp_path / "chat"], strict=True).ok


def test_example_files(tmp_path: Path) -> None:
    write(tmp_path, "code/e1.prompt.md", EXAMPLES.replace("id: code.examples", "id: code.e1")
          .replace("edge case, empty input", "empty input"))
    write(tmp_path, "code/e2.prompt.md", "---\nid: code.e2\nversion: 1.0.0\ntitle: E\ntask: code\n"
          "kind: example\n---\nNo sections here.\n")
    got = codes(lint_paths([tmp_path]))
    assert ("e1.prompt.md", 6, "example-edge-case") in got
    assert ("e2.prompt.md", 6, "example-sections") in got


def test_no_max_tokens_warning(tmp_path: Path) -> None:
    write(tmp_path, "code/m.prompt.md", "---\nid: code.m\nversion: 1.0.0\ntitle: M\ntask: code\n"
          "kind: template\nvariables:\n  text: {type: string}\n---\n{{ text }}\n")
    assert codes(lint_paths([tmp_path])) == {("m.prompt.md", 8, "no-max-tokens")}


def test_over_window_of_tested_on_model(tmp_path: Path) -> None:
    write(tmp_path, "code/review-diff.prompt.md", REVIEW.replace(
        "tested_on: [gpt-4o]", "tested_on: [gpt-4o, cloudflare/@cf/meta/llama-2-7b-chat-int8]"))
    report = lint_paths([tmp_path])
    (issue,) = report.errors
    assert issue.code == "token-budget" and issue.line == 34
    assert "2048" in issue.message and "llama-2-7b-chat-int8" in issue.message


def test_tests_file_problems(tmp_path: Path) -> None:
    make_library(tmp_path, tests=False)
    write(tmp_path, "code/review-diff.tests.yaml",
          "cases:\n"
          "  - name: unknown var\n"
          "    vars: {diff: x, colour: red}\n"
          "    assert:\n"
          "      - {type: regex, value: '(unclosed'}\n"
          "  - name: missing required\n"
          "    vars: {language: cobol}\n"
          "    assert:\n"
          "      - {type: json_schema, value: {type: objekt}}\n"
          "      - {type: smells-like, value: x}\n")
    got = codes(lint_paths([tmp_path]))
    assert ("review-diff.tests.yaml", 3, "tests-unknown-variable") in got
    assert ("review-diff.tests.yaml", 5, "tests-regex") in got
    assert ("review-diff.tests.yaml", 6, "tests-missing-variable") in got
    assert ("review-diff.tests.yaml", 7, "tests-invalid-value") in got
    assert ("review-diff.tests.yaml", 10, "invalid-value") in got  # unknown assertion type


def test_tests_file_json_schema_checked(tmp_path: Path) -> None:
    make_library(tmp_path, tests=False)
    write(tmp_path, "code/review-diff.tests.yaml", TESTS.replace("{type: object, required: [issues]}",
                                                                  "{type: objekt}"))
    assert ("review-diff.tests.yaml", 7, "tests-json-schema") in codes(lint_paths([tmp_path]))


def test_orphan_tests_file(tmp_path: Path) -> None:
    write(tmp_path, "code/lonely.tests.yaml", TESTS)
    assert codes(lint_paths([tmp_path])) == {("lonely.tests.yaml", 1, "orphan-tests")}


def test_order_is_deterministic(tmp_path: Path) -> None:
    write(tmp_path, "code/b.prompt.md", "no front matter\n")
    write(tmp_path, "code/a.prompt.md", "no front matter\n")
    report = lint_paths([tmp_path])
    assert [Path(i.file).name for i in report.issues] == ["a.prompt.md", "b.prompt.md"]
    assert report.as_dict() == lint_paths([tmp_path]).as_dict()


def test_bundled_library_is_lint_clean_and_fast() -> None:
    from advisor.config import bundled_prompts_dir

    root = bundled_prompts_dir()
    if not any(root.rglob("*.prompt.md")):
        pytest.skip("no bundled prompts yet")
    lint_paths([root])  # warm up: imports, tokenizer files
    start = time.perf_counter()
    report = lint_paths([root])
    elapsed = time.perf_counter() - start
    assert report.errors == [], "\n".join(i.format() for i in report.errors)
    assert elapsed < 1.0
