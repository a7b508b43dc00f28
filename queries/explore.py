"""Reads behind the network's step-by-step moves: one node, its neighbours by relationship
kind, the shortest supply path between two firms, and how a firm is covered.

Every statement is written from :mod:`graph_model.schema` (labels, relationship types and
which properties a label has: LadybugDB refuses a property its table lacks), and the only
user input, ids, goes in as parameters. Shortest paths walk the in-memory projection
(:mod:`queries.projection`), cached per store generation, so a path costs no database
round trip beyond reading the firms it passes through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph_model.schema import NODES, RELS
from graph_model.store.base import Store
from queries.projection import gather, projection
from queries.scope import FIRMS_BY_ID, LINKS_FROM_IDS

__all__ = [
    "COVERING",
    "Chain",
    "coverage_chain",
    "explore_statements",
    "find_node",
    "neighbours",
    "parse_rels",
    "supply_path",
]

#: Relationships that cover a firm, the strongest first (own organization, organizational
#: coverage, work coverage), each with the labels that may cover.
COVERING: tuple[tuple[str, str], ...] = tuple(
    (rtype, start) for rtype in ("OWN_ORG", "COVERS", "GUIDES") for start, _ in RELS[rtype].ends
)
#: How far up the organization tree a coverage chain climbs at most (firm organization →
#: station → street committee → zone committee is three steps; more guards a cycle).
MAX_CHAIN = 8


def _columns(label: str, var: str) -> str:
    """``id, name, kind, street`` of a ``label`` node, null where the label has no such
    property (a grid has no name: its id names it)."""
    props = {p.name for p in NODES[label].props}
    name = f"{var}.name" if "name" in props else f"{var}.id"
    kind = f"{var}.kind" if "kind" in props else "null"
    street = f"{var}.street" if "street" in props else "null"
    return f"{var}.id AS id, {name} AS name, {kind} AS kind, {street} AS street"


def node_statement(label: str) -> str:
    """Cypher for the ``label`` node whose id is ``$id``."""
    assert label in NODES
    return f"MATCH (n:{label} {{id: $id}}) RETURN {_columns(label, 'n')}"


def step_statement(label: str, rtype: str, other: str, outgoing: bool) -> str:
    """Cypher for the ``other`` nodes one ``rtype`` link from the ``label`` node ``$id``."""
    assert label in NODES and other in NODES and rtype in RELS
    arrow = f"-[:{rtype}]->" if outgoing else f"<-[:{rtype}]-"
    return f"MATCH (n:{label} {{id: $id}}){arrow}(m:{other}) RETURN {_columns(other, 'm')}"


def _steps(label: str, rtypes: tuple[str, ...]) -> list[tuple[str, str, bool]]:
    """Every (type, other label, outgoing) one step from a ``label`` node, per the schema."""
    steps = []
    for rtype in rtypes:
        for start, end in RELS[rtype].ends:
            if start == label:
                steps.append((rtype, end, True))
            if end == label:
                steps.append((rtype, start, False))
    return steps


def explore_statements() -> dict[str, str]:
    """Every statement text this module sends (for the Cypher lint)."""
    texts = {f"explore:node:{label}": node_statement(label) for label in NODES}
    for label in NODES:
        for rtype, other, out in _steps(label, tuple(RELS)):
            key = f"explore:{label}:{'out' if out else 'in'}:{rtype}:{other}"
            texts[key] = step_statement(label, rtype, other, out)
    return texts


def parse_rels(rels: str | None) -> tuple[tuple[str, ...], list[str]]:
    """``'SUPPLIES,COVERS'`` → (the schema's types named, the names that are no type);
    every type when ``rels`` is empty. Only names of the schema ever reach a statement."""
    if not rels or not rels.strip():
        return tuple(RELS), []
    named = tuple(dict.fromkeys(r.strip().upper() for r in rels.split(",") if r.strip()))
    return tuple(r for r in named if r in RELS), [r for r in named if r not in RELS]


def find_node(store: Store, node_id: str) -> dict[str, Any] | None:
    """The node with id ``node_id`` (ids are unique across labels), with its ``label``."""
    for label in NODES:
        rows = store.run(node_statement(label), {"id": node_id})
        if rows:
            return {**rows[0], "label": label}
    return None


def firm_rows(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The operating firms among ``ids``, with the columns a view draws, by id."""
    rows = store.run(FIRMS_BY_ID.text(store.dialect), {"ids": ids})
    return {str(r["id"]): r for r in rows}


def neighbours(
    store: Store, node: dict[str, Any], rtypes: tuple[str, ...]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The direct neighbours of ``node`` over ``rtypes`` (operating firms only, like every
    view), and one edge per link to each, as stored (``src`` is the relationship's start)."""
    found: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    for rtype, other, outgoing in _steps(node["label"], rtypes):
        for r in store.run(
            step_statement(node["label"], rtype, other, outgoing), {"id": node["id"]}
        ):
            found.setdefault(str(r["id"]), {**r, "label": other})
            src, dst = (node["id"], r["id"]) if outgoing else (r["id"], node["id"])
            edges.append({"src": src, "dst": dst, "type": rtype})
    firms = [i for i, n in found.items() if n["label"] == "Enterprise"]
    operating = firm_rows(store, firms) if firms else {}
    nodes = []
    for i, n in sorted(found.items()):
        if n["label"] != "Enterprise":
            nodes.append(n)
        elif i in operating:
            nodes.append({**operating[i], "label": "Enterprise"})
    kept = {n["id"] for n in nodes} | {node["id"]}
    edges = [e for e in edges if e["src"] in kept and e["dst"] in kept]
    return nodes, sorted(edges, key=lambda e: (e["src"], e["dst"], e["type"]))


def supply_links_among(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The supply links between the operating firms ``ids`` (``src`` supplies ``dst``)."""
    inside = set(ids)
    links = store.run(LINKS_FROM_IDS.text(store.dialect), {"ids": ids})
    return sorted(
        (
            {"src": str(r["src"]), "dst": str(r["dst"]), "type": "SUPPLIES"}
            for r in links
            if r["dst"] in inside and r["src"] != r["dst"]
        ),
        key=lambda e: (e["src"], e["dst"]),
    )


def supply_path(store: Store, source: str, target: str, max_hops: int) -> list[str] | None:
    """The firm ids of a shortest supply path from ``source`` to ``target`` (links taken in
    either direction, through operating firms), or None when none is within ``max_hops``.

    Breadth-first from ``source`` over the projection's CSR, level by level; each firm
    keeps the first firm (lowest position, so the lowest id) that reached it, which makes
    the path the same on every call.

    Raises
    ------
    LookupError
        ``source`` or ``target`` is no operating firm (the caller names which).
    """
    p = projection(store)
    ends = []
    for firm in (source, target):
        i = p.position.get(firm)
        if i is None or not p.operating[i]:
            raise LookupError(firm)
        ends.append(i)
    s, t = ends
    if s == t:
        return [source]
    parent = np.full(p.size, -1, dtype=np.int64)
    seen = np.zeros(p.size, dtype=np.bool_)
    seen[s] = True
    frontier = np.array([s], dtype=np.int64)
    for _ in range(max_hops):
        starts = p.indptr[frontier]
        origin = np.repeat(frontier, p.indptr[frontier + 1] - starts)
        reached = gather(p, frontier)
        fresh = ~seen[reached]
        reached, origin = reached[fresh], origin[fresh]
        if reached.size == 0:
            return None
        reached, first = np.unique(reached, return_index=True)
        parent[reached] = origin[first]
        seen[reached] = True
        if seen[t]:
            walk = [t]
            while walk[-1] != s:
                walk.append(int(parent[walk[-1]]))
            return [p.ids[i] for i in reversed(walk)]
        frontier = reached
    return None


@dataclass
class Chain:
    """How a firm is covered: its coverers (strongest first) and, above each, the
    organizations it reports to or the station that hosts it, up to a street committee."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    #: The strongest coverer's chain, firm first.
    path: list[str] = field(default_factory=list)


def _upward(store: Store, start: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """From a coverer up: (node, the relationship type reaching it) per step, a studio's
    station first, then REPORTS_TO until a street committee (or the top)."""
    chain: list[tuple[dict[str, Any], str]] = []
    node = start
    seen = {start["id"]}
    for _ in range(MAX_CHAIN):
        if node["label"] == "PartyOrg" and node.get("kind") == "street_committee":
            break
        if node["label"] == "Studio":
            rtype, other = "HOSTED_BY", "PartyOrg"
        elif node["label"] == "PartyOrg":
            rtype, other = "REPORTS_TO", "PartyOrg"
        else:
            break
        rows = store.run(step_statement(node["label"], rtype, other, True), {"id": node["id"]})
        if not rows:
            break
        up = min(rows, key=lambda r: str(r["id"]))
        if up["id"] in seen:
            break
        seen.add(str(up["id"]))
        node = {**up, "label": other}
        chain.append((node, rtype))
    return chain


def coverage_chain(store: Store, firm: str) -> Chain:
    """Who covers ``firm`` and what stands above them (see :class:`Chain`); a firm nothing
    covers gets a chain of itself alone. Liaisons of a covered firm are drawn beside.

    Raises
    ------
    LookupError
        ``firm`` is no operating firm.
    """
    rows = firm_rows(store, [firm])
    if firm not in rows:
        raise LookupError(firm)
    chain = Chain(nodes=[{**rows[firm], "label": "Enterprise"}], path=[firm])
    coverers: list[tuple[dict[str, Any], str]] = []
    for rtype, label in COVERING:
        found = store.run(step_statement("Enterprise", rtype, label, False), {"id": firm})
        coverers += [({**r, "label": label}, rtype) for r in sorted(found, key=lambda r: r["id"])]
    if not coverers:
        return chain
    drawn = {firm}
    for rank, (coverer, rtype) in enumerate(coverers):
        chain.edges.append({"src": coverer["id"], "dst": firm, "type": rtype})
        steps = [(coverer, "")] + _upward(store, coverer)
        below = firm
        for node, how in steps:
            if node["id"] not in drawn:
                drawn.add(node["id"])
                chain.nodes.append(node)
            if how:
                chain.edges.append({"src": below, "dst": node["id"], "type": how})
            below = node["id"]
            if rank == 0:
                chain.path.append(node["id"])
    liaisons = store.run(step_statement("Enterprise", "LIAISES", "Liaison", False), {"id": firm})
    for r in sorted(liaisons, key=lambda r: r["id"]):
        if r["id"] not in drawn:
            drawn.add(r["id"])
            chain.nodes.append({**r, "label": "Liaison"})
        chain.edges.append({"src": r["id"], "dst": firm, "type": "LIAISES"})
    unique = {(e["src"], e["dst"], e["type"]): e for e in chain.edges}
    chain.edges = list(unique.values())
    return chain
