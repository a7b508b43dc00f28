"""Alliance planning analytics: overlap, next recruits, bridging firms, suggested clusters.

Each runs on a networkx graph pulled for its scope only (:mod:`queries.scope`), and sits in
the catalog beside the Cypher queries, so the CLI, the API and the pages get it for free.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from graph_model.errors import NotFound
from graph_model.schema import NOUNS
from graph_model.store.base import Store
from queries.alliances import ALLIANCE
from queries.catalog import (
    Param,
    ParamValue,
    Query,
    Result,
    exists_statement,
    register,
    run_query,
)
from queries.centrality import betweenness, induced, sample_sources, scope_graph, scope_positions
from queries.notes import Note
from queries.projection import NONE, Ints, Projection, bfs_levels, projection
from queries.reach import distance_weight, in_other_alliances
from queries.recruits import lazy_recruits
from queries.scope import parse_scope

__all__ = ["balls", "greedy_recruits"]

SCOPE = Param(
    "scope",
    str,
    "zone",
    "zone, street:X, grid:X, park:X, industry:X or alliance:Y",
    pattern=r"^(zone|(street|grid|park|industry|alliance):.+)$",
)
HOPS = Param("hops", int, 2, "supply links to follow (1–6)", 1, 6)
#: The overlap compares alliances at one link by default: at two, most alliances of a zone
#: reach most of its firms (the demo zone: 974 of 1,470) and every pair looks alike.
OVERLAP_HOPS = replace(HOPS, default=1)


def alliance_overlap(store: Store, params: dict[str, ParamValue]) -> Result:
    """Every pair of alliances with the firms both reach (members included), the Jaccard
    index of their reaches, and the weighted Jaccard of their distance-weighted reaches.

    Each alliance's ball (its operating members and the firms within ``hops``) is a
    breadth-first search on the projection (:mod:`queries.projection`), as sorted positions,
    so a pair's shared firms are one sorted intersection. In the weighted index
    (Ruzicka's, sum of minima over sum of maxima) a firm counts
    :func:`~queries.reach.distance_weight` of its distance from each alliance: two
    alliances sharing only a far ring of suppliers stay apart.
    """
    hops = int(params["hops"])
    p = projection(store)
    reach: dict[str, tuple[Ints, npt.NDArray[np.float64]]] = {}
    for alliance in run_query(store, "alliances"):
        ball = list(bfs_levels(p, p.operating_members(str(alliance["id"])), hops))
        ids = np.concatenate(ball) if ball else np.empty(0, np.int64)
        distance = np.concatenate([np.full(len(lv), d) for d, lv in enumerate(ball)] or [ids])
        order = np.argsort(ids)
        reach[str(alliance["id"])] = (ids[order], distance_weight(distance[order]))
    rows: list[dict[str, Any]] = []
    for a, b in combinations(sorted(reach), 2):
        (ia, wa), (ib, wb) = reach[a], reach[b]
        both, at_a, at_b = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        shared = len(both)
        union = len(ia) + len(ib) - shared
        low = float(np.minimum(wa[at_a], wb[at_b]).sum())
        high = float(wa.sum() + wb.sum()) - low
        rows.append(
            {
                "a": a,
                "b": b,
                "shared": shared,
                "jaccard": shared / union if union else 0.0,
                "weighted_jaccard": round(low / high, 6) if high else 0.0,
            }
        )
    rows.sort(key=lambda r: (-r["jaccard"], r["a"], r["b"]))
    return Result(rows)


def balls(g: nx.Graph, sources: Iterable[str], hops: int) -> dict[str, set[str]]:
    """For each source, the nodes within ``hops`` links of it (itself included)."""
    return {s: set(nx.single_source_shortest_path_length(g, s, cutoff=hops)) for s in sources}


def greedy_recruits(
    reach_of: dict[str, set[str]], reached: set[str], wanted: set[str], k: int
) -> list[tuple[str, int, int]]:
    """Pick ``k`` candidates, each bringing the most not-yet-reached ``wanted`` nodes, and
    among equals (or once no wanted node is left) the most not-yet-reached nodes.

    Parameters
    ----------
    reach_of
        Each candidate's reach if it joined (the nodes within ``hops`` of it).
    reached
        Nodes already in reach.
    wanted
        Nodes worth reaching (uncovered firms).
    k
        How many candidates to pick.

    Returns
    -------
    ``(candidate, new wanted nodes, new nodes)`` in the order picked; ties go to the
    smaller id, and picking stops early when no candidate brings any node into reach.

    Notes
    -----
    The pair of counts is one weighted coverage (a wanted node outweighs all others
    together), which is monotone and submodular, so the greedy choice reaches at least
    ``1 − 1/e`` (≈ 63%) of the best possible choice of ``k`` (Nemhauser, Wolsey and Fisher
    1978); finding the best choice itself is NP-hard (maximum coverage).

    Examples
    --------
    >>> greedy_recruits({"a": {"x", "y"}, "b": {"y", "z", "w"}}, set(), {"x", "y", "z"}, 3)
    [('a', 2, 2), ('b', 1, 2)]
    """
    covered = set(reached)
    picked: list[tuple[str, int, int]] = []
    left = dict(reach_of)
    for _ in range(k):
        gains = {c: (len((r & wanted) - covered), len(r - covered)) for c, r in left.items()}
        if not gains:
            break
        best = min(gains, key=lambda c: (-gains[c][0], -gains[c][1], c))
        if gains[best][1] == 0:
            break
        picked.append((best, *gains[best]))
        covered |= left.pop(best)
    return picked


#: How many of the firms a recruit brings into reach ``next_recruit`` names.
SAMPLE = 5


def next_recruit(store: Store, params: dict[str, ParamValue]) -> Result:
    """The ``k`` firms now in an alliance's reach whose joining would reach the most new
    uncovered firms, then the most new firms (greedy maximum coverage, see
    :func:`greedy_recruits`; computed on the projection by
    :func:`~queries.recruits.lazy_recruits`, which picks the same firms).

    Members and leading firms of other alliances are never proposed. Each row says what
    the pick brings: ``gain`` uncovered firms and ``new_in_reach`` firms in all, of which
    ``sample_ids`` names a few (uncovered first, then by id).
    """
    alliance, hops, k = str(params["alliance"]), int(params["hops"]), int(params["k"])
    p = projection(store)
    levels = list(bfs_levels(p, p.operating_members(alliance), hops))
    reached = np.zeros(p.size, dtype=np.bool_)
    for level in levels:
        reached[level] = True
    candidates = np.concatenate(levels[1:]) if len(levels) > 1 else np.empty(0, np.int64)
    candidates = np.sort(candidates[~in_other_alliances(p, alliance)[candidates]])
    uncovered = p.coverage == NONE
    picks = lazy_recruits(p, candidates, reached, uncovered, hops, k)
    rows = []
    for pick in picks:
        # Uncovered first, then by id (positions are in id order).
        named = pick.new[np.lexsort((pick.new, ~uncovered[pick.new]))][:SAMPLE]
        rows.append(
            {
                "id": p.ids[pick.position],
                "name": p.names[pick.position],
                "gain": pick.uncovered,
                "new_in_reach": len(pick.new),
                "sample_ids": [p.ids[i] for i in named.tolist()],
            }
        )
    notes: list[str] = []
    if len(rows) < k:
        notes.append(
            Note(
                "note.plan.recruits_short",
                f"only {len(rows)} firm(s) would bring any firm into reach",
                n=len(rows),
            )
        )
    return Result(rows, notes)


#: Above this many firms betweenness is estimated from a sample of sources (fixed seed):
#: exact betweenness costs O(firms × links), hours for a city. The sample shrinks as the
#: graph grows, so one answer stays within about WORK_BUDGET node-and-link visits.
EXACT_BETWEENNESS = 1000
SAMPLE_SOURCES = 300
MIN_SOURCES = 20
WORK_BUDGET = 2_000_000
#: The seed of sampled betweenness and of Louvain.
SEED = 2021


def _scope(store: Store, scope: str) -> tuple[Projection, Ints]:
    """The projection and the positions of the scope's operating firms."""
    kind, value = parse_scope(scope)
    if kind == "alliance" and store.run(exists_statement("Alliance"), {"id": value})[0]["n"] == 0:
        raise NotFound(f"no {NOUNS['Alliance']} with id {value!r}")
    p = projection(store)
    return p, scope_positions(p, kind, value)


def bridging_firms(store: Store, params: dict[str, ParamValue]) -> Result:
    """Firms whose removal would split the scope's supply network most (betweenness)."""
    p, nodes = _scope(store, str(params["scope"]))
    g = induced(p, nodes)
    notes: list[str] = []
    if g.size <= 2:
        score = np.zeros(g.size)
    elif g.size <= EXACT_BETWEENNESS:
        score = betweenness(g, sample_sources(g.size, None, SEED), sampled=False)
    else:
        size = g.size + len(g.indices) // 2
        k = max(MIN_SOURCES, min(SAMPLE_SOURCES, WORK_BUDGET // size))
        score = betweenness(g, sample_sources(g.size, k, SEED), sampled=k != g.size)
        notes.append(
            Note(
                "note.plan.sampled",
                f"{g.size} firms: betweenness estimated from {k} sampled sources "
                "(fixed seed); narrow the scope for exact scores",
                n=g.size,
                k=k,
            )
        )
    rounded = np.round(score, 6)
    found = np.flatnonzero(score > 0)
    # Highest score first, then by id (local positions are in id order).
    order = found[np.lexsort((found, -rounded[found]))][: int(params["limit"])]
    rows = [
        {"id": p.ids[nodes[i]], "name": p.names[nodes[i]], "score": float(rounded[i])}
        for i in order.tolist()
    ]
    return Result(rows, notes)


def suggested_clusters(store: Store, params: dict[str, ParamValue]) -> Result:
    """Communities of the scope's supply network (Louvain, fixed seed) with their gaps:
    candidates for a new alliance or an industrial-chain joint branch."""
    p, nodes = _scope(store, str(params["scope"]))
    g = scope_graph(p, nodes)
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    communities = nx.community.louvain_communities(g, seed=SEED) if g.number_of_edges() else []
    rows: list[dict[str, Any]] = []
    for group in sorted(communities, key=lambda c: (-len(c), min(c))):
        if len(group) < int(params["min_size"]):
            continue
        firms = sorted(group)
        gaps = [f for f in firms if g.nodes[f]["uncovered"]]
        industries = Counter(g.nodes[f]["industry"] for f in firms if g.nodes[f]["industry"])
        rows.append(
            {
                "cluster": len(rows) + 1,
                "firms": len(firms),
                "uncovered": len(gaps),
                "industry": industries.most_common(1)[0][0] if industries else None,
                "firm_ids": firms,
                "uncovered_ids": gaps,
            }
        )
    return Result(rows)


register(
    Query(
        name="alliance_overlap",
        description="Every pair of alliances: firms both reach within hops (members included), "
        "the Jaccard index of their reaches, and the weighted Jaccard where a firm counts "
        "1/distance (members and direct partners 1).",
        columns=("a", "b", "shared", "jaccard", "weighted_jaccard"),
        params=(OVERLAP_HOPS,),
        analysis=alliance_overlap,
    ),
    Query(
        name="next_recruit",
        description="The k firms in an alliance's reach (none of another alliance) whose "
        "joining brings the most not yet reached uncovered firms, then firms, into reach "
        "(greedy, within 1 − 1/e of the best): gain = uncovered firms brought, "
        "new_in_reach = all firms brought, sample_ids = a few of them.",
        columns=("id", "name", "gain", "new_in_reach", "sample_ids"),
        params=(ALLIANCE, HOPS, Param("k", int, 3, "firms to propose", 1, 50)),
        requires=(("alliance", "Alliance"),),
        analysis=next_recruit,
    ),
    Query(
        name="bridging_firms",
        description="Firms whose removal would split the scope's supply network most "
        "(betweenness centrality).",
        columns=("id", "name", "score"),
        params=(SCOPE, Param("limit", int, 20, "rows to return", 1, 1000)),
        analysis=bridging_firms,
    ),
    Query(
        name="suggested_clusters",
        description="Communities in the scope's supply network (Louvain, fixed seed) with "
        "their uncovered firms: candidates for a new alliance or a chain joint branch.",
        columns=("cluster", "firms", "uncovered", "industry", "firm_ids", "uncovered_ids"),
        params=(SCOPE, Param("min_size", int, 3, "smallest cluster to list", 1, 100_000)),
        analysis=suggested_clusters,
    ),
)
