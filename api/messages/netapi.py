"""The network API's strings: node and edge tooltips, notes and refusals of ``/api/graph*``
and ``/api/views`` (keys ``netapi.``)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # a firm's tooltip
    "netapi.id": ("编号 {id}", "id {id}"),
    "netapi.field": ("{name}：{value}", "{name}: {value}"),
    "netapi.coverage": ("覆盖状态", "coverage"),
    "netapi.cov.own": ("单独组建党组织", "own organization"),
    "netapi.cov.joint": ("联合党组织覆盖", "covered by a joint organization"),
    "netapi.cov.work": ("工作覆盖", "work coverage"),
    "netapi.cov.none": ("未覆盖", "uncovered"),
    "netapi.label.grid": ("网格", "grid"),
    "netapi.yes": ("是", "yes"),
    "netapi.no": ("否", "no"),
    # relationship kinds, as an edge's tooltip names them
    "netapi.rel.REPORTS_TO": ("隶属", "reports to"),
    "netapi.rel.OWN_ORG": ("单独建立党组织", "own party organization"),
    "netapi.rel.COVERS": ("组织覆盖", "organizational coverage"),
    "netapi.rel.GUIDES": ("工作覆盖（指导）", "work coverage (guides)"),
    "netapi.rel.HOSTED_BY": ("依托服务站", "hosted by the station"),
    "netapi.rel.IN_GRID": ("所在网格", "in grid"),
    "netapi.rel.SUPPLIES": ("供应", "supplies"),
    "netapi.rel.MEMBER_OF": ("联盟成员", "alliance member"),
    "netapi.rel.LEADS": ("联盟龙头企业", "leads the alliance"),
    "netapi.rel.LIAISES": ("联络", "liaison"),
    "netapi.edge": ("{src} → {dst}：{rel}", "{src} → {dst}: {rel}"),
    "netapi.edge.links": ("{a} ↔ {b}：{n} 条供应链关系", "{a} ↔ {b}: {n} supply links"),
    # aggregate nodes and notes
    "netapi.group": (
        "{name}\n{firms} 家企业，其中未覆盖 {uncovered} 家，覆盖率 {rate}",
        "{name}\n{firms} firms, {uncovered} uncovered, coverage {rate}",
    ),
    "netapi.group.name": ("{name}（{firms}家）", "{name} ({firms} firms)"),
    "netapi.others": ("其他", "others"),
    "netapi.by.grid": ("网格", "grid"),
    "netapi.by.street": ("街道", "street"),
    "netapi.note.cap": (
        "共 {firms} 家企业，超过 {cap} 个节点的上限：按{by}汇总显示，点击汇总节点可展开。",
        "{firms} firms exceed the cap of {cap} nodes: firms are shown per {by}; "
        "click one to open it.",
    ),
    "netapi.note.detail_cap": (
        "{firms} 家企业和 {others} 个其他单位，超过 {cap} 个节点的上限：按{by}汇总显示，"
        "点击汇总节点可展开。",
        "{firms} firms and {others} other units exceed the cap of {cap} nodes: firms are "
        "shown per {by}; click one to open it.",
    ),
    "netapi.note.reach": (
        "共 {firms} 家企业，超过 {cap} 个节点的上限：联盟成员和龙头企业逐一显示，"
        "其余企业按{by}汇总，点击汇总节点可展开。",
        "{firms} firms exceed the cap of {cap} nodes: members and the leading firm are drawn, "
        "the other firms are shown per {by}; click one to open it.",
    ),
    "netapi.note.firm_reach": (
        "共 {firms} 家企业，超过 {cap} 个节点的上限：{name} 单独显示，其余企业按{by}汇总，"
        "点击汇总节点可展开。",
        "{firms} firms exceed the cap of {cap} nodes: {name} is drawn, the other firms are "
        "shown per {by}; click one to open it.",
    ),
    "netapi.note.links": (
        "只画出最强的 {shown} 条汇总连线（共 {total} 条）。",
        "Only the {shown} heaviest of {total} aggregated links are drawn.",
    ),
    "netapi.note.largest": (
        "共 {firms} 家企业，超过 {cap} 个节点的上限：显示按{size_by}最大的 {shown} 家；"
        "网格名单中有全部企业。",
        "{firms} firms exceed the cap of {cap} nodes: the {shown} largest by {size_by} are "
        "shown; the list of the grid has them all.",
    ),
    "netapi.note.neighbors": (
        "共 {n} 个相邻节点，超过上限 {cap}：显示规模最大的 {cap} 个，另有 {left} 个未显示。",
        "{n} neighbours exceed the cap of {cap}: the {cap} largest are shown, {left} left out.",
    ),
    "netapi.note.uncovered": (
        "{name} 未被任何党组织、工作室或指导员覆盖。",
        "{name} is not covered by any party organization, studio or instructor.",
    ),
    # refusals
    "netapi.no_firm": ("没有编号为 {id} 的在营企业。", "There is no operating firm {id}."),
    "netapi.no_node": ("没有编号为 {id} 的节点。", "There is no node {id}."),
    "netapi.no_path": (
        "{source} 与 {target} 之间在 {hops} 步供应链关系内没有路径。",
        "No supply path between {source} and {target} within {hops} links.",
    ),
    "netapi.bad_rels": (
        "rels：{rels} 不是关系类型（可选：{known}）。",
        "rels: {rels} is not a relationship type (one of {known}).",
    ),
    "netapi.no_view": ("没有名为 {name} 的已保存视图。", "There is no saved view {name}."),
    "netapi.view_owner": (
        "视图 {name} 属于 {owner}，只有其本人或管理员可以修改或删除。",
        "The view {name} belongs to {owner}: only they or an admin may change or delete it.",
    ),
    "netapi.view_size": (
        "视图状态最多 {kb} KB，收到 {got} KB。",
        "A view's state may hold at most {kb} KB; this one holds {got} KB.",
    ),
    "netapi.view_name": (
        "视图名称须为 1–80 个字符，且不含 /。",
        "A view's name is 1–80 characters without /.",
    ),
}
