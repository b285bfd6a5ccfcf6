"""A progress bar with the time left, on stderr, for work that takes seconds (fitting the
predictor, building the catalog). Shown only on a terminal: scripts reading `--json` and logs
get nothing. The caller reports fractions done; the time left is extrapolated from them."""

from __future__ import annotations

import sys
import time
from typing import IO

WIDTH = 24


class Progress:
    """`update(fraction, what)` redraws one line; `close()` ends it."""

    def __init__(self, label: str, stream: IO[str] | None = None, enabled: bool | None = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.t0 = time.monotonic()
        self.shown = False

    def update(self, fraction: float, what: str = "") -> None:
        if not self.enabled:
            return
        f = min(max(fraction, 0.0), 1.0)
        elapsed = time.monotonic() - self.t0
        left = f"~{elapsed / f * (1 - f):.0f} s left" if f > 0.02 else "estimating"
        bar = "#" * round(f * WIDTH) + "." * (WIDTH - round(f * WIDTH))
        self.stream.write(f"\r{self.label} [{bar}] {f:4.0%} {left} {what}".ljust(100)[:100])
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write(f"\r{self.label}: done in {time.monotonic() - self.t0:.1f} s".ljust(100)[:100] + "\n")
            self.stream.flush()
