"""JSON with lines: the records of a JSON array, a single object or JSON lines, each with the
line it starts on, and the line of a key inside a record, so that import errors name
`FILE:LINE`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from advisor.errors import InputError
from advisor.safeio import check_depth, number_error, strict_decoder


@dataclass
class JRecord:
    """One JSON object of a file, with the line it starts on and its span in the text."""

    line: int
    obj: Any
    start: int
    end: int


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, max(0, pos)) + 1


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _decoder(text: str, filename: str) -> Callable[[int], tuple[Any, int]]:
    """`decode(at) -> (value, end)`; a syntax error becomes `FILE:LINE: invalid JSON: ...`."""
    dec = strict_decoder()  # the one decoding path: no NaN/Infinity, finite, bounded numbers

    def decode(at: int) -> tuple[Any, int]:
        try:
            return dec.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise InputError(f"{filename}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})") from None
        except ValueError as exc:
            raise number_error(text, filename, exc) from None

    return decode


def _array_records(text: str, filename: str, i: int) -> list[JRecord]:
    """The elements of the array whose '[' is at `i`; nothing but white space may follow it."""
    decode = _decoder(text, filename)
    records: list[JRecord] = []
    i = _skip_ws(text, i + 1)
    if i < len(text) and text[i] == "]":
        return records
    while True:
        i = _skip_ws(text, i)
        obj, end = decode(i)
        records.append(JRecord(line_of(text, i), obj, i, end))
        i = _skip_ws(text, end)
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        if i < len(text) and text[i] == "]":
            i += 1
            break
        raise InputError(f"{filename}:{line_of(text, i)}: invalid JSON: expected ',' or ']'")
    rest = _skip_ws(text, i)
    if rest < len(text):
        raise InputError(f"{filename}:{line_of(text, rest)}: invalid JSON: extra data after the array")
    return records


def json_records(text: str, filename: str) -> list[JRecord]:
    """The objects of a JSON array, a single JSON object, or JSON lines, each with its line.
    Syntax errors become `FILE:LINE: invalid JSON: ...`."""
    check_depth(text, filename)
    i = _skip_ws(text, 0)
    if i >= len(text):
        raise InputError(f"{filename}:1: empty file")
    if text[i] == "[":
        return _array_records(text, filename, i)
    # one object, or several (JSON lines / concatenated objects)
    decode = _decoder(text, filename)
    records: list[JRecord] = []
    while i < len(text):
        obj, end = decode(i)
        records.append(JRecord(line_of(text, i), obj, i, end))
        i = _skip_ws(text, end)
    return records


def key_line(text: str, rec: JRecord, key: str) -> int:
    """The line of `"key"` inside the record (the record's first line when absent)."""
    pos = text.find(json.dumps(key), rec.start, rec.end)
    return line_of(text, pos) if pos >= 0 else rec.line


def key_where(text: str, filename: str, rec: JRecord) -> Callable[[str], str]:
    """`where(key) -> 'FILE:LINE'` of a key of the record, for error messages."""

    def where(key: str) -> str:
        return f"{filename}:{key_line(text, rec, key)}"

    return where

