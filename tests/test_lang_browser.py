"""Chinese throughout, and the API's documentation offline, in a real browser.

Every page of the app is opened in Chinese and searched for English (tests/lang_check.py);
page downloads are named and headed in the page's language; ``/docs`` and ``/redoc`` draw
the API's operations from the vendored assets with every request off this server blocked
(the ``page`` fixture fails a test that makes one).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import urlparse

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, Route

from queries.catalog import all_queries, get_query
from tests.auth import session_cookie
from tests.browser import ARTIFACTS, STREET, needs_chromium, shoot, wait_until
from tests.lang_check import english_in, visible_text

pytestmark = needs_chromium

#: A value for each required parameter, so every query page shows rows.
SAMPLES = {"alliance": "A1", "text": "长春"}


def chinese_pages() -> list[tuple[str, int]]:
    """Every page a person reaches, with the status it answers (errors included)."""
    pages = [
        ("/", 200),
        ("/gaps", 200),
        (f"/gaps?street={STREET}", 200),
        ("/network", 200),
        ("/network?scope=firm:E0011&hops=1", 200),
        ("/map", 200),
        ("/report", 200),
        ("/alliances?alliance=A1", 200),
        ("/rules", 200),
        ("/queries", 200),
        ("/firms/E0009", 200),
        ("/import", 200),
        ("/audit", 200),
    ]
    for q in all_queries():
        needed = "&".join(f"{p.name}={SAMPLES[p.name]}" for p in q.params if p.required)
        pages.append((f"/queries/{q.name}" + (f"?{needed}" if needed else ""), 200))
    pages += [
        ("/no-such-page", 404),
        ("/firms/E99999", 404),
        ("/queries/nosuchquery", 404),
        ("/queries/alliance_reach?alliance=A1&hops=9", 422),
        ("/queries/uncovered?min_members=many", 422),
        ("/queries/bridging_firms?scope=moon", 422),
        ("/alliances?alliance=NOPE", 404),
        ("/gaps?min_members=abc", 422),
    ]
    return pages


def test_no_english_on_any_chinese_page(page: Page, base_url: str) -> None:
    # An admin sees every page (the import page and the audit trail included).
    name, value = session_cookie("admin")
    page.context.add_cookies([{"name": name, "value": value, "url": base_url}])
    page.context.add_cookies([{"name": "lang", "value": "zh", "url": base_url}])
    found: dict[str, list[str]] = {}
    # Error pages on a page of their own: the browser logs their status as a console error,
    # which the fixture's page counts as a failure.
    errors = page.context.new_page()
    for path, status in chinese_pages():
        tab = page if status == 200 else errors
        response = tab.goto(path)
        assert response is not None and response.status == status, path
        tab.wait_for_load_state("load")
        if path.startswith("/network"):
            wait_until(tab, "() => window.zonegraphNetworkReady === true")
        if path == "/map":
            wait_until(tab, "() => window.zonegraphMapReady === true")
        assert tab.locator("html").get_attribute("lang") == "zh-CN", path
        english = english_in(visible_text(tab))
        if english:
            found[path] = english
    page.goto("/queries/studio_assignment")
    assert page.locator("ul.notes li").count() >= 1
    shoot(page, "lang-studio-assignment-zh")
    (ARTIFACTS / "lang-english-found.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    assert not found, found


def test_page_downloads_speak_the_page_language(page: Page) -> None:
    columns = list(get_query("uncovered").columns)
    page.goto(f"/gaps?street={STREET}&lang=zh")
    with page.expect_download() as got:
        page.click("a.dl-xlsx")
    name = got.value.suggested_filename
    assert name.startswith(f"未覆盖企业_{STREET}_") and name.endswith(".xlsx"), name
    book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    # Worded as the page's own table heads them.
    shown = [h.strip() for h in page.locator("#gap-table th").all_inner_texts()]
    assert header == shown and len(header) == len(columns) and "街道" in header
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width >= 6

    page.goto(f"/gaps?street={STREET}&lang=en")
    with page.expect_download() as got:
        page.click("a.dl-csv")
    assert got.value.suggested_filename.startswith(f"Uncovered-firms_{STREET}_")
    text = Path(got.value.path()).read_text(encoding="utf-8-sig")
    shown = [h.strip() for h in page.locator("#gap-table th").all_inner_texts()]
    assert text.splitlines()[0] == ",".join(shown)


def test_swagger_ui_renders_the_operations_offline(page: Page) -> None:
    page.goto("/docs")
    wait_until(page, "() => document.querySelectorAll('.opblock').length > 20")
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/queries/uncovered" in s for s in summaries)
    page.locator(".opblock-summary-path", has_text="/api/queries/uncovered").first.click()
    assert page.locator(".parameters-container").first.is_visible()
    shoot(page, "docs-swagger", full_page=False)


def test_redoc_renders_the_operations_offline(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 1400, "height": 1000})
    name, value = session_cookie("viewer")
    context.add_cookies([{"name": name, "value": value, "url": base_url}])
    blocked: list[str] = []
    context.route("**/*", lambda route: local_only(route, blocked))
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.goto("/redoc")
        wait_until(tab, "() => document.querySelectorAll('[data-section-id]').length > 20")
        assert "/api/queries/uncovered" in tab.locator("body").inner_text()
        shoot(tab, "docs-redoc", full_page=False)
    finally:
        context.close()
    assert not blocked, blocked
    # The one refusal: the Redocly badge's logo on a CDN, stopped by the page's policy
    # before any request is made (so none is blocked above).
    assert all("cdn.redoc.ly" in e for e in errors), errors


def local_only(route: Route, blocked: list[str]) -> None:
    if urlparse(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        blocked.append(route.request.url)
        route.abort()
