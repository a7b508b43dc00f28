"""Progress a person can see: messages, and rows done of a total.

A progress callback is any ``progress(message)`` function (:data:`Progress`). One that also
has a ``rows(what, done, total)`` method (:class:`RowProgress`) is told, besides, how far a
long step has come: the command line draws a bar with rows/s and time left from it
(:mod:`api.cli_progress`). Code that does long work
calls :func:`rows_done`, which tells whichever kind it was given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

Progress = Callable[[str], None]

#: How often, in rows, a loop that works row by row says how far it has come.
EVERY = 10_000


@runtime_checkable
class RowProgress(Protocol):
    """A progress callback that also takes rows done of a total."""

    def __call__(self, message: str) -> None: ...

    def rows(self, what: str, done: int, total: int) -> None:
        """``done`` of ``total`` rows of the step ``what`` (``reading enterprises.csv``)."""


def quiet(_: str) -> None:
    """The progress callback that says nothing."""
    return None


def rows_done(progress: Progress, what: str, done: int, total: int) -> None:
    """Tell ``progress`` how far the step ``what`` has come, if it takes rows."""
    if isinstance(progress, RowProgress):
        progress.rows(what, done, total)
