"""Assigning firms without work coverage to "old secretary" studios (老书记工作室).

Each studio should guide at least ``minimum`` firms (the article's rule is 5) and can guide
no more than ``capacity``. :func:`assign_studios` proposes which uncovered firm each studio
takes on, solved exactly as a min-cost flow. Pure function on plain data: the caller reads
firms and studios from the store and decides what to do with the plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import networkx as nx

from queries.notes import Note

__all__ = ["FirmSlot", "StudioAssignment", "StudioSlot", "assign_studios"]


@dataclass(frozen=True)
class FirmSlot:
    """A firm waiting for a studio, located by street and community."""

    id: str
    street: str | None
    community: str | None


@dataclass(frozen=True)
class StudioSlot:
    """A studio, where it sits, and how many firms it already guides (``load``)."""

    id: str
    street: str | None
    community: str | None
    load: int


@dataclass(frozen=True)
class StudioAssignment:
    """A plan: who goes where, which studios stay short, and who could not be placed.

    Attributes
    ----------
    pairs
        ``(firm_id, studio_id)`` for every assigned firm, sorted.
    below_minimum
        ``(studio_id, load after the plan)`` for every studio still below the minimum,
        sorted by studio id.
    left_over
        ``(firm_id, reason)`` for every firm not assigned, sorted by firm id.
    """

    pairs: list[tuple[str, str]]
    below_minimum: list[tuple[str, int]]
    left_over: list[tuple[str, str]]


_SOURCE: tuple[str] = ("source",)
_SINK: tuple[str] = ("sink",)


def _unique_ids(kind: str, ids: Sequence[str]) -> None:
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate {kind} ids: {', '.join(duplicates)}")


def assign_studios(
    firms: Sequence[FirmSlot],
    studios: Sequence[StudioSlot],
    minimum: int = 5,
    capacity: int = 15,
) -> StudioAssignment:
    """Assign firms to studios in their own street, filling studios below the minimum first.

    Parameters
    ----------
    firms
        Firms to place (typically those without work coverage). Ids must be unique.
    studios
        Studios that may take them, with their current load. Ids must be unique.
    minimum
        The number of firms a studio should guide ("each studio guides at least 5").
    capacity
        The most firms a studio may guide after the plan; a studio already at or over it
        takes nobody.

    Returns
    -------
    StudioAssignment

    Raises
    ------
    ValueError
        On duplicate ids, a negative load, minimum or capacity.

    Notes
    -----
    A firm may only go to a studio in the same street (a missing street never matches).
    The plan is optimal for this lexicographic objective:

    1. as many firms assigned as possible;
    2. among those, as many assignments as possible fill a studio's shortfall
       ``max(0, minimum - load)`` (the slots that bring a studio up to the minimum);
    3. among those, as many firms as possible in a studio of their own community.

    The model is a network ``source -> group -> studio -> sink`` solved by
    :func:`networkx.max_flow_min_cost` (maximum flow first gives (1); least cost among
    maximum flows gives (2) and (3)), where a group is the firms of one street and one
    community (the objective cannot tell them apart):

    - ``source -> group``: capacity the group's size, cost 0 (each firm is assigned at
      most once);
    - ``group -> studio`` for every studio in the group's street: capacity the group's
      size, cost 0 when both are in the same (known) community, else 1;
    - studio to sink in two arcs, through a node of their own since the graph is simple:
      a *shortfall* arc of capacity ``min(room, max(0, minimum - load))`` and cost 0, and a
      *rest* arc of capacity ``room - shortfall`` and cost ``BIG = 2 * len(firms) + 1``,
      where ``room = max(0, capacity - load)``; the two together cap the studio at
      ``capacity``.

    With the flow value fixed, every unit goes through exactly one shortfall or rest arc,
    so cost ``BIG * rest + mismatches`` is minimal exactly when rest units are fewest, i.e.
    shortfall units most; mismatches are at most ``len(firms) < BIG``, so no community
    preference can outweigh one shortfall slot. All costs are integers, as the network
    simplex needs. The flow says how many firms of each group go to each studio; a
    group's firms go in id order to its studios in id order. Firms and studios are sorted
    by id before the graph is built, because the solver's choice among equally good plans
    depends on insertion order: the same inputs in any order give the same plan.

    A firm is left over for one of three reasons: it has no street, its street has no
    studio, or the studios of its street are full. The last is the only possibility
    when its street has studios, since a maximum flow leaves no free room a firm of that
    street could still reach.
    """
    _unique_ids("firm", [f.id for f in firms])
    _unique_ids("studio", [s.id for s in studios])
    if minimum < 0 or capacity < 0:
        raise ValueError("minimum and capacity must not be negative")
    if any(s.load < 0 for s in studios):
        raise ValueError("a studio's load must not be negative")

    firms_sorted = sorted(firms, key=lambda f: f.id)
    studios_sorted = sorted(studios, key=lambda s: s.id)
    by_street: dict[str, list[StudioSlot]] = {}
    for s in studios_sorted:
        if s.street is not None:
            by_street.setdefault(s.street, []).append(s)
    # Firms of one street and community are interchangeable to the objective: one node
    # per such group, whatever its size, keeps the network small (a street of thousands
    # of firms has tens of groups).
    groups: dict[tuple[str, str | None], list[str]] = {}
    for f in firms_sorted:
        if f.street is not None and any(s.load < capacity for s in by_street.get(f.street, [])):
            groups.setdefault((f.street, f.community), []).append(f.id)

    big = 2 * len(firms_sorted) + 1
    graph = nx.DiGraph()
    graph.add_node(_SOURCE)
    graph.add_node(_SINK)
    for s in studios_sorted:
        room = max(0, capacity - s.load)
        shortfall = min(room, max(0, minimum - s.load))
        # Zero-capacity arcs are left out: they carry nothing and only slow the solver.
        if shortfall:
            graph.add_edge(("studio", s.id), ("short", s.id), capacity=shortfall, weight=0)
            graph.add_edge(("short", s.id), _SINK, capacity=shortfall, weight=0)
        if room - shortfall:
            graph.add_edge(("studio", s.id), ("rest", s.id), capacity=room - shortfall, weight=big)
            graph.add_edge(("rest", s.id), _SINK, capacity=room - shortfall, weight=0)
    for (street, community), members in groups.items():
        group = ("group", street, community)
        graph.add_edge(_SOURCE, group, capacity=len(members), weight=0)
        for s in by_street[street]:
            if s.load < capacity:
                same = community is not None and community == s.community
                graph.add_edge(
                    group, ("studio", s.id), capacity=len(members), weight=0 if same else 1
                )

    flow: dict[Hashable, dict[Hashable, int]] = (
        nx.max_flow_min_cost(graph, _SOURCE, _SINK) if graph.number_of_edges() else {}
    )

    pairs: list[tuple[str, str]] = []
    added: Counter[str] = Counter()
    for (street, community), members in groups.items():
        # A group's firms go in id order to its studios in id order, as many as the flow
        # sends to each: among equally good plans, the one that favours smaller ids.
        waiting = iter(members)
        sent = flow.get(("group", street, community), {})
        for s in by_street[street]:
            for _ in range(sent.get(("studio", s.id), 0)):
                pairs.append((next(waiting), s.id))
                added[s.id] += 1

    assigned = {firm_id for firm_id, _ in pairs}
    left_over: list[tuple[str, str]] = []
    for f in firms_sorted:
        if f.id in assigned:
            continue
        if f.street is None:
            reason = Note("note.plan.no_street", "firm has no street")
        elif f.street not in by_street:
            reason = Note("note.plan.no_studio", f"no studio in street {f.street}", street=f.street)
        else:
            reason = Note(
                "note.plan.full", f"studios in street {f.street} are full", street=f.street
            )
        left_over.append((f.id, reason))

    below_minimum = [
        (s.id, s.load + added[s.id]) for s in studios_sorted if s.load + added[s.id] < minimum
    ]
    return StudioAssignment(sorted(pairs), below_minimum, left_over)
