"""Rule checks: each mechanism in the organizers' rulebook as a query (see ``docs/domain.md``).

"1+1+5" liaisons, industry branches, star ratings, formation modes, and the reporting tree.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph_model.errors import NotFound
from graph_model.store.base import Store
from queries.catalog import Param, ParamValue, Query, Result, execute, register
from queries.coverage import LEVEL_PARAM
from queries.filters import by_level

KEY_FIRMS_WITHOUT_LIAISON = Query(
    name="key_firms_without_liaison",
    description="Operating key firms no '1+1+5' liaison is assigned to.",
    columns=("id", "name"),
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating' AND e.key_firm = true
  AND NOT EXISTS { MATCH (e)<-[:LIAISES]-(:Liaison) }
RETURN e.id AS id, e.name AS name
ORDER BY id""",
)

LIAISON_LOAD = Query(
    name="liaison_load",
    description="Each '1+1+5' liaison with the operating firms it covers; ok when exactly 5.",
    columns=("liaison_id", "name", "firms", "ok"),
    params=(Param("per_liaison", int, 5, "firms each liaison should have", 1, 10_000),),
    cypher="""
MATCH (l:Liaison)
OPTIONAL MATCH (l)-[:LIAISES]->(e:Enterprise)
WHERE e.status = 'operating'
WITH l, count(DISTINCT e) AS firms
RETURN l.id AS liaison_id, l.name AS name, firms, firms = $per_liaison AS ok
ORDER BY ok, liaison_id""",
)

INDUSTRIES_WITHOUT_BRANCH = Query(
    name="industries_without_branch",
    description="Industries with operating firms but no industry branch covering any of them.",
    columns=("industry", "firms"),
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating' AND e.industry IS NOT NULL
WITH e.industry AS industry,
     EXISTS { MATCH (e)<-[:COVERS|GUIDES]-(b:PartyOrg) WHERE b.kind = 'industry_branch' }
       AS branch
WITH industry, count(*) AS firms, count(CASE WHEN branch THEN 1 END) AS with_branch
WHERE with_branch = 0
RETURN industry, firms
ORDER BY firms DESC, industry""",
)

STAR_DISTRIBUTION = Query(
    name="star_distribution",
    description="Star ratings (0–5, or unrated) of operating firms per street, grid, park or "
    "industry.",
    columns=(
        "group",
        "total",
        "star_0",
        "star_1",
        "star_2",
        "star_3",
        "star_4",
        "star_5",
        "unrated",
    ),
    params=(LEVEL_PARAM,),
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating'
WITH @level(e) AS g, e.star AS star
RETURN g AS `group`, count(*) AS total,
       count(CASE WHEN star = 0 THEN 1 END) AS star_0,
       count(CASE WHEN star = 1 THEN 1 END) AS star_1,
       count(CASE WHEN star = 2 THEN 1 END) AS star_2,
       count(CASE WHEN star = 3 THEN 1 END) AS star_3,
       count(CASE WHEN star = 4 THEN 1 END) AS star_4,
       count(CASE WHEN star = 5 THEN 1 END) AS star_5,
       count(CASE WHEN star IS NULL THEN 1 END) AS unrated
ORDER BY `group`""",
    shape=by_level(),
)

FORMATION_MODES = Query(
    name="formation_modes",
    description="Organizations and the operating firms they cover (own or joint), by how each "
    "organization was formed (单独组建, 区域联建, 行业统建, 产业联建, 龙头领建, 楼宇合建).",
    columns=("formation", "organizations", "firms"),
    cypher="""
MATCH (o:PartyOrg)
WHERE o.formation IS NOT NULL
   OR o.kind IN ['enterprise_org', 'joint_branch', 'industry_branch', 'association_branch']
OPTIONAL MATCH (o)-[:OWN_ORG|COVERS]->(e:Enterprise)
WHERE e.status = 'operating'
WITH coalesce(o.formation, 'unrecorded') AS formation,
     count(DISTINCT o) AS organizations, count(DISTINCT e) AS firms
RETURN formation, organizations, firms
ORDER BY firms DESC, formation""",
)

_TREE_UNITS = Query(
    name="_org_tree_units",
    description="The organizations under a root (or under every top-level one), with the "
    "operating firms each covers directly, and the studios their stations host.",
    columns=("id", "name", "kind", "parent_id", "firm_ids"),
    params=(Param("root", str, "", "root organization id"),),
    public=False,
    cypher="""
MATCH (r:PartyOrg)
WHERE ($root = '' AND NOT EXISTS { MATCH (r)-[:REPORTS_TO]->(:PartyOrg) }) OR r.id = $root
MATCH (o:PartyOrg)-[:REPORTS_TO*0..30]->(r)
OPTIONAL MATCH (o)-[:REPORTS_TO]->(p:PartyOrg)
OPTIONAL MATCH (o)-[:OWN_ORG|COVERS|GUIDES]->(e:Enterprise)
WHERE e.status = 'operating'
RETURN DISTINCT o.id AS id, o.name AS name, o.kind AS kind, p.id AS parent_id,
       collect(DISTINCT e.id) AS firm_ids
UNION
MATCH (r:PartyOrg)
WHERE ($root = '' AND NOT EXISTS { MATCH (r)-[:REPORTS_TO]->(:PartyOrg) }) OR r.id = $root
MATCH (s:Studio)-[:HOSTED_BY]->(o:PartyOrg)-[:REPORTS_TO*0..30]->(r)
OPTIONAL MATCH (s)-[:GUIDES]->(e:Enterprise)
WHERE e.status = 'operating'
RETURN DISTINCT s.id AS id, s.name AS name, 'studio' AS kind, o.id AS parent_id,
       collect(DISTINCT e.id) AS firm_ids""",
)


def org_tree(store: Store, params: dict[str, ParamValue]) -> Result:
    """The reporting tree in depth-first order, with firms covered directly and in all.

    ``firms_total`` counts distinct firms anywhere in a unit's subtree (a firm covered by
    two branches of one street counts once for the street).
    """
    units = execute(store, _TREE_UNITS, params).rows
    if params["root"] and not units:
        raise NotFound(f"no party organization with id {params['root']!r}")
    by_id = {u["id"]: u for u in units}
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for u in units:
        parent = u["parent_id"] if u["parent_id"] in by_id else None
        children[parent].append(u)

    out: list[dict[str, Any]] = []

    def walk(unit: dict[str, Any], depth: int) -> set[str]:
        row = {**unit, "depth": depth, "firms": len(unit["firm_ids"])}
        out.append(row)
        firms = set(unit["firm_ids"])
        for child in sorted(children[unit["id"]], key=lambda c: (c["kind"] == "studio", c["id"])):
            firms |= walk(child, depth + 1)
        row["firms_total"] = len(firms)
        return firms

    for top in sorted(children[None], key=lambda u: u["id"]):
        walk(top, 0)
    return Result(out)


ORG_TREE = Query(
    name="org_tree",
    description="The reporting hierarchy under an organization (default: the top level), with "
    "the firms each unit covers directly and in its whole subtree.",
    columns=("id", "name", "kind", "parent_id", "depth", "firms", "firms_total"),
    params=(Param("root", str, "", "organization id to start from ('' = top level)"),),
    analysis=org_tree,
)

register(
    KEY_FIRMS_WITHOUT_LIAISON,
    LIAISON_LOAD,
    INDUSTRIES_WITHOUT_BRANCH,
    STAR_DISTRIBUTION,
    FORMATION_MODES,
    _TREE_UNITS,
    ORG_TREE,
)
