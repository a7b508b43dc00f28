"""Statement texts both engines accept, built from the schema (labels and types only from it),
and the reads every store does the same way through its own ``run``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graph_model.mapping import RelBatch, Zone, from_graph, rel_props
from graph_model.schema import NODE_KINDS, NODES, REL_KINDS, TABLE

Run = Callable[[str, Mapping[str, Any] | None], list[dict[str, Any]]]


def node_read_statement(label: str, props: list[str]) -> str:
    cols = ", ".join(f"n.{p} AS {p}" for p in props)
    return f"MATCH (n:{label}) RETURN {cols}"


def rel_read_statement(rtype: str, src: str, dst: str) -> str:
    props = "".join(f", r.{p} AS {p}" for p in rel_props(rtype))
    return f"MATCH (a:{src})-[r:{rtype}]->(b:{dst}) RETURN a.id AS src, b.id AS dst{props}"


def node_count_statement(label: str) -> str:
    return f"MATCH (n:{label}) RETURN count(*) AS n"


def rel_count_statement(rtype: str) -> str:
    return f"MATCH ()-[r:{rtype}]->() RETURN count(*) AS n"


def read_statements() -> dict[str, str]:
    """Every read statement text, by a descriptive name (for the Cypher lint)."""
    out: dict[str, str] = {}
    for n in NODE_KINDS:
        out[f"read:{n.label}"] = node_read_statement(n.label, [p.name for p in n.props])
        out[f"count:{n.label}"] = node_count_statement(n.label)
    for r in REL_KINDS:
        out[f"count:{r.type}"] = rel_count_statement(r.type)
        for a, b in r.ends:
            out[f"read:{r.type}:{a}:{b}"] = rel_read_statement(r.type, a, b)
    return out


def read_zone(run: Run) -> Zone:
    """Read the whole graph through ``run`` and rebuild the contract tables."""
    nodes = {
        n.label: run(node_read_statement(n.label, [p.name for p in n.props]), None)
        for n in NODE_KINDS
    }
    rels = [
        RelBatch(r.type, a, b, run(rel_read_statement(r.type, a, b), None))
        for r in REL_KINDS
        for a, b in r.ends
    ]
    return from_graph(nodes, rels)


def read_table(run: Run, table: str) -> list[dict[str, Any]]:
    """The rows of a node table whose columns are all node properties (``enterprises``)."""
    spec = TABLE[table]
    assert spec.node is not None
    cols = [c.name for c in spec.columns]
    props = {p.name for p in NODES[spec.node].props}
    if not set(cols) <= props:
        raise ValueError(f"{table} has columns that are relationships; use read_zone")
    return run(node_read_statement(spec.node, cols), None)


def count_graph(run: Run) -> dict[str, int]:
    """Nodes per label and relationships per type, through ``run``."""
    out = {n.label: int(run(node_count_statement(n.label), None)[0]["n"]) for n in NODE_KINDS}
    out.update((r.type, int(run(rel_count_statement(r.type), None)[0]["n"])) for r in REL_KINDS)
    return out


# -- keyed reads: what a change set names, never the whole zone ------------------------------
def keyed_node_statement(label: str, props: list[str]) -> str:
    """Nodes of ``label`` whose id is in ``$ids``, with their properties."""
    cols = ", ".join(f"n.{p} AS {p}" for p in props)
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN {cols}"


def keyed_rel_statement(rtype: str, src: str, dst: str, keyed: str) -> str:
    """Relationships of one kind whose ``keyed`` end ("src" or "dst") has an id in ``$ids``."""
    a = f"(a:{src} {{id: i}})" if keyed == "src" else f"(a:{src})"
    b = f"(b:{dst} {{id: i}})" if keyed == "dst" else f"(b:{dst})"
    props = "".join(f", r.{p} AS {p}" for p in rel_props(rtype))
    return f"UNWIND $ids AS i MATCH {a}-[r:{rtype}]->{b} RETURN a.id AS src, b.id AS dst{props}"


def pair_rel_statement(rtype: str, src: str, dst: str) -> str:
    """Relationships of one kind between the (``src``, ``dst``) id pairs in ``$rows``.

    Three MATCH clauses, not one pattern: LadybugDB then looks both ends up by primary key
    (one pattern with both ends bound was measured 30× slower on 10^4 pairs).
    """
    props = "".join(f", r.{p} AS {p}" for p in rel_props(rtype))
    return (
        f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}}) "
        f"MATCH (a)-[r:{rtype}]->(b) RETURN a.id AS src, b.id AS dst{props}"
    )


def derived_count_statement(label: str, rtype: str, incoming: bool) -> str:
    """Derived nodes (grids, liaisons) with an id in ``$ids`` and how many rows imply them."""
    arrow = f"<-[r:{rtype}]-()" if incoming else f"-[r:{rtype}]->()"
    return (
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) OPTIONAL MATCH (n){arrow} "
        "RETURN n.id AS id, count(r) AS n"
    )


def by_name_statement(label: str) -> str:
    """Nodes of ``label`` whose name is in ``$names``: their id and name."""
    return (
        f"UNWIND $names AS v MATCH (n:{label}) WHERE n.name = v RETURN n.id AS id, n.name AS name"
    )


def unlisted_firms_statement() -> str:
    """Operating firms whose id is not in ``$ids`` (a ledger's firms): id and name."""
    return (
        "MATCH (e:Enterprise) WHERE e.status = 'operating' AND NOT e.id IN $ids "
        "RETURN e.id AS id, e.name AS name ORDER BY id"
    )


def keyed_statements() -> dict[str, str]:
    """Every keyed read statement text, by a descriptive name (for the Cypher lint)."""
    out: dict[str, str] = {}
    for n in NODE_KINDS:
        out[f"keyed:{n.label}"] = keyed_node_statement(n.label, [p.name for p in n.props])
    for r in REL_KINDS:
        for a, b in r.ends:
            for end in ("src", "dst"):
                out[f"keyed:{r.type}:{a}:{b}:{end}"] = keyed_rel_statement(r.type, a, b, end)
            out[f"pair:{r.type}:{a}:{b}"] = pair_rel_statement(r.type, a, b)
    out["by_name:Enterprise"] = by_name_statement("Enterprise")
    out["by_name:Studio"] = by_name_statement("Studio")
    out["unlisted_firms"] = unlisted_firms_statement()
    out["derived:Grid"] = derived_count_statement("Grid", "IN_GRID", incoming=True)
    out["derived:Liaison"] = derived_count_statement("Liaison", "LIAISES", incoming=False)
    return out
