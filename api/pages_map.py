"""企业地图 ``/map``: firms at their coordinates, coloured by coverage, with street and grid
outlines, filtered by street and coverage.

The page draws with the vendored Leaflet (``viz/static/vendor/leaflet``) from ``/api/map``.
Without a tile server (no ``ZONEGRAPH_MAP_TILES``) it asks for no tiles; with one, the page's
Content-Security-Policy lets images come from that server, and from nowhere else.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import CurrentUser, StoreDep
from api.empty_states import EmptyStates
from api.headers import content_security_policy
from api.pages_common import render
from queries.view_groups import area_names
from viz.graphdata import COVERAGE_COLORS
from viz.mapdata import DEFAULT_CAP

router = APIRouter()

#: The coverage words the filter and the legend offer, in the legend's order.
COVERAGES = tuple(COVERAGE_COLORS)


def tile_origin(url: str | None) -> str | None:
    """The origin images come from for the tile URL (``None``: unset, or this server)."""
    if not url or url.startswith("/"):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def map_policy(tiles: str | None) -> str:
    """The page's Content-Security-Policy: the app's own, with the tile server's origin
    added to ``img-src`` when there is one."""
    policy = content_security_policy()
    origin = tile_origin(tiles)
    if origin is None:
        return policy
    return policy.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")


@router.get("/map", response_class=HTMLResponse)
def map_page(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    street: str = "",
    coverage: str = "",
    cap: int = DEFAULT_CAP,
) -> HTMLResponse:
    streets = area_names(store)["street"]
    tiles: str | None = getattr(request.app.state.settings, "map_tiles", None)
    config: dict[str, Any] = {
        "colors": COVERAGE_COLORS,
        "tiles": tiles,
        "street": street if street in streets else "",
        "coverage": coverage if coverage in COVERAGES else "",
        "cap": min(max(cap, 100), 20_000),  # the range /api/map accepts
    }
    response = render(
        request,
        "map.html",
        {
            "config": config,
            "streets": streets,
            "coverages": COVERAGES,
            # A zone with no firms says so, and how to bring them in.
            "lacking": EmptyStates(lambda: store).missing("Enterprise"),
        },
        active="map",
    )
    response.headers["Content-Security-Policy"] = map_policy(tiles)
    return response
