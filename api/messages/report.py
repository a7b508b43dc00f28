"""The rates' names, the quarterly report's and the snapshots' strings (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # one name per rate of queries/rates.py (rate.<key>), and what each counts
    "rate.coverage": ("两个覆盖率", "Two-coverage rate"),
    "rate.org_coverage": ("组织覆盖率", "Organizational coverage rate"),
    "rate.own_org": ("单独组建率", "Own-organization rate"),
    "rate.coverage.def": (
        "有组织覆盖或工作覆盖的在营企业 ÷ 在营企业",
        "operating firms with an organization or party work ÷ operating firms",
    ),
    "rate.org_coverage.def": (
        "单独组建或联合覆盖的在营企业 ÷ 在营企业",
        "operating firms with their own or a joint organization ÷ operating firms",
    ),
    "rate.own_org.def": (
        "单独建立党组织的在营企业 ÷ 在营企业",
        "operating firms with their own organization ÷ operating firms",
    ),
    "rate.sort": ("排序依据", "Sort by"),
    "rate.sort_go": ("排序", "Sort"),
    "rate.chart_note": (
        "条形为在营企业构成；右侧数字为{rate}，按{rate}由低到高排列",
        "Bars split each street's operating firms; the figure is the {rate}, lowest first",
    ),
    # snapshots and trends
    "snap.trend": ("覆盖率走势", "Rates over time"),
    "snap.trend_note": (
        "每天取最后一次快照（都在同一天时按小时或分钟取，时间为 UTC）；"
        "每次写入数据和 zonegraph snapshot 都会留下快照",
        "The last snapshot of each day (of each hour or minute when all fall on one day; "
        "times in UTC); every write and `zonegraph snapshot` takes one",
    ),
    "snap.none": (
        "还没有两次以上的快照，暂无走势",
        "Fewer than two snapshots so far: no trend yet",
    ),
    "snap.since": ("对比基准", "Compared with"),
    "snap.no_baseline": ("无更早的快照", "no earlier snapshot"),
    # the report
    "nav.report": ("季度报告", "Report"),
    "report.title": ("党建工作季度报告", "Quarterly party-building report"),
    "report.generated": ("生成时间（UTC）", "Generated (UTC)"),
    "report.print": ("打印 / 另存为 PDF", "Print / save as PDF"),
    "report.since_label": ("对比日期", "Compare with date"),
    "report.apply": ("更新", "Update"),
    "report.rates": ("一、覆盖率及变化", "1. Rates and their change"),
    "report.rate": ("指标", "Rate"),
    "report.now": ("本期", "Now"),
    "report.then": ("基准", "Then"),
    "report.change": ("变化", "Change"),
    "report.definition": ("口径", "Definition"),
    "report.counts": (
        "在营企业 {operating} 家（已注销 {closed} 家）：单独组建 {own}，联合覆盖 {joint}，"
        "仅工作覆盖 {work}，未覆盖 {none}",
        "{operating} operating firms ({closed} closed): own organization {own}, joint "
        "{joint}, work only {work}, uncovered {none}",
    ),
    "report.gaps": ("二、各街道覆盖缺口", "2. Gaps by street"),
    "report.street": ("街道", "Street"),
    "report.firms": ("在营企业", "Operating firms"),
    "report.uncovered": ("未覆盖", "Uncovered"),
    "report.uncovered_change": ("未覆盖变化", "Change in uncovered"),
    "report.no_street": ("未填街道", "no street"),
    "report.rules": ("三、制度落实检查", "3. Rule checks"),
    "report.rule": ("检查项", "Check"),
    "report.flagged": ("需关注", "Flagged"),
    "report.rows": ("条目", "Rows"),
    "report.studios": ("四、老书记工作室与联络员", "4. Studios and liaisons"),
    "report.studios_below": (
        "{n} 个工作室指导不足 {m} 家（共 {total} 个）",
        "{n} of {total} studios guide fewer than {m} firms",
    ),
    "report.liaisons_off": (
        "{n} 名联络员联系企业不是 5 家（共 {total} 名）",
        "{n} of {total} liaisons do not liaise with 5 firms",
    ),
    "report.alliances": ("五、党建联盟", "5. Alliances"),
    "report.no_alliances": ("本区尚未建立党建联盟", "The zone has no alliances yet"),
    "report.no_studios": ("本区尚无老书记工作室", "The zone has no studios yet"),
    "report.no_liaisons": ("本区尚无联络员", "The zone has no liaisons yet"),
    "report.reach1": ("一跳可达企业", "Firms within 1 hop"),
    "report.reach1_uncovered": ("其中未覆盖", "of them uncovered"),
    "report.footer": (
        "由 zonegraph 根据图数据库中的数据生成；覆盖率口径见第一部分",
        "Made by zonegraph from the graph database; the rates are defined in part 1",
    ),
}
