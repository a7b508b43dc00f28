"""Generated zones for ``zonegraph bench``: 10^3 … 10^6 firms as the contract's CSV files.

The demo generator (:mod:`loaders.demo`) builds a zone firm by firm in Python to match the
article's figures; it takes minutes at a million firms. This one draws whole columns with
numpy, so a 10^6 zone is written in seconds, with what makes big zones hard:

* **hub-heavy supply chains**: each alliance's leading firm has thousands of suppliers
  (``firms // 250``: 4,000 at 10^6), and customers are drawn with Zipf-like weights, so a
  few firms buy from very many. On uniform random links a 3-hop reach is small and every
  traversal looks fast; here it is about half the zone, as organizers' real chains are.
* **about three supply links per firm**, self-loops and duplicates removed;
* **coverage like the demo's**: own organizations for most firms with 3 or more party
  members, joint branches of about five firms per grid, work coverage from community
  stations, studios and instructors; about a fifth of operating firms uncovered.

The same seed gives the same files. Ids are ``F0000001`` (firms), ``O…`` (organizations),
``S…`` (studios), ``I…`` (instructors), ``A1``–``A8`` (alliances), ``L…`` (liaisons).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

INDUSTRIES = (
    "整车制造",
    "汽车零部件",
    "汽车电子",
    "物流运输",
    "模具制造",
    "新能源",
    "软件信息",
    "商贸服务",
)
PARKS = ("汽车产业园", "零部件园", "电子产业园", "物流园", "科创园", "综合园区")
ALLIANCES = 8


def _ids(prefix: str, n: int, width: int = 7) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


def _csv(frame: pd.DataFrame, folder: Path, name: str) -> int:
    frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
    return len(frame)


def generate(folder: Path, firms: int, seed: int = 2021) -> dict[str, int]:
    """Write a zone of ``firms`` firms as the contract's CSV files; rows per file.

    Parameters
    ----------
    folder
        Created if missing; the nine ``*.csv`` files of the contract are written into it.
    firms
        Enterprises in the zone (at least 100).
    seed
        The random seed: the same seed and size give the same files.
    """
    if firms < 100:
        raise ValueError("a generated zone needs at least 100 firms")
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = firms
    ids = _ids("F", n)
    streets_n = int(np.clip(n // 10_000, 4, 100))
    communities_n = streets_n * 5
    grids_n = max(communities_n, n // 400)
    street_names = np.char.add(np.char.add("街道", np.arange(1, streets_n + 1).astype(str)), "")
    community_street = np.arange(communities_n) % streets_n
    grid_community = np.arange(grids_n) % communities_n
    grid = rng.integers(0, grids_n, n)
    community = grid_community[grid]
    street = community_street[community]
    members = np.where(rng.random(n) < 0.55, 0, rng.geometric(0.3, n)).astype(np.int64)
    status = np.where(rng.random(n) < 0.03, "closed", "operating")
    key_firm = rng.random(n) < 0.02
    enterprises = pd.DataFrame(
        {
            "id": ids,
            "name": np.char.add("规模企业", np.arange(1, n + 1).astype(str)),
            "industry": np.array(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), n)],
            "employees": np.maximum(1, rng.lognormal(3.5, 1.2, n)).astype(np.int64),
            "party_members": members,
            "street": street_names[street],
            "community": np.char.add("社区", community.astype(str)),
            "grid": np.char.add("网格", grid.astype(str)),
            "park": np.array(PARKS)[rng.integers(0, len(PARKS), n)],
            "star": rng.integers(0, 6, n),
            "key_firm": np.where(key_firm, "true", "false"),
            "status": status,
            "lat": np.round(43.80 + rng.random(n) * 0.2, 5),
            "lon": np.round(125.10 + rng.random(n) * 0.2, 5),
        }
    )
    counts = {"enterprises": _csv(enterprises, folder, "enterprises")}

    # Organizations: the zone's committees, one street committee per street, one community
    # station per community, then enterprise organizations and joint branches.
    orgs = {
        "id": ["O-zone", "O-nonpublic"],
        "name": ["开发区党工委", "非公党委"],
        "kind": ["zone_committee", "nonpublic_committee"],
        "parent_id": ["", "O-zone"],
        "enterprise_id": ["", ""],
        "formation": ["", ""],
        "street": ["", ""],
    }

    def add_orgs(**cols: np.ndarray | list[str]) -> None:
        for key in orgs:
            orgs[key].extend(list(cols[key]))

    st_ids = _ids("OS", streets_n, 4)
    add_orgs(
        id=st_ids,
        name=np.char.add(street_names, "党工委"),
        kind=["street_committee"] * streets_n,
        parent_id=["O-nonpublic"] * streets_n,
        enterprise_id=[""] * streets_n,
        formation=[""] * streets_n,
        street=street_names,
    )
    cs_ids = _ids("OC", communities_n, 5)
    add_orgs(
        id=cs_ids,
        name=np.char.add(np.char.add("社区", np.arange(communities_n).astype(str)), "党群服务站"),
        kind=["community_station"] * communities_n,
        parent_id=st_ids[community_street],
        enterprise_id=[""] * communities_n,
        formation=[""] * communities_n,
        street=street_names[community_street],
    )
    operating = status == "operating"
    own = operating & (members >= 3) & (rng.random(n) < 0.7)
    own_idx = np.flatnonzero(own)
    eo_ids = _ids("OE", len(own_idx))
    add_orgs(
        id=eo_ids,
        name=np.char.add(enterprises["name"].to_numpy()[own_idx].astype(str), "党支部"),
        kind=["enterprise_org"] * len(own_idx),
        parent_id=st_ids[street[own_idx]],
        enterprise_id=ids[own_idx],
        formation=["own"] * len(own_idx),
        street=[""] * len(own_idx),
    )
    # Joint branches: about a third of the rest, five firms of one grid per branch.
    rest = np.flatnonzero(operating & ~own)
    joint = rest[rng.random(len(rest)) < 0.35]
    joint = joint[np.argsort(grid[joint], kind="stable")]
    branch_of = np.arange(len(joint)) // 5
    jb_n = int(branch_of.max()) + 1 if len(joint) else 0
    jb_ids = _ids("OJ", jb_n)
    first = joint[np.searchsorted(branch_of, np.arange(jb_n))]
    add_orgs(
        id=jb_ids,
        name=np.char.add(np.char.add("联合党支部", np.arange(1, jb_n + 1).astype(str)), ""),
        kind=["joint_branch"] * jb_n,
        parent_id=st_ids[street[first]],
        enterprise_id=[""] * jb_n,
        formation=["regional_joint"] * jb_n,
        street=[""] * jb_n,
    )
    party_orgs = pd.DataFrame(orgs)
    counts["party_orgs"] = _csv(party_orgs, folder, "party_orgs")

    studios_n = streets_n * 2
    studio_ids = _ids("S", studios_n, 4)
    studio_station = rng.integers(0, communities_n, studios_n)
    studios = pd.DataFrame(
        {
            "id": studio_ids,
            "name": np.char.add("老书记工作室", np.arange(1, studios_n + 1).astype(str)),
            "station_id": cs_ids[studio_station],
            "secretary": "老书记",
            "instructors": rng.integers(1, 4, studios_n),
            "street": street_names[community_street[studio_station]],
        }
    )
    counts["studios"] = _csv(studios, folder, "studios")
    instructors_n = max(1, n // 300)
    instructor_ids = _ids("I", instructors_n, 6)
    instructor_street = rng.integers(0, streets_n, instructors_n)
    instructors = pd.DataFrame(
        {
            "id": instructor_ids,
            "name": np.char.add("指导员", np.arange(1, instructors_n + 1).astype(str)),
            "street": street_names[instructor_street],
            "phone": "",
        }
    )
    counts["instructors"] = _csv(instructors, folder, "instructors")

    # Work coverage for most of what is left: the community station, a studio or an
    # instructor. Firms of every status may be covered (a closed firm keeps its rows).
    left = np.setdiff1d(np.flatnonzero(~own), joint)
    work = left[rng.random(len(left)) < 0.62]
    pick = rng.random(len(work))
    coverer = np.where(
        pick < 0.6,
        cs_ids[community[work]],
        np.where(
            pick < 0.8,
            studio_ids[rng.integers(0, studios_n, len(work))],
            instructor_ids[rng.integers(0, instructors_n, len(work))],
        ),
    )
    coverage = pd.DataFrame(
        {
            "coverer_id": np.concatenate([jb_ids[branch_of], coverer]),
            "enterprise_id": np.concatenate([ids[joint], ids[work]]),
            "mode": ["organization"] * len(joint) + ["work"] * len(work),
        }
    )
    counts["coverage"] = _csv(coverage, folder, "coverage")

    # Supply links: the leads' suppliers first (hubs), then Zipf-weighted customers.
    leads = rng.choice(np.flatnonzero(operating), ALLIANCES, replace=False)
    per_lead = max(10, n // 250)
    hub_sup = rng.integers(0, n, (ALLIANCES, per_lead)).ravel()
    hub_cus = np.repeat(leads, per_lead)
    others = 3 * n - len(hub_sup)
    rank = rng.permutation(n)
    weights = 1.0 / (np.arange(n) + 10.0) ** 0.9
    cus = rank[rng.choice(n, others, p=weights / weights.sum())]
    sup = rng.integers(0, n, others)
    supplier = np.concatenate([hub_sup, sup])
    customer = np.concatenate([hub_cus, cus])
    keep = supplier != customer
    pair = np.unique(supplier[keep].astype(np.int64) * n + customer[keep])
    supplier, customer = pair // n, pair % n
    order = rng.permutation(len(pair))
    supplier, customer = supplier[order], customer[order]
    links = pd.DataFrame(
        {
            "supplier_id": ids[supplier],
            "customer_id": ids[customer],
            "product": np.array(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), len(pair))],
        }
    )
    counts["supply_links"] = _csv(links, folder, "supply_links")

    alliances = pd.DataFrame(
        {
            "id": [f"A{i}" for i in range(1, ALLIANCES + 1)],
            "name": [f"红旗党建联盟{i}" for i in range(1, ALLIANCES + 1)],
            "lead_id": ids[leads],
            "theme": [INDUSTRIES[i % len(INDUSTRIES)] for i in range(ALLIANCES)],
        }
    )
    counts["alliances"] = _csv(alliances, folder, "alliances")
    member_rows: list[tuple[str, str, str]] = []
    for a, lead in enumerate(leads):
        member_rows.append((f"A{a + 1}", str(ids[lead]), "lead"))
        suppliers = np.unique(hub_sup[a * per_lead : (a + 1) * per_lead])
        chosen = suppliers[operating[suppliers] & (suppliers != lead)][: max(5, n // 2000)]
        member_rows += [(f"A{a + 1}", str(ids[s]), "member") for s in chosen]
    members_frame = pd.DataFrame(member_rows, columns=["alliance_id", "enterprise_id", "role"])
    counts["alliance_members"] = _csv(members_frame, folder, "alliance_members")

    keys = np.flatnonzero(key_firm)
    liaison_of = np.arange(len(keys)) // 5
    liaisons = pd.DataFrame(
        {
            "liaison_id": np.char.add("L", np.char.zfill(liaison_of.astype(str), 5)),
            "name": np.char.add("联络员", liaison_of.astype(str)),
            "department": "组织部",
            "enterprise_id": ids[keys],
        }
    )
    counts["liaisons"] = _csv(liaisons, folder, "liaisons")
    return counts
