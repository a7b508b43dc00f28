"""A firm's stored coverage state (``Enterprise.coverage``) is what the graph says it is.

After every write through the write path (a whole zone, a random change set, an upgrade of a
database written before the state was kept) the stored state must equal both the live
derivation (``EXISTS`` over OWN_ORG / COVERS / GUIDES, in the database) and a plain-Python
reading of the zone's tables. The Neo4j store sends the same statements in the same
transaction as the change (checked against the recording fake).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ladybug
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from graph_model import coverage_state
from graph_model.changes import ChangeSet, Origin
from graph_model.errors import ValidationFailed
from graph_model.mapping import Zone
from graph_model.snapshots import snapshot_create_statement
from graph_model.store.base import Store
from graph_model.store.embedded import EmbeddedStore
from graph_model.store.neo4j import Neo4jStore
from loaders.load import load_tables
from tests.neo4j_fake import FakeDriver, answer_from
from tests.strategies import zones
from tests.test_apply_property import SETTINGS, change_sets, shared_store  # noqa: F401
from tests.zones import small_zone

AT = Origin("change.csv", 2)


def python_reading(zone: Zone) -> dict[str, str]:
    """Each firm's state from the contract tables alone: own organization, then a covering
    branch, then party work, else none."""
    own = {r["enterprise_id"] for r in zone.rows("party_orgs") if r.get("enterprise_id")}
    joint = {r["enterprise_id"] for r in zone.rows("coverage") if r["mode"] == "organization"}
    work = {r["enterprise_id"] for r in zone.rows("coverage") if r["mode"] == "work"}
    out = {}
    for firm in zone.rows("enterprises"):
        i = firm["id"]
        out[i] = "own" if i in own else "joint" if i in joint else "work" if i in work else "none"
    return out


def stored_and_live(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    rows = store.run(
        "MATCH (e:Enterprise) RETURN e.id AS id, e.coverage AS stored, "
        f"{coverage_state.derive_expression('e')} AS live"
    )
    return {r["id"]: r["stored"] for r in rows}, {r["id"]: r["live"] for r in rows}


def assert_state_right(store: Store) -> None:
    stored, live = stored_and_live(store)
    assert stored == live
    assert stored == python_reading(store.read())


def test_a_loaded_zone_has_every_firms_state(embedded: EmbeddedStore) -> None:
    load_tables(embedded, small_zone(), source="test")
    stored, _ = stored_and_live(embedded)
    # E1 own org; E3 joint; E7 joint and work (joint wins); E2, E4 work; E5, E6 nothing.
    assert stored == {
        "E1": "own",
        "E2": "work",
        "E3": "joint",
        "E4": "work",
        "E5": "none",
        "E6": "none",
        "E7": "joint",
    }
    assert_state_right(embedded)


def test_deleting_a_coverer_uncovers_its_firms(embedded: EmbeddedStore) -> None:
    zone = small_zone()
    zone["coverage"] = [r for r in zone["coverage"] if r["coverer_id"] != "J1"]
    zone["coverage"].append({"coverer_id": "J1", "enterprise_id": "E6", "mode": "organization"})
    load_tables(embedded, zone, source="test")
    assert stored_and_live(embedded)[0]["E6"] == "joint"
    changes = ChangeSet()
    changes.delete("coverage", ("J1", "E6", "organization"), AT)
    embedded.apply(changes)
    assert stored_and_live(embedded)[0]["E6"] == "none"
    assert_state_right(embedded)


def test_a_new_firm_and_a_renamed_firm_get_their_state(embedded: EmbeddedStore) -> None:
    load_tables(embedded, small_zone(), source="test")
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E9", "name": "Iota"}, AT)
    changes.upsert("coverage", {"coverer_id": "S01", "enterprise_id": "E9", "mode": "work"}, AT)
    changes.rename("enterprises", "E1", "E1X", AT)
    embedded.apply(changes)
    stored, _ = stored_and_live(embedded)
    assert (stored["E9"], stored["E1X"]) == ("work", "own")
    assert_state_right(embedded)


@SETTINGS
@given(data=st.data())
def test_random_change_sets_keep_the_state_right(
    shared_store: EmbeddedStore,  # noqa: F811
    data: st.DataObject,
) -> None:
    load_tables(shared_store, data.draw(zones(max_firms=10)), source="test")
    assert_state_right(shared_store)
    changes = data.draw(change_sets(shared_store.read().tables))
    try:
        shared_store.apply(changes)
    except ValidationFailed:
        event("refused")
    else:
        event("applied")
    assert_state_right(shared_store)


def test_an_older_database_gets_the_state_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.lbug"
    store = EmbeddedStore(path)
    load_tables(store, small_zone(), source="test")
    store.close()
    # A file from before the state was kept: the column is not there.
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    conn.execute("ALTER TABLE Enterprise DROP coverage")
    conn.close()
    db.close()
    reopened = EmbeddedStore(path, read_only=True)
    try:
        assert_state_right(reopened)
        assert stored_and_live(reopened)[0]["E1"] == "own"
    finally:
        reopened.close()


# -- the Neo4j store: the same statements, in the writing transaction ------------------------
@pytest.fixture
def fake(embedded: EmbeddedStore) -> FakeDriver:
    load_tables(embedded, small_zone(), source="test")
    return FakeDriver(answer_from(embedded.run))


@pytest.fixture
def neo(fake: FakeDriver) -> Neo4jStore:
    return Neo4jStore(fake, "zone", batch_size=2)  # type: ignore[arg-type]


def _refreshed(statements: list[Any]) -> list[str]:
    text = coverage_state.refresh_ids_statement()
    return sorted(i for s in statements if s.text == text for i in s.params["ids"])


def test_neo4j_apply_refreshes_the_firms_it_touches_in_the_same_transaction(
    neo: Neo4jStore, fake: FakeDriver
) -> None:
    changes = ChangeSet()
    changes.upsert("coverage", {"coverer_id": "S02", "enterprise_id": "E5", "mode": "work"}, AT)
    changes.delete("coverage", ("J1", "E3", "organization"), AT)
    neo.apply(changes)
    (tx,) = fake.transactions
    assert tx.kind == "write"
    assert _refreshed(tx.statements) == ["E3", "E5"]
    # After the relationship writes: the state is derived from what they leave.
    texts = [s.text for s in tx.statements]
    refresh = texts.index(coverage_state.refresh_ids_statement())
    writes = [
        i
        for i, t in enumerate(texts)
        if t.startswith("UNWIND $rows") and t != snapshot_create_statement()
    ]
    assert writes and refresh > max(writes)
    # The zone summary's snapshot is taken after the refresh, so it counts the new states.
    assert texts.index(snapshot_create_statement()) > refresh


def test_neo4j_apply_refreshes_the_firms_of_a_deleted_coverer(
    neo: Neo4jStore, fake: FakeDriver
) -> None:
    changes = ChangeSet()
    changes.delete("coverage", ("J1", "E3", "organization"), AT)
    changes.delete("coverage", ("J1", "E7", "organization"), AT)
    changes.delete("party_orgs", ("J1",), AT)
    neo.apply(changes)
    (tx,) = fake.transactions
    assert _refreshed(tx.statements) == ["E3", "E7"]


def test_neo4j_replace_derives_every_firms_state_in_the_same_transaction(
    neo: Neo4jStore, fake: FakeDriver
) -> None:
    zone = Zone(small_zone())
    neo.replace(zone)
    # The schema first (each statement on its own), then the one transaction writing the zone.
    (tx,) = [t for t in fake.transactions if any("CREATE (n:" in s.text for s in t.statements)]
    firms = [
        row
        for s in tx.statements
        if s.text.startswith("UNWIND $rows AS row CREATE (n:Enterprise)")
        for row in s.params["rows"]
    ]
    assert {r["id"]: r["coverage"] for r in firms} == python_reading(zone)
