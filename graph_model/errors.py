"""Every error zonegraph raises on purpose.

::

    ZonegraphError
    ├── ConfigError            a setting is missing or wrong
    ├── StoreError             the database refused or failed an operation
    │   ├── StoreBusy          busy for now (another write, a cluster's leader change): retry
    │   │   ├── StoreLocked    another program holds the embedded database file
    │   │   └── PoolFull       queries at once filled the embedded database's buffer pool
    │   └── StoreUnavailable   the database cannot be reached or opened
    ├── ValidationFailed       input files break the contract (carries every Problem)
    ├── QueryError             a catalog query was called wrongly
    │   ├── UnknownQuery       (also a LookupError) no query has that name
    │   └── BadParameter       a parameter is missing, of the wrong type or out of range
    ├── NotFound               (also a LookupError) an id names nothing in the graph
    ├── AccountError           an account or token request that cannot be done (a name
    │   │                      taken, an unknown role or user, a password too short)
    │   └── LoginRefused       a wrong name or password, or a locked account
    ├── NotSignedIn            the request carries no valid sign-in or token
    ├── Forbidden              the signed-in user's role or street grant does not allow it
    ├── BodyTooLarge           a request's body is over its limit
    └── AlreadyExists          a name given for something new is taken

Driver and database exceptions are translated into these at the store boundary, so
no ``RuntimeError`` from LadybugDB or ``neo4j.exceptions.*`` reaches a user.

:data:`OUTCOMES` is the one map from each error to what the boundaries make of it: the HTTP
status the API and the pages answer with, and the exit code of the command line. Read it
through :func:`http_status` and :func:`exit_code`.
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


class PoolFull(StoreBusy):
    """Queries running at once filled the embedded database's buffer pool; the same query
    alone may succeed (the store runs it again alone before it says so)."""


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


class LoginRefused(AccountError):
    """A sign-in that failed: a wrong name or password (never said which), or a locked
    account (``retry_after`` seconds)."""

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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


class AlreadyExists(ZonegraphError):
    """A name given for something new (a scenario) is already taken."""


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


@dataclass(frozen=True)
class Outcome:
    """What a boundary makes of an error: an HTTP status and a command-line exit code."""

    status: int
    exit_code: int


#: The HTTP status and exit code of each error class; a subclass not listed takes its
#: nearest listed ancestor's. Exit 2 is the user's input (a file, a name, a parameter, a
#: setting); exit 1 the database. 503 says "try again"; 500 that the server is wrong.
OUTCOMES: dict[type[ZonegraphError], Outcome] = {
    ZonegraphError: Outcome(500, 1),
    ConfigError: Outcome(500, 2),
    StoreError: Outcome(500, 1),
    StoreBusy: Outcome(503, 1),
    StoreLocked: Outcome(503, 1),
    PoolFull: Outcome(503, 1),
    StoreUnavailable: Outcome(503, 1),
    ValidationFailed: Outcome(422, 2),
    QueryError: Outcome(422, 2),
    UnknownQuery: Outcome(404, 2),
    BadParameter: Outcome(422, 2),
    NotFound: Outcome(404, 2),
    AlreadyExists: Outcome(409, 2),
    AccountError: Outcome(422, 2),
    LoginRefused: Outcome(401, 2),
    NotSignedIn: Outcome(401, 2),
    Forbidden: Outcome(403, 2),
    BodyTooLarge: Outcome(413, 2),
}


def outcome(exc: BaseException) -> Outcome:
    """The outcome of an error: its class's entry, else its nearest listed ancestor's; an
    exception that is no :class:`ZonegraphError` is a server fault (500, exit 1)."""
    for cls in type(exc).__mro__:
        if cls in OUTCOMES:
            return OUTCOMES[cls]
    return OUTCOMES[ZonegraphError]


def http_status(exc: BaseException) -> int:
    """The HTTP status the API and the pages answer an error with."""
    return outcome(exc).status


def exit_code(exc: BaseException) -> int:
    """The exit code the command line ends with on an error."""
    return outcome(exc).exit_code
