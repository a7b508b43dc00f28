"""An import that runs while its page shows how far it has come.

A big upload's check and commit take longer than a person waits for a page, so the import
page runs them as a :class:`Job` in a thread of its own and answers at once with the job's
page (``/import/jobs/{id}``): the step it is on, rows done of the total, rows/s and the
time left, refreshed every second by a ``<meta http-equiv="refresh">`` (no script, which
the pages' CSP would refuse inline anyway). Once the job is done, the same address shows
what the synchronous import shows: the preview, the problems, or the result.

The job is its own progress callback: ``job("message")`` starts a step, and
``job.rows(what, done, total)`` (the row-level half of the loaders' progress callback) says
how far that step has come. Jobs are kept in memory, for their starter only, for an hour.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph_model.errors import NotFound

#: A job's page and result stay this long (seconds) after it started.
TTL = 3600.0
#: Uploads from this size (bytes) are checked and committed as a job with a progress page;
#: smaller ones answer at once, as they always did.
BACKGROUND_BYTES = 1 << 20


@dataclass
class Job:
    """One check or commit running in the background, and what it has said so far."""

    id: str
    user: str
    what: str  # "check" or "commit"
    source: str
    started: float = field(default_factory=time.monotonic)
    step: str = ""
    step_started: float = field(default_factory=time.monotonic)
    done_rows: int = 0
    total_rows: int = 0
    finished: float | None = None
    outcome: Any = None
    error: Exception | None = None
    _ended: threading.Event = field(default_factory=threading.Event, repr=False)

    def __call__(self, message: str) -> None:
        """A new step (``progress("message")``, as every loader says it)."""
        self.step, self.step_started = message, time.monotonic()
        self.done_rows = self.total_rows = 0

    def rows(self, what: str, done: int, total: int) -> None:
        """``done`` of ``total`` rows of the step ``what``."""
        if what != self.step:
            self(what)
        self.done_rows, self.total_rows = done, total

    @property
    def running(self) -> bool:
        return not self._ended.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the job to end; whether it has."""
        return self._ended.wait(timeout)

    def status(self) -> dict[str, Any]:
        """What the progress page and the JSON status show."""
        now = time.monotonic() if self.finished is None else self.finished
        step_time = now - self.step_started
        rate = self.done_rows / step_time if self.done_rows and step_time > 0 else None
        left = None
        if rate and self.total_rows >= self.done_rows:
            left = (self.total_rows - self.done_rows) / rate
        return {
            "id": self.id,
            "what": self.what,
            "source": self.source,
            "state": "running" if self.running else ("failed" if self.error else "done"),
            "step": self.step,
            "rows_done": self.done_rows,
            "rows_total": self.total_rows,
            "percent": (100 * self.done_rows // self.total_rows) if self.total_rows else None,
            "rows_per_second": round(rate) if rate else None,
            "seconds": round(now - self.started, 1),
            "seconds_left": round(left, 1) if left is not None else None,
        }


class Jobs:
    """The running and recently ended jobs of one app."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, user: str, what: str, source: str, work: Callable[[Job], Any]) -> Job:
        """Run ``work(job)`` in a thread; its answer (or the exception it raised) is kept."""
        job = Job(secrets.token_urlsafe(18), user, what, source)
        with self._lock:
            self._sweep()
            self._jobs[job.id] = job

        def run() -> None:
            try:
                job.outcome = work(job)
            except Exception as exc:  # kept for the page, which says what went wrong
                job.error = exc
            finally:
                job.finished = time.monotonic()
                job._ended.set()

        threading.Thread(target=run, name=f"import-{what}", daemon=True).start()
        return job

    def find(self, job_id: str, user: str) -> Job:
        """The job ``job_id`` of ``user`` (someone else's is as unknown as a made-up id)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.user != user:
            raise NotFound(f"no import job {job_id!r}")
        return job

    def _sweep(self) -> None:
        old = time.monotonic() - TTL
        for key in [k for k, j in self._jobs.items() if not j.running and j.started < old]:
            del self._jobs[key]


#: The jobs of this process (a job's thread runs in the process that serves its page).
JOBS = Jobs()
