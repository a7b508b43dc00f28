"""The zone at a glance, composed from catalog queries (what ``zonegraph stats`` prints)."""

from __future__ import annotations

from typing import Any

from graph_model.store.base import Store
from queries.catalog import run_query


def zone_stats(store: Store, worst: int = 5) -> dict[str, Any]:
    """Counts, coverage rates, the ``worst`` streets by coverage and the studios below five."""
    summary = run_query(store, "zone_summary")[0]
    streets = run_query(store, "coverage_by", {"level": "street"})
    studios = run_query(store, "studio_load")
    return {
        "counts": store.counts(),
        "summary": summary,
        "should_form_branch": len(run_query(store, "should_form_branch")),
        "worst_streets": streets[:worst],
        "studios_below_minimum": [s for s in studios if s["below_minimum"]],
        "studios": len(studios),
    }
