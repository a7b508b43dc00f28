"""Saved network views over the real API: anyone signed in saves their own, only its owner
or an admin replaces or deletes it, the state is kept as sent up to 256 KB, and
``/network?view=NAME`` opens the page with the saved state."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.accounts import Role, open_accounts
from api.app import create_app
from graph_model.settings import Settings, load_settings
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from tests.zones import small_zone

STATE: dict[str, Any] = {
    "scope": "alliance:A1",
    "hops": 2,
    "filters": {"coverage": ["none"], "party_members_min": 3, "rels": ["SUPPLIES"]},
    "style": {"color": "coverage", "size": "employees", "label": "name"},
    "positions": {"E1": [12.5, -3.0], "E6": [40.0, 8.25]},
    "title": "一号联盟的两步供应链",
}


@pytest.fixture
def app(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[FastAPI]:
    load_tables(embedded, small_zone(), source="test")
    yield create_app(Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios"), embedded)


def person(role: Role) -> dict[str, str]:
    """Headers of a new, distinct user of ``role`` (a token of their own name)."""
    name = f"{role}-{uuid.uuid4().hex[:6]}"
    _, text = open_accounts(load_settings()).create_token(role, name=name, created_by="tests")
    return {"Authorization": f"Bearer {text}"}


def owner_of(headers: dict[str, str], client: TestClient) -> str:
    """The name a token's holder saves under (``token:<name>``)."""
    r = client.put("/api/views/_probe_" + uuid.uuid4().hex[:6], json={"state": {}}, headers=headers)
    assert r.status_code == 200, r.text
    return str(r.json()["owner"])


def test_a_viewer_saves_lists_reopens_and_replaces_their_own_view(app: FastAPI) -> None:
    alice = person("viewer")
    with TestClient(app) as client:
        r = client.put("/api/views/联盟A1两步", json={"state": STATE}, headers=alice)
        assert r.status_code == 200, r.text
        saved = r.json()
        assert saved["state"] == STATE and saved["owner"] == owner_of(alice, client)
        listed = client.get("/api/views", headers=alice).json()
        row = next(v for v in listed["data"] if v["name"] == "联盟A1两步")
        assert row == {k: saved[k] for k in ("name", "owner", "updated_at")}
        assert listed["count"] == len(listed["data"]) == 2  # the probe's view too
        again = client.get("/api/views/联盟A1两步", headers=person("viewer")).json()
        assert again["state"] == STATE  # any signed-in user may open it
        changed = {**STATE, "hops": 1}
        r = client.put("/api/views/联盟A1两步", json={"state": changed}, headers=alice)
        assert r.status_code == 200 and r.json()["state"] == changed
        assert r.json()["updated_at"] >= saved["updated_at"]


def test_only_the_owner_or_an_admin_replaces_or_deletes_a_view(app: FastAPI) -> None:
    alice, bob, admin = person("viewer"), person("organizer"), person("admin")
    with TestClient(app) as client:
        owner = owner_of(alice, client)
        assert client.put("/api/views/plan", json={"state": STATE}, headers=alice).is_success
        r = client.put("/api/views/plan", json={"state": {"scope": "zone"}}, headers=bob)
        assert r.status_code == 403 and r.json()["error"] == "Forbidden"
        assert owner in r.json()["detail"]
        assert client.delete("/api/views/plan", headers=bob).status_code == 403
        assert client.get("/api/views/plan", headers=bob).json()["state"] == STATE
        # An admin may replace it (it stays alice's) and delete it.
        r = client.put("/api/views/plan", json={"state": {"scope": "zone"}}, headers=admin)
        assert r.status_code == 200 and r.json()["owner"] == owner
        assert client.delete("/api/views/plan", headers=admin).status_code == 204
        r = client.get("/api/views/plan", headers=alice, params={"lang": "en"})
        assert r.status_code == 404 and r.json()["detail"] == "There is no saved view plan."
        assert client.delete("/api/views/plan", headers=alice).status_code == 404
        # The owner deletes their own.
        assert client.put("/api/views/mine", json={"state": {}}, headers=bob).is_success
        assert client.delete("/api/views/mine", headers=bob).status_code == 204


def test_a_state_over_256_kb_and_bad_names_are_refused(app: FastAPI) -> None:
    alice = person("viewer")
    with TestClient(app) as client:
        # Compact JSON: {"p":"xxx…"} is 8 bytes besides the text.
        fits = {"p": "x" * ((256 << 10) - 8)}
        assert client.put("/api/views/big", json={"state": fits}, headers=alice).is_success
        assert client.get("/api/views/big", headers=alice).json()["state"] == fits
        over = {"p": "x" * ((256 << 10) - 7)}
        r = client.put("/api/views/big", json={"state": over}, headers=alice)
        assert r.status_code == 413 and "256 KB" in r.json()["detail"]
        assert client.get("/api/views/big", headers=alice).json()["state"] == fits
        for bad in ("x" * 81, "tab%09here"):
            r = client.put(f"/api/views/{bad}", json={"state": {}}, headers=alice)
            assert r.status_code == 422, bad
        r = client.put("/api/views/a%2Fb", json={"state": {}}, headers=alice)
        assert r.status_code in (404, 422)
        r = client.put("/api/views/ok", json={"state": ["not", "an", "object"]}, headers=alice)
        assert r.status_code == 422
        r = client.put(f"/api/views/{'x' * 80}", json={"state": {}}, headers=alice)
        assert r.status_code == 200


def test_views_need_a_sign_in_and_a_page_write_needs_its_form_token(app: FastAPI) -> None:
    with TestClient(app) as client:
        assert client.get("/api/views").status_code == 401
        assert client.put("/api/views/v", json={"state": {}}).status_code == 401
        name, password = f"u{uuid.uuid4().hex[:8]}", "correct horse battery"
        open_accounts(load_settings()).add_user(name, "viewer", password, ())
        r = client.post(
            "/login",
            data={"username": name, "password": password, "next": "/network"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        page = client.get("/network")
        m = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
        assert m is not None
        assert client.put("/api/views/v", json={"state": {}}).status_code == 403
        r = client.put("/api/views/v", json={"state": {}}, headers={"X-CSRF-Token": m.group(1)})
        assert r.status_code == 200 and r.json()["owner"] == name


def config_of(html: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="network-config">(.*?)</script>', html)
    assert m is not None
    config: dict[str, Any] = json.loads(m.group(1))
    return config


def test_the_network_page_opens_a_saved_view_by_name(app: FastAPI) -> None:
    alice = person("viewer")
    with TestClient(app) as client:
        assert client.put("/api/views/两步", json={"state": STATE}, headers=alice).is_success
        page = client.get("/network", params={"view": "两步", "lang": "en"}, headers=alice)
        assert page.status_code == 200
        config = config_of(page.text)
        assert config["scope"] == "alliance:A1" and config["hops"] == 2
        assert config["view"]["name"] == "两步" and config["view"]["state"] == STATE
        assert config["lang"] == "en"
        plain = config_of(client.get("/network", headers=alice).text)
        # The language chosen stays (a cookie), as on every page.
        assert plain["view"] is None and plain["lang"] == "en" and plain["scope"] == "zone"
        missing = client.get("/network", params={"view": "nope", "lang": "zh"}, headers=alice)
        assert missing.status_code == 404 and "没有名为 nope 的已保存视图" in missing.text
