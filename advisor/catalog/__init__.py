"""The catalog of measured model profiles: open it (built on first use from the shipped seed),
resolve names by alias, list, show, import, export, and take an in-memory snapshot for the
predictor and the recommender.

    from advisor.catalog import open_catalog
    cat = open_catalog()              # ADVISOR_DB_URL / ADVISOR_HOME respected
    cat.resolve_model("llama3:8b").name

Public names load on first use: a read-only caller (`catalog_snapshot`) never imports
SQLAlchemy when the SQLite catalog is already built.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "Catalog": "advisor.catalog.catalog", "open_catalog": "advisor.catalog.catalog",
    "model_facts": "advisor.catalog.read", "forget_open_catalogs": "advisor.catalog.catalog",
    "unavailable": "advisor.catalog.catalog", "Snapshot": "advisor.catalog.snapshot",
    "catalog_snapshot": "advisor.catalog.read",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'advisor.catalog' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
