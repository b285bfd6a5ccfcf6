"""Snapshot tests of the main screens (pytest-textual-snapshot). Fixed data: a fixed
recommendation and hardware list, no detection, no cursor blink. Update with
`pytest tests/test_tui_snapshots.py --snapshot-update` after checking the SVGs by eye."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from advisor.schema import PromptSet, Questionnaire, Recommendation
from advisor.tui.backend import Backend

sys.path.insert(0, str(Path(__file__).parent))
from _tui_fixtures import QUESTIONNAIRE, fixture_recommendation  # noqa: E402

HARDWARE = [
    {"name": "NVIDIA GeForce RTX 4090", "kind": "gpu", "vendor": "NVIDIA", "memory_gb": 24.0,
     "mem_bandwidth_gbs": 1010.0, "fp16_tflops": None, "measurements": 10},
    {"name": "NVIDIA H100 SXM5 80 GB", "kind": "gpu", "vendor": "NVIDIA", "memory_gb": 80.0,
     "mem_bandwidth_gbs": 3350.0, "fp16_tflops": 989.0, "measurements": 5},
]


class SnapBackend(Backend):
    """Deterministic answers for every call the screens make."""

    def recommend(self, questionnaire: Questionnaire) -> Recommendation:
        return fixture_recommendation(questionnaire)

    def list_hardware(self, search: str | None = None) -> list[dict[str, Any]]:
        s = (search or "").lower()
        return [h for h in HARDWARE if s in h["name"].lower()]

    def prompt_set(self, task: str, model: str, domain: str = "general",
                   context_window: int | None = None) -> PromptSet:
        ps = fixture_recommendation().prompt_set
        assert ps is not None
        return ps.model_copy(update={"model": model})

    def detect_hardware(self):  # never called: detect=False
        return None


def app(answers: bool = True, auto_submit: bool = False):
    from advisor.tui.app import build_app

    q = Questionnaire.model_validate(QUESTIONNAIRE) if answers else None
    return build_app(q, backend=SnapBackend(), detect=False, cursor_blink=False, auto_submit=auto_submit)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture(autouse=True)
def _no_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a: Any, **_k: Any) -> None:
        raise AssertionError("snapshot tests must not open the catalog")

    monkeypatch.setattr(Backend, "catalog", fail)


def test_questionnaire(snap_compare) -> None:
    assert snap_compare(app(answers=False), terminal_size=(100, 30), run_before=settle)


def test_questionnaire_invalid_80x24(snap_compare) -> None:
    async def before(pilot) -> None:
        await settle(pilot)
        field = pilot.app.screen.query_one("#f-workload-prompt_tokens")
        field.focus()
        field.value = ""
        await pilot.press("-", "5")
        await pilot.pause()

    assert snap_compare(app(answers=False), terminal_size=(80, 24), run_before=before)


def test_answer(snap_compare) -> None:
    assert snap_compare(app(auto_submit=True), terminal_size=(100, 30), run_before=settle)


def test_answer_chart(snap_compare) -> None:
    async def before(pilot) -> None:
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause(0.3)

    assert snap_compare(app(auto_submit=True), terminal_size=(100, 30), run_before=before)


def test_prompt_set(snap_compare) -> None:
    async def before(pilot) -> None:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(app(auto_submit=True), terminal_size=(100, 30), run_before=before)


def test_help_light_theme(snap_compare) -> None:
    async def before(pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+t", "f1")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(80, 24), run_before=before)
