"""Reading an enterprise register export (企业登记信息) as the register writes it.

An export from the market-regulation system often starts with a title row or two above its
header; its columns are named in the register's words (企业名称, 统一社会信用代码, 登记状态,
所属行业 …, with line breaks, spaces, full-width brackets and units such as （万元） in them);
and its 登记状态 holds the register's own values (存续（在营、开业、在册）, 吊销，未注销 …).
This module finds the header, maps the columns to firm properties and reads each row into a
:class:`RegisterRow`; :mod:`loaders.reconcile` matches the rows with the stored firms.

Which property a column fills matters: the register is authoritative for registration facts
(the code, the name, the status) and keeps its other facts as register properties of the
firm (所属行业 → ``reg_industry``, never the organizers' ``industry``; see
:data:`REGISTER_COLUMNS`). Columns that are the organizers' own (党员人数, 街道 …) are read by
the contract's names and aliases, and only fill blanks unless asked otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import CHOICE_ALIASES, TABLE, Prop
from loaders import credit_code
from loaders.cells import CellError, parse_cell
from loaders.csv_text import _delimiter, _records, decode, read_csv_rows
from loaders.ledger_fields import SKIPPED, header_key, row_kind
from loaders.raw import RawTable, check_text, header_width, raise_errors, shown
from loaders.readers import open_workbook
from loaders.xlsx import Worksheet, cell_ref, parse_ref, read_cells

ENTERPRISES = TABLE["enterprises"]

#: How many rows from the top are searched for the header.
HEADER_SCAN = 20

#: The register's columns by the firm property each fills, spellings in order of preference
#: (when two columns name one property, the better spelling is read and the other ignored).
#: Spellings are compared after :func:`header_key`; a bracketed part may also be left out, so
#: 企业（机构）名称 and 注册资本（万元） need no spelling of their own.
REGISTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "企业编号", "id"),
    "name": ("企业名称", "企业(机构)名称", "市场主体名称", "名称", "单位名称", "企业", "name"),
    "status": ("登记状态", "经营状态", "企业状态", "企业登记状态", "状态", "status", "reg_status"),
    "founded": ("成立日期", "成立时间", "设立日期", "注册日期", "founded"),
    "legal_rep": (
        "法定代表人",
        "法定代表人/负责人",
        "法人代表",
        "法人",
        "负责人",
        "经营者",
        "legal_rep",
    ),
    "capital": ("注册资本", "注册资金", "capital"),
    "reg_industry": (
        "所属行业",
        "国标行业",
        "行业",
        "国民经济行业",
        "行业分类",
        "登记行业",
        "行业门类",
        "reg_industry",
    ),
    "address": ("企业地址", "住所", "注册地址", "地址", "经营场所", "address"),
}
#: The register's facts kept as properties of the firm (the register's word, always current).
REGISTER_FACTS: tuple[str, ...] = (
    "reg_industry",
    "legal_rep",
    "founded",
    "capital",
    "address",
    "reg_status",
)
#: What the organizers maintain: filled from a register only where blank, or with ``updates``.
ORGANIZER_FIELDS: tuple[str, ...] = tuple(
    c.name for c in ENTERPRISES.columns if c.name not in ("id", "name", "status", *REGISTER_FACTS)
)
#: Columns every export has that hold nothing about the firm (row numbers): ignored quietly.
QUIET_COLUMNS: tuple[str, ...] = ("序号", "行号")

#: A registered status → (the firm's status, the change kind when it stops operating). Checked
#: in this order against the status text, so 吊销，未注销 is a revocation (its 注销 is negated)
#: and 吊销，已注销 too (the revocation is what ended the firm's business).
STATUS_WORDS: tuple[tuple[str, str, str], ...] = (
    ("吊销", "closed", "revoked"),
    ("撤销", "closed", "cancelled"),
    ("注销", "closed", "closed"),
    ("迁出", "closed", "moved_out"),
    ("停业", "closed", "closed"),
    ("歇业", "closed", "closed"),
    ("清算", "closed", "closed"),
    ("关闭", "closed", "closed"),
    ("存续", "operating", "operating"),
    ("在业", "operating", "operating"),
    ("开业", "operating", "operating"),
    ("在册", "operating", "operating"),
    ("迁入", "operating", "operating"),
    ("在营", "operating", "operating"),
    ("营业", "operating", "operating"),
    ("正常", "operating", "operating"),
)

_TRAILING_NOTE = re.compile(r"\(([^()]*)\)$")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_BREAK = re.compile(r"\r\n|\r|\n")


def name_key(name: str) -> str:
    """A firm's name as names are matched: NFKC (full-width characters folded), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def _spellings() -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for prop, spellings in REGISTER_COLUMNS.items():
        for rank, spelling in enumerate(spellings):
            out.setdefault(header_key(spelling), (prop, rank))
    for col in ENTERPRISES.columns:
        if col.name in ORGANIZER_FIELDS:
            for rank, spelling in enumerate((col.name, *col.aliases)):
                out.setdefault(header_key(spelling), (col.name, 100 + rank))
    for spelling in QUIET_COLUMNS:
        out.setdefault(header_key(spelling), ("", 0))
    return out


_SPELLINGS = _spellings()


def column_of(header: str) -> tuple[str | None, int, str]:
    """The property a header names ("" for a quiet column, None for none), its rank among
    the property's spellings, and a money unit its brackets held (注册资本（万元） → 万元).

    A header is tried as written, then without its trailing bracketed notes one at a time,
    so 注册资本（万元）, 住所（经营场所） and 法定代表人（负责人） need no spelling of their own."""
    key = header_key(header)
    notes: list[str] = []
    while key:
        if key in _SPELLINGS:
            prop, rank = _SPELLINGS[key]
            return prop, rank, "".join(n for n in reversed(notes) if "元" in n)
        found = _TRAILING_NOTE.search(key)
        if found is None:
            break
        notes.append(found.group(1))
        key = key[: found.start()].strip("*※:")
    return None, 0, ""


def _is_header(cells: Sequence[str]) -> bool:
    """The header row names the firm (name or code) and at least one other register column."""
    props = {column_of(c)[0] for c in cells if c.strip()} - {None, ""}
    return bool(props & {"id", "name"}) and len(props) >= 2


@dataclass
class RegisterTable(RawTable):
    """A register as read: a raw table whose header may lie below title rows."""

    #: The line (CSV) or row (sheet) of the header.
    header_line: int = 1
    #: What reading noticed without refusing: the title lines it skipped.
    warnings: list[Problem] = field(default_factory=list)


def _skipped(source: str, header_line: int, texts: list[str]) -> list[Problem]:
    if header_line <= 1:
        return []
    count = header_line - 1
    lines = "1 line" if count == 1 else f"{count} lines"
    said = " / ".join(t for t in texts if t)
    what = f": {shown(said, 60)!r}" if said else " (blank)"
    reason = f"skipped {lines} above the header (line {header_line}){what}"
    return [Problem(source, 1, None, None, reason, warning=True)]


def _line_start(text: str, line: int) -> int:
    """Where physical line ``line`` (1-based) starts in ``text``."""
    pos = 0
    for _ in range(line - 1):
        found = _BREAK.search(text, pos)
        if found is None:
            return len(text)
        pos = found.end()
    return pos


def _no_header(source: str) -> ValidationFailed:
    reason = (
        f"has no header: none of its first {HEADER_SCAN} lines names 企业名称 or "
        "统一社会信用代码 together with another register column"
    )
    return ValidationFailed([Problem(source, None, None, None, reason)])


def _names_a_column(cells: Sequence[str]) -> bool:
    return any(column_of(c)[0] for c in cells if c.strip())


def _csv_header(text: str, source: str) -> tuple[int, list[str]]:
    """The header's line in CSV text, and the text of the lines above it. Without a header
    among the first :data:`HEADER_SCAN` records, line 1 is the header if it names any
    register column (a register of names only)."""
    for delimiter in (",", "\t"):
        above: list[str] = []
        for n, record in enumerate(_records(text, delimiter)):
            if n >= HEADER_SCAN or record.unclosed is not None:
                break
            if _is_header(record.cells):
                return record.line, above
            above.append(" ".join(c.strip() for c in record.cells if c.strip()))
    first = next(_records(text, _delimiter(text)), None)
    if first is None or _names_a_column(first.cells):
        return 1, []
    raise _no_header(source)


def _footers(text: str, header_line: int, source: str) -> tuple[str, list[Problem]]:
    """The text with its totals rows and note lines (合计, 注：…, 数据来源…) blanked, and a
    warning for each: an export's footer is not a firm, and would not have the header's cells."""
    lines = text.splitlines(keepends=True)
    warnings: list[Problem] = []
    for record in _records(text, _delimiter(text)):
        if record.line <= header_line or record.spans or record.unclosed is not None:
            continue
        kind, said = row_kind(dict(enumerate(record.cells)), set(), None)
        if kind in SKIPPED:
            ending = lines[record.line - 1][len(lines[record.line - 1].rstrip("\r\n")) :]
            lines[record.line - 1] = ending
            warnings.append(Problem(source, record.line, None, shown(said), SKIPPED[kind], True))
    return "".join(lines), warnings


def _read_csv(path: Path) -> RegisterTable:
    text = decode(path.read_bytes(), path.name)
    line, above = _csv_header(text, path.name)
    text, footers = _footers(text, line, path.name)
    offset = line - 1
    problems: list[Problem] = []
    raw = read_csv_rows(text[_line_start(text, line) :], ENTERPRISES, path.name, problems)
    problems = [
        p if p.line is None else dataclasses.replace(p, line=p.line + offset) for p in problems
    ]
    raise_errors(problems)
    rows = [(n + offset, cells) for n, cells in raw.rows]
    warnings = _skipped(path.name, line, above) + footers
    return RegisterTable(
        ENTERPRISES, path.name, raw.header, rows, header_line=line, warnings=warnings
    )


def _read_sheet(sheet: Worksheet, source: str) -> RegisterTable:
    problems: list[Problem] = []
    cells = read_cells(sheet, source, problems)
    numbers = sorted(cells.rows)
    top = next(
        (n for n in numbers if n <= HEADER_SCAN and _is_header(list(cells.rows[n].values()))), 1
    )
    if top == 1 and numbers and not _names_a_column(list(cells.rows.get(1, {}).values())):
        raise _no_header(source)
    # A title merged across the columns above the header is how such exports look; only
    # merges from the header down concern the data.
    problems = [p for p in problems if p.line is None or p.line >= top]
    head = cells.rows.get(top, {})
    header = [head.get(i, "") for i in range(max(head, default=-1) + 1)]
    width = header_width(header)
    for i, text in head.items():
        check_text(text, source, top, cell_ref(top, i), problems)
    table = RegisterTable(ENTERPRISES, source, header, header_line=top)
    above = [" ".join(cells.rows[n].values()) for n in numbers if n < top]
    table.warnings = _skipped(source, top, above)
    for merge in sorted(set(cells.fills.values())):
        first = parse_ref(merge.partition(":")[0])
        if top > 1 and first is not None and first[0] == top:
            reason = "merges the header cell with data rows; unmerge it"
            problems.append(Problem(source, top, merge, None, reason))
    for number in numbers:
        cols = cells.rows[number]
        if number <= top or not any(text.strip() for text in cols.values()):
            continue
        kind, said = row_kind(cols, set(), None)
        if kind in SKIPPED:
            table.warnings.append(Problem(source, number, None, shown(said), SKIPPED[kind], True))
            continue
        values = [""] * width
        for col, text in sorted(cols.items()):
            ref = cell_ref(number, col)
            if col >= width or not header[col].strip():
                if text.strip() and not (top == 1 and col in cells.merged_header):
                    problems.append(
                        Problem(
                            source,
                            number,
                            ref,
                            shown(text),
                            f"is a value under a blank header cell ({cell_ref(top, col)}); name "
                            "the column in the header or clear the cell",
                        )
                    )
                continue
            check_text(text, source, number, ref, problems)
            values[col] = text
            if (number, col) in cells.fills:
                table.fills[(number, col)] = cells.fills[(number, col)]
        table.rows.append((number, values))
    if width == 0 and table.rows:
        problems.append(
            Problem(source, top, None, None, "the header row is empty; it must name the columns")
        )
    raise_errors(problems)
    return table


def _read_workbook(path: Path) -> RegisterTable:
    with open_workbook(path) as book:
        names = {ENTERPRISES.name, *ENTERPRISES.aliases}
        sheets = list(book.worksheets)
        if not sheets:
            raise ValidationFailed([Problem(path.name, None, None, None, "has no sheet")])
        sheet = next((s for s in sheets if s.title.strip().lower() in names), sheets[0])
        return _read_sheet(sheet, f"{path.name}[{sheet.title}]")


def read_register(path: Path) -> RegisterTable:
    """Read a register export: a ``.csv`` file in any encoding :func:`loaders.csv_text.decode`
    reads, or an ``.xlsx`` workbook (its sheet named ``enterprises`` or ``企业``, else its first).

    The header is the first of the top :data:`HEADER_SCAN` rows that names the firm (its name
    or credit code) and at least one other register column; the rows above it are skipped with
    a warning. Without such a row the first row is the header. Line numbers stay the file's.

    Raises
    ------
    ValidationFailed
        When the file does not exist, is of another kind, or cannot be decoded or opened, or
        would lose data when read (see :mod:`loaders.readers`).
    """
    if not path.is_file():
        reason = "does not exist" if not path.exists() else "is not a file"
        raise ValidationFailed([Problem(str(path), None, None, None, reason)])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_workbook(path)
    raise ValidationFailed(
        [Problem(path.name, None, None, None, "is neither a .csv file nor an .xlsx workbook")]
    )


# -- the rows ------------------------------------------------------------------------------------


def registered_status(text: str) -> tuple[str, str] | None:
    """The firm's status and the change kind for a registered status, or None when unknown.

    >>> registered_status("存续（在营、开业、在册）"), registered_status("吊销，未注销")
    (('operating', 'operating'), ('closed', 'revoked'))
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    for word, status, kind in STATUS_WORDS:
        if word in folded:
            return status, kind
    lowered = folded.lower()
    for status in ("operating", "closed"):
        if lowered == status or folded in CHOICE_ALIASES[status]:
            return status, status
    return None


def iso_date(text: str) -> str | None:
    """A date as the register writes it (2015-03-04, 2015/3/4, 2015年3月4日, 20150304, or a
    sheet's 2015-03-04T00:00:00) as ISO text, as ``cell_text`` renders a date; else None."""
    folded = unicodedata.normalize("NFKC", text).strip()
    match = _DATE.fullmatch(folded) or _COMPACT_DATE.fullmatch(folded)
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


@dataclass
class RegisterRow:
    """One firm as the register lists it."""

    source: str
    line: int
    #: The credit code, normalised (:func:`loaders.credit_code.normalise`); None when blank.
    code: str | None
    name: str | None
    #: ``operating`` or ``closed``; None when blank or not a status we know.
    status: str | None = None
    #: Why it stopped operating: ``closed`` (注销), ``revoked``, ``cancelled``, ``moved_out``.
    kind: str | None = None
    #: The register's facts given (:data:`REGISTER_FACTS`), blanks left out.
    facts: dict[str, str] = field(default_factory=dict)
    #: The organizers' fields given (:data:`ORGANIZER_FIELDS`), typed, blanks left out.
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Register:
    """A register's rows, and which properties its columns give."""

    rows: list[RegisterRow]
    columns: set[str]


def _map_header(table: RawTable, line: int, problems: list[Problem]) -> dict[int, str]:
    best: dict[str, tuple[int, int]] = {}  # property → (rank, column index)
    for i, header in enumerate(table.header):
        if not header.strip():
            continue
        prop, rank, _ = column_of(header)
        if prop is None:
            reason = "is not a register column; ignored"
            problems.append(Problem(table.source, line, header.strip(), None, reason, True))
        elif prop and (prop not in best or rank < best[prop][0]):
            best[prop] = (rank, i)
    index = {i: prop for prop, (_, i) in best.items()}
    for i, header in enumerate(table.header):
        prop = column_of(header)[0] if header.strip() else None
        if prop and index.get(i) != prop:
            kept = best[prop][1]
            reason = (
                f"also names {prop}, which is read from column {kept + 1} "
                f"({table.header[kept].strip()!r}); ignored"
            )
            problems.append(Problem(table.source, line, header.strip(), None, reason, True))
    props = set(index.values())
    if not props & {"id", "name"}:
        reason = (
            "has neither a credit code column nor a name column (no header in the first "
            f"{HEADER_SCAN} lines names 企业名称 or 统一社会信用代码 with another register column)"
        )
        problems.append(Problem(table.source, line, None, None, reason))
    if "name" not in props:
        problems.append(Problem(table.source, line, "name", None, "required column is missing"))
    return index


def _unknown_statuses(source: str, seen: dict[str, list[int]], problems: list[Problem]) -> None:
    for text, lines in seen.items():
        where = ", ".join(map(str, lines[:10])) + (", …" if len(lines) > 10 else "")
        noun = "line" if len(lines) == 1 else "lines"
        reason = f"is not a registered status zonegraph knows ({noun} {where}); status unchanged"
        problems.append(Problem(source, lines[0], "status", text, reason, warning=True))


def parse_register(table: RawTable, problems: list[Problem]) -> Register:
    """Map a register's header and read its rows; problems (and warnings) are appended.

    A row without a name is a problem; a status or founding date that cannot be read is a
    warning (and not kept); an organizer's field is parsed as the contract parses it.
    """
    line = table.header_line if isinstance(table, RegisterTable) else 1
    index = _map_header(table, line, problems)
    units = {prop: column_of(table.header[i])[2] for i, prop in index.items()}
    organizer: dict[str, Prop] = {
        c.name: dataclasses.replace(c, default=None) for c in ENTERPRISES.columns
    }
    unknown: dict[str, list[int]] = {}
    rows: list[RegisterRow] = []
    for number, cells in table.rows:
        texts = {prop: (cells[i] if i < len(cells) else "").strip() for i, prop in index.items()}
        code = credit_code.normalise(texts.get("id", "")) or None
        row = RegisterRow(table.source, number, code, texts.get("name") or None)
        if row.name is None and "name" in texts:  # a missing column is said once, above
            problems.append(Problem(table.source, number, "name", None, "is required"))
        for prop, text in texts.items():
            if not text or prop in ("id", "name"):
                continue
            if prop == "status":
                found = registered_status(text)
                if found is None:
                    unknown.setdefault(text, []).append(number)
                else:
                    row.status, row.kind = found
                if text.lower() not in ("operating", "closed"):
                    row.facts["reg_status"] = text
            elif prop == "founded":
                date = iso_date(text)
                if date is None:
                    reason = "is not a date (such as 2015-03-04); not kept"
                    problems.append(Problem(table.source, number, prop, text, reason, True))
                else:
                    row.facts[prop] = date
            elif prop == "capital":
                bare = _NUMBER.fullmatch(unicodedata.normalize("NFKC", text))
                row.facts[prop] = text + units[prop] if bare and units[prop] else text
            elif prop in REGISTER_FACTS:
                row.facts[prop] = text
            else:
                try:
                    value = parse_cell(organizer[prop], text)
                except CellError as exc:
                    problems.append(Problem(table.source, number, prop, text, str(exc)))
                    continue
                if value is not None:
                    row.fields[prop] = value
        rows.append(row)
    _unknown_statuses(table.source, unknown, problems)
    return Register(rows, set(index.values()))
