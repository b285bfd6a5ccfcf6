"""An in-memory copy of the catalog (plain row objects keyed by id) for the predictor and the
recommender, which read everything and must answer in milliseconds. Loaded with plain SQL
through any DB-API-like `query` (sqlite3 or a SQLAlchemy connection), so that a reader of the
SQLite file needs neither the ORM nor SQLAlchemy (`advisor.catalog.read`)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from types import SimpleNamespace
from typing import Any, TypeVar

from advisor.catalog.names import (
    close_matches, exl2_bits, exl2_name, hardware_group, hardware_kind_hint, model_name_variants, norm,
)

Row = SimpleNamespace
IMPLAUSIBLE = "implausible"  # the quality of a figure kept in the catalog but out of every estimate
T = TypeVar("T")
# SQL text -> (column names, rows): one read transaction's cursor
Query = Callable[[str], tuple[Sequence[str], Iterable[Sequence[Any]]]]

# the tables whose row counts and largest ids make the data version (with the seed hash and
# the revision every committed write bumps)
VERSION_TABLES = ("measurements", "scores", "quant_effects", "oom_observations", "hosted_speeds",
                  "models", "hardware", "quantizations")
META_TABLE, SEED_HASH_KEY, REVISION_KEY, SCHEMA_VERSION_KEY = "catalog_meta", "seed_hash", "revision", "schema_version"


def data_version_sql() -> str:
    """One query (one round trip: it runs before every answer) for `data_version_of`."""
    meta = [f"(SELECT value FROM {META_TABLE} WHERE key = '{k}')" for k in (SEED_HASH_KEY, REVISION_KEY)]
    counts = [f"(SELECT {f}(id) FROM {t})" for t in VERSION_TABLES for f in ("count", "max")]
    return "SELECT " + ", ".join(meta + counts)


def data_version_of(row: Sequence[Any]) -> str:
    """Changes whenever any figure is added or removed (drives predictor refits)."""
    parts = [row[0] or "", "r" + (row[1] or "0")]
    parts += [f"{row[2 + 2 * i]}:{row[3 + 2 * i]}" for i in range(len(VERSION_TABLES))]
    return "/".join(parts)


# Columns whose stored form is not the Python value (the ORM's Boolean and DateTime columns:
# SQLite keeps 0/1 and ISO text; a test checks these against the ORM).
BOOLEAN_COLUMNS = {"models": ("commercial_use",), "quant_effects": ("higher_is_better",)}
DATETIME_COLUMNS = {"measurements": ("created_at",), "overrides": ("created_at",)}


def _as_bool(v: Any) -> bool | None:
    return None if v is None else bool(v)


def _as_datetime(v: Any) -> Any:
    return datetime.fromisoformat(v) if isinstance(v, str) else v


def _rows(query: Query, table: str) -> dict[int, Row]:
    cols, rows = query(f"SELECT * FROM {table}")
    names = list(cols)
    key = names.index("id")
    out = {r[key]: Row(**dict(zip(names, r))) for r in rows}
    for convert, columns in ((_as_bool, BOOLEAN_COLUMNS.get(table, ())), (_as_datetime, DATETIME_COLUMNS.get(table, ()))):
        for col in columns:
            for row in out.values():
                setattr(row, col, convert(getattr(row, col)))
    return out


def _pairs(query: Query, sql: str) -> list[tuple[Any, Any]]:
    return [(a, b) for a, b in query(sql)[1]]


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
    # kind (model, hardware, quant, engine) -> [(normalised alias, id)] in the order the catalog holds them
    aliases: dict[str, list[tuple[str, int]]] = field(default_factory=dict, repr=False)
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
    def _hardware_groups(self) -> dict[str, list[Row]]:
        groups: dict[str, list[Row]] = {}
        for h in self.hardware.values():
            groups.setdefault(hardware_group(h.name), []).append(h)
        return groups

    def variants(self, name: str) -> list[Row]:
        """The catalog's variants of the device `name` is (`hardware_group`), itself included."""
        return self._hardware_groups.get(hardware_group(name), [])

    @cached_property
    def sibling_bandwidth(self) -> dict[str, float]:
        """Devices without a bandwidth figure, by name: the lowest figure known for another
        variant of the same device (`variants`)."""
        out: dict[str, float] = {}
        for h in self.hardware.values():
            known = [v.mem_bandwidth_gbs for v in self.variants(h.name) if v.mem_bandwidth_gbs]
            if not h.mem_bandwidth_gbs and known:
                out[h.name] = min(known)
        return out

    @cached_property
    def sibling_memory(self) -> dict[str, float]:
        """The memory the speed features read for each device, by name (nan: none stated): a
        measured device's own catalog figure, whatever memory a request gives it; one never
        measured, its most measured variant's (`variants`, same kind). A chip's memory size is
        no part of its speed, but the fitted trees read it as a class of device (phone, board,
        server), and they learned this chip's class from the rows measured: a Raspberry Pi 5
        8GB read as an 8 GB device was predicted at half the decode (9.0 against 16.7 tok/s,
        LFM2-700M Q6_K) its RAM-unspecified sibling measures (17.8). Training rows read their
        own figure, so no fitted tree changes. Devices neither measured nor with a measured
        variant are absent: they read their own."""
        count = self.hw_measurement_count
        out: dict[str, float] = {}
        for h in self.hardware.values():
            measured = [h] if count.get(h.id) else [v for v in self.variants(h.name) if v.kind == h.kind and count.get(v.id)]
            if measured:
                best = max(measured, key=lambda v: (count[v.id], -v.id))
                out[h.name] = float(best.memory_gb) if best.memory_gb else float("nan")
        return out

    def siblings(self, name: str | None) -> tuple[float | None, float | None]:
        """(`sibling_bandwidth`, `sibling_memory`) of a device by name: what its speed features
        read from a variant (None: its own figure)."""
        return self.sibling_bandwidth.get(name or ""), self.sibling_memory.get(name or "")

    def sized_variant(self, name: str, memory_gb: float | None = None) -> Row | None:
        """For a device listed without a memory figure ("Apple M1 Max (GPU cores unspecified)"),
        the variant of the same device (`variants`) and kind that has one (`memory_gb`
        when given): the one with the most figures known, then the most measurements, then the
        least memory (what fits it fits the larger ones). None when the device has no such variant."""
        row = self.find_hardware(name)
        if row is None:
            return None
        sized = [h for h in self.variants(row.name) if h.memory_gb and h.kind == row.kind
                 and memory_gb in (None, h.memory_gb)]

        def rank(h: Row) -> tuple[int, int, float, str]:
            known = sum(bool(getattr(h, k, None)) for k in ("mem_bandwidth_gbs", "fp16_tflops", "fp32_tflops"))
            return -known, -self.hw_measurement_count.get(h.id, 0), h.memory_gb, h.name

        return min(sized, key=rank, default=None)

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

    @cached_property
    def model_aliases(self) -> dict[int, list[str]]:
        return _by_target(self.aliases.get("model", []))

    @cached_property
    def hardware_aliases(self) -> dict[int, list[str]]:
        return _by_target(self.aliases.get("hardware", []))

    @cached_property
    def measurement_count(self) -> Counter:  # type: ignore[type-arg]
        return Counter(m.model_id for m in self.measurements)

    @cached_property
    def hw_measurement_count(self) -> Counter:  # type: ignore[type-arg]
        return Counter(m.hardware_id for m in self.measurements)

    @cached_property
    def score_count(self) -> Counter:  # type: ignore[type-arg]
        return Counter(r.model_id for r in self.scores)

    # ------------------------------------------------------------------ names
    def find_id(self, kind: str, name: str) -> int | None:
        """The id of a model, hardware, quantization or engine row by name: the exact name in
        any case, else the normalised name, else an alias (the catalog's one resolution rule)."""
        exact, by_norm, aliases = self.derived(f"snapshot.names.{kind}", lambda s: s._name_index(kind))
        key = name.strip().lower()
        found = exact.get(key)
        if found is None:
            found = by_norm.get(norm(name))
        if found is None:
            found = aliases.get(norm(name))
        return found

    def _name_index(self, kind: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        rows: dict[int, Row] = getattr(self, ENTITY_ATTR[kind])
        exact: dict[str, int] = {}
        for i, r in rows.items():
            exact.setdefault(r.name.lower(), i)
        by_norm = {norm(r.name): i for i, r in rows.items()}
        return exact, by_norm, dict(self.aliases.get(kind, ()))

    def find_hardware(self, name: str) -> Row | None:
        found = self.find_id("hardware", name)
        return self.hardware.get(found) if found is not None else None

    def find_model(self, name: str) -> Row | None:
        """By name or alias; also GGUF file names (`llama-2-7b.Q4_0.gguf`) and Ollama tags."""
        for candidate in model_name_variants(name):
            found = self.find_id("model", candidate)
            if found is not None:
                return self.models[found]
        return None

    def weights_bits(self, model: Row) -> float | None:
        """Bits per weight of the format a model's published weights are in (`weights_quant`),
        None where they are 16-bit or not stated."""
        quant = self.find_quant(model.weights_quant) if getattr(model, "weights_quant", None) else None
        return quant.bits_per_weight if quant is not None else None

    def find_quant(self, name: str) -> Row | None:
        """Case-insensitive, published spellings mapped; any EXL2 bit rate is understood (a
        rate the catalog lacks comes back without an id, its facts parsed from the name)."""
        found = self.find_id("quant", name)
        bits = exl2_bits(name) if found is None else None
        if bits is not None:
            found = self.find_id("quant", exl2_name(bits))
            if found is None:
                return Row(id=None, name=exl2_name(bits), family="exl2", bits_per_weight=bits, weight_bits=bits,
                           notes="parsed from the name")
        return self.quants.get(found) if found is not None else None

    def find_engine(self, name: str) -> Row | None:
        found = self.find_id("engine", name)
        return self.engines.get(found) if found is not None else None

    def hardware_closest(self, name: str, kind: str | None = None) -> list[str]:
        """Catalog devices closest to an unknown name, of `kind` (else of the kind the name
        says: a CPU name is offered CPUs; else any); an alias is shown as its device."""
        kind = kind or hardware_kind_hint(name)
        devices = {i: h.name for i, h in self.hardware.items() if kind is None or h.kind == kind}
        aliases = [(a, h) for h, names in self.hardware_aliases.items() for a in names if h in devices]
        canonical = {**{a: devices[h] for a, h in aliases}, **{n: n for n in devices.values()}}
        return list(dict.fromkeys(canonical[h] for h in close_matches(name, list(canonical))))


ENTITY_ATTR = {"model": "models", "hardware": "hardware", "quant": "quants", "engine": "engines"}
# overrides name the catalog table of the row they change
OVERRIDE_TARGETS = {"models": "models", "hardware": "hardware", "quantizations": "quants",
                    "engines": "engines", "sources": "sources"}


def apply_overrides(snap: Snapshot, rows: list[Row]) -> None:
    """Put the user's overrides on top of the snapshot's seed rows (in the order written) and
    note per entity what the seed said (`snap.overridden[(table, id)] = {fact: (seed, user)}`)."""
    for o in sorted(rows, key=lambda r: r.id):
        target = getattr(snap, OVERRIDE_TARGETS.get(o.entity, ""), {}).get(o.entity_id)
        if target is None:
            continue
        seen = snap.overridden.setdefault((o.entity, o.entity_id), {})
        for key, value in json.loads(o.facts).items():
            if hasattr(target, key):
                seed = seen[key][0] if key in seen else getattr(target, key)
                seen[key] = (seed, value)
                setattr(target, key, value)


def _by_target(pairs: list[tuple[str, int]]) -> dict[int, list[str]]:
    """{id: [alias, ...]} of (alias, id) pairs."""
    out: dict[int, list[str]] = {}
    for alias, target in pairs:
        out.setdefault(target, []).append(alias)
    return out


def _plausible(rows: dict[int, Row]) -> list[Row]:
    """Rows not flagged implausible (those stay in the catalog, out of every estimate)."""
    return [r for r in rows.values() if r.quality != IMPLAUSIBLE]


ALIAS_SQL = {"model": "SELECT alias, model_id FROM model_aliases", "hardware": "SELECT alias, hardware_id FROM hardware_aliases",
             "quant": "SELECT alias, quant_id FROM quant_aliases", "engine": "SELECT alias, engine_id FROM engine_aliases"}


def load_snapshot(query: Query, version: str) -> Snapshot:
    """Every row the predictor and the recommender read, through `query` (one transaction)."""
    snap = Snapshot(
        version=version, models=_rows(query, "models"), hardware=_rows(query, "hardware"),
        quants=_rows(query, "quantizations"), engines=_rows(query, "engines"), sources=_rows(query, "sources"),
        measurements=_plausible(measurements := _rows(query, "measurements")),
        scores=_plausible(scores := _rows(query, "scores")),
        quant_effects=list(_rows(query, "quant_effects").values()), oom=list(_rows(query, "oom_observations").values()),
        hosted_speeds=list(_rows(query, "hosted_speeds").values()),
    )
    snap.implausible = [r for rows in (measurements, scores) for r in rows.values() if r.quality == IMPLAUSIBLE]
    apply_overrides(snap, list(_rows(query, "overrides").values()))
    snap.aliases = {kind: _pairs(query, sql) for kind, sql in ALIAS_SQL.items()}
    return snap


_LOADED: dict[str, Snapshot] = {}
_LOADED_LOCK = threading.Lock()


def cached_snapshot(url: str, version: str, load: Callable[[], Snapshot]) -> Snapshot:
    """The snapshot of the database at `url` at `version`: loaded once per version and
    process, whichever reader (the ORM catalog or the plain SQLite reader) asks first."""
    with _LOADED_LOCK:
        snap = _LOADED.get(url)
        if snap is None or snap.version != version:
            snap = _LOADED[url] = load()
        return snap


def peek_snapshot(url: str) -> Snapshot | None:
    """The snapshot last loaded for `url` in this process, whatever its version."""
    with _LOADED_LOCK:
        return _LOADED.get(url)


def forget_snapshots() -> None:
    with _LOADED_LOCK:
        _LOADED.clear()
