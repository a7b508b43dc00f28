"""Every string the pages show, in Chinese (the default) and English.

One table holds both languages side by side, so a key can't exist in one and not the other;
:data:`ZH` and :data:`EN` are the dict of each language. Keys are grouped by prefix:
``col.`` a result column, ``q.`` a catalog query's title, ``qd.`` its description, ``v.`` a
stored value (coverage, organization kind, formation, label); the rest are page texts.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

_T: dict[str, tuple[str, str]] = {
    "app.title": ("汽开区非公党建组织网络", "Zone party-building network"),
    "nav.dashboard": ("总览", "Dashboard"),
    "nav.gaps": ("覆盖缺口", "Coverage gaps"),
    "nav.network": ("组织网络", "Network"),
    "nav.alliances": ("党建联盟", "Alliances"),
    "nav.rules": ("规则检查", "Rule checks"),
    "nav.queries": ("查询", "Queries"),
    "nav.lang": ("语言", "Language"),
    # common
    "c.all": ("全部", "all"),
    "c.apply": ("筛选", "Filter"),
    "c.run": ("运行", "Run"),
    "c.reset": ("清除", "Clear"),
    "c.rows": ("共 {n} 行", "{n} rows"),
    "c.firms_n": ("{n} 家企业", "{n} firms"),
    "c.shown": (
        "显示前 {shown} 行，共 {n} 行；完整结果请下载。",
        "Showing {shown} of {n} rows; download for all.",
    ),
    "c.download": ("下载", "Download"),
    "c.csv": ("CSV 表格", "CSV"),
    "c.xlsx": ("Excel 表格", "Excel"),
    "c.empty": ("没有符合条件的记录。", "No rows match."),
    "c.yes": ("是", "yes"),
    "c.no": ("否", "no"),
    "c.error": ("出错了", "Something went wrong"),
    "c.loading": ("加载中…", "Loading…"),
    "c.sort_hint": ("点击列标题排序", "Click a column heading to sort"),
    "c.back": ("返回总览", "Back to the dashboard"),
    "c.open_network": ("在网络中查看", "Show in the network"),
    # dashboard
    "d.title": ("全区党建覆盖总览", "The zone at a glance"),
    "d.firms": ("在营企业", "Operating firms"),
    "d.closed": ("已注销 {n} 家", "{n} closed"),
    "d.org_rate": ("组织覆盖率", "Organizational coverage"),
    "d.org_rate_sub": ("单独组建 + 联合覆盖", "own + joint organizations"),
    "d.own_rate": ("单独组建率", "Own-organization rate"),
    "d.own_rate_sub": ("{n} 家单独建立党组织", "{n} firms with their own"),
    "d.uncovered": ("未覆盖企业", "Uncovered firms"),
    "d.uncovered_sub": ("既无组织覆盖也无工作覆盖", "neither organization nor work"),
    "d.studios": ("指导不足5家的工作室", "Studios below five firms"),
    "d.studios_sub": ("共 {n} 个老书记工作室", "of {n} old-secretary studios"),
    "d.should": ("应单独组建", "Should form a branch"),
    "d.should_sub": ("党员≥3人但未单独建立组织", "≥3 members, no own organization"),
    "d.by_street": ("各街道覆盖情况", "Coverage by street"),
    "d.chart_note": (
        "条形为在营企业构成；右侧为组织覆盖率",
        "Bars split each street's operating firms; the figure is the organizational coverage rate",
    ),
    "d.top_gaps": (
        "优先走访：党员最多的未覆盖企业",
        "Visit first: uncovered firms with the most members",
    ),
    "d.lists": ("全部清单", "Every list"),
    "d.below": ("不足5家的工作室", "Studios below five"),
    # coverage words used in charts and legends
    "cov.org": ("组织覆盖", "organization"),
    "cov.work_only": ("仅工作覆盖", "work only"),
    "cov.uncovered": ("未覆盖", "uncovered"),
    # gaps
    "g.title": ("未覆盖企业", "Uncovered firms"),
    "g.intro": (
        "既无党组织覆盖、也无党建工作覆盖的在营企业。",
        "Operating firms reached neither by a party organization nor by party work.",
    ),
    "g.min_members": ("党员数不少于", "At least this many members"),
    # network
    "n.title": ("组织网络", "Organization network"),
    "n.scope": ("范围", "Scope"),
    "n.kind.zone": ("全区", "whole zone"),
    "n.kind.street": ("街道", "street"),
    "n.kind.grid": ("网格", "grid"),
    "n.kind.park": ("园区", "park"),
    "n.kind.industry": ("行业", "industry"),
    "n.kind.alliance": ("党建联盟", "alliance"),
    "n.kind.firm": ("企业及其供应链", "firm and its supply chain"),
    "n.firm_id": ("企业编号", "Firm id"),
    "n.hops": ("供应链层数", "Supply-link hops"),
    "n.size_by": ("节点大小", "Node size"),
    "n.size.employees": ("职工人数", "employees"),
    "n.size.party_members": ("党员人数", "party members"),
    "n.show": ("显示", "Show"),
    "n.search": ("按名称查找企业", "Find a firm by name"),
    "n.search_btn": ("查找", "Find"),
    "n.no_match": ("没有找到企业。", "No firm found."),
    "n.legend": ("图例", "Legend"),
    "n.edges": (
        "连线：箭头为供应关系，彩色为覆盖、指导、联盟和联络关系",
        "Lines: arrows are supply links; coloured ones coverage, guidance, alliance and liaison",
    ),
    "n.aggregated": (
        "范围内 {firms} 家企业超过显示上限，已按{by}汇总为 {n} 个节点；点击汇总节点展开。",
        "{note}",
    ),
    "n.by.grid": ("网格", "grid"),
    "n.by.street": ("街道", "street"),
    "n.summary": (
        "{firms} 家企业，{nodes} 个节点，{edges} 条连线",
        "{firms} firms, {nodes} nodes, {edges} lines",
    ),
    "n.profile": ("企业档案", "Firm profile"),
    "n.click_hint": (
        "点击企业查看档案；点击汇总节点展开该范围。",
        "Click a firm for its profile; click an aggregate to open it.",
    ),
    "n.full_profile": ("完整档案", "Full profile"),
    "n.neighbourhood": ("查看其供应链周边", "Show its supply-chain neighbourhood"),
    "n.orgs": ("覆盖组织", "Organizations"),
    "n.links": ("供应商 {s} 家，客户 {c} 家", "{s} suppliers, {c} customers"),
    # alliances
    "a.title": ("党建联盟规划", "Alliance planner"),
    "a.alliance": ("联盟", "Alliance"),
    "a.k": ("推荐数量", "Recruits to pick"),
    "a.list": ("全部联盟", "All alliances"),
    "a.reach": ("联盟辐射范围", "Reach along supply links"),
    "a.reach_sum": (
        "{hops} 层供应链内共 {n} 家企业，其中 {u} 家未组织覆盖",
        "{n} firms within {hops} hops, {u} of them without organizational coverage",
    ),
    "a.by_distance": ("按距离统计", "By distance"),
    "a.candidates": ("辐射范围内的候选企业", "Candidates within reach"),
    "a.next": ("建议下一批吸收的企业", "Who to bring in next"),
    "a.overlap": ("联盟重叠热力图", "Where alliances overlap"),
    "a.overlap_note": (
        "格内为共同辐射企业数，颜色深浅为杰卡德相似度",
        "Cells show firms reached by both; colour is the Jaccard similarity",
    ),
    "a.try": ("试算加入", "Try adding"),
    "a.whatif": ("假设分析（不写入数据库）", "What if (nothing is written)"),
    "a.op": ("操作", "Change"),
    "a.op.add": ("增加", "add"),
    "a.op.remove": ("删除", "remove"),
    "a.table": ("数据表", "Table"),
    "a.table.alliance_members": ("联盟成员", "alliance member"),
    "a.table.coverage": ("覆盖关系", "coverage row"),
    "a.compare": ("比较内容", "Compare"),
    "a.compare.summary": ("全区覆盖指标", "zone summary"),
    "a.add_change": ("加入变更列表", "Add to the list"),
    "a.changes": ("变更列表", "Changes"),
    "a.changes_empty": (
        "列表为空时，试算上面表单中的一项变更。",
        "With an empty list, the change in the form above is tried.",
    ),
    "a.run": ("试算前后对比", "Compare before and after"),
    "a.no_diff": ("这些变更不改变结果。", "These changes change nothing here."),
    "a.coverer_id": ("覆盖单位编号", "Coverer id"),
    "a.network": ("在网络中查看该联盟", "Show this alliance in the network"),
    # firm
    "f.basics": ("基本情况", "Basics"),
    "f.orgs": ("覆盖它的党组织和工作室", "Organizations and studios that cover it"),
    "f.liaisons": ("联络员", "Liaisons"),
    "f.alliances": ("所在联盟", "Alliances"),
    "f.suppliers": ("供应商", "Suppliers"),
    "f.customers": ("客户", "Customers"),
    "f.detail": ("说明", "Detail"),
    "f.key_firm": ("重点企业", "Key firm"),
    "f.star": ("星级", "Star rating"),
    "f.status": ("状态", "Status"),
    "f.community": ("社区", "Community"),
    "f.park": ("园区", "Park"),
    # rules and queries
    "r.title": ("规则检查", "Rule checks"),
    "r.intro": (
        "按文章所述制度逐项检查；每项可下载。",
        "Each mechanism the zone runs, checked; each list can be downloaded.",
    ),
    "qr.title": ("查询目录", "Query catalog"),
    "qr.intro": ("系统能回答的全部问题。", "Every question zonegraph answers."),
    "qr.params": ("参数", "Parameters"),
    "qr.need": ("请填写必填参数后运行。", "Fill in the required parameters, then run."),
    "qr.scope_hint": ("zone、street:名称、grid:名称…", "zone, street:NAME, grid:NAME…"),
    # columns
    "col.a": ("联盟甲", "alliance A"),
    "col.b": ("联盟乙", "alliance B"),
    "col.area": ("区域", "area"),
    "col.below_minimum": ("不足下限", "below minimum"),
    "col.change": ("变化", "change"),
    "col.closed": ("已注销", "closed"),
    "col.cluster": ("聚类", "cluster"),
    "col.coverage_rate": ("两个覆盖率", "coverage rate"),
    "col.covered": ("已组织覆盖", "covered"),
    "col.depth": ("层级", "depth"),
    "col.detail": ("说明", "detail"),
    "col.distance": ("距离（层）", "distance"),
    "col.employees": ("职工数", "employees"),
    "col.firm_id": ("企业编号", "firm id"),
    "col.firm_ids": ("企业编号", "firm ids"),
    "col.firm_name": ("企业名称", "firm"),
    "col.firms": ("企业数", "firms"),
    "col.firms_total": ("下辖企业数", "firms in total"),
    "col.formation": ("组建方式", "formation"),
    "col.gain": ("新增覆盖", "gain"),
    "col.grid": ("网格", "grid"),
    "col.group": ("分组", "group"),
    "col.how": ("方式", "how"),
    "col.id": ("编号", "id"),
    "col.industry": ("行业", "industry"),
    "col.jaccard": ("相似度", "Jaccard"),
    "col.kind": ("类型", "kind"),
    "col.lead_id": ("龙头企业编号", "lead id"),
    "col.lead_name": ("龙头企业", "lead"),
    "col.liaison_id": ("联络员编号", "liaison id"),
    "col.member_links": ("与成员的供应关系", "links to members"),
    "col.members": ("党员数", "members"),
    "col.alliances.members": ("成员企业数", "member firms"),
    "col.metric": ("指标", "metric"),
    "col.before": ("变更前", "before"),
    "col.after": ("变更后", "after"),
    "col.name": ("名称", "name"),
    "col.ok": ("符合", "ok"),
    "col.operating": ("在营", "operating"),
    "col.org_coverage_rate": ("组织覆盖率", "org. coverage rate"),
    "col.org_covered": ("组织覆盖", "org. covered"),
    "col.organizations": ("组织数", "organizations"),
    "col.own_org": ("单独组建", "own organization"),
    "col.own_org_rate": ("单独组建率", "own-org. rate"),
    "col.parent_id": ("上级编号", "parent id"),
    "col.party_members": ("党员数", "party members"),
    "col.rate": ("覆盖率", "rate"),
    "col.role": ("角色", "role"),
    "col.score": ("得分", "score"),
    "col.shared": ("共同企业", "shared"),
    "col.star_0": ("未评星", "0 stars"),
    "col.star_1": ("一星", "1 star"),
    "col.star_2": ("二星", "2 stars"),
    "col.star_3": ("三星", "3 stars"),
    "col.star_4": ("四星", "4 stars"),
    "col.star_5": ("五星", "5 stars"),
    "col.status": ("状态", "status"),
    "col.street": ("街道", "street"),
    "col.studio_id": ("工作室编号", "studio id"),
    "col.studio_name": ("工作室", "studio"),
    "col.theme": ("主题", "theme"),
    "col.total": ("企业总数", "total"),
    "col.uncovered": ("未覆盖", "uncovered"),
    "col.uncovered_ids": ("未覆盖企业编号", "uncovered ids"),
    "col.unrated": ("无评级", "unrated"),
    "col.work_only": ("仅工作覆盖", "work only"),
    "col.enterprise_id": ("企业编号", "firm id"),
    "col.alliance": ("联盟", "alliance"),
    "col.should_form_branch": ("应单独组建企业数", "should form a branch"),
    "col.studios_below_minimum": ("不足5家的工作室数", "studios below minimum"),
    "col.hops": ("供应链层数", "hops"),
    "col.k": ("推荐数量", "k"),
    "col.limit": ("返回行数", "limit"),
    "col.text": ("名称或编号包含", "text"),
    "col.level": ("分组层级", "level"),
    "col.minimum": ("下限", "minimum"),
    "col.per_liaison": ("每名联络员应联系企业数", "per liaison"),
    "col.root": ("起始组织编号", "root"),
    "col.scope": ("范围", "scope"),
    "col.min_size": ("最小规模", "min size"),
    "col.capacity": ("每室最多企业数", "capacity"),
    "col.max_firms": ("每支部最多企业数", "max firms"),
    "col.min_members": ("党员数不少于", "min members"),
    "col.park": ("园区", "park"),
    "col.alliance_id": ("联盟编号", "alliance id"),
    "col.mode": ("覆盖方式", "mode"),
    # catalog query titles
    "q.alliance_candidates": ("联盟候选企业", "Alliance candidates"),
    "q.alliance_overlap": ("联盟重叠", "Alliance overlap"),
    "q.alliance_reach": ("联盟辐射范围", "Alliance reach"),
    "q.alliances": ("党建联盟", "Alliances"),
    "q.bridging_firms": ("桥梁企业", "Bridging firms"),
    "q.coverage_by": ("分组覆盖率", "Coverage by group"),
    "q.find_firms": ("查找企业", "Find firms"),
    "q.formation_modes": ("组建方式", "Formation modes"),
    "q.industries_without_branch": ("无行业党支部的行业", "Industries without a branch"),
    "q.joint_branch_plan": ("联合党支部组建方案", "Joint branch plan"),
    "q.key_firms_without_liaison": ("无联络员的重点企业", "Key firms without a liaison"),
    "q.liaison_load": ("“1+1+5”联络员负荷", "Liaison load (1+1+5)"),
    "q.next_recruit": ("建议吸收企业", "Next recruits"),
    "q.org_tree": ("组织体系", "Organization tree"),
    "q.should_form_branch": ("应单独组建的企业", "Should form a branch"),
    "q.star_distribution": ("星级分布", "Star distribution"),
    "q.studio_assignment": ("工作室分派方案", "Studio assignment"),
    "q.studio_load": ("老书记工作室负荷", "Studio load"),
    "q.suggested_clusters": ("建议联建片区", "Suggested clusters"),
    "q.uncovered": ("未覆盖企业", "Uncovered firms"),
    "q.zone_summary": ("全区汇总", "Zone summary"),
    # rule explanations
    "qd.key_firms_without_liaison": (
        "“1+1+5”：每家重点企业都应有联络员。",
        "1+1+5: every key firm should have a liaison.",
    ),
    "qd.liaison_load": ("每名联络员联系 5 家重点企业。", "Each liaison looks after 5 key firms."),
    "qd.industries_without_branch": (
        "有企业但没有行业党支部的行业。",
        "Industries with firms but no industry branch.",
    ),
    "qd.star_distribution": ("五星、四星、三星评定的分布。", "How the star ratings are spread."),
    "qd.formation_modes": (
        "单独组建、区域联建、行业统建等组建方式。",
        "How organizations were formed.",
    ),
    "qd.org_tree": (
        "区党工委→非公党工委→街道/园区→服务站→企业党组织。",
        "Zone committee → "
        "non-public committee → streets and parks → stations → firm organizations.",
    ),
    "qd.should_form_branch": (
        "党章第三十条：正式党员3人以上应成立党的基层组织。",
        "Party "
        "Constitution Art. 30: three or more full members should form "
        "their own organization.",
    ),
    "qd.studio_load": (
        "“1+2+N”：每个老书记工作室至少指导 5 家企业。",
        "1+2+N: each old-secretary studio guides at least 5 firms.",
    ),
    # stored values
    "v.own": ("单独组建", "own organization"),
    "v.joint": ("联合覆盖", "joint organization"),
    "v.work": ("工作覆盖", "work coverage"),
    "v.uncovered": ("未覆盖", "uncovered"),
    "v.closed": ("已注销", "closed"),
    "v.organization": ("组织覆盖", "organization"),
    "v.operating": ("在营", "operating"),
    "v.lead": ("龙头", "lead"),
    "v.member": ("成员", "member"),
    "v.studio": ("老书记工作室", "studio"),
    "v.zone_committee": ("区党工委", "zone committee"),
    "v.nonpublic_committee": ("非公党工委", "non-public committee"),
    "v.street_committee": ("街道党工委", "street committee"),
    "v.park_org": ("园区综合党组织", "park organization"),
    "v.community_station": ("社区党群服务站", "community station"),
    "v.enterprise_org": ("企业党组织", "firm organization"),
    "v.joint_branch": ("联合党支部", "joint branch"),
    "v.industry_branch": ("行业党支部", "industry branch"),
    "v.association_branch": ("协会商会党组织", "association branch"),
    "v.regional_joint": ("区域联建", "regional joint"),
    "v.industry": ("行业统建", "industry"),
    "v.industrial_chain": ("产业联建", "industrial chain"),
    "v.leading_firm": ("龙头领建", "led by a leading firm"),
    "v.office_building": ("楼宇合建", "office building"),
    "v.unrecorded": ("未记录", "unrecorded"),
    "v.Enterprise": ("企业", "firm"),
    "v.PartyOrg": ("党组织", "party organization"),
    "v.Studio": ("老书记工作室", "studio"),
    "v.Instructor": ("党建指导员", "instructor"),
    "v.Alliance": ("党建联盟", "alliance"),
    "v.Liaison": ("联络员", "liaison"),
    "v.Group": ("汇总节点", "aggregate"),
}

ZH: dict[str, str] = {k: v[0] for k, v in _T.items()}
EN: dict[str, str] = {k: v[1] for k, v in _T.items()}
STRINGS: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}


class Translator:
    """Looks strings up in one language; a missing key shows itself (so it gets noticed)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in STRINGS else DEFAULT_LANG
        self.strings = STRINGS[self.lang]

    def __call__(self, key: str, **values: Any) -> str:
        text = self.strings.get(key, key)
        return text.format(**values) if values else text

    def col(self, name: str, query: str | None = None) -> str:
        """A column's heading (a query may name its own, e.g. ``col.alliances.members``)."""
        return self.strings.get(f"col.{query}.{name}") or self.strings.get(f"col.{name}", name)

    def query(self, name: str) -> str:
        return self.strings.get(f"q.{name}", name)

    def value(self, value: object) -> str:
        """A stored word (coverage, kind, formation, label) in this language, else itself."""
        return self.strings.get(f"v.{value}", str(value))
