"""The audit trail in the store: written with the change it records, never shown as zone data,
never lost by a replace. Run once per backend through the ``store`` fixture; the Neo4j store's
statements are checked against the recording fake (tests/neo4j_fake.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from graph_model.audit import AUDIT_LABEL, KEY_CAP, AuditEvent, audit_create_statement
from graph_model.changes import ChangeSet, Origin
from graph_model.errors import ValidationFailed
from graph_model.mapping import Zone
from graph_model.store import Store
from graph_model.store.embedded import EmbeddedStore
from graph_model.store.neo4j import Neo4jStore
from loaders.load import load_tables
from tests.catalog_answers import every_answer
from tests.neo4j_fake import FakeDriver, answer_from
from tests.zones import small_zone

AT = Origin("test.csv", 2)
EDIT = AuditEvent(user="alice", action="edit", source="web", detail="E5")


def _edit(party_members: int = 7) -> ChangeSet:
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E5", "party_members": party_members}, AT)
    changes.upsert("enterprises", {"id": "E9", "name": "Iota"}, AT)
    return changes


def test_an_apply_writes_its_entry_with_counts_and_keys(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    store.apply(_edit(), audit=EDIT)
    (entry,) = store.audit_log()
    assert (entry.user, entry.action, entry.source, entry.detail) == ("alice", "edit", "web", "E5")
    assert entry.counts == {"enterprises.created": 1, "enterprises.updated": 1}
    assert sorted(entry.keys["enterprises"]) == [["E5"], ["E9"]]
    assert entry.at.endswith("Z") and len(entry.at) == len("2026-12-02T11:50:28.123456Z")


def test_a_refused_a_dry_and_an_idle_apply_write_no_entry(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    bad = ChangeSet()
    bad.upsert("supply_links", {"supplier_id": "E1", "customer_id": "E404"}, AT)
    with pytest.raises(ValidationFailed):
        store.apply(bad, audit=EDIT)
    store.apply(_edit(), dry_run=True, audit=EDIT)
    same = ChangeSet()
    same.upsert("enterprises", {"id": "E5", "party_members": 2}, AT)  # as stored
    assert store.apply(same, audit=EDIT).written() == 0
    assert store.audit_log() == []


def test_the_zone_never_shows_the_trail(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    before_zone, before_counts = store.read(), store.counts()
    answers = every_answer(store)
    for i in range(3):
        store.record(AuditEvent(user=f"u{i}", action="token.create", source="cli"))
    assert store.read() == before_zone
    assert store.counts() == before_counts and AUDIT_LABEL not in store.counts()
    assert every_answer(store) == answers
    assert len(store.audit_log()) == 3


def test_replace_keeps_the_trail_and_adds_its_own(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    store.apply(_edit(), audit=EDIT)
    smaller = small_zone()
    smaller["enterprises"] = smaller["enterprises"][:2]
    for table in ("coverage", "supply_links", "liaisons", "alliance_members"):
        smaller[table] = []
    load_tables(store, smaller, source="test", audit=AuditEvent("cli:ops", "load.replace", "cli"))
    newest, older = store.audit_log()
    assert (newest.action, older.action) == ("load.replace", "edit")
    assert newest.counts["enterprises.rows"] == 2
    assert newest.keys["enterprises"] == [["E1"], ["E2"]]
    assert store.counts()["Enterprise"] == 2


def test_a_replace_adds_history_once_by_id(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    first = store.record(AuditEvent("bob", "user.add", "cli"))
    foreign = AuditEvent("carol", "edit", "web").stamped()
    zone = store.read()
    store.replace(zone, history=[first, foreign])
    assert sorted(e.id for e in store.audit_log()) == sorted([first.id, foreign.id])


def test_the_log_filters_by_time_and_user_newest_first(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    a = store.record(AuditEvent("alice", "edit", "web"))
    b = store.record(AuditEvent("bob", "edit", "web"))
    c = store.record(AuditEvent("alice", "reconcile", "cli"))
    assert [e.id for e in store.audit_log()] == [c.id, b.id, a.id]
    assert [e.id for e in store.audit_log(user="alice")] == [c.id, a.id]
    assert [e.id for e in store.audit_log(since=b.at)] == [c.id, b.id]
    assert [e.id for e in store.audit_log(since=a.at[:10])] == [c.id, b.id, a.id]
    assert [e.id for e in store.audit_log(limit=1)] == [c.id]
    assert store.audit_log(user="nobody") == []


def test_keys_are_capped_and_counts_complete(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    changes = ChangeSet()
    for i in range(KEY_CAP + 20):
        changes.upsert("enterprises", {"id": f"N{i:04}", "name": f"New {i}"}, AT)
    store.apply(changes, audit=EDIT)
    (entry,) = store.audit_log()
    assert entry.counts == {"enterprises.created": KEY_CAP + 20}
    assert len(entry.keys["enterprises"]) == KEY_CAP


def test_an_old_database_file_gets_the_trail_table(tmp_path: Path) -> None:
    import ladybug

    from graph_model.ddl import ladybug_ddl

    path = tmp_path / "old.lbug"
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    for statement in ladybug_ddl():
        if AUDIT_LABEL not in statement:  # a file from before the audit trail
            conn.execute(statement)
    conn.close()
    db.close()
    store = EmbeddedStore(path)
    try:
        store.record(AuditEvent("cli:ops", "load", "cli"))
        assert [e.action for e in store.audit_log()] == ["load"]
    finally:
        store.close()


# -- Neo4j: the entry goes in the same managed write transaction -----------------------------
@pytest.fixture
def neo(embedded: EmbeddedStore) -> Neo4jStore:
    load_tables(embedded, small_zone(), source="test")
    return Neo4jStore(FakeDriver(answer_from(embedded.run)), "zone")  # type: ignore[arg-type]


def test_neo4j_writes_the_entry_in_the_apply_transaction(neo: Neo4jStore) -> None:
    fake: FakeDriver = neo._driver  # type: ignore[assignment]
    neo.apply(_edit(), audit=EDIT)
    (tx,) = fake.transactions
    assert tx.kind == "write"
    last = tx.writes()[-1]
    assert last.text == audit_create_statement()
    (row,) = last.params["rows"]
    assert row["user"] == "alice" and row["action"] == "edit"
    assert row["counts"] == '{"enterprises.created": 1, "enterprises.updated": 1}'


def test_neo4j_refused_apply_sends_no_entry(neo: Neo4jStore) -> None:
    fake: FakeDriver = neo._driver  # type: ignore[assignment]
    bad = ChangeSet()
    bad.upsert("supply_links", {"supplier_id": "E1", "customer_id": "E404"}, AT)
    with pytest.raises(ValidationFailed):
        neo.apply(bad, audit=EDIT)
    assert all(not t.writes() for t in fake.transactions)


def test_neo4j_replace_keeps_the_trail(neo: Neo4jStore) -> None:
    fake: FakeDriver = neo._driver  # type: ignore[assignment]
    old = AuditEvent("bob", "edit", "web").stamped()
    neo.replace(Zone(small_zone()), audit=AuditEvent("cli:x", "restore", "cli"), history=[old])
    # The schema first, each statement on its own; then the one transaction writing the zone.
    (tx,) = [t for t in fake.transactions if t.kind == "write"]
    texts = [s.text for s in tx.writes()]
    assert not any(AUDIT_LABEL in t and "DELETE" in t for t in texts)
    merge, create = tx.writes()[-2:]
    assert "MERGE" in merge.text and merge.params["rows"][0]["id"] == old.id
    assert create.text == audit_create_statement()
    assert '"enterprises.rows": 7' in create.params["rows"][0]["counts"]


# -- a crash mid-write leaves both the change and its entry, or neither ----------------------
_WRITER = """
import sys
from graph_model.audit import AuditEvent
from graph_model.changes import ChangeSet, Origin
from graph_model.store.embedded import EmbeddedStore
store = EmbeddedStore(sys.argv[1])
changes = ChangeSet()
changes.upsert("enterprises", {"id": "E5", "party_members": 9}, Origin("crash", 1))
store.apply(changes, audit=AuditEvent("cli:crash", "edit", "cli"))
"""


@pytest.mark.parametrize("point", ["written", "committed", "swapped"])
def test_a_crash_leaves_change_and_entry_together(tmp_path: Path, point: str) -> None:
    path = tmp_path / "zone.lbug"
    seed = EmbeddedStore(path)
    load_tables(seed, small_zone(), source="test")
    seed.close()
    env = {**os.environ, "ZONEGRAPH_CRASH_AT": point}
    done = subprocess.run(
        [sys.executable, "-c", _WRITER, str(path)],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
        capture_output=True,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    store = EmbeddedStore(path)
    try:
        members = {r["id"]: r["party_members"] for r in store.read().rows("enterprises")}
        entries = store.audit_log()
    finally:
        store.close()
    assert (members["E5"], len(entries)) in ((2, 0), (9, 1))
    if point == "swapped":
        assert (members["E5"], len(entries)) == (9, 1)
