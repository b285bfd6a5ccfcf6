"""The questionnaire's fields in one table, and the one way to read a questionnaire.

`FIELDS` holds a `QuestionField` per field of `advisor.schema.Questionnaire`: its dotted path,
the `advisor recommend` flag that sets it and the flag's help, its label and widget in the
TUI's questionnaire, and what it means. Types, choices and defaults are not restated: they
are read from the pydantic schema (the choices with `typing.get_args` on its `Literal` types).
`advisor.cli_recommend` generates its options from the table, `advisor.tui.form` and the
questionnaire screen their rows, and an error's location (`requirements.min_decode_tok_s`)
maps back to the flag or the form field through `FIELD_BY_PATH`.

`load_questionnaire` reads a questionnaire JSON file for `advisor recommend --input` and for
the TUI (`advisor tui --answers`, ctrl+o); `parse_questionnaire` validates a dict. Every
error is one line naming `FILE:LINE` or the field.

Light: pydantic and the schema; not the catalog, the predictor, Textual or litellm.
"""

from __future__ import annotations

import types
from collections.abc import Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from advisor.errors import InputError
from advisor.schema import Questionnaire

__all__ = ["FIELDS", "FIELD_BY_PATH", "SECTIONS", "QuestionField", "load_questionnaire",
           "parse_questionnaire", "read_json_object"]

Widget = Literal["select", "input", "textarea", "number", "priority", "catalog", "mode"]
"""How the TUI asks for a field: `select` (a drop-down of the choices), `input` (one line of
text), `textarea` (free text), `number` (typed in; empty = not given), `priority` (a weight
typed in on a 0-10 scale, held /10), `catalog` (picked from the catalog's hardware list),
`mode` (the hardware mode drop-down)."""

SECTIONS: dict[str, str] = {
    "use_case": "Use case",
    "workload": "Workload",
    "requirements": "Requirements",
    "priorities": "Priorities",
    "hardware": "Hardware",
}
"""The questionnaire's sections in order, with their titles in the TUI."""


def _one_type(annotation: Any) -> Any:
    """`X | None` -> X (the questionnaire's fields have one type each, maybe optional)."""
    if get_origin(annotation) in (Union, types.UnionType):
        (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
    return annotation


def _section_models() -> dict[str, type[BaseModel]]:
    return {name: _one_type(info.annotation) for name, info in Questionnaire.model_fields.items()}


_MODELS = _section_models()


@dataclass(frozen=True)
class QuestionField:
    """One field of the questionnaire, as the CLI and the TUI present it."""

    path: str
    """Dotted path in the questionnaire JSON: `requirements.min_decode_tok_s`."""
    doc: str
    """What the field means, its unit, and what the recommender does with it."""
    flag: str | None = None
    """The `advisor recommend` option that sets it; None: only in a questionnaire file."""
    help: str | None = None
    """The option's text in `advisor recommend --help` (None: the option alone)."""
    label: str | None = None
    """Its label in the TUI's questionnaire."""
    widget: Widget | None = None
    """How the TUI asks for it; None: not asked (a value loaded from a file is kept)."""
    placeholder: str = ""
    """The hint an empty TUI input shows; "" for what empty means (the default, or none)."""

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.path.split(".", 1)[1]

    @property
    def annotation(self) -> Any:
        """The schema's type of the field, without `| None`."""
        return _one_type(_MODELS[self.section].model_fields[self.name].annotation)

    @property
    def choices(self) -> tuple[str, ...] | None:
        """The values of the schema's `Literal` type, in its order; None for free values."""
        return get_args(self.annotation) if get_origin(self.annotation) is Literal else None

    @property
    def type(self) -> type:
        """bool, int, float or str (a choice is a str)."""
        return str if self.choices else self.annotation

    @property
    def required(self) -> bool:
        return _MODELS[self.section].model_fields[self.name].is_required()

    @property
    def default(self) -> Any:
        """The schema's default (None when required)."""
        info = _MODELS[self.section].model_fields[self.name]
        return None if info.is_required() else info.get_default(call_default_factory=True)

    @property
    def param(self) -> str:
        """The click parameter name of the flag: `--min-decode-tok-s` -> `min_decode_tok_s`."""
        return (self.flag or "").lstrip("-").replace("-", "_")

    @property
    def widget_id(self) -> str:
        """The TUI widget's id: `f-requirements-min_decode_tok_s`."""
        return "f-" + self.path.replace(".", "-")

    @property
    def error_id(self) -> str:
        """The id of the TUI line beside the widget that shows its error."""
        return "e-" + self.path.replace(".", "-")


FIELDS: tuple[QuestionField, ...] = (
    # ------------------------------------------------------------------ use case
    QuestionField(
        "use_case.task", flag="--task", help="What the model is for.", label="Task", widget="select",
        doc="What the model is for. Task accuracy is the mean of the model's scores on this task's "
            "benchmarks (advisor/recommend/tasks.py); the prompt set is written for it.",
    ),
    QuestionField(
        "use_case.profile", flag="--profile", help="What the ranking puts first.", label="Profile",
        widget="select",
        doc="`real-time`: speed and time to first token first; `high-precision`: accuracy first, "
            "with a higher accuracy floor; `resource-constrained`: the smallest footprint that does "
            "the job; `balanced`: the priorities as given. A profile sets the priorities, the speed "
            "and latency needs and the accuracy floor; any of them given explicitly wins.",
    ),
    QuestionField(
        "use_case.domain", flag="--domain", label="Domain", widget="input", placeholder="e.g. legal, medical",
        doc="The subject the prompts are about (legal, medical, ...): the generated prompt set is "
            "worded for it; the ranking does not depend on it.",
    ),
    QuestionField(
        "use_case.description", flag="--description", label="Description (optional)", widget="textarea",
        doc="Free text about the use case, kept with the answers; the recommender does not read it.",
    ),
    # ------------------------------------------------------------------ workload
    QuestionField(
        "workload.prompt_tokens", flag="--prompt-tokens", label="Prompt tokens", widget="number",
        doc="Tokens in a typical prompt: the prefill behind the time to first token, and (with the "
            "output) the default context; hosted prices weigh input and output tokens by it.",
    ),
    QuestionField(
        "workload.output_tokens", flag="--output-tokens", label="Output tokens", widget="number",
        doc="Tokens generated per answer: part of the default context and of the price per token.",
    ),
    QuestionField(
        "workload.context_tokens", flag="--context-tokens", label="Context tokens", widget="number",
        placeholder="prompt + output",
        doc="Tokens held in context per request (default: prompt + output): the KV cache each "
            "request needs, and the context window a model must have.",
    ),
    QuestionField(
        "workload.concurrent_requests", flag="--concurrent-requests", label="Concurrent requests", widget="number",
        doc="Requests served at once: memory holds a KV cache for each; speeds stay per stream.",
    ),
    # ------------------------------------------------------------------ requirements
    QuestionField(
        "requirements.min_decode_tok_s", flag="--min-decode-tok-s", label="Min decode tok/s", widget="number",
        doc="Slowest acceptable generation speed of one stream, tokens/s; judged on the prediction "
            "and its 80 % interval (unknown for hosted APIs).",
    ),
    QuestionField(
        "requirements.max_ttft_ms", flag="--max-ttft-ms", label="Max TTFT ms", widget="number",
        doc="Longest acceptable time to the first token, milliseconds; judged like the speed.",
    ),
    QuestionField(
        "requirements.min_context_tokens", flag="--min-context-tokens", label="Min context tokens",
        widget="number",
        doc="Smallest context window a model must have, tokens (at least the workload's context).",
    ),
    QuestionField(
        "requirements.deployment", flag="--deployment", label="Deployment", widget="select",
        doc="Where the model runs: `auto` (local on the hardware below when it is given, with hosted "
            "models as a separate comparison; hosted when no hardware is given), `local`, `api` "
            "(hosted) or `any` (both ranked together).",
    ),
    QuestionField(
        "requirements.license", flag="--license", label="License", widget="select",
        doc="`open`: open weights only; `commercial`: only licenses that clearly allow commercial "
            "use; `any`: no limit.",
    ),
    QuestionField(
        "requirements.max_usd_per_1m_tokens", flag="--max-usd-per-1m-tokens", label="Max $ / 1M tokens",
        widget="number",
        doc="Highest acceptable price of a hosted model, US dollars per million tokens (input and "
            "output weighted by the workload); local models cost nothing here.",
    ),
    QuestionField(
        "requirements.min_accuracy", flag="--min-accuracy", label="Min accuracy (0-100)", widget="number",
        doc="Lowest acceptable task accuracy, 0-100 points, after the quantization's predicted loss.",
    ),
    # ------------------------------------------------------------------ priorities
    QuestionField(
        "priorities.accuracy", flag="--priority-accuracy", label="Accuracy (0-10)", widget="priority",
        doc="Weight of task accuracy in the utility that ranks the feasible candidates (weights are "
            "relative; at least one must be above 0).",
    ),
    QuestionField(
        "priorities.speed", flag="--priority-speed", label="Speed (0-10)", widget="priority",
        doc="Weight of decode speed (on a log scale) in the utility.",
    ),
    QuestionField(
        "priorities.cost", flag="--priority-cost", label="Cost (0-10)", widget="priority",
        doc="Weight of low price (hosted models; local ones count as free) in the utility.",
    ),
    QuestionField(
        "priorities.footprint", flag="--priority-footprint", label="Footprint (0-10)", widget="priority",
        doc="Weight of the device memory a candidate leaves free (the resource-constrained profile "
            "sets it; 0 otherwise).",
    ),
    QuestionField(
        "priorities.enough_decode_tok_s", flag="--enough-tok-s", label="Enough tok/s", widget="number",
        placeholder="per task and profile",
        doc="Decode speed (one stream, tokens/s) that is enough for the use case: speed counts in full "
            "up to it and little beyond; a candidate under half of it ranks after those above. Default: "
            "the task's need (10 for chat, 20 for code, ...) times the profile's factor.",
    ),
    QuestionField(
        "priorities.ttft_budget_ms", flag="--ttft-budget-ms", label="TTFT budget ms", widget="number",
        placeholder="per profile",
        doc="Time to first token the speed term is measured against (the real-time profile sets 1,000 "
            "ms); unlike --max-ttft-ms it rejects nothing.",
    ),
    QuestionField(
        "priorities.accuracy_margin", flag="--accuracy-margin", label="Accuracy margin (points)",
        widget="number", placeholder="per profile",
        doc="Points below the most accurate usable candidate that still do the job (the accuracy "
            "floor); candidates below the floor rank after those above it, whatever their speed.",
    ),
    # ------------------------------------------------------------------ hardware
    QuestionField(
        "hardware.name", flag="--hardware", help="Catalog name or alias ('RTX 4090', '4090', 'M2 Ultra').",
        label="Search catalog", widget="catalog", placeholder="e.g. 4090, H100, M2",
        doc="A device of the catalog, by name or alias: its memory, bandwidth and compute come "
            "from there (facts given beside it override them).",
    ),
    QuestionField(
        "hardware.count", flag="--count", help="Number of devices.", label="Device count", widget="number",
        doc="How many such devices the model may be split across.",
    ),
    QuestionField(
        "hardware.detect", flag="--detect-hardware", help="Use this machine.", label="Hardware", widget="mode",
        doc="Use this machine's accelerator, detected when the recommendation is made.",
    ),
    QuestionField(
        "hardware.kind", flag="--kind", help="Hardware by facts: kind.", label="Kind", widget="select",
        doc="Hardware by facts: the kind of device; it sets the usable share of memory and the engines.",
    ),
    QuestionField(
        "hardware.memory_gb", flag="--memory-gb", help="Hardware by facts: memory per device.",
        label="Memory GB per device", widget="number", placeholder="e.g. 24",
        doc="Hardware by facts: memory per device, GB (required for typed-in hardware).",
    ),
    QuestionField(
        "hardware.mem_bandwidth_gbs", flag="--bandwidth-gbs", help="Hardware by facts: memory bandwidth.",
        label="Bandwidth GB/s", widget="number", placeholder="e.g. 1008",
        doc="Hardware by facts: memory bandwidth per device, GB/s: what decode speed mostly depends on.",
    ),
    QuestionField(
        "hardware.host_memory_gb", flag="--host-memory-gb", help="System memory beside the GPU (offloading).",
        doc="System memory beside a GPU, GB: with its bandwidth, models that do not fit in video memory "
            "are also proposed with MoE experts or layers in system memory (llama.cpp offload).",
    ),
    QuestionField(
        "hardware.host_bandwidth_gbs", flag="--host-bandwidth-gbs", help="That system memory's bandwidth, GB/s.",
        doc="Bandwidth of that system memory, GB/s (dual-channel DDR5-5600: about 90): the offloaded "
            "part's decode speed depends on it.",
    ),
    QuestionField(
        "hardware.fp16_tflops", doc="Hardware by facts: dense FP16 tensor compute per device, TFLOPS "
                                    "(prefill speed); optional.",
    ),
    QuestionField(
        "hardware.fp32_tflops", doc="Hardware by facts: FP32 compute per device, TFLOPS; optional.",
    ),
)
"""Every questionnaire field, in the order of `advisor recommend --help` (and of the TUI's
rows within a section, drop-downs first)."""

FIELD_BY_PATH: dict[str, QuestionField] = {f.path: f for f in FIELDS}


def field_of(loc: str) -> QuestionField | None:
    """The field an error location is about: `hardware.memory_gb` -> its field; a section or an
    unknown key -> None."""
    return FIELD_BY_PATH.get(".".join(loc.split(".")[:2]))


# --------------------------------------------------------------------------- reading


def parse_questionnaire(data: Any, where: str = "questionnaire", flags: Container[str] = ()) -> Questionnaire:
    """Validate a dict (JSON) into a Questionnaire; errors name the field (and its flag, when
    `flags`, the paths given as `advisor recommend` flags, hold it)."""
    if isinstance(data, Questionnaire):
        return with_document_prompt(data)
    try:
        return with_document_prompt(Questionnaire.model_validate(data))
    except ValidationError as exc:
        msgs = []
        for e in exc.errors():
            loc = ".".join(str(p) for p in e["loc"]) or where
            field = field_of(loc)
            named = f"{loc} ({field.flag})" if field is not None and field.path in flags else loc
            msgs.append(f"{named}: {e['msg']}")
        raise InputError(f"{where}: invalid: " + "; ".join(msgs)) from None


# tasks whose prompt is the documents held in context (a RAG prompt carries its retrieved chunks,
# a summary's the text): their first token waits for the whole of it
DOCUMENT_TASKS = ("rag", "summarization", "extraction")


def document_prompt_tokens(q: Questionnaire) -> int | None:
    """The prompt of a document task with a context: the context less the output (None for
    other tasks, or without a context)."""
    wl = q.workload
    if q.use_case.task not in DOCUMENT_TASKS or wl.context_tokens is None:
        return None
    return max(1, wl.context_tokens - wl.output_tokens)


def with_document_prompt(q: Questionnaire) -> Questionnaire:
    """A document task given a context but no prompt length: the prompt is the context less the
    output (the answer says so: `notes.document_prompt_note`)."""
    prompt = document_prompt_tokens(q)
    if prompt is None or "prompt_tokens" in q.workload.model_fields_set:
        return q
    return q.model_copy(update={"workload": q.workload.model_copy(update={"prompt_tokens": prompt})})


def read_json_object(path: str | Path) -> dict[str, Any]:
    """The JSON object in a file (`-`: stdin); errors are one line naming the file (and line)."""
    from advisor.safeio import read_json

    data = read_json(path)  # size, UTF-8 (byte offset), nesting and finite numbers checked
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object")
    return data


def load_questionnaire(path: str | Path | None, flags: Mapping[str, Any] | None = None) -> Questionnaire:
    """The questionnaire in a JSON file (`-`: stdin), as `advisor recommend --input` and the
    TUI (`--answers`, ctrl+o) read it. Errors are one line: `FILE: cannot read: ...`,
    `FILE:LINE: not valid JSON: ...`, `FILE: expected a JSON object`, `FILE: invalid: FIELD: ...`.

    `flags` (the CLI): values given as `advisor recommend` flags, by dotted path; they override
    the file's (`path` None: no file), and errors on them or a missing task name the flag."""
    data = read_json_object(path) if path is not None else {}
    where = str(path) if path is not None else "flags"
    if flags is None:
        return parse_questionnaire(data, where=where)
    for dotted, value in flags.items():
        _put(data, dotted, value)
    if "use_case" not in data:
        task = FIELD_BY_PATH["use_case.task"]
        raise InputError(f"{task.path}: required (give {task.flag} or an --input file)")
    return parse_questionnaire(data, where=where, flags=flags)


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set `a.b` in nested dicts (a section that is not an object is replaced: flags win)."""
    *parents, key = dotted.split(".")
    for k in parents:
        if not isinstance(data.get(k), dict):
            data[k] = {}
        data = data[k]
    data[key] = value
