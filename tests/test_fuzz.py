"""Property-based tests (hypothesis) of every reader of user input and of recommend/predict:
no exception but the one-line InputError escapes, exit codes are 0 or 2, JSON out is strict,
nothing is written on error, candidates satisfy every hard constraint, and more memory never
lowers the best accuracy. A fixed budget and seed (derandomized, no example database): the
same 5,800 inputs every run, a few seconds per parser (`BUDGET`)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.errors import InputError

BUDGET = {"json": 1500, "utf8": 1000, "questionnaire": 800, "predict_line": 800, "csv_row": 800,
          "yaml": 500, "template": 300, "recommend": 40, "memory_monotone": 20}


def fixed(n: int) -> Any:
    return settings(max_examples=n, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))


def strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"non-strict JSON: {name}")
    return json.loads(text, parse_constant=refuse)


# numbers a hostile file holds: huge, tiny, negative, non-finite, many digits
NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, -1, 1e308, 1e-308, 10**50, 1e999]), st.integers(10**39, 10**45))
JSON_TEXT = st.one_of(
    st.recursive(st.none() | st.booleans() | NUMBERS | st.text(max_size=8),
                 lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
                 max_leaves=12).map(lambda v: json.dumps(v)),
    st.text(max_size=60), st.sampled_from(["[" * 100, "{" * 70 + "}" * 70, "9" * 5000, "-Infinity", "NaN", "1e999"]))


@fixed(BUDGET["json"])
@given(JSON_TEXT)
def test_strict_json_reader_raises_only_input_errors(text: str) -> None:
    from advisor.safeio import loads

    try:
        value = loads(text, "f.json")
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("f.json")
        return

    def finite(v: Any) -> None:
        if isinstance(v, float):
            assert math.isfinite(v)
        elif isinstance(v, dict):
            [finite(x) for x in v.values()]
        elif isinstance(v, list):
            [finite(x) for x in v]
    finite(value)


@fixed(BUDGET["utf8"])
@given(st.binary(max_size=200))
def test_utf8_reader_names_the_byte_offset(data: bytes) -> None:
    from advisor.safeio import decode_utf8

    try:
        text = decode_utf8(data, "f")
    except InputError as exc:
        assert "byte" in str(exc) and "\n" not in str(exc)
        return
    assert text.encode("utf-8") in (data, data[3:])  # a BOM is dropped


SECTION_KEYS = {
    "use_case": st.fixed_dictionaries({"task": st.sampled_from(["chat", "code", "math", "nope", 3])}),
    "workload": st.dictionaries(st.sampled_from(["prompt_tokens", "output_tokens", "context_tokens",
                                                 "concurrent_requests", "bogus"]), NUMBERS, max_size=3),
    "requirements": st.dictionaries(st.sampled_from(["max_ttft_ms", "min_decode_tok_s", "min_context_tokens",
                                                     "max_usd_per_1m_tokens", "min_accuracy"]), NUMBERS, max_size=3),
    "priorities": st.dictionaries(st.sampled_from(["accuracy", "speed", "cost"]), NUMBERS, max_size=3),
    "hardware": st.dictionaries(st.sampled_from(["kind", "memory_gb", "mem_bandwidth_gbs", "count", "fp16_tflops"]),
                                NUMBERS, max_size=4),
}
QUESTIONNAIRES = st.fixed_dictionaries({}, optional=SECTION_KEYS)


@fixed(BUDGET["questionnaire"])
@given(QUESTIONNAIRES)
def test_questionnaire_loader_raises_only_input_errors(tmp_path_factory: Any, data: dict[str, Any]) -> None:
    from advisor.recommend.questionnaire import load_questionnaire

    path = tmp_path_factory.getbasetemp() / "fuzz-q.json"
    path.write_text(json.dumps(data))  # Python writes inf/nan as Infinity/NaN: as a careless tool would
    try:
        q = load_questionnaire(path)
    except InputError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    strict(q.model_dump_json())
    hw = q.hardware
    if hw is not None and hw.memory_gb is not None:
        assert 0 < hw.memory_gb <= 1e5


@fixed(BUDGET["predict_line"])
@given(st.one_of(JSON_TEXT.map(str.encode), st.binary(max_size=120),
                 st.fixed_dictionaries({"id": st.text(max_size=4)}, optional={
                     "model": st.dictionaries(st.sampled_from(["params_b", "n_layers", "context_len", "name"]),
                                              NUMBERS, max_size=2),
                     "hardware": st.dictionaries(st.sampled_from(["memory_gb", "mem_bandwidth_gbs", "n_devices"]),
                                                 NUMBERS, max_size=2),
                     "workload": st.dictionaries(st.sampled_from(["prompt_tokens", "gen_tokens", "batch_size"]),
                                                 NUMBERS, max_size=2)}).map(lambda d: json.dumps(d).encode())))
def test_predict_line_parser_fails_the_line_alone(raw: bytes) -> None:
    from advisor.cli_predict import _parse_line
    from advisor.schema import PredictRequest, PredictResult

    got = _parse_line(raw.replace(b"\n", b" "), 7)
    assert isinstance(got, (PredictRequest, PredictResult))
    if isinstance(got, PredictResult):
        assert got.error and got.error.startswith("line 7")
    strict(got.model_dump_json())


CELLS = st.one_of(st.sampled_from(["", "inf", "-inf", "nan", "1e400", "0", "-3", "1e308", "abc", "12", "0.5",
                                   "9" * 400, "single_stream", "Llama-2-7B", "RTX 4090"]),
                  st.text(max_size=10), NUMBERS.map(str))


@fixed(BUDGET["csv_row"])
@given(st.dictionaries(st.sampled_from(["model", "hardware", "n_devices", "measure_kind", "prompt_tokens",
                                        "gen_tokens", "decode_tok_s", "prefill_tok_s", "ttft_ms", "memory_gb",
                                        "batch_size", "source"]), CELLS, max_size=12))
def test_catalog_row_conversion_raises_only_input_errors(row: dict[str, str]) -> None:
    from advisor.catalog import orm
    from advisor.catalog.rows import SPEC_BY_FILE, UPPER, Resolver, convert_row

    resolver = Resolver()
    resolver.add("model", "Llama-2-7B", 1)
    resolver.add("hardware", "RTX 4090", 1)
    try:
        v = convert_row(SPEC_BY_FILE["measurements.csv"], row, "m.csv:2", resolver, orm.USER)
    except InputError as exc:
        assert str(exc).startswith("m.csv:2: ") and "\n" not in str(exc)
        return
    for col, x in v.items():
        if isinstance(x, float):
            assert math.isfinite(x) and x >= 0 and x <= UPPER.get(col, math.inf), (col, x)
    assert v["n_devices"] >= 1


YAML_PIECES = st.sampled_from(["a: &a [x, x, x]\n", "b: &b [*a, *a, *a, *a]\n", "c: [*b, *b, *b, *b, *b]\n",
                               "d: [*c, *c, *c, *c, *c, *c, *c]\n", "e: &e {k: *e}\n", "f: *nope\n", "- x\n",
                               "id: x\n", "variables: {}\n", ": :\n", "g: [[[[[[[[[[1]]]]]]]]]]\n", "\t\n"])


@fixed(BUDGET["yaml"])
@given(st.lists(YAML_PIECES, max_size=8).map("".join))
def test_yaml_reader_is_bounded(text: str) -> None:
    import time

    from advisor.prompts.parse import MAX_YAML_NODES, load_yaml

    t0 = time.perf_counter()
    doc, issues = load_yaml(text, "p.prompt.md", offset=1)
    assert time.perf_counter() - t0 < 1.0
    assert all(i.line >= 1 and i.file == "p.prompt.md" for i in issues)
    if doc is None:
        assert issues and issues[0].severity == "error"
    else:
        assert len(json.dumps(doc.data, default=str)) < MAX_YAML_NODES * 40


TEMPLATE_PIECES = st.sampled_from(["{{ x }}", "{{ 'a' * n }}", "{% for i in range(n) %}ab{% endfor %}",
                                   "{% include 'y' %}", "{% import '/etc/passwd' as p %}", "{{ x * n }}",
                                   "{% macro f(k) %}{{ f(k) }}{% endmacro %}{{ f(1) }}", "{{ n ** n }}",
                                   "{{ x|center(n) }}", "{{ x.zfill(n) }}", "text", "{% if x %}y{% endif %}",
                                   "{{ x.__class__ }}", "{{ undefined_name }}", "{%", "}}", "{{ [x] * n }}"])


@fixed(BUDGET["template"])
@given(st.lists(TEMPLATE_PIECES, min_size=1, max_size=5).map("".join),
       st.sampled_from([1, 10, 10**4, 10**7, 10**9]))
def test_render_is_bounded_and_raises_only_input_errors(body: str, n: int) -> None:
    from advisor.prompts.render import render_body
    from advisor.prompts.sandbox import GLOBAL_OUTPUT_CAP

    try:
        out = render_body(body, {"x": "ab", "n": n})
    except InputError as exc:
        assert "\n" not in str(exc).strip()
        return
    assert len(out) <= GLOBAL_OUTPUT_CAP


# --------------------------------------------------------------------------- recommend, predict

HW = st.fixed_dictionaries({"kind": st.sampled_from(["gpu", "cpu", "apple"]),
                            "memory_gb": st.sampled_from([8, 16, 24, 48, 80, 192]),
                            "mem_bandwidth_gbs": st.sampled_from([100, 400, 1000, 3000])})
REQS = st.fixed_dictionaries({}, optional={
    "min_decode_tok_s": st.sampled_from([5, 20, 80]), "max_ttft_ms": st.sampled_from([200, 2000]),
    "min_context_tokens": st.sampled_from([4096, 32768, 131072]), "license": st.sampled_from(["any", "open", "commercial"]),
    "deployment": st.sampled_from(["local", "any"]), "min_accuracy": st.sampled_from([30, 60]),
    "max_usd_per_1m_tokens": st.sampled_from([0.5, 5])})


@fixed(BUDGET["recommend"])
@given(st.sampled_from(["chat", "code", "math", "rag", "extraction"]), HW, REQS)
def test_recommend_candidates_satisfy_every_hard_constraint(task: str, hw: dict[str, Any], req: dict[str, Any]) -> None:
    from test_recommend import assert_meets

    from advisor.recommend import recommend

    q = {"use_case": {"task": task}, "requirements": req, "hardware": hw}
    r = recommend(q, with_prompts=False)
    strict(json.dumps(r.model_dump(mode="json"), allow_nan=True))
    assert_meets(r, q)


@fixed(BUDGET["memory_monotone"])
@given(st.sampled_from(["chat", "code", "math"]), st.sampled_from([8, 16, 24, 40]), st.sampled_from([200, 1000, 3000]))
def test_more_memory_never_lowers_the_best_accuracy(task: str, mem: int, bw: int) -> None:
    from advisor.recommend import recommend

    def best(m: int) -> float:
        r = recommend({"use_case": {"task": task}, "requirements": {"deployment": "local"},
                       "hardware": {"kind": "gpu", "memory_gb": m, "mem_bandwidth_gbs": bw}}, with_prompts=False)
        return max([c.predicted.accuracy for c in r.candidates if c.predicted.accuracy is not None] or [0.0])

    assert best(mem * 2) >= best(mem)


@pytest.mark.parametrize("seed", [0])
def test_predict_cli_exit_codes_and_nothing_written_on_error(tmp_path: Path, capsys: Any, monkeypatch: Any,
                                                             seed: int) -> None:
    """The CLI over a file of 200 generated lines: exit 0 or 2, strict JSON lines, one per
    input line; an --output that exists without --force writes nothing."""
    import random

    from _cli_helpers import run_main

    rnd = random.Random(seed)
    lines = []
    for i in range(200):
        facts = {"params_b": rnd.choice([7, 70, 0.5, -1, 1e308]), "n_layers": rnd.choice([32, 0, 10**12])}
        hw = {"mem_bandwidth_gbs": rnd.choice([100, 1000, 0, 1e9]), "memory_gb": rnd.choice([24, 80, -5])}
        lines.append(json.dumps({"id": str(i), "model": facts, "hardware": hw}))
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    rc, out, err = run_main(["predict", "--input", str(src)], capsys, monkeypatch)
    assert rc in (0, 2) and "Traceback" not in err
    answers = [strict(x) for x in out.splitlines()]
    assert [a["id"] for a in answers] == [str(i) for i in range(200)]
    assert any(a["error"] is None for a in answers) and any(a["error"] for a in answers)
    dest = tmp_path / "out.jsonl"
    dest.write_text("keep\n")
    rc, _, _ = run_main(["predict", "--input", str(src), "--output", str(dest)], capsys, monkeypatch)
    assert rc == 2 and dest.read_text() == "keep\n" and sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]
