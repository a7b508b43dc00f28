"""The zone back out as an organizer's ledger (台账), and a blank ledger to fill in.

:func:`ledger_rows` reads, for each firm, what :mod:`loaders.ledger_graph` would make of a
ledger row — so ledger → load → export → load gives the same graph:

* 是否单独建立党组织 and 党组织名称 from the firm's own organization; else 党组织名称 and
  组建方式 from the organization covering it;
* 覆盖方式: 组织覆盖 with an organization, 工作覆盖 with party work only, else 未覆盖;
* 党建指导员: the instructors and studios guiding it (a station's work shows as 工作覆盖
  with no name, which loads back as the firm's community station);
* 联络员: its liaisons; 统一社会信用代码: the firm's id when it is a valid code (a firm still
  without one is found again by its name).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from graph_model.mapping import Row, Zone
from loaders.credit_code import is_valid
from loaders.workbook_out import Column, SheetSpec, add_sheet, new_book

#: Organizers' words for a joint organization's formation (None: 联合组建).
FORMATION_WORDS = {
    "own": "单独组建",
    None: "联合组建",
    "regional_joint": "区域联建",
    "industry": "行业统建",
    "industrial_chain": "产业联建",
    "leading_firm": "龙头领建",
    "office_building": "楼宇合建",
}
YES, NO = "是", "否"

#: The ledger's columns as organizers hand them upward: (field, header, width, choices, note).
LEDGER_COLUMNS: tuple[tuple[str, Column], ...] = (
    ("seq", Column("序号", 6, note="行号，导入时忽略。")),
    ("name", Column("企业名称", 32, note="必填。企业全称。")),
    (
        "credit_code",
        Column(
            "统一社会信用代码",
            22,
            note="18 位，按 GB 32100-2015 校验。暂无代码的企业可留空，以企业名称识别，"
            "代码补录后自动迁移。",
        ),
    ),
    ("street", Column("所属街道", 14)),
    ("community", Column("社区", 14)),
    ("grid", Column("网格", 16)),
    ("park", Column("园区", 14)),
    ("industry", Column("行业", 14, note="本单位掌握的行业分类（不被工商登记行业覆盖）。")),
    ("employees", Column("从业人员数（人）", 10, note="整数。")),
    ("party_members", Column("党员数（人）", 10, note="整数。正式党员 3 名以上应单独建立党组织。")),
    ("status", Column("经营状态", 10, ("在营", "注销"))),
    ("own_org", Column("是否单独建立党组织", 12, (YES, NO))),
    ("org_name", Column("党组织名称", 28, note="本企业党组织，或覆盖本企业的联合党组织名称。")),
    ("formation", Column("组建方式", 12, tuple(FORMATION_WORDS.values()))),
    ("coverage_mode", Column("覆盖方式", 12, ("组织覆盖", "工作覆盖", "未覆盖"))),
    (
        "instructor",
        Column("党建指导员", 16, note="姓名或老书记工作室名称；多人用顿号“、”分隔。"),
    ),
    ("liaison", Column("联络员", 14, note="“1+1+5”联络员姓名；多人用顿号“、”分隔。")),
    ("star", Column("星级", 8, ("0", "1", "2", "3", "4", "5"), "0–5 星。")),
    ("key_firm", Column("是否重点企业", 10, (YES, NO))),
    ("remark", Column("备注", 20)),
)
TITLE = "非公企业党建工作台账"


def _yes(value: bool | None) -> str | None:
    return None if value is None else (YES if value else NO)


class _Index:
    """The zone's organizations, coverers and liaisons, by the firm they touch."""

    def __init__(self, zone: Zone) -> None:
        self.orgs = {r["id"]: r for r in zone.rows("party_orgs")}
        names: dict[str, str] = {}
        for table in ("studios", "instructors"):
            names.update((r["id"], r["name"]) for r in zone.rows(table))
        self.guide_names = names
        self.own: dict[str, Row] = {}
        for org in zone.rows("party_orgs"):
            if org.get("enterprise_id"):
                self.own.setdefault(org["enterprise_id"], org)
        self.covering: dict[str, list[Row]] = {}
        self.guiding: dict[str, list[str]] = {}
        for c in zone.rows("coverage"):
            if c["mode"] == "organization" and c["coverer_id"] in self.orgs:
                self.covering.setdefault(c["enterprise_id"], []).append(self.orgs[c["coverer_id"]])
            elif c["mode"] == "work":
                self.guiding.setdefault(c["enterprise_id"], []).append(c["coverer_id"])
        self.liaisons: dict[str, list[str]] = {}
        for li in zone.rows("liaisons"):
            self.liaisons.setdefault(li["enterprise_id"], []).append(li.get("name") or "")


def ledger_rows(zone: Zone) -> list[dict[str, Any]]:
    """One ledger row (field → value as a person writes it) per firm, in id order."""
    index = _Index(zone)
    out = []
    for n, firm in enumerate(sorted(zone.rows("enterprises"), key=lambda r: r["id"]), start=1):
        ident = firm["id"]
        own = index.own.get(ident)
        covering = sorted(index.covering.get(ident, []), key=lambda o: o["id"])
        org = own or (covering[0] if covering else None)
        guiding = sorted(index.guiding.get(ident, []))
        guides = [index.guide_names[g] for g in guiding if g in index.guide_names]
        mode = "组织覆盖" if org else "工作覆盖" if guiding else "未覆盖"
        formation = None
        if org is not None:
            formation = FORMATION_WORDS.get("own" if own else org.get("formation"))
        out.append(
            {
                "seq": n,
                "name": firm["name"],
                "credit_code": ident if is_valid(ident) else None,
                "street": firm.get("street"),
                "community": firm.get("community"),
                "grid": firm.get("grid"),
                "park": firm.get("park"),
                "industry": firm.get("industry"),
                "employees": firm.get("employees"),
                "party_members": firm.get("party_members"),
                "status": "注销" if firm.get("status") == "closed" else "在营",
                "own_org": YES if own else NO,
                "org_name": org["name"] if org else None,
                "formation": formation,
                "coverage_mode": mode,
                "instructor": "、".join(sorted(guides)) or None,
                "liaison": "、".join(sorted(n for n in index.liaisons.get(ident, []) if n)) or None,
                "star": firm.get("star"),
                "key_firm": _yes(firm.get("key_firm")),
                "remark": None,
            }
        )
    return out


def _spec(rows: list[dict[str, Any]], title: str) -> SheetSpec:
    today = dt.date.today().isoformat()
    return SheetSpec(
        name="台账",
        columns=[column for _, column in LEDGER_COLUMNS],
        rows=[[r.get(f) for f, _ in LEDGER_COLUMNS] for r in rows],
        title=title,
        subtitle=f"填报单位：                    填报时间：{today}",
    )


def write_ledger(zone: Zone, path: Path, *, title: str = TITLE) -> int:
    """Write the zone as a one-sheet ledger workbook; returns the number of firms."""
    rows = ledger_rows(zone)
    book = new_book()
    add_sheet(book, _spec(rows, title))
    book.save(path)
    return len(rows)


def write_ledger_template(path: Path, *, title: str = TITLE) -> None:
    """A blank ledger: the same columns, notes and dropdowns, no rows."""
    book = new_book()
    add_sheet(book, _spec([], title))
    book.save(path)
