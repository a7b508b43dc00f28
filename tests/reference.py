"""Independent reference answers for zonegraph's coverage queries.

Everything here is computed in plain Python (and networkx for ``alliance_reach``)
straight from the typed CSV tables described in the CSV contract, so that the
Cypher queries can be checked against it on random zones.  Nothing in this
module imports or mirrors the project's own implementation.

``tables`` is a ``dict[str, list[dict[str, object]]]`` keyed by table name
(``enterprises``, ``party_orgs``, ``studios``, ``coverage``, ``supply_links``,
``alliances``, ``alliance_members``, ``liaisons``); a missing table is treated as
empty.  ``None`` means "not known".

Reading of the contract used here:

* A firm is *operating* unless its ``status`` is ``"closed"`` (``None`` means
  operating).  Closed firms drop out of every query and rate.
* *Own organization*: a ``party_orgs`` row whose ``enterprise_id`` is the firm.
* *Organizational coverage*: an own organization, or a ``coverage`` row with
  mode ``organization`` for the firm.
* *Work coverage*: a ``coverage`` row with mode ``work`` for the firm.
* Duplicate rows count once (everything is collected into sets).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

Row = dict[str, object]
Tables = Mapping[str, Sequence[Mapping[str, object]]]

#: Columns ``coverage_by`` may group on.
LEVELS: tuple[str, ...] = ("street", "grid", "park", "industry")

#: Allowed range of ``hops`` for ``alliance_reach``.
MIN_HOPS = 1
MAX_HOPS = 6

#: Studios guiding fewer firms than this are flagged ``below_minimum``.
STUDIO_MINIMUM = 5

#: ``should_form_branch`` threshold on ``party_members``.
BRANCH_THRESHOLD = 3


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _rows(tables: Tables, name: str) -> Sequence[Mapping[str, object]]:
    """Return the rows of table ``name`` (an empty list when it is absent)."""
    return tables.get(name, [])


def _is_operating(firm: Mapping[str, object]) -> bool:
    """True unless the firm's status is ``"closed"`` (None means operating)."""
    return firm.get("status") != "closed"


def _operating_firms(tables: Tables) -> dict[object, Mapping[str, object]]:
    """Map id -> row for every operating enterprise."""
    return {f["id"]: f for f in _rows(tables, "enterprises") if _is_operating(f)}


def _own_org_firms(tables: Tables) -> set[object]:
    """Ids of firms that have a party organization of their own."""
    return {
        o["enterprise_id"]
        for o in _rows(tables, "party_orgs")
        if o.get("enterprise_id") is not None
    }


def _coverage_firms(tables: Tables, mode: str) -> set[object]:
    """Ids of firms named by at least one coverage row with the given mode."""
    return {c["enterprise_id"] for c in _rows(tables, "coverage") if c.get("mode") == mode}


def _org_covered(tables: Tables) -> set[object]:
    """Firms with organizational coverage (own org or an organization coverage row)."""
    return _own_org_firms(tables) | _coverage_firms(tables, "organization")


def _work_covered(tables: Tables) -> set[object]:
    """Firms with work coverage (a work coverage row)."""
    return _coverage_firms(tables, "work")


def _id_key(value: object) -> str:
    """Sort key for ids (ids are strings; ``str`` keeps odd input sortable)."""
    return str(value)


def _group_key(value: object) -> tuple[bool, str]:
    """Sort key for group values: ascending, ``None`` last."""
    return (value is None, "" if value is None else str(value))


def _sorted_by_id(rows: Iterable[Row]) -> list[Row]:
    """Rows sorted by their ``id`` column."""
    return sorted(rows, key=lambda r: _id_key(r["id"]))


# ---------------------------------------------------------------------------
# queries
# ---------------------------------------------------------------------------


def uncovered(tables: Tables) -> list[Row]:
    """Operating firms with neither organizational nor work coverage.

    Columns: ``id, name, street, grid, industry, party_members``; ordered by id.
    """
    covered = _org_covered(tables) | _work_covered(tables)
    return _sorted_by_id(
        {
            "id": fid,
            "name": f.get("name"),
            "street": f.get("street"),
            "grid": f.get("grid"),
            "industry": f.get("industry"),
            "party_members": f.get("party_members"),
        }
        for fid, f in _operating_firms(tables).items()
        if fid not in covered
    )


def should_form_branch(tables: Tables) -> list[Row]:
    """Operating firms with ``party_members >= 3`` and no organization of their own.

    Coverage by a joint branch (or anything else) does not matter; only a
    ``party_orgs`` row with ``enterprise_id`` = the firm does.  Unknown
    ``party_members`` (None) never qualifies.

    Columns: ``id, name, party_members``; ordered by id.
    """
    own = _own_org_firms(tables)
    result: list[Row] = []
    for fid, f in _operating_firms(tables).items():
        members = f.get("party_members")
        if fid in own or not isinstance(members, int) or isinstance(members, bool):
            continue
        if members >= BRANCH_THRESHOLD:
            result.append({"id": fid, "name": f.get("name"), "party_members": members})
    return _sorted_by_id(result)


def studio_load(tables: Tables) -> list[Row]:
    """Every studio with the number of distinct operating firms it guides.

    A studio guides the firms named in coverage rows whose ``coverer_id`` is the
    studio (studios only ever appear with mode ``work``; the mode is not
    re-checked).  Closed firms, and ids that are not enterprises, are not counted.

    Columns: ``id, name, firms, below_minimum`` (``firms < 5``); ordered by id.
    """
    operating = _operating_firms(tables)
    guided: dict[object, set[object]] = {}
    for c in _rows(tables, "coverage"):
        if c.get("enterprise_id") in operating:
            guided.setdefault(c.get("coverer_id"), set()).add(c["enterprise_id"])
    result: list[Row] = []
    for s in _rows(tables, "studios"):
        n = len(guided.get(s["id"], set()))
        result.append(
            {"id": s["id"], "name": s.get("name"), "firms": n, "below_minimum": n < STUDIO_MINIMUM}
        )
    # A duplicated studio row (invalid input) would be reported once.
    unique = {r["id"]: r for r in result}
    return _sorted_by_id(unique.values())


def supply_graph(tables: Tables) -> Any:
    """Undirected ``networkx.Graph`` of operating firms and supply links between them.

    Links touching a closed (or unknown) firm are left out, so closed firms can
    neither be reached nor pass reach on.  Self links are ignored.
    """
    operating = _operating_firms(tables)
    graph = nx.Graph()
    graph.add_nodes_from(operating)
    for link in _rows(tables, "supply_links"):
        a, b = link.get("supplier_id"), link.get("customer_id")
        if a in operating and b in operating and a != b:
            graph.add_edge(a, b)
    return graph


def alliance_members(tables: Tables, alliance: object) -> set[object]:
    """Member firm ids of an alliance: its ``alliance_members`` rows plus its lead."""
    members = {
        m["enterprise_id"]
        for m in _rows(tables, "alliance_members")
        if m.get("alliance_id") == alliance
    }
    members |= {a["lead_id"] for a in _rows(tables, "alliances") if a.get("id") == alliance}
    return members


def alliance_reach(tables: Tables, alliance: object, hops: int = 2) -> list[Row]:
    """Operating non-member firms within ``hops`` supply links of an alliance member.

    Links are followed in either direction, only through operating firms.  The
    search is a multi-source BFS (networkx) from every *operating* member; a
    closed member is not in the graph and so reaches nothing.  Members are
    excluded from the result.  An unknown alliance gives an empty list.

    Columns: ``id, name, distance`` (fewest links), ``covered`` (org or work
    coverage); ordered by id.

    Raises:
        ValueError: if ``hops`` is not an int in 1..6.
    """
    if isinstance(hops, bool) or not isinstance(hops, int) or not MIN_HOPS <= hops <= MAX_HOPS:
        raise ValueError(f"hops must be an integer in {MIN_HOPS}..{MAX_HOPS}, got {hops!r}")
    operating = _operating_firms(tables)
    members = alliance_members(tables, alliance)
    graph = supply_graph(tables)
    sources = [m for m in members if m in graph]
    if not sources:
        return []
    covered = _org_covered(tables) | _work_covered(tables)
    result: list[Row] = []
    # nx.bfs_layers is a multi-source BFS: layer k holds the firms k links away
    # from the nearest member (layer 0 is the members themselves).
    for distance, layer in enumerate(nx.bfs_layers(graph, sources)):
        if distance > hops:
            break
        for fid in layer:
            if distance == 0 or fid in members:
                continue
            result.append(
                {
                    "id": fid,
                    "name": operating[fid].get("name"),
                    "distance": distance,
                    "covered": fid in covered,
                }
            )
    return _sorted_by_id(result)


def coverage_by(tables: Tables, level: str) -> list[Row]:
    """Operating firms grouped by ``level`` (street, grid, park or industry).

    ``None`` is a group of its own.  Each firm is counted in exactly one of
    ``org_covered`` (has organizational coverage), ``work_only`` (work coverage
    but no organizational coverage) or ``uncovered``.  Only groups that contain
    at least one operating firm appear.

    Columns: ``group, total, org_covered, work_only, uncovered, rate`` where
    ``rate = (org_covered + work_only) / total`` as a float, then ``own_org``
    (firms with an own organization) and the three rates: ``coverage_rate``
    (= ``rate``), ``org_coverage_rate`` (org_covered / total) and
    ``own_org_rate`` (own_org / total); ordered by group with ``None`` last.

    Raises:
        ValueError: if ``level`` is not one of the four columns.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    org = _org_covered(tables)
    work = _work_covered(tables)
    own = _own_org_firms(tables)
    counts: dict[object, list[int]] = {}
    for fid, f in _operating_firms(tables).items():
        c = counts.setdefault(f.get(level), [0, 0, 0, 0, 0])
        c[0] += 1
        c[4] += fid in own
        if fid in org:
            c[1] += 1
        elif fid in work:
            c[2] += 1
        else:
            c[3] += 1
    return [
        {
            "group": group,
            "total": total,
            "org_covered": n_org,
            "work_only": n_work,
            "uncovered": n_none,
            "rate": (n_org + n_work) / total,
            "own_org": n_own,
            "coverage_rate": (n_org + n_work) / total,
            "org_coverage_rate": n_org / total,
            "own_org_rate": n_own / total,
        }
        for group, (total, n_org, n_work, n_none, n_own) in sorted(
            counts.items(), key=lambda kv: _group_key(kv[0])
        )
    ]


def zone_rates(tables: Tables) -> dict[str, float | int]:
    """Zone-wide rates over operating firms.

    Returns ``{"org_coverage_rate", "own_org_rate", "operating"}``:
    firms with organizational coverage (own org or organization coverage row)
    / operating firms, firms with an own org / operating firms, and the number
    of operating firms.  Both rates are ``0.0`` when there is no operating firm.
    """
    operating = set(_operating_firms(tables))
    n = len(operating)
    if n == 0:
        return {"org_coverage_rate": 0.0, "own_org_rate": 0.0, "operating": 0}
    return {
        "org_coverage_rate": len(operating & _org_covered(tables)) / n,
        "own_org_rate": len(operating & _own_org_firms(tables)) / n,
        "operating": n,
    }
