"""The audit trail page: who changed the zone, when and what, filtered by time and user.

Read only: nothing on the page (or anywhere in zonegraph) edits or deletes an entry.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import CurrentUser, StoreDep
from api.pages_common import error_page, render
from graph_model.audit import parse_since
from graph_model.errors import BadParameter

router = APIRouter()

#: Entries the page shows at most (the JSON API and the CLI give more).
PAGE_LIMIT = 500


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    since: str = "",
    who: str = Query("", alias="user"),
) -> HTMLResponse:
    chosen = {"since": since.strip()[:40], "who": who.strip()[:200]}
    try:
        moment = parse_since(chosen["since"])
    except BadParameter as exc:
        return error_page(request, exc, active="audit")
    entries = store.audit_log(since=moment, user=chosen["who"] or None, limit=PAGE_LIMIT)
    return render(
        request,
        "audit.html",
        {"entries": entries, "chosen": chosen, "limit": PAGE_LIMIT},
        active="audit",
    )
