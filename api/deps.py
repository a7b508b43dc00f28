"""Dependencies every route shares: the settings, the store, and the current user.

Every route goes through :func:`current_user` (the app adds it to every router). Today it
answers with the one local user.
"""

from __future__ import annotations

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


async def current_user(request: Request) -> User:
    """The user making the request: today the one local user (every route asks here).

    Async, so it needs no worker thread: /health must answer while long requests hold them.
    """
    user: User = getattr(request.state, "user", LOCAL_USER)
    request.state.user = user
    return user


class StoreHolder:
    """The app's one store, shared by every request.

    The store guards itself where its engine needs it (the embedded store lends each read
    its own connection and runs one write at a time on its file; the Neo4j driver is
    thread-safe), so requests do not queue behind each other here.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def use(self) -> Iterator[Store]:
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
