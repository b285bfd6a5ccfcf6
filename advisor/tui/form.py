"""The questionnaire form without widgets: field definitions, parsing of what was typed,
validation through the pydantic `Questionnaire` (messages mapped back to fields), and the
reverse (a questionnaire -> the texts to show). The screen only moves strings in and out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pydantic and the schema load after the TUI's first paint
    from advisor.schema import Questionnaire

Parse = Literal["int", "float", "text", "choice", "priority"]
HW_MODES = ("detect", "catalog", "facts", "none")


@dataclass(frozen=True)
class Field:
    loc: tuple[str, ...]
    label: str
    parse: Parse
    placeholder: str = ""

    @property
    def id(self) -> str:
        return "f-" + "-".join(self.loc)

    @property
    def error_id(self) -> str:
        return "e-" + "-".join(self.loc)


# Fields typed into Inputs (task, deployment, license, kind and mode are Selects).
NUMBER_FIELDS: tuple[Field, ...] = (
    Field(("workload", "prompt_tokens"), "Prompt tokens", "int", "1000"),
    Field(("workload", "output_tokens"), "Output tokens", "int", "300"),
    Field(("workload", "context_tokens"), "Context tokens", "int", "prompt + output"),
    Field(("workload", "concurrent_requests"), "Concurrent requests", "int", "1"),
    Field(("requirements", "min_decode_tok_s"), "Min decode tok/s", "float", "none"),
    Field(("requirements", "max_ttft_ms"), "Max TTFT ms", "float", "none"),
    Field(("requirements", "min_context_tokens"), "Min context tokens", "int", "none"),
    Field(("requirements", "max_usd_per_1m_tokens"), "Max $ / 1M tokens", "float", "none"),
    Field(("requirements", "min_accuracy"), "Min accuracy (0-100)", "float", "none"),
    Field(("priorities", "accuracy"), "Accuracy (0-10)", "priority", "5"),
    Field(("priorities", "speed"), "Speed (0-10)", "priority", "3"),
    Field(("priorities", "cost"), "Cost (0-10)", "priority", "2"),
    Field(("hardware", "count"), "Device count", "int", "1"),
    Field(("hardware", "memory_gb"), "Memory GB per device", "float", "e.g. 24"),
    Field(("hardware", "mem_bandwidth_gbs"), "Bandwidth GB/s", "float", "e.g. 1008"),
)
FIELD_BY_LOC = {f.loc: f for f in NUMBER_FIELDS}
# Every place an error can be shown: the fields, plus one line per section.
SECTIONS = ("use_case", "workload", "requirements", "priorities", "hardware")


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


def build(values: dict[str, str], hw_mode: str, hw_name: str | None,
          extra_hardware: dict[str, Any] | None = None) -> tuple[Questionnaire | None, dict[str, str], dict[str, Any]]:
    """Form texts (by field id) -> (questionnaire or None, errors by error id, raw dict).

    `values` holds "f-use_case-task", "f-use_case-domain", "f-use_case-description",
    "f-requirements-deployment", "f-requirements-license", "f-hardware-kind" and the
    number fields."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {"use_case": {}, "workload": {}, "requirements": {}, "priorities": {}}
    task = values.get("f-use_case-task") or "chat"
    data["use_case"]["task"] = task
    data["use_case"]["domain"] = (values.get("f-use_case-domain") or "").strip() or "general"
    data["use_case"]["description"] = values.get("f-use_case-description") or ""
    data["requirements"]["deployment"] = values.get("f-requirements-deployment") or "any"
    data["requirements"]["license"] = values.get("f-requirements-license") or "any"
    hardware: dict[str, Any] = {}
    for f in NUMBER_FIELDS:
        value, err = parse_number(values.get(f.id, ""), f.parse)
        if err:
            errors[f.error_id] = err
            continue
        if value is None:
            continue
        if f.parse == "priority":
            value = value / 10
        if f.loc[0] == "hardware":
            hardware[f.loc[1]] = value
        else:
            data[f.loc[0]][f.loc[1]] = value
    count = hardware.get("count", 1)
    if hw_mode == "detect":
        data["hardware"] = {"detect": True, "count": count}
    elif hw_mode == "catalog":
        if hw_name:
            data["hardware"] = {"name": hw_name, "count": count}
        else:
            errors["e-hardware"] = "pick a device from the list (search e.g. 4090)"
    elif hw_mode == "facts":
        facts = {k: v for k, v in (extra_hardware or {}).items()
                 if k in ("fp16_tflops", "fp32_tflops", "name")}
        facts.update({k: v for k, v in hardware.items()})
        kind = values.get("f-hardware-kind")
        if kind:
            facts["kind"] = kind
        if "memory_gb" not in facts:
            errors["e-hardware-memory_gb"] = "needed for typed-in hardware"
        if "mem_bandwidth_gbs" not in facts:
            errors["e-hardware-mem_bandwidth_gbs"] = "needed for typed-in hardware"
        data["hardware"] = facts
    from pydantic import ValidationError

    from advisor.schema import Questionnaire

    try:
        q = Questionnaire.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            loc = tuple(str(p) for p in e["loc"])
            errors.setdefault(_error_target(loc), _message(e))
        return None, errors, data
    return (q if not errors else None), errors, data


def _error_target(loc: tuple[str, ...]) -> str:
    for n in range(len(loc), 0, -1):
        key = loc[:n]
        if key in FIELD_BY_LOC:
            return FIELD_BY_LOC[key].error_id
        if key in (("use_case", "domain"), ("use_case", "task"), ("use_case", "description"),
                   ("requirements", "deployment"), ("requirements", "license"), ("hardware", "kind")):
            return "e-" + "-".join(key)
    return "e-" + (loc[0] if loc and loc[0] in SECTIONS else "form")


def _message(e: dict[str, Any]) -> str:
    msg = str(e.get("msg", "invalid"))
    for prefix in ("Value error, ", "Input should be "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):] if prefix == "Value error, " else "should be " + msg[len(prefix):]
    return msg


def to_texts(q: Questionnaire) -> tuple[dict[str, str], str, str | None]:
    """A questionnaire -> (texts by field id, hardware mode, catalog hardware name)."""
    out: dict[str, str] = {
        "f-use_case-task": q.use_case.task,
        "f-use_case-domain": q.use_case.domain,
        "f-use_case-description": q.use_case.description,
        "f-requirements-deployment": q.requirements.deployment,
        "f-requirements-license": q.requirements.license,
    }
    pr = q.priorities
    weights = [pr.accuracy, pr.speed, pr.cost]
    scale = 10.0
    if any(abs(w * 10 - round(w * 10)) > 1e-9 or w * 10 > 10 for w in weights):
        top = max(weights)
        scale = 10.0 / top if top > 0 else 10.0  # keep the ratios on a 0-10 scale
    for f in NUMBER_FIELDS:
        section, name = f.loc
        if section == "hardware":
            continue
        if section == "priorities":
            out[f.id] = str(int(round(getattr(pr, name) * scale)))
            continue
        value = getattr(getattr(q, section), name)
        out[f.id] = "" if value is None else _num(value)
    hw = q.hardware
    mode, name = "none", None
    if hw is not None:
        out["f-hardware-count"] = str(hw.count)
        if hw.detect:
            mode = "detect"
        elif hw.name:
            mode, name = "catalog", hw.name
        else:
            mode = "facts"
            out["f-hardware-memory_gb"] = _num(hw.memory_gb) if hw.memory_gb else ""
            out["f-hardware-mem_bandwidth_gbs"] = _num(hw.mem_bandwidth_gbs) if hw.mem_bandwidth_gbs else ""
            if hw.kind:
                out["f-hardware-kind"] = hw.kind
    return out, mode, name


def _num(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
