"""Ledger mappings: how a ledger's columns were read, as a JSON file a person edits and gives
back (``zonegraph load LEDGER --write-mapping M.json``, then ``--mapping M.json``).

A mapping holds the sheet, the header's line and each header cell (as written) → a ledger
field, or null for a column to ignore. A column is never dropped without being listed: the
written mapping names every header cell, and those no field's wording matched are listed as
``unrecognised``. A mapping file that cannot be used is refused with every problem located
by its own line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph_model.errors import Problem, ValidationFailed
from loaders.csv_text import decode
from loaders.ledger_fields import FIELDS, UNREAD_FIELDS, field_of, header_text
from loaders.ledger_read import Ledger, LedgerMapping
from loaders.raw import raise_errors


def _refusal(name: str, reason: str, line: int | None = None) -> ValidationFailed:
    return ValidationFailed([Problem(name, line, None, None, reason)])


def mapping_of(ledger: Ledger) -> dict[str, Any]:
    """The ledger's reading as a JSON-able mapping, for a person to check, edit and give back
    (:func:`load_mapping`): ``{"sheet", "header_line", "columns", "unrecognised"}``."""
    unrecognised = [h for h, f in ledger.columns.items() if f is None and field_of(h) is None]
    return {
        "sheet": ledger.sheet,
        "header_line": ledger.header_line,
        "columns": dict(ledger.columns),
        "unrecognised": unrecognised,
    }


def _members(text: str, pos: int) -> list[tuple[str, Any, int, int]]:
    """The members of the (valid) JSON object at ``pos``: key, value, the key's line, and
    where the value starts (the json module keeps no positions; problems need lines)."""
    decoder, out = json.JSONDecoder(), []

    def skip(at: int) -> int:
        return len(text) - len(text[at:].lstrip(" \t\r\n"))

    pos = skip(pos + 1)
    while text[pos] != "}":
        key, end = decoder.raw_decode(text, pos)
        start = skip(skip(end) + 1)
        value, end = decoder.raw_decode(text, start)
        out.append((key, value, text.count("\n", 0, pos) + 1, start))
        pos = skip(end)
        pos = skip(pos + 1) if text[pos] == "," else pos
    return out


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _mapped_columns(
    text: str, at: int, name: str, problems: list[Problem]
) -> dict[str, str | None]:
    """A mapping's ``columns``, each entry refused a problem on its line."""
    columns: dict[str, str | None] = {}
    lines: dict[str, int] = {}
    first: dict[str, tuple[str, int]] = {}
    for key, value, line, _ in _members(text, at):
        head = header_text(key)
        if head in lines:
            reason = f"appears twice in columns (first on line {lines[head]})"
        elif value is not None and not isinstance(value, str):
            reason = "must be a field's name, or null to ignore the column"
        elif value is not None and value not in FIELDS:
            reason = f"is not a ledger field (the fields are {', '.join(FIELDS)}; null ignores one)"
        elif value in first and value not in UNREAD_FIELDS:
            other, at_line = first[value]
            reason = f"is the field of {other!r} too (line {at_line}); a field takes one column"
        else:
            reason = ""
            columns[head] = value
            if value is not None:
                first.setdefault(value, (head, line))
        lines.setdefault(head, line)
        if reason:
            problems.append(Problem(name, line, head, _shown(value), reason))
    return columns


def _never(value: Any) -> bool:
    return False


#: A mapping's keys, what each must be, and the reason when it is not.
_KEYS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "sheet": (lambda v: v is None or isinstance(v, str), "must be the sheet's name, or null"),
    "header_line": (
        lambda v: type(v) is int and v >= 1,
        "must be the header's line number (a whole number from 1)",
    ),
    "columns": (lambda v: isinstance(v, dict), "must be an object: each header → a field or null"),
    "unrecognised": (lambda v: True, ""),
}


def load_mapping(path: Path) -> LedgerMapping:
    """The mapping a JSON file holds (as :func:`mapping_of` writes it, perhaps edited).

    Raises
    ------
    ValidationFailed
        With every problem, located by the file's line: not JSON, a key or value of the wrong
        kind, an unknown field, a field given to two columns, no column for the name.
    """
    try:
        text = decode(path.read_bytes(), path.name)
    except OSError as exc:
        raise _refusal(path.name, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refusal(
            path.name, f"is not valid JSON ({exc.msg} at column {exc.colno})", exc.lineno
        ) from None
    if not isinstance(whole, dict):
        shape = '{"sheet": …, "header_line": …, "columns": {…}}'
        raise _refusal(path.name, f"must hold one JSON object: {shape}", 1)
    problems: list[Problem] = []
    given: dict[str, tuple[Any, int, int]] = {}
    seen: dict[str, int] = {}
    for key, value, line, at in _members(text, len(text) - len(text.lstrip())):
        check, why = _KEYS.get(key, (_never, "is not a mapping key (sheet, header_line, columns)"))
        if key in seen:
            why = f"appears twice (first on line {seen[key]})"
        elif check(value):
            given[key] = (value, line, at)
        seen.setdefault(key, line)
        if key not in given or given[key][1] != line:
            problems.append(Problem(path.name, line, key, _shown(value), why))
    columns: dict[str, str | None] = {}
    if "columns" in given:
        _, line, at = given["columns"]
        columns = _mapped_columns(text, at, path.name, problems)
        if "name" not in columns.values():
            reason = "gives no column the field name (the enterprise's name); a ledger has one"
            problems.append(Problem(path.name, line, "columns", None, reason))
    for key in ("header_line", "columns"):
        if key not in seen:
            problems.append(
                Problem(path.name, 1, None, None, f"has no {key!r}; a mapping gives it")
            )
    raise_errors(problems)
    sheet, header_line = given.get("sheet", (None,))[0], given["header_line"][0]
    return LedgerMapping(sheet, header_line, columns)
