"""Catalog browser: models and hardware with search; the selected entry's facts,
measurements and scores with their sources (from `Catalog.show`)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static, TabbedContent, TabPane

from advisor.tui.columns import Column, abbreviate, fill_table
from advisor.tui.widgets import catalog_detail, num

COLUMNS = {
    "models": [Column("Model", flexible=True, min_width=14), Column("Params B"), Column("Context"),
               Column("Meas.", drop=2), Column("Scores", drop=1)],
    "hardware": [Column("Hardware", flexible=True, min_width=14), Column("Kind"), Column("GB"),
                 Column("GB/s"), Column("Meas.", drop=1)],
}


def catalog_row(kind: str, r: dict[str, Any]) -> tuple[str, ...]:
    """Plain-text cells of one model or device; context windows abbreviated, never cut (128k)."""
    if kind == "models":
        return (r["name"], num(r.get("params_b"), 1), abbreviate(r.get("context_len")),
                str(r.get("measurements", 0)), str(r.get("scores", 0)))
    return (r["name"], r.get("kind") or "—", num(r.get("memory_gb"), 0),
            num(r.get("mem_bandwidth_gbs"), 0), str(r.get("measurements", 0)))


class CatalogScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+f", "focus_search", "Search"),
    ]

    def __init__(self) -> None:
        super().__init__(id="catalog")
        self.shown: str | None = None
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="cat-split"):
            with Vertical(id="cat-left"):
                yield Input(placeholder="search models and hardware, e.g. llama3:8b or 4090",
                            id="cat-search")
                with TabbedContent(id="cat-tabs"):
                    for kind, title in (("models", "Models"), ("hardware", "Hardware")):
                        with TabPane(title, id=f"cat-tab-{kind}"):
                            yield DataTable(id=f"cat-{kind}", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="cat-detail-scroll"):
                yield Static("Loading the catalog…", id="cat-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Model advisor"
        self.sub_title = "catalog"
        self.app.fix_blink(self)  # type: ignore[attr-defined]
        for kind in COLUMNS:
            self.query_one(f"#cat-{kind}", DataTable).loading = True
        self.query_one("#cat-search", Input).focus()

    def on_screen_resume(self) -> None:
        """Every time the screen is shown (the app keeps one): drawn first, the lists (re)load
        inside it, so rows imported meanwhile appear."""
        self.call_after_refresh(self._load)

    def _load(self) -> None:
        for kind in COLUMNS:
            self.list_rows(kind, self.query_one("#cat-search", Input).value.strip())

    def action_focus_search(self) -> None:
        self.query_one("#cat-search", Input).focus()

    # ------------------------------------------------------------------ workers
    @work(thread=True, group="catalog-list")
    def list_rows(self, kind: str, search: str) -> None:
        backend: Any = self.app.backend  # type: ignore[attr-defined]
        try:
            rows = backend.list_models(search) if kind == "models" else backend.list_hardware(search)
        except Exception as exc:
            self.app.call_from_thread(self._detail_text, f"[red]Catalog unavailable: {escape(str(exc))}[/red]")
            return
        self.app.call_from_thread(self._fill, kind, search, rows)

    def _fill(self, kind: str, search: str, rows: list[dict[str, Any]]) -> None:
        if self.query_one("#cat-search", Input).value.strip() != search:
            return  # a newer search is on its way
        table = self.query_one(f"#cat-{kind}", DataTable)
        table.loading = False
        self.rows[kind] = rows
        self._table(kind)
        tabs = self.query_one(TabbedContent)
        tabs.get_tab(f"cat-tab-{kind}").label = f"{kind.capitalize()} ({len(rows)})"  # type: ignore[assignment]
        active = (tabs.active or "cat-tab-models").removeprefix("cat-tab-")
        other = "hardware" if kind == "models" else "models"
        if active == kind and not rows and self.query_one(f"#cat-{other}", DataTable).row_count:
            tabs.active = f"cat-tab-{other}"  # "4090" finds no model: show the hardware
            return
        if active != kind and rows and not self.query_one(f"#cat-{active}", DataTable).row_count:
            tabs.active = f"cat-tab-{kind}"
            active = kind
        if active != kind:
            return
        if not rows:
            self._detail_text(f"Nothing matches '{escape(search)}'.")
        elif self.shown is None or search:
            self.show_entry(rows[0]["name"])

    def _table(self, kind: str) -> None:
        """(Re)fill one table, fitted to the left pane's width (3/5 of the screen, less the
        scroll bar); full names are in the detail pane."""
        rows = self.rows.get(kind, [])
        fill_table(self.query_one(f"#cat-{kind}", DataTable), COLUMNS[kind], [catalog_row(kind, r) for r in rows],
                   max(38, self.app.size.width * 3 // 5) - 2, keys=[r["name"] for r in rows])

    def on_resize(self) -> None:
        for kind in self.rows:
            self._table(kind)

    @work(thread=True, exclusive=True, group="catalog-show")
    def show_entry(self, name: str) -> None:
        try:
            data = self.app.backend.show(name)  # type: ignore[attr-defined]
        except Exception as exc:
            self.app.call_from_thread(self._detail_text, f"[red]{escape(str(exc))}[/red]")
            return
        self.app.call_from_thread(self._shown, name, catalog_detail(data))

    def _shown(self, name: str, text: str) -> None:
        self.shown = name
        self._detail_text(text)

    def _detail_text(self, text: str) -> None:
        self.query_one("#cat-detail", Static).update(text)

    # ------------------------------------------------------------------ events
    @on(Input.Changed, "#cat-search")
    def _search(self, event: Input.Changed) -> None:
        for kind in COLUMNS:
            self.list_rows(kind, event.value.strip())

    @on(DataTable.RowHighlighted)
    def _highlight(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted row's entry, from the shown tab's table only: filling the other tab's
        table highlights its first row too, and on a busy machine that event came last and put
        the RTX 4090's facts beside the Models list."""
        active = (self.query_one(TabbedContent).active or "cat-tab-models").removeprefix("cat-tab-")
        if event.data_table.id != f"cat-{active}":
            return
        key = event.row_key.value if event.row_key is not None else None
        if key and key != self.shown:
            self.show_entry(key)

    @on(TabbedContent.TabActivated)
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        kind = (event.pane.id or "").removeprefix("cat-tab-")
        table = self.query_one(f"#cat-{kind}", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key((max(0, table.cursor_row), 0)).row_key.value
            if key:
                self.show_entry(key)
