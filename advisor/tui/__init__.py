"""The Textual TUI. Import nothing heavy here: `build_app` is loaded on first use.

    from advisor.tui import build_app
    build_app().run()
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_app"]


def __getattr__(name: str) -> Any:
    if name == "build_app":
        from advisor.tui.app import build_app

        return build_app
    raise AttributeError(f"module 'advisor.tui' has no attribute {name!r}")
