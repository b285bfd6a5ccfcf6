"""Table columns sized to what they hold and to the width there is: the figures a user compares
keep their natural width, long names are elided in the middle (the full name is in the
details pane), a long reason wraps onto more lines, and the least needed columns go first
when the width is short. Pure text layout (Textual only in `fill_table`, by type), so it is tested on its own."""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import wrap
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.markup import escape

if TYPE_CHECKING:  # pragma: no cover
    from textual.widgets import DataTable

ELLIPSIS = "…"


@dataclass(frozen=True)
class Column:
    """One column: `flexible` takes the width left over (at least `min_width`); `wrap` wraps
    instead of eliding; `drop` > 0 may be left out when short of width (highest first);
    `max_width` elides a long fixed column in the middle."""

    header: str
    flexible: bool = False
    wrap: bool = False
    min_width: int = 8
    max_width: int | None = None
    drop: int = 0


@dataclass(frozen=True)
class Fitted:
    """The columns kept, their widths, the rows' cells for them and each row's height."""

    headers: list[str]
    widths: list[int]
    rows: list[list[str]]
    heights: list[int]
    dropped: list[str]


def elide_middle(text: str, width: int) -> str:
    """`Qwen3-VL-235B…Thinking`: the start and the end of `text` in `width` cells."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    keep = width - 1
    head = text[: (keep + 1) // 2]
    tail = text[len(text) - keep // 2:] if keep // 2 else ""
    return head + ELLIPSIS + tail


def abbreviate(n: int | float | None) -> str:
    """Token counts as people write them, never cut: 131072 -> `128k`, 128000 -> `128k`,
    16384 -> `16k`, 1048576 -> `1M`, 4096 -> `4k`, 512 -> `512`; None -> `—`."""
    if n is None:
        return "—"
    n = int(n)
    for unit, size in (("M", 1_000_000), ("M", 1024 * 1024), ("k", 1000), ("k", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size}{unit}"
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    if n >= 1000:
        return f"{round(n / 1000)}k"
    return str(n)


def _natural(col: Column, cells: list[str]) -> int:
    width = max([cell_len(col.header), *(cell_len(c) for c in cells)])
    return min(width, col.max_width) if col.max_width else width


def fit(columns: list[Column], rows: list[tuple[str, ...]], width: int, padding: int = 1) -> Fitted:
    """Lay `rows` out in `width` cells (each column costs its width plus `padding` each side)."""
    keep = list(range(len(columns)))
    natural = [_natural(c, [r[i] for r in rows]) for i, c in enumerate(columns)]

    def need(kept: list[int]) -> int:
        return sum((columns[i].min_width if columns[i].flexible else natural[i]) + 2 * padding for i in kept)

    while need(keep) > width and any(columns[i].drop for i in keep):
        worst = max((i for i in keep if columns[i].drop), key=lambda i: columns[i].drop)
        keep.remove(worst)
    fixed = sum(natural[i] + 2 * padding for i in keep if not columns[i].flexible)
    flex = [i for i in keep if columns[i].flexible]
    widths = {i: natural[i] for i in keep}
    if flex:
        # each flexible column gets its minimum, then the rest in turns up to its natural width
        spare = max(0, width - fixed - 2 * padding * len(flex))
        for i in flex:
            widths[i] = min(columns[i].min_width, natural[i])
        left = spare - sum(widths[i] for i in flex)
        while left > 0:
            hungry = [i for i in flex if widths[i] < natural[i]]
            if not hungry:
                break
            step = max(1, left // len(hungry))
            for i in hungry:
                extra = min(step, natural[i] - widths[i], left)
                widths[i] += extra
                left -= extra
    out_rows: list[list[str]] = []
    heights: list[int] = []
    for row in rows:
        cells, height = [], 1
        for i in keep:
            text = row[i]
            if columns[i].wrap and cell_len(text) > widths[i]:
                lines = wrap(text, widths[i]) or [""]
                height = max(height, len(lines))
                text = "\n".join(lines)
            else:
                text = elide_middle(text, widths[i])
            cells.append(text)
        out_rows.append(cells)
        heights.append(height)
    return Fitted(headers=[columns[i].header for i in keep], widths=[widths[i] for i in keep],
                  rows=out_rows, heights=heights,
                  dropped=[c.header for i, c in enumerate(columns) if i not in keep])


def fill_table(table: "DataTable", columns: list[Column], rows: list[tuple[str, ...]], width: int,
               dim: list[bool] | None = None, keys: list[str] | None = None) -> list[str]:
    """Fill `table` with `rows` fitted to `width` cells; returns the headers left out."""
    fitted = fit(columns, rows, width)
    table.clear(columns=True)
    for header, w in zip(fitted.headers, fitted.widths):
        table.add_column(header, width=w)
    for i, (cells, height) in enumerate(zip(fitted.rows, fitted.heights)):
        texts = [escape(x) for x in cells]
        if dim and dim[i]:
            texts = [f"[dim]{x}[/dim]" for x in texts]
        table.add_row(*texts, height=height, key=keys[i] if keys else None)
    return fitted.dropped
