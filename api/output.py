"""Rendering rows for a terminal or a pipe: aligned table (CJK-aware), JSON or CSV; and as
an Excel workbook. CSV and XLSX cells never run as formulas (:mod:`loaders.safe_cells`)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal

from loaders.safe_cells import neutralise

Format = Literal["table", "json", "csv"]


def _width(text: str) -> int:
    """Columns a string takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([_width(c), *(_width(row[i]) for row in cells)]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))

    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(s.rstrip() for s in out)


def _csv_line(values: Sequence[str]) -> str:
    """One CSV line, each cell quoted where it must be, without its line break."""
    buf = io.StringIO()
    # The csv module quotes a cell holding a character of the line terminator: with "\r\n"
    # a lone CR is quoted too (under "\n" it was not, and a spreadsheet split the row there,
    # starting a new, unneutralised cell).
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue().removesuffix("\r\n")


def render(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    *,
    headings: Sequence[str] | None = None,
) -> str:
    """Rows as text in ``fmt``; JSON is an array of row objects and nothing else. A CSV's
    header line is ``headings`` when given (a language's), else the column names."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=1, default=str)
    if fmt == "csv":
        lines = [_csv_line([neutralise(c) for c in (headings or columns)])]
        lines += [_csv_line([neutralise(cell(r.get(c))) for c in columns]) for r in rows]
        return "\n".join(lines)
    return table(rows, columns)


#: Narrowest and widest an XLSX column is made (in Excel's character widths).
XLSX_WIDTHS = (6.0, 60.0)
#: Rows read to size the columns (a download may hold a million).
XLSX_SIZED_ROWS = 500


def xlsx_bytes(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    title: str,
    *,
    headings: Sequence[str] | None = None,
) -> bytes:
    """Rows as an Excel workbook: one sheet named after the query, a bold frozen header
    (``headings`` when given, else the column names) with an autofilter, each column as wide
    as its content (CJK characters count twice), lists joined with ';'; text in text cells,
    never formulas."""
    from loaders.workbook_out import Column, SheetSpec, add_sheet, new_book

    names = list(headings or columns)
    values = [
        [cell(r.get(c)) if isinstance(r.get(c), list | tuple) else r.get(c) for c in columns]
        for r in rows
    ]
    low, high = XLSX_WIDTHS
    sample = values[:XLSX_SIZED_ROWS]
    widths = [
        min(high, max(low, 2 + max([_width(h), *(_width(cell(v[i])) for v in sample)])))
        for i, h in enumerate(names)
    ]
    book = new_book()
    sized = [Column(h, w) for h, w in zip(names, widths, strict=True)]
    spec = SheetSpec(_sheet_name(title), sized, values)
    add_sheet(book, spec, dropdown_rows=0)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _sheet_name(title: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "rows"
