"""The audit trail: who changed the zone, when, and what — kept in the graph database itself.

Every write (a load, a web import, an edit, a scenario's apply, a reconciliation's apply, a
restore, and the lead's account and token changes) hands the store an :class:`AuditEvent`;
the store stamps it with an id and the UTC time and writes it as an :data:`AUDIT_LABEL` node
in the same transaction as the change (``Store.apply(..., audit=)``, ``Store.replace(...,
audit=)``) or alone (``Store.record``). A refused write writes no entry; a write that would
change nothing writes neither change nor entry.

The entries are not part of the zone's contract: they are declared here, not in
:mod:`graph_model.schema`, so ``Store.read``, exports, counts, statistics, network views and
catalog queries (which all name the schema's labels) never see them. Nothing in zonegraph
edits or deletes an entry: the stores only create them, and a restore adds the backup's
entries to those already stored.

What an entry holds:

* ``counts``: always complete — per table, rows ``created``/``updated``/``deleted``/
  ``renamed`` for a change set, rows for a whole zone (``enterprises.rows``);
* ``keys``: the keys touched, per table, at most :data:`KEY_CAP` of them (a whole load would
  otherwise store the zone a second time); ``counts`` says how many there were in all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from graph_model.changes import key_of

if TYPE_CHECKING:
    from graph_model.changes import ApplyReport
    from graph_model.mapping import WholeZone

__all__ = [
    "AUDIT_LABEL",
    "AUDIT_PROPS",
    "KEY_CAP",
    "AuditEntry",
    "AuditEvent",
    "audit_create_statement",
    "audit_merge_statement",
    "audit_read_statement",
    "audit_statements",
    "ladybug_audit_ddl",
    "neo4j_audit_ddl",
]

#: The label (LadybugDB: node table) of audit entries; no relationship ever touches one.
AUDIT_LABEL = "AuditEntry"

#: The entries' properties, all text (counts and keys as JSON), so both engines store them
#: alike and ``at`` (ISO 8601 UTC, fixed width) sorts as time does.
AUDIT_PROPS = ("id", "at", "user", "action", "source", "counts", "keys", "detail")

#: Keys kept per table in one entry; the counts give the full number.
KEY_CAP = 100

#: How many entries a read returns unless told otherwise.
DEFAULT_LIMIT = 200


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _key_text(key: Sequence[Any]) -> list[str]:
    return ["" if v is None else str(v) for v in key]


@dataclass(frozen=True)
class AuditEvent:
    """What a writer says about its write: who, which action, from where, and what.

    ``user`` is ``cli:<OS user>`` on the command line and the account's name on the web;
    ``source`` is ``cli``, ``web`` (the pages) or ``api`` (the JSON API). The store fills
    ``counts`` and ``keys`` from what it actually wrote (:meth:`with_report`,
    :meth:`with_zone`), so the entry says what changed, not what was asked.
    """

    user: str
    action: str
    source: str
    counts: Mapping[str, int] = field(default_factory=dict)
    keys: Mapping[str, list[list[str]]] = field(default_factory=dict)
    detail: str = ""

    def with_report(self, report: ApplyReport) -> AuditEvent:
        """This event with a change set's counts and (capped) keys."""
        counts: dict[str, int] = {}
        for kind, per_table in (
            ("created", report.created),
            ("updated", report.updated),
            ("deleted", report.deleted),
        ):
            counts.update((f"{t}.{kind}", n) for t, n in per_table.items() if n)
        for table, _old, _new in report.renamed:
            counts[f"{table}.renamed"] = counts.get(f"{table}.renamed", 0) + 1
        keys = {t: [_key_text(k) for k in ks[:KEY_CAP]] for t, ks in report.keys.items() if ks}
        for table, old, new in report.renamed:
            keys.setdefault(table, [])
            if len(keys[table]) < KEY_CAP:
                keys[table].append([old, new])
        return replace(self, counts=dict(sorted(counts.items())), keys=dict(sorted(keys.items())))

    def with_zone(self, zone: WholeZone) -> AuditEvent:
        """This event with a whole zone's rows per table and (capped) keys."""
        counts = {f"{t}.rows": n for t, n in zone.counts().items() if n}
        keys: dict[str, list[list[str]]] = {}
        for table, rows in zone.head(KEY_CAP).tables.items():
            found = [k for r in rows if (k := key_of(table, r)) is not None]
            if found:
                keys[table] = [_key_text(k) for k in found]
        return replace(self, counts=dict(sorted(counts.items())), keys=dict(sorted(keys.items())))

    def stamped(self) -> AuditEntry:
        """The entry to store: this event with a new id and the time now (UTC)."""
        return AuditEntry(
            id=uuid.uuid4().hex,
            at=_now(),
            user=self.user,
            action=self.action,
            source=self.source,
            counts=dict(self.counts),
            keys={t: list(k) for t, k in self.keys.items()},
            detail=self.detail,
        )


@dataclass(frozen=True)
class AuditEntry:
    """One stored entry of the audit trail."""

    id: str
    at: str
    user: str
    action: str
    source: str
    counts: dict[str, int]
    keys: dict[str, list[list[str]]]
    detail: str = ""

    def to_row(self) -> dict[str, str]:
        """The entry as the database stores it (every property text)."""
        return {
            "id": self.id,
            "at": self.at,
            "user": self.user,
            "action": self.action,
            "source": self.source,
            "counts": json.dumps(self.counts, ensure_ascii=False, sort_keys=True),
            "keys": json.dumps(self.keys, ensure_ascii=False, sort_keys=True),
            "detail": self.detail,
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AuditEntry:
        """An entry from the database's (or a backup's) row of text properties."""
        counts = json.loads(row.get("counts") or "{}")
        keys = json.loads(row.get("keys") or "{}")
        if not isinstance(counts, dict) or not isinstance(keys, dict):
            raise ValueError("an audit entry's counts and keys are JSON objects")
        return cls(
            id=str(row["id"]),
            at=str(row["at"]),
            user=str(row.get("user") or ""),
            action=str(row.get("action") or ""),
            source=str(row.get("source") or ""),
            counts={str(k): int(v) for k, v in counts.items()},
            keys={str(t): [[str(p) for p in k] for k in ks] for t, ks in keys.items()},
            detail=str(row.get("detail") or ""),
        )

    def public(self) -> dict[str, Any]:
        """The entry as JSON for people and scripts (counts and keys as objects)."""
        return {
            "id": self.id,
            "at": self.at,
            "user": self.user,
            "action": self.action,
            "source": self.source,
            "counts": self.counts,
            "keys": self.keys,
            "detail": self.detail,
        }

    def summary(self) -> str:
        """The counts in one line, e.g. ``enterprises.created 2, coverage.deleted 1``."""
        return ", ".join(f"{k} {v}" for k, v in self.counts.items()) or "-"

    def key_summary(self, per_table: int = 5) -> str:
        """A few keys per table, e.g. ``enterprises: E1, E2 (+3)``."""
        parts = []
        for table, keys in self.keys.items():
            shown = ", ".join(" ".join(k) for k in keys[:per_table])
            more = len(keys) - per_table
            parts.append(f"{table}: {shown}" + (f" (+{more})" if more > 0 else ""))
        return "; ".join(parts)


# -- statements ------------------------------------------------------------------------------
def ladybug_audit_ddl() -> str:
    cols = ", ".join(f"{p} STRING" for p in AUDIT_PROPS)
    return f"CREATE NODE TABLE IF NOT EXISTS {AUDIT_LABEL}({cols}, PRIMARY KEY(id))"


def neo4j_audit_ddl() -> str:
    return (
        f"CREATE CONSTRAINT auditentry_id IF NOT EXISTS "
        f"FOR (n:{AUDIT_LABEL}) REQUIRE n.id IS UNIQUE"
    )


def audit_create_statement() -> str:
    """Create the entries in ``$rows`` (each a :meth:`AuditEntry.to_row`)."""
    props = ", ".join(f"{p}: row.{p}" for p in AUDIT_PROPS)
    return f"UNWIND $rows AS row CREATE (a:{AUDIT_LABEL} {{{props}}})"


def audit_merge_statement() -> str:
    """Add the entries in ``$rows`` that are not stored yet (a restore's; Neo4j)."""
    sets = ", ".join(f"a.{p} = row.{p}" for p in AUDIT_PROPS if p != "id")
    return f"UNWIND $rows AS row MERGE (a:{AUDIT_LABEL} {{id: row.id}}) ON CREATE SET {sets}"


def audit_read_statement() -> str:
    """Entries at or after ``$since`` ('' for all) by ``$user`` ('' for anyone), newest
    first, at most ``$limit``."""
    cols = ", ".join(f"a.{p} AS {p}" for p in AUDIT_PROPS)
    return (
        f"MATCH (a:{AUDIT_LABEL}) WHERE a.at >= $since AND ($user = '' OR a.user = $user) "
        f"RETURN {cols} ORDER BY a.at DESC, a.id DESC LIMIT $limit"
    )


def audit_all_statement() -> str:
    """Every entry, oldest first (a backup's, or a replace carrying the trail over)."""
    cols = ", ".join(f"a.{p} AS {p}" for p in AUDIT_PROPS)
    return f"MATCH (a:{AUDIT_LABEL}) RETURN {cols} ORDER BY a.at, a.id"


def audit_read_params(since: str | None, user: str | None, limit: int) -> dict[str, Any]:
    return {"since": since or "", "user": user or "", "limit": limit}


def audit_statements() -> dict[str, str]:
    """Every audit statement text, by name (for the Cypher lint)."""
    return {
        "audit:create": audit_create_statement(),
        "audit:merge": audit_merge_statement(),
        "audit:read": audit_read_statement(),
        "audit:all": audit_all_statement(),
        "audit:ddl": neo4j_audit_ddl(),
    }


def read_log(
    run: Callable[[str, Mapping[str, Any] | None], list[dict[str, Any]]],
    since: str | None,
    user: str | None,
    limit: int,
) -> list[AuditEntry]:
    """Entries through a store's ``run`` (see :func:`audit_read_statement`)."""
    rows = run(audit_read_statement(), audit_read_params(since, user, limit))
    return [AuditEntry.from_row(r) for r in rows]


def read_all(
    run: Callable[[str, Mapping[str, Any] | None], list[dict[str, Any]]],
) -> list[AuditEntry]:
    """Every entry through a store's ``run``, oldest first."""
    return [AuditEntry.from_row(r) for r in run(audit_all_statement(), None)]


def parse_since(text: str | None) -> str | None:
    """``--since``/``?since=`` as the text entries' ``at`` compares with: a date
    (``2026-12-01``, from its start) or a date and time (``2026-12-01T08:00``, UTC unless it
    names an offset, e.g. ``+08:00``).

    Raises
    ------
    BadParameter
        The text is neither.

    Examples
    --------
    >>> parse_since("2026-12-01")
    '2026-12-01'
    >>> parse_since("2026-12-01T08:00+08:00")
    '2026-12-01T00:00:00.000000Z'
    """
    from graph_model.errors import BadParameter

    if text is None or not text.strip():
        return None
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadParameter(
            f"since: {text!r} is not a date (2026-12-01) or a time (2026-12-01T08:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
