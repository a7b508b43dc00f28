"""Why a page's table is empty, and what unfilled areas are called.

A table with no rows over a zone that lacks the records its query reads (no alliances, no
studios, no supply links, no firms at all) says so, with how to import them, instead of the
plain "no rows match". The zone's counts are read only when a table is empty, once per page.

Firms whose street, grid, park or industry is not filled in form a group of their own in the
``group`` column of the by-level queries; :func:`name_unfilled` names it (未填街道, 未填网格)
so a chart or table never shows a bare "—" where the group's name belongs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from graph_model.store.base import Store

__all__ = ["NEEDS", "EmptyStates", "name_unfilled", "unfilled_name"]

#: What a catalog query reads besides the firms: labels or relationship types whose absence
#: explains an empty answer (the first one missing is named).
NEEDS: dict[str, tuple[str, ...]] = {
    "alliances": ("Alliance",),
    "alliance_reach": ("Alliance",),
    "alliance_reach_by_distance": ("Alliance",),
    "alliance_candidates": ("Alliance", "SUPPLIES"),
    "next_recruit": ("Alliance", "SUPPLIES"),
    "alliance_overlap": ("Alliance",),
    "studio_load": ("Studio",),
    "studio_assignment": ("Studio",),
    "liaison_load": ("Liaison",),
    "bridging_firms": ("SUPPLIES",),
    "suggested_clusters": ("SUPPLIES",),
    "org_tree": ("PartyOrg",),
    "formation_modes": ("PartyOrg",),
}

#: The message that names each missing kind of record.
MISSING: dict[str, str] = {
    "Enterprise": "empty.zone",
    "Alliance": "empty.alliances",
    "Studio": "empty.studios",
    "Liaison": "empty.liaisons",
    "SUPPLIES": "empty.supply",
    "PartyOrg": "empty.orgs",
}

#: Queries whose rows are groups of one level, and the column holding the group's name.
LEVEL_GROUPS: dict[str, str] = {
    "coverage_by": "group",
    "star_distribution": "group",
    "joint_branch_plan": "area",
}


class EmptyStates:
    """The message key for an empty table: what the zone lacks, else ``c.empty``.

    ``store`` is called only when a page asks about an empty table, and the counts it gives
    are kept for the rest of the page."""

    def __init__(self, store: Callable[[], Store | None]) -> None:
        self._store = store
        self._counts: Mapping[str, int] | None = None

    def counts(self) -> Mapping[str, int]:
        if self._counts is None:
            store = self._store()
            self._counts = store.counts() if store is not None else {}
        return self._counts

    def missing(self, *needs: str) -> str | None:
        """The key naming the first of the firms and ``needs`` the zone has none of."""
        counts = self.counts()
        for kind in ("Enterprise", *needs):
            if kind in counts and counts[kind] == 0:
                return MISSING[kind]
        return None

    def __call__(self, query: str | None = None, *needs: str) -> str:
        return self.missing(*NEEDS.get(query or "", ()), *needs) or "c.empty"


def unfilled_name(level: str, t: Callable[[str], str]) -> str:
    """What a group of firms without a ``level`` (street, grid, park, industry) is called."""
    return t(f"empty.no_{level}")


def name_unfilled(
    query: str,
    params: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    t: Callable[[str], str],
) -> list[dict[str, Any]]:
    """``rows`` with the unfilled group named (未填街道), for queries grouped by a level."""
    column = LEVEL_GROUPS.get(query)
    if column is None:
        return [dict(r) for r in rows]
    level = str(params.get("level") or "street")
    name = unfilled_name(level, t)
    return [{**r, column: name} if r.get(column) in (None, "") else dict(r) for r in rows]
