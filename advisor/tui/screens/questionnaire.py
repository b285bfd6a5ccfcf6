"""The questionnaire: use case, workload, requirements, priorities, hardware. Validation runs
on every change through the pydantic `Questionnaire`; the reason is shown next to the field
and submission is blocked while anything is invalid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from advisor.recommend.questionnaire import FIELD_BY_PATH, SECTIONS, QuestionField
from advisor.schema import HardwareSpec, Questionnaire
from advisor.tui import form
from advisor.tui.widgets import hardware_line

HW_MODE_OPTIONS = [
    ("This machine (detected)", "detect"),
    ("From the catalog", "catalog"),
    ("Typed-in facts", "facts"),
    ("None: hosted APIs / any", "none"),
]


def _row(label: str, widget: Any, error_id: str) -> Horizontal:
    return Horizontal(Label(label, classes="field-label"), widget,
                      Static("", id=error_id, classes="field-error"), classes="field")


def _field(f: QuestionField) -> Iterator[Widget]:
    """The widgets of one field of the table: its label, its input and its error line."""
    label = f.label or f.path
    if f.widget == "textarea":
        yield Label(label, classes="field-label")
        yield TextArea(id=f.widget_id, classes="description", compact=True)
        return
    if f.widget == "select":
        widget: Widget = Select(form.options(f), value=form.initial(f), allow_blank=False, compact=True,
                                id=f.widget_id)
    elif f.widget == "input":
        widget = Input(value=form.initial(f), id=f.widget_id, compact=True, placeholder=form.placeholder(f))
    else:
        widget = Input(placeholder=form.placeholder(f), id=f.widget_id, classes="number", compact=True)
    yield _row(label, widget, f.error_id)


def _section(section: str, *first: Widget) -> Iterator[Widget]:
    """A section's title, `first` (the hardware pickers), its fields and its error line."""
    yield Static(SECTIONS[section], classes="section")
    yield from first
    for f in form.rows(section):
        yield from _field(f)
    yield Static("", id=f"e-{section}", classes="section-error")


def _text(widget: Widget) -> str:
    if isinstance(widget, Select):
        return widget.value if isinstance(widget.value, str) else ""
    if isinstance(widget, TextArea):
        return widget.text
    return widget.value if isinstance(widget, Input) else ""


class QuestionnaireScreen(Screen):
    """The first screen: answer, then ctrl+r (or the button) to get a recommendation."""

    # Focusing restyles the whole form (focus-within): do it after the first paint.
    AUTO_FOCUS = None

    BINDINGS = [
        Binding("ctrl+r", "submit", "Recommend", priority=True),
        Binding("f3", "app.catalog", "Catalog"),
        Binding("ctrl+s", "app.save_answers", "Save"),
        Binding("ctrl+o", "app.load_answers", "Load"),
    ]

    def __init__(self) -> None:
        super().__init__(id="questionnaire")
        self.hw_name: str | None = None
        self.detected: HardwareSpec | None = None
        self.extra_hardware: dict[str, Any] = {}
        self.valid: Questionnaire | None = None
        self._filling = False
        self._validation_pending = False
        self._shown_errors: dict[str, str] = {}
        self._status_text = ""
        self._shown_mode: str | None = None
        self._complete = False  # True once every section is mounted

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield from _section("use_case")
            # The other sections are mounted right after the first paint (start-up time: each
            # row costs Textual ~20 ms to style); see _mount_rest.
            yield Vertical(id="form-rest")
        with Horizontal(id="submit-bar"):
            yield Static("", id="form-status")
            yield Button("Recommend", id="submit", variant="primary", compact=True)
        yield Footer()

    def _rest(self) -> ComposeResult:
        """Workload, requirements, priorities and hardware: mounted after the first paint."""
        for section in ("workload", "requirements", "priorities"):
            yield from _section(section)
        mode, name = FIELD_BY_PATH["hardware.detect"], FIELD_BY_PATH["hardware.name"]
        yield from _section(
            "hardware",
            Static("Detecting this machine…", id="hw-detected"),
            _row(mode.label or mode.path, Select(HW_MODE_OPTIONS, value="none", allow_blank=False, compact=True,
                                                 id="hw-mode"), "e-hardware-mode"),
            _row(name.label or name.path, Input(placeholder=name.placeholder, id="hw-search", compact=True),
                 "e-hw-search"),
            OptionList(id="hw-list"),
            Static("Picked: —", id="hw-picked"),
        )
        yield Static("", id="e-form", classes="section-error")

    def on_mount(self) -> None:
        self.title = "Model advisor"
        self.sub_title = "questionnaire"
        self.call_after_refresh(self._first_paint)
        self.call_after_refresh(self._mount_rest)

    async def _mount_rest(self) -> None:
        await self.query_one("#form-rest", Vertical).mount_all(list(self._rest()))
        self._complete = True
        self.app.fix_blink(self)  # type: ignore[attr-defined]
        self.query_one("#hw-list", OptionList).add_option(Option("loading the catalog…", disabled=True))
        app: Any = self.app
        if app.initial_questionnaire is not None:
            self.fill(app.initial_questionnaire)
        else:
            self.fill(form.defaults())
        if app.detect:
            self.detect_hardware()
        else:
            self.query_one("#hw-detected", Static).update("Detected: not detected (detection off)")
        self.search_hardware("")
        self.validate_form()
        if app.auto_submit and app.initial_questionnaire is not None:
            self.call_after_refresh(self.action_submit)
        app.form_complete()

    def _first_paint(self) -> None:
        focused = self.app.focused
        if self.app.screen is self and (focused is None or focused.id == "form"):  # the scroll box took it
            self.query_one(f"#{form.FORM_FIELDS[0].widget_id}").focus()
        self.app.first_screen_shown()  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ workers
    @work(thread=True, exclusive=True, group="detect")
    def detect_hardware(self) -> None:
        spec = self.app.backend.detect_hardware()  # type: ignore[attr-defined]
        self.app.call_from_thread(self._show_detected, spec)

    def _show_detected(self, spec: HardwareSpec | None) -> None:
        self.detected = spec
        label = self.query_one("#hw-detected", Static)
        mode = self.query_one("#hw-mode", Select)
        if spec is None:
            label.update("Detected: not detected — pick from the catalog, type facts, or use APIs")
            return
        name = (spec.name or "").replace("(detected)", "").strip() or None
        label.update("Detected: " + hardware_line(spec.model_copy(update={"name": name}), "detected"))
        app: Any = self.app
        if app.initial_questionnaire is None and mode.value == "none":
            mode.value = "detect"

    @work(thread=True, exclusive=True, group="hw-search")
    def search_hardware(self, search: str) -> None:
        try:
            rows = self.app.backend.list_hardware(search)  # type: ignore[attr-defined]
        except Exception as exc:  # the catalog could not be opened: say so, keep the form usable
            self.app.call_from_thread(self._show_hardware, None, str(exc))
            return
        self.app.call_from_thread(self._show_hardware, rows, None)

    def _show_hardware(self, rows: list[dict[str, Any]] | None, error: str | None) -> None:
        ol = self.query_one("#hw-list", OptionList)
        ol.clear_options()
        if rows is None:
            ol.add_option(Option(f"catalog unavailable: {error}", disabled=True))
            return
        if not rows:
            ol.add_option(Option("no match", disabled=True))
            return
        for r in rows[:200]:
            mem = f"{r['memory_gb']:g} GB" if r.get("memory_gb") else "? GB"
            bw = f"{r['mem_bandwidth_gbs']:g} GB/s" if r.get("mem_bandwidth_gbs") else "? GB/s"
            ol.add_option(Option(f"{r['name']}  [dim]{r['kind']}, {mem}, {bw}[/dim]", id=r["name"]))
        ol.highlighted = 0  # Enter in the search field picks it (a single hit at once)

    # ------------------------------------------------------------------ filling and reading
    def fill(self, q: Questionnaire) -> None:
        texts, mode, name = form.to_texts(q)
        self._filling = True
        try:
            for wid, text in texts.items():
                widget = self.query_one(f"#{wid}")
                if isinstance(widget, Select):
                    widget.value = text
                elif isinstance(widget, TextArea):
                    widget.text = text
                elif isinstance(widget, Input):
                    widget.value = text
            for f in form.NUMBER_FIELDS:
                if f.widget_id not in texts:
                    self.query_one(f"#{f.widget_id}", Input).value = ""
            self.extra_hardware = q.hardware.model_dump(exclude_none=True) if q.hardware else {}
            self.hw_name = name
            self.query_one("#hw-picked", Static).update(f"Picked: {name or '—'}")
            self.query_one("#hw-mode", Select).value = mode
        finally:
            self._filling = False
        self.validate_form()

    def texts(self) -> dict[str, str]:
        return {f.widget_id: _text(self.query_one(f"#{f.widget_id}")) for f in form.FORM_FIELDS}

    def hw_mode(self) -> str:
        value = self.query_one("#hw-mode", Select).value
        return value if isinstance(value, str) else "none"

    def request_validation(self) -> None:
        """Validate once after a burst of changes (filling the form changes every field)."""
        if self._complete and not self._validation_pending:
            self._validation_pending = True
            self.call_after_refresh(self._deferred_validation)

    def _deferred_validation(self) -> None:
        self._validation_pending = False
        self.validate_form()

    def validate_form(self) -> Questionnaire | None:
        if not self._complete:
            return None
        q, errors, _ = form.build(self.texts(), self.hw_mode(), self.hw_name, self.extra_hardware)
        # Touch only what changed: every class change restyles the screen.
        for static in self.query(".field-error, .section-error").results(Static):
            msg = errors.get(static.id or "", "")
            if self._shown_errors.get(static.id or "", "") != msg:
                static.update(msg)
                static.set_class(bool(msg), "shown")
                self._shown_errors[static.id or ""] = msg
        for f in form.NUMBER_FIELDS:
            widget = self.query_one(f"#{f.widget_id}", Input)
            if widget.has_class("invalid") != (f.error_id in errors):
                widget.set_class(f.error_id in errors, "invalid")
        self.valid = q
        status = self.query_one("#form-status", Static)
        button = self.query_one("#submit", Button)
        if q is None:
            n = len(errors)
            text = (f"[red]{n} problem{'s' if n != 1 else ''}: " +
                    "; ".join(f"{k[2:].replace('-', '.')}: {v}" for k, v in list(errors.items())[:2])
                    + "[/red]")
        else:
            text = "Ready: ctrl+r or Recommend"
        if text != self._status_text:
            status.update(text)
            self._status_text = text
        if button.disabled != (q is None):
            button.disabled = q is None
        self._show_hw_mode()
        return q

    def _show_hw_mode(self) -> None:
        mode = self.hw_mode()
        if mode == self._shown_mode:
            return
        self._shown_mode = mode
        # fields that do not apply to the chosen mode are hidden (their rows, labels included)
        for wid in ("#hw-search", "#hw-list", "#hw-picked"):
            widget = self.query_one(wid)
            (widget.parent if wid == "#hw-search" else widget).set_class(mode != "catalog", "hidden")
        for f in form.FACTS:
            self.query_one(f"#{f.widget_id}").parent.set_class(mode != "facts", "hidden")

    # ------------------------------------------------------------------ events
    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "hw-search":
            self.search_hardware(event.value.strip())
            return
        self.request_validation()

    @on(Input.Submitted, "#hw-search")
    def _search_submitted(self) -> None:
        """Enter in the search field picks the highlighted hit (the only one, or the first)."""
        ol = self.query_one("#hw-list", OptionList)
        if ol.highlighted is None or ol.option_count == 0:
            return
        option = ol.get_option_at_index(ol.highlighted)
        if not option.disabled and option.id:
            self._pick(option.id)

    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        self.request_validation()

    @on(OptionList.OptionSelected, "#hw-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._pick(event.option.id)

    def _pick(self, name: str) -> None:
        self.hw_name = name
        self.query_one("#hw-picked", Static).update(f"Picked: {name}")
        self.query_one("#hw-mode", Select).value = "catalog"
        self.validate_form()

    @on(Button.Pressed, "#submit")
    def _pressed(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        q = self.validate_form()
        if q is None:
            self.app.notify("Fix the fields marked in red first.", severity="error", title="Not submitted")
            return
        self.app.show_answer(q)  # type: ignore[attr-defined]
