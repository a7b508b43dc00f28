"""Every write path leaves its audit entry, and the trail is shown read-only: the ``zonegraph
audit`` command, ``GET /api/audit`` and the ``/audit`` page."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli_common import cli_user
from graph_model.audit import AuditEvent
from graph_model.mapping import Zone
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from loaders.load import export_zone, load_tables
from tests.auth import bearer
from tests.test_cli import zonegraph
from tests.zones import small_zone


def make_client(store: EmbeddedStore, tmp_path: Path) -> TestClient:
    """The one place the tests' web client is made (accounts add their header here)."""
    settings = Settings(
        ZONEGRAPH_SCENARIOS=tmp_path / "scenarios", ZONEGRAPH_UPLOADS=tmp_path / "uploads"
    )
    return TestClient(create_app(settings, store), headers=bearer())


@pytest.fixture
def client(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[TestClient]:
    load_tables(embedded, small_zone(), source="test")
    with make_client(embedded, tmp_path) as c:
        yield c


def trail(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    r = client.get("/api/audit", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == len(body["data"])
    data: list[dict[str, Any]] = body["data"]
    return data


# -- the web: edits, imports, scenarios ------------------------------------------------------
def test_an_api_edit_is_recorded_with_the_user_and_what_changed(client: TestClient) -> None:
    r = client.patch("/api/enterprises/E2", json={"party_members": 6})
    assert r.status_code == 200, r.text
    (entry,) = trail(client)
    assert (entry["user"], entry["action"], entry["source"]) == (
        "token:test-admin",
        "firm.edit",
        "api",
    )
    assert entry["counts"] == {"enterprises.updated": 1}
    assert entry["keys"] == {"enterprises": [["E2"]]} and entry["detail"] == "E2"


def test_a_refused_edit_is_not_recorded(client: TestClient) -> None:
    r = client.patch("/api/enterprises/E2", json={"party_members": -3})
    assert r.status_code == 422
    r = client.post("/api/enterprises/E6/coverage", json={"coverer_id": "X404", "mode": "work"})
    assert r.status_code == 422
    assert trail(client) == []


def test_page_edits_are_recorded_as_web(client: TestClient) -> None:
    r = client.post("/firms/E6/coverage", data={"coverer_id": "S01", "mode": "work"})
    assert r.status_code in (200, 303), r.text
    (entry,) = trail(client)
    assert (entry["action"], entry["source"]) == ("coverage.add", "web")
    assert entry["keys"] == {"coverage": [["S01", "E6", "work"]]}


def test_a_web_import_is_recorded_with_the_file_name(client: TestClient) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("enterprises.csv", "id,name,party_members\nE5,Eps,3\n")
    r = client.post(
        "/api/imports", files={"file": ("季度更新.zip", buf.getvalue(), "application/zip")}
    )
    assert r.status_code == 200, r.text
    assert trail(client) == []  # a preview writes nothing
    r = client.post(f"/api/imports/{r.json()['token']}/commit")
    assert r.status_code == 200, r.text
    (entry,) = trail(client)
    assert (entry["action"], entry["source"], entry["detail"]) == ("import", "api", "季度更新.zip")
    assert entry["counts"] == {"enterprises.updated": 1}


def test_a_scenario_apply_is_recorded(client: TestClient) -> None:
    assert client.post("/api/scenarios", json={"name": "p1"}).status_code == 201
    change = {
        "op": "add",
        "table": "coverage",
        "values": {"coverer_id": "S01", "enterprise_id": "E6", "mode": "work"},
    }
    assert client.post("/api/scenarios/p1/changes", json=change).status_code == 200
    assert trail(client) == []  # trying a scenario on a copy writes nothing
    assert client.post("/api/scenarios/p1/apply").status_code == 200
    (entry,) = trail(client)
    assert (entry["action"], entry["detail"]) == ("scenario.apply", "p1")
    assert entry["counts"] == {"coverage.created": 1}


def test_the_api_filters_and_refuses_a_bad_time(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    first = embedded.record(AuditEvent("alice", "user.add", "cli"))
    embedded.record(AuditEvent("bob", "token.create", "cli"))
    assert [e["user"] for e in trail(client)] == ["bob", "alice"]
    assert [e["user"] for e in trail(client, user="alice")] == ["alice"]
    assert len(trail(client, since=first.at)) == 2
    assert trail(client, since="2999-01-01") == []
    assert len(trail(client, limit=1)) == 1
    r = client.get("/api/audit", params={"since": "last tuesday"})
    assert r.status_code == 422 and "since" in r.json()["detail"]


def test_no_route_edits_or_deletes_the_trail(client: TestClient) -> None:
    app = client.app
    methods = {
        m
        for route in app.routes  # type: ignore[attr-defined]
        if getattr(route, "path", "").startswith(("/api/audit", "/audit"))
        for m in getattr(route, "methods", set())
    }
    assert methods <= {"GET", "HEAD"}
    assert client.delete("/api/audit").status_code == 405


def test_the_page_lists_entries_in_chinese_and_english(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    client.patch("/api/enterprises/E2", json={"party_members": 6})
    embedded.record(AuditEvent("alice", "user.add", "cli", detail="<script>x</script>"))
    zh = client.get("/audit")
    assert zh.status_code == 200
    rows = table_of(zh.text)
    assert "操作记录" in zh.text and "编辑企业" in rows and "alice" in rows
    assert "<script>x</script>" not in zh.text  # escaped
    en = client.get("/audit", params={"lang": "en", "user": "alice"})
    rows = table_of(en.text)
    assert "Audit trail" in en.text and "alice" in rows and "firm edited" not in rows
    assert client.get("/audit", params={"since": "nope"}).status_code == 422


def table_of(html: str) -> str:
    """The audit table of a page (the page also carries every translation for its script)."""
    start = html.index('id="audit-table"')
    return html[start : html.index("</table>", start)]


# -- the command line ----------------------------------------------------------------------
def test_cli_writes_are_recorded_and_shown(tmp_path: Path) -> None:
    export_zone(Zone(small_zone()), tmp_path / "zone")
    db = tmp_path / "zone.lbug"
    assert zonegraph(db, "load", str(tmp_path / "zone"), "--replace").returncode == 0
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "enterprises.csv").write_text(
        "id,name,party_members\nE5,Eps,4\n", encoding="utf-8"
    )
    done = zonegraph(db, "load", str(tmp_path / "more"))
    assert done.returncode == 0, done.stderr
    assert zonegraph(db, "load", str(tmp_path / "more"), "--dry-run").returncode == 0

    done = zonegraph(db, "audit", "--format", "json")
    assert done.returncode == 0, done.stderr
    entries = json.loads(done.stdout)
    assert [e["action"] for e in entries] == ["load", "load.replace"]  # newest first
    assert {e["user"] for e in entries} == {cli_user()} and cli_user().startswith("cli:")
    assert entries[0]["counts"] == {"enterprises.updated": 1}
    assert entries[1]["counts"]["enterprises.rows"] == 7

    rows = list(csv.DictReader(io.StringIO(zonegraph(db, "audit", "-f", "csv").stdout)))
    assert [r["action"] for r in rows] == ["load", "load.replace"]
    assert "enterprises.updated 1" in rows[0]["counts"]
    table = zonegraph(db, "audit", "--limit", "1").stdout
    assert "load" in table and "load.replace" not in table
    assert zonegraph(db, "audit", "--user", "someone-else", "-f", "json").stdout.strip() == "[]"
    future = zonegraph(db, "audit", "--since", "2999-01-01", "-f", "json")
    assert future.stdout.strip() == "[]"

    bad = zonegraph(db, "audit", "--since", "yesterday")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0 and "since" in bad.stderr
