"""``zonegraph bench``: its generated zones load cleanly, and the database and pandas agree.

Speed is never asserted here; these tests check that the benchmark runs on a fresh machine
and that what it compares is the same question answered two ways.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from api.bench_child import answers
from api.bench_zone import generate
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_path
from queries.catalog import run_query
from tests.test_cli import zonegraph


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench") / "zone"
    generate(folder, 2_000, seed=7)
    return folder


def test_the_same_seed_gives_the_same_files(zone: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, 2_000, seed=7)
    for path in zone.glob("*.csv"):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_generated_zones_are_hub_heavy_with_about_three_links_per_firm(zone: Path) -> None:
    links = pd.read_csv(zone / "supply_links.csv", dtype=str)
    alliances = pd.read_csv(zone / "alliances.csv", dtype=str)
    assert 2.5 * 2_000 <= len(links) <= 3 * 2_000
    assert not links.duplicated(["supplier_id", "customer_id"]).any()
    assert (links["supplier_id"] != links["customer_id"]).all()
    suppliers = links.groupby("customer_id").size()
    # Each leading firm buys from many more firms than a typical firm does.
    assert (suppliers[alliances["lead_id"]] >= 2_000 // 250 - 1).all()
    assert suppliers.median() < 2_000 // 250


def test_a_generated_zone_loads_without_a_problem_and_answers_like_pandas(
    zone: Path, tmp_path: Path
) -> None:
    store = EmbeddedStore(tmp_path / "z.lbug")
    report = load_path(store, zone)
    assert report.warnings == []
    assert report.counts["enterprises"] == 2_000
    theirs = answers(zone, repeat=1)
    uncovered = run_query(store, "uncovered")
    assert len(uncovered) == theirs["uncovered"]["answer"]["total"]
    assert [r["id"] for r in uncovered[:100]] == theirs["uncovered"]["answer"]["first"]
    summary = run_query(store, "zone_summary")[0]
    for key in ("operating", "uncovered", "org_covered"):
        assert summary[key] == theirs["zone_summary"]["answer"][key], key
    for level in ("street", "grid"):
        rows = run_query(store, "coverage_by", {"level": level})
        theirs_level = theirs[f"coverage_by {level}"]["answer"]
        assert len(rows) == theirs_level["groups"]
        assert sum(r["org_covered"] for r in rows) == theirs_level["org_covered"]
    reach = run_query(store, "alliance_reach", {"alliance": "A1", "hops": 3})
    assert len(reach) == theirs["alliance_reach hops=3 (networkx)"]["answer"]["total"]
    assert len(reach) == theirs["alliance_reach hops=3 (scipy CSR)"]["answer"]["total"]
    first = [r["id"] for r in reach[:100]]
    assert first == theirs["alliance_reach hops=3 (networkx)"]["answer"]["first"]
    store.close()


def test_bench_runs_and_reports_every_step_with_ratios(tmp_path: Path) -> None:
    done = zonegraph(tmp_path / "unused.lbug", "bench", "--sizes", "300", "--repeat", "1", "--json")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["firms"] == 300
    for step in ("copy", "networkx", "load"):
        assert record[step]["wall_s"] > 0 and record[step]["peak_mb"] > 0, step
    assert record["load"]["disk_mb"] > 0
    assert "uncovered first page" in record["queries"]
    assert record["queries"]["coverage_by grid"]["runs"] == 1
    assert record["queries"]["uncovered first page"]["answer"]["total"] > 0
    # Every page answers (a signed-in admin through a real server).
    assert {path: p["status"] for path, p in record["pages"].items()} == dict.fromkeys(
        record["pages"], 200
    )
    assert "/api/graph?scope=zone" in record["pages"]
    markdown = zonegraph(tmp_path / "unused.lbug", "bench", "--sizes", "300", "--repeat", "1")
    assert markdown.returncode == 0, markdown.stderr
    assert "| plain LadybugDB `COPY` (2 files) |" in markdown.stdout
    assert "same answer" in markdown.stdout and "DIFFERENT" not in markdown.stdout
    assert "300 firms: zonegraph load" in markdown.stderr


def test_bench_refuses_sizes_too_small_to_generate(tmp_path: Path) -> None:
    done = zonegraph(tmp_path / "unused.lbug", "bench", "--sizes", "50")
    assert done.returncode == 2
    assert "at least 100 firms" in done.stderr
