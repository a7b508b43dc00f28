"""Every catalog query against the hand-built zone in tests/zones.py, answers worked by hand."""

from __future__ import annotations

import pytest

from graph_model.errors import BadParameter, NotFound, UnknownQuery
from graph_model.store import Store
from loaders.load import load_tables
from queries.catalog import run_query
from tests.zones import small_zone


@pytest.fixture
def zone(store: Store) -> Store:
    load_tables(store, small_zone(), source="test")
    return store


def ids(rows: list[dict[str, object]]) -> list[object]:
    return [r["id"] for r in rows]


def test_uncovered_lists_operating_firms_with_neither_coverage(zone: Store) -> None:
    assert run_query(zone, "uncovered") == [
        {
            "id": "E5",
            "name": "Eps",
            "street": None,
            "grid": "G2",
            "industry": "finance",
            "party_members": 2,
        },
        {
            "id": "E6",
            "name": "Zeta",
            "street": "S2",
            "grid": "G2",
            "industry": "finance",
            "party_members": 4,
        },
    ]


def test_uncovered_filters_narrow_the_list(zone: Store) -> None:
    assert ids(run_query(zone, "uncovered", {"street": "S2"})) == ["E6"]
    assert ids(run_query(zone, "uncovered", {"min_members": "3"})) == ["E6"]
    assert ids(run_query(zone, "uncovered", {"industry": "parts"})) == []


def test_should_form_branch_ignores_joint_coverage(zone: Store) -> None:
    # E3 is covered by joint branch J1 but has 3 members and no organization of its own.
    assert run_query(zone, "should_form_branch") == [
        {"id": "E6", "name": "Zeta", "party_members": 4},
        {"id": "E3", "name": "Gamma", "party_members": 3},
    ]


def test_studio_load_counts_distinct_operating_firms(zone: Store) -> None:
    # S01 has E2 twice and closed E4: one firm.
    assert run_query(zone, "studio_load") == [
        {"id": "S01", "name": "Studio one", "firms": 1, "below_minimum": True},
        {"id": "S02", "name": "Studio two", "firms": 1, "below_minimum": True},
    ]
    assert [r["below_minimum"] for r in run_query(zone, "studio_load", {"minimum": 1})] == [
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("hops", "expected"),
    [
        (1, [("E2", 1, True)]),
        (2, [("E2", 1, True), ("E3", 2, True)]),
        (3, [("E2", 1, True), ("E3", 2, True), ("E6", 3, False)]),
        (
            6,
            [("E2", 1, True), ("E3", 2, True), ("E6", 3, False), ("E5", 4, False), ("E7", 4, True)],
        ),
    ],
)
def test_alliance_reach_follows_links_both_ways_through_operating_firms(
    zone: Store, hops: int, expected: list[tuple[str, int, bool]]
) -> None:
    rows = run_query(zone, "alliance_reach", {"alliance": "A1", "hops": hops})
    assert [(r["id"], r["distance"], r["covered"]) for r in rows] == expected
    assert set(rows[0]) == {"id", "name", "distance", "covered"}


def test_alliance_reach_refuses_unknown_alliance_and_bad_hops(zone: Store) -> None:
    with pytest.raises(NotFound, match="no alliance with id 'A9'"):
        run_query(zone, "alliance_reach", {"alliance": "A9"})
    with pytest.raises(BadParameter, match="hops"):
        run_query(zone, "alliance_reach", {"alliance": "A1", "hops": 7})
    with pytest.raises(BadParameter, match="needs the parameter alliance"):
        run_query(zone, "alliance_reach", {})


def test_coverage_by_street_and_grid(zone: Store) -> None:
    by_street = {r["group"]: r for r in run_query(zone, "coverage_by", {"level": "street"})}
    assert by_street["S1"] == {
        "group": "S1",
        "total": 3,
        "org_covered": 2,
        "work_only": 1,
        "uncovered": 0,
        "rate": 1.0,
        "own_org": 1,
        "coverage_rate": 1.0,
        "org_coverage_rate": pytest.approx(2 / 3),
        "own_org_rate": pytest.approx(1 / 3),
    }
    assert by_street["S2"] == {
        "group": "S2",
        "total": 2,
        "org_covered": 1,
        "work_only": 0,
        "uncovered": 1,
        "rate": 0.5,
        "own_org": 0,
        "coverage_rate": 0.5,
        "org_coverage_rate": 0.5,
        "own_org_rate": 0.0,
    }
    assert by_street[None]["total"] == 1 and by_street[None]["rate"] == 0.0
    by_grid = {r["group"]: r for r in run_query(zone, "coverage_by", {"level": "grid"})}
    assert by_grid["G2"]["uncovered"] == 2
    assert by_grid["G2"]["rate"] == pytest.approx(1 / 3)
    with pytest.raises(BadParameter, match="level"):
        run_query(zone, "coverage_by", {"level": "province"})


def test_zone_summary_rates_as_organizers_count_them(zone: Store) -> None:
    s = run_query(zone, "zone_summary")[0]
    assert (s["operating"], s["closed"], s["own_org"], s["org_covered"]) == (6, 1, 1, 3)
    assert (s["work_only"], s["uncovered"]) == (1, 2)
    assert s["org_coverage_rate"] == pytest.approx(3 / 6)
    assert s["own_org_rate"] == pytest.approx(1 / 6)
    assert s["coverage_rate"] == pytest.approx(4 / 6)


def test_zone_summary_on_an_empty_zone_is_zero_not_an_error(store: Store) -> None:
    s = run_query(store, "zone_summary")[0]
    assert s["operating"] == 0 and s["org_coverage_rate"] == 0.0


def test_alliances_lists_lead_and_members(zone: Store) -> None:
    assert run_query(zone, "alliances") == [
        {
            "id": "A1",
            "name": "Alliance",
            "theme": "auto",
            "lead_id": "E1",
            "lead_name": "Alpha",
            "members": 1,
        }
    ]


def test_unknown_query_and_parameter_are_clear_errors(zone: Store) -> None:
    with pytest.raises(UnknownQuery, match="no query named 'gaps'"):
        run_query(zone, "gaps")
    with pytest.raises(BadParameter, match="has no parameter colour"):
        run_query(zone, "uncovered", {"colour": "red"})


def test_parameters_are_data_not_cypher(zone: Store) -> None:
    # An injection attempt is just a street name nobody has.
    assert run_query(zone, "uncovered", {"street": "S2' OR 1=1 //"}) == []
