"""The zone at a glance, composed from catalog queries (what ``zonegraph stats`` prints)."""

from __future__ import annotations

from typing import Any

from graph_model.store.base import Store
from queries.catalog import Page, execute, get_query, run, run_query


def zone_stats(store: Store, worst: int = 5) -> dict[str, Any]:
    """Counts, coverage rates, the ``worst`` streets, the studios below five, and the
    uncovered firms with the most party members (the first to visit)."""
    summary = run_query(store, "zone_summary")[0]
    streets = run_query(store, "coverage_by", {"level": "street"})
    studios = run_query(store, "studio_load")
    # Counted and picked in the database: a province's uncovered firms stay there.
    gaps = execute(store, get_query("_top_gaps", internal=True), {"limit": worst * 2}).rows
    should = run(store, "should_form_branch", page=Page(0, 0)).total
    return {
        "counts": store.counts(),
        "summary": summary,
        "should_form_branch": should,
        "worst_streets": streets[:worst],
        "studios_below_minimum": [s for s in studios if s["below_minimum"]],
        "studios": len(studios),
        "top_gaps": gaps,
    }
