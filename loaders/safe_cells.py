"""Cells a spreadsheet will not run: the one rule every CSV and XLSX we write follows.

A spreadsheet runs a cell as a formula when its text starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return (CSV injection: a firm named ``=HYPERLINK("http://x","click")`` or
``+cmd|' /C calc'!A0`` would become a link or a command in the organizer's Excel). A plain
number such as ``-3`` or ``+1.5`` is read as a number and stays as it is.

* **CSV** (:func:`neutralise`): such text is written with a leading apostrophe,
  ``'=HYPERLINK(…)`` (OWASP's defence against CSV injection: the spreadsheet shows text). So
  that our own loaders read back exactly what was written, text that already starts with
  apostrophes before one of those characters (``'=x``) gets one more (``''=x``), and every
  reader removes exactly one (:func:`restore`): ``zonegraph export`` → ``zonegraph load``
  gives the same zone. A cell holding a line break, a lone carriage return included, is
  quoted, so a spreadsheet never starts a new row (and a new, unneutralised cell) inside it.
* **XLSX** (:func:`put`): text is always a text cell, never a formula, and text that would
  run carries the cell style's quote prefix (Excel's own ``'``, not part of the value), so
  editing the cell in Excel keeps it text. The value is the exact text; only the rare text
  that starts with apostrophes before a formula character gets the one apostrophe the readers
  remove (so a CSV of ours that a spreadsheet saved as a workbook, apostrophes kept, loads
  right too).
  Characters XML cannot hold (control characters, a lone carriage return, which XML would
  read back as a line feed) are written as OOXML's ``_xHHHH_`` escapes, as Excel writes them,
  and a literal ``_xHHHH_`` in the text as ``_x005F_xHHHH_``.

The readers (:mod:`loaders.csv_text`, :mod:`loaders.xlsx`) call :func:`restore` on every text
cell, so a file from another tool that neutralises the same way loads right too.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMULA_STARTS", "neutralise", "put", "restore", "runs_as_formula", "xlsx_text"]

#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: Text a reader takes one apostrophe off: apostrophes, then a formula character.
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
#: What XML 1.0 cannot hold in text, and a carriage return (XML reads it back as a line feed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (a plain number it reads as one)."""
    return text.startswith(FORMULA_STARTS) and _PLAIN_NUMBER.fullmatch(text) is None


def neutralise(text: str) -> str:
    """The text as a CSV cell a spreadsheet will not run: a leading ``'`` where needed.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("-3"), neutralise("Alpha"), neutralise("'=x")
    ('-3', 'Alpha', "''=x")
    """
    if runs_as_formula(text) or _QUOTED.match(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """A cell's text as it was before :func:`neutralise` (or :func:`xlsx_text`) wrote it.

    Examples
    --------
    >>> restore("'=x"), restore("''=x"), restore("'plain"), restore("-3")
    ('=x', "'=x", "'plain", '-3')
    """
    return text[1:] if _QUOTED.match(text) else text


def xlsx_text(text: str) -> str:
    """The text as an XLSX text cell holds it (see the module's docs), read back by
    :func:`restore` after the ``_xHHHH_`` escapes are decoded."""
    if _QUOTED.match(text):
        text = "'" + text
    if "_x" in text:
        text = _LITERAL_ESCAPE.sub("_x005F_", text)
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write ``value`` into an openpyxl sheet's cell as data, never as a formula; the cell.

    Text goes in as a text cell (:func:`xlsx_text`), with the quote prefix when a spreadsheet
    would run it; numbers, booleans, dates and ``None`` as themselves.
    """
    cell = sheet.cell(row=row, column=column)
    if not isinstance(value, str):
        cell.value = value
        return cell
    cell.value = xlsx_text(value)
    # openpyxl makes any text starting with "=" a formula; a text cell it stays.
    cell.data_type = "s"
    if runs_as_formula(value):
        cell.quotePrefix = True
    return cell
