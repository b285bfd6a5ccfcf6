"""The questionnaire form without widgets: parsing, validation messages, round trips."""

from __future__ import annotations

from advisor.schema import Questionnaire
from advisor.tui import form
from advisor.tui.widgets import interval


def texts(**over: str) -> dict[str, str]:
    base, _, _ = form.to_texts(Questionnaire.model_validate({"use_case": {"task": "chat"}}))
    base.update(over)
    return base


def test_defaults_are_valid() -> None:
    q, errors, _ = form.build(texts(), "none", None)
    assert errors == {} and q == Questionnaire.model_validate({"use_case": {"task": "chat"}})


def test_messages_are_mapped_to_fields() -> None:
    _, errors, _ = form.build(texts(**{"f-workload-prompt_tokens": "-5", "f-requirements-min_accuracy": "120",
                                       "f-workload-output_tokens": "abc"}), "none", None)
    assert "greater than or equal to 1" in errors["e-workload-prompt_tokens"]
    assert "less than or equal to 100" in errors["e-requirements-min_accuracy"]
    assert errors["e-workload-output_tokens"] == "must be a whole number"
    _, errors, _ = form.build(texts(**{"f-priorities-accuracy": "0", "f-priorities-speed": "0",
                                       "f-priorities-cost": "0"}), "none", None)
    assert "at least one priority" in errors["e-priorities"]
    _, errors, _ = form.build(texts(), "catalog", None)
    assert "pick a device" in errors["e-hardware"]
    _, errors, _ = form.build(texts(), "facts", None)
    assert "e-hardware-memory_gb" in errors


def test_round_trip() -> None:
    q = Questionnaire.model_validate({
        "use_case": {"task": "rag", "domain": "legal", "description": "contracts"},
        "workload": {"prompt_tokens": 8000, "output_tokens": 500, "context_tokens": 16000, "concurrent_requests": 4},
        "requirements": {"deployment": "local", "license": "open", "min_decode_tok_s": 25.5, "max_ttft_ms": 800},
        "priorities": {"accuracy": 0.6, "speed": 0.3, "cost": 0.1},
        "hardware": {"kind": "gpu", "memory_gb": 48, "mem_bandwidth_gbs": 960, "count": 2},
    })
    t, mode, name = form.to_texts(q)
    back, errors, _ = form.build(t, mode, name, q.hardware.model_dump(exclude_none=True))
    assert errors == {} and back == q
    t, mode, name = form.to_texts(q.model_copy(update={"hardware": None}))
    assert mode == "none"


def test_interval_format() -> None:
    assert interval(42.0, 35.0, 50.0, 0) == "42 (35-50)"
    assert interval(None, None, None) == "—"
