"""Strings of the language work: query descriptions (``qd.``), parameter help (``qp.``),
domain errors (``err.``), downloads (``dl.``), the offline export (``exp.``) and the API
documentation pages (``docs.``).

A parameter's help is ``qp.<query>.<param>`` where one query means something of its own by
it, else ``qp.<param>``.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "docs.title": ("接口文档", "API documentation"),
    "docs.link": ("接口文档（供脚本调用）", "API documentation (for scripts)"),
    "dl.zone": ("全区", "zone"),
    # what each catalog query answers (the rule checks' own are in api.i18n)
    "qd.alliance_candidates": (
        "联盟辐射范围内尚无组织覆盖（未覆盖或仅工作覆盖）的企业，按得分排序："
        "得分 = 3 ×（层数 − 距离 + 1）+ 2 × 与成员的供应关系数 + 党员数。",
        "Firms in an alliance's reach with no organizational coverage (uncovered or work "
        "only), ranked: score = 3·(hops − distance + 1) + 2·member_links + party_members.",
    ),
    "qd.alliance_overlap": (
        "每两个联盟在给定层数内共同辐射的企业数（含成员）及其辐射范围的杰卡德相似度。",
        "Every pair of alliances: firms both reach within hops (members included) and the "
        "Jaccard index of their reaches.",
    ),
    "qd.alliance_reach": (
        "沿供应关系（双向、只经过在营企业）在给定层数内可达联盟任一成员的在营企业"
        "（不含成员），及其距离。",
        "Operating firms within `hops` supply links (either direction, through operating "
        "firms only) of any member of an alliance, members excluded, with their distance.",
    ),
    "qd.alliance_reach_by_distance": (
        "联盟在每一层距离上辐射的企业数，及其中完全未覆盖的企业数。",
        "How many firms an alliance reaches at each distance (1 … hops), and how many of "
        "them have no coverage at all.",
    ),
    "qd.alliances": (
        "全部党建联盟，及其龙头企业和成员企业数。",
        "Every alliance with its leading firm and number of member firms.",
    ),
    "qd.bridging_firms": (
        "一旦缺失最能割裂范围内供应网络的企业（介数中心性）。",
        "Firms whose removal would split the scope's supply network most (betweenness centrality).",
    ),
    "qd.coverage_by": (
        "按街道、网格、园区或行业分组的在营企业覆盖情况。",
        "Coverage of operating firms grouped by street, grid, park or industry.",
    ),
    "qd.find_firms": (
        "名称或编号包含所给文字的企业（供搜索框使用）。",
        "Firms whose name or id contains the given text (for a search box).",
    ),
    "qd.joint_branch_plan": (
        "为有 1–2 名党员、尚无组织的企业组建联合党支部：在同一网格（或街道、园区、行业）内"
        "分组，每组党员不少于 3 人、企业不超过上限，尽量安排更多企业。",
        "Joint branches for firms with 1–2 party members and no organization: groups within "
        "one grid (or street, park, industry) of ≥3 members and ≤ max_firms firms, placing as "
        "many firms as possible.",
    ),
    "qd.next_recruit": (
        "联盟辐射范围内的 k 家企业：吸收后能把最多尚未辐射的未覆盖企业带入范围"
        "（贪心算法，不低于最优的 1 − 1/e）。",
        "The k firms in an alliance's reach whose joining brings the most not yet reached "
        "uncovered firms into reach (greedy, within 1 − 1/e of the best).",
    ),
    "qd.studio_assignment": (
        "由本街道的老书记工作室为未覆盖企业提供工作覆盖的方案：安排尽量多的企业，"
        "工作室不超过容量，优先补足不足下限的工作室（最小费用流）。每家安排的企业一行。",
        "A plan giving uncovered firms work coverage from old-secretary studios of their "
        "street: as many firms as possible, no studio over capacity, studios below the "
        "minimum filled first (min-cost flow). One row per assigned firm.",
    ),
    "qd.suggested_clusters": (
        "范围内供应网络中的社群（Louvain 算法，固定随机种子）及其未覆盖企业："
        "可作为新联盟或产业链联合党支部的候选。",
        "Communities in the scope's supply network (Louvain, fixed seed) with their "
        "uncovered firms: candidates for a new alliance or a chain joint branch.",
    ),
    "qd.uncovered": (
        "既无组织覆盖、也无工作覆盖的在营企业。",
        "Operating firms with neither organizational nor work coverage.",
    ),
    "qd.zone_summary": (
        "全区概况：在营与已注销企业数、组织覆盖率（单独组建 + 联合覆盖 ÷ 在营）"
        "和单独组建率（单独组建 ÷ 在营）。",
        "The zone at a glance: operating and closed firms, organizational coverage rate "
        "(own + joint ÷ operating) and own-organization rate (own ÷ operating).",
    ),
    # what each parameter means
    "qp.alliance": ("联盟编号", "alliance id"),
    "qp.hops": ("沿供应关系向外的层数（1–6）", "supply links to follow (1–6)"),
    "qp.limit": ("返回的行数", "rows to return"),
    "qp.scope": (
        "范围：zone（全区），或 street:名称、grid:名称、park:名称、industry:名称、alliance:编号",
        "zone, street:X, grid:X, park:X, industry:X or alliance:Y",
    ),
    "qp.coverage_by.rate": (
        "分组排序所依据的比率（由低到高）：两个覆盖率、组织覆盖率或单独组建率",
        "the rate groups are sorted by (lowest first): coverage, org_coverage, own_org",
    ),
    "qp.level": ("按街道、网格、园区或行业分组", "street, grid, park or industry"),
    "qp.joint_branch_plan.level": (
        "在同一街道、网格、园区或行业内分组",
        "group within one street, grid, park or industry",
    ),
    "qp.text": ("名称或编号的一部分", "part of a name or id"),
    "qp.max_firms": ("一个联合党支部最多的企业数", "most firms in one joint branch"),
    "qp.per_liaison": ("每名联络员应联系的企业数", "firms each liaison should have"),
    "qp.k": ("建议吸收的企业数", "firms to propose"),
    "qp.root": ("起始组织编号（留空为最高一级）", "organization id to start from ('' = top level)"),
    "qp.should_form_branch.minimum": (
        "党员达到多少人的企业应单独组建",
        "members from which a firm should form its own",
    ),
    "qp.studio_assignment.minimum": ("每个工作室应指导的企业数", "firms each studio should guide"),
    "qp.studio_load.minimum": (
        "每个工作室应指导的企业数（“1+2+N”）",
        "firms each studio should guide ('1+2+N')",
    ),
    "qp.studio_assignment.street": (
        "只安排这个街道（留空为全部街道）",
        "only this street ('' = every street)",
    ),
    "qp.capacity": ("一个工作室最多指导的企业数", "most firms a studio can guide"),
    "qp.min_size": ("列出的聚类最少的企业数", "smallest cluster to list"),
    "qp.street": ("只看这个街道的企业", "only firms in this street"),
    "qp.grid": ("只看这个网格的企业", "only firms in this grid"),
    "qp.park": ("只看这个园区的企业", "only firms in this park"),
    "qp.industry": ("只看这个行业的企业", "only firms in this industry"),
    "qp.min_members": (
        "只看党员数不少于此数的企业",
        "only firms with at least this many party members",
    ),
    # notes a query gives beside its rows (queries.notes.Note)
    "note.plan.assigned": (
        "{firms} 家未覆盖企业中已安排 {assigned} 家",
        "{assigned} of {firms} uncovered firm(s) assigned",
    ),
    "note.plan.below": (
        "工作室 {studio} 仍不足下限：{n} 家企业",
        "studio {studio} still below the minimum: {n} firm(s)",
    ),
    "note.plan.left_over": ("未安排：{firm} {name}：{why}", "left over: {firm} {name}: {why}"),
    "note.plan.no_street": ("企业没有所属街道", "firm has no street"),
    "note.plan.no_studio": ("{street}没有老书记工作室", "no studio in street {street}"),
    "note.plan.full": ("{street}的工作室已满", "studios in street {street} are full"),
    "note.plan.placed": (
        "{firms} 家小微企业中有 {placed} 家编入 {groups} 个联合党支部",
        "{placed} of {firms} small firm(s) placed in {groups} joint branch(es)",
    ),
    "note.plan.no_area.street": (
        "{n} 家企业没有所属街道，无法分组",
        "{n} firm(s) have no street and cannot be grouped",
    ),
    "note.plan.no_area.grid": (
        "{n} 家企业没有所属网格，无法分组",
        "{n} firm(s) have no grid and cannot be grouped",
    ),
    "note.plan.no_area.park": (
        "{n} 家企业没有所属园区，无法分组",
        "{n} firm(s) have no park and cannot be grouped",
    ),
    "note.plan.no_area.industry": (
        "{n} 家企业没有所属行业，无法分组",
        "{n} firm(s) have no industry and cannot be grouped",
    ),
    # domain errors said on a page (api.error_text)
    "err.validation": (
        "输入中有 {n} 个问题，没有写入任何内容",
        "{n} problem(s) in the input; nothing was written",
    ),
    "err.at.whatif": ("试算的第 {n} 项变更", "what-if change {n}"),
    "err.at.scenario": ("方案 {name} 的第 {n} 项变更", "scenario {name} change {n}"),
    "err.at.firm_page": ("企业 {id} 的档案页", "the profile page of {id}"),
    "err.more": ("……另有 {n} 个问题", " … and {n} more"),
    "err.param": ("参数“{param}”：{value} {reason}", "{param}: {value} {reason}"),
    "err.param.bool": (
        "参数“{param}”：{value} 不是“是/否”",
        "{param}: {value} is not true or false",
    ),
    "err.param.text": ("参数“{param}”：{value} 不是文字", "{param}: {value} is not text"),
    "err.param.missing": ("请填写参数“{param}”", "{query} needs the parameter {param}"),
    "err.param.unknown": (
        "查询“{query}”没有参数 {names}（可用的参数：{has}）",
        "{query} has no parameter {names} (it has: {has})",
    ),
    "err.scope": (
        "范围“{value}”无效：应为 zone（全区），或 street:名称、grid:名称、park:名称、"
        "industry:名称、alliance:编号",
        "scope: {value} is not zone, street:X, grid:X, park:X, industry:X or alliance:Y",
    ),
    "err.no_id": ("没有编号为 {value} 的{noun}", "no {noun} with id {value}"),
    "err.no_query": ("没有名为 {value} 的查询", "no query named {value}"),
    "err.no_scenario": ("没有名为 {value} 的方案", "no scenario named {value}"),
    "err.scenario_exists": ("方案 {value} 已经存在", "scenario {value} already exists"),
    "err.scenario_name": (
        "方案名称 {value} 无效：只能用英文字母、数字、_ 或 -（最多 64 个）",
        "scenario name {value}: use ASCII letters, digits, _ or - (at most 64)",
    ),
    "err.no_upload": (
        "这次上传已过期或已处理，请重新上传。",
        "The upload expired or was already handled; upload it again.",
    ),
    "err.no_job": ("没有这个导入任务（可能已结束）。", "No such import job (it may have ended)."),
    "err.class.validation": (
        "输入有问题，没有写入任何内容",
        "The input has problems; nothing was written",
    ),
    "err.class.unknown_query": ("没有这个查询。", "There is no such query."),
    "err.class.bad_parameter": ("参数不正确。", "A parameter is wrong."),
    "err.class.not_found": ("找不到要查的记录。", "Nothing has that id."),
    "err.class.exists": ("这个名称已被使用。", "That name is taken."),
    "err.class.too_large": ("提交的内容过大，没有被接收。", "What was sent is too large."),
    "err.class.busy": ("数据库正忙，请稍后重试。", "The database is busy; try again."),
    "err.class.store": (
        "数据库出错了，请稍后重试或联系管理员。",
        "The database failed; try again or ask the administrator.",
    ),
    "err.class.other": ("操作没有完成。", "That could not be done."),
    # the offline network export (viz/export.py); its legend's items are the app's (v.*)
    "exp.coverage": ("覆盖情况（企业颜色）", "Coverage (firm colour)"),
    "exp.kinds": ("节点类型", "Node kinds"),
    "exp.edges": ("连线", "Links"),
    "exp.SUPPLIES": (
        "供应关系（箭头由供应方指向采购方）",
        "supply link (arrow from supplier to customer)",
    ),
    "exp.SUPPLIES_AGG": (
        "跨区域供应关系（宽度表示供应关系条数）",
        "supply links between areas (width: how many)",
    ),
    "exp.ATTACHED": (
        "组织关系（建立、覆盖、指导、联盟、联络）",
        "organizational link (own, covers, guides, alliance, liaison)",
    ),
    "exp.group_hint": (
        "：每个网格或街道一个，大小表示企业数；颜色按覆盖率：≥90% 绿，80%–90% 黄，<80% 红",
        ": one per grid or street, size by number of firms; colour by coverage rate: "
        "≥90% green, 80–90% amber, <80% red",
    ),
    "exp.stats": (
        "范围 {scope} · 企业 {firms} 家 · 节点 {nodes} 个 · 连线 {edges} 条",
        "scope {scope} · {firms} firms · {nodes} nodes · {edges} links",
    ),
    "exp.aggregated": (
        "节点过多，企业已按{by}汇总显示；要查看明细，请按{by}单独导出。",
        "Too many nodes: firms are shown per {by}; export a single {by} for detail.",
    ),
    "exp.howto_title": ("操作", "How to use"),
    "exp.howto": (
        "滚轮缩放，拖动平移；鼠标悬停在节点或连线上查看详情，点击节点固定显示。",
        "Scroll to zoom, drag to pan; hover over a node or link for details, click a node to "
        "keep them here.",
    ),
    "exp.details_title": ("选中节点", "Selected node"),
    "exp.details_empty": ("点击一个节点查看详情。", "Click a node for its details."),
    "exp.footer": (
        "由 zonegraph 生成的离线文件，无需联网即可查看。"
        "网络图使用 vis-network {version}（Apache-2.0 或 MIT 许可）。",
        "Generated by zonegraph as an offline file: it needs no network. "
        "Drawn with vis-network {version} (Apache-2.0 or MIT licence).",
    ),
    "exp.title_zone": ("全区党建组织网络", "Party-building network of the zone"),
    "exp.title_firm": (
        "{name} 的供应链党建网络（{hops} 跳）",
        "Supply-chain party-building network around {name} ({hops} hops)",
    ),
    "exp.title_scope": ("{kind}“{value}”党建组织网络", "Party-building network of {kind} {value}"),
    # relationship types, as tooltips name them
    "rel.SUPPLIES": ("供应", "supplies"),
    "rel.OWN_ORG": ("自建党组织", "own organization"),
    "rel.COVERS": ("联合覆盖", "joint coverage"),
    "rel.GUIDES": ("指导", "guides"),
    "rel.MEMBER_OF": ("联盟成员", "alliance member"),
    "rel.LEADS": ("联盟牵头", "leads the alliance"),
    "rel.LIAISES": ("联络", "liaison"),
}
