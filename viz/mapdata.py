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
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from graph_model.store.base import Store
from queries.places import firm_places
from viz.geo import Point, centroid, outline
from viz.graphdata import COVERAGE_COLORS

__all__ = [
    "COVERAGES",
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
#: The coverage words, in the legend's order.
COVERAGES: tuple[str, ...] = tuple(COVERAGE_COLORS)
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
    #: The placed firms' columns as arrays (a view filters and bins them without a loop).
    lat: np.ndarray
    lon: np.ndarray
    #: Index into :data:`COVERAGES` of each placed firm.
    coverage: np.ndarray
    #: Each placed firm's street, as an index into ``street_names``.
    street: np.ndarray
    street_names: list[str]


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
    street_names = sorted({f.street for f in placed})
    street_code = {name: i for i, name in enumerate(street_names)}
    return ZonePlaces(
        placed,
        placeless,
        outlines_of(placed, "street") + outlines_of(placed, "grid"),
        dict(grid_streets),
        lat=np.array([f.lat for f in placed], dtype=float),
        lon=np.array([f.lon for f in placed], dtype=float),
        coverage=np.array([COVERAGES.index(f.coverage) for f in placed], dtype=np.int8),
        street=np.array([street_code[f.street] for f in placed], dtype=np.int32),
        street_names=street_names,
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


def _bounds(lat: np.ndarray, lon: np.ndarray) -> list[float] | None:
    if not len(lat):
        return None
    return [float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max())]


def bins(
    lat: np.ndarray, lon: np.ndarray, coverage: np.ndarray, bbox: Bbox, side: int
) -> list[dict[str, Any]]:
    """Points in ``side`` × ``side`` square cells over ``bbox``: one entry per non-empty cell
    with its points' mean position, count, coverage split (``coverage`` indexes
    :data:`COVERAGES`), commonest coverage (ties to the more severe) and extent."""
    south, west, north, east = bbox
    cell = max(north - south, east - west) / side or 1e-6  # as map_view's "cell"
    row = np.floor((lat - south) / cell).astype(np.int64)
    col = np.floor((lon - west) / cell).astype(np.int64)
    keys = (row - row.min()) * (int(col.max() - col.min()) + 1) + (col - col.min())
    cells, which = np.unique(keys, return_inverse=True)
    n = len(cells)
    firms = np.bincount(which, minlength=n)
    counts = np.stack(
        [np.bincount(which, weights=coverage == i, minlength=n) for i in range(len(COVERAGES))]
    ).astype(np.int64)
    severity = np.array([_SEVERITY[c] for c in COVERAGES])
    commonest = np.argmax(counts * 8 + severity[:, None], axis=0)
    mean_lat = np.bincount(which, weights=lat, minlength=n) / firms
    mean_lon = np.bincount(which, weights=lon, minlength=n) / firms
    lo_lat, lo_lon = np.full(n, np.inf), np.full(n, np.inf)
    hi_lat, hi_lon = np.full(n, -np.inf), np.full(n, -np.inf)
    np.minimum.at(lo_lat, which, lat)
    np.minimum.at(lo_lon, which, lon)
    np.maximum.at(hi_lat, which, lat)
    np.maximum.at(hi_lon, which, lon)
    return [
        {
            "lat": float(mean_lat[i]),
            "lon": float(mean_lon[i]),
            "firms": int(firms[i]),
            "counts": {c: int(counts[k, i]) for k, c in enumerate(COVERAGES)},
            "coverage": COVERAGES[int(commonest[i])],
            "bounds": [float(lo_lat[i]), float(lo_lon[i]), float(hi_lat[i]), float(hi_lon[i])],
        }
        for i in range(n)
    ]


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
    chosen = np.ones(len(places.placed), dtype=bool)
    if street:
        code = places.street_names.index(street) if street in places.street_names else -1
        chosen &= places.street == code
    if coverage:
        chosen &= places.coverage == (COVERAGES.index(coverage) if coverage in COVERAGES else -1)
    total = int(chosen.sum())
    bounds = _bounds(places.lat[chosen], places.lon[chosen])
    if bbox is not None:
        south, west, north, east = bbox
        lat, lon = places.lat, places.lon
        chosen &= (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    in_view = np.flatnonzero(chosen)
    answer: dict[str, Any] = {
        "total": total,
        "in_view": len(in_view),
        "cap": cap,
        "bounds": bounds,
        "firms": [],
        "clusters": [],
        "cell": None,
    }
    if len(in_view) <= cap:
        answer["firms"] = [places.placed[i]._asdict() for i in in_view]
    else:
        # About cap / 2 cells at most, so a binned view draws fewer circles than a full one.
        side = max(4, min(48, int(math.sqrt(cap / 2))))
        lat, lon = places.lat[in_view], places.lon[in_view]
        view = bbox or (float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()))
        answer["clusters"] = bins(lat, lon, places.coverage[in_view], view, side)
        answer["cell"] = max(view[2] - view[0], view[3] - view[1]) / side or 1e-6
    if with_outlines:
        answer["outlines"] = [
            o
            for o in places.outlines
            if not street
            or (o["level"] == "street" and o["name"] == street)
            or (o["level"] == "grid" and street in places.grid_streets.get(o["name"], ()))
        ]
    placeless = [
        p
        for p in places.placeless
        if (not street or p["street"] == street) and (not coverage or p["coverage"] == coverage)
    ]
    answer["placeless"] = {"count": len(placeless), "firms": placeless[:LISTED_PLACELESS]}
    return answer
