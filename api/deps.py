"""Dependencies every route shares: the settings, the store, and the current user.

Every route goes through :func:`current_user` (the app adds it to every router), so
accounts and roles plug in here without touching a route. Today there is one local user.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from graph_model.settings import Settings
from graph_model.store.base import Store


@dataclass(frozen=True)
class User:
    """Who is asking. Roles decide what they may read and change (one local admin for now)."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)


LOCAL_USER = User("local", frozenset({"reader", "planner", "admin"}))


def current_user(request: Request) -> User:
    """The user making the request (accounts come later; every route already asks here)."""
    user: User = getattr(request.state, "user", LOCAL_USER)
    request.state.user = user
    return user


class StoreHolder:
    """The app's one store, used by one request at a time.

    The embedded database allows one read-write opener, so the server owns it while it
    runs; LadybugDB connections are not shared between threads, hence the lock.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lock = threading.Lock()

    def use(self) -> Iterator[Store]:
        with self.lock:
            yield self.store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Iterator[Store]:
    holder: StoreHolder = request.app.state.store
    yield from holder.use()


CurrentUser = Annotated[User, Depends(current_user)]
StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
