"""The `advisor prompts` commands, the schema file and import weight."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from _prompt_helpers import make_library, no_catalog, write
from advisor.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["prompts", *args], env=env, catch_exceptions=True)


@pytest.fixture()
def lib_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    no_catalog(monkeypatch)
    return make_library(tmp_path / "lib")


def test_lint_exit_codes_and_json(lib_dir: Path, tmp_path: Path) -> None:
    ok = run("lint", "--dir", str(lib_dir), "--json")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout) == {"ok": True, "files": 5, "errors": []}
    write(tmp_path / "bad", "code/x.prompt.md", "no front matter\n")
    bad = run("lint", str(tmp_path / "bad"), "--json")
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    assert data["ok"] is False and data["errors"][0]["code"] == "no-front-matter"
    assert set(data["errors"][0]) == {"file", "line", "severity", "code", "message"}
    text = run("lint", str(tmp_path / "bad"))
    assert "x.prompt.md:1: error: missing front matter" in text.stdout


def test_lint_strict_fails_on_warnings(tmp_path: Path) -> None:
    write(tmp_path, "code/m.prompt.md", "---\nid: code.m\nversion: 1.0.0\ntitle: M\ntask: code\n"
          "kind: template\nvariables:\n  text: {type: string}\n---\n{{ text }}\n")
    assert run("lint", str(tmp_path)).exit_code == 0
    assert run("lint", str(tmp_path), "--strict").exit_code == 1


def test_env_path_replaces_bundled_and_with_bundled_adds_it(lib_dir: Path) -> None:
    env = {"ADVISOR_PROMPTS_PATH": str(lib_dir)}
    listed = json.loads(run("list", "--json", env=env).stdout)
    assert {r["id"] for r in listed} == {"code.review-diff", "code.system", "code.guardrail",
                                         "code.examples", "code.plain"}
    both = json.loads(run("list", "--json", "--with-bundled", env=env).stdout)
    assert len(both) >= len(listed)
    only_task = json.loads(run("list", "--json", "--task", "chat", "--dir", str(lib_dir)).stdout)
    assert only_task == []


def test_show_and_render(lib_dir: Path, tmp_path: Path) -> None:
    shown = run("show", "code.review-diff", "--dir", str(lib_dir))
    assert shown.exit_code == 0 and "diff: string, required" in shown.stdout and "{{ diff }}" in shown.stdout
    rendered = run("render", "code.review-diff", "--dir", str(lib_dir), "--var", "diff=+ a", "--var",
                   "language=go")
    assert rendered.exit_code == 0 and "Review this go diff" in rendered.stdout
    vars_file = tmp_path / "v.yaml"
    vars_file.write_text("diff: '+ b'\nlanguage: rust\n")
    rendered = run("render", "code.review-diff", "--dir", str(lib_dir), "--vars", str(vars_file))
    assert "Review this rust diff" in rendered.stdout


def _main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "advisor", "prompts", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=120)


def test_user_errors_exit_2_with_a_message(lib_dir: Path) -> None:
    missing = _main("render", "code.review-diff", "--dir", str(lib_dir))
    assert missing.returncode == 2 and "missing required variable 'diff'" in missing.stderr
    assert "Traceback" not in missing.stderr
    unknown = _main("show", "code.nope", "--dir", str(lib_dir))
    assert unknown.returncode == 2 and "unknown prompt id 'code.nope'" in unknown.stderr


def test_lint_exit_code_through_main(tmp_path: Path) -> None:
    write(tmp_path, "code/x.prompt.md", "no front matter\n")
    bad = _main("lint", str(tmp_path))
    assert bad.returncode == 1 and "missing front matter" in bad.stdout
    write(tmp_path / "ok", "code/plain.prompt.md", "---\nid: a\nversion: 1.0.0\ntitle: A\ntask: code\n"
          "kind: system\n---\nHello.\n")
    assert _main("lint", str(tmp_path / "ok")).returncode == 0


def test_budget_json(lib_dir: Path) -> None:
    result = run("budget", "code.plain", "--model", "gpt-4o", "--dir", str(lib_dir), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["model"] == "gpt-4o" and data["tokenizer"] == "o200k_base" and data["exact"] is True
    assert data["fits"] is True and data["usd_per_call"] > 0
    text = run("budget", "code.review-diff", "--model", "gpt-4o", "--dir", str(lib_dir))
    assert "worst case" in text.stdout and "fits" in text.stdout


def test_generate_json_and_out(lib_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "gen"
    result = run("generate", "--task", "code", "--model", "gpt-4o", "--domain", "retail", "--dir",
                 str(lib_dir), "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["task"] == "code" and len(data["prompts"]) == 5
    assert {"id", "kind", "text", "tokens", "budget_status"} <= set(data["prompts"][0])
    assert run("lint", str(out)).exit_code == 0


def test_export_command(lib_dir: Path, tmp_path: Path) -> None:
    result = run("export", "--format", "llm", "--out", str(tmp_path / "x"), "--dir", str(lib_dir))
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 5


def test_schema_file_is_up_to_date() -> None:
    from advisor.prompts.format import front_matter_schema_json

    path = ROOT / "prompts" / "front-matter.schema.json"
    assert path.read_text() == front_matter_schema_json(), (
        "regenerate: python -c 'from advisor.prompts.format import front_matter_schema_json as f; "
        "open(\"prompts/front-matter.schema.json\",\"w\").write(f())'")


def test_readme_example_is_valid(tmp_path: Path) -> None:
    import re

    from advisor.prompts.lint import lint_paths

    readme = (ROOT / "prompts" / "README.md").read_text()
    example = re.search(r"```markdown\n(---\n.*?)```", readme, re.S).group(1)
    write(tmp_path, "code/review-diff.prompt.md", example)
    report = lint_paths([tmp_path])
    assert report.errors == [], [i.format() for i in report.errors]


def test_prompt_modules_stay_light() -> None:
    code = ("import sys, advisor.prompts.lint, advisor.prompts.generate, advisor.prompts.export, "
            "advisor.cli_prompts\n"
            "bad = [m for m in ('litellm', 'textual', 'tiktoken', 'sklearn') if m in sys.modules]\n"
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
