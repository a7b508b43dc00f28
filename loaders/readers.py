"""Reading organizers' files into raw tables of text cells, each cell with its line.

Sources: a folder of ``NAME.csv`` files, or an ``.xlsx`` workbook with sheets ``NAME``
(the contract's table names; the Chinese names in :data:`graph_model.schema.TABLES`'
``aliases`` are accepted too). CSV text may be UTF-8 (with or without BOM) or
GB18030/GBK, as Chinese Excel saves it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import TABLES, TableSpec

ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class RawTable:
    """One table as read: its header and its rows of text cells, each row with its line."""

    spec: TableSpec
    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def decode(data: bytes, source: str) -> str:
    """Decode CSV bytes as UTF-8 (BOM or not), else GB18030 (a superset of GBK/GB2312)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(
        [Problem(source, None, None, None, "is neither UTF-8 nor GB18030/GBK text")]
    )


def read_csv_text(text: str, spec: TableSpec, source: str) -> RawTable:
    """Parse CSV text; blank rows are skipped, line numbers are the file's physical lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    table: RawTable | None = None
    line = 1
    for record in reader:
        start, line = line, reader.line_num + 1
        if table is None:
            table = RawTable(spec, source, record)
            continue
        if any(cell.strip() for cell in record):
            table.rows.append((start, record))
    return table or RawTable(spec, source, [])


def _spec_for(stem: str) -> TableSpec | None:
    stem = stem.strip().lower()
    return next((t for t in TABLES if stem == t.name or stem in t.aliases), None)


def read_folder(folder: Path) -> dict[str, RawTable]:
    """Read every contract CSV in ``folder`` (others are ignored)."""
    out: dict[str, RawTable] = {}
    for path in sorted(folder.iterdir()):
        spec = _spec_for(path.stem) if path.suffix.lower() == ".csv" else None
        if spec is None or spec.name in out:
            continue
        out[spec.name] = read_csv_text(decode(path.read_bytes(), path.name), spec, path.name)
    return out


def cell_text(value: Any) -> str:
    """A workbook cell as the text an organizer sees (3.0 → '3', True → 'true')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def open_workbook(path: Path) -> Any:
    """An ``.xlsx`` workbook opened read-only; a damaged file is a located problem."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationFailed(
            [Problem(path.name, None, None, None, f"is not a readable .xlsx workbook ({exc})")]
        ) from exc


def read_sheet(sheet: Any, spec: TableSpec, source: str) -> RawTable:
    """One worksheet as a raw table: row 1 is the header, line numbers are sheet rows."""
    table = RawTable(spec, source, [])
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(v) for v in values]
        if number == 1:
            table.header = cells
        elif any(c.strip() for c in cells):
            table.rows.append((number, cells))
    return table


def read_workbook(path: Path) -> dict[str, RawTable]:
    """Read every contract sheet of an ``.xlsx`` workbook (other sheets are ignored)."""
    wb = open_workbook(path)
    out: dict[str, RawTable] = {}
    try:
        for sheet in wb.worksheets:
            spec = _spec_for(sheet.title)
            if spec is not None and spec.name not in out:
                out[spec.name] = read_sheet(sheet, spec, f"{path.name}[{sheet.title}]")
    finally:
        wb.close()
    return out


def read_source(path: Path) -> dict[str, RawTable]:
    """Read a folder of CSV files or an ``.xlsx`` workbook into raw tables by table name."""
    if path.is_dir():
        return read_folder(path)
    if path.suffix.lower() == ".xlsx" and path.is_file():
        return read_workbook(path)
    if not path.exists():
        reason = "does not exist"
    else:
        reason = "is neither a folder of CSV files nor an .xlsx workbook"
    raise ValidationFailed([Problem(str(path), None, None, None, reason)])


def raw_from_rows(
    tables: Mapping[str, Iterable[Mapping[str, Any]]], source: str
) -> dict[str, RawTable]:
    """Raw tables from typed rows (the demo generator's output), as if read from files,
    so generated data passes the very same validation as an organizer's."""
    out: dict[str, RawTable] = {}
    for spec in TABLES:
        rows = list(tables.get(spec.name, []))
        header = [c.name for c in spec.columns]
        table = RawTable(spec, f"{source}:{spec.name}", header)
        for i, row in enumerate(rows, start=2):
            table.rows.append((i, [cell_text(row.get(c)) for c in header]))
        out[spec.name] = table
    return out
