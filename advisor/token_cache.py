"""Token counts remembered across processes: the prompt library's texts are counted by the
real tokenizer once and read back from `$ADVISOR_HOME/cache/token-counts.json`, so that a cold
`advisor recommend` does not spend a quarter of a second loading a BPE table to count texts
it counted before. Keys are the encoding and a hash of the text; a damaged or foreign file is
ignored (the counts are taken again), and writes are whole or not at all."""

from __future__ import annotations

import atexit
import hashlib
import json
import threading
from pathlib import Path

from advisor.safeio import write_atomic

KEPT = 20_000  # entries kept (the newest), a few hundred KB
_FORMAT = 1


class _Store:
    def __init__(self) -> None:
        self.counts: dict[str, int] | None = None
        self.new: dict[str, int] = {}
        self.path: Path | None = None
        self.lock = threading.Lock()

    def _file(self) -> Path:
        from advisor.config import advisor_home

        return advisor_home() / "cache" / "token-counts.json"

    def _load(self) -> dict[str, int]:
        path = self._file()
        if self.counts is None or path != self.path:
            self._write()  # what was counted for the previous data folder goes there
            self.path, self.counts = path, _read(path)
        return self.counts

    def get(self, key: str) -> int | None:
        with self.lock:
            return self._load().get(key)

    def put(self, key: str, n: int) -> None:
        with self.lock:
            if not self.new:
                atexit.register(self.flush)
            self._load()[key] = n
            self.new[key] = n

    def flush(self) -> None:
        """Merge this process's new counts into the file (another process may have added its own)."""
        with self.lock:
            self._write()

    def _write(self) -> None:
        if not self.new or self.path is None:
            return
        merged = {**_read(self.path), **self.new}
        self.new = {}
        keep = dict(list(merged.items())[-KEPT:])
        try:
            write_atomic(self.path, json.dumps({"format": _FORMAT, "counts": keep}), force=True)  # whole or not at all
        except OSError:
            pass  # a read-only data folder: counted again next time


def _read(path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        counts = data["counts"] if data.get("format") == _FORMAT else {}
        return {k: v for k, v in counts.items() if isinstance(k, str) and type(v) is int and v >= 0}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


_STORE = _Store()


def key_of(encoding: str, text: str) -> str:
    return encoding + ":" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def remembered(encoding: str, text: str) -> int | None:
    """The count of `text` under `encoding` taken earlier (by any process), or None."""
    return _STORE.get(key_of(encoding, text))


def remember(encoding: str, text: str, n: int) -> None:
    _STORE.put(key_of(encoding, text), n)


def flush() -> None:
    _STORE.flush()
