"""The map page in a real browser over the demo zone (see :mod:`tests.browser`): every firm
drawn in its coverage colour, outlines named, a click opening the profile, a street filter,
and nothing asked of any other server (no tile server is set)."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import Page

from graph_model.store.embedded import EmbeddedStore
from tests.browser import STREET, needs_chromium, shoot, wait_until
from viz.graphdata import COVERAGE_COLORS
from viz.mapdata import COVERAGE_WORDS

pytestmark = needs_chromium

READY = "() => window.zonegraphMapReady === true"


def drawn(page: Page) -> dict[str, tuple[str | None, str | None]]:
    """Each firm drawn: its id → (fill colour, coverage word)."""
    found: dict[str, tuple[str | None, str | None]] = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('#map path.firm'))
             .map(p => [p.dataset.id, [p.getAttribute('fill'), p.dataset.coverage]]))"""
    )
    return found


def test_map_draws_firms_by_coverage_with_named_outlines_and_opens_profiles(
    page: Page, demo_store: EmbeddedStore
) -> None:
    firms = {
        r["id"]: r
        for r in demo_store.run(
            "MATCH (e:Enterprise) WHERE e.status = 'operating' AND e.lat IS NOT NULL "
            "RETURN e.id AS id, e.street AS street, e.grid AS grid, e.coverage AS coverage"
        )
    }
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto("/map")
    wait_until(page, READY)

    # Every placed operating firm, each in the colour of its stored coverage state.
    points = drawn(page)
    assert set(points) == set(firms)
    for fid, (fill, word) in points.items():
        expected = COVERAGE_WORDS[firms[fid]["coverage"]]
        assert (word, fill) == (expected, COVERAGE_COLORS[expected]), fid
    assert page.locator("#map").get_attribute("data-clusters") == "0"
    # The legend names the same colours, in the network view's words.
    legend = page.locator("#coverage-legend li")
    assert legend.all_inner_texts() == [
        "企业 · 单独组建",
        "企业 · 联合覆盖",
        "企业 · 工作覆盖",
        "企业 · 未覆盖",
    ]
    swatches = page.locator("#coverage-legend .dot")
    assert [swatches.nth(i).get_attribute("data-bg") for i in range(4)] == list(
        COVERAGE_COLORS.values()
    )

    # Street outlines are named where they can be read; grid names wait for a closer zoom.
    streets = sorted({f["street"] for f in firms.values() if f["street"]})
    labels = page.locator(".outline-label-street")
    assert sorted(labels.all_inner_texts()) == streets
    assert all(labels.nth(i).is_visible() for i in range(labels.count()))
    grids = {f["grid"] for f in firms.values() if f["grid"]}
    assert page.locator(".outline-label-grid").count() == len(grids)
    assert page.locator("path.outline-street").count() == len(streets)
    assert page.locator("#street-legend li").count() == len(streets)
    assert page.locator("#placeless").is_hidden()  # the demo places every firm
    shoot(page, "map")

    # A street: only its firms, its outline and its grids' outlines.
    page.select_option("#map-street", STREET)
    wait_until(page, READY)
    points = drawn(page)
    assert points and all(firms[fid]["street"] == STREET for fid in points)
    assert len(points) == sum(f["street"] == STREET for f in firms.values())
    assert page.locator(".outline-label-street").all_inner_texts() == [STREET]
    assert "street=" in page.url

    # A click on a firm (the one on top at that spot) opens its profile.
    fid, x, y = page.evaluate(
        """() => {
          for (const p of document.querySelectorAll('#map path.firm')) {
            const b = p.getBoundingClientRect();
            const x = b.left + b.width / 2, y = b.top + b.height / 2;
            const top = document.elementFromPoint(x, y);
            if (top && top.classList.contains('firm')) return [top.dataset.id, x, y];
          }
          return [null, 0, 0];
        }"""
    )
    assert fid is not None
    page.mouse.click(x, y)
    page.wait_for_url(f"**/firms/{fid}")
    assert fid in page.locator("h1").inner_text() or fid in page.content()

    # Over the cap, firms are binned: every firm in some circle; a click zooms into one.
    page.goto("/map?cap=200")
    wait_until(page, READY)
    circles = page.locator("#map path.cluster")
    assert circles.count() > 0 and page.locator("#map path.firm").count() == 0
    assert sum(
        int(circles.nth(i).get_attribute("data-firms") or 0) for i in range(circles.count())
    ) == len(firms)
    assert "超过显示上限（200 家）" in page.locator("#map-note").inner_text()
    draws = page.locator("#map").get_attribute("data-draws")
    zoom = page.evaluate("() => window.zonegraphMap.getZoom()")
    biggest = max(
        range(circles.count()), key=lambda i: int(circles.nth(i).get_attribute("data-firms") or 0)
    )
    box = circles.nth(biggest).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_until(page, "d => document.getElementById('map').dataset.draws !== d", draws)
    assert page.evaluate("() => window.zonegraphMap.getZoom()") > zoom
    shoot(page, "map-binned")

    # On a phone the map fills the width and still draws every firm of the street.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/map?street={STREET}")
    wait_until(page, READY)
    box = page.locator("#map").bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] >= 300
    assert len(drawn(page)) == len(points)
    shoot(page, "map-phone")

    # Nothing was asked of any other server, and no tile of any kind.
    assert {urlparse(u).hostname for u in asked} == {"127.0.0.1"}
    assert not [u for u in asked if "tile" in u or u.endswith(".png")]
