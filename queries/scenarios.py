"""What-if scenarios: a named list of changes, tried on a copy, written only on ``apply``.

A change adds or removes one contract row (an alliance member, a supply link, a coverage
row, a new organization — any table of the contract). The changes apply in order: adding a
row that exists sets only the columns the change names; removing a row needs it to exist
(stored, or added earlier in the scenario); adding a row after removing it starts it afresh.
A scenario becomes one :class:`~graph_model.changes.ChangeSet` (:func:`scenario_changes`),
checked against the store as any write is.

Trying a scenario copies the stored zone into a throwaway embedded database in a temporary
folder (the database file itself when the store is embedded) and applies the changes there;
any catalog query then runs on that copy. The stored graph is untouched until
:func:`apply_scenario`, which applies the same change set to it in one transaction.

Scenarios are JSON files in the scenario folder (``ZONEGRAPH_SCENARIOS``), one per name.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from graph_model.audit import AuditEvent
from graph_model.changes import ApplyReport, ChangeSet, Delete, Key, Origin, Upsert, key_of
from graph_model.errors import AlreadyExists, BadParameter, NotFound, Problem, ValidationFailed
from graph_model.schema import TABLE
from graph_model.store import scratch_copy
from graph_model.store.base import Store
from graph_model.store.embedded import EmbeddedStore
from loaders.readers import RawTable
from loaders.validate import parse_table
from queries.catalog import Page, Result, get_query, run
from queries.notes import Note

Op = Literal["add", "remove"]
#: A scenario's name: ASCII letters, digits, _ and -, as the API's schema says. It names a
#: file, so nothing else (a trailing newline, a control character, a dot) gets through.
NAME_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
_NAME = re.compile(NAME_PATTERN)


@dataclass(frozen=True)
class Change:
    """One row added to or removed from a contract table (values as typed by a person)."""

    op: Op
    table: str
    values: dict[str, str]

    def __str__(self) -> str:
        pairs = " ".join(f"{k}={v}" for k, v in self.values.items())
        return f"{self.op} {self.table} {pairs}"


@dataclass
class Scenario:
    """A named list of changes."""

    name: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""


class ScenarioBook:
    """The scenarios kept in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise BadParameter(
                f"scenario name {name!r}: use ASCII letters, digits, _ or - (at most 64)"
            )
        return self.folder / f"{name}.json"

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.json")) if self.folder.is_dir() else []

    def get(self, name: str) -> Scenario:
        path = self._path(name)
        if not path.exists():
            raise NotFound(f"no scenario named {name!r}")
        data = json.loads(path.read_text(encoding="utf-8"))
        return Scenario(name, [Change(**c) for c in data["changes"]], data.get("note", ""))

    def save(self, scenario: Scenario) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"note": scenario.note, "changes": [asdict(c) for c in scenario.changes]}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        tmp = self._path(scenario.name).with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self._path(scenario.name))  # atomic: a crash leaves the old file whole

    def new(self, name: str, note: str = "") -> Scenario:
        if self._path(name).exists():
            raise AlreadyExists(f"scenario {name!r} already exists")
        scenario = Scenario(name, [], note)
        self.save(scenario)
        return scenario

    def drop(self, name: str) -> None:
        path = self._path(name)
        if not path.exists():
            raise NotFound(f"no scenario named {name!r}")
        path.unlink()


def _typed_row(change: Change, source: str) -> dict[str, Any]:
    """The columns the change names, parsed as its table's contract columns."""
    if change.table not in TABLE:
        raise BadParameter(f"{change.table!r} is not a table ({', '.join(TABLE)})")
    spec = TABLE[change.table]
    raw = RawTable(spec, source, list(change.values), [(1, list(change.values.values()))])
    problems: list[Problem] = []
    parsed = parse_table(raw, problems, keys_only=True)
    missing = [k for k in spec.key if change.values.get(k, "").strip() == ""]
    for k in missing:
        problems.append(Problem(source, None, k, None, "is needed to identify the row"))
    errors = [p for p in problems if not p.warning] + [
        Problem(source, None, p.column, None, "is not a column of " + change.table)
        for p in problems
        if p.warning
    ]
    if errors:
        raise ValidationFailed(errors)
    row = parsed.rows[0].row
    return {k: row[k] for k in parsed.columns}


def scenario_changes(changes: list[Change], source: str) -> ChangeSet:
    """The change set a list of changes amounts to, applied in order (see the module doc)."""
    problems: list[Problem] = []
    state: dict[tuple[str, Key], Upsert | Delete] = {}
    for number, change in enumerate(changes, start=1):
        origin = Origin(f"{source} change {number}")
        try:
            row = _typed_row(change, origin.source)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        key = key_of(change.table, row)
        assert key is not None  # _typed_row refuses a change without its key
        prev = state.get((change.table, key))
        if change.op == "add":
            if isinstance(prev, Upsert):
                state[(change.table, key)] = Upsert(
                    change.table, {**prev.row, **row}, origin, prev.fresh
                )
            else:
                state[(change.table, key)] = Upsert(change.table, row, origin, prev is not None)
        elif isinstance(prev, Delete):
            problems.append(
                Problem(origin.source, None, None, str(change), "matches no stored row")
            )
        else:
            added_here = isinstance(prev, Upsert) and not prev.fresh
            state[(change.table, key)] = Delete(change.table, key, origin, added_here)
    if problems:
        raise ValidationFailed(problems)
    out = ChangeSet()
    for item in state.values():
        if isinstance(item, Upsert):
            out.upserts.append(item)
        else:
            out.deletes.append(item)
    return out


def _changes(scenario: Scenario) -> ChangeSet:
    return scenario_changes(scenario.changes, f"scenario {scenario.name}")


def check_scenario(store: Store, scenario: Scenario) -> ApplyReport:
    """Check a scenario's changes against the stored zone as ``apply`` would; write nothing."""
    return store.apply(_changes(scenario), dry_run=True)


@contextmanager
def scenario_store(store: Store, scenario: Scenario) -> Iterator[EmbeddedStore]:
    """A throwaway embedded copy of the stored zone with the scenario's changes applied."""
    changes = _changes(scenario)
    with tempfile.TemporaryDirectory(prefix="zonegraph-scenario-") as tmp:
        copy = scratch_copy(store, Path(tmp) / "copy.lbug")
        try:
            copy.apply(changes)
            yield copy
        finally:
            copy.close()


def run_in_scenario(
    store: Store,
    scenario: Scenario,
    name: str,
    params: Mapping[str, object],
    page: Page | None = None,
) -> Result:
    """Run a catalog query on the scenario's copy of the zone (one ``page`` of its rows, or
    all of them)."""
    get_query(name)  # an unknown name fails before the copy is built
    with scenario_store(store, scenario) as copy:
        return run(copy, name, params, page)


SUMMARY_METRICS = (
    "operating",
    "org_covered",
    "work_only",
    "uncovered",
    "org_coverage_rate",
    "own_org_rate",
    "coverage_rate",
)


def diff_rows(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows only before (``change`` = ``-``) and only after (``+``), in their own order."""

    def key(r: dict[str, Any]) -> str:
        return json.dumps(r, sort_keys=True, ensure_ascii=False, default=str)

    b, a = {key(r) for r in before}, {key(r) for r in after}
    return [{"change": "-", **r} for r in before if key(r) not in a] + [
        {"change": "+", **r} for r in after if key(r) not in b
    ]


def diff_scenario(
    store: Store, scenario: Scenario, name: str | None = None, params: Mapping[str, object] = {}
) -> tuple[list[str], list[dict[str, Any]]]:
    """Before and after, side by side: the zone's summary, or one query's changed rows.

    Returns the columns and the rows. Without ``name``: one row per summary metric
    (metric, before, after, change). With ``name``: the rows that differ, marked - or +.
    """
    query = name or "zone_summary"
    get_query(query)
    with scenario_store(store, scenario) as copy:
        before, after = run(store, query, params).rows, run(copy, query, params).rows
        if name is None:
            extra = {
                "should_form_branch": (
                    len(run(store, "should_form_branch").rows),
                    len(run(copy, "should_form_branch").rows),
                ),
                "studios_below_minimum": (
                    sum(r["below_minimum"] for r in run(store, "studio_load").rows),
                    sum(r["below_minimum"] for r in run(copy, "studio_load").rows),
                ),
            }
    if name is not None:
        return ["change", *get_query(name).columns], diff_rows(before, after)
    pairs = {m: (before[0][m], after[0][m]) for m in SUMMARY_METRICS} | extra
    rows = [
        {"metric": m, "before": b, "after": a, "change": round(a - b, 6)}
        for m, (b, a) in pairs.items()
    ]
    return ["metric", "before", "after", "change"], rows


#: Queries whose diff has a net change by firm (:func:`reach_net`): their rows are firms
#: with a distance and a coverage flag.
NET_QUERIES = ("alliance_reach",)


def reach_net(
    scenario: Scenario, rows: list[dict[str, Any]], alliance: str | None = None
) -> dict[str, int]:
    """The net change of a reach diff (``alliance_reach`` rows marked ``-`` and ``+``), by
    firm: a firm whose distance or coverage changed is a ``-`` row and a ``+`` row, one firm.

    Returns counts: ``entered`` / ``left`` the reach (and how many of them are
    ``..._uncovered``), ``joined`` (left the reach because the scenario makes it a member
    of ``alliance``), ``closer`` / ``farther``, and ``covered`` / ``uncovered`` (firms whose
    coverage changed either way).
    """
    before = {r["id"]: r for r in rows if r["change"] == "-"}
    after = {r["id"]: r for r in rows if r["change"] == "+"}
    members = {
        c.values.get("enterprise_id")
        for c in scenario.changes
        if c.op == "add"
        and c.table == "alliance_members"
        and alliance in (None, c.values.get("alliance_id"))
    }
    entered = [r for i, r in after.items() if i not in before]
    gone = [r for i, r in before.items() if i not in after]
    left = [r for r in gone if r["id"] not in members]
    both = [(before[i], after[i]) for i in after if i in before]
    return {
        "entered": len(entered),
        "entered_uncovered": sum(not r["covered"] for r in entered),
        "left": len(left),
        "left_uncovered": sum(not r["covered"] for r in left),
        "joined": len(gone) - len(left),
        "closer": sum(a["distance"] < b["distance"] for b, a in both),
        "farther": sum(a["distance"] > b["distance"] for b, a in both),
        "covered": sum(a["covered"] and not b["covered"] for b, a in both),
        "uncovered": sum(b["covered"] and not a["covered"] for b, a in both),
    }


def net_notes(net: dict[str, int]) -> list[Note]:
    """The net change as lines a person reads first (zeros left out), each a catalogue
    key (``plan.net.…``) with its values and its English text."""
    lines = [
        ("entered", "+{n} firms in reach, of which {u} uncovered", "entered_uncovered"),
        ("left", "−{n} firms out of reach, of which {u} uncovered", "left_uncovered"),
        ("joined", "{n} firm(s) became members (no longer counted in reach)", None),
        ("closer", "{n} firm(s) now fewer links away", None),
        ("farther", "{n} firm(s) now more links away", None),
        ("covered", "{n} firm(s) now covered", None),
        ("uncovered", "{n} firm(s) no longer covered", None),
    ]
    notes = []
    for name, text, part in lines:
        if net[name]:
            values = {"n": net[name]} | ({"u": net[part]} if part else {})
            notes.append(Note(f"plan.net.{name}", text.format(**values), **values))
    return notes or [Note("plan.net.none", "The reach does not change")]


def apply_scenario(
    store: Store, scenario: Scenario, audit: AuditEvent | None = None
) -> ApplyReport:
    """Write the scenario's changes to the stored graph in one transaction.

    A scenario already in effect — every row it adds is stored as it says, every row it
    removes is gone — is not written again and its report changes nothing. So applying it
    twice is applying it once: a process killed after its write landed but before it dropped
    the scenario file is simply run again.
    """
    changes = _changes(scenario)
    settled = ChangeSet(
        changes.upserts,
        [Delete(d.table, d.key, d.origin, missing_ok=True) for d in changes.deletes],
    )
    try:
        probe = store.apply(settled, dry_run=True)
    except ValidationFailed:
        probe = None  # not in effect; the real apply says why it is refused
    if probe is not None and probe.written() == 0:
        return probe
    return store.apply(changes, audit=audit)
