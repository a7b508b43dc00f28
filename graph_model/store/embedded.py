"""The embedded store: LadybugDB on disk, nothing to start.

Readers open the live database file read-only; writers never touch it. A write builds the
next version of the file beside it and renames it into place (:mod:`graph_model.store.swap`),
so a process killed at any moment leaves the zone as it was before or as it is after. Reads
run in parallel on connections of the newest version of the file
(:mod:`graph_model.store.readers`): a read that starts after a swap, here or in another
process, reads the new file; one already running finishes on the file it started on.

* ``apply`` checks a change set against the live file (under the write lock, so nothing
  changes meanwhile), then copies the file and writes only the changed rows into the copy
  with ``MATCH``/``SET``/``DELETE`` by primary key in one transaction.
* An audit entry (:mod:`graph_model.audit`) is written into the same next file as the change
  it records; ``replace`` carries the trail over into its new file. So is a snapshot of the
  zone summary (:mod:`graph_model.snapshots`), read from that file after the change and
  carried over by ``replace`` like the trail.
* ``replace`` writes a whole zone into a new file with ``COPY … FROM <Arrow table>`` (a zone
  of rows is turned into typed Arrow columns first; the fast load hands its columns as they
  are). ``UNWIND … MATCH … CREATE`` for relationships was measured far slower for whole
  tables: the planner does not use the primary-key index for two-node patterns.
* Both write each firm's coverage state (:mod:`graph_model.coverage_state`) in the same
  transaction: ``replace`` with the firms it copies, ``apply`` for the firms the change can
  affect.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from graph_model import coverage_state
from graph_model.arrow_zone import ArrowGraph, ArrowZone, arrow_graph
from graph_model.audit import (
    AUDIT_LABEL,
    AUDIT_PROPS,
    DEFAULT_LIMIT,
    AuditEntry,
    AuditEvent,
    audit_create_statement,
    read_all,
    read_log,
)
from graph_model.changes import ApplyReport, ChangeSet
from graph_model.ddl import ladybug_ddl, ladybug_migration
from graph_model.errors import PoolFull, StoreError, StoreLocked, StoreUnavailable
from graph_model.mapping import Zone, to_graph
from graph_model.progress import Progress, quiet, rows_done
from graph_model.resolve import Resolution, resolve
from graph_model.schema import RELS
from graph_model.snapshots import (
    SNAPSHOT_LABEL,
    SNAPSHOT_PROPS,
    Snapshot,
    read_snapshots,
    take_snapshot,
)
from graph_model.store.base import Dialect
from graph_model.store.readers import ReadPool, address_space
from graph_model.store.statements import count_graph, read_zone
from graph_model.store.swap import Generations, WriteLock, copy_file, crash_point, side_files
from graph_model.store.writes import Statement, diff_statements

_POOL_FULL = re.compile(r"buffer pool is full|Unable to allocate memory", re.I)
_LOCK = re.compile(r"Could not set lock on file\s*:\s*(?P<path>\S+).*?held by PID (?P<pid>\d+)")

#: Rows per UNWIND statement when writing a change set.
BATCH = 10_000

T = TypeVar("T")
Rows = Callable[[str, Mapping[str, Any] | None], list[dict[str, Any]]]


def _translate(exc: Exception, path: Path) -> StoreError:
    """Turn a LadybugDB ``RuntimeError`` into the most specific zonegraph error."""
    text = str(exc)
    if m := _LOCK.search(text):
        return StoreLocked(
            f"the database {path} is in use by another program (PID {m['pid']}); "
            "stop it or use another ZONEGRAPH_DB"
        )
    if _POOL_FULL.search(text):
        return PoolFull(
            f"the database {path} ran short of memory (its buffer pool is full); "
            "try again, or raise ZONEGRAPH_BUFFER_POOL_MB"
        )
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return StoreError(f"embedded database error: {first}")


class EmbeddedStore:
    """A zone graph in a LadybugDB database file at ``path``.

    Parameters
    ----------
    path
        The database file. Without ``read_only``, a missing file is created (empty, with the
        schema).
    read_only
        Never write zones: ``apply`` and ``replace`` refuse, and a missing file is an error.
        (A file from an older zonegraph is still upgraded to the schema on open.)
    buffer_pool_mb
        LadybugDB's page cache for each open file, in MiB (LadybugDB's own default is 80%
        of the machine's memory).
    write_wait
        Seconds a write waits for another write to finish before giving up as busy.
    on_wait
        Told once when a write has to wait (the CLI prints it).
    readers
        Queries that run at once (more wait their turn); by default one per 128 MiB of
        buffer pool, at least 2: each takes its working memory from the pool.
    """

    dialect: Dialect = "ladybug"

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        buffer_pool_mb: int = 1024,
        write_wait: float = 60.0,
        on_wait: Callable[[str], None] | None = None,
        readers: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._pool = buffer_pool_mb << 20
        self._files = Generations(self.path)
        self._writer = WriteLock(self.path, write_wait, on_wait)
        self._readers = ReadPool(self.path, self._open, readers or max(2, buffer_pool_mb // 128))
        if self.path.is_dir():
            raise StoreUnavailable(f"{self.path} is a folder, not a zonegraph database file")
        if not self.path.exists():
            if read_only:
                raise StoreUnavailable(
                    f"no database at {self.path}; build one with `zonegraph demo`"
                )
            self._create()
        if side_files(self.path):
            self._recover()
        with self._readers.connection():
            pass  # open the file now: a file LadybugDB refuses (locked, damaged) fails here
        self.apply_schema()

    # -- opening -----------------------------------------------------------------------------
    def _open(self, threads: int) -> Any:
        """The live file opened read-only (the read pool opens each version with this)."""
        import ladybug

        try:
            return ladybug.Database(
                str(self.path),
                read_only=True,
                buffer_pool_size=self._pool,
                max_num_threads=threads,
                max_db_size=address_space(self.path, 2),
            )
        except FileNotFoundError as exc:
            raise StoreUnavailable(f"the database {self.path} has disappeared") from exc
        except RuntimeError as exc:
            raise _translate(exc, self.path) from exc

    def _recover(self) -> None:
        """Let LadybugDB finish an interrupted write of its own in the live file (files that
        zonegraph did not write this way: an older version's, or another program's)."""
        import ladybug

        with self._writer.held():
            if not side_files(self.path):
                return
            try:
                db = ladybug.Database(str(self.path), buffer_pool_size=self._pool)
                db.close()
            except RuntimeError as exc:
                raise _translate(exc, self.path) from exc

    def _create(self) -> None:
        with self._writer.held():
            if self.path.exists():
                return
            self._write_new(lambda conn: None)

    # -- low level ---------------------------------------------------------------------------
    def _execute(self, conn: Any, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            return conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            raise _translate(exc, self.path) from exc

    def _rows(
        self, conn: Any, cypher: str, params: Mapping[str, Any] | None
    ) -> list[dict[str, Any]]:
        result = self._execute(conn, cypher, params)
        try:
            cols: list[str] = result.get_column_names()
            return [
                dict(zip(cols, map(_plain, values), strict=True)) for values in result.get_all()
            ]
        finally:
            result.close()

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            with self._readers.connection() as (_, conn):
                return self._rows(conn, cypher, params)
        except PoolFull:
            with self._readers.connection(alone=True) as (_, conn):
                return self._rows(conn, cypher, params)

    def _reading(self, reads: Callable[[Rows], T]) -> T:
        """``reads`` in one read transaction; run again alone if the buffer pool was full."""
        try:
            with self._snapshot() as run:
                return reads(run)
        except PoolFull:
            with self._snapshot(alone=True) as run:
                return reads(run)

    @contextmanager
    def _snapshot(self, *, alone: bool = False) -> Iterator[Rows]:
        """Reads in one read transaction on one file, however many statements they take."""
        with self._readers.connection(alone=alone) as (_, conn):
            self._execute(conn, "BEGIN TRANSACTION READ ONLY")
            try:
                yield lambda cypher, params: self._rows(conn, cypher, params)
            finally:
                self._execute(conn, "COMMIT")

    def firm_count(self) -> int:
        """Number of firms in the live file: counted once per version of the file (a
        healthcheck asks often and must not queue behind long queries)."""
        firms: int | None = self._readers.newest().memo.get("firms")
        if firms is not None:
            return firms
        # A count by primary key is tiny: it need not wait for a free slot.
        with self._readers.connection(queue=False) as (version, conn):
            rows = self._rows(conn, "MATCH (e:Enterprise) RETURN count(*) AS n", None)
            firms = version.memo["firms"] = int(rows[0]["n"])
            return firms

    # -- Store protocol ----------------------------------------------------------------------
    def apply_schema(self) -> None:
        """Bring the database up to the schema: tables, columns and relationship ends that
        a newer zonegraph added (written like any other change: a new file, swapped in).

        Every open does this, read-only ones included: a database written by an older
        zonegraph is upgraded on first use, so every command can read it.
        """
        statements = ladybug_migration(*self._catalog())
        if not statements:
            return

        def migrate(conn: Any) -> None:
            for statement in statements:
                self._execute(conn, statement)

        with self._writer.held():
            self._files.clear_next()
            self._write_copy(migrate)

    def _catalog(self) -> tuple[dict[str, set[str]], dict[str, set[tuple[str, str]]]]:
        """Each table's columns, and each relationship table's ends, as the file has them."""

        def catalog(run: Rows) -> tuple[dict[str, set[str]], dict[str, set[tuple[str, str]]]]:
            columns: dict[str, set[str]] = {}
            ends: dict[str, set[tuple[str, str]]] = {}
            for table in run("CALL show_tables() RETURN name, type", None):
                name = table["name"]
                info = run(f"CALL table_info('{_name(name)}') RETURN name", None)
                columns[name] = {c["name"] for c in info}
                if table["type"] == "REL":
                    pairs = run(f"CALL show_connection('{_name(name)}') RETURN *", None)
                    ends[name] = {
                        (p["source table name"], p["destination table name"]) for p in pairs
                    }
            return columns, ends

        return self._reading(catalog)

    def apply(
        self, changes: ChangeSet, *, dry_run: bool = False, audit: AuditEvent | None = None
    ) -> ApplyReport:
        if dry_run:
            report = self._reading(lambda run: resolve(changes, run).report)
            report.dry_run = True
            return report
        self._writable()
        with self._writer.held():
            self._files.clear_next()
            # The write lock is held from this check to the swap, so no other writer can
            # swap a file in between: the file checked is the file copied.
            resolution, refresh = self._reading(lambda run: _resolved(changes, run))
            crash_point("checked")
            if resolution.diff.size() == 0:
                return resolution.report
            statements = diff_statements("ladybug", resolution.diff, BATCH) + refresh
            if audit is not None:
                statements.append(_entry_statement(audit.with_report(resolution.report)))

            def write(conn: Any) -> None:
                self._execute(conn, "BEGIN TRANSACTION")
                for text, params in statements:
                    self._execute(conn, text, params)
                self._snap(conn, audit.action if audit is not None else "write")
                crash_point("written")
                self._execute(conn, "COMMIT")

            self._write_copy(write)
        return resolution.report

    def _snap(self, conn: Any, action: str) -> Snapshot:
        """Write a snapshot of the zone as ``conn``'s transaction sees it (after the change)."""
        snap, (text, params) = take_snapshot(lambda c, p: self._rows(conn, c, p), action)
        self._execute(conn, text, params)
        return snap

    def snapshot(self, action: str = "snapshot") -> Snapshot:
        """See :meth:`Store.snapshot`."""
        self._writable()
        taken: list[Snapshot] = []

        def write(conn: Any) -> None:
            self._execute(conn, "BEGIN TRANSACTION")
            taken.append(self._snap(conn, action))
            self._execute(conn, "COMMIT")

        with self._writer.held():
            self._files.clear_next()
            self._write_copy(write)
        return taken[0]

    def snapshots(self, since: str | None = None) -> list[Snapshot]:
        """See :meth:`Store.snapshots`."""
        with self._snapshot() as run:
            return read_snapshots(run, since)

    def replace(
        self,
        zone: Zone | ArrowZone,
        *,
        audit: AuditEvent | None = None,
        history: Sequence[AuditEntry] = (),
        progress: Progress = quiet,
    ) -> None:
        """See :meth:`Store.replace`; a zone of Arrow columns is copied in as it is, and
        ``progress`` is told the rows of each table as they are copied."""
        self._writable()
        graph = zone.graph() if isinstance(zone, ArrowZone) else arrow_graph(to_graph(zone))
        batch = coverage_state.with_arrow_states(graph)
        added = [audit.with_zone(zone).stamped()] if audit is not None else []

        def write(conn: Any, trail: list[AuditEntry], snaps: list[Snapshot]) -> None:
            self._execute(conn, "BEGIN TRANSACTION")
            self._copy(conn, batch, progress)
            if trail:
                rows = [e.to_row() for e in trail]
                frame = _frame(rows, list(AUDIT_PROPS))
                self._execute(conn, f"COPY {AUDIT_LABEL} FROM $frame", {"frame": frame})
            if snaps:
                frame = _frame([s.to_row() for s in snaps], list(SNAPSHOT_PROPS))
                self._execute(conn, f"COPY {SNAPSHOT_LABEL} FROM $frame", {"frame": frame})
            self._snap(conn, audit.action if audit is not None else "replace")
            crash_point("written")
            self._execute(conn, "COMMIT")

        with self._writer.held():
            # The new file starts empty: the trail so far is carried into it, read under
            # the write lock so no entry lands in between.
            with self._snapshot() as run:
                kept, snaps = read_all(run), read_snapshots(run)
            stored = {e.id for e in kept}
            trail = [*kept, *(e for e in history if e.id not in stored), *added]
            crash_point("checked")
            self._write_new(lambda conn: write(conn, trail, snaps))

    def record(self, event: AuditEvent) -> AuditEntry:
        self._writable()
        entry = event.stamped()
        text, params = _entry_statement(entry)

        def write(conn: Any) -> None:
            self._execute(conn, text, params)

        with self._writer.held():
            self._files.clear_next()
            self._write_copy(write)
        return entry

    def audit_log(
        self, *, since: str | None = None, user: str | None = None, limit: int = DEFAULT_LIMIT
    ) -> list[AuditEntry]:
        with self._snapshot() as run:
            return read_log(run, since, user, limit)

    def read_archive(self) -> tuple[Zone, list[AuditEntry]]:
        with self._snapshot() as run:
            return read_zone(run), read_all(run)

    def read(self) -> Zone:
        return self._reading(read_zone)

    def counts(self) -> dict[str, int]:
        return self._reading(count_graph)

    def copy_to(self, path: Path) -> None:
        """Copy the live database file to ``path`` (a consistent copy: it is never written
        in place)."""
        copy_file(self.path, path)

    def generation(self) -> Hashable:
        """The live file's identity: a write never changes the file, it renames a new one
        over it, so any write (from any process) gives a new inode and times."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError as exc:
            raise StoreUnavailable(f"the database {self.path} has disappeared") from exc
        return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)

    def close(self) -> None:
        self._readers.close()

    # -- writing the next file ---------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the database {self.path} was opened read-only")

    def _write_copy(self, write: Callable[[Any], None]) -> None:
        """Write into a copy of the live file, then swap it in (write lock held)."""
        target = self._files.start_copy()
        # A change set adds to a copy: room for it to grow 16-fold (at least 64 GiB).
        self._finish(target, write, address_space(target, 16))

    def _write_new(self, write: Callable[[Any], None]) -> None:
        """Write a new file from scratch, with the schema, then swap it in (write lock held)."""

        def with_schema(conn: Any) -> None:
            for statement in ladybug_ddl():
                self._execute(conn, statement)
            write(conn)

        self._finish(self._files.start_empty(), with_schema)

    def _finish(
        self, target: Path, write: Callable[[Any], None], reserve: int | None = None
    ) -> None:
        """Write ``target``, close it and swap it in; on any failure remove it and raise."""
        error: BaseException | None = None
        try:
            self._write_into(target, write, reserve)
            crash_point("closed")
            self._files.swap()
        except BaseException as exc:
            self._files.clear_next()
            error = self._detached(exc, target)
        if error is not None:
            raise error

    def _write_into(self, target: Path, write: Callable[[Any], None], reserve: int | None) -> None:
        import ladybug

        db = ladybug.Database(str(target), buffer_pool_size=self._pool, max_db_size=reserve)
        try:
            conn = ladybug.Connection(db)
            try:
                write(conn)
                crash_point("committed")
            finally:
                conn.close()
        finally:
            db.close()  # checkpoints: swap() refuses a file whose checkpoint is unfinished

    def _detached(self, exc: BaseException, target: Path) -> BaseException:
        """The error a failed write raises, holding no reference to the write's frames.

        A traceback keeps the frames' locals alive, and a LadybugDB database they hold keeps
        its address-space reservation (8 TiB) until it is freed: a long-running process that
        kept such errors ran out of address space.
        """
        if isinstance(exc, RuntimeError):
            exc = _translate(exc, target)
        elif isinstance(exc, OSError):
            exc = StoreError(f"could not write the database {self.path}: {exc}")
        exc.__cause__ = exc.__context__ = None
        return exc.with_traceback(None)

    def _copy(self, conn: Any, batch: ArrowGraph, progress: Progress) -> None:
        """Every node table, then every relationship table, by ``COPY`` from Arrow tables."""
        total = sum(t.num_rows for t in batch.nodes.values())
        total += sum(r.table.num_rows for r in batch.rels)
        done = 0
        for label, table in batch.nodes.items():
            if table.num_rows:
                # Firms carry their coverage state too (a node-only column, the last).
                self._execute(conn, f"COPY {label} FROM $frame", {"frame": table})
                done += table.num_rows
                rows_done(progress, "writing", done, total)
        for rel in batch.rels:
            many_ends = len(RELS[rel.type].ends) > 1
            opts = f" (from='{rel.src_label}', to='{rel.dst_label}')" if many_ends else ""
            self._execute(conn, f"COPY {rel.type} FROM $frame{opts}", {"frame": rel.table})
            done += rel.table.num_rows
            rows_done(progress, "writing", done, total)


def _resolved(changes: ChangeSet, run: Rows) -> tuple[Resolution, list[Statement]]:
    """A change set checked against the live file, and the statements that keep the firms'
    coverage state right after it (read from the same snapshot)."""
    resolution = resolve(changes, run)
    return resolution, coverage_state.refresh_statements(resolution.diff, run)


def _entry_statement(event: AuditEvent | AuditEntry) -> tuple[str, dict[str, Any]]:
    """The statement writing one audit entry (an event is stamped now)."""
    entry = event.stamped() if isinstance(event, AuditEvent) else event
    return audit_create_statement(), {"rows": [entry.to_row()]}


def _name(table: str) -> str:
    """A table name from the database's own catalog, checked before it goes into a call."""
    if not table.isidentifier():
        raise StoreError(f"the database has a table named {table!r}, which zonegraph did not make")
    return table


def _plain(value: Any) -> Any:
    """LadybugDB returns some aggregates as ``Decimal``; callers get plain ints and floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _frame(rows: list[dict[str, Any]], cols: list[str]) -> pd.DataFrame:
    """A DataFrame of Python objects (None for missing): LadybugDB's scan rejects pandas'
    nullable extension dtypes, so every column stays ``object``."""
    return pd.DataFrame([[r.get(c) for c in cols] for r in rows], columns=cols, dtype=object)
