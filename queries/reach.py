"""Alliance reach and candidates, answered from the supply network's projection.

The answers are those of the Cypher in :mod:`queries.alliances` (``_alliance_reach_db``,
``_alliance_candidates_db``; the tests compare both): a multi-source breadth-first search
from the alliance's operating members over links between operating firms. On the
projection's CSR arrays it takes milliseconds even when the reach is half the zone, and
``alliance_reach`` returns one page of it (nearest first, then by id) with the total.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from graph_model.store.base import Store
from queries.alliances import ALLIANCE, ALLIANCE_CANDIDATES_DB, ALLIANCE_REACH_DB, HOPS
from queries.catalog import Page, ParamValue, Query, Result, Rows, register
from queries.projection import NONE, WORK, Bools, Ints, Projection, bfs_levels, projection

__all__ = ["alliance_levels", "distance_weight", "in_other_alliances", "member_links"]


def distance_weight(distance: Ints) -> npt.NDArray[np.float64]:
    """How much a firm ``distance`` links away counts in a weighted reach: ``1/distance``,
    members (distance 0) and direct partners 1, so a far ring of suppliers cannot outweigh
    the firms an alliance works with directly."""
    return 1.0 / np.maximum(distance, 1)


def in_other_alliances(p: Projection, alliance: str) -> Bools:
    """Per firm, whether it is a member or the leading firm of an alliance other than
    ``alliance``: never proposed as a recruit (it belongs to another alliance's work)."""
    mask = np.zeros(p.size, dtype=np.bool_)
    for other, firms in p.members.items():
        if other != alliance:
            mask[firms] = True
    return mask


def alliance_levels(p: Projection, alliance: str, hops: int) -> list[Ints]:
    """Firms 1 … ``hops`` links from the alliance's operating members, one array per
    distance (ascending positions, so by id); members are never among them."""
    levels = list(bfs_levels(p, p.operating_members(alliance), hops))[1:]
    return levels + [np.empty(0, np.int64)] * (hops - len(levels))


def member_links(p: Projection, alliance: str) -> Ints:
    """Per firm, its stored supply links (either direction) to the alliance's firms.

    Every member counts, whatever its status, and a pair linked both ways counts twice,
    as the Cypher ``COUNT { (e)-[:SUPPLIES]-(k) }`` does.
    """
    member = np.zeros(p.size, dtype=np.bool_)
    member[p.members.get(alliance, np.empty(0, np.int64))] = True
    counts = np.bincount(p.src[member[p.dst]], minlength=p.size)
    return counts + np.bincount(p.dst[member[p.src]], minlength=p.size)


def alliance_reach(store: Store, params: dict[str, ParamValue], page: Page | None) -> Result:
    """Operating firms within ``hops`` of an alliance's members, nearest first."""
    p = projection(store)
    levels = alliance_levels(p, str(params["alliance"]), int(params["hops"]))
    total = sum(len(level) for level in levels)
    skip, limit = (0, total) if page is None else (page.skip, page.limit)
    rows: Rows = []
    start = 0  # rows before this level
    for distance, level in enumerate(levels, start=1):
        lo, hi = max(skip - start, 0), min(skip + limit - start, len(level))
        for i in level[lo:hi].tolist():
            rows.append(
                {
                    "id": p.ids[i],
                    "name": p.names[i],
                    "distance": distance,
                    "covered": bool(p.coverage[i] != NONE),
                }
            )
        start += len(level)
        if start >= skip + limit:
            break
    return Result(rows, total=total)


def alliance_reach_by_distance(store: Store, params: dict[str, ParamValue]) -> Result:
    """How many firms the alliance reaches at each distance, how many are uncovered, and
    what they count in the weighted reach (:func:`distance_weight`)."""
    p = projection(store)
    levels = alliance_levels(p, str(params["alliance"]), int(params["hops"]))
    rows = [
        {
            "distance": d,
            "firms": len(level),
            "uncovered": int(np.count_nonzero(p.coverage[level] == NONE)),
            "weighted": round(len(level) / d, 2),
        }
        for d, level in enumerate(levels, start=1)
    ]
    return Result(rows)


def alliance_candidates(store: Store, params: dict[str, ParamValue]) -> Result:
    """Firms in reach without organizational coverage, ranked (see ``candidate_score``)."""
    p = projection(store)
    alliance, hops = str(params["alliance"]), int(params["hops"])
    levels = alliance_levels(p, alliance, hops)
    firms = np.concatenate(levels)
    distance = np.concatenate([np.full(len(lv), d) for d, lv in enumerate(levels, start=1)])
    # No own organization and no joint branch; not another alliance's member or lead.
    keep = (p.coverage[firms] <= WORK) & ~in_other_alliances(p, alliance)[firms]
    firms, distance = firms[keep], distance[keep]
    links = member_links(p, alliance)[firms]
    party = p.party_members[firms]
    score = 3 * (hops - distance + 1) + 2 * links + party
    # Highest score first, then nearest, then by id (positions are in id order).
    order = np.lexsort((firms, distance, -score))[: int(params["limit"])]
    rows = [
        {
            "id": p.ids[firms[k]],
            "name": p.names[firms[k]],
            "distance": int(distance[k]),
            "member_links": int(links[k]),
            "party_members": int(party[k]),
            "score": int(score[k]),
        }
        for k in order.tolist()
    ]
    return Result(rows)


register(
    # The public entries are the database references' twins, answered from the projection.
    replace(
        ALLIANCE_REACH_DB,
        name="alliance_reach",
        public=True,
        overrides={},
        analysis=alliance_reach,
        paged=True,
    ),
    Query(
        name="alliance_reach_by_distance",
        description="How many firms an alliance reaches at each distance (1 … hops), how "
        "many of them have no coverage at all, and their weight in the weighted reach "
        "(firms / distance).",
        columns=("distance", "firms", "uncovered", "weighted"),
        params=(ALLIANCE, HOPS),
        requires=(("alliance", "Alliance"),),
        analysis=alliance_reach_by_distance,
    ),
    replace(
        ALLIANCE_CANDIDATES_DB,
        name="alliance_candidates",
        public=True,
        overrides={},
        analysis=alliance_candidates,
        post=None,
    ),
)
