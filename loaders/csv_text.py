"""CSV text: decoding the bytes, and parsing them into a raw table, cell by cell with its line.

CSV text may be UTF-8 (with or without BOM), GB18030/GBK as Chinese Excel saves it, or UTF-16
with a BOM (Excel's "Unicode text"); a file whose header line has tabs and no commas is read
tab-separated. What would lose or change data is refused, located (see :mod:`loaders.readers`):
a quoted cell never closed (named at the line it opens), text after a closing quote, a row
with fewer cells than the header or with values beyond it, a value under a blank header
cell, text that :func:`loaders.raw.check_text` refuses, and bytes in no accepted encoding or
in two of them. A cell that starts with apostrophes before ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return loses one apostrophe: the one our writers add so that a spreadsheet does not
run the cell (:mod:`loaders.safe_cells`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import TableSpec
from loaders.raw import RawTable, check_text, header_width, raise_errors, shown
from loaders.safe_cells import restore

ENCODINGS = ("utf-8-sig", "gb18030")

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


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
    # Chinese written in UTF-8 on an earlier line, then bytes that are not UTF-8: a GBK part
    # appended to a UTF-8 file. (GBK bytes can happen to be valid UTF-8 for a character or
    # two — 统 is 0xCD 0xB3, UTF-8 for a Greek letter — so only Chinese counts.)
    earlier = data[:start]
    if (
        first is not None
        and _byte_line(data, first.start()) < line
        and _CHINESE.search(earlier.decode("utf-8", errors="ignore"))
    ):
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
    lose data is noted on the record for the caller to refuse. A cell's one leading
    apostrophe before a formula character, which our writers add, is taken off
    (:func:`loaders.safe_cells.restore`).
    """
    for record in _parsed_records(text, delimiter):
        record.cells = [restore(cell) for cell in record.cells]
        yield record


def _parsed_records(text: str, delimiter: str) -> Iterator[_Record]:
    """The records of :func:`_records` as the file holds them."""
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
                shown(extra),
                f"text follows the closing quote{where}; a quote inside a quoted cell is "
                'written twice ("")',
            )
        )
    for index, (text, line) in enumerate(zip(record.cells, record.lines, strict=True)):
        if record.unclosed is None or index != record.unclosed[0]:
            check_text(text, source, line, label(index), problems)


def _spans_note(record: _Record) -> str:
    if not record.spans:
        return ""
    runs = ", ".join(f"{a}–{b}" for _, a, b in record.spans)
    return f" (a quoted cell runs across lines {runs}: is a quote missing or extra?)"


def read_csv_rows(text: str, spec: TableSpec, source: str, problems: list[Problem]) -> RawTable:
    """Parse CSV text into a raw table, appending every problem to ``problems``."""
    table: RawTable | None = None
    header: list[str] = []
    width = 0
    for record in _records(text, _delimiter(text)):
        if table is None:
            header = record.cells
            width = header_width(header)
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
                    shown(cells[beyond]),
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
                        shown(cells[i]),
                        "is a value under a blank header cell; name the column in the header "
                        "or clear the cell",
                    )
                )
        table.rows.append((record.line, cells[:width]))
    return table or RawTable(spec, source, [])


def read_csv_text(text: str, spec: TableSpec, source: str) -> RawTable:
    """Parse CSV text; blank rows are skipped, line numbers are the file's physical lines.

    Raises
    ------
    ValidationFailed
        With every problem that would lose data (see the module's docs), each located.
    """
    problems: list[Problem] = []
    table = read_csv_rows(text, spec, source, problems)
    raise_errors(problems)
    return table
