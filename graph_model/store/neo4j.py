"""The Neo4j store: the official driver, ``neo4j://`` URIs so a cluster routes reads and writes.

Written for the driver's 6.x API and Neo4j 5.21 or later: the catalog's Cypher uses
``EXISTS { … }``/``COUNT { … }`` subqueries (Neo4j 5), quantified path patterns (5.9) and
``ANY SHORTEST`` paths (5.21). Connecting checks the server's version (``docs/neo4j.md``).

* **Schema first**: connecting (:func:`~graph_model.store.open_store`) and every ``replace``
  create the uniqueness constraints and indexes (:func:`~graph_model.ddl.neo4j_ddl`) and wait
  for them to be online, so a load's ``MATCH (a:Label {id: row.src})`` is an index seek.
* **Reads** of one query go through ``execute_query`` routed to a reader (``READ``); the zone
  as a whole (``read``, ``counts``) is read in one read transaction (a session in ``READ``
  access mode, ``execute_read``), so it is one snapshot, served by a secondary in a cluster.
* **Writes** run in managed transactions (``execute_write``): ``apply`` checks the change set
  inside the same transaction that writes it, so a concurrent write cannot slip in between,
  and writes only the rows that change, as ``UNWIND`` batches of ``MERGE``/``SET``/``DELETE``.
  ``replace`` deletes and recreates the whole graph in one transaction: ``CREATE`` in
  ``UNWIND`` batches of :data:`LOAD_BATCH` rows, nodes label by label, then relationships
  whose ends are matched by their constrained ``id``. An audit entry
  (:mod:`graph_model.audit`) is written by the same transaction as the change it records;
  ``replace`` deletes only the schema's labels, so the audit trail stays (and the zone
  summary's snapshots, :mod:`graph_model.snapshots`, written the same way). Both set the
  firms' coverage state (:mod:`graph_model.coverage_state`) in the same transaction.
* **Read your writes**: every session shares the driver's ``execute_query`` bookmark manager,
  so a read after a write sees it, on whichever cluster member serves it.
* **Errors**: the driver retries a managed transaction on errors it marks retryable (a leader
  change, a deadlock) for up to 30 s; if they persist the store raises
  :class:`~graph_model.errors.StoreBusy` ("try again", HTTP 503, exit 1). A bad URI is a
  :class:`~graph_model.errors.ConfigError`, an unreachable server a
  :class:`~graph_model.errors.StoreUnavailable`: one line each, never a driver traceback.

Labels and types in statement text come only from :mod:`graph_model.schema`; every value is
a parameter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from graph_model import coverage_state
from graph_model.audit import (
    DEFAULT_LIMIT,
    AuditEntry,
    AuditEvent,
    audit_create_statement,
    audit_merge_statement,
    audit_statements,
    read_all,
    read_log,
)
from graph_model.changes import ApplyReport, ChangeSet
from graph_model.ddl import neo4j_ddl
from graph_model.errors import ConfigError, StoreBusy, StoreError, StoreUnavailable
from graph_model.mapping import Zone, rel_props, to_graph
from graph_model.resolve import resolve
from graph_model.schema import NODE_KINDS, REL_KINDS
from graph_model.settings import Settings
from graph_model.snapshots import Snapshot, read_snapshots, snapshot_statements, take_snapshot
from graph_model.store.base import Dialect
from graph_model.store.statements import (
    Run,
    count_graph,
    keyed_statements,
    read_statements,
    read_zone,
)
from graph_model.store.writes import diff_statements, write_statement_texts

if TYPE_CHECKING:
    import neo4j

T = TypeVar("T")

#: URI schemes of the Bolt protocol (``neo4j`` ones route across a cluster).
SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")

#: Rows per ``UNWIND … CREATE`` statement of a whole-zone load (``replace``): big enough that
#: the statement overhead vanishes, small enough that one parameter list stays a few MB.
LOAD_BATCH = 10_000

#: How long connecting waits for new indexes to come online before a load uses them.
INDEX_WAIT_S = 300

AWAIT_INDEXES_STATEMENT = f"CALL db.awaitIndexes({INDEX_WAIT_S})"

#: The oldest Neo4j whose Cypher runs every statement zonegraph sends (``ANY SHORTEST``).
MINIMUM_VERSION = (5, 21)

#: Seconds a projection of the zone (:mod:`queries.projection`) may lag behind writes that
#: other processes make to the same Neo4j database.
GENERATION_TTL = 30

VERSION_STATEMENT = (
    "CALL dbms.components() YIELD name, versions "
    "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version"
)


def check_version(version: str, uri: str) -> None:
    """Refuse a Neo4j older than :data:`MINIMUM_VERSION` (``5.20.0``; ``2025.01.0`` is newer)."""
    try:
        numbers = tuple(int(part) for part in version.split("-")[0].split(".")[:2])
    except ValueError:
        return  # an unfamiliar version string: let the server answer for itself
    if numbers < MINIMUM_VERSION:
        need = ".".join(map(str, MINIMUM_VERSION))
        raise ConfigError(
            f"Neo4j {version} at {uri} is too old: zonegraph's queries need Neo4j {need} or later"
        )


def delete_statement(label: str) -> str:
    return f"MATCH (n:{label}) DETACH DELETE n"


def node_write_statement(label: str) -> str:
    return f"UNWIND $rows AS row CREATE (n:{label}) SET n = row"


def rel_write_statement(rtype: str, src: str, dst: str) -> str:
    props = ", ".join(f"{p}: row.{p}" for p in rel_props(rtype))
    body = f" {{{props}}}" if props else ""
    return (
        f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}}) "
        f"CREATE (a)-[:{rtype}{body}]->(b)"
    )


def statements() -> dict[str, str]:
    """Every statement text this store sends, by a descriptive name (for the Cypher lint)."""
    out = {f"ddl:{i}": s for i, s in enumerate(neo4j_ddl())}
    for n in NODE_KINDS:
        out[f"delete:{n.label}"] = delete_statement(n.label)
        out[f"write:{n.label}"] = node_write_statement(n.label)
    for r in REL_KINDS:
        for a, b in r.ends:
            out[f"write:{r.type}:{a}:{b}"] = rel_write_statement(r.type, a, b)
    out["version"] = VERSION_STATEMENT
    out["await_indexes"] = AWAIT_INDEXES_STATEMENT
    return (
        out
        | read_statements()
        | keyed_statements()
        | write_statement_texts("neo4j")
        | audit_statements()
        | snapshot_statements()
        | coverage_state.statement_texts()
    )


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _tx_run(tx: neo4j.ManagedTransaction) -> Run:
    """Reads through one transaction, as the shared read functions expect them."""

    def run(cypher: str, params: Mapping[str, Any] | None) -> list[dict[str, Any]]:
        result = tx.run(cypher, dict(params or {}))
        keys = result.keys()
        return [dict(zip(keys, record.values(), strict=True)) for record in result]

    return run


class Neo4jStore:
    """A zone graph in a Neo4j database (server or cluster)."""

    dialect: Dialect = "neo4j"

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str,
        batch_size: int = 5000,
        load_batch_size: int = LOAD_BATCH,
    ) -> None:
        self._driver = driver
        self._database = database
        self._batch = batch_size
        self._load_batch = load_batch_size
        self._writes = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        import neo4j

        uri = settings.neo4j_uri
        if not uri:
            raise ConfigError("ZONEGRAPH_BACKEND=neo4j needs NEO4J_URI (e.g. neo4j://localhost)")
        if urlsplit(uri).scheme not in SCHEMES:
            raise ConfigError(
                f"NEO4J_URI {uri!r} is not a Neo4j address: use neo4j://host:7687 "
                f"(a cluster), bolt://host:7687 (one server), or {', '.join(SCHEMES[1:])}"
            )
        auth = (settings.neo4j_user, settings.neo4j_password or "")
        try:
            driver = neo4j.GraphDatabase.driver(uri, auth=auth)
        except (neo4j.exceptions.ConfigurationError, ValueError) as exc:
            raise ConfigError(f"NEO4J_URI {uri!r}: {exc}") from exc
        try:
            driver.verify_connectivity()
        except neo4j.exceptions.AuthError as exc:
            driver.close()
            raise StoreUnavailable(f"Neo4j at {uri} refused the credentials of NEO4J_USER") from exc
        except neo4j.exceptions.Neo4jError as exc:
            driver.close()
            raise StoreError(f"Neo4j refused the connection: {exc.message}") from exc
        except (neo4j.exceptions.DriverError, OSError) as exc:
            driver.close()
            raise StoreUnavailable(f"cannot reach Neo4j at {uri}: {_first_line(exc)}") from exc
        store = cls(driver, settings.neo4j_database, settings.batch_size)
        try:
            rows = store.run(VERSION_STATEMENT)
            if rows:
                check_version(str(rows[0]["version"]), uri)
        except BaseException:
            driver.close()
            raise
        return store

    def _guard(self, fn: Callable[[], T]) -> T:
        """Run ``fn``, turning the driver's errors into zonegraph's."""
        import neo4j

        try:
            return fn()
        except neo4j.exceptions.Neo4jError as exc:
            if exc.is_retryable():
                raise StoreBusy(f"Neo4j is busy ({exc.code}); try again") from exc
            raise StoreError(f"Neo4j error {exc.code}: {exc.message}") from exc
        except neo4j.exceptions.DriverError as exc:
            if exc.is_retryable():
                raise StoreBusy(
                    f"Neo4j is unavailable for now ({_first_line(exc)}); try again"
                ) from exc
            raise StoreUnavailable(f"Neo4j unavailable: {_first_line(exc)}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"Neo4j unavailable: {exc}") from exc

    def _session(self, access: str) -> neo4j.Session:
        # The bookmark manager execute_query uses: a read after a write sees the write, on
        # whichever cluster member serves it. The access mode routes the session: READ to
        # a secondary (or any primary), WRITE to the leader.
        return self._driver.session(
            database=self._database,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
            default_access_mode=access,
        )

    def _read(self, work: Callable[[Run], T]) -> T:
        import neo4j

        def go() -> T:
            with self._session(neo4j.READ_ACCESS) as session:
                return session.execute_read(lambda tx: work(_tx_run(tx)))

        return self._guard(go)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        import neo4j

        def go() -> T:
            with self._session(neo4j.WRITE_ACCESS) as session:
                return session.execute_write(work)

        return self._guard(go)

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        import neo4j

        def go() -> list[dict[str, Any]]:
            records, _, keys = self._driver.execute_query(
                cypher,
                parameters_=dict(params or {}),
                database_=self._database,
                routing_=neo4j.RoutingControl.READ,
            )
            return [dict(zip(keys, r.values(), strict=True)) for r in records]

        return self._guard(go)

    def apply_schema(self) -> None:
        """Constraints and indexes (waited for); then firms written before the coverage state
        was kept get theirs, once."""
        self._schema(fill=True)

    def _schema(self, *, fill: bool) -> None:
        import neo4j

        statements = [*neo4j_ddl(), AWAIT_INDEXES_STATEMENT]
        if fill:
            statements.append(coverage_state.fill_missing_statement())

        def go() -> None:
            # One auto-committed transaction each, on the leader: Neo4j refuses schema
            # changes in a transaction that also writes data.
            for statement in statements:
                self._driver.execute_query(
                    statement, database_=self._database, routing_=neo4j.RoutingControl.WRITE
                )

        self._guard(go)

    def apply(
        self, changes: ChangeSet, *, dry_run: bool = False, audit: AuditEvent | None = None
    ) -> ApplyReport:
        if dry_run:
            report = self._read(lambda run: resolve(changes, run).report)
            report.dry_run = True
            return report

        def work(tx: neo4j.ManagedTransaction) -> ApplyReport:
            # Checked inside the writing transaction: a retry checks again.
            run = _tx_run(tx)
            resolution = resolve(changes, run)
            statements = diff_statements("neo4j", resolution.diff, self._batch)
            if statements:  # the firms' coverage state, read before the write changes it
                statements += coverage_state.refresh_statements(resolution.diff, run)
            for text, params in statements:
                tx.run(text, params).consume()
            if statements:
                _snap(tx, audit.action if audit is not None else "write")
            if audit is not None and statements:
                entry = audit.with_report(resolution.report).stamped()
                tx.run(audit_create_statement(), rows=[entry.to_row()]).consume()
            return resolution.report

        report = self._write(work)
        self._writes += 1
        return report

    def replace(
        self,
        zone: Zone,
        *,
        audit: AuditEvent | None = None,
        history: Sequence[AuditEntry] = (),
    ) -> None:
        batch = coverage_state.with_states(to_graph(zone))
        added = [audit.with_zone(zone).stamped()] if audit is not None else []
        # Constraints before the first row: relationships find their ends by index seek.
        self._schema(fill=False)  # a replace writes every firm's state itself

        def work(tx: neo4j.ManagedTransaction) -> None:
            # Only the schema's labels are deleted: the audit trail stays where it is.
            for node in NODE_KINDS:
                tx.run(delete_statement(node.label)).consume()
            # All nodes before any relationship, so every end is there to be matched.
            for label, rows in batch.nodes.items():
                for chunk in _chunks(rows, self._load_batch):
                    tx.run(node_write_statement(label), rows=chunk).consume()
            for rel in batch.rels:
                text = rel_write_statement(rel.type, rel.src_label, rel.dst_label)
                for chunk in _chunks(rel.rows, self._load_batch):
                    tx.run(text, rows=chunk).consume()
            _snap(tx, audit.action if audit is not None else "replace")
            for chunk in _chunks([e.to_row() for e in history], self._batch):
                tx.run(audit_merge_statement(), rows=chunk).consume()
            if added:
                tx.run(audit_create_statement(), rows=[e.to_row() for e in added]).consume()

        self._write(work)
        self._writes += 1

    def snapshot(self, action: str = "snapshot") -> Snapshot:
        return self._write(lambda tx: _snap(tx, action))

    def snapshots(self, since: str | None = None) -> list[Snapshot]:
        return self._read(lambda run: read_snapshots(run, since))

    def record(self, event: AuditEvent) -> AuditEntry:
        entry = event.stamped()

        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(audit_create_statement(), rows=[entry.to_row()]).consume()

        self._write(work)
        return entry

    def audit_log(
        self, *, since: str | None = None, user: str | None = None, limit: int = DEFAULT_LIMIT
    ) -> list[AuditEntry]:
        return self._read(lambda run: read_log(run, since, user, limit))

    def read_archive(self) -> tuple[Zone, list[AuditEntry]]:
        return self._read(lambda run: (read_zone(run), read_all(run)))

    def read(self) -> Zone:
        return self._read(read_zone)

    def counts(self) -> dict[str, int]:
        return self._read(count_graph)

    def firm_count(self) -> int:
        # The driver's pool gives this its own connection: it never queues behind a query.
        return int(self.run("MATCH (e:Enterprise) RETURN count(e) AS n")[0]["n"])

    def generation(self) -> Hashable:
        """This store's own writes, and the current window of ``GENERATION_TTL`` seconds.

        Neo4j keeps no cheap change counter, and other processes (or cluster members)
        write too: a write through this store is seen at once, one made elsewhere within
        ``GENERATION_TTL`` seconds.
        """
        return (self._writes, int(time.monotonic() // GENERATION_TTL))

    def close(self) -> None:
        self._driver.close()


def _snap(tx: neo4j.ManagedTransaction, action: str) -> Snapshot:
    """Write a snapshot of the zone as ``tx`` sees it (after the change it wrote)."""
    snap, (text, params) = take_snapshot(_tx_run(tx), action)
    tx.run(text, params).consume()
    return snap


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
