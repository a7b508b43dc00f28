"""Dated snapshots of the zone summary, kept in the graph database beside the audit trail.

Every write of the zone (``Store.apply`` that changes something, ``Store.replace``) writes
one :data:`SNAPSHOT_LABEL` node in the same transaction as the change, so a snapshot always
describes a zone that was committed: a crash leaves both or neither. ``Store.snapshot``
writes one on its own (``zonegraph snapshot``). Account changes (``Store.record``) write
none: they do not change the zone.

Like the audit entries (:mod:`graph_model.audit`), snapshots are declared here, not in
:mod:`graph_model.schema`, so ``Store.read``, exports, counts, statistics and catalog
queries never see them, and no relationship touches one. A snapshot holds counts only, never
rates: a rate is computed from the counts by :mod:`queries.rates`, so changing what a rate
means changes its history too, and no two definitions can be stored side by side.

What a snapshot costs: one aggregate over the firms (a handful of rows per street), read in
the writing transaction, and one node of a few hundred bytes per street.

Every property is text (the counts as JSON), as the audit entries', so both engines store
them alike and ``at`` (ISO 8601 UTC, fixed width) sorts as time does.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "SNAPSHOT_LABEL",
    "SNAPSHOT_PROPS",
    "Snapshot",
    "ladybug_snapshot_ddl",
    "neo4j_snapshot_ddl",
    "read_snapshots",
    "snapshot_create_statement",
    "snapshot_statements",
    "take_snapshot",
]

#: The label (LadybugDB: node table) of snapshots.
SNAPSHOT_LABEL = "ZoneSnapshot"

#: Their properties, all text: ``summary`` and ``streets`` are JSON objects of counts.
SNAPSHOT_PROPS = ("id", "at", "action", "summary", "streets")

#: The coverage states counted (as :mod:`graph_model.coverage_state` names them).
STATES = ("own", "joint", "work", "none")

#: One aggregate over the firms: a few rows per street, whatever the zone's size.
SUMMARY_STATEMENT = (
    "MATCH (e:Enterprise) "
    "RETURN e.street AS street, e.status = 'operating' AS operating, e.coverage AS coverage, "
    "count(*) AS n"
)

Run = Callable[[str, Mapping[str, Any] | None], list[dict[str, Any]]]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Snapshot:
    """The zone summary at one moment: operating firms per coverage state, zone-wide and
    per street (``""`` for firms without a street), and the closed firms."""

    id: str
    at: str
    action: str
    counts: dict[str, int]
    closed: int = 0
    streets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def date(self) -> str:
        """The UTC date (``2026-12-02``)."""
        return self.at[:10]

    @property
    def operating(self) -> int:
        return sum(self.counts.get(s, 0) for s in STATES)

    def to_row(self) -> dict[str, str]:
        """The snapshot as the database stores it (every property text)."""
        summary = {**self.counts, "closed": self.closed}
        return {
            "id": self.id,
            "at": self.at,
            "action": self.action,
            "summary": json.dumps(summary, sort_keys=True),
            "streets": json.dumps(self.streets, ensure_ascii=False, sort_keys=True),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Snapshot:
        summary = json.loads(row.get("summary") or "{}")
        streets = json.loads(row.get("streets") or "{}")
        return cls(
            id=str(row["id"]),
            at=str(row["at"]),
            action=str(row.get("action") or ""),
            counts={s: int(summary.get(s) or 0) for s in STATES},
            closed=int(summary.get("closed") or 0),
            streets={
                str(name): {s: int(c.get(s) or 0) for s in STATES} for name, c in streets.items()
            },
        )


def summarize(rows: list[dict[str, Any]], action: str) -> Snapshot:
    """A new snapshot (id, the time now) from :data:`SUMMARY_STATEMENT`'s rows."""
    counts = dict.fromkeys(STATES, 0)
    streets: dict[str, dict[str, int]] = {}
    closed = 0
    for r in rows:
        n = int(r["n"] or 0)
        if r["operating"] is not True:  # closed, or no status at all: not an operating firm
            closed += n if r["operating"] is False else 0
            continue
        state = r["coverage"] if r["coverage"] in STATES else "none"
        counts[state] += n
        street = streets.setdefault(str(r["street"] or ""), dict.fromkeys(STATES, 0))
        street[state] += n
    return Snapshot(uuid.uuid4().hex, _now(), action, counts, closed, dict(sorted(streets.items())))


def take_snapshot(run: Run, action: str) -> tuple[Snapshot, tuple[str, dict[str, Any]]]:
    """The zone summary as ``run`` reads it (inside the writing transaction, after the
    change), and the statement that stores it."""
    snap = summarize(run(SUMMARY_STATEMENT, None), action)
    return snap, (snapshot_create_statement(), {"rows": [snap.to_row()]})


# -- statements ------------------------------------------------------------------------------
def ladybug_snapshot_ddl() -> str:
    cols = ", ".join(f"{p} STRING" for p in SNAPSHOT_PROPS)
    return f"CREATE NODE TABLE IF NOT EXISTS {SNAPSHOT_LABEL}({cols}, PRIMARY KEY(id))"


def neo4j_snapshot_ddl() -> str:
    return (
        f"CREATE CONSTRAINT zonesnapshot_id IF NOT EXISTS "
        f"FOR (n:{SNAPSHOT_LABEL}) REQUIRE n.id IS UNIQUE"
    )


def snapshot_create_statement() -> str:
    """Create the snapshots in ``$rows`` (each a :meth:`Snapshot.to_row`)."""
    props = ", ".join(f"{p}: row.{p}" for p in SNAPSHOT_PROPS)
    return f"UNWIND $rows AS row CREATE (s:{SNAPSHOT_LABEL} {{{props}}})"


def snapshot_read_statement() -> str:
    """Snapshots at or after ``$since`` ('' for all), oldest first."""
    cols = ", ".join(f"s.{p} AS {p}" for p in SNAPSHOT_PROPS)
    return f"MATCH (s:{SNAPSHOT_LABEL}) WHERE s.at >= $since RETURN {cols} ORDER BY s.at, s.id"


def snapshot_statements() -> dict[str, str]:
    """Every snapshot statement text, by name (for the Cypher lint)."""
    return {
        "snapshot:summary": SUMMARY_STATEMENT,
        "snapshot:create": snapshot_create_statement(),
        "snapshot:read": snapshot_read_statement(),
        "snapshot:ddl": neo4j_snapshot_ddl(),
    }


def read_snapshots(run: Run, since: str | None = None) -> list[Snapshot]:
    """Every snapshot at or after ``since`` (a date or an ISO time, UTC), oldest first,
    through a store's ``run``."""
    rows = run(snapshot_read_statement(), {"since": since or ""})
    return [Snapshot.from_row(r) for r in rows]
