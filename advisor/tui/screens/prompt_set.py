"""The prompt set for a candidate: the recommendation's own set for the top candidate,
another candidate's generated in a worker; token counts and budget status per prompt;
export to a folder and copy to the clipboard."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static, TextArea

from advisor.schema import PromptSet, Recommendation
from advisor.tui.backend import slug

BUDGET_STYLE = {"ok": "green", "tight": "yellow", "over": "red", "unknown": "dim"}


class PromptSetScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+e", "export", "Export"),
        Binding("ctrl+y", "copy", "Copy prompt"),
    ]

    def __init__(self, rec: Recommendation, index: int = 0) -> None:
        super().__init__(id="prompt-set")
        self.rec = rec
        self.index = index
        self.prompt_set: PromptSet | None = None
        self.cache: dict[str, PromptSet] = {}
        if rec.prompt_set is not None:
            self.cache[rec.prompt_set.model] = rec.prompt_set
        self.last_export: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Header()
        options = [(f"{c.rank}. {c.key}", i) for i, c in enumerate(self.rec.candidates)]
        with Horizontal(id="ps-top"):
            yield Label("For", classes="field-label-short")
            yield Select(options, value=self.index if options else Select.BLANK, allow_blank=not options,
                         id="ps-candidate", compact=True)
        yield Static("", id="ps-summary")
        with Horizontal(id="ps-split"):
            with Vertical(id="ps-left"):
                yield DataTable(id="ps-table", cursor_type="row")
                yield Static("", id="ps-notes")
            yield TextArea("", id="ps-text", read_only=True, soft_wrap=True)
        with Horizontal(id="ps-export"):
            yield Label("Export to", classes="field-label-short")
            yield Input(id="ps-path", compact=True)
            yield Button("Export", id="ps-export-btn", compact=True)
            yield Button("Copy", id="ps-copy-btn", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Model advisor"
        self.sub_title = "prompt set"
        self.app.fix_blink(self)  # type: ignore[attr-defined]
        self.load(self.index)
        self.query_one("#ps-table", DataTable).focus()

    # ------------------------------------------------------------------ loading
    def model_for(self, index: int) -> str | None:
        if not self.rec.candidates:
            return self.rec.prompt_set.model if self.rec.prompt_set else None
        return self.rec.candidates[index].model

    def load(self, index: int) -> None:
        self.index = index
        model = self.model_for(index)
        if model is None:
            self.query_one("#ps-summary", Static).update("No candidate, no prompt set.")
            return
        self.query_one("#ps-path", Input).value = f"./prompts-{slug(model)}"
        if model in self.cache:
            self.show(self.cache[model])
            return
        self.query_one("#ps-split").loading = True
        self.query_one("#ps-summary", Static).update(f"Generating the prompt set for {escape(model)}…")
        self.generate(model)

    @work(thread=True, exclusive=True, group="prompt-set")
    def generate(self, model: str) -> None:
        q = self.rec.questionnaire
        try:
            ps = self.app.backend.prompt_set(q.use_case.task, model, q.use_case.domain)  # type: ignore[attr-defined]
        except Exception as exc:
            self.app.call_from_thread(self._failed, model, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._generated, model, ps)

    def _generated(self, model: str, ps: PromptSet) -> None:
        self.cache[model] = ps
        if self.model_for(self.index) == model:
            self.show(ps)

    def _failed(self, model: str, message: str) -> None:
        self.query_one("#ps-split").loading = False
        self.query_one("#ps-summary", Static).update(f"[red]No prompt set for {escape(model)}: {escape(message)}[/red]")

    def show(self, ps: PromptSet) -> None:
        self.prompt_set = ps
        self.query_one("#ps-split").loading = False
        exact = "exact" if ps.exact else "approximate"
        window = f"{ps.context_window:,}-token window" if ps.context_window else "window unknown"
        self.query_one("#ps-summary", Static).update(
            f"[b]{escape(ps.task)}[/b] for [b]{escape(ps.model)}[/b] · {window} · "
            f"tokenizer {escape(ps.tokenizer or '?')} ({exact}) · {len(ps.prompts)} prompts")
        table = self.query_one("#ps-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Prompt", "Kind", "Tokens", "Budget")
        for p in ps.prompts:
            style = BUDGET_STYLE.get(p.budget_status, "")
            approx = "" if p.exact else "~"
            table.add_row(p.id, p.kind, f"{approx}{p.tokens}", f"[{style}]{p.budget_status}[/{style}]", key=p.id)
        self.query_one("#ps-notes", Static).update("\n".join(f"• {escape(n)}" for n in ps.notes))
        self._text(0)

    def _text(self, row: int) -> None:
        ps = self.prompt_set
        area = self.query_one("#ps-text", TextArea)
        if ps is None or not ps.prompts:
            area.text = ""
            return
        area.text = ps.prompts[max(0, min(row, len(ps.prompts) - 1))].text

    # ------------------------------------------------------------------ events
    @on(DataTable.RowHighlighted, "#ps-table")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        self._text(event.cursor_row)

    @on(Select.Changed, "#ps-candidate")
    def _candidate(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.index:
            self.load(event.value)

    @on(Button.Pressed, "#ps-export-btn")
    def action_export(self) -> None:
        if self.prompt_set is None:
            self.app.notify("No prompt set yet.", severity="warning")
            return
        path = self.query_one("#ps-path", Input).value.strip()
        if not path:
            self.app.notify("Type a folder to export to.", severity="warning")
            return
        self.export(self.prompt_set, Path(path).expanduser())

    @work(thread=True, exclusive=True, group="export")
    def export(self, ps: PromptSet, out: Path) -> None:
        domain = self.rec.questionnaire.use_case.domain
        try:
            written = self.app.backend.export_prompt_set(ps, out, domain)  # type: ignore[attr-defined]
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, f"{type(exc).__name__}: {exc}",
                                      title="Export failed", severity="error")
            return
        self.last_export = written
        self.app.call_from_thread(self.app.notify, f"{len(written)} files written to {out}",
                                  title="Exported")

    @on(Button.Pressed, "#ps-copy-btn")
    def action_copy(self) -> None:
        ps = self.prompt_set
        if ps is None or not ps.prompts:
            return
        row = self.query_one("#ps-table", DataTable).cursor_row
        p = ps.prompts[max(0, min(row, len(ps.prompts) - 1))]
        self.app.copy_to_clipboard(p.text)
        self.app.notify(f"{p.id} copied to the clipboard ({p.tokens} tokens)")
