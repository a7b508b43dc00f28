"""Settings, read from the environment first (pydantic-settings).

Build them with :func:`load_settings` where they are needed (the CLI's start, the app's
lifespan), never at import time, so tests can make their own.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_model.errors import ConfigError


class Settings(BaseSettings):
    """zonegraph's settings; each field names the environment variable that sets it."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    backend: Literal["embedded", "neo4j"] = Field("embedded", validation_alias="ZONEGRAPH_BACKEND")
    db_path: Path = Field(Path("zonegraph.lbug"), validation_alias="ZONEGRAPH_DB")
    neo4j_uri: str | None = Field(None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str | None = Field(None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", validation_alias="NEO4J_DATABASE")
    scenario_dir: Path = Field(Path("zonegraph-scenarios"), validation_alias="ZONEGRAPH_SCENARIOS")
    #: The saved network views (SQLite). Unset, ``views.sqlite`` in the scenarios folder.
    views_path: Path | None = Field(None, validation_alias="ZONEGRAPH_VIEWS")
    host: str = Field("127.0.0.1", validation_alias="ZONEGRAPH_HOST")
    port: int = Field(8000, ge=1, le=65535, validation_alias="ZONEGRAPH_PORT")
    #: Signs session cookies and CSRF tokens (at least 32 characters). Unset, a random one is
    #: made once and kept in the accounts file, so sessions outlive a restart.
    secret: str | None = Field(None, min_length=32, validation_alias="ZONEGRAPH_SECRET")
    #: The accounts file (SQLite): people, roles, street grants, token hashes. Unset, it sits
    #: beside the embedded database (``<ZONEGRAPH_DB>.accounts``), or in the working folder
    #: as ``zonegraph-accounts.sqlite`` with Neo4j.
    accounts_path: Path | None = Field(None, validation_alias="ZONEGRAPH_ACCOUNTS")
    #: Hours a sign-in lasts.
    session_hours: float = Field(8.0, gt=0, le=24 * 30, validation_alias="ZONEGRAPH_SESSION_HOURS")
    #: Failed sign-ins in a row that lock an account, and for how many minutes.
    login_attempts: int = Field(5, ge=1, le=100, validation_alias="ZONEGRAPH_LOGIN_ATTEMPTS")
    lockout_minutes: float = Field(15.0, ge=0, validation_alias="ZONEGRAPH_LOCKOUT_MINUTES")
    #: Rows per write batch (Neo4j UNWIND batches); the embedded store copies whole tables.
    batch_size: int = Field(5000, ge=1, validation_alias="ZONEGRAPH_BATCH_SIZE")
    #: The embedded database's page cache per open file, in MiB.
    buffer_pool_mb: int = Field(1024, ge=64, validation_alias="ZONEGRAPH_BUFFER_POOL_MB")
    #: Seconds a write waits for another write to the same database before giving up.
    write_wait: float = Field(60.0, ge=0, validation_alias="ZONEGRAPH_WRITE_WAIT")
    #: The most one upload to the web app may hold, in MiB (refused with 413 as it streams).
    upload_max_mb: float = Field(50, gt=0, validation_alias="ZONEGRAPH_UPLOAD_MAX_MB")
    #: The Chromium that prints ``zonegraph report --out FILE.pdf`` (a path or a command
    #: name); unset, the first of chromium, chromium-browser, google-chrome on PATH.
    chromium: str | None = Field(None, validation_alias="ZONEGRAPH_CHROMIUM")
    #: Where uploads wait, under random names, between the preview and the confirm (an hour).
    upload_dir: Path = Field(
        default_factory=lambda: Path(tempfile.gettempdir()) / "zonegraph-uploads",
        validation_alias="ZONEGRAPH_UPLOADS",
    )
    #: The map's base tiles on an intranet tile server, as a URL with ``{z}``, ``{x}`` and
    #: ``{y}`` (``https://tiles.example.internal/{z}/{x}/{y}.png``). Unset, the map draws
    #: firms and outlines on a plain background and asks no server for tiles.
    map_tiles: str | None = Field(None, validation_alias="ZONEGRAPH_MAP_TILES")

    @field_validator("secret", "accounts_path", "views_path", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """An empty variable (``ZONEGRAPH_SECRET=`` in a compose file) means unset."""
        return None if value == "" else value

    def views_file(self) -> Path:
        """Where the saved network views are kept (see ``views_path``)."""
        return self.views_path or self.scenario_dir / "views.sqlite"

    @field_validator("map_tiles", mode="before")
    @classmethod
    def _tile_url(cls, value: object) -> object:
        """A tile URL is http(s) or site-relative and names ``{z}``, ``{x}`` and ``{y}``."""
        if value is None or value == "":
            return None
        text = str(value)
        if not text.startswith(("http://", "https://", "/")) or not all(
            part in text for part in ("{z}", "{x}", "{y}")
        ):
            raise ValueError("must be an http(s) or /path URL with {z}, {x} and {y}")
        return text

    def accounts_file(self) -> Path:
        """Where the accounts are kept (see ``accounts_path``)."""
        if self.accounts_path is not None:
            return self.accounts_path
        if self.backend == "embedded":
            return self.db_path.with_name(self.db_path.name + ".accounts")
        return Path("zonegraph-accounts.sqlite")


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides taking precedence."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"bad setting: {problems}") from exc
