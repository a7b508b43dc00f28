"""The JSON API over a real embedded store: the same rows as the CLI, downloads, errors,
profiles, capped graphs, scenarios and what-if, and the one ``current_user`` dependency."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import current_user
from api.routes.queries import RESERVED
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.catalog import all_queries, run_query
from tests.auth import bearer
from tests.zones import small_zone

SAMPLES = {"alliance": "A1", "text": "a"}


@pytest.fixture
def client(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[TestClient]:
    load_tables(embedded, small_zone(), source="test")
    settings = Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios")
    with TestClient(create_app(settings, embedded), headers=bearer()) as c:
        yield c


def get(client: TestClient, path: str, **params: Any) -> Any:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_health(client: TestClient) -> None:
    assert get(client, "/health") == {"status": "ok", "backend": "ladybug", "firms": 7}


def test_catalog_lists_every_query_with_its_parameters(client: TestClient) -> None:
    body = get(client, "/api/queries")
    names = [q["name"] for q in body["data"]]
    assert names == [q.name for q in all_queries()] and body["count"] == len(names)
    reach = next(q for q in body["data"] if q["name"] == "alliance_reach")
    hops = next(p for p in reach["params"] if p["name"] == "hops")
    assert (hops["type"], hops["default"], hops["minimum"], hops["maximum"]) == ("int", 2, 1, 6)
    assert not {p.name for q in all_queries() for p in q.params} & set(RESERVED)


@pytest.mark.parametrize("name", [q.name for q in all_queries()])
def test_every_query_returns_the_clis_rows(
    client: TestClient, embedded: EmbeddedStore, name: str
) -> None:
    query = next(q for q in all_queries() if q.name == name)
    params = {p.name: SAMPLES[p.name] for p in query.params if p.required}
    body = get(client, f"/api/queries/{name}", **params, per_page=1000)
    assert body["columns"] == list(query.columns)
    assert body["rows"] == run_query(embedded, name, params)
    assert body["total"] == len(body["rows"])


def test_paging(client: TestClient) -> None:
    all_rows = get(client, "/api/queries/coverage_by", level="grid")["rows"]
    page2 = get(client, "/api/queries/coverage_by", level="grid", per_page=1, page=2)
    assert page2["rows"] == all_rows[1:2] and page2["total"] == len(all_rows)


def test_csv_and_xlsx_downloads(client: TestClient) -> None:
    from openpyxl import load_workbook

    r = client.get("/api/queries/uncovered", params={"format": "csv", "street": "S2"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="uncovered.csv"' in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows == [
        ["id", "name", "street", "grid", "industry", "party_members"],
        ["E6", "Zeta", "S2", "G2", "finance", "4"],
    ]
    r = client.get("/api/queries/uncovered", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[1]][:2] == ["id", "name"]
    assert [sheet.cell(row=i, column=1).value for i in (2, 3)] == ["E5", "E6"]


@pytest.mark.parametrize(
    ("path", "params", "status", "error"),
    [
        ("/api/queries/alliance_reach", {"alliance": "A9"}, 404, "NotFound"),
        ("/api/queries/alliance_reach", {"alliance": "A1", "hops": 7}, 422, None),
        ("/api/queries/alliance_reach", {}, 422, None),
        ("/api/queries/coverage_by", {"level": "planet"}, 422, None),
        ("/api/queries/gaps", {}, 404, None),
        ("/api/enterprises/E404", {}, 404, "NotFound"),
        ("/api/graph", {"scope": "planet:x"}, 422, "BadParameter"),
        ("/api/graph", {"scope": "alliance:A9"}, 404, "NotFound"),
    ],
)
def test_errors_have_statuses_and_reasons(
    client: TestClient, path: str, params: dict[str, Any], status: int, error: str | None
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == status
    if error:
        assert r.json()["error"] == error and r.json()["detail"]


def test_enterprise_profile(client: TestClient) -> None:
    p = get(client, "/api/enterprises/E6")
    assert p["enterprise"]["name"] == "Zeta" and p["coverage"] == "uncovered"
    assert [x["id"] for x in p["liaisons"]] == ["L1"]
    assert [x["id"] for x in p["suppliers"]] == ["E3", "E5"]
    assert [x["id"] for x in p["customers"]] == ["E7"]
    p = get(client, "/api/enterprises/E1")
    assert p["coverage"] == "own" and p["organizations"][0]["id"] == "O1"
    assert p["alliances"] == [{"id": "A1", "name": "Alliance", "detail": "lead"}]
    assert get(client, "/api/enterprises/E7")["coverage"] == "joint"
    assert get(client, "/api/enterprises/E4")["coverage"] == "closed"
    assert [r["id"] for r in get(client, "/api/enterprises", q="Zet")["rows"]] == ["E6"]


def test_graph_of_a_firm_and_its_neighbours(client: TestClient) -> None:
    g = get(client, "/api/graph", scope="firm:E3", hops=1)
    firms = {n["id"]: n["group"] for n in g["nodes"] if n["label"] == "Enterprise"}
    assert firms == {"E3": "joint", "E2": "work", "E6": "uncovered"}
    others = {n["id"] for n in g["nodes"] if n["label"] != "Enterprise"}
    assert others == {"J1", "S01", "L1"}  # J1 covers E3, S01 guides E2, L1 liaises E6
    types = {(e["src"], e["dst"], e["type"]) for e in g["edges"]}
    assert ("E3", "E2", "SUPPLIES") in types and ("J1", "E3", "COVERS") in types
    assert g["aggregated"] is False and g["physics"] is True
    node = {n["id"]: n for n in g["nodes"]}
    assert node["E3"]["focus"] is True and not node["E2"]["focus"]
    assert node["E6"]["props"] == {
        "coverage": "none",
        "party_members": 4,
        "employees": 45,
        "star": None,
        "key_firm": True,
        "industry": "finance",
        "street": "S2",
        "grid": "G2",
    }
    assert node["J1"]["props"] == {"kind": "joint_branch", "street": None}
    assert node["S01"]["props"] == {"kind": "Studio", "street": "S1"}
    # Tooltips speak the page's language: no relationship type in the Chinese UI.
    supply = next(e for e in g["edges"] if (e["src"], e["dst"]) == ("E3", "E2"))
    assert supply["title"] == "Gamma → Beta：供应"
    assert "覆盖状态：联合党组织覆盖" in node["E3"]["title"]
    en = get(client, "/api/graph", scope="firm:E3", hops=1, lang="en")
    supply = next(e for e in en["edges"] if (e["src"], e["dst"]) == ("E3", "E2"))
    assert supply["title"] == "Gamma → Beta: supplies"
    assert all("SUPPLIES" not in e["title"] for e in g["edges"] + en["edges"])


def test_graph_above_the_cap_is_aggregated_per_grid(client: TestClient) -> None:
    g = get(client, "/api/graph", scope="zone", cap=10, lang="en")
    assert g["aggregated"] is True and "cap of 10" in g["note"]
    groups = {n["id"]: n["firms"] for n in g["nodes"]}
    assert groups == {"grid:G1": 3, "grid:G2": 3}  # closed E4 and grid-less firms aside
    assert all(n["expand"] == n["id"] for n in g["nodes"])
    assert g["edges"] == [
        {
            "src": "grid:G1",
            "dst": "grid:G2",
            "type": "SUPPLIES",
            "weight": 2,
            "title": "G1 ↔ G2: 2 supply links",
        }
    ]
    zh = get(client, "/api/graph", scope="zone", cap=10)
    assert "上限 10" in zh["note"] or "10 个节点的上限" in zh["note"]
    assert zh["edges"][0]["title"] == "G1 ↔ G2：2 条供应链关系"


def test_scenarios_over_http(client: TestClient, embedded: EmbeddedStore) -> None:
    assert client.post("/api/scenarios", json={"name": "p1"}).status_code == 201
    change = {
        "op": "add",
        "table": "coverage",
        "values": {"coverer_id": "S01", "enterprise_id": "E6", "mode": "work"},
    }
    assert client.post("/api/scenarios/p1/changes", json=change).status_code == 200
    bad = dict(change, values={**change["values"], "enterprise_id": "E404"})
    r = client.post("/api/scenarios/p1/changes", json=bad)
    assert r.status_code == 422 and "names no enterprise" in r.json()["problems"][0]["text"]
    assert len(get(client, "/api/scenarios/p1")["changes"]) == 1
    diff = get(client, "/api/scenarios/p1/diff", query="uncovered")
    assert [(r["change"], r["id"]) for r in diff["rows"]] == [("-", "E6")]
    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E5", "E6"]
    assert client.post("/api/scenarios/p1/apply").status_code == 200
    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E5"]
    assert get(client, "/api/scenarios") == {"data": [], "count": 0}
    assert client.get("/api/scenarios/p1").status_code == 404
    assert client.post("/api/scenarios", json={"name": "../x"}).status_code == 422


def test_whatif_shows_before_and_after_and_writes_nothing(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    body = {
        "changes": [
            {
                "op": "add",
                "table": "coverage",
                "values": {"coverer_id": "J1", "enterprise_id": "E6", "mode": "organization"},
            }
        ]
    }
    r = client.post("/api/whatif", json=body)
    assert r.status_code == 200
    by = {row["metric"]: row for row in r.json()["rows"]}
    assert (by["uncovered"]["before"], by["uncovered"]["after"]) == (2, 1)
    assert run_query(embedded, "zone_summary")[0]["uncovered"] == 2
    assert r.json()["net"] is None  # the zone summary has no net change by firm

    # E3 joins A1: against A1's reach, the net change by firm comes with the rows.
    body = {
        "changes": [
            {
                "op": "add",
                "table": "alliance_members",
                "values": {"alliance_id": "A1", "enterprise_id": "E3"},
            }
        ],
        "query": "alliance_reach",
        "params": {"alliance": "A1", "hops": 2},
    }
    r = client.post("/api/whatif", json=body)
    assert r.status_code == 200
    answer = r.json()
    assert answer["net"] == {
        "entered": 3,
        "entered_uncovered": 2,
        "left": 0,
        "left_uncovered": 0,
        "joined": 1,
        "closer": 0,
        "farther": 0,
        "covered": 0,
        "uncovered": 0,
    }
    assert answer["notes"] == [
        "+3 firms in reach, of which 2 uncovered",
        "1 firm(s) became members (no longer counted in reach)",
    ]
    assert {(row["change"], row["id"]) for row in answer["rows"]} == {
        ("-", "E3"),
        ("+", "E5"),
        ("+", "E6"),
        ("+", "E7"),
    }


def test_every_route_goes_through_current_user(client: TestClient) -> None:
    """Refuse the user in the one dependency: every route, pages and API alike, refuses."""

    def nobody() -> None:
        raise HTTPException(status_code=401, detail="who are you?")

    app: FastAPI = client.app  # type: ignore[assignment]
    app.dependency_overrides[current_user] = nobody
    doc = app.openapi()
    calls = [
        (method, path.replace("{name}", "p1").replace("{firm_id}", "E1"))
        for path, ops in doc["paths"].items()
        for method in ops
    ]
    assert len(calls) > 25
    for method, path in [*calls, ("get", "/health")]:
        r = client.request(method.upper(), path, json={})
        assert r.status_code == 401, (method, path, r.status_code)
    app.dependency_overrides.clear()


def test_openapi_documents_every_query_route(client: TestClient) -> None:
    doc = get(client, "/openapi.json")
    for q in all_queries():
        op = doc["paths"][f"/api/queries/{q.name}"]["get"]
        names = {p["name"] for p in op["parameters"]}
        assert {p.name for p in q.params} | set(RESERVED) == names
