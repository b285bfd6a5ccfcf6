"""An in-memory copy of the catalog (plain row objects keyed by id) for the predictor and the
recommender, which read everything and must answer in milliseconds."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import Engine, select

from advisor.catalog import orm
from advisor.catalog.db import read_session
from advisor.catalog.guard import apply_overrides
from advisor.catalog.names import hardware_group, norm
from advisor.catalog.plausible import IMPLAUSIBLE

Row = SimpleNamespace
T = TypeVar("T")


def _rows(session: Any, table: Any) -> dict[int, Row]:
    cols = [c.name for c in table.__table__.columns]
    result = session.execute(select(*[table.__table__.c[c] for c in cols]))
    return {r[0]: Row(**dict(zip(cols, r))) for r in result}


@dataclass
class Snapshot:
    version: str
    models: dict[int, Row]
    hardware: dict[int, Row]
    quants: dict[int, Row]
    engines: dict[int, Row]
    sources: dict[int, Row]
    measurements: list[Row]
    scores: list[Row]
    quant_effects: list[Row]
    oom: list[Row]
    hosted_speeds: list[Row] = field(default_factory=list)
    # rows imported with --allow-implausible: kept in the catalog, never fitted on or shown as measured
    implausible: list[Row] = field(default_factory=list)
    # (table, id) -> {fact: (seed value, user value)} for the seed rows a user overrides
    overridden: dict[tuple[str, int], dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    model_aliases: dict[int, list[str]] = field(default_factory=dict)
    hardware_aliases: dict[int, list[str]] = field(default_factory=dict)
    measurement_count: Counter = field(default_factory=Counter)
    hw_measurement_count: Counter = field(default_factory=Counter)
    score_count: Counter = field(default_factory=Counter)
    quant_by_norm: dict[str, int] = field(default_factory=dict)
    engine_by_norm: dict[str, int] = field(default_factory=dict)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _derived_lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def derived(self, key: str, build: Callable[["Snapshot"], T]) -> T:
        """Data the layers above derive from the snapshot (indexes, tables), built once per
        key: a snapshot never changes after it is loaded. Safe to call from several threads."""
        with self._derived_lock:
            if key not in self._derived:
                self._derived[key] = build(self)
            return self._derived[key]  # type: ignore[no-any-return]

    @cached_property
    def sibling_bandwidth(self) -> dict[str, float]:
        """Devices without a bandwidth figure, by name: the lowest figure known for another
        variant of the same device (`hardware_group`)."""
        known: dict[str, list[float]] = {}
        for h in self.hardware.values():
            if h.mem_bandwidth_gbs:
                known.setdefault(hardware_group(h.name), []).append(h.mem_bandwidth_gbs)
        return {h.name: min(known[hardware_group(h.name)]) for h in self.hardware.values()
                if not h.mem_bandwidth_gbs and hardware_group(h.name) in known}

    @cached_property
    def fit_version(self) -> str:
        """What the fitted predictor depends on: the shipped seed alone (`seed:<hash>`) while no
        user row adds measurements, scores or quantization effects (a model or device added
        without figures changes no fit) nor overrides a seed row's facts, else the whole data version."""
        seed = self.version.split("/")[0]
        user = any(r.origin != "seed" for rows in (self.measurements, self.scores, self.quant_effects) for r in rows)
        if not user and not self.overridden:
            return "seed:" + seed
        # with user figures, any write may change what they mean (a model's facts replaced)
        return f"user:{self.version}"

    def source_text(self, source_id: int | None) -> str | None:
        s = self.sources.get(source_id) if source_id is not None else None
        return f"{s.key}: {s.citation}" if s else None

    def quant_id(self, name: str | None) -> int | None:
        return self.quant_by_norm.get(norm(name)) if name else None

    def engine_id(self, name: str | None) -> int | None:
        return self.engine_by_norm.get(norm(name)) if name else None


def _plausible(rows: dict[int, Row]) -> list[Row]:
    """Rows not flagged implausible (those stay in the catalog, out of every estimate)."""
    return [r for r in rows.values() if r.quality != IMPLAUSIBLE]


def load_snapshot(engine: Engine, version: str) -> Snapshot:
    with read_session(engine) as s:
        snap = Snapshot(
            version=version,
            models=_rows(s, orm.Model),
            hardware=_rows(s, orm.Hardware),
            quants=_rows(s, orm.Quantization),
            engines=_rows(s, orm.Engine),
            sources=_rows(s, orm.Source),
            measurements=_plausible(measurements := _rows(s, orm.Measurement)),
            scores=_plausible(scores := _rows(s, orm.Score)),
            quant_effects=list(_rows(s, orm.QuantEffect).values()),
            oom=list(_rows(s, orm.OomObservation).values()),
            hosted_speeds=list(_rows(s, orm.HostedSpeed).values()),
        )
        snap.implausible = [r for rows in (measurements, scores) for r in rows.values() if r.quality == IMPLAUSIBLE]
        apply_overrides(snap, list(_rows(s, orm.Override).values()))
        for alias, mid in s.execute(select(orm.ModelAlias.alias, orm.ModelAlias.model_id)):
            snap.model_aliases.setdefault(mid, []).append(alias)
        for alias, hid in s.execute(select(orm.HardwareAlias.alias, orm.HardwareAlias.hardware_id)):
            snap.hardware_aliases.setdefault(hid, []).append(alias)
        for id_, q in snap.quants.items():
            snap.quant_by_norm[norm(q.name)] = id_
        for alias, qid in s.execute(select(orm.QuantAlias.alias, orm.QuantAlias.quant_id)):
            snap.quant_by_norm.setdefault(alias, qid)
        for id_, e in snap.engines.items():
            snap.engine_by_norm[norm(e.name)] = id_
        for alias, eid in s.execute(select(orm.EngineAlias.alias, orm.EngineAlias.engine_id)):
            snap.engine_by_norm.setdefault(alias, eid)
    snap.measurement_count = Counter(m.model_id for m in snap.measurements)
    snap.hw_measurement_count = Counter(m.hardware_id for m in snap.measurements)
    snap.score_count = Counter(r.model_id for r in snap.scores)
    return snap
