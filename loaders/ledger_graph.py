"""An organizer's ledger (台账) as the graph: each row a firm, its party columns its coverage.

:func:`ledger_changes` turns a read ledger (:mod:`loaders.ledger_read`) into one
:class:`~graph_model.changes.ChangeSet` over what the store holds; :func:`ledger_zone` into a
whole zone (``--replace``). What each column becomes:

* the firm: 统一社会信用代码 is its id; a firm without one gets
  :func:`~loaders.credit_code.generated_id` of its name, the same on every import. A firm
  stored under that generated id adopts its code when a ledger gives one (an id change:
  every relationship follows). Place (所属街道, 社区, 网格, 园区), 行业, 从业人员数, 党员数,
  经营状态, 星级 and 是否重点企业 are its columns; columns the ledger lacks are left as stored.
* **its own organization**: 是否单独建立党组织 = yes, or 组建方式 = 单独组建, gives the firm an
  ``enterprise_org`` named by 党组织名称 (else "<firm>党支部"), formation ``own``. A stored own
  organization is kept and renamed; a new one is ``ORG-<firm id>``.
* **a joint organization**: a joint 组建方式 (联合组建, 区域联建, 行业统建, 产业联建,
  龙头领建, 楼宇合建) with a 党组织名称 gives one organization per distinct name (``JB-`` and
  a hash of the name; an ``industry_branch`` for 行业统建, a ``joint_branch`` otherwise),
  covering every firm that names it, with its formation. When the ledger has neither
  是否单独建立党组织 nor 组建方式, an organization named after the firm is its own, and any
  other one covers it jointly.
* **party work**: each named 党建指导员 (several split by 、，,;/) guides the firm: an instructor
  node (``INS-`` and a hash of the name), or the stored studio of that name. 覆盖方式 = 工作覆盖
  with no name: the firm's community station guides it (``ST-``, "<社区>党群服务站"), else its
  street's committee (``SC-``, "<街道>党工委"), else the zone's non-public committee
  (``NPC-ZONE``); each is created when first needed.
* 覆盖方式 is checked against the rest: 组织覆盖 with no organization, 工作覆盖 with one, or 未覆盖
  with either is a warning naming the row (the organizations and names win).
* **liaisons**: each named 联络员 liaises with the firm (``LS-`` and a hash of the name).

Over a stored zone the ledger speaks for the firms it lists: their ledger-made coverage and
liaisons that the new ledger no longer names are removed; rows other files made are left
alone (a warning says so where the ledger contradicts them). Firms the ledger does not list
are reported, never removed (``--replace`` replaces the whole zone instead).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graph_model.changes import ChangeSet, Origin, Row, key_of
from graph_model.errors import Problem
from graph_model.mapping import Zone
from graph_model.schema import TABLE
from graph_model.store.statements import (
    Run,
    by_name_statement,
    keyed_node_statement,
    keyed_rel_statement,
    unlisted_firms_statement,
)
from loaders.credit_code import generated_id
from loaders.ledger_read import Ledger, LedgerRow

T = TypeVar("T")

#: Ledger fields that are the firm's own columns (same names as the enterprises contract).
FIRM_FIELDS = (
    "name",
    "industry",
    "street",
    "community",
    "grid",
    "park",
    "employees",
    "party_members",
    "status",
    "star",
    "key_firm",
)
#: The ledger fields that speak of a firm's party organization and party work.
PARTY_FIELDS = ("own_org", "org_name", "formation", "coverage_mode", "instructor")

#: How each joint 组建方式 becomes an organization: (kind, formation stored).
JOINT: dict[str, tuple[str, str | None]] = {
    "joint": ("joint_branch", None),
    "regional_joint": ("joint_branch", "regional_joint"),
    "industry": ("industry_branch", "industry"),
    "industrial_chain": ("joint_branch", "industrial_chain"),
    "leading_firm": ("joint_branch", "leading_firm"),
    "office_building": ("joint_branch", "office_building"),
}

#: Id prefixes of the organizations, instructors and liaisons a ledger makes.
LEDGER_PREFIXES = ("ORG-", "JB-", "INS-", "ST-", "SC-", "NPC-", "LS-")
ZONE_COMMITTEE = "NPC-ZONE"

_SPLIT = re.compile(r"[、，,；;/／\s]+")


def made_id(prefix: str, name: str) -> str:
    """A stable id for something a ledger names: the same name, the same id."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10].upper()


def names_in(text: str | None) -> list[str]:
    """The names in a cell listing several (张三、李四)."""
    return [n for n in _SPLIT.split(text or "") if n]


def _short(name: str) -> str:
    """A firm's name without its place and legal form, to compare with an organization's."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return re.sub(r"^(吉林省|长春市|长春)|(股份)?有限(责任)?公司.*$", "", text)


def is_ledger_made(ident: str) -> bool:
    return ident.startswith(LEDGER_PREFIXES)


@dataclass
class Stored:
    """What the store holds for the firms a ledger lists (read by key and name only)."""

    firm_ids: set[str] = field(default_factory=set)
    #: Stored firm id by name, for rows without a code.
    by_name: dict[str, str] = field(default_factory=dict)
    #: firm id → its own organizations' ids.
    own_orgs: dict[str, list[str]] = field(default_factory=dict)
    #: firm id → its coverage rows (coverer_id, enterprise_id, mode).
    coverage: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    #: firm id → the liaisons naming it.
    liaisons: dict[str, list[str]] = field(default_factory=dict)
    #: Studio id by name (an instructor cell may name a studio).
    studios: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, run: Run, ledger: Ledger) -> Stored:
        names = sorted({row.values["name"] for row in ledger.rows if row.values.get("name")})
        # A row's code, and the id its name generates (stored before the code was known).
        ids = {generated_id(n) for n in names}
        ids |= {
            str(row.values["credit_code"]) for row in ledger.rows if row.values.get("credit_code")
        }
        stored = cls()
        if names:
            for r in run(by_name_statement("Enterprise"), {"names": names}):
                stored.by_name.setdefault(r["name"], r["id"])
            instructors = {n for row in ledger.rows for n in names_in(row.values.get("instructor"))}
            for r in run(by_name_statement("Studio"), {"names": sorted(instructors)}):
                stored.studios.setdefault(r["name"], r["id"])
        firm_ids = sorted(set(ids) | set(stored.by_name.values()))
        if not firm_ids:
            return stored
        found = run(keyed_node_statement("Enterprise", ["id"]), {"ids": firm_ids})
        stored.firm_ids = {r["id"] for r in found}
        for r in run(
            keyed_rel_statement("OWN_ORG", "PartyOrg", "Enterprise", "dst"), {"ids": firm_ids}
        ):
            stored.own_orgs.setdefault(r["dst"], []).append(r["src"])
        for rtype, src, mode in (
            ("COVERS", "PartyOrg", "organization"),
            ("GUIDES", "PartyOrg", "work"),
            ("GUIDES", "Studio", "work"),
            ("GUIDES", "Instructor", "work"),
        ):
            statement = keyed_rel_statement(rtype, src, "Enterprise", "dst")
            for r in run(statement, {"ids": firm_ids}):
                stored.coverage.setdefault(r["dst"], []).append((r["src"], r["dst"], mode))
        liaises = keyed_rel_statement("LIAISES", "Liaison", "Enterprise", "dst")
        for r in run(liaises, {"ids": firm_ids}):
            stored.liaisons.setdefault(r["dst"], []).append(r["src"])
        return stored


@dataclass
class LedgerResult:
    """A ledger as changes, and what a person should read beside them."""

    changes: ChangeSet
    warnings: list[Problem]
    #: Ids of the firms the ledger lists (after any code adopted).
    firms: list[str]


class _Builder:
    def __init__(self, ledger: Ledger, stored: Stored) -> None:
        self.ledger = ledger
        self.stored = stored
        self.changes = ChangeSet()
        self.warnings: list[Problem] = []
        self.has = set(ledger.columns.values()) - {None}
        self.firms: list[str] = []
        #: A firm's id now → the id it is stored under (when it adopts its code).
        self.was: dict[str, str] = {}
        self._made: set[tuple[str, str]] = set()

    def stored_of(self, by_firm: Mapping[str, list[T]], firm: str) -> list[T]:
        """What the store holds for a firm, under the id it is stored under."""
        return by_firm.get(self.was.get(firm, firm), [])

    def origin(self, row: LedgerRow) -> Origin:
        return Origin(self.ledger.source, row.line)

    def warn(self, row: LedgerRow, column_field: str, value: Any, reason: str) -> None:
        header = next((h for h, f in self.ledger.columns.items() if f == column_field), None)
        text = None if value is None else str(value)
        self.warnings.append(Problem(self.ledger.source, row.line, header, text, reason, True))

    def make(self, table: str, row: Row, at: Origin) -> None:
        """Upsert a node the ledger makes, once per change set."""
        key = key_of(table, row)
        assert key is not None
        if (table, str(key)) not in self._made:
            self._made.add((table, str(key)))
            self.changes.upsert(table, row, at)

    # -- one row ------------------------------------------------------------------------------
    def firm(self, row: LedgerRow) -> str:
        """The firm's id, adopting its code when it was stored under a generated one."""
        values = row.values
        name = str(values["name"])
        code = values.get("credit_code")
        generated = generated_id(name)
        if code:
            code = str(code)
            if code not in self.stored.firm_ids and generated in self.stored.firm_ids:
                self.changes.rename("enterprises", generated, code, self.origin(row))
                self.was[code] = generated
            return code
        if generated in self.stored.firm_ids:
            return generated
        return self.stored.by_name.get(name, generated)

    def add(self, row: LedgerRow) -> None:
        at = self.origin(row)
        ident = self.firm(row)
        self.firms.append(ident)
        firm = {"id": ident} | {f: row.values[f] for f in FIRM_FIELDS if f in row.values}
        self.changes.upsert("enterprises", firm, at)
        if self.has & set(PARTY_FIELDS):
            self.party(row, ident, at)
        if "liaison" in self.has:
            self.liaise(row, ident, at)

    def party(self, row: LedgerRow, firm: str, at: Origin) -> None:
        values = row.values
        formation = values.get("formation")
        org_name = values.get("org_name")
        wanted: set[tuple[str, str, str]] = set()
        own = values.get("own_org") is True or formation == "own"
        if values.get("own_org") is None and formation is None and org_name:
            # Neither column says how: an organization named after the firm is its own.
            own = _short(str(org_name)).startswith(_short(str(values["name"]))[:4])
            formation = None if own else "joint"
        organized = False
        if own:
            organized = True
            self.own_org(row, firm, at)
        elif formation in JOINT and org_name:
            organized = True
            kind, stored_formation = JOINT[formation]
            org = made_id("JB-", str(org_name))
            self.make(
                "party_orgs",
                {"id": org, "name": org_name, "kind": kind, "formation": stored_formation},
                at,
            )
            wanted.add((org, firm, "organization"))
        elif formation in JOINT:
            self.warn(
                row,
                "formation",
                formation,
                "names a joint organization but 党组织名称 is "
                "empty, so no organization can cover the firm",
            )
        elif org_name and not own:
            self.warn(
                row,
                "org_name",
                org_name,
                "names an organization, but neither "
                "是否单独建立党组织 nor 组建方式 says how it covers the firm; not linked",
            )
        guided = self.work(row, firm, at, wanted, organized)
        self.check_mode(row, organized, guided)
        self.replace_coverage(firm, wanted, at)
        if not own:
            self.drop_own_org(row, firm, at)

    def own_org(self, row: LedgerRow, firm: str, at: Origin) -> None:
        name = row.values.get("org_name") or f"{row.values['name']}党支部"
        known = self.stored_of(self.stored.own_orgs, firm)
        org = known[0] if known else f"ORG-{firm}"
        self.make(
            "party_orgs",
            {
                "id": org,
                "name": name,
                "kind": "enterprise_org",
                "formation": "own",
                "enterprise_id": firm,
            },
            at,
        )

    def drop_own_org(self, row: LedgerRow, firm: str, at: Origin) -> None:
        for org in self.stored_of(self.stored.own_orgs, firm):
            if is_ledger_made(org):
                self.changes.delete("party_orgs", (org,), at)
            elif row.values.get("own_org") is False:
                self.warn(
                    row,
                    "own_org",
                    "否",
                    f"the zone has {org} as this firm's own "
                    "organization (from the contract files); left as it is",
                )

    def work(
        self,
        row: LedgerRow,
        firm: str,
        at: Origin,
        wanted: set[tuple[str, str, str]],
        organized: bool,
    ) -> bool:
        names = names_in(row.values.get("instructor"))
        for name in names:
            studio = self.stored.studios.get(name)
            if studio is not None:
                wanted.add((studio, firm, "work"))
                continue
            instructor = made_id("INS-", name)
            self.make(
                "instructors",
                {"id": instructor, "name": name, "street": row.values.get("street")},
                at,
            )
            wanted.add((instructor, firm, "work"))
        if names:
            return True
        if row.values.get("coverage_mode") == "work" and not organized:
            wanted.add((self.station(row, at), firm, "work"))
            return True
        return False

    def station(self, row: LedgerRow, at: Origin) -> str:
        """Who gives a firm party work when the ledger names nobody: its community's station,
        else its street's committee, else the zone's non-public committee."""
        community, street = row.values.get("community"), row.values.get("street")
        if community:
            org = made_id("ST-", str(community))
            row_ = {
                "id": org,
                "name": f"{community}党群服务站",
                "kind": "community_station",
                "street": street,
            }
        elif street:
            org = made_id("SC-", str(street))
            row_ = {
                "id": org,
                "name": f"{street}党工委",
                "kind": "street_committee",
                "street": street,
            }
        else:
            org = ZONE_COMMITTEE
            row_ = {"id": org, "name": "非公企业和社会组织党工委", "kind": "nonpublic_committee"}
        self.make("party_orgs", row_, at)
        return org

    def check_mode(self, row: LedgerRow, organized: bool, guided: bool) -> None:
        mode = row.values.get("coverage_mode")
        if mode == "organization" and not organized:
            reason = (
                "says 组织覆盖, but the row gives the firm no organization "
                "(是否单独建立党组织, 组建方式 and 党组织名称)"
            )
        elif mode == "work" and organized:
            reason = (
                "says 工作覆盖, but the row gives the firm an organization: counted as 组织覆盖"
            )
        elif mode == "none" and (organized or guided):
            reason = (
                "says 未覆盖, but the row names an organization or an instructor: "
                "counted as covered"
            )
        else:
            return
        self.warn(row, "coverage_mode", mode, reason)

    def replace_coverage(self, firm: str, wanted: set[tuple[str, str, str]], at: Origin) -> None:
        for key in sorted(wanted):
            self.changes.upsert(
                "coverage", {"coverer_id": key[0], "enterprise_id": key[1], "mode": key[2]}, at
            )
        for coverer, _, mode in self.stored_of(self.stored.coverage, firm):
            key = (coverer, firm, mode)
            if key not in wanted and is_ledger_made(coverer):
                self.changes.delete("coverage", key, at)

    def liaise(self, row: LedgerRow, firm: str, at: Origin) -> None:
        names = names_in(row.values.get("liaison"))
        wanted = {made_id("LS-", n): n for n in names}
        for liaison, name in sorted(wanted.items()):
            self.changes.upsert(
                "liaisons", {"liaison_id": liaison, "name": name, "enterprise_id": firm}, at
            )
        for liaison in self.stored_of(self.stored.liaisons, firm):
            if liaison not in wanted and is_ledger_made(liaison):
                self.changes.delete("liaisons", (liaison, firm), at)


def ledger_changes(ledger: Ledger, run: Run | None) -> LedgerResult:
    """The ledger as one change set over the store read through ``run`` (None: an empty one).

    Only the rows and names the ledger lists are read.
    """
    stored = Stored() if run is None else Stored.read(run, ledger)
    builder = _Builder(ledger, stored)
    for row in ledger.rows:
        builder.add(row)
    return LedgerResult(builder.changes, builder.warnings, builder.firms)


def ledger_zone(ledger: Ledger) -> tuple[Zone, list[Problem]]:
    """The ledger as a whole zone (``--replace``): every table, only what the ledger says."""
    result = ledger_changes(ledger, None)
    tables: dict[str, dict[Any, Row]] = {t: {} for t in TABLE}
    for upsert in result.changes.upserts:
        key = key_of(upsert.table, upsert.row)
        row = tables[upsert.table].setdefault(
            key, {c.name: c.default for c in TABLE[upsert.table].columns}
        )
        row.update(upsert.row)
    return Zone({t: list(rows.values()) for t, rows in tables.items()}), result.warnings


def missing_firms(run: Run, listed: Iterable[str]) -> list[dict[str, Any]]:
    """Operating firms the store holds that a ledger does not list (reported, not removed)."""
    return run(unlisted_firms_statement(), {"ids": sorted(set(listed))})
