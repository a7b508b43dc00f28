"""A recording fake of the official Neo4j driver's session and transaction API.

No Neo4j server can run on our build machines, so the Neo4j store's read and write paths run
against this fake in every test run: it records every transaction (read, write or schema,
through which session settings) and every statement with its parameters, and answers each
statement through a function the test gives (:func:`answer_from`: reads answered by a real
embedded store holding the same zone; writes and schema statements recorded and answered
with no rows). It can also fail the next transactions with a given driver error, as a
cluster does during a leader change.

Only what :class:`graph_model.store.neo4j.Neo4jStore` calls is faked: ``execute_query``,
``session(database=, bookmark_manager=, default_access_mode=)``,
``execute_read``/``execute_write``, ``tx.run``, ``result.keys()``/iteration/``consume()``,
``verify_connectivity`` and ``close``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Answer = Callable[[str, dict[str, Any]], list[dict[str, Any]]]

_WRITES = re.compile(r"\b(MERGE|CREATE|SET|DELETE)\b")
#: Procedures about the schema (waiting for indexes): nothing to read, answered empty.
_SCHEMA_CALLS = re.compile(r"^CALL db\.awaitIndex")


def is_write(text: str) -> bool:
    return bool(_WRITES.search(text))


def answer_from(run: Callable[[str, dict[str, Any]], list[dict[str, Any]]]) -> Answer:
    """Reads answered by ``run`` (an embedded store's), writes recorded and answered empty."""

    def answer(text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [] if is_write(text) or _SCHEMA_CALLS.match(text) else run(text, params)

    return answer


@dataclass
class Statement:
    text: str
    params: dict[str, Any]


@dataclass
class Transaction:
    """One transaction the store ran: its kind, its session's settings, its statements."""

    kind: str  # "read", "write" or "auto" (execute_query)
    session: dict[str, Any]
    statements: list[Statement] = field(default_factory=list)

    def writes(self) -> list[Statement]:
        return [s for s in self.statements if is_write(s.text)]


class _Record:
    def __init__(self, values: list[Any]) -> None:
        self._values = values

    def values(self) -> list[Any]:
        return list(self._values)


class _Result:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self._keys = list(rows[0]) if rows else []
        self._rows = rows

    def keys(self) -> list[str]:
        return self._keys

    def __iter__(self) -> Iterator[_Record]:
        return (_Record([r[k] for k in self._keys]) for r in self._rows)

    def consume(self) -> None:
        return None


class _Tx:
    def __init__(self, driver: FakeDriver, record: Transaction) -> None:
        self._driver = driver
        self._record = record

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kw: Any) -> _Result:
        params = {**(parameters or {}), **kw}
        self._record.statements.append(Statement(query, params))
        return _Result(self._driver.answer(query, params))


class _Session:
    def __init__(self, driver: FakeDriver, config: dict[str, Any]) -> None:
        self._driver = driver
        self._config = config

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        return None

    def _managed(self, kind: str, work: Callable[[_Tx], Any]) -> Any:
        record = Transaction(kind, dict(self._config))
        self._driver.transactions.append(record)
        if self._driver.failures:
            raise self._driver.failures.pop(0)
        return work(_Tx(self._driver, record))

    def execute_read(self, work: Callable[[_Tx], Any]) -> Any:
        return self._managed("read", work)

    def execute_write(self, work: Callable[[_Tx], Any]) -> Any:
        return self._managed("write", work)


class FakeDriver:
    """Records what a Neo4j store sends; answers through ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.transactions: list[Transaction] = []
        #: Errors raised by the next transactions, one each, as a failing cluster would.
        self.failures: list[BaseException] = []
        self.execute_query_bookmark_manager = object()
        self.closed = False

    def session(self, **config: Any) -> _Session:
        return _Session(self, config)

    def execute_query(
        self, query: str, parameters_: dict[str, Any] | None = None, **config: Any
    ) -> tuple[list[_Record], None, list[str]]:
        record = Transaction("auto", dict(config))
        self.transactions.append(record)
        if self.failures:
            raise self.failures.pop(0)
        params = dict(parameters_ or {})
        record.statements.append(Statement(query, params))
        rows = self.answer(query, params)
        keys = list(rows[0]) if rows else []
        return [_Record([r[k] for k in keys]) for r in rows], None, keys

    def verify_connectivity(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True
