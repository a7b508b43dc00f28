"""The embedded store: LadybugDB on disk, nothing to start.

Writes go through ``COPY … FROM <DataFrame>`` inside one explicit transaction, so a
whole zone lands in a handful of bulk statements, and ``ROLLBACK`` undoes all of it on any
failure. (``UNWIND … MATCH … CREATE`` for relationships was measured far slower here:
the planner does not use the primary-key index for two-node patterns.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from graph_model.ddl import ladybug_ddl
from graph_model.errors import StoreError, StoreLocked, StoreUnavailable
from graph_model.mapping import GraphBatch, Zone, rel_props, to_graph
from graph_model.schema import NODE_KINDS, NODES, RELS
from graph_model.store.base import Dialect
from graph_model.store.statements import count_graph, read_zone

_LOCK = re.compile(r"Could not set lock on file\s*:\s*(?P<path>\S+).*?held by PID (?P<pid>\d+)")


def _translate(exc: Exception, path: Path) -> StoreError:
    """Turn a LadybugDB ``RuntimeError`` into the most specific zonegraph error."""
    text = str(exc)
    if m := _LOCK.search(text):
        return StoreLocked(
            f"the database {path} is in use by another process (PID {m['pid']}); "
            "stop it (a running `zonegraph serve`?) or use another ZONEGRAPH_DB"
        )
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return StoreError(f"embedded database error: {first}")


class EmbeddedStore:
    """A zone graph in a LadybugDB database directory/file at ``path``."""

    dialect: Dialect = "ladybug"

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        import ladybug

        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreUnavailable(f"no database at {self.path}; build one with `zonegraph demo`")
        try:
            self._db = ladybug.Database(str(self.path), read_only=read_only)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            raise _translate(exc, self.path) from exc

    # -- low level ---------------------------------------------------------------------------
    def _execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            raise _translate(exc, self.path) from exc

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        result = self._execute(cypher, params)
        cols: list[str] = result.get_column_names()
        rows = [dict(zip(cols, map(_plain, values), strict=True)) for values in result.get_all()]
        result.close()
        return rows

    # -- Store protocol ----------------------------------------------------------------------
    def apply_schema(self) -> None:
        for statement in ladybug_ddl():
            self._execute(statement)

    def replace(self, zone: Zone) -> None:
        batch = to_graph(zone)
        self._execute("BEGIN TRANSACTION")
        try:
            for node in NODE_KINDS:
                self._execute(f"MATCH (n:{node.label}) DETACH DELETE n")
            self._copy(batch)
        except BaseException:
            self._execute("ROLLBACK")
            raise
        self._execute("COMMIT")

    def _copy(self, batch: GraphBatch) -> None:
        for label, rows in batch.nodes.items():
            if rows:
                cols = [p.name for p in NODES[label].props]
                self._execute(f"COPY {label} FROM $frame", {"frame": _frame(rows, cols)})
        for rel in batch.rels:
            if not rel.rows:
                continue
            frame = _frame(rel.rows, ["src", "dst", *rel_props(rel.type)])
            many_ends = len(RELS[rel.type].ends) > 1
            opts = f" (from='{rel.src_label}', to='{rel.dst_label}')" if many_ends else ""
            self._execute(f"COPY {rel.type} FROM $frame{opts}", {"frame": frame})

    def read(self) -> Zone:
        return read_zone(self.run)

    def counts(self) -> dict[str, int]:
        return count_graph(self.run)

    def close(self) -> None:
        self._conn.close()
        self._db.close()


def _plain(value: Any) -> Any:
    """LadybugDB returns some aggregates as ``Decimal``; callers get plain ints and floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _frame(rows: list[dict[str, Any]], cols: list[str]) -> pd.DataFrame:
    """A DataFrame of Python objects (None for missing): LadybugDB's scan rejects pandas'
    nullable extension dtypes, so every column stays ``object``."""
    return pd.DataFrame([[r.get(c) for c in cols] for r in rows], columns=cols, dtype=object)
