"""What a user import may do to the catalog, in the import's own transaction: figures are checked
for plausibility (`advisor.catalog.plausible`: rejected, or with `--allow-implausible` written
flagged), a row naming a seed entity becomes a user override (the seed row is never changed in
place), and the ids of every row written are kept in the import log (`imports`), so that
`advisor catalog remove --import N` undoes exactly that import (`advisor.catalog.remove`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from advisor.catalog import orm
from advisor.catalog.plausible import Facts, row_issue
from advisor.catalog.snapshot import IMPLAUSIBLE
from advisor.errors import InputError

# columns of an entity row that are not facts an override carries
_NOT_FACTS = {"name", "key", "origin", "source_id", "id"}


@dataclass
class ImportGuard:
    """One import's checks and log. `allow_implausible`: write implausible rows flagged instead
    of rejecting the file. `written`: table -> ids written; `flagged`, `overridden`: one line each."""

    allow_implausible: bool = False
    written: dict[str, list[int]] = field(default_factory=dict)
    flagged: list[str] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)
    import_id: int | None = None
    same_overrides: int = 0  # overrides the catalog already holds (the file imported twice)
    _facts: Facts | None = None

    def wrote(self, table: type, ids: list[int]) -> None:
        if ids:
            self.written.setdefault(table.__tablename__, []).extend(ids)

    def check(self, session: Session, table: type, values: list[dict[str, Any]], wheres: list[str],
              bits: dict[int, float]) -> None:
        """Reject (InputError naming the row and the bound) or flag every implausible row."""
        if self._facts is None or self._facts.session is not session:
            self._facts = Facts(session)
        for v, where in zip(values, wheres):
            why = row_issue(table, v, self._facts, bits)
            if why is None:
                continue
            if not self.allow_implausible:
                raise InputError(f"{where}: implausible: {why}; nothing imported (give --allow-implausible "
                                 "to keep such rows flagged and out of fitting)")
            v["quality"] = IMPLAUSIBLE
            self.flagged.append(f"{where}: flagged implausible (kept out of fitting): {why}")

    def override(self, session: Session, table: type, entity_id: int, name: str, v: dict[str, Any]) -> None:
        """Record a user's facts for a seed entity as an override (the seed row stays as it is)."""
        facts = {k: x for k, x in v.items() if k not in _NOT_FACTS and x is not None and not k.startswith("_")}
        text = json.dumps(facts, sort_keys=True, default=str)
        same = select(orm.Override.id).where(orm.Override.entity == table.__tablename__,
                                             orm.Override.entity_id == entity_id, orm.Override.facts == text)
        if not facts:
            return
        if session.execute(same).first() is not None:
            self.same_overrides += 1  # recorded already (the file imported twice)
            return
        id_ = session.execute(insert(orm.Override).returning(orm.Override.id), [{
            "entity": table.__tablename__, "entity_id": entity_id, "origin": orm.USER,
            "facts": text, "source_id": v.get("source_id")}]).scalar_one()
        self.wrote(orm.Override, [id_])
        self.overridden.append(f"{table.__tablename__} '{name}' is a seed row: kept as it is, your "
                               f"{', '.join(sorted(facts))} recorded as a user override")

    def log(self, session: Session, file: str, fmt: str) -> int | None:
        """Write the import log row; its id (None when nothing was written)."""
        if not self.written:
            return None
        return session.execute(insert(orm.ImportLog).returning(orm.ImportLog.id), [{
            "file": file, "format": fmt, "rows": json.dumps(self.written, sort_keys=True)}]).scalar_one()

