"""Source keys: every distinct citation becomes one sources.csv row with a stable slug key.

Builders leave `Cite` cells; `build_sources` assigns the keys in the order the citations are
first cited (the order decides which of two colliding slugs gets a hash suffix), and
`resolve_row` puts the keys into the rows."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Set
from typing import NamedTuple

from seed_common import Cell, CellRow, Cite, die, slug
from seed_tables_sources import EXTRA_SOURCES, SOURCE_LICENSE, SOURCE_PREFIX, SOURCE_REST_CLEAN

SourceRow = tuple[str, str, str, str]  # citation, license, kind, notes


class SourceTable(NamedTuple):
    """The sources.csv rows by key, and the key of every citation."""

    keys: dict[str, str]
    rows: dict[str, SourceRow]


def cites_in(rows: Iterable[Iterable[Cell]]) -> Iterator[Cite]:
    """The `Cite` cells of some rows, row by row, in column order."""
    for row in rows:
        yield from (cell for cell in row if isinstance(cell, Cite))


def build_sources(cites: Iterable[Cite]) -> SourceTable:
    """Give each new citation a key (the first kind it is cited with wins), beside the synthetic sources."""
    rows: dict[str, SourceRow] = dict(EXTRA_SOURCES)
    keys: dict[str, str] = {}
    for cite in cites:
        if not cite.citation:
            die("empty citation")
        if cite.citation in keys:
            continue
        key = source_key(cite.citation, cite.kind, rows)
        lic, note = source_license(cite.citation, cite.kind)
        rows[key] = (cite.citation, lic, cite.kind, note)
        keys[cite.citation] = key
    return SourceTable(keys, rows)


def source_key(citation: str, kind: str, taken: Set[str]) -> str:
    """A readable prefix per document plus the slugified locator; long or colliding keys get a sha1 suffix."""
    prefix, rest = None, citation
    for pat, short in SOURCE_PREFIX:
        m = re.match(pat, citation)
        if m:  # a prefix may name the pattern's groups ("{0}"), slugified
            prefix, rest = short.format(*(slug(g) for g in m.groups())), citation[m.end():]
            break
    if prefix is None:
        prefix, rest = {"architecture": "arch"}.get(kind, "src"), citation
    for pat, rep in SOURCE_REST_CLEAN:
        rest = re.sub(pat, rep, rest)
    rest_slug = slug(rest)
    key = f"{prefix}-{rest_slug}" if rest_slug else prefix
    if len(key) > 72:
        key = key[:64].rstrip("-") + "-" + hashlib.sha1(citation.encode()).hexdigest()[:6]
    if key in taken:
        key = key[:64].rstrip("-") + "-" + hashlib.sha1(citation.encode()).hexdigest()[:6]
    if key in taken:
        die(f"source key collision: {key}")
    return key


def source_license(citation: str, kind: str) -> tuple[str, str]:
    """(license, notes) of a citation: the first matching license rule; none for architecture citations."""
    if kind == "architecture":  # citations name several repositories; licenses not checked per repository
        return "", "licenses of the cited repositories not checked"
    for pat, lic in SOURCE_LICENSE:
        if re.search(pat, citation):
            return lic, ""
    return "", ""


def resolve(cell: Cell, sources: SourceTable) -> str:
    """The text of a cell: a `Cite` becomes its source key (plus its suffix)."""
    if isinstance(cell, Cite):
        return sources.keys[cell.citation] + cell.suffix
    return cell


def resolve_row(row: CellRow, sources: SourceTable) -> list[str]:
    """A row with every `Cite` replaced by its source key."""
    return [resolve(cell, sources) for cell in row]


def keyed_rows(rows: Iterable[CellRow], sources: SourceTable) -> list[list[str]]:
    """Rows with their source keys, in the deterministic order of the seed files (by every column's text)."""
    return sorted((resolve_row(r, sources) for r in rows), key=lambda x: [str(v) for v in x])
