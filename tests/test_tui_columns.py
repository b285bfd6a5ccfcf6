"""Column fitting of the TUI's tables (advisor/tui/columns.py): what a user compares is never
cut, long names are elided in the middle, numbers are abbreviated rather than cut."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from advisor.tui.columns import Column, abbreviate, elide_middle, fit
from advisor.tui.widgets import CANDIDATE_COLUMNS, REJECTED_COLUMNS, candidate_row, rejected_row

sys.path.insert(0, str(Path(__file__).parent))
from _tui_fixtures import fixture_recommendation  # noqa: E402


def test_abbreviate_never_cuts() -> None:
    assert [abbreviate(n) for n in (16384, 131072, 128000, 129024, 1048576, 4096, 512, None)] == [
        "16k", "128k", "128k", "126k", "1M", "4k", "512", "—"]


def test_elide_middle_keeps_both_ends() -> None:
    name = "NVIDIA-Nemotron-3.5-Lightning-30B-A3B-BF16"
    short = elide_middle(name, 20)
    assert cell_len(short) == 20 and short.startswith("NVIDIA-Nem") and short.endswith("A3B-BF16") and "…" in short
    assert elide_middle("Qwen3.5-4B", 20) == "Qwen3.5-4B"


@pytest.mark.parametrize("width", [78, 118, 198])
def test_candidate_figures_always_whole(width: int) -> None:
    """At 80, 120 and 200 columns the speed with its interval, memory against the device, accuracy
    (one decimal), cost and the M/P marks keep every character; only the name is elided and only
    quant, engine and utility may go, in that order of need."""
    rec = fixture_recommendation()
    long = rec.candidates[0].model_copy(update={"model": "NVIDIA-Nemotron-3.5-Lightning-30B-A3B-BF16-extra-long",
                                                "usd_per_1m_tokens": 0.24})
    cands = [long, *rec.candidates[1:]]
    rows = [candidate_row(c, rec.hardware) for c in cands]
    fitted = fit(CANDIDATE_COLUMNS, rows, width)
    assert sum(w + 2 for w in fitted.widths) <= width
    for header in ("#", "Model", "Decode tok/s", "Memory GB", "Accuracy", "$/1M"):
        assert header in fitted.headers, (width, fitted.headers)
    for row, cells in zip(rows, fitted.rows):
        for header in ("Decode tok/s", "Memory GB", "Accuracy", "$/1M"):
            full = row[[c.header for c in CANDIDATE_COLUMNS].index(header)]
            assert cells[fitted.headers.index(header)] == full
    assert fitted.rows[0][fitted.headers.index("Accuracy")] == "62.0 M"
    assert fitted.rows[0][fitted.headers.index("Decode tok/s")] == "120 (102-138) M"
    if width >= 118:
        assert fitted.dropped == [] and fitted.rows[0][fitted.headers.index("Engine/provider")] == "llama.cpp"
    name = fitted.rows[0][1]
    assert ("…" in name) == (cell_len(long.model) > fitted.widths[1])


def test_rejected_reason_wraps_instead_of_cut() -> None:
    rec = fixture_recommendation()
    reason = "needs 42.5 GB of memory, the RTX 4090 has 18.8 GB usable (24 GB) at this context and concurrency"
    rows = [rejected_row(rec.rejected[0].model_copy(update={"reason": reason}))]
    fitted = fit(REJECTED_COLUMNS, rows, 78)
    cell = fitted.rows[0][fitted.headers.index("Reason")]
    assert cell.replace("\n", " ") == reason and fitted.heights[0] == cell.count("\n") + 1 > 1


def test_columns_dropped_by_need() -> None:
    cols = [Column("Name", flexible=True, min_width=6), Column("Keep"), Column("Minor", drop=1)]
    fitted = fit(cols, [("a long name here", "1234", "xxxxxxxx")], 20)
    assert fitted.headers == ["Name", "Keep"] and fitted.dropped == ["Minor"]
