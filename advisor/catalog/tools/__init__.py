"""Importers for the output of benchmark tools, next to the seed-format CSV import, one module
per tool:

- `llama_bench`: llama.cpp `llama-bench -o md | sql | json | jsonl | csv` -> single_stream
  measurements (`llama_bench_text` reads the Markdown and SQL outputs);
- `vllm_serving`: vLLM `benchmark_serving.py` / `vllm bench serve --save-result` JSON (or
  JSONL) -> a throughput_under_load and a serving_per_user measurement per result;
- `lm_eval`: lm-evaluation-harness `results_*.json` -> scores;
- `ollama`: Ollama's `/api/generate` (or `/api/chat`) final object, `ollama run --verbose`
  text -> a single_stream measurement per request;
- `llamacpp_server`: a llama.cpp server response with `timings` -> a single_stream
  measurement per response.

Every tool file becomes rows in the seed format, and goes through `import_rows`: the same
validation as a seed file, one transaction, nothing written on the first error; figures the
catalog already holds are not written twice (`advisor.catalog.dedupe`). Errors name
`FILE:LINE` (JSON: the line where the record or the offending key starts, `jsonpos`) and, for
unknown names, the closest catalog names and the option that overrides them.

The tools are a registry, as `llm` keeps its models: each tool module describes itself in an
`ImportTool` (`TOOL`), which this package passes to `register_tool`, the same function another
tool calls (`register_tool(ImportTool(name="ollama", ...))`). `advisor catalog import --format`
offers `auto`, `seed` and the registered tools, in the order they were registered; `auto` asks
each tool's `detect`, by `detect_order`.

The field meanings follow `../shared/data/formats/README.md`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from advisor.catalog.guard import ImportGuard
from advisor.catalog.names import Names
from advisor.catalog.rows import SPEC_BY_FILE
from advisor.catalog.seed_io import import_file, import_tables, read_user_file
from advisor.catalog.tools import llama_bench, llamacpp_server, lm_eval, ollama, vllm_serving
from advisor.catalog.tools.common import ImportResult, ImportTool, Overrides, Sniff
from advisor.catalog.tools.jsonpos import json_records
from advisor.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from advisor.catalog import Catalog

__all__ = ["ImportResult", "ImportTool", "Overrides", "Sniff", "register_tool", "registered_tools",
           "get_tool", "formats", "sniff", "detect_format", "import_any"]

RESERVED_FORMATS = ("auto", "seed")

_TOOLS: dict[str, ImportTool] = {}


def register_tool(tool: ImportTool) -> ImportTool:
    """Add a tool to `advisor catalog import` (its `--format` choices and `auto` detection)."""
    if tool.name in RESERVED_FORMATS or tool.name in _TOOLS:
        why = "a reserved --format value" if tool.name in RESERVED_FORMATS else "already registered"
        raise ValueError(f"import tool '{tool.name}': {why}")
    _TOOLS[tool.name] = tool
    return tool


def registered_tools() -> list[ImportTool]:
    """The tools in the order they were registered."""
    return list(_TOOLS.values())


def get_tool(name: str) -> ImportTool:
    return _TOOLS[name]


def formats() -> tuple[str, ...]:
    """The values of `--format`: auto, seed, then every registered tool."""
    return (*RESERVED_FORMATS, *_TOOLS)


# the built-in tools, registered as any other: in this order (that of --format's choices)
for _module in (llama_bench, vllm_serving, lm_eval, ollama, llamacpp_server):
    register_tool(_module.TOOL)
del _module


# --------------------------------------------------------------------------- detection


def sniff(text: str, filename: str) -> Sniff:
    """What detection looks at: the first JSON value (None when it does not parse), or the CSV header."""
    s = text.lstrip()
    if s.startswith("[") or s.startswith("{"):
        try:
            records = json_records(text, filename)
        except InputError:
            records = []
        return Sniff(text, filename, is_json=True, first=records[0].obj if records else None)
    first_line = s.splitlines()[0] if s else ""
    return Sniff(text, filename, is_json=False,
                 columns=frozenset(c.strip().strip('"') for c in first_line.split(",")))


def _tool_labels() -> str:
    """'llama-bench, vLLM serving or lm-eval'."""
    labels = [t.label for t in _TOOLS.values()]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def detect_format(text: str, filename: str) -> str:
    """Guess the format from the content: JSON by its keys, CSV by its header (a CSV no tool
    claims is a seed file)."""
    sn = sniff(text, filename)
    for tool in sorted(_TOOLS.values(), key=lambda t: t.detect_order):
        if tool.detect(sn):
            return tool.name
    if not sn.is_json:
        return "seed"
    if sn.guess_from_text:
        json_records(text, filename)  # raises the syntax error with its line
        raise InputError(f"{filename}:1: unrecognised JSON")
    raise InputError(f"{filename}:1: unrecognised JSON (not {_tool_labels()} output); give --format")


# --------------------------------------------------------------------------- entry


def _import_seed(cat: "Catalog", path: Path, ov: Overrides, guard: ImportGuard) -> ImportResult:
    if ov.given():
        raise InputError(f"{', '.join(ov.given())}: only for tool formats "
                         f"({', '.join(_TOOLS)}), not for seed CSV files")
    spec, n, already = import_file(cat.engine, path, guard)
    return ImportResult("seed", spec.stem, n, already=already)


def _import_tool(cat: "Catalog", tool: ImportTool, text: str, filename: str, ov: Overrides,
                 guard: ImportGuard) -> ImportResult:
    names = Names(cat)
    rows, skipped = tool.parse(text, filename, names, ov)
    if not rows:
        why = f" ({'; '.join(skipped)})" if skipped else ""
        raise InputError(f"{filename}: no importable rows{why}")
    spec = SPEC_BY_FILE[tool.table]
    tables, notes = _new_model_tables(cat, names)
    already: dict[str, int] = {}
    n = import_tables(cat.engine, [*tables, (spec, rows)], filename, already, guard, tool.name)[spec.stem]
    return ImportResult(tool.name, spec.stem, n, skipped=skipped, notes=notes, already=already.get(spec.stem, 0))


def _new_model_tables(cat: "Catalog", names: Names) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    """The rows registering the models a tool's file describes and the catalog lacks (written
    in the same transaction as the measurements), and a note for each."""
    from advisor.catalog.register import register_model, registration_tables

    tables: list = []  # type: ignore[type-arg]
    notes: list[str] = []
    for name, facts in names.new_models.items():
        reg = register_model(cat, facts, dry_run=True)
        tables += registration_tables(reg, set())
        notes.append(f"new model '{name}' registered (origin user): " + "; ".join(facts.notes))
    return tables, notes


def import_any(cat: "Catalog", path: Path, fmt: str = "auto", overrides: Overrides | None = None,
               allow_implausible: bool = False) -> ImportResult:
    """Import a seed CSV or a benchmark tool's output as user rows (one transaction). Figures
    past the physics' bounds are refused, or with `allow_implausible` written flagged and kept
    out of fitting; the import is logged for `advisor catalog remove --import N`."""
    result = _import_any(cat, path, fmt, overrides or Overrides(), guard := ImportGuard(allow_implausible))
    result.import_id = guard.import_id
    result.overrides = len(guard.overridden)
    result.notes = [*guard.overridden, *guard.flagged, *result.notes]
    return result


def _import_any(cat: "Catalog", path: Path, fmt: str, ov: Overrides, guard: ImportGuard) -> ImportResult:
    if fmt not in formats():
        raise InputError(f"--format: unknown format '{fmt}' ({', '.join(formats())})")
    text = read_user_file(path)
    filename = str(path)
    if fmt == "auto":
        fmt = detect_format(text, filename)
    if fmt == "seed":
        return _import_seed(cat, path, ov, guard)
    return _import_tool(cat, _TOOLS[fmt], text, filename, ov, guard)
