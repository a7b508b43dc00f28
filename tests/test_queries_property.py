"""Each catalog query against an independent plain-Python/networkx reading of the contract
(tests/reference.py), on random zones written as CSV files by tests/strategies.py."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_path
from queries.catalog import run_query
from tests import reference
from tests.strategies import write_tables_csv, zones

Tables = dict[str, list[dict[str, object]]]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def load(store: EmbeddedStore, tables: Tables) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_tables_csv(tables, tmp)
        load_path(store, Path(tmp), replace=True)


def by(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: repr(r[key]))


@SETTINGS
@given(tables=zones())
def test_coverage_queries_match_reference(shared_store: EmbeddedStore, tables: Tables) -> None:
    load(shared_store, tables)
    assert by(run_query(shared_store, "uncovered"), "id") == by(reference.uncovered(tables), "id")
    assert by(run_query(shared_store, "should_form_branch"), "id") == by(
        reference.should_form_branch(tables), "id"
    )
    assert by(run_query(shared_store, "studio_load"), "id") == by(
        reference.studio_load(tables), "id"
    )
    for level in ("street", "grid", "park", "industry"):
        ours = by(run_query(shared_store, "coverage_by", {"level": level}), "group")
        theirs = by(reference.coverage_by(tables, level), "group")
        rates = ("rate", "coverage_rate", "org_coverage_rate", "own_org_rate")
        assert [{**r, **{k: pytest.approx(r[k]) for k in rates}} for r in theirs] == ours
    summary = run_query(shared_store, "zone_summary")[0]
    rates = reference.zone_rates(tables)
    assert summary["operating"] == rates["operating"]
    assert summary["org_coverage_rate"] == pytest.approx(rates["org_coverage_rate"])
    assert summary["own_org_rate"] == pytest.approx(rates["own_org_rate"])


@SETTINGS
@given(tables=zones(), hops=st.integers(1, 6))
def test_alliance_reach_matches_networkx_bfs(
    shared_store: EmbeddedStore, tables: Tables, hops: int
) -> None:
    load(shared_store, tables)
    for alliance in tables["alliances"]:
        params = {"alliance": alliance["id"], "hops": hops}
        ours = by(run_query(shared_store, "alliance_reach", params), "id")
        assert ours == by(reference.alliance_reach(tables, alliance["id"], hops), "id")


@SETTINGS
@given(tables=zones(), hops=st.integers(1, 3))
def test_alliance_overlap_matches_reference_reaches(
    shared_store: EmbeddedStore, tables: Tables, hops: int
) -> None:
    load(shared_store, tables)
    reach = {
        a["id"]: {r["id"] for r in reference.alliance_reach(tables, a["id"], hops)}
        | (reference.alliance_members(tables, a["id"]) & set(reference.supply_graph(tables)))
        for a in tables["alliances"]
    }
    ours = {
        (r["a"], r["b"]): r for r in run_query(shared_store, "alliance_overlap", {"hops": hops})
    }
    # Distance-weighted: members and direct partners 1, a firm d links away 1/d.
    weight = {
        a["id"]: {
            r["id"]: 1 / r["distance"] for r in reference.alliance_reach(tables, a["id"], hops)
        }
        | dict.fromkeys(
            reference.alliance_members(tables, a["id"]) & set(reference.supply_graph(tables)), 1.0
        )
        for a in tables["alliances"]
    }
    assert len(ours) == len(reach) * (len(reach) - 1) // 2
    for (a, b), row in ours.items():
        union = reach[a] | reach[b]
        assert row["shared"] == len(reach[a] & reach[b])
        assert row["jaccard"] == pytest.approx(row["shared"] / len(union) if union else 0.0)
        low = sum(min(weight[a].get(f, 0), weight[b].get(f, 0)) for f in union)
        high = sum(max(weight[a].get(f, 0), weight[b].get(f, 0)) for f in union)
        assert row["weighted_jaccard"] == pytest.approx(low / high if high else 0.0, abs=1e-6)
