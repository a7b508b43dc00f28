"""An organizer's ledger (台账) as it comes, loaded with no hand edits, gives the coverage a
plain reading of it gives; next quarter's ledger upserts over it; the zone goes back out as a
ledger that loads to the same graph; blank templates load back.

What we measured first: a 200-row ledger workbook (a merged title, a 填报单位 line, blank
lines, full-width digits, 是/√/× marks, 18 firms without a credit code, a 合计 and a 注 row,
the sheet named 2024年二季度) was refused as having "none of enterprises.csv, …"; once
renamed and hand-edited it loaded the firms but none of the party columns, so the dashboard
showed 0% coverage for a zone whose ledger says half the firms are covered.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_model.store.embedded import EmbeddedStore
from loaders.credit_code import CHARSET, check_character, generated_id
from loaders.imports import commit, prepare
from loaders.ledger_write import write_ledger
from queries.catalog import run_query
from tests.ledger_strategies import messy_ledgers, write_csv, write_xlsx

HEADER = [
    "序号",
    "企业名称\n（全称）",
    "统一社会信用代码",
    "所属街道",
    "所属社区",
    "网格",
    "行业",
    "从业人员数（人）",
    "党员数（名）",
    "经营状态",
    "是否单独\n建立党组织",
    "党组织名称",
    "组建方式",
    "覆盖方式",
    "党建指导员",
    "联络员",
    "是否重点企业",
    "备注",
]
JOINTS = (
    "安庆社区区域联合党支部",
    "汽配行业联合党支部",
    "物流行业党支部",
    "东风大街楼宇联合党支部",
)
JOINT_WORDS = ("区域联建", "联合组建", "行业统建", "楼宇合建")
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def code_for(n: int) -> str:
    """A well-formed credit code, a different one for each ``n``."""
    digits = ""
    for _ in range(9):
        n, digit = divmod(n, 31)
        digits = CHARSET[digit] + digits
    body = "91220101" + digits
    return body + check_character(body)


@dataclass
class Firm:
    name: str
    code: str | None
    closed: bool
    how: str  # own, joint, work, station, none
    members: int
    cells: list[Any] = field(default_factory=list)

    @property
    def ident(self) -> str:
        return self.code or generated_id(self.name)


def messy_ledger(path: Path, count: int = 200, seed: int = 7) -> list[Firm]:
    """A ledger workbook written as organizers write them; returns the firms it lists."""
    from openpyxl import Workbook

    rnd = random.Random(seed)
    book = Workbook()
    sheet = book.active
    sheet.title = "2024年二季度"
    sheet.append(["锦程街道非公企业党建工作台账（2024年二季度）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(["填报单位：锦程街道党工委", None, None, None, None, "填报时间：2024年6月30日"])
    sheet.append([])
    sheet.append(HEADER)
    firms = []
    hows = ["own"] * 50 + ["joint"] * 50 + ["work"] * 40 + ["station"] * 20 + ["none"] * 40
    rnd.shuffle(hows)
    for n in range(count):
        how = hows[n]
        firm = Firm(
            name=f"长春市{n:03d}号汽车配件有限公司",
            code=None if n % 11 == 5 else code_for(n),
            closed=n % 25 == 24,
            how=how,
            members=rnd.randint(0, 6),
        )
        yes, no = rnd.choice([("是", "否"), ("√", "×"), ("有", "无")])
        org = joint = words = instructor = None
        if how == "own":
            org, own, words, mode = f"{firm.name}党支部", yes, "单独组建", "组织覆盖"
        elif how == "joint":
            k = n % len(JOINTS)
            own, joint, words, mode = no, JOINTS[k], JOINT_WORDS[k], "组织覆盖"
        elif how == "work":
            own, mode = no, "工作覆盖"
            instructor = rnd.choice(["张伟", "李娜、王芳", "刘洋"])
        elif how == "station":
            own, mode = no, "工作覆盖"
        else:
            own, mode = no, rnd.choice(["未覆盖", "", "无"]) or None
        employees = str(rnd.randint(5, 500))
        members = str(firm.members)
        if n % 4 == 0:  # typed on a Chinese keyboard
            employees, members = employees.translate(FULL), members.translate(FULL)
        firm.cells = [
            n + 1,
            f" {firm.name} " if n % 9 == 0 else firm.name,
            firm.code,
            "锦程街道",
            rnd.choice(["安庆社区", "长青社区"]),
            f"第{rnd.randint(1, 4)}网格",
            rnd.choice(["汽车零部件", "物流", "商贸"]),
            employees,
            members,
            "注销" if firm.closed else rnd.choice(["在营", "存续"]),
            own,
            org or joint,
            words,
            mode,
            instructor,
            rnd.choice([None, None, "赵强"]),
            rnd.choice([yes, no, None]),
            None,
        ]
        sheet.append(firm.cells)
        if n % 37 == 36:
            sheet.append([])  # a blank line between blocks
        firms.append(firm)
    sheet.append(
        ["合计", None, None, None, None, None, None, None, str(sum(f.members for f in firms))]
    )
    sheet.append(["注：1. 党员数为正式党员数；2. 覆盖方式填写组织覆盖、工作覆盖或未覆盖。"])
    for k in range(6):
        book.create_sheet(f"Sheet{k + 2}")
    book.save(path)
    return firms


def plain_summary(firms: list[Firm]) -> dict[str, Any]:
    """The coverage a person reads off the ledger: own or joint organization, else party work
    (an instructor named, or 工作覆盖), else uncovered; closed firms count nowhere."""
    operating = [f for f in firms if not f.closed]
    own = [f for f in operating if f.how == "own"]
    org = [f for f in operating if f.how in ("own", "joint")]
    work = [f for f in operating if f.how in ("work", "station")]
    return {
        "operating": len(operating),
        "closed": len(firms) - len(operating),
        "own_org": len(own),
        "org_covered": len(org),
        "work_only": len(work),
        "uncovered": len(operating) - len(org) - len(work),
    }


def zonegraph(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}
    env["ZONEGRAPH_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_a_messy_ledger_loads_with_no_hand_edits_and_gives_its_coverage(tmp_path: Path) -> None:
    ledger = tmp_path / "锦程街道台账.xlsx"
    firms = messy_ledger(ledger)
    db = tmp_path / "zone.lbug"
    done = zonegraph(db, "load", str(ledger))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "lines 1–3 above the header were skipped" in done.stderr
    assert "'合计' is a totals row, not an enterprise; skipped" in done.stderr
    summary = json.loads(zonegraph(db, "query", "zone_summary", "-f", "json").stdout)[0]
    assert {k: summary[k] for k in plain_summary(firms)} == plain_summary(firms)
    assert summary["org_coverage_rate"] == pytest.approx(0.5, abs=0.05)  # "half are covered"
    uncovered = json.loads(zonegraph(db, "query", "uncovered", "-f", "json").stdout)
    assert sorted(r["id"] for r in uncovered) == sorted(
        f.ident for f in firms if f.how == "none" and not f.closed
    )
    assert sum(f.code is None for f in firms) == 18  # as in the ledger we measured with


def load(store: EmbeddedStore, path: Path, **options: Any) -> Any:
    """As `zonegraph load` does it."""
    prepared = prepare(store, path, kinds=("contract", "ledger"), **options)
    return prepared, commit(store, prepared)


def small_ledger(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(
        [
            "企业名称",
            "统一社会信用代码",
            "社区",
            "党员数",
            "组建方式",
            "党组织名称",
            "覆盖方式",
            "党建指导员",
            "联络员",
        ]
    )
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def coverage_of(store: EmbeddedStore, firm: str) -> list[tuple[str, str]]:
    zone = store.read()
    return sorted(
        (c["coverer_id"], c["mode"]) for c in zone.rows("coverage") if c["enterprise_id"] == firm
    )


def test_a_firm_adopts_its_code_with_all_its_relationships(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    v1 = small_ledger(
        tmp_path / "q1.xlsx",
        [
            ["甲公司", None, "安庆社区", 2, "区域联建", "安庆联合党支部", "组织覆盖", None, "王五"],
            ["乙公司", None, "安庆社区", 1, None, None, "工作覆盖", "张三", None],
        ],
    )
    load(embedded, v1)
    old = generated_id("甲公司")
    assert coverage_of(embedded, old) != []
    before = coverage_of(embedded, old)
    code = code_for(3)
    v2 = small_ledger(
        tmp_path / "q2.xlsx",
        [
            ["甲公司", code, "安庆社区", 2, "区域联建", "安庆联合党支部", "组织覆盖", None, "王五"],
            ["乙公司", None, "安庆社区", 1, None, None, "工作覆盖", "张三", None],
        ],
    )
    _, report = load(embedded, v2)
    assert report.renamed == [("enterprises", old, code)]
    firms = {r["id"]: r for r in embedded.read().rows("enterprises")}
    assert code in firms and old not in firms and len(firms) == 2
    assert coverage_of(embedded, code) == before
    liaisons = [li for li in embedded.read().rows("liaisons") if li["enterprise_id"] == code]
    assert [li["name"] for li in liaisons] == ["王五"]


def test_next_quarter_moves_coverage_and_reports_firms_it_leaves_out(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    a, b = code_for(1), code_for(2)
    load(
        embedded,
        small_ledger(
            tmp_path / "q1.xlsx",
            [
                ["甲公司", a, "安庆社区", 2, "区域联建", "安庆联合党支部", "组织覆盖", None, None],
                ["乙公司", b, "安庆社区", 1, None, None, "工作覆盖", "张三", None],
            ],
        ),
    )
    prepared, report = load(
        embedded,
        small_ledger(
            tmp_path / "q2.xlsx",
            [
                ["甲公司", a, "安庆社区", 2, "行业统建", "汽配行业党支部", "组织覆盖", None, None],
            ],
        ),
    )
    assert [c for c, _ in coverage_of(embedded, a)] == [
        next(o["id"] for o in embedded.read().rows("party_orgs") if o["name"] == "汽配行业党支部")
    ]
    assert len(prepared.notes) == 1 and "乙公司" in prepared.notes[0]
    assert b in {r["id"] for r in embedded.read().rows("enterprises")}  # reported, not removed
    assert coverage_of(embedded, b) != []  # and its coverage stays
    load(embedded, tmp_path / "q2.xlsx", replace=True)
    assert {r["id"] for r in embedded.read().rows("enterprises")} == {a}


def test_contradictions_in_the_coverage_column_are_warned_of_by_row(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    path = small_ledger(
        tmp_path / "q.xlsx",
        [
            ["甲公司", None, "安庆社区", 2, None, None, "组织覆盖", None, None],
            ["乙公司", None, "安庆社区", 1, "区域联建", "安庆联合党支部", "未覆盖", None, None],
        ],
    )
    prepared, _ = load(embedded, path)
    warned = [str(w) for w in prepared.warnings if "覆盖方式" in str(w)]
    assert warned == [
        "q.xlsx[台账]:2: warning: 覆盖方式: 'organization' says 组织覆盖, but the row gives the "
        "firm no organization (是否单独建立党组织, 组建方式 and 党组织名称)",
        "q.xlsx[台账]:3: warning: 覆盖方式: 'none' says 未覆盖, but the row names an "
        "organization or an instructor: counted as covered",
    ]


def test_ledger_load_export_load_gives_the_same_graph(tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    messy_ledger(ledger, count=60)
    first = EmbeddedStore(tmp_path / "a.lbug")
    load(first, ledger)
    out = tmp_path / "导出台账.xlsx"
    assert write_ledger(first.read(), out) == 60
    second = EmbeddedStore(tmp_path / "b.lbug")
    load(second, out)
    assert second.read() == first.read()
    _, again = load(first, out)  # and over the zone it came from, nothing changes
    assert again.written() == 0


def test_the_exported_ledger_is_what_organizers_hand_upward(
    tmp_path: Path, embedded: EmbeddedStore
) -> None:
    from openpyxl import load_workbook

    messy_ledger(tmp_path / "in.xlsx", count=20)
    load(embedded, tmp_path / "in.xlsx")
    write_ledger(embedded.read(), tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet["A1"].value == "非公企业党建工作台账" and "A1:T1" in {
        str(r) for r in sheet.merged_cells.ranges
    }
    assert sheet.freeze_panes == "A4"
    assert sheet["B3"].value == "企业名称" and sheet.column_dimensions["B"].width >= 30
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["K4"] == '"在营,注销"' and "区域联建" in lists["N4"]


@pytest.mark.parametrize("kind", ["ledger", "contract"])
def test_templates_load_back_without_error(tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.xlsx"
    db = tmp_path / "zone.lbug"
    assert zonegraph(db, "template", kind, str(out)).returncode == 0
    done = zonegraph(db, "load", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "problem" not in done.stderr


def test_a_zone_may_start_with_its_firms_only(tmp_path: Path) -> None:
    folder = tmp_path / "firms"
    folder.mkdir()
    (folder / "企业.csv").write_text(
        "企业名称,统一社会信用代码,所属街道\n甲公司,E1,锦程街道\n", encoding="utf-8"
    )
    done = zonegraph(tmp_path / "zone.lbug", "load", str(folder))
    assert done.returncode == 0, done.stderr
    assert "loaded: enterprises 1" in done.stderr


def test_what_a_file_is_is_read_off_its_columns(tmp_path: Path, embedded: EmbeddedStore) -> None:
    from loaders.imports import detect

    register = tmp_path / "登记信息.csv"
    register.write_text(
        "企业登记信息导出（2026-09-30）\n企业名称,统一社会信用代码,登记状态,法定代表人\n"
        f"甲公司,{code_for(1)},存续（在营、开业、在册）,张三\n",
        encoding="utf-8",
    )
    firms_only = tmp_path / "企业名单.csv"
    firms_only.write_text(
        f"企业名称,统一社会信用代码,所属街道,党员数\n甲公司,{code_for(1)},锦程街道,2\n",
        encoding="utf-8",
    )
    contract = tmp_path / "enterprises.csv"
    contract.write_text("id,name\nE1,甲公司\n", encoding="utf-8")
    assert (detect(register), detect(firms_only), detect(contract)) == (
        "register",
        "ledger",
        "contract",
    )
    prepared, _ = load(embedded, firms_only)  # a ledger of firms only starts a zone
    assert prepared.kind == "ledger"
    assert [r["party_members"] for r in embedded.read().rows("enterprises")] == [2]


def plain_coverage(plain: Any) -> dict[str, int]:
    """The coverage a person reads off a ledger's rows (closed firms count nowhere):

    organized — its own organization (是否单独建立党组织 = 是, or 单独组建), or a joint
    organization named under a joint 组建方式, or, when the ledger says neither how nor
    whether, any organization named; party work — an instructor named, or 工作覆盖.
    """
    joint = {
        "joint",
        "regional_joint",
        "industry",
        "industrial_chain",
        "leading_firm",
        "office_building",
    }
    out = {"operating": 0, "closed": 0, "org_covered": 0, "work_only": 0, "uncovered": 0}
    for row in plain.rows:
        if row.get("status") == "closed":
            out["closed"] += 1
            continue
        out["operating"] += 1
        formation, org = row.get("formation"), row.get("org_name")
        organized = (
            row.get("own_org") is True
            or formation == "own"
            or (formation in joint and bool(org))
            or (row.get("own_org") is None and formation is None and bool(org))
        )
        names = [n for n in re.split(r"[、，,；;/／\s]+", row.get("instructor") or "") if n]
        worked = bool(names) or row.get("coverage_mode") == "work"
        out["org_covered" if organized else "work_only" if worked else "uncovered"] += 1
    return out


@settings(
    max_examples=int(os.environ.get("ZONEGRAPH_TEST_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(out=messy_ledgers(max_rows=8), kind=st.sampled_from(["xlsx", "utf-8-sig", "gb18030"]))
def test_any_messy_ledger_gives_the_coverage_a_plain_reading_gives(
    tmp_path_factory: pytest.TempPathFactory, out: Any, kind: str
) -> None:
    folder = tmp_path_factory.mktemp("ledger")
    path = folder / ("台账.xlsx" if kind == "xlsx" else "台账.csv")
    if kind == "xlsx":
        write_xlsx(out, path)
    else:
        write_csv(out, path, encoding=kind)
    store = EmbeddedStore(folder / "zone.lbug", buffer_pool_mb=64)
    try:
        load(store, path)
        summary = run_query(store, "zone_summary")[0]
    finally:
        store.close()
    assert {k: summary[k] for k in plain_coverage(out.plain)} == plain_coverage(out.plain)
