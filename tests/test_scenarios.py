"""What-if scenarios: tried on a copy, compared side by side, written only on apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.i18n import Translator
from graph_model.errors import AlreadyExists, BadParameter, NotFound, ValidationFailed
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.catalog import run_query
from queries.scenarios import (
    Change,
    Scenario,
    ScenarioBook,
    apply_scenario,
    check_scenario,
    diff_scenario,
    net_notes,
    reach_net,
    run_in_scenario,
)
from tests.zones import small_zone


@pytest.fixture
def zone(embedded: EmbeddedStore) -> EmbeddedStore:
    load_tables(embedded, small_zone(), source="test")
    return embedded


@pytest.fixture
def book(tmp_path: Path) -> ScenarioBook:
    return ScenarioBook(tmp_path / "scenarios")


def test_a_scenario_changes_answers_on_a_copy_only(zone: EmbeddedStore, book: ScenarioBook) -> None:
    s = book.new("cover-e6", "studio S01 takes E6")
    s.changes.append(
        Change("add", "coverage", {"coverer_id": "S01", "enterprise_id": "E6", "mode": "work"})
    )
    s.changes.append(Change("remove", "supply_links", {"supplier_id": "E3", "customer_id": "E2"}))
    book.save(s)
    s = book.get("cover-e6")
    rows = run_in_scenario(zone, s, "uncovered", {}).rows
    assert [r["id"] for r in rows] == ["E5"]
    reach = run_in_scenario(zone, s, "alliance_reach", {"alliance": "A1", "hops": 6}).rows
    assert [r["id"] for r in reach] == ["E2"]  # the E3–E2 link is gone in the scenario
    # The stored graph has not changed.
    assert [r["id"] for r in run_query(zone, "uncovered")] == ["E5", "E6"]
    assert len(run_query(zone, "alliance_reach", {"alliance": "A1", "hops": 6})) == 5


def test_diff_shows_before_and_after(zone: EmbeddedStore, book: ScenarioBook) -> None:
    s = book.new("join")
    s.changes.append(
        Change("add", "alliance_members", {"alliance_id": "A1", "enterprise_id": "E3"})
    )
    s.changes.append(
        Change(
            "add", "coverage", {"coverer_id": "J1", "enterprise_id": "E6", "mode": "organization"}
        )
    )
    columns, rows = diff_scenario(zone, s)
    assert columns == ["metric", "before", "after", "change"]
    by = {r["metric"]: r for r in rows}
    assert (by["uncovered"]["before"], by["uncovered"]["after"]) == (2, 1)
    assert by["org_covered"]["change"] == 1
    columns, rows = diff_scenario(zone, s, "alliance_reach", {"alliance": "A1"})
    assert columns[0] == "change"
    # E3 joins: it leaves the reach; E6 (1 link from E3), E5 and E7 (2 links) come in.
    assert {(r["change"], r["id"]) for r in rows} == {
        ("-", "E3"),
        ("+", "E6"),
        ("+", "E5"),
        ("+", "E7"),
    }
    # Net, by firm: three enter (E6 is covered by then, E5 is not), E3 became a member.
    net = reach_net(s, rows, "A1")
    assert net == {
        "entered": 3,
        "entered_uncovered": 1,
        "left": 0,
        "left_uncovered": 0,
        "joined": 1,
        "closer": 0,
        "farther": 0,
        "covered": 0,
        "uncovered": 0,
    }
    notes = net_notes(net)
    assert notes == [
        "+3 firms in reach, of which 1 uncovered",
        "1 firm(s) became members (no longer counted in reach)",
    ]
    assert [(n.key, n.values) for n in notes] == [
        ("plan.net.entered", {"n": 3, "u": 1}),
        ("plan.net.joined", {"n": 1}),
    ]


def test_reach_net_counts_each_firm_once(zone: EmbeddedStore) -> None:
    # E2 loses its studio row (work only): covered → uncovered at the same distance; E6
    # (uncovered) drops out of A1's 3-hop reach when E3's link to E6 goes.
    s = Scenario(
        "n",
        [
            Change(
                "remove", "coverage", {"coverer_id": "S01", "enterprise_id": "E2", "mode": "work"}
            ),
            Change("remove", "supply_links", {"supplier_id": "E3", "customer_id": "E6"}),
        ],
    )
    _, rows = diff_scenario(zone, s, "alliance_reach", {"alliance": "A1", "hops": 3})
    net = reach_net(s, rows, "A1")
    assert (net["left"], net["left_uncovered"], net["uncovered"], net["entered"]) == (1, 1, 1, 0)
    assert [n.key for n in net_notes(net)] == ["plan.net.left", "plan.net.uncovered"]
    assert net_notes(reach_net(s, [], "A1")) == ["The reach does not change"]
    # Each line is the catalogue's English (what the pages say in Chinese by default).
    en = Translator("en")
    every = dict.fromkeys(net, 2)
    for note in net_notes(every) + net_notes(reach_net(s, [], "A1")):
        assert en(note.key, **note.values) == note


def test_bad_changes_are_refused_and_not_kept(zone: EmbeddedStore, book: ScenarioBook) -> None:
    def check(*changes: Change) -> None:
        check_scenario(zone, Scenario("t", list(changes)))

    before = zone.read()
    with pytest.raises(ValidationFailed) as info:
        check(
            Change(
                "add",
                "coverage",
                {"coverer_id": "S01", "enterprise_id": "E6", "mode": "organization"},
            )
        )
    assert "a studio gives work coverage only" in str(info.value.problems[0])
    with pytest.raises(ValidationFailed, match="problem") as info:
        check(Change("remove", "supply_links", {"supplier_id": "E1", "customer_id": "E7"}))
    assert [str(p) for p in info.value.problems] == [
        "scenario t change 1: 'remove supply_links supplier_id=E1 customer_id=E7' "
        "matches no stored row"
    ]
    with pytest.raises(ValidationFailed) as info:
        check(Change("add", "alliance_members", {"alliance_id": "A1", "enterprise_id": "E404"}))
    assert "enterprise_id: 'E404' names no enterprise" in str(info.value.problems[0])
    with pytest.raises(BadParameter):
        check(Change("add", "pets", {"id": "x"}))
    assert zone.read() == before


def test_changes_apply_in_order(zone: EmbeddedStore) -> None:
    link = {"supplier_id": "E1", "customer_id": "E7"}
    # Added, then removed: nothing to do, and no complaint that it was never stored.
    check_scenario(
        zone,
        Scenario(
            "t", [Change("add", "supply_links", link), Change("remove", "supply_links", link)]
        ),
    )
    # Removed twice: the second has nothing left to remove.
    old = {"supplier_id": "E2", "customer_id": "E1"}
    with pytest.raises(ValidationFailed, match="problem"):
        check_scenario(zone, Scenario("t", [Change("remove", "supply_links", old)] * 2))
    # Removed, then added afresh: the product not named again is not kept.
    s = Scenario(
        "t",
        [Change("remove", "supply_links", old), Change("add", "supply_links", old)],
    )
    apply_scenario(zone, s)
    links = {(r["supplier_id"], r["customer_id"]): r for r in zone.read().rows("supply_links")}
    assert links[("E2", "E1")]["product"] is None


def test_apply_writes_in_one_go_and_names_are_safe(zone: EmbeddedStore, book: ScenarioBook) -> None:
    s = book.new("w")
    s.changes.append(
        Change("add", "coverage", {"coverer_id": "S01", "enterprise_id": "E5", "mode": "work"})
    )
    apply_scenario(zone, s)
    assert [r["id"] for r in run_query(zone, "uncovered")] == ["E6"]
    with pytest.raises(BadParameter):
        book.new("../escape")
    with pytest.raises(AlreadyExists, match="already exists"):
        book.new("w")
    book.drop("w")
    with pytest.raises(NotFound):
        book.get("w")
    assert book.names() == []


def test_applying_a_scenario_twice_is_applying_it_once(zone: EmbeddedStore) -> None:
    link = {"supplier_id": "E2", "customer_id": "E1"}
    cover = {"coverer_id": "S01", "enterprise_id": "E5", "mode": "work"}
    s = Scenario(
        "twice", [Change("remove", "supply_links", link), Change("add", "coverage", cover)]
    )
    first = apply_scenario(zone, s)
    assert (first.deleted, first.created) == ({"supply_links": 1}, {"coverage": 1})
    after = zone.read()
    again = apply_scenario(zone, s)  # as after a crash between the write and the drop
    assert again.written() == 0
    assert zone.read() == after
    # Half in effect is not a repeat: the remove still has nothing to remove.
    other = {"coverer_id": "S01", "enterprise_id": "E6", "mode": "work"}
    half = Scenario(
        "half", [Change("remove", "supply_links", link), Change("add", "coverage", other)]
    )
    with pytest.raises(ValidationFailed, match="problem"):
        apply_scenario(zone, half)
    assert zone.read() == after
