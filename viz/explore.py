"""The network's step-by-step moves as payloads a view draws (the shape of
:func:`viz.graphdata.view_payload`): a node's neighbours, a supply path, a coverage chain.

Refusals (an unknown id, no path) are domain errors whose text is in the request's language,
so the browser can show them as they come.
"""

from __future__ import annotations

from typing import Any

from api.i18n import DEFAULT_LANG, Translator
from graph_model.errors import BadParameter, NotFound
from graph_model.schema import RELS
from graph_model.store.base import Store
from queries.explore import (
    coverage_chain,
    find_node,
    firm_rows,
    neighbours,
    parse_rels,
    supply_links_among,
    supply_path,
)
from queries.views import firm_coverage
from viz.graphdata import firm_node, laid_out, titled_edges, unit_node

__all__ = ["chain_payload", "neighbors_payload", "path_payload"]


def _draw(n: dict[str, Any], size_by: str, t: Translator) -> dict[str, Any]:
    if n["label"] == "Enterprise":
        return firm_node({**n, "coverage": firm_coverage(n)}, size_by, t)
    return unit_node(n, t)


def _payload(
    scope: str,
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    t: Translator,
    focus: set[str],
    note: str | None = None,
    firms: int | None = None,
) -> dict[str, Any]:
    for n in nodes:
        if n["id"] in focus:
            n["focus"] = True
    titled = titled_edges(edges, nodes, t)
    physics = laid_out(nodes, titled)
    return {
        "scope": scope,
        "nodes": nodes,
        "edges": titled,
        "firms": sum(1 for n in nodes if n["label"] == "Enterprise") if firms is None else firms,
        "aggregated": False,
        "physics": physics,
        "note": note,
    }


def neighbors_payload(
    store: Store,
    node_id: str,
    rels: str | None = None,
    cap: int = 200,
    size_by: str = "employees",
    lang: str = DEFAULT_LANG,
) -> dict[str, Any]:
    """The node ``node_id``, its direct neighbours over ``rels`` (comma-separated types,
    every type when empty) and the edges between them: the links to the node, and the
    supply links among the firms drawn. Over ``cap`` neighbours, the largest are kept.

    Raises
    ------
    BadParameter
        ``rels`` names something that is no relationship type.
    NotFound
        No node has that id, or it is a closed firm (views draw operating firms only).
    """
    t = Translator(lang)
    rtypes, unknown = parse_rels(rels)
    if unknown:
        raise BadParameter(t("netapi.bad_rels", rels=", ".join(unknown), known=", ".join(RELS)))
    node = find_node(store, node_id)
    if node is not None and node["label"] == "Enterprise":
        row = firm_rows(store, [node_id]).get(node_id)
        node = None if row is None else {**row, "label": "Enterprise"}
    if node is None:
        raise NotFound(t("netapi.no_node", id=node_id))
    found, edges = neighbours(store, node, rtypes)
    drawn = [_draw(n, size_by, t) for n in found]
    drawn.sort(key=lambda n: (-float(n["size"]), str(n["id"])))
    note = None
    if len(drawn) > cap:
        note = t("netapi.note.neighbors", n=len(drawn), cap=cap, left=len(drawn) - cap)
        drawn = drawn[:cap]
    nodes = [_draw(node, size_by, t), *sorted(drawn, key=lambda n: str(n["id"]))]
    kept = {n["id"] for n in nodes}
    edges = [e for e in edges if e["src"] in kept and e["dst"] in kept]
    if "SUPPLIES" in rtypes:
        firms = [n["id"] for n in nodes if n["label"] == "Enterprise" and n["id"] != node_id]
        edges += [
            e for e in supply_links_among(store, firms) if node_id not in (e["src"], e["dst"])
        ]
    firms_found = sum(1 for n in found if n["label"] == "Enterprise")
    firms_found += 1 if node["label"] == "Enterprise" else 0
    return _payload(f"neighbors:{node_id}", nodes, edges, t, {node_id}, note, firms_found)


def path_payload(
    store: Store, source: str, target: str, max_hops: int = 6, lang: str = DEFAULT_LANG
) -> dict[str, Any]:
    """The shortest supply path from ``source`` to ``target`` (either direction), its firms
    in order and the links between consecutive ones, with ``path`` the ids in order.

    Raises
    ------
    NotFound
        Either end is no operating firm, or no path is within ``max_hops`` links.
    """
    t = Translator(lang)
    try:
        ids = supply_path(store, source, target, max_hops)
    except LookupError as exc:
        raise NotFound(t("netapi.no_firm", id=exc.args[0])) from exc
    if ids is None:
        raise NotFound(t("netapi.no_path", source=source, target=target, hops=max_hops))
    rows = firm_rows(store, ids)
    nodes = [_draw({**rows[i], "label": "Enterprise"}, "employees", t) for i in ids]
    steps = {frozenset(pair) for pair in zip(ids, ids[1:], strict=False)}
    edges = [e for e in supply_links_among(store, ids) if frozenset((e["src"], e["dst"])) in steps]
    payload = _payload(f"path:{source}:{target}", nodes, edges, t, {source, target})
    return payload | {"path": ids}


def chain_payload(store: Store, firm: str, lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """How ``firm`` is covered (see :func:`queries.explore.coverage_chain`), with ``path``
    the strongest coverer's chain from the firm up; an uncovered firm alone, with a note.

    Raises
    ------
    NotFound
        ``firm`` is no operating firm.
    """
    t = Translator(lang)
    try:
        chain = coverage_chain(store, firm)
    except LookupError as exc:
        raise NotFound(t("netapi.no_firm", id=firm)) from exc
    nodes = [_draw(n, "employees", t) for n in chain.nodes]
    note = None
    if len(chain.path) == 1:
        note = t("netapi.note.uncovered", name=nodes[0]["name"] or firm)
    payload = _payload(f"coverage:{firm}", nodes, chain.edges, t, {firm}, note)
    return payload | {"path": chain.path}
