"""The network page's moves in a real browser (Debian's Chromium) over the demo zone: labels
by zoom, fit and full screen, style choices and their legend, in-view filters, PNG and SVG
export, search that locates a firm outside the view, expand and hide with Back, the supply
path and the coverage chain, saved views reopened by URL, and the buttons on a phone.

Each test loads a page once and walks through several moves (the suite's time is short).
"""

from __future__ import annotations

import re
import struct
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.auth import session_cookie
from tests.browser import TIMEOUT_MS, needs_chromium, shoot, wait_for_network, wait_until
from viz.export import export_text

pytestmark = needs_chromium

#: The demo zone's largest firm: its 1-hop view has some 200 nodes.
FIRM = "E0011"


def net(page: Page, js: str, arg: object = None) -> object:
    """Evaluate ``js`` (a function of the page's network API ``N`` and ``arg``)."""
    return page.evaluate(
        f"([arg]) => {{ const N = window.zonegraphNet; return ({js})(N, arg); }}", [arg]
    )


def labelled(page: Page) -> set[str]:
    return set(net(page, "(N) => N.labelledIds()"))  # type: ignore[arg-type]


def labels_settled(page: Page) -> None:
    """Until the labels follow the current zoom (they are placed after a frame)."""
    page.wait_for_timeout(150)
    wait_until(page, "() => document.getElementById('network').dataset.labels !== undefined")


def present(page: Page) -> set[str]:
    return set(net(page, "(N) => [...N.M.present]"))  # type: ignore[arg-type]


def test_labels_buttons_style_filters_and_exports(page: Page, tmp_path: Path) -> None:
    page.goto(f"/network?scope=firm:{FIRM}&hops=1")
    wait_for_network(page, f"firm:{FIRM}")
    net(page, "(N) => N.network.stopSimulation()")
    page.click("#net-fit")
    labels_settled(page)
    shown = int(page.locator("#network").get_attribute("data-shown") or 0)
    assert shown > 150

    # The focal firm is drawn with a thick border and always labelled; at the fitted zoom
    # only some nodes carry labels (those that fit without covering one another).
    focal = net(page, "(N, id) => N.nodes.get(id)", FIRM)
    assert focal["borderWidth"] == 4 and focal["label"] == "卡斯马"  # type: ignore[index]
    fitted = labelled(page)
    assert FIRM in fitted and 3 < len(fitted) < shown / 3
    fit_scale = net(page, "(N) => N.network.getScale()")
    # Zooming in makes room: nodes unlabelled before get labels, at the same size on screen.
    net(
        page,
        "(N, id) => N.network.moveTo({position: N.network.getPosition(id), "
        "scale: N.network.getScale() * 5, animation: false})",
        FIRM,
    )
    labels_settled(page)
    wait_until(page, "(n) => window.zonegraphNet.labelledIds().length > 0", None)
    zoomed = labelled(page)
    assert zoomed - fitted, "zooming in labels nodes that were unlabelled"
    size = net(page, "(N, id) => N.nodes.get(id).font.size * N.network.getScale()", FIRM)
    assert 11 < size < 16  # type: ignore[operator]
    page.click("#net-fit")
    assert abs(net(page, "(N) => N.network.getScale()") / fit_scale - 1) < 0.1  # type: ignore[operator]

    # No English in the Chinese UI: the tooltips of lines, the legend and the buttons.
    titles = net(page, "(N) => N.network.body.data.edges.get().map((e) => e.title)")
    assert titles and not [x for x in titles if re.search(r"[A-Za-z]{3,}", x)]  # type: ignore[union-attr]
    legend = page.locator("#legend-body").inner_text()
    assert "供应" in legend and not re.search(r"[A-Za-z]{3,}", legend)
    # The coverage legend is worded as the offline export words its own ("企业 · 单独组建").
    exported = export_text("zh")
    words = [
        re.sub(r"[\s\d()（）]+$", "", w).strip()
        for w in page.locator("#legend-body ul[data-by=coverage] li").all_inner_texts()
    ]
    assert len(words) >= 3 and all(
        any(exported[c].endswith(f" · {w}") for c in ("own", "joint", "work", "uncovered"))
        for w in words
    ), words
    assert not re.search(
        r"[A-Za-z]{3,}",
        page.locator(".net-toolbar").inner_text().replace("PNG", "").replace("SVG", ""),
    )

    # Colour by industry: the legend follows, and a firm wears its industry's colour.
    page.select_option("#style-form select[name=colour]", "industry")
    assert page.locator("#legend-body ul[data-by=industry]").count() == 1
    item = page.locator("#legend-body li", has_text="汽车零部件").first
    swatch = item.locator(".dot").evaluate("s => getComputedStyle(s).backgroundColor")
    colour = net(page, "(N, id) => N.nodes.get(id).color.background", FIRM)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[index]
    assert swatch == f"rgb({r}, {g}, {b})"
    page.select_option("#style-form select[name=label]", "id")
    labels_settled(page)
    assert net(page, "(N, id) => N.nodes.get(id).label", FIRM) == FIRM
    page.select_option("#style-form select[name=size]", "party_members")
    assert "党员人数" in page.locator("#legend-body").inner_text()

    # Filters inside the view: party members ≥ 100 and no supply lines.
    page.fill("#filter-form input[name=members]", "100")
    page.locator("#filter-form input[name=members]").dispatch_event("change")
    firms = net(
        page,
        "(N) => [...N.M.shown].map((id) => N.M.cache.get(id))"
        ".filter((n) => n.label === 'Enterprise').map((n) => [n.id, n.props.party_members])",
    )
    assert firms and all(m >= 100 for i, m in firms if i != FIRM)  # type: ignore[union-attr]
    assert int(page.locator("#network").get_attribute("data-shown") or 0) < shown
    assert "显示" in page.locator("#filter-count").inner_text()
    page.uncheck("#filter-form input[name=rels][value=SUPPLIES]")
    visible = net(
        page,
        "(N) => N.network.body.data.edges.get().filter((e) => !e.hidden)"
        ".map((e) => e.id.split('|')[1])",
    )
    assert visible and "SUPPLIES" not in visible  # type: ignore[operator]
    shoot(page, "network-filtered", full_page=False)
    page.click("#filter-form button[type=reset]")
    wait_until(page, "(n) => +document.getElementById('network').dataset.shown === n", shown)

    # Exports: a PNG of the canvas and an SVG built from the positions.
    with page.expect_download() as png:
        page.click("#net-png")
    png_path = tmp_path / png.value.suggested_filename
    png.value.save_as(png_path)
    data = png_path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and png.value.suggested_filename.endswith(".png")
    width, height = struct.unpack(">II", data[16:24])
    assert width > 300 and height > 300
    with page.expect_download() as svg:
        page.click("#net-svg")
    svg_path = tmp_path / svg.value.suggested_filename
    svg.value.save_as(svg_path)
    root = ET.parse(svg_path).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    nodes = root.findall("s:g[@class='nodes']/s:g", ns)
    assert len(nodes) == shown
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert FIRM in texts and any("汽车零部件" in (t or "") for t in texts)  # the legend too

    # Full screen: the drawing covers the window, and the same button brings it back.
    page.click("#net-full")
    box = page.locator("#network").bounding_box()
    assert box is not None and box["width"] >= 1390 and box["height"] >= 990
    assert page.locator("#net-full").inner_text() == "退出全屏"
    shoot(page, "network-full-screen", full_page=False)
    page.click("#net-full")
    assert not page.locator("#net-stage.net-full").count()


def test_search_expand_hide_back_path_and_chain(page: Page) -> None:
    page.goto(f"/network?scope=firm:{FIRM}&hops=1")
    wait_for_network(page, f"firm:{FIRM}")
    before = present(page)

    # A firm outside the view: search finds it, adds it and centres it.
    outside = page.evaluate(
        """async (ids) => {
            const r = await (await fetch('/api/enterprises?q=%E5%85%AC%E5%8F%B8&limit=200')).json();
            return r.rows.find((f) => !ids.includes(f.id) && f.name);
        }""",
        sorted(before),
    )
    assert outside is not None
    page.fill("#search-q", outside["name"])
    page.click("#search-form button")
    page.locator(f".search-hit[data-id='{outside['id']}']").click()
    wait_until(page, "(id) => window.zonegraphNet.M.present.has(id)", outside["id"])
    wait_until(
        page, "(id) => window.zonegraphNet.network.getSelectedNodes()[0] === id", outside["id"]
    )
    where = net(page, "(N, id) => N.network.canvasToDOM(N.network.getPosition(id))", outside["id"])
    box = page.locator("#network").bounding_box()
    assert box is not None
    assert abs(where["x"] - box["width"] / 2) < 5 and abs(where["y"] - box["height"] / 2) < 5  # type: ignore[index]
    assert outside["id"] in labelled(page)
    page.locator("#profile-body dl").wait_for()
    assert "加入视图" in page.locator("#net-msg").inner_text()

    # Expand a firm by one kind of relationship, then go back.
    page.select_option("#net-rels", "SUPPLIES")
    page.click("#net-expand")
    wait_until(page, "(n) => window.zonegraphNet.M.present.size > n", len(before) + 1)
    grown = present(page)
    assert "展开" in page.locator("#net-msg").inner_text()
    assert page.locator("#net-back").is_enabled()
    page.click("#net-back")
    assert present(page) == before | {outside["id"]}
    page.click("#net-back")
    assert present(page) == before and not page.locator("#net-back").is_enabled()
    assert len(grown) > len(before) + 1

    # Hide the selection; Back brings it back.
    net(page, "(N, id) => N.select(id)", FIRM)
    page.click("#net-hide")
    assert FIRM not in present(page)
    page.click("#net-back")
    assert FIRM in present(page)

    # The shortest supply path to a firm two hops away, drawn and highlighted.
    target = page.evaluate(
        """async ([firm, ids]) => {
            const get = async (id) => (await (await fetch(
                '/api/graph/neighbors?rels=SUPPLIES&id=' + id)).json()).nodes;
            for (const near of await get(firm)) {
                if (near.id === firm) continue;
                const far = (await get(near.id)).find((n) => !ids.includes(n.id));
                if (far) return far.id;
            }
            return null;
        }""",
        [FIRM, sorted(before)],
    )
    assert target
    page.fill("#path-from", FIRM)
    page.fill("#path-to", target)
    page.click("#path-form button[type=submit]")
    wait_until(page, "() => !!document.getElementById('path-result').dataset.path")
    path = (page.locator("#path-result").get_attribute("data-path") or "").split(",")
    assert path[0] == FIRM and path[-1] == target and len(path) == 3
    assert "→" in page.locator("#path-result").inner_text()
    lit = net(page, "(N) => ({nodes: [...N.M.highlight.nodes], edges: [...N.M.highlight.edges]})")
    assert set(lit["nodes"]) == set(path) and len(lit["edges"]) == 2  # type: ignore[index]
    assert set(path) <= present(page)
    assert net(page, "(N, id) => N.nodes.get(id).borderWidth", target) == 4
    shoot(page, "network-path", full_page=False)

    # How the focal firm is covered: the chain up to the street, highlighted.
    page.click("#net-clear")
    net(page, "(N, id) => N.select(id)", FIRM)
    page.click("#net-chain")
    wait_until(page, "() => !!document.getElementById('net-msg').dataset.chain")
    chain = (page.locator("#net-msg").get_attribute("data-chain") or "").split(",")
    assert chain[0] == FIRM and len(chain) >= 2
    assert "覆盖链" in page.locator("#net-msg").inner_text()
    shoot(page, "network-coverage-chain", full_page=False)


def test_a_saved_view_reopens_by_url(page: Page) -> None:
    name = f"测试视图-{uuid.uuid4().hex[:6]}"
    page.goto(f"/network?scope=firm:{FIRM}&hops=1")
    wait_for_network(page, f"firm:{FIRM}")
    page.select_option("#style-form select[name=colour]", "street")
    page.fill("#filter-form input[name=members]", "5")
    page.locator("#filter-form input[name=members]").dispatch_event("change")
    gone = net(page, "(N, id) => [...N.M.present].find((i) => i !== id && N.M.shown.has(i))", FIRM)
    net(page, "(N, id) => N.select(id)", gone)
    page.click("#net-hide")
    # A node dragged somewhere, the layout at rest (as after a user's drag).
    net(
        page,
        "(N, id) => { N.network.stopSimulation(); N.network.moveNode(id, 4321, -1234); }",
        FIRM,
    )
    page.click("#views-panel summary")
    page.fill("#view-name", name)
    page.click("#view-save")
    page.locator("#view-list a.view-link", has_text=name).wait_for()
    assert name in page.locator("#view-msg").inner_text()

    page.goto("/network?view=" + name)
    wait_until(page, "(n) => document.getElementById('network').dataset.view === n", name)
    assert page.locator("#style-form select[name=colour]").input_value() == "street"
    assert page.locator("#filter-form input[name=members]").input_value() == "5"
    assert page.locator("#legend-body ul[data-by=street]").count() == 1
    assert gone not in present(page)
    where = net(page, "(N, id) => N.network.getPosition(id)", FIRM)
    assert abs(where["x"] - 4321) < 2 and abs(where["y"] + 1234) < 2  # type: ignore[index]
    assert "view=" in page.url
    shoot(page, "network-saved-view", full_page=False)

    page.locator("#view-list li", has_text=name).locator("button").click()
    page.locator("#view-list a.view-link", has_text=name).wait_for(state="detached")


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    name, value = session_cookie("viewer")
    context.add_cookies([{"name": name, "value": value, "url": base_url}])
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    p = context.new_page()
    p.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield p
    finally:
        context.close()
    assert not errors, errors


def test_the_buttons_are_there_on_a_phone(phone: Page) -> None:
    phone.goto(f"/network?scope=firm:{FIRM}&hops=1")
    wait_for_network(phone, f"firm:{FIRM}")
    for button in ("#net-fit", "#net-reset", "#net-back", "#net-full", "#net-expand", "#net-png"):
        box = phone.locator(button).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, button
        assert box["height"] >= 32, button
    fit_scale = net(phone, "(N) => N.network.getScale()")
    # A tap on a firm selects it; zoomed far in, Fit is the way back.
    net(
        phone,
        "(N, id) => N.network.moveTo({position: N.network.getPosition(id), scale: 4, "
        "animation: false})",
        FIRM,
    )
    phone.locator("#net-fit").tap()
    assert abs(net(phone, "(N) => N.network.getScale()") / fit_scale - 1) < 0.1  # type: ignore[operator]
    phone.locator("#net-full").tap()
    box = phone.locator("#network").bounding_box()
    assert box is not None and box["width"] >= 385 and box["height"] >= 800
    assert phone.locator("#net-fit").is_visible()
    shoot(phone, "network-phone-full-screen", full_page=False)
    phone.locator("#net-full").tap()
    shoot(phone, "network-phone", full_page=False)
