"""Markdown tables of the file contract and the graph, derived from the schema (for the README).

``python -m graph_model.docs`` prints them; a test keeps the README's copy current.
"""

from __future__ import annotations

from graph_model.schema import NODE_KINDS, REL_KINDS, TABLES, NodeKind, Prop


def _column(prop: Prop) -> str:
    name = f"`{prop.name}`" + ("*" if prop.required else "")
    notes = [prop.type.value.lower().replace("int64", "int").replace("double", "float")]
    if prop.choices:
        notes.append(" \\| ".join(prop.choices))
    if prop.minimum is not None or prop.maximum is not None:
        lo = "" if prop.minimum is None else f"{prop.minimum:g}"
        hi = "" if prop.maximum is None else f"{prop.maximum:g}"
        notes.append(f"{lo}–{hi}" if hi else f"≥{lo}")
    if prop.default is not None:
        notes.append(f"default {prop.default}")
    aliases = ", ".join(a for a in prop.aliases)
    return f"| {name} | {'; '.join(notes)} | {aliases} |"


def contract_markdown() -> str:
    """The CSV contract: one table per file, columns with types, ranges and header aliases."""
    parts = []
    for t in TABLES:
        also = f" (also `{'`, `'.join(t.aliases)}`)" if t.aliases else ""
        optional = " — optional file" if t.optional_file else ""
        parts.append(f"#### `{t.filename}`{also}{optional}\n")
        parts.append("| column | type | also accepted as header |\n|---|---|---|")
        parts.extend(_column(c) for c in t.columns)
        parts.append("")
    return "\n".join(parts)


def _node_only(node: NodeKind) -> list[str]:
    """Node-only properties, marked: derived by the write path, not columns of any file."""
    bar = " \\| "
    return [f"{p.name} (derived: {bar.join(p.choices)})" for p in node.node_only]


def graph_markdown() -> str:
    """Node labels and relationship types with what they mean."""
    rows = ["| node | properties | meaning |", "|---|---|---|"]
    rows += [
        f"| `{n.label}` | {', '.join([p.name for p in n.props] + _node_only(n))} | {n.doc} |"
        for n in NODE_KINDS
    ]
    rows += ["", "| relationship | from → to | meaning |", "|---|---|---|"]
    rows += [
        f"| `{r.type}` | {', '.join(f'{a} → {b}' for a, b in r.ends)} | {r.doc} |"
        for r in REL_KINDS
    ]
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    print(contract_markdown())  # noqa: T201
    print(graph_markdown())  # noqa: T201
