"""The library as a promptfoo project (0.121, the last line that runs on Node 20):
`promptfooconfig.yaml`, `prompts/<id>.txt` and `filters/py.cjs`.

- Prompts: promptfoo renders them with Nunjucks, with default whitespace handling, so the
  body's `trim_blocks`/`lstrip_blocks` whitespace is made explicit; a variable that is not a
  string is printed through the `py` filter, which writes it as Jinja2 (Python) does (a list
  as `['a', 'b']`, booleans `True`/`False`, a `number` as `1.0`); `{% if <list> %}` tests the
  list's length (an empty JavaScript array is true). Each prompt carries its `params` as its
  `config` (temperature, max_tokens, top_p, seed, stop, JSON mode for JSON output).
- Tests: one per case, tied to its prompt (`prompts: [id]`), with every declared variable
  resolved as the library resolves it (defaults, empty optionals; a string ending in a
  newline gets one more, which promptfoo drops). A list value is passed whole (`options.disableVarExpansion`; promptfoo would otherwise run one test per element).
- Assertions: promptfoo compiles `regex` values with `new RegExp(value)` (no flags), so
  Python patterns are rewritten by `advisor.prompts.jsregex`; `json_schema` becomes `is-json`
  with the schema; string values holding `{{`, `{%` or `{#` are wrapped in `{% raw %}` (promptfoo
  renders assertion values with Nunjucks). What cannot be rewritten is left out and noted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from advisor.prompts.export.common import ExportResult, body_nodes, dump_yaml, explicit_whitespace, prompts_of, yaml_comments
from advisor.prompts.format import Assertion, FrontMatter
from advisor.prompts.jsregex import Untranslatable, to_js
from advisor.prompts.library import Library
from advisor.prompts.parse import PromptFile, parse_tests_file

FILTER_FILE = "filters/py.cjs"
_OUTPUT = re.compile(r"\{\{(-?)\s*([A-Za-z_]\w*)\s*(-?)\}\}")
_IF = re.compile(r"\{%(-?)\s*(if|elif)\s+([A-Za-z_]\w*)\s*(-?)%\}")

PY_FILTER = r"""// Prints a value as the advisor prompt library (Jinja2, Python) prints it, so that the
// prompts render here as they do there: lists as ['a', 'b'], booleans True/False,
// null None, a `number` variable with a decimal point (2.0). Written by `advisor prompts export`.
function quote(s) {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === "\\") out += "\\\\";
    else if (ch === q) out += "\\" + q;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16);
    else out += ch;
  }
  return out + q;
}
function num(x, isFloat) {
  if (isFloat && Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  return String(x);
}
function repr(v) {
  if (typeof v === "string") return quote(v);
  if (typeof v === "number") return num(v, !Number.isInteger(v));
  return py(v);
}
function py(v, type) {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return num(v, type === "number");
  if (Array.isArray(v)) return "[" + v.map(repr).join(", ") + "]";
  if (typeof v === "object") return "{" + Object.entries(v).map(([k, x]) => repr(k) + ": " + repr(x)).join(", ") + "}";
  return String(v);
}
module.exports = py;
"""


def nunjucks_body(pf: PromptFile) -> tuple[str, list[str]]:
    """The body as promptfoo's Nunjucks must read it to render what the library renders, and
    what may still differ."""
    meta = pf.meta
    assert meta is not None
    notes: list[str] = []
    text = explicit_whitespace(pf.body)
    if text is None:
        text = pf.body
        notes.append("{% raw %} sections: whitespace around tags may differ from the library's rendering")
    types = {n: v.type for n, v in meta.variables.items()}

    def output(m: re.Match[str]) -> str:
        kind = types.get(m.group(2), "string")
        if kind == "string":
            return m.group(0)
        return f'{{{{{m.group(1)} {m.group(2)} | py("{kind}") {m.group(3)}}}}}'

    def test(m: re.Match[str]) -> str:
        if types.get(m.group(3)) != "list":
            return m.group(0)
        return f"{{%{m.group(1)} {m.group(2)} {m.group(3)} | length {m.group(4)}%}}"

    text = _IF.sub(test, _OUTPUT.sub(output, text))
    extra = body_nodes(pf.body)
    if extra:
        notes.append(f"uses Jinja features Nunjucks may render differently: {', '.join(sorted(extra))}")
    return text, notes


def _raw(value: Any) -> Any:
    """A string value as promptfoo renders it literally (it passes values through Nunjucks)."""
    if isinstance(value, str) and re.search(r"\{[{%#]", value):
        return "{% raw %}" + value + "{% endraw %}"
    return value


def _var(value: Any) -> Any:
    """A test variable as promptfoo must receive it to pass it on unchanged: it drops one
    trailing newline of a string value and renders the value with Nunjucks."""
    if isinstance(value, str) and value.endswith("\n") and not re.search(r"\{[{%#]", value):
        return value + "\n"
    return _raw(value)


def assertion(a: Assertion) -> tuple[dict[str, Any] | None, list[str]]:
    """A promptfoo assertion for one of ours (None when it cannot be expressed) and notes."""
    if a.type == "json_schema":
        return {"type": "is-json", "value": a.value}, []
    if a.value is None:
        return {"type": a.type}, []
    if a.type in ("regex", "not-regex"):
        try:
            js, caveats = to_js(str(a.value))
        except (Untranslatable, re.error) as exc:
            return None, [f"{a.type} {a.value!r} left out: {exc}"]
        return {"type": a.type, "value": _raw(js)}, [f"{a.type} {a.value!r}: {c}" for c in caveats]
    return {"type": a.type, "value": _raw(a.value)}, []


def _prompt_config(meta: FrontMatter) -> dict[str, Any]:
    """The prompt's params as promptfoo provider options (merged into the provider's config)."""
    p = meta.params
    config = {k: v for k, v in {"temperature": p.temperature, "top_p": p.top_p,
                                "max_tokens": p.max_output_tokens, "seed": p.seed,
                                "stop": p.stop}.items() if v is not None}
    if meta.output.format == "json":
        config["response_format"] = {"type": "json_object"}
    return config


def _tests(pf: PromptFile, res: ExportResult, config_path: Path) -> list[dict[str, Any]]:
    """One promptfoo test per case of the prompt's tests file."""
    from advisor.errors import InputError
    from advisor.prompts.render import resolve_values

    meta = pf.meta
    assert meta is not None
    parsed, _, _ = parse_tests_file(pf.tests_path)
    tests = []
    for case in [c for c in (parsed.cases if parsed else []) if c is not None]:
        try:
            values = resolve_values(meta, dict(case.vars))
        except InputError as exc:
            res.note(config_path, f"{meta.id}: case '{case.name}' left out: {exc}")
            continue
        asserts = []
        for a in case.assert_:
            item, notes = assertion(a)
            res.notes += [(config_path, f"{meta.id}: case '{case.name}': {n}") for n in notes]
            if item is not None:
                asserts.append(item)
        test: dict[str, Any] = {"description": f"{meta.id}: {case.name}", "prompts": [meta.id],
                                "vars": {k: _var(v) for k, v in values.items()}}
        if any(isinstance(v, list) for v in values.values()):
            test["options"] = {"disableVarExpansion": True}
        tests.append({**test, "assert": asserts, "metadata": {"prompt": meta.id}})
    return tests


def export_promptfoo(lib: Library, out: Path, provider: str = "openai:gpt-4o-mini") -> ExportResult:
    """Write the promptfoo project for `lib` under `out`."""
    res = ExportResult("promptfoo")
    (out / "prompts").mkdir(parents=True, exist_ok=True)
    (out / FILTER_FILE).parent.mkdir(parents=True, exist_ok=True)
    config_path = out / "promptfooconfig.yaml"
    prompts, tests = [], []
    for pf in prompts_of(lib):
        meta = pf.meta
        assert meta is not None
        path = out / "prompts" / f"{meta.id}.txt"
        text, notes = nunjucks_body(pf)
        path.write_text(text, encoding="utf-8")
        res.files.append(path)
        res.notes += [(path, n) for n in notes]
        entry: dict[str, Any] = {"id": f"file://prompts/{meta.id}.txt", "label": meta.id}
        if _prompt_config(meta):
            entry["config"] = _prompt_config(meta)
        prompts.append(entry)
        if pf.tests_path.is_file():
            tests += _tests(pf, res, config_path)
    (out / FILTER_FILE).write_text(PY_FILTER, encoding="utf-8")
    config = {"description": "Exported from the advisor prompt library", "prompts": prompts,
              "providers": [provider], "nunjucksFilters": {"py": FILTER_FILE}, "tests": tests}
    header = [f"advisor prompts export --format promptfoo: {len(prompts)} prompts, {len(tests)} tests"]
    header += [n for p, n in res.notes if p == config_path]
    config_path.write_text(yaml_comments(header) + dump_yaml(config), encoding="utf-8")
    res.files[:0] = [config_path, out / FILTER_FILE]
    return res
