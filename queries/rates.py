"""The one definition of every rate zonegraph shows: what it counts, its name, its value.

Every rate is a share of the *operating* firms (closed firms drop out), by their coverage
state (:mod:`graph_model.coverage_state`: ``own``, ``joint``, ``work``, ``none``):

=================  ==============  ==============================================
key                label           numerator
=================  ==============  ==============================================
``coverage``       两个覆盖率       own + joint + work (an organization, or party work)
``org_coverage``   组织覆盖率       own + joint (an organization covers the firm)
``own_org``        单独组建率       own (the firm has its own organization)
=================  ==============  ==============================================

The dashboard, ``coverage_by`` and ``zone_summary`` (their ``*_rate`` columns), ``zonegraph
stats``, the snapshots and the report all compute a rate from here: in Cypher through
:meth:`Rate.cypher`, in Python through :meth:`Rate.of`. Each rate's label is the catalogue's
``rate.<key>`` (:mod:`api.messages.report`).

A zone (or group) with no operating firm has every rate 0.0.

Examples
--------
>>> counts = {"own": 2, "joint": 1, "work": 1, "none": 1}
>>> [round(r.of(counts), 2) for r in RATES]
[0.8, 0.6, 0.4]
>>> RATE["org_coverage"].column
'org_coverage_rate'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph_model.coverage_state import VALUES

__all__ = ["DEFAULT", "RATE", "RATES", "STATES", "Rate", "rate_keys", "rates_of"]

#: The coverage states a rate counts from, the strongest first.
STATES: tuple[str, ...] = VALUES


@dataclass(frozen=True)
class Rate:
    """One rate: the share of operating firms whose coverage state is in ``states``."""

    key: str
    states: tuple[str, ...]

    @property
    def column(self) -> str:
        """The column that carries it in query rows (``coverage_rate``, …)."""
        return f"{self.key}_rate"

    @property
    def label(self) -> str:
        """Its message-catalogue key (``rate.coverage``, …)."""
        return f"rate.{self.key}"

    def of(self, counts: Mapping[str, int]) -> float:
        """The rate from operating firms counted per coverage state (missing states: 0)."""
        total = sum(int(counts.get(s) or 0) for s in STATES)
        part = sum(int(counts.get(s) or 0) for s in self.states)
        return part / total if total else 0.0

    def cypher(self, count: Mapping[str, str], total: str) -> str:
        """A Cypher expression for the rate, given each state's count expression and the
        operating total's (names from code, never from input)."""
        part = " + ".join(count[s] for s in self.states)
        return f"CASE WHEN {total} = 0 THEN 0.0 ELSE 1.0 * ({part}) / {total} END"


#: Every rate, in the order the product shows them (the broadest first).
RATES: tuple[Rate, ...] = (
    Rate("coverage", ("own", "joint", "work")),
    Rate("org_coverage", ("own", "joint")),
    Rate("own_org", ("own",)),
)
RATE: dict[str, Rate] = {r.key: r for r in RATES}

#: The rate groups are sorted and labelled by unless a person chooses another: the "two
#: coverages" are what every firm must have, so the lowest such rate is the first gap.
DEFAULT = RATE["coverage"]


def rate_keys() -> tuple[str, ...]:
    """Every rate's key (a query parameter's choices)."""
    return tuple(RATE)


def rates_of(counts: Mapping[str, int]) -> dict[str, float]:
    """Every rate's value by column, from operating firms counted per coverage state."""
    return {r.column: r.of(counts) for r in RATES}
