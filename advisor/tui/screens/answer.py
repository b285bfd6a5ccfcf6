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

from advisor.schema import Questionnaire, Recommendation
from advisor.tui.widgets import CANDIDATE_COLUMNS, ParetoChart, candidate_detail, candidate_row, hardware_line


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
            rec = self.app.backend.recommend(self.questionnaire)  # type: ignore[attr-defined]
        except Exception as exc:  # shown on screen; the UI stays usable
            self.app.call_from_thread(self.show_error, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self.show, rec)

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
        top = rec.candidates[0].key if rec.candidates else "no candidate"
        self.query_one("#answer-summary", Static).update(
            f"[b]{escape(top)}[/b]  ·  {len(rec.candidates)} candidates ({n_ok} meet all requirements), "
            f"{len(rec.rejected)} rejected  ·  hardware: {escape(hardware_line(rec.hardware, rec.hardware_basis))}"
        )
        table = self.query_one("#candidates", DataTable)
        table.clear(columns=True)
        priced = any(c.usd_per_1m_tokens is not None for c in rec.candidates)
        n_cols = len(CANDIDATE_COLUMNS) if priced else len(CANDIDATE_COLUMNS) - 1  # "$/1M" only for APIs
        table.add_columns(*CANDIDATE_COLUMNS[:n_cols])
        for c in rec.candidates:
            row = candidate_row(c, rec.hardware)[:n_cols]
            if not c.meets_requirements:
                row = tuple(f"[dim]{escape(x)}[/dim]" for x in row)
            else:
                row = tuple(escape(x) for x in row)
            table.add_row(*row, key=c.key)
        rej = self.query_one("#rejected", DataTable)
        rej.clear(columns=True)
        rej.add_columns("Model", "Quant", "Engine", "Where", "Reason")
        for r in rec.rejected:
            rej.add_row(r.model, r.quant or "—", r.engine or "—", r.deployment, r.reason)
        self.query_one(TabbedContent).get_tab("tab-rejected").label = f"Rejected ({len(rec.rejected)})"  # type: ignore[assignment]
        notes = list(rec.notes)
        if rec.catalog_version:
            notes.append(f"catalog version {rec.catalog_version}")
        self.query_one("#notes", Static).update(
            "\n".join(f"• {escape(n)}" for n in notes) if notes else "No notes.")
        box = self.query_one("#chart-box")
        box.remove_children()
        box.mount(ParetoChart(rec, id="pareto"))
        self._detail(0)
        table.focus()

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
        target = {"tab-candidates": "#candidates", "tab-rejected": "#rejected"}.get(tab)
        if target:
            self.query_one(target).focus()
        else:
            tabs.query_one(Tabs).focus()
        tabs.active = tab

    def action_rerun(self) -> None:
        self.compute()


__all__ = ["AnswerScreen"]
