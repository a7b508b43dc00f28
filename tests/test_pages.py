"""The server-rendered pages over the demo zone (no browser): every page answers, links
nothing on the internet, speaks both languages, and shows the catalog's rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import pages
from api.app import create_app
from api.i18n import EN, ZH
from api.pages_common import STATIC_DIR, TEMPLATES_DIR
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from queries.catalog import all_queries, run_query
from tests.auth import bearer

#: A src/href attribute or a CSS url() that points at http(s)://.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action)\s*=\s*["']?\s*|url\(\s*["']?\s*)https?://""", re.I
)
SAMPLES = {"alliance": "A1", "text": "长春"}
PAGES = ["/", "/gaps", "/network", "/alliances?alliance=A1", "/firms/E0009", "/rules", "/queries"]
PAGES += ["/audit", "/audit?since=2026-01-01&user=cli:x", "/report", "/report?since=2026-01-01"]


def make_app(store: EmbeddedStore, scenarios: Path) -> FastAPI:
    """The API app with the pages (added here too until api/app.py adds them itself)."""
    app = create_app(Settings(ZONEGRAPH_SCENARIOS=scenarios), store)
    pages.install(app)
    return app


def page(demo_client: TestClient, path: str, status: int = 200) -> str:
    r = demo_client.get(path)
    assert r.status_code == status, (path, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def query_paths() -> list[str]:
    paths = []
    for q in all_queries():
        needed = "&".join(f"{p.name}={SAMPLES[p.name]}" for p in q.params if p.required)
        paths.append(f"/queries/{q.name}" + (f"?{needed}" if needed else ""))
    return paths


@pytest.mark.parametrize("path", PAGES + query_paths())
def test_every_page_answers_and_loads_nothing_from_the_internet(
    demo_client: TestClient, path: str
) -> None:
    html = page(demo_client, path)
    assert not EXTERNAL.findall(html), EXTERNAL.findall(html)
    assert "http://" not in html and "https://" not in html
    assert '<html lang="zh-CN">' in html


def test_the_pages_own_static_files_load_nothing_from_the_internet(demo_client: TestClient) -> None:
    files = sorted((STATIC_DIR / "app").glob("*.*"))
    assert {f.suffix for f in files} >= {".css", ".js"}
    for f in files:
        r = demo_client.get(f"/static/app/{f.name}")
        assert r.status_code == 200
        assert "http://" not in r.text and "https://" not in r.text, f.name
    assert demo_client.get("/static/vendor/vis-network/vis-network.min.js").status_code == 200


def test_install_is_idempotent(demo_store: EmbeddedStore, tmp_path: Path) -> None:
    app = make_app(demo_store, tmp_path)
    before = len(app.router.routes)
    pages.install(app)
    assert len(app.router.routes) == before
    with TestClient(app, headers=bearer()) as c:
        assert c.get("/").status_code == 200
        assert not {"/", "/gaps", "/network"} & set(c.get("/openapi.json").json()["paths"])


def test_language_switch_sets_a_cookie_and_every_page_follows_it(demo_client: TestClient) -> None:
    assert "全区党建覆盖总览" in page(demo_client, "/")
    r = demo_client.get("/gaps?lang=en")
    assert r.cookies.get("lang") == "en" and '<html lang="en">' in r.text
    assert "Uncovered firms" in r.text
    assert "The zone at a glance" in page(demo_client, "/")  # the cookie is kept
    assert 'href="/gaps?lang=zh"' in r.text  # the toggle keeps the page
    assert "全区党建覆盖总览" in demo_client.get("/?lang=zh").text
    demo_client.cookies.clear()


def test_every_string_a_template_or_script_names_exists_in_both_languages() -> None:
    assert set(ZH) == set(EN)
    keys = set()
    for f in TEMPLATES_DIR.glob("*.html"):
        keys |= set(re.findall(r"\bt\('([\w.]+)'", f.read_text(encoding="utf-8")))
    for f in (STATIC_DIR / "app").glob("*.js"):
        keys |= set(re.findall(r"\bt\(\"([\w.]+)\"", f.read_text(encoding="utf-8")))
    prefixes = {k for k in keys if k.endswith(".")}  # t('nav.' ~ key): a family of keys
    assert len(keys) > 50
    assert not keys - prefixes - set(ZH)
    assert all(any(k.startswith(p) for k in ZH) for p in prefixes)


def test_dashboard_shows_the_zone_summary_and_one_bar_per_street(
    demo_client: TestClient, demo_store: EmbeddedStore
) -> None:
    html = page(demo_client, "/")
    summary = run_query(demo_store, "zone_summary")[0]
    streets = run_query(demo_store, "coverage_by", {"level": "street"})
    assert f"{summary['org_coverage_rate'] * 100:.1f}%" in html
    assert f">{summary['uncovered']}<" in html
    start = html.index('id="street-chart"')
    chart = html[start : html.index("</svg>", start)]
    assert chart.count('class="bar"') == len(streets)
    for link in ("/gaps", "/network", "/alliances", "/rules", "/queries/should_form_branch"):
        assert f'href="{link}' in html


def test_gap_filters_narrow_the_rows_and_the_downloads(
    demo_client: TestClient, demo_store: EmbeddedStore
) -> None:
    everyone = run_query(demo_store, "uncovered")
    street = everyone[0]["street"]
    some = run_query(demo_store, "uncovered", {"street": street, "min_members": 1})
    html = page(demo_client, f"/gaps?street={street}&min_members=1&grid=")
    assert 0 < len(some) < len(everyone)
    assert html.count('<td data-v="') // 6 == len(some)
    assert "/api/queries/uncovered?street=" in html and "min_members=1&amp;format=csv" in html
    assert "grid=&" not in html  # empty filters stay out of the links


def test_errors_are_pages_with_the_right_status(demo_client: TestClient) -> None:
    assert "E-NOPE" in page(demo_client, "/firms/E-NOPE", 404)
    page(demo_client, "/queries/no_such_query", 404)
    assert "level" in page(demo_client, "/queries/coverage_by?level=planet", 422)
    page(demo_client, "/alliances?alliance=NOPE", 404)


def test_query_runner_builds_its_form_from_the_parameters(demo_client: TestClient) -> None:
    html = page(demo_client, "/queries/next_recruit")
    assert '<select name="alliance">' in html and 'name="hops"' in html and 'max="6"' in html
    assert 'id="result-table"' not in html  # a required parameter is missing: no run yet
    html = page(demo_client, "/queries/next_recruit?alliance=A2&k=2")
    assert 'id="result-table"' in html and "/api/queries/next_recruit?alliance=A2&amp;k=2" in html
