"""Coverage queries: who is outside the "two coverages", and where.

Organizational coverage: an own organization (``OWN_ORG``) or a joint, industry or
association branch covering the firm (``COVERS``). Work coverage: party work reaching it
(``GUIDES``: a studio, station, instructor). Closed firms drop out of every query here.

The queries read each firm's coverage state (``e.coverage``: own, joint, work or none), which
the write path keeps (:mod:`graph_model.coverage_state`), instead of testing three
relationship tables for every firm. The counts group firms by (group, state) first and sum
those few rows: a ``CASE`` per firm per count took a third longer at 10^6 firms.
"""

from __future__ import annotations

from queries.catalog import Param, Query, register
from queries.filters import FILTERS, FIRM_CONDITIONS, by_level, where_set

LEVELS = ("street", "grid", "park", "industry")


def level_of(var: str, param: str = "level") -> str:
    """Cypher for the value of ``var``'s street, grid, park or industry, chosen by ``$param``
    (for texts that cannot be shaped per call; :func:`queries.filters.by_level` writes the
    property itself, which the planner can use)."""
    return (
        f"CASE ${param} WHEN 'street' THEN {var}.street WHEN 'grid' THEN {var}.grid "
        f"WHEN 'park' THEN {var}.park ELSE {var}.industry END"
    )


LEVEL_PARAM = Param("level", str, "street", "street, grid, park or industry", choices=LEVELS)

#: Shared by the queries that filter firms by place and industry ('' means any).
FIRM_FILTERS = (
    Param("street", str, "", "only firms in this street"),
    Param("grid", str, "", "only firms in this grid"),
    Param("park", str, "", "only firms in this park"),
    Param("industry", str, "", "only firms in this industry"),
)

UNCOVERED = Query(
    name="uncovered",
    description="Operating firms with neither organizational nor work coverage.",
    columns=("id", "name", "street", "grid", "industry", "party_members"),
    params=(
        *FIRM_FILTERS,
        Param(
            "min_members", int, 0, "only firms with at least this many party members", 0, 100_000
        ),
    ),
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating' AND e.coverage = 'none'"""
    + FILTERS
    + """
WITH e.id AS k ORDER BY k @page MATCH (e:Enterprise {id: k})
RETURN e.id AS id, e.name AS name, e.street AS street, e.grid AS grid,
       e.industry AS industry, e.party_members AS party_members
ORDER BY id""",
    shape=where_set(
        {**FIRM_CONDITIONS, "min_members": "coalesce(e.party_members, 0) >= $min_members"}
    ),
)

SHOULD_FORM_BRANCH = Query(
    name="should_form_branch",
    description=(
        "Operating firms with 3 or more party members and no organization of their own "
        "(Party Constitution Art. 30), even if a joint branch covers them."
    ),
    columns=("id", "name", "party_members"),
    params=(Param("minimum", int, 3, "members from which a firm should form its own", 1, 100_000),),
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating' AND e.party_members >= $minimum
  AND e.coverage <> 'own'
RETURN e.id AS id, e.name AS name, e.party_members AS party_members
ORDER BY party_members DESC, id""",
)

STUDIO_LOAD = Query(
    name="studio_load",
    description="Every old-secretary studio with the number of operating firms it guides.",
    columns=("id", "name", "firms", "below_minimum"),
    params=(Param("minimum", int, 5, "firms each studio should guide ('1+2+N')", 0, 10_000),),
    cypher="""
MATCH (s:Studio)
OPTIONAL MATCH (s)-[:GUIDES]->(e:Enterprise)
WHERE e.status = 'operating'
WITH s, count(DISTINCT e) AS firms
RETURN s.id AS id, s.name AS name, firms, firms < $minimum AS below_minimum
ORDER BY firms, id""",
)

COVERAGE_BY = Query(
    name="coverage_by",
    description="Coverage of operating firms grouped by street, grid, park or industry.",
    columns=("group", "total", "org_covered", "work_only", "uncovered", "rate"),
    params=(LEVEL_PARAM,),
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating'
WITH @level(e) AS g, e.coverage AS c, count(*) AS n
WITH g, sum(n) AS total,
     sum(CASE WHEN c IN ['own', 'joint'] THEN n ELSE 0 END) AS org_covered,
     sum(CASE WHEN c = 'work' THEN n ELSE 0 END) AS work_only
RETURN g AS `group`, total, org_covered, work_only,
       total - org_covered - work_only AS uncovered,
       1.0 * (org_covered + work_only) / total AS rate
ORDER BY rate, `group`""",
    shape=by_level(),
)

ZONE_SUMMARY = Query(
    name="zone_summary",
    description=(
        "The zone at a glance: operating and closed firms, organizational coverage rate "
        "(own + joint ÷ operating) and own-organization rate (own ÷ operating)."
    ),
    columns=(
        "operating",
        "closed",
        "own_org",
        "org_covered",
        "work_only",
        "uncovered",
        "org_coverage_rate",
        "own_org_rate",
        "coverage_rate",
    ),
    cypher="""
MATCH (e:Enterprise)
WITH e.status = 'operating' AS op, e.coverage AS c, count(*) AS n
WITH coalesce(sum(CASE WHEN op THEN n ELSE 0 END), 0) AS operating,
     coalesce(sum(CASE WHEN NOT op THEN n ELSE 0 END), 0) AS closed,
     coalesce(sum(CASE WHEN op AND c = 'own' THEN n ELSE 0 END), 0) AS own_org,
     coalesce(sum(CASE WHEN op AND c IN ['own', 'joint'] THEN n ELSE 0 END), 0) AS org_covered,
     coalesce(sum(CASE WHEN op AND c = 'work' THEN n ELSE 0 END), 0) AS work_only
RETURN operating, closed, own_org, org_covered, work_only,
       operating - org_covered - work_only AS uncovered,
       CASE WHEN operating = 0 THEN 0.0 ELSE 1.0 * org_covered / operating END
         AS org_coverage_rate,
       CASE WHEN operating = 0 THEN 0.0 ELSE 1.0 * own_org / operating END AS own_org_rate,
       CASE WHEN operating = 0 THEN 0.0 ELSE 1.0 * (org_covered + work_only) / operating END
         AS coverage_rate""",
)

TOP_GAPS = Query(
    name="_top_gaps",
    description="The uncovered operating firms with the most party members (the first to visit).",
    columns=UNCOVERED.columns,
    params=(Param("limit", int, 10, "rows to return", 1, 1000),),
    public=False,
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating' AND e.coverage = 'none'
WITH e.id AS k, coalesce(e.party_members, 0) AS m ORDER BY m DESC, k LIMIT $limit
MATCH (e:Enterprise {id: k})
RETURN e.id AS id, e.name AS name, e.street AS street, e.grid AS grid,
       e.industry AS industry, e.party_members AS party_members
ORDER BY coalesce(party_members, 0) DESC, id""",
)

register(UNCOVERED, SHOULD_FORM_BRANCH, STUDIO_LOAD, COVERAGE_BY, ZONE_SUMMARY, TOP_GAPS)
