"""What the map draws: firms at their coordinates, street and grid outlines, and a count of
the firms it cannot place.

A map never gets more than ``cap`` points: when the firms in view (after the street and
coverage filters) are more, they are binned into a square grid of cells over the view, one
circle per cell with its count and coverage split, which opens (zooms in) when clicked. The
zone's firms are read once per version of the stored zone (:func:`zone_places`), so a pan
or a filter costs no query; outlines are computed at that read too.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from graph_model.store.base import Store
from queries.places import firm_places
from viz.geo import Point, centroid, outline
from viz.graphdata import COVERAGE_COLORS

__all__ = [
    "COVERAGE_WORDS",
    "DEFAULT_CAP",
    "ZonePlaces",
    "map_view",
    "outlines_of",
    "zone_places",
]

#: Most points one answer draws; above it the view is binned.
DEFAULT_CAP = 2000
#: Firms without coordinates listed by name (all are counted).
LISTED_PLACELESS = 200
#: The coverage word of each stored state, as the legend and the colours name it.
COVERAGE_WORDS = {"own": "own", "joint": "joint", "work": "work", "none": "uncovered"}
#: Ties between states in a cell go to the one an organizer must see (uncovered first).
_SEVERITY = {"uncovered": 3, "work": 2, "joint": 1, "own": 0}
Bbox = tuple[float, float, float, float]  # south, west, north, east


class PlacedFirm(NamedTuple):
    id: str
    name: str
    street: str
    grid: str
    lat: float
    lon: float
    coverage: str


@dataclass(frozen=True)
class ZonePlaces:
    """The zone's operating firms, placed and not, and the outline of every street and grid."""

    placed: list[PlacedFirm]
    placeless: list[dict[str, Any]]
    outlines: list[dict[str, Any]]
    #: The streets each grid's firms lie in (a grid is shown with any of them).
    grid_streets: dict[str, set[str]]


def _word(state: object) -> str:
    return COVERAGE_WORDS.get(str(state), "uncovered")


def _piece(points: Sequence[Point]) -> tuple[list[list[float]], Point, float]:
    """One outline piece as ``[lat, lon]`` corners, its label point and its area."""
    polygon = outline(points)
    area2 = sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(polygon, [*polygon[1:], polygon[0]], strict=True)
    )
    return [[lat, lon] for lon, lat in polygon], centroid(polygon), abs(area2) / 2


def outlines_of(firms: Iterable[PlacedFirm], level: str) -> list[dict[str, Any]]:
    """One outline per named street (or grid), drawn around its firms' positions.

    A grid's outline is the convex hull of its firms. A street's is the hulls of its firms
    grid by grid (its firms without a grid make one more piece): a street's grids need not
    touch, and one hull over all of them would claim the land between them, overlapping
    other streets. The label goes at the centroid of the largest piece. Corners are
    ``[lat, lon]``.
    """
    by: dict[str, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    for f in firms:
        name = f.street if level == "street" else f.grid
        if name:
            by[name][f.grid if level == "street" else ""].append((f.lon, f.lat))
    found = []
    for name in sorted(by):
        pieces = [_piece(points) for _, points in sorted(by[name].items())]
        largest = max(pieces, key=lambda p: p[2])
        x, y = largest[1]
        found.append(
            {
                "level": level,
                "name": name,
                "firms": sum(len(points) for points in by[name].values()),
                "polygons": [polygon for polygon, _, _ in pieces],
                "label_at": [y, x],
            }
        )
    return found


def read_places(rows: Sequence[dict[str, Any]]) -> ZonePlaces:
    """Split firm rows (:func:`queries.places.firm_places`) into placed and placeless firms,
    and outline the streets and grids of the placed ones."""
    placed: list[PlacedFirm] = []
    placeless: list[dict[str, Any]] = []
    for r in rows:
        street, grid = r.get("street") or "", r.get("grid") or ""
        lat, lon = r.get("lat"), r.get("lon")
        if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            placeless.append(
                {
                    "id": r["id"],
                    "name": r.get("name") or r["id"],
                    "street": street,
                    "grid": grid,
                    "coverage": _word(r.get("coverage")),
                }
            )
            continue
        placed.append(
            PlacedFirm(
                str(r["id"]),
                str(r.get("name") or r["id"]),
                street,
                grid,
                float(lat),
                float(lon),
                _word(r.get("coverage")),
            )
        )
    grid_streets: dict[str, set[str]] = defaultdict(set)
    for f in placed:
        if f.grid:
            grid_streets[f.grid].add(f.street)
    return ZonePlaces(
        placed,
        placeless,
        outlines_of(placed, "street") + outlines_of(placed, "grid"),
        dict(grid_streets),
    )


_CACHE: dict[tuple[int, Hashable], ZonePlaces] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4


def zone_places(store: Store) -> ZonePlaces:
    """The zone's places for the store's current version (read once per version)."""
    key = (id(store), store.generation())  # before reading: a write meanwhile means a re-read
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    places = read_places(firm_places(store))
    with _CACHE_LOCK:
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = places
    return places


def _bounds(firms: Sequence[PlacedFirm]) -> list[float] | None:
    if not firms:
        return None
    lats = [f.lat for f in firms]
    lons = [f.lon for f in firms]
    return [min(lats), min(lons), max(lats), max(lons)]


def bins(firms: Sequence[PlacedFirm], bbox: Bbox, side: int) -> list[dict[str, Any]]:
    """The firms in ``side`` × ``side`` square cells over ``bbox``: one entry per non-empty
    cell with its firms' mean position, count, coverage split, commonest coverage and extent."""
    south, west, north, east = bbox
    cell = max(north - south, east - west) / side or 1e-6
    cells: dict[tuple[int, int], list[PlacedFirm]] = defaultdict(list)
    for f in firms:
        cells[(int((f.lat - south) // cell), int((f.lon - west) // cell))].append(f)
    found = []
    for key in sorted(cells):
        members = cells[key]
        counts = Counter(f.coverage for f in members)
        commonest = max(counts, key=lambda c: (counts[c], _SEVERITY[c]))
        found.append(
            {
                "lat": sum(f.lat for f in members) / len(members),
                "lon": sum(f.lon for f in members) / len(members),
                "firms": len(members),
                "counts": {c: counts.get(c, 0) for c in COVERAGE_COLORS},
                "coverage": commonest,
                "bounds": _bounds(members),
            }
        )
    return found


def map_view(
    store: Store,
    *,
    street: str = "",
    coverage: str = "",
    bbox: Bbox | None = None,
    cap: int = DEFAULT_CAP,
    with_outlines: bool = True,
) -> dict[str, Any]:
    """What the map draws for the filters and the view ``bbox`` (the whole zone if ``None``).

    The answer holds ``firms`` (each placed firm in view, when at most ``cap``) or
    ``clusters`` (the firms in view binned, when more), the filters' ``total`` placed firms
    and their ``bounds``, the ``outlines`` of the streets and grids shown, and the
    ``placeless`` firms (counted, the first :data:`LISTED_PLACELESS` listed).
    """
    places = zone_places(store)

    def chosen(street_of: str, word: str) -> bool:
        return (not street or street_of == street) and (not coverage or word == coverage)

    placed = [f for f in places.placed if chosen(f.street, f.coverage)]
    if bbox is None:
        in_view = placed
    else:
        south, west, north, east = bbox
        in_view = [f for f in placed if south <= f.lat <= north and west <= f.lon <= east]
    answer: dict[str, Any] = {
        "total": len(placed),
        "in_view": len(in_view),
        "cap": cap,
        "bounds": _bounds(placed),
        "firms": [],
        "clusters": [],
    }
    if len(in_view) <= cap:
        answer["firms"] = [f._asdict() for f in in_view]
    else:
        # About cap / 2 cells at most, so a binned view draws fewer circles than a full one.
        side = max(4, min(48, int(math.sqrt(cap / 2))))
        view = bbox or tuple(_bounds(in_view) or (0.0, 0.0, 0.0, 0.0))
        answer["clusters"] = bins(in_view, (view[0], view[1], view[2], view[3]), side)
    if with_outlines:
        answer["outlines"] = [
            o
            for o in places.outlines
            if not street
            or (o["level"] == "street" and o["name"] == street)
            or (o["level"] == "grid" and street in places.grid_streets.get(o["name"], ()))
        ]
    placeless = [p for p in places.placeless if chosen(p["street"], p["coverage"])]
    answer["placeless"] = {"count": len(placeless), "firms": placeless[:LISTED_PLACELESS]}
    return answer
