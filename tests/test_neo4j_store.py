"""The Neo4j store's read and write paths, run in every test run against a recording fake of
the driver (tests/neo4j_fake.py): which transactions, which statements, which parameters.

Reads are answered by a real embedded store holding the same zone, so the rows the Neo4j
store builds from them can be compared with the embedded store's own. (The same store runs
against a real server in tests/test_store_conformance.py whenever NEO4J_URI is set.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j.exceptions import ClientError, ServiceUnavailable, TransientError

from graph_model.changes import ChangeSet, Origin
from graph_model.ddl import neo4j_ddl
from graph_model.errors import StoreBusy, StoreError, ValidationFailed
from graph_model.mapping import Zone
from graph_model.snapshots import SUMMARY_STATEMENT, snapshot_create_statement
from graph_model.store.embedded import EmbeddedStore
from graph_model.store.neo4j import (
    AWAIT_INDEXES_STATEMENT,
    LOAD_BATCH,
    Neo4jStore,
    node_write_statement,
    rel_write_statement,
)
from graph_model.store.statements import read_statements
from graph_model.store.writes import node_update_statement, rename_statements
from loaders.load import load_tables
from tests.auth import bearer
from tests.conftest import NEO4J_URI
from tests.neo4j_fake import FakeDriver, answer_from, is_write
from tests.zones import small_zone

AT = Origin("update.csv", 2)


@pytest.fixture
def fake(embedded: EmbeddedStore) -> FakeDriver:
    load_tables(embedded, small_zone(), source="test")
    return FakeDriver(answer_from(embedded.run))


@pytest.fixture
def neo(fake: FakeDriver) -> Iterator[Neo4jStore]:
    store = Neo4jStore(fake, "zone", batch_size=2)  # type: ignore[arg-type]
    yield store
    store.close()


def test_the_zone_is_read_in_one_read_transaction(
    neo: Neo4jStore, fake: FakeDriver, embedded: EmbeddedStore
) -> None:
    zone = neo.read()
    assert [t.kind for t in fake.transactions] == ["read"]
    (tx,) = fake.transactions
    # A read after a write sees it: sessions share execute_query's bookmark manager.
    # A read session (READ access mode, execute_read) goes to a secondary in a cluster.
    assert tx.session == {
        "database": "zone",
        "bookmark_manager": fake.execute_query_bookmark_manager,
        "default_access_mode": "READ",
    }
    assert [s.text for s in tx.statements] == [
        t for n, t in read_statements().items() if n.startswith("read:")
    ]
    assert zone == embedded.read()
    neo.counts()
    assert [t.kind for t in fake.transactions] == ["read", "read"]


def test_one_query_is_routed_to_a_reader(neo: Neo4jStore, fake: FakeDriver) -> None:
    rows = neo.run("MATCH (e:Enterprise) WHERE e.party_members >= $m RETURN e.id AS id", {"m": 4})
    assert sorted(r["id"] for r in rows) == ["E1", "E6"]
    (tx,) = fake.transactions
    assert tx.kind == "auto" and str(tx.session["routing_"]) in ("r", "READ", "RoutingControl.READ")


def test_a_one_row_upsert_writes_that_row_only(neo: Neo4jStore, fake: FakeDriver) -> None:
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E5", "party_members": 7}, AT)
    report = neo.apply(changes)
    assert report.updated == {"enterprises": 1}
    assert [t.kind for t in fake.transactions] == ["write"]  # checked and written in one
    (tx,) = fake.transactions
    assert tx.session["bookmark_manager"] is fake.execute_query_bookmark_manager
    assert tx.session["default_access_mode"] == "WRITE"  # to the leader
    # The change, then the zone summary's snapshot (graph_model/snapshots.py).
    write, snap = tx.writes()
    assert snap.text == snapshot_create_statement()
    assert write.text == node_update_statement("neo4j", "Enterprise")
    (row,) = write.params["rows"]
    assert row["id"] == "E5" and row["party_members"] == 7 and row["name"] == "Eps"
    # Only the schema's properties are set, never `SET n = row`, so what other tools keep
    # on the node survives; nothing is deleted and recreated.
    assert "SET n = row" not in write.text and "DETACH DELETE" not in write.text
    # The check read only what the change names: every read is keyed by $ids or $rows; the
    # one other read is the snapshot's aggregate (a few rows per street), after the write.
    reads = [s for s in tx.statements if not is_write(s.text) and s.text != SUMMARY_STATEMENT]
    assert reads and all(s.text.startswith(("UNWIND $ids", "UNWIND $rows")) for s in reads)


def test_batches_renames_and_deletes(neo: Neo4jStore, fake: FakeDriver) -> None:
    changes = ChangeSet()
    for i in range(5):
        changes.upsert("enterprises", {"id": f"N{i}", "name": f"New {i}"}, AT)
    changes.rename("enterprises", "E1", "91220101MA0000000X", AT)
    changes.delete("supply_links", ("E3", "E2"), AT)
    neo.apply(changes)
    (tx,) = fake.transactions
    writes = tx.writes()
    creates = [s for s in writes if s.text == node_update_statement("neo4j", "Enterprise")]
    assert [len(s.params["rows"]) for s in creates] == [2, 2, 1]  # batch_size=2
    (rename,) = [s for s in writes if s.text in rename_statements("neo4j", "Enterprise")]
    assert rename.params["rows"] == [{"old": "E1", "new": "91220101MA0000000X"}]
    assert writes.index(rename) == 0  # the rest of the change set uses the new id
    deletes = [s for s in writes if "DELETE r" in s.text]
    assert [s.params["rows"] for s in deletes] == [[{"src": "E3", "dst": "E2"}]]


def test_a_refused_change_set_sends_no_write(neo: Neo4jStore, fake: FakeDriver) -> None:
    changes = ChangeSet()
    changes.upsert("supply_links", {"supplier_id": "E1", "customer_id": "E404"}, AT)
    with pytest.raises(ValidationFailed):
        neo.apply(changes)
    assert [t.kind for t in fake.transactions] == ["write"]
    assert fake.transactions[0].writes() == []


def test_a_dry_run_is_a_read_transaction(neo: Neo4jStore, fake: FakeDriver) -> None:
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E5", "party_members": 7}, AT)
    assert neo.apply(changes, dry_run=True).updated == {"enterprises": 1}
    assert [t.kind for t in fake.transactions] == ["read"]
    assert fake.transactions[0].writes() == []


def test_replace_is_constraints_then_one_write_transaction(
    neo: Neo4jStore, fake: FakeDriver
) -> None:
    neo.replace(Zone(small_zone()))
    # Constraints and indexes first, each in its own transaction on the leader, waited for;
    # then the whole zone in one write transaction: all of it or none of it.
    (load,) = [t for t in fake.transactions if t.kind == "write"]
    ddl = [t for t in fake.transactions if t.kind == "auto"]
    assert [t.statements[0].text for t in ddl] == [*neo4j_ddl(), AWAIT_INDEXES_STATEMENT]
    assert all(str(t.session["routing_"]).endswith("WRITE") for t in ddl)
    assert [t.kind for t in fake.transactions] == ["auto"] * len(ddl) + ["write"]
    texts = [s.text for s in load.statements]
    assert texts[0] == "MATCH (n:Enterprise) DETACH DELETE n"
    firms = [s for s in load.statements if "CREATE (n:Enterprise)" in s.text]
    assert sum(len(s.params["rows"]) for s in firms) == 7
    # Every node is written before the first relationship, whose ends it matches by id.
    first_rel = next(i for i, t in enumerate(texts) if "CREATE (a)-[" in t)
    assert all("CREATE (n:" not in t for t in texts[first_rel:])


def test_replace_writes_unwind_batches_of_the_load_size(fake: FakeDriver) -> None:
    zone = small_zone()
    store = Neo4jStore(fake, "zone", batch_size=1000, load_batch_size=3)  # type: ignore[arg-type]
    store.replace(Zone(zone))
    (load,) = [t for t in fake.transactions if t.kind == "write"]
    firms = [s for s in load.statements if s.text == node_write_statement("Enterprise")]
    assert [len(s.params["rows"]) for s in firms] == [3, 3, 1]
    supplies = rel_write_statement("SUPPLIES", "Enterprise", "Enterprise")
    assert supplies.startswith("UNWIND $rows AS row MATCH (a:Enterprise {id: row.src}) ")
    links = [s for s in load.statements if s.text == supplies]
    assert sum(len(s.params["rows"]) for s in links) == len(zone["supply_links"])
    assert all(len(s.params["rows"]) <= 3 for s in links)
    assert LOAD_BATCH == 10_000  # what the store uses unless told otherwise


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (TransientError("deadlock detected"), StoreBusy),
        (ServiceUnavailable("no leader for now"), StoreBusy),
        (ClientError("syntax"), StoreError),
    ],
)
def test_errors_that_persist_through_retries(
    neo: Neo4jStore, fake: FakeDriver, error: Exception, expected: type[StoreError]
) -> None:
    # The driver retries managed transactions on retryable errors; what reaches the store
    # is the error that persisted. Busy is "try again", not a failure.
    for call in (neo.read, lambda: neo.run("RETURN 1 AS n"), lambda: neo.apply(ChangeSet())):
        fake.failures.append(error)
        with pytest.raises(expected) as info:
            call()
        assert type(info.value) is expected
        if expected is StoreBusy:
            assert str(info.value).endswith("try again")


def test_busy_is_503_over_http(neo: Neo4jStore, fake: FakeDriver, tmp_path: Path) -> None:
    from api.app import create_app
    from graph_model.settings import Settings

    app = create_app(Settings(ZONEGRAPH_SCENARIOS=tmp_path), neo)
    with TestClient(app, headers=bearer()) as client:
        fake.failures.append(TransientError("leader switch"))
        r = client.get("/api/queries/uncovered")
        assert r.status_code == 503
        assert r.json()["error"] == "StoreBusy"
        assert client.get("/api/queries/uncovered").status_code == 200


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        env={**clean, "ZONEGRAPH_BACKEND": "neo4j", **env},
        timeout=120,
        check=False,
    )


def test_a_bad_uri_or_an_unreachable_server_is_one_line() -> None:
    bad = _cli("stats", NEO4J_URI="http://localhost:7474")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: NEO4J_URI 'http://localhost:7474' is not a Neo4j address")
    assert len(bad.stderr.strip().splitlines()) == 1
    down = _cli("stats", NEO4J_URI="neo4j://127.0.0.1:1")
    assert down.returncode == 1
    assert down.stderr.strip().splitlines() == [
        "error: cannot reach Neo4j at neo4j://127.0.0.1:1: Unable to retrieve routing information"
    ]


def test_a_server_too_old_for_the_cypher_is_refused() -> None:
    from graph_model.errors import ConfigError
    from graph_model.store.neo4j import check_version

    for fine in ("5.21.0", "5.26.12", "2025.01.0", "2026.10.1-enterprise"):
        check_version(fine, "neo4j://db")
    with pytest.raises(ConfigError, match=r"Neo4j 5\.20\.0 at neo4j://db is too old: .* 5\.21"):
        check_version("5.20.0", "neo4j://db")
    with pytest.raises(ConfigError):
        check_version("4.4.30", "neo4j://db")


# -- against a real server (whenever NEO4J_URI is set) ------------------------------------------
@pytest.fixture
def server() -> Iterator[Neo4jStore]:
    from tests.conftest import _empty_neo4j_store

    # Empties the test database, and skips rather than wipe data the tests did not put there.
    store = _empty_neo4j_store()
    assert isinstance(store, Neo4jStore)
    yield store
    store.close()


def _operators(store: Neo4jStore, text: str, params: dict[str, object]) -> set[str]:
    """The plan's operators for ``text`` (EXPLAIN: planned, not run)."""
    _, summary, _ = store._driver.execute_query(
        f"EXPLAIN {text}", params, database_=store._database
    )
    assert summary.plan is not None
    found: set[str] = set()
    todo = [summary.plan]
    while todo:
        plan = todo.pop()
        found.add(str(plan["operatorType"]).split("@")[0])
        todo.extend(plan.get("children", []))
    return found


@pytest.mark.neo4j
@pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI is not set")
def test_the_schema_is_online_after_connecting(server: Neo4jStore) -> None:
    rows = server.run("SHOW INDEXES YIELD name, type, state RETURN name, type, state")
    online = {r["name"]: r["type"] for r in rows if r["state"] == "ONLINE"}
    for statement in neo4j_ddl():
        name = re.findall(r"(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS", statement)[0]
        assert name in online, f"{name} is not online"
    assert online["enterprise_name_text"] == "TEXT"
    assert online["enterprise_street"] == "RANGE"


@pytest.mark.neo4j
@pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI is not set")
def test_filters_and_the_search_seek_on_their_indexes(server: Neo4jStore) -> None:
    from loaders.demo import demo_tables

    load_tables(server, demo_tables(seed=7, firms=1500), source="test")
    street = "MATCH (e:Enterprise) WHERE e.street = $street RETURN e.id AS id"
    assert "NodeIndexSeek" in _operators(server, street, {"street": "锦程街道"})
    search = "MATCH (e:Enterprise) WHERE e.name CONTAINS $text RETURN e.id AS id"
    assert "NodeIndexContainsScan" in _operators(server, search, {"text": "汽车"})
    link = "MATCH (a:Enterprise {id: $a}) MATCH (b:Enterprise {id: $b}) RETURN a.id AS id"
    assert "NodeUniqueIndexSeek" in _operators(server, link, {"a": "E1", "b": "E2"})
