"""Recognising figures already in the catalog, so that importing a file twice adds nothing.

The rule: a figure row (a measurement, score, quantization effect, OOM observation or
hosted speed) is already in the catalog when a row of the same table, of any origin, has
the same FINGERPRINT: every stored column except the row's id, origin, creation time and
free-text notes. So the same source (the citation: for a tool's file, the tool, its
version, the file name and the run date), the same model, quantization, engine, device
and count, the same workload and the same figures (floats compared to 12 significant
digits). Re-importing a file, or a seed-format CSV exported from the catalog, adds 0 rows;
a file with one figure changed adds that row. Rows repeated inside one file count once.
It applies to every import (`advisor catalog import` of any format, `advisor measure`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor.catalog import orm

IGNORED = frozenset({"id", "origin", "created_at", "notes"})
Fingerprint = tuple[Any, ...]


def _value(v: Any) -> Any:
    """A value as fingerprints compare it (floats to 12 significant digits)."""
    if isinstance(v, float):
        return float(f"{v:.12g}")
    return v


def _columns(table: type[orm.Base]) -> list[str]:
    """The columns a fingerprint is made of."""
    return [c.key for c in table.__table__.columns if c.key not in IGNORED]  # type: ignore[attr-defined]


def fingerprint(table: type[orm.Base], values: dict[str, Any]) -> Fingerprint:
    """What makes a figure row the same as another (see the module docstring)."""
    return tuple(_value(values.get(c)) for c in _columns(table))


class KnownRows:
    """Fingerprints of the figure rows already stored, loaded per table and source as an
    import meets them; `already` counts the rows an import left out, by table."""

    def __init__(self) -> None:
        self.already: Counter[str] = Counter()
        self._seen: dict[tuple[type[orm.Base], Any], set[Fingerprint]] = {}

    def _stored(self, session: Session, table: type[orm.Base], source_id: Any) -> set[Fingerprint]:
        """The fingerprints of `table`'s rows citing `source_id` (read once per import)."""
        key = (table, source_id)
        if key not in self._seen:
            cols = _columns(table)
            rows = session.execute(select(*[getattr(table, c) for c in cols])
                                   .where(getattr(table, "source_id") == source_id)).all()
            self._seen[key] = {tuple(_value(v) for v in row) for row in rows}
        return self._seen[key]

    def new_rows(self, session: Session, table: type[orm.Base], stem: str,
                 values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows of `values` not yet in the catalog (nor earlier in `values`)."""
        if table not in orm.FIGURE_TABLES:
            return values
        fresh = []
        for v in values:
            seen = self._stored(session, table, v.get("source_id"))
            fp = fingerprint(table, v)
            if fp in seen:
                self.already[stem] += 1
                continue
            seen.add(fp)
            fresh.append(v)
        return fresh
