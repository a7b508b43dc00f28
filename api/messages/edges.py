"""Empty states (``empty.``) and the phone layout (``mobile.``): what a page says when the
zone lacks a kind of record, the names of unfilled streets and grids, and the menu button.

Each empty state says what is missing and how to bring it in (the 导入 page, or
``zonegraph load`` with the file that holds it), in one sentence a viewer can pass on.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "empty.zone": (
        "区内还没有企业数据。请组织员在“导入”页面上传台账或 CSV 文件夹，"
        "或在命令行运行 zonegraph load 台账.xlsx。",
        "The zone has no firms yet. An organizer can upload a ledger or a CSV folder on the "
        "Import page, or run zonegraph load LEDGER.xlsx.",
    ),
    "empty.alliances": (
        "还没有党建联盟。请在“导入”页面上传含 alliances.csv 和 alliance_members.csv 的文件，"
        "或运行 zonegraph load，然后在这里规划联盟。",
        "There are no alliances yet. Upload alliances.csv and alliance_members.csv on the "
        "Import page, or run zonegraph load, then plan them here.",
    ),
    "empty.studios": (
        "还没有老书记工作室。请在“导入”页面上传 studios.csv（及其 coverage.csv 覆盖记录），"
        "或运行 zonegraph load。",
        "There are no old-secretary studios yet. Upload studios.csv (and its coverage.csv "
        "rows) on the Import page, or run zonegraph load.",
    ),
    "empty.liaisons": (
        "还没有联络员。请在“导入”页面上传 liaisons.csv，或在企业档案页逐个添加联络员。",
        "There are no liaisons yet. Upload liaisons.csv on the Import page, or add them one "
        "by one on a firm's profile.",
    ),
    "empty.supply": (
        "还没有供应链关系。请在“导入”页面上传 supply_links.csv，或运行 zonegraph load；"
        "联盟辐射和供应链网络都依赖它。",
        "There are no supply links yet. Upload supply_links.csv on the Import page, or run "
        "zonegraph load: alliance reach and the supply network depend on them.",
    ),
    "empty.orgs": (
        "还没有党组织。请在“导入”页面上传 party_orgs.csv 或台账，或运行 zonegraph load。",
        "There are no party organizations yet. Upload party_orgs.csv or a ledger on the "
        "Import page, or run zonegraph load.",
    ),
    "empty.audit": (
        "还没有操作记录：导入、修改或恢复数据后，每次写入都会记在这里。",
        "Nothing has been recorded yet: every import, edit or restore is listed here.",
    ),
    "empty.chart": ("没有可以绘制的企业。", "No firms to draw."),
    # Groups of firms whose street, grid, park or industry is not filled in.
    "empty.no_street": ("未填街道", "No street"),
    "empty.no_grid": ("未填网格", "No grid"),
    "empty.no_park": ("未填园区", "No park"),
    "empty.no_industry": ("未填行业", "No industry"),
    "empty.unfilled_hint": (
        "“未填街道”“未填网格”等组是档案中缺少该项的企业，可在企业档案页补填。",
        "Groups such as “No street” and “No grid” hold firms whose profile lacks that field; "
        "fill it in on the firm's profile.",
    ),
    # Phones: the menu button that opens the collapsed navigation.
    "mobile.menu": ("菜单", "Menu"),
    "mobile.menu_close": ("收起菜单", "Close menu"),
}
