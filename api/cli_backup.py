"""``zonegraph backup`` and ``zonegraph restore``: the zone and its audit trail, in one file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli_common import cli_event, err, store_for


def backup(
    path: Annotated[Path, typer.Argument(help="the backup file to write (a .zip)")],
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
) -> None:
    """Write the zone and its audit trail to one file (read in one transaction)."""
    from loaders.backup import write_backup

    if path.exists() and not force:
        err(f"{path} exists; use --force to overwrite it")
        raise typer.Exit(2)
    if path.is_dir():
        err(f"{path} is a folder; name a file, e.g. {path / 'zonegraph-backup.zip'}")
        raise typer.Exit(2)
    with store_for(write=False) as store:
        manifest = write_backup(store, path)
    rows = ", ".join(f"{k} {v}" for k, v in manifest.counts.items())
    err(f"backup written to {path}: {rows}; {manifest.audit_entries} audit entries")


def restore(
    path: Annotated[Path, typer.Argument(help="a file written by `zonegraph backup`")],
    yes: Annotated[
        bool, typer.Option("--yes", help="replace a zone the database holds without asking")
    ] = False,
) -> None:
    """Replace the zone with a backup's and add its audit trail, in one write.

    The whole backup is checked first; a damaged file, or one from a newer zonegraph, is
    refused and nothing is written. Audit entries already stored are kept.
    """
    from loaders.backup import read_backup, restore_backup

    found = read_backup(path)
    made = found.manifest
    with store_for(write=True) as store:
        firms = store.counts().get("Enterprise", 0)
        if firms and not yes:
            question = (
                f"the database holds a zone of {firms} firms; replace it with the backup of "
                f"{made.created_at} ({made.counts.get('enterprises', 0)} firms)?"
            )
            if not sys.stdin.isatty():
                err(f"{question} add --yes to do it")
                raise typer.Exit(2)
            if not typer.confirm(question, err=True):
                err("nothing restored")
                raise typer.Exit(1)
        event = cli_event(
            "restore", f"{path.name} (made {made.created_at}, zonegraph {made.zonegraph})"
        )
        restore_backup(store, found, event)
    rows = ", ".join(f"{k} {v}" for k, v in made.counts.items())
    err(f"restored from {path}: {rows}; {len(found.audit)} audit entries from the backup")
