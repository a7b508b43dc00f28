"""Rendering rows for a terminal or a pipe: aligned table (CJK-aware), JSON or CSV; and as
an Excel workbook. CSV and XLSX cells never run as formulas (:mod:`loaders.safe_cells`)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal

from loaders.safe_cells import neutralise, put

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


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format) -> str:
    """Rows as text in ``fmt``; JSON is an array of row objects and nothing else."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=1, default=str)
    if fmt == "csv":
        lines = [_csv_line([neutralise(c) for c in columns])]
        lines += [_csv_line([neutralise(cell(r.get(c))) for c in columns]) for r in rows]
        return "\n".join(lines)
    return table(rows, columns)


def xlsx_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str) -> bytes:
    """Rows as an Excel workbook (one sheet named after the query), lists joined with ';';
    text in text cells, never formulas."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = title[:31]
    for i, column in enumerate(columns, start=1):
        put(sheet, 1, i, column)
    for n, r in enumerate(rows, start=2):
        for i, c in enumerate(columns, start=1):
            value = r.get(c)
            put(sheet, n, i, cell(value) if isinstance(value, list | tuple) else value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
