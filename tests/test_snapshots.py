"""Snapshots of the zone summary: written with every write of the zone, in its transaction,
never seen by reads, exports, counts or catalog queries; kept by a replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_model.audit import AuditEvent
from graph_model.changes import ChangeSet, Origin
from graph_model.errors import ValidationFailed
from graph_model.snapshots import SNAPSHOT_LABEL, snapshot_create_statement
from graph_model.store import Store
from graph_model.store.embedded import EmbeddedStore
from graph_model.store.neo4j import Neo4jStore
from loaders.load import export_zone, load_tables
from queries.catalog import run_query
from queries.rates import RATES
from tests.catalog_answers import every_answer
from tests.neo4j_fake import FakeDriver, answer_from
from tests.zones import small_zone

AT = Origin("test.csv", 2)
#: small_zone's operating firms by coverage state (tests/zones.py): E1 own; E3, E7 joint;
#: E2 work; E5, E6 none; E4 closed.
COUNTS = {"own": 1, "joint": 2, "work": 1, "none": 2}


def test_a_load_and_an_edit_each_write_a_snapshot_of_the_zone_after_them(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    (first,) = store.snapshots()
    assert first.counts == COUNTS and first.closed == 1
    assert first.streets["S1"] == {"own": 1, "joint": 1, "work": 1, "none": 0}
    assert first.streets[""] == {"own": 0, "joint": 0, "work": 0, "none": 1}  # E5 has no street
    edit = ChangeSet()
    edit.upsert("coverage", {"coverer_id": "S01", "enterprise_id": "E6", "mode": "work"}, AT)
    store.apply(edit, audit=AuditEvent("alice", "coverage.add", "web"))
    older, newest = store.snapshots()
    assert older.id == first.id
    assert newest.action == "coverage.add" and newest.at > older.at
    assert newest.counts == {**COUNTS, "work": 2, "none": 1}
    # The snapshot agrees with the catalog's zone_summary, rate by rate.
    summary = run_query(store, "zone_summary")[0]
    for rate in RATES:
        assert rate.of(newest.counts) == pytest.approx(summary[rate.column])


def test_refused_dry_and_idle_writes_take_no_snapshot(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    bad = ChangeSet()
    bad.upsert("supply_links", {"supplier_id": "E1", "customer_id": "E404"}, AT)
    with pytest.raises(ValidationFailed):
        store.apply(bad)
    same = ChangeSet()
    same.upsert("enterprises", {"id": "E5", "party_members": 2}, AT)  # as stored
    store.apply(same)
    store.apply(same, dry_run=True)
    store.record(AuditEvent("bob", "user.add", "cli"))  # an account change: not the zone
    assert len(store.snapshots()) == 1


def test_snapshots_are_never_zone_data(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    zone, counts, answers = store.read(), store.counts(), every_answer(store)
    for _ in range(3):
        store.snapshot()
    assert store.read() == zone
    assert store.counts() == counts and SNAPSHOT_LABEL not in store.counts()
    assert every_answer(store) == answers
    assert len(store.snapshots()) == 4


def test_a_replace_keeps_the_snapshots_and_adds_its_own(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    taken = store.snapshot()
    assert taken.action == "snapshot" and taken.counts == COUNTS
    smaller = small_zone()
    smaller["enterprises"] = smaller["enterprises"][:2]
    for table in ("coverage", "supply_links", "liaisons", "alliance_members"):
        smaller[table] = []
    load_tables(store, smaller, source="test")
    snaps = store.snapshots()
    assert [s.id for s in snaps[:2]] == [snaps[0].id, taken.id]
    assert snaps[-1].counts == {"own": 1, "joint": 0, "work": 0, "none": 1}
    assert [s.id for s in store.snapshots(since=taken.at)] == [taken.id, snaps[-1].id]


def test_an_export_holds_no_snapshot(store: Store, tmp_path: Path) -> None:
    load_tables(store, small_zone(), source="test")
    store.snapshot()
    out = tmp_path / "out"
    export_zone(store.read(), out)
    assert all(SNAPSHOT_LABEL not in p.read_text(encoding="utf-8-sig") for p in out.iterdir())
    assert not any("snapshot" in p.name.lower() for p in out.iterdir())


@pytest.fixture
def neo(embedded: EmbeddedStore) -> Neo4jStore:
    load_tables(embedded, small_zone(), source="test")
    return Neo4jStore(FakeDriver(answer_from(embedded.run)), "zone")  # type: ignore[arg-type]


def test_neo4j_writes_the_snapshot_in_the_apply_transaction(neo: Neo4jStore) -> None:
    fake: FakeDriver = neo._driver  # type: ignore[assignment]
    edit = ChangeSet()
    edit.upsert("enterprises", {"id": "E5", "party_members": 7}, AT)
    neo.apply(edit, audit=AuditEvent("alice", "firm.edit", "web"))
    (tx,) = fake.transactions
    texts = [s.text for s in tx.writes()]
    assert texts.count(snapshot_create_statement()) == 1
    snap = next(s for s in tx.writes() if s.text == snapshot_create_statement())
    (row,) = snap.params["rows"]
    assert row["action"] == "firm.edit" and '"own": 1' in row["summary"]
