"""From row changes to graph changes: what a store writes for a checked change set.

:func:`build_diff` compares each changed row's graph pieces before and after
(:func:`graph_model.mapping.row_pieces`) and keeps derived nodes right: a ``Grid`` exists
while some firm is in it, a ``Liaison`` while some liaison row names it. A store writes a
:class:`GraphDiff` in this order, inside one transaction: renames, relationship deletes,
node deletes, node updates, node creates, relationship creates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph_model.changes import Row, RowChange
from graph_model.mapping import Pieces, RelPiece, row_pieces

Ends = tuple[str, str, str]  # relationship type, start label, end label

#: Derived labels, the relationship that implies each, and whether the node is its end.
DERIVED: dict[str, tuple[str, bool]] = {"Grid": ("IN_GRID", True), "Liaison": ("LIAISES", False)}


@dataclass
class GraphDiff:
    """Node and relationship writes, grouped by label and by relationship ends."""

    renames: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    rel_deletes: dict[Ends, list[Row]] = field(default_factory=dict)
    node_deletes: dict[str, list[str]] = field(default_factory=dict)
    node_updates: dict[str, list[Row]] = field(default_factory=dict)
    node_creates: dict[str, list[Row]] = field(default_factory=dict)
    rel_creates: dict[Ends, list[Row]] = field(default_factory=dict)

    def size(self) -> int:
        """How many nodes and relationships the diff writes."""
        groups: list[dict[Any, list[Any]]] = [
            self.renames,
            self.rel_deletes,
            self.node_deletes,
            self.node_updates,
            self.node_creates,
            self.rel_creates,
        ]
        return sum(len(rows) for group in groups for rows in group.values())


@dataclass(frozen=True)
class DerivedState:
    """A stored derived node: its properties and how many relationships imply it."""

    count: int
    props: Row


_NONE = Pieces(None, ())


def build_diff(
    changes: list[RowChange],
    renames: dict[str, list[tuple[str, str]]],
    label_of: dict[str, str],
    derived: dict[tuple[str, str], DerivedState],
) -> GraphDiff:
    """The graph writes for ``changes`` (rows already checked, ids already renamed).

    Parameters
    ----------
    changes
        Every changed row, before and after; rows that did not change may be left out.
    renames
        Label → (old id, new id) pairs; ``before`` rows already use the new ids.
    label_of
        The label of every id the rows name (after renames).
    derived
        Stored derived nodes the rows name, keyed by (label, id); one missing is not stored.
    """
    diff = GraphDiff(renames={k: list(v) for k, v in renames.items() if v})
    delta: dict[tuple[str, str], int] = {}
    wanted: dict[tuple[str, str], Row] = {}
    for change in changes:
        before = row_pieces(change.table, change.before, label_of) if change.before else _NONE
        after = row_pieces(change.table, change.after, label_of) if change.after else _NONE
        _node(diff, before, after)
        for rel, sign in [(r, -1) for r in before.rels if r not in after.rels] + [
            (r, 1) for r in after.rels if r not in before.rels
        ]:
            target = diff.rel_deletes if sign < 0 else diff.rel_creates
            target.setdefault(rel.ends, []).append(_rel_row(rel, with_props=sign > 0))
            for label, (rtype, is_end) in DERIVED.items():
                if rel.type == rtype:
                    ident = rel.dst if is_end else rel.src
                    delta[(label, ident)] = delta.get((label, ident), 0) + sign
        for label, props in after.derived:
            _want(wanted, label, props)
    _derived(diff, delta, wanted, derived)
    return diff


def _node(diff: GraphDiff, before: Pieces, after: Pieces) -> None:
    if before.node and not after.node:
        diff.node_deletes.setdefault(before.node[0], []).append(before.node[1]["id"])
    elif after.node and not before.node:
        diff.node_creates.setdefault(after.node[0], []).append(after.node[1])
    elif after.node and before.node and after.node[1] != before.node[1]:
        diff.node_updates.setdefault(after.node[0], []).append(after.node[1])


def _rel_row(rel: RelPiece, *, with_props: bool) -> Row:
    return {"src": rel.src, "dst": rel.dst, **(dict(rel.props) if with_props else {})}


def _want(wanted: dict[tuple[str, str], Row], label: str, props: Row) -> None:
    """A grid keeps the street of the first firm that made it; a liaison row that gives a
    name or department sets it (the last one in the change set wins)."""
    known = wanted.get((label, props["id"]))
    if known is None:
        wanted[(label, props["id"])] = dict(props)
    elif label == "Liaison":
        known.update({k: v for k, v in props.items() if v is not None})


def _derived(
    diff: GraphDiff,
    delta: dict[tuple[str, str], int],
    wanted: dict[tuple[str, str], Row],
    stored: dict[tuple[str, str], DerivedState],
) -> None:
    for (label, ident), change in sorted(delta.items()):
        state = stored.get((label, ident))
        remaining = (state.count if state else 0) + change
        if state is not None and remaining <= 0:
            diff.node_deletes.setdefault(label, []).append(ident)
        elif state is None and remaining > 0:
            props = wanted.get((label, ident), {"id": ident})
            diff.node_creates.setdefault(label, []).append(props)
    for (label, ident), props in sorted(wanted.items()):
        state = stored.get((label, ident))
        if label != "Liaison" or state is None:
            continue
        if state.count + delta.get((label, ident), 0) <= 0:
            continue
        merged = {**state.props, **{k: v for k, v in props.items() if v is not None}}
        if merged != state.props:
            diff.node_updates.setdefault(label, []).append(merged)
