"""The one place the file contract meets the graph: contract tables ⇄ nodes and relationships.

A :class:`Zone` is the contract's tables as typed rows. :func:`to_graph` turns it into a
:class:`GraphBatch` a store can write in bulk; :func:`from_graph` turns what a store
reads back into a :class:`Zone`, so export → load round-trips.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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


def to_graph(zone: Zone) -> GraphBatch:
    """Turn a validated zone into nodes and relationships (references must already resolve)."""
    label = label_of_ids(zone)
    nodes: dict[str, list[Row]] = {n: [] for n in NODES}
    rels: dict[tuple[str, str, str], list[Row]] = {}

    def link(rtype: str, src: str, dst: str, **props: Any) -> None:
        rels.setdefault((rtype, label[src], label[dst]), []).append(
            {"src": src, "dst": dst, **props}
        )

    for t in TABLES:
        if not t.node:
            continue
        stored = [p.name for p in NODES[t.node].props]
        refs = REF_RELS.get(t.name, {})
        for r in zone.rows(t.name):
            nodes[t.node].append({k: r.get(k) for k in stored})
            for col, (rtype, outgoing) in refs.items():
                if r.get(col) is None:
                    continue
                if outgoing:
                    link(rtype, r["id"], r[col])
                else:
                    link(rtype, r[col], r["id"])

    grids: dict[str, Row] = {}
    for e in zone.rows("enterprises"):
        if e.get("grid") is not None:
            grids.setdefault(e["grid"], {"id": e["grid"], "street": e.get("street")})
            rels.setdefault(("IN_GRID", "Enterprise", "Grid"), []).append(
                {"src": e["id"], "dst": e["grid"]}
            )
    nodes["Grid"] = list(grids.values())

    for c in zone.rows("coverage"):
        rtype = "COVERS" if c["mode"] == "organization" else "GUIDES"
        link(rtype, c["coverer_id"], c["enterprise_id"])
    for s in zone.rows("supply_links"):
        link("SUPPLIES", s["supplier_id"], s["customer_id"], product=s.get("product"))
    for m in zone.rows("alliance_members"):
        link("MEMBER_OF", m["enterprise_id"], m["alliance_id"], role=m.get("role") or "member")
    liaisons: dict[str, Row] = {}
    for li in zone.rows("liaisons"):
        known = liaisons.setdefault(
            li["liaison_id"], {"id": li["liaison_id"], "name": None, "department": None}
        )
        for k in ("name", "department"):
            if known.get(k) is None:
                known[k] = li.get(k)
    nodes["Liaison"] = list(liaisons.values())
    for li in zone.rows("liaisons"):
        link("LIAISES", li["liaison_id"], li["enterprise_id"])

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
