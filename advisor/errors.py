"""Errors the CLI maps to clear messages and exit codes (never a traceback)."""

from __future__ import annotations


class AdvisorError(Exception):
    """A problem the user can fix: bad input, unknown name, unreadable file. Exit code 2."""

    exit_code = 2


class InputError(AdvisorError):
    """Invalid input; the message names the field or FILE:LINE."""


class NotFoundError(AdvisorError):
    """An unknown model, hardware, quantization or prompt; the message lists close matches."""
