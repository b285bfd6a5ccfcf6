"""The answer's chart: accuracy against decode speed, the Pareto front drawn as a line.

The legend and the y-axis label are lines of text outside the plot (plotext draws its legend
over the points and its y label beside the x label); points are numbered by rank, as in the
Candidates table; what cannot be drawn (no speed or no accuracy) is said under the chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

if TYPE_CHECKING:  # pragma: no cover
    from advisor.schema import Candidate, Recommendation


def chart_points(rec: "Recommendation") -> tuple[list["Candidate"], list["Candidate"]]:
    """(drawn, left out): candidates with both a speed and an accuracy, and the others."""
    drawn = [c for c in rec.candidates if c.predicted.decode_tok_s is not None and c.predicted.accuracy is not None]
    return drawn, [c for c in rec.candidates if c not in drawn]


def chart_legend(rec: "Recommendation") -> str:
    """The legend line under the plot (Rich markup): markers, and what is not drawn and why."""
    drawn, left_out = chart_points(rec)
    parts = ["[b]•[/b] local candidate", "[green]@[/green] on the Pareto front (green line)"]
    if any(c.deployment == "api" for c in drawn):
        parts.append("[cyan]x[/cyan] hosted API")
    parts.append("numbers: rank")
    text = "   ".join(parts)
    if left_out:
        names = ", ".join(f"{c.rank}" for c in left_out[:8]) + (" …" if len(left_out) > 8 else "")
        hosted = sum(1 for c in left_out if c.deployment == "api")
        why = "no published speed" if hosted == len(left_out) else "no speed or no accuracy figure"
        text += f"\n[dim]not drawn ({why}): {len(left_out)} candidate(s), rank {names}[/dim]"
    return text


class ParetoChart(Vertical):
    """Accuracy (y) against decode tok/s (x); textual-plotext is imported when first drawn."""

    def __init__(self, rec: "Recommendation", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rec = rec

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield Static("[b]Accuracy vs decode speed[/b]   ↑ accuracy (task score)", id="chart-ylabel")
        yield PlotextPlot(id="pareto-plot")
        yield Static(chart_legend(self.rec), id="chart-legend")

    def on_mount(self) -> None:
        from textual_plotext import PlotextPlot

        plt = self.query_one(PlotextPlot).plt
        points, _ = chart_points(self.rec)
        front = sorted((c for c in points if c.key in self.rec.pareto), key=lambda c: c.predicted.decode_tok_s or 0)
        local = [c for c in points if c.deployment != "api" and c.key not in self.rec.pareto]
        hosted = [c for c in points if c.deployment == "api" and c.key not in self.rec.pareto]
        plt.xlabel("decode tok/s →")
        if local:
            plt.scatter([c.predicted.decode_tok_s for c in local], [c.predicted.accuracy for c in local], marker="dot")
        if hosted:
            plt.scatter([c.predicted.decode_tok_s for c in hosted], [c.predicted.accuracy for c in hosted],
                        marker="x", color="cyan")
        if front:
            xs = [c.predicted.decode_tok_s for c in front]
            ys = [c.predicted.accuracy for c in front]
            plt.plot(xs, ys, marker="braille", color="green")
            plt.scatter(xs, ys, marker="@", color="green")
        for c in points[:12]:  # rank labels, as in the Candidates table
            plt.text(f" {c.rank}", x=c.predicted.decode_tok_s, y=c.predicted.accuracy)
