"""The quarterly report: its numbers on a known zone, the self-contained HTML file, the PDF
printed by Chromium, the CLI's refusals, and the /report page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli_report import report
from api.report_render import report_html
from graph_model.changes import ChangeSet, Origin
from graph_model.errors import BadParameter
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.report import quarterly_report, trend
from tests.auth import bearer
from tests.browser import CHROMIUM, needs_chromium
from tests.test_cli import zonegraph
from tests.test_pages import EXTERNAL, make_app
from tests.zones import small_zone

AT = Origin("test", 1)
SECTIONS = ("report-rates", "report-gaps", "report-rules", "report-studios", "report-alliances")


def _covered_e6() -> ChangeSet:
    """Studio S01 starts party work at E6 (uncovered before, in street S2)."""
    changes = ChangeSet()
    changes.upsert("coverage", {"coverer_id": "S01", "enterprise_id": "E6", "mode": "work"}, AT)
    return changes


@pytest.fixture
def zone(embedded: EmbeddedStore) -> EmbeddedStore:
    load_tables(embedded, small_zone(), source="test")
    embedded.apply(_covered_e6())
    return embedded


def test_the_numbers_compare_with_the_snapshot_before_the_last_write(
    zone: EmbeddedStore,
) -> None:
    r = quarterly_report(zone)
    assert r.baseline is not None and r.baseline.action == "replace"  # the load's snapshot
    lines = {line.rate.key: line for line in r.rates}
    # Two-coverage: 4/6 at the load, 5/6 after E6 gained work coverage; the others unchanged.
    assert lines["coverage"].then == pytest.approx(4 / 6)
    assert lines["coverage"].now == pytest.approx(5 / 6)
    assert lines["coverage"].change == pytest.approx(1 / 6)
    assert lines["org_coverage"].change == pytest.approx(0.0)
    s2 = next(s for s in r.streets if s["group"] == "S2")
    assert (s2["uncovered"], s2["uncovered_then"], s2["uncovered_change"]) == (0, 1, -1)
    rules = {rule["name"]: rule for rule in r.rules}
    assert rules["should_form_branch"]["flagged"] == 2  # E6 and E3 (tests/zones.py)
    assert rules["studio_load"]["flagged"] == 2  # S01, S02 below five firms
    assert [a["id"] for a in r.alliances] == ["A1"]
    assert r.alliances[0]["reach1"] >= 1
    # --since before any snapshot: nothing to compare with.
    assert quarterly_report(zone, "2000-01-01").baseline is None


def test_the_html_file_has_every_section_its_numbers_and_nothing_external(
    zone: EmbeddedStore,
) -> None:
    zone.snapshot()
    html = report_html(quarterly_report(zone), "zh")
    for section in SECTIONS:
        assert f'id="{section}"' in html
    assert "两个覆盖率" in html and "83.3%" in html and "+16.7" in html
    assert "组织覆盖率" in html and "50.0%" in html
    # Self-contained: the style inline, no script, no link, nothing fetched.
    assert "<style>" in html and "@media print" in html and "size: A4" in html
    assert not re.search(r"<script|<link|<img|@import", html)
    assert not EXTERNAL.search(html)
    # The trend: one line per rate over the snapshots (three here).
    chart = html[html.index('id="report-trend"') :]
    assert chart.count("<polyline") == 3
    english = report_html(quarterly_report(zone), "en")
    assert "Two-coverage rate" in english and "两个覆盖率" not in english


def test_trend_keeps_the_last_snapshot_of_each_day(zone: EmbeddedStore) -> None:
    from dataclasses import replace

    snaps = zone.snapshots()
    days = [replace(s, at=f"2026-0{i + 1}-01T10:00:00.000000Z") for i, s in enumerate(snaps)]
    late = replace(snaps[0], id="late", at="2026-01-01T23:00:00.000000Z")
    assert [s.id for s in trend([days[0], late, days[1]])] == ["late", days[1].id]
    # All on one day: the points are finer (each write of today).
    assert len(trend(snaps)) == len(snaps)


def test_report_cli_writes_html_and_pdf_and_refuses_in_one_line(
    zone: EmbeddedStore, tmp_path: Path
) -> None:
    zone.close()
    db = zone.path
    html = tmp_path / "季度报告.html"
    done = zonegraph(db, "report", "--out", str(html))
    assert done.returncode == 0, done.stderr
    assert 'id="report-gaps"' in html.read_text(encoding="utf-8")
    # One line and exit 2, no traceback, when there is no Chromium to print with.
    done = zonegraph(db, "report", "--out", str(tmp_path / "r.pdf"), chromium="/nowhere/chromium")
    assert done.returncode == 2, done.stderr
    assert "write r.html instead and print it" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    with pytest.raises(BadParameter, match="neither .html nor .pdf"):
        report(out=tmp_path / "r.docx")


@needs_chromium
def test_report_cli_prints_a_pdf_with_chromium(zone: EmbeddedStore, tmp_path: Path) -> None:
    zone.close()
    pdf = tmp_path / "report.pdf"
    done = zonegraph(zone.path, "report", "--out", str(pdf), chromium=str(CHROMIUM))
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_snapshot_cli_prints_the_rates(zone: EmbeddedStore) -> None:
    zone.close()
    done = zonegraph(zone.path, "snapshot", "-f", "csv")
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.strip().splitlines()
    values = dict(zip(header.split(","), row.split(","), strict=True))
    assert values["operating"] == "6" and values["none"] == "1"
    assert float(values["coverage_rate"]) == pytest.approx(5 / 6, abs=1e-4)


@pytest.fixture
def client(zone: EmbeddedStore, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(zone, tmp_path / "scenarios"), headers=bearer()) as c:
        yield c


def test_the_report_page_has_the_sections_a_print_sheet_and_a_nav_link(
    client: TestClient,
) -> None:
    r = client.get("/report")
    assert r.status_code == 200
    for section in SECTIONS:
        assert f'id="{section}"' in r.text
    assert 'href="/static/app/report.css"' in r.text and 'href="/report"' in r.text
    assert "@media print" in client.get("/static/app/report.css").text
    assert client.get("/report?since=not-a-date").status_code == 422
