"""What the ``zonegraph`` commands share: output format, parameters, the store, stderr."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from api.output import Format
from graph_model.audit import AuditEvent
from graph_model.settings import load_settings
from graph_model.store import Store, open_store

ParamOpt = Annotated[
    list[str] | None, typer.Option("--param", "-p", help="a parameter as name=value")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv")]


def err(message: str) -> None:
    typer.echo(message, err=True)


def cli_user() -> str:
    """Who runs the command, as the audit trail names them: ``cli:<OS user>``."""
    import getpass
    import os

    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the passwd file
        name = f"uid{os.getuid()}"
    return f"cli:{name}"


def cli_event(action: str, detail: str = "") -> AuditEvent:
    """The audit event of a write this command makes."""
    return AuditEvent(cli_user(), action, "cli", detail=detail)


def _format(value: str) -> Format:
    if value not in ("table", "json", "csv"):
        raise typer.BadParameter("--format must be table, json or csv")
    return value  # type: ignore[return-value]


@contextmanager
def store_for(*, write: bool) -> Iterator[Store]:
    """The configured store, open for the length of one command."""
    store = open_store(load_settings(), read_only=not write, on_wait=err)
    try:
        yield store
    finally:
        store.close()


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"--param wants name=value, got {pair!r}")
        out[name.strip()] = value
    return out
