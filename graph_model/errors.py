"""Every error zonegraph raises on purpose.

::

    ZonegraphError
    ├── ConfigError            a setting is missing or wrong
    ├── StoreError             the database refused or failed an operation
    │   ├── StoreBusy          busy for now (another write, a cluster's leader change): retry
    │   │   └── StoreLocked    another program holds the embedded database file
    │   └── StoreUnavailable   the database cannot be reached or opened
    ├── ValidationFailed       input files break the contract (carries every Problem)
    ├── QueryError             a catalog query was called wrongly
    │   ├── UnknownQuery       (also a LookupError) no query has that name
    │   └── BadParameter       a parameter is missing, of the wrong type or out of range
    ├── NotFound               (also a LookupError) an id names nothing in the graph
    ├── AccountError           an account or token request that cannot be done (a name
    │                          taken, an unknown role or user, a password too short)
    ├── NotSignedIn            the request carries no valid sign-in or token
    ├── Forbidden              the signed-in user's role or street grant does not allow it
    └── BodyTooLarge           a request's body is over its limit

Driver and database exceptions are translated into these at the store boundary, so
no ``RuntimeError`` from LadybugDB or ``neo4j.exceptions.*`` reaches a user.
"""

from __future__ import annotations

from dataclasses import dataclass


class ZonegraphError(Exception):
    """Root of every error zonegraph raises on purpose."""


class ConfigError(ZonegraphError):
    """A setting is missing or has a value zonegraph cannot use."""


class StoreError(ZonegraphError):
    """The database refused or failed an operation."""


class StoreBusy(StoreError):
    """The database is busy for now: another write holds it, or a cluster is electing a
    leader. The same request may succeed when retried."""


class StoreLocked(StoreBusy):
    """Another program holds the embedded database file."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or opened."""


class QueryError(ZonegraphError):
    """A catalog query was called wrongly."""


class UnknownQuery(QueryError, LookupError):
    """No catalog query has the given name."""


class BadParameter(QueryError, ValueError):
    """A query parameter is missing, of the wrong type or out of range."""


class NotFound(ZonegraphError, LookupError):
    """An id names nothing in the graph."""


class AccountError(ZonegraphError):
    """An account or token request that cannot be done (a name taken, an unknown role or
    user, a password too short)."""


class NotSignedIn(ZonegraphError):
    """The request carries no valid sign-in (session cookie) or bearer token."""


class BodyTooLarge(ZonegraphError):
    """A request's body is over the limit for its kind."""


class Forbidden(ZonegraphError):
    """The user's role or street grant does not allow this request; nothing was changed.

    ``reason`` says which check refused it (``role``, ``csrf`` or ``street``) and ``params``
    what a page needs to say it in the reader's language.
    """

    def __init__(self, message: str, *, reason: str = "role", **params: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as it can be."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    warning: bool = False

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.column}: " if self.column else ""
        val = f"{self.value!r} " if self.value is not None else ""
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{what}{val}{self.reason}"


class ValidationFailed(ZonegraphError):
    """Input files break the contract; nothing was written.

    Parameters
    ----------
    problems
        Every problem found (errors only), in file and line order.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        super().__init__(f"{len(self.problems)} problem(s) in the input; nothing was written")


def _problem_order(p: Problem) -> tuple[str, int, str]:
    return (p.file, p.line or 0, p.column or "")
