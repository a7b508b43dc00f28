"""A scope too big to draw firm by firm, counted and grouped in the database.

A network view never reads more firms than it can draw: it first counts the scope's
operating firms (:func:`scope_count`); over the view's cap it asks for one row per grid or
street — how many firms, how many uncovered — and one row per pair of groups joined by
supply links (:func:`area_groups`), or, in a grid too big to draw, for the largest firms
(:func:`largest_firms`). For a firm's or an alliance's reach (a list of ids, from a
shortest-path search) the same counts come from the ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph_model.errors import BadParameter
from graph_model.store.base import Store
from queries.catalog import Param, ParamValue, Query, execute, register
from queries.coverage import LEVELS
from queries.filters import LEVEL_PROPERTY

#: What an unfilled street or grid is grouped under (its node cannot be opened).
UNFILLED = ""

_AREA = (
    Param(
        "level",
        str,
        "",
        "street, grid, park or industry ('' = the whole zone)",
        choices=("", *LEVELS),
    ),
    Param("value", str, "", "the street, grid, park or industry"),
)
_BY = Param("by", str, "grid", "group by street or grid", choices=("street", "grid"))
_IN_AREA = "e.status = 'operating' @area(e)"
#: One firm's state in a group: the coverage state the write path keeps on it.
_UNCOVERED = "e.coverage = 'none'"
_GROUP_OF = "coalesce(@by(e), '')"
_AREA_MARK = re.compile(r"@area\((?P<var>[a-z]+)\)")
_BY_MARK = re.compile(r"@by\((?P<var>[a-z]+)\)")


def _prop(param: str, value: ParamValue) -> str:
    prop = LEVEL_PROPERTY.get(str(value))
    if prop is None:
        raise BadParameter(f"{param}: {value!r} is not one of {', '.join(LEVEL_PROPERTY)}")
    return prop


def _area_shape(text: str, bound: Mapping[str, ParamValue]) -> str:
    """``@area(x)`` becomes ``AND x.<level> = $value`` for a chosen level (nothing for the
    whole zone), and ``@by(x)`` the grouping level's property: no ``$level = ''`` test for
    the planner to evaluate per firm, and property names only from a fixed table."""
    if "level" in bound:
        level = bound["level"]
        area = "" if level == "" else f"AND {{var}}.{_prop('level', level)} = $value"
        text = _AREA_MARK.sub(lambda m: area.format(var=m["var"]), text)
    if "by" in bound:
        by = _prop("by", bound["by"])
        text = _BY_MARK.sub(lambda m: f"{m['var']}.{by}", text)
    return text


SCOPE_COUNT = Query(
    name="_scope_count",
    description="How many operating firms the zone or one street, grid, park or industry has.",
    columns=("firms",),
    params=_AREA,
    public=False,
    shape=_area_shape,
    cypher=f"""
MATCH (e:Enterprise)
WHERE {_IN_AREA}
RETURN count(*) AS firms""",
)

AREA_GROUPS = Query(
    name="_area_groups",
    description="An area's operating firms per grid or street: firms and uncovered firms.",
    columns=("group", "firms", "uncovered"),
    params=(*_AREA, _BY),
    public=False,
    shape=_area_shape,
    cypher=f"""
MATCH (e:Enterprise)
WHERE {_IN_AREA}
WITH {_GROUP_OF} AS g, {_UNCOVERED} AS uncovered
RETURN g AS `group`, count(*) AS firms, count(CASE WHEN uncovered THEN 1 END) AS uncovered
ORDER BY `group`""",
)

AREA_GROUP_LINKS = Query(
    name="_area_group_links",
    description="Supply links within an area between two of its grids or streets, counted.",
    columns=("a", "b", "links"),
    params=(*_AREA, _BY),
    public=False,
    shape=_area_shape,
    cypher=f"""
MATCH (e:Enterprise)-[:SUPPLIES]->(f:Enterprise)
WHERE {_IN_AREA}
  AND f.status = 'operating' @area(f)
WITH {_GROUP_OF} AS a, coalesce(@by(f), '') AS b
WHERE a <> b
RETURN a, b, count(*) AS links""",
)

LARGEST_FIRMS = Query(
    name="_largest_firms",
    description="The largest operating firms of an area (by employees or party members).",
    columns=("id",),
    params=(
        *_AREA,
        Param("size_by", str, "employees", "", choices=("employees", "party_members")),
        Param("limit", int, 500, "how many", 1, 100_000),
    ),
    public=False,
    shape=_area_shape,
    cypher=f"""
MATCH (e:Enterprise)
WHERE {_IN_AREA}
RETURN e.id AS id
ORDER BY CASE $size_by WHEN 'employees' THEN coalesce(e.employees, 0)
         ELSE coalesce(e.party_members, 0) END DESC, id
LIMIT $limit""",
)

ID_GROUPS = Query(
    name="_id_groups",
    description="The operating firms of an id list, with their grid or street and coverage.",
    columns=("id", "group", "uncovered"),
    params=(Param("ids", str, "", "unused: ids are sent as a list parameter"), _BY),
    public=False,
    shape=_area_shape,
    cypher=f"""
UNWIND $ids AS i
MATCH (e:Enterprise {{id: i}})
WHERE e.status = 'operating'
RETURN e.id AS id, {_GROUP_OF} AS `group`, {_UNCOVERED} AS uncovered""",
)

register(SCOPE_COUNT, AREA_GROUPS, AREA_GROUP_LINKS, LARGEST_FIRMS, ID_GROUPS)


@dataclass
class Groups:
    """A scope's firms per grid or street (``by``), and the supply links between groups."""

    by: str
    #: ``{"group", "firms", "uncovered"}`` per group, by name.
    groups: list[dict[str, Any]] = field(default_factory=list)
    #: ``(a, b) -> links`` from group a to group b (a ≠ b).
    links: dict[tuple[str, str], int] = field(default_factory=dict)
    #: firm id -> its group, when the groups were made from ids (:func:`id_groups`).
    member_of: dict[str, str] = field(default_factory=dict)

    @property
    def firms(self) -> int:
        return sum(int(g["firms"]) for g in self.groups)


def area_of(kind: str, value: str) -> dict[str, str]:
    """The area parameters of a place scope (``zone`` is the whole zone)."""
    assert kind == "zone" or kind in LEVELS
    return {"level": "" if kind == "zone" else kind, "value": value}


def scope_count(store: Store, kind: str, value: str) -> int:
    """Operating firms in the zone or one street, grid, park or industry (one count)."""
    return int(execute(store, SCOPE_COUNT, area_of(kind, value)).rows[0]["firms"])


def area_groups(store: Store, kind: str, value: str, by: str) -> Groups:
    """An area's firms grouped per ``by`` (grid or street) with the links between groups."""
    params = {**area_of(kind, value), "by": by}
    groups = execute(store, AREA_GROUPS, params).rows
    links = {
        (str(r["a"]), str(r["b"])): int(r["links"])
        for r in execute(store, AREA_GROUP_LINKS, params).rows
    }
    return Groups(by, sorted(groups, key=lambda g: str(g["group"])), links)


def largest_firms(store: Store, kind: str, value: str, size_by: str, limit: int) -> list[str]:
    """The ids of an area's ``limit`` largest operating firms."""
    params = {**area_of(kind, value), "size_by": size_by, "limit": limit}
    return [str(r["id"]) for r in execute(store, LARGEST_FIRMS, params).rows]


def id_groups(store: Store, ids: list[str], links: list[dict[str, Any]], by: str) -> Groups:
    """Firms given by id (a reach) grouped per ``by``; ``links`` are their supply links
    (``src``, ``dst``), counted between groups."""
    text, sent = ID_GROUPS.render(store.dialect, ID_GROUPS.bind({"by": by}))
    rows = store.run(text, {**sent, "ids": ids})
    group_of = {str(r["id"]): str(r["group"]) for r in rows}
    counted: dict[str, dict[str, Any]] = {}
    for r in rows:
        g = counted.setdefault(str(r["group"]), {"group": r["group"], "firms": 0, "uncovered": 0})
        g["firms"] += 1
        g["uncovered"] += 1 if r["uncovered"] else 0
    weights: dict[tuple[str, str], int] = {}
    for link in links:
        a, b = group_of.get(str(link["src"])), group_of.get(str(link["dst"]))
        if a is not None and b is not None and a != b:
            weights[(a, b)] = weights.get((a, b), 0) + 1
    return Groups(by, [counted[k] for k in sorted(counted)], weights, group_of)


AREA_NAMES = Query(
    name="_area_names",
    description="The streets, grids, parks and industries of the zone's operating firms.",
    columns=LEVELS,
    public=False,
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating'
RETURN collect(DISTINCT e.street) AS street, collect(DISTINCT e.grid) AS grid,
       collect(DISTINCT e.park) AS park, collect(DISTINCT e.industry) AS industry""",
)
register(AREA_NAMES)


def area_names(store: Store) -> dict[str, list[str]]:
    """The zone's streets, grids, parks and industries, sorted (one scan of the firms, for
    the filters and scopes a page offers)."""
    rows = execute(store, AREA_NAMES, {}).rows
    row = rows[0] if rows else {}
    return {level: sorted({str(v) for v in row.get(level) or () if v}) for level in LEVELS}
