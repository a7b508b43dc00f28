"""Saved network views: a name, who saved it, when, and the browser's state (scope, hops,
filters, style, positions), kept in one SQLite file.

The state is opaque to the server — a JSON object of at most :data:`MAX_STATE` bytes — so
the page can add what it keeps without a change here. Anyone signed in may save a view;
replacing or deleting someone else's needs an admin (the owner stays who first saved it).
The file sits in the scenarios folder unless ``ZONEGRAPH_VIEWS`` names another
(:meth:`graph_model.settings.Settings.views_file`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.i18n import DEFAULT_LANG, Translator
from graph_model.errors import BadParameter, BodyTooLarge, Forbidden, NotFound

__all__ = ["MAX_NAME", "MAX_STATE", "SavedView", "ViewBook", "check_name", "state_size"]

#: The most a view's state may hold, as UTF-8 JSON.
MAX_STATE = 256 << 10
#: The longest name (characters).
MAX_NAME = 80

_SCHEMA = """
CREATE TABLE IF NOT EXISTS views (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class SavedView:
    """One saved view; ``state`` is ``None`` in a listing."""

    name: str
    owner: str
    updated_at: str
    state: dict[str, Any] | None = None


def check_name(name: str, lang: str = DEFAULT_LANG) -> str:
    """The name, if it is 1–80 characters without ``/`` (nor a control character)."""
    if not 1 <= len(name) <= MAX_NAME or "/" in name or any(ord(c) < 32 for c in name):
        raise BadParameter(Translator(lang)("netapi.view_name"))
    return name


def state_size(state: dict[str, Any]) -> int:
    """The state's size as stored: compact UTF-8 JSON."""
    return len(_dump(state).encode("utf-8"))


def _dump(state: dict[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


class ViewBook:
    """The saved views in one SQLite file (made on first write)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _db(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        # One connection per use: SQLite connections must not cross the request threads.
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute(_SCHEMA)
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    def list(self) -> list[SavedView]:
        """Every view, by name, without its state."""
        if not self.path.exists():
            return []
        with self._db(write=False) as db:
            rows = db.execute("SELECT name, owner, updated_at FROM views ORDER BY name").fetchall()
        return [SavedView(*row) for row in rows]

    def get(self, name: str, lang: str = DEFAULT_LANG) -> SavedView:
        """The view ``name`` with its state.

        Raises
        ------
        NotFound
            No view has that name.
        """
        row = None
        if self.path.exists():
            with self._db(write=False) as db:
                row = db.execute(
                    "SELECT name, owner, updated_at, state FROM views WHERE name = ?", (name,)
                ).fetchone()
        if row is None:
            raise NotFound(Translator(lang)("netapi.no_view", name=name))
        return SavedView(row[0], row[1], row[2], json.loads(row[3]))

    def put(
        self, name: str, state: dict[str, Any], user: str, admin: bool, lang: str = DEFAULT_LANG
    ) -> SavedView:
        """Save ``state`` under ``name``: a new view is ``user``'s; an existing one is
        replaced by its owner or an admin, and keeps its owner.

        Raises
        ------
        BadParameter
            A name that is empty, too long or holds ``/``.
        BodyTooLarge
            A state over :data:`MAX_STATE`.
        Forbidden
            Someone else's view, and ``user`` is no admin.
        """
        t = Translator(lang)
        check_name(name, lang)
        text = _dump(state)
        size = len(text.encode("utf-8"))
        if size > MAX_STATE:
            raise BodyTooLarge(t("netapi.view_size", kb=MAX_STATE >> 10, got=-(-size // 1024)))
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db(write=True) as db:
            row = db.execute("SELECT owner FROM views WHERE name = ?", (name,)).fetchone()
            owner = user if row is None else str(row[0])
            if owner != user and not admin:
                raise Forbidden(t("netapi.view_owner", name=name, owner=owner), reason="owner")
            db.execute(
                "INSERT INTO views (name, owner, updated_at, state) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at, "
                "state = excluded.state",
                (name, owner, now, text),
            )
        return SavedView(name, owner, now, state)

    def delete(self, name: str, user: str, admin: bool, lang: str = DEFAULT_LANG) -> None:
        """Delete the view ``name`` (its owner or an admin).

        Raises
        ------
        NotFound
            No view has that name.
        Forbidden
            Someone else's view, and ``user`` is no admin.
        """
        t = Translator(lang)
        if not self.path.exists():
            raise NotFound(t("netapi.no_view", name=name))
        with self._db(write=True) as db:
            row = db.execute("SELECT owner FROM views WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise NotFound(t("netapi.no_view", name=name))
            if row[0] != user and not admin:
                raise Forbidden(t("netapi.view_owner", name=name, owner=row[0]), reason="owner")
            db.execute("DELETE FROM views WHERE name = ?", (name,))
