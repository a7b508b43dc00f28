"""Every public catalog query's answer on a store, for tests that a write (or a backup and
restore) leaves every answer as it was."""

from __future__ import annotations

from typing import Any

from graph_model.store import Store
from queries.catalog import all_queries, execute


def every_answer(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Each public query's rows, keyed by name; queries needing an alliance run once per
    stored alliance, ``find_firms`` once per first character of five firm names."""
    zone = store.read()
    alliances = sorted(r["id"] for r in zone.rows("alliances"))
    texts = sorted({(r["name"] or "?")[0] for r in zone.rows("enterprises")})[:5]
    out: dict[str, list[dict[str, Any]]] = {}
    for q in all_queries():
        names = {p.name for p in q.params if p.required}
        if not names:
            out[q.name] = execute(store, q, {}).rows
        elif names == {"alliance"}:
            for a in alliances:
                out[f"{q.name}:{a}"] = execute(store, q, {"alliance": a}).rows
        elif names == {"text"}:
            for t in texts:
                out[f"{q.name}:{t}"] = execute(store, q, {"text": t}).rows
        else:  # pragma: no cover - a new required parameter needs a sample here
            raise AssertionError(f"{q.name} needs {names}: add samples to every_answer")
    return out
