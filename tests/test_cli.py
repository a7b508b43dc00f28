"""The ``zonegraph`` command as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_model.mapping import Zone
from graph_model.store.embedded import EmbeddedStore
from loaders.load import export_zone
from tests.zones import small_zone


def zonegraph(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}
    env["ZONEGRAPH_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    """A database holding the small zone, loaded through the CLI."""
    export_zone(Zone(small_zone()), tmp_path / "zone")
    db = tmp_path / "zone.lbug"
    done = zonegraph(db, "load", str(tmp_path / "zone"), "--replace")
    assert done.returncode == 0, done.stderr
    return db


def test_query_json_is_an_array_of_rows_and_nothing_else(loaded: Path) -> None:
    done = zonegraph(loaded, "query", "uncovered", "--format", "json")
    assert done.returncode == 0
    assert [r["id"] for r in json.loads(done.stdout)] == ["E5", "E6"]


def test_query_params_and_csv(loaded: Path) -> None:
    done = zonegraph(
        loaded, "query", "alliance_reach", "-p", "alliance=A1", "-p", "hops=3", "-f", "csv"
    )
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "id,name,distance,covered",
        "E2,Beta,1,true",
        "E3,Gamma,2,true",
        "E6,Zeta,3,false",
    ]


def test_stats_prints_the_rates(loaded: Path) -> None:
    done = zonegraph(loaded, "stats")
    assert done.returncode == 0
    assert "组织覆盖率 organizational coverage rate: 50.0%" in done.stdout
    assert "单独组建率 own-organization rate: 16.7%" in done.stdout
    data = json.loads(zonegraph(loaded, "stats", "-f", "json").stdout)
    assert data["summary"]["uncovered"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "gaps"), "error: no query named 'gaps'"),
        (("query", "alliance_reach", "-p", "alliance=A9"), "error: no alliance with id 'A9'"),
        (
            ("query", "alliance_reach", "-p", "alliance=A1", "-p", "hops=x"),
            "hops: 'x' is not a whole number",
        ),
        (("query", "uncovered", "-p", "street"), "--param wants name=value"),
    ],
)
def test_bad_requests_exit_2_with_one_clear_line(
    loaded: Path, args: tuple[str, ...], message: str
) -> None:
    done = zonegraph(loaded, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_file_exit_2_lists_problems_and_writes_nothing(loaded: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    export_zone(Zone(small_zone()), bad)
    text = (bad / "enterprises.csv").read_text(encoding="utf-8-sig")
    (bad / "enterprises.csv").write_text(
        text.replace("E3,Gamma,logistics,35,3", "E3,Gamma,logistics,35,many")
    )
    before = zonegraph(loaded, "query", "uncovered", "-f", "json").stdout
    done = zonegraph(loaded, "load", str(bad))
    assert done.returncode == 2
    assert "enterprises.csv:4: party_members: 'many' is not a whole number" in done.stderr
    assert "refused: 1 problem(s); nothing was written" in done.stderr
    assert "Traceback" not in done.stderr
    assert zonegraph(loaded, "query", "uncovered", "-f", "json").stdout == before


def test_busy_database_is_one_clear_line(loaded: Path, tmp_path: Path) -> None:
    holder = EmbeddedStore(loaded)  # this process now holds the database read-write
    try:
        done = zonegraph(loaded, "load", str(tmp_path / "zone"))
    finally:
        holder.close()
    assert done.returncode == 1
    assert "is in use by another process" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_database_says_how_to_make_one(tmp_path: Path) -> None:
    done = zonegraph(tmp_path / "none.lbug", "stats")
    assert done.returncode == 1
    assert "zonegraph demo" in done.stderr


def test_export_then_load_round_trips(loaded: Path, tmp_path: Path) -> None:
    assert zonegraph(loaded, "export", str(tmp_path / "out")).returncode == 0
    other = tmp_path / "other.lbug"
    assert zonegraph(other, "load", str(tmp_path / "out")).returncode == 0
    for query in ("uncovered", "studio_load", "zone_summary"):
        assert (
            zonegraph(other, "query", query, "-f", "json").stdout
            == zonegraph(loaded, "query", query, "-f", "json").stdout
        )


def test_queries_lists_the_catalog(loaded: Path) -> None:
    rows = json.loads(zonegraph(loaded, "queries", "-f", "json").stdout)
    names = {r["name"] for r in rows}
    assert {
        "uncovered",
        "should_form_branch",
        "studio_load",
        "alliance_reach",
        "coverage_by",
    } <= names
