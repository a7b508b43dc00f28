"""Reading organizers' files into raw tables of text cells, each cell with its line.

Sources: a folder of ``NAME.csv`` files (:mod:`loaders.csv_text`), or an ``.xlsx`` workbook
with sheets ``NAME`` (:mod:`loaders.xlsx`): the contract's table names, or the Chinese names
in :data:`graph_model.schema.TABLES`' ``aliases``.

Input that would lose or change data is refused, never read around: every problem in every
file is collected, located (file, the file's physical line or the sheet's row, and the column:
its header name, ``column N`` under a blank header, or for a workbook the cell reference) and
raised together as :class:`~graph_model.errors.ValidationFailed`. Refused are:

* CSV structure: a quoted cell never closed (named at the line it opens), text after a
  closing quote, a row with fewer cells than the header or with values beyond it, a value
  under a blank header cell;
* cell text: over 32,767 characters (Excel's cell limit), a NUL character, or a byte order
  mark anywhere but the very start of the file;
* encodings: bytes that are not UTF-8 after UTF-8 text (a file mixing encodings; it is not
  read as GB18030, which would garble the UTF-8 part), bytes neither UTF-8 nor GB18030;
* folders and workbooks: two files or sheets for one table, a folder named like a table
  file, and what :mod:`loaders.xlsx` refuses (formulas without a saved value, error values,
  merges across columns).

Files and sheets that match no table are ignored with a warning naming them and the accepted
names; hidden files and Office lock files (``~$…``) are skipped quietly. Warnings go to the
``warnings`` list a caller passes, else to this module's logger (shown on stderr by default),
so they are never silent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import TABLES, TableSpec
from loaders.csv_text import decode, read_csv_rows, read_csv_text
from loaders.raw import RawTable, check_text, header_width, raise_errors, shown
from loaders.xlsx import Workbook, Worksheet, cell_ref, read_cells

__all__ = [
    "RawTable",
    "cell_text",
    "decode",
    "is_table_name",
    "open_workbook",
    "raw_from_rows",
    "read_csv_text",
    "read_folder",
    "read_sheet",
    "read_source",
    "read_workbook",
]

#: Suffixes of a folder's table files.
TABLE_SUFFIXES = (".csv",)
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Hidden files and Office lock files: never an organizer's data, skipped without a word.
_QUIET_PREFIXES = (".", "~$")

log = logging.getLogger(__name__)


def is_table_name(name: str) -> bool:
    """Whether a file stem or sheet title names a contract table (``enterprises``, ``企业`` …)."""
    return spec_for(name) is not None


def spec_for(stem: str) -> TableSpec | None:
    stem = stem.strip().lower()
    return next((t for t in TABLES if stem == t.name or stem in t.aliases), None)


def _accepted(suffix: str) -> str:
    """The accepted names of the tables, as a warning lists them."""
    return ", ".join(" or ".join(name + suffix for name in (t.name, *t.aliases)) for t in TABLES)


def _deliver(found: list[Problem], warnings: list[Problem] | None) -> None:
    if warnings is not None:
        warnings.extend(found)
        return
    for warning in found:
        # No list to collect them: log them, so that an ignored file is never silent.
        log.warning("%s", warning)


def ignored_entry(path: Path, spec: TableSpec | None) -> Problem:
    """The warning for a folder entry that is not read."""
    suffix = path.suffix.lower()
    if path.is_dir():
        reason = "is a folder; ignored (a zone's files are read from the folder itself)"
    elif spec is not None and suffix in _WORKBOOK_SUFFIXES:
        reason = (
            "is a workbook, and a folder's tables are read from CSV files; ignored "
            f"(save the sheet as {spec.filename}, or load the workbook by itself)"
        )
    elif spec is not None:
        reason = f"is not a .csv file; ignored (save or rename it as {spec.filename})"
    else:
        reason = f"matches no table; ignored (the tables are {_accepted('.csv')})"
    return Problem(path.name, None, None, None, reason, warning=True)


def read_folder(folder: Path, *, warnings: list[Problem] | None = None) -> dict[str, RawTable]:
    """Read every contract CSV in ``folder`` into raw tables by table name.

    Other files and subfolders are ignored with a warning (appended to ``warnings``, else
    logged); hidden files and Office lock files quietly.

    Raises
    ------
    ValidationFailed
        With every problem in every file (see the module's docs); also for two files of one
        table, or a folder named like a table file.
    """
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror or exc})"
        raise ValidationFailed([Problem(str(folder), None, None, None, reason)]) from exc
    problems: list[Problem] = []
    found: list[Problem] = []
    out: dict[str, RawTable] = {}
    first: dict[str, str] = {}
    for path in entries:
        name = path.name
        if name.startswith(_QUIET_PREFIXES):
            continue
        spec = spec_for(path.stem)
        if spec is None or path.suffix.lower() not in TABLE_SUFFIXES:
            found.append(ignored_entry(path, spec))
            continue
        if path.is_dir():
            problems.append(Problem(name, None, None, None, "is a folder, not a CSV file"))
            continue
        if spec.name in first:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"is a second file for the {spec.name} table, beside {first[spec.name]}; "
                    "keep one of them",
                )
            )
            continue
        first[spec.name] = name
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(
                Problem(name, None, None, None, f"cannot be read ({exc.strerror or exc})")
            )
            continue
        try:
            text = decode(data, name)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        out[spec.name] = read_csv_rows(text, spec, name, problems)
    _deliver(found, warnings)
    raise_errors(problems)
    return out


def cell_text(value: Any) -> str:
    """A typed value as the text an organizer sees (3.0 → '3', True → 'true')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def open_workbook(path: Path) -> Workbook:
    """An ``.xlsx`` workbook opened for reading (close it, or use it in a ``with``).

    Its ``worksheets`` each have a ``title``; :func:`read_sheet` reads one.

    Raises
    ------
    ValidationFailed
        For a damaged file or one that is not a workbook ("is not a readable .xlsx workbook").
    """
    return Workbook(path)


def _read_sheet(
    sheet: Worksheet, spec: TableSpec, source: str, problems: list[Problem]
) -> RawTable:
    """A worksheet as a raw table, appending every problem to ``problems``."""
    cells = read_cells(sheet, source, problems)
    top = cells.rows.get(1, {})
    width = max(top, default=-1) + 1
    header = [top.get(i, "") for i in range(width)]
    width = header_width(header)
    table = RawTable(spec, source, header)
    for i, text in top.items():
        check_text(text, source, 1, cell_ref(1, i), problems)
    for number in sorted(cells.rows):
        row = cells.rows[number]
        if number == 1 or not any(text.strip() for text in row.values()):
            continue
        if width == 0:
            problems.append(
                Problem(source, 1, None, None, "the header row is empty; it must name the columns")
            )
            break
        values = [""] * width
        for col, text in sorted(row.items()):
            ref = cell_ref(number, col)
            if col >= width or not header[col].strip():
                # Under a header merged across columns the merge is the one problem to fix.
                if text.strip() and col not in cells.merged_header:
                    problems.append(
                        Problem(
                            source,
                            number,
                            ref,
                            shown(text),
                            f"is a value under a blank header cell ({cell_ref(1, col)}); name "
                            "the column in the header or clear the cell",
                        )
                    )
                continue
            check_text(text, source, number, ref, problems)
            values[col] = text
            if (number, col) in cells.fills:
                table.fills[(number, col)] = cells.fills[(number, col)]
        table.rows.append((number, values))
    return table


def read_sheet(sheet: Worksheet, spec: TableSpec, source: str) -> RawTable:
    """One worksheet as a raw table: row 1 is the header, line numbers are sheet rows.

    Raises
    ------
    ValidationFailed
        With every problem in the sheet, each located by row and cell reference.
    """
    problems: list[Problem] = []
    table = _read_sheet(sheet, spec, source, problems)
    raise_errors(problems)
    return table


def read_workbook(path: Path, *, warnings: list[Problem] | None = None) -> dict[str, RawTable]:
    """Read every contract sheet of an ``.xlsx`` workbook into raw tables by table name.

    Other sheets are ignored with a warning (appended to ``warnings``, else logged).

    Raises
    ------
    ValidationFailed
        With every problem in every sheet; also for two sheets of one table.
    """
    problems: list[Problem] = []
    found: list[Problem] = []
    out: dict[str, RawTable] = {}
    first: dict[str, str] = {}
    with open_workbook(path) as book:
        for sheet in book.worksheets:
            source = f"{path.name}[{sheet.title}]"
            spec = spec_for(sheet.title)
            if spec is None:
                reason = f"matches no table; ignored (the tables are {_accepted('')})"
                found.append(Problem(source, None, None, None, reason, warning=True))
                continue
            if spec.name in first:
                problems.append(
                    Problem(
                        source,
                        None,
                        None,
                        None,
                        f"is a second sheet for the {spec.name} table, beside sheet "
                        f"{first[spec.name]!r}; keep one of them",
                    )
                )
                continue
            first[spec.name] = sheet.title
            out[spec.name] = _read_sheet(sheet, spec, source, problems)
        for title, kind in book.other_sheets:
            found.append(
                Problem(
                    f"{path.name}[{title}]",
                    None,
                    None,
                    None,
                    f"is a {kind}, not a worksheet; ignored",
                    warning=True,
                )
            )
    _deliver(found, warnings)
    raise_errors(problems)
    return out


def read_source(path: Path, *, warnings: list[Problem] | None = None) -> dict[str, RawTable]:
    """Read a folder of CSV files or an ``.xlsx`` workbook into raw tables by table name.

    Warnings (files or sheets ignored) are appended to ``warnings``, else logged.

    Raises
    ------
    ValidationFailed
        With every problem found in every file, each located.
    """
    if path.is_dir():
        return read_folder(path, warnings=warnings)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and path.is_file():
        return read_workbook(path, warnings=warnings)
    if not path.exists():
        reason = "does not exist"
    elif suffix == ".xls":
        reason = "is an old .xls workbook; save it as an .xlsx workbook"
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
