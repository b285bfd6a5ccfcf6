"""The shipped seed's files and their content hash: light (no SQLAlchemy), so that the plain
SQLite reader can tell a catalog built from this seed without opening the ORM."""

from __future__ import annotations

import hashlib
from pathlib import Path

# In load order (`advisor.catalog.rows.SPECS` holds one table spec per file, in this order).
SEED_FILES = (
    "sources.csv", "engines.csv", "quantizations.csv", "hardware.csv", "models.csv", "model_aliases.csv",
    "hardware_aliases.csv", "quant_aliases.csv", "engine_aliases.csv", "measurements.csv", "scores.csv",
    "quant_effects.csv", "oom.csv", "hosted_speeds.csv",
)
# Bump when the loader's interpretation of the seed changes, to force a rebuild.
LOADER_VERSION = "1"
# The schema version the current code builds (`advisor.catalog.db.LATEST_VERSION`).
SCHEMA_VERSION = 6

_HASHES: dict[tuple[str, tuple[tuple[int, int], ...]], str] = {}


def seed_hash(seed_dir: Path) -> str:
    """A hash of every seed file's bytes (remembered per file sizes and modification times)."""
    stats = []
    for name in SEED_FILES:
        try:
            st = (seed_dir / name).stat()
            stats.append((st.st_size, st.st_mtime_ns))
        except OSError:
            stats.append((-1, -1))
    key = (str(seed_dir), tuple(stats))
    if key not in _HASHES:
        h = hashlib.sha256(LOADER_VERSION.encode())
        for name in SEED_FILES:
            path = seed_dir / name
            h.update(name.encode())
            if path.exists():
                h.update(path.read_bytes())
        _HASHES[key] = h.hexdigest()[:16]
    return _HASHES[key]
