"""The exports of the bundled library, read by the real tools (not our idea of them):

- Prompty 2 (`prompty[jinja2]`, test extra): every file loads, keeps its model and parameters,
  and renders with every test case's variables to the text the library renders;
- llm (test extra): every template runs with only its required variables, every typed variable
  changes the text, and templates without conditional text render as the library does;
- promptfoo (Node and the promptfoo `.ci/run` installs, else skipped): `promptfoo validate`;
  an eval with the `echo` provider (one result per case, no invalid regex, every prompt as the
  library renders it, every regex verdict as Python's); an eval of a few prompts against a
  local llama.cpp server (llama-cpp-python) serving a random-weight model.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.prompts.export import ExportResult, export_library
from advisor.prompts.library import load_library
from advisor.prompts.parse import PromptFile, parse_tests_file
from advisor.prompts.render import render_prompt

N_PROMPTS = 55


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, ExportResult]]:
    """The bundled library exported once in each format."""
    lib = load_library()
    out = tmp_path_factory.mktemp("export")
    return {fmt: (out / fmt, export_library(lib, fmt, out / fmt)) for fmt in ("promptfoo", "prompty", "llm")}


def _cases(pf: PromptFile) -> list[Any]:
    if not pf.tests_path.is_file():
        return []
    parsed, _, _ = parse_tests_file(pf.tests_path)
    return [c for c in (parsed.cases if parsed else []) if c is not None]


# --------------------------------------------------------------------------- Prompty 2


def test_prompty_loads_and_renders_every_file(exported) -> None:  # type: ignore[no-untyped-def]
    prompty = pytest.importorskip("prompty", reason="prompty[jinja2] (the test extra) is not installed")
    folder, _ = exported["prompty"]
    done = 0
    for pf in load_library().valid():
        meta = pf.meta
        assert meta is not None
        agent = prompty.load(folder / f"{meta.id}.prompty")
        assert (agent.model.id, agent.model.provider, agent.model.api_type) == ("gpt-4o-mini", "openai", "chat")
        opts = agent.model.options
        assert opts is not None, meta.id
        assert (opts.temperature, opts.top_p, opts.max_output_tokens) == (
            meta.params.temperature, meta.params.top_p, meta.params.max_output_tokens), meta.id
        role = "system" if meta.kind in ("system", "guardrail") else "user"
        for values in [c.vars for c in _cases(pf)] or [{}]:
            messages = prompty.prepare(agent, dict(values))
            assert [m.role for m in messages] == [role], meta.id
            text = "".join(p.value for p in messages[0].parts)
            assert text.strip() == render_prompt(pf, values).strip(), meta.id
        done += 1
    assert done == N_PROMPTS


# --------------------------------------------------------------------------- llm


def _llm_value(pf: PromptFile, name: str, value: Any) -> str | None:
    """A test case's value as an llm `-p` parameter (None: leave it to the default)."""
    from advisor.prompts.export.llm import _printed
    from advisor.prompts.render import coerce

    var = pf.meta.variables[name]  # type: ignore[union-attr]
    value = coerce(name, var, value)
    if var.type == "boolean":
        return None if value == var.default else ""
    return value if isinstance(value, str) else _printed(value)


def test_llm_templates_run_and_typed_variables_change_the_text(exported) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("llm", reason="llm (the test extra) is not installed")
    from llm.cli import load_template

    folder, result = exported["llm"]
    conditional = {p.name for p, n in result.notes if n.startswith("text under")}
    runs = typed = changed = exact = 0
    for pf in load_library().valid():
        meta = pf.meta
        assert meta is not None
        template = load_template(str(folder / f"{meta.id}.yaml"))
        required = {k: "X" for k, v in meta.variables.items() if v.required and v.default is None}
        base = template.evaluate("", dict(required))  # raises MissingVariables if a default is missing
        runs += 1
        for name, var in meta.variables.items():
            if var.type in ("integer", "number", "boolean"):
                typed += 1
                other = {"integer": "7", "number": "2.5", "boolean": ""}[var.type]
                changed += template.evaluate("", {**required, name: other}) != base
        if f"{meta.id}.yaml" in conditional:
            continue
        for case in _cases(pf):
            params = {k: v for k, v in ((k, _llm_value(pf, k, v)) for k, v in case.vars.items()) if v is not None}
            prompt, system = template.evaluate("", params)
            assert (prompt if "prompt" in template.model_fields_set else system) == render_prompt(pf, case.vars), meta.id
            exact += 1
    assert (runs, changed) == (N_PROMPTS, typed) and typed == 8
    assert exact > 0


# --------------------------------------------------------------------------- promptfoo


def _promptfoo() -> list[str]:
    """The promptfoo command, or a skip saying why there is none."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed: promptfoo cannot run")
    folder = Path(os.environ.get("ADVISOR_PROMPTFOO_DIR", Path.home() / ".cache" / "advisor-promptfoo"))
    binary = folder / "node_modules" / ".bin" / "promptfoo"
    if not binary.exists():
        found = shutil.which("promptfoo")
        if found is None:
            pytest.skip(f"promptfoo is not installed ({binary} missing; .ci/run installs it)")
        binary = Path(found)
    return [str(binary)]


def _run_promptfoo(args: list[str], cwd: Path, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PROMPTFOO_CONFIG_DIR": str(home), "PROMPTFOO_DISABLE_TELEMETRY": "1",
           "PROMPTFOO_DISABLE_UPDATE": "1", "PROMPTFOO_DISABLE_DEBUG_LOG": "1", "PROMPTFOO_DISABLE_ERROR_LOG": "1",
           "NO_COLOR": "1"}
    return subprocess.run([*_promptfoo(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _eval(config: Path, out: Path, home: Path, *extra: str) -> list[dict[str, Any]]:
    run = _run_promptfoo(["eval", "-c", config.name, "-o", str(out), "--no-cache", "--no-write", "--no-table",
                          "--no-progress-bar", *extra], config.parent, home)
    assert run.returncode in (0, 100), run.stdout[-2000:] + run.stderr[-2000:]  # 100: some assertions failed
    return json.loads(out.read_text())["results"]["results"]  # type: ignore[no-any-return]


def _library_cases() -> dict[str, tuple[PromptFile, Any]]:
    return {f"{pf.meta.id}: {c.name}": (pf, c) for pf in load_library().valid() for c in _cases(pf)}  # type: ignore[union-attr]


def test_promptfoo_validate_and_echo_eval(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _ = exported["promptfoo"]
    valid = _run_promptfoo(["validate", "-c", "promptfooconfig.yaml"], folder, tmp_path)
    assert valid.returncode == 0 and "Configuration is valid" in valid.stdout + valid.stderr, valid.stderr[-2000:]
    results = _eval(folder / "promptfooconfig.yaml", tmp_path / "echo.json", tmp_path, "--providers", "echo")
    cases = _library_cases()
    config = yaml.safe_load((folder / "promptfooconfig.yaml").read_text())
    assert len(results) == len(config["tests"]) == len(cases) == 77  # one case per test: lists passed whole
    regexes = 0
    for r in results:
        pf, case = cases[r["testCase"]["description"]]
        output = r["response"]["output"]
        assert output == render_prompt(pf, case.vars).strip(), r["testCase"]["description"]  # promptfoo trims files
        for ours, got in zip(case.assert_, r["gradingResult"]["componentResults"]):
            assert "Invalid regex" not in got["reason"]
            if ours.type in ("regex", "not-regex"):
                regexes += 1
                hit = re.search(ours.value, output) is not None
                assert got["pass"] == (hit if ours.type == "regex" else not hit), (ours.value, got["assertion"])
    assert regexes == 71


def _serve(gguf: Path, tmp_path: Path) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    import time
    import urllib.request

    from _measure_helpers import free_port

    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", "tiny",
                               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192", "--n_threads", "2"],
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    end = time.monotonic() + 180
    while time.monotonic() < end:
        assert server.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
        try:
            with urllib.request.urlopen(base + "/models", timeout=2):
                return server, base
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError("llama_cpp.server did not start")


SERVED = ("summarization.summarize-document", "classification.classify-text", "code.write-function")


def test_promptfoo_eval_against_a_local_llamacpp_server(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _promptfoo()
    pytest.importorskip("llama_cpp", reason="llama-cpp-python (the measure extra) is not installed")
    from advisor.benchmarks.gguf_random import TINY, write_random_llama

    folder, _ = exported["promptfoo"]
    config = yaml.safe_load((folder / "promptfooconfig.yaml").read_text())
    gguf = write_random_llama(tmp_path / "tiny-random-llama-F16.gguf", TINY, "f16")
    server, base = _serve(gguf, tmp_path)
    try:
        config["prompts"] = [p for p in config["prompts"] if p["label"] in SERVED]
        for p in config["prompts"]:
            p["config"]["max_tokens"] = 24  # a random model says nothing worth waiting for
        config["tests"] = [t for t in config["tests"] if t["prompts"][0] in SERVED]
        # the provider's own cap: promptfoo 0.121 does not pass a prompt's max_tokens to the server
        config["providers"] = [{"id": "openai:chat:tiny",
                                "config": {"apiBaseUrl": base, "apiKey": "sk-local", "max_tokens": 24}}]
        local = folder / "local.yaml"
        local.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
        results = _eval(local, tmp_path / "local.json", tmp_path, "--max-concurrency", "1")
    finally:
        server.terminate()
        server.wait(timeout=30)
    cases = _library_cases()
    assert len(results) == len(config["tests"]) >= 9
    for r in results:
        assert r["failureReason"] != 2, r.get("error")  # 2: an error (1: failed assertions, expected here)
        assert isinstance(r["response"]["output"], str) and r["response"]["output"].strip()
        pf, case = cases[r["testCase"]["description"]]
        assert r["prompt"]["raw"] == render_prompt(pf, case.vars).strip()
