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

import numpy as np

from queries.projection import Bools, Ints, Projection, ball, bfs_levels, distinct, gather

__all__ = ["lazy_recruits"]


def walk_bounds(p: Projection, wanted: Bools, hops: int) -> Ints:
    """Per firm, an upper bound on the ``wanted`` firms within ``hops`` links of it.

    Counts the walks of 0 … ``hops`` links ending at a wanted firm,
    ``(I + A + … + A^hops) · wanted``: a firm ``d`` links away ends at least one walk of
    ``d`` links, so the count is at least the number of distinct firms.
    """
    rows = np.repeat(np.arange(p.size), np.diff(p.indptr))
    step = wanted.astype(np.int64)
    total = step.copy()
    for _ in range(hops):
        step = np.bincount(rows, weights=step[p.indices], minlength=p.size).astype(np.int64)
        total += step
    return total


def gain(p: Projection, source: int, hops: int, left: Bools) -> int:
    """How many ``left`` firms lie within ``hops`` links of ``source``.

    The last step keeps only ``left`` firms before removing repeats: near a hub whose
    suppliers are already in reach, that is most of the work saved.
    """
    inner = np.concatenate(list(bfs_levels(p, np.array([source], dtype=np.int64), hops - 1)))
    outer = gather(p, inner)
    outer = outer[left[outer]]
    beyond = np.isin(distinct(outer), inner, invert=True)
    return int(np.count_nonzero(left[inner])) + int(np.count_nonzero(beyond))


def lazy_recruits(
    p: Projection, candidates: Ints, reached: Bools, wanted: Bools, hops: int, k: int
) -> list[tuple[int, int]]:
    """Pick up to ``k`` candidates, each bringing the most not yet reached ``wanted`` firms.

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
    ``(position, marginal gain)`` in the order picked; ties go to the smaller position (the
    smaller id), and picking stops when no candidate adds anything: exactly
    :func:`~queries.planning.greedy_recruits`' answer.
    """
    left = wanted & ~reached  # wanted firms not yet in reach
    bound = walk_bounds(p, left, hops)
    # Entries (-gain, position, round the gain was computed in; -1 for a bound).
    heap = [(-int(bound[c]), int(c), -1) for c in candidates.tolist()]
    heapq.heapify(heap)
    picked: list[tuple[int, int]] = []
    for turn in range(k):
        while heap and heap[0][2] != turn:
            _, c, _ = heapq.heappop(heap)
            heapq.heappush(heap, (-gain(p, c, hops, left), c, turn))
        if not heap or heap[0][0] == 0:
            break
        negative, c, _ = heapq.heappop(heap)
        picked.append((c, -negative))
        left[ball(p, c, hops)] = False
    return picked
