"""Stores that hold the zone graph, and :func:`open_store` to pick one from settings."""

from __future__ import annotations

from graph_model.settings import Settings
from graph_model.store.base import Dialect, Store

__all__ = ["Dialect", "Store", "open_store"]


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """Open the store the settings name, with its schema applied (unless read-only)."""
    store: Store
    if settings.backend == "neo4j":
        from graph_model.store.neo4j import Neo4jStore

        store = Neo4jStore.from_settings(settings)
    else:
        from graph_model.store.embedded import EmbeddedStore

        store = EmbeddedStore(settings.db_path, read_only=read_only)
    if not read_only:
        store.apply_schema()
    return store
