"""The dashboard's trend and rate-sorted bars, and the /report page printed on A4, in
Chromium, over a zone with a history (the demo zone, then one edit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from api.app import create_app
from graph_model.changes import ChangeSet, Origin
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from loaders.demo import demo_tables
from loaders.load import load_tables
from queries.catalog import run_query
from tests.browser import local_page, needs_chromium, serve, shoot

pytestmark = needs_chromium


@pytest.fixture
def history_page(browser: Browser, embedded: EmbeddedStore, tmp_path: Path) -> Iterator[Page]:
    """A signed-in page over a server of its own: the demo zone, then studio work reaching
    its first uncovered firm (two snapshots, so a trend)."""
    load_tables(embedded, demo_tables(), source="demo")
    firm = run_query(embedded, "uncovered")[0]["id"]
    studio = run_query(embedded, "studio_load")[0]["id"]
    edit = ChangeSet()
    edit.upsert(
        "coverage", {"coverer_id": studio, "enterprise_id": firm, "mode": "work"}, Origin("t", 1)
    )
    embedded.apply(edit)
    with serve(create_app(Settings(ZONEGRAPH_SCENARIOS=tmp_path / "s"), embedded)) as url:
        with local_page(browser, url, role="viewer") as page:
            yield page


def test_dashboard_trend_and_the_report_printed_on_a4(history_page: Page) -> None:
    page = history_page
    page.goto("/?rate=org_coverage")
    # Bars sorted by the rate they show, and the trend: one line per rate.
    figures = [
        float(t.rstrip("%")) for t in page.locator("#street-chart .bar-value").all_text_contents()
    ]
    assert len(figures) >= 3 and figures == sorted(figures)
    assert page.locator("#rate-select").input_value() == "org_coverage"
    assert page.locator("#trend-chart polyline").count() == 3
    shoot(page, "dashboard-trend")

    page.goto("/report")
    assert page.locator("nav.nav a[href='/report']").is_visible()
    for section in ("rates", "gaps", "rules", "studios", "alliances"):
        assert page.locator(f"#report-{section}").is_visible()
    change = page.locator("#report-rates tr[data-rate='coverage'] .change").inner_text()
    assert change.startswith("+") and change != "+0.0"  # the edit covered one more firm
    assert page.locator("#report-trend polyline").count() == 3
    shoot(page, "report")

    # As printed: no app header or form, the report across an A4 page.
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.locator("#report-form").is_visible()
    assert page.locator("#report-gaps").is_visible()
    shoot(page, "report-print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
