"""Every page and every catalog route over partial zones: the small zone of ``tests.zones``
without its alliances, studios, liaisons or supply links, with firms whose street or grid is
not filled in, and a zone with no firms at all.

A page over such a zone answers 200 (never a 404 for what is merely missing, never a 500)
and, where a table has nothing to show because the zone lacks a kind of record, says what is
missing and how to bring it in. Firms without a street or grid form a group of their own,
named 未填街道 / 未填网格 and counted, never a bare "—".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.i18n import ZH
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.catalog import all_queries
from tests.auth import bearer
from tests.test_pages import make_app
from tests.zones import Tables, small_zone


def _without(*tables: str) -> Tables:
    zone = small_zone()
    for name in tables:
        zone[name] = []
    if "studios" in tables:  # coverage rows naming a studio go with it
        zone["coverage"] = [c for c in zone["coverage"] if not c["coverer_id"].startswith("S0")]
    return zone


def _unfilled() -> Tables:
    """E5 has no street (as in the small zone); E6 and E7 lose their grid too."""
    zone = small_zone()
    for firm in zone["enterprises"]:
        if firm["id"] in ("E6", "E7"):
            firm["grid"] = None
    return zone


#: Each zone shape: its tables, or None for a zone with nothing loaded.
SHAPES: dict[str, Tables | None] = {
    "full": small_zone(),
    "no_alliances": _without("alliances", "alliance_members"),
    "no_studios": _without("studios"),
    "no_liaisons": _without("liaisons"),
    "no_supply": _without("supply_links"),
    "unfilled": _unfilled(),
    "empty": None,
}

PAGES = ["/", "/gaps", "/alliances", "/rules", "/queries", "/import", "/audit", "/map", "/report"]
PAGES += ["/network", "/network?scope=zone", "/network?scope=street:S1", "/network?scope=grid:G1"]
PAGES += ["/network?scope=park:P", "/network?scope=industry:parts"]
PAGES += ["/network?scope=alliance:A1&hops=2", "/network?scope=firm:E1"]
PAGES += [f"/queries/{q.name}" for q in all_queries()]
PAGES += ["/queries/coverage_by?level=grid", "/firms/E1", "/firms/E5", "/firms/E6"]

#: The JSON API's catalog routes, each with default parameters (and a required one filled).
SAMPLES = {"alliance": "A1", "text": "a"}
API = ["/api/queries", "/api/enterprises?q=a", "/api/enterprises/E1"]
API += [
    f"/api/queries/{q.name}?"
    + "&".join(f"{p.name}={SAMPLES[p.name]}" for p in q.params if p.required)
    for q in all_queries()
]
API += [f"/api/queries/{q.name}?format={f}" for q in all_queries() for f in ("csv", "xlsx")]
API += ["/api/graph", "/api/graph?scope=street:S1", "/api/graph?scope=grid:G1", "/api/map"]
API += ["/api/graph?scope=alliance:A1&hops=2", "/api/graph?scope=firm:E1"]


@pytest.fixture(scope="module", params=list(SHAPES))
def zone(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, TestClient]]:
    """A client over one zone shape (each built once per module)."""
    shape: str = request.param
    folder = tmp_path_factory.mktemp(shape)
    store = EmbeddedStore(folder / "zone.lbug")
    store.apply_schema()
    tables = SHAPES[shape]
    if tables is not None:
        load_tables(store, tables, source="test")
    try:
        with TestClient(make_app(store, Path(folder) / "scenarios"), headers=bearer()) as c:
            yield shape, c
    finally:
        store.close()


def _firm_exists(shape: str, path: str) -> bool:
    return not (shape == "empty" and path.startswith(("/firms/", "/api/enterprises/")))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_over_every_zone_shape(zone: tuple[str, TestClient], path: str) -> None:
    shape, client = zone
    r = client.get(path)
    expected = 200 if _firm_exists(shape, path) else 404
    assert r.status_code == expected, (shape, path, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    # No group is a bare dash: a chart bar or a group cell names what is unfilled.
    assert 'class="bar-label">—<' not in r.text, (shape, path)
    assert not re.search(r'data-col="group"[^>]*>—<', r.text), (shape, path)


@pytest.mark.parametrize("path", API)
def test_the_json_api_never_fails_over_any_zone_shape(
    zone: tuple[str, TestClient], path: str
) -> None:
    shape, client = zone
    r = client.get(path)
    assert r.status_code < 500, (shape, path, r.text[:300])
    if "format=" not in path:
        body = r.json()
        if r.status_code >= 400:  # missing things are named, as ErrorOut
            assert body["error"] and body["detail"], body
            assert r.status_code == 404 and ("A1" in body["detail"] or "E1" in body["detail"])


def _says(html: str, key: str) -> bool:
    return ZH[key] in html


#: What each shape's pages must say (page, message key): the missing kind of record named,
#: with how to bring it in.
EMPTY_STATES: dict[str, list[tuple[str, str]]] = {
    "no_alliances": [
        ("/alliances", "empty.alliances"),
        ("/queries/alliances", "empty.alliances"),
        ("/queries/alliance_overlap", "empty.alliances"),
        ("/network?scope=alliance:A1", "empty.alliances"),
        ("/firms/E1", "empty.alliances"),
    ],
    "no_studios": [("/rules", "empty.studios"), ("/queries/studio_load", "empty.studios")],
    "no_liaisons": [
        ("/rules", "empty.liaisons"),
        ("/queries/liaison_load", "empty.liaisons"),
        ("/firms/E1", "empty.liaisons"),
    ],
    "no_supply": [
        ("/firms/E1", "empty.supply"),
        ("/queries/bridging_firms", "empty.supply"),
        ("/network", "empty.supply"),
    ],
    "empty": [
        ("/", "empty.zone"),
        ("/gaps", "empty.zone"),
        ("/alliances", "empty.zone"),
        ("/rules", "empty.zone"),
        ("/network", "empty.zone"),
        ("/queries/coverage_by", "empty.zone"),
        ("/audit", "empty.audit"),
    ],
}


def test_pages_say_what_the_zone_lacks_and_how_to_import_it(
    zone: tuple[str, TestClient],
) -> None:
    shape, client = zone
    for path, key in EMPTY_STATES.get(shape, []):
        html = client.get(path).text
        assert _says(html, key), (shape, path, key)
        assert "导入" in ZH[key] or key == "empty.audit", key  # says what to do
    if shape == "full":  # a complete zone says none of it
        for path in ("/", "/alliances", "/rules", "/firms/E1", "/network"):
            html = client.get(path).text
            for key in ("empty.zone", "empty.alliances", "empty.studios", "empty.supply"):
                assert not _says(html, key), (path, key)


def test_firms_without_a_street_or_grid_are_a_named_and_counted_group(
    zone: tuple[str, TestClient],
) -> None:
    shape, client = zone
    if shape != "unfilled":
        return
    html = client.get("/").text
    # E5 (no street) is a bar of its own on the dashboard, with its one firm counted.
    assert 'class="bar-label">未填街道<' in html
    assert "未填街道: 1 家企业" in html
    grids = client.get("/queries/coverage_by?level=grid").text
    unfilled = re.search(r'data-col="group"[^>]*>未填网格<', grids)
    assert unfilled  # E6 and E7 (operating, no grid)
    row = grids[unfilled.end() :].split("</tr>")[0]
    assert 'data-v="2" data-col="total"' in row
    en = client.get("/queries/coverage_by?level=street&lang=en").text
    assert "No street" in en
    client.cookies.clear()
