"""Running the real console entry point (`advisor.cli:main`) in the test process."""

from __future__ import annotations

import io
import sys

import pytest


def run_main(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
             stdin: str | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `advisor ARGS`, exactly as the console script maps them."""
    from advisor.cli import main

    monkeypatch.setattr(sys, "argv", ["advisor", *args])
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        main()
        rc = 0
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return rc, out, err
