"""Checking a change set against the stored zone, reading only the keys it names.

:func:`resolve` is the one check every write goes through (``Store.apply`` calls it inside
its write transaction, so what it reads cannot change before the write). It reads the
stored rows the change set names, and the nodes its references name, merges each upsert
over its stored row, and checks the result as a load checks a whole zone:

* references resolve against what is stored plus what changes, and name the right kind
  (a studio's station is a community station);
* ids share one namespace across node kinds;
* a row removed is not still referred to by a row that stays;
* the contract's own rules: a studio or an instructor gives work coverage only, a firm does
  not supply itself, organizations report up a chain that ends;
* an id change names a stored node and a free id.

Every problem is collected, located by the change's origin; when there are none, the
graph writes come back as a :class:`~graph_model.diff.GraphDiff` with an
:class:`~graph_model.changes.ApplyReport`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph_model.changes import (
    ApplyReport,
    ChangeSet,
    Delete,
    Key,
    Origin,
    Row,
    RowChange,
    Upsert,
    key_of,
)
from graph_model.diff import DerivedState, GraphDiff, build_diff
from graph_model.errors import Problem, ValidationFailed
from graph_model.mapping import REF_RELS, rel_owner, rel_props
from graph_model.schema import (
    ID_LABELS,
    NODES,
    NOUNS,
    REL_KINDS,
    RELS,
    TABLE,
    TABLES,
    WORK_ONLY,
    Ref,
    nouns,
    work_only_reason,
)
from graph_model.store.statements import (
    Run,
    derived_count_statement,
    keyed_node_statement,
    keyed_rel_statement,
    pair_rel_statement,
)

#: Labels whose nodes a change set's ids may name (the shared id namespace, liaisons too).
_ID_LABELS = (*ID_LABELS,)
_LINK_IDS: dict[str, tuple[str, ...]] = {
    "coverage": ("coverer_id", "enterprise_id"),
    "supply_links": ("supplier_id", "customer_id"),
    "alliance_members": ("alliance_id", "enterprise_id"),
    "liaisons": ("liaison_id", "enterprise_id"),
}
#: How many referring rows a refusal names before it only counts the rest.
_SHOWN = 3


@dataclass(frozen=True)
class Resolution:
    """A checked change set: the graph writes, and the report of what they do."""

    diff: GraphDiff
    report: ApplyReport


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _where(origin: Origin) -> str:
    return origin.source if origin.line is None else f"{origin.source}:{origin.line}"


class _Stored:
    """What the store holds for the ids a change set names, read once per id."""

    def __init__(self, run: Run) -> None:
        self._run = run
        self.nodes: dict[str, tuple[str, Row] | None] = {}

    def look_up(self, ids: Iterable[str]) -> None:
        wanted = sorted({i for i in ids if i is not None and i not in self.nodes})
        if not wanted:
            return
        for i in wanted:
            self.nodes[i] = None
        for label in _ID_LABELS:
            props = [p.name for p in NODES[label].props]
            for row in self._run(keyed_node_statement(label, props), {"ids": wanted}):
                self.nodes[row["id"]] = (label, row)

    def label(self, ident: str) -> str | None:
        found = self.nodes.get(ident)
        return found[0] if found else None

    def props(self, ident: str) -> Row:
        found = self.nodes.get(ident)
        return found[1] if found else {}

    def rels(self, rtype: str, src: str, dst: str, keyed: str, ids: Iterable[str]) -> list[Row]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        return self._run(keyed_rel_statement(rtype, src, dst, keyed), {"ids": wanted})

    def pairs(self, rtype: str, src: str, dst: str, pairs: Iterable[tuple[str, str]]) -> list[Row]:
        rows = [{"src": a, "dst": b} for a, b in sorted(set(pairs))]
        return self._run(pair_rel_statement(rtype, src, dst), {"rows": rows}) if rows else []

    def derived(self, label: str, rtype: str, incoming: bool, ids: Iterable[str]) -> list[Row]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        return self._run(derived_count_statement(label, rtype, incoming), {"ids": wanted})


class _Resolver:
    def __init__(self, changes: ChangeSet, run: Run) -> None:
        self.changes = changes
        self.stored = _Stored(run)
        self.problems: list[Problem] = []
        self.old_of: dict[str, str] = {}  # new id → old id
        self.new_of: dict[str, str] = {}  # old id → new id
        self.upserts: dict[tuple[str, Key], Upsert] = {}
        self.deletes: dict[tuple[str, Key], Delete] = {}
        self.before: dict[tuple[str, Key], Row | None] = {}
        self.after: dict[tuple[str, Key], Row | None] = {}
        self.liaison_ids: dict[str, Origin] = {}

    def problem(self, origin: Origin, column: str | None, value: Any, reason: str) -> None:
        text = None if value is None else str(value)
        self.problems.append(Problem(origin.source, origin.line, column, text, reason))

    # -- ids before and after renames --------------------------------------------------------
    def stored_id(self, ident: str) -> str:
        return self.old_of.get(ident, ident)

    def current_id(self, stored: str) -> str:
        return self.new_of.get(stored, stored)

    def current_label(self, ident: str) -> str | None:
        """The label ``ident`` names once renames are done (before upserts and deletes)."""
        if ident in self.new_of and ident not in self.old_of:
            return None  # renamed away
        return self.stored.label(self.stored_id(ident))

    # -- the steps ---------------------------------------------------------------------------
    def run(self) -> Resolution:
        self._collect()
        self._renames()
        self._read_before()
        self._merge()
        self._check_rows()
        self._check_deletes()
        self._check_hierarchy()
        if self.problems:
            raise ValidationFailed(self.problems)
        return self._result()

    def _collect(self) -> None:
        for u in self.changes.upserts:
            key = key_of(u.table, u.row)
            if key is None:
                missing = [k for k in TABLE[u.table].key if u.row.get(k) is None]
                self.problem(u.origin, missing[0], None, "is needed to identify the row")
                continue
            earlier = self.upserts.get((u.table, key))
            if earlier is not None and TABLE[u.table].node:
                line = earlier.origin.line if earlier.origin.source == u.origin.source else None
                first = f"first on line {line}" if line else f"first in {_where(earlier.origin)}"
                self.problem(u.origin, "id", key[0], f"duplicate id ({first})")
                continue
            if earlier is not None and not u.fresh:
                u = Upsert(u.table, {**earlier.row, **u.row}, u.origin, earlier.fresh)
            self.upserts[(u.table, key)] = u
        for d in self.changes.deletes:
            if (d.table, d.key) in self.upserts:
                self.problem(
                    d.origin, None, " ".join(map(str, d.key)), "is both changed and removed"
                )
                continue
            self.deletes[(d.table, d.key)] = d

    def _renames(self) -> None:
        ids: set[str] = set()
        for r in self.changes.renames:
            ids.update((r.old, r.new))
        for (table, _), u in self.upserts.items():
            ids.update(u.row[c] for c in _id_columns(table) if isinstance(u.row.get(c), str))
        for table, key in self.deletes:
            row = dict(zip(TABLE[table].key, key, strict=True))
            ids.update(row[c] for c in _id_columns(table) if isinstance(row.get(c), str))
        self.stored.look_up(ids)
        for r in self.changes.renames:
            label = TABLE[r.table].node
            assert label is not None
            if r.old == r.new:
                continue
            if self.stored.label(r.old) != label:
                self.problem(r.origin, "id", r.old, f"names no stored {NOUNS[label]}")
            elif r.old in self.new_of or r.new in self.old_of:
                self.problem(r.origin, "id", r.old, "is changed twice in one change set")
            elif (other := self.stored.label(r.new)) is not None:
                self.problem(
                    r.origin, "id", r.new, f"id is already used by {_a(NOUNS[other])} (database)"
                )
            else:
                self.new_of[r.old], self.old_of[r.new] = r.new, r.old
        for table, key in [*self.upserts, *self.deletes]:
            if TABLE[table].node and key[0] in self.new_of:
                origin = self.origin_of(table, key)
                self.problem(origin, "id", key[0], f"is being changed to {self.new_of[key[0]]}")

    def _read_before(self) -> None:
        """The stored rows for every key the change set names (ids after renames)."""
        keys: dict[str, list[Key]] = {}
        for table, key in [*self.upserts, *self.deletes]:
            keys.setdefault(table, []).append(key)
        for table, table_keys in keys.items():
            spec = TABLE[table]
            if spec.node:
                rows = self._stored_node_rows(table, [k[0] for k in table_keys])
            else:
                rows = self._stored_link_rows(table, table_keys)
            for key in table_keys:
                self.before[(table, key)] = rows.get(key)

    def _stored_node_rows(self, table: str, ids: list[str]) -> dict[Key, Row]:
        label = TABLE[table].node
        assert label is not None
        found = [i for i in ids if self.current_label(i) == label]
        rows: dict[Key, Row] = {}
        for ident in found:
            props = self.stored.props(self.stored_id(ident))
            row = {c.name: props.get(c.name) for c in TABLE[table].columns}
            row["id"] = ident
            rows[(ident,)] = row
        for col, (rtype, outgoing) in REF_RELS.get(table, {}).items():
            (src, dst), keyed = _ref_ends(table, rtype), "src" if outgoing else "dst"
            stored_ids = [self.stored_id(i) for i in found]
            for rel in self.stored.rels(rtype, src, dst, keyed, stored_ids):
                own, other = (rel["src"], rel["dst"]) if outgoing else (rel["dst"], rel["src"])
                rows[(self.current_id(own),)][col] = self.current_id(other)
        return rows

    def _stored_link_rows(self, table: str, keys: list[Key]) -> dict[Key, Row]:
        by_ends: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        for key in keys:
            row = dict(zip(TABLE[table].key, key, strict=True))
            a_col, b_col = _LINK_IDS[table]
            a, b = row[a_col], row[b_col]
            la, lb = self.current_label(a), self.current_label(b)
            if la is None or lb is None:
                continue
            rtype, src_label, dst_label, src, dst = _link_rel(table, row, la, lb)
            if (src_label, dst_label) not in RELS[rtype].ends:
                continue  # no stored relationship can join these kinds
            by_ends.setdefault((rtype, src_label, dst_label), []).append(
                (self.stored_id(src), self.stored_id(dst))
            )
        rows: dict[Key, Row] = {}
        for (rtype, src_label, dst_label), pairs in by_ends.items():
            for rel in self.stored.pairs(rtype, src_label, dst_label, pairs):
                src, dst = self.current_id(rel["src"]), self.current_id(rel["dst"])
                table_, key, _ = rel_owner(rtype, src, dst)
                row = dict(zip(TABLE[table_].key, key, strict=True))
                row.update({p: rel.get(p) for p in rel_props(rtype)})
                if table_ == "liaisons":
                    props = self.stored.props(self.stored_id(src))
                    row.update(name=props.get("name"), department=props.get("department"))
                rows[key] = {c.name: row.get(c.name) for c in TABLE[table_].columns}
        return rows

    def _merge(self) -> None:
        for (table, key), u in self.upserts.items():
            before = self.before.get((table, key))
            base = before if before is not None and not u.fresh else _defaults(table)
            after = {**base, **u.row}
            for col in TABLE[table].columns:
                if col.default is not None and after.get(col.name) is None:
                    after[col.name] = col.default  # an empty cell means the default, as in files
                if col.required and after.get(col.name) is None:
                    self.problem(u.origin, col.name, None, "is required")
            self.after[(table, key)] = after
        for (table, key), d in self.deletes.items():
            if self.before.get((table, key)) is None and not d.missing_ok:
                text = " ".join(f"{k}={v}" for k, v in zip(TABLE[table].key, key, strict=True))
                self.problem(d.origin, None, f"remove {table} {text}", "matches no stored row")
            self.after[(table, key)] = None

    # -- checks ------------------------------------------------------------------------------
    def label_after(self, ident: str) -> str | None:
        """The label ``ident`` names once the whole change set is applied."""
        for table in _NODE_TABLES:
            if (table, (ident,)) in self.after:
                return TABLE[table].node if self.after[(table, (ident,))] is not None else None
        return self.current_label(ident)

    def origin_of(self, table: str, key: Key) -> Origin:
        change = self.upserts.get((table, key)) or self.deletes.get((table, key))
        return change.origin if change else Origin("database")

    def _check_rows(self) -> None:
        self.liaison_ids = {
            k[0]: u.origin for (t, k), u in reversed(self.upserts.items()) if t == "liaisons"
        }
        for (table, key), u in self.upserts.items():
            after = self.after[(table, key)]
            assert after is not None
            spec = TABLE[table]
            if spec.node:
                self._check_namespace(table, key[0], u.origin)
            if table == "liaisons":
                self._check_namespace(table, key[0], u.origin)
            given = set(u.row) if self.before.get((table, key)) is not None else set(after)
            for ref in spec.refs:
                if ref.column in given and after.get(ref.column) is not None:
                    self._check_ref(ref, after[ref.column], u.origin)
            if table == "coverage" and after["mode"] == "organization":
                label = self.label_after(after["coverer_id"])
                if label in WORK_ONLY:
                    reason = work_only_reason(label)
                    self.problem(u.origin, "mode", "organization", reason)
            if table == "supply_links" and after["supplier_id"] == after["customer_id"]:
                reason = "a firm cannot supply itself"
                self.problem(u.origin, "customer_id", after["customer_id"], reason)

    def _check_namespace(self, table: str, ident: str, origin: Origin) -> None:
        label = TABLE[table].node or "Liaison"
        stored = self.current_label(ident)
        if stored is not None and stored != label:
            reason = f"id is already used by {_a(NOUNS[stored])} (database)"
            self.problem(origin, TABLE[table].key[0], ident, reason)
            return
        if table != "liaisons" and ident in self.liaison_ids:
            where = _where(self.liaison_ids[ident])
            self.problem(origin, "id", ident, f"id is already used by a liaison ({where})")
            return
        for other in _NODE_TABLES:
            if other != table and (other, (ident,)) in self.upserts:
                where = _where(self.upserts[(other, (ident,))].origin)
                node = TABLE[other].node
                assert node is not None
                if node != label:
                    reason = f"id is already used by {_a(NOUNS[node])} ({where})"
                    self.problem(origin, TABLE[table].key[0], ident, reason)
                    return

    def _check_ref(self, ref: Ref, value: str, origin: Origin) -> None:
        label = self.label_after(value)
        wanted = nouns(ref.labels)
        if label is None:
            gone = any((t, (value,)) in self.deletes for t in _NODE_TABLES)
            reason = f"names {value}, which this change removes" if gone else f"names no {wanted}"
        elif label not in ref.labels:
            reason = f"is {_a(NOUNS[label])}, not {_a(wanted)}"
        elif ref.org_kinds and (kind := self._org_kind(value)) not in ref.org_kinds:
            reason = f"is a {kind} organization, not a {' or '.join(ref.org_kinds)}"
        else:
            return
        self.problem(origin, ref.column, value, reason)

    def _org_kind(self, ident: str) -> Any:
        after = self.after.get(("party_orgs", (ident,)))
        if after is not None:
            return after.get("kind")
        return self.stored.props(self.stored_id(ident)).get("kind")

    def _check_deletes(self) -> None:
        """A removed node must not be named by a row that stays; a station that stops being
        one must not still host a studio."""
        gone: dict[str, list[str]] = {}
        for (table, key), after in self.after.items():
            label = TABLE[table].node
            if label and after is None and self.before.get((table, key)) is not None:
                gone.setdefault(label, []).append(key[0])
        for (table, key), after in self.after.items():
            before = self.before.get((table, key))
            if table == "party_orgs" and after and before and after["kind"] != before["kind"]:
                if before["kind"] == "community_station":
                    gone.setdefault(_STATION, []).append(key[0])
        for label, ids in gone.items():
            named: dict[str, dict[str, list[str]]] = {}
            for rtype, src, dst, keyed in _incident(label):
                stored_ids = [self.stored_id(i) for i in ids]
                for found in self.stored.rels(rtype, src, dst, keyed, stored_ids):
                    s, d = self.current_id(found["src"]), self.current_id(found["dst"])
                    target = s if keyed == "src" else d
                    row = self._referrer(label, rtype, s, d, target)
                    if row is not None:
                        named.setdefault(target, {}).setdefault(row[0], []).append(row[1])
            for target, tables in sorted(named.items()):
                self._still_named(label, target, tables)

    def _referrer(
        self, label: str, rtype: str, src: str, dst: str, target: str
    ) -> tuple[str, str] | None:
        """The row (table, text) a relationship to a removed node stands for, unless the
        change set removes that row or points it elsewhere too."""
        table, key, column = rel_owner(rtype, src, dst)
        if label != _STATION and table == TABLE_OF[label] and key == (target,):
            return None  # the removed node's own reference goes with it
        if (table, key) in self.after:
            after = self.after[(table, key)]
            if after is None or (column is not None and after[column] != target):
                return None
        return table, " ".join(str(k) for k in key)

    def _still_named(self, label: str, target: str, tables: dict[str, list[str]]) -> None:
        if label == _STATION:
            origin = self.origin_of("party_orgs", (target,))
            studios = ", ".join(sorted(tables["studios"]))
            self.problem(origin, "kind", target, f"still hosts studios {studios}; move them first")
            return
        origin = self.origin_of(TABLE_OF[label], (target,))
        parts = []
        for table, rows in sorted(tables.items()):
            shown = "; ".join(sorted(rows)[:_SHOWN]) + ("; …" if len(rows) > _SHOWN else "")
            parts.append(f"{len(rows)} {table} row{'s' if len(rows) > 1 else ''} ({shown})")
        reason = "is still named by " + ", ".join(parts) + "; change or remove them too"
        self.problem(origin, None, target, reason)

    def _check_hierarchy(self) -> None:
        parents: dict[str, str | None] = {
            key[0]: (after or {}).get("parent_id")
            for (table, key), after in self.after.items()
            if table == "party_orgs"
        }
        changed = [
            key[0]
            for (table, key), after in self.after.items()
            if table == "party_orgs"
            and after is not None
            and after.get("parent_id") != (self.before.get((table, key)) or {}).get("parent_id")
        ]
        for start in changed:
            path = [start]
            node = parents.get(start)
            while node is not None:
                if node in path:
                    cycle = path[path.index(node) :] + [node]
                    reason = (
                        "an organization cannot report to itself"
                        if len(cycle) == 2
                        else "reporting cycle: " + " → ".join(cycle)
                    )
                    origin = self.origin_of("party_orgs", (start,))
                    self.problem(origin, "parent_id", parents.get(start), reason)
                    break
                path.append(node)
                if node not in parents:
                    found = self.stored.rels(
                        "REPORTS_TO", "PartyOrg", "PartyOrg", "src", [self.stored_id(node)]
                    )
                    parents[node] = self.current_id(found[0]["dst"]) if found else None
                node = parents[node]

    # -- the result --------------------------------------------------------------------------
    def _result(self) -> Resolution:
        report = ApplyReport()
        row_changes: list[RowChange] = []
        for (table, key), after in self.after.items():
            before = self.before.get((table, key))
            report.keys.setdefault(table, []).append(key)
            if before is None and after is None:
                continue
            kind = (
                report.created
                if before is None
                else report.deleted
                if after is None
                else report.unchanged
                if before == after
                else report.updated
            )
            kind[table] = kind.get(table, 0) + 1
            if before != after:
                row_changes.append(RowChange(table, key, before, after))
        renames: dict[str, list[tuple[str, str]]] = {}
        for r in self.changes.renames:
            if r.old in self.new_of:
                renames.setdefault(TABLE[r.table].node or "", []).append((r.old, r.new))
                report.renamed.append((r.table, r.old, r.new))
        label_of = self._labels(row_changes)
        derived = self._derived(row_changes)
        diff = build_diff(row_changes, renames, label_of, derived)
        report.rows = row_changes
        return Resolution(diff, report)

    def _labels(self, changes: list[RowChange]) -> dict[str, str]:
        ids: set[str] = set()
        for change in changes:
            for row in (change.before, change.after):
                for col in _id_columns(change.table):
                    if row is not None and isinstance(row.get(col), str):
                        ids.add(row[col])
        self.stored.look_up(self.stored_id(i) for i in ids)
        out: dict[str, str] = {}
        for ident in ids:
            label = self.label_after(ident) or self.current_label(ident)
            if label is not None:
                out[ident] = label
        return out

    def _derived(self, changes: list[RowChange]) -> dict[tuple[str, str], DerivedState]:
        grids: set[str] = set()
        liaisons: set[str] = set()
        for change in changes:
            if change.table == "enterprises":
                # Only a firm that joins or leaves a grid changes what the grid rests on.
                was, now = ((row or {}).get("grid") for row in (change.before, change.after))
                if was != now:
                    grids.update(g for g in (was, now) if g is not None)
            if change.table == "liaisons":
                for row in (change.before, change.after):
                    if row is not None:
                        liaisons.add(self.stored_id(row["liaison_id"]))
        out: dict[tuple[str, str], DerivedState] = {}
        for row in self.stored.derived("Grid", "IN_GRID", True, grids):
            out[("Grid", row["id"])] = DerivedState(int(row["n"]), {"id": row["id"]})
        for row in self.stored.derived("Liaison", "LIAISES", False, liaisons):
            ident = self.current_id(row["id"])
            props = {**self.stored.props(row["id"]), "id": ident}
            out[("Liaison", ident)] = DerivedState(int(row["n"]), props)
        return out


_NODE_TABLES = tuple(t.name for t in TABLES if t.node)
TABLE_OF: dict[str, str] = {t.node: t.name for t in TABLES if t.node}
#: Marks an organization that stops being a community station (its studios need a new one).
_STATION = "PartyOrg:station"


def _id_columns(table: str) -> tuple[str, ...]:
    spec = TABLE[table]
    return (
        *(("id",) if spec.node else ()),
        *(r.column for r in spec.refs),
        *_LINK_IDS.get(table, ()),
    )


def _defaults(table: str) -> Row:
    return {c.name: c.default for c in TABLE[table].columns}


def _ref_ends(table: str, rtype: str) -> tuple[str, str]:
    kind = next(r for r in REL_KINDS if r.type == rtype)
    node = TABLE[table].node
    return next((a, b) for a, b in kind.ends if node in (a, b))


def _link_rel(table: str, row: Row, la: str, lb: str) -> tuple[str, str, str, str, str]:
    """The relationship a link row is: (type, start label, end label, start id, end id)."""
    a_col, b_col = _LINK_IDS[table]
    a, b = row[a_col], row[b_col]
    if table == "coverage":
        return ("COVERS" if row["mode"] == "organization" else "GUIDES"), la, lb, a, b
    if table == "supply_links":
        return "SUPPLIES", la, lb, a, b
    if table == "alliance_members":
        return "MEMBER_OF", lb, la, b, a
    return "LIAISES", la, lb, a, b


def _incident(label: str) -> list[tuple[str, str, str, str]]:
    """The relationship kinds that may name a node of ``label``: (type, start label, end
    label, which end is the node). For a station that stops being one: its studios."""
    if label == _STATION:
        return [("HOSTED_BY", "Studio", "PartyOrg", "dst")]
    out = []
    for kind in REL_KINDS:
        for a, b in kind.ends:
            if a == label:
                out.append((kind.type, a, b, "src"))
            if b == label:
                out.append((kind.type, a, b, "dst"))
    return out


def resolve(changes: ChangeSet, run: Run) -> Resolution:
    """Check ``changes`` against the store read through ``run``; the writes and a report.

    Raises
    ------
    ValidationFailed
        With every problem found; nothing may be written then.
    """
    return _Resolver(changes, run).run()
