"""Small modal screens: help (keys) and a path prompt for saving and loading answers."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Markdown

HELP = """\
**Keys**

| Key | What it does |
|---|---|
| `F1` or `?` | this help |
| `ctrl+r` | recommend (from the questionnaire) |
| `p` | prompt set of the highlighted candidate (answer screen) |
| `1` `2` `3` `4` | answer tabs: candidates, rejected, notes, chart |
| `r` | recompute the answer |
| `F3` | catalog browser |
| `ctrl+s` / `ctrl+o` | save answers to / load answers from a JSON file |
| `ctrl+e` / `ctrl+y` | export the prompt set / copy the prompt (prompt set screen) |
| `ctrl+t` | light / dark theme |
| `ctrl+p` | command palette (every screen and action) |
| `tab` / `shift+tab` | next / previous field |
| `escape` | back |
| `ctrl+q` | quit |

In the answer, **M** marks a measured figure and **P** a predicted one;
intervals in brackets are 80 % prediction intervals. Dim rows miss a requirement.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP)

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)


class PathScreen(ModalScreen[str | None]):
    """Ask for a file path; dismiss with it, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default: str) -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="path-box"):
            yield Label(self.title_text)
            yield Input(value=self.default, id="path-input")
            with Horizontal(id="path-buttons"):
                yield Button("OK", id="path-ok", variant="primary")
                yield Button("Cancel", id="path-cancel")

    def on_mount(self) -> None:
        self.app.fix_blink(self)  # type: ignore[attr-defined]
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#path-ok")
    def _ok(self) -> None:
        value = self.query_one(Input).value.strip()
        self.dismiss(value or None)

    @on(Button.Pressed, "#path-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
