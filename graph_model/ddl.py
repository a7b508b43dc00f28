"""Schema statements derived from :mod:`graph_model.schema`, one list per engine."""

from __future__ import annotations

from graph_model.audit import AUDIT_LABEL, ladybug_audit_ddl, neo4j_audit_ddl
from graph_model.coverage_state import fill_missing_statement
from graph_model.schema import NODE_KINDS, NODES, REL_KINDS, NodeKind, RelKind
from graph_model.snapshots import SNAPSHOT_LABEL, ladybug_snapshot_ddl, neo4j_snapshot_ddl


def ladybug_node_ddl(node: NodeKind) -> str:
    cols = ", ".join(f"{p.name} {p.type.value}" for p in (*node.props, *node.node_only))
    return f"CREATE NODE TABLE IF NOT EXISTS {node.label}({cols}, PRIMARY KEY({node.key}))"


def ladybug_rel_ddl(rel: RelKind) -> str:
    ends = ", ".join(f"FROM {a} TO {b}" for a, b in rel.ends)
    props = "".join(f", {p.name} {p.type.value}" for p in rel.props)
    return f"CREATE REL TABLE IF NOT EXISTS {rel.type}({ends}{props})"


def ladybug_ddl() -> list[str]:
    """LadybugDB statements creating every node and relationship table, and the audit trail's
    and the snapshots'."""
    return [
        *(ladybug_node_ddl(n) for n in NODE_KINDS),
        *(ladybug_rel_ddl(r) for r in REL_KINDS),
        ladybug_audit_ddl(),
        ladybug_snapshot_ddl(),
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
    if SNAPSHOT_LABEL not in columns:  # a file from before the snapshots
        out.append(ladybug_snapshot_ddl())
    if fill:  # a file from before the coverage state: derive it once, after every table is there
        out.append(fill_missing_statement())
    return out


#: What the catalog filters firms on (``e.street = $street``, ``e.status = 'operating'``, …):
#: a range index each on Neo4j, so a filter is an index seek, not a scan of every firm.
#: ``coverage`` is the coverage state the write path keeps on every firm (not a contract
#: column, so not among the schema's properties: :data:`NODE_ONLY_PROPS`).
FILTERED_PROPS: dict[str, tuple[str, ...]] = {
    "Enterprise": ("street", "grid", "park", "industry", "status", "key_firm", "coverage"),
}

#: What the search box looks inside (``e.name CONTAINS $text OR e.id CONTAINS $text``): a
#: text index each, which Neo4j uses for ``CONTAINS`` and ``ENDS WITH`` (a range index
#: serves only equality, ranges and ``STARTS WITH``).
SEARCHED_PROPS: dict[str, tuple[str, ...]] = {"Enterprise": ("name", "id")}

#: Properties the stores keep on nodes that no contract file carries (derived by the write path).
NODE_ONLY_PROPS: dict[str, tuple[str, ...]] = {"Enterprise": ("coverage",)}


def indexed_props(table: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """(label, property) pairs of ``table``, each checked against the schema."""
    out = []
    for label, props in table.items():
        known = {p.name for p in NODES[label].props} | set(NODE_ONLY_PROPS.get(label, ()))
        for prop in props:
            if prop not in known:
                raise ValueError(f"{label}.{prop} is not a property of the schema")
            out.append((label, prop))
    return out


def neo4j_constraints() -> list[str]:
    """A uniqueness constraint (and so a range index) on every label's key, the audit trail's
    included: what a load's ``MATCH (a:Label {id: row.src})`` seeks on."""
    return [
        *(
            f"CREATE CONSTRAINT {n.label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{n.label}) REQUIRE n.{n.key} IS UNIQUE"
            for n in NODE_KINDS
        ),
        neo4j_audit_ddl(),
        neo4j_snapshot_ddl(),
    ]


def neo4j_indexes() -> list[str]:
    """A range index on each filtered property, a text index on each searched one."""
    return [
        *(
            f"CREATE RANGE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
            for label, prop in indexed_props(FILTERED_PROPS)
        ),
        *(
            f"CREATE TEXT INDEX {label.lower()}_{prop}_text IF NOT EXISTS "
            f"FOR (n:{label}) ON (n.{prop})"
            for label, prop in indexed_props(SEARCHED_PROPS)
        ),
    ]


def neo4j_ddl() -> list[str]:
    """Neo4j statements, constraints first, then indexes; each may run again (``IF NOT
    EXISTS``), and each runs in its own transaction (Neo4j refuses schema changes beside
    writes)."""
    return [*neo4j_constraints(), *neo4j_indexes()]
