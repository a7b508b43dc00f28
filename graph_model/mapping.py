"""The one place the file contract meets the graph: contract tables ⇄ nodes and relationships.

A :class:`Zone` is the contract's tables as typed rows. :func:`to_graph` turns it into a
:class:`GraphBatch` a store can write in bulk; :func:`from_graph` turns what a store
reads back into a :class:`Zone`, so export → load round-trips.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph_model.schema import NODES, RELS, TABLE, TABLES

Row = dict[str, Any]

#: Reference columns of node tables that are stored as relationships, not properties:
#: table → column → (relationship type, True when the row's node is the relationship's start).
REF_RELS: dict[str, dict[str, tuple[str, bool]]] = {
    "party_orgs": {"parent_id": ("REPORTS_TO", True), "enterprise_id": ("OWN_ORG", True)},
    "studios": {"station_id": ("HOSTED_BY", True)},
    "alliances": {"lead_id": ("LEADS", False)},
}


@dataclass
class Zone:
    """The contract's tables, each a list of typed rows keyed by column name."""

    tables: dict[str, list[Row]] = field(default_factory=lambda: {t.name: [] for t in TABLES})

    def __post_init__(self) -> None:
        for t in TABLES:
            self.tables.setdefault(t.name, [])

    def rows(self, table: str) -> list[Row]:
        return self.tables[table]

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}

    def is_empty(self) -> bool:
        return not any(self.tables.values())

    def head(self, n: int) -> Zone:
        """The first ``n`` rows of each table."""
        return Zone({name: rows[:n] for name, rows in self.tables.items()})


class WholeZone(Protocol):
    """A whole zone in either form: rows (:class:`Zone`) or Arrow columns
    (:class:`graph_model.arrow_zone.ArrowZone`)."""

    def counts(self) -> dict[str, int]: ...

    def head(self, n: int) -> Zone: ...


@dataclass(frozen=True)
class RelBatch:
    """Rows of one relationship type between one pair of labels (``src``, ``dst`` + props)."""

    type: str
    src_label: str
    dst_label: str
    rows: list[Row]


@dataclass
class GraphBatch:
    """Nodes per label and relationships per (type, labels), ready for a bulk write."""

    nodes: dict[str, list[Row]]
    rels: list[RelBatch]

    def size(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(len(r.rows) for r in self.rels)


def label_of_ids(zone: Zone) -> dict[str, str]:
    """Map every node id in the zone to its label (ids share one namespace)."""
    out: dict[str, str] = {}
    for t in TABLES:
        if t.node:
            out.update((r["id"], t.node) for r in zone.rows(t.name))
    out.update((r["liaison_id"], "Liaison") for r in zone.rows("liaisons"))
    return out


@dataclass(frozen=True)
class RelPiece:
    """One relationship a contract row stands for."""

    type: str
    src_label: str
    dst_label: str
    src: str
    dst: str
    props: tuple[tuple[str, Any], ...] = ()

    @property
    def ends(self) -> tuple[str, str, str]:
        return (self.type, self.src_label, self.dst_label)


@dataclass(frozen=True)
class Pieces:
    """What one contract row is in the graph.

    ``node`` is the node a node-table row holds (label, properties). ``rels`` are the
    relationships the row stands for: a node row's references and an enterprise's grid, or
    a link row itself. ``derived`` are nodes the row implies but does not own (an
    enterprise's ``Grid``, a liaison row's ``Liaison``): several rows may imply the same one.
    """

    node: tuple[str, Row] | None
    rels: tuple[RelPiece, ...]
    derived: tuple[tuple[str, Row], ...] = ()


def row_pieces(table: str, row: Row, label_of: Mapping[str, str]) -> Pieces:
    """The graph pieces of one validated contract row (``label_of`` names each referenced id)."""
    spec = TABLE[table]
    if spec.node:
        props = {p.name: row.get(p.name) for p in NODES[spec.node].props}
        rels = []
        for col, (rtype, outgoing) in REF_RELS.get(table, {}).items():
            target = row.get(col)
            if target is None:
                continue
            other = label_of[target]
            if outgoing:
                rels.append(RelPiece(rtype, spec.node, other, row["id"], target))
            else:
                rels.append(RelPiece(rtype, other, spec.node, target, row["id"]))
        derived: tuple[tuple[str, Row], ...] = ()
        if table == "enterprises" and row.get("grid") is not None:
            rels.append(RelPiece("IN_GRID", "Enterprise", "Grid", row["id"], row["grid"]))
            derived = (("Grid", {"id": row["grid"], "street": row.get("street")}),)
        return Pieces((spec.node, props), tuple(rels), derived)
    if table == "coverage":
        rtype = "COVERS" if row["mode"] == "organization" else "GUIDES"
        coverer = row["coverer_id"]
        rel = RelPiece(rtype, label_of[coverer], "Enterprise", coverer, row["enterprise_id"])
        return Pieces(None, (rel,))
    if table == "supply_links":
        rel = RelPiece(
            "SUPPLIES",
            "Enterprise",
            "Enterprise",
            row["supplier_id"],
            row["customer_id"],
            (("product", row.get("product")),),
        )
        return Pieces(None, (rel,))
    if table == "alliance_members":
        role = row.get("role") or "member"
        rel = RelPiece(
            "MEMBER_OF",
            "Enterprise",
            "Alliance",
            row["enterprise_id"],
            row["alliance_id"],
            (("role", role),),
        )
        return Pieces(None, (rel,))
    if table == "liaisons":
        rel = RelPiece("LIAISES", "Liaison", "Enterprise", row["liaison_id"], row["enterprise_id"])
        liaison = {
            "id": row["liaison_id"],
            "name": row.get("name"),
            "department": row.get("department"),
        }
        return Pieces(None, (rel,), (("Liaison", liaison),))
    raise ValueError(f"no graph mapping for table {table!r}")


def to_graph(zone: Zone) -> GraphBatch:
    """Turn a validated zone into nodes and relationships (references must already resolve).

    A derived node takes its properties from the first row that implies it (a grid's street
    from its first firm; a liaison's name and department from its first row that gives them).
    """
    label = label_of_ids(zone)
    nodes: dict[str, list[Row]] = {n: [] for n in NODES}
    derived: dict[str, dict[str, Row]] = {"Grid": {}, "Liaison": {}}
    rels: dict[tuple[str, str, str], list[Row]] = {}
    for t in TABLES:
        for r in zone.rows(t.name):
            pieces = row_pieces(t.name, r, label)
            if pieces.node is not None:
                nodes[pieces.node[0]].append(pieces.node[1])
            for rel in pieces.rels:
                rels.setdefault(rel.ends, []).append(
                    {"src": rel.src, "dst": rel.dst, **dict(rel.props)}
                )
            for dlabel, props in pieces.derived:
                known = derived[dlabel].setdefault(props["id"], dict(props))
                if dlabel == "Liaison":
                    for k, v in props.items():
                        if known.get(k) is None:
                            known[k] = v
    nodes["Grid"] = list(derived["Grid"].values())
    nodes["Liaison"] = list(derived["Liaison"].values())
    return GraphBatch(
        nodes=nodes,
        rels=[RelBatch(t, a, b, rows) for (t, a, b), rows in rels.items()],
    )


def from_graph(nodes: dict[str, list[Row]], rels: Iterable[RelBatch]) -> Zone:
    """Rebuild the contract tables from nodes and relationships read back from a store."""
    zone = Zone()
    by_id: dict[str, Row] = {}
    for t in TABLES:
        if t.node:
            cols = [c.name for c in t.columns]
            for n in nodes.get(t.node, []):
                row: Row = {c: n.get(c) for c in cols}
                zone.rows(t.name).append(row)
                by_id[row["id"]] = row
    liaison = {n["id"]: n for n in nodes.get("Liaison", [])}
    ref_cols = {
        rtype: (table, col, outgoing)
        for table, cols in REF_RELS.items()
        for col, (rtype, outgoing) in cols.items()
    }
    for batch in rels:
        for r in batch.rows:
            src, dst = r["src"], r["dst"]
            if batch.type in ref_cols:
                _, col, outgoing = ref_cols[batch.type]
                by_id[src if outgoing else dst][col] = dst if outgoing else src
            elif batch.type in ("COVERS", "GUIDES"):
                mode = "organization" if batch.type == "COVERS" else "work"
                cover = {"coverer_id": src, "enterprise_id": dst, "mode": mode}
                zone.rows("coverage").append(cover)
            elif batch.type == "SUPPLIES":
                zone.rows("supply_links").append(
                    {"supplier_id": src, "customer_id": dst, "product": r.get("product")}
                )
            elif batch.type == "MEMBER_OF":
                zone.rows("alliance_members").append(
                    {"alliance_id": dst, "enterprise_id": src, "role": r.get("role")}
                )
            elif batch.type == "LIAISES":
                li = liaison.get(src, {})
                zone.rows("liaisons").append(
                    {
                        "liaison_id": src,
                        "name": li.get("name"),
                        "department": li.get("department"),
                        "enterprise_id": dst,
                    }
                )
    for name, rows in zone.tables.items():
        key = TABLE[name].key
        rows.sort(key=lambda row: tuple(str(row.get(k) or "") for k in key))
    return zone


def rel_props(rtype: str) -> list[str]:
    """The property names a relationship type carries."""
    return [p.name for p in RELS[rtype].props]


def rel_owner(rtype: str, src: str, dst: str) -> tuple[str, tuple[Any, ...], str | None]:
    """The contract row a relationship stands for: its table, its key, and the reference
    column when the row is a node row (None when the row is a link row itself).

    The inverse of :func:`row_pieces` for relationships (a test holds the two together).
    """
    for table, cols in REF_RELS.items():
        for col, (ref_type, outgoing) in cols.items():
            if ref_type == rtype:
                return table, ((src,) if outgoing else (dst,)), col
    if rtype == "IN_GRID":
        return "enterprises", (src,), "grid"
    if rtype in ("COVERS", "GUIDES"):
        return "coverage", (src, dst, "organization" if rtype == "COVERS" else "work"), None
    if rtype == "SUPPLIES":
        return "supply_links", (src, dst), None
    if rtype == "MEMBER_OF":
        return "alliance_members", (dst, src), None
    if rtype == "LIAISES":
        return "liaisons", (src, dst), None
    raise ValueError(f"no contract row for relationship type {rtype!r}")
