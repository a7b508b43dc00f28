"""Plane geometry for the map: outlines around a set of firms, and binning points.

The map draws a street's or a grid's outline as the convex hull of its firms' positions
(there is no boundary data in the zone's ledger, only each firm's coordinates). A hull of one
or two distinct positions is no area, so those positions are first widened by a small
diamond (:data:`PAD` degrees) — the outline then still holds every firm, and can be seen.

Points are ``(lon, lat)`` pairs, x before y, and distances are in degrees: a development
zone spans a few kilometres, where degrees are near enough to a plane for an outline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["PAD", "Point", "centroid", "convex_hull", "hull_candidates", "inside", "outline"]

Point = tuple[float, float]

#: Half-width, in degrees (about 40 m), of the diamond around a lone firm's position.
PAD = 0.0004


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Iterable[Point]) -> list[Point]:
    """The convex hull's corners, counter-clockwise, without collinear points.

    Andrew's monotone chain: O(n log n) for the sort, then one pass each for the lower and
    the upper chain. Fewer than three distinct points give those points.

    Examples
    --------
    >>> convex_hull([(0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 0)])
    [(0, 0), (2, 0), (2, 2), (0, 2)]
    """
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts
    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return hull if len(hull) >= 3 else pts[:1] + pts[-1:]


def hull_candidates(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """A mask of the points that may be corners of the convex hull (Akl–Toussaint).

    The points extreme in x, y, x + y and x − y span a polygon inside the hull; a point
    strictly inside that polygon is no corner. One vectorized pass drops most points of a
    large set, so the hull itself (:func:`convex_hull`, in Python) sees only the rest.
    """
    keys = (xs, ys, xs + ys, xs - ys)
    picks = {int(i) for k in keys for i in (np.argmin(k), np.argmax(k))}
    octagon = convex_hull((float(xs[i]), float(ys[i])) for i in picks)
    keep = np.ones(len(xs), dtype=bool)
    if len(octagon) < 3:
        return keep
    strictly_in = np.ones(len(xs), dtype=bool)
    for (ax, ay), (bx, by) in zip(octagon, [*octagon[1:], octagon[0]], strict=True):
        cross = (bx - ax) * (ys - ay) - (by - ay) * (xs - ax)
        strictly_in &= cross > 1e-12
    return keep & ~strictly_in


def outline(points: Sequence[Point], pad: float = PAD) -> list[Point]:
    """A polygon (at least three corners) holding every point: the convex hull, widened by a
    diamond of half-width ``pad`` around each point when the points span no area."""
    if len(points) > 64:
        xy = np.asarray(points, dtype=float)
        keep = hull_candidates(xy[:, 0], xy[:, 1])
        hull = convex_hull((float(x), float(y)) for x, y in xy[keep])
    else:
        hull = convex_hull(points)
    if len(hull) >= 3:
        return hull
    return convex_hull(
        (x + dx, y + dy)
        for x, y in points
        for dx, dy in ((pad, 0.0), (-pad, 0.0), (0.0, pad), (0.0, -pad))
    )


def centroid(polygon: Sequence[Point]) -> Point:
    """The area centroid of a simple polygon (inside it when it is convex), where its label
    goes; the mean of the corners when the area is zero."""
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        c = x0 * y1 - x1 * y0
        area2 += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if math.isclose(area2, 0.0, abs_tol=1e-18):
        n = len(polygon) or 1
        return (sum(p[0] for p in polygon) / n, sum(p[1] for p in polygon) / n)
    return (cx / (3 * area2), cy / (3 * area2))


def inside(polygon: Sequence[Point], p: Point, tol: float = 1e-9) -> bool:
    """Whether ``p`` lies in the counter-clockwise convex ``polygon`` or on its edge."""
    return all(
        _cross(a, b, p) >= -tol * max(1.0, math.dist(a, b))
        for a, b in zip(polygon, [*polygon[1:], polygon[0]], strict=True)
    )
