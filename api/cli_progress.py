"""Progress on the command line: a bar with rows/s and time left on a terminal, plain lines
otherwise.

:func:`shown_progress` gives a :class:`~graph_model.progress.RowProgress` for the length of
a command. On a terminal (stderr is one) each long step (``reading enterprises.csv``,
``checking …``, ``writing``) gets a rich bar with its rows done of the total, rows per
second and the time left, and messages print above the bars. Elsewhere (a pipe, a log file,
the tests) every message is one line, and a step prints one line when it starts and then at
each quarter of its rows (one line only, for a step done at once), so a log shows how far a
load came without a line per batch.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

#: The parts of a step a plain log reports: a line at each of these fractions of its rows.
QUARTERS = (0.25, 0.5, 0.75, 1.0)


class LineProgress:
    """Progress as plain lines on a stream (stderr when it is not a terminal)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self._said: dict[str, int] = {}
        self._started: dict[str, float] = {}

    def _print(self, line: str) -> None:
        print(line, file=self.stream or sys.stderr, flush=True)

    def __call__(self, message: str) -> None:
        self._print(message)

    def rows(self, what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if what not in self._said:
            self._said[what] = 0
            self._started[what] = now
            if done < total:  # a step done at once says so in one line
                self._print(f"{what}: {total:,} rows")
        reached = sum(1 for q in QUARTERS if done >= q * total)
        if reached <= self._said[what]:
            return
        self._said[what] = reached
        seconds = now - self._started[what]
        rate = f", {done / seconds:,.0f} rows/s" if seconds > 0 and done else ""
        self._print(f"{what}: {done:,} of {total:,} rows ({100 * done // max(total, 1)}%){rate}")


class BarProgress:
    """Progress as rich bars on a terminal, one per step, with rows/s and time left."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, message: str) -> None:
        self.bars.console.print(message, markup=False, highlight=False)

    def rows(self, what: str, done: int, total: int) -> None:
        task = self._tasks.get(what)
        if task is None:
            task = self._tasks[what] = self.bars.add_task(what, total=total)
        self.bars.update(task, completed=done, total=max(total, done))


class RateColumn(ProgressColumn):
    """Rows per second of a step."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "", style="progress.data.speed")


@contextmanager
def shown_progress(stream: TextIO | None = None) -> Iterator[LineProgress | BarProgress]:
    """Progress for one command: bars when ``stream`` (default stderr) is a terminal."""
    out = stream or sys.stderr
    if not out.isatty():
        yield LineProgress(stream)
        return
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        console=Console(file=out),
    )
    with bars:
        yield BarProgress(bars)
