"""Change sets: what a writer wants changed, per contract table, by key.

Every writer — an upserting load, a scenario's apply, a reconciliation's apply, an id change
— states its changes as a :class:`ChangeSet` and hands it to ``Store.apply``, which checks it
against what is stored (:mod:`graph_model.resolve`) and writes it in one transaction that
touches only the rows it names.

* An :class:`Upsert` names a row by its table's key and gives the columns to set. A stored
  row keeps the columns the upsert does not give; a new row takes their defaults. With
  ``fresh`` the row replaces the stored one whole (a scenario that removes a row and then
  adds it again).
* A :class:`Delete` names a row by its key. The row must exist unless ``missing_ok``.
* A :class:`Rename` gives a node a new id (a firm adopting its unified social credit code):
  the node and every relationship move in the same transaction. Other changes in the set
  use the new id.

Each change carries its :class:`Origin` (file and line), so a refusal is located.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from graph_model.schema import TABLE

Row = dict[str, Any]
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Origin:
    """Where a change came from: a file (or scenario, or register) and its line."""

    source: str
    line: int | None = None


@dataclass(frozen=True)
class Upsert:
    """Set the given columns of the row with this key (creating the row if it is new)."""

    table: str
    row: Row
    origin: Origin
    fresh: bool = False


@dataclass(frozen=True)
class Delete:
    """Remove the row with this key."""

    table: str
    key: Key
    origin: Origin
    missing_ok: bool = False


@dataclass(frozen=True)
class Rename:
    """Give the node of a node table a new id; its relationships follow it."""

    table: str
    old: str
    new: str
    origin: Origin


@dataclass
class ChangeSet:
    """Upserts, deletes and renames, applied together (renames first) or not at all."""

    upserts: list[Upsert] = field(default_factory=list)
    deletes: list[Delete] = field(default_factory=list)
    renames: list[Rename] = field(default_factory=list)

    def upsert(self, table: str, row: Row, origin: Origin, *, fresh: bool = False) -> None:
        self.upserts.append(Upsert(_table(table), dict(row), origin, fresh))

    def delete(self, table: str, key: Key, origin: Origin, *, missing_ok: bool = False) -> None:
        self.deletes.append(Delete(_table(table), tuple(key), origin, missing_ok))

    def rename(self, table: str, old: str, new: str, origin: Origin) -> None:
        if TABLE[_table(table)].node is None:
            raise ValueError(f"{table} is not a node table; only nodes have ids to change")
        self.renames.append(Rename(table, old, new, origin))

    def __len__(self) -> int:
        return len(self.upserts) + len(self.deletes) + len(self.renames)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind per table, e.g. ``{"enterprises.upsert": 3}``."""
        kinds: Counter[str] = Counter()
        for u in self.upserts:
            kinds[f"{u.table}.upsert"] += 1
        for d in self.deletes:
            kinds[f"{d.table}.delete"] += 1
        for r in self.renames:
            kinds[f"{r.table}.rename"] += 1
        return dict(sorted(kinds.items()))


def key_of(table: str, row: Row) -> Key | None:
    """The row's key in ``table``, or None when a key column is empty."""
    key = tuple(row.get(k) for k in TABLE[table].key)
    return None if any(v is None for v in key) else key


def _table(name: str) -> str:
    if name not in TABLE:
        raise ValueError(f"{name!r} is not a contract table ({', '.join(TABLE)})")
    return name


@dataclass(frozen=True)
class RowChange:
    """One contract row before and after a change (None where it does not exist)."""

    table: str
    key: Key
    before: Row | None
    after: Row | None


@dataclass
class ApplyReport:
    """What an apply wrote (or, in a dry run, would write), per table.

    ``created``, ``updated`` and ``deleted`` count rows per table; an upsert that changes
    nothing counts as ``unchanged``. ``renamed`` lists (table, old id, new id). ``keys``
    lists every key touched per table, for the record of who changed what. ``rows`` holds
    every row that changes, before and after (ids already changed), for a preview.
    """

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    keys: dict[str, list[Key]] = field(default_factory=dict)
    rows: list[RowChange] = field(default_factory=list)
    dry_run: bool = False

    def written(self) -> int:
        """Rows created, updated or deleted, plus ids changed."""
        return (
            sum(self.created.values())
            + sum(self.updated.values())
            + sum(self.deleted.values())
            + len(self.renamed)
        )

    def summary(self) -> str:
        """One line for a person, e.g. ``enterprises +2 ~1 -0``."""
        tables = sorted({*self.created, *self.updated, *self.deleted, *self.unchanged})
        parts = [
            f"{t} +{self.created.get(t, 0)} ~{self.updated.get(t, 0)} -{self.deleted.get(t, 0)}"
            for t in tables
        ]
        parts += [f"{t} id {old} → {new}" for t, old, new in self.renamed]
        return ", ".join(parts) if parts else "nothing to change"
