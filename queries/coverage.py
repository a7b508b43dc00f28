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

from collections.abc import Mapping

from queries.catalog import Param, ParamValue, Query, register
from queries.filters import FILTERS, FIRM_CONDITIONS, both, by_level, where_set
from queries.rates import DEFAULT, RATE, RATES, rate_keys

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

#: Each coverage state's count as the coverage queries below name it.
_STATE_COUNTS = {
    "own": "own_org",
    "joint": "joint",
    "work": "work_only",
    "none": "(total - own_org - joint - work_only)",
}
_RATE_COLUMNS = ",\n       ".join(
    f"{r.cypher(_STATE_COUNTS, 'total')} AS {r.column}" for r in RATES
)


def _by_rate(text: str, bound: Mapping[str, ParamValue]) -> str:
    # The column comes from the rate table (the parameter's choices), never from input.
    return text.replace("@rate", RATE[str(bound["rate"])].column)


COVERAGE_BY = Query(
    name="coverage_by",
    description=(
        "Coverage of operating firms grouped by street, grid, park or industry, lowest rate "
        "first: each rate of queries/rates.py as a column (`rate` is the two-coverage rate, "
        "coverage_rate, kept for scripts that read it)."
    ),
    columns=(
        "group",
        "total",
        "org_covered",
        "work_only",
        "uncovered",
        "rate",
        "own_org",
        *(r.column for r in RATES),
    ),
    params=(
        LEVEL_PARAM,
        Param(
            "rate",
            str,
            DEFAULT.key,
            "the rate groups are sorted by (lowest first): " + ", ".join(rate_keys()),
            choices=rate_keys(),
        ),
    ),
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating'
WITH @level(e) AS g, e.coverage AS c, count(*) AS n
WITH g, sum(n) AS total,
     sum(CASE WHEN c = 'own' THEN n ELSE 0 END) AS own_org,
     sum(CASE WHEN c = 'joint' THEN n ELSE 0 END) AS joint,
     sum(CASE WHEN c = 'work' THEN n ELSE 0 END) AS work_only
RETURN g AS `group`, total, own_org + joint AS org_covered, work_only,
       total - own_org - joint - work_only AS uncovered,
       """
    + DEFAULT.cypher(_STATE_COUNTS, "total")
    + """ AS rate, own_org,
       """
    + _RATE_COLUMNS
    + """
ORDER BY @rate, `group`""",
    shape=both(by_level(), _by_rate),
)

ZONE_SUMMARY = Query(
    name="zone_summary",
    description=(
        "The zone at a glance: operating and closed firms, and each rate of queries/rates.py "
        "over operating firms: organizational coverage (own + joint), own organization, and "
        "the two coverages (organization or work)."
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
WITH coalesce(sum(CASE WHEN op THEN n ELSE 0 END), 0) AS total,
     coalesce(sum(CASE WHEN NOT op THEN n ELSE 0 END), 0) AS closed,
     coalesce(sum(CASE WHEN op AND c = 'own' THEN n ELSE 0 END), 0) AS own_org,
     coalesce(sum(CASE WHEN op AND c = 'joint' THEN n ELSE 0 END), 0) AS joint,
     coalesce(sum(CASE WHEN op AND c = 'work' THEN n ELSE 0 END), 0) AS work_only
RETURN total AS operating, closed, own_org, own_org + joint AS org_covered, work_only,
       total - own_org - joint - work_only AS uncovered,
       """
    + ",\n       ".join(
        f"{RATE[k].cypher(_STATE_COUNTS, 'total')} AS {RATE[k].column}"
        for k in ("org_coverage", "own_org", "coverage")
    ),
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
