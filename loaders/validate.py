"""Validation before any write: raw tables → a valid Zone (a full load) or a change set.

Every problem is collected, never just the first: header problems, cells that are not of
their column's type or range, duplicate ids, ids used by two kinds, references to ids
that do not exist or name the wrong kind, and the contract's own rules (a studio gives
work coverage only, an organization cannot report to itself, a firm cannot supply itself).

A full load (``--replace``, or the first load into an empty store) is checked here as a
whole (:func:`validate`) and only a valid :class:`~graph_model.mapping.Zone` comes back. An
upsert becomes a :class:`~graph_model.changes.ChangeSet` (:func:`change_set`), which the
store checks against what it holds (:mod:`graph_model.resolve`) with the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph_model.changes import ChangeSet, Origin
from graph_model.errors import Problem, ValidationFailed
from graph_model.mapping import Zone
from graph_model.progress import EVERY, Progress, quiet, rows_done
from graph_model.schema import NOUNS as LABEL_WORDS
from graph_model.schema import TABLES, WORK_ONLY, PropType, TableSpec, nouns, work_only_reason
from loaders.cells import CellError, parse_cell
from loaders.readers import RawTable


@dataclass
class Located:
    """A typed row and where it came from (``line`` is None for rows already stored)."""

    source: str
    line: int | None
    row: dict[str, Any]


@dataclass
class Parsed:
    """A table after header mapping and cell parsing."""

    spec: TableSpec
    source: str
    columns: set[str]
    rows: list[Located] = field(default_factory=list)


def _norm(header: str) -> str:
    return header.strip().strip("*＊").strip().lower()


def map_header(raw: RawTable, problems: list[Problem], *, keys_only: bool) -> dict[int, str]:
    """Which contract column each header cell names (by index); header problems appended."""
    names = {c.name: c for c in raw.spec.columns}
    lookup: dict[str, str] = {}
    for col in raw.spec.columns:
        for spelling in (col.name, *col.aliases):
            lookup.setdefault(_norm(spelling), col.name)
    index: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, header in enumerate(raw.header):
        if not header.strip():
            continue
        name = lookup.get(_norm(header))
        if name is None:
            problems.append(
                Problem(raw.source, 1, header, None, "is not a contract column; ignored", True)
            )
        elif name in seen:
            problems.append(
                Problem(
                    raw.source,
                    1,
                    name,
                    header,
                    f"column appears twice (columns {seen[name] + 1} and {i + 1})",
                )
            )
        else:
            seen[name] = i
            index[i] = name
    needed = raw.spec.key if keys_only else [c.name for c in names.values() if c.required]
    for col in names.values():
        if col.name in needed and col.name not in seen:
            problems.append(Problem(raw.source, 1, col.name, None, "required column is missing"))
    return index


def parse_table(
    raw: RawTable, problems: list[Problem], *, keys_only: bool = False, progress: Progress = quiet
) -> Parsed:
    """Map headers and parse every cell; problems are appended, bad cells become None.

    Every required column must be in the header, or with ``keys_only`` (an upsert, which
    may set a few columns of stored rows) only the key columns.
    """
    index = map_header(raw, problems, keys_only=keys_only)
    columns = set(index.values())
    parsed = Parsed(raw.spec, raw.source, columns)
    for done, (line, cells) in enumerate(raw.rows, start=1):
        if done % EVERY == 0 or done == len(raw.rows):
            rows_done(progress, f"checking {raw.source}", done, len(raw.rows))
        row: dict[str, Any] = {}
        for i, name in index.items():
            prop = raw.spec.column(name)
            text = cells[i] if i < len(cells) else ""
            merge = raw.fills.get((line, i))
            if merge is not None and prop.type is not PropType.STRING:
                # A shared label (a street) fills down; a shared count would be multiplied.
                reason = (
                    f"is part of the merged cells {merge}; a number or yes/no cannot be "
                    "shared by several rows: unmerge it and give each row its own value"
                )
                problems.append(Problem(raw.source, line, name, text.strip(), reason))
                row[name] = None
                continue
            try:
                value = parse_cell(prop, text)
            except CellError as exc:
                problems.append(Problem(raw.source, line, name, text.strip(), str(exc)))
                value = None
            else:
                if value is None and prop.required:
                    problems.append(Problem(raw.source, line, name, None, "is required"))
            row[name] = value
        for col in raw.spec.columns:
            row.setdefault(col.name, col.default if col.name not in columns else None)
        parsed.rows.append(Located(raw.source, line, row))
    return parsed


def _key(spec: TableSpec, row: dict[str, Any]) -> tuple[Any, ...] | None:
    key = tuple(row.get(k) for k in spec.key)
    return None if any(v is None for v in key) else key


def _merge(spec: TableSpec, incoming: Parsed | None, problems: list[Problem]) -> list[Located]:
    """The rows of one table by key: a node id twice is an error; a link row twice counts once."""
    merged: dict[tuple[Any, ...], Located] = {}
    if incoming is None:
        return []
    first_line: dict[tuple[Any, ...], int | None] = {}
    for loc in incoming.rows:
        key = _key(spec, loc.row)
        if key is None:
            continue  # already reported as a missing required value
        if spec.node and key in first_line:
            problems.append(
                Problem(
                    loc.source,
                    loc.line,
                    "id",
                    str(key[0]),
                    f"duplicate id (first on line {first_line[key]})",
                )
            )
            continue
        first_line[key] = loc.line
        merged[key] = loc
    return list(merged.values())


@dataclass
class _Owner:
    label: str
    kind: str | None
    source: str
    line: int | None

    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"


def _owners(tables: dict[str, list[Located]], problems: list[Problem]) -> dict[str, _Owner]:
    """Every node id → what it is; an id used twice across node tables is an error."""
    owners: dict[str, _Owner] = {}
    for spec in TABLES:
        id_col = "id" if spec.node else ("liaison_id" if spec.name == "liaisons" else None)
        if id_col is None:
            continue
        label = spec.node or "Liaison"
        for loc in tables[spec.name]:
            ident = loc.row.get(id_col)
            if ident is None:
                continue
            known = owners.get(ident)
            if known is None:
                owners[ident] = _Owner(label, loc.row.get("kind"), loc.source, loc.line)
            elif not (label == "Liaison" and known.label == "Liaison"):
                problems.append(
                    Problem(
                        loc.source,
                        loc.line,
                        id_col,
                        ident,
                        f"id is already used by {_a(LABEL_WORDS[known.label])} ({known.where()})",
                    )
                )
    return owners


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _check_refs(
    spec: TableSpec, rows: list[Located], owners: dict[str, _Owner], problems: list[Problem]
) -> None:
    for ref in spec.refs:
        wanted = nouns(ref.labels)
        for loc in rows:
            value = loc.row.get(ref.column)
            if value is None:
                continue
            owner = owners.get(value)
            reason = None
            if owner is None:
                reason = f"names no {wanted}"
            elif owner.label not in ref.labels:
                reason = f"is {_a(LABEL_WORDS[owner.label])}, not {_a(wanted)}"
            elif ref.org_kinds and owner.kind not in ref.org_kinds:
                reason = f"is a {owner.kind} organization, not a {' or '.join(ref.org_kinds)}"
            if reason:
                problems.append(Problem(loc.source, loc.line, ref.column, value, reason))


def _check_rules(
    tables: dict[str, list[Located]], owners: dict[str, _Owner], problems: list[Problem]
) -> None:
    for loc in tables["coverage"]:
        coverer = owners.get(loc.row.get("coverer_id") or "")
        if coverer and coverer.label in WORK_ONLY and loc.row.get("mode") == "organization":
            reason = work_only_reason(coverer.label)
            problems.append(Problem(loc.source, loc.line, "mode", "organization", reason))
    for loc in tables["supply_links"]:
        if loc.row.get("supplier_id") and loc.row["supplier_id"] == loc.row.get("customer_id"):
            problems.append(
                Problem(
                    loc.source,
                    loc.line,
                    "customer_id",
                    loc.row["customer_id"],
                    "a firm cannot supply itself",
                )
            )
    _check_hierarchy(tables["party_orgs"], problems)


def _check_hierarchy(orgs: list[Located], problems: list[Problem]) -> None:
    """Each organization reports up a chain that ends; a cycle is reported once, on its row."""
    parent = {loc.row["id"]: loc.row.get("parent_id") for loc in orgs if loc.row.get("id")}
    where = {loc.row["id"]: loc for loc in orgs if loc.row.get("id")}
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in done:
            if node in path:
                cycle = path[path.index(node) :] + [node]
                loc = where[node]
                reason = (
                    "an organization cannot report to itself"
                    if len(cycle) == 2
                    else "reporting cycle: " + " → ".join(cycle)
                )
                problems.append(Problem(loc.source, loc.line, "parent_id", parent[node], reason))
                break
            path.append(node)
            node = parent[node]
        done.update(path)


def validate(
    raw: dict[str, RawTable],
    *,
    required: Iterable[str] | None = None,
    where: str = "",
    progress: Progress = quiet,
) -> tuple[Zone, list[Problem]]:
    """Validate raw tables as a whole zone (``progress`` is told the rows checked).

    Parameters
    ----------
    raw
        Tables as read from files, by table name.
    required
        The tables whose file must be there (default: every table but the optional ones, as
        a replacing load needs; a first load needs only ``enterprises``). A table left out
        starts empty.
    where
        How to name a missing file's place in a message (the folder or workbook).

    Returns
    -------
    The valid zone and the warnings (unknown columns and the like).

    Raises
    ------
    ValidationFailed
        With every error found; nothing may be written then.
    """
    problems: list[Problem] = []
    _check_some(raw, where, problems)
    needed = {t.name for t in TABLES if not t.optional_file} if required is None else set(required)
    for spec in TABLES:
        if spec.name in needed and spec.name not in raw:
            problems.append(_missing(spec, where))
    parsed = {name: parse_table(table, problems, progress=progress) for name, table in raw.items()}
    tables = {spec.name: _merge(spec, parsed.get(spec.name), problems) for spec in TABLES}
    _check_graph(tables, problems)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationFailed(errors)
    zone = Zone({name: [loc.row for loc in rows] for name, rows in tables.items()})
    return zone, [p for p in problems if p.warning]


def _is_workbook(where: str) -> bool:
    return where.lower().endswith(".xlsx")


def _names(spec: TableSpec, workbook: bool) -> str:
    suffix = "" if workbook else ".csv"
    return " or ".join(name + suffix for name in (spec.name, *spec.aliases))


def _missing(spec: TableSpec, where: str) -> Problem:
    if _is_workbook(where):
        return Problem(where, None, None, None, f"has no sheet {_names(spec, True)}")
    place = f"{where}/{spec.filename}" if where else spec.filename
    return Problem(place, None, None, None, "required file is missing")


def _check_some(raw: dict[str, RawTable], where: str, problems: list[Problem]) -> None:
    if not raw:
        workbook = _is_workbook(where)
        names = ", ".join(_names(t, workbook) for t in TABLES)
        kind = "sheets" if workbook else "files"
        problems.append(
            Problem(
                where or "input", None, None, None, f"has none of the contract's {kind}: {names}"
            )
        )


def change_set(raw: dict[str, RawTable], *, where: str = "") -> tuple[ChangeSet, list[Problem]]:
    """Raw tables as upserts: each row sets the columns its file has, located by its line.

    Cells are parsed and checked here; references, ids and the contract's rules are checked
    against the store when the change set is applied.

    Raises
    ------
    ValidationFailed
        With every cell and header problem found.
    """
    problems: list[Problem] = []
    _check_some(raw, where, problems)
    changes = ChangeSet()
    for name, table in raw.items():
        parsed = parse_table(table, problems, keys_only=True)
        for loc in parsed.rows:
            row = {c: loc.row[c] for c in parsed.columns}
            changes.upsert(name, row, Origin(loc.source, loc.line))
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationFailed(errors)
    return changes, [p for p in problems if p.warning]


def _check_graph(tables: dict[str, list[Located]], problems: list[Problem]) -> None:
    """The checks across tables: one id namespace, references, the contract's rules."""
    owners = _owners(tables, problems)
    for spec in TABLES:
        _check_refs(spec, tables[spec.name], owners, problems)
    _check_rules(tables, owners, problems)
