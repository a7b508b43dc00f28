"""What every Store must do, run once per backend through the ``store`` fixture."""

from __future__ import annotations

import pytest

from graph_model.errors import StoreError
from graph_model.mapping import Zone
from graph_model.store import Store
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
