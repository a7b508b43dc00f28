"""The ``Store`` protocol: what every backend (embedded LadybugDB, Neo4j) must do.

No method edits or deletes an audit entry (:mod:`graph_model.audit`).

One conformance suite (``tests/test_store_conformance.py``) runs against every backend.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal, Protocol

from graph_model.audit import DEFAULT_LIMIT, AuditEntry, AuditEvent
from graph_model.changes import ApplyReport, ChangeSet
from graph_model.mapping import Zone
from graph_model.snapshots import Snapshot

Dialect = Literal["ladybug", "neo4j"]


class Store(Protocol):
    """A graph database holding one zone."""

    #: Which Cypher dialect the catalog must use with this store.
    dialect: Dialect

    def apply_schema(self) -> None:
        """Create the node and relationship tables (or constraints) if they are missing."""

    def apply(
        self, changes: ChangeSet, *, dry_run: bool = False, audit: AuditEvent | None = None
    ) -> ApplyReport:
        """Check ``changes`` against the stored zone and write them in one transaction.

        The check (:func:`graph_model.resolve.resolve`) reads only the rows and nodes the
        change set names, inside the write transaction; the write touches only the rows
        that change. With ``dry_run`` the check runs and nothing is written.

        With ``audit``, an audit entry with the report's counts and keys is written in the
        same transaction: both land or neither does. A refused change set, a dry run and a
        change set that changes nothing write no entry.

        Raises
        ------
        ValidationFailed
            With every problem found; nothing was written.
        StoreBusy
            Another write held the database too long, or a cluster stayed unavailable.
        """

    def replace(
        self,
        zone: Zone,
        *,
        audit: AuditEvent | None = None,
        history: Sequence[AuditEntry] = (),
    ) -> None:
        """Replace the whole graph with ``zone`` in one transaction: all of it or none of it.

        The zone must already be validated; references that do not resolve are a bug.
        The audit trail is kept: ``history`` entries not stored yet (by id) are added (a
        restore's), and ``audit`` as a new entry with the zone's counts, in the same
        transaction.
        """

    def record(self, event: AuditEvent) -> AuditEntry:
        """Write one audit entry on its own (an account or token change), and return it."""

    def snapshot(self, action: str = "snapshot") -> Snapshot:
        """Write a snapshot of the zone summary on its own (``zonegraph snapshot``), and
        return it. ``apply`` (when it changes something) and ``replace`` write one in their
        own transaction, after the change (:mod:`graph_model.snapshots`)."""

    def snapshots(self, since: str | None = None) -> list[Snapshot]:
        """Snapshots at or after ``since`` (a date or an ISO time, UTC), oldest first."""

    def audit_log(
        self, *, since: str | None = None, user: str | None = None, limit: int = DEFAULT_LIMIT
    ) -> list[AuditEntry]:
        """Audit entries at or after ``since`` (ISO 8601 UTC text, a date or a time) by
        ``user``, newest first, at most ``limit``."""

    def read_archive(self) -> tuple[Zone, list[AuditEntry]]:
        """The zone and the whole audit trail (oldest first), in one read transaction."""

    def read(self) -> Zone:
        """Read the whole graph back as contract tables, in one read transaction."""

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read query with parameters and return its rows as dicts in column order."""

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type."""

    def firm_count(self) -> int:
        """Number of firms (enterprises), cheaply: healthchecks ask it while queries run."""

    def generation(self) -> Hashable:
        """A cheap token that changes whenever the stored zone may have changed.

        Caches of derived data (the planners' projection, :mod:`queries.projection`) keep
        what they built under it and rebuild when it differs. The embedded store gives the
        live file's identity (every write swaps in a new file); the Neo4j store a count of
        its own writes and a short time window, for writes made by other processes.
        """

    def close(self) -> None:
        """Release the database (open files, the driver's connections)."""
