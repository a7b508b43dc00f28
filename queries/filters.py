"""Cypher filters written from the parameters that are set.

A filter such as ``($street = '' OR e.street = $street)`` keeps one text for every call, but
it hides the comparison from the planner: Neo4j cannot seek an index for it and LadybugDB
evaluates it for every firm. So the catalog's texts carry marks instead, and a query's
``shape`` (:attr:`queries.catalog.Query.shape`) replaces them for each call:

* ``@filters`` becomes ``AND <condition>`` for each parameter that is set (not ``''`` or 0),
  and ``@where`` becomes ``WHERE <condition> AND …`` (or nothing when none is set);
* ``@level(x)`` becomes ``x.street``, ``x.grid``, ``x.park`` or ``x.industry`` for the
  chosen level.

Only clause texts written here or in the query modules enter the text; values stay
parameters (``$street``), and a level is looked up in a fixed table, never pasted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graph_model.errors import BadParameter
from queries.catalog import ParamValue, Shape

FILTERS = "@filters"
WHERE = "@where"
_LEVEL = re.compile(r"@level\((?P<var>[a-z]+)\)")

#: The firm property each level names (the text comes from here, not from the request).
LEVEL_PROPERTY: dict[str, str] = {
    "street": "street",
    "grid": "grid",
    "park": "park",
    "industry": "industry",
}


def is_set(value: ParamValue) -> bool:
    """A filter parameter is set when it is not its "any" value: the empty text, or 0 for a
    minimum (a count of at least 0 holds for every firm)."""
    return not (value == "" or (isinstance(value, int | float) and value == 0))


def where_set(conditions: Mapping[str, str]) -> Shape:
    """A shape writing ``AND <condition>`` at ``@filters`` (``WHERE …`` at ``@where``) for
    each set parameter.

    Parameters
    ----------
    conditions
        Parameter name → the condition (Cypher from code, e.g. ``e.street = $street``) that
        applies when the parameter is set.
    """

    def shape(text: str, bound: Mapping[str, ParamValue]) -> str:
        chosen = [cond for name, cond in conditions.items() if is_set(bound[name])]
        where = f"WHERE {' AND '.join(chosen)}" if chosen else ""
        return text.replace(FILTERS, "".join(f"\n  AND {c}" for c in chosen)).replace(WHERE, where)

    return shape


def by_level(param: str = "level") -> Shape:
    """A shape writing the chosen level's property at every ``@level(x)``."""

    def shape(text: str, bound: Mapping[str, ParamValue]) -> str:
        if not _LEVEL.search(text):
            return text
        prop = LEVEL_PROPERTY.get(str(bound[param]))
        if prop is None:
            known = ", ".join(LEVEL_PROPERTY)
            raise BadParameter(f"{param}: {bound[param]!r} is not one of {known}")
        return _LEVEL.sub(lambda m: f"{m['var']}.{prop}", text)

    return shape


def both(*shapes: Shape) -> Shape:
    """Shapes applied in order."""

    def shape(text: str, bound: Mapping[str, ParamValue]) -> str:
        for s in shapes:
            text = s(text, bound)
        return text

    return shape


#: The firm filters shared by the coverage queries: each parameter and its condition on ``e``.
FIRM_CONDITIONS: dict[str, str] = {name: f"e.{name} = ${name}" for name in LEVEL_PROPERTY}
