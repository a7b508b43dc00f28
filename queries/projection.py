"""An in-memory projection of the supply network, for the planning queries.

The planners (alliance reach and candidates, next recruits, clusters, bridges, studio
assignment) walk the supply network many times per answer; a database round trip per
step, or a networkx graph rebuilt per request, cost seconds at 10^5 firms. So each store
keeps one :class:`Projection`: every firm's planning attributes as arrays indexed by firm
position (firms sorted by id, so position order is id order), and the supply links as a
compressed sparse row (CSR) adjacency, as graph-analytics engines keep them.

It is built with a few bulk reads (firms, links, alliance memberships: never one round
trip per row) and cached per store under the store's :meth:`~graph_model.store.base.Store.
generation`: the next query after a write sees a new generation and rebuilds. The embedded
store's generation is the live file's identity (every write swaps in a new file); the
Neo4j store's is a counter bumped by its own writes plus a short time-to-live for writes
made elsewhere (see :class:`graph_model.store.neo4j.Neo4jStore`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from graph_model.store.base import Store
from queries.catalog import Query, execute, register

__all__ = [
    "COVERAGE",
    "Projection",
    "bfs_levels",
    "distinct",
    "build_projection",
    "projection",
    "undirected_csr",
]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: Coverage states as codes (the order is strength: own organization strongest).
COVERAGE = ("none", "work", "joint", "own")
NONE, WORK, JOINT, OWN = range(4)

#: The firm's coverage state, as the write path keeps it on the firm
#: (:mod:`graph_model.coverage_state`).
COVERAGE_EXPRESSION = "e.coverage"

FIRMS = Query(
    name="_projection_firms",
    description="Every firm with what the planners need.",
    columns=(
        "id",
        "name",
        "operating",
        "street",
        "grid",
        "park",
        "industry",
        "community",
        "party_members",
        "employees",
        "star",
        "coverage",
    ),
    public=False,
    cypher=f"""
MATCH (e:Enterprise)
RETURN e.id AS id, e.name AS name, e.status = 'operating' AS operating,
       e.street AS street, e.grid AS grid, e.park AS park, e.industry AS industry,
       e.community AS community, e.party_members AS party_members,
       e.employees AS employees, e.star AS star,
       {COVERAGE_EXPRESSION} AS coverage""",
)

LINKS = Query(
    name="_projection_links",
    description="Every supply link, as stored.",
    columns=("src", "dst"),
    public=False,
    cypher="""
MATCH (a:Enterprise)-[:SUPPLIES]->(b:Enterprise)
RETURN a.id AS src, b.id AS dst""",
)

MEMBERSHIPS = Query(
    name="_projection_memberships",
    description="Every firm of every alliance (members and leads).",
    columns=("alliance", "id"),
    public=False,
    cypher="""
MATCH (m:Enterprise)-[:MEMBER_OF|LEADS]->(a:Alliance)
RETURN a.id AS alliance, m.id AS id""",
)

register(FIRMS, LINKS, MEMBERSHIPS)


@dataclass(frozen=True, eq=False)
class Projection:
    """The supply network as arrays; position ``i`` is the ``i``-th firm by id.

    Attributes
    ----------
    ids, names, street, grid, park, industry, community, employees, star
        Per-firm values as stored (``None`` where missing).
    position
        Firm id to position.
    operating
        Whether the firm is operating.
    coverage
        Coverage state codes (indexes into :data:`COVERAGE`).
    party_members
        Party members (0 where missing).
    indptr, indices
        CSR adjacency of the undirected simple graph of supply links between operating
        firms (self links dropped): the neighbours of ``i`` are
        ``indices[indptr[i]:indptr[i + 1]]``, sorted.
    src, dst
        Every stored supply link (supplier, customer) as positions, whatever the status.
    members
        Alliance id to the positions of its firms (MEMBER_OF or LEADS, any status).
    """

    ids: list[str]
    names: list[str | None]
    position: dict[str, int]
    operating: Bools
    coverage: npt.NDArray[np.int8]
    party_members: Ints
    street: list[str | None]
    grid: list[str | None]
    park: list[str | None]
    industry: list[str | None]
    community: list[str | None]
    employees: list[int | None]
    star: list[int | None]
    indptr: Ints
    indices: Ints
    src: Ints
    dst: Ints
    members: dict[str, Ints]

    @property
    def size(self) -> int:
        return len(self.ids)

    def neighbours(self, i: int) -> Ints:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def operating_members(self, alliance: str) -> Ints:
        """Positions of an alliance's operating firms, ascending."""
        m = self.members.get(alliance, np.empty(0, np.int64))
        return distinct(m[self.operating[m]])

    def level(self, kind: str) -> list[str | None]:
        """Per-firm street, grid, park or industry."""
        return {
            "street": self.street,
            "grid": self.grid,
            "park": self.park,
            "industry": self.industry,
        }[kind]


def _column(rows: list[dict[str, Any]], name: str) -> list[Any]:
    return [r[name] for r in rows]


def build_projection(store: Store) -> Projection:
    """Read the zone's firms, links and alliance memberships in three bulk reads."""
    firms = sorted(execute(store, FIRMS, {}).rows, key=lambda r: str(r["id"]))
    ids = [str(r["id"]) for r in firms]
    position = {f: i for i, f in enumerate(ids)}
    index = pd.Index(ids)
    n = len(ids)
    links = execute(store, LINKS, {}).rows
    src = np.asarray(index.get_indexer(pd.Index(_column(links, "src"))), dtype=np.int64)
    dst = np.asarray(index.get_indexer(pd.Index(_column(links, "dst"))), dtype=np.int64)
    # The reads are separate statements: a link to a firm written in between is left out
    # (the next request builds again: see `projection`).
    found = (src >= 0) & (dst >= 0)
    src, dst = src[found], dst[found]
    operating = np.array([bool(r["operating"]) for r in firms], dtype=np.bool_)
    code = {c: k for k, c in enumerate(COVERAGE)}
    coverage = np.array([code[r["coverage"]] for r in firms], dtype=np.int8)
    party = np.array([r["party_members"] or 0 for r in firms], dtype=np.int64)
    indptr, indices = undirected_csr(n, src, dst, operating)
    members: dict[str, list[int]] = {}
    for r in execute(store, MEMBERSHIPS, {}).rows:
        if str(r["id"]) in position:
            members.setdefault(str(r["alliance"]), []).append(position[str(r["id"])])
    return Projection(
        ids=ids,
        names=_column(firms, "name"),
        position=position,
        operating=operating,
        coverage=coverage,
        party_members=party,
        street=_column(firms, "street"),
        grid=_column(firms, "grid"),
        park=_column(firms, "park"),
        industry=_column(firms, "industry"),
        community=_column(firms, "community"),
        employees=_column(firms, "employees"),
        star=_column(firms, "star"),
        indptr=indptr,
        indices=indices,
        src=src,
        dst=dst,
        members={a: np.array(sorted(set(m)), dtype=np.int64) for a, m in members.items()},
    )


def distinct(values: Ints) -> Ints:
    """The distinct values, ascending. Sorting and dropping repeats: ``np.unique`` of
    numpy 2 hashes first and took 12 s where this takes 0.5 s (6·10^6 values)."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def undirected_csr(n: int, src: Ints, dst: Ints, operating: Bools) -> tuple[Ints, Ints]:
    """CSR of the simple undirected graph of links between operating firms."""
    keep = operating[src] & operating[dst] & (src != dst)
    a, b = src[keep], dst[keep]
    both_a = np.concatenate([a, b])
    both_b = np.concatenate([b, a])
    # One key per ordered pair: sorting by it groups rows and sorts each row's neighbours,
    # and dropping repeats merges a link stored both ways.
    key = distinct(both_a * n + both_b)
    rows, cols = key // max(n, 1), key % max(n, 1)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, cols.astype(np.int64)


def gather(p: Projection, frontier: Ints) -> Ints:
    """Every neighbour of every firm in ``frontier`` (with repeats), in one vector step."""
    starts = p.indptr[frontier]
    counts = p.indptr[frontier + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return p.indices[offsets + np.arange(total)]


def bfs_levels(p: Projection, sources: Ints, hops: int) -> Iterator[Ints]:
    """Breadth-first layers from ``sources``: layer ``d`` holds the firms ``d`` links away
    (layer 0 the sources), each ascending, up to ``hops`` links.

    Only links between operating firms are followed (the CSR holds no others).
    """
    seen = np.zeros(p.size, dtype=np.bool_)
    frontier = distinct(sources)
    seen[frontier] = True
    yield frontier
    for _ in range(hops):
        reached = gather(p, frontier)
        reached = reached[~seen[reached]]
        if reached.size == 0:
            return
        if reached.size < p.size // 32:
            frontier = distinct(reached)  # sorting a few beats scanning every firm
        else:
            fresh = np.zeros(p.size, dtype=np.bool_)
            fresh[reached] = True
            frontier = np.flatnonzero(fresh)
        seen[frontier] = True
        yield frontier


def ball(p: Projection, source: int, hops: int) -> Ints:
    """Firms within ``hops`` links of ``source`` (itself included), unsorted."""
    return np.concatenate(list(bfs_levels(p, np.array([source], dtype=np.int64), hops)))


_CACHE: weakref.WeakKeyDictionary[Any, tuple[Hashable, Projection]] = weakref.WeakKeyDictionary()
_BUILDING: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()  # guards the two dictionaries only, never a build


def projection(store: Store) -> Projection:
    """The store's projection, rebuilt when the store's generation has changed.

    One build at a time per store: requests arriving during a build wait for it and share
    it, while other stores (a scenario's copy) answer from their own.
    """
    generation = store.generation()  # before reading: a write meanwhile means a rebuild
    with _LOCK:
        building = _BUILDING.setdefault(store, threading.Lock())
    with building:
        cached = _CACHE.get(store)
        if cached is not None and cached[0] == generation:
            return cached[1]
        # Kept under the generation seen before reading: if a write lands during the
        # build, the next request sees a newer generation and builds again.
        built = build_projection(store)
        with _LOCK:
            _CACHE[store] = (generation, built)
        return built
