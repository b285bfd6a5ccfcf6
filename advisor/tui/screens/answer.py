"""The answer: ranked candidates with a detail pane, rejected ones, notes, and a chart of
accuracy against decode speed. The recommendation runs in a thread worker."""

from __future__ import annotations


from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane, Tabs

from advisor.schema import Candidate, HardwareSpec, Questionnaire, Recommendation
from advisor.tui.chart import ParetoChart
from advisor.tui.columns import fill_table
from advisor.tui.widgets import (CANDIDATE_COLUMNS, REJECTED_COLUMNS, candidate_detail, candidate_row,
                                 hardware_line, label, rejected_row)

# Under this width the detail pane goes below the table (HORIZONTAL_BREAKPOINTS in app.py).
WIDE = 140


class AnswerScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("p", "prompts", "Prompt set"),
        Binding("f3", "app.catalog", "Catalog"),
        Binding("r", "rerun", "Recompute", show=False),
        Binding("1", "tab('tab-candidates')", "Candidates", show=False),
        Binding("2", "tab('tab-rejected')", "Rejected", show=False),
        Binding("3", "tab('tab-notes')", "Notes", show=False),
        Binding("4", "tab('tab-chart')", "Chart", show=False),
        Binding("5", "tab('tab-api')", "API alternatives", show=False),
    ]

    def __init__(self, questionnaire: Questionnaire, recommendation: Recommendation | None = None) -> None:
        super().__init__(id="answer")
        self.questionnaire = questionnaire
        self.rec: Recommendation | None = recommendation
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Computing the recommendation…", id="answer-summary")
        with Vertical(id="answer-body"):
            with TabbedContent(id="answer-tabs"):
                with TabPane("Candidates", id="tab-candidates"):
                    with Horizontal(id="cand-split"):
                        yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
                        with VerticalScroll(id="cand-detail-scroll"):
                            yield Static("", id="cand-detail")
                with TabPane("Rejected", id="tab-rejected"):
                    yield DataTable(id="rejected", cursor_type="row")
                with TabPane("Notes", id="tab-notes"):
                    with VerticalScroll():
                        yield Static("", id="notes")
                with TabPane("Chart", id="tab-chart"):
                    yield Vertical(id="chart-box")
                with TabPane("API alternatives", id="tab-api"):
                    yield Static("", id="api-note")
                    yield DataTable(id="api-alternatives", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Model advisor"
        self.sub_title = f"answer: {self.questionnaire.use_case.task}"
        self.app.fix_blink(self)  # type: ignore[attr-defined]
        if self.rec is not None:
            self.show(self.rec)
        else:
            self.compute()

    # ------------------------------------------------------------------ worker
    def compute(self) -> None:
        self.query_one("#answer-body").loading = True
        self.query_one("#answer-summary", Static).update("Computing the recommendation…")
        self._run()

    @work(thread=True, exclusive=True, group="recommend")
    def _run(self) -> None:
        try:
            rec = self.app.backend.recommend(  # type: ignore[attr-defined]
                self.questionnaire, say=lambda step: self.app.call_from_thread(self._step, step))
        except Exception as exc:  # shown on screen; the UI stays usable
            self.app.call_from_thread(self.show_error, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self.show, rec)

    def _step(self, step: str) -> None:
        """What the long wait is doing, above the loading indicator."""
        if self.rec is None and self.error is None:
            self.query_one("#answer-summary", Static).update(escape(step))

    def show_error(self, message: str) -> None:
        self.error = message
        self.query_one("#answer-body").loading = False
        self.query_one("#answer-summary", Static).update(f"[red]Could not recommend: {escape(message)}[/red]")
        self.app.notify(message, title="Recommendation failed", severity="error")

    def show(self, rec: Recommendation) -> None:
        self.rec = rec
        self.app.last_recommendation = rec  # type: ignore[attr-defined]
        self.query_one("#answer-body").loading = False
        n_ok = sum(1 for c in rec.candidates if c.meets_requirements)
        top = label(rec.candidates[0]) if rec.candidates else "no candidate"
        self.query_one("#answer-summary", Static).update(
            f"[b]{escape(top)}[/b]  ·  {len(rec.candidates)} candidates ({n_ok} meet all requirements), "
            f"{len(rec.rejected)} rejected  ·  hardware: {escape(hardware_line(rec.hardware, rec.hardware_basis))}"
        )
        self._fill_tables()
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-rejected").label = f"Rejected ({len(rec.rejected)})"  # type: ignore[assignment]
        tabs.get_tab("tab-api").label = f"API alternatives ({len(rec.api_alternatives)})"  # type: ignore[assignment]
        self.query_one("#notes", Static).update(
            "\n".join(f"• {escape(n)}" for n in rec.notes) if rec.notes else "No notes.")
        box = self.query_one("#chart-box")
        box.remove_children()
        box.mount(ParetoChart(rec, id="pareto"))
        self._detail(0)
        self.query_one("#candidates", DataTable).focus()

    def table_width(self) -> int:
        """Cells a table gets: the whole width when narrow, 3/5 beside the detail pane when
        wide; less 2 for its scroll bar."""
        width = self.app.size.width
        return (width if width < WIDE else width * 3 // 5) - 2

    def _fill_tables(self) -> None:
        rec = self.rec
        if rec is None:
            return
        width = self.table_width()
        self._candidates(self.query_one("#candidates", DataTable), rec.candidates, rec.hardware, width)
        rej = self.query_one("#rejected", DataTable)
        rej_cursor = rej.cursor_row
        fill_table(rej, REJECTED_COLUMNS, [rejected_row(r) for r in rec.rejected], self.app.size.width - 2)
        if rec.rejected:
            rej.move_cursor(row=max(0, min(rej_cursor, len(rec.rejected) - 1)))
        api = self.query_one("#api-alternatives", DataTable)
        self._candidates(api, rec.api_alternatives, None, self.app.size.width - 2)
        self.query_one("#api-note", Static).update(
            "Hosted models beside the local answer, ranked on the same figures (provider, not engine)."
            if rec.api_alternatives else
            "No API alternatives: they are listed beside a local answer when hosted models are allowed.")

    def _candidates(self, table: DataTable, cands: list[Candidate], hw: HardwareSpec | None, width: int) -> None:
        """Fill a candidates table; a column nobody has a figure for ("—", "hosted": quant and
        memory of hosted models, cost of local ones) is left out to give the names room."""
        cursor = table.cursor_row
        rows = [candidate_row(c, hw) for c in cands]
        empty = {i for i in range(len(CANDIDATE_COLUMNS))
                 if rows and CANDIDATE_COLUMNS[i].header not in ("#", "Model")
                 and all(r[i] in ("—", "hosted") for r in rows)}
        if not rows:
            empty = {CANDIDATE_COLUMNS.index(c) for c in CANDIDATE_COLUMNS if c.header == "$/1M"}
        keep = [i for i in range(len(CANDIDATE_COLUMNS)) if i not in empty]
        fill_table(table, [CANDIDATE_COLUMNS[i] for i in keep], [tuple(r[i] for i in keep) for r in rows], width,
                   dim=[not c.meets_requirements for c in cands], keys=[c.key for c in cands])
        if cands:
            table.move_cursor(row=max(0, min(cursor, len(cands) - 1)))

    def on_resize(self) -> None:
        if self.rec is not None:
            self._fill_tables()

    def _detail(self, index: int) -> None:
        if self.rec is None or not self.rec.candidates:
            self.query_one("#cand-detail", Static).update("No candidate could run with these answers; "
                                                         "see the Rejected tab.")
            return
        index = max(0, min(index, len(self.rec.candidates) - 1))
        self.query_one("#cand-detail", Static).update(candidate_detail(self.rec.candidates[index], self.rec))

    @on(DataTable.RowHighlighted, "#candidates")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def selected_index(self) -> int:
        table = self.query_one("#candidates", DataTable)
        return max(0, table.cursor_row)

    def action_prompts(self) -> None:
        if self.rec is None:
            self.app.notify("The recommendation is still being computed.")
            return
        self.app.show_prompts(self.rec, self.selected_index())  # type: ignore[attr-defined]

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        # Move the focus first: a focused widget in the old pane would switch back to it.
        target = {"tab-candidates": "#candidates", "tab-rejected": "#rejected",
                  "tab-api": "#api-alternatives"}.get(tab)
        if target:
            self.query_one(target).focus()
        else:
            tabs.query_one(Tabs).focus()
        tabs.active = tab

    def action_rerun(self) -> None:
        self.compute()


__all__ = ["AnswerScreen"]
