"""The questionnaire form without widgets: which fields it shows (the table of
`advisor.recommend.questionnaire`), parsing of what was typed, validation through the pydantic
`Questionnaire` (messages mapped back to fields through the same table), and the reverse (a
questionnaire -> the texts to show). The screen only moves strings in and out."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ValidationError

from advisor.recommend.questionnaire import FIELD_BY_PATH, FIELDS, SECTIONS, QuestionField, field_of
from advisor.schema import Questionnaire

Parse = Literal["int", "float", "priority"]

# Fields with a widget of their own (the catalog pick and the hardware mode are the screen's).
FORM_FIELDS: tuple[QuestionField, ...] = tuple(
    f for f in FIELDS if f.widget in ("select", "input", "textarea", "number", "priority"))
NUMBER_FIELDS: tuple[QuestionField, ...] = tuple(f for f in FORM_FIELDS if f.widget in ("number", "priority"))
# Typed-in hardware: the facts the form asks for, and those it cannot do without.
FACTS: tuple[QuestionField, ...] = tuple(
    FIELD_BY_PATH[p] for p in ("hardware.kind", "hardware.memory_gb", "hardware.mem_bandwidth_gbs"))
NEEDED_FACTS = ("memory_gb", "mem_bandwidth_gbs")
# What typed-in hardware keeps of a loaded file: the name and the facts the form does not show.
KEPT_FACTS = tuple(f.name for f in FIELDS if f.section == "hardware" and f.widget in (None, "catalog"))


def rows(section: str) -> list[QuestionField]:
    """The fields a section shows, in the table's order with the drop-downs first."""
    return sorted((f for f in FORM_FIELDS if f.section == section), key=lambda f: f.widget != "select")


def initial(f: QuestionField) -> str:
    """What a drop-down or text input starts with: the schema's default, else the first choice."""
    if isinstance(f.default, str):
        return f.default
    return f.choices[0] if f.choices else ""


def options(f: QuestionField) -> list[tuple[str, str]]:
    """A drop-down's (label, value) pairs: the schema's choices, the one it starts with first."""
    first = initial(f)
    return [(c, c) for c in (first, *(c for c in f.choices or () if c != first))]


def placeholder(f: QuestionField) -> str:
    """An empty input's hint: the table's, else (a number) what empty means: the default, or none."""
    if f.placeholder or f not in NUMBER_FIELDS:
        return f.placeholder
    if f.default is None:
        return "none"
    return _num(round(f.default * 10, 6) if f.widget == "priority" else f.default)


def defaults() -> Questionnaire:
    """The answers the form shows before any are given: the schema's defaults."""
    task = FIELD_BY_PATH["use_case.task"]
    return Questionnaire.model_validate({task.section: {task.name: initial(task)}})


def parse_number(text: str, kind: Parse) -> tuple[Any, str | None]:
    """(value, error). Empty text means "not given" (None)."""
    text = text.strip()
    if not text:
        return None, None
    if kind in ("int", "priority"):
        try:
            value = int(text)
        except ValueError:
            return None, "must be a whole number"
        if kind == "priority" and not 0 <= value <= 10:
            return None, "must be from 0 to 10"
        return value, None
    try:
        return float(text), None
    except ValueError:
        return None, "must be a number"


def read_field(f: QuestionField, text: str) -> tuple[Any, str | None]:
    """(value, error) of one field's text: a number (a priority / 10), or the text, where empty
    means the schema's default (the first choice for the task, which has none)."""
    if f.widget == "priority":
        value, err = parse_number(text, "priority")
        return (None if value is None else value / 10), err
    if f.widget == "number":
        return parse_number(text, "int" if f.type is int else "float")
    text = text.strip() if f.widget == "input" else text
    return (text or (initial(f) if f.required else f.default)), None


def build(values: dict[str, str], hw_mode: str, hw_name: str | None,
          extra_hardware: dict[str, Any] | None = None) -> tuple[Questionnaire | None, dict[str, str], dict[str, Any]]:
    """Form texts (by widget id, `f-workload-prompt_tokens`) -> (questionnaire or None, errors
    by error id, raw dict). `hw_mode` is detect, catalog (`hw_name`), facts (the typed-in ones
    over `extra_hardware`, a loaded file's) or none."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {s: {} for s in SECTIONS if s != "hardware"}
    typed: dict[str, Any] = {}
    for f in FORM_FIELDS:
        value, err = read_field(f, values.get(f.widget_id, ""))
        if err:
            errors[f.error_id] = err
        elif value is not None:
            (typed if f.section == "hardware" else data[f.section])[f.name] = value
    hardware = _hardware(hw_mode, hw_name, typed, extra_hardware or {}, errors)
    if hardware is not None:
        data["hardware"] = hardware
    try:
        q = Questionnaire.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            errors.setdefault(error_target(".".join(str(p) for p in e["loc"])), _message(e))
        return None, errors, data
    return (q if not errors else None), errors, data


def _hardware(mode: str, name: str | None, typed: dict[str, Any], extra: dict[str, Any],
              errors: dict[str, str]) -> dict[str, Any] | None:
    count = typed.get("count", 1)
    if mode == "detect":
        return {"detect": True, "count": count}
    if mode == "catalog":
        if name:
            return {"name": name, "count": count}
        errors["e-hardware"] = "pick a device from the list (search e.g. 4090)"
    elif mode == "facts":
        facts = {k: v for k, v in extra.items() if k in KEPT_FACTS}
        facts.update(typed)
        for key in NEEDED_FACTS:
            if key not in facts:
                errors[FIELD_BY_PATH[f"hardware.{key}"].error_id] = "needed for typed-in hardware"
        return facts
    return None


def error_target(loc: str) -> str:
    """The error id a validation error at `loc` (`requirements.min_decode_tok_s`) is shown in:
    its field's, else its section's, else the form's."""
    field = field_of(loc)
    if field is not None and field in FORM_FIELDS:
        return field.error_id
    section = loc.split(".", 1)[0]
    return "e-" + (section if section in SECTIONS else "form")


def _message(e: dict[str, Any]) -> str:
    msg = str(e.get("msg", "invalid"))
    for prefix in ("Value error, ", "Input should be "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):] if prefix == "Value error, " else "should be " + msg[len(prefix):]
    return msg


def to_texts(q: Questionnaire) -> tuple[dict[str, str], str, str | None]:
    """A questionnaire -> (texts by widget id, hardware mode, catalog hardware name)."""
    out: dict[str, str] = {}
    pr = q.priorities
    given = pr.model_fields_set  # a priority not given stays empty: the profile sets it
    weights = [getattr(pr, f.name) for f in FORM_FIELDS if f.widget == "priority" and f.name in given]
    scale = 10.0
    if any(abs(w * 10 - round(w * 10)) > 1e-9 or w * 10 > 10 for w in weights):
        top = max(weights)
        scale = 10.0 / top if top > 0 else 10.0  # keep the ratios on a 0-10 scale
    for f in FORM_FIELDS:
        if f.section == "hardware":
            continue
        value = getattr(getattr(q, f.section), f.name)
        if f.widget == "priority":
            out[f.widget_id] = str(int(round(value * scale))) if f.name in given else ""
        elif f.widget == "number":
            out[f.widget_id] = "" if value is None else _num(value)
        else:
            out[f.widget_id] = value
    hw = q.hardware
    mode, name = "none", None
    if hw is not None:
        out[FIELD_BY_PATH["hardware.count"].widget_id] = str(hw.count)
        if hw.detect:
            mode = "detect"
        elif hw.name:
            mode, name = "catalog", hw.name
        else:
            mode = "facts"
            for f in FACTS:
                value = getattr(hw, f.name)
                if f.widget == "number":
                    out[f.widget_id] = _num(value) if value else ""
                elif value:
                    out[f.widget_id] = value
    return out, mode, name


def _num(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
