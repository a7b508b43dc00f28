"""The graph behind a network view: a scope's firms, the links among them, and the
organizations, studios, alliances and liaisons attached to those firms.

Scopes are those of :mod:`queries.scope` plus ``firm:X`` (one firm and every firm within
``hops`` supply links). Drawing, capping and aggregating are the view layer's business
(:mod:`viz`); this module only reads the scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph_model.errors import BadParameter
from graph_model.schema import NODES, RELS
from graph_model.store.base import Store
from queries.alliances import per_engine
from queries.catalog import Param, Query, execute, register
from queries.scope import FIRMS_BY_ID, LINKS_FROM_IDS, SCOPE_FIRMS, alliance_ball, parse_scope

#: Relationships drawn between a firm and what is attached to it:
#: (type, the attached node's label, whether the attached node is the relationship's start).
ATTACHED: tuple[tuple[str, str, bool], ...] = (
    ("OWN_ORG", "PartyOrg", True),
    ("COVERS", "PartyOrg", True),
    ("GUIDES", "PartyOrg", True),
    ("GUIDES", "Studio", True),
    ("GUIDES", "Instructor", True),
    ("MEMBER_OF", "Alliance", False),
    ("LEADS", "Alliance", False),
    ("LIAISES", "Liaison", True),
)


def attached_statement(rtype: str, label: str, attached_is_start: bool) -> str:
    """Cypher for the ``label`` nodes joined to the firms ``$ids`` by ``rtype`` (schema only)."""
    assert rtype in RELS
    arrow = f"<-[:{rtype}]-" if attached_is_start else f"-[:{rtype}]->"
    kind = "x.kind" if label == "PartyOrg" else "null"
    # Only labels that have a street are asked for it (LadybugDB refuses an unknown property).
    street = "x.street" if any(p.name == "street" for p in NODES[label].props) else "null"
    return (
        f"UNWIND $ids AS i MATCH (f:Enterprise {{id: i}}){arrow}(x:{label}) "
        f"RETURN f.id AS firm, x.id AS id, x.name AS name, {kind} AS kind, {street} AS street"
    )


def view_statements() -> dict[str, str]:
    """Every statement text the views send (for the Cypher lint)."""
    return {f"view:{t}:{label}": attached_statement(t, label, s) for t, label, s in ATTACHED}


FIRM_BALL = Query(
    name="_firm_ball",
    description="One firm (distance 0) and the operating firms within hops supply links.",
    columns=("id", "distance"),
    params=(
        Param("firm", str, None, "enterprise id"),
        Param("hops", int, 1, "supply links to follow", 1, 6, inline=True),
    ),
    requires=(("firm", "Enterprise"),),
    public=False,
    overrides=per_engine(
        "\nMATCH (m:Enterprise {id: $firm})\nRETURN m.id AS id, 0 AS distance\nUNION"
        "\nMATCH (m:Enterprise {id: $firm})",
        "\nWITH e, min(length(p)) AS distance\nWHERE e.id <> $firm\nRETURN e.id AS id, distance",
    ),
)
register(FIRM_BALL)


@dataclass
class ViewGraph:
    """Nodes (firms and what is attached to them) and edges, ready for a view to draw."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def firms(self) -> list[dict[str, Any]]:
        return [n for n in self.nodes if n["label"] == "Enterprise"]


def firm_coverage(firm: dict[str, Any]) -> str:
    """own / joint / work / uncovered, the colour of a firm in every view."""
    if firm["own_org"]:
        return "own"
    if firm["org_covered"]:
        return "joint"
    return "work" if firm["work_covered"] else "uncovered"


def scope_firm_ids(store: Store, scope: str, hops: int) -> list[str]:
    """The ids of the operating firms a scope holds."""
    kind, value = parse_scope(scope) if not scope.startswith("firm:") else ("firm", scope[5:])
    if kind == "firm":
        if not value:
            raise BadParameter("scope: firm:X needs a firm id")
        return [r["id"] for r in execute(store, FIRM_BALL, {"firm": value, "hops": hops}).rows]
    if kind == "alliance":
        return [r["id"] for r in alliance_ball(store, value, hops)]
    area = {"level": "" if kind == "zone" else kind, "value": value}
    return [r["id"] for r in execute(store, SCOPE_FIRMS, area).rows]


def scope_view(store: Store, scope: str, hops: int = 1, attached: bool = True) -> ViewGraph:
    """The firms of ``scope``, their supply links and (optionally) what is attached to them."""
    return ids_view(store, scope_firm_ids(store, scope, hops), attached)


def ids_view(store: Store, ids: list[str], attached: bool = True) -> ViewGraph:
    """The operating firms ``ids``, the supply links among them and (optionally) what is
    attached to them."""
    view = ViewGraph()
    rows = store.run(FIRMS_BY_ID.text(store.dialect), {"ids": ids})
    for f in sorted(rows, key=lambda r: r["id"]):
        view.nodes.append({**f, "label": "Enterprise", "coverage": firm_coverage(f)})
    inside = {f["id"] for f in view.nodes}
    # Rows come back in the engine's order, which may differ between two runs; a view is
    # built in one order so that its layout (seeded) is the same every time.
    links = store.run(LINKS_FROM_IDS.text(store.dialect), {"ids": ids})
    for link in sorted(links, key=lambda r: (r["src"], r["dst"])):
        if link["dst"] in inside:
            view.edges.append({"src": link["src"], "dst": link["dst"], "type": "SUPPLIES"})
    if not attached:
        return view
    seen: set[str] = set()
    for rtype, label, attached_is_start in ATTACHED:
        found = store.run(attached_statement(rtype, label, attached_is_start), {"ids": ids})
        for r in sorted(found, key=lambda r: (r["id"], r["firm"])):
            if r["id"] not in seen:
                seen.add(r["id"])
                view.nodes.append(
                    {
                        "id": r["id"],
                        "name": r["name"],
                        "label": label,
                        "kind": r["kind"],
                        "street": r["street"],
                    }
                )
            src, dst = (r["id"], r["firm"]) if attached_is_start else (r["firm"], r["id"])
            view.edges.append({"src": src, "dst": dst, "type": rtype})
    return view
