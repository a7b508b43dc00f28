"""Pulling just the part of the supply network an analysis asks for, as a networkx graph.

A scope is ``zone``, ``street:X``, ``grid:X``, ``park:X``, ``industry:X`` or ``alliance:Y``
(the alliance's members and every firm within ``hops`` links of them). Only operating firms
and the links between them come back; nothing outside the scope is read, so an analysis of
one street never drags a province through the driver.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph_model.errors import BadParameter
from graph_model.store.base import Store
from queries.alliances import ALLIANCE, IN_REACH, MEMBERS, per_engine
from queries.catalog import Param, Query, execute, register
from queries.filters import both, by_level, where_set

SCOPE_KINDS = ("zone", "street", "grid", "park", "industry", "alliance")

_FIRM_COLUMNS = """e.id AS id, e.name AS name, e.street AS street, e.grid AS grid,
       e.industry AS industry, e.party_members AS party_members, e.employees AS employees,
       e.star AS star, e.key_firm AS key_firm,
       e.coverage = 'own' AS own_org, e.coverage IN ['own', 'joint'] AS org_covered,
       e.coverage = 'work' AS work_covered"""
FIRM_ATTRS = (
    "name",
    "street",
    "grid",
    "industry",
    "party_members",
    "employees",
    "star",
    "key_firm",
    "own_org",
    "org_covered",
    "work_covered",
)

_AREA = (
    Param("level", str, "", "street, grid, park or industry ('' = the whole zone)"),
    Param("value", str, "", "the street, grid, park or industry"),
)

SCOPE_FIRMS = Query(
    name="_scope_firms",
    description="Operating firms of the zone or of one street, grid, park or industry.",
    columns=("id", *FIRM_ATTRS),
    params=_AREA,
    public=False,
    cypher=f"""
MATCH (e:Enterprise)
WHERE e.status = 'operating'@filters
RETURN {_FIRM_COLUMNS}""",
    shape=both(where_set({"level": "@level(e) = $value"}), by_level()),
)

SCOPE_LINKS = Query(
    name="_scope_links",
    description="Supply links between operating firms of the zone or of one area.",
    columns=("src", "dst"),
    params=_AREA,
    public=False,
    cypher="""
MATCH (a:Enterprise)-[:SUPPLIES]->(b:Enterprise)
WHERE a.status = 'operating' AND b.status = 'operating'
  @filters
RETURN a.id AS src, b.id AS dst""",
    shape=both(where_set({"level": "@level(a) = $value AND @level(b) = $value"}), by_level()),
)

#: An alliance's operating members (distance 0) and every operating firm within `hops`
#: links. Up to 12 hops: planning looks one reach beyond the alliance's own (2 × 6).
ALLIANCE_BALL = Query(
    name="_alliance_ball",
    description="An alliance's operating members (distance 0) and firms within hops.",
    columns=("id", "distance"),
    params=(ALLIANCE, Param("hops", int, 2, "supply links to follow", 1, 12, inline=True)),
    requires=(("alliance", "Alliance"),),
    public=False,
    overrides=per_engine(
        MEMBERS + "\nRETURN m.id AS id, 0 AS distance\nUNION" + MEMBERS,
        IN_REACH + "\nRETURN e.id AS id, distance",
    ),
)

FIRMS_BY_ID = Query(
    name="_firms_by_id",
    description="Operating firms with the given ids.",
    columns=("id", *FIRM_ATTRS),
    params=(Param("ids", str, "", "unused: ids are sent as a list parameter"),),
    public=False,
    cypher=f"""
UNWIND $ids AS i
MATCH (e:Enterprise {{id: i}})
WHERE e.status = 'operating'
RETURN {_FIRM_COLUMNS}""",
)

LINKS_FROM_IDS = Query(
    name="_links_from_ids",
    description="Supply links from the given firms to operating firms.",
    columns=("src", "dst"),
    params=(Param("ids", str, "", "unused: ids are sent as a list parameter"),),
    public=False,
    cypher="""
UNWIND $ids AS i
MATCH (a:Enterprise {id: i})-[:SUPPLIES]->(b:Enterprise)
WHERE b.status = 'operating'
RETURN a.id AS src, b.id AS dst""",
)

register(SCOPE_FIRMS, SCOPE_LINKS, ALLIANCE_BALL, FIRMS_BY_ID, LINKS_FROM_IDS)


def parse_scope(scope: str) -> tuple[str, str]:
    """``'street:锦程街道'`` → ``('street', '锦程街道')``; ``'zone'`` → ``('zone', '')``."""
    kind, _, value = scope.partition(":")
    kind = kind.strip().lower()
    if kind not in SCOPE_KINDS or (kind == "zone") != (value == ""):
        raise BadParameter(
            f"scope: {scope!r} is not zone, street:X, grid:X, park:X, industry:X or alliance:Y"
        )
    return kind, value


def _with_ids(store: Store, query: Query, ids: list[str]) -> list[dict[str, Any]]:
    # The id list is a parameter like any other; it goes beside the bound ones.
    text, sent = query.render(store.dialect, query.bind({}))
    return store.run(text, {**sent, "ids": ids})


def graph_of(firms: list[dict[str, Any]], links: list[dict[str, Any]]) -> nx.Graph:
    """An undirected graph of firms (with their attributes) and the links among them.

    Built in one order (firms by id, links by their ends), not the order the database
    returns rows in: seeded analyses (Louvain, sampled betweenness) depend on it, and a
    restored database returns the same rows in another order.
    """
    g = nx.Graph()
    for f in sorted(firms, key=lambda f: str(f["id"])):
        g.add_node(f["id"], **{k: f.get(k) for k in FIRM_ATTRS})
    ends = sorted((str(link["src"]), str(link["dst"])) for link in links)
    g.add_edges_from((a, b) for a, b in ends if a in g and b in g)
    return g


def alliance_ball(store: Store, alliance: str, hops: int) -> list[dict[str, Any]]:
    """Rows ``id, distance`` for an alliance's members (0) and the firms within ``hops``."""
    return execute(store, ALLIANCE_BALL, {"alliance": alliance, "hops": hops}).rows


def firms_graph(store: Store, ids: list[str]) -> nx.Graph:
    """The supply graph among exactly these firms (the operating ones)."""
    return graph_of(_with_ids(store, FIRMS_BY_ID, ids), _with_ids(store, LINKS_FROM_IDS, ids))


def supply_subgraph(store: Store, scope: str, hops: int = 2) -> nx.Graph:
    """The operating firms of ``scope`` and the supply links among them (undirected)."""
    kind, value = parse_scope(scope)
    if kind == "alliance":
        return firms_graph(store, [r["id"] for r in alliance_ball(store, value, hops)])
    area = {"level": "" if kind == "zone" else kind, "value": value}
    return graph_of(execute(store, SCOPE_FIRMS, area).rows, execute(store, SCOPE_LINKS, area).rows)
