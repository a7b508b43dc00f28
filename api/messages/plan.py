"""The alliance planner's strings and the plans' notes (``plan.``), Chinese first."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # notes the planning queries return (queries.notes.Note carries the key and values)
    "note.plan.recruits_short": (
        "只有 {n} 家企业加入后能把新的企业带入辐射范围",
        "only {n} firm(s) would bring any firm into reach",
    ),
    "note.plan.sampled": (
        "共 {n} 家企业：中介中心性由 {k} 个抽样起点估算（固定随机种子）；缩小范围可得精确值",
        "{n} firms: betweenness estimated from {k} sampled sources (fixed seed); "
        "narrow the scope for exact scores",
    ),
    # the alliances page
    "plan.reach_sum": (
        "{hops} 层供应链内共 {n} 家企业（按距离加权 {w} 家），其中 {u} 家未覆盖",
        "{n} firms within {hops} hop(s) ({w} weighted by distance), {u} of them uncovered",
    ),
    "plan.reach_direct": (
        "直接供应链伙伴（1 层）{n} 家；距离为 d 的企业加权计 1/d 家",
        "Direct supply partners (1 hop): {n}; a firm d links away counts 1/d when weighted",
    ),
    "plan.hops_hint": (
        "默认 1 层：层数越多，各联盟的辐射范围越相近",
        "1 hop by default: the more hops, the more alike every alliance's reach looks",
    ),
    "plan.overlap_weighted": ("按距离加权相似度", "weighted Jaccard"),
    "plan.others_left_out": (
        "其他联盟的成员和牵头企业不列为候选",
        "Members and leading firms of other alliances are not proposed",
    ),
    # the what-if panel
    "plan.compare.touched": ("本次变更涉及的联盟辐射范围", "the reach the change touches"),
    "plan.net.entered": (
        "+{n} 家企业进入辐射范围，其中 {u} 家未覆盖",
        "+{n} firms in reach, of which {u} uncovered",
    ),
    "plan.net.left": (
        "−{n} 家企业离开辐射范围，其中 {u} 家未覆盖",
        "−{n} firms out of reach, of which {u} uncovered",
    ),
    "plan.net.joined": (
        "{n} 家企业成为联盟成员（不再计入辐射范围）",
        "{n} firm(s) became members (no longer counted in reach)",
    ),
    "plan.net.closer": ("{n} 家企业距离缩短", "{n} firm(s) now fewer links away"),
    "plan.net.farther": ("{n} 家企业距离变远", "{n} firm(s) now more links away"),
    "plan.net.covered": ("{n} 家企业由未覆盖变为已覆盖", "{n} firm(s) now covered"),
    "plan.net.uncovered": ("{n} 家企业由已覆盖变为未覆盖", "{n} firm(s) no longer covered"),
    "plan.net.none": ("辐射范围没有变化", "The reach does not change"),
    "plan.net.title": ("净变化", "Net change"),
    "plan.rows_title": ("逐行变化（− 变更前，+ 变更后）", "Row by row (− before, + after)"),
    "plan.try_running": ("正在试算 {firm} 加入 {alliance}…", "Trying {firm} in {alliance}…"),
    "col.new_in_reach": ("带入辐射范围企业数", "new in reach"),
    "col.sample_ids": ("示例企业", "for example"),
    "col.weighted": ("加权企业数", "weighted"),
    "col.weighted_jaccard": ("加权相似度", "weighted Jaccard"),
}
