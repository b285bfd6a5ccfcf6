"""Linting prompt files: YAML and schema errors with FILE:LINE, undeclared and unused
variables, duplicate ids, task folders, example structure, `.tests.yaml` files (regexes for
Python and for promptfoo's JavaScript engine), and the worst-case token size against the models listed in `models.tested_on`.

Severities: `error` (exit 1), `warning` (exit 1 only with --strict), `info` (never fails;
e.g. a tested_on model that cannot be checked because the catalog is not available).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.prompts.format import PROMPT_SUFFIX, TESTS_SUFFIX, FrontMatter, TestsFile
from advisor.prompts.library import _display, find_prompt_files
from advisor.prompts.parse import Issue, PromptFile, YamlDoc, parse_prompt_file, parse_tests_file
from advisor.schema import TASKS

EXAMPLE_HEADING = re.compile(r"^##\s+Example\b[^\n]*$", re.MULTILINE)


@dataclass
class LintReport:
    files: int
    issues: list[Issue] = field(default_factory=list)
    strict: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and not (self.strict and self.warnings)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "files": self.files, "errors": [i.as_dict() for i in self.issues]}


class _ModelCache:
    """Model facts looked up once per lint run."""

    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url
        self.cache: dict[str, Any] = {}

    def get(self, name: str) -> tuple[Any, str | None]:
        """(facts or None, reason when None)."""
        if name not in self.cache:
            from advisor.prompts.models import catalog_available, find_model

            try:
                facts = find_model(name, self.db_url)
                reason = None
                if facts is None:
                    reason = ("not in the price map or the catalog" if catalog_available()
                              else "not in the price map (catalog not available)")
            except Exception as exc:  # noqa: BLE001 - a broken catalog must not stop lint
                facts, reason = None, f"catalog lookup failed: {exc}"
            self.cache[name] = (facts, reason)
        return self.cache[name]


def _body_line(pf: PromptFile, body_lineno: int) -> int:
    return pf.body_line + max(0, body_lineno - 1)


def _check_body(pf: PromptFile, meta: FrontMatter, doc: YamlDoc) -> list[Issue]:
    from advisor.prompts.render import template_names

    out: list[Issue] = []
    used, syntax_error, syntax_line = template_names(pf.body)
    if syntax_error is not None:
        out.append(Issue(pf.display, _body_line(pf, syntax_line or 1), "error", "jinja-syntax",
                         f"template syntax error: {syntax_error}"))
        return out
    out += _bounds_issues(pf, meta)
    for name, lineno in used.items():
        if name not in meta.variables:
            out.append(Issue(pf.display, _body_line(pf, lineno), "error", "undeclared-variable",
                             f"variable '{name}' is used in the body but not declared in variables"))
    for name, var in meta.variables.items():
        line = doc.line_of(("variables", name))
        if name not in used:
            out.append(Issue(pf.display, line, "warning", "unused-variable",
                             f"variable '{name}' is declared but not used in the body"))
        if var.required and var.default is not None:
            out.append(Issue(pf.display, line, "warning", "required-with-default",
                             f"variable '{name}' is required but has a default (set required: false)"))
        if var.max_tokens is None and var.type in ("string", "list") and not var.allowed:
            out.append(Issue(pf.display, line, "warning", "no-max-tokens",
                             f"variable '{name}' has no max_tokens: the worst-case size counts it as 0"))
    return out


def _bounds_issues(pf: PromptFile, meta: FrontMatter) -> list[Issue]:
    """What the sandbox refuses, as errors at their body line: include/import/extends and
    recursive macros (from the syntax tree), then a probe render within the output bound."""
    from advisor.prompts.render import environment, probe_values, template
    from advisor.prompts.sandbox import RenderLimit, bounded_render, output_limit, static_issues

    found = static_issues(environment().parse(pf.body))
    out = [Issue(pf.display, _body_line(pf, line), "error", "template-bounds", msg) for line, msg in found]
    if out:
        return out
    context = probe_values(meta)
    try:
        bounded_render(template(pf.body), context,
                       output_limit(pf.body, context, [v.max_tokens for v in meta.variables.values()]))
    except RenderLimit as exc:
        out.append(Issue(pf.display, _body_line(pf, exc.line or 1), "error", "template-bounds", str(exc)))
    except Exception:  # noqa: BLE001 - other render failures are reported by the checks that render
        pass
    return out


def _check_examples(pf: PromptFile, doc: YamlDoc) -> list[Issue]:
    heads = list(EXAMPLE_HEADING.finditer(pf.body))
    line = doc.line_of(("kind",))
    if not heads:
        return [Issue(pf.display, line, "warning", "example-sections",
                      "example file has no '## Example N: label' sections")]
    out: list[Issue] = []
    if not any("edge case" in h.group(0).lower() for h in heads):
        out.append(Issue(pf.display, line, "warning", "example-edge-case",
                         "no example is labelled as an edge case ('## Example N: edge case ...')"))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(pf.body)
        section = pf.body[head.start():end]
        missing = [s for s in ("### Input", "### Output") if not re.search(rf"^{s}\b", section, re.M)]
        if missing:
            lineno = pf.body.count("\n", 0, head.start()) + 1
            out.append(Issue(pf.display, _body_line(pf, lineno), "warning", "example-structure",
                             f"'{head.group(0).strip()}' has no {' or '.join(missing)} subsection"))
    return out


def _check_budget(pf: PromptFile, meta: FrontMatter, doc: YamlDoc, models: _ModelCache) -> list[Issue]:
    from advisor.prompts.budget import budget_for

    out: list[Issue] = []
    for i, name in enumerate(meta.models.tested_on):
        line = doc.line_of(("models", "tested_on", i))
        facts, reason = models.get(name)
        if facts is None:
            severity = "info" if reason and "not available" in reason else "warning"
            out.append(Issue(pf.display, line, severity, "unknown-model",
                             f"tested_on model '{name}' {reason}; token budget not checked"))
            continue
        if facts.context_window is None:
            continue
        report = budget_for(meta, pf.body, facts, model=name)
        if report.total_tokens > facts.context_window:
            out.append(Issue(
                pf.display, line, "error", "token-budget",
                f"worst case {report.total_tokens} tokens ({report.worst_case_tokens} prompt + "
                f"{report.chat_overhead_tokens} overhead + {report.output_reserved_tokens} output) "
                f"exceeds the {facts.context_window}-token window of '{name}'"))
    return out


def _schema_problem(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return "a JSON schema must be a mapping"
    try:
        from jsonschema.exceptions import SchemaError
        from jsonschema.validators import validator_for
    except ImportError:  # pragma: no cover - jsonschema ships with litellm
        return None
    try:
        validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        return exc.message
    return None


def _js_regex_issues(display: str, line: int, case: str, value: str) -> list[Issue]:
    """The regex as promptfoo's JavaScript engine will run it (`advisor.prompts.jsregex`): an
    error when it cannot be expressed there, an info for each remaining difference."""
    from advisor.prompts.jsregex import Untranslatable, to_js

    try:
        _, caveats = to_js(value)
    except Untranslatable as exc:
        return [Issue(display, line, "error", "tests-regex-js",
                      f"case '{case}': regex {value!r} cannot run in promptfoo (JavaScript): {exc}")]
    return [Issue(display, line, "info", "tests-regex-js",
                  f"case '{case}': regex {value!r} in promptfoo (JavaScript): {c}") for c in caveats]


def _check_tests(pf: PromptFile, meta: FrontMatter) -> list[Issue]:
    from advisor.errors import InputError
    from advisor.prompts.render import coerce, render_prompt

    path = pf.tests_path
    display = _display(path)
    tests, doc, issues = parse_tests_file(path, display)
    out = list(issues)
    if tests is None or doc is None:
        return out
    assert isinstance(tests, TestsFile)
    for ci, case in enumerate(tests.cases):
        if case is None:  # invalid case, already reported
            continue
        case_line = doc.line_of(("cases", ci))
        bad = False
        for name, value in case.vars.items():
            line = doc.line_of(("cases", ci, "vars", name))
            var = meta.variables.get(name)
            if var is None:
                out.append(Issue(display, line, "error", "tests-unknown-variable",
                                 f"case '{case.name}': variable '{name}' is not declared by '{meta.id}'"))
                bad = True
                continue
            try:
                checked = coerce(name, var, value)
                if var.allowed is not None and checked not in var.allowed:
                    raise InputError(f"variable '{name}': {value!r} is not allowed")
            except InputError as exc:
                out.append(Issue(display, line, "error", "tests-invalid-value", f"case '{case.name}': {exc}"))
                bad = True
        for name, var in meta.variables.items():
            if var.required and var.default is None and name not in case.vars:
                out.append(Issue(display, case_line, "error", "tests-missing-variable",
                                 f"case '{case.name}': required variable '{name}' is not given"))
                bad = True
        if not bad:
            try:
                render_prompt(pf, case.vars)
            except InputError as exc:
                out.append(Issue(display, case_line, "error", "tests-render", f"case '{case.name}': {exc}"))
        for ai, assertion in enumerate(case.assert_):
            line = doc.line_of(("cases", ci, "assert", ai))
            value = assertion.value
            if assertion.type in ("regex", "not-regex"):
                if not isinstance(value, str):
                    out.append(Issue(display, line, "error", "tests-regex", "regex value must be a string"))
                    continue
                try:
                    re.compile(value)
                except re.error as exc:
                    out.append(Issue(display, line, "error", "tests-regex",
                                     f"case '{case.name}': invalid regex {value!r}: {exc}"))
                    continue
                out += _js_regex_issues(display, line, case.name, value)
            elif assertion.type == "json_schema" or (assertion.type == "is-json" and value is not None):
                problem = _schema_problem(value)
                if problem:
                    out.append(Issue(display, line, "error", "tests-json-schema",
                                     f"case '{case.name}': invalid JSON schema: {problem}"))
            elif not isinstance(value, str) or not value:
                out.append(Issue(display, line, "error", "tests-invalid-assertion",
                                 f"case '{case.name}': '{assertion.type}' needs a non-empty string value"))
    return out


def lint_files(files: list[PromptFile], db_url: str | None = None) -> list[Issue]:
    """Every issue of already parsed files (parse issues included)."""
    models = _ModelCache(db_url)
    issues: list[Issue] = []
    by_id: dict[str, list[PromptFile]] = {}
    for pf in files:
        issues.extend(pf.issues)
        if pf.id:
            by_id.setdefault(pf.id, []).append(pf)
        meta, doc = pf.meta, pf.yaml_doc
        if meta is None or doc is None:
            continue
        issues.extend(_check_body(pf, meta, doc))
        folder = pf.path.parent.name
        if folder in TASKS and folder != meta.task:
            issues.append(Issue(pf.display, doc.line_of(("task",)), "warning", "task-folder",
                                f"task '{meta.task}' but the file is in the '{folder}' folder"))
        if meta.kind == "example":
            issues.extend(_check_examples(pf, doc))
        issues.extend(_check_budget(pf, meta, doc, models))
        if pf.tests_path.is_file():
            issues.extend(_check_tests(pf, meta))
    for prompt_id, group in by_id.items():
        if len(group) > 1:
            for pf in group:
                others = ", ".join(o.display for o in group if o is not pf)
                line = pf.yaml_doc.line_of(("id",)) if pf.yaml_doc else 1
                issues.append(Issue(pf.display, line, "error", "duplicate-id",
                                    f"duplicate id '{prompt_id}' (also in {others})"))
    return issues


def _orphan_tests(paths: Sequence[Path]) -> list[Issue]:
    out = []
    for base in paths:
        tests = [base] if base.is_file() and base.name.endswith(TESTS_SUFFIX) else (
            sorted(base.rglob("*" + TESTS_SUFFIX)) if base.is_dir() else [])
        for t in tests:
            prompt = t.with_name(t.name[: -len(TESTS_SUFFIX)] + PROMPT_SUFFIX)
            if not prompt.is_file():
                out.append(Issue(_display(t), 1, "warning", "orphan-tests",
                                 f"no prompt file {prompt.name} next to this tests file"))
    return out


def lint_paths(paths: Sequence[str | Path], strict: bool = False, db_url: str | None = None) -> LintReport:
    """Lint every `.prompt.md` under `paths` (files or folders)."""
    roots = [Path(p) for p in paths]
    found = find_prompt_files(roots)
    files = []
    for path, root in found:
        pf = parse_prompt_file(path, _display(path))
        pf.root = root
        files.append(pf)
    issues = lint_files(files, db_url) + _orphan_tests(roots)
    return LintReport(files=len(files), issues=sorted(set(issues)), strict=strict)
