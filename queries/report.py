"""What organizers hand upward each quarter, gathered from the catalog and the snapshots.

:func:`quarterly_report` gives the numbers; :mod:`api.report_render` lays them out (the
``/report`` page, ``zonegraph report --out FILE.html|.pdf``). Every rate comes from
:mod:`queries.rates`, now and in every snapshot, so a change is always one definition
against itself.

*Then* is the newest snapshot taken before ``since`` (a date or an ISO time, UTC) or, with
no ``since``, the newest snapshot whose counts differ from the zone's now: the zone before
its last change (the newest snapshots, written with the last write or by ``zonegraph
snapshot`` since, describe the present and have nothing to compare).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph_model.audit import parse_since
from graph_model.snapshots import STATES, Snapshot
from graph_model.store.base import Store
from queries.catalog import Page, run, run_query
from queries.rates import DEFAULT, RATES, Rate

__all__ = ["RULE_CHECKS", "RateLine", "Report", "quarterly_report", "trend"]

#: Rule checks and how a flagged row is told (column, value); None: every row is flagged.
RULE_CHECKS: dict[str, tuple[str, Any] | None] = {
    "key_firms_without_liaison": None,
    "industries_without_branch": None,
    "should_form_branch": None,
    "studio_load": ("below_minimum", True),
    "liaison_load": ("ok", False),
}


@dataclass(frozen=True)
class RateLine:
    """One rate now and then (``then`` None: no snapshot to compare with)."""

    rate: Rate
    now: float
    then: float | None

    @property
    def change(self) -> float | None:
        return None if self.then is None else self.now - self.then


@dataclass
class Report:
    """The numbers of one report."""

    generated: str
    counts: dict[str, int]
    closed: int
    rates: list[RateLine]
    baseline: Snapshot | None
    streets: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    studios: list[dict[str, Any]]
    liaisons: list[dict[str, Any]]
    alliances: list[dict[str, Any]]
    trend: list[Snapshot] = field(default_factory=list)
    studio_minimum: int = 5

    @property
    def operating(self) -> int:
        return sum(self.counts.values())


#: How snapshots are grouped into points, the coarsest first: by UTC day, hour, minute.
_GRAINS = (10, 13, 16)


def trend(snapshots: Sequence[Snapshot]) -> list[Snapshot]:
    """The last snapshot of each UTC day, oldest first (a day of many edits is one point);
    when they all fall on one day, of each hour, then of each minute, then every one, so a
    zone written today still shows how it moved."""
    for grain in _GRAINS:
        by: dict[str, Snapshot] = {}
        for s in snapshots:
            by[s.at[:grain]] = s  # oldest first, so each period's last one stays
        if len(by) >= 2:
            return [by[k] for k in sorted(by)]
    return list(snapshots)


def _baseline(
    snapshots: Sequence[Snapshot], since: str | None, present: Snapshot
) -> Snapshot | None:
    if since is not None:
        before = [s for s in snapshots if s.at < since]
        return before[-1] if before else None
    # The newest snapshot of a zone other than the present one: a snapshot taken with no
    # change since (or by `zonegraph snapshot` just now) has nothing to compare.
    for s in reversed(snapshots):
        if (s.counts, s.streets) != (present.counts, present.streets):
            return s
    return None


def _present(counts: dict[str, int], streets: Sequence[dict[str, Any]]) -> Snapshot:
    """The zone now, shaped as a snapshot (not stored)."""
    per_street = {
        str(r["group"] or ""): {
            "own": int(r["own_org"]),
            "joint": int(r["org_covered"]) - int(r["own_org"]),
            "work": int(r["work_only"]),
            "none": int(r["uncovered"]),
        }
        for r in streets
    }
    return Snapshot("", "", "now", counts, 0, dict(sorted(per_street.items())))


def _streets(rows: Sequence[dict[str, Any]], baseline: Snapshot | None) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        then = baseline.streets.get(r["group"] or "") if baseline is not None else None
        out.append(
            {
                **r,
                "uncovered_then": None if then is None else then.get("none", 0),
                "uncovered_change": None if then is None else r["uncovered"] - then["none"],
            }
        )
    return out


def _rules(store: Store) -> list[dict[str, Any]]:
    out = []
    for name, flag in RULE_CHECKS.items():
        if flag is None:
            total = run(store, name, page=Page(0, 0)).total or 0
            out.append({"name": name, "rows": total, "flagged": total})
        else:
            rows = run(store, name).rows
            column, value = flag
            flagged = sum(1 for r in rows if r[column] == value)
            out.append({"name": name, "rows": len(rows), "flagged": flagged})
    return out


def _alliances(store: Store) -> list[dict[str, Any]]:
    out = []
    for a in run_query(store, "alliances"):
        by = run_query(store, "alliance_reach_by_distance", {"alliance": a["id"], "hops": 1})
        out.append(
            {
                **a,
                "reach1": sum(int(r["firms"]) for r in by),
                "reach1_uncovered": sum(int(r["uncovered"]) for r in by),
            }
        )
    return out


def quarterly_report(store: Store, since: str | None = None) -> Report:
    """The report's numbers: rates now and at the baseline snapshot, gaps by street with
    their change, rule checks, studios, liaisons and alliances, and the daily trend.

    Raises
    ------
    BadParameter
        ``since`` is neither a date nor a time.
    """
    moment = parse_since(since)
    snapshots = store.snapshots()
    summary = run_query(store, "zone_summary")[0]
    streets = run_query(store, "coverage_by", {"level": "street", "rate": DEFAULT.key})
    counts = {
        "own": int(summary["own_org"]),
        "joint": int(summary["org_covered"]) - int(summary["own_org"]),
        "work": int(summary["work_only"]),
        "none": int(summary["uncovered"]),
    }
    assert set(counts) == set(STATES)
    baseline = _baseline(snapshots, moment, _present(counts, streets))
    rates = [
        RateLine(r, float(summary[r.column]), None if baseline is None else r.of(baseline.counts))
        for r in RATES
    ]
    return Report(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        counts=counts,
        closed=int(summary["closed"]),
        rates=rates,
        baseline=baseline,
        streets=_streets(streets, baseline),
        rules=_rules(store),
        studios=run_query(store, "studio_load"),
        liaisons=run_query(store, "liaison_load"),
        alliances=_alliances(store),
        trend=trend(snapshots),
    )
