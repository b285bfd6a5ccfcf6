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
from typing import Any

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

    def recommend(self, questionnaire: Questionnaire, say: Any = None) -> Recommendation:
        if HAS_RECOMMEND:
            return super().recommend(questionnaire, say)
        return fixture_recommendation(questionnaire)


def make_app(**kwargs):
    from advisor.tui.app import build_app

    kwargs.setdefault("backend", TestBackend())
    kwargs.setdefault("detect", False)
    kwargs.setdefault("cursor_blink", False)
    kwargs.setdefault("warm", False)  # the warm-up has its own test
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
        # the desktop card first, its laptop namesake below it
        assert [hw_list.get_option_at_index(i).id for i in range(hw_list.option_count)] == [
            "NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 4090 Laptop GPU 16GB"]
        await pilot.press("enter")
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
        names = [str(hw.get_row_at(i)[0]) for i in range(hw.row_count)]  # long names are cut with an ellipsis
        assert len(names) == 2 and names[0] == "NVIDIA GeForce RTX 4090" and names[1].endswith("Laptop GPU 16GB")
        assert app.screen.query_one(TabbedContent).active == "cat-tab-hardware"
        detail = str(app.screen.query_one("#cat-detail").render())
        assert "RTX 4090" in detail and "Measurements" in detail and "Sources" in detail
        first = app.screen
        await pilot.press("escape")  # closed and opened again: the same screen, the search kept, lists reloaded
        await settle(pilot)
        assert not isinstance(app.screen, CatalogScreen)
        await pilot.press("f3")
        await settle(pilot)
        await settle(pilot)
        assert app.screen is first and app.screen.query_one("#cat-search").value == "4090"
        assert app.screen.query_one("#cat-hardware", DataTable).row_count == len(names)


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


def test_start_errors_are_one_line(tui_home: Path, tmp_path: Path) -> None:
    """`advisor tui` meets a bad start as the CLI does: one `error:` line naming the file, the
    field or the database, exit 2, and no screen drawn (nothing on stdout)."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"use_case": {"task": "cod"}}', encoding="utf-8")
    unknown = tmp_path / "unknown-hw.json"
    unknown.write_text(json.dumps({"use_case": {"task": "code"}, "hardware": {"name": "RTX 9999"}}),
                       encoding="utf-8")
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_text("not a database, just text " * 40, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(QUESTIONNAIRE), encoding="utf-8")
    cases = [
        ([], bad, f"error: {bad}: invalid: use_case.task: Input should be"),
        ([], tmp_path / "missing.json", f"error: {tmp_path / 'missing.json'}: cannot read"),
        ([], unknown, "error: unknown hardware 'RTX 9999'; closest: "),
        (["--db", f"sqlite:///{garbage}"], good, f"error: catalog: cannot open sqlite:///{garbage}: "),
    ]
    for pre, path, start in cases:
        proc = subprocess.run([sys.executable, "-m", "advisor", *pre, "tui", "--no-detect", "--answers", str(path)],
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and proc.stdout == "", (path, proc.stdout[-300:], proc.stderr[-300:])
        assert len(lines) == 1 and lines[0].startswith(start), lines


@run_async
async def test_focus_enter_hidden_fields_and_save_from_the_answer(tui_home: Path, tmp_path: Path) -> None:
    """The first field has the focus on start; Enter in the hardware search picks a single hit;
    the fields of the other hardware modes are hidden; ctrl+s on the answer screen writes the
    answer's questionnaire and says which file."""
    from advisor.tui import form
    from advisor.tui.screens.answer import AnswerScreen
    from advisor.tui.screens.dialogs import PathScreen
    from textual.widgets import Input, Select

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "f-use_case-task"
        screen = app.screen
        facts = [screen.query_one(f"#{f.widget_id}").parent for f in form.FACTS]
        screen.query_one("#hw-mode", Select).value = "catalog"
        await pilot.pause()
        assert all(not row.display for row in facts)
        assert screen.query_one("#hw-list").display and screen.query_one("#hw-search").parent.display
        await type_into(pilot, "#hw-search", "4090")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.hw_name == "NVIDIA GeForce RTX 4090"
        screen.query_one("#hw-mode", Select).value = "facts"
        await pilot.pause()
        assert all(row.display for row in facts) and not screen.query_one("#hw-list").display
        screen.query_one("#hw-mode", Select).value = "catalog"
        await pilot.pause()

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, AnswerScreen)
        said: list[str] = []
        app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        saved = tmp_path / "from-answer.json"
        app.screen.query_one(Input).value = str(saved)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        data = Questionnaire.model_validate_json(saved.read_text(encoding="utf-8"))
        assert data.hardware is not None and data.hardware.name == "NVIDIA GeForce RTX 4090"
        assert said == [f"Answers saved to {saved}"]


def test_the_long_steps_are_announced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh home: the backend says it builds the catalog before it does, then what it
    computes; a catalog whose user rows change the fit says it fits the predictor."""
    from advisor.predict import predictor

    monkeypatch.setenv("ADVISOR_HOME", str(tmp_path / "fresh"))
    steps: list[str] = []
    backend = Backend()
    rec = backend.recommend(Questionnaire.model_validate(QUESTIONNAIRE), say=steps.append)
    assert rec.candidates
    assert steps[0].startswith("Opening the catalog (the first use builds it from the shipped seed")
    assert steps[-1].startswith("Predicting and ranking")
    assert not any("Fitting" in s for s in steps)  # the shipped predictor fits the shipped seed
    monkeypatch.setattr(predictor, "needs_fit", lambda snap: True)
    steps.clear()
    backend.recommend(Questionnaire.model_validate(QUESTIONNAIRE), say=steps.append)
    assert steps[0].startswith("Fitting the predictor")


class _CountingBackend(TestBackend):
    __test__ = False

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def recommend(self, questionnaire: Questionnaire, say: Any = None) -> Recommendation:
        self.asked.append(questionnaire.use_case.task)
        return fixture_recommendation(questionnaire)


@run_async
async def test_library_warms_up_behind_the_first_screen_once(tui_home: Path) -> None:
    """While the questionnaire is answered, one generic answer (no hardware) loads the library,
    snapshot, predictor and prompts; an auto-submitted answer does not start a second one."""
    backend = _CountingBackend()
    app = make_app(backend=backend, warm=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
    assert backend.asked == ["chat"]
    backend = _CountingBackend()
    app = make_app(questionnaire=Questionnaire.model_validate(QUESTIONNAIRE), backend=backend, warm=True,
                   auto_submit=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert backend.asked == [Questionnaire.model_validate(QUESTIONNAIRE).use_case.task]
