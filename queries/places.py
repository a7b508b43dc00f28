"""Where the zone's operating firms are: each firm's coordinates, area and coverage state.

The map (:mod:`viz.mapdata`) reads every operating firm once per version of the stored zone
(:meth:`graph_model.store.base.Store.generation`) and answers each view from that copy: a pan
or a filter then costs no database round trip. Firms without coordinates come back too (as
``None``), so the map can count and list them instead of dropping them.
"""

from __future__ import annotations

from typing import Any

from graph_model.store.base import Store
from queries.catalog import Query, execute, register

__all__ = ["FIRM_PLACES", "firm_places"]

FIRM_PLACES = Query(
    name="_firm_places",
    description="Every operating firm's coordinates, street, grid and coverage state.",
    columns=("id", "name", "street", "grid", "lat", "lon", "coverage"),
    public=False,
    cypher="""
MATCH (e:Enterprise)
WHERE e.status = 'operating'
RETURN e.id AS id, e.name AS name, e.street AS street, e.grid AS grid,
       e.lat AS lat, e.lon AS lon, e.coverage AS coverage""",
)
register(FIRM_PLACES)


def firm_places(store: Store) -> list[dict[str, Any]]:
    """Every operating firm with its place and coverage state (``own``, ``joint``, ``work``,
    ``none``), by id."""
    return sorted(execute(store, FIRM_PLACES, {}).rows, key=lambda r: str(r["id"]))
