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


MODELS = [
    {"name": "CodeLlama-34B-Instruct", "params_b": 33.7, "context_len": 16384, "measurements": 12, "scores": 9},
    {"name": "DeepSeek-R1", "params_b": 671.0, "context_len": 131072, "measurements": 4, "scores": 30},
    {"name": "anthropic.claude-3-7-sonnet-20250219-v1:0", "params_b": None, "context_len": 200000,
     "measurements": 0, "scores": 11},
    {"name": "NVIDIA-Nemotron-3.5-Lightning-30B-A3B-BF16", "params_b": 31.6, "context_len": 1048576,
     "measurements": 0, "scores": 14},
]


class SnapBackend(Backend):
    """Deterministic answers for every call the screens make."""

    def recommend(self, questionnaire: Questionnaire, say: Any = None) -> Recommendation:
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

    def list_models(self, search: str | None = None) -> list[dict[str, Any]]:
        s = (search or "").lower()
        return [m for m in MODELS if s in m["name"].lower()]

    def show(self, name: str) -> dict[str, Any]:
        model = next((m for m in MODELS if m["name"] == name), None)
        if model is None:
            hw = next(h for h in HARDWARE if h["name"] == name)
            return {"name": name, "type": "hardware", "aliases": ["4090"], "facts": {"kind": hw["kind"],
                    "memory_gb": hw["memory_gb"], "source": "techpowerup: TechPowerUp GPU database"},
                    "measurements": [], "scores": []}
        return {"name": name, "type": "model", "aliases": [], "facts": {
                    "params_b": model["params_b"], "context_len": model["context_len"],
                    "source": "hf-config: config.json on the Hub"},
                "measurements": [{"hardware": "NVIDIA GeForce RTX 4090", "quant": "Q4_K_M", "engine": "llama.cpp",
                                  "n_devices": 1, "measure_kind": "single_stream", "batch_size": 1,
                                  "decode_tok_s": 31.5, "prefill_tok_s": 2900.0,
                                  "source": "llama-bench-4090: github:ggml-org discussions"}],
                "scores": [{"benchmark": "HumanEval", "setting": "pass@1", "score": 48.8,
                            "source": "open-llm-leaderboard: HF"}]}


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


# ---------------------------------------------------------------- issue 18: three sizes
SIZES = [(80, 24), (120, 40), (200, 50)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_answer_sizes(snap_compare, size) -> None:
    """The answer's Candidates tab. Look for: every row's decode tok/s with its 80 % interval
    and its M/P mark, memory against the device (x/24), accuracy with one decimal and its mark
    whole at every width; long names (row 5) elided in the middle, never a figure cut; at 80
    columns Engine/provider and Utility give way first (the detail pane below has them); at 200
    the detail pane sits beside the table."""
    assert snap_compare(app(auto_submit=True), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_rejected_sizes(snap_compare, size) -> None:
    """The Rejected tab. Look for: each reason whole, wrapped onto more lines when it is long
    (row 2), never cut; a hosted model's engine shown as its provider (`bedrock API`), not as
    the 41-character price-map id."""
    async def before(pilot) -> None:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(app(auto_submit=True), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_catalog_sizes(snap_compare, size) -> None:
    """The catalog browser (F3), Models tab. Look for: context windows abbreviated and whole
    (CodeLlama 16k, DeepSeek-R1 128k, Nemotron 1M), never cut to "1638"; the long hosted id
    elided in the middle; the highlighted model's facts, measurements and scores with their
    sources on the right."""
    async def before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await settle(pilot)

    assert snap_compare(app(answers=False), terminal_size=size, run_before=before)


def test_api_alternatives(snap_compare) -> None:
    """The API alternatives tab (120x40): hosted models beside the local answer with their
    provider (`bedrock API`) in the Engine/provider column, accuracy and cost; no quant and no
    memory columns (a hosted model has neither)."""
    async def before(pilot) -> None:
        await settle(pilot)
        await pilot.press("5")
        await pilot.pause()

    assert snap_compare(app(auto_submit=True), terminal_size=(120, 40), run_before=before)
