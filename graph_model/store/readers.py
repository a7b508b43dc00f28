"""Read connections on the live database file: many at once, one open database per version.

A writer never changes the live file; it renames a new file over it
(:mod:`graph_model.store.swap`). So each version of the file (each inode) is opened once,
read-only, and lends connections to as many readers as ask at once: LadybugDB runs queries
on different connections of one database in parallel, and its Python binding releases the
GIL while a query runs (measured: a Python thread kept its full speed beside a running
query). A reader takes a connection of the newest version, runs, and gives it back.

When a writer swaps a new file in, the next reader opens the new version; readers still on
the old one finish there (its inode lives while it is open, so they see the zone as it was
when they started) and the last of them closes it. No reader ever waits for a writer, and a
writer never waits for, nor refuses, a reader.

At most ``readers`` queries run at once; more wait for one to finish. Every running query
takes its working memory from the version's buffer pool: 32 at once on a 1 GiB pool failed
now and then with "the buffer pool is full" (16 to 27 of 400–600 requests in a minute on
the 1,500-firm demo zone; 1 of 87 with 8 at once on a 100,000-firm zone), and more queries at
once than cores only share the CPU. A query that still finds the pool full is run again
alone (:meth:`ReadPool.connection` with ``alone``): it waits for the running ones to
finish, and the others wait for it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_model.errors import StoreUnavailable

#: Worker threads of each open version. LadybugDB queues a query's tasks behind the tasks
#: of queries already running once its workers are taken: with its default (one per core)
#: a one-row count waited 3.0 s behind four long traversals; with 64 workers, each query
#: still limited to the cores, it answered in 22 ms beside eight of them.
ENGINE_THREADS = 64


#: Least address space a database opened here reserves (LadybugDB's ``max_db_size``, a power
#: of two). LadybugDB reserves 8 TiB per open database by default, so about 15 open at once
#: fill a 47-bit address space: 32 users asking for what-ifs (each opens copies) made it
#: fail with "Mmap for size 8796093022208 failed". A file can only grow while it is written.
MIN_ADDRESS_SPACE = 1 << 36


def address_space(path: Path, growth: int) -> int:
    """A ``max_db_size`` for ``path``: room for ``growth`` times its size, a power of two."""
    need = max(os.path.getsize(path) * growth, MIN_ADDRESS_SPACE)
    return 1 << (need - 1).bit_length()


class Gate:
    """At most ``limit`` holders at once, or one alone; one waiting to be alone goes first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._cond = threading.Condition()
        self._running = 0
        self._alone = False
        self._waiting_alone = 0

    def waiting_alone(self) -> bool:
        """Whether a holder is waiting to be alone (new holders then wait behind it)."""
        with self._cond:
            return self._waiting_alone > 0

    @contextmanager
    def held(self, *, alone: bool = False) -> Iterator[None]:
        with self._cond:
            if alone:
                self._waiting_alone += 1
                self._cond.wait_for(lambda: not self._alone and self._running == 0)
                self._waiting_alone -= 1
                self._alone = True
            else:
                self._cond.wait_for(
                    lambda: (
                        not self._alone and not self._waiting_alone and self._running < self.limit
                    )
                )
            self._running += 1
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                self._alone = self._alone and not alone
                self._cond.notify_all()


@dataclass(eq=False)
class Version:
    """One version of the live file, open read-only, with the connections it lends."""

    identity: tuple[int, int]
    db: Any
    idle: list[Any] = field(default_factory=list)
    lent: int = 0
    retired: bool = False
    #: Answers that cannot change while this version is live (the file is never written).
    memo: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()
        self.db.close()


class ReadPool:
    """Connections on the newest version of the file at ``path``, lent one reader at a time.

    Parameters
    ----------
    path
        The live database file.
    open_database
        Opens ``path`` read-only and returns the LadybugDB database (its errors already
        translated into zonegraph's).
    """

    def __init__(self, path: Path, open_database: Callable[[int], Any], readers: int) -> None:
        self.path = path
        self._open_database = open_database
        self._gate = Gate(readers)
        self._lock = threading.Lock()  # held for bookkeeping and opening only, never a query
        self._current: Version | None = None
        self._threads = os.cpu_count() or 1

    def _newest(self) -> Version:
        """The version now live, opening it if a writer has swapped it in (lock held)."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError as exc:
            raise StoreUnavailable(f"the database {self.path} has disappeared") from exc
        identity = (stat.st_dev, stat.st_ino)
        current = self._current
        if current is not None and current.identity == identity:
            return current
        if current is not None:
            self._retire(current)
        # Stat before opening: if a writer swaps in between, the next reader reopens.
        self._current = Version(identity, self._open_database(ENGINE_THREADS))
        return self._current

    def _retire(self, version: Version) -> None:
        version.retired = True
        if version.lent == 0:
            version.close()
        if self._current is version:
            self._current = None

    def newest(self) -> Version:
        """The version now live, without borrowing a connection (to read its memo)."""
        with self._lock:
            return self._newest()

    @contextmanager
    def connection(
        self, *, queue: bool = True, alone: bool = False
    ) -> Iterator[tuple[Version, Any]]:
        """A connection of the newest version, for one reader until the block ends.

        ``queue=False`` skips the wait for a free slot: only for a query known to be tiny.
        ``alone`` waits until no other query runs, and keeps the others waiting meanwhile.
        """
        if not queue:
            with self._lent() as lent:
                yield lent
            return
        with self._gate.held(alone=alone), self._lent() as lent:
            yield lent

    @contextmanager
    def _lent(self) -> Iterator[tuple[Version, Any]]:
        import ladybug

        with self._lock:
            version = self._newest()
            conn = version.idle.pop() if version.idle else None
            version.lent += 1
        ok = False
        try:
            if conn is None:
                conn = ladybug.Connection(version.db, num_threads=self._threads)
            yield version, conn
            ok = True
        finally:
            with self._lock:
                version.lent -= 1
                if conn is not None and ok and not version.retired:
                    version.idle.append(conn)
                elif conn is not None:
                    # A connection a failure left mid-transaction is not lent again.
                    conn.close()
                if version.retired and version.lent == 0:
                    version.close()

    def close(self) -> None:
        """Close every version; one still lent is closed by its last reader."""
        with self._lock:
            if self._current is not None:
                self._retire(self._current)
