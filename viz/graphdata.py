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

from api.i18n import DEFAULT_LANG, Translator
from graph_model.schema import NODES
from queries.views import ViewGraph

DEFAULT_CAP = 1500
#: The most nodes a page's view gets unless it asks for more: a reach or street drawn firm
#: by firm past this (alliance A1 at 2 hops: 1,364 nodes, 3,545 lines, 3.8 s to draw on
#: 2026-11-27) is neither readable nor quick; over it the view aggregates.
VIEW_CAP = 500
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


#: A firm's raw values a browser filters and styles by (``props`` of its node).
FIRM_PROPS = ("party_members", "employees", "star", "key_firm", "industry", "street", "grid")
#: Fields a firm's tooltip shows after its coverage, in order.
_TITLE_FIELDS = ("street", "grid", "industry", "party_members", "employees", "star", "key_firm")
#: A view's coverage word (``uncovered``) as the schema's coverage state (``none``).
STATE = {"own": "own", "joint": "joint", "work": "work", "uncovered": "none"}


def firm_props(f: dict[str, Any]) -> dict[str, Any]:
    """The raw values of a firm a browser filters and styles by."""
    return {"coverage": STATE[f["coverage"]], **{k: f.get(k) for k in FIRM_PROPS}}


def _shown(value: Any, t: Translator) -> str:
    if isinstance(value, bool):
        return t("netapi.yes" if value else "netapi.no")
    return str(value)


def firm_title(f: dict[str, Any], t: Translator) -> str:
    """A firm's tooltip in the translator's language."""
    lines = [
        f["name"] or f["id"],
        t("netapi.id", id=f["id"]),
        t("netapi.field", name=t("netapi.coverage"), value=t(f"netapi.cov.{STATE[f['coverage']]}")),
    ]
    lines += [
        t("netapi.field", name=t.col(k), value=_shown(f[k], t))
        for k in _TITLE_FIELDS
        if f.get(k) is not None
    ]
    return "\n".join(lines)


def unit_node(n: dict[str, Any], t: Translator) -> dict[str, Any]:
    """A node that is not a firm (organization, studio, alliance, ...), for a view."""
    kind = n.get("kind") or n["label"]
    # Labels the catalogue names as stored values (v.PartyOrg ...); a grid by this part.
    noun = t.value(n["label"]) if f"v.{n['label']}" in t.strings else t("netapi.label.grid")
    return {
        "id": n["id"],
        "label": n["label"],
        "name": n["name"],
        "group": kind,
        "size": 14.0,
        "title": f"{n['name'] or n['id']}\n{noun}"
        + (f" · {t.value(kind)}" if kind != n["label"] else ""),
        "props": {"kind": kind, "street": n.get("street")},
    }


def firm_node(f: dict[str, Any], size_by: str, t: Translator) -> dict[str, Any]:
    """A firm's node, coloured by coverage and sized by ``size_by``."""
    return {
        "id": f["id"],
        "label": "Enterprise",
        "name": f["name"],
        "group": f["coverage"],
        "size": _size(f.get(size_by)),
        "title": firm_title(f, t),
        "props": firm_props(f),
    }


def titled_edges(
    edges: list[dict[str, Any]], nodes: list[dict[str, Any]], t: Translator
) -> list[dict[str, Any]]:
    """Edges with their tooltip (``SUPPLIES`` is 供应 in Chinese), as a view sends them."""
    names = {n["id"]: n.get("name") or n["id"] for n in nodes}
    return [
        {
            "src": e["src"],
            "dst": e["dst"],
            "type": e["type"],
            "weight": e.get("weight", 1),
            "title": t(
                "netapi.edge",
                src=names.get(e["src"], e["src"]),
                dst=names.get(e["dst"], e["dst"]),
                rel=t(f"netapi.rel.{e['type']}"),
            ),
        }
        for e in edges
    ]


def _layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions for a large view (fixed seed, so the same scope looks the same twice)."""
    # Fruchterman–Reingold costs O(n²) per iteration: fewer iterations as views grow keeps
    # the layout near a second or two for the largest view the cap allows.
    iterations = max(10, min(50, 15000 // max(len(g), 1)))
    pos = nx.spring_layout(
        g, seed=2021, iterations=iterations, method="force", scale=60 * math.sqrt(len(g) or 1)
    )
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def detailed(
    view: ViewGraph, size_by: str, t: Translator
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [
        firm_node(n, size_by, t) if n["label"] == "Enterprise" else unit_node(n, t)
        for n in view.nodes
    ]
    return nodes, titled_edges(view.edges, nodes, t)


#: How an unfilled street or grid is named on its node.
UNFILLED_NAME = "（未填写）"
#: The group that holds what did not fit as groups of their own (never opened).
OTHERS = "*"


def group_node(
    by: str, name: str, firms: int, uncovered: int, t: Translator | None = None
) -> dict[str, Any]:
    """One aggregate node: ``firms`` firms of one grid or street, coloured by its coverage
    rate, opening its own scope when clicked (unless the grid or street is unfilled)."""
    t = t or Translator(DEFAULT_LANG)
    shown = name or UNFILLED_NAME
    label = t("netapi.others") if name == OTHERS else shown
    rate = (firms - uncovered) / firms if firms else 0.0
    worst = "uncovered" if rate < 0.8 else ("work" if rate < 0.9 else "own")
    return {
        "id": f"{by}:{shown}",
        "label": "Group",
        "name": t("netapi.group.name", name=label, firms=firms),
        "group": worst,
        "size": _size(firms),
        "firms": firms,
        "expand": f"{by}:{name}" if name and name not in (UNFILLED_NAME, OTHERS) else None,
        "title": t(
            "netapi.group", name=label, firms=firms, uncovered=uncovered, rate=f"{rate:.0%}"
        ),
        "props": {
            "kind": by,
            "street": name if by == "street" else None,
            "firms": firms,
            "uncovered": uncovered,
        },
    }


def group_edges(
    by: str, links: Mapping[tuple[str, str], int], t: Translator | None = None
) -> list[dict[str, Any]]:
    """Supply links between groups, one undirected weighted edge per pair."""
    t = t or Translator(DEFAULT_LANG)
    weight: Counter[tuple[str, str]] = Counter()
    for (a, b), n in links.items():
        if a != b:
            lo, hi = sorted((a or UNFILLED_NAME, b or UNFILLED_NAME))
            weight[(lo, hi)] += n
    return [
        {
            "src": f"{by}:{a}",
            "dst": f"{by}:{b}",
            "type": "SUPPLIES",
            "weight": w,
            "title": t("netapi.edge.links", a=a, b=b, n=w),
        }
        for (a, b), w in sorted(weight.items())
    ]


#: An aggregated view draws at most this many weighted links per node, the heaviest: the
#: zone's 75 grids trade with nearly every other grid (1,417 lines on 2026-11-27), a grey
#: mesh that hides the nodes and says nothing.
LINKS_PER_NODE = 2


def strongest(edges: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The ``limit`` heaviest weighted edges, in their order."""
    if len(edges) <= limit:
        return edges
    ranked = sorted(edges, key=lambda e: (-int(e["weight"]), e["src"], e["dst"]))[: max(limit, 0)]
    kept = {(e["src"], e["dst"]) for e in ranked}
    return [e for e in edges if (e["src"], e["dst"]) in kept]


def trimmed_links(
    first: list[dict[str, Any]], then: list[dict[str, Any]], nodes: int, t: Translator
) -> tuple[list[dict[str, Any]], str | None]:
    """At most ``LINKS_PER_NODE × nodes`` weighted edges, the heaviest of ``first`` before
    any of ``then``, and a sentence for the note when some were left out."""
    limit = LINKS_PER_NODE * max(nodes, 1)
    kept = strongest(first, limit)
    kept += strongest(then, limit - len(kept))
    total = len(first) + len(then)
    if len(kept) == total:
        return kept, None
    return kept, t("netapi.note.links", shown=len(kept), total=total)


def with_sentence(note: str, sentence: str | None) -> str:
    return note if sentence is None else f"{note} {sentence}"


def _aggregated(
    view: ViewGraph, by: str, t: Translator
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    firms = view.firms()
    area = {f["id"]: f.get(by) or UNFILLED_NAME for f in firms}
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in firms:
        members[area[f["id"]]].append(f)
    nodes = [
        group_node(by, name, len(group), sum(1 for f in group if f["coverage"] == "uncovered"), t)
        for name, group in sorted(members.items())
    ]
    links: Counter[tuple[str, str]] = Counter()
    for e in view.edges:
        if e["type"] == "SUPPLIES":
            links[(area[e["src"]], area[e["dst"]])] += 1
    edges, _ = trimmed_links(group_edges(by, links, t), [], len(nodes), t)
    return nodes, edges


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
    view: ViewGraph,
    scope: str,
    cap: int = DEFAULT_CAP,
    size_by: str = "employees",
    lang: str = DEFAULT_LANG,
) -> dict[str, Any]:
    """Nodes and edges for a page (or an exported file), capped, aggregated and laid out;
    tooltips and the note in ``lang``."""
    t = Translator(lang)
    note = None
    aggregated = len(view.nodes) > cap
    if not aggregated:
        nodes, edges = detailed(view, size_by, t)
    else:
        nodes, edges = _aggregated(view, "grid", t)
        by = "grid"
        if len(nodes) > cap:
            nodes, edges = _aggregated(view, "street", t)
            by = "street"
        firms = len(view.firms())
        note = t(
            "netapi.note.detail_cap",
            firms=firms,
            others=len(view.nodes) - firms,
            cap=cap,
            by=t(f"netapi.by.{by}"),
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
