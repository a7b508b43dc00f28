"""The FastAPI app: the JSON API and the pages, one store for its lifetime.

Build it with :func:`create_app` (the settings and the store are made in the lifespan, never
at import). Errors are answered in one place, :mod:`api.error_handlers`; every response
carries the security headers of :mod:`api.headers`; bodies are bounded by :mod:`api.limits`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api import pages
from api.deps import CurrentUser, StoreDep, StoreHolder, current_user
from api.error_handlers import add_error_handlers
from api.headers import SecurityHeaders
from api.limits import BodyLimit
from api.models import ErrorOut, Health
from api.routes import enterprises, graph, imports, queries, scenarios
from graph_model.settings import Settings, load_settings
from graph_model.store import Store, open_store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app; it opens the configured store at start-up (or serves the one given)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings or load_settings()
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
        # Every route goes through current_user, so accounts and roles plug in there.
        dependencies=[Depends(current_user)],
        # Every route may refuse a request that does not fit this document, as ErrorOut.
        responses={422: {"model": ErrorOut, "description": "the request is refused"}},
    )
    add_error_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, refusals included
    for module in (queries, enterprises, graph, scenarios, imports):
        app.include_router(module.router)
    app.include_router(scenarios.whatif_router)
    pages.install(app)  # the server-rendered pages and /static

    @app.get("/health", response_model=Health, tags=["health"], summary="For healthchecks")
    def health(user: CurrentUser, store: StoreDep) -> Health:
        firms = store.run("MATCH (e:Enterprise) RETURN count(*) AS n")[0]["n"]
        return Health(status="ok", backend=store.dialect, firms=firms)

    return app
