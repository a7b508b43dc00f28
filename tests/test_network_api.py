"""The network's moves over the real API and a real embedded store: a node's neighbours by
relationship kind, the shortest supply path (checked against networkx on random zones),
how a firm is covered, and the refusals a browser shows as they come."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_path, load_tables
from queries.explore import explore_statements
from tests.auth import bearer
from tests.strategies import write_tables_csv, zones
from tests.zones import small_zone
from viz.explore import path_payload

Tables = dict[str, list[dict[str, object]]]


@pytest.fixture
def client(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[TestClient]:
    load_tables(embedded, small_zone(), source="test")
    settings = Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios")
    with TestClient(create_app(settings, embedded), headers=bearer("viewer")) as c:
        yield c


def get(client: TestClient, path: str, **params: Any) -> Any:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def edges(g: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(e["src"], e["dst"], e["type"]) for e in g["edges"]}


def test_neighbours_of_a_firm_over_every_kind_and_over_one(client: TestClient) -> None:
    g = get(client, "/api/graph/neighbors", id="E6")
    assert {n["id"] for n in g["nodes"]} == {"E6", "E3", "E5", "E7", "L1", "G2"}
    assert edges(g) == {
        ("E3", "E6", "SUPPLIES"),
        ("E5", "E6", "SUPPLIES"),
        ("E6", "E7", "SUPPLIES"),
        ("L1", "E6", "LIAISES"),
        ("E6", "G2", "IN_GRID"),
    }
    focus = [n["id"] for n in g["nodes"] if n["focus"]]
    assert focus == ["E6"] and g["note"] is None
    # One kind: the suppliers and customers only; E4 (closed) never shows.
    g = get(client, "/api/graph/neighbors", id="E5", rels="SUPPLIES")
    assert {n["id"] for n in g["nodes"]} == {"E5", "E6"}
    g = get(client, "/api/graph/neighbors", id="E6", rels="supplies,liaises", lang="en")
    assert {n["id"] for n in g["nodes"]} == {"E6", "E3", "E5", "E7", "L1"}
    assert {e["title"] for e in g["edges"]} >= {"Li → Zeta: liaison", "Gamma → Zeta: supplies"}


def test_neighbours_of_an_organization_and_among_the_firms_drawn(client: TestClient) -> None:
    g = get(client, "/api/graph/neighbors", id="ST")
    assert {n["id"] for n in g["nodes"]} == {"ST", "Z", "O1", "J1", "S01", "S02"}
    assert ("ST", "Z", "REPORTS_TO") in edges(g) and ("S01", "ST", "HOSTED_BY") in edges(g)
    assert next(n for n in g["nodes"] if n["id"] == "ST")["props"] == {
        "kind": "community_station",
        "street": "S1",
    }
    # A studio's firms are E2 and E4: E4 is closed, so E2 alone is drawn.
    g = get(client, "/api/graph/neighbors", id="S01")
    assert {n["id"] for n in g["nodes"]} == {"S01", "E2", "ST"}
    # The supply links among the neighbours are drawn too: E3 supplies E2 and E6.
    g = get(client, "/api/graph/neighbors", id="E3", rels="SUPPLIES")
    assert edges(g) == {("E3", "E2", "SUPPLIES"), ("E3", "E6", "SUPPLIES")}
    g = get(client, "/api/graph/neighbors", id="J1", rels="COVERS,SUPPLIES")
    assert {n["id"] for n in g["nodes"]} == {"J1", "E3", "E7"}


def test_neighbours_over_the_cap_keep_the_largest_and_say_how_many_were_left(
    client: TestClient,
) -> None:
    g = get(client, "/api/graph/neighbors", id="E6", rels="SUPPLIES", cap=1, lang="en")
    # E3 has 35 employees, E5 25, E7 5.
    assert {n["id"] for n in g["nodes"]} == {"E6", "E3"}
    assert g["note"] and "2 left out" in g["note"]
    zh = get(client, "/api/graph/neighbors", id="E6", rels="SUPPLIES", cap=1)
    assert "另有 2 个未显示" in zh["note"]


def test_the_shortest_supply_path_in_order_with_its_links(client: TestClient) -> None:
    g = get(client, "/api/graph/path", source="E1", target="E7")
    assert g["path"] == ["E1", "E2", "E3", "E6", "E7"]
    assert [n["id"] for n in g["nodes"]] == g["path"]
    assert edges(g) == {
        ("E2", "E1", "SUPPLIES"),
        ("E3", "E2", "SUPPLIES"),
        ("E3", "E6", "SUPPLIES"),
        ("E6", "E7", "SUPPLIES"),
    }
    assert [n["id"] for n in g["nodes"] if n["focus"]] == ["E1", "E7"]
    assert get(client, "/api/graph/path", source="E3", target="E3")["path"] == ["E3"]


def test_how_a_firm_is_covered_from_the_firm_up(client: TestClient) -> None:
    g = get(client, "/api/graph/coverage_chain", firm="E1", lang="en")
    assert g["path"] == ["E1", "O1", "ST", "Z"] and g["note"] is None
    assert edges(g) == {
        ("O1", "E1", "OWN_ORG"),
        ("O1", "ST", "REPORTS_TO"),
        ("ST", "Z", "REPORTS_TO"),
        ("L1", "E1", "LIAISES"),
    }
    # A studio's firm: studio → its station → the station's committee.
    g = get(client, "/api/graph/coverage_chain", firm="E2")
    assert g["path"] == ["E2", "S01", "ST", "Z"]
    assert ("S01", "ST", "HOSTED_BY") in edges(g)
    # Covered twice: the organization leads the path, the studio is drawn beside it.
    g = get(client, "/api/graph/coverage_chain", firm="E7")
    assert g["path"] == ["E7", "J1", "ST", "Z"]
    assert {("J1", "E7", "COVERS"), ("S02", "E7", "GUIDES")} <= edges(g)
    g = get(client, "/api/graph/coverage_chain", firm="E6")
    assert g["path"] == ["E6"] and [n["id"] for n in g["nodes"]] == ["E6"] and g["edges"] == []
    assert g["note"] == "Zeta 未被任何党组织、工作室或指导员覆盖。"


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/api/graph/neighbors", {"id": "X404"}, 404, "X404"),
        ("/api/graph/neighbors", {"id": "E4"}, 404, "E4"),  # closed: in no view
        ("/api/graph/neighbors", {"id": "E1", "rels": "SUPPLIES,FOO"}, 422, "FOO"),
        ("/api/graph/path", {"source": "E1", "target": "X404"}, 404, "X404"),
        ("/api/graph/path", {"source": "E4", "target": "E1"}, 404, "E4"),
        ("/api/graph/path", {"source": "E1", "target": "E7", "max_hops": 3}, 404, "3 步"),
        ("/api/graph/path", {"source": "E1", "target": "E7", "max_hops": 7}, 422, None),
        ("/api/graph/coverage_chain", {"firm": "O1"}, 404, "O1"),
    ],
)
def test_refusals_say_why_in_the_pages_language(
    client: TestClient, path: str, params: dict[str, Any], status: int, words: str | None
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == status, r.text
    if words:
        assert r.json()["error"] in ("NotFound", "BadParameter") and words in r.json()["detail"]
    if status == 404:
        en = client.get(path, params={**params, "lang": "en"}).json()["detail"]
        assert en.startswith("There is no") or en.startswith("No supply path")


def test_the_moves_need_a_signed_in_user(embedded: EmbeddedStore, tmp_path: Path) -> None:
    settings = Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios")
    with TestClient(create_app(settings, embedded)) as anonymous:
        for path in ("/api/graph/neighbors?id=E1", "/api/graph/path?source=E1&target=E2"):
            assert anonymous.get(path).status_code == 401
        assert anonymous.get("/api/graph/coverage_chain?firm=E1").status_code == 401


def _operating_supply_graph(tables: Tables) -> nx.Graph:
    """The undirected supply graph among operating firms, read from the tables alone."""
    operating = {str(f["id"]) for f in tables["enterprises"] if f["status"] != "closed"}
    g = nx.Graph()
    g.add_nodes_from(operating)
    g.add_edges_from(
        (str(link["supplier_id"]), str(link["customer_id"]))
        for link in tables["supply_links"]
        if {link["supplier_id"], link["customer_id"]} <= operating
    )
    return g


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tables=zones(), hops=st.integers(1, 6), data=st.data())
def test_the_path_is_as_short_as_networkx_says(
    shared_store: EmbeddedStore, tables: Tables, hops: int, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_tables_csv(tables, tmp)
        load_path(shared_store, Path(tmp), replace=True)
    g = _operating_supply_graph(tables)
    firms = sorted(g.nodes)
    if not firms:
        return
    source = data.draw(st.sampled_from(firms))
    target = data.draw(st.sampled_from(firms))
    try:
        expected: int | None = nx.shortest_path_length(g, source, target)
    except nx.NetworkXNoPath:
        expected = None
    if expected is None or expected > hops:
        with pytest.raises(LookupError):
            path_payload(shared_store, source, target, hops)
        return
    found = path_payload(shared_store, source, target, hops)["path"]
    assert len(found) - 1 == expected
    assert found[0] == source and found[-1] == target
    assert all(g.has_edge(a, b) for a, b in zip(found, found[1:], strict=False))


def test_every_statement_of_the_moves_runs_on_ladybug(embedded: EmbeddedStore) -> None:
    """The Neo4j front end checks these texts (test_cypher_neo4j_dialect); here LadybugDB
    binds each one, so no label is asked for a property its table lacks."""
    load_tables(embedded, small_zone(), source="test")
    texts = explore_statements()
    assert len(texts) > 30
    answers = {name: embedded.run(text, {"id": "E1"}) for name, text in texts.items()}
    assert answers["explore:node:Enterprise"][0]["name"] == "Alpha"
    assert [r["id"] for r in answers["explore:Enterprise:in:OWN_ORG:PartyOrg"]] == ["O1"]
