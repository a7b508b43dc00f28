"""Schema statements derived from :mod:`graph_model.schema`, one list per engine."""

from __future__ import annotations

from graph_model.audit import AUDIT_LABEL, ladybug_audit_ddl, neo4j_audit_ddl
from graph_model.coverage_state import fill_missing_statement
from graph_model.schema import NODE_KINDS, REL_KINDS, NodeKind, RelKind


def ladybug_node_ddl(node: NodeKind) -> str:
    cols = ", ".join(f"{p.name} {p.type.value}" for p in (*node.props, *node.node_only))
    return f"CREATE NODE TABLE IF NOT EXISTS {node.label}({cols}, PRIMARY KEY({node.key}))"


def ladybug_rel_ddl(rel: RelKind) -> str:
    ends = ", ".join(f"FROM {a} TO {b}" for a, b in rel.ends)
    props = "".join(f", {p.name} {p.type.value}" for p in rel.props)
    return f"CREATE REL TABLE IF NOT EXISTS {rel.type}({ends}{props})"


def ladybug_ddl() -> list[str]:
    """LadybugDB statements creating every node and relationship table, and the audit trail's."""
    return [
        *(ladybug_node_ddl(n) for n in NODE_KINDS),
        *(ladybug_rel_ddl(r) for r in REL_KINDS),
        ladybug_audit_ddl(),
    ]


def ladybug_migration(
    columns: dict[str, set[str]], ends: dict[str, set[tuple[str, str]]]
) -> list[str]:
    """Statements bringing an existing LadybugDB database up to the schema.

    Parameters
    ----------
    columns
        Each existing table's columns (node and relationship tables), by table name.
    ends
        Each existing relationship table's (from, to) label pairs.

    Returns
    -------
    The missing tables, then the missing columns, then the missing relationship ends, in an
    order LadybugDB accepts, and last the derivation of a node-only property just added
    (the firms' coverage state); empty when the database is current.
    """
    out = [ladybug_node_ddl(n) for n in NODE_KINDS if n.label not in columns]
    fill = False
    for node in NODE_KINDS:
        if node.label in columns:
            out += [
                f"ALTER TABLE {node.label} ADD {p.name} {p.type.value}"
                for p in (*node.props, *node.node_only)
                if p.name not in columns[node.label]
            ]
            fill |= any(p.name not in columns[node.label] for p in node.node_only)
    for rel in REL_KINDS:
        if rel.type not in columns:
            out.append(ladybug_rel_ddl(rel))
            continue
        out += [
            f"ALTER TABLE {rel.type} ADD {p.name} {p.type.value}"
            for p in rel.props
            if p.name not in columns[rel.type]
        ]
        out += [
            f"ALTER TABLE {rel.type} ADD FROM {a} TO {b}"
            for a, b in rel.ends
            if (a, b) not in ends.get(rel.type, set())
        ]
    if AUDIT_LABEL not in columns:  # a file from before the audit trail
        out.append(ladybug_audit_ddl())
    if fill:  # a file from before the coverage state: derive it once, after every table is there
        out.append(fill_missing_statement())
    return out


def neo4j_ddl() -> list[str]:
    """Neo4j statements: a uniqueness constraint (and so an index) on every label's key,
    the audit trail's included."""
    return [
        *(
            f"CREATE CONSTRAINT {n.label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{n.label}) REQUIRE n.{n.key} IS UNIQUE"
            for n in NODE_KINDS
        ),
        neo4j_audit_ddl(),
    ]
