"""Reading ``.xlsx`` worksheets as text cells: a small streaming reader on zipfile + ElementTree.

Why not openpyxl: in read-only mode it trusts a sheet's ``<dimension>`` (a stale one drops
rows, a huge one such as ``A1:XFD1048576`` pads millions of empty cells), and it cannot tell a
formula without a saved value from an empty cell. This reader places every cell by its ``r``
reference, whatever the dimension says, so its time follows the real content.

What a cell becomes (the text an organizer sees):

* shared and inline strings: their text (rich-text runs joined, phonetic ``rPh`` runs left
  out, ``_xHHHH_`` escapes decoded, one apostrophe taken off before a formula character as
  :func:`loaders.safe_cells.restore` says);
* booleans: ``true`` / ``false``;
* numbers: their exact text as saved, through :class:`~decimal.Decimal`, never a float;
  whole values without ``.0`` (``3``, ``9007199254740993``);
* numbers whose style's number format is a date or time: ISO text (``2021-03-04T00:00:00``,
  ``12:30:00``), honouring the workbook's 1904 date system;
* a formula: its saved (cached) value. A formula without one is a problem, as is an error
  value such as ``#N/A``.

Merged cells, as decided for contract sheets: a merge within **one column** over several rows
is filled down, so every covered cell takes the top cell's value (what a person sees: the
street applies to each row); every filled cell is recorded in :attr:`SheetCells.fills` with
the merge's range, so validation can tell a shared value from a typed one. A covered cell that
holds a value of its own (Excel hides it) is a problem. A merge across **several columns**, or
one joining the header row with data rows, is a problem: its value cannot be given to one
column. A sheet whose header is not row 1 (an organizer's ledger, under a title) passes its
``header_row``: merges wholly above it are titles and are ignored, one joining those lines
with the header is a problem. A caller that finds the header only after reading the cells
reads them with ``header_row=None``, which leaves the merges in :attr:`SheetCells.merges`, and
applies them itself (:func:`apply_merges`), leaving out those it skips.

Element and attribute names are matched by local name, so the transitional namespace, strict
OOXML (``http://purl.oclc.org/ooxml/spreadsheetml/main``) and any prefixes all work.
"""

from __future__ import annotations

import bisect
import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import IO
from xml.etree import ElementTree as ET

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

from graph_model.errors import Problem, ValidationFailed
from loaders.safe_cells import restore

#: Number formats East Asian Excel writes by id without declaring them (27–36, 50–58): all
#: dates or times in the Chinese, Japanese and Korean locales, and absent from openpyxl's list.
EAST_ASIAN_DATE_FORMATS = frozenset((*range(27, 37), *range(50, 59)))

_REF = re.compile(r"([A-Za-z]{1,3})([0-9]+)")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attr(elem: ET.Element, name: str) -> str | None:
    """An attribute by local name, in whatever namespace (``r:id`` in either OOXML flavour)."""
    for key, value in elem.attrib.items():
        if _local(key) == name:
            return value
    return None


def _children(elem: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in elem if _local(child.tag) == name)


def column_letters(col: int) -> str:
    """The letters of a 0-based column index (0 → ``A``, 26 → ``AA``)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """The reference of a cell, its row 1-based and its column 0-based (7, 2 → ``C7``)."""
    return f"{column_letters(col)}{row}"


def parse_ref(ref: str) -> tuple[int, int] | None:
    """(row, 0-based column) of a reference such as ``C7``; None if it is not one."""
    match = _REF.fullmatch(ref.strip().replace("$", ""))
    if match is None:
        return None
    col = 0
    for letter in match.group(1).upper():
        col = col * 26 + ord(letter) - ord("A") + 1
    row = int(match.group(2))
    return (row, col - 1) if row >= 1 else None


def _unescape(text: str) -> str:
    # OOXML writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _rich_text(elem: ET.Element) -> str:
    """The text of an ``<si>`` or ``<is>``: plain ``<t>`` or the runs' ``<t>``, not ``rPh``."""
    parts: list[str] = []
    for child in elem:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in _children(child, "t"))
    return _unescape("".join(parts))


class BadCell(ValueError):
    """A cell's saved value cannot be read as what its type says; the message says why."""


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(len(magic)) == magic
    except OSError:
        return False


def _unreadable(name: str, why: str) -> ValidationFailed:
    return ValidationFailed(
        [Problem(name, None, None, None, f"is not a readable .xlsx workbook ({why})")]
    )


@dataclass(frozen=True)
class Worksheet:
    """One worksheet of a workbook: its tab name and where its XML is."""

    title: str
    part: str
    book: Workbook = field(repr=False, compare=False)


@dataclass
class SheetCells:
    """A worksheet's non-empty cells by row (1-based) and column (0-based), merges applied."""

    rows: dict[int, dict[int, str]] = field(default_factory=dict)
    #: (row, 0-based column) of every cell filled from a merge above it → the merge's range.
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    #: Columns whose header cell lies under a merge across columns (already a problem).
    merged_header: set[int] = field(default_factory=set)
    #: The sheet's merged ranges as written (``A1:S1``), in the order the sheet lists them.
    merges: list[str] = field(default_factory=list)


class Workbook:
    """An ``.xlsx`` workbook opened for reading its worksheets; close it when done.

    Raises
    ------
    ValidationFailed
        When the file is not a zip of an OOXML workbook ("is not a readable .xlsx workbook").
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self._shared: list[str] | None = None
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            why = str(exc) or type(exc).__name__
            if _starts_with(path, b"\xd0\xcf\x11\xe0"):
                why = "it is an OLE file: password-protected, or an old .xls renamed"
            raise _unreadable(self.name, why) from exc
        try:
            self._parts = {n.lower(): n for n in self._zip.namelist()}
            self._open_workbook()
        except ValidationFailed:
            self._zip.close()
            raise
        except (ET.ParseError, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            self._zip.close()
            raise _unreadable(self.name, str(exc) or type(exc).__name__) from exc

    def __enter__(self) -> Workbook:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the file."""
        self._zip.close()

    def _has(self, part: str) -> bool:
        return part.lower() in self._parts

    def _open(self, part: str) -> IO[bytes]:
        return self._zip.open(self._parts[part.lower()])

    def _xml(self, part: str) -> ET.Element:
        with self._open(part) as stream:
            return ET.parse(stream).getroot()

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type, target part), targets resolved to zip paths."""
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if not self._has(rels_part):
            return {}
        out: dict[str, tuple[str, str]] = {}
        for rel in self._xml(rels_part).iter():
            if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id") or ""] = (rel.get("Type") or "", resolved)
        return out

    def _open_workbook(self) -> None:
        main = next(
            (t for kind, t in self._rels("").values() if kind.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        if not self._has(main):
            raise _unreadable(self.name, f"it has no workbook part {main}")
        root = self._xml(main)
        rels = self._rels(main)
        props = next((e for e in root.iter() if _local(e.tag) == "workbookPr"), None)
        date1904 = props is not None and (props.get("date1904") or "").lower() in (
            "1",
            "true",
            "on",
        )
        self.epoch: dt.datetime = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        #: The worksheets, in tab order.
        self.worksheets: list[Worksheet] = []
        #: Chart sheets and other sheets that hold no cells: (name, kind).
        self.other_sheets: list[tuple[str, str]] = []
        for sheet in root.iter():
            if _local(sheet.tag) != "sheet":
                continue
            title = sheet.get("name") or ""
            kind, target = rels.get(_attr(sheet, "id") or "", ("", ""))
            if kind.endswith("/worksheet"):
                self.worksheets.append(Worksheet(title, target, self))
            else:
                self.other_sheets.append((title, kind.rpartition("/")[2] or "unknown"))
        by_kind = {kind.rpartition("/")[2]: target for kind, target in rels.values()}
        self._strings_part = by_kind.get("sharedStrings")
        styles = by_kind.get("styles")
        self._date_styles, self._timedelta_styles = self._styles(styles)

    def _styles(self, part: str | None) -> tuple[set[int], set[int]]:
        """Which cell styles (``s``) show a number as a date, and which as a duration."""
        if part is None or not self._has(part):
            return set(), set()
        root = self._xml(part)
        custom: dict[int, str] = {}
        dates: set[int] = set()
        durations: set[int] = set()
        for elem in root.iter():
            if _local(elem.tag) == "numFmt":
                custom[int(elem.get("numFmtId") or -1)] = elem.get("formatCode") or ""
        cell_xfs = next((e for e in root if _local(e.tag) == "cellXfs"), None)
        if cell_xfs is None:
            return dates, durations
        for index, xf in enumerate(_children(cell_xfs, "xf")):
            fmt_id = int(xf.get("numFmtId") or 0)
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
            if is_date_format(code) or (code is None and fmt_id in EAST_ASIAN_DATE_FORMATS):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return dates, durations

    def shared_strings(self) -> list[str]:
        """The workbook's shared strings, read once."""
        if self._shared is None:
            self._shared = []
            if self._strings_part is not None and self._has(self._strings_part):
                with self._open(self._strings_part) as stream:
                    root: ET.Element | None = None
                    for event, elem in ET.iterparse(stream, events=("start", "end")):
                        if root is None:
                            root = elem
                        elif event == "end" and _local(elem.tag) == "si":
                            self._shared.append(_rich_text(elem))
                            root.clear()  # keep memory flat: each <si> is done with
        return self._shared

    def shared_string(self, index: str) -> str:
        """The shared string a ``t="s"`` cell names; raises :class:`BadCell` if there is none."""
        strings = self.shared_strings()
        if not index.strip().isdigit() or int(index) >= len(strings):
            raise BadCell(f"names shared string {index!r}, which the workbook does not have")
        return strings[int(index)]

    def number_text(self, text: str, style: int) -> str:
        """A number cell's text as shown: a date/time in ISO form, else the exact number.

        Raises :class:`BadCell` for text that is not a number, or a date Excel cannot show.
        """
        if style in self._date_styles:
            exact_number(text)  # a date is a number first
            try:
                moment = from_excel(
                    float(text), self.epoch, timedelta=style in self._timedelta_styles
                )
            except (OverflowError, ValueError):
                raise BadCell(
                    f"{text} is formatted as a date but is outside the dates Excel can show"
                ) from None
            if isinstance(moment, dt.datetime | dt.date | dt.time):
                return moment.isoformat()
            return str(moment)
        return exact_number(text)


def exact_number(text: str) -> str:
    """A saved number's exact text: whole values as plain integers (``3.0``, ``1E3`` → ``3``,
    ``1000``), others in plain notation where that stays short. Raises :class:`BadCell`."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise BadCell(f"{text!r} is saved as a number but is not one") from None
    if not number.is_finite():
        raise BadCell(f"{text!r} is saved as a number but is not a finite one")
    if -30 <= number.adjusted() <= 30:
        if number == number.to_integral_value():
            return str(int(number))
        return format(number, "f")
    return str(number)


def _iso_text(text: str) -> str:
    """A ``t="d"`` cell (ISO 8601 in the file) as ``cell_text`` shows a date."""
    for kind in (dt.datetime, dt.time):
        try:
            return kind.fromisoformat(text.strip().removesuffix("Z")).isoformat()
        except ValueError:
            continue
    return text


def read_cells(
    sheet: Worksheet,
    source: str,
    problems: list[Problem],
    *,
    header_row: int | None = 1,
    max_row: int | None = None,
) -> SheetCells:
    """A worksheet's cells as text, placed by their references, merges applied.

    Problems (appended to ``problems``, located as ``source``, the sheet's row and the cell
    reference): formulas without a saved value, error values, damaged cells, merges across
    columns, values hidden under a merge.

    ``header_row`` is the header's row for the merge rules (see the module's docs); with
    ``None`` no merge is applied: they are left in :attr:`SheetCells.merges` for
    :func:`apply_merges`. ``max_row`` stops reading after that row (a quick look at a
    sheet's top; the merges, listed after the cells, are then not read).
    """
    book = sheet.book
    cells = SheetCells()
    if not book._has(sheet.part):
        problems.append(
            Problem(source, None, None, None, f"its worksheet part {sheet.part} is missing")
        )
        return cells
    try:
        with book._open(sheet.part) as stream:
            _parse_sheet(book, stream, source, cells, cells.merges, problems, max_row)
    except (ET.ParseError, zipfile.BadZipFile, OSError, EOFError) as exc:
        problems.append(Problem(source, None, None, None, f"is not a readable worksheet ({exc})"))
        return cells
    if header_row is not None:
        apply_merges(cells, cells.merges, source, problems, header_row=header_row)
    return cells


def _parse_sheet(
    book: Workbook,
    stream: IO[bytes],
    source: str,
    cells: SheetCells,
    merges: list[str],
    problems: list[Problem],
    max_row: int | None = None,
) -> None:
    sheet_data: ET.Element | None = None
    row_number = 0
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        name = _local(elem.tag)
        if event == "start":
            if name == "sheetData":
                sheet_data = elem
            continue
        if name == "row":
            given = elem.get("r")
            row_number = int(given) if given and given.isdigit() else row_number + 1
            if max_row is not None and row_number > max_row:
                break
            _parse_row(book, elem, row_number, source, cells, problems)
            if sheet_data is not None:
                sheet_data.clear()  # each row is done with; memory stays one row deep
        elif name == "mergeCell":
            merges.append(elem.get("ref") or "")


def _parse_row(
    book: Workbook,
    row: ET.Element,
    row_number: int,
    source: str,
    cells: SheetCells,
    problems: list[Problem],
) -> None:
    col = -1
    for cell in _children(row, "c"):
        given = cell.get("r")
        where = parse_ref(given) if given else (row_number, col + 1)
        if where is None:
            problems.append(
                Problem(source, row_number, given, None, "is not a valid cell reference")
            )
            continue
        number, col = where
        ref = cell_ref(number, col)
        text = _cell_value(book, cell, source, number, ref, problems)
        if not text:
            continue
        values = cells.rows.setdefault(number, {})
        if col in values:
            problems.append(Problem(source, number, ref, text, "appears twice in the sheet's XML"))
            continue
        values[col] = text


def _cell_value(
    book: Workbook,
    cell: ET.Element,
    source: str,
    row: int,
    ref: str,
    problems: list[Problem],
) -> str | None:
    """A cell's text; None (with a problem appended) when it has no value one can take."""
    kind = cell.get("t") or "n"
    formula = value = inline = None
    for child in cell:
        name = _local(child.tag)
        if name == "f":
            formula = child
        elif name == "v":
            value = child
        elif name == "is":
            inline = child
    saved = value.text if value is not None else None
    shown = "formula" if formula is None or not formula.text else f"formula ={formula.text}"
    if kind == "e":
        reason = f"holds the error value {saved or '#VALUE!'}"
        if formula is not None:
            reason = f"{shown} gives the error {saved or '#VALUE!'}"
        problems.append(Problem(source, row, ref, None, f"{reason}; correct it or clear the cell"))
        return None
    if kind == "inlineStr":
        return restore(_rich_text(inline)) if inline is not None else ""
    # A formula's saved value is its <v>; "" counts only for a string result (t="str"), as
    # writers such as openpyxl put an empty <v/> beside a formula they never calculated.
    if formula is not None and (value is None or (not saved and kind != "str")):
        problems.append(
            Problem(
                source,
                row,
                ref,
                None,
                f"{shown} has no saved value; open the workbook in Excel and save it again",
            )
        )
        return None
    if saved is None:
        return ""
    try:
        if kind == "s":
            return restore(book.shared_string(saved))
        if kind == "str":
            return _unescape(saved)
        if kind == "b":
            return "true" if saved.strip() in ("1", "true") else "false"
        if kind == "d":
            return _iso_text(saved)
        if not saved.strip():
            return ""
        style = cell.get("s") or "0"
        return book.number_text(saved, int(style) if style.isdigit() else 0)
    except BadCell as exc:
        problems.append(Problem(source, row, ref, None, str(exc)))
        return None


def apply_merges(
    cells: SheetCells,
    merges: list[str],
    source: str,
    problems: list[Problem],
    *,
    header_row: int = 1,
) -> None:
    """Fill one-column merges down; refuse merges across columns (see the module's docs).

    Merges wholly above ``header_row`` are ignored (a title over a ledger's header).
    """
    numbers = sorted(cells.rows)
    for text in merges:
        first, _, last = text.partition(":")
        top, bottom = parse_ref(first), parse_ref(last or first)
        if top is None or bottom is None:
            problems.append(Problem(source, None, text, None, "is not a valid merged range"))
            continue
        (r1, c1), (r2, c2) = top, bottom
        if (r1, c1) == (r2, c2) or r2 < header_row:
            continue
        if r1 < header_row:
            problems.append(
                Problem(
                    source,
                    r1,
                    text,
                    None,
                    "joins lines above the header with the header row; unmerge it",
                )
            )
            continue
        if c1 != c2:
            if r1 == header_row:
                cells.merged_header.update(range(c1 + 1, c2 + 1))
            problems.append(
                Problem(
                    source,
                    r1,
                    text,
                    None,
                    "merged across columns; unmerge it so each value has its own cell",
                )
            )
            continue
        if r1 == header_row:
            problems.append(
                Problem(
                    source,
                    r1,
                    text,
                    None,
                    "merges the header cell with data rows; unmerge it",
                )
            )
            continue
        shared = cells.rows.get(r1, {}).get(c1, "")
        start = bisect.bisect_right(numbers, r1)
        for number in numbers[start : bisect.bisect_right(numbers, r2)]:
            row = cells.rows[number]
            own = row.get(c1, "")
            if own and own != shared:
                problems.append(
                    Problem(
                        source,
                        number,
                        cell_ref(number, c1),
                        own,
                        f"lies under the merged cells {text}, which show only "
                        f"{cell_ref(r1, c1)}'s value; unmerge them or clear this cell",
                    )
                )
            elif shared:
                row[c1] = shared
                cells.fills[(number, c1)] = text
