"""Alliance queries: the Hongqi alliances and how far each reaches along the supply chain."""

from __future__ import annotations

from queries.catalog import Param, Query, register

#: Members of an alliance: firms linked by MEMBER_OF, plus its leading firm (LEADS).
_MEMBERS = """
MATCH (m:Enterprise)-[:MEMBER_OF|LEADS]->(a:Alliance {id: $alliance})
WHERE m.status = 'operating'"""

_REACH_TAIL = """
WITH a, e, min(length(p)) AS distance
WHERE NOT EXISTS { MATCH (e)-[:MEMBER_OF|LEADS]->(a) }
RETURN e.id AS id, e.name AS name, distance,
       EXISTS { MATCH (e)<-[:OWN_ORG|COVERS|GUIDES]-() } AS covered
ORDER BY distance, id"""

ALLIANCE_REACH = Query(
    name="alliance_reach",
    description=(
        "Operating firms within `hops` supply links (either direction, through operating "
        "firms only) of any member of an alliance, members excluded, with their distance."
    ),
    columns=("id", "name", "distance", "covered"),
    params=(
        Param("alliance", str, None, "alliance id"),
        Param("hops", int, 2, "supply links to follow (1–6)", 1, 6, inline=True),
    ),
    requires=(("alliance", "Alliance"),),
    # Shortest paths differ between the engines (LadybugDB's `* SHORTEST` with a recursive
    # node filter; Neo4j's GQL `ANY SHORTEST` over a quantified path whose every node is
    # filtered), so each has its own text.
    cypher=None,
    overrides={
        "ladybug": _MEMBERS
        + """
MATCH p = (m)-[:SUPPLIES* SHORTEST 1..${hops} (r, n | WHERE n.status = 'operating')]-(e:Enterprise)
WHERE e.status = 'operating'"""
        + _REACH_TAIL,
        "neo4j": _MEMBERS
        + """
MATCH p = ANY SHORTEST
  (m)(()-[:SUPPLIES]-(x:Enterprise WHERE x.status = 'operating')){1,${hops}}(e:Enterprise)"""
        + _REACH_TAIL,
    },
)

ALLIANCES = Query(
    name="alliances",
    description="Every alliance with its leading firm and number of member firms.",
    columns=("id", "name", "theme", "lead_id", "lead_name", "members"),
    cypher="""
MATCH (a:Alliance)
OPTIONAL MATCH (m:Enterprise)-[:MEMBER_OF|LEADS]->(a)
WITH a, count(DISTINCT m) AS members
OPTIONAL MATCH (l:Enterprise)-[:LEADS]->(a)
RETURN a.id AS id, a.name AS name, a.theme AS theme, l.id AS lead_id, l.name AS lead_name,
       members
ORDER BY id""",
)

register(ALLIANCE_REACH, ALLIANCES)
