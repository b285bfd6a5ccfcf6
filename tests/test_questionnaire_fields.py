"""The questionnaire's one table of fields (`advisor.recommend.questionnaire`): it covers the
schema, the flags of `advisor recommend` are generated from it, errors map back through it to
the flag or the TUI field, and `load_questionnaire` reads files with one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any, Literal, get_args

import click
import pytest
from pydantic import BaseModel

from advisor.errors import InputError
from advisor.recommend.questionnaire import (FIELD_BY_PATH, FIELDS, SECTIONS, field_of, load_questionnaire,
                                             parse_questionnaire)
from advisor.schema import TASKS, HardwareKind, Questionnaire, Requirements
from advisor.tui import form
from _cli_helpers import run_main

FLAGGED = [f for f in FIELDS if f.flag]
NUMERIC = [f for f in FLAGGED if f.type in (int, float)]


def schema_paths(model: type[BaseModel] = Questionnaire) -> list[str]:
    """Every leaf field of the questionnaire model, as a dotted path."""
    paths = []
    for section, info in model.model_fields.items():
        sub = next(a for a in (info.annotation, *get_args(info.annotation))
                   if isinstance(a, type) and issubclass(a, BaseModel))
        paths += [f"{section}.{name}" for name in sub.model_fields]
    return paths


# --------------------------------------------------------------------------- the table


def test_every_schema_field_has_one_entry() -> None:
    assert sorted(schema_paths()) == sorted(FIELD_BY_PATH)
    assert len(FIELDS) == len(FIELD_BY_PATH)
    assert list(SECTIONS) == list(Questionnaire.model_fields)


def test_a_new_schema_field_without_an_entry_is_noticed() -> None:
    class WithPower(Requirements):
        max_watts: float | None = None

    class Bigger(Questionnaire):
        requirements: WithPower = WithPower()

    assert set(schema_paths(Bigger)) - set(FIELD_BY_PATH) == {"requirements.max_watts"}


def test_entries_are_documented_and_consistent() -> None:
    flags = [f.flag for f in FLAGGED]
    assert len(set(flags)) == len(flags) and all(f.startswith("--") for f in flags)
    assert len({f.param for f in FLAGGED}) == len(FLAGGED)
    for f in FIELDS:
        assert f.doc.strip().endswith("."), f.path
        assert f.type in (bool, int, float, str), f.path
        if f.widget is not None:
            assert f.label, f.path
        if f.widget == "select":
            assert f.choices, f.path


def test_choices_are_the_schemas_literals() -> None:
    assert FIELD_BY_PATH["use_case.task"].choices == TASKS
    assert FIELD_BY_PATH["hardware.kind"].choices == get_args(HardwareKind)
    for name in ("deployment", "license"):
        annotation = Requirements.model_fields[name].annotation
        assert FIELD_BY_PATH[f"requirements.{name}"].choices == get_args(annotation)
        assert getattr(annotation, "__origin__", None) is Literal


def test_the_module_is_light() -> None:
    code = ("import sys, advisor.recommend.questionnaire; print([m for m in ('textual', 'litellm', 'sklearn',"
            " 'advisor.catalog', 'advisor.predict', 'advisor.recommend.pipeline') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- the CLI


def test_generated_flags_are_exactly_the_tables() -> None:
    from advisor.cli_recommend import recommend_cmd

    options = {p.opts[0]: p for p in recommend_cmd.params if isinstance(p, click.Option)}
    own = ["--input", "--no-prompts", "--json", "--help"]
    assert [o for o in options if o not in own] == [f.flag for f in FLAGGED]
    for f in FLAGGED:
        opt = options[f.flag]
        assert opt.name == f.param and opt.help == f.help, f.path
        if f.type is bool:
            assert opt.is_flag, f.path
        elif f.choices:
            assert isinstance(opt.type, click.Choice) and tuple(opt.type.choices) == f.choices, f.path
        else:
            assert opt.type.name == {int: "integer", float: "float", str: "text"}[f.type], f.path


@pytest.mark.parametrize("field", NUMERIC, ids=[f.flag for f in NUMERIC])
def test_an_invalid_flag_is_named(capsys, monkeypatch, field: Any) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(["recommend", "--no-prompts", "--task", "chat", field.flag, "-5"], capsys, monkeypatch)
    assert rc == 2 and out == ""
    assert err.startswith("error: flags: invalid: ") and err.count("\n") == 1, err
    assert f"{field.path} ({field.flag}): " in err


def test_a_value_from_the_file_names_the_field_only(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    q = tmp_path / "q.json"
    q.write_text(json.dumps({"use_case": {"task": "chat"}, "requirements": {"min_decode_tok_s": -1}}), encoding="utf-8")
    rc, _, err = run_main(["recommend", "--input", str(q), "--max-ttft-ms", "-2"], capsys, monkeypatch)
    assert rc == 2
    assert err == (f"error: {q}: invalid: requirements.max_ttft_ms (--max-ttft-ms): Input should be greater than 0; "
                   "requirements.min_decode_tok_s: Input should be greater than 0\n")


def test_flags_override_the_file_and_stdin(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"use_case": {"task": "code"}, "hardware": null}'))
    q = load_questionnaire("-", {"workload.concurrent_requests": 3, "hardware.count": 2, "hardware.detect": True})
    assert q.use_case.task == "code" and q.workload.concurrent_requests == 3
    assert q.hardware is not None and q.hardware.count == 2 and q.hardware.detect
    with pytest.raises(InputError, match=r"^use_case\.task: required \(give --task or an --input file\)$"):
        load_questionnaire(None, {"workload.prompt_tokens": 10})


# --------------------------------------------------------------------------- the TUI form


@pytest.mark.parametrize("field", form.NUMBER_FIELDS, ids=[f.path for f in form.NUMBER_FIELDS])
def test_an_invalid_form_field_is_shown_beside_it(field: Any) -> None:
    texts, _, _ = form.to_texts(form.defaults())
    texts[field.widget_id] = "-5"
    q, errors, _ = form.build(texts, "facts", None)
    assert q is None and errors.get(field.error_id), (field.path, errors)


def test_error_locations_map_to_form_fields_or_sections() -> None:
    for f in form.FORM_FIELDS:
        assert form.error_target(f.path) == f.error_id
        assert field_of(f.path) is f
    for loc in ("hardware.name", "hardware.detect", "hardware.fp16_tflops", "hardware"):
        assert form.error_target(loc) == "e-hardware"
    assert form.error_target("use_case.colour") == "e-use_case"
    assert form.error_target("") == "e-form"


def test_the_form_starts_from_the_schemas_defaults() -> None:
    hints = {f.path: form.placeholder(f) for f in form.NUMBER_FIELDS}
    assert hints["workload.prompt_tokens"] == "1000" and hints["workload.context_tokens"] == "prompt + output"
    assert [hints[f"priorities.{k}"] for k in ("accuracy", "speed", "cost", "footprint")] == ["6", "2.5", "1.5", "0"]
    assert hints["requirements.min_decode_tok_s"] == "none" and hints["hardware.memory_gb"] == "e.g. 24"
    assert form.initial(FIELD_BY_PATH["use_case.domain"]) == "general"
    # drop-downs start with the default
    assert form.options(FIELD_BY_PATH["requirements.deployment"]) == [("auto", "auto"), ("local", "local"), ("api", "api"), ("any", "any")]
    assert form.initial(FIELD_BY_PATH["use_case.profile"]) == "balanced"
    assert [v for _, v in form.options(FIELD_BY_PATH["use_case.task"])] == list(TASKS)
    assert form.initial(FIELD_BY_PATH["hardware.kind"]) == "gpu"
    assert [f.path for f in form.rows("requirements")][:2] == ["requirements.deployment", "requirements.license"]


# --------------------------------------------------------------------------- reading files


def test_load_errors_are_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = {
        "missing.json": None,
        "bad.json": '{\n  "use_case": {"task": "chat"},\n  "hardware": {"name": "4090",}\n}\n',
        "list.json": "[1, 2]",
        "invalid.json": json.dumps({"use_case": {"task": "poetry"}, "budget": 5}),
    }
    messages = {}
    for name, text in cases.items():
        path = tmp_path / name
        if text is not None:
            path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as exc:
            load_questionnaire(path)
        messages[name] = str(exc.value)
        assert "\n" not in messages[name] and messages[name].startswith(str(path)), messages[name]
    assert messages["missing.json"].endswith(": cannot read: No such file or directory")
    assert messages["bad.json"].startswith(f"{tmp_path / 'bad.json'}:3: not valid JSON: ")
    assert messages["list.json"].endswith(": expected a JSON object")
    assert "invalid: use_case.task: Input should be " in messages["invalid.json"]
    assert "budget: Extra inputs are not permitted" in messages["invalid.json"]


def test_cli_and_tui_report_a_bad_file_alike(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"use_case": {"task": "chat"}, "workload": {"prompt_tokens": 0}}', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_questionnaire(bad)
    expected = f"error: {exc.value}\n"
    assert expected == f"error: {bad}: invalid: workload.prompt_tokens: Input should be greater than or equal to 1\n"
    for args in (["recommend", "--input", str(bad)], ["tui", "--answers", str(bad), "--no-detect"]):
        rc, out, err = run_main(args, capsys, monkeypatch)
        assert (rc, out, err) == (2, "", expected), args


def test_parse_questionnaire_is_unchanged() -> None:
    assert parse_questionnaire({"use_case": {"task": "chat"}}) == Questionnaire.model_validate({"use_case": {"task": "chat"}})
    q = Questionnaire.model_validate({"use_case": {"task": "code"}})
    assert parse_questionnaire(q) is q
    with pytest.raises(InputError, match=r"^questionnaire: invalid: use_case: Field required$"):
        parse_questionnaire({})
    with pytest.raises(InputError, match=r"^x: invalid: priorities: Value error, at least one priority"):
        parse_questionnaire({"use_case": {"task": "chat"}, "priorities": {"accuracy": 0, "speed": 0, "cost": 0}}, "x")
