"""Self-checks for the independent reference (tests/reference.py) and the zone strategy.

Hand-built zones with answers worked out by hand, plus hypothesis checks that
generated zones obey the contract's integrity rules and that the CSV writer
produces the contract's files.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference as ref  # noqa: E402
from strategies import NODE_TABLES, ORG_KINDS, TABLE_COLUMNS, write_tables_csv, zones  # noqa: E402

Row = dict[str, object]
Tables = dict[str, list[Row]]


def _firm(fid: str, **kw: object) -> Row:
    row: Row = dict.fromkeys(TABLE_COLUMNS["enterprises"])
    row.update(id=fid, name=f"name-{fid}")
    row.update(kw)
    return row


def _tables(**kw: list[Row]) -> Tables:
    tables: Tables = {name: [] for name in TABLE_COLUMNS}
    tables.update(kw)
    return tables


def _org(oid: str, kind: str, parent: str | None = None, firm: str | None = None) -> Row:
    return {"id": oid, "name": oid, "kind": kind, "parent_id": parent, "enterprise_id": firm}


def _cov(coverer: str, firm: str, mode: str) -> Row:
    return {"coverer_id": coverer, "enterprise_id": firm, "mode": mode}


# ---------------------------------------------------------------------------
# A five-firm zone, worked out by hand:
#   E1 operating, 5 members, own org O2                   -> org covered
#   E2 status None, 3 members, joint branch O3 (row x2)  -> org covered, should form branch
#   E3 operating, members unknown, studio S1 (row x2)    -> work only
#   E4 operating, 0 members, nothing                     -> uncovered
#   E5 closed, 7 members, studio S1                      -> ignored everywhere
# ---------------------------------------------------------------------------


@pytest.fixture
def five() -> Tables:
    return _tables(
        enterprises=[
            _firm("E1", status="operating", party_members=5, street="A", grid="G1", industry="x"),
            _firm("E2", status=None, party_members=3, street="A", grid=None, industry="x"),
            _firm("E3", status="operating", party_members=None, street="B", grid="G1"),
            _firm("E4", status="operating", party_members=0, street=None, grid="G2", industry="y"),
            _firm("E5", status="closed", party_members=7, street="B", grid="G2", industry="y"),
        ],
        party_orgs=[
            _org("O1", "zone_committee"),
            _org("O2", "enterprise_org", "O1", "E1"),
            _org("O3", "joint_branch", "O1"),
            _org("O4", "community_station", "O1"),
        ],
        studios=[
            {"id": "S1", "name": "s1", "station_id": "O4", "secretary": None, "instructors": 2},
            {"id": "S2", "name": "s2", "station_id": None, "secretary": None, "instructors": None},
        ],
        coverage=[
            _cov("O3", "E2", "organization"),
            _cov("O3", "E2", "organization"),
            _cov("S1", "E3", "work"),
            _cov("S1", "E3", "work"),
            _cov("S1", "E5", "work"),
            _cov("O4", "E1", "work"),
        ],
    )


def test_uncovered_five(five: Tables) -> None:
    assert ref.uncovered(five) == [
        {
            "id": "E4",
            "name": "name-E4",
            "street": None,
            "grid": "G2",
            "industry": "y",
            "party_members": 0,
        }
    ]


def test_should_form_branch_five(five: Tables) -> None:
    # Joint-branch coverage of E2 does not count as an own organization.
    assert ref.should_form_branch(five) == [{"id": "E2", "name": "name-E2", "party_members": 3}]


def test_studio_load_five(five: Tables) -> None:
    # S1: E3 twice (counts once), E5 closed (not counted).
    assert ref.studio_load(five) == [
        {"id": "S1", "name": "s1", "firms": 1, "below_minimum": True},
        {"id": "S2", "name": "s2", "firms": 0, "below_minimum": True},
    ]


def test_studio_load_minimum() -> None:
    firms = [_firm(f"E{i}") for i in range(1, 7)]
    rows = [_cov("S1", f"E{i}", "work") for i in range(1, 6)]
    studio: Row = {"id": "S1", "name": "s", "station_id": None, "secretary": None, "instructors": 1}
    t = _tables(enterprises=firms, studios=[studio], coverage=rows)
    assert ref.studio_load(t)[0]["firms"] == 5
    assert ref.studio_load(t)[0]["below_minimum"] is False
    t["enterprises"][0]["status"] = "closed"
    assert ref.studio_load(t)[0] == {"id": "S1", "name": "s", "firms": 4, "below_minimum": True}


def _group(group: str | None, *counts: int, rates: tuple[float, float, float]) -> dict[str, object]:
    """A coverage_by row: total, org_covered, work_only, uncovered, own_org, then the
    two-coverage, organizational and own-organization rates."""
    total, org, work, none, own = counts
    coverage, org_rate, own_rate = rates
    return {
        "group": group,
        "total": total,
        "org_covered": org,
        "work_only": work,
        "uncovered": none,
        "rate": coverage,
        "own_org": own,
        "coverage_rate": coverage,
        "org_coverage_rate": org_rate,
        "own_org_rate": own_rate,
    }


def test_coverage_by_street_five(five: Tables) -> None:
    # A: E1 own, E2 joint; B: E3 work only; None: E4 uncovered (E5 closed).
    assert ref.coverage_by(five, "street") == [
        _group("A", 2, 2, 0, 0, 1, rates=(1.0, 1.0, 0.5)),
        _group("B", 1, 0, 1, 0, 0, rates=(1.0, 0.0, 0.0)),
        _group(None, 1, 0, 0, 1, 0, rates=(0.0, 0.0, 0.0)),
    ]


def test_coverage_by_grid_five(five: Tables) -> None:
    # G1: E1 own, E3 work only; G2: E4 uncovered (E5 closed); None: E2 joint.
    assert ref.coverage_by(five, "grid") == [
        _group("G1", 2, 1, 1, 0, 1, rates=(1.0, 0.5, 0.5)),
        _group("G2", 1, 0, 0, 1, 0, rates=(0.0, 0.0, 0.0)),
        _group(None, 1, 1, 0, 0, 0, rates=(1.0, 1.0, 0.0)),
    ]


def test_coverage_by_bad_level(five: Tables) -> None:
    with pytest.raises(ValueError):
        ref.coverage_by(five, "community")


def test_zone_rates_five(five: Tables) -> None:
    assert ref.zone_rates(five) == {"org_coverage_rate": 0.5, "own_org_rate": 0.25, "operating": 4}


def test_zone_rates_empty() -> None:
    t = _tables(enterprises=[_firm("E1", status="closed")])
    assert ref.zone_rates(t) == {"org_coverage_rate": 0.0, "own_org_rate": 0.0, "operating": 0}
    assert ref.zone_rates(_tables()) == {
        "org_coverage_rate": 0.0,
        "own_org_rate": 0.0,
        "operating": 0,
    }
    assert ref.uncovered(t) == []
    assert ref.coverage_by(t, "park") == []


# ---------------------------------------------------------------------------
# Alliance reach on a chain with a closed firm in the way:
#   E1 -> E2 <- E3 -> E4 -> E5      E2 -> E6(closed) -> E7
# ---------------------------------------------------------------------------


@pytest.fixture
def chain() -> Tables:
    def link(a: str, b: str) -> Row:
        return {"supplier_id": a, "customer_id": b, "product": None}

    return _tables(
        enterprises=[_firm(f"E{i}", status="closed" if i == 6 else None) for i in range(1, 8)],
        coverage=[_cov("O9", "E3", "work")],
        party_orgs=[_org("O9", "joint_branch")],
        supply_links=[
            link("E1", "E2"),
            link("E3", "E2"),
            link("E3", "E4"),
            link("E4", "E5"),
            link("E2", "E6"),
            link("E6", "E7"),
            link("E2", "E1"),  # reverse link: same undirected edge
        ],
        alliances=[
            {"id": "A1", "name": "a1", "lead_id": "E1", "theme": None},
            {"id": "A2", "name": "a2", "lead_id": "E1", "theme": None},
            {"id": "A3", "name": "a3", "lead_id": "E6", "theme": None},
        ],
        alliance_members=[
            {"alliance_id": "A2", "enterprise_id": "E4", "role": "member"},
            {"alliance_id": "A3", "enterprise_id": "E7", "role": "member"},
        ],
    )


def _reach(rows: list[Row]) -> list[tuple[object, object, object]]:
    return [(r["id"], r["distance"], r["covered"]) for r in rows]


def test_alliance_reach_lead_only(chain: Tables) -> None:
    assert _reach(ref.alliance_reach(chain, "A1")) == [("E2", 1, False), ("E3", 2, True)]
    assert _reach(ref.alliance_reach(chain, "A1", hops=1)) == [("E2", 1, False)]
    assert _reach(ref.alliance_reach(chain, "A1", hops=6)) == [
        ("E2", 1, False),
        ("E3", 2, True),
        ("E4", 3, False),
        ("E5", 4, False),
    ]  # E6 is closed, E7 only reachable through it


def test_alliance_reach_members(chain: Tables) -> None:
    # Lead E1 plus member E4 (a member row); members themselves are excluded.
    assert _reach(ref.alliance_reach(chain, "A2", hops=1)) == [
        ("E2", 1, False),
        ("E3", 1, True),
        ("E5", 1, False),
    ]
    rows = ref.alliance_reach(chain, "A2", hops=1)
    assert set(rows[0]) == {"id", "name", "distance", "covered"}


def test_alliance_reach_closed_member_and_unknown(chain: Tables) -> None:
    # A3: closed lead E6 reaches nothing; E7's only link goes to E6.
    assert ref.alliance_reach(chain, "A3", hops=6) == []
    assert ref.alliance_reach(chain, "no-such-alliance") == []


@pytest.mark.parametrize("hops", [0, 7, -1])
def test_alliance_reach_bad_hops(chain: Tables, hops: int) -> None:
    with pytest.raises(ValueError):
        ref.alliance_reach(chain, "A1", hops=hops)


# ---------------------------------------------------------------------------
# Generated zones obey the contract
# ---------------------------------------------------------------------------


def check_integrity(t: Tables) -> None:
    """Assert the contract's integrity rules on a zone."""
    assert set(t) == set(TABLE_COLUMNS)
    for name, columns in TABLE_COLUMNS.items():
        for row in t[name]:
            assert tuple(row) == columns or set(row) == set(columns), (name, row)

    # ids unique across node tables (a liaison id repeats once per firm row)
    seen: dict[object, str] = {}
    for name, key in NODE_TABLES.items():
        for nid in {r[key] for r in t[name]}:
            assert isinstance(nid, str) and nid, (name, nid)
            assert nid not in seen, f"{nid} in {seen[nid]} and {name}"
            seen[nid] = name
    for name in ("enterprises", "party_orgs", "studios", "alliances"):
        ids = [r["id"] for r in t[name]]
        assert len(ids) == len(set(ids)), name

    firms = {r["id"]: r for r in t["enterprises"]}
    orgs = {r["id"]: r for r in t["party_orgs"]}
    studios = {r["id"] for r in t["studios"]}
    alliances = {r["id"] for r in t["alliances"]}

    for f in firms.values():
        assert isinstance(f["name"], str) and f["name"]
        assert f["status"] in ("operating", "closed", None)
        for col in ("employees", "party_members"):
            v = f[col]
            assert v is None or (type(v) is int and v >= 0)
        assert f["star"] is None or (type(f["star"]) is int and 0 <= f["star"] <= 5)
        assert f["key_firm"] is None or type(f["key_firm"]) is bool
        for col in ("industry", "street", "community", "grid", "park"):
            assert f[col] is None or (isinstance(f[col], str) and f[col])

    for o in orgs.values():
        assert o["kind"] in ORG_KINDS and o["name"]
        assert o["parent_id"] is None or o["parent_id"] in orgs
        assert o["enterprise_id"] is None or o["enterprise_id"] in firms
        # no cycles: walking up ends within len(orgs) steps
        node: object = o["id"]
        for _ in range(len(orgs) + 1):
            node = orgs[node]["parent_id"]
            if node is None:
                break
        else:
            raise AssertionError(f"parent cycle through {o['id']}")

    for s in t["studios"]:
        assert s["station_id"] is None or orgs[s["station_id"]]["kind"] == "community_station"

    for c in t["coverage"]:
        assert c["enterprise_id"] in firms
        assert c["mode"] in ("organization", "work")
        assert c["coverer_id"] in orgs or c["coverer_id"] in studios
        if c["coverer_id"] in studios:
            assert c["mode"] == "work"

    pairs = [(link["supplier_id"], link["customer_id"]) for link in t["supply_links"]]
    assert len(pairs) == len(set(pairs))
    for a, b in pairs:
        assert a in firms and b in firms and a != b

    for a in t["alliances"]:
        assert a["lead_id"] in firms and a["name"]
    for m in t["alliance_members"]:
        assert m["alliance_id"] in alliances and m["enterprise_id"] in firms
        assert m["role"] in ("lead", "member", None)

    liaison_pairs = [(r["liaison_id"], r["enterprise_id"]) for r in t["liaisons"]]
    assert len(liaison_pairs) == len(set(liaison_pairs))
    for r in t["liaisons"]:
        assert r["enterprise_id"] in firms


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zones())
def test_generated_zones_are_valid(t: Tables) -> None:
    check_integrity(t)
    # The reference answers hang together on every zone.
    rates = ref.zone_rates(t)
    for level in ref.LEVELS:
        groups = ref.coverage_by(t, level)
        assert sum(cast(int, g["total"]) for g in groups) == rates["operating"]
        assert sum(cast(int, g["uncovered"]) for g in groups) == len(ref.uncovered(t))
    own = {o["enterprise_id"] for o in t["party_orgs"]}
    assert all(r["id"] not in own for r in ref.should_form_branch(t))
    for a in t["alliances"]:
        near = {r["id"]: r["distance"] for r in ref.alliance_reach(t, a["id"], hops=1)}
        far = {r["id"]: r["distance"] for r in ref.alliance_reach(t, a["id"], hops=6)}
        assert near == {k: v for k, v in far.items() if v == 1}


@settings(max_examples=50, deadline=None)
@given(zones(max_firms=8))
def test_csv_files_match_contract(t: Tables) -> None:
    with tempfile.TemporaryDirectory() as d:
        write_tables_csv(t, d)
        for name, columns in TABLE_COLUMNS.items():
            path = Path(d) / f"{name}.csv"
            with open(path, encoding="utf-8", newline="") as fh:
                rows = list(csv.reader(fh))
            assert tuple(rows[0]) == columns
            assert len(rows) == 1 + len(t[name])
            for typed, cells in zip(t[name], rows[1:], strict=True):
                for col, cell in zip(columns, cells, strict=True):
                    v = typed[col]
                    if v is None:
                        assert cell == ""
                    elif isinstance(v, bool):
                        assert cell == ("true" if v else "false")
                    elif isinstance(v, float):
                        assert float(cell) == v
                    else:
                        assert cell == str(v)
