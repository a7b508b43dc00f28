"""``/api/graph``: nodes and edges of any scope's network view, capped for the browser."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from api.deps import CurrentUser, StoreDep
from api.models import GraphOut, GraphPathOut
from api.routes.queries import ERRORS
from viz.explore import chain_payload, neighbors_payload, path_payload
from viz.graphdata import VIEW_CAP
from viz.scoped import scope_payload

router = APIRouter(prefix="/api/graph", tags=["graph"])

Lang = Literal["zh", "en"]
#: Every graph route's language: tooltips, notes and refusals come from the catalogue in it.
LANG = Query("zh", description="zh or en: the language of tooltips, notes and refusals")


@router.get(
    "",
    response_model=GraphOut,
    responses=ERRORS,
    summary="A scope's network: firms, supply links and attached units",
)
def graph(
    user: CurrentUser,
    store: StoreDep,
    scope: str = Query(
        "zone",
        max_length=200,
        pattern=r"^(zone|(street|grid|park|industry|alliance|firm):.+)$",
        description="zone, street:X, grid:X, park:X, industry:X, alliance:X or firm:X",
    ),
    hops: int = Query(1, ge=1, le=6, description="supply links around a firm or alliance"),
    cap: int = Query(VIEW_CAP, ge=10, le=5000, description="most nodes to send"),
    size_by: Literal["employees", "party_members"] = Query("employees"),
    lang: Lang = LANG,
) -> GraphOut:
    return GraphOut.model_validate(scope_payload(store, scope, hops, cap, size_by, lang))


@router.get(
    "/neighbors",
    response_model=GraphOut,
    responses=ERRORS,
    summary="A node and its direct neighbours, by relationship kind",
)
def neighbors(
    user: CurrentUser,
    store: StoreDep,
    id: str = Query(
        ..., min_length=1, max_length=200, description="any node's id (a firm, organization, ...)"
    ),
    rels: str | None = Query(
        None,
        max_length=400,
        description="relationship types to follow, comma-separated (e.g. SUPPLIES,COVERS); "
        "every type when omitted",
    ),
    cap: int = Query(200, ge=1, le=5000, description="most neighbours to send (the largest)"),
    size_by: Literal["employees", "party_members"] = Query("employees"),
    lang: Lang = LANG,
) -> GraphOut:
    return GraphOut.model_validate(neighbors_payload(store, id, rels, cap, size_by, lang))


@router.get(
    "/path",
    response_model=GraphPathOut,
    responses=ERRORS,
    summary="The shortest supply path between two firms (links in either direction)",
)
def path(
    user: CurrentUser,
    store: StoreDep,
    source: str = Query(..., min_length=1, max_length=200, description="a firm's id"),
    target: str = Query(..., min_length=1, max_length=200, description="another firm's id"),
    max_hops: int = Query(6, ge=1, le=6, description="longest path to look for, in links"),
    lang: Lang = LANG,
) -> GraphPathOut:
    return GraphPathOut.model_validate(path_payload(store, source, target, max_hops, lang))


@router.get(
    "/coverage_chain",
    response_model=GraphPathOut,
    responses=ERRORS,
    summary="How a firm is covered: organization, studio or instructor up to the street",
)
def coverage_chain(
    user: CurrentUser,
    store: StoreDep,
    firm: str = Query(..., min_length=1, max_length=200, description="a firm's id"),
    lang: Lang = LANG,
) -> GraphPathOut:
    return GraphPathOut.model_validate(chain_payload(store, firm, lang))
