"""Reading organizers' files into raw tables of text cells, each cell with its line.

Sources: a folder of ``NAME.csv`` files, or an ``.xlsx`` workbook with sheets ``NAME``
(the contract's table names; the Chinese names in :data:`graph_model.schema.TABLES`'
``aliases`` are accepted too). CSV text may be UTF-8 (with or without BOM), GB18030/GBK as
Chinese Excel saves it, or UTF-16 with a BOM (Excel's "Unicode text"); a file whose header
line has tabs and no commas is read tab-separated.

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

import codecs
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import TABLES, TableSpec
from loaders.xlsx import Workbook, Worksheet, cell_ref, read_cells

ENCODINGS = ("utf-8-sig", "gb18030")

#: The most characters a cell may hold: Excel's limit, for CSV and workbooks alike.
MAX_CELL_CHARS = 32_767

#: Suffixes of a folder's table files.
TABLE_SUFFIXES = (".csv",)
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Hidden files and Office lock files: never an organizer's data, skipped without a word.
_QUIET_PREFIXES = (".", "~$")

_NON_ASCII = re.compile(rb"[\x80-\xff]")

log = logging.getLogger(__name__)


@dataclass
class RawTable:
    """One table as read: its header and its rows of text cells, each row with its line."""

    spec: TableSpec
    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    #: Cells that took their value from a merged range above them (workbooks only):
    #: (line, column index) → the merge's range, such as ``F3:F5``.
    fills: dict[tuple[int, int], str] = field(default_factory=dict)


def _breaks(text: str) -> int:
    """How many line breaks ``text`` holds (``\\r\\n``, ``\\n`` or a lone ``\\r``)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _byte_line(data: bytes, pos: int) -> int:
    # Valid for ASCII-compatible encodings: UTF-8 and GB18030 never use 0x0A/0x0D in a
    # multi-byte character.
    head = data[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _hex(data: bytes) -> str:
    return " ".join(f"0x{b:02X}" for b in data[:4])


def _encoding_problem(source: str, line: int, reason: str) -> ValidationFailed:
    return ValidationFailed([Problem(source, line, None, None, reason)])


def decode(data: bytes, source: str) -> str:
    """The text of CSV bytes: UTF-16 when they start with its BOM, else UTF-8 (BOM or not),
    else GB18030 (a superset of GBK/GB2312); a leading BOM is dropped.

    Raises
    ------
    ValidationFailed
        Naming the line of the first byte that does not decode: bytes that are neither UTF-8
        nor GB18030, bad bytes in a file that declares UTF-8 or UTF-16 by its BOM, or bytes
        that are not UTF-8 after lines that are (a file mixing encodings).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = _breaks(data[: exc.start].decode("utf-16", errors="replace")) + 1
            raise _encoding_problem(
                source,
                line,
                "has bytes that are not UTF-16, though the file starts with a UTF-16 byte "
                "order mark; save it again",
            ) from None
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # utf-8-sig counts positions after the BOM it drops
        start = exc.start + (len(codecs.BOM_UTF8) if bom else 0)
        bad = _hex(data[start : start + exc.end - exc.start])
    line = _byte_line(data, start)
    if bom:
        raise _encoding_problem(
            source,
            line,
            f"has bytes that are not UTF-8 ({bad}), though the file starts with a UTF-8 "
            "byte order mark: it mixes encodings; save it all as CSV UTF-8",
        )
    first = _NON_ASCII.search(data, 0, start)
    # UTF-8 on an earlier line, then bytes that are not: a GBK part appended to a UTF-8 file.
    # (Non-ASCII earlier on the same line may be GBK that happens to look like UTF-8.)
    if first is not None and _byte_line(data, first.start()) < line:
        raise _encoding_problem(
            source,
            line,
            f"has bytes that are not UTF-8 ({bad}), though line "
            f"{_byte_line(data, first.start())} before it is UTF-8: the file mixes encodings; "
            "save it all as CSV UTF-8",
        )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        other = _byte_line(data, exc.start)
        also = "" if other == line else f" (and line {other} is not GB18030 either)"
        raise _encoding_problem(
            source,
            line,
            f"has bytes that are neither UTF-8 nor GB18030/GBK ({bad}){also}; "
            "save the file as CSV UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def _shown(text: str, limit: int = 40) -> str:
    """A cell's text as a problem shows it: long text cut short."""
    return text if len(text) <= limit else text[:limit] + "…"


def _check_text(
    text: str, source: str, line: int, column: str | None, problems: list[Problem]
) -> None:
    """Cell text that would be stored wrong: too long, a NUL, a byte order mark inside."""
    if len(text) > MAX_CELL_CHARS:
        problems.append(
            Problem(
                source,
                line,
                column,
                _shown(text),
                f"has {len(text):,} characters; a cell holds at most {MAX_CELL_CHARS:,}",
            )
        )
    if "\x00" in text:
        problems.append(
            Problem(
                source,
                line,
                column,
                _shown(text),
                "holds a NUL character (a zero byte), which no text has: the file is damaged "
                "or in another encoding",
            )
        )
    if "\ufeff" in text:
        problems.append(
            Problem(
                source,
                line,
                column,
                _shown(text),
                "holds a byte order mark (U+FEFF), an invisible character that belongs only "
                "at the very start of a file (was another file pasted in?); delete it",
            )
        )


@dataclass
class _Record:
    """One CSV record as parsed, with where its cells are."""

    line: int
    cells: list[str] = field(default_factory=list)
    #: Each cell's first physical line.
    lines: list[int] = field(default_factory=list)
    #: Quoted cells that run across lines: (cell index, first line, last line).
    spans: list[tuple[int, int, int]] = field(default_factory=list)
    #: Text after a closing quote: (cell index, line opened, line closed, the text).
    strays: list[tuple[int, int, int, str]] = field(default_factory=list)
    #: The index of a quoted cell the file ends inside, and the file's last line.
    unclosed: tuple[int, int] | None = None


def _next_line(text: str, pos: int) -> int:
    return pos + 2 if text.startswith("\r\n", pos) else pos + 1


def _records(text: str, delimiter: str) -> Iterator[_Record]:
    """CSV records (RFC 4180, as Excel writes it), each cell with its physical line.

    A quote inside an unquoted cell is kept as text, as Excel does; everything that would
    lose data is noted on the record for the caller to refuse.
    """
    plain = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    eol = re.compile("[\r\n]")
    pos, end, line = 0, len(text), 1
    while pos < end:
        record = _Record(line)
        found = eol.search(text, pos)
        stop = found.start() if found else end
        if text.find('"', pos, stop) < 0:  # the common case: no quotes, one physical line
            record.cells = text[pos:stop].split(delimiter)
            record.lines = [line] * len(record.cells)
            pos, line = (_next_line(text, stop), line + 1) if stop < end else (end, line)
            yield record
            continue
        while True:
            first = line
            if pos < end and text[pos] == '"':
                parts: list[str] = []
                i = pos + 1
                while True:
                    j = text.find('"', i)
                    if j < 0:
                        break
                    parts.append(text[i:j])
                    if text.startswith('""', j):
                        parts.append('"')
                        i = j + 2
                        continue
                    break
                if j < 0:
                    record.cells.append(text[pos + 1 :])
                    record.lines.append(first)
                    last = line + _breaks(text[pos:].rstrip("\r\n"))
                    record.unclosed = (len(record.cells) - 1, last)
                    yield record
                    return
                value = "".join(parts)
                line += _breaks(value)
                if line > first:
                    record.spans.append((len(record.cells), first, line))
                after = plain.match(text, j + 1)
                pos = after.end() if after else j + 1
                if after and after.group():
                    # Spaces after a closing quote are trimmed with the cell anyway; text is not.
                    if after.group().strip():
                        record.strays.append((len(record.cells), first, line, after.group()))
                    value += after.group()
            else:
                match = plain.match(text, pos)
                value = match.group() if match else ""
                pos = match.end() if match else pos
            record.cells.append(value)
            record.lines.append(first)
            if pos < end and text[pos] == delimiter:
                pos += 1
                continue
            if pos < end:
                pos, line = _next_line(text, pos), line + 1
            break
        yield record


def _delimiter(text: str) -> str:
    """Tab when the header line has tabs and no commas (Excel's "Unicode text"), else comma."""
    found = re.search("[\r\n]", text)
    header = text[: found.start()] if found else text
    return "\t" if "\t" in header and "," not in header else ","


def _width(header: list[str]) -> int:
    """How many header cells count: up to the last one that names a column."""
    return max((i + 1 for i, h in enumerate(header) if h.strip()), default=0)


def _label(header: list[str], index: int) -> str:
    """How a problem names a CSV column: its header, or ``column N`` where it has none."""
    name = header[index].strip() if index < len(header) else ""
    return name or f"column {index + 1}"


def _record_problems(
    record: _Record, source: str, label: Callable[[int], str], problems: list[Problem]
) -> None:
    """A record's unclosed quote, text after closing quotes, and cells that cannot be kept."""
    if record.unclosed is not None:
        index, last = record.unclosed
        problems.append(
            Problem(
                source,
                record.lines[index],
                label(index),
                None,
                f"a quoted cell opens here and is never closed, so lines "
                f"{record.lines[index]}–{last} would become one cell; close the quote "
                '(a quote inside a cell is written twice: "")',
            )
        )
    for index, opened, closed, extra in record.strays:
        where = "" if opened == closed else f" of the cell opened on line {opened}"
        problems.append(
            Problem(
                source,
                closed,
                label(index),
                _shown(extra),
                f"text follows the closing quote{where}; a quote inside a quoted cell is "
                'written twice ("")',
            )
        )
    for index, (text, line) in enumerate(zip(record.cells, record.lines, strict=True)):
        if record.unclosed is None or index != record.unclosed[0]:
            _check_text(text, source, line, label(index), problems)


def _spans_note(record: _Record) -> str:
    if not record.spans:
        return ""
    runs = ", ".join(f"{a}–{b}" for _, a, b in record.spans)
    return f" (a quoted cell runs across lines {runs}: is a quote missing or extra?)"


def _read_csv(text: str, spec: TableSpec, source: str, problems: list[Problem]) -> RawTable:
    """Parse CSV text into a raw table, appending every problem to ``problems``."""
    table: RawTable | None = None
    header: list[str] = []
    width = 0
    for record in _records(text, _delimiter(text)):
        if table is None:
            header = record.cells
            width = _width(header)
            table = RawTable(spec, source, header)
            _record_problems(record, source, lambda i: f"column {i + 1}", problems)
            continue
        if record.unclosed is None and not any(cell.strip() for cell in record.cells):
            continue
        _record_problems(record, source, partial(_label, header), problems)
        if record.unclosed is not None:
            continue
        if width == 0:
            problems.append(
                Problem(source, 1, None, None, "the header line is empty; it must name the columns")
            )
            width = -1  # said once; the rows cannot be checked against no header
        if width < 0:
            continue
        cells, count = record.cells, len(record.cells)
        if count < width:
            problems.append(
                Problem(
                    source,
                    record.line,
                    None,
                    None,
                    f"has {count} cells; the header has {width}{_spans_note(record)}",
                )
            )
        beyond = next((i for i in range(width, count) if cells[i].strip()), None)
        if beyond is not None:
            problems.append(
                Problem(
                    source,
                    record.lines[beyond],
                    f"column {beyond + 1}",
                    _shown(cells[beyond]),
                    f"has {count} cells; the header has {width}{_spans_note(record)}: the "
                    "cells beyond the header would be lost",
                )
            )
        for i in range(min(count, width)):
            if cells[i].strip() and not header[i].strip():
                problems.append(
                    Problem(
                        source,
                        record.lines[i],
                        f"column {i + 1}",
                        _shown(cells[i]),
                        "is a value under a blank header cell; name the column in the header "
                        "or clear the cell",
                    )
                )
        table.rows.append((record.line, cells[:width]))
    return table or RawTable(spec, source, [])


def _errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationFailed(errors)


def read_csv_text(text: str, spec: TableSpec, source: str) -> RawTable:
    """Parse CSV text; blank rows are skipped, line numbers are the file's physical lines.

    Raises
    ------
    ValidationFailed
        With every problem that would lose data (see the module's docs), each located.
    """
    problems: list[Problem] = []
    table = _read_csv(text, spec, source, problems)
    _errors(problems)
    return table


def _spec_for(stem: str) -> TableSpec | None:
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


def _ignored(path: Path, spec: TableSpec | None) -> Problem:
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
        spec = _spec_for(path.stem)
        if spec is None or path.suffix.lower() not in TABLE_SUFFIXES:
            found.append(_ignored(path, spec))
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
        out[spec.name] = _read_csv(text, spec, name, problems)
    _deliver(found, warnings)
    _errors(problems)
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
    width = _width(header)
    table = RawTable(spec, source, header)
    for i, text in top.items():
        _check_text(text, source, 1, cell_ref(1, i), problems)
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
                            _shown(text),
                            f"is a value under a blank header cell ({cell_ref(1, col)}); name "
                            "the column in the header or clear the cell",
                        )
                    )
                continue
            _check_text(text, source, number, ref, problems)
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
    _errors(problems)
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
            spec = _spec_for(sheet.title)
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
    _errors(problems)
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
