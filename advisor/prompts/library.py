"""Finding prompt files.

Which folders make up the library:

1. `--dir PATH` (repeatable) REPLACES the bundled library; add `--with-bundled` to search the
   bundled one too (after the given folders).
2. Else `ADVISOR_PROMPTS_PATH` (folders separated by `os.pathsep`) behaves exactly like
   `--dir` (and honours `--with-bundled` the same way).
3. Else the bundled library (`advisor.config.bundled_prompts_dir()`).

Files are `**/*.prompt.md` under each folder, in sorted order. Ids must be unique across
all the folders searched (lint reports duplicates; lookups use the first one found).
"""

from __future__ import annotations

import difflib
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from advisor.errors import InputError, NotFoundError
from advisor.prompts.format import PROMPT_SUFFIX
from advisor.prompts.parse import Issue, PromptFile, parse_prompt_file

ENV_VAR = "ADVISOR_PROMPTS_PATH"


def library_dirs(dirs: Sequence[str | Path] | None = None, with_bundled: bool = False) -> list[Path]:
    """The folders to search, per the rules in the module docstring."""
    from advisor.config import bundled_prompts_dir

    chosen: list[Path] = [Path(d).expanduser() for d in dirs or []]
    if not chosen:
        env = os.environ.get(ENV_VAR, "")
        chosen = [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    if not chosen:
        return [bundled_prompts_dir()]
    if with_bundled:
        chosen.append(bundled_prompts_dir())
    for d in chosen:
        if not d.is_dir():
            raise InputError(f"prompt folder not found: {d}")
    unique: list[Path] = []
    for d in chosen:
        if d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def _display(path: Path) -> str:
    """A short path for messages: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# the prompt files under a folder, by folder: its walk's folders with their modification times
# and the files found; kept while no folder of the walk changed (a file added, removed or renamed
# changes its folder's time), except a folder changed within RACY_NS of the walk, whose time
# cannot tell a later change in the same clock tick
_LISTED: dict[Path, tuple[dict[str, int], list[Path]]] = {}
RACY_NS = 2_000_000_000


def _listed(base: Path) -> list[Path]:
    """The `*.prompt.md` files under `base`, sorted, as `sorted(base.rglob(...))` finds them,
    without walking the folder again while it has not changed."""
    kept = _LISTED.get(base)
    if kept is not None and _same_folders(kept[0]):
        return kept[1]
    walked_at, folders, files = time.time_ns(), {}, []
    for folder, _subdirs, names in os.walk(base):
        try:
            folders[folder] = os.stat(folder).st_mtime_ns
        except OSError:
            continue
        files += [Path(folder, n) for n in names if n.endswith(PROMPT_SUFFIX)]
    found = sorted(f for f in files if f.is_file())
    if all(t < walked_at - RACY_NS for t in folders.values()):
        _LISTED[base] = (folders, found)
    return found


def _same_folders(folders: dict[str, int]) -> bool:
    try:
        return all(os.stat(f).st_mtime_ns == t for f, t in folders.items())
    except OSError:
        return False


def find_prompt_files(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(file, root) for every `.prompt.md` under the given folders (or the files themselves)."""
    found: list[tuple[Path, Path]] = []
    seen: set[Path] = set()
    for base in paths:
        if base.is_file():
            items = [(base, base.parent)]
        elif base.is_dir():
            items = [(p, base) for p in _listed(base)]
        else:
            raise InputError(f"no such file or folder: {base}")
        for path, root in items:
            key = path.absolute()  # no syscall per file: a library is read before every answer
            if key not in seen:
                seen.add(key)
                found.append((path, root))
    return found


@dataclass
class Library:
    """The parsed prompt files of some folders."""

    dirs: list[Path]
    files: list[PromptFile] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.issues]

    def valid(self) -> list[PromptFile]:
        """Files whose front matter is valid (the first of duplicate ids only)."""
        out, ids = [], set()
        for f in self.files:
            if f.meta is not None and f.meta.id not in ids:
                ids.add(f.meta.id)
                out.append(f)
        return out

    def ids(self) -> list[str]:
        return [f.meta.id for f in self.valid() if f.meta]

    def get(self, prompt_id: str) -> PromptFile:
        """The prompt with this id; NotFoundError with close matches otherwise."""
        for f in self.valid():
            if f.meta and f.meta.id == prompt_id:
                return f
        close = difflib.get_close_matches(prompt_id, self.ids(), n=5, cutoff=0.5)
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        broken = [f.display for f in self.files if f.meta is None and f.id == prompt_id]
        if broken:
            hint = f": {broken[0]} has errors, run `advisor prompts lint`"
        raise NotFoundError(f"unknown prompt id '{prompt_id}'{hint}")

    def for_task(self, task: str) -> list[PromptFile]:
        return [f for f in self.valid() if f.meta and f.meta.task == task]


def load_library(dirs: Sequence[str | Path] | None = None, with_bundled: bool = False) -> Library:
    """Parse every prompt file of the library folders."""
    roots = library_dirs(dirs, with_bundled)
    return load_paths(roots)


# parsed prompt files by (path, modification time, size): a file is parsed again only when it
# changes, so a warm `recommend()` does not re-read the library (55 YAML files, ~30 ms)
_PARSED: dict[tuple[str, int, int, str], PromptFile] = {}


def _parsed(path: Path, root: Path) -> PromptFile:
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size, str(root))
    pf = _PARSED.get(key)
    if pf is None:
        pf = parse_prompt_file(path, _display(path))
        pf.root = root
        if len(_PARSED) > 4096:
            _PARSED.clear()
        _PARSED[key] = pf
    return pf


def load_paths(paths: Sequence[Path]) -> Library:
    """Parse the prompt files found under `paths` (files or folders); unchanged files come
    from the cache of parsed files."""
    return Library(dirs=list(paths), files=[_parsed(path, root) for path, root in find_prompt_files(paths)])
