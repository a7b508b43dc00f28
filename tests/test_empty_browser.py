"""Zones with parts missing, in a real browser: every main page draws without a script
error and says what is missing, for a zone with nothing loaded, one without alliances and
one whose firms lack a street or grid (the shapes of ``tests/test_empty_zones.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from tests.browser import local_page, needs_chromium, serve, shoot, wait_until
from tests.test_empty_zones import SHAPES
from tests.test_pages import make_app

pytestmark = needs_chromium

#: Each main page, and how the page says it is ready when a script draws it.
PAGES = {
    "/": None,
    "/gaps": None,
    "/network": "() => window.zonegraphNetworkReady === true",
    "/map": "() => window.zonegraphMapReady === true",
    "/alliances": None,
    "/rules": None,
    "/report": None,
}


@pytest.fixture(params=["empty", "no_alliances", "unfilled"])
def shape_url(
    request: pytest.FixtureRequest, embedded: EmbeddedStore, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    shape: str = request.param
    tables = SHAPES[shape]
    if tables is not None:
        load_tables(embedded, tables, source="test")
    with serve(make_app(embedded, tmp_path / "scenarios")) as url:
        yield shape, url


def test_every_main_page_draws_and_says_what_is_missing(
    browser: Browser, shape_url: tuple[str, str]
) -> None:
    shape, url = shape_url
    # local_page fails the test on any console or page error (a 404 a script fetched too).
    with local_page(browser, url) as page:
        for path, ready in PAGES.items():
            response = page.goto(path)
            assert response is not None and response.status == 200, (shape, path)
            if ready:
                wait_until(page, ready)
            text = page.locator("main").inner_text()
            assert "Traceback" not in text and "undefined" not in text, (shape, path)
            if shape == "empty" or (shape == "no_alliances" and path == "/alliances"):
                # Something on the page says why it is empty.
                assert page.locator(".empty-state").count() >= 1, (shape, path)
            shoot(page, f"empty-{shape}-{path.strip('/') or 'dashboard'}")
