"""The map's data (``/api/map``) for a known zone, its outlines, and the page's settings.

The small zone of :mod:`tests.zones` gets coordinates here (it has none of its own); E5 keeps
none, so it is the one firm the map cannot place. Coverage, by the zone's docstring: E1 own,
E2 work, E3 joint, E6 uncovered, E7 joint (J1 and a studio: the stronger counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from api.app import create_app
from api.pages_map import map_policy
from graph_model.errors import ConfigError
from graph_model.settings import Settings, load_settings
from graph_model.store import Store
from loaders.load import load_tables
from tests.auth import bearer
from tests.zones import small_zone
from viz.geo import centroid, convex_hull, inside, outline
from viz.graphdata import COVERAGE_COLORS
from viz.mapdata import PlacedFirm, map_view, outlines_of

#: (lat, lon) of each placed firm; E4 is closed (never on the map), E5 has no coordinates.
PLACES = {
    "E1": (43.800, 125.300),
    "E2": (43.810, 125.310),
    "E3": (43.820, 125.330),
    "E6": (43.830, 125.340),
    "E7": (43.800, 125.315),
}
COVERAGE = {"E1": "own", "E2": "work", "E3": "joint", "E6": "uncovered", "E7": "joint"}


def placed_zone() -> dict[str, list[dict[str, Any]]]:
    tables = small_zone()
    for firm in tables["enterprises"]:
        firm["lat"], firm["lon"] = PLACES.get(firm["id"], (None, None))
    return tables


@pytest.fixture
def zone(store: Store) -> Store:
    load_tables(store, placed_zone(), source="test")
    return store


@pytest.fixture
def client(zone: Store, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios"), zone)
    with TestClient(app, headers=bearer("viewer")) as c:
        yield c


def test_api_places_firms_coloured_by_coverage_and_counts_the_placeless(
    client: TestClient,
) -> None:
    r = client.get("/api/map")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == body["in_view"] == 5
    assert {f["id"]: f["coverage"] for f in body["firms"]} == COVERAGE
    assert {f["id"]: (f["lat"], f["lon"]) for f in body["firms"]} == PLACES
    assert body["clusters"] == [] and body["note"] is None and body["cell"] is None
    assert body["bounds"] == [43.800, 125.300, 43.830, 125.340]
    # E5 (no street, grid G2, uncovered) is counted and listed, not dropped.
    assert body["placeless"] == {
        "count": 1,
        "firms": [{"id": "E5", "name": "Eps", "street": "", "grid": "G2", "coverage": "uncovered"}],
    }
    outlines = {(o["level"], o["name"]): o for o in body["outlines"]}
    assert sorted(outlines) == [("grid", "G1"), ("grid", "G2"), ("street", "S1"), ("street", "S2")]
    assert outlines[("street", "S1")]["firms"] == 3
    assert outlines[("grid", "G2")]["firms"] == 2  # E3 and E6; E5 has no place
    # A grid is one hull; a street one hull per grid (S2's two firms share G2: one piece).
    assert [len(o["polygons"]) for o in outlines.values()] == [1, 1, 1, 1]
    for (level, name), o in outlines.items():
        pieces = [[(lon, lat) for lat, lon in polygon] for polygon in o["polygons"]]
        members = [f for f in body["firms"] if f[level] == name]
        for f in members:
            assert any(inside(piece, (f["lon"], f["lat"])) for piece in pieces), (name, f["id"])
        assert any(inside(piece, (o["label_at"][1], o["label_at"][0])) for piece in pieces)


def test_api_filters_by_street_coverage_and_view(client: TestClient) -> None:
    s1 = client.get("/api/map", params={"street": "S1"}).json()
    assert sorted(f["id"] for f in s1["firms"]) == ["E1", "E2", "E7"]
    assert sorted((o["level"], o["name"]) for o in s1["outlines"]) == [
        ("grid", "G1"),
        ("street", "S1"),
    ]
    assert s1["placeless"]["count"] == 0
    gaps = client.get("/api/map", params={"coverage": "uncovered"}).json()
    assert [f["id"] for f in gaps["firms"]] == ["E6"]
    assert [f["id"] for f in gaps["placeless"]["firms"]] == ["E5"]
    view = client.get("/api/map", params={"bbox": "43.79,125.29,43.805,125.305"}).json()
    assert view["total"] == 5 and view["in_view"] == 1
    assert [f["id"] for f in view["firms"]] == ["E1"]
    # Edges out of order or out of range still mean the firms inside.
    turned = client.get("/api/map", params={"bbox": "43.805,125.305,43.79,125.29"}).json()
    assert [f["id"] for f in turned["firms"]] == ["E1"]
    world = client.get("/api/map", params={"bbox": "-100,-200,100,200"}).json()
    assert world["in_view"] == 5
    bare = client.get("/api/map", params={"outlines": "false"}).json()
    assert bare["outlines"] is None


def test_api_refuses_bad_parameters_and_strangers(client: TestClient) -> None:
    for params in ({"bbox": "1,2,3"}, {"bbox": "a,b,c,d"}, {"coverage": "none"}, {"cap": 5}):
        r = client.get("/api/map", params=params)
        assert r.status_code == 422, params
        assert "error" in r.json()
    assert client.get("/api/map", headers={"Authorization": ""}).status_code == 401


def test_over_the_cap_firms_are_binned_never_sent_one_by_one(zone: Store) -> None:
    view = map_view(zone, cap=2)
    assert view["firms"] == [] and view["in_view"] == 5 and view["cell"] > 0
    assert sum(c["firms"] for c in view["clusters"]) == 5
    for c in view["clusters"]:
        assert sum(c["counts"].values()) == c["firms"]
        assert set(c["counts"]) == set(COVERAGE_COLORS)
        s, w, n, e = c["bounds"]
        assert s <= c["lat"] <= n and w <= c["lon"] <= e


def test_map_page_asks_no_tile_server_unless_one_is_set(client: TestClient) -> None:
    r = client.get("/map")
    assert r.status_code == 200
    assert '"tiles": null' in r.text
    assert 'href="/map"' in r.text  # the nav entry
    assert "img-src 'self' data:;" in r.headers["content-security-policy"]
    tiles = "https://tiles.zone.internal/{z}/{x}/{y}.png"
    assert "img-src 'self' data: https://tiles.zone.internal;" in map_policy(tiles)
    assert load_settings(ZONEGRAPH_MAP_TILES=tiles).map_tiles == tiles
    assert load_settings(ZONEGRAPH_MAP_TILES="").map_tiles is None
    with pytest.raises(ConfigError):
        load_settings(ZONEGRAPH_MAP_TILES="https://tiles.zone.internal/tile.png")


def test_map_page_with_tiles_lets_only_their_server_serve_images(
    zone: Store, tmp_path: Path
) -> None:
    tiles = "http://10.1.2.3:8080/osm/{z}/{x}/{y}.png"
    settings = Settings(ZONEGRAPH_SCENARIOS=tmp_path / "s", ZONEGRAPH_MAP_TILES=tiles)
    with TestClient(create_app(settings, zone), headers=bearer("viewer")) as c:
        r = c.get("/map")
    assert r.status_code == 200
    assert "img-src 'self' data: http://10.1.2.3:8080;" in r.headers["content-security-policy"]
    assert '"tiles": "http://10.1.2.3:8080/osm/{z}/{x}/{y}.png"' in r.text


def test_a_street_is_outlined_grid_by_grid_never_across_the_land_between() -> None:
    firms = [
        PlacedFirm(f"F{i}", f"F{i}", "S", grid, lat, lon, "own")
        for i, (grid, lat, lon) in enumerate(
            [("A", 43.80, 125.30), ("A", 43.81, 125.30), ("A", 43.80, 125.31)]
            + [("B", 43.90, 125.40), ("B", 43.91, 125.41), ("", 43.70, 125.20)]
        )
    ]
    (street,) = outlines_of(firms, "street")
    assert street["firms"] == 6 and len(street["polygons"]) == 3  # A, B, and the gridless
    pieces = [[(lon, lat) for lat, lon in polygon] for polygon in street["polygons"]]
    for f in firms:
        assert any(inside(piece, (f.lon, f.lat)) for piece in pieces), f.id
    assert not any(inside(piece, (125.35, 43.85)) for piece in pieces)  # between A and B
    assert [o["name"] for o in outlines_of(firms, "grid")] == ["A", "B"]


coords = st.tuples(st.floats(125.0, 125.5, allow_nan=False), st.floats(43.7, 43.9, allow_nan=False))
point_sets = st.one_of(
    st.lists(coords, min_size=1, max_size=200),
    # Duplicates and collinear positions: a hull of no area is widened, not lost.
    st.lists(st.sampled_from([(125.1, 43.8), (125.2, 43.8), (125.3, 43.8)]), min_size=1),
    st.lists(coords, min_size=1, max_size=3).map(lambda ps: ps * 3),
)


@given(point_sets)
def test_an_outline_holds_every_firm_it_is_drawn_around(points: list[tuple[float, float]]) -> None:
    polygon = outline(points)
    assert len(polygon) >= 3
    assert all(inside(polygon, p) for p in points)
    assert inside(polygon, centroid(polygon))
    hull = convex_hull(points)
    if len(hull) >= 3:  # over 64 points the hull is found after a cut: the same hull
        assert polygon == hull


def test_an_empty_zone_has_an_empty_map(store: Store, tmp_path: Path) -> None:
    app = create_app(Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios"), store)
    with TestClient(app, headers=bearer("viewer")) as c:
        body = c.get("/api/map").json()
        page = c.get("/map")
    assert body["total"] == 0 and body["bounds"] is None
    assert body["firms"] == body["clusters"] == body["outlines"] == []
    assert body["placeless"] == {"count": 0, "firms": []}
    assert page.status_code == 200 and "企业地图" in page.text
