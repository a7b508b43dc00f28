"""How the embedded database file changes: never in place, always whole, by atomic rename.

LadybugDB checkpoints a write into its database file through a write-ahead log and a shadow
file. Killing the process while it checkpoints left the database with no rows at all after
its own recovery (measured 8 of 8 times with LadybugDB 0.22, see ``docs/crash-safety.md``),
and a read-only open refuses while that recovery is pending. So zonegraph never lets
LadybugDB write the live file:

1. a writer takes the database's write lock (``<db>.write-lock``, ``flock``; another writer
   waits for it, so concurrent writes both land, one after the other);
2. it writes into ``<db>.next``: a copy of the live file for a change set, or a new file for
   a bulk replace, and lets LadybugDB commit and checkpoint there and close it;
3. it flushes ``<db>.next`` to disk and renames it over the live file (atomic on POSIX),
   then flushes the folder.

Every reader opens the live file read-only, so a process killed at any moment leaves the
live file exactly as before (the rename had not happened) or exactly as after (it had);
what it left of ``<db>.next`` is removed by the next writer. A refused write never creates
``<db>.next`` at all, so it leaves the live file untouched, bytes and all.

``ZONEGRAPH_CRASH_AT=<point>`` makes a writer kill itself with SIGKILL at a named point;
the crash tests use it to stop a real process at each step (:data:`CRASH_POINTS`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from graph_model.errors import StoreBusy

#: The moments of a write a crash test can stop a writer at, in order.
CRASH_POINTS = ("checked", "copied", "written", "committed", "closed", "synced", "swapped")

#: Files LadybugDB keeps beside a database while a write or a checkpoint is unfinished.
LADYBUG_SIDE_FILES = (".wal", ".wal.checkpoint", ".shadow", ".checkpoint")


def crash_point(name: str) -> None:
    """Kill this process here if ``ZONEGRAPH_CRASH_AT`` names this point (crash tests)."""
    if os.environ.get("ZONEGRAPH_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def side_files(path: Path) -> list[Path]:
    """LadybugDB's unfinished-write files beside ``path`` (a pending recovery if any)."""
    return sorted(
        p
        for p in path.parent.glob(path.name + ".*")
        if p.name[len(path.name) :].startswith(LADYBUG_SIDE_FILES)
    )


def _fsync(path: Path, *, folder: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if folder else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` inside the kernel (a reflink where the file system shares
    blocks), and flush it to disk."""
    with src.open("rb") as fin, dst.open("wb") as fout:
        size = os.fstat(fin.fileno()).st_size
        try:
            done = 0
            while done < size:
                sent = os.copy_file_range(fin.fileno(), fout.fileno(), size - done)
                if sent == 0:
                    break
                done += sent
        except OSError:
            fin.seek(0)
            fout.seek(0)
            fout.truncate()
            shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())


class WriteLock:
    """The database's one-writer-at-a-time lock, across threads and processes."""

    def __init__(self, path: Path, wait: float, on_wait: Callable[[str], None] | None) -> None:
        self.database = path
        self.file = path.with_name(path.name + ".write-lock")
        self.wait = wait
        self.on_wait = on_wait
        self._thread = threading.Lock()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        deadline = time.monotonic() + self.wait
        if not self._thread.acquire(timeout=max(self.wait, 0.0)):
            raise StoreBusy(self._busy_message())
        try:
            fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                self._acquire(fd, deadline)
                # Written in place, padded: truncating makes ext4 flush the file (~50 ms).
                os.pwrite(fd, f"{os.getpid():<20}".encode(), 0)
                yield
            finally:
                os.close(fd)  # closing the descriptor releases the flock
        finally:
            self._thread.release()

    def _acquire(self, fd: int, deadline: float) -> None:
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(self._busy_message()) from None
                if not told and self.on_wait is not None:
                    self.on_wait(f"waiting for another write ({self._holder()}) to finish")
                    told = True
                time.sleep(0.05)

    def _holder(self) -> str:
        try:
            pid = self.file.read_text().strip()
        except OSError:
            pid = ""
        return f"PID {pid}" if pid.isdigit() else "another process"

    def _busy_message(self) -> str:
        return (
            f"the database {self.database} is busy: {self._holder()} is writing to it; "
            "try again when it has finished"
        )


class Generations:
    """The live database file and the next one a writer builds beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.next = path.with_name(path.name + ".next")

    def clear_next(self) -> None:
        """Remove what a killed writer left (call with the write lock held)."""
        for leftover in [self.next, *self.next.parent.glob(self.next.name + ".*")]:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()

    def start_copy(self) -> Path:
        """``<db>.next`` as a copy of the live file."""
        self.clear_next()
        copy_file(self.path, self.next)
        crash_point("copied")
        return self.next

    def start_empty(self) -> Path:
        """``<db>.next`` not yet created (LadybugDB creates it)."""
        self.clear_next()
        return self.next

    def swap(self) -> None:
        """Make ``<db>.next`` the live file: flush, rename, flush the folder."""
        pending = side_files(self.next)
        if pending:
            names = ", ".join(p.name for p in pending)
            raise OSError(f"the new database file was not closed cleanly ({names} remain)")
        _fsync(self.next)
        crash_point("synced")
        os.replace(self.next, self.path)
        crash_point("swapped")
        _fsync(self.path.parent, folder=True)
