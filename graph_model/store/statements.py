"""Statement texts both engines accept, built from the schema (labels and types only from it),
and the reads every store does the same way through its own ``run``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graph_model.mapping import RelBatch, Zone, from_graph, rel_props
from graph_model.schema import NODE_KINDS, REL_KINDS

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


def count_graph(run: Run) -> dict[str, int]:
    """Nodes per label and relationships per type, through ``run``."""
    out = {n.label: int(run(node_count_statement(n.label), None)[0]["n"]) for n in NODE_KINDS}
    out.update((r.type, int(run(rel_count_statement(r.type), None)[0]["n"])) for r in REL_KINDS)
    return out
