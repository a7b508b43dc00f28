"""A deterministic demo zone calibrated to the source article's figures (``docs/domain.md``).

``demo_tables`` builds the contract tables of a generated 汽开区-like zone: the organization
system (zone committee → non-public committee → streets and parks → community stations →
enterprise, joint, industry and association organizations), 24 old-secretary studios, the
高力北方汽贸城 hub, star ratings, 8 Hongqi alliances along tiered supply links and the "1+1+5"
liaisons. Firms named in the article keep their real names; every other record is generated
and says so with "（演示）". Only ``random.Random(seed)`` is used, so a seed fixes the output.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from loaders.demo_figures import (
    ALLIANCE_LEADERS,
    BIG_OWN_P,
    BRANCH_INDUSTRIES,
    CENTER,
    CLOSED_SHARE,
    COMMUNITY_SPREAD,
    COMMUNITY_WORDS,
    DEMO,
    DEPARTMENTS,
    FIRM_JITTER,
    GEN_STREETS,
    HUB,
    HUB_ASSOCIATIONS,
    HUB_COVERED,
    HUB_EXTRA_TENANTS,
    HUB_JOINT_BRANCHES,
    HUB_OPERATOR,
    INDUSTRIES,
    INDUSTRY,
    JOINT,
    KEY_WITHOUT_LIAISON,
    LIAISON_FIRMS,
    LOW_COVERAGE,
    LOW_WEIGHTS,
    MAX_OFFSET,
    MEDIUM_REAL_FIRMS,
    MIN_FIRMS,
    NAME_A,
    NAME_B,
    NAME_CITY,
    NONE,
    OFFICE_SECTORS,
    OWN,
    OWN_P,
    PARK_SHARE,
    PARKS,
    PARTS,
    REAL_COMMUNITY,
    REAL_FIRMS,
    REAL_ORGS,
    REAL_STREET,
    REAL_WEIGHT,
    SERVICE_PRODUCTS,
    SMALL_SECTORS,
    STAR_COUNTS,
    STATIONS,
    STUDIO_MIN_FIRMS,
    STUDIOS,
    STUDIOS_BELOW_MIN,
    SURNAMES,
    TARGETS,
    TENANT_INDUSTRIES,
    TENANT_OWN_P,
    THEMES,
    WEIGHTS,
    WORK,
)

Row = dict[str, object]


@dataclass(frozen=True)
class _Community:
    name: str
    street: str
    grids: tuple[str, ...]
    lat: float
    lon: float


@dataclass(eq=False)
class _Firm:
    id: str
    name: str
    industry: str
    role: str
    community: _Community
    grid: str
    park: str | None
    employees: int
    members: int
    lat: float
    lon: float
    real: bool = False
    tenant: bool = False
    hub: bool = False
    status: str = "operating"
    key: bool = False
    category: str = ""
    org_id: str | None = None
    star: int | None = None


@dataclass
class _Zone:
    rng: random.Random
    geo: list[_Community]
    firms: list[_Firm] = field(default_factory=list)
    orgs: list[Row] = field(default_factory=list)
    coverage: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    stations: dict[str, str] = field(default_factory=dict)
    parks: dict[str, str] = field(default_factory=dict)
    nonpublic: str = ""
    _covered: set[tuple[str, str, str]] = field(default_factory=set)
    _pairs: set[tuple[str, str]] = field(default_factory=set)

    def org(
        self,
        name: str,
        kind: str,
        parent: str | None,
        enterprise_id: str | None = None,
        formation: str | None = None,
        street: str | None = None,
    ) -> str:
        oid = f"O{len(self.orgs) + 1:04d}"
        self.orgs.append(
            {
                "id": oid,
                "name": name,
                "kind": kind,
                "parent_id": parent,
                "enterprise_id": enterprise_id,
                "formation": formation,
                "street": street,
            }
        )
        return oid

    def cover(self, coverer: str, firm: _Firm, mode: str) -> None:
        if (coverer, firm.id, mode) not in self._covered:
            self._covered.add((coverer, firm.id, mode))
            self.coverage.append({"coverer_id": coverer, "enterprise_id": firm.id, "mode": mode})

    def link(self, supplier: _Firm, customer: _Firm, product: str) -> None:
        pair = (supplier.id, customer.id)
        if supplier is not customer and pair not in self._pairs:
            self._pairs.add(pair)
            self.links.append({"supplier_id": pair[0], "customer_id": pair[1], "product": product})

    def of_role(self, *roles: str) -> list[_Firm]:
        return [f for f in self.firms if f.role in roles]

    def by_name(self, name: str) -> _Firm:
        return next(f for f in self.firms if f.name == name)


def _base(name: str) -> str:
    return name.removesuffix(DEMO)


def _named(place: str, suffix: str) -> str:
    """Name a unit after its place, keeping the place's demo mark at the end."""
    return _base(place) + suffix + (DEMO if place.endswith(DEMO) else "")


def _near(rng: random.Random, lat: float, lon: float, spread: float) -> tuple[float, float]:
    def clamp(value: float, centre: float) -> float:
        return round(min(max(value, centre - MAX_OFFSET), centre + MAX_OFFSET), 6)

    return (
        clamp(lat + rng.uniform(-spread, spread), CENTER[0]),
        clamp(lon + rng.uniform(-spread, spread), CENTER[1]),
    )


def _geography(rng: random.Random) -> list[_Community]:
    """Stations' communities; the community after the last street's first one hosts the hub."""
    streets = (REAL_STREET, *GEN_STREETS)
    words = rng.sample(COMMUNITY_WORDS, STATIONS - 1)
    names = [REAL_COMMUNITY] + [w + "社区" + DEMO for w in words]
    result = []
    for i, name in enumerate(names):
        grids = [f"{_base(name)}第{k}网格{DEMO}" for k in range(1, rng.randint(2, 4) + 1)]
        if i == len(streets):
            grids.append("高力汽贸城商圈功能网格" + DEMO)
        lat, lon = _near(rng, *CENTER, COMMUNITY_SPREAD)
        result.append(_Community(name, streets[i % len(streets)], tuple(grids), lat, lon))
    return result


def _firm_name(rng: random.Random, industry: str, taken: set[str]) -> str:
    endings = INDUSTRIES[industry][1]
    for _ in range(50):
        words = rng.choice(NAME_A) + rng.choice(NAME_B)
        name = f"{rng.choice(NAME_CITY)}{words}{rng.choice(endings)}"
        if name not in taken:
            break
    else:
        name = f"长春第{len(taken) + 1}{endings[0]}"
    taken.add(name)
    return name + DEMO


def _employees(rng: random.Random, industry: str, small: bool) -> int:
    r = rng.random() * (0.8 if small or industry in SMALL_SECTORS else 1.0)
    if industry == "整车制造":
        r = 0.7 + 0.3 * r
    if r < 0.55:
        return rng.randint(3, 30)
    return rng.randint(31, 300) if r < 0.9 else rng.randint(301, 3000)


def _role(industry: str, employees: int, tenant: bool) -> str:
    if tenant:
        return {"汽车销售": "dealer", "汽车零部件": "dealer", "汽车后市场服务": "aftermarket"}.get(
            industry, "other"
        )
    if industry == "汽车零部件":
        return "tier1" if employees > 300 else "tier2"
    roles = {"整车制造": "oem", "机械制造": "tier3", "汽车销售": "dealer"}
    roles["汽车后市场服务"] = "aftermarket"
    return roles.get(industry, "service" if industry in SERVICE_PRODUCTS else "other")


def _new_firm(
    zone: _Zone,
    name: str,
    industry: str,
    home: _Community | None,
    tenant: bool = False,
    role: str | None = None,
    employees: int | None = None,
) -> _Firm:
    rng = zone.rng
    community = home or rng.choice(zone.geo)
    parks = [p for p, inds in PARKS.items() if industry in inds]
    in_park = bool(parks) and not tenant and rng.random() < PARK_SHARE
    staff = employees if employees is not None else _employees(rng, industry, tenant)
    lat, lon = _near(rng, community.lat, community.lon, FIRM_JITTER)
    firm = _Firm(
        id=f"E{len(zone.firms) + 1:04d}",
        name=name,
        industry=industry,
        role=role or _role(industry, staff, tenant),
        community=community,
        grid=community.grids[-1] if tenant else rng.choice(community.grids),
        park=parks[0] if in_park else None,
        employees=staff,
        members=int(staff * rng.uniform(0.0, 0.07) + rng.random()),
        lat=lat,
        lon=lon,
        tenant=tenant,
    )
    zone.firms.append(firm)
    return firm


def _make_firms(zone: _Zone, total: int) -> None:
    rng, hub_home = zone.rng, zone.geo[1 + len(GEN_STREETS)]
    for name, industry, role in REAL_FIRMS:
        staff = rng.randint(40, 200) if name in MEDIUM_REAL_FIRMS else rng.randint(300, 3000)
        home = hub_home if name == HUB_OPERATOR else None
        firm = _new_firm(zone, name, industry, home, role=role, employees=staff)
        firm.real = True
        if name in REAL_ORGS or role == "tier1":  # these always get their own org
            firm.members = max(firm.members, 3)
    tenants = HUB_COVERED + HUB_EXTRA_TENANTS
    kinds = ["tenant"] * tenants + ["oem"] * (total // 100) + ["plain"] * total
    kinds = kinds[: total - len(REAL_FIRMS)]
    rng.shuffle(kinds)
    taken: set[str] = set()
    weights = [w for w, _ in INDUSTRIES.values()]
    hub_left = HUB_COVERED
    for kind in kinds:
        if kind == "tenant":
            industry = rng.choices(list(TENANT_INDUSTRIES), list(TENANT_INDUSTRIES.values()))[0]
            name = _firm_name(rng, industry, taken)
            firm = _new_firm(zone, name, industry, hub_home, tenant=True)
            firm.hub, hub_left = hub_left > 0, hub_left - 1
        else:
            industry = "整车制造" if kind == "oem" else rng.choices(list(INDUSTRIES), weights)[0]
            _new_firm(zone, _firm_name(rng, industry, taken), industry, None)


def _mark_status_and_keys(zone: _Zone, liaisons: int) -> None:
    """Close ~2% of ordinary firms; the named firms and the largest others are key firms."""
    plain = [f for f in zone.firms if not (f.real or f.tenant)]
    closable = [f for f in plain if f.role != "oem"]
    for firm in zone.rng.sample(closable, round(CLOSED_SHARE * len(zone.firms))):
        firm.status = "closed"
    keys = LIAISON_FIRMS * liaisons + KEY_WITHOUT_LIAISON - len(REAL_FIRMS)
    ranked = sorted((f for f in plain if f.status == "operating"), key=lambda f: -f.employees)
    for firm in [f for f in zone.firms if f.real] + ranked[:keys]:
        firm.key = True


def _weights(pool: Sequence[_Firm]) -> list[float]:
    """Cumulative pick weights: real and larger firms attract more partners. Computed once per
    pool (per firm it made the demo quadratic in the zone's size)."""
    return list(
        accumulate((REAL_WEIGHT if f.real else 1.0) * (1 + f.employees / 500) for f in pool)
    )


def _pick(
    rng: random.Random, pool: Sequence[_Firm], cum: list[float], low: int, high: int
) -> list[_Firm]:
    if not pool:
        return []
    chosen = rng.choices(pool, cum_weights=cum, k=rng.randint(low, high))
    return list(dict.fromkeys(chosen))


def _supply_links(zone: _Zone) -> None:
    """Tiered supply chain: tier3 → tier2 → tier1 → OEM → dealers, plus services and aftermarket."""
    rng = zone.rng
    Rule = tuple[tuple[str, ...], tuple[str, ...], int, int, tuple[str, ...]]
    upstream: tuple[Rule, ...] = (  # supplier roles, customer roles, customers per firm, products
        (("tier3",), ("tier2", "tier1"), 1, 3, ("钢材毛坯", "模具", "机加工件")),
        (("tier2",), ("tier1",), 1, 4, PARTS),
        (("tier1",), ("oem",), 1, 3, ("车身总成", "热管理系统", "座舱模块", "底盘模块")),
        (("service",), ("oem", "tier1", "tier2"), 1, 5, ()),
        (("other",), ("oem", "tier1"), 0, 1, ("后勤保障服务",)),
    )
    for sellers, buyers, low, high, products in upstream:
        pool = zone.of_role(*buyers)
        cum = _weights(pool)
        for firm in zone.of_role(*sellers):
            goods = products or (SERVICE_PRODUCTS[firm.industry],)
            for customer in _pick(rng, pool, cum, low, high):
                zone.link(firm, customer, rng.choice(goods))
    downstream: tuple[Rule, ...] = (  # customer roles, supplier roles, suppliers per firm, product
        (("dealer",), ("oem",), 1, 2, ("整车",)),
        (("aftermarket",), ("tier1", "tier2", "dealer"), 1, 3, ("售后配件",)),
    )
    for buyers, sellers, low, high, products in downstream:
        pool = zone.of_role(*sellers)
        cum = _weights(pool)
        for firm in zone.of_role(*buyers):
            for supplier in _pick(rng, pool, cum, low, high):
                zone.link(supplier, firm, products[0])
    for industry, hub_name, product in (
        ("物流", "吉林省长久实业集团有限公司", "运输分包"),
        ("再生资源", "长春一汽综合利用股份有限公司", "废钢回收"),
    ):
        hub = zone.by_name(hub_name)
        for firm in zone.of_role("service"):
            if firm.industry == industry and rng.random() < 0.4:
                zone.link(firm, hub, product)


def _category(rng: random.Random, firm: _Firm) -> str:
    if firm.real and (firm.name in REAL_ORGS or firm.role == "tier1"):
        return OWN
    own_p = TENANT_OWN_P if firm.tenant else BIG_OWN_P if firm.employees > 300 else OWN_P
    if firm.members >= 3 and rng.random() < own_p:
        return OWN
    if firm.hub:
        return HUB
    if firm.tenant:
        return rng.choice((WORK, NONE))
    weights = LOW_WEIGHTS if firm.industry in LOW_COVERAGE else WEIGHTS
    category = rng.choices(TARGETS, weights)[0]
    if category == INDUSTRY and firm.industry not in BRANCH_INDUSTRIES:
        category = JOINT
    return WORK if category == NONE and firm.key else category


def _org_tree(zone: _Zone) -> None:
    top = zone.org("汽开区党工委", "zone_committee", None)
    zone.nonpublic = zone.org("汽开区非公企业和社会组织党工委", "nonpublic_committee", top)
    streets = {
        s: zone.org(_named(s, "党工委"), "street_committee", zone.nonpublic, street=s)
        for s in (REAL_STREET, *GEN_STREETS)
    }
    for park in PARKS:
        zone.parks[park] = zone.org(_named(park, "非公综合党委"), "park_org", zone.nonpublic)
    for c in zone.geo:
        zone.stations[c.name] = zone.org(
            _named(c.name, "党群服务站"), "community_station", streets[c.street], street=c.street
        )


def _enterprise_orgs(zone: _Zone) -> str:
    """Own organizations; returns the hub operator's organization."""
    hub = ""
    for firm in (f for f in zone.firms if f.category == OWN):
        unit = "党委" if firm.members >= 30 else "党支部"
        name = REAL_ORGS.get(firm.name) or f"{_base(firm.name)}{unit}{DEMO}"
        parent = (
            hub
            if firm.tenant and hub
            else zone.parks[firm.park]
            if firm.park
            else zone.stations[firm.community.name]
        )
        firm.org_id = zone.org(name, "enterprise_org", parent, firm.id, "own")
        if firm.name == HUB_OPERATOR:
            hub = firm.org_id
    return hub


def _hub(zone: _Zone, hub: str) -> None:
    """高力北方汽贸城, the commercial street, is not a firm but the hub org's name: the operator's
    org covers the 159 market firms, with 4 association and 5 industry joint branches under it."""
    covered = sorted((f for f in zone.firms if f.hub), key=lambda f: (f.industry, f.id))
    for firm in covered:
        zone.cover(hub, firm, "organization")
    for name in HUB_ASSOCIATIONS:
        oid = zone.org(f"高力汽贸城{name}{DEMO}", "association_branch", hub)
        for firm in zone.rng.sample(covered, zone.rng.randint(8, 20)):
            zone.cover(oid, firm, "organization")
    size = -(-len(covered) // HUB_JOINT_BRANCHES)
    for k in range(HUB_JOINT_BRANCHES):
        oid = zone.org(
            f"高力汽贸城行业联合第{k + 1}党支部{DEMO}", "joint_branch", hub, formation="industry"
        )
        for firm in covered[k * size : (k + 1) * size]:
            zone.cover(oid, firm, "organization")


def _industry_branches(zone: _Zone) -> None:
    for industry in BRANCH_INDUSTRIES:
        oid = zone.org(
            f"{industry}行业党支部{DEMO}", "industry_branch", zone.nonpublic, formation="industry"
        )
        same = [f for f in zone.firms if f.industry == industry]
        members = [f for f in same if f.category == INDUSTRY]
        if len(members) < 3:  # a branch always has some firms: add own-org firms of the trade
            owners = [f for f in same if f.category == OWN]
            members += zone.rng.sample(owners, min(len(owners), 3 - len(members)))
        for firm in members:
            zone.cover(oid, firm, "organization")


def _joint_key(zone: _Zone, firm: _Firm, customers: dict[str, _Firm]) -> tuple[str, str]:
    lead = customers.get(firm.id)
    if lead and zone.rng.random() < 0.6:
        return "leading_firm", lead.id
    if firm.role in ("tier2", "tier3") and firm.park:
        return "industrial_chain", firm.park
    formation = "office_building" if firm.industry in OFFICE_SECTORS else "regional_joint"
    return formation, firm.community.street


def _chunks(rng: random.Random, items: list[_Firm]) -> list[list[_Firm]]:
    out, i = [], 0
    while i < len(items):
        n = rng.randint(3, 8)
        out.append(items[i : i + n])
        i += n
    if len(out) > 1 and len(out[-1]) < 3:
        out[-2].extend(out.pop())
    return out


def _joint_branches(zone: _Zone) -> None:
    """Joint branches over small firms: led by a leading firm, along a park chain, or by place."""
    firms = {f.id: f for f in zone.firms}
    customers: dict[str, _Firm] = {}  # a small parts supplier's first real customer with an org
    for link in zone.links:
        supplier, customer = firms[str(link["supplier_id"])], firms[str(link["customer_id"])]
        if supplier.role in ("tier2", "tier3") and customer.real and customer.org_id:
            customers.setdefault(supplier.id, customer)
    groups: dict[tuple[str, str], list[_Firm]] = {}
    for firm in (f for f in zone.firms if f.category == JOINT):
        groups.setdefault(_joint_key(zone, firm, customers), []).append(firm)
    for key in [k for k, v in groups.items() if len(v) < 3 and k[0] != "regional_joint"]:
        street = groups[key][0].community.street
        groups.setdefault(("regional_joint", street), []).extend(groups.pop(key))
    labels = {
        "leading_firm": "带动上下游联合党支部",
        "industrial_chain": "产业链联合党支部",
        "office_building": "楼宇联合党支部",
        "regional_joint": "区域联合党支部",
    }
    for (formation, where), members in groups.items():
        place = firms[where].name if formation == "leading_firm" else where
        for k, chunk in enumerate(_chunks(zone.rng, members), 1):
            parent = (
                firms[where].org_id
                if formation == "leading_firm"
                else zone.parks[where]
                if formation == "industrial_chain"
                else zone.stations[chunk[0].community.name]
            )
            oid = zone.org(
                f"{_base(place)}{labels[formation]}{k}{DEMO}",
                "joint_branch",
                parent,
                formation=formation,
            )
            for firm in chunk:
                zone.cover(oid, firm, "organization")


def _studio_candidates(zone: _Zone, host: _Community) -> list[_Firm]:
    """Work-only firms first, then org-covered ones; the community first, then its street."""
    pools: list[list[_Firm]] = [[], [], [], []]
    for f in zone.firms:
        if f.status == "operating" and f.category != NONE and f.community.street == host.street:
            pools[(f.category != WORK) + 2 * (f.community is not host)].append(f)
    for pool in pools:
        zone.rng.shuffle(pool)
    return [f for pool in pools for f in pool]


def _studios(zone: _Zone) -> list[Row]:
    """24 old-secretary studios ("1+2+N"); stations reach the remaining work-covered firms."""
    rng = zone.rng
    hosts = [zone.geo[0], *rng.sample(zone.geo[1:], STUDIOS - 1)]
    short = rng.sample(range(STUDIOS), STUDIOS_BELOW_MIN)
    guided: set[str] = set()
    rows: list[Row] = []
    for i, host in enumerate(hosts):
        sid = f"S{i + 1:02d}"
        wanted = rng.randint(2, STUDIO_MIN_FIRMS - 1) if i in short else rng.randint(5, 9)
        for firm in _studio_candidates(zone, host)[:wanted]:
            zone.cover(sid, firm, "work")
            guided.add(firm.id)
        rows.append(
            {
                "id": sid,
                "name": f"{_base(host.name)}老书记工作室{DEMO}",
                "station_id": zone.stations[host.name],
                "secretary": f"{DEMO}{rng.choice(SURNAMES)}书记",
                "instructors": rng.choice((2, 2, 2, 2, 2, 1, 3)),
                "street": host.street,
            }
        )
    for firm in zone.firms:
        if firm.category == WORK and firm.id not in guided:
            zone.cover(zone.stations[firm.community.name], firm, "work")
    return rows


def _stars(zone: _Zone) -> None:
    """Rate the operating own-org firms, larger ones likelier; the rest of them get 0 stars."""
    rated = [f for f in zone.firms if f.category == OWN and f.status == "operating"]
    score = {f.id: f.employees * zone.rng.uniform(0.5, 1.5) for f in rated}
    rated.sort(key=lambda f: (-score[f.id], f.id))
    stars = [star for star, count in STAR_COUNTS.items() for _ in range(count)]
    for i, firm in enumerate(rated):
        firm.star = stars[i] if i < len(stars) else 0


def _alliances(zone: _Zone) -> tuple[list[Row], list[Row]]:
    """Each alliance: the leader, its direct suppliers and customers, some second-tier suppliers."""
    rng = zone.rng
    firms = {f.id: f for f in zone.firms}
    oem = max(zone.of_role("oem"), key=lambda f: (f.employees, f.id))
    alliances: list[Row] = []
    members: list[Row] = []
    for i, (leader_name, theme) in enumerate(ALLIANCE_LEADERS, 1):
        leader = zone.by_name(leader_name) if leader_name else oem
        industry, downstream = THEMES[theme]
        carriers = [f for f in zone.firms if f.industry == industry and f.status == "operating"]
        for carrier in rng.sample(carriers, min(3, len(carriers))):
            pair = (leader, carrier) if downstream else (carrier, leader)
            zone.link(*pair, SERVICE_PRODUCTS.get(industry, theme))
        up = [firms[str(r["supplier_id"])] for r in zone.links if r["customer_id"] == leader.id]
        down = [firms[str(r["customer_id"])] for r in zone.links if r["supplier_id"] == leader.id]
        chosen = rng.sample(up, min(14, len(up))) + rng.sample(down, min(8, len(down)))
        ids = {f.id for f in chosen}
        second = [firms[str(r["supplier_id"])] for r in zone.links if r["customer_id"] in ids]
        chosen += rng.sample(second, min(6, len(second)))
        chosen += [f for f in up + down if f.industry == industry][:4]
        aid = f"A{i}"
        alliances.append(
            {"id": aid, "name": f"红旗党建联盟·{theme}{DEMO}", "lead_id": leader.id, "theme": theme}
        )
        members.append({"alliance_id": aid, "enterprise_id": leader.id, "role": "lead"})
        for firm in dict.fromkeys(chosen):
            if firm is not leader and firm.status == "operating":
                members.append({"alliance_id": aid, "enterprise_id": firm.id, "role": "member"})
    return alliances, members


def _liaisons(zone: _Zone, count: int) -> list[Row]:
    """ "1+1+5": most liaisons keep 5 key firms, two keep 4, two keep 6, a few firms have none."""
    rng = zone.rng
    keys = [f for f in zone.firms if f.key]
    spare = rng.sample([f for f in keys if not f.real], KEY_WITHOUT_LIAISON)
    linked = [f for f in keys if f not in spare]
    rng.shuffle(linked)
    sizes = [LIAISON_FIRMS] * count
    for n, idx in enumerate(rng.sample(range(count), 4)):
        sizes[idx] += -1 if n < 2 else 1
    rows: list[Row] = []
    start = 0
    for i, size in enumerate(sizes, 1):
        name = f"{DEMO}{rng.choice(SURNAMES)}委员"
        department = rng.choice(DEPARTMENTS) + DEMO
        for firm in linked[start : start + size]:
            rows.append(
                {
                    "liaison_id": f"L{i:02d}",
                    "name": name,
                    "department": department,
                    "enterprise_id": firm.id,
                }
            )
        start += size
    return rows


def _enterprise_row(f: _Firm) -> Row:
    return {
        "id": f.id,
        "name": f.name,
        "industry": f.industry,
        "employees": f.employees,
        "party_members": f.members,
        "street": f.community.street,
        "community": f.community.name,
        "grid": f.grid,
        "park": f.park,
        "star": f.star,
        "key_firm": f.key,
        "status": f.status,
        "lat": f.lat,
        "lon": f.lon,
    }


def demo_tables(seed: int = 2021, firms: int = 1500) -> dict[str, list[dict[str, object]]]:
    """Generate the demo zone's contract tables; the same seed always gives the same tables.

    ``firms`` is the total number of enterprises, the 12 named in the article included; fewer
    than ``MIN_FIRMS`` raise ``ValueError`` (the calibrated counts need room).
    """
    if firms < MIN_FIRMS:
        raise ValueError(f"a demo zone needs at least {MIN_FIRMS} firms, got {firms}")
    rng = random.Random(seed)
    zone = _Zone(rng, _geography(rng))
    liaison_count = max(4, firms // 125)
    _make_firms(zone, firms)
    _mark_status_and_keys(zone, liaison_count)
    _supply_links(zone)
    for firm in zone.firms:
        firm.category = _category(rng, firm)
    _org_tree(zone)
    _industry_branches(zone)
    _hub(zone, _enterprise_orgs(zone))
    _joint_branches(zone)
    studios = _studios(zone)
    _stars(zone)
    alliances, members = _alliances(zone)
    return {
        "enterprises": [_enterprise_row(f) for f in zone.firms],
        "party_orgs": zone.orgs,
        "studios": studios,
        "coverage": zone.coverage,
        "supply_links": zone.links,
        "alliances": alliances,
        "alliance_members": members,
        "liaisons": _liaisons(zone, liaison_count),
    }
