"""Every Cypher text zonegraph sends to Neo4j, checked by Neo4j's own Cypher front end.

No Neo4j server can run on our build machines, so this is the check of the Neo4j dialect
in every run: syntax, undefined variables, unknown functions (LadybugDB-only ones such as
``label`` or ``list_transform``), unknown labels and relationship types, undeclared
parameters. Any error or warning fails.
"""

from __future__ import annotations

from typing import Any

from graph_model.audit import AUDIT_LABEL, audit_read_params
from graph_model.ddl import neo4j_ddl
from graph_model.schema import NODE_KINDS, labels, rel_types
from graph_model.snapshots import SNAPSHOT_LABEL
from graph_model.store.neo4j import AWAIT_INDEXES_STATEMENT, statements
from queries.catalog import ParamValue, all_queries, count_text, exists_statement
from queries.explore import explore_statements
from queries.views import view_statements
from tests.cypher_lint import lint_neo4j_queries

#: A sample value for each required parameter (defaults cover the rest).
SAMPLES: dict[str, ParamValue] = {"alliance": "A1", "text": "长春", "id": "E1", "firm": "E1"}
#: Values that set a shaped query's optional parameters (its filters are then written).
FILTERED: dict[str, ParamValue] = {"level": "grid", "value": "G1"}


def neo4j_texts() -> tuple[dict[str, str], dict[str, Any]]:
    texts: dict[str, str] = {}
    params: dict[str, Any] = {"rows": [], "id": "x", "names": [], "ids": [], "_skip": 0}
    params["_limit"] = 10  # one page of a query's rows
    params.update(audit_read_params(None, None, 10))  # the audit trail's reads
    for q in all_queries(internal=True):
        if q.analysis is not None:
            continue
        raw = {p.name: SAMPLES[p.name] for p in q.params if p.required}
        text, sent = q.render("neo4j", q.bind(raw))
        texts[f"query:{q.name}"] = text
        if count_text(text) is not None and q.post is None:  # paged in the database
            texts[f"query:{q.name}:page"] = q.render("neo4j", q.bind(raw), paged=True)[0]
            texts[f"query:{q.name}:count"] = str(count_text(text))
        params.update(sent)
        if q.shape is not None:  # the text with every filter set, as well as with none
            raw |= {
                p.name: p.choices[-1] if p.choices else FILTERED.get(p.name, "x")
                for p in q.params
                if p.type is str and not p.required
            }
            text, sent = q.render("neo4j", q.bind(raw))
            texts[f"query:{q.name}:filtered"] = text
            params.update(sent)
    texts.update(statements())
    texts.update(view_statements())
    texts.update(explore_statements())
    texts.update({f"exists:{n.label}": exists_statement(n.label) for n in NODE_KINDS})
    return texts, params


def lint(texts: dict[str, str], params: dict[str, Any]) -> dict[str, list[str]]:
    # The audit trail's and the snapshots' labels are the store's own, not the zone schema's.
    return lint_neo4j_queries(
        texts, [*labels(), AUDIT_LABEL, SNAPSHOT_LABEL], rel_types(), parameters=params
    )


def test_every_neo4j_text_passes_neo4js_front_end() -> None:
    texts, params = neo4j_texts()
    # Internal queries, views, keyed reads and change-set writes are all in, not only the
    # public catalog (a statement left out here is a statement Neo4j never checked).
    assert {"query:_alliance_ball", "view:LIAISES:Liaison", "keyed:Enterprise"} <= set(texts)
    assert {
        "update:Enterprise",
        "rename:Enterprise:0",
        "create:SUPPLIES:Enterprise:Enterprise",
    } <= set(texts)
    assert {"audit:create", "audit:merge", "audit:read", "audit:all"} <= set(texts)
    # The schema a load waits for: constraints, range and text indexes, the wait itself.
    assert {*neo4j_ddl(), AWAIT_INDEXES_STATEMENT} <= set(texts.values())
    assert {"coverage:ids", "coverage:all", "query:uncovered:filtered"} <= set(texts)
    assert "@page" not in texts["query:uncovered"] and "$_limit" in texts["query:uncovered:page"]
    assert len(texts) > 150
    problems = {name: found for name, found in lint(texts, params).items() if found}
    assert problems == {}


def test_the_front_end_catches_what_neo4j_would_refuse() -> None:
    from queries.catalog import get_query

    q = get_query("_alliance_reach_db", internal=True)
    # LadybugDB's shortest-path text: the reason the catalog keeps per-engine overrides.
    ladybug_text, sent = q.render("ladybug", q.bind({"alliance": "A1"}))
    bad = {
        "ladybug function": "MATCH (n:Enterprise) RETURN label(n) AS l",
        "ladybug lambda": "MATCH (n:Enterprise) RETURN list_transform([1], x -> x) AS l",
        "unknown label": "MATCH (n:Firm) RETURN n",
        "unknown type": "MATCH ()-[:OWNS]->() RETURN 1",
        "undefined variable": "MATCH (n:Enterprise) RETURN m",
        "undeclared parameter": "MATCH (n:Enterprise) WHERE n.id = $nope RETURN n",
        "syntax": "MATCH (n:Enterprise RETURN n",
        "unknown procedure": "CALL db.awaitIndexez(300)",
        "ladybug shortest path": ladybug_text,
    }
    found = lint(bad, {"id": "x", **sent})
    assert [name for name, problems in found.items() if not problems] == []
