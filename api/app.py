"""The FastAPI app: the JSON API and the pages, one store for its lifetime.

Build it with :func:`create_app` (the settings and the store are made in the lifespan, never
at import). Domain errors become HTTP statuses in one place, :func:`add_error_handlers`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from api import pages
from api.deps import CurrentUser, StoreHolder, current_user
from api.models import ErrorOut, Health, ProblemOut
from api.routes import enterprises, graph, imports, queries, scenarios
from graph_model.errors import (
    BadParameter,
    ConfigError,
    NotFound,
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
    (StoreBusy, 503),
    (StoreUnavailable, 503),
    (ConfigError, 500),
    (ZonegraphError, 500),
)


def add_error_handlers(app: FastAPI) -> None:
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ZonegraphError)
        code = next(c for t, c in STATUS if isinstance(exc, t))
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
        return JSONResponse(body.model_dump(), status_code=code)

    app.add_exception_handler(ZonegraphError, handle)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app; it opens the configured store at start-up (or serves the one given)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings or load_settings()
        own = store is None
        app.state.store = StoreHolder(store or open_store(app.state.settings))
        # /health's own threads: the shared pool's 40 may all be held by long requests.
        app.state.health_threads = anyio.CapacityLimiter(2)
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
        # Every route goes through current_user, so accounts and roles plug in there.
        dependencies=[Depends(current_user)],
    )
    add_error_handlers(app)
    for module in (queries, enterprises, graph, scenarios, imports):
        app.include_router(module.router)
    app.include_router(scenarios.whatif_router)
    pages.install(app)  # the server-rendered pages and /static

    @app.get("/health", response_model=Health, tags=["health"], summary="For healthchecks")
    async def health(user: CurrentUser, request: Request) -> Health:
        # Never queued behind a query: async (no worker thread needed), and the firm count
        # is the store's cheap one (counted once per version of the embedded file).
        store: Store = request.app.state.store.store
        firms = await anyio.to_thread.run_sync(
            store.firm_count, limiter=request.app.state.health_threads
        )
        return Health(status="ok", backend=store.dialect, firms=firms)

    return app
