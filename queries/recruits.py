"""Next recruits on the projection: greedy maximum coverage, evaluated lazily.

:func:`queries.planning.greedy_recruits` states the greedy rule and its guarantee; it
computes every candidate's reach up front, which costs seconds when an alliance's reach
holds hubs with thousands of suppliers. :func:`lazy_recruits` picks the same firms in the
same order (tests compare the two) and computes few reaches: "lazy greedy" (Minoux 1978,
the CELF of Leskovec et al. 2007) keeps each candidate's last known gain as an upper bound
on its gain now, since gains only shrink as firms come into reach.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from queries.projection import Bools, Ints, Projection, bfs_levels, distinct, gather

__all__ = ["Pick", "lazy_recruits"]


@dataclass(frozen=True)
class Pick:
    """One recruit: its position, the uncovered firms and all the firms it brings into reach."""

    position: int
    uncovered: int
    new: Ints  # positions of every firm newly in reach (uncovered or not), ascending


def walk_bounds(p: Projection, weight: Ints, hops: int) -> Ints:
    """Per firm, an upper bound on the ``weight`` of the firms within ``hops`` links of it.

    Sums ``weight`` over the walks of 0 … ``hops`` links, ``(I + A + … + A^hops) · weight``:
    a firm ``d`` links away ends at least one walk of ``d`` links, so the sum is at least
    that of the distinct firms. Every value is clipped at the total weight, which no ball
    exceeds (it keeps the sums of hub-heavy zones far from overflowing).
    """
    rows = np.repeat(np.arange(p.size), np.diff(p.indptr))
    cap = int(weight.sum())
    step = weight.astype(np.int64)
    total = step.copy()
    for _ in range(hops):
        spread = np.bincount(rows, weights=step[p.indices], minlength=p.size)
        step = np.minimum(spread, cap).astype(np.int64)
        total = np.minimum(total + step, cap)
    return total


def new_in_ball(p: Projection, source: int, hops: int, left: Bools) -> Ints:
    """The ``left`` firms within ``hops`` links of ``source``, unsorted, each once.

    The last step keeps only ``left`` firms before removing repeats: near a hub whose
    suppliers are already in reach, that is most of the work saved.
    """
    inner = np.concatenate(list(bfs_levels(p, np.array([source], dtype=np.int64), hops - 1)))
    outer = gather(p, inner)
    outer = distinct(outer[left[outer]])
    beyond = outer[np.isin(outer, inner, invert=True)]
    return np.concatenate([inner[left[inner]], beyond])


def lazy_recruits(
    p: Projection, candidates: Ints, reached: Bools, wanted: Bools, hops: int, k: int
) -> list[Pick]:
    """Pick up to ``k`` candidates, each bringing the most not yet reached ``wanted`` firms,
    then (among equals, or once no wanted firm is left) the most not yet reached firms.

    Parameters
    ----------
    p
        The projection.
    candidates
        Positions that may be picked.
    reached
        Firms already in reach (a mask).
    wanted
        Firms worth reaching (a mask).
    hops
        A candidate's reach: the firms within ``hops`` links of it.
    k
        How many to pick.

    Returns
    -------
    The picks in the order picked; ties go to the smaller position (the smaller id), and
    picking stops when no candidate brings any firm into reach: exactly
    :func:`~queries.planning.greedy_recruits`' answer.

    Notes
    -----
    The two counts are one weight: a wanted firm weighs more than every other firm
    together (``size + 1``), an other firm 1, so the larger total is the lexicographically
    larger pair. A weighted coverage is still submodular: the lazy bounds stay valid.
    """
    left = ~reached  # firms not yet in reach
    heavy = p.size + 1
    weight = np.where(wanted, heavy, 1).astype(np.int64)
    weight[reached] = 0
    bound = walk_bounds(p, weight, hops)
    # Entries (-gain, position, round the gain was computed in; -1 for a bound).
    heap = [(-int(bound[c]), int(c), -1) for c in candidates.tolist()]
    heapq.heapify(heap)
    picked: list[Pick] = []
    for turn in range(k):
        while heap and heap[0][2] != turn:
            _, c, _ = heapq.heappop(heap)
            got = int(weight[new_in_ball(p, c, hops, left)].sum())
            heapq.heappush(heap, (-got, c, turn))
        if not heap or heap[0][0] == 0:
            break
        negative, c, _ = heapq.heappop(heap)
        new = np.sort(new_in_ball(p, c, hops, left))
        picked.append(Pick(c, -negative // heavy, new))
        left[new] = False
        weight[new] = 0
    return picked
