"""Stores that hold the zone graph, and :func:`open_store` to pick one from settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from graph_model.settings import Settings
from graph_model.store.base import Dialect, Store

if TYPE_CHECKING:
    from graph_model.store.embedded import EmbeddedStore

__all__ = ["Dialect", "Store", "open_store", "scratch_copy"]


def open_store(
    settings: Settings,
    *,
    read_only: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Store:
    """Open the store the settings name, with its schema applied (unless read-only).

    ``on_wait`` is told when a write must wait for another one (embedded store).
    """
    store: Store
    if settings.backend == "neo4j":
        from graph_model.store.neo4j import Neo4jStore

        store = Neo4jStore.from_settings(settings)
    else:
        from graph_model.store.embedded import EmbeddedStore

        store = EmbeddedStore(
            settings.db_path,
            read_only=read_only,
            buffer_pool_mb=settings.buffer_pool_mb,
            write_wait=settings.write_wait,
            on_wait=on_wait,
        )
    if not read_only:
        store.apply_schema()
    return store


def scratch_copy(store: Store, path: Path, *, buffer_pool_mb: int = 256) -> EmbeddedStore:
    """A private embedded copy of ``store``'s zone at ``path``, to change and throw away.

    An embedded store's database file is copied as it is; another store's zone is read in
    one transaction and written into a new file.
    """
    from graph_model.store.embedded import EmbeddedStore

    if isinstance(store, EmbeddedStore):
        store.copy_to(path)
        return EmbeddedStore(path, buffer_pool_mb=buffer_pool_mb)
    copy = EmbeddedStore(path, buffer_pool_mb=buffer_pool_mb)
    copy.replace(store.read())
    return copy
