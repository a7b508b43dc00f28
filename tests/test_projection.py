"""The planners' projection against plain networkx: distances, candidates and recruits on
random graphs (hubs included), and the catalog answers on random zones in a real database
against the Cypher the database runs and against networkx."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_model.store.embedded import EmbeddedStore
from queries.catalog import Page, execute, get_query, run, run_query
from queries.centrality import betweenness, induced, sample_sources
from queries.planning import (
    EXACT_BETWEENNESS,
    MIN_SOURCES,
    SAMPLE_SOURCES,
    SEED,
    WORK_BUDGET,
    balls,
    greedy_recruits,
)
from queries.plans import assignable_firms
from queries.projection import Projection, bfs_levels, projection, undirected_csr
from queries.recruits import lazy_recruits
from queries.scope import supply_subgraph
from tests import reference
from tests.strategies import zones
from tests.test_queries_property import load

Tables = dict[str, list[dict[str, object]]]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[bool]]:
    """A random supply network: firms, links (repeats, both ways and self links included),
    a few hubs linked to many firms, and which firms operate."""
    n = draw(st.integers(1, 60))
    firm = st.integers(0, n - 1)
    links = draw(st.lists(st.tuples(firm, firm), max_size=3 * n))
    for hub in draw(st.lists(firm, max_size=3)):
        links += [(hub, o) for o in draw(st.lists(firm, min_size=n // 3, max_size=n))]
    operating = [True] * n
    for closed in draw(st.lists(firm, max_size=n // 5)):
        operating[closed] = False
    return n, links, operating


def projection_of(n: int, links: list[tuple[int, int]], operating: list[bool]) -> Projection:
    src = np.array([a for a, _ in links], dtype=np.int64)
    dst = np.array([b for _, b in links], dtype=np.int64)
    alive = np.array(operating, dtype=np.bool_)
    indptr, indices = undirected_csr(n, src, dst, alive)
    nothing: list[Any] = [None] * n
    return Projection(
        ids=[f"F{i:03d}" for i in range(n)],
        names=nothing,
        position={f"F{i:03d}": i for i in range(n)},
        operating=alive,
        coverage=np.zeros(n, dtype=np.int8),
        party_members=np.zeros(n, dtype=np.int64),
        street=nothing,
        grid=nothing,
        park=nothing,
        industry=nothing,
        community=nothing,
        employees=nothing,
        star=nothing,
        indptr=indptr,
        indices=indices,
        src=src,
        dst=dst,
        members={},
    )


def networkx_of(n: int, links: list[tuple[int, int]], operating: list[bool]) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(i for i in range(n) if operating[i])
    g.add_edges_from((a, b) for a, b in links if a != b and operating[a] and operating[b])
    return g


@settings(max_examples=200, deadline=None)
@given(graph=graphs(), data=st.data())
def test_breadth_first_layers_match_networkx(
    graph: tuple[int, list[tuple[int, int]], list[bool]], data: st.DataObject
) -> None:
    n, links, operating = graph
    p, g = projection_of(*graph), networkx_of(*graph)
    sources = data.draw(st.lists(st.sampled_from(sorted(g)), max_size=4) if g else st.just([]))
    hops = data.draw(st.integers(0, 6))
    ours = [lv.tolist() for lv in bfs_levels(p, np.array(sources, dtype=np.int64), hops)]
    theirs = [sorted(layer) for layer in nx.bfs_layers(g, sources)][: hops + 1] if sources else []
    assert ours == theirs or (not sources and ours == [[]])


@settings(max_examples=200, deadline=None)
@given(graph=graphs(), data=st.data())
def test_lazy_recruits_pick_what_plain_greedy_picks(
    graph: tuple[int, list[tuple[int, int]], list[bool]], data: st.DataObject
) -> None:
    n, links, operating = graph
    p, g = projection_of(*graph), networkx_of(*graph)
    nodes = sorted(g)
    reached = set(data.draw(st.lists(st.sampled_from(nodes), max_size=n) if nodes else st.just([])))
    candidates = sorted(
        data.draw(st.sets(st.sampled_from(sorted(reached))) if reached else st.just(set()))
    )
    wanted = set(data.draw(st.lists(st.sampled_from(nodes), max_size=n) if nodes else st.just([])))
    hops, k = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 6))
    mask = np.zeros(n, dtype=np.bool_)
    mask[list(reached)] = True
    want = np.zeros(n, dtype=np.bool_)
    want[list(wanted)] = True
    ours = lazy_recruits(p, np.array(candidates, dtype=np.int64), mask, want, hops, k)
    reach_of = balls(g, candidates, hops)
    picks = greedy_recruits(reach_of, reached, wanted, k)
    assert [(pick.position, pick.uncovered, len(pick.new)) for pick in ours] == picks
    covered = set(reached)
    for pick in ours:  # the firms each pick brings: its ball less what was in reach
        assert pick.new.tolist() == sorted(reach_of[pick.position] - covered)
        covered |= reach_of[pick.position]


# -- the catalog on random zones in a real database ------------------------------------------


def in_database(store: EmbeddedStore, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return execute(store, get_query(name, internal=True), params).rows


@SETTINGS
@given(tables=zones(), hops=st.integers(1, 6), size=st.integers(1, 7))
def test_reach_pages_and_counts_match_the_database_and_networkx(
    shared_store: EmbeddedStore, tables: Tables, hops: int, size: int
) -> None:
    load(shared_store, tables)
    for alliance in tables["alliances"]:
        params = {"alliance": alliance["id"], "hops": hops}
        full = run(shared_store, "alliance_reach", params)
        assert full.rows == in_database(shared_store, "_alliance_reach_db", params)
        pages = [
            run(shared_store, "alliance_reach", params, Page(s, size)) for s in range(0, 30, size)
        ]
        assert all(page.total == len(full.rows) for page in pages)
        assert [r for page in pages for r in page.rows] == full.rows[:30]
        expected = reference.alliance_reach(tables, alliance["id"], hops)
        counts = run_query(shared_store, "alliance_reach_by_distance", params)
        assert counts == [
            {
                "distance": d,
                "firms": sum(r["distance"] == d for r in expected),
                "uncovered": sum(r["distance"] == d and not r["covered"] for r in expected),
                "weighted": round(sum(r["distance"] == d for r in expected) / d, 2),
            }
            for d in range(1, hops + 1)
        ]


@SETTINGS
@given(tables=zones(), hops=st.integers(1, 4))
def test_candidates_match_the_database(
    shared_store: EmbeddedStore, tables: Tables, hops: int
) -> None:
    load(shared_store, tables)
    for alliance in tables["alliances"]:
        params = {"alliance": alliance["id"], "hops": hops, "limit": 1000}
        ours = run_query(shared_store, "alliance_candidates", params)
        assert ours == in_database(shared_store, "_alliance_candidates_db", params)


@SETTINGS
@given(tables=zones(), hops=st.integers(1, 3), k=st.integers(1, 4))
def test_next_recruit_matches_greedy_on_networkx(
    shared_store: EmbeddedStore, tables: Tables, hops: int, k: int
) -> None:
    load(shared_store, tables)
    g = reference.supply_graph(tables)
    uncovered = {r["id"] for r in reference.uncovered(tables)}
    for alliance in tables["alliances"]:
        members = reference.alliance_members(tables, alliance["id"]) & set(g)
        reach = {r["id"] for r in reference.alliance_reach(tables, alliance["id"], hops)}
        reached = reach | members
        others = set().union(
            *(
                reference.alliance_members(tables, a["id"])
                for a in tables["alliances"]
                if a["id"] != alliance["id"]
            )
        )
        candidates = sorted(reach - others, key=str)
        reach_of = balls(g, candidates, hops)
        picks = greedy_recruits(reach_of, reached, uncovered, k)
        ours = run_query(
            shared_store, "next_recruit", {"alliance": alliance["id"], "hops": hops, "k": k}
        )
        assert [(r["id"], r["gain"], r["new_in_reach"]) for r in ours] == picks
        covered = set(reached)
        for r in ours:  # the sample: new firms, uncovered first, then by id
            new = reach_of[r["id"]] - covered
            expected = sorted(new, key=lambda f: (f not in uncovered, f))[: len(r["sample_ids"])]
            assert r["sample_ids"] == expected and len(r["sample_ids"]) == min(5, len(new))
            covered |= new


# -- bridges and clusters against networkx on the scope pulled from the database ----------------


def networkx_bridges(store: EmbeddedStore, scope: str, limit: int = 20) -> list[dict[str, Any]]:
    """bridging_firms as networkx computes it on the scope read from the database."""
    g = supply_subgraph(store, scope)
    if g.number_of_nodes() <= 2:
        return []
    k = None
    if g.number_of_nodes() > EXACT_BETWEENNESS:
        size = g.number_of_nodes() + g.number_of_edges()
        k = max(MIN_SOURCES, min(SAMPLE_SOURCES, WORK_BUDGET // size))
    score = nx.betweenness_centrality(g, k=k, seed=SEED)
    rows = [{"id": n, "name": g.nodes[n]["name"], "score": round(s, 6)} for n, s in score.items()]
    rows = sorted((r for r in rows if r["score"] > 0), key=lambda r: (-r["score"], r["id"]))
    return rows[:limit]


def networkx_clusters(store: EmbeddedStore, scope: str) -> list[list[str]]:
    """suggested_clusters' communities as networkx finds them on the scope from the database."""
    g = supply_subgraph(store, scope)
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    found = nx.community.louvain_communities(g, seed=SEED) if g.number_of_edges() else []
    return [sorted(c) for c in sorted(found, key=lambda c: (-len(c), min(c)))]


@pytest.mark.parametrize("scope", ["zone", "street:锦程街道", "alliance:A3", "grid:nowhere"])
def test_bridges_and_clusters_match_networkx_on_the_scope(
    demo_store: EmbeddedStore, scope: str
) -> None:
    ours = run_query(demo_store, "bridging_firms", {"scope": scope, "limit": 1000})
    theirs = networkx_bridges(demo_store, scope, 1000)
    assert [r["id"] for r in ours] == [r["id"] for r in theirs]
    assert [r["score"] for r in ours] == pytest.approx([r["score"] for r in theirs], abs=2e-6)
    clusters = run_query(demo_store, "suggested_clusters", {"scope": scope, "min_size": 1})
    assert [r["firm_ids"] for r in clusters] == networkx_clusters(demo_store, scope)


@settings(max_examples=200, deadline=None)
@given(graph=graphs(), k=st.integers(1, 8))
def test_vector_betweenness_matches_networkx(
    graph: tuple[int, list[tuple[int, int]], list[bool]], k: int
) -> None:
    p, g = projection_of(*graph), networkx_of(*graph)
    nodes = np.array(sorted(g), dtype=np.int64)
    local = induced(p, nodes)
    for sample in (None, min(k, len(nodes))):
        if len(nodes) <= 2:
            continue
        sampled = sample is not None and sample != len(nodes)
        ours = betweenness(local, sample_sources(len(nodes), sample, SEED), sampled)
        theirs = nx.betweenness_centrality(g, k=sample, seed=SEED)
        assert ours.tolist() == pytest.approx([theirs[n] for n in sorted(g)], nan_ok=True)


@SETTINGS
@given(tables=zones())
def test_assignable_firms_match_the_database(shared_store: EmbeddedStore, tables: Tables) -> None:
    load(shared_store, tables)
    p = projection(shared_store)
    streets = {"", *(str(f["street"]) for f in tables["enterprises"] if f.get("street"))}
    for street in sorted(streets):
        ours = assignable_firms(p, street)
        assert ours == in_database(shared_store, "_assignable_firms", {"street": street})
