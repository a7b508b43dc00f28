"""Reconciling the ledger (台账) with a market-regulation register, as organizers do each quarter.

A register lists firms by unified social credit code (统一社会信用代码, the contract's ``id``)
and name, with their status (在营 / 注销 …) and whichever other enterprise columns it has.
:func:`reconcile` compares it with a zone and reports, one row per change, which firms are
new, closed, reopened or changed, which it matched by name only, and which operating firms it
does not list at all ("missing", for a survey to check). It also returns the zone with the
register applied, so deregistered "zombie" firms drop out of the coverage queries (closed firms
stay in the graph) and new ones are picked up.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_model.changes import ChangeSet, Origin
from graph_model.errors import Problem, ValidationFailed
from graph_model.mapping import Row, Zone, label_of_ids
from graph_model.schema import NOUNS, TABLE, TableSpec
from loaders.readers import (
    RawTable,
    cell_text,
    decode,
    open_workbook,
    read_csv_text,
    read_sheet,
)
from loaders.validate import Located, parse_table

ENTERPRISES: TableSpec = TABLE["enterprises"]

#: The enterprises contract as a register reads it: the same columns and header aliases, but an
#: id may be empty (the firm is then matched by name) and an empty cell stays empty (not known)
#: instead of taking the column's default, so it never overwrites a stored value.
REGISTER: TableSpec = dataclasses.replace(
    ENTERPRISES,
    columns=tuple(
        dataclasses.replace(c, default=None, required=c.required and c.name != "id")
        for c in ENTERPRISES.columns
    ),
)

#: The columns of :attr:`Reconciliation.rows`.
COLUMNS: tuple[str, ...] = ("change", "id", "name", "field", "before", "after")

OPERATING, CLOSED = "operating", "closed"


@dataclass(frozen=True)
class Reconciliation:
    """What a register changes: the report, and the zone with the register applied."""

    #: One row per change, with the keys :data:`COLUMNS`, sorted by change, id and field.
    rows: list[dict[str, object]]
    #: A new zone with new, closed, reopened and changed firms applied (what ``--apply`` writes).
    zone: Zone
    #: Register columns that are not contract columns, and the like (they were ignored).
    warnings: list[Problem] = field(default_factory=list)
    #: The same changes as upserts of the enterprises table, each located at its register
    #: line: what ``--apply`` hands to ``Store.apply``.
    changes: ChangeSet = field(default_factory=ChangeSet)


def read_register(path: Path) -> RawTable:
    """Read a register file into a raw enterprises table.

    A ``.csv`` file may be UTF-8 (with or without BOM) or GB18030/GBK; an ``.xlsx`` workbook is
    read from its sheet named like the enterprises table (``enterprises``, ``企业``), else from
    its first sheet. The header is mapped with the enterprises contract when the register is
    parsed (:func:`reconcile`), so any alias of a column (统一社会信用代码 for ``id``) will do.

    Raises
    ------
    ValidationFailed
        When the file does not exist, is of another kind, or cannot be decoded or opened.
    """
    if not path.is_file():
        reason = "does not exist" if not path.exists() else "is not a file"
        raise ValidationFailed([Problem(str(path), None, None, None, reason)])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_text(decode(path.read_bytes(), path.name), ENTERPRISES, path.name)
    if suffix == ".xlsx":
        return _read_register_sheet(path)
    raise ValidationFailed(
        [Problem(path.name, None, None, None, "is neither a .csv file nor an .xlsx workbook")]
    )


def _read_register_sheet(path: Path) -> RawTable:
    wb = open_workbook(path)
    try:
        names = {ENTERPRISES.name, *ENTERPRISES.aliases}
        sheets = list(wb.worksheets)
        if not sheets:
            raise ValidationFailed([Problem(path.name, None, None, None, "has no sheet")])
        sheet = next((s for s in sheets if s.title.strip().lower() in names), sheets[0])
        return read_sheet(sheet, ENTERPRISES, f"{path.name}[{sheet.title}]")
    finally:
        wb.close()


def _text(value: Any) -> str | None:
    return None if value is None else cell_text(value)


def _row(
    change: str, ident: str, name: object, col: str | None, before: Any, after: Any
) -> dict[str, object]:
    return dict(zip(COLUMNS, (change, ident, name, col, _text(before), _text(after)), strict=True))


def _sort_key(row: dict[str, object]) -> tuple[str, str, str]:
    return (str(row["change"]), str(row["id"]), str(row["field"] or ""))


def reconcile(register: RawTable, zone: Zone) -> Reconciliation:
    """Compare a market-regulation register with a zone's firms, and apply it to a copy.

    Register rows are matched to stored firms by ``id``; a row whose id is empty or unknown
    but whose name equals exactly one stored firm's name matches that firm (reported as
    ``matched_by_name``; the stored id is kept, as other tables refer to it). An empty
    register cell means "not known" and never overwrites a stored value.

    Parameters
    ----------
    register
        The register as read (:func:`read_register`): an ``id`` column (or any alias, such as
        统一社会信用代码), a ``name`` column (required), optionally ``status`` and any other
        enterprise column. Its ``spec`` is ignored: it is always read as an enterprises table.
    zone
        The zone to reconcile with: at least its enterprises (the CLI reads only those);
        other tables, when given, let a new firm's id be checked against theirs. It is not
        modified.

    Returns
    -------
    Reconciliation
        ``rows``: one dict per change with the keys ``change``, ``id``, ``name``, ``field``,
        ``before``, ``after`` (``before`` and ``after`` are text or None), sorted by change,
        id and field. ``id`` and ``name`` are the stored firm's (the register's for a new
        firm). The changes are:

        * ``new``: a register firm not in the zone (``after`` is its name); it is added with
          the register's columns, status operating unless the register says otherwise;
        * ``closed`` / ``reopened``: the register's status differs from the stored one
          (``field`` is ``status``); the firm's status is set (a closed firm stays in the
          graph and drops out of coverage queries);
        * ``changed``: one row per other register column whose non-empty value differs from
          the stored one; the value is set;
        * ``matched_by_name``: ``field`` is ``id``, ``before`` the stored id, ``after`` the
          register's id (None when empty); nothing is applied for it;
        * ``missing``: an operating stored firm the register does not list; informational
          only (a survey should check it), nothing is applied.

        ``zone``: a new zone with the changes applied. ``changes``: the same changes as a
        change set of enterprise upserts. ``warnings``: ignored register columns.

    Raises
    ------
    ValidationFailed
        With every problem found: cells not of their column's type, a missing ``name``
        column or name, duplicate ids, a row matching the same firm as an earlier row, a new
        firm without an id (or whose id another kind of node in ``zone`` uses).
    """
    problems: list[Problem] = []
    raw = RawTable(REGISTER, register.source, register.header, register.rows)
    parsed = parse_table(raw, problems)
    if not {"id", "name"} & parsed.columns:
        problems.append(
            Problem(raw.source, 1, None, None, "has neither an id column nor a name column")
        )
    columns = [c.name for c in REGISTER.columns if c.name in parsed.columns]

    stored = zone.rows("enterprises")
    by_id: dict[str, Row] = {r["id"]: r for r in stored}
    by_name: dict[str, list[Row]] = {}
    for r in stored:
        by_name.setdefault(r.get("name") or "", []).append(r)
    other_ids = {i: label for i, label in label_of_ids(zone).items() if label != "Enterprise"}

    # First by id, then the rest by name among the firms no row named by id.
    first_line: dict[str, int | None] = {}
    unique: list[Located] = []
    for loc in parsed.rows:
        ident: str | None = loc.row.get("id")
        if ident is not None and ident in first_line:
            problems.append(
                Problem(
                    loc.source,
                    loc.line,
                    "id",
                    ident,
                    f"duplicate id (first on line {first_line[ident]})",
                )
            )
            continue
        if ident is not None:
            first_line[ident] = loc.line
        unique.append(loc)
    claimed: dict[str, int | None] = {
        ident: line for ident, line in first_line.items() if ident in by_id
    }
    matches: list[tuple[Located, Row]] = []
    new: list[Located] = []
    for loc in unique:
        ident = loc.row.get("id")
        name: str | None = loc.row.get("name")
        if ident is not None and ident in by_id:
            matches.append((loc, by_id[ident]))
            continue
        if name is None:
            continue  # a missing name is already reported
        candidates = [r for r in by_name.get(name, []) if r["id"] not in first_line]
        if len(candidates) == 1:
            target = candidates[0]
            if target["id"] in claimed:
                problems.append(
                    Problem(
                        loc.source,
                        loc.line,
                        "name",
                        name,
                        f"matches the stored firm {target['id']} by name, as line "
                        f"{claimed[target['id']]} does",
                    )
                )
            else:
                claimed[target["id"]] = loc.line
                matches.append((loc, target))
        elif ident is None:
            why = f"; {len(candidates)} stored firms have this name" if candidates else ""
            problems.append(
                Problem(loc.source, loc.line, "id", None, f"is required for a new firm{why}")
            )
        elif ident in other_ids:
            noun = NOUNS[other_ids[ident]]
            article = "an" if noun[0] in "aeiou" else "a"
            problems.append(
                Problem(
                    loc.source, loc.line, "id", ident, f"id is already used by {article} {noun}"
                )
            )
        else:
            new.append(loc)

    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationFailed(errors)

    result = Zone(
        {table: [dict(r) for r in table_rows] for table, table_rows in zone.tables.items()}
    )
    copies: dict[str, Row] = {r["id"]: r for r in result.rows("enterprises")}
    rows: list[dict[str, object]] = []
    changes = ChangeSet()
    for loc, target in matches:
        ident = target["id"]
        copy = copies[ident]
        shown = target.get("name")
        was = dict(copy)
        if loc.row.get("id") != ident:
            rows.append(_row("matched_by_name", ident, shown, "id", ident, loc.row.get("id")))
        for col in columns:
            value = loc.row.get(col)
            if col == "id" or value is None:
                continue
            before = target.get(col)
            if col == "status":
                before = before or OPERATING
                if value != before:
                    change = "closed" if value == CLOSED else "reopened"
                    rows.append(_row(change, ident, shown, col, before, value))
                    copy[col] = value
            elif value != before:
                rows.append(_row("changed", ident, shown, col, before, value))
                copy[col] = value
        changed = {k: v for k, v in copy.items() if v != was.get(k)}
        if changed:
            changes.upsert("enterprises", {"id": ident, **changed}, Origin(loc.source, loc.line))
    for loc in new:
        firm: Row = {
            c.name: c.default if loc.row.get(c.name) is None else loc.row[c.name]
            for c in ENTERPRISES.columns
        }
        result.rows("enterprises").append(firm)
        changes.upsert("enterprises", firm, Origin(loc.source, loc.line))
        rows.append(_row("new", firm["id"], firm["name"], None, None, firm["name"]))
    for r in stored:
        if r["id"] not in claimed and (r.get("status") or OPERATING) == OPERATING:
            rows.append(_row("missing", r["id"], r.get("name"), None, None, None))
    rows.sort(key=_sort_key)

    return Reconciliation(rows, result, [p for p in problems if p.warning], changes)
