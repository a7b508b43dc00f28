"""The map page's strings (``map.``), and its entry in the navigation (``nav.map``)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.map": ("地图", "Map"),
    "map.title": ("企业地图", "Firm map"),
    "map.intro": (
        "按经纬度标注在营企业，颜色表示覆盖情况；街道和网格轮廓由其企业的位置围成。",
        "Operating firms at their coordinates, coloured by coverage; street and grid outlines "
        "are drawn around their firms' positions.",
    ),
    "map.street": ("街道", "Street"),
    "map.coverage": ("覆盖情况", "Coverage"),
    "map.all": ("全部", "all"),
    "map.fit": ("显示全部", "Fit all"),
    "map.canvas": ("企业分布地图", "Map of the firms"),
    "map.summary": (
        "地图上 {total} 家企业，当前视野 {in_view} 家",
        "{total} firms on the map, {in_view} in view",
    ),
    "map.binned": (
        "视野内 {n} 家企业超过显示上限（{cap} 家），已按位置汇总为 {groups} 个圆圈；"
        "放大地图或点击圆圈查看单个企业。",
        "{n} firms in view are more than the map draws ({cap}): they are grouped by place "
        "into {groups} circles; zoom in or click a circle to see single firms.",
    ),
    "map.cluster": ("{n} 家企业", "{n} firms"),
    "map.cluster_split": (
        "单独组建 {own}，联合覆盖 {joint}，工作覆盖 {work}，未覆盖 {uncovered}",
        "own {own}, joint {joint}, work {work}, uncovered {uncovered}",
    ),
    "map.outline": ("{name}（{n} 家企业）", "{name} ({n} firms)"),
    "map.no_firms": ("没有符合条件、标有坐标的企业。", "No firm with coordinates matches."),
    "map.placeless": ("{n} 家企业无坐标", "{n} firms have no coordinates"),
    "map.placeless_hint": (
        "这些企业没有经纬度，未在地图上标注；在企业台账中补填“纬度”“经度”后重新导入即可。",
        "These firms have no latitude or longitude and are not on the map; fill in the "
        "ledger's latitude and longitude columns and import it again.",
    ),
    "map.placeless_more": ("另有 {n} 家未列出", "{n} more not listed"),
    "map.legend": ("图例", "Legend"),
    "map.legend_outlines": (
        "彩色实线：街道轮廓（按网格分块围成）；灰色虚线：网格轮廓（放大后显示网格名称）",
        "Coloured lines: streets (drawn grid by grid); grey dashes: grids (their names show "
        "when zoomed in)",
    ),
    "map.legend_clusters": (
        "带数字的圆圈：汇总的企业数，颜色为其中最多的覆盖情况",
        "Circles with a number: firms grouped by place, coloured by their commonest coverage",
    ),
    "map.click_hint": ("点击企业打开其档案。", "Click a firm to open its profile."),
    "map.zoom_in": ("放大", "Zoom in"),
    "map.zoom_out": ("缩小", "Zoom out"),
}
