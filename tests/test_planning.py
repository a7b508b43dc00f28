"""Rule checks, alliance planning and plans on the hand-built zone (answers worked by hand),
plus the optimizers against brute force and the scopes against what they may read."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_model.errors import NotFound
from graph_model.store import Store
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.catalog import execute, get_query, run, run_query
from queries.planning import greedy_recruits
from tests.zones import Tables, small_zone


def load(store: Store, tables: Tables) -> Store:
    load_tables(store, tables, source="test")
    return store


@pytest.fixture
def zone(store: Store) -> Store:
    return load(store, small_zone())


def firm(tables: Tables, firm_id: str) -> dict[str, Any]:
    return next(e for e in tables["enterprises"] if e["id"] == firm_id)


# -- rule checks ---------------------------------------------------------------------------


def test_key_firms_without_liaison(store: Store) -> None:
    tables = small_zone()
    firm(tables, "E3")["key_firm"] = True
    firm(tables, "E4")["key_firm"] = True  # closed: not a gap
    load(store, tables)
    assert run_query(store, "key_firms_without_liaison") == [{"id": "E3", "name": "Gamma"}]


def test_liaison_load_checks_five(zone: Store) -> None:
    assert run_query(zone, "liaison_load") == [
        {"liaison_id": "L1", "name": "Li", "firms": 2, "ok": False}
    ]
    assert run_query(zone, "liaison_load", {"per_liaison": 2})[0]["ok"] is True


def test_industries_without_branch(store: Store) -> None:
    tables = small_zone()
    load(store, tables)
    assert run_query(store, "industries_without_branch") == [
        {"industry": "parts", "firms": 3},
        {"industry": "finance", "firms": 2},
        {"industry": "logistics", "firms": 1},  # E4 is closed
    ]
    tables["party_orgs"].append(
        {
            "id": "IB",
            "name": "Logistics branch",
            "kind": "industry_branch",
            "parent_id": "Z",
            "enterprise_id": None,
            "formation": "industry",
            "street": None,
        }
    )
    tables["coverage"].append({"coverer_id": "IB", "enterprise_id": "E3", "mode": "organization"})
    load(store, tables)
    assert [r["industry"] for r in run_query(store, "industries_without_branch")] == [
        "parts",
        "finance",
    ]


def test_star_distribution(store: Store) -> None:
    tables = small_zone()
    firm(tables, "E1")["star"] = 5
    firm(tables, "E3")["star"] = 3
    firm(tables, "E2")["star"] = 0
    load(store, tables)
    by = {r["group"]: r for r in run_query(store, "star_distribution", {"level": "street"})}
    assert by["S1"] == {
        "group": "S1",
        "total": 3,
        "star_0": 1,
        "star_1": 0,
        "star_2": 0,
        "star_3": 0,
        "star_4": 0,
        "star_5": 1,
        "unrated": 1,
    }
    assert (by["S2"]["star_3"], by["S2"]["unrated"]) == (1, 1)


def test_formation_modes(zone: Store) -> None:
    assert run_query(zone, "formation_modes") == [
        {"formation": "regional_joint", "organizations": 1, "firms": 2},
        {"formation": "own", "organizations": 1, "firms": 1},
    ]


def test_org_tree_counts_direct_and_subtree_firms(zone: Store) -> None:
    rows = run_query(zone, "org_tree")
    assert [(r["id"], r["depth"], r["firms"], r["firms_total"]) for r in rows] == [
        ("Z", 0, 0, 4),
        ("ST", 1, 0, 4),
        ("J1", 2, 2, 2),
        ("O1", 2, 1, 1),
        ("S01", 2, 1, 1),
        ("S02", 2, 1, 1),
    ]
    assert [r["id"] for r in run_query(zone, "org_tree", {"root": "J1"})] == ["J1"]
    with pytest.raises(NotFound, match="no party organization with id 'X'"):
        run_query(zone, "org_tree", {"root": "X"})


# -- alliance planning ---------------------------------------------------------------------


def test_alliance_candidates_ranks_firms_without_organization(zone: Store) -> None:
    # In reach of A1 within 2: E2 (work only) and E3 (joint branch: not a candidate).
    assert run_query(zone, "alliance_candidates", {"alliance": "A1"}) == [
        {
            "id": "E2",
            "name": "Beta",
            "distance": 1,
            "member_links": 1,
            "party_members": 1,
            "score": 3 * 2 + 2 * 1 + 1,
        }
    ]
    rows = run_query(zone, "alliance_candidates", {"alliance": "A1", "hops": 4})
    assert [r["id"] for r in rows] == ["E2", "E6", "E5"]


def test_next_recruit_picks_the_firm_that_reaches_new_gaps(zone: Store) -> None:
    # Within 2 of A1: E2, E3. E3 would bring E6 and E5 (uncovered) and E7 into reach; then
    # E2 brings nothing.
    result = run(zone, "next_recruit", {"alliance": "A1", "k": 3})
    assert result.rows == [
        {
            "id": "E3",
            "name": "Gamma",
            "gain": 2,
            "new_in_reach": 3,
            "sample_ids": ["E5", "E6", "E7"],
        }
    ]
    assert result.notes == ["only 1 firm(s) would bring any firm into reach"]
    assert result.notes[0].key == "note.plan.recruits_short"  # type: ignore[attr-defined]
    assert result.notes[0].values == {"n": 1}  # type: ignore[attr-defined]


def test_next_recruit_keeps_picking_while_a_pick_brings_any_firm(zone: Store) -> None:
    # Within 1 of A1: E2 only; it would bring E3 (covered by J1) into reach: no uncovered
    # firm, but a firm, so it is proposed with gain 0.
    result = run(zone, "next_recruit", {"alliance": "A1", "hops": 1, "k": 3})
    assert result.rows == [
        {"id": "E2", "name": "Beta", "gain": 0, "new_in_reach": 1, "sample_ids": ["E3"]}
    ]


def test_other_alliances_firms_are_never_proposed(store: Store) -> None:
    tables = small_zone()
    # E2, next to A1's lead, leads alliance A2: it belongs to another alliance's work.
    tables["alliances"].append({"id": "A2", "name": "Second", "lead_id": "E2", "theme": None})
    tables["alliance_members"].append({"alliance_id": "A2", "enterprise_id": "E2", "role": "lead"})
    load(store, tables)
    assert run_query(store, "alliance_candidates", {"alliance": "A1"}) == []
    assert run_query(store, "alliance_candidates", {"alliance": "A1", "hops": 4}) == [
        {
            "id": "E6",
            "name": "Zeta",
            "distance": 3,
            "member_links": 0,
            "party_members": 4,
            "score": 3 * 2 + 4,
        },
        {
            "id": "E5",
            "name": "Eps",
            "distance": 4,
            "member_links": 0,
            "party_members": 2,
            "score": 3 * 1 + 2,
        },
    ]
    assert [r["id"] for r in run_query(store, "next_recruit", {"alliance": "A1"})] == ["E3"]
    # E2 still counts as in reach: only proposing it is left out.
    assert "E2" in {r["id"] for r in run_query(store, "alliance_reach", {"alliance": "A1"})}
    # And A1's lead is never proposed to A2.
    assert "E1" not in {r["id"] for r in run_query(store, "next_recruit", {"alliance": "A2"})}


def test_alliance_overlap_is_jaccard_of_reaches(store: Store) -> None:
    tables = small_zone()
    tables["alliances"].append({"id": "A2", "name": "Second", "lead_id": "E6", "theme": None})
    load(store, tables)
    # hops 1: A1 = {E1, E2}; A2 = {E6, E3, E5, E7}. hops 2: A1 = {E1,E2,E3}, A2 adds E2.
    assert run_query(store, "alliance_overlap", {"hops": 1}) == [
        {"a": "A1", "b": "A2", "shared": 0, "jaccard": 0.0, "weighted_jaccard": 0.0}
    ]
    # Weighted (1/distance, members 1): A1 = E1 1, E2 1, E3 ½; A2 = E6 1, E3 1, E5 1,
    # E7 1, E2 ½. Minima: E2 ½ + E3 ½ = 1; maxima: 1 + 1 + 1 + 1 + 1 + 1 + 1 = 7 − 1 = 6.
    assert run_query(store, "alliance_overlap", {"hops": 2}) == [
        {"a": "A1", "b": "A2", "shared": 2, "jaccard": 2 / 6, "weighted_jaccard": round(1 / 6, 6)}
    ]
    # One link by default: at two, alliances of a zone look alike (see test_planner_demo).
    assert run_query(store, "alliance_overlap") == run_query(store, "alliance_overlap", {"hops": 1})


def test_bridging_firms_is_betweenness_on_the_scope(zone: Store) -> None:
    g = nx.Graph([("E2", "E1"), ("E3", "E2"), ("E5", "E6"), ("E3", "E6"), ("E6", "E7")])
    expected = {n: s for n, s in nx.betweenness_centrality(g).items() if s > 0}
    rows = run_query(zone, "bridging_firms")
    assert {r["id"]: r["score"] for r in rows} == pytest.approx(expected)
    assert rows[0]["id"] == max(expected, key=lambda n: expected[n])
    # Grid G2 holds E3, E5, E6 and the links E5–E6, E3–E6: E6 is the only bridge there.
    assert [r["id"] for r in run_query(zone, "bridging_firms", {"scope": "grid:G2"})] == ["E6"]
    # Street S1 holds E1, E2, E7 with the one link E2–E1: nobody stands between two firms.
    assert run_query(zone, "bridging_firms", {"scope": "street:S1"}) == []


def test_suggested_clusters_partition_the_linked_firms(zone: Store) -> None:
    rows = run_query(zone, "suggested_clusters", {"min_size": 1})
    firms = [f for r in rows for f in r["firm_ids"]]
    assert sorted(firms) == ["E1", "E2", "E3", "E5", "E6", "E7"]
    for r in rows:
        assert set(r["uncovered_ids"]) <= set(r["firm_ids"]) & {"E5", "E6"}
        assert r["firms"] == len(r["firm_ids"]) and r["uncovered"] == len(r["uncovered_ids"])


# -- plans ---------------------------------------------------------------------------------


def test_studio_assignment_within_street_and_reasons_for_left_overs(store: Store) -> None:
    tables = small_zone()
    load(store, tables)
    result = run(store, "studio_assignment")
    assert result.rows == []
    assert "left over: E5 Eps: firm has no street" in result.notes
    assert any(n.startswith("left over: E6 Zeta: no studio in street S2") for n in result.notes)
    firm(tables, "E6")["street"] = "S1"
    load(store, tables)
    result = run(store, "studio_assignment", {"capacity": 2})
    assert [r["firm_id"] for r in result.rows] == ["E6"]
    assert result.rows[0]["studio_id"] in {"S01", "S02"}


def test_joint_branch_plan_groups_small_firms_of_one_grid(store: Store) -> None:
    tables = small_zone()
    for i, members in enumerate((1, 2, 1, 1), start=1):
        extra = dict(firm(tables, "E2"), id=f"N{i}", name=f"Small {i}", party_members=members)
        tables["enterprises"].append(extra)
    load(store, tables)
    result = run(store, "joint_branch_plan")
    # G1 has E2 (1) and N1..N4 (1, 2, 1, 1): 6 members, all five firms placeable.
    placed = sorted(f for r in result.rows for f in r["firm_ids"])
    assert placed == ["E2", "N1", "N2", "N3", "N4"]
    assert all(r["members"] >= 3 and r["group"].startswith("G1#") for r in result.rows)
    assert result.notes[0] == f"5 of 6 small firm(s) placed in {len(result.rows)} joint branch(es)"


# -- the greedy choice against brute force ------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    reach=st.dictionaries(
        st.sampled_from("abcdefg"), st.sets(st.integers(0, 12), max_size=6), max_size=7
    ),
    wanted=st.sets(st.integers(0, 12)),
    reached=st.sets(st.integers(0, 12), max_size=4),
    k=st.integers(1, 4),
)
def test_greedy_recruits_is_within_1_minus_1_over_e_of_the_best(
    reach: dict[str, set[int]], wanted: set[int], reached: set[int], k: int
) -> None:
    reach_of = {c: {str(x) for x in r} for c, r in reach.items()}
    want, got = {str(x) for x in wanted}, {str(x) for x in reached}
    picks = greedy_recruits(reach_of, got, want, k)

    def value(chosen: tuple[str, ...]) -> int:
        return len(set().union(*(reach_of[c] for c in chosen), got) & want - got)

    best = max(
        value(c)
        for n in range(min(k, len(reach_of)) + 1)
        for c in itertools.combinations(sorted(reach_of), n)
    )
    total = sum(g for _, g, _ in picks)
    assert total == value(tuple(c for c, _, _ in picks))
    assert total >= (1 - 1 / math.e) * best
    covered = set(got)
    for c, gain, new in picks:  # each pick had the largest marginal gain at its step
        gains = {
            o: (len((reach_of[o] & want) - covered), len(reach_of[o] - covered)) for o in reach_of
        }
        assert (gain, new) == max(gains.values()) == gains[c]
        assert new > 0  # a pick always brings a firm into reach
        covered |= reach_of[c]
    if len(picks) < k:  # stopped: nothing anyone left would bring
        assert all(reach_of[o] <= covered for o in reach_of)


# -- scopes read only what they need ----------------------------------------------------------


class RecordingStore:
    """A real store that remembers every firm id each query returned (a spy, not a mock)."""

    def __init__(self, inner: EmbeddedStore) -> None:
        self.inner, self.dialect, self.seen = inner, inner.dialect, set[str]()

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        rows = self.inner.run(cypher, params)
        for r in rows:
            for key in ("id", "src", "dst"):
                if isinstance(r.get(key), str) and r[key].startswith("E"):
                    self.seen.add(r[key])
        return rows

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_planners_read_the_zone_once_per_version_of_it(store: Store) -> None:
    load(store, small_zone())
    spy = RecordingStore(store)  # type: ignore[arg-type]
    first = run(spy, "next_recruit", {"alliance": "A1", "k": 3})  # type: ignore[arg-type]
    assert spy.seen  # the first planner read the zone's firms
    spy.seen.clear()
    assert run(spy, "next_recruit", {"alliance": "A1", "k": 3}) == first  # type: ignore[arg-type]
    run(spy, "alliance_reach", {"alliance": "A1"})  # type: ignore[arg-type]
    assert spy.seen == set()  # the rest answered from the projection built then
    tables = small_zone()
    tables["coverage"] = [c for c in tables["coverage"] if c["enterprise_id"] != "E3"]
    load(store, tables)
    reach = {r["id"]: r for r in run_query(spy, "alliance_reach", {"alliance": "A1"})}  # type: ignore[arg-type]
    assert spy.seen  # a write made a new version: read again, and the answer follows it
    in_database = execute(store, get_query("_alliance_reach_db", internal=True), {"alliance": "A1"})
    assert reach == {r["id"]: r for r in in_database.rows}
    assert reach["E3"]["covered"] is False
