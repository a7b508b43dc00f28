"""The Neo4j schema serves the catalog: every firm property a catalog query filters on has an
index Neo4j can seek with, derived from the schema (graph_model/ddl.py)."""

from __future__ import annotations

import re

import pytest

from graph_model.ddl import (
    FILTERED_PROPS,
    NODE_ONLY_PROPS,
    SEARCHED_PROPS,
    indexed_props,
    neo4j_constraints,
    neo4j_ddl,
    neo4j_indexes,
)
from graph_model.errors import BadParameter
from graph_model.schema import NODE_KINDS, TABLES
from queries.catalog import Query, all_queries
from tests.test_cypher_neo4j_dialect import SAMPLES

#: `e.street = $street`, `e.name CONTAINS $text`: a firm property compared in a WHERE.
_COMPARED = re.compile(r"\be\.(\w+)\s*(=|CONTAINS|ENDS WITH)\s")


def _texts(q: Query) -> list[str]:
    """The query's Neo4j texts with its optional text filters unset ('') and set: a query
    that builds its WHERE from the parameters that are set has a filter only in the second."""
    required = {p.name: SAMPLES[p.name] for p in q.params if p.required}
    every = dict(required)
    for p in q.params:
        if p.default == "" and not p.choices:
            try:
                # A value the query takes: a level or scope parameter refuses 'x'.
                q.render("neo4j", q.bind({**every, p.name: p.parse("x")}))
            except BadParameter:
                continue
            every[p.name] = "x"
    return [q.render("neo4j", q.bind(raw))[0] for raw in (required, every)]


def _catalog_filters() -> dict[str, set[str]]:
    """Firm properties the catalog's Neo4j texts compare, by operator."""
    out: dict[str, set[str]] = {}
    for q in all_queries(internal=True):
        if q.analysis is not None:
            continue
        for text in _texts(q):
            for prop, op in _COMPARED.findall(text):
                assert "(e:Enterprise" in text, f"{q.name}: `e` is a firm by convention"
                out.setdefault(op, set()).add(prop)
    return out


def test_every_firm_filter_of_the_catalog_has_an_index() -> None:
    filters = _catalog_filters()
    ranged = {p for label, p in indexed_props(FILTERED_PROPS) if label == "Enterprise"}
    texted = {p for label, p in indexed_props(SEARCHED_PROPS) if label == "Enterprise"}
    # Equality seeks on a range index (or on the id's constraint, or on a text index).
    assert filters["="] <= ranged | texted | {"id"}
    assert {"street", "grid", "park", "industry", "status"} <= filters["="]
    # CONTAINS seeks only on a text index.
    assert filters["CONTAINS"] == {"name", "id"} <= texted


def test_the_statements_name_each_label_and_property_once() -> None:
    constraints = neo4j_constraints()
    # Constraints come first: a load's MATCH by id seeks on them.
    assert neo4j_ddl()[: len(constraints)] == constraints
    assert len(constraints) == len(NODE_KINDS) + 2  # and the audit trail's and the snapshots'
    indexes = neo4j_indexes()
    assert (
        "CREATE RANGE INDEX enterprise_street IF NOT EXISTS FOR (n:Enterprise) ON (n.street)"
        in (indexes)
    )
    assert (
        "CREATE TEXT INDEX enterprise_name_text IF NOT EXISTS FOR (n:Enterprise) ON (n.name)"
        in (indexes)
    )
    assert (
        "CREATE RANGE INDEX enterprise_coverage IF NOT EXISTS FOR (n:Enterprise) ON (n.coverage)"
        in (indexes)
    )
    names = [re.findall(r"(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS", s)[0] for s in neo4j_ddl()]
    assert len(names) == len(set(names))  # Neo4j refuses two schema objects of one name


def test_an_index_on_a_property_the_schema_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match=r"Enterprise\.revenue is not a property"):
        indexed_props({"Enterprise": ("revenue",)})
    # The node-only properties are the stores' own: no contract file carries them.
    for label, props in NODE_ONLY_PROPS.items():
        (table,) = [t for t in TABLES if t.node == label]
        assert not {c.name for c in table.columns} & set(props)
