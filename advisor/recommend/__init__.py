"""`advisor.recommend(questionnaire)`: the product's main job (the pipeline is in
`advisor.recommend.pipeline`; this package only re-exports it)."""

from __future__ import annotations

from typing import Any

from advisor.callable_module import make_callable

__all__ = ["recommend", "parse_questionnaire", "load_questionnaire"]


def __getattr__(name: str) -> Any:
    """Public names load on first use: `import advisor.recommend` stays cheap."""
    if name == "recommend":
        from advisor.recommend.pipeline import recommend

        return recommend
    if name in ("parse_questionnaire", "load_questionnaire"):
        from advisor.recommend import questionnaire

        return getattr(questionnaire, name)
    raise AttributeError(f"module 'advisor.recommend' has no attribute {name!r}")


def _recommend() -> Any:
    from advisor.recommend.pipeline import recommend

    return recommend


make_callable(__name__, _recommend)
