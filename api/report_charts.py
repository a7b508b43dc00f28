"""The rates' trend as chart geometry, drawn by the templates as inline SVG (no library).

One line per rate of :mod:`queries.rates` over the daily snapshots
(:func:`queries.report.trend`); the y axis is 0–100 %, the x axis the snapshots' dates in
order (evenly spaced: a quarter's report reads as a sequence of measurements), or their
times when the points are finer than days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph_model.snapshots import Snapshot
from queries.rates import RATES

#: A colour per rate (colour-blind safe, and distinct in grey when printed: solid, dashed).
RATE_COLORS: dict[str, tuple[str, str]] = {
    "coverage": ("#1b7837", ""),
    "org_coverage": ("#2166ac", "6 3"),
    "own_org": ("#b2182b", "2 3"),
}


@dataclass
class Line:
    key: str
    label: str
    color: str
    dash: str
    points: str
    dots: list[tuple[float, float, str]]


@dataclass
class TrendChart:
    width: int
    height: int
    left: int
    top: int
    plot_w: int
    plot_h: int
    lines: list[Line]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str, str]]


def trend_chart(
    snapshots: Sequence[Snapshot], *, width: int = 760, height: int = 240
) -> TrendChart | None:
    """Lines of every rate over ``snapshots`` (oldest first); None with fewer than two."""
    if len(snapshots) < 2:
        return None
    left, top, right, bottom = 48, 12, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / (len(snapshots) - 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value), 2)

    lines = []
    for rate in RATES:
        color, dash = RATE_COLORS[rate.key]
        dots = [
            (round(left + i * step, 2), y(rate.of(s.counts)), f"{rate.of(s.counts):.1%}")
            for i, s in enumerate(snapshots)
        ]
        points = " ".join(f"{x},{yy}" for x, yy, _ in dots)
        lines.append(Line(rate.key, rate.label, color, dash, points, dots))
    y_ticks = [(y(f), f"{f:.0%}") for f in (0, 0.25, 0.5, 0.75, 1)]
    # At most 8 dates under the axis, the first and the last always.
    every = max(1, -(-len(snapshots) // 8))
    shown = {*range(0, len(snapshots), every), len(snapshots) - 1}
    days = {s.date for s in snapshots}
    # Dates when each point is a day of its own, else the time too (MM-DD HH:MM, UTC).
    labels = [
        s.date if len(days) == len(snapshots) else s.at[5:16].replace("T", " ") for s in snapshots
    ]
    last = len(snapshots) - 1
    # The end labels lean inwards, so neither is cut off at the chart's edge.
    x_ticks = [
        (
            round(left + i * step, 2),
            labels[i],
            "start" if i == 0 else "end" if i == last else "middle",
        )
        for i in sorted(shown)
    ]
    return TrendChart(width, height, left, top, plot_w, plot_h, lines, y_ticks, x_ticks)
