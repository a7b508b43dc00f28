"""Schema statements derived from :mod:`graph_model.schema`, one list per engine."""

from __future__ import annotations

from graph_model.schema import NODE_KINDS, REL_KINDS, NodeKind, RelKind


def ladybug_node_ddl(node: NodeKind) -> str:
    cols = ", ".join(f"{p.name} {p.type.value}" for p in node.props)
    return f"CREATE NODE TABLE IF NOT EXISTS {node.label}({cols}, PRIMARY KEY({node.key}))"


def ladybug_rel_ddl(rel: RelKind) -> str:
    ends = ", ".join(f"FROM {a} TO {b}" for a, b in rel.ends)
    props = "".join(f", {p.name} {p.type.value}" for p in rel.props)
    return f"CREATE REL TABLE IF NOT EXISTS {rel.type}({ends}{props})"


def ladybug_ddl() -> list[str]:
    """LadybugDB statements creating every node and relationship table."""
    return [ladybug_node_ddl(n) for n in NODE_KINDS] + [ladybug_rel_ddl(r) for r in REL_KINDS]


def neo4j_ddl() -> list[str]:
    """Neo4j statements: a uniqueness constraint (and so an index) on every label's key."""
    return [
        f"CREATE CONSTRAINT {n.label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{n.label}) REQUIRE n.{n.key} IS UNIQUE"
        for n in NODE_KINDS
    ]
