"""What a hostile or careless client sends, and what it gets: bounded numbers and bodies,
refusals in the documented shape, every method a path takes in ``Allow``, scenario names
that name one file, security headers on every answer, and no CORS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.headers import vis_style_hashes
from api.limits import MAX_BODY
from api.pages_common import TEMPLATES_DIR
from graph_model.errors import BadParameter
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.catalog import all_queries
from queries.scenarios import ScenarioBook
from tests.auth import bearer
from tests.test_cli import zonegraph
from tests.zones import small_zone

HUGE = 2**63
HEADERS_EVERYWHERE = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


@pytest.fixture
def client(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[TestClient]:
    """The one place the client is made (the headers every request carries go here)."""
    load_tables(embedded, small_zone(), source="test")
    settings = Settings(
        ZONEGRAPH_SCENARIOS=tmp_path / "scenarios", ZONEGRAPH_UPLOADS=tmp_path / "uploads"
    )
    app = create_app(settings, embedded)

    @app.get("/api/test-crash", include_in_schema=False)
    def crash() -> None:
        raise RuntimeError("a bug, with a secret in its message")

    with TestClient(app, raise_server_exceptions=False, headers=bearer()) as c:
        yield c


def assert_error_out(body: Any, error: str | None = None) -> None:
    assert set(body) == {"error", "detail", "problems"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    if error:
        assert body["error"] == error


# -- numbers and sizes ----------------------------------------------------------------------


def int_params() -> list[tuple[str, str]]:
    routes = [(f"/api/queries/{q.name}", p.name) for q in all_queries() for p in q.params]
    typed = {(f"/api/queries/{q.name}", p.name): p.type for q in all_queries() for p in q.params}
    found = [r for r in routes if typed[r] is int]
    found += [
        (f"/api/queries/{q}", n)
        for q in ("zone_summary", "uncovered")
        for n in ("page", "per_page")
    ]
    return found + [("/api/graph", "hops"), ("/api/graph", "cap"), ("/api/enterprises", "limit")]


@pytest.mark.parametrize(("path", "name"), int_params())
def test_an_integer_of_2_63_is_a_422_naming_the_parameter(
    client: TestClient, path: str, name: str
) -> None:
    params = {"alliance": "A1", "q": "a", "text": "a", name: str(HUGE)}
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    assert_error_out(r.json(), "BadParameter")
    assert [p["column"] for p in r.json()["problems"]] == [name]


def test_every_integer_a_query_takes_has_a_maximum() -> None:
    unbounded = [
        f"{q.name}.{p.name}"
        for q in all_queries()
        for p in q.params
        if p.type in (int, float) and p.maximum is None
    ]
    assert not unbounded


def test_a_refused_request_is_error_out_with_each_problem_located(client: TestClient) -> None:
    r = client.get("/api/queries/alliance_reach", params={"hops": "many"})
    assert r.status_code == 422
    body = r.json()
    assert_error_out(body, "BadParameter")
    assert {(p["file"], p["column"]) for p in body["problems"]} == {
        ("query", "alliance"),
        ("query", "hops"),
    }
    assert body["problems"][1]["value"] == "many"


@pytest.mark.parametrize("path", ["/api/whatif", "/api/scenarios"])
def test_a_json_body_over_the_limit_is_a_413(client: TestClient, path: str) -> None:
    big = b'{"name": "' + b"x" * MAX_BODY + b'"}'
    r = client.post(path, content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert_error_out(r.json(), "PayloadTooLarge")


def test_a_streamed_body_over_the_limit_is_a_413_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        yield b'{"changes": [], "query": "'
        for _ in range(20):
            yield b"y" * (MAX_BODY // 10)
        yield b'"}'

    r = client.post("/api/whatif", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert_error_out(r.json(), "PayloadTooLarge")
    assert client.get("/health").status_code == 200


def test_a_body_that_is_not_utf8_is_the_documented_422(client: TestClient) -> None:
    r = client.post(
        "/api/scenarios",
        content=b'{"name": "\xff\xfe"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422
    assert_error_out(r.json(), "BadParameter")
    doc = client.get("/openapi.json").json()
    assert "400" not in doc["paths"]["/api/scenarios"]["post"]["responses"]


def test_every_operation_documents_error_out_for_422(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            ref = op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/ErrorOut", (method, path)
    assert "HTTPValidationError" not in doc["components"]["schemas"]


def test_a_refused_upload_does_not_say_where_the_server_keeps_files(client: TestClient) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    r = client.post("/api/imports", files={"file": ("chart.png", png, "image/png")})
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert problems and all(p["file"] == "chart.png" for p in problems), problems
    assert "/tmp" not in r.text and "zonegraph-" not in r.text


# -- methods --------------------------------------------------------------------------------


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", path)


def test_options_and_other_methods_name_every_method_of_the_path(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for path, item in doc["paths"].items():
        documented = {m.upper() for m in item}
        for method in {"OPTIONS", "HEAD", "PUT", "PATCH", "DELETE", "POST"} - documented:
            r = client.request(method, concrete(path))
            assert r.status_code == 405, (method, path, r.status_code)
            allow = {m.strip() for m in r.headers["allow"].split(",")}
            assert allow == documented, (method, path, allow)
            if method != "HEAD":  # a HEAD answer has no body
                assert_error_out(r.json(), "MethodNotAllowed")


# -- names and scopes -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["方案一", "a\n", "a b", "a.json", "", "x" * 65, "é"])
def test_a_scenario_name_outside_the_pattern_is_refused(client: TestClient, name: str) -> None:
    r = client.post("/api/scenarios", json={"name": name})
    assert r.status_code == 422
    assert client.get("/api/scenarios").json()["count"] == 0


def test_the_book_refuses_what_the_pattern_refuses(tmp_path: Path) -> None:
    book = ScenarioBook(tmp_path)
    for name in ("plan\n", "plan\r", "pl\x00an", "方案"):
        with pytest.raises(BadParameter, match="ASCII letters"):
            book.new(name)
    assert list(tmp_path.iterdir()) == []


def test_a_second_scenario_of_the_same_name_is_a_409(client: TestClient) -> None:
    assert client.post("/api/scenarios", json={"name": "p1"}).status_code == 201
    r = client.post("/api/scenarios", json={"name": "p1"})
    assert r.status_code == 409
    assert_error_out(r.json(), "AlreadyExists")


def test_a_cli_scenario_name_with_a_newline_is_refused_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "zone.lbug"
    folder = tmp_path / "scenarios"
    r = zonegraph(db, "scenario", "new", "plan\n", scenarios=str(folder))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "ASCII letters" in r.stderr and "'plan\\n'" in r.stderr
    assert not folder.exists() or list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("scope", "status"),
    [("zone", 200), ("street:S1", 200), ("street:nowhere", 200), ("alliance:A9", 404)],
)
def test_every_scope_the_schema_allows_is_taken(
    client: TestClient, scope: str, status: int
) -> None:
    for path in ("/api/queries/bridging_firms", "/api/queries/suggested_clusters"):
        assert client.get(path, params={"scope": scope}).status_code == status


@pytest.mark.parametrize("scope", ["planet:x", "street:", "Zone ", "street"])
def test_a_scope_outside_the_schema_is_refused(client: TestClient, scope: str) -> None:
    r = client.get("/api/queries/bridging_firms", params={"scope": scope})
    assert r.status_code == 422
    assert [p["column"] for p in r.json()["problems"]] == ["scope"]


# -- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/gaps", 200),
        ("GET", "/api/queries", 200),
        ("GET", "/health", 200),
        ("GET", "/static/app/app.js", 200),
        ("GET", "/api/nothing-here", 404),
        ("GET", "/firms/E404", 404),
        ("GET", "/api/queries/alliance_reach", 422),
        ("POST", "/api/queries", 405),
        ("GET", "/api/test-crash", 500),
    ],
)
def test_security_headers_are_on_every_answer(
    client: TestClient, method: str, path: str, status: int
) -> None:
    r = client.request(method, path, headers={"accept": "text/html"})
    assert r.status_code == status
    for name, value in HEADERS_EVERYWHERE.items():
        assert r.headers[name] == value, (path, name)
    csp = dict(
        part.strip().split(" ", 1) for part in r.headers["content-security-policy"].split(";")
    )
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp["style-src"]


def test_no_page_loads_from_a_cdn(client: TestClient) -> None:
    # /docs and /redoc run vendored copies of Swagger UI and ReDoc (FastAPI's own would load
    # them from a CDN): every script and style sheet comes from this server.
    for path in ("/docs", "/redoc"):
        r = client.get(path)
        assert r.status_code == 200
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", r.text), path
        assert "cdn.jsdelivr.net" not in r.text + r.headers["content-security-policy"]
    assert "cdn.jsdelivr.net" not in client.get("/").headers["content-security-policy"]


def test_a_page_error_of_the_web_layer_speaks_the_pages_language(client: TestClient) -> None:
    html = {"accept": "text/html"}
    r = client.get("/no-such-page", headers=html)
    assert r.status_code == 404 and "没有这个页面" in r.text
    r = client.get("/no-such-page", params={"lang": "en"}, headers=html)
    assert r.status_code == 404 and "There is no such page." in r.text
    r = client.get("/network", params={"hops": "many", "lang": "zh"}, headers=html)
    assert r.status_code == 422 and "请求的参数不正确" in r.text and "hops" in r.text
    assert client.get("/no-such-page").json()["error"] == "NotFound"  # scripts get JSON


def test_a_crash_says_nothing_of_itself(client: TestClient) -> None:
    r = client.get("/api/test-crash")
    assert r.status_code == 500
    assert_error_out(r.json(), "InternalError")
    assert "secret" not in r.text and "Traceback" not in r.text


def test_cors_stays_closed_to_other_sites(client: TestClient) -> None:
    evil = {"origin": "http://evil.example"}
    r = client.get("/api/queries/zone_summary", headers=evil)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    preflight = client.options(
        "/api/scenarios",
        headers={**evil, "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 405
    assert not any(h.startswith("access-control-") for h in preflight.headers)


#: Templates of files written to disk, never served (`zonegraph report --out`): one file
#: that opens anywhere, so its stylesheet is inside it; it holds no script at all.
FILE_TEMPLATES = {"report_file.html"}


def test_the_page_templates_hold_no_inline_script_or_style() -> None:
    for template in TEMPLATES_DIR.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        if template.name in FILE_TEMPLATES:
            assert "<script" not in text and not re.search(r"\son[a-z]+\s*=", text)
            continue
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "<style" not in text, template.name


def test_the_style_sheets_vis_network_injects_are_allowed_by_hash() -> None:
    hashes = vis_style_hashes()
    assert len(hashes) == 1 + 7 and all(h.startswith("'sha256-") for h in hashes)
