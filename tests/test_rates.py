"""One definition of each rate (queries/rates.py), the same number wherever it is shown.

Reproduces issue 11's dashboard findings first: the street bars were sorted by the
two-coverage rate and labelled with the organizational rate, and the CLI's ``coverage_by``
said 长青街道 0.80 where the dashboard said 59.4%.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.i18n import EN, ZH
from graph_model.store import Store
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.catalog import run_query
from queries.rates import DEFAULT, RATE, RATES, rates_of
from tests import reference
from tests.zones import small_zone

#: small_zone by hand (tests/zones.py): 6 operating firms; E1 own; E3, E7 joint; E2 work;
#: E5, E6 uncovered.
BY_HAND = {"coverage_rate": 4 / 6, "org_coverage_rate": 3 / 6, "own_org_rate": 1 / 6}


@pytest.fixture
def zone(store: Store) -> Store:
    load_tables(store, small_zone(), source="test")
    return store


def test_each_rate_on_the_known_zone_three_ways(zone: Store) -> None:
    summary = run_query(zone, "zone_summary")[0]  # in Cypher, from Rate.cypher
    (snap,) = zone.snapshots()  # in Python, from the counts the load's snapshot kept
    ref = reference.zone_rates(small_zone())  # from the contract tables, independently
    for column, value in BY_HAND.items():
        assert summary[column] == pytest.approx(value)
        assert rates_of(snap.counts)[column] == pytest.approx(value)
    assert ref["org_coverage_rate"] == pytest.approx(BY_HAND["org_coverage_rate"])
    assert ref["own_org_rate"] == pytest.approx(BY_HAND["own_org_rate"])


def test_coverage_by_carries_every_rate_and_sorts_by_the_one_asked(zone: Store) -> None:
    for rate in RATES:
        rows = run_query(zone, "coverage_by", {"level": "street", "rate": rate.key})
        values = [r[rate.column] for r in rows]
        assert values == sorted(values), rate.key
        for r in rows:
            # The old column stays what it was: the two-coverage rate.
            assert r["rate"] == r["coverage_rate"]
            counts = {
                "own": r["own_org"],
                "joint": r["org_covered"] - r["own_org"],
                "work": r["work_only"],
                "none": r["uncovered"],
            }
            assert r[rate.column] == pytest.approx(rate.of(counts))
    s1 = next(r for r in rows if r["group"] == "S1")
    assert (s1["coverage_rate"], s1["org_coverage_rate"]) == (1.0, pytest.approx(2 / 3))


def test_every_rate_has_a_label_and_a_definition_in_both_languages() -> None:
    for rate in RATES:
        for key in (rate.label, rate.label + ".def"):
            assert ZH[key] and EN[key] and ZH[key] != EN[key]
    assert ZH["rate.coverage"] == "两个覆盖率" and ZH["rate.org_coverage"] == "组织覆盖率"


# -- the dashboard: bars sorted by the rate they are labelled with ---------------------------


def _bars(html: str) -> list[tuple[str, str]]:
    """(street, the figure shown, e.g. ``80.1``) per bar, top to bottom."""
    start = html.index('id="street-chart"')
    chart = html[start : html.index("</svg>", start)]
    labels = re.findall(r'class="bar-label">([^<]+)<', chart)
    values = re.findall(r'class="bar-value">([\d.]+)%<', chart)
    return list(zip(labels, values, strict=True))


@pytest.mark.parametrize("key", [None, *RATE])
def test_street_bars_are_sorted_by_the_rate_they_show(
    demo_client: TestClient, demo_store: EmbeddedStore, key: str | None
) -> None:
    rate = RATE[key] if key else DEFAULT
    html = demo_client.get("/" + (f"?rate={key}" if key else "")).text
    bars = _bars(html)
    rows = run_query(demo_store, "coverage_by", {"level": "street", "rate": rate.key})
    assert [label for label, _ in bars] == [r["group"] or "—" for r in rows]
    assert [v for _, v in bars] == [f"{100 * r[rate.column]:.1f}" for r in rows]
    shown = [float(v) for _, v in bars]
    assert shown == sorted(shown)  # the order reads as the figures
    assert ZH[rate.label] in html[html.index('id="by-street"') :]  # and says which rate it is


def test_the_cli_and_the_dashboard_give_a_street_the_same_rate(
    demo_client: TestClient, demo_store: EmbeddedStore
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}
    env["ZONEGRAPH_DB"] = str(demo_store.path)
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "query", "coverage_by", "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    cli = {r["group"]: r for r in json.loads(done.stdout)}
    for key in RATE:
        shown = dict(_bars(demo_client.get(f"/?rate={key}").text))
        for street, value in shown.items():
            assert value == f"{100 * cli[street][RATE[key].column]:.1f}", (key, street)
    # The finding: one street, 0.80 two-coverage and 59.4% organizational, both named.
    street = next(iter(shown))
    assert cli[street]["rate"] == cli[street]["coverage_rate"]
    assert cli[street]["coverage_rate"] != cli[street]["org_coverage_rate"]


def test_stats_names_every_rate(tmp_path: Path) -> None:
    from tests.test_cli import zonegraph

    db = tmp_path / "zone.lbug"
    store = EmbeddedStore(db)
    store.apply_schema()
    load_tables(store, small_zone(), source="test")
    store.close()
    out = zonegraph(db, "stats").stdout
    assert "两个覆盖率 two-coverage rate: 66.7%" in out
    assert "组织覆盖率 organizational coverage rate: 50.0%" in out
    assert "单独组建率 own-organization rate: 16.7%" in out
    assert "两个覆盖率最低的街道" in out and "org_coverage_rate" in out
