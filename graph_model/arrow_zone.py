"""A whole zone as Arrow columns, and its graph as Arrow tables a store copies in bulk.

The columnar twin of :class:`~graph_model.mapping.Zone` and
:func:`~graph_model.mapping.to_graph`, for zones of millions of rows: the fast load
(:mod:`loaders.columnar`) builds one, and the embedded store hands its tables to LadybugDB's
``COPY`` as they are, without a Python object per value. :meth:`ArrowZone.to_zone` gives
the row form (what a Neo4j store writes); a test holds :meth:`ArrowZone.graph` to
:func:`~graph_model.mapping.to_graph` on the same zone.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from graph_model.mapping import REF_RELS, GraphBatch, Zone
from graph_model.schema import NODES, RELS, TABLE, TABLES, Prop, PropType

#: The Arrow type of each property type.
ARROW_TYPES: dict[PropType, pa.DataType] = {
    PropType.STRING: pa.string(),
    PropType.INT: pa.int64(),
    PropType.FLOAT: pa.float64(),
    PropType.BOOL: pa.bool_(),
}


@dataclass(frozen=True)
class ArrowRels:
    """Relationships of one type between one pair of labels: ``src``, ``dst`` and props."""

    type: str
    src_label: str
    dst_label: str
    table: pa.Table


@dataclass
class ArrowGraph:
    """Nodes per label and relationships per (type, labels), as Arrow tables."""

    nodes: dict[str, pa.Table]
    rels: list[ArrowRels]


@dataclass
class ArrowZone:
    """Every contract table as typed Arrow columns (validated, one row per key)."""

    tables: dict[str, pa.Table]

    def counts(self) -> dict[str, int]:
        return {t.name: self.tables[t.name].num_rows for t in TABLES}

    def is_empty(self) -> bool:
        return not any(self.counts().values())

    def head(self, n: int) -> Zone:
        """The first ``n`` rows of each table, as rows (an audit entry's sample of keys)."""
        return Zone({name: t.slice(0, n).to_pylist() for name, t in self.tables.items()})

    def to_zone(self) -> Zone:
        """The whole zone as rows."""
        return Zone({name: t.to_pylist() for name, t in self.tables.items()})

    def graph(self) -> ArrowGraph:
        """Nodes and relationships, as :func:`graph_model.mapping.to_graph` makes them."""
        t = self.tables
        nodes: dict[str, pa.Table] = {}
        for spec in TABLES:
            if spec.node:
                nodes[spec.node] = t[spec.name].select([p.name for p in NODES[spec.node].props])
        rels: list[ArrowRels] = []
        for table, columns in REF_RELS.items():
            label = TABLE[table].node
            assert label is not None
            for column, (rtype, outgoing) in columns.items():
                other = next(r for r in TABLE[table].refs if r.column == column).labels[0]
                pairs = _pairs(t[table], "id", column)
                if outgoing:
                    rels.append(ArrowRels(rtype, label, other, pairs))
                else:
                    flipped = pa.table({"src": pairs["dst"], "dst": pairs["src"]})
                    rels.append(ArrowRels(rtype, other, label, flipped))
        firms = t["enterprises"]
        rels.append(ArrowRels("IN_GRID", "Enterprise", "Grid", _pairs(firms, "id", "grid")))
        nodes["Grid"] = _grids(firms)
        rels += _coverage(t["coverage"], {s.node: t[s.name]["id"] for s in TABLES if s.node})
        links = t["supply_links"]
        supplies = pa.table(
            {"src": links["supplier_id"], "dst": links["customer_id"], "product": links["product"]}
        )
        rels.append(ArrowRels("SUPPLIES", "Enterprise", "Enterprise", supplies))
        members = t["alliance_members"]
        role = pc.fill_null(members["role"], "member")
        member_of = pa.table(
            {"src": members["enterprise_id"], "dst": members["alliance_id"], "role": role}
        )
        rels.append(ArrowRels("MEMBER_OF", "Enterprise", "Alliance", member_of))
        liaisons = t["liaisons"]
        liaises = pa.table({"src": liaisons["liaison_id"], "dst": liaisons["enterprise_id"]})
        rels.append(ArrowRels("LIAISES", "Liaison", "Enterprise", liaises))
        nodes["Liaison"] = _liaisons(liaisons)
        return ArrowGraph(nodes, [r for r in rels if r.table.num_rows])


def _pairs(table: pa.Table, src: str, dst: str) -> pa.Table:
    """``src``/``dst`` of the rows whose ``dst`` column is set."""
    keep = pc.is_valid(table[dst])
    return pa.table({"src": table[src], "dst": table[dst]}).filter(keep)


def first_rows(keys: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The index of each distinct key's first row, in the order the keys first appear."""
    n = len(keys)
    frame = pa.table({"k": keys, "i": pa.array(range(n), pa.int64())})
    firsts = frame.group_by("k").aggregate([("i", "min")])["i_min"].combine_chunks()
    return pc.take(firsts, pc.array_sort_indices(firsts))


def _grids(firms: pa.Table) -> pa.Table:
    """A grid node per distinct grid, its street from the first firm in it."""
    placed = firms.filter(pc.is_valid(firms["grid"]))
    rows = first_rows(placed["grid"])
    return pa.table(
        {"id": pc.take(placed["grid"], rows), "street": pc.take(placed["street"], rows)}
    )


def _liaisons(rows: pa.Table) -> pa.Table:
    """A liaison node per distinct id; its name and department from the first row that has them."""
    ids = rows["liaison_id"]
    firsts = first_rows(ids)
    out = {"id": pc.take(ids, firsts)}
    for column in ("name", "department"):
        given = rows.filter(pc.is_valid(rows[column]))
        known = first_rows(given["liaison_id"])
        values = pc.take(given[column], known)
        where = pc.index_in(out["id"], value_set=pc.take(given["liaison_id"], known))
        out[column] = pc.take(values, where)
    return pa.table(out)


def _coverage(rows: pa.Table, ids: dict[str, pa.ChunkedArray]) -> list[ArrowRels]:
    """COVERS from the organization rows; GUIDES from the work rows, by the coverer's label."""
    out = []
    for rtype, mode in (("COVERS", "organization"), ("GUIDES", "work")):
        part = rows.filter(pc.equal(rows["mode"], mode))
        for label in ("PartyOrg", "Studio", "Instructor"):
            mine = part.filter(pc.is_in(part["coverer_id"], value_set=ids[label].combine_chunks()))
            table = pa.table({"src": mine["coverer_id"], "dst": mine["enterprise_id"]})
            out.append(ArrowRels(rtype, label, "Enterprise", table))
    return out


def _typed_table(rows: list[dict[str, object]], props: tuple[Prop, ...]) -> pa.Table:
    return pa.table(
        {p.name: pa.array([r.get(p.name) for r in rows], ARROW_TYPES[p.type]) for p in props}
    )


def arrow_graph(batch: GraphBatch) -> ArrowGraph:
    """A graph of rows (:func:`graph_model.mapping.to_graph`'s) as Arrow tables."""
    nodes = {label: _typed_table(rows, NODES[label].props) for label, rows in batch.nodes.items()}
    ends = (Prop("src"), Prop("dst"))
    rels = [
        ArrowRels(r.type, r.src_label, r.dst_label, _typed_table(r.rows, ends + RELS[r.type].props))
        for r in batch.rels
        if r.rows
    ]
    return ArrowGraph(nodes, rels)
