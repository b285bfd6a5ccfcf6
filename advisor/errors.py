"""Errors the CLI maps to clear messages and exit codes (never a traceback)."""

from __future__ import annotations

from collections.abc import Iterable


class AdvisorError(Exception):
    """A problem the user can fix: bad input, unknown name, unreadable file. Exit code 2."""

    exit_code = 2


class InputError(AdvisorError):
    """Invalid input; the message names the field or FILE:LINE."""


class CatalogUnavailableError(AdvisorError):
    """The catalog database cannot be opened (a server that is down, a path that cannot be
    created): the user's setting to fix, and for a server a 503, not a bad request."""


class NotFoundError(AdvisorError):
    """An unknown model, hardware, quantization or prompt; the message lists close matches.

    `what` (the kind looked up: "model", "hardware" ...), `name` (the value given) and `closest`
    (the nearest names known, best first) are data: callers read them instead of the message.
    Without an explicit message, it is built from them:
    `unknown hardware 'RTX 4099'; closest: NVIDIA GeForce RTX 4090, ...`."""

    def __init__(self, message: str | None = None, *, what: str = "", name: str = "",
                 closest: Iterable[str] = ()) -> None:
        self.what = what
        self.name = name
        self.closest: list[str] = list(closest)
        super().__init__(self.default_message() if message is None else message)

    def default_message(self) -> str:
        more = f"; closest: {', '.join(self.closest)}" if self.closest else ""
        return f"unknown {self.what} '{self.name}'{more}"
