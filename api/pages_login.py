"""Signing in and out: the /login page, its form, and /logout.

A successful sign-in sets the signed session cookie (:mod:`api.sessions`) and goes back to
the page that asked for it (only a path on this server). Wrong names and wrong passwords
get the same answer; repeated failures lock the account for a while (429).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.accounts import AccountBook
from api.deps import CurrentUser, read_url_form
from api.pages_common import render
from api.routes.enterprises import SameOrigin
from api.sessions import COOKIE, Signer
from graph_model.errors import LoginRefused
from graph_model.settings import Settings

router = APIRouter(include_in_schema=False)


def login_url(request: Request) -> str:
    """The sign-in page, coming back to the page asked for."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(here, safe="")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this server, never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, user: CurrentUser) -> HTMLResponse:
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next"))})


@router.post("/login", response_class=HTMLResponse, dependencies=[SameOrigin])
async def login(request: Request, user: CurrentUser) -> Response:
    form = await read_url_form(request)
    accounts: AccountBook = request.app.state.accounts
    settings: Settings = request.app.state.settings
    target = safe_next(form.get("next"))
    name = form.get("username", "").strip()
    try:
        account = accounts.sign_in(name, form.get("password", ""))
    except LoginRefused as exc:
        locked = exc.retry_after > 0
        page = render(
            request,
            "login.html",
            {
                "next": target,
                "username": name,
                "refused": "locked" if locked else "wrong",
                "minutes": max(1, (exc.retry_after + 59) // 60),
            },
            status_code=429 if locked else 401,
            path="/login",
        )
        if locked:
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    signer: Signer = request.app.state.signer
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        signer.cookie(account.name, account.generation, settings.session_hours),
        max_age=int(settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout", dependencies=[SameOrigin])
def logout(request: Request, user: CurrentUser) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response
