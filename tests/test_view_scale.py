"""A network view over its cap, on the demo zone through the real API: the zone, a street
and an alliance's reach come back as aggregate nodes whose counts are plain counts of the
firms they hold, and a grid over the cap shows its largest firms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_model.store.embedded import EmbeddedStore
from queries.scope import alliance_ball
from tests.auth import bearer
from tests.test_pages import make_app


@pytest.fixture(scope="module")
def client(
    demo_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    with TestClient(make_app(demo_store, tmp_path_factory.mktemp("s")), headers=bearer()) as c:
        yield c


def graph(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/graph", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def operating(store: EmbeddedStore) -> list[dict[str, Any]]:
    """Every operating firm's place and whether anything covers it (a plain read)."""
    return store.run(
        "MATCH (e:Enterprise) WHERE e.status = 'operating' "
        "RETURN e.id AS id, e.street AS street, e.grid AS grid, "
        "EXISTS { MATCH (e)<-[:OWN_ORG|COVERS|GUIDES]-() } AS covered"
    )


def counts(payload: dict[str, Any]) -> dict[str, int]:
    return {n["id"]: n["firms"] for n in payload["nodes"]}


def test_the_zone_over_the_cap_is_one_node_per_grid_counting_its_firms(
    client: TestClient, demo_store: EmbeddedStore
) -> None:
    firms = operating(demo_store)
    g = graph(client, scope="zone", cap=100, lang="en")
    assert g["aggregated"] is True and g["firms"] == len(firms)
    per_grid = Counter(f["grid"] or "（未填写）" for f in firms)
    assert counts(g) == {f"grid:{k}": n for k, n in per_grid.items()}
    uncovered = Counter(f["grid"] or "（未填写）" for f in firms if not f["covered"])
    for n in g["nodes"]:
        assert f"{uncovered[n['id'][5:]]} uncovered" in n["title"]
        assert n["expand"] in (n["id"], None)
    assert all(e["weight"] >= 1 and e["src"] < e["dst"] for e in g["edges"])


def test_a_street_over_the_cap_counts_per_grid_and_a_grid_opens_firm_by_firm(
    client: TestClient, demo_store: EmbeddedStore
) -> None:
    firms = [f for f in operating(demo_store) if f["street"] == "锦程街道"]
    g = graph(client, scope="street:锦程街道", cap=20)
    assert g["aggregated"] is True and g["firms"] == len(firms)
    assert counts(g) == {f"grid:{k}": n for k, n in Counter(f["grid"] for f in firms).items()}
    grid, size = Counter(f["grid"] for f in firms).most_common(1)[0]
    opened = graph(client, scope=f"grid:{grid}", cap=5000)
    drawn = {n["id"] for n in opened["nodes"] if n["label"] == "Enterprise"}
    assert drawn == {f["id"] for f in operating(demo_store) if f["grid"] == grid}


def test_a_grid_over_the_cap_shows_its_largest_firms_and_says_so(
    client: TestClient, demo_store: EmbeddedStore
) -> None:
    grid, size = Counter(f["grid"] for f in operating(demo_store) if f["grid"]).most_common(1)[0]
    g = graph(client, scope=f"grid:{grid}", cap=20)
    drawn = [n for n in g["nodes"] if n["label"] == "Enterprise"]
    assert g["firms"] == size and len(drawn) == 10 and str(size) in g["note"]
    assert len(g["nodes"]) <= 20


def test_an_alliance_reach_over_the_cap_is_grouped_from_its_firms(
    client: TestClient, demo_store: EmbeddedStore
) -> None:
    alliance = demo_store.run("MATCH (a:Alliance) RETURN a.id AS id ORDER BY id LIMIT 1")[0]["id"]
    ids = {r["id"] for r in alliance_ball(demo_store, alliance, 2)}
    g = graph(client, scope=f"alliance:{alliance}", hops=2, cap=10)
    assert len(ids) > 10 and g["aggregated"] is True
    assert sum(counts(g).values()) == g["firms"] == len(ids)


def members_of(store: EmbeddedStore, alliance: str) -> set[str]:
    rows = store.run(
        "MATCH (m:Enterprise)-[:MEMBER_OF|LEADS]->(a:Alliance {id: $a}) "
        "WHERE m.status = 'operating' RETURN DISTINCT m.id AS id",
        {"a": alliance},
    )
    return {r["id"] for r in rows}


@pytest.mark.parametrize("cap", [None, 60, 25, 10])
def test_every_alliance_at_two_hops_stays_within_the_cap_with_its_members_drawn(
    client: TestClient, demo_store: EmbeddedStore, cap: int | None
) -> None:
    alliances = [r["id"] for r in demo_store.run("MATCH (a:Alliance) RETURN a.id AS id")]
    assert "A1" in alliances
    for alliance in alliances:
        params: dict[str, Any] = {"scope": f"alliance:{alliance}", "hops": 2, "lang": "en"}
        if cap is not None:
            params["cap"] = cap
        g = graph(client, **params)
        limit = cap or 500  # the page's default
        reach = {r["id"] for r in alliance_ball(demo_store, alliance, 2)}
        assert len(g["nodes"]) <= limit and g["firms"] == len(reach)
        ids = {n["id"] for n in g["nodes"]}
        assert all(e["src"] in ids and e["dst"] in ids for e in g["edges"])
        drawn = {n["id"] for n in g["nodes"] if n["label"] == "Enterprise"}
        grouped = sum(n["firms"] for n in g["nodes"] if n["label"] == "Group")
        # Every firm of the reach is drawn or counted in exactly one group.
        assert drawn <= reach and len(drawn) + grouped == len(reach)
        members = members_of(demo_store, alliance)
        if len(members) <= limit // 2:  # room for the core: members and lead drawn
            assert drawn >= members
            assert {n["id"] for n in g["nodes"] if n["focus"]} == members
        if g["aggregated"]:
            assert "cap of" in g["note"]


def test_alliance_a1_at_two_hops_is_grouped_at_the_pages_cap(
    client: TestClient, demo_store: EmbeddedStore
) -> None:
    """Drawn firm by firm it was 1,364 nodes and 3,545 lines (2026-11-27)."""
    g = graph(client, scope="alliance:A1", hops=2)
    reach = {r["id"] for r in alliance_ball(demo_store, "A1", 2)}
    assert len(reach) > 500 and g["aggregated"] is True
    lead = demo_store.run("MATCH (e:Enterprise)-[:LEADS]->(:Alliance {id: 'A1'}) RETURN e.id AS id")
    assert lead[0]["id"] in {n["id"] for n in g["nodes"]}
    groups = [n for n in g["nodes"] if n["label"] == "Group"]
    assert groups and all(n["id"].startswith("grid:") for n in groups)
    assert any(n["label"] == "Alliance" and n["id"] == "A1" for n in g["nodes"])
    assert "联盟成员和龙头企业逐一显示" in g["note"]


def test_the_network_page_offers_every_street_and_grid(
    client: TestClient, demo_store: EmbeddedStore
) -> None:
    html = client.get("/network").text
    firms = operating(demo_store)
    for place in {f["street"] for f in firms} | {f["grid"] for f in firms if f["grid"]}:
        assert f">{place}<" in html


def test_aggregated_views_draw_the_heaviest_links_only_and_say_so(
    client: TestClient, demo_store: EmbeddedStore
) -> None:
    g = graph(client, scope="zone", cap=100, lang="en")
    assert len(g["edges"]) <= 2 * len(g["nodes"])
    assert "heaviest" in g["note"]
    everything = demo_store.run(
        "MATCH (a:Enterprise)-[:SUPPLIES]->(b:Enterprise) "
        "WHERE a.status = 'operating' AND b.status = 'operating' AND a.grid <> b.grid "
        "RETURN a.grid AS a, b.grid AS b"
    )
    pairs = Counter(tuple(sorted((r["a"], r["b"]))) for r in everything)
    lightest_kept = min(e["weight"] for e in g["edges"])
    dropped = [
        n
        for (a, b), n in pairs.items()
        if not any({e["src"], e["dst"]} == {f"grid:{a}", f"grid:{b}"} for e in g["edges"])
    ]
    assert dropped and max(dropped) <= lightest_kept
