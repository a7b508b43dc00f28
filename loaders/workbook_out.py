"""Writing workbooks organizers open in Excel: a title, a frozen header, widths, dropdowns, notes.

Shared by the ledger export (:mod:`loaders.ledger_write`) and the blank templates
(:mod:`loaders.templates`). Only openpyxl's write mode is used; nothing is fetched. Every
cell is written through :func:`loaders.safe_cells.put`: text is a text cell, never a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from loaders.safe_cells import put

#: Rows a template's dropdowns and notes cover below its header.
TEMPLATE_ROWS = 2000


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, width, the values a dropdown offers, a note."""

    header: str
    width: float = 12.0
    choices: tuple[str, ...] = ()
    note: str = ""


@dataclass
class SheetSpec:
    """A sheet to write: its title line (or none), columns and rows of values."""

    name: str
    columns: Sequence[Column]
    rows: list[list[Any]] = field(default_factory=list)
    title: str | None = None
    subtitle: str | None = None


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def add_sheet(book: Any, spec: SheetSpec, *, dropdown_rows: int = TEMPLATE_ROWS) -> None:
    """Write one sheet: title lines, the header (frozen, bold), the rows, widths, dropdowns
    (a list validation for every column with choices) and a note on each header cell."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(spec.name)
    width = len(spec.columns)
    top = 1
    for line in (spec.title, spec.subtitle):
        if line is None:
            continue
        put(sheet, top, 1, line)
        if line is spec.title:
            sheet.cell(row=top, column=1).font = Font(bold=True, size=14)
            sheet.cell(row=top, column=1).alignment = Alignment(horizontal="center")
            sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=width)
        top += 1
    header_row = top
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, column in enumerate(spec.columns, start=1):
        cell = put(sheet, header_row, i, column.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.note:
            cell.comment = Comment(column.note, "zonegraph", width=320, height=120)
        sheet.column_dimensions[_letter(i)].width = column.width
    for offset, values in enumerate(spec.rows, start=1):
        for i, value in enumerate(values, start=1):
            put(sheet, header_row + offset, i, value)
    last = header_row + max(len(spec.rows), dropdown_rows)
    for i, column in enumerate(spec.columns, start=1):
        if not column.choices:
            continue
        # Excel keeps a list validation's items in one formula of at most 255 characters.
        listed = ",".join(column.choices)
        if len(listed) > 250:
            continue
        check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        check.error = f"请从下拉列表中选择：{listed}"
        check.errorTitle = column.header
        check.add(f"{_letter(i)}{header_row + 1}:{_letter(i)}{last}")
        sheet.add_data_validation(check)
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{_letter(width)}{header_row + max(len(spec.rows), 1)}"


def new_book() -> Any:
    """An empty openpyxl workbook (its default sheet removed)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book
