"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served
from the copies shipped under ``viz/static/vendor`` (see the README beside each): nothing
is loaded from the internet, so they work on an intranet with no way out.

Both read ``/openapi.json``. Swagger UI is started by ``/static/app/docs.js`` (the CSP
forbids inline scripts); ReDoc starts itself on its ``<redoc spec-url>`` element. Both
style their widgets inline, which :mod:`api.headers` allows on these two paths only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import CurrentUser
from api.pages_common import render

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request, user: CurrentUser) -> HTMLResponse:
    return render(request, "docs_swagger.html", {"spec_url": "/openapi.json"})


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request, user: CurrentUser) -> HTMLResponse:
    return render(request, "docs_redoc.html", {"spec_url": "/openapi.json"})
