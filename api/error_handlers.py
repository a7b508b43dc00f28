"""Every error the app answers, in one shape and with one status map.

- A domain error (:class:`~graph_model.errors.ZonegraphError`) takes its status from
  :func:`graph_model.errors.http_status`, the map the pages and the CLI read too.
- A request that does not fit the OpenAPI document (a missing or mistyped parameter, a
  number out of range, a body that is not JSON in UTF-8) is a 422.
- Routing's and the web layer's HTTP errors (404, 405, 403, 413) keep their status; a 405
  names every method the path takes in ``Allow``.
- Anything else is a 500 that says only that (the traceback goes to the server's log).

The JSON API and ``/health`` answer :class:`~api.models.ErrorOut`; a page (any other path,
asked by a browser) answers the error page, with the same status.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from api.error_text import error_text, problem_text
from api.headers import add_security_headers
from api.i18n import LANGS, Translator
from api.models import ErrorOut, ProblemOut
from api.pages_common import error_page, page_lang, render
from api.pages_login import login_url
from graph_model.errors import (
    Forbidden,
    NotSignedIn,
    ValidationFailed,
    ZonegraphError,
    http_status,
)

#: Longest piece of a refused value repeated in an answer.
SHOWN_VALUE = 200


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not the JSON API, not a script)."""
    path = request.url.path
    if path.startswith("/api/") or path in ("/api", "/health", "/openapi.json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def json_lang(request: Request) -> str | None:
    """The language a JSON error's sentences are in: ``?lang=``; else, for a signed-in
    browser (a page's script, signed in by the session cookie), the page's language (its
    cookie, else Chinese); else ``None``: English, as scripts with a token expect."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    user = getattr(request.state, "user", None)
    if getattr(user, "via", None) == "session":
        return page_lang(request)
    return None


def error_response(
    request: Request,
    status: int,
    error: str,
    detail: str,
    problems: list[ProblemOut] | None = None,
    headers: dict[str, str] | None = None,
    domain: ZonegraphError | None = None,
) -> Response:
    """The error as ErrorOut JSON, or as the error page for a browser asking for a page (a
    ``domain`` error shows its own message there, others a sentence in the page's language)."""
    if wants_page(request):
        if domain is None:  # the web layer's own words, in the page's language
            t = Translator(page_lang(request))
            detail = t(f"e.{status}", detail=detail) if f"e.{status}" in t.strings else detail
        else:
            detail = error_text(domain, page_lang(request))
        page = render(request, "error.html", {"message": detail}, status_code=status)
        page.headers.update(headers or {})
        return page
    lang = json_lang(request)
    if lang is not None and domain is not None:
        # A page's script asked (its language rides in ?lang= or the pages' cookie): the
        # sentences in that language; the machine fields (error, file, column…) as they are.
        detail = error_text(domain, lang)
        t = Translator(lang)
        problems = [p.model_copy(update={"text": problem_text(p, t)}) for p in problems or []]
    body = ErrorOut(error=error, detail=detail, problems=problems or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _problem(p: Any) -> ProblemOut:
    return ProblemOut(
        file=p.file, line=p.line, column=p.column, value=p.value, reason=p.reason, text=str(p)
    )


def is_page_path(request: Request) -> bool:
    """Whether the path is a page's (anything outside the JSON API and the healthcheck)."""
    path = request.url.path
    return not (path.startswith("/api/") or path in ("/api", "/health", "/openapi.json"))


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ZonegraphError)
    # The sign-in gate: a page sends the browser to sign in, and says a refusal in the
    # reader's language; the JSON API answers 401 with the scheme to use.
    if isinstance(exc, NotSignedIn):
        if is_page_path(request):
            return RedirectResponse(login_url(request), status_code=303)
        return error_response(
            request, 401, "NotSignedIn", str(exc), headers={"WWW-Authenticate": "Bearer"}
        )
    if isinstance(exc, Forbidden) and is_page_path(request):
        return error_page(request, exc)
    problems = [_problem(p) for p in exc.problems] if isinstance(exc, ValidationFailed) else []
    return error_response(
        request, http_status(exc), type(exc).__name__, str(exc), problems, domain=exc
    )


def _shown(value: Any) -> str | None:
    if isinstance(value, str | int | float | bool):
        return str(value)[:SHOWN_VALUE]
    return None


def validation_problems(errors: Any) -> list[ProblemOut]:
    """Each refused part of a request, located: ``file`` is where (query, path, body…)."""
    problems = []
    for e in errors:
        where, *field = [str(part) for part in e.get("loc", ("request",))]
        column = ".".join(field) or None
        reason = str(e.get("msg", "is refused"))
        text = f"{where}: {column}: {reason}" if column else f"{where}: {reason}"
        problems.append(
            ProblemOut(
                file=where,
                line=None,
                column=column,
                value=_shown(e.get("input")),
                reason=reason,
                text=text,
            )
        )
    return problems


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = validation_problems(exc.errors())
    detail = "; ".join(p.text for p in problems[:10]) or "the request is refused"
    return error_response(request, 422, "BadParameter", detail, problems)


#: Names an HTTP error goes by where Python's phrase is not the one the API uses elsewhere.
NAMES = {413: "PayloadTooLarge"}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.replace(" ", "")
    except ValueError:
        return "HTTPError"


#: Methods a path may take (HEAD comes with GET; OPTIONS is answered by no route).
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path (Starlette names only the first route's):
    each method is tried against the app's routing, as a request of that method would be."""
    routes = [r for r in request.app.router.routes if not isinstance(r, Mount)]
    allowed = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in routes):
            allowed.append(method)
    return allowed


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status, detail = exc.status_code, str(exc.detail)
    headers = dict(exc.headers or {})
    if status == 400 and isinstance(exc.__cause__, ValueError):
        # FastAPI's answer to a body it cannot decode (not UTF-8): a refused body, as any other.
        status, detail = 422, "body: the request body is not JSON in UTF-8"
        return error_response(request, status, "BadParameter", detail)
    if status == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    error = NAMES.get(status) or _phrase(status)
    return error_response(request, status, error, detail, headers=headers)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    # Outside every middleware (Starlette answers it last), so the headers are set here.
    response = error_response(request, 500, "InternalError", "the server failed; see its log")
    add_security_headers(response.headers, request.url.path)
    return response


def add_error_handlers(app: FastAPI) -> None:
    """Answer every error as the module docstring says."""
    app.add_exception_handler(ZonegraphError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
