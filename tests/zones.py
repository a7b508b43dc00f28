"""A small hand-built zone whose answers are worked out by hand in the tests that use it.

Firms (S = street, G = grid):
  E1 Alpha   S1 G1  5 members  own org O1 (enterprise_org)   alliance A1 lead
  E2 Beta    S1 G1  1 member   studio S01 (work, listed twice)
  E3 Gamma   S2 G2  3 members  joint branch J1 (organization)
  E4 Delta   S2 --  closed     studio S01 (work) — closed, so it counts nowhere
  E5 Eps     -- G2  2 members  uncovered
  E6 Zeta    S2 G2  4 members  uncovered
  E7 Eta     S1 G1  0 members  studio S02 (work) and joint J1 (organization)
Supply links (supplier → customer): E2→E1, E3→E2, E4→E5, E5→E6, E3→E6, E6→E7.
Liaison L1 liaises with E1 and E6.
"""

from __future__ import annotations

from typing import Any

Tables = dict[str, list[dict[str, Any]]]


def _firm(
    id: str,
    name: str,
    members: int,
    street: str | None,
    grid: str | None,
    status: str = "operating",
    industry: str = "parts",
) -> dict[str, Any]:
    return {
        "id": id,
        "name": name,
        "industry": industry,
        "employees": 10 * members + 5,
        "party_members": members,
        "street": street,
        "community": None,
        "grid": grid,
        "park": None,
        "star": None,
        "key_firm": members >= 4,
        "status": status,
        "lat": None,
        "lon": None,
        **dict.fromkeys(("reg_industry", "legal_rep", "founded", "capital", "address")),
        "reg_status": None,
    }


def small_zone() -> Tables:
    """The zone in this module's docstring, as contract tables."""
    return {
        "enterprises": [
            _firm("E1", "Alpha", 5, "S1", "G1"),
            _firm("E2", "Beta", 1, "S1", "G1"),
            _firm("E3", "Gamma", 3, "S2", "G2", industry="logistics"),
            _firm("E4", "Delta", 0, "S2", None, status="closed", industry="logistics"),
            _firm("E5", "Eps", 2, None, "G2", industry="finance"),
            _firm("E6", "Zeta", 4, "S2", "G2", industry="finance"),
            _firm("E7", "Eta", 0, "S1", "G1"),
        ],
        "party_orgs": [
            {
                "id": "Z",
                "name": "Zone",
                "kind": "zone_committee",
                "parent_id": None,
                "enterprise_id": None,
                "formation": None,
                "street": None,
            },
            {
                "id": "ST",
                "name": "Station",
                "kind": "community_station",
                "parent_id": "Z",
                "enterprise_id": None,
                "formation": None,
                "street": "S1",
            },
            {
                "id": "O1",
                "name": "Alpha org",
                "kind": "enterprise_org",
                "parent_id": "ST",
                "enterprise_id": "E1",
                "formation": "own",
                "street": None,
            },
            {
                "id": "J1",
                "name": "Joint",
                "kind": "joint_branch",
                "parent_id": "ST",
                "enterprise_id": None,
                "formation": "regional_joint",
                "street": None,
            },
        ],
        "studios": [
            {
                "id": "S01",
                "name": "Studio one",
                "station_id": "ST",
                "secretary": "Wang",
                "instructors": 2,
                "street": "S1",
            },
            {
                "id": "S02",
                "name": "Studio two",
                "station_id": "ST",
                "secretary": None,
                "instructors": None,
                "street": None,
            },
        ],
        "coverage": [
            {"coverer_id": "J1", "enterprise_id": "E3", "mode": "organization"},
            {"coverer_id": "S01", "enterprise_id": "E2", "mode": "work"},
            {"coverer_id": "S01", "enterprise_id": "E2", "mode": "work"},
            {"coverer_id": "S01", "enterprise_id": "E4", "mode": "work"},
            {"coverer_id": "S02", "enterprise_id": "E7", "mode": "work"},
            {"coverer_id": "J1", "enterprise_id": "E7", "mode": "organization"},
        ],
        "supply_links": [
            {"supplier_id": "E2", "customer_id": "E1", "product": "bolts"},
            {"supplier_id": "E3", "customer_id": "E2", "product": None},
            {"supplier_id": "E4", "customer_id": "E5", "product": None},
            {"supplier_id": "E5", "customer_id": "E6", "product": None},
            {"supplier_id": "E3", "customer_id": "E6", "product": None},
            {"supplier_id": "E6", "customer_id": "E7", "product": None},
        ],
        "alliances": [{"id": "A1", "name": "Alliance", "lead_id": "E1", "theme": "auto"}],
        "alliance_members": [{"alliance_id": "A1", "enterprise_id": "E1", "role": "lead"}],
        "liaisons": [
            {"liaison_id": "L1", "name": "Li", "department": "Investment", "enterprise_id": "E1"},
            {"liaison_id": "L1", "name": "Li", "department": "Investment", "enterprise_id": "E6"},
        ],
    }
