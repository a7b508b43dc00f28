"""What every Store must do, run once per backend through the ``store`` fixture."""

from __future__ import annotations

import threading

import pytest

from graph_model.changes import ChangeSet, Origin
from graph_model.errors import StoreError, ValidationFailed
from graph_model.mapping import Zone
from graph_model.snapshots import SUMMARY_STATEMENT
from graph_model.store import Store
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from tests.zones import small_zone


def _canon(zone: Zone) -> dict[str, list[str]]:
    """Each table as a sorted list of its rows' reprs (row and column order don't matter)."""
    return {
        name: sorted(repr(sorted(r.items())) for r in rows) for name, rows in zone.tables.items()
    }


def test_replace_then_read_gives_the_same_tables(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    expected = small_zone()
    # Duplicate coverage rows count once.
    expected["coverage"] = [dict(t) for t in {tuple(r.items()) for r in expected["coverage"]}]
    assert _canon(store.read()) == _canon(Zone(expected))


def test_counts_per_label_and_type(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    counts = store.counts()
    assert counts["Enterprise"] == 7
    assert counts["PartyOrg"] == 4
    assert counts["Grid"] == 2  # derived from the enterprises' grid column
    assert counts["GUIDES"] == 3 and counts["COVERS"] == 2 and counts["OWN_ORG"] == 1
    assert counts["REPORTS_TO"] == 3 and counts["HOSTED_BY"] == 2
    assert counts["LIAISES"] == 2 and counts["Liaison"] == 1
    assert counts["SUPPLIES"] == 6 and counts["LEADS"] == 1 and counts["MEMBER_OF"] == 1


def test_firm_count_follows_every_write(store: Store) -> None:
    assert store.firm_count() == 0
    load_tables(store, small_zone(), source="test")
    assert store.firm_count() == store.counts()["Enterprise"] == 7
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E9", "name": "Iota"}, Origin("test.csv", 2))
    store.apply(changes)
    assert store.firm_count() == 8


def test_generation_changes_with_every_write(store: Store) -> None:
    seen = [store.generation()]
    load_tables(store, small_zone(), source="test")
    seen.append(store.generation())
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E9", "name": "Iota"}, Origin("test.csv", 2))
    store.apply(changes)
    seen.append(store.generation())
    store.apply(changes, dry_run=True)  # a dry run writes nothing ...
    store.run("MATCH (e:Enterprise) RETURN count(*) AS n")  # ... nor does a read
    if isinstance(store, EmbeddedStore):  # Neo4j's may also move on with the clock
        assert store.generation() == seen[-1]
    assert len(set(seen)) == 3


def test_replace_swaps_the_whole_graph(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    smaller = small_zone()
    smaller["enterprises"] = smaller["enterprises"][:1]
    for table in ("coverage", "supply_links", "liaisons"):
        smaller[table] = []
    smaller["party_orgs"] = smaller["party_orgs"][:3]
    load_tables(store, smaller, source="test")
    assert store.counts()["Enterprise"] == 1
    assert store.counts()["SUPPLIES"] == 0


def test_failed_replace_leaves_the_graph_unchanged(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    before = _canon(store.read())
    broken = Zone(small_zone())
    # Bypass validation: a duplicate key makes the database itself refuse the write midway.
    broken.rows("enterprises").append(dict(broken.rows("enterprises")[0]))
    with pytest.raises(StoreError):
        store.replace(broken)
    assert _canon(store.read()) == before


def test_run_takes_parameters_and_returns_dicts(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    rows = store.run(
        "MATCH (e:Enterprise) WHERE e.party_members >= $m RETURN e.id AS id ORDER BY id",
        {"m": 4},
    )
    assert rows == [{"id": "E1"}, {"id": "E6"}]


def test_store_errors_are_translated(store: Store) -> None:
    with pytest.raises(StoreError):
        store.run("MATCH (n:Enterprise RETURN n")


# -- apply: change sets by key, in one transaction ---------------------------------------------
AT = Origin("test.csv", 2)


def _firms(store: Store) -> dict[str, dict[str, object]]:
    return {r["id"]: r for r in store.read().rows("enterprises")}


def test_apply_upserts_one_row_and_touches_nothing_else(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    before = _canon(store.read())
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E5", "party_members": 7}, AT)
    changes.upsert("enterprises", {"id": "E9", "name": "Iota", "grid": "G9"}, AT)
    report = store.apply(changes)
    assert (report.created, report.updated) == ({"enterprises": 1}, {"enterprises": 1})
    firms = _firms(store)
    assert firms["E5"]["party_members"] == 7 and firms["E5"]["name"] == "Eps"  # kept
    assert firms["E9"]["status"] == "operating"  # a new row takes the defaults
    assert store.counts()["Grid"] == 3  # G9 came with its first firm
    after = _canon(store.read())
    assert {k: v for k, v in after.items() if k != "enterprises"} == {
        k: v for k, v in before.items() if k != "enterprises"
    }


def test_apply_deletes_rows_and_derived_nodes_follow(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    changes = ChangeSet()
    changes.delete("liaisons", ("L1", "E1"), AT)
    changes.delete("liaisons", ("L1", "E6"), AT)
    changes.delete("supply_links", ("E3", "E2"), AT)
    changes.upsert("enterprises", {"id": "E5", "grid": None}, AT)  # E5 left G2; E3, E6 stay
    report = store.apply(changes)
    assert report.deleted == {"liaisons": 2, "supply_links": 1}
    counts = store.counts()
    assert counts["Liaison"] == 0 and counts["LIAISES"] == 0  # no row names L1 any more
    assert counts["SUPPLIES"] == 5 and counts["Grid"] == 2 and counts["IN_GRID"] == 5


def test_a_rename_to_the_id_a_firm_has_is_accepted_and_changes_nothing(store: Store) -> None:
    # A change set may name a firm's present id as its new one (graph_model.resolve skips
    # it): that is not a clash with itself ("id is already used"), and the rest applies.
    load_tables(store, small_zone(), source="test")
    before = store.read()
    changes = ChangeSet()
    changes.rename("enterprises", "E1", "E1", AT)
    changes.upsert("enterprises", {"id": "E2", "name": "Beta Ltd"}, AT)
    store.apply(changes)
    after = store.read()
    assert {r["id"]: r["name"] for r in after.rows("enterprises")}["E2"] == "Beta Ltd"
    unchanged = [r for r in before.rows("enterprises") if r["id"] != "E2"]
    assert [r for r in after.rows("enterprises") if r["id"] != "E2"] == unchanged
    assert after.rows("coverage") == before.rows("coverage")


def test_apply_moves_a_node_and_every_relationship_to_a_new_id(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    before = store.read()
    code = "91220101MA0000000X"
    changes = ChangeSet()
    changes.rename("enterprises", "E1", code, AT)
    changes.upsert("enterprises", {"id": code, "name": "Alpha Ltd"}, AT)
    store.apply(changes)
    after = store.read()

    def renamed(value: object) -> object:
        return code if value == "E1" else value

    expected = {
        name: sorted(repr(sorted((k, renamed(v)) for k, v in r.items())) for r in rows)
        for name, rows in before.tables.items()
    }
    expected["enterprises"] = sorted(
        repr(
            sorted(
                (k, "Alpha Ltd" if k == "name" and r["id"] == "E1" else renamed(v))
                for k, v in r.items()
            )
        )
        for r in before.rows("enterprises")
    )
    assert _canon(after) == expected
    assert store.run("MATCH (n:Enterprise {id: 'E1'}) RETURN count(*) AS n") == [{"n": 0}]


def test_a_refused_change_set_writes_nothing(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    before = _canon(store.read())
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E5", "party_members": 7}, AT)  # fine on its own
    changes.upsert("supply_links", {"supplier_id": "E1", "customer_id": "E404"}, Origin("s.csv", 3))
    changes.delete("enterprises", ("E6",), Origin("e.csv", 4))  # still named by many rows
    with pytest.raises(ValidationFailed) as info:
        store.apply(changes)
    assert [str(p) for p in info.value.problems] == [
        "e.csv:4: 'E6' is still named by 1 liaisons row (L1 E6), 3 supply_links rows "
        "(E3 E6; E5 E6; E6 E7); change or remove them too",
        "s.csv:3: customer_id: 'E404' names no enterprise",
    ]
    assert _canon(store.read()) == before


def test_two_concurrent_applies_both_land(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    errors: list[BaseException] = []

    def write(ident: str) -> None:
        changes = ChangeSet()
        changes.upsert("enterprises", {"id": ident, "name": ident}, AT)
        changes.upsert("supply_links", {"supplier_id": ident, "customer_id": "E1"}, AT)
        try:
            store.apply(changes)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"N{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    firms = _firms(store)
    assert {f"N{i}" for i in range(4)} <= set(firms)
    assert store.counts()["SUPPLIES"] == 6 + 4


def test_a_dry_run_checks_and_writes_nothing(store: Store) -> None:
    load_tables(store, small_zone(), source="test")
    before = _canon(store.read())
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E5", "party_members": 7}, AT)
    report = store.apply(changes, dry_run=True)
    assert report.dry_run and report.updated == {"enterprises": 1}
    assert _canon(store.read()) == before


def test_apply_reads_only_what_the_change_set_names(
    embedded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Measured before: a one-row upsert read the whole zone back and wrote it all again.
    load_tables(embedded, small_zone(), source="test")
    sent: list[tuple[str, dict[str, object]]] = []
    rows = embedded._rows

    def spy(conn: object, cypher: str, params: dict[str, object] | None) -> list[dict[str, object]]:
        sent.append((cypher, dict(params or {})))
        return rows(conn, cypher, params)

    monkeypatch.setattr(embedded, "_rows", spy)
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": "E5", "party_members": 7}, AT)
    changes.upsert("supply_links", {"supplier_id": "E5", "customer_id": "E1"}, AT)
    report = embedded.apply(changes)
    assert report.written() == 2
    assert sent, "the check read nothing"
    # The one read not keyed by the change set: the zone summary's snapshot, an aggregate of
    # a few rows per street taken after the write (graph_model/snapshots.py).
    assert [c for c, _ in sent].count(SUMMARY_STATEMENT) == 1
    for cypher, params in sent:
        if cypher == SUMMARY_STATEMENT:
            continue
        assert cypher.startswith(("UNWIND $ids", "UNWIND $rows")), cypher
        named = params.get("ids") or [v for r in params["rows"] for v in r.values()]  # type: ignore[attr-defined]
        assert set(named) <= {"E5", "E1"}, (cypher, params)
