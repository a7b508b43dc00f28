"""The FastAPI app: the JSON API and the pages, one store for its lifetime.

Build it with :func:`create_app` (the settings and the store are made in the lifespan, never
at import). Domain errors become HTTP statuses in one place, :func:`add_error_handlers`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api import pages, pages_login
from api.accounts import open_accounts
from api.deps import CurrentUser, StoreDep, StoreHolder, current_user
from api.models import ErrorOut, Health, ProblemOut
from api.pages_common import error_page
from api.pages_login import login_url
from api.routes import audit, enterprises, graph, imports, queries, scenarios
from api.sessions import Signer
from graph_model.errors import (
    AccountError,
    BadParameter,
    BodyTooLarge,
    ConfigError,
    Forbidden,
    NotFound,
    NotSignedIn,
    QueryError,
    StoreBusy,
    StoreUnavailable,
    UnknownQuery,
    ValidationFailed,
    ZonegraphError,
)
from graph_model.settings import Settings, load_settings
from graph_model.store import Store, open_store

#: HTTP status for each domain error (most specific first).
STATUS: tuple[tuple[type[ZonegraphError], int], ...] = (
    (ValidationFailed, 422),
    (BadParameter, 422),
    (UnknownQuery, 404),
    (NotFound, 404),
    (QueryError, 422),
    (NotSignedIn, 401),
    (Forbidden, 403),
    (AccountError, 422),
    (BodyTooLarge, 413),
    (StoreBusy, 503),
    (StoreUnavailable, 503),
    (ConfigError, 500),
    (ZonegraphError, 500),
)


def is_page(request: Request) -> bool:
    """Whether the request is for a page (answered in HTML) rather than the JSON API."""
    path = request.url.path
    return not (path.startswith("/api/") or path == "/api" or path == "/health")


def add_error_handlers(app: FastAPI) -> None:
    async def handle(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ZonegraphError)
        code = next(c for t, c in STATUS if isinstance(exc, t))
        if is_page(request) and isinstance(exc, NotSignedIn):
            return RedirectResponse(login_url(request), status_code=303)
        if is_page(request) and isinstance(exc, Forbidden):
            return error_page(request, exc)
        problems = exc.problems if isinstance(exc, ValidationFailed) else []
        body = ErrorOut(
            error=type(exc).__name__,
            detail=str(exc),
            problems=[
                ProblemOut(
                    file=p.file,
                    line=p.line,
                    column=p.column,
                    value=p.value,
                    reason=p.reason,
                    text=str(p),
                )
                for p in problems
            ],
        )
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
        return JSONResponse(body.model_dump(), status_code=code, headers=headers)

    app.add_exception_handler(ZonegraphError, handle)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app; it opens the configured store at start-up (or serves the one given)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings or load_settings()
        app.state.accounts = open_accounts(app.state.settings)
        secret = app.state.settings.secret
        app.state.signer = Signer(secret.encode() if secret else app.state.accounts.secret())
        own = store is None
        app.state.store = StoreHolder(store or open_store(app.state.settings))
        try:
            yield
        finally:
            if own:
                app.state.store.store.close()

    app = FastAPI(
        title="zonegraph",
        summary="A development zone's party-building network: coverage gaps, rules, alliances.",
        version="0.1.0",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN; ours load nothing
        # from the internet. The OpenAPI document stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
        # Every route goes through current_user, so accounts and roles plug in there.
        dependencies=[Depends(current_user)],
    )
    add_error_handlers(app)
    for module in (queries, enterprises, graph, scenarios, imports, audit):
        app.include_router(module.router)
    app.include_router(scenarios.whatif_router)
    app.include_router(pages_login.router)
    pages.install(app)  # the server-rendered pages and /static

    @app.get("/health", response_model=Health, tags=["health"], summary="For healthchecks")
    def health(user: CurrentUser, store: StoreDep) -> Health:
        firms = store.run("MATCH (e:Enterprise) RETURN count(*) AS n")[0]["n"]
        return Health(status="ok", backend=store.dialect, firms=firms)

    return app
