"""The pages in a real browser (Debian's Chromium driven by Playwright) against a real
uvicorn server over the demo zone in an embedded store.

Every request that is not for the local server is blocked, and any console error or page
error fails the test. Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, Route

from api.accounts import open_accounts
from api.i18n import Translator
from graph_model.settings import load_settings
from graph_model.store.embedded import EmbeddedStore
from queries.catalog import get_query, run_query
from queries.scenarios import Change, Scenario, diff_scenario, reach_net
from tests.browser import (
    STREET,
    TIMEOUT_MS,
    needs_chromium,
    serve,
    shoot,
    wait_for_network,
)

pytestmark = needs_chromium


@pytest.mark.parametrize(
    "path",
    ["/", "/gaps", "/alliances", "/firms/E0009", "/rules", "/queries", "/queries/uncovered"],
)
def test_each_page_loads_without_console_errors(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok
    page.wait_for_load_state("load")
    assert page.locator("header.top").is_visible()
    assert page.locator("h1").first.inner_text().strip()
    if path == "/":
        assert page.locator("#street-chart rect").count() >= 3
        shoot(page, "dashboard")
    # Colours the server computes are set by the page's script (the CSP allows no style="").
    for swatch in page.locator("[data-bg]").all()[:20]:
        shown = swatch.evaluate("n => getComputedStyle(n).backgroundColor")
        assert shown not in ("", "rgba(0, 0, 0, 0)"), path


def test_network_draws_opens_aggregates_and_shows_profiles(page: Page) -> None:
    page.goto("/network")
    wait_for_network(page, "zone")
    canvas = page.locator("#network canvas")
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    assert page.locator("#net-note").is_visible()  # the zone is aggregated per grid
    shoot(page, "network", full_page=False)

    # Clicking an aggregated node opens its scope.
    frame = page.locator("#network").bounding_box()
    assert frame is not None
    target = page.evaluate(
        """() => {
            const net = window.zonegraphNetwork;
            const id = net.body.data.nodes.getIds().find((i) => i.startsWith('grid:'));
            net.moveTo({position: net.getPosition(id), scale: 1.5, animation: false});
            const p = net.canvasToDOM(net.getPosition(id));
            return {id: id, x: p.x, y: p.y, hit: net.getNodeAt(p)};
        }"""
    )
    assert target["hit"] == target["id"]
    page.mouse.click(frame["x"] + target["x"], frame["y"] + target["y"])
    wait_for_network(page, target["id"])
    assert "scope=grid" in page.url

    # Clicking a firm shows its profile in the side panel.
    firm = page.evaluate(
        """() => {
            const net = window.zonegraphNetwork;
            net.stopSimulation();
            net.moveTo({scale: 1.5, animation: false});
            const ids = net.body.data.nodes.getIds().filter((i) => /^E\\d+$/.test(i));
            const box = document.getElementById('network').getBoundingClientRect();
            for (const id of ids) {
                const p = net.canvasToDOM(net.getPosition(id));
                if (p.x > 20 && p.y > 20 && p.x < box.width - 20 && p.y < box.height - 20
                    && net.getNodeAt(p) === id) return {id: id, x: p.x, y: p.y};
            }
            return null;
        }"""
    )
    assert firm is not None
    frame = page.locator("#network").bounding_box()  # the note above it has gone
    assert frame is not None
    page.mouse.click(frame["x"] + firm["x"], frame["y"] + firm["y"])
    page.locator("#profile-body dl").wait_for()
    assert firm["id"] in page.locator("#profile-body").inner_text()


def test_network_search_and_scope_form(page: Page) -> None:
    page.goto("/network?scope=alliance:A1&hops=1&size_by=party_members")
    wait_for_network(page, "alliance:A1")
    page.fill("#search-q", "一汽法雷奥")
    page.click("#search-form button")
    page.locator(".search-hit").first.click()
    page.locator("#profile-body dl").wait_for()
    assert "一汽法雷奥" in page.locator("#profile-body").inner_text()

    street = STREET
    page.select_option("#scope-kind", "street")
    page.select_option("select[name=street]", street)
    page.click("#scope-form button[type=submit]")
    wait_for_network(page, f"street:{street}")
    assert page.locator("#network canvas").bounding_box() is not None


def test_gap_filter_changes_the_rows_and_columns_sort(
    page: Page, demo_store: EmbeddedStore
) -> None:
    page.goto("/gaps")
    rows = page.locator("#gap-table tbody tr")
    everyone = rows.count()
    assert everyone == len(run_query(demo_store, "uncovered"))
    page.select_option("#gap-filters select[name=street]", STREET)
    page.fill("#gap-filters input[name=min_members]", "1")
    with page.expect_navigation():
        page.click("#gap-filters button[type=submit]")
    some = rows.count()
    assert 0 < some < everyone
    streets = page.locator("#gap-table td[data-col=street]").all_inner_texts()
    assert set(streets) == {STREET}

    header = page.locator("#gap-table th[data-col=party_members]")
    header.click()
    header.click()  # descending
    cells = page.locator("#gap-table td[data-col=party_members]")
    members = [int(v) for v in cells.all_inner_texts()]
    assert members == sorted(members, reverse=True)
    shoot(page, "gaps")


def test_downloads_are_valid_csv_and_xlsx(page: Page, demo_store: EmbeddedStore) -> None:
    page.goto(f"/gaps?street={STREET}")
    columns = list(get_query("uncovered").columns)
    # A page's download is headed in the page's language (the API's own keeps the names).
    headings = [Translator("zh").col(c, "uncovered") for c in columns]
    expected = len(run_query(demo_store, "uncovered", {"street": STREET}))
    with page.expect_download() as got:
        page.click("a.dl-csv")
    path = got.value.path()
    assert got.value.suggested_filename.startswith(f"未覆盖企业_{STREET}_")
    table = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert table[0] == headings and len(table) - 1 == expected
    assert {r[columns.index("street")] for r in table[1:]} == {STREET}

    with page.expect_download() as got:
        page.click("a.dl-xlsx")
    assert got.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(got.value.path().read_bytes()), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == headings and len(values) - 1 == expected


def test_language_switch_changes_the_visible_text(page: Page) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "全区党建覆盖总览"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    with page.expect_navigation():
        page.click("#lang-en")
    assert page.locator("h1").inner_text() == "The zone at a glance"
    assert page.locator("nav.nav a.active").inner_text() == "Dashboard"
    page.goto("/gaps")  # the choice is kept in a cookie
    assert page.locator("h1").inner_text() == "Uncovered firms"
    with page.expect_navigation():
        page.click("#lang-zh")
    assert page.locator("h1").inner_text() == "未覆盖企业"


def test_whatif_panel_shows_before_and_after(page: Page, demo_store: EmbeddedStore) -> None:
    page.goto("/alliances?alliance=A1")
    assert page.input_value("#alliance-form input[name=hops]") == "1"  # tells alliances apart
    assert page.locator("#overlap-heat tbody tr").count() == 8
    assert page.locator("#distance-table th", has_text="加权企业数").count() == 1
    # "试算加入" runs at once, against the reach of the alliance the firm joins.
    button = page.locator(".try-add").first
    firm = button.get_attribute("data-firm")
    assert firm
    button.click()
    net = page.locator("#whatif-net li")
    net.first.wait_for()
    page.locator("#whatif-table tbody tr").first.wait_for()
    assert (
        page.input_value("fieldset[data-table=alliance_members] [data-field=enterprise_id]") == firm
    )
    # The net lines say what the server's diff says, in Chinese, above the rows.
    scenario = Scenario(
        "t", [Change("add", "alliance_members", {"alliance_id": "A1", "enterprise_id": firm})]
    )
    _, rows = diff_scenario(demo_store, scenario, "alliance_reach", {"alliance": "A1", "hops": "1"})
    counts = reach_net(scenario, rows, "A1")
    assert counts["joined"] == 1 and counts["entered"] > 0
    lines = net.all_inner_texts()
    assert (
        lines[0]
        == f"+{counts['entered']} 家企业进入辐射范围，其中 {counts['entered_uncovered']} 家未覆盖"
    )
    assert "1 家企业成为联盟成员（不再计入辐射范围）" in lines
    net_box, table_box = (
        page.locator("#whatif-net").bounding_box(),
        page.locator("#whatif-table").bounding_box(),
    )
    assert net_box is not None and table_box is not None and net_box["y"] < table_box["y"]
    assert page.locator(f"#whatif-table a[href='/firms/{firm}']").count() == 1  # it left the reach
    assert page.locator("#whatif-table tbody tr").count() == len(rows)
    shoot(page, "alliances")

    # The same change against the zone summary: the metrics, no net lines.
    page.select_option("#whatif-form select[name=query]", "")
    page.click("#whatif-run")
    page.locator("#whatif-table td[data-col=metric]").first.wait_for()
    metrics = page.locator("#whatif-table td[data-col=metric]")
    assert {"operating", "uncovered", "org_coverage_rate"} <= {
        metrics.nth(i).get_attribute("data-v") for i in range(metrics.count())
    }
    assert "组织覆盖率" in metrics.all_inner_texts()
    assert page.locator("#whatif-net").is_hidden()

    # Listed changes run together; the reach again leads with its net lines.
    page.select_option("#whatif-form select[name=query]", "touched")
    page.click("#whatif-add")
    assert page.locator("#whatif-changes li").count() == 1
    page.click("#whatif-run")
    page.locator("#whatif-net li[data-net=entered]").wait_for()
    page.locator(f"#whatif-table a[href='/firms/{firm}']").wait_for()


# -- writing: the import pages and the firm profile's edits --------------------------------


@pytest.fixture
def write_url(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[str]:
    """A server of its own over the small zone of ``tests.zones``, for the tests that write
    (the demo zone the other tests share is only read)."""
    from api.app import create_app
    from graph_model.settings import Settings
    from loaders.load import load_tables
    from tests.zones import small_zone

    load_tables(embedded, small_zone(), source="test")
    settings = Settings(
        ZONEGRAPH_SCENARIOS=tmp_path / "scenarios", ZONEGRAPH_UPLOADS=tmp_path / "uploads"
    )
    with serve(create_app(settings, embedded)) as url:
        yield url


@pytest.fixture
def write_page(browser: Browser, write_url: str) -> Iterator[Page]:
    """A fresh page as ``page`` gives, for pages that answer a refused form with its status:
    Chromium logs a 4xx document as a console error, so those lines (for a document this
    page loaded, and nothing else) are not errors here; any other console error fails.

    An organizer signs in through the sign-in page first (a cookie, so every form here
    carries its CSRF token as a browser sends it)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[tuple[str, str]] = []
    documents: set[str] = set()
    blocked: list[str] = []

    def only_local(route: Route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    p = context.new_page()
    p.on(
        "response",
        lambda r: documents.add(r.url) if r.request.resource_type == "document" else None,
    )
    p.on(
        "console",
        lambda m: errors.append((m.text, m.location.get("url", ""))) if m.type == "error" else None,
    )
    p.on("pageerror", lambda e: errors.append((f"page error: {e}", "")))
    name, password = f"org{uuid.uuid4().hex[:6]}", "an organizer's password"
    open_accounts(load_settings()).add_user(name, "organizer", password)
    p.goto(f"{write_url}/import")
    assert "/login?next=" in p.url and p.locator("h1").inner_text() == "登录"
    p.fill("#login-username", name)
    p.fill("#login-password", password)
    with p.expect_navigation():
        p.click("#login-submit")
    assert urlparse(p.url).path == "/import"
    assert p.locator("#whoami").inner_text() == name
    try:
        yield p
    finally:
        context.close()
    refused = "Failed to load resource: the server responded with a status of 4"
    real = [text for text, url in errors if not (text.startswith(refused) and url in documents)]
    assert not blocked, f"requests off this server: {blocked}"
    assert not real, real


def firm_row(store: EmbeddedStore, firm_id: str) -> dict[str, object]:
    from queries.profiles import enterprise_profile

    row: dict[str, object] = enterprise_profile(store, firm_id)["enterprise"]
    return row


def test_import_shows_the_problems_then_the_fixed_file_previews_and_commits(
    write_page: Page, write_url: str, embedded: EmbeddedStore, tmp_path: Path
) -> None:
    page = write_page
    from tests.test_imports_web import workbook

    ledger = tmp_path / "企业台账.xlsx"
    rows = [["编号", "企业名称", "职工人数", "状态"], ["E2", "Beta", 99, "在营"]]
    ledger.write_bytes(workbook({"企业": [*rows, ["E6", "Zeta", "四十五", "注销"]]}))
    page.goto(f"{write_url}/import")
    assert page.locator("nav.nav a.active").inner_text() == "导入"
    page.set_input_files("#import-file", str(ledger))
    with page.expect_navigation():
        page.click("#import-submit")
    assert page.locator("h1").inner_text() == "文件有问题，没有写入任何数据"
    problem = page.locator("#problems tbody tr")
    assert problem.count() == 1
    cells = [problem.locator(f"td[data-col={c}]").inner_text() for c in ("file", "line", "reason")]
    assert cells == ["企业台账.xlsx[企业]", "3", "不是整数"]
    assert "职工数" in problem.locator("td[data-col=column]").inner_text()
    shoot(page, "import-report")

    # Fixed, the same file again, from the form under the report.
    ledger.write_bytes(workbook({"企业": [*rows, ["E6", "Zeta", 45, "注销"]]}))
    page.set_input_files("#import-file", str(ledger))
    with page.expect_navigation():
        page.click("#import-submit")
    assert page.locator("h1").inner_text() == "导入预览（尚未写入）"
    counts = page.locator("#preview-counts tr[data-table=enterprises]")
    got = {c: counts.locator(f"td[data-col={c}]").inner_text() for c in ("changed", "closed")}
    assert got == {"changed": "1", "closed": "1"}
    assert "注销" in page.locator(".preview-rows").inner_text()
    assert firm_row(embedded, "E6")["status"] == "operating"  # nothing written yet
    shoot(page, "import-preview")

    with page.expect_navigation():
        page.click("#import-confirm")
    assert page.locator("h1").inner_text() == "导入完成"
    shoot(page, "import-done")
    assert (firm_row(embedded, "E2")["employees"], firm_row(embedded, "E6")["status"]) == (
        99,
        "closed",
    )
    with page.expect_navigation():
        page.click("#to-dashboard")
    assert page.locator("h1").inner_text() == "全区党建覆盖总览"


def test_a_profile_edit_saves_and_a_refused_one_shows_the_reason_beside_the_field(
    write_page: Page, write_url: str, embedded: EmbeddedStore
) -> None:
    page = write_page
    page.goto(f"{write_url}/firms/E2")
    page.click("#edit-basics summary")
    page.fill("#f-employees", "四十")
    page.select_option("#f-star", "3")
    with page.expect_navigation():
        page.click("#firm-save")
    error = page.locator('.field-error[data-field="employees"]')
    assert error.is_visible() and error.inner_text() == "“四十” 不是整数"
    field, note = page.locator("#f-employees").bounding_box(), error.bounding_box()
    assert field is not None and note is not None
    assert abs(note["x"] - field["x"]) < 5 and 0 <= note["y"] - field["y"] < 60  # just below it
    assert page.locator("#refused-fields").is_visible()
    assert firm_row(embedded, "E2")["star"] is None  # nothing written, the star neither
    shoot(page, "firm-refused")

    page.fill("#f-employees", "40")
    with page.expect_navigation():
        page.click("#firm-save")
    assert page.locator("#firm-note").inner_text() == "已保存。"
    assert page.locator("#firm-facts dd[data-field=employees]").inner_text() == "40"
    assert page.locator("#firm-facts dd[data-field=star]").inner_text() == "3"
    assert (firm_row(embedded, "E2")["employees"], firm_row(embedded, "E2")["star"]) == (40, 3)

    # Coverage: added (the firm is now covered by the joint branch), then removed.
    page.fill("#c-coverer_id", "J1")
    page.select_option("#c-mode", "organization")
    with page.expect_navigation():
        page.click("#coverage-add")
    assert page.locator("#firm-coverage").inner_text() == "联合覆盖"
    with page.expect_navigation():
        page.locator("#org-table tr[data-id=J1] .remove-coverage").click()
    assert page.locator("#firm-coverage").inner_text() == "工作覆盖"
    shoot(page, "firm-edited")


def test_the_import_page_shows_progress_then_the_preview_in_chromium(
    write_page: Page,
    write_url: str,
    embedded: EmbeddedStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from api import import_jobs
    from tests.test_import_progress import ROWS, held_job
    from tests.test_imports_web import workbook

    monkeypatch.setattr(import_jobs, "BACKGROUND_BYTES", 0)  # every upload goes as a big one
    page = write_page
    user = page.locator("#whoami").inner_text()
    job, release = held_job(user)
    try:
        page.goto(f"{write_url}/import/jobs/{job.id}")
        assert page.locator("h1").inner_text() == "正在导入"
        assert page.locator("#progress-bar").get_attribute("value") == "500"
        assert "已处理 500 / 2,000 行（25%）" in page.locator("#progress-rows").inner_text()
    finally:
        release.set()
    # The page refreshes itself (no script) until the job is done.
    page.locator("#done-title").wait_for()

    ledger = tmp_path / "企业台账.xlsx"
    ledger.write_bytes(workbook({"企业": [*ROWS, ["E6", "Zeta", 45, "注销"]]}))
    page.goto(f"{write_url}/import")
    page.set_input_files("#import-file", str(ledger))
    with page.expect_navigation():
        page.click("#import-submit")
    assert "/import/jobs/" in page.url
    page.locator("#preview-counts").wait_for()
    assert page.locator("h1").inner_text() == "导入预览（尚未写入）"
    with page.expect_navigation():
        page.click("#import-confirm")
    page.locator("#done-written").wait_for()
    assert firm_row(embedded, "E6")["status"] == "closed"
