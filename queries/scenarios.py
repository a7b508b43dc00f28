"""What-if scenarios: a named list of changes, tried on a copy, written only on ``apply``.

A change adds or removes one contract row (an alliance member, a supply link, a coverage
row, a new organization — any table of the contract). Trying a scenario reads the stored
zone, applies the changes, validates the result exactly as a load would, and loads it into
a throwaway embedded database in a temporary folder; any catalog query then runs on that
copy. The stored graph is untouched until :func:`apply_scenario`, which writes the changed
zone in one transaction.

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

from graph_model.errors import BadParameter, NotFound, Problem, ValidationFailed
from graph_model.mapping import Zone
from graph_model.schema import TABLE
from graph_model.store.base import Store
from graph_model.store.embedded import EmbeddedStore
from loaders.readers import RawTable
from loaders.validate import check_zone, parse_table
from queries.catalog import Result, get_query, run

Op = Literal["add", "remove"]
_NAME = re.compile(r"^[\w-]{1,64}$")


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
        if not _NAME.match(name):
            raise BadParameter(f"scenario name {name!r}: use letters, digits, _ or - (≤ 64)")
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
            raise BadParameter(f"scenario {name!r} already exists")
        scenario = Scenario(name, [], note)
        self.save(scenario)
        return scenario

    def drop(self, name: str) -> None:
        path = self._path(name)
        if not path.exists():
            raise NotFound(f"no scenario named {name!r}")
        path.unlink()


def _typed_row(change: Change, source: str) -> dict[str, Any]:
    """The change's values parsed as its table's contract columns (errors as Problems)."""
    if change.table not in TABLE:
        raise BadParameter(f"{change.table!r} is not a table ({', '.join(TABLE)})")
    spec = TABLE[change.table]
    raw = RawTable(spec, source, list(change.values), [(1, list(change.values.values()))])
    problems: list[Problem] = []
    parsed = parse_table(raw, problems)
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
    return {k: row[k] for k in [c.name for c in spec.columns] if k in change.values} | {
        k: v for k, v in row.items() if k not in change.values and change.op == "add"
    }


def apply_changes(zone: Zone, changes: list[Change], source: str) -> Zone:
    """A new zone with ``changes`` applied in order, validated as a load would be."""
    tables = {name: [dict(r) for r in rows] for name, rows in zone.tables.items()}
    for number, change in enumerate(changes, start=1):
        where = f"{source} change {number}"
        row = _typed_row(change, where)
        spec = TABLE[change.table]
        key = tuple(row.get(k) for k in spec.key)
        rows = tables[change.table]
        kept = [r for r in rows if tuple(r.get(k) for k in spec.key) != key]
        if change.op == "remove":
            if len(kept) == len(rows):
                raise ValidationFailed(
                    [Problem(where, None, None, str(change), "matches no stored row")]
                )
        else:
            old = next((r for r in rows if tuple(r.get(k) for k in spec.key) == key), {})
            # Adding a row that exists changes only the columns the change names.
            kept.append({**row, **{k: old[k] for k in old if k not in change.values}})
        tables[change.table] = kept
    result = Zone(tables)
    check_zone(result, source)
    return result


@contextmanager
def scenario_store(store: Store, scenario: Scenario) -> Iterator[EmbeddedStore]:
    """A throwaway embedded copy of the stored zone with the scenario's changes applied."""
    zone = apply_changes(store.read(), scenario.changes, f"scenario {scenario.name}")
    with tempfile.TemporaryDirectory(prefix="zonegraph-scenario-") as tmp:
        copy = EmbeddedStore(Path(tmp) / "copy.lbug")
        try:
            copy.apply_schema()
            copy.replace(zone)
            yield copy
        finally:
            copy.close()


def run_in_scenario(
    store: Store, scenario: Scenario, name: str, params: Mapping[str, object]
) -> Result:
    """Run a catalog query on the scenario's copy of the zone."""
    get_query(name)  # an unknown name fails before the copy is built
    with scenario_store(store, scenario) as copy:
        return run(copy, name, params)


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


def apply_scenario(store: Store, scenario: Scenario) -> Zone:
    """Write the scenario's changes to the stored graph in one transaction; return the zone."""
    zone = apply_changes(store.read(), scenario.changes, f"scenario {scenario.name}")
    store.replace(zone)
    return zone
