"""Reading organizers' ledgers (台账) as they keep them: every firm's row back, faithfully.

Known answers for each behaviour (the header found under titles, header and cell words,
totals and notes skipped with warnings, merges, sheets, mappings, every problem located), a
200-row workbook as a street keeps one, and a property: a ledger drawn as plain facts and
rendered with all the mess (:mod:`tests.ledger_strategies`) reads back as exactly those facts.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_model.errors import Problem, ValidationFailed
from loaders.cells import CellError
from loaders.ledger_fields import HEADER_VARIANTS, PARTY_FIELDS, field_of, parse_value
from loaders.ledger_mapping import load_mapping, mapping_of
from loaders.ledger_read import FIELDS, LedgerMapping, looks_like_ledger, read_header, read_ledger
from loaders.xlsx import Workbook, apply_merges, read_cells
from tests.ledger_strategies import Rendering, expected, messy_ledgers, write_csv, write_xlsx
from tests.zones import small_zone

SETTINGS = settings(
    max_examples=int(os.environ.get("ZONEGRAPH_TEST_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
HEADER = [
    "序号", "企业名称", "统一社会信用代码", "所属街道", "社区", "网格", "行业", "从业人员数（人）",
    "党员数", "经营状态", "是否单独建立党组织", "党组织名称", "组建方式", "覆盖方式", "党建指导员",
    "联络员", "星级", "是否重点企业", "备注",
]  # fmt: skip
PARTY = ("party_members", "own_org", "org_name", "formation", "coverage_mode", "instructor")
CODE = "91350100M000100Y43"  # a published code, its check character right


def refused(call: Callable[[], object]) -> list[str]:
    """Every problem ``call`` is refused with, as text."""
    with pytest.raises(ValidationFailed) as info:
        call()
    return [str(p) for p in info.value.problems]


def texts(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def book(
    path: Path, sheets: Mapping[str, Sequence[Any]], merges: dict[str, list[str]] | None = None
) -> Path:
    """A workbook of sheets given row by row (None leaves a cell empty)."""
    from openpyxl import Workbook as NewBook

    wb = NewBook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        sheet = wb.create_sheet(title)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=i, column=j, value=value)
        for ref in (merges or {}).get(title, []):
            sheet.merge_cells(ref)
    wb.save(path)
    return path


def csv_file(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("".join(line + "\r\n" for line in lines).encode(encoding))
    return path


# --- a street's 200-row workbook -------------------------------------------------------------


def street_rows(count: int) -> list[list[Any]]:
    """A street's ledger rows as typed over the years: every kind of mess, firm by firm."""
    marks = ("是", "√", "×", "否", " 是 ", "✓", None)
    rows: list[list[Any]] = []
    for i in range(1, count + 1):
        coded = i % 3 != 0
        rows.append(
            [
                i
                if i % 7
                else str(i).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
                f"长春市汽配{i:03d}有限公司" + (" " if i % 5 == 0 else ""),
                _code(i) if coded else None,
                "锦程街道",
                "东风社区" if i % 2 else "锦华\u3000社区",
                f"G{i % 4 + 1}",
                "汽车零部件",
                f"{i * 3}人" if i % 4 == 0 else "１２０" if i % 4 == 1 else i * 3,
                i % 6,
                "在营" if i % 10 else "注销",
                marks[i % len(marks)],
                f"汽配{i:03d}党支部" if i % 2 else None,
                "单独组建" if i % 2 else "区域联建" if i % 4 == 0 else None,
                "组织覆盖" if i % 4 in (0, 1, 3) else "工作覆盖",
                "张三" if i % 3 else None,
                "李四" if i % 11 == 0 else None,
                ["★★★", "三星级", "未评", 4, "五星级", "—"][i % 6],
                "√" if i % 9 == 0 else "×",
                "新入库" if i % 50 == 0 else None,
            ]
        )
    return rows


def _code(i: int) -> str:
    from loaders.credit_code import check_character

    first17 = f"91220101MA{i:07d}"
    return first17 + check_character(first17)


def street_workbook(path: Path, count: int = 200) -> Path:
    """The workbook: a merged title, a 填报单位 line, a blank line, the header, ``count``
    firms with blank lines among them, a 合计 row with formulas and a 注 line; empty sheets."""
    rows = street_rows(count)
    top = [
        ["2024年二季度非公企业党建台账"],
        ["填报单位：锦程街道", None, None, None, None, "填报时间：2024年7月10日"],
        [],
    ]
    body = rows[:100] + [[]] + rows[100:150] + [[], []] + rows[150:]
    last = len(top) + 1 + len(body)
    total = ["合计", None, None, None, None, None, None, f"=SUM(H5:H{last})", f"=SUM(I5:I{last})"]
    note = ["注：1.“是否单独建立党组织”填√或×；2.星级以2023年评定为准。"]
    sheets = {"2024年二季度": [*top, HEADER, *body, total, note], "Sheet2": [], "Sheet3": []}
    merges = {"2024年二季度": ["A1:S1", f"A{last + 1}:C{last + 1}", f"A{last + 2}:S{last + 2}"]}
    return book(path, sheets, merges)


def test_a_messy_200_row_workbook_reads_with_no_hand_edits(tmp_path: Path) -> None:
    path = street_workbook(tmp_path / "台账.xlsx")
    ledger = read_ledger(path)
    assert (ledger.source, ledger.sheet, ledger.header_line) == (
        "台账.xlsx[2024年二季度]",
        "2024年二季度",
        4,
    )
    assert len(ledger.rows) == 200
    assert set(PARTY) | {"star", "liaison", "key_firm"} <= set(ledger.columns.values())
    assert ledger.columns["序号"] is None and ledger.columns["备注"] is None
    assert ledger.rows[0].line == 5 and ledger.rows[100].line == 106 and ledger.rows[-1].line == 207
    assert ledger.rows[0].values == {
        "name": "长春市汽配001有限公司",
        "credit_code": _code(1),
        "street": "锦程街道",
        "community": "东风社区",
        "grid": "G2",
        "industry": "汽车零部件",
        "employees": 120,
        "party_members": 1,
        "status": "operating",
        "own_org": True,
        "org_name": "汽配001党支部",
        "formation": "own",
        "coverage_mode": "organization",
        "instructor": "张三",
        "liaison": None,
        "star": 3,
        "key_firm": False,
    }
    by_line = {row.line: row.values for row in ledger.rows}
    firm6, firm8, firm9 = by_line[10], by_line[12], by_line[13]
    assert (firm6["credit_code"], firm6["community"], firm6["star"]) == (None, "锦华 社区", 3)
    assert (firm6["own_org"], firm6["employees"], firm6["formation"]) == (None, 18, None)
    assert (firm8["employees"], firm8["own_org"], firm8["formation"]) == (
        24,
        True,
        "regional_joint",
    )
    assert (firm8["star"], firm9["star"], firm9["own_org"], firm9["key_firm"]) == (
        None,
        4,
        False,
        True,
    )
    assert by_line[11]["name"] == "长春市汽配007有限公司"  # its 序号 in full-width digits
    assert by_line[9]["name"] == "长春市汽配005有限公司"  # typed with a trailing space
    assert by_line[207]["status"] == "closed" and by_line[207]["key_firm"] is False
    assert sum(1 for v in by_line.values() if v["credit_code"] is None) == 66
    assert texts(ledger.warnings) == [
        "台账.xlsx: warning: sheet 'Sheet2' was not read: it is empty",
        "台账.xlsx: warning: sheet 'Sheet3' was not read: it is empty",
        "台账.xlsx[2024年二季度]: warning: lines 1–3 above the header were skipped: "
        "2024年二季度非公企业党建台账 / 填报单位：锦程街道 填报时间：2024年7月10日",
        "台账.xlsx[2024年二季度]:208: warning: '合计' is a totals row, not an enterprise; skipped",
        "台账.xlsx[2024年二季度]:209: warning: '注：1.“是否单独建立党组织”填√或×；2.星级以2023年"
        "评定为准。' is a note, not an enterprise; skipped",
    ]
    assert looks_like_ledger(path)


# --- header and cell words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("企业名称", "name"),
        ("企业（单位）名称", "name"),
        ("企业名称\n（全称）", "name"),
        ("*企业名称（必填）", "name"),
        ("名称", "name"),
        ("党组织名称", "org_name"),
        ("所在党组织", "org_name"),
        ("统一社会信用代码", "credit_code"),
        ("社会统一信用代码", "credit_code"),
        ("从业人员数（人）", "employees"),
        ("从业\n人员数", "employees"),
        ("人 数(人)", "employees"),
        ("党员数（名）", "party_members"),
        ("正式党员数", "party_members"),
        ("是否建立党组织（是/否）", "own_org"),
        ("是否单独建立党组织", "own_org"),
        ("组建形式", "formation"),
        ("两个覆盖情况", "coverage_mode"),
        ("党建工作指导员", "instructor"),
        ("联系人（“1+1+5”）", "liaison"),
        ("联系人(1+1+5)", "liaison"),
        ("星级评定", "star"),
        ("是否重点企业", "key_firm"),
        ("登记状态", "status"),
        ("所属街道", "street"),
        ("所在社区", "community"),
        ("所属网格", "grid"),
        ("所属园区", "park"),
        ("所属行业", "industry"),
        ("序号", "seq"),
        ("ＮＯ.", "seq"),
        ("备注", "remark"),
        # Left unrecognised on purpose (see loaders.ledger_fields).
        ("联系人", None),
        ("编号", None),
        ("是否规上企业", None),
        ("法定代表人", None),
        ("注册资本（万元）", None),
    ],
)
def test_header_cells_match_their_fields(header: str, field: str | None) -> None:
    assert field_of(header) == field


def test_every_listed_variant_names_its_field_and_only_it() -> None:
    assert set(HEADER_VARIANTS) == set(FIELDS)
    for name, variants in HEADER_VARIANTS.items():
        assert [field_of(v) for v in variants] == [name] * len(variants)


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("name", "  长春市\u3000某某  有限公司 ", "长春市 某某 有限公司"),
        ("credit_code", " 91350100m000100y43 ", CODE),
        ("credit_code", "９１３５０１００Ｍ０００１００Ｙ４３", CODE),
        ("credit_code", "暂无", None),
        ("credit_code", "—", None),
        ("org_name", "无", None),
        ("employees", "１２０", 120),
        ("employees", "1,234人", 1234),
        ("employees", "35 名", 35),
        ("party_members", "0", 0),
        ("status", "存续（在营、开业、在册）", "operating"),
        ("status", "在业", "operating"),
        ("status", "吊销，未注销", "closed"),
        ("status", "迁出", "closed"),
        ("own_org", "√", True),
        ("own_org", "×", False),
        ("own_org", "已建", True),
        ("own_org", "未建", False),
        ("own_org", "Ｙ", True),
        ("key_firm", "无", False),
        ("key_firm", "true", True),
        ("formation", "单独组建", "own"),
        ("formation", "联建", "joint"),
        ("formation", "产业链联建", "industrial_chain"),
        ("formation", "龙头带建", "leading_firm"),
        ("formation", "楼宇联建", "office_building"),
        ("formation", "行业统建", "industry"),
        ("coverage_mode", "工作覆盖", "work"),
        ("coverage_mode", "未覆盖", "none"),
        ("coverage_mode", "无", "none"),
        ("star", "3", 3),
        ("star", "三星", 3),
        ("star", "三星级", 3),
        ("star", "★★★", 3),
        ("star", "3星", 3),
        ("star", "五星级", 5),
        ("star", "０", 0),
        ("star", "未评", None),
        ("star", "—", None),
        ("star", "/", None),
    ],
)
def test_cells_read_as_their_typed_values(field: str, text: str, value: Any) -> None:
    assert parse_value(field, text) == value


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("party_members", "三", "is not a whole number"),
        ("employees", "-3", "is below the minimum 0"),
        ("employees", "1,2", "a comma may only separate groups of three digits"),
        ("employees", "99999999999999999999", "is outside the 64-bit whole-number range"),
        ("star", "6", "is out of range (0–5)"),
        ("star", "六星级", "is out of range (0–5)"),
        ("star", "优秀", "is not a star rating"),
        ("status", "倒闭", "is not a business status (operating: 在营, 存续"),
        ("own_org", "也许", "is not yes or no (yes: 是, √"),
        ("formation", "自建", "is not a way of forming the organization (own: 单独组建"),
        ("coverage_mode", "部分覆盖", "is not a coverage mode (organization: 组织覆盖"),
    ],
)
def test_cells_that_are_not_values_say_why(field: str, text: str, reason: str) -> None:
    with pytest.raises(CellError) as info:
        parse_value(field, text)
    assert reason in str(info.value)


# --- problems and warnings, located -------------------------------------------------------------


def test_problems_are_located_by_file_line_and_the_header_as_written(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["2026年三季度台账"],
        ["序号", "企业名称", "党员数（名）", "经营状态", "星级"],
    ]
    rows += [[n, f"公司{n}", n, "在营", 3] for n in range(1, 15)]
    rows += [[15, "公司15", "三", "倒闭", "六星"], [16, None, 1, "在营", None]]
    path = book(tmp_path / "ledger.xlsx", {"2026年三季度": rows})
    assert refused(lambda: read_ledger(path)) == [
        "ledger.xlsx[2026年三季度]:17: 党员数（名）: '三' is not a whole number",
        "ledger.xlsx[2026年三季度]:17: 星级: '六星' is out of range (0–5)",
        "ledger.xlsx[2026年三季度]:17: 经营状态: '倒闭' is not a business status (operating: 在营, "
        "存续, 开业, 正常, 营业, 在业, 在册, 正常经营, operating; closed: 注销, 吊销, 停业, 歇业, "
        "关闭, 撤销, 迁出, 清算, 已注销, 已吊销, 吊销未注销, 吊销,未注销, closed)",
        "ledger.xlsx[2026年三季度]:18: 企业名称: has no enterprise name; each row of the ledger "
        "names its enterprise",
    ]


def test_firms_listed_twice_are_refused_and_a_failing_code_is_a_warning(tmp_path: Path) -> None:
    bad = CODE[:-1] + "4"
    path = csv_file(
        tmp_path / "台账.csv",
        [
            "企业名称,统一社会信用代码,党员数,组建方式",
            "甲公司,,1,单独组建",
            "乙公司,91350100M000100Y43,2,",
            "丙公司,91350100m000100y43,3,联合组建",
            " 甲公司 ,,1,",
            f"丁公司,{bad},0,",
            "乙公司,,1,",
        ],
    )
    assert refused(lambda: read_ledger(path)) == [
        "台账.csv:4: 统一社会信用代码: '91350100M000100Y43' appears twice (first on line 3)",
        "台账.csv:5: 企业名称: '甲公司' appears twice (first on line 2)",
        "台账.csv:7: 企业名称: '乙公司' appears twice (first on line 3)",
    ]
    csv_file(path, ["企业名称,统一社会信用代码,党员数,组建方式", f"丁公司,{bad},0,"])
    ledger = read_ledger(path)
    assert ledger.rows[0].values["credit_code"] == bad
    assert texts(ledger.warnings) == [
        "台账.csv:2: warning: 统一社会信用代码: '91350100M000100Y44' fails its check character "
        "(GB 32100-2015): the last should be 3; kept as written"
    ]


def test_unrecognised_columns_are_warned_of_and_two_columns_for_one_field_refused(
    tmp_path: Path,
) -> None:
    path = csv_file(
        tmp_path / "台账.csv", ["序号,企业名称,法定代表人,党员数,星级,备注", "1,甲,张,1,3,x"]
    )
    ledger = read_ledger(path)
    assert texts(ledger.warnings) == [
        "台账.csv:1: warning: 法定代表人: is not a ledger column; ignored"
    ]
    assert mapping_of(ledger)["unrecognised"] == ["法定代表人"]
    csv_file(path, ["企业名称,党员数,正式党员数,星级", "甲,1,1,3"])
    assert refused(lambda: read_ledger(path)) == [
        "台账.csv:1: 正式党员数: is a second column for party_members, beside '党员数'; keep one, "
        "or write a mapping that ignores one"
    ]


def test_a_value_under_a_blank_header_and_a_short_csv_row_are_refused(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "台账.csv",
        ["企业名称,党员数,,星级", "甲,1,,3", "乙,2,多出,3", "丙,3"],
    )
    assert refused(lambda: read_ledger(path)) == [
        "台账.csv:3: column 3: '多出' is a value under a blank header cell; name the column in "
        "the header or clear the cell",
        "台账.csv:4: has 2 cells; the header has 4",
    ]


def test_no_header_in_the_first_lines_is_refused(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "名单.csv", ["企业名称,地址", "甲公司,长春"])
    assert refused(lambda: read_ledger(path)) == [
        "名单.csv: has no ledger header: no line among the first 30 names the enterprise "
        "(企业名称、单位名称、企业全称 …) beside two other ledger columns; a mapping file can name "
        "its line and columns"
    ]
    late = csv_file(tmp_path / "late.csv", [""] * 30 + ["企业名称,党员数,星级", "甲,1,3"])
    assert refused(lambda: read_ledger(late))[0].startswith("late.csv: has no ledger header")


# --- sources: encodings, merges, sheets ---------------------------------------------------------

SMALL = [
    "2024年二季度非公企业党建台账,,,",
    "填报单位：锦程街道,,,",
    "企业名称,党员数,是否单独建立党组织,星级",
    "长春甲有限公司,３,√,★★",
    ",,,",
    "长春乙有限公司,0,×,",
    "合计,3,,",
]


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gb18030", ","), ("utf-16", "\t")],
)
def test_a_csv_ledger_in_every_accepted_encoding_and_separator(
    tmp_path: Path, encoding: str, separator: str
) -> None:
    lines = [line.replace(",", separator) for line in SMALL]
    ledger = read_ledger(csv_file(tmp_path / "台账.csv", lines, encoding))
    assert [(r.line, r.values) for r in ledger.rows] == [
        (4, {"name": "长春甲有限公司", "party_members": 3, "own_org": True, "star": 2}),
        (6, {"name": "长春乙有限公司", "party_members": 0, "own_org": False, "star": None}),
    ]
    assert (ledger.source, ledger.sheet, ledger.header_line) == ("台账.csv", None, 3)
    assert texts(ledger.warnings) == [
        "台账.csv: warning: lines 1–2 above the header were skipped: 2024年二季度非公企业党建"
        "台账 / 填报单位：锦程街道",
        "台账.csv:7: warning: '合计' is a totals row, not an enterprise; skipped",
    ]


def test_subtotals_a_repeated_header_and_signature_lines_are_skipped_with_warnings(
    tmp_path: Path,
) -> None:
    header = "序号,企业名称,党员数,星级"
    lines = [
        header,
        "1,甲,1,3",
        "东风社区小计,,1,",
        header,
        "2,乙,2,",
        "填报人：张三  审核人：李四,,,",
    ]
    ledger = read_ledger(csv_file(tmp_path / "台账.csv", lines))
    assert [r.values["name"] for r in ledger.rows] == ["甲", "乙"]
    assert texts(ledger.warnings) == [
        "台账.csv:3: warning: '东风社区小计' is a totals row, not an enterprise; skipped",
        "台账.csv:4: warning: '序号' repeats the header (a second table pasted in, or a printed "
        "page's); skipped",
        "台账.csv:6: warning: '填报人：张三  审核人：李四' is a note, not an enterprise; skipped",
    ]


def test_a_title_line_without_separators_over_a_tab_separated_ledger(tmp_path: Path) -> None:
    lines = ["2024年台账", "企业名称\t党员数\t星级", "甲\t1\t3"]
    ledger = read_ledger(csv_file(tmp_path / "台账.txt", lines))
    assert [r.values for r in ledger.rows] == [{"name": "甲", "party_members": 1, "star": 3}]


def test_merges_above_the_header_and_in_skipped_rows_are_ignored_in_the_data_filled_down(
    tmp_path: Path,
) -> None:
    rows = [
        ["台账"],
        ["企业名称", "所属街道", "党员数", "星级"],
        ["甲", "锦程街道", 1, 3],
        ["乙", None, 2, 4],
        ["丙", None, 3, 5],
        ["合计", None, None, None],
        ["注：本表……"],
    ]
    merges = {"s": ["A1:D1", "B3:B5", "A6:B6", "A7:D7"]}
    ledger = read_ledger(book(tmp_path / "台账.xlsx", {"s": rows}, merges))
    assert [r.values["street"] for r in ledger.rows] == ["锦程街道"] * 3
    assert ledger.fills == {(4, "street"): "B3:B5", (5, "street"): "B3:B5"}
    merges = {"s": ["A1:D1", "B3:B5", "C3:D3", "A2:A3"]}
    path = book(tmp_path / "bad.xlsx", {"s": rows}, merges)
    assert refused(lambda: read_ledger(path, sheet="s")) == [
        "bad.xlsx[s]:2: A2:A3: merges the header cell with data rows; unmerge it",
        "bad.xlsx[s]:3: C3:D3: merged across columns; unmerge it so each value has its own cell",
        "bad.xlsx[s]:3: 企业名称: has no enterprise name; each row of the ledger names its "
        "enterprise",
    ]
    rows[0] = ["台账", "（续）"]
    path = book(tmp_path / "joined.xlsx", {"s": rows[:5]}, {"s": ["B1:B2"]})
    assert refused(lambda: read_ledger(path)) == [
        "joined.xlsx[s]:1: B1:B2: joins lines above the header with the header row; unmerge it",
        # The merge hides B2, the street's header, so the street is under a blank header.
        "joined.xlsx[s]:3: B3: '锦程街道' is a value under a blank header cell; name the column "
        "in the header or clear the cell",
    ]


def test_merges_are_data_for_a_caller_that_finds_its_header_later(tmp_path: Path) -> None:
    rows = [["title"], ["name", "street"], ["a", "S1"], ["b", None]]
    path = book(tmp_path / "m.xlsx", {"s": rows}, {"s": ["A1:B1", "B3:B4"]})
    with Workbook(path) as wb:
        problems: list[Problem] = []
        cells = read_cells(wb.worksheets[0], "m", problems, header_row=None)
        assert (sorted(cells.merges), cells.fills, problems) == (["A1:B1", "B3:B4"], {}, [])
        apply_merges(cells, cells.merges, "m", problems, header_row=2)
        assert (cells.rows[4], cells.fills, problems) == ({0: "b", 1: "S1"}, {(4, 1): "B3:B4"}, [])
        top = read_cells(wb.worksheets[0], "m", problems, max_row=2)  # merges come after rows
        assert (sorted(top.rows), top.merges, problems) == ([1, 2], [], [])


def test_the_one_sheet_with_a_ledger_header_is_read_and_the_others_warned_of(
    tmp_path: Path,
) -> None:
    ledger_rows = [["企业名称", "党员数", "覆盖方式"], ["甲", 1, "工作覆盖"]]
    sheets: dict[str, list[Any]] = {"说明": [["填表说明：……"]], "2024年二季度": ledger_rows}
    sheets["空表"] = []
    path = book(tmp_path / "台账.xlsx", sheets)
    ledger = read_ledger(path)
    assert ledger.sheet == "2024年二季度" and ledger.rows[0].values["coverage_mode"] == "work"
    assert texts(ledger.warnings) == [
        "台账.xlsx: warning: sheet '说明' was not read: it has no ledger header",
        "台账.xlsx: warning: sheet '空表' was not read: it is empty",
    ]


def test_several_ledger_sheets_need_the_one_to_read_named(tmp_path: Path) -> None:
    rows = [["企业名称", "党员数", "覆盖方式"], ["甲", 1, "组织覆盖"]]
    other = [["企业名称", "党员数", "覆盖方式"], ["乙", 2, "未覆盖"]]
    path = book(tmp_path / "台账.xlsx", {"一季度": rows, "二季度": other})
    assert refused(lambda: read_ledger(path)) == [
        "台账.xlsx: has a ledger header on 2 sheets ('一季度', '二季度'); name the sheet to read "
        '(--sheet NAME, or "sheet" in a mapping file)'
    ]
    ledger = read_ledger(path, sheet="二季度")
    assert [r.values["name"] for r in ledger.rows] == ["乙"]
    assert texts(ledger.warnings) == [
        "台账.xlsx: warning: sheet '一季度' was not read: it has a ledger header too; sheet "
        "'二季度' was read"
    ]
    mapping = LedgerMapping("一季度", 1, {"企业名称": "name", "党员数": "party_members"})
    assert [r.values for r in read_ledger(path, mapping=mapping).rows] == [
        {"name": "甲", "party_members": 1}
    ]
    assert refused(lambda: read_ledger(path, sheet="三季度")) == [
        "台账.xlsx: has no sheet '三季度'; its sheets are '一季度', '二季度'"
    ]
    empty = book(tmp_path / "空.xlsx", {"Sheet1": [], "Sheet2": [["名单"]]})
    assert refused(lambda: read_ledger(empty)) == [
        "空.xlsx: has no ledger header on any sheet ('Sheet1', 'Sheet2'): no line among the "
        "first 30 names the enterprise (企业名称、单位名称、企业全称 …) beside two other ledger "
        "columns"
    ]


def test_files_that_are_no_ledger_source_are_refused(tmp_path: Path) -> None:
    old = tmp_path / "台账.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert refused(lambda: read_ledger(old)) == [
        "台账.xls: is an old .xls workbook; save it as an .xlsx workbook"
    ]
    assert refused(lambda: read_ledger(tmp_path / "none.csv")) == [
        f"{tmp_path / 'none.csv'}: does not exist"
    ]
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a zip")
    assert refused(lambda: read_ledger(broken))[0].startswith("坏.xlsx: is not a readable .xlsx")
    assert not looks_like_ledger(broken)


# --- mappings -----------------------------------------------------------------------------------


def write_mapping(path: Path, mapping: dict[str, Any]) -> Path:
    path.write_text(json.dumps(mapping, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_a_written_mapping_reads_the_ledger_the_same_and_can_be_edited(tmp_path: Path) -> None:
    path = street_workbook(tmp_path / "台账.xlsx", count=6)
    ledger = read_ledger(path)
    written = mapping_of(ledger)
    assert written == {
        "sheet": "2024年二季度",
        "header_line": 4,
        "columns": dict(
            zip(
                HEADER,
                [None, "name", "credit_code", "street", "community", "grid", "industry"]
                + ["employees", "party_members", "status", "own_org", "org_name", "formation"]
                + ["coverage_mode", "instructor", "liaison", "star", "key_firm", None],
                strict=True,
            )
        ),
        "unrecognised": [],
    }
    again = read_ledger(path, mapping=load_mapping(write_mapping(tmp_path / "m.json", written)))
    assert (again.rows, again.columns, again.warnings) == (
        ledger.rows,
        ledger.columns,
        ledger.warnings,
    )
    # The organizer ignores 联络员, and reads 备注 as the instructor's column.
    columns = written["columns"] | {"联络员": None, "备注": "instructor", "党建指导员": None}
    del columns["行业"]
    edited = load_mapping(write_mapping(tmp_path / "m.json", written | {"columns": columns}))
    read = read_ledger(path, mapping=edited)
    assert [r.values["instructor"] for r in read.rows] == [None] * 6
    assert "liaison" not in read.rows[0].values and "industry" not in read.rows[0].values
    assert texts(read.warnings)[3] == (
        "台账.xlsx[2024年二季度]:4: warning: 行业: is not in the mapping; ignored"
    )


def test_a_mapping_names_the_header_line_the_reader_would_miss(tmp_path: Path) -> None:
    rows = [["单位", "人员", "备注"], ["甲厂", "3", "x"], ["乙厂", "4", None]]
    path = book(tmp_path / "名单.xlsx", {"名单": rows})
    assert refused(lambda: read_ledger(path))[0].startswith("名单.xlsx: has no ledger header")
    mapping = LedgerMapping(None, 1, {"单位": "name", "人员": "party_members", "备注": "remark"})
    ledger = read_ledger(path, mapping=mapping)
    assert [r.values for r in ledger.rows] == [
        {"name": "甲厂", "party_members": 3},
        {"name": "乙厂", "party_members": 4},
    ]
    assert ledger.columns == {"单位": "name", "人员": "party_members", "备注": None}
    assert mapping_of(ledger)["unrecognised"] == []
    stale = LedgerMapping(None, 1, {"单位": "name", "党员": "party_members"})
    assert refused(lambda: read_ledger(path, mapping=stale)) == [
        "名单.xlsx[名单]:1: 党员: is in the mapping (as party_members) but not in the header"
    ]
    wrong_line = LedgerMapping(None, 2, mapping.columns)
    assert refused(lambda: read_ledger(path, mapping=wrong_line)) == [
        "名单.xlsx[名单]:2: the mapping gives no column of this line the field name",
        "名单.xlsx[名单]:2: 人员: is in the mapping (as party_members) but not in the header",
        "名单.xlsx[名单]:2: 单位: is in the mapping (as name) but not in the header",
    ]
    blank = LedgerMapping(None, 9, mapping.columns)
    assert refused(lambda: read_ledger(path, mapping=blank))[0] == (
        "名单.xlsx[名单]:9: the mapping's header line is blank"
    )


def test_a_bad_mapping_file_is_refused_with_every_problem_located(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(
        "{\n"
        '  "sheet": 3,\n'
        '  "header_line": 0,\n'
        '  "columns": {\n'
        '    "企业名称": "nam",\n'
        '    "党员数": "party_members",\n'
        '    "正式党员数": "party_members",\n'
        '    "党员数": null,\n'
        '    "星级": 5\n'
        "  },\n"
        '  "extra": true\n'
        "}\n",
        encoding="utf-8",
    )
    assert refused(lambda: load_mapping(path)) == [
        "mapping.json:2: sheet: '3' must be the sheet's name, or null",
        "mapping.json:3: header_line: '0' must be the header's line number (a whole number from 1)",
        "mapping.json:4: columns: gives no column the field name (the enterprise's name); a "
        "ledger has one",
        "mapping.json:5: 企业名称: 'nam' is not a ledger field (the fields are "
        + ", ".join(FIELDS)
        + "; null ignores one)",
        "mapping.json:7: 正式党员数: 'party_members' is the field of '党员数' too (line 6); a "
        "field takes one column",
        "mapping.json:8: 党员数: 'null' appears twice in columns (first on line 6)",
        "mapping.json:9: 星级: '5' must be a field's name, or null to ignore the column",
        "mapping.json:11: extra: 'true' is not a mapping key (sheet, header_line, columns)",
    ]
    path.write_text('{\n  "sheet": null,\n  "columns": {"企业名称": "name"},\n}\n')
    assert refused(lambda: load_mapping(path)) == [
        "mapping.json:4: is not valid JSON (Expecting property name enclosed in double quotes "
        "at column 1)"
    ]
    path.write_text('{"sheet": null, "columns": {"企业名称": "name"}}')
    assert refused(lambda: load_mapping(path)) == [
        "mapping.json:1: has no 'header_line'; a mapping gives it"
    ]
    path.write_text("[1, 2]")
    assert refused(lambda: load_mapping(path)) == [
        'mapping.json:1: must hold one JSON object: {"sheet": …, "header_line": …, "columns": {…}}'
    ]


# --- what is a ledger -----------------------------------------------------------------------------


def test_looks_like_ledger_tells_ledgers_from_contract_files_and_register_exports(
    tmp_path: Path,
) -> None:
    assert looks_like_ledger(street_workbook(tmp_path / "台账.xlsx", count=3))
    assert looks_like_ledger(csv_file(tmp_path / "台账.csv", SMALL, "gb18030"))
    zone = small_zone()
    contract = {
        name: [list(rows[0]), *([r[c] for c in rows[0]] for r in rows)]
        for name, rows in zone.items()
        if rows
    }
    assert not looks_like_ledger(book(tmp_path / "zone.xlsx", contract))
    chinese = {"企业": [["编号", "企业名称", "党员人数", "星级"], ["E1", "甲", 1, 3]]}
    assert not looks_like_ledger(book(tmp_path / "企业表.xlsx", chinese))
    assert not looks_like_ledger(
        csv_file(tmp_path / "enterprises.csv", ["编号,企业名称,党员人数,星级"])
    )
    register = [
        "企业名称,统一社会信用代码,登记状态,法定代表人,注册资本,成立日期",
        f"甲公司,{CODE},存续,张三,100万,2020-01-01",
    ]
    assert not looks_like_ledger(csv_file(tmp_path / "register.csv", register))
    sheet = [line.split(",") for line in register]
    assert not looks_like_ledger(book(tmp_path / "register.xlsx", {"Sheet1": sheet}))
    assert not looks_like_ledger(tmp_path / "missing.csv")
    assert read_ledger(tmp_path / "register.csv").rows[0].values == {
        "name": "甲公司",
        "credit_code": CODE,
        "status": "operating",
    }


def test_looks_like_ledger_reads_only_the_top_of_a_large_csv(tmp_path: Path) -> None:
    firms = [f"长春{n}有限公司,{n % 5},√" for n in range(60_000)]
    path = csv_file(tmp_path / "台账.csv", ["企业名称,党员数,是否单独建立党组织", *firms], "utf-16")
    assert path.stat().st_size > 1 << 20
    assert looks_like_ledger(path)


# --- the property ---------------------------------------------------------------------------------


@SETTINGS
@given(messy_ledgers(), st.sampled_from(("xlsx", "utf-8-sig", "gb18030", "utf-8-sig+tab")))
def test_a_messy_rendering_reads_back_as_exactly_the_plain_ledger(
    out: Rendering, kind: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "xlsx":
            path = Path(tmp) / "台账.xlsx"
            lines = write_xlsx(out, path, empty_sheets=1)
        else:
            path = Path(tmp) / "台账.csv"
            encoding, _, tab = kind.partition("+")
            lines = write_csv(out, path, encoding=encoding, delimiter="\t" if tab else ",")
        ledger = read_ledger(path)
        party = bool(set(out.plain.fields) & set(PARTY_FIELDS))
        assert looks_like_ledger(path) == party
        # Read through the mapping it gives, the ledger reads the same.
        mapping = load_mapping(write_mapping(Path(tmp) / "mapping.json", mapping_of(ledger)))
        again = read_ledger(path, mapping=mapping)
        assert (again.rows, again.columns) == (ledger.rows, ledger.columns)
    assert [(row.line, row.values) for row in ledger.rows] == expected(out, lines)
    assert sorted(f for f in ledger.columns.values() if f) == sorted(out.plain.fields)
    assert ledger.header_line == lines[out.header]
    said = [w for w in ledger.warnings if w.line is not None and w.line > ledger.header_line]
    assert [w.line for w in said if w.column is None] == [lines[i] for i in out.skipped]
    titled = any(cells for cells in out.lines[: out.header])
    assert any("above the header" in w.reason for w in ledger.warnings) == titled


def test_a_mapping_can_be_written_for_a_ledger_whose_rows_do_not_read(tmp_path: Path) -> None:
    # Two columns for one field: the very ledger a mapping is for.
    path = tmp_path / "ledger.csv"
    path.write_text("企业名称,所属街道,党员数,正式党员数\n甲公司,锦程街道,3,2\n", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        read_ledger(path)
    written = mapping_of(read_header(path))
    assert written["header_line"] == 1 and written["columns"]["党员数"] == "party_members"
    written["columns"]["正式党员数"] = None
    (tmp_path / "m.json").write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
    ledger = read_ledger(path, mapping=load_mapping(tmp_path / "m.json"))
    assert [row.values["party_members"] for row in ledger.rows] == [3]
