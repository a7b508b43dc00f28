"""``zonegraph backup`` / ``zonegraph restore``: every query answers the same after a round
trip into a fresh database, the audit trail travels with the zone, and a damaged, foreign or
newer backup is refused with a located message and nothing written."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from graph_model.audit import AuditEvent
from graph_model.errors import ValidationFailed
from graph_model.schema import SCHEMA_VERSION
from graph_model.store.embedded import EmbeddedStore
from graph_model.store.neo4j import Neo4jStore
from loaders.backup import MANIFEST, read_backup, restore_backup, write_backup
from loaders.load import load_path, load_tables
from tests.catalog_answers import every_answer
from tests.neo4j_fake import FakeDriver, answer_from
from tests.strategies import write_tables_csv, zones
from tests.test_cli import zonegraph
from tests.zones import small_zone

Tables = dict[str, list[dict[str, object]]]
RESTORE = AuditEvent("cli:test", "restore", "cli")


def round_trip(source: EmbeddedStore, target: EmbeddedStore, folder: Path) -> None:
    path = folder / "backup.zip"
    write_backup(source, path)
    restore_backup(target, read_backup(path), RESTORE)


def test_the_demo_zone_answers_every_query_the_same_after_a_restore(
    demo_store: EmbeddedStore, tmp_path: Path
) -> None:
    fresh = EmbeddedStore(tmp_path / "fresh.lbug")
    try:
        round_trip(demo_store, fresh, tmp_path)
        assert fresh.read() == demo_store.read()
        assert fresh.counts() == demo_store.counts()
        assert every_answer(fresh) == every_answer(demo_store)
    finally:
        fresh.close()


@pytest.fixture(scope="module")
def two_stores() -> Iterator[tuple[EmbeddedStore, EmbeddedStore]]:
    """A source and a target database for the module; each example replaces both zones."""
    with tempfile.TemporaryDirectory() as tmp:
        source = EmbeddedStore(Path(tmp) / "source.lbug")
        target = EmbeddedStore(Path(tmp) / "target.lbug")
        yield source, target
        source.close()
        target.close()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tables=zones())
def test_any_zone_and_its_trail_survive_a_round_trip(
    two_stores: tuple[EmbeddedStore, EmbeddedStore], tables: Tables
) -> None:
    source, target = two_stores
    with tempfile.TemporaryDirectory() as tmp:
        write_tables_csv(tables, tmp)
        load_path(source, Path(tmp), replace=True)
        source.record(AuditEvent("alice", "firm.edit", "web", detail="名称 “引号”, 逗号"))
        round_trip(source, target, Path(tmp))
    assert target.read() == source.read()
    assert every_answer(target) == every_answer(source)
    restored = {e.id: e for e in target.audit_log(limit=10_000)}
    for entry in source.audit_log(limit=10_000):
        assert restored[entry.id] == entry


def test_the_trail_travels_and_the_restore_is_recorded(tmp_path: Path) -> None:
    source = EmbeddedStore(tmp_path / "source.lbug")
    target = EmbeddedStore(tmp_path / "target.lbug")
    try:
        load_tables(source, small_zone(), source="t", audit=AuditEvent("cli:a", "load", "cli"))
        made = source.record(AuditEvent("admin", "user.add", "web", detail="zhang"))
        already = target.record(AuditEvent("admin", "token.create", "cli"))
        round_trip(source, target, tmp_path)
        newest, *rest = target.audit_log()
        assert (newest.action, newest.user) == ("restore", "cli:test")
        assert newest.counts["enterprises.rows"] == 7
        # The backup's entries are added; the target's own entry is kept.
        assert {e.id for e in rest} == {made.id, already.id} | {e.id for e in source.audit_log()}
        # Restoring the same backup again adds only the new restore entry.
        round_trip(source, target, tmp_path)
        assert len(target.audit_log()) == len(rest) + 2
    finally:
        source.close()
        target.close()


def test_neo4j_is_backed_up_from_one_read_transaction(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    load_tables(embedded, small_zone(), source="t")
    embedded.record(AuditEvent("alice", "edit", "web"))
    fake = FakeDriver(answer_from(embedded.run))
    neo = Neo4jStore(fake, "zone")  # type: ignore[arg-type]
    manifest = write_backup(neo, tmp_path / "b.zip")
    assert [t.kind for t in fake.transactions] == ["read"]
    assert manifest.backend == "neo4j" and manifest.audit_entries == 1
    backup = read_backup(tmp_path / "b.zip")
    assert backup.zone == embedded.read() and backup.audit == embedded.audit_log()


# -- refusals ------------------------------------------------------------------------------
def rewrite(path: Path, change: dict[str, bytes | None]) -> None:
    """The archive at ``path`` with members replaced (or removed, for None)."""
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    for name, data in change.items():
        if data is None:
            members.pop(name)
        else:
            members[name] = data
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


@pytest.fixture
def made(tmp_path: Path) -> Path:
    store = EmbeddedStore(tmp_path / "source.lbug")
    try:
        load_tables(store, small_zone(), source="t")
        store.record(AuditEvent("alice", "edit", "web"))
        write_backup(store, tmp_path / "backup.zip")
    finally:
        store.close()
    return tmp_path / "backup.zip"


def refusal(path: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        read_backup(path)
    return [str(p) for p in info.value.problems]


def test_a_newer_schema_is_refused_with_a_clear_message(made: Path) -> None:
    manifest = json.loads(zipfile.ZipFile(made).read(MANIFEST))
    manifest["schema"] = SCHEMA_VERSION + 1
    manifest["zonegraph"] = "9.0.0"
    rewrite(made, {MANIFEST: json.dumps(manifest).encode()})
    assert refusal(made) == [
        f"{made}: this backup was made by a newer zonegraph (9.0.0, schema "
        f"{SCHEMA_VERSION + 1} > {SCHEMA_VERSION}); upgrade zonegraph first"
    ]


def test_damaged_and_foreign_files_are_refused_where_they_are_wrong(made: Path) -> None:
    data = made.read_bytes()
    cut = made.with_name("cut.zip")
    cut.write_bytes(data[: len(data) // 2])
    assert refusal(cut) == [f"{cut}: is not a zonegraph backup (not a zip archive)"]

    flipped = made.with_name("flipped.zip")
    with zipfile.ZipFile(made) as z:
        info = z.getinfo("tables/enterprises.csv")
    body = bytearray(data)
    body[info.header_offset + 30 + len(info.filename) + 5] ^= 0xFF  # inside the compressed data
    flipped.write_bytes(bytes(body))
    (problem,) = refusal(flipped)
    assert problem.startswith(f"{flipped}") and "damaged" in problem

    other = made.with_name("other.zip")
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("enterprises.csv", "id,name\nE1,A\n")
    assert refusal(other) == [f"{other}: is not a zonegraph backup (manifest.json is missing)"]

    text = made.with_name("notes.zip")
    text.write_text("hello", encoding="utf-8")
    assert refusal(text) == [f"{text}: is not a zonegraph backup (not a zip archive)"]


def test_a_table_or_entry_that_does_not_fit_is_located(made: Path) -> None:
    edited = made.with_name("edited.zip")
    edited.write_bytes(made.read_bytes())
    with zipfile.ZipFile(made) as z:
        firms = z.read("tables/enterprises.csv").decode("utf-8-sig")
    assert ",Alpha,parts,55,5," in firms
    bad = firms.replace(",Alpha,parts,55,5,", ",Alpha,parts,55,many,")
    rewrite(edited, {"tables/enterprises.csv": bad.encode()})
    (problem,) = refusal(edited)
    assert problem.startswith(f"{edited}:tables/enterprises.csv:2: party_members: 'many'")

    short = made.with_name("short.zip")
    short.write_bytes(made.read_bytes())
    with zipfile.ZipFile(made) as z:
        lines = z.read("tables/supply_links.csv").decode("utf-8-sig").splitlines()
    rewrite(short, {"tables/supply_links.csv": "\n".join(lines[:-1]).encode()})
    assert refusal(short) == [
        f"{short}:tables/supply_links.csv: has 5 rows; the manifest says 6 (the backup is damaged)"
    ]

    trail = made.with_name("trail.zip")
    trail.write_bytes(made.read_bytes())
    rewrite(trail, {"audit.jsonl": b'{"id": "x", "at": "now"}\n[1, 2]\n'})
    assert refusal(trail) == [f"{trail}:audit.jsonl:2: is not an audit entry (not a JSON object)"]


# -- the commands --------------------------------------------------------------------------
def test_backup_and_restore_commands(made: Path, tmp_path: Path) -> None:
    db = tmp_path / "zone.lbug"
    done = zonegraph(db, "restore", str(made))
    assert done.returncode == 0, done.stderr
    assert "restored from" in done.stderr and "1 audit entries" in done.stderr
    again = zonegraph(db, "restore", str(made))  # the database now holds a zone
    assert again.returncode == 2 and "--yes" in again.stderr
    assert zonegraph(db, "restore", str(made), "--yes").returncode == 0

    out = tmp_path / "again.zip"
    done = zonegraph(db, "backup", str(out))
    assert done.returncode == 0, done.stderr
    assert "enterprises 7" in done.stderr
    assert out.stat().st_mode & 0o777 == 0o600  # names and membership counts: owner only
    assert zonegraph(db, "backup", str(out)).returncode == 2  # no silent overwrite
    assert zonegraph(db, "backup", str(out), "--force").returncode == 0
    actions = [e.action for e in read_backup(out).audit]
    assert actions == ["edit", "restore", "restore"]


def test_restore_of_a_newer_backup_writes_nothing(made: Path, tmp_path: Path) -> None:
    manifest = json.loads(zipfile.ZipFile(made).read(MANIFEST))
    manifest["schema"] = SCHEMA_VERSION + 1
    rewrite(made, {MANIFEST: json.dumps(manifest).encode()})
    db = tmp_path / "zone.lbug"
    done = zonegraph(db, "restore", str(made), "--yes")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "upgrade zonegraph first" in done.stderr
    assert "nothing was written" in done.stderr
    assert not db.exists()
