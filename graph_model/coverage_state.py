"""A firm's coverage state, kept on the firm by the write path.

``Enterprise.coverage`` says how a firm is covered, the strongest way first:

* ``own``: an organization of its own reaches it (``OWN_ORG``);
* ``joint``: no own organization, but a joint, industry or association branch (``COVERS``);
* ``work``: no organizational coverage, but party work (``GUIDES``);
* ``none``: nothing.

It is derived data (the live derivation is the ``EXISTS`` tests below), stored so that coverage
queries read one property instead of probing three relationship tables for every firm. Every
write through a store sets it in the same transaction as the change: ``replace`` with the firms
themselves (:func:`with_states`), ``apply`` only for the firms the change
can affect (:func:`refresh_statements`): firms created or renamed, firms at either end of a
coverage relationship written or deleted, and firms whose coverer node is deleted (its
relationships go with it, so they are read before the write). ``replace`` works the states
out from the zone it writes and writes them with the firms (:func:`with_states`).

Closed firms keep a state too: the queries filter on ``status`` as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graph_model.arrow_zone import ArrowGraph
from graph_model.diff import GraphDiff
from graph_model.mapping import GraphBatch
from graph_model.schema import COVERAGE_STATES, RELS

Statement = tuple[str, dict[str, Any]]
Run = Callable[[str, Mapping[str, Any] | None], list[dict[str, Any]]]

#: The values, the strongest first, with the relationship type that gives each.
STATES: tuple[tuple[str, str], ...] = (("own", "OWN_ORG"), ("joint", "COVERS"), ("work", "GUIDES"))
NONE = "none"
VALUES: tuple[str, ...] = (*(s for s, _ in STATES), NONE)
assert VALUES == COVERAGE_STATES, "the schema declares the states this module derives"
#: States that count as organizational coverage (own organization or a covering branch).
ORG_COVERED: tuple[str, ...] = ("own", "joint")

COVERAGE_TYPES: tuple[str, ...] = tuple(rtype for _, rtype in STATES)
#: Labels that cover firms (the start labels of the coverage relationships).
COVERER_LABELS: tuple[str, ...] = tuple(
    sorted({a for rtype in COVERAGE_TYPES for a, _ in RELS[rtype].ends})
)

#: Firms per refresh statement.
BATCH = 10_000

_DERIVE = (
    "WITH e, "
    + ", ".join(f"EXISTS {{ MATCH (e)<-[:{rtype}]-() }} AS {state}" for state, rtype in STATES)
    + " SET e.coverage = CASE "
    + " ".join(f"WHEN {state} THEN '{state}'" for state, _ in STATES)
    + f" ELSE '{NONE}' END"
)


def derive_expression(var: str = "e") -> str:
    """The live derivation as a Cypher expression on ``var`` (tests compare the stored state
    with it)."""
    cases = " ".join(
        f"WHEN EXISTS {{ MATCH ({var})<-[:{rtype}]-() }} THEN '{state}'" for state, rtype in STATES
    )
    return f"CASE {cases} ELSE '{NONE}' END"


def refresh_all_statement() -> str:
    """Set the state of every firm (after a whole zone is written)."""
    return f"MATCH (e:Enterprise) {_DERIVE}"


def refresh_ids_statement() -> str:
    """Set the state of the firms with the ids ``$ids``."""
    return f"UNWIND $ids AS i MATCH (e:Enterprise {{id: i}}) {_DERIVE}"


def fill_missing_statement() -> str:
    """Set the state of firms that have none (a database from before the state was kept)."""
    return f"MATCH (e:Enterprise) WHERE e.coverage IS NULL {_DERIVE}"


def covered_by_statement(label: str) -> str:
    """The firms the ``label`` nodes with the ids ``$ids`` cover in any way."""
    types = "|".join(COVERAGE_TYPES)
    return (
        f"UNWIND $ids AS i MATCH (c:{label} {{id: i}})-[:{types}]->(e:Enterprise) "
        "RETURN DISTINCT e.id AS id"
    )


def statement_texts() -> dict[str, str]:
    """Every statement text this module sends, by name (for the Cypher lint)."""
    out = {
        "coverage:all": refresh_all_statement(),
        "coverage:ids": refresh_ids_statement(),
        "coverage:missing": fill_missing_statement(),
    }
    out |= {f"coverage:covered_by:{label}": covered_by_statement(label) for label in COVERER_LABELS}
    return out


def full_statements() -> list[Statement]:
    """The statements that set every firm's state in the database (a zone written without
    :func:`with_states`)."""
    return [(refresh_all_statement(), {})]


def with_states(batch: GraphBatch) -> GraphBatch:
    """``batch`` with each firm's state in its node row (``replace`` writes it with the copy).

    Worked out from the batch's own coverage relationships, in one pass: writing the column
    with the firms costs nothing extra, where a ``SET`` over every firm afterwards took about
    as long as copying them (0.75 s for 10^5 firms, measured 2026-12-02).
    """
    rank = {rtype: i for i, (_, rtype) in enumerate(STATES)}
    best: dict[str, int] = {}
    for rel in batch.rels:
        if rel.type in rank and rel.dst_label == "Enterprise":
            r = rank[rel.type]
            for row in rel.rows:
                if best.get(row["dst"], len(STATES)) > r:
                    best[row["dst"]] = r
    names = [state for state, _ in STATES]
    firms = [
        {**row, "coverage": names[best[row["id"]]] if row["id"] in best else NONE}
        for row in batch.nodes.get("Enterprise", [])
    ]
    return GraphBatch({**batch.nodes, "Enterprise": firms}, batch.rels)


def with_arrow_states(graph: ArrowGraph) -> ArrowGraph:
    """:func:`with_states` for a graph of Arrow tables (the bulk copy's), vectorised: each
    firm's strongest state from the graph's own coverage relationships."""
    import pyarrow as pa
    import pyarrow.compute as pc

    firms = graph.nodes.get("Enterprise")
    if firms is None:
        return graph
    ids = firms["id"]
    state = pa.array([NONE] * len(ids), pa.string())
    # Weakest first, so a stronger state written later wins.
    for name, rtype in reversed(STATES):
        ends = [r.table["dst"] for r in graph.rels if r.type == rtype]
        if not ends:
            continue
        reached = pc.is_in(ids, value_set=pa.chunked_array(ends).combine_chunks())
        state = pc.if_else(reached, name, state)
    if "coverage" in firms.column_names:
        firms = firms.drop_columns(["coverage"])
    return ArrowGraph(
        {**graph.nodes, "Enterprise": firms.append_column("coverage", state)}, graph.rels
    )


def affected_firms(diff: GraphDiff, run: Run) -> set[str]:
    """The firms whose state ``diff`` can change.

    Parameters
    ----------
    diff
        The writes about to be made.
    run
        Reads the graph as it is before ``diff`` is written (the same snapshot the diff was
        checked against): the firms of coverers about to be deleted are read through it.
    """
    ids: set[str] = set()
    for label, pairs in diff.renames.items():
        if label == "Enterprise":
            ids.update(new for _, new in pairs)
    # An update sets contract properties only: the state it leaves stays right.
    ids.update(row["id"] for row in diff.node_creates.get("Enterprise", []))
    for rels in (diff.rel_deletes, diff.rel_creates):
        for (rtype, _, _), rows in rels.items():
            if rtype in COVERAGE_TYPES:
                ids.update(row["dst"] for row in rows)
    for label, deleted in diff.node_deletes.items():
        if label not in COVERER_LABELS or not deleted:
            continue
        # A coverer renamed in this diff is still stored under its old id.
        old = {new: before for before, new in diff.renames.get(label, [])}
        for chunk in _chunks([old.get(i, i) for i in deleted]):
            ids.update(row["id"] for row in run(covered_by_statement(label), {"ids": chunk}))
    deleted_firms = set(diff.node_deletes.get("Enterprise", []))
    return ids - deleted_firms


def refresh_statements(diff: GraphDiff, run: Run) -> list[Statement]:
    """The statements that keep the state right after ``diff`` (``apply``): appended after the
    diff's own statements, in the same transaction. ``run`` reads the graph before the write."""
    ids = sorted(affected_firms(diff, run))
    return [(refresh_ids_statement(), {"ids": chunk}) for chunk in _chunks(ids)]


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = list(ids)
    for i in range(0, len(items), BATCH):
        yield items[i : i + BATCH]
