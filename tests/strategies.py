"""Hypothesis strategies for random, contract-valid zones, and a CSV writer.

``zones()`` draws a whole zone as typed tables
(``dict[str, list[dict[str, object]]]``) following the CSV contract: every
table is present (possibly empty), every row carries every column key, ``None``
stands for "not known".  Id spaces are small so coverage overlaps, and the
generator deliberately produces duplicate coverage rows, closed firms, ``None``
in optional columns, studios guiding 0-8 firms, supply links in both
directions and cycles, alliances, and org hierarchies with valid parents.

``write_tables_csv()`` writes such tables as the contract's CSV files.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Mapping, Sequence
from pathlib import Path

from hypothesis import strategies as st

Row = dict[str, object]
Tables = dict[str, list[Row]]

#: The contract's tables and their columns, in header order.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "enterprises": (
        "id",
        "name",
        "industry",
        "employees",
        "party_members",
        "street",
        "community",
        "grid",
        "park",
        "star",
        "key_firm",
        "status",
        "lat",
        "lon",
    ),
    "party_orgs": ("id", "name", "kind", "parent_id", "enterprise_id"),
    "studios": ("id", "name", "station_id", "secretary", "instructors"),
    "coverage": ("coverer_id", "enterprise_id", "mode"),
    "supply_links": ("supplier_id", "customer_id", "product"),
    "alliances": ("id", "name", "lead_id", "theme"),
    "alliance_members": ("alliance_id", "enterprise_id", "role"),
    "liaisons": ("liaison_id", "name", "department", "enterprise_id"),
}

#: Tables whose ``id`` (``liaison_id`` for liaisons) is a node id, unique across all of them.
NODE_TABLES: dict[str, str] = {
    "enterprises": "id",
    "party_orgs": "id",
    "studios": "id",
    "alliances": "id",
    "liaisons": "liaison_id",
}

ORG_KINDS: tuple[str, ...] = (
    "zone_committee",
    "nonpublic_committee",
    "street_committee",
    "park_org",
    "community_station",
    "enterprise_org",
    "joint_branch",
    "industry_branch",
    "association_branch",
)

STREETS = ("东湖街道", "西城街道", "南山街道")
COMMUNITIES = ("桃源社区", "green-c", "C3")
GRIDS = ("G1", "G2", "G3", "G4")
PARKS = ("科技园", "P2")
INDUSTRIES = ("制造业", "软件", "物流", "餐饮, 住宿")
PRODUCTS = ("芯片", "bolts", 'logistics "express"', "包装")
THEMES = ("产业链", "innovation", "人才")
DEPARTMENTS = ("招商局", "经发局", "Dept, Services")

# Name text: letters, CJK, digits and CSV-awkward characters (comma, quote,
# inner space); never empty, never only whitespace, no line breaks.
_NAME_CHARS = "abcXYZ01企业科技有限公司党支部工作室联盟, \"'-·"


def _name(prefix: str) -> st.SearchStrategy[str]:
    """A non-empty display name: fixed prefix plus a short random tail."""
    return st.text(alphabet=_NAME_CHARS, max_size=6).map(lambda t: (prefix + t).strip())


def _opt(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """The strategy's values or None (not known)."""
    return st.one_of(st.none(), strategy)


def _opt_choice(values: Sequence[object]) -> st.SearchStrategy[object]:
    """One of ``values`` or None."""
    return _opt(st.sampled_from(values))


# Strategies are built once at import time: hypothesis validates a strategy
# object on first use, so rebuilding them per draw is slow.
_ENTERPRISE_FIELDS: st.SearchStrategy[dict[str, object]] = st.fixed_dictionaries(
    {
        "name": _name("企业"),
        "industry": _opt_choice(INDUSTRIES),
        "employees": _opt(st.integers(0, 500)),
        "party_members": _opt(st.integers(0, 8)),
        "street": _opt_choice(STREETS),
        "community": _opt_choice(COMMUNITIES),
        "grid": _opt_choice(GRIDS),
        "park": _opt_choice(PARKS),
        "star": _opt(st.integers(0, 5)),
        "key_firm": _opt(st.booleans()),
        "status": st.sampled_from(("operating", "operating", None, None, "closed")),
        "lat": _opt(st.floats(30.0, 31.0).map(lambda x: round(x, 6))),
        "lon": _opt(st.floats(114.0, 115.0).map(lambda x: round(x, 6))),
    }
)
# community_station listed twice so studios get stations more often.
_KIND = st.sampled_from((*ORG_KINDS, "community_station", "joint_branch"))
_ORG_NAME = {kind: _name(kind.split("_")[0]) for kind in ORG_KINDS}
_STUDIO_NAME = _name("工作室")
_SECRETARY = _opt(_name("书记"))
_INSTRUCTORS = _opt(st.integers(0, 6))
_MODE = st.sampled_from(("organization", "work"))
_PRODUCT = _opt_choice(PRODUCTS)
_ALLIANCE_NAME = _name("联盟")
_THEME = _opt_choice(THEMES)
_ROLE_NONE = st.integers(0, 5).map(lambda k: k == 0)
_LIAISON_NAME = _opt(_name("联络员"))
_DEPARTMENT = _opt_choice(DEPARTMENTS)


def _enterprise(firm_id: str, fields: Mapping[str, object]) -> Row:
    """One enterprises row: the id plus drawn fields, columns in contract order."""
    return {c: firm_id if c == "id" else fields[c] for c in TABLE_COLUMNS["enterprises"]}


@st.composite
def zones(draw: st.DrawFn, max_firms: int = 25) -> Tables:
    """A random valid zone as typed tables (see module docstring).

    Ids carry a per-table prefix (``E``, ``O``, ``S``, ``A``, ``L``) so they are
    unique across node tables; numbers are drawn from a small, gappy range.
    """
    rnd: random.Random = draw(st.randoms(use_true_random=False))

    def ids(prefix: str, n: int) -> list[str]:
        numbers = draw(st.lists(st.integers(1, 3 * n + 5), min_size=n, max_size=n, unique=True))
        return [f"{prefix}{k}" for k in numbers]

    # -- enterprises ---------------------------------------------------------
    n_firms = draw(st.integers(0, max_firms))
    firm_ids = ids("E", n_firms)
    enterprises = [_enterprise(fid, draw(_ENTERPRISE_FIELDS)) for fid in firm_ids]
    firm_choice = st.sampled_from(firm_ids) if firm_ids else st.nothing()

    # -- party organizations: parents always earlier in the list (no cycles) --
    n_orgs = draw(st.integers(0, 12))
    org_ids = ids("O", n_orgs)
    party_orgs: list[Row] = []
    for i, oid in enumerate(org_ids):
        kind = draw(_KIND) if i else "zone_committee"
        if kind == "enterprise_org" and not firm_ids:
            kind = "joint_branch"
        parent = draw(_opt_choice(org_ids[:i])) if i else None
        party_orgs.append(
            {
                "id": oid,
                "name": draw(_ORG_NAME[str(kind)]),
                "kind": kind,
                "parent_id": parent,
                # Own organization of a firm (closed firms and firms with two orgs allowed).
                "enterprise_id": draw(firm_choice) if kind == "enterprise_org" else None,
            }
        )
    # List order is not hierarchy order: shuffle, parents stay valid.
    rnd.shuffle(party_orgs)
    stations = [o["id"] for o in party_orgs if o["kind"] == "community_station"]

    # -- studios ---------------------------------------------------------------
    n_studios = draw(st.integers(0, 4))
    studio_ids = ids("S", n_studios)
    studios: list[Row] = [
        {
            "id": sid,
            "name": draw(_STUDIO_NAME),
            "station_id": draw(_opt_choice(stations)) if stations else None,
            "secretary": draw(_SECRETARY),
            "instructors": draw(_INSTRUCTORS),
        }
        for sid in studio_ids
    ]

    # -- coverage ----------------------------------------------------------------
    coverage: list[Row] = []
    if firm_ids:
        for sid in studio_ids:
            # 0-8 draws with replacement: repeats give exact duplicate rows.
            for fid in draw(st.lists(firm_choice, max_size=8)):
                coverage.append({"coverer_id": sid, "enterprise_id": fid, "mode": "work"})
        if org_ids:
            org_rows = draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(org_ids),
                        firm_choice,
                        _MODE,
                    ),
                    max_size=2 * n_firms + 2,
                )
            )
            coverage.extend(
                {"coverer_id": o, "enterprise_id": f, "mode": m} for o, f, m in org_rows
            )
        if coverage:
            extra = draw(st.lists(st.sampled_from(range(len(coverage))), max_size=4))
            coverage.extend(dict(coverage[k]) for k in extra)
        rnd.shuffle(coverage)

    # -- supply links: no self links, no duplicate (supplier, customer) pairs ----
    supply_links: list[Row] = []
    if len(firm_ids) >= 2:
        pairs = draw(
            st.lists(
                st.tuples(firm_choice, firm_choice).filter(lambda p: p[0] != p[1]),
                max_size=2 * n_firms,
                unique=True,
            )
        )
        # Sometimes add reverse links and a cycle through several firms.
        reverse = draw(st.lists(st.sampled_from(pairs), max_size=3)) if pairs else []
        ring = draw(st.lists(firm_choice, min_size=0, max_size=5, unique=True))
        cycle = list(zip(ring, ring[1:] + ring[:1], strict=True)) if len(ring) >= 3 else []
        seen: set[tuple[str, str]] = set()
        for a, b in [*pairs, *((b, a) for a, b in reverse), *cycle]:
            if a != b and (a, b) not in seen:
                seen.add((a, b))
                supply_links.append({"supplier_id": a, "customer_id": b, "product": draw(_PRODUCT)})

    # -- alliances -------------------------------------------------------------------
    alliances: list[Row] = []
    alliance_members: list[Row] = []
    if firm_ids:
        for aid in ids("A", draw(st.integers(0, 3))):
            lead = draw(firm_choice)
            alliances.append(
                {
                    "id": aid,
                    "name": draw(_ALLIANCE_NAME),
                    "lead_id": lead,
                    "theme": draw(_THEME),
                }
            )
            members = draw(st.lists(firm_choice, max_size=5, unique=True))
            if draw(st.booleans()):  # the lead is not always listed as a member row
                members = [lead, *(m for m in members if m != lead)]
            for fid in members:
                role: object = "lead" if fid == lead else "member"
                if draw(_ROLE_NONE):
                    role = None
                alliance_members.append({"alliance_id": aid, "enterprise_id": fid, "role": role})

    # -- liaisons: one row per liaison and firm ----------------------------------------
    liaisons: list[Row] = []
    if firm_ids:
        for lid in ids("L", draw(st.integers(0, 4))):
            name = draw(_LIAISON_NAME)
            department = draw(_DEPARTMENT)
            for fid in draw(st.lists(firm_choice, min_size=1, max_size=3, unique=True)):
                liaisons.append(
                    {
                        "liaison_id": lid,
                        "name": name,
                        "department": department,
                        "enterprise_id": fid,
                    }
                )

    return {
        "enterprises": enterprises,
        "party_orgs": party_orgs,
        "studios": studios,
        "coverage": coverage,
        "supply_links": supply_links,
        "alliances": alliances,
        "alliance_members": alliance_members,
        "liaisons": liaisons,
    }


def _cell(value: object) -> str:
    """Format one typed value as a CSV cell (None -> empty, bools lower-case)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_tables_csv(
    tables: Mapping[str, Sequence[Mapping[str, object]]], dir: str | os.PathLike[str]
) -> None:
    """Write every contract table to ``dir/<name>.csv`` (UTF-8, contract header).

    All eight files are written, a table missing from ``tables`` as a header-only
    file.  Columns follow the contract order; ``None`` becomes an empty cell,
    booleans ``true``/``false``, floats their shortest round-trip repr.

    Raises:
        ValueError: if a row has a key that is not a contract column, or
            ``tables`` names a table that is not in the contract.
    """
    unknown = set(tables) - set(TABLE_COLUMNS)
    if unknown:
        raise ValueError(f"not contract tables: {sorted(unknown)}")
    out = Path(dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, columns in TABLE_COLUMNS.items():
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            for row in tables.get(name, []):
                extra = set(row) - set(columns)
                if extra:
                    raise ValueError(f"{name}: unknown columns {sorted(extra)}")
                writer.writerow([_cell(row.get(col)) for col in columns])
