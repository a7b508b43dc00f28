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


def zonegraph(db: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI on the database ``db``; ``settings`` are further ZONEGRAPH_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}
    env["ZONEGRAPH_DB"] = str(db)
    env.update({f"ZONEGRAPH_{k.upper()}": v for k, v in settings.items()})
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
    from graph_model.store.swap import WriteLock

    before = loaded.read_bytes()
    with WriteLock(loaded, 0, None).held():  # this process is in the middle of a write
        done = zonegraph(loaded, "load", str(tmp_path / "zone"), write_wait="0.3")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"error: the database {loaded} is busy: PID {os.getpid()} is writing to it; "
        "try again when it has finished"
    )
    assert "Traceback" not in done.stderr
    assert loaded.read_bytes() == before


def test_an_open_reader_neither_blocks_a_write_nor_misses_it(loaded: Path, tmp_path: Path) -> None:
    reader = EmbeddedStore(loaded, read_only=True)  # as `zonegraph serve` holds it
    try:
        assert [r["id"] for r in reader.run("MATCH (e:Enterprise) RETURN e.id AS id")][-1] == "E7"
        update = tmp_path / "update"
        update.mkdir()
        (update / "enterprises.csv").write_text("id,name\nE8,Theta\n", encoding="utf-8")
        done = zonegraph(loaded, "load", str(update))
        assert done.returncode == 0, done.stderr
        assert "upserted: enterprises +1 ~0 -0" in done.stderr
        rows = reader.run("MATCH (e:Enterprise) RETURN e.id AS id ORDER BY id")
        assert rows[-1] == {"id": "E8"}
    finally:
        reader.close()


def test_a_dry_run_says_what_would_change_and_writes_nothing(loaded: Path, tmp_path: Path) -> None:
    update = tmp_path / "update"
    update.mkdir()
    (update / "enterprises.csv").write_text("id,name\nE8,Theta\nE1,Alpha Ltd\n", encoding="utf-8")
    before = loaded.read_bytes()
    done = zonegraph(loaded, "load", str(update), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "would have upserted: enterprises +1 ~1 -0" in done.stderr
    assert done.stderr.strip().endswith("nothing written (--dry-run)")
    assert loaded.read_bytes() == before
    first = tmp_path / "new.lbug"
    done = zonegraph(first, "load", str(tmp_path / "zone"), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "would have loaded: enterprises 7" in done.stderr
    assert not first.exists()


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


@pytest.mark.parametrize(
    ("query", "params", "first"),
    [
        ("key_firms_without_liaison", (), None),
        ("liaison_load", (), {"liaison_id": "L1", "name": "Li", "firms": 2, "ok": False}),
        ("industries_without_branch", (), {"industry": "parts", "firms": 3}),
        ("star_distribution", ("level=grid",), None),
        ("org_tree", (), None),
        ("formation_modes", (), {"formation": "regional_joint", "organizations": 1, "firms": 2}),
        ("alliance_overlap", (), None),
        ("alliance_candidates", ("alliance=A1",), None),
        (
            "next_recruit",
            ("alliance=A1",),
            {
                "id": "E3",
                "name": "Gamma",
                "gain": 2,
                "new_in_reach": 3,
                "sample_ids": ["E5", "E6", "E7"],
            },
        ),
        ("bridging_firms", ("scope=zone",), None),
        ("suggested_clusters", ("scope=zone", "min_size=1"), None),
        ("studio_assignment", (), None),
        ("joint_branch_plan", ("level=grid",), None),
    ],
)
def test_every_planning_item_runs_with_json(
    loaded: Path, query: str, params: tuple[str, ...], first: dict[str, object] | None
) -> None:
    args = [a for p in params for a in ("-p", p)]
    done = zonegraph(loaded, "query", query, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert isinstance(rows, list)
    if first is not None:
        assert rows[0] == first


def test_scenario_commands_round_trip(loaded: Path, tmp_path: Path) -> None:
    def sc(*args: str) -> subprocess.CompletedProcess[str]:
        return zonegraph(loaded, "scenario", *args, scenarios=str(tmp_path / "sc"))

    assert sc("new", "p1").returncode == 0
    assert (
        sc(
            "add", "p1", "add", "coverage", "coverer_id=S01", "enterprise_id=E6", "mode=work"
        ).returncode
        == 0
    )
    bad = sc("add", "p1", "add", "coverage", "coverer_id=S01", "enterprise_id=E404", "mode=work")
    assert bad.returncode == 2 and "names no enterprise" in bad.stderr
    shown = json.loads(sc("show", "p1", "-f", "json").stdout)
    assert len(shown) == 1  # the refused change was not kept
    diff = json.loads(sc("diff", "p1", "uncovered", "-f", "json").stdout)
    assert [(r["change"], r["id"]) for r in diff] == [("-", "E6")]
    # Against a reach, the net change by firm comes first (stderr), then the rows.
    reach = sc("diff", "p1", "alliance_reach", "-p", "alliance=A1", "-p", "hops=3", "-f", "json")
    assert reach.stderr.splitlines()[0] == "1 firm(s) now covered"
    assert {(r["change"], r["id"], r["covered"]) for r in json.loads(reach.stdout)} == {
        ("-", "E6", False),
        ("+", "E6", True),
    }
    before = zonegraph(loaded, "query", "uncovered", "-f", "json").stdout
    assert [r["id"] for r in json.loads(before)] == ["E5", "E6"]  # diff wrote nothing
    assert sc("apply", "p1").returncode == 0
    after = json.loads(zonegraph(loaded, "query", "uncovered", "-f", "json").stdout)
    assert [r["id"] for r in after] == ["E5"]
    assert sc("list").stdout.strip() == ""
    assert not (tmp_path / "sc" / "p1.json").exists()


def test_reconcile_lists_then_applies(loaded: Path, tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text(
        "统一社会信用代码,企业名称,经营状态\nE1,Alpha,在营\nE2,Beta,在营\nE3,Gamma,在营\n"
        "E5,Eps,注销\nE6,Zeta,在营\nE7,Eta,在营\nE9,Iota,在营\n",
        encoding="utf-8",
    )
    done = zonegraph(loaded, "reconcile", str(register), "-f", "json")
    assert done.returncode == 0, done.stderr
    changes = {(r["change"], r["id"]) for r in json.loads(done.stdout)}
    assert {("closed", "E5"), ("new", "E9")} <= changes
    assert "nothing written" in done.stderr
    assert zonegraph(loaded, "reconcile", str(register), "--apply").returncode == 0
    after = json.loads(zonegraph(loaded, "query", "uncovered", "-f", "json").stdout)
    assert [r["id"] for r in after] == ["E6", "E9"]


def test_viz_writes_one_offline_file(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    done = zonegraph(loaded, "viz", "--scope", "firm:E3", "--out", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "Gamma" in html and "Zeta" in html  # E3 and its customer E6
    assert "http://" not in html and "https://" not in html
    bad = zonegraph(loaded, "viz", "--scope", "firm:E404", "--out", str(tmp_path / "x.html"))
    assert bad.returncode == 2 and "no enterprise with id 'E404'" in bad.stderr
