"""Alliance queries: the Hongqi alliances and how far each reaches along the supply chain."""

from __future__ import annotations

from graph_model.store.base import Dialect
from queries.catalog import Param, ParamValue, Query, Rows, register

#: Members of an alliance: firms linked by MEMBER_OF, plus its leading firm (LEADS).
MEMBERS = """
MATCH (m:Enterprise)-[:MEMBER_OF|LEADS]->(a:Alliance {id: $alliance})
WHERE m.status = 'operating'"""

#: `p`: a shortest supply path (either direction, through operating firms only) from a
#: member `m` to an operating firm `e`, at most `${hops}` links. The engines differ here
#: (LadybugDB's `* SHORTEST` with a recursive node filter; Neo4j's GQL `ANY SHORTEST` over
#: a quantified path whose every node is filtered), so each has its own text.
SHORTEST: dict[Dialect, str] = {
    "ladybug": """
MATCH p = (m)-[:SUPPLIES* SHORTEST 1..${hops} (r, n | WHERE n.status = 'operating')]-(e:Enterprise)
WHERE e.status = 'operating'""",
    "neo4j": """
MATCH p = ANY SHORTEST
  (m)(()-[:SUPPLIES]-(x:Enterprise WHERE x.status = 'operating')){1,${hops}}(e:Enterprise)""",
}

#: Firms in reach, members excluded, with their distance (fewest links from any member).
IN_REACH = """
WITH a, e, min(length(p)) AS distance
WHERE NOT EXISTS { MATCH (e)-[:MEMBER_OF|LEADS]->(a) }"""


def per_engine(before: str, after: str) -> dict[Dialect, str]:
    """The reach pattern between two pieces of Cypher, once per engine."""
    return {dialect: before + match + after for dialect, match in SHORTEST.items()}


ALLIANCE = Param("alliance", str, None, "alliance id")
HOPS = Param("hops", int, 2, "supply links to follow (1–6)", 1, 6, inline=True)

#: The reach in Cypher, run by the database: the planners answer from the projection
#: (:mod:`queries.reach`); this text stays as the reference they are tested against.
ALLIANCE_REACH_DB = Query(
    name="_alliance_reach_db",
    public=False,
    description=(
        "Operating firms within `hops` supply links (either direction, through operating "
        "firms only) of any member of an alliance, members excluded, with their distance."
    ),
    columns=("id", "name", "distance", "covered"),
    params=(ALLIANCE, HOPS),
    requires=(("alliance", "Alliance"),),
    overrides=per_engine(
        MEMBERS,
        IN_REACH
        + """
RETURN e.id AS id, e.name AS name, distance,
       e.coverage <> 'none' AS covered
ORDER BY distance, id""",
    ),
)


def candidate_score(rows: Rows, params: dict[str, ParamValue]) -> Rows:
    """Rank candidates: score = 3·(hops − distance + 1) + 2·member_links + party_members.

    Fewer links away counts most, then direct supply links to members, then party members
    (a firm with members can form or join an organization soonest).
    """
    hops = int(params["hops"])
    for r in rows:
        r["score"] = 3 * (hops - r["distance"] + 1) + 2 * r["member_links"] + r["party_members"]
    rows.sort(key=lambda r: (-r["score"], r["distance"], r["id"]))
    return rows[: int(params["limit"])]


ALLIANCE_CANDIDATES_DB = Query(
    name="_alliance_candidates_db",
    public=False,
    description=(
        "Firms in an alliance's reach with no organizational coverage (uncovered or work "
        "only) and in no other alliance, ranked: "
        "score = 3·(hops − distance + 1) + 2·member_links + party_members."
    ),
    columns=("id", "name", "distance", "member_links", "party_members", "score"),
    params=(ALLIANCE, HOPS, Param("limit", int, 20, "rows to return", 1, 1000)),
    requires=(("alliance", "Alliance"),),
    overrides=per_engine(
        MEMBERS,
        IN_REACH
        + """
  AND NOT e.coverage IN ['own', 'joint']
  AND NOT EXISTS { MATCH (e)-[:MEMBER_OF|LEADS]->(:Alliance) }
RETURN e.id AS id, e.name AS name, distance,
       COUNT { MATCH (e)-[:SUPPLIES]-(k:Enterprise)
               WHERE EXISTS { MATCH (k)-[:MEMBER_OF|LEADS]->(a) } } AS member_links,
       coalesce(e.party_members, 0) AS party_members""",
    ),
    post=candidate_score,
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

register(ALLIANCE_REACH_DB, ALLIANCE_CANDIDATES_DB, ALLIANCES)
