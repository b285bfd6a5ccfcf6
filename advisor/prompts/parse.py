"""Reading prompt files: split the front matter from the body, parse the YAML while keeping
the line of every key, and validate against `format.FrontMatter`.

Problems are collected as `Issue`s (FILE:LINE: message), never raised, so that lint can
report every problem of every file in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from advisor.errors import InputError
from advisor.safeio import read_text
from advisor.prompts.format import TESTS_SUFFIX, PROMPT_SUFFIX, FrontMatter, TestsFile

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
Severity = Literal["error", "warning", "info"]
Path_ = tuple[Any, ...]


@dataclass(frozen=True, order=True)
class Issue:
    """One lint finding. Sorted by file, line, severity, code, message."""

    file: str
    line: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "severity": self.severity,
                "code": self.code, "message": self.message}


@dataclass
class YamlDoc:
    """Parsed YAML with the 1-based file line of every key/item path."""

    data: Any
    lines: dict[Path_, int]
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)

    def line_of(self, path: Path_, default: int = 1) -> int:
        """The line of the longest known prefix of `path`."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


@dataclass
class PromptFile:
    """One `.prompt.md` file. `meta` is None when the front matter is missing or invalid."""

    path: Path
    display: str
    raw: dict[str, Any] | None
    yaml_doc: YamlDoc | None
    meta: FrontMatter | None
    body: str
    body_line: int  # 1-based file line of the first body line
    issues: list[Issue] = field(default_factory=list)
    root: Path | None = None  # the library folder it was found in

    @property
    def id(self) -> str | None:
        if self.meta is not None:
            return self.meta.id
        if isinstance(self.raw, dict) and isinstance(self.raw.get("id"), str):
            return self.raw["id"]
        return None

    @property
    def tests_path(self) -> Path:
        return self.path.with_name(self.path.name[: -len(PROMPT_SUFFIX)] + TESTS_SUFFIX)

    @property
    def stem(self) -> str:
        return self.path.name[: -len(PROMPT_SUFFIX)]


def _walk(node: yaml.Node, path: Path_, offset: int, doc: YamlDoc) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                doc.duplicates.append((path + (key,), line))
            seen.add(key)
            doc.lines[path + (key,)] = line
            _walk(value_node, path + (key,), offset, doc)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            doc.lines.setdefault(path + (i,), item.start_mark.line + 1 + offset)
            _walk(item, path + (i,), offset, doc)


MAX_YAML_CHARS = 256 * 1024  # front matter or a tests file: a few KB in practice
MAX_YAML_NODES = 20_000  # nodes once aliases are expanded: an alias bomb expands to billions


class _Expansion(Exception):
    """YAML whose aliases expand past the bound (or into themselves); `line` 0-based."""

    def __init__(self, line: int, why: str) -> None:
        super().__init__(why)
        self.line = line


def _expanded_size(root: yaml.Node) -> int:
    """The nodes of `root` with every alias expanded, counted on the node graph (each shared
    node once, times its uses), so that a bomb is measured without being expanded."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _Expansion(node.start_mark.line, "a YAML alias refers to itself")
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(v) for v in node.value)
        active.discard(key)
        if total > MAX_YAML_NODES:
            raise _Expansion(node.start_mark.line, f"YAML aliases expand to {total:,} nodes or more "
                                                   f"(limit {MAX_YAML_NODES:,}): an alias bomb?")
        sizes[key] = total
        return total

    return size(root)


def load_yaml(text: str, display: str, offset: int = 0) -> tuple[YamlDoc | None, list[Issue]]:
    """Parse YAML; `offset` is added to line numbers (the text's position in its file). Its
    size and its size once aliases are expanded are bounded (errors at their line)."""
    if len(text) > MAX_YAML_CHARS:
        return None, [Issue(display, 1 + offset, "error", "yaml-size",
                            f"YAML of {len(text):,} characters (limit {MAX_YAML_CHARS:,})")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()  # one parse: nodes keep their marks (line numbers)
        if node is not None:
            _expanded_size(node)
        data = loader.construct_document(node) if node is not None else None
    except _Expansion as exc:
        return None, [Issue(display, exc.line + 1 + offset, "error", "yaml-aliases", str(exc))]
    except RecursionError:
        return None, [Issue(display, 1 + offset, "error", "yaml-aliases", "YAML nested too deeply")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 + offset) if mark is not None else 1 + offset
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Issue(display, line, "error", "yaml-syntax", f"YAML syntax error: {problem}")]
    finally:
        loader.dispose()
    doc = YamlDoc(data=data, lines={(): 1 + offset})
    if node is not None:
        _walk(node, (), offset, doc)
    issues = [
        Issue(display, line, "error", "duplicate-key", f"duplicate key '{'.'.join(map(str, p))}'")
        for p, line in doc.duplicates
    ]
    return doc, issues


def validation_issues(exc: ValidationError, doc: YamlDoc, display: str) -> list[Issue]:
    """Pydantic errors as FILE:LINE issues, with the key path in the message."""
    issues = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # drop pydantic's union/validator markers such as 'literal[...]'
        loc = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
        where = ".".join(str(p) for p in loc) or "front matter"
        line = doc.line_of(loc)
        etype = err["type"]
        if etype == "extra_forbidden":
            code, msg = "unknown-key", f"unknown key '{where}'"
        elif etype == "missing":
            code, msg = "missing-key", f"missing required key '{where}'"
        elif etype == "literal_error" and loc and loc[0] in ("task", "kind") and len(loc) == 1:
            expected = err.get("ctx", {}).get("expected", "")
            code = f"unknown-{loc[0]}"
            msg = f"unknown {loc[0]} {err.get('input')!r} (expected {expected})"
        else:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, "):]
            code, msg = "invalid-value", f"{where}: {message}"
        issues.append(Issue(display, line, "error", code, msg))
    return issues


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter YAML, body, 1-based line of the body's first line) or None if absent."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() == "---":
            front = "".join(lines[1:i])
            body = "".join(lines[i + 1 :])
            return front, body, i + 2
    return None


def parse_prompt_text(text: str, path: Path, display: str | None = None) -> PromptFile:
    """Parse the text of a prompt file; every problem is recorded in `issues`."""
    display = display or str(path)
    split = split_front_matter(text)
    if split is None:
        issue = Issue(display, 1, "error", "no-front-matter",
                      "missing front matter: the file must start with a '---' line and the "
                      "YAML must end with another '---' line")
        return PromptFile(path, display, None, None, None, text, 1, [issue])
    front, body, body_line = split
    doc, issues = load_yaml(front, display, offset=1)
    pf = PromptFile(path, display, None, doc, None, body, body_line, list(issues))
    if doc is None:
        return pf
    if not isinstance(doc.data, dict):
        pf.issues.append(Issue(display, 2, "error", "front-matter-not-mapping",
                               "front matter must be a YAML mapping (key: value lines)"))
        return pf
    pf.raw = doc.data
    try:
        pf.meta = FrontMatter.model_validate(doc.data)
    except ValidationError as exc:
        pf.issues.extend(validation_issues(exc, doc, display))
    return pf


def _unreadable(exc: InputError, path: Path) -> str:
    """The reader's message without the file name (the issue names it)."""
    return "cannot read file: " + str(exc).removeprefix(f"{path}: ")


def _line_of(exc: InputError) -> int:
    """The line a reader's error names ('not UTF-8 at byte N (line L)'), else 1."""
    import re

    m = re.search(r"\(line (\d+)\)", str(exc))
    return int(m.group(1)) if m else 1


def parse_prompt_file(path: Path, display: str | None = None) -> PromptFile:
    """Read and parse one `.prompt.md` file."""
    display = display or str(path)
    try:
        text = read_text(path)
    except InputError as exc:
        issue = Issue(display, _line_of(exc), "error", "unreadable", _unreadable(exc, path))
        return PromptFile(path, display, None, None, None, "", 1, [issue])
    return parse_prompt_text(text, path, display)


def parse_tests_file(path: Path, display: str | None = None) -> tuple[TestsFile | None, YamlDoc | None, list[Issue]]:
    """Read and validate a `.tests.yaml` file. Cases are validated one by one: the valid
    ones are returned (in a TestsFile) even when others have errors."""
    from advisor.prompts.format import Assertion, TestCase

    display = display or str(path)
    try:
        text = read_text(path)
    except InputError as exc:
        return None, None, [Issue(display, _line_of(exc), "error", "unreadable", _unreadable(exc, path))]
    doc, issues = load_yaml(text, display)
    if doc is None:
        return None, None, issues
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or not data["cases"]:
        return None, doc, issues + [Issue(display, 1, "error", "tests-format",
                                          "a tests file is a mapping with a non-empty 'cases' list")]
    extra = sorted(str(k) for k in data if k != "cases")
    issues += [Issue(display, doc.line_of((k,)), "error", "unknown-key", f"unknown key '{k}'") for k in extra]
    cases = []
    for i, raw in enumerate(data["cases"]):
        if isinstance(raw, dict) and isinstance(raw.get("assert"), list):
            # assertions one by one, so that a bad one does not hide the case's other problems
            good = []
            for j, item in enumerate(raw["assert"]):
                try:
                    good.append(Assertion.model_validate(item))
                except ValidationError as exc:
                    shifted = ValidationErrorShim(exc, ("cases", i, "assert", j))
                    issues += validation_issues(shifted, doc, display)  # type: ignore[arg-type]
            raw = {**raw, "assert": good}
        try:
            cases.append(TestCase.model_validate(raw))
        except ValidationError as exc:
            shifted = ValidationErrorShim(exc, ("cases", i))
            issues += validation_issues(shifted, doc, display)  # type: ignore[arg-type]
            cases.append(None)
    return TestsFile.model_construct(cases=cases), doc, issues


class ValidationErrorShim:
    """A ValidationError whose error locations are prefixed (for nested validation)."""

    def __init__(self, exc: ValidationError, prefix: Path_) -> None:
        self.exc, self.prefix = exc, prefix

    def errors(self) -> list[dict[str, Any]]:
        return [{**e, "loc": self.prefix + tuple(e["loc"])} for e in self.exc.errors()]
