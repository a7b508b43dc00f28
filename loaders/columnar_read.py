"""The fast way in for big CSV folders: each file read by pyarrow into typed columns.

This is a *gate*, not a second set of rules. It accepts a folder only when it can tell that
the row path (:mod:`loaders.readers`, :mod:`loaders.validate`) would accept it and produce
exactly these values; for anything else it answers ``None`` and the caller reads the folder
the row path's way, which then accepts it or refuses it with every problem located. So the
two paths always agree, and the rules and their messages live in one place.

What makes a file go the row path's way: an encoding other than UTF-8 (a UTF-8 byte order
mark is fine), a quoted cell that runs across lines, is never closed or has text after its
closing quote (which only the row parser locates line by line), a quoted header, a row of
another width than the header, a blank header cell, and any problem at all (a header
problem, a cell that does not parse, a missing required value).

What is read columnar: header spellings (aliases, Chinese names) through the row path's own
header mapping; cells with surrounding whitespace or our writers' leading apostrophe, and
every cell of a choice, yes/no or number column that is not a plain number, through the row
path's own cell functions, once per distinct text (so ``在营``, ``是`` or ``１２`` cost nothing
at scale).
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from graph_model.arrow_zone import ARROW_TYPES
from graph_model.errors import Problem
from graph_model.progress import Progress, rows_done
from graph_model.schema import TABLES, Prop, PropType, TableSpec
from loaders.cells import CellError, parse_cell
from loaders.raw import MAX_CELL_CHARS, RawTable, check_text
from loaders.readers import TABLE_SUFFIXES, ignored_entry, spec_for
from loaders.safe_cells import restore
from loaders.validate import map_header

#: Cells of one block fixed one by one in Python (whitespace, apostrophes) before a file goes
#: the row path's way instead: a file full of them is not what the fast path is for.
MAX_ODD_CELLS = 200_000
#: Distinct texts of a column parsed one by one (choice words, full-width digits ...).
MAX_DISTINCT = 200_000
#: Bytes read at a time: by the first pass over a file, and by pyarrow's parser.
SCAN_BLOCK = 16 << 20
READ_BLOCK = 8 << 20

_PLAIN = {
    # Texts whose value pyarrow's cast gives exactly as the row path's parse does; the rest
    # of a number column goes through parse_cell.
    PropType.INT: r"^-?[0-9]{1,18}$",
    PropType.FLOAT: r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$",
}


class Unsure(Exception):
    """The fast path cannot vouch for this input: read it the row path's way."""


@cache
def _odd_pattern() -> str:
    """Cells the row path changes before parsing: Python whitespace at either end (what
    ``str.strip`` takes off), or an apostrophe our writers put before a formula character."""
    space = "".join(f"\\x{{{c:x}}}" for c in range(sys.maxunicode + 1) if chr(c).isspace())
    return f"^'+[=+\\-@\\t\\r]|^[{space}]|[{space}]$"


@dataclass
class _Scan:
    """What a first pass over a file's bytes found (see :func:`_scan`)."""

    header: bytes
    #: Which of :data:`_SUSPECTS` the file holds.
    found: frozenset[int]
    lines: int


#: Bytes a first pass looks for: a quote and a NUL (left to the row path), the lead byte of a
#: byte order mark, and those of the whitespace characters a cell may need trimmed of
#: (ASCII ones, U+0085, U+00A0, U+1680, U+2000…U+205F, U+3000), and an apostrophe.
_SUSPECTS = bytes([0x22, 0x00, 0xEF, 0x09, 0x20, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x27])
_SUSPECTS += bytes([0xC2, 0xE1, 0xE2, 0xE3])
_OTHERS = bytes(b for b in range(256) if b not in _SUSPECTS)


def _scan(path: Path) -> _Scan:
    """A first pass over the bytes, a block at a time: refuses what the fast path leaves to
    the row path (UTF-16, quotes, a NUL, a byte order mark past the start), notes which
    suspect bytes occur and counts lines."""
    found: set[int] = set()
    header: bytes | None = None
    lines = [0, 0]
    tail = b""
    with path.open("rb") as fh:
        first = True
        while block := fh.read(SCAN_BLOCK):
            if first:
                if block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    raise Unsure("UTF-16")
                block = block.removeprefix(codecs.BOM_UTF8)
                first = False
            seen = block.translate(None, _OTHERS)  # the suspect bytes only: usually few
            here = {b for b in _SUSPECTS if b in seen}
            if 0x00 in here:
                raise Unsure("a NUL")
            if 0xEF in here or tail.endswith(b"\xef") or tail.endswith(b"\xef\xbb"):
                if codecs.BOM_UTF8 in tail + block[:2] or codecs.BOM_UTF8 in block:
                    raise Unsure("a byte order mark inside")
            found |= here
            if header is None:
                ends = [i for i in (block.find(b"\n"), block.find(b"\r")) if i >= 0]
                header = block[: min(ends)] if ends else None
            lines[0] += block.count(b"\n")
            lines[1] += block.count(b"\r")
            tail = block[-2:]
    if header is None:
        raise Unsure("no line break within the first block")
    return _Scan(header, frozenset(found), max(lines) - 1)


#: A quoted cell as the row parser reads it: quotes doubled inside, on one line.
_QUOTED = re.compile(rb'"(?:[^"\r\n]|"")*"')


def _check_quotes(path: Path, delimiter: str) -> None:
    """Raise :class:`Unsure` unless every quoted cell is one the row parser reads as pyarrow
    does: closed on its own line, and followed by the delimiter or the line's end (a quote
    inside an unquoted cell is text to both). Cells running across lines, text after a
    closing quote and unclosed quotes are the row parser's to read or to locate."""
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    ends = (ord(delimiter), 0x0A, 0x0D)
    pos = data.find(b'"')
    while pos >= 0:
        if pos == 0 or data[pos - 1] in ends:
            cell = _QUOTED.match(data, pos)
            if cell is None or (cell.end() < len(data) and data[cell.end()] not in ends):
                raise Unsure("a quoted cell the row parser must read")
            pos = cell.end()
        else:
            pos += 1
        pos = data.find(b'"', pos)


def _plain_bytes(found: frozenset[int], delimiter: str) -> bool:
    """Whether no cell of the file can need trimming or an apostrophe taken off, told from
    the suspect bytes it holds (so clean files skip the per-cell test)."""
    allowed = {0xEF} | ({0x09} if delimiter == "\t" else set())
    return not (found - allowed)


def _column_text(col: pa.ChunkedArray, plain: bool) -> pa.Array:
    """A raw text column as the row path's parser would hand it on: restored, stripped.
    ``plain``: the file's bytes show no cell needs either (:func:`_plain_bytes`)."""
    text = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if len(text) == 0:
        return text
    # Bytes bound characters: only a cell of that many bytes can be too long.
    if (pc.max(pc.binary_length(text)).as_py() or 0) > MAX_CELL_CHARS:
        if (pc.max(pc.utf8_length(text)).as_py() or 0) > MAX_CELL_CHARS:
            raise Unsure("a cell over the length limit")
    if plain:
        return text
    odd = pc.match_substring_regex(text, _odd_pattern())
    count = pc.sum(odd).as_py() or 0
    if count == 0:
        return text
    if count > MAX_ODD_CELLS:
        raise Unsure("too many cells to trim")
    fixed = [restore(t).strip() for t in pc.filter(text, odd).to_pylist()]
    return pc.replace_with_mask(text, odd, pa.array(fixed, pa.string()))


def _distinct_values(prop: Prop, texts: pa.Array) -> pa.Array:
    """Each text parsed by the row path's own :func:`parse_cell`, once per distinct text."""
    distinct = pc.unique(texts)
    if len(distinct) > MAX_DISTINCT:
        raise Unsure("too many distinct texts to parse")
    try:
        values = [parse_cell(prop, t) for t in distinct.to_pylist()]
    except CellError as exc:
        raise Unsure("a cell that does not parse") from exc
    parsed = pa.array(values, ARROW_TYPES[prop.type])
    return pc.take(parsed, pc.index_in(texts, value_set=distinct))


def _typed(prop: Prop, text: pa.Array) -> pa.Array:
    """A column's values as the row path parses them (empty cells: the column's default)."""
    kind = ARROW_TYPES[prop.type]
    empty = pc.equal(text, "")
    if prop.type is PropType.STRING and not prop.choices:
        out = pc.if_else(empty, pa.scalar(None, pa.string()), text)
    else:
        out = pa.nulls(len(text), kind)
        rest = pc.invert(empty)
        pattern = _PLAIN.get(prop.type)
        if pattern is not None:
            plain = pc.match_substring_regex(text, pattern)
            if pc.any(plain).as_py():
                cast = pc.cast(pc.filter(text, plain), kind)
                _check_range(prop, cast)
                out = pc.replace_with_mask(out, plain, cast)
            rest = pc.and_(rest, pc.invert(plain))
        if pc.any(rest).as_py():
            out = pc.replace_with_mask(out, rest, _distinct_values(prop, pc.filter(text, rest)))
    if prop.default is not None:
        out = pc.fill_null(out, pa.scalar(prop.default, kind))
    if prop.required and out.null_count:
        raise Unsure("a required value is missing")
    return out


def _check_range(prop: Prop, values: pa.Array) -> None:
    if not len(values):
        return
    bounds = pc.min_max(values)
    lo, hi = bounds["min"].as_py(), bounds["max"].as_py()
    if (prop.minimum is not None and lo < prop.minimum) or (
        prop.maximum is not None and hi > prop.maximum
    ):
        raise Unsure("a number out of range")


def _header(data: bytes, name: str) -> tuple[list[str], str]:
    """The header cells (restored, as the row parser gives them) and the delimiter."""
    try:
        line = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unsure("a header that is not UTF-8") from exc
    if '"' in line:
        raise Unsure("a quoted header")
    delimiter = "\t" if "\t" in line and "," not in line else ","
    cells = [restore(c) for c in line.split(delimiter)]
    problems: list[Problem] = []
    for i, cell in enumerate(cells):
        check_text(cell, name, 1, f"column {i + 1}", problems)
    if problems or not all(c.strip() for c in cells):
        raise Unsure("a header the row path must judge")
    return cells, delimiter


def _read_file(
    path: Path, spec: TableSpec, warnings: list[Problem], progress: Progress
) -> pa.Table:
    """One contract CSV file as a typed table of the spec's columns, a block at a time (each
    block typed as it comes, so the file's text is never all in memory at once)."""
    scan = _scan(path)
    header, delimiter = _header(scan.header, path.name)
    quoted = 0x22 in scan.found
    if quoted:
        _check_quotes(path, delimiter)
    plain = _plain_bytes(scan.found - {0x22}, delimiter)
    problems: list[Problem] = []
    index = map_header(RawTable(spec, path.name, header), problems, keys_only=False)
    if any(not p.warning for p in problems):
        raise Unsure("a header problem")
    if any(prop.required and prop.name not in index.values() for prop in spec.columns):
        raise Unsure("a required column is missing")
    names = [f"c{i}" for i in range(len(header))]
    options = pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=READ_BLOCK)
    parse = pacsv.ParseOptions(
        delimiter=delimiter,
        quote_char='"' if quoted else False,
        double_quote=True,
        escape_char=False,
        newlines_in_values=False,
    )
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )
    parts: list[pa.Table] = []
    done = 0
    try:
        with pacsv.open_csv(
            str(path), read_options=options, parse_options=parse, convert_options=convert
        ) as reader:
            for batch in reader:
                parts.append(_typed_batch(spec, index, batch, plain))
                done += batch.num_rows
                rows_done(progress, f"reading {path.name}", done, max(scan.lines, done))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise Unsure(f"pyarrow could not read {path.name}") from exc
    warnings.extend(problems)
    return pa.concat_tables(parts) if parts else empty_table(spec)


def _typed_batch(
    spec: TableSpec, index: dict[int, str], batch: pa.RecordBatch, plain: bool
) -> pa.Table:
    """One block of rows as typed columns; blank rows left out, as the row path does."""
    texts = [_column_text(batch.column(i), plain) for i in range(batch.num_columns)]
    blank = None
    for text in texts:
        empty = pc.equal(text, "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():
        keep = pc.invert(blank)
        texts = [pc.filter(t, keep) for t in texts]
    rows = len(texts[0]) if texts else 0
    columns: dict[str, pa.Array] = {}
    by_name = {name: i for i, name in index.items()}
    for prop in spec.columns:
        kind = ARROW_TYPES[prop.type]
        if prop.name in by_name:
            columns[prop.name] = _typed(prop, texts[by_name[prop.name]])
        else:
            columns[prop.name] = pa.repeat(pa.scalar(prop.default, kind), rows)
    return pa.table(columns)


def empty_table(spec: TableSpec) -> pa.Table:
    """A table of the spec's columns and no rows."""
    return pa.table(
        {c.name: pa.array([], ARROW_TYPES[c.type]) for c in spec.columns},
    )


def read_folder_columnar(
    folder: Path,
    *,
    required: tuple[str, ...] | None,
    warnings: list[Problem],
    progress: Progress,
) -> dict[str, pa.Table] | None:
    """Every contract table of ``folder`` as typed columns, or ``None`` when the row path
    must read it (see the module's docs). ``required``: the tables whose file must be there
    (None: every table but the optional ones). Warnings (ignored files, unknown columns) are
    appended to ``warnings`` in the row path's order, only when the folder is read here."""
    try:
        return _read_folder(folder, required, warnings, progress)
    except (Unsure, OSError):
        return None


def _read_folder(
    folder: Path,
    required: tuple[str, ...] | None,
    warnings: list[Problem],
    progress: Progress,
) -> dict[str, pa.Table]:
    if not folder.is_dir():
        raise Unsure("not a folder")
    files: dict[str, Path] = {}
    found: list[Problem] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith((".", "~$")):
            continue
        spec = spec_for(path.stem)
        if spec is None or path.suffix.lower() not in TABLE_SUFFIXES:
            found.append(ignored_entry(path, spec))
        elif path.is_dir() or spec.name in files:
            raise Unsure("a folder or second file for a table")
        else:
            files[spec.name] = path
    needed = [t.name for t in TABLES if not t.optional_file] if required is None else required
    if not files or any(name not in files for name in needed):
        raise Unsure("a required file is missing")
    header_warnings: list[Problem] = []
    out: dict[str, pa.Table] = {}
    for name, path in files.items():  # in the order of the files' names, as the row path
        spec = next(t for t in TABLES if t.name == name)
        out[name] = _read_file(path, spec, header_warnings, progress)
    for spec in TABLES:
        out.setdefault(spec.name, empty_table(spec))
    warnings.extend(found + header_warnings)
    return {t.name: out[t.name] for t in TABLES}
