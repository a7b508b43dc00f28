"""``Store.apply`` against a plain-Python reading of the same change set.

For a random stored zone and a random change set (upserts of a few columns, new rows,
deletes, id changes, rows that break a rule), the reference merges the change set into
the zone's tables in Python and checks the result as a whole with the full-load validator.
Then ``apply`` must refuse exactly when the reference finds a problem (and leave the store
as it was), and otherwise leave the store holding exactly the reference's tables.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from graph_model.changes import ChangeSet, Key, Origin, key_of
from graph_model.errors import ValidationFailed
from graph_model.mapping import Zone
from graph_model.schema import TABLE, TABLES
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from loaders.readers import raw_from_rows
from loaders.validate import validate
from tests.strategies import GRIDS, zones

Tables = dict[str, list[dict[str, Any]]]
SETTINGS = settings(
    max_examples=int(os.environ.get("ZONEGRAPH_TEST_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
AT = Origin("change", 1)


@pytest.fixture(scope="module")
def shared_store() -> Iterator[EmbeddedStore]:
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "zone.lbug")
        yield store
        store.close()


def canon(tables: Tables) -> dict[str, list[str]]:
    return {name: sorted(repr(sorted(r.items())) for r in rows) for name, rows in tables.items()}


# -- the reference ---------------------------------------------------------------------------
def _id_columns(table: str) -> list[str]:
    spec = TABLE[table]
    cols = ["id"] if spec.node else []
    cols += [r.column for r in spec.refs]
    if table == "liaisons":
        cols.append("liaison_id")
    return cols


def reference_apply(tables: Tables, changes: ChangeSet) -> Tables | None:
    """The zone with ``changes`` merged in, or None when a whole-zone check refuses it."""
    t = copy.deepcopy(tables)
    node_ids = {r["id"] for s in TABLES if s.node for r in t[s.name]}
    node_ids |= {r["liaison_id"] for r in t["liaisons"]}
    for r in changes.renames:
        if r.old == r.new:  # the store takes a rename to the id a firm has as no change
            continue
        if r.old not in {row["id"] for row in t[r.table]} or r.new in node_ids:
            return None
        for table, rows in t.items():
            for row in rows:
                for col in _id_columns(table):
                    if row.get(col) == r.old:
                        row[col] = r.new
        node_ids = (node_ids - {r.old}) | {r.new}
    for d in changes.deletes:
        rows = t[d.table]
        kept = [row for row in rows if key_of(d.table, row) != d.key]
        if len(kept) == len(rows) and not d.missing_ok:
            return None
        t[d.table] = kept
    for u in changes.upserts:
        rows = t[u.table]
        key = key_of(u.table, u.row)
        old = next((row for row in rows if key_of(u.table, row) == key), None)
        base = {c.name: c.default for c in TABLE[u.table].columns}
        new = {**(old if old is not None and not u.fresh else base), **u.row}
        t[u.table] = [row for row in rows if key_of(u.table, row) != key] + [new]
    # A liaison's name and department belong to the liaison: a row that gives them sets
    # them for every row of that liaison.
    given: dict[str, dict[str, Any]] = {}
    for u in changes.upserts:
        if u.table == "liaisons":
            lid = u.row["liaison_id"]
            given.setdefault(lid, {}).update(
                {k: u.row[k] for k in ("name", "department") if u.row.get(k) is not None}
            )
    stored = {r["liaison_id"]: r for r in tables["liaisons"]}
    for row in t["liaisons"]:
        lid = row["liaison_id"]
        for k in ("name", "department"):
            row[k] = given.get(lid, {}).get(k, stored.get(lid, {}).get(k, row[k]))
    try:
        validate(raw_from_rows(t, "reference"))
    except ValidationFailed:
        return None
    return t


# -- random change sets ----------------------------------------------------------------------
@st.composite
def change_sets(draw: st.DrawFn, tables: Tables) -> ChangeSet:
    firms = [r["id"] for r in tables["enterprises"]]
    orgs = [r["id"] for r in tables["party_orgs"]]
    studios = [r["id"] for r in tables["studios"]]
    new_firms = ["N1", "N2", "91220101MA0000000X"]
    any_firm = st.sampled_from(firms + new_firms + ["O404"])
    coverer = st.sampled_from(orgs + studios + firms[:1] + ["X404"])
    changes = ChangeSet()
    used: set[tuple[str, Key]] = set()
    renamed: set[str] = set()

    def upsert(table: str, row: dict[str, Any], fresh: bool = False) -> None:
        key = key_of(table, row)
        assert key is not None
        if (table, key) in used or set(key) & renamed:
            return
        used.add((table, key))
        changes.upsert(table, row, AT, fresh=fresh)

    def delete(table: str, key: Key, missing_ok: bool = False) -> None:
        if (table, key) in used or set(key) & renamed:
            return
        used.add((table, key))
        changes.delete(table, key, AT, missing_ok=missing_ok)

    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 11))
        if kind == 0 and firms:
            fields = draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "party_members": st.integers(0, 6),
                        "grid": st.sampled_from((*GRIDS, None, "G9")),
                        "status": st.sampled_from(("operating", "closed")),
                        "name": st.sampled_from(("改名", "Renamed")),
                        "street": st.sampled_from(("S1", None)),
                    },
                )
            )
            upsert("enterprises", {"id": draw(st.sampled_from(firms)), **fields})
        elif kind == 1:
            row = {"id": draw(st.sampled_from(new_firms)), "grid": draw(st.sampled_from(GRIDS))}
            if draw(st.booleans()):
                row["name"] = "新企业"
            upsert("enterprises", row)
        elif kind == 2 and firms:
            delete("enterprises", (draw(st.sampled_from(firms)),))
        elif kind == 3 and orgs:
            org = draw(st.sampled_from(orgs))
            col = draw(st.sampled_from(("parent_id", "kind")))
            value = draw(
                st.sampled_from([*orgs, None])
                if col == "parent_id"
                else st.sampled_from(("joint_branch", "community_station"))
            )
            upsert("party_orgs", {"id": org, col: value})
        elif kind == 4:
            mode = draw(st.sampled_from(("organization", "work")))
            row = {"coverer_id": draw(coverer), "enterprise_id": draw(any_firm), "mode": mode}
            upsert("coverage", row)
        elif kind == 5 and tables["coverage"]:
            row = draw(st.sampled_from(tables["coverage"]))
            delete("coverage", (row["coverer_id"], row["enterprise_id"], row["mode"]))
        elif kind == 6:
            a, b = draw(any_firm), draw(any_firm)
            upsert("supply_links", {"supplier_id": a, "customer_id": b, "product": "新"})
        elif kind == 7 and tables["supply_links"]:
            row = draw(st.sampled_from(tables["supply_links"]))
            key = (row["supplier_id"], row["customer_id"])
            if draw(st.booleans()):
                delete("supply_links", key)
            else:  # removed and added afresh: the product not given again is gone
                upsert("supply_links", {"supplier_id": key[0], "customer_id": key[1]}, True)
        elif kind == 8 and firms:
            lid = draw(st.sampled_from([r["liaison_id"] for r in tables["liaisons"]] + ["L99"]))
            row = {"liaison_id": lid, "enterprise_id": draw(any_firm)}
            if draw(st.booleans()):
                row["name"] = "新联络员"
            upsert("liaisons", row)
        elif kind == 9 and tables["liaisons"]:
            row = draw(st.sampled_from(tables["liaisons"]))
            delete("liaisons", (row["liaison_id"], row["enterprise_id"]))
        elif kind == 10 and firms:
            old = draw(st.sampled_from(firms))
            new = draw(st.sampled_from(["91220101MA0000000X", "R1", *firms[:1]]))
            if any(old in key or new in key for _, key in used) or old in renamed:
                continue
            renamed.add(old)
            changes.rename("enterprises", old, new, AT)
        elif kind == 11 and (studios or orgs):
            ident = draw(st.sampled_from(studios + orgs))
            delete("studios" if ident in studios else "party_orgs", (ident,))
    return changes


@SETTINGS
@given(data=st.data())
def test_apply_matches_the_reference(shared_store: EmbeddedStore, data: st.DataObject) -> None:
    load_tables(shared_store, data.draw(zones(max_firms=10)), source="test")
    stored = shared_store.read()
    changes = data.draw(change_sets(stored.tables))
    expected = reference_apply(stored.tables, changes)
    event("refused" if expected is None else f"applied {min(len(changes), 3)}+ changes")
    event(f"firms {min(len(stored.rows('enterprises')), 1)}+")
    if expected is None:
        with pytest.raises(ValidationFailed):
            shared_store.apply(changes)
        assert canon(shared_store.read().tables) == canon(stored.tables)
        return
    shared_store.apply(changes)
    after = shared_store.read()
    # Whole-zone reads sort rows by key, as the reference's rows are compared here.
    assert canon(after.tables) == canon(Zone(expected).tables)
    counts = shared_store.counts()
    assert counts["Grid"] == len({r["grid"] for r in expected["enterprises"] if r["grid"]})
    assert counts["Liaison"] == len({r["liaison_id"] for r in expected["liaisons"]})
