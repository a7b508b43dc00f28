"""Who may do what: every route × role, organizers' streets, sign-in, CSRF, tokens.

The route table is generated from the app's routes, so a new route without a rule in
``api.roles.RULES`` fails here, and every rule is tried with every role.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.accounts import ROLES, AccountBook, open_accounts
from api.app import create_app
from api.roles import RULES, GrantedStore, User, app_routes, endpoint_key, rule_for
from graph_model.changes import ChangeSet, Origin
from graph_model.errors import Forbidden
from graph_model.settings import Settings, load_settings
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from tests.auth import bearer
from tests.zones import small_zone

PARAMS = {"firm_id": "E1", "name": "plan", "token": "0" * 32}
ORIGIN = Origin("test")


@pytest.fixture
def app(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[FastAPI]:
    load_tables(embedded, small_zone(), source="test")
    settings = Settings(
        ZONEGRAPH_SCENARIOS=tmp_path / "scenarios", ZONEGRAPH_UPLOADS=tmp_path / "uploads"
    )
    yield create_app(settings, embedded)


def book() -> AccountBook:
    return open_accounts(load_settings())


def person(role: str = "organizer", streets: tuple[str, ...] = ()) -> tuple[str, str]:
    """A new account of ``role`` in the run's accounts file: (name, password)."""
    name, password = f"u{uuid.uuid4().hex[:8]}", "correct horse battery"
    book().add_user(name, role, password, streets)
    return name, password


def sign_in(client: TestClient, name: str, password: str) -> str:
    """Sign in through the page; the CSRF token the pages then carry."""
    r = client.post(
        "/login",
        data={"username": name, "password": password, "next": "/gaps"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/gaps", r.text
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "zg_session=" in cookie
    page = client.get("/gaps")
    assert page.status_code == 200
    m = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert m is not None
    return m.group(1)


def firm_street(store: EmbeddedStore, firm: str) -> Any:
    return store.run("MATCH (e:Enterprise {id: $id}) RETURN e.street AS s", {"id": firm})[0]["s"]


# -- the table ---------------------------------------------------------------------------------
def test_every_route_has_a_rule_and_every_rule_a_route(app: FastAPI) -> None:
    keys = {endpoint_key(r.endpoint) for r in app_routes(app)}
    exact = {k for k in RULES if not k.endswith("*")}
    missing = [
        k
        for k in keys
        if k not in exact and not any(p.endswith("*") and k.startswith(p[:-1]) for p in RULES)
    ]
    assert missing == []
    assert exact - keys == set()  # no rule names a route that is gone


def _routes(app: FastAPI) -> list[tuple[str, str, str]]:
    out = []
    for route in app_routes(app):
        path = route.path
        for key, value in PARAMS.items():
            path = path.replace("{" + key + "}", value)
        for method in sorted(route.methods):
            out.append((method, path, rule_for(route)))
    return out


def _refused(r: Any) -> bool:
    """Whether the answer is the gate's: not signed in, or not allowed."""
    if r.status_code == 403:
        return True
    if r.status_code == 401:
        return "NotSignedIn" in r.text
    return r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_every_route_by_every_role(app: FastAPI) -> None:
    """Anonymous: 401 (API) or the sign-in page (pages) except public routes; a role below
    the rule: 403; at or above it: never 401 or 403."""
    headers = {role: bearer(role) for role in ROLES}
    with TestClient(app) as client:
        table = _routes(app)
        assert len(table) >= 50
        for method, path, rule in table:
            r = client.request(method, path, follow_redirects=False)
            if rule == "public":
                assert not _refused(r), (method, path)
            elif path.startswith("/api/"):
                assert r.status_code == 401, (method, path, r.status_code)
                assert r.headers["www-authenticate"] == "Bearer"
                assert r.json()["error"] == "NotSignedIn"
            else:
                assert r.status_code == 303, (method, path, r.status_code)
                assert r.headers["location"].startswith("/login?next=")
            for role in ROLES:
                r = client.request(method, path, headers=headers[role], follow_redirects=False)
                allowed = User("x", role).may(rule)
                if allowed:
                    assert not _refused(r), (role, method, path, r.text[:200])
                else:
                    assert r.status_code == 403, (role, method, path, r.status_code)


def test_the_openapi_document_names_its_security_schemes(app: FastAPI) -> None:
    with TestClient(app) as client:
        doc = client.get("/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}
    assert doc["paths"]["/api/queries/uncovered"]["get"]["security"]
    # /docs is a page (vendored Swagger UI): without a sign-in it sends the browser to sign in.
    with TestClient(app, follow_redirects=False) as client:
        r = client.get("/docs", headers={"accept": "text/html"})
        assert r.status_code == 303 and r.headers["location"].startswith("/login")


# -- the measured attack -----------------------------------------------------------------------
def test_an_anonymous_or_cross_site_scenario_apply_changes_nothing(
    app: FastAPI, embedded: EmbeddedStore
) -> None:
    before = embedded.read()
    with TestClient(app) as client:
        r = client.post("/api/scenarios/plan/apply")
        assert r.status_code == 401
        name, password = person("admin")
        sign_in(client, name, password)
        # A page on another site makes the browser send the cookie, as a form, without the token.
        evil = {
            "Origin": "http://evil.example",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        r = client.post("/api/scenarios/plan/apply", headers=evil, content=b"x=1")
        assert r.status_code == 403
        r = client.post(
            "/api/scenarios/plan/apply",
            headers={"Content-Type": evil["Content-Type"]},
            content=b"x=1",
        )
        assert r.status_code == 403 and r.json()["error"] == "Forbidden"
    assert embedded.read() == before


# -- sign-in, sessions, CSRF -------------------------------------------------------------------
def test_a_signed_in_organizer_edits_with_the_form_token_and_only_with_it(
    app: FastAPI, embedded: EmbeddedStore
) -> None:
    name, password = person("organizer")
    with TestClient(app) as client:
        csrf = sign_in(client, name, password)
        r = client.post("/firms/E2", data={"street": "S2"}, follow_redirects=False)
        assert r.status_code == 403 and "表单已过期" in r.text
        assert firm_street(embedded, "E2") == "S1"
        form = {"_csrf": csrf, "name": "Beta", "street": "S2", "status": "operating"}
        r = client.post("/firms/E2", data=form, follow_redirects=False)
        assert r.status_code == 303, r.text
        assert firm_street(embedded, "E2") == "S2"
        r = client.patch("/api/enterprises/E2", json={"street": "S1"})
        assert r.status_code == 403
        r = client.patch(
            "/api/enterprises/E2", json={"street": "S1"}, headers={"X-CSRF-Token": csrf}
        )
        assert r.status_code == 200 and firm_street(embedded, "E2") == "S1"
        # Signing out ends it.
        client.post("/logout", follow_redirects=False)
        assert client.get("/", follow_redirects=False).status_code == 303


def test_wrong_passwords_lock_the_account_and_say_nothing_of_which_part_was_wrong(
    app: FastAPI,
) -> None:
    name, password = person("viewer")
    with TestClient(app) as client:
        unknown = client.post("/login", data={"username": "nobody-here", "password": "x" * 12})
        wrong = client.post("/login", data={"username": name, "password": "x" * 12})
        assert unknown.status_code == wrong.status_code == 401
        assert "用户名或密码错误" in wrong.text and "用户名或密码错误" in unknown.text
        for _ in range(3):
            client.post("/login", data={"username": name, "password": "x" * 12})
        locked = client.post("/login", data={"username": name, "password": "x" * 12})
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
        # Even the right password waits until the lock ends.
        r = client.post("/login", data={"username": name, "password": password})
        assert r.status_code == 429
    book().set_password(name, password)  # an admin's new password lifts the lock
    with TestClient(app) as client:
        sign_in(client, name, password)


def test_a_new_password_or_a_disabled_account_ends_its_sign_ins(app: FastAPI) -> None:
    name, password = person("viewer")
    with TestClient(app) as client:
        sign_in(client, name, password)
        book().set_password(name, "another long password")
        assert client.get("/", follow_redirects=False).status_code == 303
        sign_in(client, name, "another long password")
        book().set_disabled(name, True)
        assert client.get("/api/queries", follow_redirects=False).status_code == 401
        r = client.post("/login", data={"username": name, "password": "another long password"})
        assert r.status_code == 401


def test_a_revoked_or_forged_token_is_refused(app: FastAPI) -> None:
    info, text = book().create_token("viewer", created_by="test")
    with TestClient(app) as client:
        assert client.get("/api/queries", headers={"Authorization": f"Bearer {text}"}).is_success
        forged = text[:-4] + ("AAAA" if not text.endswith("AAAA") else "BBBB")
        r = client.get("/api/queries", headers={"Authorization": f"Bearer {forged}"})
        assert r.status_code == 401
        book().revoke(info.id)
        r = client.get("/api/queries", headers={"Authorization": f"Bearer {text}"})
        assert r.status_code == 401
        # A bearer token also opens pages.
        page = client.get("/", headers=bearer("viewer"), follow_redirects=False)
        assert page.status_code == 200 and "导入" not in page.text  # viewers see no import link
        # nor a what-if panel they could not run
        page = client.get("/alliances", headers=bearer("viewer"))
        assert page.status_code == 200 and 'id="whatif-form"' not in page.text
        page = client.get("/alliances", headers=bearer("organizer"))
        assert 'id="whatif-form"' in page.text


def test_sign_in_goes_back_only_to_this_server(app: FastAPI) -> None:
    name, password = person("viewer")
    with TestClient(app) as client:
        for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
            r = client.post(
                "/login",
                data={"username": name, "password": password, "next": target},
                follow_redirects=False,
            )
            assert r.status_code == 303 and r.headers["location"] == "/"


# -- organizers' streets -----------------------------------------------------------------------
def test_an_organizer_of_one_street_cannot_edit_a_firm_of_another(
    app: FastAPI, embedded: EmbeddedStore
) -> None:
    before = embedded.read()
    s1 = bearer("organizer", ["S1"])
    with TestClient(app) as client:
        r = client.patch("/api/enterprises/E3", json={"party_members": 9}, headers=s1)
        assert r.status_code == 403 and "S1" in r.json()["detail"]
        r = client.patch("/api/enterprises/E1", json={"street": "S2"}, headers=s1)
        assert r.status_code == 403  # nor move one of theirs out of their streets
        r = client.post(
            "/api/enterprises/E3/coverage", json={"coverer_id": "S01", "mode": "work"}, headers=s1
        )
        assert r.status_code == 403
        assert embedded.read() == before
        r = client.patch("/api/enterprises/E1", json={"party_members": 9}, headers=s1)
        assert r.status_code == 200
        assert r.json()["enterprise"]["party_members"] == 9
        page = client.get("/firms/E3", headers=s1)
        assert page.status_code == 200 and 'id="firm-form"' not in page.text
        page = client.get("/firms/E1", headers=s1)
        assert 'id="firm-form"' in page.text


def test_a_granted_store_checks_every_kind_of_change(embedded: EmbeddedStore) -> None:
    load_tables(embedded, small_zone(), source="test")
    store = GrantedStore(embedded, User("o", "organizer", ("S1",), "token"))
    before = embedded.read()

    def refused(changes: ChangeSet) -> None:
        with pytest.raises(Forbidden):
            store.apply(changes)
        assert embedded.read() == before

    new_s2 = ChangeSet()
    new_s2.upsert("enterprises", {"id": "N1", "name": "New", "street": "S2"}, ORIGIN)
    refused(new_s2)
    link = ChangeSet()
    link.upsert("coverage", {"coverer_id": "S01", "enterprise_id": "E6", "mode": "work"}, ORIGIN)
    refused(link)
    gone = ChangeSet()
    gone.delete("coverage", ("S01", "E4", "work"), ORIGIN)
    refused(gone)
    shared = ChangeSet()
    shared.upsert("party_orgs", {"id": "Z", "name": "Renamed zone"}, ORIGIN)
    refused(shared)
    with pytest.raises(Forbidden):
        store.replace(embedded.read())
    ok = ChangeSet()
    ok.upsert("enterprises", {"id": "N2", "name": "Mine", "street": "S1"}, ORIGIN)
    ok.upsert("coverage", {"coverer_id": "S01", "enterprise_id": "N2", "mode": "work"}, ORIGIN)
    report = store.apply(ok)
    assert report.created == {"enterprises": 1, "coverage": 1}
