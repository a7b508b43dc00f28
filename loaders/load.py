"""Loading a zone into a store: read → validate → one write (the whole zone, or a change set)."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_model.audit import AuditEvent
from graph_model.changes import ApplyReport
from graph_model.errors import Problem
from graph_model.mapping import Zone
from graph_model.progress import EVERY, Progress, quiet, rows_done
from graph_model.schema import TABLES
from graph_model.store.base import Store
from loaders.imports import Prepared, commit, plan_folder, plan_raw
from loaders.readers import RawTable, cell_text, raw_from_rows, read_source
from loaders.safe_cells import neutralise

__all__ = ["LoadReport", "Progress", "export_zone", "load_path", "load_raw", "load_tables"]


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote, and the warnings it passed over.

    A replacing load (``--replace``, or the first into an empty store) writes the whole zone:
    ``counts`` are its rows per table. An upsert writes a change set: ``applied`` says what
    it created, updated and left unchanged, and ``counts`` are the rows it created or updated.
    """

    counts: dict[str, int]
    warnings: list[Problem]
    replaced: bool
    applied: ApplyReport | None = None


def load_raw(
    store: Store,
    raw: dict[str, RawTable],
    *,
    replace: bool,
    where: str = "",
    progress: Progress = quiet,
    dry_run: bool = False,
    audit: AuditEvent | None = None,
) -> LoadReport:
    """Validate raw tables and write them: everything or, on any problem, nothing.

    With ``replace``, or into an empty store, the tables are the whole zone, checked as a
    whole and written in bulk (a replace needs every required file; a first load needs only
    the enterprises, and the other tables start empty). Otherwise rows upsert by key: the
    change set is checked against what the store holds (a new coverage row may name a firm
    loaded last quarter) and only its rows are written, in one transaction. ``dry_run``
    checks and writes nothing.
    """
    progress(f"checking {sum(len(t.rows) for t in raw.values()):,} rows")
    prepared = plan_raw(store, raw, replace=replace, where=where, progress=progress)
    return _write(store, prepared, dry_run=dry_run, audit=audit, progress=progress)


def _write(
    store: Store,
    prepared: Prepared,
    *,
    dry_run: bool,
    audit: AuditEvent | None,
    progress: Progress,
) -> LoadReport:
    progress("writing nothing (dry run)" if dry_run else "writing in one transaction")
    applied = commit(store, prepared, dry_run=dry_run, audit=audit, progress=progress)
    if prepared.zone is not None:
        return LoadReport(prepared.zone.counts(), prepared.warnings, True)
    counts = {
        t: applied.created.get(t, 0) + applied.updated.get(t, 0)
        for t in sorted({*applied.created, *applied.updated, *applied.unchanged})
    }
    return LoadReport(counts, prepared.warnings, False, applied)


def load_path(
    store: Store,
    path: Path,
    *,
    replace: bool = False,
    progress: Progress = quiet,
    dry_run: bool = False,
) -> LoadReport:
    """Load a folder of CSV files or an ``.xlsx`` workbook (see the README's contract).

    A whole zone from a folder is read columnar when the fast path can vouch for it
    (:mod:`loaders.columnar`), else row by row; both accept and refuse the same files.
    """
    progress(f"reading {path}")
    fast = plan_folder(store, path, replace=replace, where=str(path), progress=progress)
    if fast is not None:
        return _write(store, fast, dry_run=dry_run, audit=None, progress=progress)
    ignored: list[Problem] = []
    raw = read_source(path, warnings=ignored)
    report = load_raw(
        store, raw, replace=replace, where=str(path), progress=progress, dry_run=dry_run
    )
    return dataclasses.replace(report, warnings=ignored + report.warnings)


def load_tables(
    store: Store,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    source: str,
    progress: Progress = quiet,
    audit: AuditEvent | None = None,
) -> LoadReport:
    """Replace the graph with typed tables (the demo generator's), validated like files."""
    return load_raw(
        store, raw_from_rows(tables, source), replace=True, progress=progress, audit=audit
    )


def export_zone(zone: Zone, folder: Path, progress: Progress = quiet) -> dict[str, int]:
    """Write the zone as the contract's CSV files (UTF-8 with BOM, which Excel reads right).

    Returns rows written per file. Loading the folder back reproduces the zone. No cell runs
    as a formula in a spreadsheet (:func:`loaders.safe_cells.neutralise`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for spec in TABLES:
        header = [c.name for c in spec.columns]
        with (folder / spec.filename).open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            rows = zone.rows(spec.name)
            for done, row in enumerate(rows, start=1):
                writer.writerow([neutralise(cell_text(row.get(c))) for c in header])
                if done % EVERY == 0 or done == len(rows):
                    rows_done(progress, f"writing {spec.filename}", done, len(rows))
        written[spec.filename] = len(zone.rows(spec.name))
    return written
