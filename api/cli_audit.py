"""``zonegraph audit``: the audit trail, newest first (read only; nothing edits an entry)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from api.cli_common import FormatOpt, _format, store_for
from api.output import render
from graph_model.audit import DEFAULT_LIMIT, AuditEntry, parse_since

#: The columns of the table and CSV forms (JSON gives every entry whole).
COLUMNS = ("at", "user", "action", "source", "counts", "keys", "detail")


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at,
        "user": entry.user,
        "action": entry.action,
        "source": entry.source,
        "counts": entry.summary(),
        "keys": entry.key_summary(),
        "detail": entry.detail,
    }


def audit(
    since: Annotated[
        str | None,
        typer.Option(help="from this date (2026-12-01) or time (UTC unless it names an offset)"),
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="only this user's writes, e.g. cli:zhang or admin")
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="at most this many entries")
    ] = DEFAULT_LIMIT,
    fmt: FormatOpt = "table",
) -> None:
    """Show who changed the zone, when (UTC) and what: every load, import, edit, scenario
    apply, reconciliation, restore and account change, newest first."""
    shape = _format(fmt)
    moment = parse_since(since)
    with store_for(write=False) as store:
        entries = store.audit_log(since=moment, user=user or None, limit=limit)
    if shape == "json":
        typer.echo(render([e.public() for e in entries], list(COLUMNS), shape))
    else:
        typer.echo(render([_row(e) for e in entries], list(COLUMNS), shape))
