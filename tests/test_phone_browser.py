"""The pages on a phone (Chromium at 390×844) and an empty state in a real browser.

At 390 px the nav folds behind a menu button that opens it, no page scrolls sideways, tables
with class ``data`` show one card per row with each value labelled by its column's heading,
the dashboard's chart switches to its narrow layout with labels of a readable size, and the
network's canvas and buttons fit the screen. Screenshots go to ``test-artifacts/phone-*``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from api.i18n import ZH
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from tests.browser import (
    local_page,
    needs_chromium,
    serve,
    shoot,
    wait_for_network,
)
from tests.test_pages import make_app
from tests.zones import small_zone

pytestmark = needs_chromium

PHONE = {"width": 390, "height": 844}


def _phone_page(browser: Browser, url: str) -> Iterator[Page]:
    """A signed-in organizer's page at phone size that may reach only ``url``'s server;
    console errors fail the test."""
    with local_page(
        browser, url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    ) as p:
        yield p


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from _phone_page(browser, base_url)


def no_sideways_scroll(page: Page) -> bool:
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


CARD_PAGES = {
    "gaps": "/gaps",
    "rules": "/rules",
    "queries": "/queries",
    "query": "/queries/coverage_by",
    "firm": "/firms/E0009",
    "alliances": "/alliances",
}


def test_pages_fit_a_phone_with_a_folded_nav_and_tables_as_cards(phone: Page) -> None:
    page = phone
    page.goto("/")
    nav = page.locator("header .nav")
    toggle = page.locator("#menu-toggle")
    assert toggle.is_visible() and not nav.is_visible()
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 80  # was 200 px with the nav inline
    assert no_sideways_scroll(page)
    # The chart's narrow layout: labels above the bars, drawn at a readable size.
    assert not page.locator("#street-chart").is_visible()
    narrow = page.locator("#street-chart-narrow")
    assert narrow.is_visible()
    label = narrow.locator(".bar-label").first.bounding_box()
    assert label is not None and label["height"] >= 11
    shoot(page, "phone-dashboard")

    toggle.click()
    assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    links = nav.locator("a")
    assert links.count() >= 6
    assert all((links.nth(i).bounding_box() or {"x": 999})["x"] < 390 for i in range(links.count()))
    assert page.locator("#lang-en").is_visible()
    shoot(page, "phone-menu", full_page=False)
    toggle.click()
    assert not nav.is_visible()

    for name, path in CARD_PAGES.items():
        page.goto(path)
        assert not nav.is_visible(), path
        assert no_sideways_scroll(page), path
        table = page.locator("table.data").first
        row = table.locator("tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "block", path
        head = table.locator("thead").bounding_box()
        assert head is not None and head["height"] <= 1, path  # headings moved into the cards
        cell = row.locator("td[data-label]:not([data-label=''])").first
        heading = cell.get_attribute("data-label")
        shown = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert heading and shown.strip('"') == heading, (path, heading, shown)
        box = row.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, path
        if name == "gaps":  # a firm's name keeps its line: it is not wrapped every few chars
            names = table.locator("td[data-col=name]").first
            size = names.bounding_box()
            assert size is not None and size["width"] > 300 and size["height"] < 70
        shoot(page, f"phone-{name}")


def test_the_network_fits_a_phone(phone: Page) -> None:
    page = phone
    page.goto("/network")
    wait_for_network(page, "zone")
    assert no_sideways_scroll(page)
    canvas = page.locator("#network canvas").bounding_box()
    assert canvas is not None and canvas["width"] > 300 and canvas["x"] + canvas["width"] <= 390
    for button in page.locator("main button").all():
        if button.is_visible():
            box = button.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    shoot(page, "phone-network", full_page=False)


@pytest.fixture
def no_alliances_url(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[str]:
    """A server over the small zone without its alliances."""
    zone = small_zone()
    zone["alliances"], zone["alliance_members"] = [], []
    load_tables(embedded, zone, source="test")
    with serve(make_app(embedded, tmp_path / "scenarios")) as url:
        yield url


def test_a_zone_without_alliances_shows_how_to_import_them(
    browser: Browser, no_alliances_url: str
) -> None:
    for page in _phone_page(browser, no_alliances_url):
        response = page.goto("/alliances")
        assert response is not None and response.status == 200
        message = page.locator("#alliances-empty")
        assert message.is_visible()
        assert message.inner_text().strip() == ZH["empty.alliances"]
        assert "alliances.csv" in message.inner_text() and "导入" in message.inner_text()
        assert no_sideways_scroll(page)
        shoot(page, "phone-alliances-empty")
        # The dashboard names the street left blank (E5) instead of a bare dash.
        page.goto("/")
        labels = page.locator("#street-chart-narrow .bar-label").evaluate_all(
            "texts => texts.map((t) => t.textContent)"
        )
        assert ZH["empty.no_street"] in labels and "—" not in labels
        # A wide screen keeps the wide chart, the inline nav and tables as tables.
        page.set_viewport_size({"width": 1400, "height": 900})
        assert page.locator("#street-chart").is_visible()
        assert not page.locator("#street-chart-narrow").is_visible()
        assert page.locator("header .nav").is_visible()
        assert not page.locator("#menu-toggle").is_visible()
        row = page.locator("table.data tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "table-row"
