"""The statements each engine runs to write a :class:`~graph_model.diff.GraphDiff`.

Labels, relationship types and property names come only from the schema; every value is a
parameter (``$rows`` or ``$ids``, written in batches). The order is the diff's: renames,
relationship deletes, node deletes, node updates, node creates, relationship creates.

The engines differ in three ways. LadybugDB cannot set a primary key, so an id change copies
the node and its relationships and deletes the old one, while Neo4j sets ``n.id``.
LadybugDB types a parameter list from its values, so every value is cast to its column's
type (a column of only nulls would otherwise be taken for text). And Neo4j writes nodes and
relationships with ``MERGE``, so two transactions that add the same row concurrently
leave one, where LadybugDB has one writer at a time and ``CREATE`` suffices.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph_model.diff import GraphDiff
from graph_model.mapping import rel_props
from graph_model.schema import NODE_KINDS, NODES, REL_KINDS, RELS, Prop
from graph_model.store.base import Dialect

Statement = tuple[str, dict[str, Any]]


def _props(label: str) -> tuple[Prop, ...]:
    return tuple(p for p in NODES[label].props if p.name != "id")


def _cast(dialect: Dialect, prop: Prop, value: str) -> str:
    return f"CAST({value} AS {prop.type.value})" if dialect == "ladybug" else value


def _rel_prop(rtype: str, name: str) -> Prop:
    return next(p for p in RELS[rtype].props if p.name == name)


# -- statement texts ---------------------------------------------------------------------------
def rename_statements(dialect: Dialect, label: str) -> list[str]:
    """Give nodes of ``label`` new ids (``$rows`` of old, new); LadybugDB also needs ``$ids``."""
    if dialect == "neo4j":
        return [f"UNWIND $rows AS row MATCH (n:{label} {{id: row.old}}) SET n.id = row.new"]
    copy = ", ".join(["id: row.new", *(f"{p.name}: o.{p.name}" for p in _props(label))])
    out = [f"UNWIND $rows AS row MATCH (o:{label} {{id: row.old}}) CREATE (n:{label} {{{copy}}})"]
    for kind in REL_KINDS:
        props = ", ".join(f"{p}: r.{p}" for p in rel_props(kind.type))
        body = f" {{{props}}}" if props else ""
        for a, b in kind.ends:
            if a == label:
                out.append(
                    f"UNWIND $rows AS row MATCH (o:{a} {{id: row.old}})-[r:{kind.type}]->(x:{b}) "
                    f"MATCH (n:{a} {{id: row.new}}) CREATE (n)-[:{kind.type}{body}]->(x)"
                )
            if b == label:
                out.append(
                    f"UNWIND $rows AS row MATCH (x:{a})-[r:{kind.type}]->(o:{b} {{id: row.old}}) "
                    f"MATCH (n:{b} {{id: row.new}}) CREATE (x)-[:{kind.type}{body}]->(n)"
                )
    out.append(node_delete_statement(label))
    return out


def rel_delete_statement(dialect: Dialect, rtype: str, src: str, dst: str) -> str:
    if dialect == "neo4j":
        return (
            f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}})-[r:{rtype}]->"
            f"(b:{dst} {{id: row.dst}}) DELETE r"
        )
    # Three MATCH clauses: LadybugDB then looks both ends up by primary key.
    return (
        f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}}) "
        f"MATCH (a)-[r:{rtype}]->(b) DELETE r"
    )


def node_delete_statement(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n"


def node_update_statement(dialect: Dialect, label: str) -> str:
    """Set every schema property of existing nodes (Neo4j: create the node if missing).

    Only the schema's properties are set, so properties other tools keep on the same nodes
    in Neo4j survive.
    """
    sets = ", ".join(f"n.{p.name} = {_cast(dialect, p, f'row.{p.name}')}" for p in _props(label))
    verb = "MERGE" if dialect == "neo4j" else "MATCH"
    return f"UNWIND $rows AS row {verb} (n:{label} {{id: row.id}}) SET {sets}"


def node_create_statement(dialect: Dialect, label: str) -> str:
    if dialect == "neo4j":
        return node_update_statement(dialect, label)
    props = ", ".join(
        ["id: row.id", *(f"{p.name}: {_cast(dialect, p, f'row.{p.name}')}" for p in _props(label))]
    )
    return f"UNWIND $rows AS row CREATE (n:{label} {{{props}}})"


def rel_create_statement(dialect: Dialect, rtype: str, src: str, dst: str) -> str:
    match = f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}})"
    names = rel_props(rtype)
    if dialect == "neo4j":
        sets = ", ".join(f"r.{p} = row.{p}" for p in names)
        return f"{match} MERGE (a)-[r:{rtype}]->(b)" + (f" SET {sets}" if sets else "")
    props = ", ".join(f"{p}: {_cast(dialect, _rel_prop(rtype, p), f'row.{p}')}" for p in names)
    body = f" {{{props}}}" if props else ""
    return f"{match} CREATE (a)-[:{rtype}{body}]->(b)"


def write_statement_texts(dialect: Dialect) -> dict[str, str]:
    """Every statement text a diff may produce for ``dialect``, by name (for the lint)."""
    out: dict[str, str] = {}
    for n in NODE_KINDS:
        for i, text in enumerate(rename_statements(dialect, n.label)):
            out[f"rename:{n.label}:{i}"] = text
        out[f"delete:{n.label}:keys"] = node_delete_statement(n.label)
        out[f"update:{n.label}"] = node_update_statement(dialect, n.label)
        out[f"create:{n.label}"] = node_create_statement(dialect, n.label)
    for r in REL_KINDS:
        for a, b in r.ends:
            out[f"delete:{r.type}:{a}:{b}"] = rel_delete_statement(dialect, r.type, a, b)
            out[f"create:{r.type}:{a}:{b}"] = rel_create_statement(dialect, r.type, a, b)
    return out


# -- statements for one diff -------------------------------------------------------------------
def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _node_rows(label: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every property present, so the engine sees one shape per list."""
    names = [p.name for p in NODES[label].props]
    return [{k: r.get(k) for k in names} for r in rows]


def _rel_rows(rtype: str, rows: list[dict[str, Any]], with_props: bool) -> list[dict[str, Any]]:
    names = ["src", "dst", *(rel_props(rtype) if with_props else [])]
    return [{k: r.get(k) for k in names} for r in rows]


def diff_statements(dialect: Dialect, diff: GraphDiff, batch: int) -> list[Statement]:
    """The statements, with their parameters in batches of ``batch`` rows, that write ``diff``."""
    out: list[Statement] = []
    for label, pairs in diff.renames.items():
        rows = [{"old": old, "new": new} for old, new in pairs]
        for chunk in _chunks(rows, batch):
            for text in rename_statements(dialect, label):
                key = "ids" if text.startswith("UNWIND $ids") else "rows"
                out.append((text, {key: [r["old"] for r in chunk] if key == "ids" else chunk}))
    for (rtype, src, dst), rows in sorted(diff.rel_deletes.items()):
        for chunk in _chunks(_rel_rows(rtype, rows, False), batch):
            out.append((rel_delete_statement(dialect, rtype, src, dst), {"rows": chunk}))
    for label, ids in sorted(diff.node_deletes.items()):
        for chunk in _chunks(ids, batch):
            out.append((node_delete_statement(label), {"ids": chunk}))
    for label, rows in sorted(diff.node_updates.items()):
        for chunk in _chunks(_node_rows(label, rows), batch):
            out.append((node_update_statement(dialect, label), {"rows": chunk}))
    for label, rows in sorted(diff.node_creates.items()):
        for chunk in _chunks(_node_rows(label, rows), batch):
            out.append((node_create_statement(dialect, label), {"rows": chunk}))
    for (rtype, src, dst), rows in sorted(diff.rel_creates.items()):
        for chunk in _chunks(_rel_rows(rtype, rows, True), batch):
            out.append((rel_create_statement(dialect, rtype, src, dst), {"rows": chunk}))
    return out
