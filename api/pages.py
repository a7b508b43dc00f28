"""Server-rendered pages (Chinese by default, English by a switch) over the catalog.

Pages hold no Cypher: they call the catalog (:func:`queries.catalog.run`), the profile and
stats functions, or the JSON API from the browser (the network view and the what-if panel).
:func:`install` adds the pages and the ``/static`` files to an app, once.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.routing import Mount

from api import (
    pages_audit,
    pages_docs,
    pages_firms,
    pages_imports,
    pages_map,
    pages_report,
    pages_tables,
)
from api.deps import CurrentUser, SettingsDep, StoreDep
from api.empty_states import EmptyStates, name_unfilled
from api.i18n import Translator
from api.pages_charts import PARTS, overlap_matrix, stacked_bars
from api.pages_common import (
    SHOW_ROWS,
    STATIC_DIR,
    downloads,
    error_page,
    error_status,
    href,
    page_lang,
    render,
)
from api.report_charts import trend_chart
from api.routes import imports as imports_api
from api.view_book import ViewBook
from graph_model.errors import ZonegraphError
from graph_model.schema import RELS
from graph_model.store.base import Store
from queries.catalog import Page, get_query, run, run_query
from queries.rates import DEFAULT, RATE, RATES
from queries.report import trend
from queries.stats import zone_stats
from queries.view_groups import area_names
from viz.graphdata import COVERAGE_COLORS, KIND_COLORS, SHAPES

__all__ = ["STATIC_DIR", "install", "router"]

router = APIRouter(tags=["pages"], include_in_schema=False)
router.include_router(pages_tables.router)
router.include_router(pages_firms.router)
router.include_router(pages_imports.router)
router.include_router(pages_audit.router)
router.include_router(pages_docs.router)
router.include_router(pages_report.router)
router.include_router(pages_map.router)

GAP_FILTERS = ("street", "grid", "park", "industry")
SCOPE_KINDS = ("zone", "street", "grid", "park", "industry", "alliance", "firm")
#: The relationship kinds a network view draws, filters by and expands along.
NETWORK_RELS = tuple(r for r in RELS if r != "IN_GRID")


def install(app: FastAPI) -> None:
    """Add the pages, the import API the pages stand on, and mount ``/static``, unless the
    app has them already (so a second call, or an app that includes :data:`router` itself,
    changes nothing)."""
    routes = app.router.routes
    # FastAPI keeps an included router whole (original_router) or copies its routes, by version.
    for sub, endpoint in ((imports_api.router, imports_api.upload_file), (router, dashboard)):
        if not any(
            getattr(r, "original_router", None) is sub or getattr(r, "endpoint", None) is endpoint
            for r in routes
        ):
            app.include_router(sub)
    if not any(isinstance(r, Mount) and r.path == "/static" for r in routes):
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def areas(store: Store) -> dict[str, list[str]]:
    """The streets, grids, parks and industries of the zone (for filters and scopes)."""
    return area_names(store)


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request, user: CurrentUser, store: StoreDep, rate: str = DEFAULT.key
) -> HTMLResponse:
    chosen = RATE.get(rate, DEFAULT)
    stats = zone_stats(store)
    t = Translator(page_lang(request))
    # Sorted and labelled by the same rate (queries/rates.py), so the figures read in order.
    params = {"level": "street", "rate": chosen.key}
    streets = name_unfilled("coverage_by", params, run_query(store, "coverage_by", params), t)
    lists = [q.name for q in pages_tables.catalog_queries()]
    return render(
        request,
        "dashboard.html",
        {
            "s": stats["summary"],
            "stats": stats,
            "chart": stacked_bars(streets, rate=chosen.column),
            "chart_narrow": stacked_bars(streets, rate=chosen.column, narrow=True),
            "rate": chosen,
            "rates": RATES,
            "trend": trend_chart(trend(store.snapshots())),
            "parts": PARTS,
            "lists": lists,
            "rules": pages_tables.RULES,
        },
        active="dashboard",
    )


@router.get("/gaps", response_class=HTMLResponse)
def gaps(request: Request, user: CurrentUser, store: StoreDep) -> HTMLResponse:
    q = get_query("uncovered")
    known = {p.name for p in q.params}
    chosen = {k: v.strip() for k, v in request.query_params.items() if k in known and v.strip()}
    try:
        # One page is shown (the downloads have every row): the database pages and counts.
        found = run(store, "uncovered", chosen, Page(0, SHOW_ROWS))
    except ZonegraphError as exc:
        return error_page(request, exc, active="gaps")
    return render(
        request,
        "gaps.html",
        {
            "query": q,
            "rows": found.rows,
            "total": found.total,
            "columns": list(q.columns),
            "chosen": chosen,
            "areas": areas(store),
            "filters": GAP_FILTERS,
            "downloads": downloads("uncovered", chosen),
        },
        active="gaps",
    )


@router.get("/network", response_class=HTMLResponse)
def network(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    settings: SettingsDep,
    scope: str = "zone",
    hops: int = 1,
    size_by: str = "employees",
    view: str = "",
) -> HTMLResponse:
    lang = page_lang(request)
    saved: dict[str, Any] | None = None
    if view:
        # A saved view opens as it was saved: its scope and hops draw first, and the page's
        # script gets the whole state (filters, style, positions) to apply.
        try:
            found = ViewBook(settings.views_file()).get(view, lang)
        except ZonegraphError as exc:
            # The view book says why in the page's language already.
            return render(
                request,
                "error.html",
                {"message": str(exc)},
                active="network",
                status_code=error_status(exc),
            )
        state = found.state or {}
        saved = {
            "name": found.name,
            "owner": found.owner,
            "updated_at": found.updated_at,
            "state": state,
        }
        scope = state["scope"] if isinstance(state.get("scope"), str) else scope
        hops = state["hops"] if isinstance(state.get("hops"), int) else hops
    kind, _, value = scope.partition(":")
    if kind not in SCOPE_KINDS:
        kind, value = "zone", ""
    alliances = run_query(store, "alliances")
    # Said above the canvas: the zone has no firms, or no supply links to draw.
    lacking = EmptyStates(lambda: store).missing("SUPPLIES")
    config: dict[str, Any] = {
        "scope": scope,
        "hops": min(max(hops, 1), 6),
        "size_by": size_by if size_by in ("employees", "party_members") else "employees",
        "coverage_colors": COVERAGE_COLORS | {"closed": "#9e9e9e"},
        "kind_colors": KIND_COLORS,
        "shapes": SHAPES,
        # The language the page's API calls ask for (tooltips, notes, refusals).
        "lang": lang,
        "view": saved,
    }
    return render(
        request,
        "network.html",
        {
            "config": config,
            "kind": kind,
            "value": value,
            "kinds": SCOPE_KINDS,
            "areas": areas(store),
            "alliances": alliances,
            "lacking": lacking,
            "legend_labels": ("PartyOrg", "Studio", "Instructor", "Alliance", "Liaison", "Group"),
            "rel_types": NETWORK_RELS,
        },
        active="network",
    )


def _count(weighted: float) -> float | int:
    """A weighted count to one decimal, whole numbers without one."""
    value = round(weighted, 1)
    return int(value) if value.is_integer() else value


@router.get("/alliances", response_class=HTMLResponse)
def alliances(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    alliance: str = "",
    hops: str = "1",  # one link tells alliances apart; at two most reach most of a zone
    k: str = "3",
) -> Response:
    listed = run_query(store, "alliances")
    ids = [a["id"] for a in listed]
    if not alliance and ids:
        return RedirectResponse(href("/alliances", {**request.query_params, "alliance": ids[0]}))
    if not alliance:  # no alliances yet: the page says how to bring them in
        return render(request, "alliances.html", {"alliances": []}, active="alliances")
    params = {"alliance": alliance, "hops": hops}
    try:
        reach = run(store, "alliance_reach", params).rows
        by_distance = run(store, "alliance_reach_by_distance", params).rows
        candidates = run(store, "alliance_candidates", params).rows
        recruited = run(store, "next_recruit", {**params, "k": k})
        overlap = run(store, "alliance_overlap", {"hops": hops}).rows
    except ZonegraphError as exc:
        return error_page(request, exc, active="alliances")
    current = next((a for a in listed if a["id"] == alliance), {"id": alliance, "name": alliance})
    return render(
        request,
        "alliances.html",
        {
            "alliances": listed,
            "current": current,
            "hops": int(hops),
            "k": int(k),
            "reach": reach,
            "reach_uncovered": sum(1 for r in reach if not r["covered"]),
            "reach_direct": by_distance[0]["firms"] if by_distance else 0,
            "reach_weighted": _count(sum(r["weighted"] for r in by_distance)),
            "by_distance": by_distance,
            "candidates": candidates,
            "recruits": recruited.rows,
            "recruit_notes": recruited.notes,
            "matrix": overlap_matrix(ids, overlap),
            "ids": ids,
            "columns": {
                name: list(get_query(name).columns)
                for name in ("alliances", "alliance_reach", "alliance_candidates", "next_recruit")
            },
            "downloads": {
                "alliance_reach": downloads("alliance_reach", params),
                "alliance_candidates": downloads("alliance_candidates", params),
                "next_recruit": downloads("next_recruit", {**params, "k": k}),
                "alliance_overlap": downloads("alliance_overlap", {"hops": hops}),
            },
        },
        active="alliances",
    )
