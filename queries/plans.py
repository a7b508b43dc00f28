"""Plans the tool proposes: studio assignments and joint branches (nothing is written).

The data each needs comes from internal catalog queries; the optimizing itself is in
:mod:`queries.assignment` (min-cost flow) and :mod:`queries.grouping` (exact grouping).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from graph_model.store.base import Store
from queries.assignment import FirmSlot, StudioSlot, assign_studios
from queries.catalog import Param, ParamValue, Query, Result, execute, register
from queries.coverage import LEVELS
from queries.filters import by_level, where_set
from queries.grouping import SmallFirm, plan_joint_branches
from queries.notes import Note
from queries.projection import NONE, Projection, projection

_ASSIGNABLE_FIRMS = Query(
    name="_assignable_firms",
    description="Uncovered operating firms (optionally of one street) with their community.",
    columns=("id", "name", "street", "community"),
    params=(Param("street", str, "", "only this street"),),
    public=False,
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating' AND e.coverage = 'none'@filters
RETURN e.id AS id, e.name AS name, e.street AS street, e.community AS community
ORDER BY id""",
    shape=where_set({"street": "e.street = $street"}),
)

_STUDIO_SLOTS = Query(
    name="_studio_slots",
    description="Studios with their street (their own, else their station's), the firms "
    "they guide now and those firms' communities.",
    columns=("id", "name", "street", "load", "communities"),
    params=(Param("street", str, "", "only this street"),),
    public=False,
    cypher="""
MATCH (s:Studio)
OPTIONAL MATCH (s)-[:HOSTED_BY]->(st:PartyOrg)
WITH s, coalesce(s.street, st.street) AS street
@where
OPTIONAL MATCH (s)-[:GUIDES]->(e:Enterprise)
WHERE e.status = 'operating'
RETURN s.id AS id, s.name AS name, street, count(DISTINCT e) AS load,
       collect(e.community) AS communities
ORDER BY id""",
    shape=where_set({"street": "street = $street"}),
)


def assignable_firms(p: Projection, street: str) -> list[dict[str, Any]]:
    """``_assignable_firms``' rows, from the projection: uncovered operating firms (of one
    street unless ``street`` is ''), by id."""
    wanted = p.operating & (p.coverage == NONE)
    if street:
        wanted &= np.array(p.street, dtype=object) == street
    return [
        {"id": p.ids[i], "name": p.names[i], "street": p.street[i], "community": p.community[i]}
        for i in np.flatnonzero(wanted).tolist()
    ]


def studio_assignment(store: Store, params: dict[str, ParamValue]) -> Result:
    """Assign uncovered firms to studios of their street (see :func:`assign_studios`)."""
    street = str(params["street"])
    firms = assignable_firms(projection(store), street)
    studios = execute(store, _STUDIO_SLOTS, {"street": street}).rows
    # A studio's community: where most of the firms it already guides are.
    home = {
        s["id"]: Counter(c for c in s["communities"] if c).most_common(1)[0][0]
        if any(s["communities"])
        else None
        for s in studios
    }
    plan = assign_studios(
        [FirmSlot(f["id"], f["street"], f["community"]) for f in firms],
        [StudioSlot(s["id"], s["street"], home[s["id"]], s["load"]) for s in studios],
        minimum=int(params["minimum"]),
        capacity=int(params["capacity"]),
    )
    firm_name = {f["id"]: f["name"] for f in firms}
    studio = {s["id"]: s for s in studios}
    rows = [
        {
            "firm_id": f,
            "studio_id": s,
            "firm_name": firm_name[f],
            "studio_name": studio[s]["name"],
            "street": studio[s]["street"],
        }
        for f, s in plan.pairs
    ]
    notes = [
        Note(
            "note.plan.assigned",
            f"{len(rows)} of {len(firms)} uncovered firm(s) assigned",
            assigned=len(rows),
            firms=len(firms),
        )
    ]
    notes += [
        Note(
            "note.plan.below",
            f"studio {s} still below the minimum: {n} firm(s)",
            studio=s,
            n=n,
        )
        for s, n in plan.below_minimum
    ]
    notes += [
        Note(
            "note.plan.left_over",
            f"left over: {f} {firm_name[f]}: {why}",
            firm=f,
            name=firm_name[f],
            why=why,
        )
        for f, why in plan.left_over
    ]
    return Result(rows, list(notes))


_SMALL_FIRMS = Query(
    name="_small_firms",
    description="Operating firms with 1–2 party members and no organizational coverage.",
    columns=("id", "area", "members"),
    params=(Param("level", str, "grid", "street, grid, park or industry"),),
    public=False,
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating' AND e.party_members >= 1 AND e.party_members <= 2
  AND NOT e.coverage IN ['own', 'joint']
RETURN e.id AS id, @level(e) AS area, e.party_members AS members
ORDER BY id""",
    shape=by_level(),
)


def joint_branch_plan(store: Store, params: dict[str, ParamValue]) -> Result:
    """Group small firms of one area into joint branches (see :func:`plan_joint_branches`)."""
    firms = execute(store, _SMALL_FIRMS, {"level": params["level"]}).rows
    groups = plan_joint_branches(
        [SmallFirm(f["id"], f["area"], f["members"]) for f in firms],
        min_members=3,
        max_firms=int(params["max_firms"]),
    )
    rows = []
    seen: Counter[str] = Counter()
    for g in groups:
        seen[g.area] += 1
        rows.append(
            {
                "group": f"{g.area}#{seen[g.area]}",
                "firm_ids": list(g.firm_ids),
                "members": g.members,
                "area": g.area,
                "firms": len(g.firm_ids),
            }
        )
    placed = sum(len(g.firm_ids) for g in groups)
    notes = [
        Note(
            "note.plan.placed",
            f"{placed} of {len(firms)} small firm(s) placed in {len(groups)} joint branch(es)",
            placed=placed,
            firms=len(firms),
            groups=len(groups),
        )
    ]
    no_area = [f["id"] for f in firms if f["area"] is None]
    if no_area:
        level = str(params["level"])
        notes.append(
            Note(
                f"note.plan.no_area.{level}",
                f"{len(no_area)} firm(s) have no {level} and cannot be grouped",
                n=len(no_area),
            )
        )
    return Result(rows, list(notes))


register(
    _ASSIGNABLE_FIRMS,
    _STUDIO_SLOTS,
    Query(
        name="studio_assignment",
        description="A plan giving uncovered firms work coverage from old-secretary studios of "
        "their street: as many firms as possible, no studio over capacity, studios below the "
        "minimum filled first (min-cost flow). One row per assigned firm.",
        columns=("firm_id", "studio_id", "firm_name", "studio_name", "street"),
        params=(
            Param("street", str, "", "only this street ('' = every street)"),
            Param("minimum", int, 5, "firms each studio should guide", 0, 10_000),
            Param("capacity", int, 15, "most firms a studio can guide", 1, 10_000),
        ),
        analysis=studio_assignment,
    ),
    _SMALL_FIRMS,
    Query(
        name="joint_branch_plan",
        description="Joint branches for firms with 1–2 party members and no organization: "
        "groups within one grid (or street, park, industry) of ≥3 members and ≤ max_firms "
        "firms, placing as many firms as possible.",
        columns=("group", "firm_ids", "members", "area", "firms"),
        params=(
            Param(
                "level",
                str,
                "grid",
                "group within one street, grid, park or industry",
                choices=LEVELS,
            ),
            Param("max_firms", int, 10, "most firms in one joint branch", 2, 50),
        ),
        analysis=joint_branch_plan,
    ),
)
