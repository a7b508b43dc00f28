"""``/api/graph``: nodes and edges of any scope's network view, capped for the browser."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from api.deps import CurrentUser, StoreDep
from api.models import GraphOut
from api.routes.queries import ERRORS
from viz.graphdata import DEFAULT_CAP
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
    cap: int = Query(DEFAULT_CAP, ge=10, le=5000, description="most nodes to send"),
    size_by: Literal["employees", "party_members"] = Query("employees"),
    lang: Lang = LANG,
) -> GraphOut:
    return GraphOut.model_validate(scope_payload(store, scope, hops, cap, size_by, lang))
