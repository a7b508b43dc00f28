"""``/report``: the quarterly report as a page, ready to print on A4 (``@media print``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import CurrentUser, StoreDep
from api.empty_states import EmptyStates
from api.i18n import Translator
from api.pages_common import error_page, page_lang, render
from api.report_render import report_context
from graph_model.errors import ZonegraphError
from queries.report import quarterly_report

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/report", response_class=HTMLResponse)
def report(request: Request, user: CurrentUser, store: StoreDep, since: str = "") -> HTMLResponse:
    try:
        numbers = quarterly_report(store, since or None)
    except ZonegraphError as exc:
        return error_page(request, exc, active="report")
    context = report_context(numbers, Translator(page_lang(request)))
    del context["t"]  # render() gives the page's own translator
    # A zone with no firms says so, and how to bring them in (the report would be zeros).
    lacking = EmptyStates(lambda: store).missing("Enterprise")
    return render(
        request,
        "report.html",
        {**context, "since": since, "lacking": lacking},
        active="report",
    )
