"""Reconciling the ledger (台账) with the enterprise register, as organizers do each quarter.

The register (read by :mod:`loaders.register_read`) is authoritative for registration facts
only: a firm's credit code, its name and whether it still operates. Its other facts are kept
on the firm as register properties (``reg_industry``, ``legal_rep``, ``founded``,
``capital``, ``address``, ``reg_status``). What the organizers maintain — industry, street,
grid, member counts — a register fills only where blank, unless asked to update it.

:func:`reconcile` matches the register's rows with the stored firms (by credit code, then by
name), reports one row per change, and states the changes as one change set: upserts, and
renames for firms that adopt their credit code, so each firm moves with every relationship.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph_model.changes import ChangeSet, Origin
from graph_model.errors import ConfigError, Problem, ValidationFailed
from graph_model.mapping import Row, Zone, label_of_ids
from graph_model.schema import NOUNS, TABLES
from loaders import credit_code
from loaders.raw import RawTable
from loaders.readers import cell_text
from loaders.register_read import (
    ENTERPRISES,
    ORGANIZER_FIELDS,
    REGISTER_FACTS,
    RegisterRow,
    RegisterTable,
    name_key,
    parse_register,
    read_register,
)

__all__ = [
    "COLUMNS",
    "KINDS",
    "LANGS",
    "UPDATABLE",
    "Reconciliation",
    "RegisterTable",
    "read_register",
    "reconcile",
    "report_columns",
    "report_language",
    "translated",
]

#: The columns of :attr:`Reconciliation.rows`.
COLUMNS: tuple[str, ...] = ("change", "id", "name", "field", "before", "after")
#: The change kinds, in the order the report explains them.
KINDS: tuple[str, ...] = (
    "new",
    "closed",
    "revoked",
    "cancelled",
    "moved_out",
    "reopened",
    "changed",
    "matched_by_name",
    "adopted_code",
    "code_differs",
    "missing",
)
#: The fields ``updates`` may name: the organizers' own, which a register otherwise only fills.
UPDATABLE: tuple[str, ...] = ORGANIZER_FIELDS
#: The report's languages (``table`` and ``csv``; ``json`` keeps the English keys).
LANGS: tuple[str, ...] = ("zh", "en")

OPERATING, CLOSED = "operating", "closed"

_ZH: dict[str, str] = {
    # columns
    "change": "变动",
    "id": "编号",
    "name": "企业名称",
    "field": "字段",
    "before": "原值",
    "after": "新值",
    # change kinds
    "new": "新增企业",
    "closed": "注销",
    "revoked": "吊销",
    "cancelled": "撤销",
    "moved_out": "迁出",
    "reopened": "恢复经营",
    "changed": "信息变更",
    "matched_by_name": "按名称匹配",
    "adopted_code": "启用信用代码",
    "code_differs": "信用代码不符",
    "missing": "登记中未见",
}
#: Fields and status values as a Chinese report names them.
_ZH_FIELDS: dict[str, str] = {
    "id": "编号",
    "name": "企业名称",
    "status": "状态",
    "industry": "行业",
    "employees": "职工人数",
    "party_members": "党员人数",
    "street": "街道",
    "community": "社区",
    "grid": "网格",
    "park": "园区",
    "star": "星级",
    "key_firm": "重点企业",
    "lat": "纬度",
    "lon": "经度",
    "reg_industry": "登记行业",
    "legal_rep": "法定代表人",
    "founded": "成立日期",
    "capital": "注册资本",
    "address": "企业地址",
    "reg_status": "登记状态",
}
_ZH_STATUS: dict[str, str] = {OPERATING: "在营", CLOSED: "已关闭"}
_EN_FACTS: dict[str, str] = {
    "reg_industry": "registered industry",
    "legal_rep": "legal representative",
    "founded": "founding date",
    "capital": "registered capital",
    "address": "address",
    "reg_status": "registered status",
}
#: How many new firms the placement note names before it sums up the rest.
NOTE_NAMES = 20


@dataclass(frozen=True)
class Reconciliation:
    """What a register changes: the report, and the zone with the register applied."""

    #: One row per change, with the keys :data:`COLUMNS`, sorted by change, id and field.
    rows: list[dict[str, object]]
    #: A new zone with the changes applied (what ``--apply`` writes), ids adopted.
    zone: Zone
    #: What the register check noticed without refusing: title lines skipped, columns
    #: ignored, statuses it does not know, codes that are not valid.
    warnings: list[Problem] = field(default_factory=list)
    #: The changes as one change set: renames (firms adopting their credit code) and upserts
    #: of the enterprises table, each located at its register line; what ``--apply`` writes.
    changes: ChangeSet = field(default_factory=ChangeSet)
    #: Lines for a person to read beside the report (new firms still to place in a grid).
    notes: list[str] = field(default_factory=list)


def report_language(environ: Mapping[str, str]) -> str:
    """The report's language from the environment: ``ZONEGRAPH_LANG`` if set, else ``zh``
    when ``LC_ALL`` (or, without it, ``LANG``) starts with zh, else ``en``.

    Raises
    ------
    ConfigError
        When ``ZONEGRAPH_LANG`` is set to something other than zh or en.
    """
    chosen = environ.get("ZONEGRAPH_LANG", "").strip()
    if chosen:
        lang = chosen.lower().replace("-", "_").partition("_")[0]
        if lang not in LANGS:
            raise ConfigError(f"bad setting: ZONEGRAPH_LANG must be zh or en, not {chosen!r}")
        return lang
    locale = environ.get("LC_ALL") or environ.get("LANG") or ""
    return "zh" if locale.lower().startswith("zh") else "en"


def report_columns(lang: str) -> list[str]:
    """The report's column headers in ``lang``."""
    return [_ZH[c] for c in COLUMNS] if lang == "zh" else list(COLUMNS)


def translated(rows: list[dict[str, object]], lang: str) -> list[dict[str, object]]:
    """Report rows keyed by :func:`report_columns`, kinds and fields in ``lang``."""
    if lang != "zh":
        return [dict(r) for r in rows]
    out: list[dict[str, object]] = []
    for r in rows:
        row = dict(r)
        row["change"] = _ZH.get(str(r["change"]), r["change"])
        if r["field"] is not None:
            row["field"] = _ZH_FIELDS.get(str(r["field"]), r["field"])
        if r["field"] == "status":
            for col in ("before", "after"):
                row[col] = _ZH_STATUS.get(str(r[col]), r[col])
        out.append({_ZH[c]: row[c] for c in COLUMNS})
    return out


def _text(value: Any) -> str | None:
    return None if value is None else cell_text(value)


def _row(
    change: str, ident: str, name: object, col: str | None, before: Any, after: Any
) -> dict[str, object]:
    return dict(zip(COLUMNS, (change, ident, name, col, _text(before), _text(after)), strict=True))


def _sort_key(row: dict[str, object]) -> tuple[int, str, str]:
    return (KINDS.index(str(row["change"])), str(row["id"]), str(row["field"] or ""))


def _problem_order(p: Problem) -> tuple[str, int, str]:
    return (p.file, p.line or 0, p.column or "")


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


@dataclass
class _Match:
    row: RegisterRow
    firm: Row
    #: The firm's id once the change set is applied (its credit code when it adopts it).
    ident: str
    #: What the report says about the match itself, if anything: (kind, after).
    said: tuple[str, str | None] | None = None
    #: Whether the register's facts are applied to the firm (not when the codes disagree).
    applied: bool = True


class _Matcher:
    """Register rows → stored firms: by credit code, then by exact name."""

    def __init__(self, zone: Zone, problems: list[Problem]) -> None:
        self.stored = zone.rows("enterprises")
        self.problems = problems
        self.by_code: dict[str, Row] = {}
        self.by_name: dict[str, list[Row]] = {}
        for r in self.stored:
            self.by_code.setdefault(credit_code.normalise(r["id"]), r)
            self.by_name.setdefault(name_key(r.get("name") or ""), []).append(r)
        self.others = {i: lab for i, lab in label_of_ids(zone).items() if lab != "Enterprise"}
        self.claimed: dict[str, int] = {}
        self.matches: list[_Match] = []
        self.new: list[tuple[RegisterRow, str]] = []
        self.added: dict[str, int] = {}  # new firm's id → its line

    def problem(self, row: RegisterRow, col: str, value: str | None, reason: str) -> None:
        self.problems.append(Problem(row.source, row.line, col, value, reason))

    def warn(self, row: RegisterRow, col: str, value: str | None, reason: str) -> None:
        self.problems.append(Problem(row.source, row.line, col, value, reason, warning=True))

    def run(self, rows: list[RegisterRow]) -> None:
        first: dict[str, int] = {}
        unique: list[RegisterRow] = []
        for row in rows:
            if row.code is not None and row.code in first:
                reason = f"duplicate id (first on line {first[row.code]})"
                self.problem(row, "id", row.code, reason)
                continue
            if row.code is not None:
                first[row.code] = row.line
            unique.append(row)
        coded = {self.by_code[c]["id"] for c in first if c in self.by_code}
        for row in unique:
            firm = self.by_code.get(row.code) if row.code else None
            if firm is not None:
                self.claimed[firm["id"]] = row.line
                self.matches.append(_Match(row, firm, firm["id"]))
        for row in unique:
            if row.name is None or (row.code is not None and row.code in self.by_code):
                continue
            key = name_key(row.name)
            candidates = [r for r in self.by_name.get(key, []) if r["id"] not in coded]
            if len(candidates) == 1:
                self.by_name_match(row, candidates[0])
            elif candidates:
                ids = ", ".join(r["id"] for r in candidates)
                reason = (
                    f"matches {len(candidates)} stored firms by name ({ids}); "
                    "merge or rename them so the register row can tell which"
                )
                self.problem(row, "name", row.name, reason)
            else:
                self.add(row)

    def by_name_match(self, row: RegisterRow, firm: Row) -> None:
        stored = firm["id"]
        if stored in self.claimed:
            reason = (
                f"matches the stored firm {stored} by name, as line {self.claimed[stored]} does"
            )
            self.problem(row, "name", row.name, reason)
            return
        self.claimed[stored] = row.line
        match = _Match(row, firm, stored, ("matched_by_name", row.code))
        if row.code is None:
            pass
        elif credit_code.is_valid(stored):
            # Two valid codes for one name: the match is in doubt, so nothing is applied.
            match.said, match.applied = ("code_differs", row.code), False
        elif not credit_code.is_valid(row.code):
            why = credit_code.problem_with(row.code)
            self.warn(row, "id", row.code, f"{why}; {stored} keeps its id")
        elif row.code in self.others:
            reason = f"id is already used by {_a(NOUNS[self.others[row.code]])}"
            self.problem(row, "id", row.code, reason)
        else:
            match.said, match.ident = ("adopted_code", row.code), row.code
        self.matches.append(match)

    def add(self, row: RegisterRow) -> None:
        assert row.name is not None
        ident = row.code or credit_code.generated_id(row.name)
        known = self.by_code.get(ident)
        if known is not None and known["id"] not in self.claimed:
            # A generated id names the firm it was made for, whatever its name is now.
            self.claimed[known["id"]] = row.line
            self.matches.append(_Match(row, known, known["id"]))
        elif known is not None:
            reason = f"gives the id of {known['id']}, matched by line {self.claimed[known['id']]}"
            self.problem(row, "name", row.name, reason)
        elif ident in self.others:
            reason = f"id is already used by {_a(NOUNS[self.others[ident]])}"
            self.problem(row, "id", ident, reason)
        elif ident in self.added:
            # Two rows without a code under one name: one firm, or two that no code tells apart.
            reason = f"is listed twice without a credit code (first on line {self.added[ident]})"
            self.problem(row, "name", row.name, reason)
        else:
            self.added[ident] = row.line
            if row.code is not None and not credit_code.is_valid(row.code):
                why = credit_code.problem_with(row.code)
                self.warn(row, "id", row.code, f"{why}; the new firm is added under it")
            self.new.append((row, ident))


def _updated(
    match: _Match, updates: Collection[str], rows: list[dict[str, object]]
) -> tuple[Row, set[str]]:
    """The columns the register changes on a matched firm (reported into ``rows``), and the
    register facts it records on the firm for the first time."""
    row, firm, ident = match.row, match.firm, match.ident
    shown = firm.get("name")
    out: Row = {}
    first_facts: set[str] = set()
    if row.name is not None and name_key(row.name) != name_key(firm.get("name") or ""):
        rows.append(_row("changed", ident, shown, "name", firm.get("name"), row.name))
        out["name"] = row.name
    before = firm.get("status") or OPERATING
    if row.status is not None and row.status != before:
        change = row.kind if row.status == CLOSED else "reopened"
        rows.append(_row(str(change), ident, shown, "status", before, row.status))
        out["status"] = row.status
    for fact, value in row.facts.items():
        was = firm.get(fact)
        if value != was:
            out[fact] = value
            if was is None:
                first_facts.add(fact)  # the register's word, recorded: one note, not a row each
            else:
                rows.append(_row("changed", ident, shown, fact, was, value))
    for col, value in _organizer_values(row, updates).items():
        was = firm.get(col)
        if value != was and (was is None or col in updates):
            rows.append(_row("changed", ident, shown, col, was, value))
            out[col] = value
    return out, first_facts


def _organizer_values(row: RegisterRow, updates: Collection[str]) -> dict[str, Any]:
    values = dict(row.fields)
    if "industry" in updates and "industry" not in values and "reg_industry" in row.facts:
        values["industry"] = row.facts["reg_industry"]  # --update industry: the register's
    return values


def _renamed(zone: Zone, renames: dict[str, str]) -> Zone:
    """A copy of ``zone`` with firms' ids changed, in every row that names them."""
    tables: dict[str, list[Row]] = {}
    for spec in TABLES:
        cols = [r.column for r in spec.refs if "Enterprise" in r.labels]
        if spec.name == "enterprises":
            cols.append("id")
        rows = []
        for r in zone.rows(spec.name):
            copy = dict(r)
            for col in cols:
                if copy.get(col) in renames:
                    copy[col] = renames[copy[col]]
            rows.append(copy)
        tables[spec.name] = rows
    tables.update((t, [dict(r) for r in rs]) for t, rs in zone.tables.items() if t not in tables)
    return Zone(tables)


def _notes(new: list[Row], recorded: list[set[str]], lang: str) -> list[str]:
    notes: list[str] = []
    unplaced = [f for f in new if f["status"] == OPERATING and not (f["street"] and f["grid"])]
    if unplaced:
        zh = lang == "zh"
        named = [
            f"{f['name']}（{f['id']}）" if zh else f"{f['name']} ({f['id']})" for f in unplaced
        ]
        more = len(named) - NOTE_NAMES
        listed = ("、" if zh else ", ").join(named[:NOTE_NAMES])
        if more > 0:
            listed += f" 等（另有 {more} 家）" if zh else f", … and {more} more"
        n = len(unplaced)
        if zh:
            notes.append(f"{n} 家新增企业尚未划入街道或网格：{listed}")
        else:
            verb = "firm has" if n == 1 else "firms have"
            notes.append(f"{n} new {verb} no street or grid yet: {listed}")
    if recorded:
        facts = [f for f in REGISTER_FACTS if any(f in r for r in recorded)]
        if lang == "zh":
            names = "、".join(_ZH_FIELDS[f] for f in facts)
            notes.append(f"首次为 {len(recorded)} 家企业记录登记信息：{names}。")
        else:
            names = ", ".join(_EN_FACTS[f] for f in facts)
            firms = "firm" if len(recorded) == 1 else "firms"
            n = len(recorded)
            notes.append(
                f"Recorded the register's facts on {n} {firms} for the first time: {names}."
            )
    return notes


def reconcile(
    register: RawTable, zone: Zone, *, updates: Collection[str] = (), lang: str = "en"
) -> Reconciliation:
    """Compare a register with a zone's firms; report every change and state it as a change set.

    Register rows match stored firms by credit code, then by exact name (whitespace and
    full-width characters folded). A firm matched by name whose stored id is not a valid
    credit code (a generated ``ZG-…`` id, a placeholder) adopts the register's code: a rename
    in the change set moves the firm and all its relationships. An empty register cell is
    "not known" and never overwrites.

    Parameters
    ----------
    register
        The register as read (:func:`read_register`); a plain raw table is read with its
        header on line 1.
    zone
        At least the stored enterprises (the CLI reads only those); other tables, when given,
        let new ids be checked against theirs, and are renamed in :attr:`Reconciliation.zone`.
        It is not modified.
    updates
        Organizers' fields (:data:`UPDATABLE`) the register overwrites instead of only
        filling blanks; ``industry`` takes the register's 所属行业 when it has no industry
        column of the contract's.
    lang
        The language of :attr:`Reconciliation.notes` (``zh`` or ``en``).

    Returns
    -------
    Reconciliation
        ``rows``: one dict per change with the keys :data:`COLUMNS` (``before`` and ``after``
        are text or None), sorted by kind (in :data:`KINDS` order), id and field; ``id`` is
        the firm's id once the changes are applied. The kinds:

        * ``new``: a register firm not in the zone, added with what the register knows
          (``after`` is its name); its id is its code, or a generated id when it has none;
        * ``closed``, ``revoked``, ``cancelled``, ``moved_out``: the register says the firm no
          longer operates (注销, 吊销, 撤销, 迁出; ``field`` is ``status``); its status becomes
          closed (it stays in the graph and drops out of coverage queries);
        * ``reopened``: a closed firm operates again;
        * ``changed``: the name, a register fact that replaces a different one, or an
          organizer's field filled where blank (or overwritten, with ``updates``);
        * ``matched_by_name``: ``field`` is ``id``, ``before`` the stored id, ``after`` the
          register's code (None when blank); the stored id is kept;
        * ``adopted_code``: matched by name, the firm takes the register's code as its id;
        * ``code_differs``: matched by name, but the stored id is another valid code; nothing
          is applied to the firm;
        * ``missing``: an operating stored firm the register does not list (for a survey).

    Raises
    ------
    ValidationFailed
        With every problem found: no name column, a row without a name, cells of an
        organizer's column not of its type, duplicate codes, two rows for one firm, a name
        that several stored firms share, an id another kind of node in ``zone`` uses.
    ValueError
        When ``updates`` names a field that is not in :data:`UPDATABLE`.
    """
    bad = sorted(set(updates) - set(UPDATABLE))
    if bad:
        raise ValueError(f"cannot update {', '.join(bad)}; the fields are {', '.join(UPDATABLE)}")
    problems: list[Problem] = list(register.warnings) if isinstance(register, RegisterTable) else []
    parsed = parse_register(register, problems)
    matcher = _Matcher(zone, problems)
    matcher.run(parsed.rows)
    for col in sorted(updates):
        if col not in parsed.columns and not (
            col == "industry" and "reg_industry" in parsed.columns
        ):
            where = register.header_line if isinstance(register, RegisterTable) else 1
            reason = "is to be updated, but the register has no such column; nothing updated"
            problems.append(Problem(register.source, where, col, None, reason, warning=True))
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationFailed(errors)

    rows: list[dict[str, object]] = []
    changes = ChangeSet()
    renames: dict[str, str] = {}
    upserts: list[tuple[Row, Origin]] = []
    recorded: list[set[str]] = []
    for match in matcher.matches:
        origin = Origin(match.row.source, match.row.line)
        firm = match.firm
        if match.said is not None:
            kind, after = match.said
            rows.append(_row(kind, match.ident, firm.get("name"), "id", firm["id"], after))
        if match.ident != firm["id"]:
            renames[firm["id"]] = match.ident
            changes.rename("enterprises", firm["id"], match.ident, origin)
        if not match.applied:
            continue
        changed, first = _updated(match, updates, rows)
        if first:
            recorded.append(first)
        if changed:
            upserts.append(({"id": match.ident, **changed}, origin))
    new_firms: list[Row] = []
    for row, ident in matcher.new:
        assert row.name is not None
        firm = {c.name: c.default for c in ENTERPRISES.columns}
        firm.update(id=ident, name=row.name, status=row.status or OPERATING)
        firm.update(row.facts)
        firm.update(_organizer_values(row, updates))
        new_firms.append(firm)
        upserts.append((firm, Origin(row.source, row.line)))
        rows.append(_row("new", ident, row.name, None, None, row.name))
    for firm in matcher.stored:
        if firm["id"] not in matcher.claimed and (firm.get("status") or OPERATING) == OPERATING:
            rows.append(_row("missing", firm["id"], firm.get("name"), None, None, None))
    rows.sort(key=_sort_key)

    result = _renamed(zone, renames)
    by_id = {r["id"]: r for r in result.rows("enterprises")}
    for upsert, origin in upserts:
        changes.upsert("enterprises", upsert, origin)
        if upsert["id"] in by_id:
            by_id[upsert["id"]].update(upsert)
        else:
            result.rows("enterprises").append(dict(upsert))
    warnings = sorted((p for p in problems if p.warning), key=_problem_order)
    return Reconciliation(rows, result, warnings, changes, _notes(new_firms, recorded, lang))
