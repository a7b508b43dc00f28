"""The FastAPI app: the JSON API and the pages, one store for its lifetime.

Build it with :func:`create_app` (the settings and the store are made in the lifespan, never
at import). Errors are answered in one place, :mod:`api.error_handlers`; every response
carries the security headers of :mod:`api.headers`; bodies are bounded by :mod:`api.limits`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import Depends, FastAPI, Request

from api import pages, pages_login
from api.accounts import open_accounts
from api.deps import CurrentUser, StoreHolder, current_user
from api.error_handlers import add_error_handlers
from api.headers import SecurityHeaders
from api.limits import BodyLimit
from api.models import ErrorOut, Health
from api.roles import app_routes, rule_for
from api.routes import audit, enterprises, graph, imports, queries, scenarios, views
from api.routes import map as map_api
from api.sessions import Signer
from graph_model.settings import Settings, load_settings
from graph_model.store import Store, open_store


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
        # FastAPI's /docs and /redoc pages load their scripts from a CDN; ours (api.pages_docs)
        # load vendored copies and nothing from the internet. The document is /openapi.json.
        docs_url=None,
        redoc_url=None,
        # Every route goes through current_user: it signs the user in and applies the
        # route's rule (api.roles), so every route may answer 401 and 403.
        dependencies=[Depends(current_user)],
        # Every route may refuse a request that does not fit this document, as ErrorOut.
        responses={
            401: {"model": ErrorOut, "description": "no valid sign-in or bearer token"},
            403: {"model": ErrorOut, "description": "the role or street grant does not allow it"},
            422: {"model": ErrorOut, "description": "the request is refused"},
        },
    )
    add_error_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, refusals included
    for module in (queries, enterprises, graph, views, scenarios, imports, audit, map_api):
        app.include_router(module.router)
    app.include_router(scenarios.whatif_router)
    app.include_router(pages_login.router)
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

    document_public_routes(app)
    return app


def document_public_routes(app: FastAPI) -> None:
    """Say in the OpenAPI document that public routes (``/health``) need no credentials:
    FastAPI lists the schemes of ``current_user`` on every operation."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for route in app_routes(app):
                if route.include_in_schema and rule_for(route) == "public":
                    for method in route.methods or ():
                        schema["paths"][route.path][method.lower()]["security"] = []
                        for code in ("401", "403"):
                            schema["paths"][route.path][method.lower()]["responses"].pop(code, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
