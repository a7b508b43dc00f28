"""The zone at a glance, composed from catalog queries (what ``zonegraph stats`` prints)."""

from __future__ import annotations

from typing import Any

from graph_model.store.base import Store
from queries.catalog import run_query


def zone_stats(store: Store, worst: int = 5) -> dict[str, Any]:
    """Counts, coverage rates, the ``worst`` streets, the studios below five, and the
    uncovered firms with the most party members (the first to visit)."""
    summary = run_query(store, "zone_summary")[0]
    streets = run_query(store, "coverage_by", {"level": "street"})
    studios = run_query(store, "studio_load")
    gaps = run_query(store, "uncovered")
    gaps.sort(key=lambda r: (-(r["party_members"] or 0), r["id"]))
    return {
        "counts": store.counts(),
        "summary": summary,
        "should_form_branch": len(run_query(store, "should_form_branch")),
        "worst_streets": streets[:worst],
        "studios_below_minimum": [s for s in studios if s["below_minimum"]],
        "studios": len(studios),
        "top_gaps": gaps[: worst * 2],
    }
