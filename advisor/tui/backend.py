"""What the TUI asks of the library, in one place. Every import is done inside the method
that needs it (they run in worker threads), so that opening the TUI stays fast and litellm is
not imported until something needs it. The TUI never estimates anything itself: it renders
what these calls return."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from advisor.catalog import Catalog, Snapshot
    from advisor.schema import HardwareSpec, PromptSet, Questionnaire, Recommendation


# Python 3.11 can fail a package import run from two threads at once (the recommend worker
# and the hardware search both import advisor.catalog on start: "KeyError: 'advisor.catalog'").
# Every worker imports the library under this one lock.
_IMPORT_LOCK = threading.RLock()


def _load(*modules: str) -> None:
    """Import library modules under the import lock (once; later calls find them loaded)."""
    import importlib

    with _IMPORT_LOCK:
        for name in modules:
            importlib.import_module(name)


class Backend:
    """Library calls used by the screens; tests may subclass it to replace one call."""

    def __init__(self, db_url: str | None = None) -> None:
        self.db_url = db_url
        self._catalog_lock = threading.Lock()  # the first open builds the database: once
        self._opened = False

    def check_start(self, questionnaire: "Questionnaire | None") -> None:
        """Open the catalog and resolve the questionnaire's named hardware before the screen
        opens, so that `advisor tui` meets a start-up error as the CLI does: one line, exit 2.
        A catalog that cannot be opened is an InputError naming its URL."""
        from advisor.errors import AdvisorError, InputError

        try:
            snap = self.snapshot()
        except AdvisorError:
            raise
        except Exception as exc:  # SQLAlchemy, OSError: the database itself
            from advisor import config

            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise InputError(f"catalog: cannot open {config.database_url(self.db_url)}: {first}") from None
        hw = questionnaire.hardware if questionnaire is not None else None
        if hw is not None and hw.name and not hw.detect:
            _load("advisor.recommend.hardware")
            from advisor.recommend.hardware import resolve_hardware

            resolve_hardware(snap, hw)  # NotFoundError / InputError: one line naming the field

    # ------------------------------------------------------------------ recommend
    def recommend(self, questionnaire: "Questionnaire", say: "Callable[[str], None] | None" = None) -> "Recommendation":
        """The recommendation; `say` is told each long step before it starts (the first use
        builds the catalog, a changed catalog refits the predictor)."""
        from advisor.config import setup_offline

        setup_offline()
        tell = say or (lambda _message: None)
        if not self._opened:
            tell("Opening the catalog (the first use builds it from the shipped seed: about 2 s)…")
        _load("advisor.recommend.pipeline", "advisor.predict.predictor")
        from advisor.predict.predictor import get_predictor, needs_fit
        from advisor.recommend import recommend

        snap = self.snapshot()
        if needs_fit(snap):
            tell("Fitting the predictor: your rows changed the catalog (about 7 s on two cores, once per change)…")
            get_predictor(snap)
        tell("Predicting and ranking every configuration…")
        return recommend(questionnaire, db_url=self.db_url, with_prompts=True)

    WARM_UP = {"use_case": {"task": "chat"}}  # no hardware: the answer's shared parts only

    def warm_up(self) -> None:
        """Best effort, in a worker while the questionnaire is answered: import the library,
        read the catalog snapshot, load (or, when the user's rows changed it, fit) the
        predictor, build the candidate source and the prompt library, by answering a
        generic question. ctrl+r then only predicts the chosen hardware's table."""
        try:
            from advisor.schema import Questionnaire

            self.recommend(Questionnaire.model_validate(self.WARM_UP))
        except Exception:  # the real request reports its own errors
            pass

    # ------------------------------------------------------------------ hardware
    def detect_hardware(self) -> "HardwareSpec | None":
        """This machine's accelerator, or None when detection is unavailable or fails."""
        try:
            self.snapshot()  # detection matches names in the catalog: build it once, here
        except Exception:
            pass
        _load("advisor.hardware_detect")
        from advisor.hardware_detect import detect_hardware

        try:
            return detect_hardware()
        except Exception:  # detection is best effort: the user can pick or type hardware
            return None

    # ------------------------------------------------------------------ catalog
    def catalog(self) -> "Catalog":
        """The catalog through SQLAlchemy (the detail of one entry, writes)."""
        return self._open("advisor.catalog.catalog", "open_catalog")  # type: ignore[no-any-return]

    def snapshot(self) -> "Snapshot":
        """The catalog's rows (read the plain way when the SQLite file is built: no ORM)."""
        return self._open("advisor.catalog.read", "catalog_snapshot")  # type: ignore[no-any-return]

    def _open(self, module: str, function: str) -> Any:
        """`module.function(db_url)`, imported under the import lock and called under the
        catalog lock (the first open builds the database: once)."""
        import sys

        _load(module)
        with self._catalog_lock:
            value = getattr(sys.modules[module], function)(self.db_url)
            self._opened = True
            return value

    def list_hardware(self, search: str | None = None) -> list[dict[str, Any]]:
        from advisor.catalog.listing import list_hardware

        return list_hardware(self.snapshot(), search or None)

    def list_models(self, search: str | None = None) -> list[dict[str, Any]]:
        from advisor.catalog.listing import list_models

        return list_models(self.snapshot(), search or None)

    def show(self, name: str) -> dict[str, Any]:
        return self.catalog().show(name)

    # ------------------------------------------------------------------ prompts
    def prompt_set(self, task: str, model: str, domain: str = "general",
                   context_window: int | None = None) -> "PromptSet":
        from advisor.config import setup_offline

        setup_offline()
        _load("advisor.catalog", "advisor.prompts.generate")
        from advisor.prompts.generate import generate_prompt_set

        return generate_prompt_set(task, model, domain, context_window=context_window,
                                   db_url=self.db_url)

    def export_prompt_set(self, prompt_set: "PromptSet", out: Path, domain: str = "general") -> list[Path]:
        """Write the set to `out` in the library format (`<out>/<task>/<id>.prompt.md` and
        `prompt-set.json`), through the prompts package when it can rebuild the set, else
        from the set's own items."""
        from advisor.config import setup_offline

        setup_offline()
        try:
            from advisor.prompts.generate import build_prompt_set, write_prompt_set

            gen = build_prompt_set(prompt_set.task, prompt_set.model, domain,
                                   context_window=prompt_set.context_window, db_url=self.db_url)
            if [p.id for p in gen.prompt_set.prompts] == [p.id for p in prompt_set.prompts]:
                return write_prompt_set(gen, out, force=True)  # the TUI's export folder is chosen in a dialog
        except Exception:
            pass
        return write_prompt_set_items(prompt_set, out)


def write_prompt_set_items(prompt_set: "PromptSet", out: Path) -> list[Path]:
    """Fallback writer: one `<id>.prompt.md` per item with minimal front matter."""
    import yaml

    folder = out / prompt_set.task
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for p in prompt_set.prompts:
        front = {
            "id": p.id, "version": 1, "title": p.title or p.id, "task": prompt_set.task,
            "kind": p.kind, "description": f"generated for {prompt_set.model}", "status": "active",
        }
        path = folder / f"{p.id}.prompt.md"
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + p.text
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        written.append(path)
    summary = out / "prompt-set.json"
    summary.write_text(prompt_set.model_dump_json(indent=2) + "\n", encoding="utf-8")
    written.append(summary)
    return written


def slug(text: str) -> str:
    """A folder-friendly form of a model name: `Llama-3.1-8B-Instruct` -> `llama-3.1-8b-instruct`."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-") or "model"
