"""Loading a zone into a store: read → validate (merged over what is stored) → one write."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_model.errors import Problem
from graph_model.mapping import Zone
from graph_model.schema import TABLES
from graph_model.store.base import Store
from loaders.readers import RawTable, cell_text, raw_from_rows, read_source
from loaders.validate import validate

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote: rows per table now stored, and the warnings it passed over."""

    counts: dict[str, int]
    warnings: list[Problem]
    replaced: bool


def load_raw(
    store: Store,
    raw: dict[str, RawTable],
    *,
    replace: bool,
    where: str = "",
    progress: Progress = _quiet,
) -> LoadReport:
    """Validate raw tables and write them: everything or, on any problem, nothing.

    Without ``replace`` rows upsert by key over what the store holds; the merged zone is
    validated as a whole (so a new coverage row may name a firm loaded last quarter) and
    written in one transaction.
    """
    stored: Zone | None = None
    if not replace:
        progress("reading the stored zone to merge with")
        stored = store.read()
    full = replace or stored is None or stored.is_empty()
    progress(f"validating {sum(len(t.rows) for t in raw.values()):,} rows")
    zone, warnings = validate(raw, stored, full=full, where=where)
    progress(f"writing {sum(zone.counts().values()):,} rows in one transaction")
    store.replace(zone)
    return LoadReport(zone.counts(), warnings, replace)


def load_path(
    store: Store, path: Path, *, replace: bool = False, progress: Progress = _quiet
) -> LoadReport:
    """Load a folder of CSV files or an ``.xlsx`` workbook (see the README's contract)."""
    progress(f"reading {path}")
    raw = read_source(path)
    return load_raw(store, raw, replace=replace, where=str(path), progress=progress)


def load_tables(
    store: Store,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    source: str,
    progress: Progress = _quiet,
) -> LoadReport:
    """Replace the graph with typed tables (the demo generator's), validated like files."""
    return load_raw(store, raw_from_rows(tables, source), replace=True, progress=progress)


def export_zone(zone: Zone, folder: Path) -> dict[str, int]:
    """Write the zone as the contract's CSV files (UTF-8 with BOM, which Excel reads right).

    Returns rows written per file. Loading the folder back reproduces the zone.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for spec in TABLES:
        header = [c.name for c in spec.columns]
        with (folder / spec.filename).open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in zone.rows(spec.name):
                writer.writerow([cell_text(row.get(c)) for c in header])
        written[spec.filename] = len(zone.rows(spec.name))
    return written
