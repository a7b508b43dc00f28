"""``/api/map``: what the map page draws — firms at their coordinates, coloured by coverage,
street and grid outlines, and the firms without coordinates, counted.

Over ``cap`` firms in view the firms come binned (``clusters``), never more than the cap.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import CurrentUser, StoreDep
from api.i18n import Translator
from api.routes.queries import ERRORS
from graph_model.errors import BadParameter
from viz.mapdata import DEFAULT_CAP, Bbox, map_view

router = APIRouter(prefix="/api/map", tags=["map"])

Coverage = Literal["own", "joint", "work", "uncovered"]


class MapFirm(BaseModel):
    id: str
    name: str
    street: str = Field(description="'' when unfilled")
    grid: str = Field(description="'' when unfilled")
    lat: float
    lon: float
    coverage: Coverage


class MapCluster(BaseModel):
    lat: float = Field(description="the mean position of the cell's firms")
    lon: float
    firms: int
    counts: dict[str, int] = Field(description="firms per coverage word")
    coverage: Coverage = Field(description="the commonest coverage in the cell")
    bounds: list[float] = Field(description="south, west, north, east of the cell's firms")


class MapOutline(BaseModel):
    level: Literal["street", "grid"]
    name: str
    firms: int
    polygons: list[list[list[float]]] = Field(
        description="pieces of [lat, lon] corners: a grid's hull, or a street's grid by grid"
    )
    label_at: list[float]


class PlacelessFirm(BaseModel):
    id: str
    name: str
    street: str
    grid: str
    coverage: Coverage


class Placeless(BaseModel):
    count: int = Field(description="operating firms without coordinates (after the filters)")
    firms: list[PlacelessFirm] = Field(description="the first 200 of them, by id")


class MapOut(BaseModel):
    total: int = Field(description="firms with coordinates that pass the filters")
    in_view: int = Field(description="of those, the firms inside bbox")
    cap: int
    bounds: list[float] | None = Field(description="south, west, north, east of those firms")
    firms: list[MapFirm]
    clusters: list[MapCluster]
    cell: float | None = Field(description="the side of a cluster's cell, in degrees")
    outlines: list[MapOutline] | None = None
    placeless: Placeless
    note: str | None = None


#: Four decimal numbers: south, west, north, east.
BBOX = r"^-?\d{1,3}(\.\d{1,12})?(,-?\d{1,3}(\.\d{1,12})?){3}$"


def parse_bbox(text: str) -> Bbox | None:
    """``south,west,north,east`` in degrees, or ``None`` for ''. Each edge is taken into
    range and each pair in order: a view past the poles or the date line still means the
    firms inside it."""
    if not text:
        return None
    try:
        s, w, n, e = (float(v) for v in text.split(","))
    except ValueError:
        raise BadParameter(f"bbox: {text!r} is not four numbers south,west,north,east") from None

    def lat(v: float) -> float:
        return min(max(v, -90.0), 90.0)

    def lon(v: float) -> float:
        return min(max(v, -180.0), 180.0)

    return (lat(min(s, n)), lon(min(w, e)), lat(max(s, n)), lon(max(w, e)))


@router.get(
    "",
    response_model=MapOut,
    responses=ERRORS,
    summary="Firms by their coordinates, coloured by coverage, with street and grid outlines",
)
def map_data(
    user: CurrentUser,
    store: StoreDep,
    street: str = Query("", max_length=200, description="only this street's firms"),
    coverage: Literal["", "own", "joint", "work", "uncovered"] = Query(
        "", description="only firms in this coverage state"
    ),
    bbox: str = Query(
        "",
        max_length=200,
        pattern=f"{BBOX}|^$",
        description="south,west,north,east in degrees: only firms in this view",
    ),
    cap: int = Query(DEFAULT_CAP, ge=100, le=20_000, description="most points to send"),
    outlines: bool = Query(True, description="include the street and grid outlines"),
    lang: Literal["zh", "en"] = Query("zh", description="the language of note"),
) -> MapOut:
    view = map_view(
        store,
        street=street,
        coverage=coverage,
        bbox=parse_bbox(bbox),
        cap=cap,
        with_outlines=outlines,
    )
    if view["clusters"]:
        view["note"] = Translator(lang)(
            "map.binned", n=view["in_view"], cap=cap, groups=len(view["clusters"])
        )
    return MapOut.model_validate(view)
