"""Reading an organizer's ledger (台账) as it is kept: one sheet, one row per enterprise.

A ledger is an ``.xlsx`` workbook or a CSV file (any encoding :func:`loaders.csv_text.decode`
takes, comma- or tab-separated). Its header is found wherever it is: the first of the first
:data:`SCAN_ROWS` lines that names the enterprise and two other ledger columns (the words are
in :mod:`loaders.ledger_fields`). What is not read is said in a warning, so nothing is dropped
silently: the title and 填报单位 lines above the header, each 合计/小计/总计 row, each 注/说明
note or 填报人 signature line, each header cell that is no ledger column, each other sheet.
Blank rows, and rows holding only a 序号, are skipped quietly.

Workbook merges wholly above the header are titles, and merges within a skipped totals or
note row are layout: both are ignored. Within the data the contract's rules hold
(:mod:`loaders.xlsx`): a merge down one column fills down, each filled cell recorded in
:attr:`Ledger.fills` for validation to judge; a merge across columns is refused.

Every problem is located by file, line and the column's header as written, collected, and
raised once as :class:`~graph_model.errors.ValidationFailed`. A mapping (:func:`mapping_of`,
edited and read back by :func:`load_mapping`) fixes the sheet, the header line and the field
of each header cell, for a ledger whose header the reader misses or misreads.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from itertools import takewhile
from pathlib import Path
from typing import Any

from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import TABLES
from loaders.cells import CellError
from loaders.credit_code import problem_with
from loaders.csv_text import _delimiter, _Record, _record_problems, _records, _spans_note, decode
from loaders.ledger_fields import FIELDS as FIELDS
from loaders.ledger_fields import (
    NO_NAME,
    SKIPPED,
    Columns,
    assign_columns,
    clean_text,
    header_text,
    is_header,
    is_nothing,
    parse_value,
    row_kind,
)
from loaders.raw import check_text, header_width, raise_errors, shown
from loaders.xlsx import (
    SheetCells,
    Workbook,
    Worksheet,
    apply_merges,
    cell_ref,
    parse_ref,
    read_cells,
)

#: How many lines from the top the header is looked for in.
SCAN_ROWS = 30
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: How much of a CSV file :func:`looks_like_ledger` reads: far more than 30 lines need.
_HEAD_BYTES = 1 << 20
_NO_HEADER = f"no line among the first {SCAN_ROWS} {NO_NAME}"
_UNDER_BLANK = (
    "is a value under a blank header cell; name the column in the header or clear the cell"
)
Rows = dict[int, dict[int, str]]


@dataclass(frozen=True)
class LedgerRow:
    """One enterprise's row: its line, and each field the header has (but seq and remark)."""

    line: int
    values: dict[str, Any]


@dataclass(frozen=True)
class LedgerMapping:
    """Which sheet and line hold the header, and the field each header cell is (None: ignored)."""

    sheet: str | None
    header_line: int
    columns: dict[str, str | None]


@dataclass
class Ledger:
    """A ledger as read: where, its header's columns, its enterprises' rows and the warnings."""

    source: str
    sheet: str | None
    header_line: int
    columns: dict[str, str | None]
    rows: list[LedgerRow]
    warnings: list[Problem]
    #: (line, field) → the merged range the cell took its value from (workbooks only).
    fills: dict[tuple[int, str], str] = field(default_factory=dict)


@dataclass
class _Source:
    """A sheet's or CSV file's cells by line and column, and the problems reading them."""

    name: str
    sheet: str | None
    rows: Rows
    problems: list[Problem]
    cells: SheetCells | None = None
    records: list[_Record] | None = None


def _refusal(name: str, reason: str, line: int | None = None) -> ValidationFailed:
    return ValidationFailed([Problem(name, line, None, None, reason)])


def _find_header(rows: Rows, *, party: bool = False) -> int | None:
    """The first of the first lines that is a ledger header."""
    lines = (n for n in sorted(rows) if n <= SCAN_ROWS)
    return next((n for n in lines if is_header(rows[n].values(), party=party)), None)


def _is_table_name(stem: str) -> bool:
    """Whether a sheet or file is named like a contract table (so it is no ledger)."""
    return any(stem.strip().lower() in (t.name, *t.aliases) for t in TABLES)


# --- sources --------------------------------------------------------------------------------


def _csv_rows(records: list[_Record]) -> Rows:
    return {r.line: dict(enumerate(r.cells)) for r in records}


def _csv_records(text: str, *, top_only: bool = False) -> list[_Record]:
    """The records, split by the delimiter under which a header is found, else the guess from
    the first line (a title line above the header may hold no delimiter at all)."""
    guess = _delimiter(text)
    for delimiter in dict.fromkeys((guess, "\t", ",")):
        top = list(takewhile(lambda r: r.line <= SCAN_ROWS, _records(text, delimiter)))
        if _find_header(_csv_rows(top)) is not None:
            return top if top_only else list(_records(text, delimiter))
    head = takewhile(lambda r: r.line <= SCAN_ROWS, _records(text, guess))
    return list(head) if top_only else list(_records(text, guess))


def _top(sheet: Worksheet) -> Rows:
    """A sheet's first lines, where a header is looked for."""
    return read_cells(sheet, "", [], header_row=None, max_row=SCAN_ROWS).rows


def _sheet_source(path: Path, wanted: str | None, mapped: bool, warnings: list[Problem]) -> _Source:
    """The ledger's sheet: ``wanted``, else the one sheet with a ledger header (or, when a
    mapping gives the header, the one worksheet)."""
    with Workbook(path) as book:
        sheets = book.worksheets
        tops = {ws.title: _top(ws) for ws in sheets}
        headed = [ws for ws in sheets if _find_header(tops[ws.title]) is not None]
        listing = ", ".join(repr(ws.title) for ws in sheets)
        if wanted is not None:
            fold = wanted.strip().lower()
            chosen = next((ws for ws in sheets if ws.title == wanted), None) or next(
                (ws for ws in sheets if ws.title.strip().lower() == fold), None
            )
            if chosen is None:
                raise _refusal(path.name, f"has no sheet {wanted!r}; its sheets are {listing}")
        elif mapped and len(sheets) == 1:
            chosen = sheets[0]
        elif len(headed) != 1:
            raise _refusal(
                path.name,
                f"has a ledger header on {len(headed)} sheets "
                f"({', '.join(repr(ws.title) for ws in headed)}); name the sheet to read "
                '(--sheet NAME, or "sheet" in a mapping file)'
                if headed
                else f"has no ledger header on any sheet ({listing}): {_NO_HEADER}",
            )
        else:
            chosen = headed[0]
        unread: list[tuple[str, str]] = []
        for ws in (ws for ws in sheets if ws is not chosen):
            if ws in headed:
                why = f"it has a ledger header too; sheet {chosen.title!r} was read"
            elif tops[ws.title] or read_cells(ws, "", [], header_row=None).rows:
                why = "it has no ledger header"
            else:
                why = "it is empty"
            unread.append((ws.title, why))
        unread += [(t, f"it is a {kind}, not a worksheet") for t, kind in book.other_sheets]
        for title, why in unread:
            reason = f"sheet {title!r} was not read: {why}"
            warnings.append(Problem(path.name, None, None, None, reason, True))
        name = f"{path.name}[{chosen.title}]"
        problems: list[Problem] = []
        cells = read_cells(chosen, name, problems, header_row=None)
    return _Source(name, chosen.title, cells.rows, problems, cells=cells)


def _source(path: Path, wanted: str | None, mapped: bool, warnings: list[Problem]) -> _Source:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise _refusal(str(path), "is not a file" if path.exists() else "does not exist")
    if suffix in WORKBOOK_SUFFIXES:
        return _sheet_source(path, wanted, mapped, warnings)
    if suffix == ".xls":
        raise _refusal(path.name, "is an old .xls workbook; save it as an .xlsx workbook")
    if suffix not in CSV_SUFFIXES:
        raise _refusal(path.name, "is neither an .xlsx workbook nor a CSV file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _refusal(path.name, f"cannot be read ({exc.strerror or exc})") from exc
    records = _csv_records(decode(data, path.name))
    return _Source(path.name, None, _csv_rows(records), [], records=records)


def looks_like_ledger(path: Path) -> bool:
    """Whether ``path`` is a ledger: a sheet or CSV file, not named like a contract table, with
    a ledger header that has a party column among its first lines (a register export has none).

    Cheap: reads at most the first :data:`SCAN_ROWS` rows of each sheet, or the CSV's start.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in WORKBOOK_SUFFIXES:
            with Workbook(path) as book:
                sheets = (ws for ws in book.worksheets if not _is_table_name(ws.title))
                return any(_find_header(_top(ws), party=True) is not None for ws in sheets)
        if suffix in CSV_SUFFIXES and not _is_table_name(path.stem):
            with path.open("rb") as stream:
                data = stream.read(_HEAD_BYTES)
                if stream.read(1):  # cut where no character is cut in two
                    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                    data = data[: len(data) // 2 * 2] if utf16 else data[: data.rfind(b"\n") + 1]
            records = _csv_records(decode(data, path.name), top_only=True)
            return _find_header(_csv_rows(records), party=True) is not None
    except (ValidationFailed, OSError):
        return False
    return False


# --- the header and the rows ----------------------------------------------------------------


def _header(
    src: _Source, line: int, mapping: LedgerMapping | None, problems: list[Problem]
) -> tuple[Columns, list[Problem]]:
    """The header's columns, named by the lists or by ``mapping``; and the warnings."""
    cells = src.rows.get(line, {})
    if not any(text.strip() for text in cells.values()):
        problems.append(Problem(src.name, line, None, None, "the mapping's header line is blank"))
    if src.cells is not None:
        for raw in cells.values():
            check_text(raw, src.name, line, header_text(raw), problems)
    out = assign_columns(cells, mapping.columns if mapping is not None else None)
    problems += [Problem(src.name, line, text, None, why) for text, why in out.problems]
    return out, [Problem(src.name, line, text, None, why, True) for text, why in out.ignored]


def _above(src: _Source, line: int) -> list[Problem]:
    """The warning for the lines above the header, when any holds anything."""
    cells = (sorted(src.rows[n].items()) for n in sorted(src.rows) if n < line)
    texts = (" ".join(clean_text(t) for _, t in row if not is_nothing(t)) for row in cells)
    held = [text for text in texts if text]
    if not held:
        return []
    span = (
        "line 1 above the header was" if line == 2 else f"lines 1–{line - 1} above the header were"
    )
    return [
        Problem(src.name, None, None, None, f"{span} skipped: {shown(' / '.join(held), 60)}", True)
    ]


def _settle(src: _Source, line: int, skipped: set[int], data: set[int], header: Columns) -> None:
    """The source's own checks on the header and data lines; merges applied (workbooks).

    Reading problems on lines skipped with a warning (above the header, totals, notes) are
    dropped: a totals row's formula without a saved value, say, stops nothing.
    """
    read = [p for p in src.problems if p.line is None or (p.line >= line and p.line not in skipped)]
    src.problems[:] = read
    if src.records is not None:
        head = src.rows.get(line, {})
        width = header_width([head.get(i, "") for i in range(max(head, default=-1) + 1)])

        def label(i: int) -> str:
            return header.by_index.get(i, (f"column {i + 1}", None))[0]

        for record in src.records:
            if record.unclosed is None and record.line not in data and record.line != line:
                continue
            _record_problems(record, src.name, label, src.problems)
            if record.line in data and len(record.cells) < width and record.unclosed is None:
                reason = f"has {len(record.cells)} cells; the header has {width}"
                src.problems.append(
                    Problem(src.name, record.line, None, None, reason + _spans_note(record))
                )
        return
    assert src.cells is not None
    kept = []
    for merge in src.cells.merges:
        first, _, last = merge.partition(":")
        top, bottom = parse_ref(first), parse_ref(last or first)
        inside = [n for n in src.rows if top and bottom and top[0] <= n <= bottom[0]]
        if not (top and top[0] in skipped and set(inside) <= skipped):
            kept.append(merge)
    apply_merges(src.cells, kept, src.name, src.problems, header_row=line)


def _row(
    src: _Source, line: int, header: Columns, ledger: Ledger, problems: list[Problem]
) -> LedgerRow:
    """One data row's typed values; each cell that is not one is a problem."""
    values: dict[str, Any] = {f: None for _, f in header.by_index.values() if f is not None}
    fills = src.cells.fills if src.cells is not None else {}
    for col, text in sorted(src.rows[line].items()):
        if col not in header.by_index:
            if not is_nothing(text) and (src.cells is None or col not in src.cells.merged_header):
                where = f"column {col + 1}" if src.cells is None else cell_ref(line, col)
                reason = _UNDER_BLANK
                problems.append(Problem(src.name, line, where, shown(text), reason))
            continue
        head, found = header.by_index[col]
        if src.cells is not None:
            check_text(text, src.name, line, head, problems)
        if found is None:
            continue
        try:
            values[found] = parse_value(found, text)
        except CellError as exc:
            problems.append(Problem(src.name, line, head, shown(text.strip()), str(exc)))
        if (line, col) in fills:
            ledger.fills[(line, found)] = fills[(line, col)]
    return LedgerRow(line, values)


def _check_rows(ledger: Ledger, problems: list[Problem]) -> None:
    """Rows without a name, codes failing their check (warned of), firms listed twice: by
    code, or by name where either row has no code."""
    head = {f: h for h, f in ledger.columns.items() if f is not None}
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    uncoded: dict[str, int] = {}
    for row in ledger.rows:
        name, code = row.values.get("name"), row.values.get("credit_code")
        at = (ledger.source, row.line)
        if name is None:
            reason = "has no enterprise name; each row of the ledger names its enterprise"
            problems.append(Problem(*at, head["name"], None, reason))
        if code is not None:
            why = problem_with(code)
            if why is not None:
                warning = Problem(*at, head["credit_code"], code, f"{why}; kept as written", True)
                ledger.warnings.append(warning)
            if code in codes:
                reason = f"appears twice (first on line {codes[code]})"
                problems.append(Problem(*at, head["credit_code"], code, reason))
            codes.setdefault(code, row.line)
        if name is not None:
            earlier = (uncoded if code is not None else names).get(name)
            if earlier is not None:
                reason = f"appears twice (first on line {earlier})"
                problems.append(Problem(*at, head["name"], name, reason))
            names.setdefault(name, row.line)
            if code is None:
                uncoded.setdefault(name, row.line)


def read_ledger(
    path: Path, *, mapping: LedgerMapping | None = None, sheet: str | None = None
) -> Ledger:
    """The ledger in ``path``, every enterprise row typed: a CSV file, or a workbook's ledger
    sheet (``sheet``, else the mapping's, else the one sheet with a ledger header).

    Raises
    ------
    ValidationFailed
        With every problem, each located by file, line and column (its header as written).
    """
    warnings: list[Problem] = []
    wanted = sheet if sheet is not None or mapping is None else mapping.sheet
    src = _source(path, wanted, mapping is not None, warnings)
    line = mapping.header_line if mapping is not None else _find_header(src.rows)
    if line is None:
        errors = [p for p in src.problems if not p.warning]
        reason = f"has no ledger header: {_NO_HEADER}; a mapping file can name its line and columns"
        raise ValidationFailed([*errors, Problem(src.name, None, None, None, reason)])
    problems: list[Problem] = []
    header, said = _header(src, line, mapping, problems)
    warnings += _above(src, line) + said
    name_col = next((c for c, (_, f) in header.by_index.items() if f == "name"), None)
    ledger = Ledger(src.name, src.sheet, line, header.columns, [], warnings)
    skipped: set[int] = set()
    data: list[int] = []
    for number in sorted(n for n in src.rows if n > line):
        kind, text = row_kind(src.rows[number], header.seq, name_col)
        if kind == "data":
            data.append(number)
            continue
        if kind != "blank":
            skipped.add(number)
            warnings.append(Problem(src.name, number, None, shown(text), SKIPPED[kind], True))
    _settle(src, line, skipped, set(data), header)
    problems += src.problems
    if name_col is not None:
        ledger.rows = [_row(src, n, header, ledger, problems) for n in data]
        _check_rows(ledger, problems)
    raise_errors(problems)
    return ledger


def read_header(path: Path, *, sheet: str | None = None) -> Ledger:
    """The ledger's header only — its columns as recognised, no row read — so a mapping can
    be written for a ledger whose rows do not read yet (two columns for one field, say).

    Raises
    ------
    ValidationFailed
        When no ledger header is found (a mapping file can name its line and columns).
    """
    warnings: list[Problem] = []
    src = _source(path, sheet, False, warnings)
    line = _find_header(src.rows)
    if line is None:
        reason = f"has no ledger header: {_NO_HEADER}; a mapping file can name its line and columns"
        raise ValidationFailed([Problem(src.name, None, None, None, reason)])
    header, said = _header(src, line, None, [])
    return Ledger(
        src.name, src.sheet, line, header.columns, [], warnings + _above(src, line) + said
    )
