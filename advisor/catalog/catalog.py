"""The catalog database through SQLAlchemy: open it (built on first use from the shipped seed),
resolve names by alias, list, show, and take the in-memory snapshot the predictor and the
recommender read (`advisor.catalog` exports these names lazily)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, or_, select, text

from advisor import config
from advisor.catalog import orm
from advisor.catalog.db import get_engine, read_session
from advisor.catalog.listing import list_hardware, list_models
from advisor.catalog.names import close_matches
from advisor.catalog.snapshot import Snapshot, cached_snapshot, data_version_of, data_version_sql, load_snapshot
from advisor.errors import CatalogUnavailableError, NotFoundError

__all__ = ["Catalog", "open_catalog", "Snapshot", "forget_open_catalogs", "unavailable"]

_OPEN: dict[str, "Catalog"] = {}


class Catalog:
    """A catalog database, ready to query. Obtain it with `open_catalog()`."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url

    # ------------------------------------------------------------------ versions
    def data_version(self) -> str:
        """Changes whenever any figure is added or removed (drives predictor refits)."""
        with read_session(self.engine) as s:
            return data_version_of(s.execute(text(data_version_sql())).one())

    def snapshot(self) -> Snapshot:
        """All rows in memory (a few MB), reloaded when the data version changes."""
        version = self.data_version()

        def load() -> Snapshot:
            with read_session(self.engine) as s:
                def query(sql: str) -> tuple[list[str], list[Any]]:
                    result = s.execute(text(sql))
                    return list(result.keys()), result.all()

                return load_snapshot(query, version)

        return cached_snapshot(self.url, version, load)

    # ------------------------------------------------------------------ resolution
    def _row(self, table: Any, found: Any) -> Any:
        """The ORM row of a snapshot row the snapshot's one resolution rule found (or None)."""
        if found is None:
            return None
        with read_session(self.engine) as s:
            return s.get(table, found.id)

    def _not_found(self, what: str, name: str, *columns: Any) -> NotFoundError:
        """An error naming the value and the closest names (and aliases) in the catalog."""
        with read_session(self.engine) as s:
            names = [n for col in columns for n in s.execute(select(col)).scalars()]
        return NotFoundError(what=what, name=name, closest=close_matches(name, names))

    def _require(self, found: Any, what: str, name: str, *columns: Any) -> Any:
        """`found`, or the not-found error naming the closest of `columns`."""
        if found is None:
            raise self._not_found(what, name, *columns)
        return found

    def resolve_model(self, name: str) -> orm.Model:
        """By name or alias; also GGUF file names (`llama-2-7b.Q4_0.gguf`) and Ollama tags."""
        return self._require(self.find_model(name), "model", name, orm.Model.name, orm.ModelAlias.alias)  # type: ignore[no-any-return]

    def find_model(self, name: str) -> orm.Model | None:
        return self._row(orm.Model, self.snapshot().find_model(name))  # type: ignore[no-any-return]

    def find_hardware(self, name: str) -> orm.Hardware | None:
        return self._row(orm.Hardware, self.snapshot().find_hardware(name))  # type: ignore[no-any-return]

    def resolve_hardware(self, name: str, kind: str | None = None) -> orm.Hardware:
        """By name or alias; the not-found error offers devices of `kind` (else of the kind
        the name says: a CPU name is offered CPUs)."""
        found = self.find_hardware(name)
        if found is None:
            raise self.hardware_not_found(name, kind)
        return found

    def hardware_not_found(self, name: str, kind: str | None = None) -> NotFoundError:
        """The error for an unknown device: the closest catalog names of the same kind."""
        return NotFoundError(what="hardware", name=name, closest=self.snapshot().hardware_closest(name, kind))

    def find_quant(self, name: str) -> orm.Quantization | None:
        """Case-insensitive, published spellings mapped; any EXL2 bit rate is understood."""
        found = self.snapshot().find_quant(name)
        if found is not None and found.id is None:  # an EXL2 rate parsed from the name
            return orm.Quantization(**{k: v for k, v in vars(found).items() if k != "id"})
        return self._row(orm.Quantization, found)  # type: ignore[no-any-return]

    def resolve_quant(self, name: str) -> orm.Quantization:
        return self._require(self.find_quant(name), "quantization", name, orm.Quantization.name, orm.QuantAlias.alias)  # type: ignore[no-any-return]

    def find_engine(self, name: str) -> orm.Engine | None:
        return self._row(orm.Engine, self.snapshot().find_engine(name))  # type: ignore[no-any-return]

    def resolve_engine(self, name: str) -> orm.Engine:
        return self._require(self.find_engine(name), "engine", name, orm.Engine.name)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ listings
    def stats(self) -> dict[str, Any]:
        """Counts of every table; `unsourced` (figures without a source) must be 0;
        `models_by_release_year` (unknown: models whose release month no source gives)."""
        with read_session(self.engine) as s:
            def count(table: Any, *where: Any) -> int:
                return int(s.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0)

            unsourced = 0
            for table in orm.FIGURE_TABLES:
                unsourced += count(
                    table,
                    or_(table.source_id.is_(None),
                        ~table.source_id.in_(select(orm.Source.id).where(orm.Source.citation != ""))),
                )
            return {
                "models": count(orm.Model),
                "hardware": count(orm.Hardware),
                "measurements": count(orm.Measurement),
                "scores": count(orm.Score),
                "sources": count(orm.Source),
                "quantizations": count(orm.Quantization),
                "engines": count(orm.Engine),
                "quant_effects": count(orm.QuantEffect),
                "oom_observations": count(orm.OomObservation),
                "hosted_speeds": count(orm.HostedSpeed),
                "models_by_release_year": _by_year(s.execute(select(orm.Model.release)).scalars()),
                "user_rows": sum(count(t, t.origin == orm.USER) for t in orm.FIGURE_TABLES),
                "user_overrides": count(orm.Override),
                "implausible": count(orm.Measurement, orm.Measurement.quality == "implausible")
                + count(orm.Score, orm.Score.quality == "implausible"),
                "imports": count(orm.ImportLog),
                "unsourced": unsourced,
            }

    def list_models(self, search: str | None = None) -> list[dict[str, Any]]:
        return list_models(self.snapshot(), search)

    def list_hardware(self, search: str | None = None) -> list[dict[str, Any]]:
        return list_hardware(self.snapshot(), search)

    def show(self, name: str) -> dict[str, Any]:
        """A model or a hardware device found by alias: facts, measurements, scores, sources."""
        from advisor.catalog.show import show_hardware, show_model

        model = self.find_model(name)
        if model is not None:
            return show_model(self, model.id)
        hw = self.find_hardware(name)
        if hw is not None:
            return show_hardware(self, hw.id)
        raise self._not_found("model or hardware", name, orm.Model.name, orm.Hardware.name)


def _by_year(releases: Any) -> dict[str, int]:
    """{'2023': n, ..., 'unknown': n} from release months (YYYY-MM)."""
    from collections import Counter

    years = Counter((r or "")[:4] if (r or "")[:4].isdigit() else "unknown" for r in releases)
    return dict(sorted(years.items()))


def open_catalog(db_url: str | None = None, seed_dir: Path | None = None) -> Catalog:
    """The catalog at `db_url` (default: ADVISOR_DB_URL or the SQLite file under ADVISOR_HOME),
    built from the seed on first use and brought up to date when the seed changed."""
    from sqlalchemy.exc import OperationalError

    from advisor.catalog.seed import ensure_catalog

    url = config.database_url(db_url)
    cat = _OPEN.get(url)
    if cat is not None:
        return cat
    try:
        engine = get_engine(url)
        ensure_catalog(engine, seed_dir or config.seed_dir())
    except OperationalError as exc:  # a server that is down, a file that cannot be created
        raise unavailable(url, exc) from None
    cat = Catalog(engine, url)
    _OPEN[url] = cat
    return cat


def unavailable(url: str, exc: Exception) -> CatalogUnavailableError:
    """The one-line error of a catalog database that cannot be opened: its URL with the
    password hidden, and the driver's first line."""
    from sqlalchemy.engine import make_url

    shown = make_url(url).render_as_string(hide_password=True)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return CatalogUnavailableError(f"catalog {shown}: cannot open the database: {reason}")


def forget_open_catalogs() -> None:
    """Drop cached Catalog objects and engines (tests switch ADVISOR_HOME between cases)."""
    from advisor.catalog.db import dispose_all

    from advisor.catalog.read import close_connections
    from advisor.catalog.snapshot import forget_snapshots

    _OPEN.clear()
    dispose_all()
    forget_snapshots()
    close_connections()
