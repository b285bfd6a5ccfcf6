"""Where things live (data folder, database URL, bundled seed and prompts) and offline settings.

Everything is resolved lazily from the environment so that tests can point `ADVISOR_HOME`
at a temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def advisor_home() -> Path:
    """The user data folder: `ADVISOR_HOME` when set, else the platform's user data dir."""
    env = os.environ.get("ADVISOR_HOME")
    if env:
        path = Path(env).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("advisor", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return advisor_home() / "catalog.sqlite"


def database_url(explicit: str | None = None) -> str:
    """`--db URL` wins, then `ADVISOR_DB_URL`, then the SQLite file in the data folder."""
    url = explicit or os.environ.get("ADVISOR_DB_URL")
    if url:
        if url.startswith("postgresql://"):
            # SQLAlchemy 2.1 changed the default driver; we ship psycopg 3.
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{default_db_path()}"


def _bundled(name: str) -> Path:
    """A data folder shipped in the wheel (advisor/_data/NAME) or, in a checkout, at the repo root."""
    installed = PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


def seed_dir() -> Path:
    """The seed data the catalog is built from (top-level `catalog/` of the repository)."""
    return _bundled("catalog")


def bundled_prompts_dir() -> Path:
    """The prompt library shipped with the package (top-level `prompts/` of the repository)."""
    return _bundled("prompts")


def models_cache_dir() -> Path:
    """Where fitted predictors are stored (written by this program only)."""
    path = advisor_home() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def litellm_dir() -> Path | None:
    """The installed litellm package folder, found without importing litellm (2-3 s)."""
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def setup_offline() -> None:
    """Environment for running with no network: local price map, bundled tiktoken files."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        base = litellm_dir()
        if base is not None:
            tok = base / "litellm_core_utils" / "tokenizers"
            if tok.is_dir():
                os.environ["TIKTOKEN_CACHE_DIR"] = str(tok)
