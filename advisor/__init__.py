"""advisor: pick a model (with quantization and engine) for a use case and a machine.

The public API is lazy: `import advisor` stays light (no textual, no litellm, no sklearn).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "recommend", "predict", "open_catalog"]

if TYPE_CHECKING:  # pragma: no cover
    from advisor.catalog import open_catalog
    from advisor.predict import predict
    from advisor.recommend import recommend


def __getattr__(name: str) -> Any:
    if name == "recommend":
        from advisor.recommend import recommend

        return recommend
    if name == "predict":
        from advisor.predict import predict

        return predict
    if name == "open_catalog":
        from advisor.catalog import open_catalog

        return open_catalog
    raise AttributeError(f"module 'advisor' has no attribute {name!r}")
