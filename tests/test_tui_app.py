"""Pilot tests of the TUI: a user's whole path through the screens, on the shipped catalog.

The catalog is built once per module (a shared ADVISOR_HOME); the recommendation is the real
`advisor.recommend.recommend` when it exists, else a fixed one (tests/_tui_fixtures.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.schema import Questionnaire, Recommendation
from advisor.tui.backend import Backend

sys.path.insert(0, str(Path(__file__).parent))
from _tui_fixtures import QUESTIONNAIRE, fixture_recommendation  # noqa: E402

HAS_RECOMMEND = importlib.util.find_spec("advisor.recommend") is not None
SIZE = (100, 30)


def run_async(fn):
    """Run an async test body with asyncio (no async pytest plugin is installed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


@pytest.fixture(scope="module")
def _shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tui-home")


@pytest.fixture
def tui_home(_shared_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One ADVISOR_HOME for the module, so that the catalog is built once."""
    monkeypatch.setenv("ADVISOR_HOME", str(_shared_home))
    monkeypatch.delenv("ADVISOR_DB_URL", raising=False)
    return _shared_home


class TestBackend(Backend):
    """The real library, but a fixed recommendation until `advisor.recommend` exists."""

    __test__ = False

    def recommend(self, questionnaire: Questionnaire) -> Recommendation:
        if HAS_RECOMMEND:
            return super().recommend(questionnaire)
        return fixture_recommendation(questionnaire)


def make_app(**kwargs):
    from advisor.tui.app import build_app

    kwargs.setdefault("backend", TestBackend())
    kwargs.setdefault("detect", False)
    kwargs.setdefault("cursor_blink", False)
    return build_app(**kwargs)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_into(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


async def choose(pilot, selector: str, value: str) -> None:
    """Open a Select with enter and move down to `value`, as a user would."""
    from textual.widgets import Select

    select = pilot.app.screen.query_one(selector, Select)
    select.focus()
    await pilot.press("enter")
    for _ in range(20):
        await pilot.pause()
        overlay = select.query_one("SelectOverlay")
        if overlay.highlighted is not None and select._options[overlay.highlighted + (0 if not select._allow_blank else 0)][1] == value:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert select.value == value


@run_async
async def test_fill_submit_prompts_export(tui_home: Path, tmp_path: Path) -> None:
    from advisor.tui.screens.answer import AnswerScreen
    from advisor.tui.screens.prompt_set import PromptSetScreen
    from advisor.tui.screens.questionnaire import QuestionnaireScreen
    from textual.widgets import DataTable, Input

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QuestionnaireScreen)
        await choose(pilot, "#f-use_case-task", "code")
        await type_into(pilot, "#f-workload-prompt_tokens", "2000")
        await type_into(pilot, "#f-workload-output_tokens", "400")
        await choose(pilot, "#f-requirements-deployment", "local")
        await type_into(pilot, "#f-requirements-min_decode_tok_s", "20")
        # hardware from the catalog, found by its alias
        await type_into(pilot, "#hw-search", "4090")
        await settle(pilot)
        hw_list = app.screen.query_one("#hw-list")
        hw_list.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.hw_name == "NVIDIA GeForce RTX 4090"
        q = app.screen.validate_form()
        assert q is not None and q.use_case.task == "code" and q.workload.prompt_tokens == 2000
        assert q.hardware is not None and q.hardware.name == "NVIDIA GeForce RTX 4090"

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, AnswerScreen)
        rec = app.screen.rec
        assert rec is not None and rec.candidates, app.screen.error
        table = app.screen.query_one("#candidates", DataTable)
        assert table.row_count == len(rec.candidates)
        assert rec.candidates[0].model in str(app.screen.query_one("#cand-detail").render())

        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PromptSetScreen)
        assert app.screen.prompt_set is not None and app.screen.prompt_set.prompts
        out = tmp_path / "exported"
        path_input = app.screen.query_one("#ps-path", Input)
        assert path_input.value.startswith("./prompts-")
        path_input.value = str(out)
        await pilot.press("ctrl+e")
        await settle(pilot)
        task = app.screen.prompt_set.task
        files = sorted(p.name for p in (out / task).glob("*.prompt.md"))
        assert len(files) == len(app.screen.prompt_set.prompts)
        assert (out / "prompt-set.json").is_file()
        assert app.screen.last_export


@run_async
async def test_invalid_input_blocks_submission(tui_home: Path) -> None:
    from advisor.tui import form
    from advisor.tui.screens.questionnaire import QuestionnaireScreen
    from textual.widgets import Button, Static

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for f in form.FORM_FIELDS:  # every field of the table has its widget and its error line
            assert app.screen.query_one(f"#{f.widget_id}")
            assert f.widget == "textarea" or app.screen.query_one(f"#{f.error_id}", Static)
        await type_into(pilot, "#f-workload-prompt_tokens", "-5")
        await pilot.pause()
        error = app.screen.query_one("#e-workload-prompt_tokens", Static)
        assert "greater than or equal to 1" in str(error.render())
        assert app.screen.query_one("#submit", Button).disabled
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)

        await type_into(pilot, "#f-workload-prompt_tokens", "abc")
        await type_into(pilot, "#f-priorities-speed", "11")
        await pilot.pause()
        assert "whole number" in str(app.screen.query_one("#e-workload-prompt_tokens", Static).render())
        assert "0 to 10" in str(app.screen.query_one("#e-priorities-speed", Static).render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)

        await type_into(pilot, "#f-workload-prompt_tokens", "1500")
        await type_into(pilot, "#f-priorities-speed", "3")
        await pilot.pause()
        assert str(app.screen.query_one("#e-workload-prompt_tokens", Static).render()) == ""
        assert not app.screen.query_one("#submit", Button).disabled


@run_async
async def test_catalog_browser_finds_4090(tui_home: Path) -> None:
    from advisor.tui.screens.catalog import CatalogScreen
    from textual.widgets import DataTable, TabbedContent

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
        assert app.screen.query_one("#cat-models", DataTable).row_count > 10
        await pilot.press(*"4090")
        await settle(pilot)
        await settle(pilot)
        hw = app.screen.query_one("#cat-hardware", DataTable)
        assert hw.row_count == 1 and hw.get_row_at(0)[0] == "NVIDIA GeForce RTX 4090"
        assert app.screen.query_one(TabbedContent).active == "cat-tab-hardware"
        detail = str(app.screen.query_one("#cat-detail").render())
        assert "RTX 4090" in detail and "Measurements" in detail and "Sources" in detail


@run_async
async def test_answers_file_save_and_load(tui_home: Path, tmp_path: Path) -> None:
    from advisor.tui.screens.answer import AnswerScreen
    from advisor.tui.screens.dialogs import HelpScreen, PathScreen
    from advisor.tui.screens.questionnaire import QuestionnaireScreen
    from textual.widgets import Input

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(QUESTIONNAIRE), encoding="utf-8")
    app = make_app(answers_path=answers)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AnswerScreen)  # --answers computes the answer at once
        assert app.screen.questionnaire == Questionnaire.model_validate(QUESTIONNAIRE)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)
        await type_into(pilot, "#f-workload-concurrent_requests", "4")
        saved = tmp_path / "saved.json"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        app.screen.query_one(Input).value = str(saved)
        await pilot.press("enter")
        await pilot.pause()
        data = Questionnaire.model_validate_json(saved.read_text())
        assert data.workload.concurrent_requests == 4
        assert data.hardware is not None and data.hardware.name == "RTX 4090"

        await type_into(pilot, "#f-workload-concurrent_requests", "9")
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(saved)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#f-workload-concurrent_requests", Input).value == "4"
        # a file that is not a questionnaire: one line, as `advisor recommend --input` says it
        bad = tmp_path / "bad.json"
        bad.write_text('{"use_case": {"task": "chat"},\n "workload": [}', encoding="utf-8")
        said: list[str] = []
        app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        assert not app.load_answers(str(bad))
        assert said == [f"{bad}:2: not valid JSON: Expecting value (column 15)"]
        assert app.screen.query_one("#f-workload-concurrent_requests", Input).value == "4"

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)


@pytest.mark.skipif(not HAS_RECOMMEND, reason="advisor.recommend is not there yet")
@run_async
async def test_top_candidate_matches_cli(tui_home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(QUESTIONNAIRE), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "advisor", "recommend", "--input", str(answers), "--json"],
                          capture_output=True, text=True, env={**os.environ}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    cli_top = json.loads(proc.stdout)["candidates"][0]

    app = make_app(answers_path=answers)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rec = app.screen.rec
        assert rec is not None and rec.candidates
        top = rec.candidates[0]
        assert (top.model, top.quant, top.engine) == (cli_top["model"], cli_top["quant"], cli_top["engine"])


def test_import_is_light() -> None:
    """`advisor.tui` and the CLI load neither the catalog, the predictor, the recommender (only
    its questionnaire table, which the form is built from) nor litellm."""
    code = (
        "import sys, advisor.cli, advisor.cli_tui, advisor.tui.app, advisor.tui.screens.questionnaire;"
        "heavy = [m for m in ('litellm', 'advisor.catalog', 'advisor.predict', 'sklearn', 'sqlalchemy',"
        " 'textual_plotext', 'plotext') if m in sys.modules];"
        "heavy += [m for m in sys.modules if m.startswith('advisor.recommend.')"
        " and m != 'advisor.recommend.questionnaire']; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    out = subprocess.run([sys.executable, "-c", "import sys, advisor, advisor.cli; print('textual' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
