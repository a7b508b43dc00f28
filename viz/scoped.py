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
reach over the cap keeps its core drawn one by one — the firm, or the alliance's members
and lead with what is attached to them — and groups every other firm of the reach per grid
(or street) from its ids, with one weighted edge per core firm and group they trade with.
No payload ever holds more than ``cap`` nodes: groups that still do not fit are folded
into one "others" node.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from api.i18n import DEFAULT_LANG, Translator
from graph_model.errors import BadParameter
from graph_model.store.base import Store
from queries.catalog import execute
from queries.scope import LINKS_FROM_IDS, alliance_ball
from queries.view_groups import Groups, area_groups, id_groups, largest_firms, scope_count
from queries.views import FIRM_BALL, ViewGraph, ids_view, scope_firm_ids
from viz.graphdata import (
    DEFAULT_CAP,
    OTHERS,
    PHYSICS_LIMIT,
    UNFILLED_NAME,
    detailed,
    group_edges,
    group_node,
    laid_out,
    trimmed_links,
    view_payload,
    with_sentence,
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


def _group_nodes(groups: Groups, t: Translator) -> list[dict[str, Any]]:
    return [
        group_node(groups.by, str(g["group"]), int(g["firms"]), int(g["uncovered"]), t)
        for g in groups.groups
    ]


def _fit(groups: Groups, room: int) -> Groups:
    """At most ``room`` groups: the largest kept, the rest merged into one unopenable group
    (a zone with more streets than the cap still gets a view of at most ``cap`` nodes)."""
    if len(groups.groups) <= room:
        return groups
    ranked = sorted(groups.groups, key=lambda g: (-int(g["firms"]), str(g["group"])))
    kept, merged = ranked[: max(room - 1, 0)], ranked[max(room - 1, 0) :]
    rest = {
        "group": OTHERS,
        "firms": sum(int(g["firms"]) for g in merged),
        "uncovered": sum(int(g["uncovered"]) for g in merged),
    }
    folded = {str(g["group"]) for g in merged}

    def name(g: str) -> str:
        return OTHERS if g in folded else g

    links: Counter[tuple[str, str]] = Counter()
    for (a, b), n in groups.links.items():
        links[(name(a), name(b))] += n
    by_name = sorted([*kept, rest], key=lambda g: str(g["group"]))
    return Groups(groups.by, by_name, dict(links))


def grouped_payload(
    scope: str, groups: Groups, note: str, cap: int = DEFAULT_CAP, lang: str = DEFAULT_LANG
) -> dict[str, Any]:
    """The payload of a scope shown as aggregate nodes (never more than ``cap``)."""
    t = Translator(lang)
    firms = groups.firms
    groups = _fit(groups, cap)
    nodes = _group_nodes(groups, t)
    edges, trimmed = trimmed_links(group_edges(groups.by, groups.links, t), [], len(nodes), t)
    physics = laid_out(nodes, edges)
    return {
        "scope": scope,
        "nodes": nodes,
        "edges": edges,
        "firms": firms,
        "aggregated": True,
        "physics": physics,
        "note": with_sentence(note, trimmed),
    }


def _over_cap(firms: int, cap: int, by: str, t: Translator) -> str:
    return t("netapi.note.cap", firms=firms, cap=cap, by=t(f"netapi.by.{by}"))


def _reach(store: Store, kind: str, value: str, hops: int) -> list[dict[str, Any]]:
    """Rows ``id, distance`` of a firm's or an alliance's reach (distance 0: the firm, or
    the alliance's operating members)."""
    if kind == "firm":
        return execute(store, FIRM_BALL, {"firm": value, "hops": hops}).rows
    return alliance_ball(store, value, hops)


def reach_payload(
    store: Store, scope: str, rows: list[dict[str, Any]], cap: int, size_by: str, lang: str
) -> dict[str, Any]:
    """A firm's or an alliance's reach over the cap: the firm itself (or the alliance's
    members and lead, with what is attached to them) drawn one by one, every other firm in
    one node per grid (per street when the grids do not fit), never more than ``cap`` nodes.

    When even the core does not fit beside the groups, the whole reach is grouped."""
    t = Translator(lang)
    ids = sorted(str(r["id"]) for r in rows)
    core = sorted(str(r["id"]) for r in rows if int(r["distance"]) == 0)
    inside = set(ids)
    links = [
        link
        for link in store.run(LINKS_FROM_IDS.text(store.dialect), {"ids": ids})
        if link["dst"] in inside
    ]
    core_set = set(core)
    rest = [i for i in ids if i not in core_set]
    if len(core) <= cap // 2:
        for by in ("grid", "street"):
            groups = id_groups(store, rest, links, by)
            room = cap - len(core)
            if len(groups.groups) > room:
                continue
            view = ids_view(store, core)
            if len(view.nodes) + len(groups.groups) > cap:
                view = ids_view(store, core, attached=False)
            return _core_and_groups(scope, view, groups, links, len(ids), cap, size_by, t)
    groups = id_groups(store, ids, links, "grid")
    if len(groups.groups) > cap:
        groups = id_groups(store, ids, links, "street")
    note = _over_cap(groups.firms, cap, groups.by, t)
    return grouped_payload(scope, groups, note, cap, lang)


def _core_and_groups(
    scope: str,
    view: ViewGraph,
    groups: Groups,
    links: list[dict[str, Any]],
    firms: int,
    cap: int,
    size_by: str,
    t: Translator,
) -> dict[str, Any]:
    core_nodes, core_edges = detailed(view, size_by, t)
    core = {n["id"] for n in core_nodes if n["label"] == "Enterprise"}
    for n in core_nodes:
        if n["id"] in core:
            n["focus"] = True
    nodes = core_nodes + _group_nodes(groups, t)
    # Links between a core firm and a grouped firm become one weighted edge per pair of
    # core firm and group.
    member_group = groups.member_of
    to_core: Counter[tuple[str, str]] = Counter()
    for link in links:
        a, b = str(link["src"]), str(link["dst"])
        if a in core and b in member_group:
            to_core[(a, f"{groups.by}:{member_group[b] or UNFILLED_NAME}")] += 1
        elif b in core and a in member_group:
            to_core[(b, f"{groups.by}:{member_group[a] or UNFILLED_NAME}")] += 1
    names = {n["id"]: n.get("name") or n["id"] for n in nodes}
    to_groups = [
        {
            "src": c,
            "dst": g,
            "type": "SUPPLIES",
            "weight": n,
            "title": t("netapi.edge.links", a=names[c], b=names.get(g, g), n=n),
        }
        for (c, g), n in sorted(to_core.items())
    ]
    # The core's links to the groups are the view's story: they are kept first.
    weighted, trimmed = trimmed_links(
        to_groups, group_edges(groups.by, groups.links, t), len(nodes), t
    )
    edges = core_edges + weighted
    physics = laid_out(nodes, edges)
    if scope.startswith("firm:"):
        name = next((n["name"] for n in core_nodes if n.get("focus")), scope[5:])
        note = t(
            "netapi.note.firm_reach",
            firms=firms,
            cap=cap,
            name=name,
            by=t(f"netapi.by.{groups.by}"),
        )
    else:
        note = t("netapi.note.reach", firms=firms, cap=cap, by=t(f"netapi.by.{groups.by}"))
    return {
        "scope": scope,
        "nodes": nodes,
        "edges": edges,
        "firms": firms,
        "aggregated": True,
        "physics": physics,
        "note": with_sentence(note, trimmed),
    }


def scope_payload(
    store: Store,
    scope: str,
    hops: int = 1,
    cap: int = DEFAULT_CAP,
    size_by: str = "employees",
    lang: str = DEFAULT_LANG,
) -> dict[str, Any]:
    """Nodes and edges of ``scope`` for a page or an exported file: firm by firm up to
    ``cap`` nodes, aggregated per grid or street over it (see the module's docstring);
    tooltips and notes in ``lang``."""
    t = Translator(lang)
    kind, value = _split(scope)
    if kind in ("alliance", "firm"):
        rows = _reach(store, kind, value, hops)
        ids = [str(r["id"]) for r in rows]
        if len(ids) <= cap:
            view = ids_view(store, ids)
            if len(view.nodes) <= cap:
                payload = view_payload(view, scope, cap, size_by, lang)
                core = {str(r["id"]) for r in rows if int(r["distance"]) == 0}
                for n in payload["nodes"]:
                    if n["id"] in core:
                        n["focus"] = True
                return payload
        return reach_payload(store, scope, rows, cap, size_by, lang)
    firms = scope_count(store, kind, value)
    if firms <= cap:
        return view_payload(
            ids_view(store, scope_firm_ids(store, scope, hops)), scope, cap, size_by, lang
        )
    if kind == "grid":
        # Few enough to draw with live physics: a server layout of a thousand nodes takes
        # seconds (measured 2-4 s at 10^5 firms), more than the view may.
        shown = largest_firms(store, kind, value, size_by, max(min(cap, PHYSICS_LIMIT) // 2, 1))
        view = ids_view(store, shown)
        if len(view.nodes) > cap:
            view = ids_view(store, shown, attached=False)
        payload = view_payload(view, scope, cap, size_by, lang)
        payload["firms"] = firms
        payload["note"] = t(
            "netapi.note.largest",
            firms=firms,
            cap=cap,
            shown=len(shown),
            size_by=t.col(size_by),
        )
        return payload
    groups = area_groups(store, kind, value, "grid")
    if len(groups.groups) > cap:
        groups = area_groups(store, kind, value, "street")
    return grouped_payload(scope, groups, _over_cap(firms, cap, groups.by, t), cap, lang)
