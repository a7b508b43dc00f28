"""A scope's network view, read no bigger than the view can draw.

The scope's operating firms are counted first, in the database. Up to the cap they are
read and drawn one by one (:func:`viz.graphdata.view_payload`). Over it, nothing firm by
firm leaves the database: the view shows one node per grid (per street when even the grids
are over the cap) with its number of firms and of uncovered firms, and one edge per pair of
groups weighted by the supply links between them; clicking a group opens its scope, so an
organizer drills down zone → grid (or street → grid) → firms. A single grid over the cap
has no finer place to open: it shows its largest firms (by the view's size measure, as many
as half the cap or 200, leaving room for their organizations and studios and few enough to
draw without a server layout) and says how many it left out. A firm's or an alliance's
reach over the cap is grouped from its ids the same way.
"""

from __future__ import annotations

from typing import Any

from graph_model.errors import BadParameter
from graph_model.store.base import Store
from queries.scope import LINKS_FROM_IDS
from queries.view_groups import Groups, area_groups, id_groups, largest_firms, scope_count
from queries.views import ids_view, scope_firm_ids
from viz.graphdata import (
    DEFAULT_CAP,
    PHYSICS_LIMIT,
    group_edges,
    group_node,
    laid_out,
    view_payload,
)

PLACE_KINDS = ("zone", "street", "grid", "park", "industry")


def _split(scope: str) -> tuple[str, str]:
    kind, _, value = scope.partition(":")
    if kind not in (*PLACE_KINDS, "alliance", "firm") or (kind == "zone") != (value == ""):
        raise BadParameter(
            f"scope: {scope!r} is not zone, street:X, grid:X, park:X, industry:X, "
            "alliance:Y or firm:X"
        )
    return kind, value


def grouped_payload(scope: str, groups: Groups, note: str) -> dict[str, Any]:
    """The payload of a scope shown as aggregate nodes."""
    nodes = [
        group_node(groups.by, str(g["group"]), int(g["firms"]), int(g["uncovered"]))
        for g in groups.groups
    ]
    edges = group_edges(groups.by, groups.links)
    physics = laid_out(nodes, edges)
    return {
        "scope": scope,
        "nodes": nodes,
        "edges": edges,
        "firms": groups.firms,
        "aggregated": True,
        "physics": physics,
        "note": note,
    }


def _over_cap(firms: int, cap: int, by: str) -> str:
    return (
        f"{firms} firms exceed the cap of {cap} nodes: firms are shown per {by}; "
        "click one to open it."
    )


def scope_payload(
    store: Store, scope: str, hops: int = 1, cap: int = DEFAULT_CAP, size_by: str = "employees"
) -> dict[str, Any]:
    """Nodes and edges of ``scope`` for a page or an exported file: firm by firm up to
    ``cap`` nodes, aggregated per grid or street over it (see the module's docstring)."""
    kind, value = _split(scope)
    if kind in ("alliance", "firm"):
        ids = scope_firm_ids(store, scope, hops)
        if len(ids) <= cap:
            return view_payload(ids_view(store, ids), scope, cap, size_by)
        text = LINKS_FROM_IDS.text(store.dialect)
        links = store.run(text, {"ids": ids})
        groups = id_groups(store, ids, links, "grid")
        if len(groups.groups) > cap:
            groups = id_groups(store, ids, links, "street")
        return grouped_payload(scope, groups, _over_cap(groups.firms, cap, groups.by))
    firms = scope_count(store, kind, value)
    if firms <= cap:
        return view_payload(
            ids_view(store, scope_firm_ids(store, scope, hops)), scope, cap, size_by
        )
    if kind == "grid":
        # Few enough to draw with live physics: a server layout of a thousand nodes takes
        # seconds (measured 2-4 s at 10^5 firms), more than the view may.
        shown = largest_firms(store, kind, value, size_by, max(min(cap, PHYSICS_LIMIT) // 2, 1))
        view = ids_view(store, shown)
        if len(view.nodes) > cap:
            view = ids_view(store, shown, attached=False)
        payload = view_payload(view, scope, cap, size_by)
        payload["firms"] = firms
        payload["note"] = (
            f"{firms} firms exceed the cap of {cap} nodes: the {len(shown)} largest by "
            f"{size_by} are shown; the list of the grid has them all."
        )
        return payload
    groups = area_groups(store, kind, value, "grid")
    if len(groups.groups) > cap:
        groups = area_groups(store, kind, value, "street")
    return grouped_payload(scope, groups, _over_cap(firms, cap, groups.by))
