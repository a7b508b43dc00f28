"""Turning a scope's graph into what a network view draws, and keeping it drawable.

vis-network's physics becomes unusable past about a thousand nodes, so a view never gets
more than ``cap`` nodes: above it, firms are aggregated into one weighted node per grid
(or per street, if even the grids are too many) that opens its own scope when clicked.
Views above :data:`PHYSICS_LIMIT` nodes get positions computed here (networkx) and
physics off, so they appear at once.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph_model.schema import NODES
from queries.views import ViewGraph

DEFAULT_CAP = 1500
PHYSICS_LIMIT = 400

#: Colours by coverage (firms) and by kind (everything else); the legend is built from these.
COVERAGE_COLORS = {
    "own": "#2e7d32",
    "joint": "#81c784",
    "work": "#f9a825",
    "uncovered": "#d32f2f",
}
KIND_COLORS = {label: kind.color for label, kind in NODES.items()} | {"Group": "#607d8b"}
SHAPES = {label: kind.shape for label, kind in NODES.items()} | {"Group": "dot"}


def _size(value: Any) -> float:
    """Node size grows with the log of employees / members, so one giant firm stays drawable."""
    return 8 + 6 * math.log1p(max(float(value or 0), 0.0))


def _firm_title(f: dict[str, Any]) -> str:
    lines = [f["name"] or f["id"], f"id {f['id']}", f"coverage: {f['coverage']}"]
    lines += [
        f"{k}: {f[k]}"
        for k in ("street", "grid", "industry", "party_members", "employees", "star")
        if f.get(k) is not None
    ]
    return "\n".join(lines)


def _layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions for a large view (fixed seed, so the same scope looks the same twice)."""
    # Fruchterman–Reingold costs O(n²) per iteration: fewer iterations as views grow keeps
    # the layout near a second or two for the largest view the cap allows.
    iterations = max(10, min(50, 15000 // max(len(g), 1)))
    pos = nx.spring_layout(
        g, seed=2021, iterations=iterations, method="force", scale=60 * math.sqrt(len(g) or 1)
    )
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _detailed(view: ViewGraph, size_by: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = []
    for n in view.nodes:
        if n["label"] == "Enterprise":
            nodes.append(
                {
                    "id": n["id"],
                    "label": "Enterprise",
                    "name": n["name"],
                    "group": n["coverage"],
                    "size": _size(n.get(size_by)),
                    "title": _firm_title(n),
                }
            )
        else:
            group = n.get("kind") or n["label"]
            nodes.append(
                {
                    "id": n["id"],
                    "label": n["label"],
                    "name": n["name"],
                    "group": group,
                    "size": 14.0,
                    "title": f"{n['name']}\n{n['label']} {group}",
                }
            )
    edges = [{"src": e["src"], "dst": e["dst"], "type": e["type"], "weight": 1} for e in view.edges]
    return nodes, edges


#: How an unfilled street or grid is named on its node.
UNFILLED_NAME = "（未填写）"


def group_node(by: str, name: str, firms: int, uncovered: int) -> dict[str, Any]:
    """One aggregate node: ``firms`` firms of one grid or street, coloured by its coverage
    rate, opening its own scope when clicked (unless the grid or street is unfilled)."""
    shown = name or UNFILLED_NAME
    rate = (firms - uncovered) / firms if firms else 0.0
    worst = "uncovered" if rate < 0.8 else ("work" if rate < 0.9 else "own")
    return {
        "id": f"{by}:{shown}",
        "label": "Group",
        "name": f"{shown}（{firms}家）",
        "group": worst,
        "size": _size(firms),
        "firms": firms,
        "expand": f"{by}:{name}" if name and name != UNFILLED_NAME else None,
        "title": f"{shown}\n{firms} firms, {uncovered} uncovered, coverage {rate:.0%}",
    }


def group_edges(by: str, links: Mapping[tuple[str, str], int]) -> list[dict[str, Any]]:
    """Supply links between groups, one undirected weighted edge per pair."""
    weight: Counter[tuple[str, str]] = Counter()
    for (a, b), n in links.items():
        if a != b:
            lo, hi = sorted((a or UNFILLED_NAME, b or UNFILLED_NAME))
            weight[(lo, hi)] += n
    return [
        {"src": f"{by}:{a}", "dst": f"{by}:{b}", "type": "SUPPLIES", "weight": w}
        for (a, b), w in sorted(weight.items())
    ]


def _aggregated(view: ViewGraph, by: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    firms = view.firms()
    area = {f["id"]: f.get(by) or UNFILLED_NAME for f in firms}
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in firms:
        members[area[f["id"]]].append(f)
    nodes = [
        group_node(by, name, len(group), sum(1 for f in group if f["coverage"] == "uncovered"))
        for name, group in sorted(members.items())
    ]
    links: Counter[tuple[str, str]] = Counter()
    for e in view.edges:
        if e["type"] == "SUPPLIES":
            links[(area[e["src"]], area[e["dst"]])] += 1
    return nodes, group_edges(by, links)


def laid_out(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> bool:
    """Give a view too big for live physics fixed positions; whether physics stays on."""
    physics = len(nodes) <= PHYSICS_LIMIT
    if not physics:
        g = nx.Graph()
        g.add_nodes_from(n["id"] for n in nodes)
        g.add_edges_from((e["src"], e["dst"]) for e in edges)
        pos = _layout(g)
        for n in nodes:
            n["x"], n["y"] = pos[n["id"]]
    return physics


def view_payload(
    view: ViewGraph, scope: str, cap: int = DEFAULT_CAP, size_by: str = "employees"
) -> dict[str, Any]:
    """Nodes and edges for a page (or an exported file), capped, aggregated and laid out."""
    note = None
    aggregated = len(view.nodes) > cap
    if not aggregated:
        nodes, edges = _detailed(view, size_by)
    else:
        nodes, edges = _aggregated(view, "grid")
        by = "grid"
        if len(nodes) > cap:
            nodes, edges = _aggregated(view, "street")
            by = "street"
        note = (
            f"{len(view.firms())} firms and {len(view.nodes) - len(view.firms())} other units "
            f"exceed the cap of {cap} nodes: firms are shown per {by}; click one to open it."
        )
    physics = laid_out(nodes, edges)
    return {
        "scope": scope,
        "nodes": nodes,
        "edges": edges,
        "firms": len(view.firms()),
        "aggregated": aggregated,
        "physics": physics,
        "note": note,
    }
