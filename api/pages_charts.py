"""Chart geometry computed on the server, drawn by the templates as inline SVG (no library).

A chart comes in two layouts: wide (labels left of the bars) and narrow, for phones, where
each label stands on its own line above its bar so it keeps a readable size at 390 px.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from viz.graphdata import COVERAGE_COLORS

#: The three parts of a street's bar: (row column, colour, i18n key of its name).
PARTS: tuple[tuple[str, str, str], ...] = (
    ("org_covered", COVERAGE_COLORS["own"], "cov.org"),
    ("work_only", COVERAGE_COLORS["work"], "cov.work_only"),
    ("uncovered", COVERAGE_COLORS["uncovered"], "cov.uncovered"),
)


@dataclass
class Segment:
    x: float
    width: float
    color: str
    part: str
    count: int


@dataclass
class Bar:
    label: str
    y: float
    total: int
    rate: float
    segments: list[Segment] = field(default_factory=list)
    #: The baseline of the bar's label and value.
    text_y: float = 0.0


@dataclass
class BarChart:
    width: int
    height: int
    left: int
    plot: int
    bar: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    #: Where the labels and the values stand, and how they are anchored.
    label_x: float = 0.0
    label_anchor: str = "end"
    value_x: float = 0.0
    value_anchor: str = "start"
    narrow: bool = False


def stacked_bars(
    rows: Sequence[Mapping[str, Any]],
    *,
    rate: str = "coverage_rate",
    width: int = 760,
    left: int = 170,
    bar: int = 22,
    narrow: bool = False,
) -> BarChart:
    """One 100% bar per group (``coverage_by`` rows): organization, work only, uncovered;
    each labelled with its ``rate`` column (the rate the rows are sorted by, so the figures
    read in order).

    ``narrow`` lays it out for a phone: 360 units wide (drawn about 1:1 at 390 px), each
    label above its bar with the rate at the right end of the label's line. Name unfilled
    groups first (:func:`api.empty_states.name_unfilled`); a group left blank is drawn "?"."""
    if narrow:
        width, left, bar = 360, 0, 14
    label_line = 17 if narrow else 0
    gap, top = 10, 24
    plot = width - left - (0 if narrow else 70)
    step = label_line + bar + gap
    bars = []
    for i, r in enumerate(rows):
        total = int(r.get("total") or 0)
        y = top + i * step + label_line
        b = Bar(
            label=str(r.get("group") or "?"),
            y=y,
            total=total,
            rate=float(r.get(rate) or 0.0),
            text_y=round(y - 5 if narrow else y + bar * 0.7, 2),
        )
        x = float(left)
        for column, color, part in PARTS:
            count = int(r.get(column) or 0)
            w = plot * count / total if total else 0.0
            b.segments.append(Segment(round(x, 2), round(w, 2), color, part, count))
            x += w
        bars.append(b)
    # A narrow chart leaves out the end ticks, whose labels would stand half outside it.
    fractions = (0.25, 0.5, 0.75) if narrow else (0, 0.25, 0.5, 0.75, 1)
    ticks = [(left + plot * f, f"{f:.0%}") for f in fractions]
    height = top + len(rows) * step + 6
    if narrow:
        return BarChart(width, height, left, plot, bar, bars, ticks, 0, "start", width, "end", True)
    return BarChart(width, height, left, plot, bar, bars, ticks, left - 8, "end", left + plot + 8)


def heat_color(value: float) -> str:
    """White to deep red as ``value`` goes from 0 to 1."""
    v = min(max(value, 0.0), 1.0)
    r, g, b = 255 + (183 - 255) * v, 255 + (28 - 255) * v, 255 + (28 - 255) * v
    return f"#{round(r):02x}{round(g):02x}{round(b):02x}"


@dataclass
class HeatCell:
    shared: int | None
    jaccard: float | None
    color: str
    dark: bool


def overlap_matrix(
    ids: Sequence[str], pairs: Sequence[Mapping[str, Any]]
) -> list[tuple[str, list[HeatCell]]]:
    """A symmetric alliance × alliance matrix from ``alliance_overlap`` rows (a, b, shared,
    jaccard); the diagonal is empty. Colours span the smallest to the largest similarity, so
    differences show even when every pair overlaps a lot."""
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    values = [float(p["jaccard"] or 0.0) for p in pairs]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    span = high - low or 1.0
    for pair in pairs:
        found[(pair["a"], pair["b"])] = found[(pair["b"], pair["a"])] = pair
    matrix = []
    for a in ids:
        cells = []
        for b in ids:
            p = found.get((a, b))
            if p is None:
                cells.append(HeatCell(None, None, "#f5f5f5", False))
            else:
                j = float(p["jaccard"] or 0.0)
                shade = 0.1 + 0.9 * (j - low) / span
                cells.append(HeatCell(int(p["shared"] or 0), j, heat_color(shade), shade > 0.55))
        matrix.append((a, cells))
    return matrix
