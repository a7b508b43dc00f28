"""Planning joint party branches (联合党支部) for small firms within one area.

A firm with one or two party members and no organization of its own cannot form a branch
alone (a branch needs three full members); neighbouring firms of one area (grid) can form
one together. :func:`plan_joint_branches` places as many such firms as possible into valid
groups. Pure function on plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["JointGroup", "SmallFirm", "plan_joint_branches"]


@dataclass(frozen=True)
class SmallFirm:
    """A firm without its own organization, its area (grid) and its party members (1 or 2)."""

    id: str
    area: str | None
    members: int


@dataclass(frozen=True)
class JointGroup:
    """One proposed joint branch: its area, its firms (ids sorted) and their members."""

    area: str
    firm_ids: tuple[str, ...]
    members: int


def _best_plan(ones: int, twos: int, min_members: int, max_firms: int) -> tuple[int, int]:
    """The most firms that fit in valid groups, and the fewest groups that place them.

    Parameters
    ----------
    ones, twos
        How many 1-member and 2-member firms the area has.
    min_members, max_firms
        A group is valid iff it has at least ``min_members`` members and 1 to ``max_firms``
        firms.

    Returns
    -------
    tuple of int
        ``(placed, groups)``; ``(0, 0)`` when no group is possible.

    Notes
    -----
    Write ``m = min_members``, ``K = max_firms``, ``L = ceil(m / 2)`` (the fewest firms
    that can reach ``m`` members), and ``y`` of the ``N`` chosen firms have two members.
    Claim: they can be split into exactly ``g`` valid groups iff

        ``g * L <= N <= g * K``  and  ``N + y >= g * m`` (enough members in total).

    Necessity is clear: each group holds at least ``L`` and at most ``K`` firms and at
    least ``m`` members. Sufficiency: give the groups balanced sizes ``n_i`` (``floor`` or
    ``ceil`` of ``N / g``, so ``L <= n_i <= K``). A group of ``n_i`` firms needs
    ``max(0, m - n_i) <= n_i`` two-member firms; if ``N <= g * m`` every ``n_i <= m`` and
    these needs add up to exactly ``g * m - N <= y``, otherwise every ``n_i >= m`` and
    nothing is needed. The remaining two-member firms fit because ``y <= N``.

    For a given ``g`` the lower bounds are easiest with as many two-member firms as
    possible (``y = min(N, twos)``) and the largest ``N`` allowed,
    ``N_g = min(g * K, ones + twos)``, since ``N + min(N, twos)`` grows with ``N``: if
    ``N_g`` fails, so does every smaller ``N``. So the optimum is the best ``N_g`` over a
    scan of ``g``, exact and linear in the number of firms. By the same argument ``g``
    groups can place the optimum ``N*`` only if ``N_g = N*`` passes, so the first ``g``
    of the scan reaching ``N*`` is the fewest groups that place it.
    """
    least = (min_members + 1) // 2
    total = ones + twos
    best = (0, 0)
    if least > max_firms:
        return best
    # Every g scanned has g * least <= placed: least <= max_firms and g * least <= total.
    for groups in range(1, total // least + 1):
        placed = min(groups * max_firms, total)
        if placed + min(placed, twos) < groups * min_members:
            continue
        if placed > best[0]:
            best = (placed, groups)
    return best


def _build(
    area: str, ones: list[SmallFirm], twos: list[SmallFirm], min_members: int, max_firms: int
) -> list[JointGroup]:
    placed, groups = _best_plan(len(ones), len(twos), min_members, max_firms)
    if not placed:
        return []
    # Two-member firms go in first: the groups get more members (a branch that survives a
    # member leaving), and the firms left out are 1-member firms, those with the largest ids.
    use_twos = min(placed, len(twos))
    use_ones = placed - use_twos
    size, extra = divmod(placed, groups)
    sizes = [size + (1 if i < extra else 0) for i in range(groups)]
    # Each group first gets the 2-member firms it needs to reach the minimum ...
    twos_per = [max(0, min_members - n) for n in sizes]
    # ... then the others are dealt round-robin so that members stay balanced.
    spare = use_twos - sum(twos_per)
    assert spare >= 0, "the plan's member condition guarantees the needed 2-member firms"
    while spare:
        for i, n in enumerate(sizes):
            if spare and twos_per[i] < n:
                twos_per[i] += 1
                spare -= 1
    result: list[JointGroup] = []
    next_two = next_one = 0
    for n, t in zip(sizes, twos_per, strict=True):
        chosen = twos[next_two : next_two + t] + ones[next_one : next_one + n - t]
        next_two += t
        next_one += n - t
        result.append(
            JointGroup(
                area=area,
                firm_ids=tuple(sorted(f.id for f in chosen)),
                members=sum(f.members for f in chosen),
            )
        )
    assert next_two == use_twos and next_one == use_ones
    return result


def plan_joint_branches(
    firms: Sequence[SmallFirm], min_members: int = 3, max_firms: int = 10
) -> list[JointGroup]:
    """Group small firms of one area into joint branches, placing as many firms as possible.

    Parameters
    ----------
    firms
        Firms with no organization of their own and 1 or 2 party members. Ids must be
        unique. Firms whose area is ``None`` are never grouped.
    min_members
        Members a group needs in total (3: the Party Constitution's threshold for a branch).
    max_firms
        The most firms one group may hold.

    Returns
    -------
    list of JointGroup
        Valid groups (one area each, at least ``min_members`` members, at most
        ``max_firms`` firms, every firm in at most one group) placing the largest possible
        number of firms, sorted by area then first firm id.

    Raises
    ------
    ValueError
        On duplicate ids, a firm whose members is not 1 or 2, or ``min_members`` or
        ``max_firms`` below 1.

    Notes
    -----
    Within an area only the numbers of 1-member and 2-member firms matter; the maximum is
    found exactly (see :func:`_best_plan`), not by a heuristic. Among the many plans
    reaching it this one is chosen, deterministically:

    - the fewest groups, with firm counts as equal as possible;
    - every 2-member firm is used before any 1-member firm, so firms left out are
      1-member firms, those with the largest ids;
    - within each kind, firms are taken in id order, the first groups first.
    """
    duplicates = sorted(i for i, n in Counter(f.id for f in firms).items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate firm ids: {', '.join(duplicates)}")
    bad = sorted(f.id for f in firms if f.members not in (1, 2))
    if bad:
        raise ValueError(f"firms must have 1 or 2 party members: {', '.join(bad)}")
    if min_members < 1 or max_firms < 1:
        raise ValueError("min_members and max_firms must be at least 1")

    by_area: dict[str, list[SmallFirm]] = {}
    for f in sorted(firms, key=lambda f: f.id):
        if f.area is not None:
            by_area.setdefault(f.area, []).append(f)
    groups: list[JointGroup] = []
    for area in sorted(by_area):
        ones = [f for f in by_area[area] if f.members == 1]
        twos = [f for f in by_area[area] if f.members == 2]
        groups.extend(_build(area, ones, twos, min_members, max_firms))
    return sorted(groups, key=lambda g: (g.area, g.firm_ids[0]))
