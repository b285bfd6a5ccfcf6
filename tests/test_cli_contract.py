"""The console contract of `advisor` for the catalog, predictor and recommender commands:
help lists them, user errors are one `error:` line (or click's usage message) and exit 2,
never a traceback; data goes to stdout, messages to stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from advisor.cli import LAZY_COMMANDS
from _cli_helpers import run_main




def test_help_and_version_through_the_console_script() -> None:
    env = dict(os.environ)
    r = subprocess.run([sys.executable, "-m", "advisor", "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    for name in ("catalog", "predict", "model", "recommend", "schema"):
        assert name in r.stdout
    v = subprocess.run([sys.executable, "-m", "advisor", "--version"], capture_output=True, text=True, env=env,
                       timeout=120)
    assert v.returncode == 0 and "advisor" in v.stdout


@pytest.mark.parametrize("args", [
    ["catalog", "--help"], ["catalog", "import", "--help"], ["catalog", "export", "--help"],
    ["predict", "--help"], ["model", "evaluate", "--help"], ["recommend", "--help"], ["schema", "--help"],
])
def test_subcommand_help(capsys, monkeypatch, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(args, capsys, monkeypatch)
    assert rc == 0, err
    assert "Usage:" in out and err == ""


def test_lazy_commands_resolve() -> None:
    import importlib

    for name in ("catalog", "predict", "model", "recommend", "schema"):
        module, attr, _ = LAZY_COMMANDS[name]
        assert hasattr(importlib.import_module(module), attr)


@pytest.mark.parametrize("args,needle", [
    (["catalog", "show", "no-such-model-xyz"], "no-such-model-xyz"),
    (["catalog", "stats", "--bogus"], "--bogus"),
    (["catalog", "export", "--format", "xml"], "xml"),
    (["catalog", "import", "/nonexistent/dir/m.csv"], "/nonexistent/dir/m.csv"),
    (["predict"], "--input"),
    (["recommend", "--task", "chat", "--hardware", "Quantum Abacus 9000"], "Quantum Abacus 9000"),
    (["recommend", "--input", "/nonexistent/q.json"], "/nonexistent/q.json: cannot read"),
    (["recommend", "--task", "chat", "--min-accuracy", "101"], "requirements.min_accuracy (--min-accuracy)"),
    (["tui", "--answers", "/nonexistent/q.json"], "/nonexistent/q.json"),
    (["schema", "nonsense"], "nonsense"),
    (["no-such-command"], "no-such-command"),
])
def test_user_errors_exit_2_without_traceback(capsys, monkeypatch, args: list[str], needle: str) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(args, capsys, monkeypatch)
    assert rc == 2, (out, err)
    assert needle in err
    assert "Traceback" not in err
    assert out == ""


def test_unknown_name_errors_suggest(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(["catalog", "show", "Mistral-7B-Instruct-v0.9"], capsys, monkeypatch)
    assert rc == 2
    assert err.startswith("error: ") and "closest" in err and "Mistral-7B-Instruct" in err


@pytest.mark.parametrize("name", ["questionnaire", "recommendation", "predict-request", "predict-result"])
def test_schema_outputs_json(capsys, monkeypatch, name: str) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(["schema", name], capsys, monkeypatch)
    assert rc == 0, err
    schema = json.loads(out)
    assert schema["type"] == "object" and schema["properties"]


def test_schema_forbids_unknown_keys_in_inputs(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rc, out, _ = run_main(["schema", "questionnaire"], capsys, monkeypatch)
    s = json.loads(out)
    assert s.get("additionalProperties") is False
    assert all(d.get("additionalProperties") is False for d in s["$defs"].values() if d.get("type") == "object")
