"""One enterprise's profile, and finding firms by name (for a search box)."""

from __future__ import annotations

from typing import Any

from graph_model.errors import NotFound
from graph_model.schema import NODES
from graph_model.store.base import Store
from queries.catalog import Param, Query, execute, register

_FIRM_COLUMNS = tuple(p.name for p in NODES["Enterprise"].props)

_FIRM = Query(
    name="_firm",
    description="One firm's properties.",
    columns=_FIRM_COLUMNS,
    params=(Param("id", str, None, "enterprise id"),),
    public=False,
    cypher="MATCH (e:Enterprise {id: $id}) RETURN "
    + ", ".join(f"e.{c} AS {c}" for c in _FIRM_COLUMNS),
)

_BY_ORG = Query(
    name="_firm_orgs",
    description="The party organizations that cover a firm, and how.",
    columns=("id", "name", "kind", "how"),
    params=(Param("id", str, None, "enterprise id"),),
    public=False,
    cypher="""
MATCH (o:PartyOrg)-[:OWN_ORG]->(e:Enterprise {id: $id})
RETURN o.id AS id, o.name AS name, o.kind AS kind, 'own' AS how
UNION
MATCH (o:PartyOrg)-[:COVERS]->(e:Enterprise {id: $id})
RETURN o.id AS id, o.name AS name, o.kind AS kind, 'organization' AS how
UNION
MATCH (o:PartyOrg)-[:GUIDES]->(e:Enterprise {id: $id})
RETURN o.id AS id, o.name AS name, o.kind AS kind, 'work' AS how
UNION
MATCH (s:Studio)-[:GUIDES]->(e:Enterprise {id: $id})
RETURN s.id AS id, s.name AS name, 'studio' AS kind, 'work' AS how
UNION
MATCH (i:Instructor)-[:GUIDES]->(e:Enterprise {id: $id})
RETURN i.id AS id, i.name AS name, 'instructor' AS kind, 'work' AS how""",
)

_LINKED = Query(
    name="_firm_links",
    description="A firm's liaisons, alliances, suppliers and customers.",
    columns=("relation", "id", "name", "detail"),
    params=(Param("id", str, None, "enterprise id"),),
    public=False,
    cypher="""
MATCH (l:Liaison)-[:LIAISES]->(e:Enterprise {id: $id})
RETURN 'liaison' AS relation, l.id AS id, l.name AS name, l.department AS detail
UNION
MATCH (e:Enterprise {id: $id})-[m:MEMBER_OF]->(a:Alliance)
RETURN 'alliance' AS relation, a.id AS id, a.name AS name, m.role AS detail
UNION
MATCH (e:Enterprise {id: $id})-[:LEADS]->(a:Alliance)
RETURN 'alliance' AS relation, a.id AS id, a.name AS name, 'lead' AS detail
UNION
MATCH (s:Enterprise)-[r:SUPPLIES]->(e:Enterprise {id: $id})
RETURN 'supplier' AS relation, s.id AS id, s.name AS name, r.product AS detail
UNION
MATCH (e:Enterprise {id: $id})-[r:SUPPLIES]->(c:Enterprise)
RETURN 'customer' AS relation, c.id AS id, c.name AS name, r.product AS detail""",
)

FIND_FIRMS = Query(
    name="find_firms",
    description="Firms whose name or id contains the given text (for a search box).",
    columns=("id", "name", "street", "grid", "status"),
    params=(
        Param("text", str, None, "part of a name or id"),
        Param("limit", int, 20, "rows to return", 1, 200),
    ),
    cypher="""
MATCH (e:Enterprise)
WHERE e.name CONTAINS $text OR e.id CONTAINS $text
RETURN e.id AS id, e.name AS name, e.street AS street, e.grid AS grid, e.status AS status
ORDER BY size(e.name), id
LIMIT $limit""",
)

register(_FIRM, _BY_ORG, _LINKED, FIND_FIRMS)


def coverage_status(orgs: list[dict[str, Any]], status: str | None) -> str:
    """own / joint / work / uncovered (closed for a closed firm), as the views colour it."""
    if status == "closed":
        return "closed"
    hows = {o["how"] for o in orgs}
    if "own" in hows:
        return "own"
    if "organization" in hows:
        return "joint"
    return "work" if "work" in hows else "uncovered"


def enterprise_profile(store: Store, firm_id: str) -> dict[str, Any]:
    """Everything an organizer looks up about one firm: its record, coverage and links."""
    found = execute(store, _FIRM, {"id": firm_id}).rows
    if not found:
        raise NotFound(f"no enterprise with id {firm_id!r}")
    orgs = sorted(execute(store, _BY_ORG, {"id": firm_id}).rows, key=lambda r: (r["how"], r["id"]))
    links = execute(store, _LINKED, {"id": firm_id}).rows

    def related(kind: str) -> list[dict[str, Any]]:
        rows = [
            {"id": r["id"], "name": r["name"], "detail": r["detail"]}
            for r in links
            if r["relation"] == kind
        ]
        return sorted(rows, key=lambda r: r["id"])

    return {
        "enterprise": found[0],
        "coverage": coverage_status(orgs, found[0]["status"]),
        "organizations": orgs,
        "liaisons": related("liaison"),
        "alliances": related("alliance"),
        "suppliers": related("supplier"),
        "customers": related("customer"),
    }
