"""A model's configuration files from the Hugging Face Hub (`--hf-id`): `config.json`, and
`generation_config.json` and `tokenizer_config.json` when the repository has them, downloaded
with `huggingface_hub.hf_hub_download` into the user's Hub cache (`HF_HUB_CACHE`, else
`HF_HOME/hub`, else `~/.cache/huggingface/hub`) from `HF_ENDPOINT` (default https://huggingface.co).

Every failure is one line (`InputError`) that names the repository. One metadata request without
retries is made first: `hf_hub_download` itself retries an unreachable Hub for about 25 s before
failing. When the Hub cannot be reached (or `HF_HUB_OFFLINE` is set) files already in the cache
are used. `huggingface_hub` is imported only when a repository is fetched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from advisor.errors import InputError

CONFIG = "config.json"
OPTIONAL = ("generation_config.json", "tokenizer_config.json")
DEFAULT_ENDPOINT = "https://huggingface.co"
_TRUE = {"1", "true", "yes", "on"}


def hub_endpoint() -> str:
    """The Hub's URL, read now (`huggingface_hub` reads `HF_ENDPOINT` once, when imported)."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def hub_cache_dir() -> Path:
    """The user's Hub cache, read now from `HF_HUB_CACHE` / `HF_HOME`, as `huggingface_hub` does."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME") or "~/.cache", "huggingface")
    return Path(home).expanduser() / "hub"


def _etag_timeout() -> float:
    try:
        return float(os.environ.get("HF_HUB_ETAG_TIMEOUT") or 10)
    except ValueError:
        return 10.0


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _unreachable(flag: str, endpoint: str, reason: str) -> InputError:
    return InputError(f"{flag}: cannot reach the Hugging Face Hub ({endpoint}): {reason};"
                      " give --hf-config PATH instead")


def _hub_error(exc: Exception, flag: str, repo_id: str, revision: str, filename: str, endpoint: str) -> InputError:
    """One line for a failed Hub request (the classes of `huggingface_hub.errors`)."""
    from huggingface_hub import errors

    if isinstance(exc, errors.GatedRepoError):
        return InputError(f"{flag}: {repo_id} is gated: accept its conditions on the Hub and set HF_TOKEN, "
                          "or give --hf-config PATH instead")
    if isinstance(exc, errors.RepositoryNotFoundError):
        return InputError(f"{flag}: repository {repo_id} not found on the Hugging Face Hub ({endpoint})"
                          " (a private one needs HF_TOKEN)")
    if isinstance(exc, errors.RevisionNotFoundError):
        return InputError(f"{flag}: revision {revision} not found in {repo_id} ({endpoint})")
    if isinstance(exc, errors.RemoteEntryNotFoundError):
        return InputError(f"{flag}: {repo_id} has no {filename} (revision {revision}, {endpoint})")
    if isinstance(exc, errors.HfHubHTTPError) and exc.response is not None:
        return InputError(f"{flag}: the Hub ({endpoint}) answered HTTP {exc.response.status_code} for {filename}"
                          f" of {repo_id}")
    if isinstance(exc, OSError) and getattr(exc, "filename", None):
        return InputError(f"{flag}: cannot write {filename} into the Hub cache: {exc.strerror or exc} ({exc.filename})")
    cause = exc.__cause__ if isinstance(exc, errors.LocalEntryNotFoundError) and exc.__cause__ else exc
    return _unreachable(flag, endpoint, _first_line(cause))


def _is_connection_error(exc: BaseException) -> bool:
    """No answer from the Hub (refused, timed out, DNS, offline mode): the cache may still serve."""
    from huggingface_hub import errors

    if isinstance(exc, (errors.OfflineModeIsEnabled, errors.LocalEntryNotFoundError)):
        return True
    if isinstance(exc, OSError):
        return not getattr(exc, "filename", None)  # a socket error, not a file of the cache
    return any(k.__name__ == "TransportError" and k.__module__.startswith("httpx") for k in type(exc).__mro__)


def _from_cache(repo_id: str, revision: str | None, cache: Path) -> Path | None:
    """The cached snapshot folder holding `config.json` of `repo_id` at `revision`, else None."""
    from huggingface_hub import hf_hub_download

    try:
        config = hf_hub_download(repo_id, CONFIG, revision=revision, cache_dir=cache, local_files_only=True)
    except Exception:  # noqa: BLE001 - not cached (LocalEntryNotFoundError) or a bad id
        return None
    return Path(str(config)).parent


def _download(repo_id: str, filename: str, revision: str | None, cache: Path, endpoint: str) -> Any:
    from huggingface_hub import hf_hub_download

    return hf_hub_download(repo_id, filename, revision=revision, cache_dir=cache, endpoint=endpoint,
                           etag_timeout=_etag_timeout())


def fetch_hf_config(repo_id: str, revision: str | None = None) -> Path:
    """The folder (a snapshot in the Hub cache) holding `config.json` of Hub repository
    `repo_id` at `revision` (default main), with its generation and tokenizer configs when the
    repository has them. InputError in one line when the Hub cannot be reached and the files
    are not cached, or when the repository, revision or `config.json` does not exist."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.utils import validate_repo_id

    endpoint, cache, rev = hub_endpoint(), hub_cache_dir(), revision or "main"
    flag = f"--hf-id {repo_id}"
    try:
        validate_repo_id(repo_id)
    except ValueError as exc:
        raise InputError(f"{flag}: not a Hub repository id (owner/name): {_first_line(exc)}") from None
    if (os.environ.get("HF_HUB_OFFLINE") or "").strip().lower() in _TRUE:
        cached = _from_cache(repo_id, revision, cache)
        if cached is None:
            raise InputError(f"{flag}: HF_HUB_OFFLINE is set and {CONFIG} is not in the Hub cache ({cache});"
                             " give --hf-config PATH instead")
        return cached
    try:  # one quick request, no retries: is the Hub there, and does it have the repository and file?
        get_hf_file_metadata(hf_hub_url(repo_id, CONFIG, revision=revision, endpoint=endpoint),
                             timeout=_etag_timeout(), endpoint=endpoint)
        folder = Path(str(_download(repo_id, CONFIG, revision, cache, endpoint))).parent
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line
        if _is_connection_error(exc):
            cached = _from_cache(repo_id, revision, cache)
            if cached is not None:
                return cached
        raise _hub_error(exc, flag, repo_id, rev, CONFIG, endpoint) from None
    for name in OPTIONAL:
        try:
            _download(repo_id, name, revision, cache, endpoint)
        except Exception as exc:  # noqa: BLE001
            from huggingface_hub import errors

            if not (isinstance(exc, errors.RemoteEntryNotFoundError) or _is_connection_error(exc)):
                raise _hub_error(exc, flag, repo_id, rev, name, endpoint) from None  # absent or lost: fine
    return folder
