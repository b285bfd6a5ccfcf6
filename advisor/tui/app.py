"""The Textual application and its one factory, `build_app`, used by the CLI and the tests.

Nothing heavy is imported here: the catalog, the predictor, `recommend` and litellm are
imported inside worker threads when a screen first needs them."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, TextArea

from advisor.errors import InputError
from advisor.recommend.questionnaire import load_questionnaire
from advisor.tui.backend import Backend

if TYPE_CHECKING:
    from advisor.schema import Questionnaire, Recommendation

LIGHT, DARK = "textual-light", "textual-dark"


class AdvisorApp(App[None]):
    """Questionnaire -> answer -> prompt set, plus a catalog browser."""

    CSS_PATH = "advisor.tcss"
    TITLE = "Model advisor"
    # Under 140 columns the answer's detail pane goes below the table.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("f3", "catalog", "Catalog", show=False),
        # on every screen where the answers exist (the questionnaire binds them too, shown)
        Binding("ctrl+s", "save_answers", "Save", show=False),
        Binding("ctrl+o", "load_answers", "Load", show=False),
    ]

    def __init__(self, backend: Backend, questionnaire: Questionnaire | None = None,
                 auto_submit: bool = False, detect: bool = True, cursor_blink: bool = True,
                 answers_path: Path | None = None, theme: str | None = None, warm: bool = True) -> None:
        super().__init__()
        self.backend = backend
        self.warm, self._warming = warm, False
        self.initial_questionnaire = questionnaire
        self.auto_submit = auto_submit
        self.detect = detect
        self.cursor_blink = cursor_blink
        self.answers_path = answers_path
        self.last_recommendation: Recommendation | None = None
        if theme:
            self.theme = theme

    # ------------------------------------------------------------------ lifecycle
    def on_mount(self) -> None:
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        self.push_screen(QuestionnaireScreen())

    def first_screen_shown(self) -> None:
        """The questionnaire's first section is on screen and focused (interactive): while
        the person answers, the library warms up behind it (`Backend.warm_up`)."""
        self._first_screen_wall = time.time()
        self._first_screen_cpu = time.process_time()
        if self.warm and not self.auto_submit and not self._warming:  # an auto-submitted answer warms it anyway
            self._warming = True
            self.run_worker(self.backend.warm_up, thread=True, group="warm-up", exclusive=True)

    def form_complete(self) -> None:
        """Every section is mounted. With ADVISOR_TUI_STARTUP=<epoch seconds at launch> set,
        print both times and quit (start-up checks)."""
        if os.environ.get("ADVISOR_TUI_STARTUP"):
            start = float(os.environ.get("ADVISOR_TUI_STARTUP") or 0)
            first = getattr(self, "_first_screen_wall", time.time())
            self.exit(message=(
                f"first screen after {first - start:.3f} s wall ({getattr(self, '_first_screen_cpu', 0.0):.3f} s CPU); "
                f"form complete after {time.time() - start:.3f} s wall ({time.process_time():.3f} s CPU)"))

    def fix_blink(self, screen: Screen) -> None:
        """Turn the cursor blink off in a screen's inputs (snapshot tests)."""
        if not self.cursor_blink:
            for widget in screen.query("Input, TextArea"):
                if isinstance(widget, (Input, TextArea)):
                    widget.cursor_blink = False

    # ------------------------------------------------------------------ navigation
    @property
    def questionnaire_screen(self) -> Any:
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        for screen in self.screen_stack:
            if isinstance(screen, QuestionnaireScreen):
                return screen
        return None

    def show_answer(self, questionnaire: Questionnaire, recommendation: Recommendation | None = None) -> None:
        from advisor.tui.screens.answer import AnswerScreen

        self.push_screen(AnswerScreen(questionnaire, recommendation))

    def show_prompts(self, rec: Recommendation, index: int = 0) -> None:
        from advisor.tui.screens.prompt_set import PromptSetScreen

        self.push_screen(PromptSetScreen(rec, index))

    def action_catalog(self) -> None:
        from advisor.tui.screens.catalog import CatalogScreen

        if isinstance(self.screen, CatalogScreen):
            return
        if not self.is_screen_installed("catalog"):  # installed, so kept when closed: its layout costs most of a second
            self.install_screen(CatalogScreen(), name="catalog")
        self.push_screen("catalog")

    def action_help(self) -> None:
        from advisor.tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme != LIGHT else DARK

    def action_questionnaire(self) -> None:
        target = self.questionnaire_screen
        while target is not None and self.screen is not target and len(self.screen_stack) > 2:
            self.pop_screen()

    def action_answer(self) -> None:
        from advisor.tui.screens.answer import AnswerScreen

        if isinstance(self.screen, AnswerScreen):
            return
        for screen in reversed(self.screen_stack):
            if isinstance(screen, AnswerScreen):
                while self.screen is not screen:
                    self.pop_screen()
                return
        self.action_submit()

    def action_submit(self) -> None:
        qs = self.questionnaire_screen
        if qs is not None:
            qs.action_submit()

    def action_prompt_set(self) -> None:
        if self.last_recommendation is None:
            self.notify("Get a recommendation first (ctrl+r).")
            return
        self.show_prompts(self.last_recommendation, 0)

    # ------------------------------------------------------------------ answers files
    def action_save_answers(self) -> None:
        from advisor.tui.screens.dialogs import PathScreen

        q = self.current_answers()
        if q is None:
            self.notify("The answers are not valid yet; fix them before saving.", severity="error")
            return
        default = str(self.answers_path or "answers.json")
        self.push_screen(PathScreen("Save answers to (JSON)", default),
                         lambda path: self.save_answers(q, path) if path else None)

    def current_answers(self) -> "Questionnaire | None":
        """The answers of the screen shown: the answer's own questionnaire on the answer and
        prompt-set screens, the form's (when valid) elsewhere."""
        own = getattr(self.screen, "questionnaire", None)
        if own is not None:
            return own  # type: ignore[no-any-return]
        qs = self.questionnaire_screen
        if qs is not None and (self.screen is qs or self.last_recommendation is None):
            return qs.validate_form()  # type: ignore[no-any-return]
        return self.last_recommendation.questionnaire if self.last_recommendation else None

    def save_answers(self, q: Questionnaire, path: str) -> None:
        try:
            target = Path(path).expanduser()
            target.write_text(q.model_dump_json(indent=2, exclude_none=True) + "\n", encoding="utf-8")
        except OSError as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.answers_path = target
        self.notify(f"Answers saved to {target}")

    def action_load_answers(self) -> None:
        from advisor.tui.screens.dialogs import PathScreen

        default = str(self.answers_path or "answers.json")
        self.push_screen(PathScreen("Load answers from (JSON)", default),
                         lambda path: self.load_answers(path) if path else None)

    def load_answers(self, path: str) -> bool:
        try:
            q = load_questionnaire(Path(path).expanduser())
        except InputError as exc:  # one line: FILE: cannot read / FILE:LINE: not valid JSON / invalid
            self.notify(str(exc), title="Not loaded", severity="error")
            return False
        self.action_questionnaire()
        qs = self.questionnaire_screen
        if qs is not None:
            qs.fill(q)
        self.answers_path = Path(path).expanduser()
        self.notify(f"Answers loaded from {path}")
        return True

    # ------------------------------------------------------------------ command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Questionnaire", "Back to the questionnaire", self.action_questionnaire)
        yield SystemCommand("Recommend", "Compute the answer for the questionnaire", self.action_submit)
        yield SystemCommand("Answer", "Show the last answer", self.action_answer)
        yield SystemCommand("Prompt set", "The prompt set of the top candidate", self.action_prompt_set)
        yield SystemCommand("Catalog", "Browse models and hardware", self.action_catalog)
        yield SystemCommand("Save answers", "Write the questionnaire to a JSON file", self.action_save_answers)
        yield SystemCommand("Load answers", "Read the questionnaire from a JSON file", self.action_load_answers)
        yield SystemCommand("Toggle light/dark", "Switch between the light and dark theme",
                            self.action_toggle_theme)
        yield SystemCommand("Keys", "Show the keys", self.action_help)


def build_app(questionnaire: Questionnaire | None = None, *, answers_path: str | Path | None = None,
              db_url: str | None = None, backend: Backend | None = None, auto_submit: bool | None = None,
              detect: bool = True, cursor_blink: bool = True, theme: str | None = None,
              warm: bool = True) -> AdvisorApp:
    """The application, for the CLI and the tests alike.

    `answers_path` loads a questionnaire file (and, unless `auto_submit=False`, computes the
    answer at once); `backend` replaces the library calls (tests); `detect=False` skips
    hardware detection; `cursor_blink=False` keeps snapshots stable; `warm=False` skips the
    warm-up behind the first screen."""
    path = Path(answers_path) if answers_path is not None else None
    if path is not None and questionnaire is None:
        questionnaire = load_questionnaire(path)
    if auto_submit is None:
        auto_submit = path is not None
    return AdvisorApp(backend or Backend(db_url), questionnaire=questionnaire, auto_submit=auto_submit,
                      detect=detect, cursor_blink=cursor_blink, answers_path=path, theme=theme, warm=warm)
