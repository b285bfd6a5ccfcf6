"""The one decoding path for user input, and strict JSON out.

Every reader of a user's bytes (questionnaire files and flags, predict lines, catalog imports,
prompt files, answers files, endpoint responses) goes through here: the size is bounded, the
bytes are checked as UTF-8 (an error gives the byte offset), JSON is parsed with its nesting
depth and number sizes bounded and without NaN/Infinity, and every number is finite. Output
JSON is strict: a non-finite float is written as `null` (unknown), never `NaN`/`Infinity`.

Standard library only: `import advisor` stays light. Errors are `InputError` (exit 2), one line
naming the file (and line, byte offset or field).
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from advisor.errors import InputError

MAX_FILE_BYTES = 64 * 1024 * 1024  # a catalog import, a predict batch: read whole
MAX_DOC_BYTES = 4 * 1024 * 1024  # a questionnaire, an answers file, a prompt file, a response
MAX_LINE_BYTES = 1024 * 1024  # one predict line
MAX_DEPTH = 64  # JSON nesting: no questionnaire or tool output nests deeper than a handful
MAX_DIGITS = 40  # digits of a JSON number: a count or a figure never needs more


def stdin_bytes() -> Any:
    """Standard input as a binary stream (a text stream put in its place, as tests do, is
    encoded back)."""
    buf = getattr(sys.stdin, "buffer", None)
    if buf is not None:
        return buf
    import io

    return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))


def read_bytes(path: str | Path, limit: int = MAX_DOC_BYTES) -> bytes:
    """The bytes of a file (`-`: stdin), at most `limit`; errors name the file."""
    try:
        if str(path) == "-":
            data = stdin_bytes().read(limit + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"{path}: larger than the limit of {limit:,} bytes")
    return data


def decode_utf8(data: bytes, where: str) -> str:
    """`data` as text (a UTF-8 BOM dropped); not UTF-8 -> `WHERE: not UTF-8 at byte N (line L)`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{where}: not UTF-8 at byte {exc.start} (line {line}): {exc.reason}") from None
    if "\x00" in text:
        raise InputError(f"{where}: not text: NUL byte at byte {data.index(0)}")
    return text.removeprefix("\ufeff")


def read_text(path: str | Path, limit: int = MAX_DOC_BYTES) -> str:
    """A user's text file (`-`: stdin), size-bounded and checked as UTF-8."""
    return decode_utf8(read_bytes(path, limit), str(path))


class BadNumber(ValueError):
    """A number json would accept and we do not: `literal` is its text, to find it by."""

    def __init__(self, literal: str, why: str) -> None:
        super().__init__(why)
        self.literal = literal


def _reject_constant(name: str) -> Any:
    raise BadNumber(name, f"{name} is not a number (strict JSON; give null for unknown)")


def _parse_float(s: str) -> float:
    if len(s) > MAX_DIGITS + 10:
        raise BadNumber(s, f"a number of {len(s)} characters (at most {MAX_DIGITS} digits)")
    x = float(s)
    if not math.isfinite(x):
        raise BadNumber(s, f"{s} is not a finite number")
    return x


def _parse_int(s: str) -> int:
    if len(s.lstrip("-")) > MAX_DIGITS:
        raise BadNumber(s, f"a number of {len(s.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(s)


def _where_number(text: str, where: str, exc: BadNumber) -> str:
    """`WHERE:LINE: 'key': why` for a refused number: its line, and the key it is the value of."""
    import re

    m = re.search(r"(?<![\w.+-])" + re.escape(exc.literal) + r"(?![\w.])", text)
    if m is None:
        return f"{where}: {exc}"
    line = text.count("\n", 0, m.start()) + 1
    keys = re.findall(r'"((?:[^"\\]|\\.)*)"\s*:\s*$|"((?:[^"\\]|\\.)*)"\s*:', text[max(0, m.start() - 400):m.start()])
    key = next((a or b for a, b in reversed(keys)), None)
    return f"{where}:{line}: " + (f"'{key}': " if key else "") + str(exc)


def _depth_ok(text: str, max_depth: int) -> int | None:
    """The offset where nesting first passes `max_depth` (strings skipped), else None."""
    depth = 0
    in_str = esc = False
    for i, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                return i
        elif ch in "]}":
            depth -= 1
    return None


def check_depth(text: str, where: str, max_depth: int = MAX_DEPTH) -> None:
    """An error when JSON `text` nests deeper than `max_depth` (before any parser recurses)."""
    if text.count("[") + text.count("{") > max_depth:  # cheap test first: most texts nest little
        at = _depth_ok(text, max_depth)
        if at is not None:
            line = text.count("\n", 0, at) + 1
            raise InputError(f"{where}:{line}: JSON nested deeper than {max_depth} levels (at byte "
                             f"{len(text[:at].encode())})")


def strict_decoder() -> json.JSONDecoder:
    """A decoder refusing NaN/Infinity, non-finite and over-long numbers (`BadNumber`)."""
    return json.JSONDecoder(parse_constant=_reject_constant, parse_float=_parse_float, parse_int=_parse_int)


def number_error(text: str, where: str, exc: ValueError) -> InputError:
    """The one-line error for a number the strict decoder refused, with its line and key."""
    if isinstance(exc, BadNumber):
        return InputError(_where_number(text, where, exc))
    return InputError(f"{where}: not valid JSON: {exc}")


def loads(text: str, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """Strict JSON: no NaN/Infinity, numbers finite and of at most MAX_DIGITS digits, nesting at
    most `max_depth`. Errors: `WHERE:LINE: not valid JSON: ...` (line and column)."""
    check_depth(text, where, max_depth)
    try:
        return strict_decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})") from None
    except ValueError as exc:  # a number refused by the hooks, or past Python's digit limit
        raise number_error(text, where, exc) from None
    except RecursionError:  # pragma: no cover - the depth test comes first
        raise InputError(f"{where}: JSON nested too deeply") from None


def read_json(path: str | Path, limit: int = MAX_DOC_BYTES) -> Any:
    """The JSON value in a user's file (`-`: stdin), through the one decoding path."""
    return loads(read_text(path, limit), str(path))


def finite_or_none(obj: Any) -> Any:
    """`obj` with every non-finite float replaced by None (unknown), for strict JSON out."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite_or_none(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite_or_none(v) for v in obj]
    return obj


def dumps(obj: Any, **kwargs: Any) -> str:
    """Strict JSON text: a non-finite float becomes null; `allow_nan=False` enforces the rest."""
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(finite_or_none(obj), allow_nan=False, **kwargs)


def refuse_existing(path: Path, force: bool, flag: str = "--force") -> None:
    """An error naming `path` when it exists and `force` was not given."""
    if path.exists() and not force:
        raise InputError(f"{path}: already exists; give {flag} to overwrite it")


@contextmanager
def whole_or_nothing(path: Path) -> Iterator[Path]:
    """A fresh temporary path beside `path` for the caller (or a library) to write; renamed over
    `path` when the block ends normally, removed when it raises: `path` is whole or untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str, force: bool = False) -> None:
    """Write `path` whole or not at all (`whole_or_nothing`); an existing file is replaced only
    with `force`. The temporary file has a fresh name: no user file is ever touched but `path`."""
    refuse_existing(path, force)
    with whole_or_nothing(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
