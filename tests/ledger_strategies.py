"""Hypothesis strategies for organizers' ledgers (台账): the plain facts, and the mess they are
kept in.

``plain_ledgers()`` draws what a ledger says: which fields its header has and one row of typed
values per firm (``None`` where a cell says nothing). ``messy_ledgers()`` draws a plain ledger
and a rendering of it as organizers keep one: a title (merged across the top in a workbook)
and 填报单位/填报时间 lines over the header, header words drawn from every field's variants
(with units, ``*`` marks, line breaks and full-width spaces), the 序号 and 备注 columns and a
column no ledger has, values as typed (full-width digits, 人/名 units, 是/√/× marks, 三星级 or
★★★, trailing and full-width spaces, — or 无 for nothing, codes in lower case or full-width),
blank and 序号-only rows, the header again between firms, a street merged down over firms in
a row, 合计 and 小计 rows, and a 注 or 填报人 line.

:func:`write_xlsx` and :func:`write_csv` write a rendering and give back each of its lines'
number in the file, so that the expected reading is computed from the drawn data alone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from loaders.credit_code import CHARSET, check_character
from loaders.ledger_fields import (
    COVERAGE_WORDS,
    FORMATION_WORDS,
    HEADER_VARIANTS,
    MARK_WORDS,
    STATUS_WORDS,
)

Cell = str | int | bool | None

#: The fields a ledger's rows give values for (序号 and 备注 are never read).
VALUE_FIELDS = (
    "name",
    "credit_code",
    "industry",
    "street",
    "community",
    "grid",
    "park",
    "employees",
    "party_members",
    "status",
    "own_org",
    "org_name",
    "formation",
    "coverage_mode",
    "instructor",
    "liaison",
    "star",
    "key_firm",
)
TEXTS: dict[str, tuple[str, ...]] = {
    "industry": ("汽车零部件", "物流", "软件和信息技术服务", "餐饮 住宿"),
    "street": ("锦程街道", "东风街道", "富锦街道"),
    "community": ("东风社区", "锦华社区", "C3"),
    "grid": ("G1", "G2", "第3网格"),
    "park": ("汽车产业园", "P2"),
    "org_name": ("某某公司党支部", "汽开区物流行业联合党支部", "区域联合党委"),
    "instructor": ("张三", "李四、王五", "Wang Fang"),
    "liaison": ("赵六", "钱七"),
}
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
TITLES = ("2024年二季度非公企业党建台账", "汽开区“两个覆盖”工作台账（锦程街道）")
FILLED_BY = ("填报单位：锦程街道", "填报时间：2024年7月", "填报单位：东风街道（盖章）")
NOTES = (
    "注：1.本表由街道填报；2.“√”为是。",
    "说明：星级以2023年评定为准",
    "填报人：张三  审核人：李四",
)
OTHER_COLUMNS = ("法定代表人", "注册资本（万元）", "企业地址")


@dataclass
class Plain:
    """A ledger's facts: the fields its header has and each firm's typed values."""

    fields: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Rendering:
    """A plain ledger as kept: lines of cells, merges, and what each line is."""

    plain: Plain
    lines: list[list[Cell]]
    header: int  # the header's index in ``lines``
    #: Index in ``lines`` of each plain row, in order.
    data: list[int] = field(default_factory=list)
    #: Indexes of totals rows and note lines (each skipped with a warning).
    skipped: list[int] = field(default_factory=list)
    #: Merged ranges as (first line index, first column, last line index, last column).
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    sheet: str = "2024年二季度"


def _code(draw: st.DrawFn) -> str:
    first17 = draw(st.text(CHARSET, min_size=17, max_size=17))
    return first17 + check_character(first17)


_NAME = st.builds(
    lambda place, core, form: f"{place}{core}{form}",
    st.sampled_from(("长春", "长春市", "吉林省", "")),
    st.text("一汽富维华众汽车零部件物流科技 ABCxyz", min_size=1, max_size=6).map(
        lambda t: " ".join(t.split()) or "甲"
    ),
    st.sampled_from(("有限公司", "股份有限公司", "有限责任公司", "厂")),
)


def _value(draw: st.DrawFn, name: str) -> Any:
    """A field's plain value, or None."""
    if draw(st.integers(0, 3)) == 0:
        return None
    if name in TEXTS:
        return draw(st.sampled_from(TEXTS[name]))
    if name in ("employees", "party_members"):
        return draw(st.integers(0, 3000 if name == "employees" else 40))
    if name in ("own_org", "key_firm"):
        return draw(st.booleans())
    if name == "star":
        return draw(st.integers(0, 5))
    table = {"status": STATUS_WORDS, "formation": FORMATION_WORDS, "coverage_mode": COVERAGE_WORDS}
    return draw(st.sampled_from(sorted(table[name])))


@st.composite
def plain_ledgers(draw: st.DrawFn, max_rows: int = 10) -> Plain:
    """A ledger's facts: the name and two or more other fields, unique names and codes."""
    others = draw(st.lists(st.sampled_from(VALUE_FIELDS[1:]), min_size=2, unique=True))
    fields = draw(st.permutations(["name", *others]))
    names = draw(st.lists(_NAME, max_size=max_rows, unique=True))
    codes: set[str] = set()
    rows: list[dict[str, Any]] = []
    for name in names:
        row: dict[str, Any] = {}
        for f in fields:
            if f == "name":
                row[f] = name
            elif f == "credit_code":
                code = _code(draw) if draw(st.booleans()) else None
                row[f] = None if code in codes else code
                codes.add(code or "")
            else:
                row[f] = _value(draw, f)
        rows.append(row)
    return Plain(list(fields), rows)


def _header_cell(draw: st.DrawFn, name: str) -> str:
    """A header word for a field, decorated as organizers write them."""
    text = draw(st.sampled_from(HEADER_VARIANTS[name]))
    if name in ("employees", "party_members") and draw(st.booleans()):
        text += draw(st.sampled_from(("（人）", "(名)", "（人）\n")))
    if draw(st.integers(0, 5)) == 0:
        text = "*" + text
    if len(text) > 2 and draw(st.integers(0, 4)) == 0:
        cut = draw(st.integers(1, len(text) - 1))
        if text[cut - 1] not in "（(“" and text[cut] not in "）)”":
            text = text[:cut] + draw(st.sampled_from(("\n", "\u3000", " "))) + text[cut:]
    return text


def _spaced(draw: st.DrawFn, text: str) -> str:
    """Text with the spaces hands leave: around it, and full-width inside."""
    if " " in text and draw(st.booleans()):
        text = text.replace(" ", draw(st.sampled_from(("\u3000", "  "))))
    return draw(st.sampled_from(("", " ", "\u3000"))) + text + draw(st.sampled_from(("", "  ")))


def _digits(draw: st.DrawFn, number: int) -> Cell:
    """A count as typed: a number, digits (full-width, grouped) with or without a unit."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return number
    text = f"{number:,}" if number >= 1000 and kind == 1 else str(number)
    if kind == 2:
        text = text.translate(FULL_WIDTH)
    return text + draw(st.sampled_from(("", "人", "名", " 人")))


def _cell(draw: st.DrawFn, name: str, value: Any) -> Cell:
    """How a plain value is typed into its cell."""
    if value is None:
        nothing = ["", "", "—", "/"]
        if name in ("credit_code", "formation", "star", *TEXTS):
            nothing.append("无")
        if name == "star":
            nothing += ["未评", "-"]
        return draw(st.sampled_from(nothing)) or None
    if name == "name" or name in TEXTS:
        return _spaced(draw, value)
    if name == "credit_code":
        code: str = value
        return draw(st.sampled_from((code, code.lower(), code.translate(FULL_WIDTH))))
    if name in ("employees", "party_members"):
        return _digits(draw, value)
    if name in ("own_org", "key_firm"):
        word = draw(st.sampled_from((value, *MARK_WORDS[value])))
        return word if isinstance(word, bool) else _spaced(draw, word)
    if name == "star":
        forms: list[Cell] = [value, str(value), f"{value}星", f"{'零一二三四五'[value]}星级"]
        forms += ["★" * value] if value else []
        return draw(st.sampled_from(forms))
    table = {"status": STATUS_WORDS, "formation": FORMATION_WORDS, "coverage_mode": COVERAGE_WORDS}
    return _spaced(draw, draw(st.sampled_from(table[name][value])))


@st.composite
def messy_ledgers(draw: st.DrawFn, max_rows: int = 10) -> Rendering:
    """A plain ledger and its rendering as organizers keep it (see the module's docs)."""
    plain = draw(plain_ledgers(max_rows))
    columns: list[str] = list(plain.fields)
    if draw(st.booleans()):
        columns.insert(0, "seq")
    if draw(st.booleans()):
        columns.append("remark")
    if draw(st.integers(0, 3)) == 0:
        columns.insert(draw(st.integers(1, len(columns))), "other")
    width = len(columns)
    other = draw(st.sampled_from(OTHER_COLUMNS))
    header: list[Cell] = [other if c == "other" else _header_cell(draw, c) for c in columns]
    lines: list[list[Cell]] = []
    merges: list[tuple[int, int, int, int]] = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 2))
        if kind == 0:
            lines.append([draw(st.sampled_from(TITLES))])
            if width > 1 and draw(st.booleans()):
                merges.append((len(lines) - 1, 0, len(lines) - 1, width - 1))
        elif kind == 1:
            lines.append([draw(st.sampled_from(FILLED_BY))])
        else:
            lines.append([])
    out = Rendering(plain, lines, len(lines), merges=merges)
    lines.append(header)
    for number, row in enumerate(plain.rows, start=1):
        while draw(st.integers(0, 5)) == 0:
            lines.append([None] * draw(st.integers(0, width)))
        if number > 1 and draw(st.integers(0, 9)) == 0:  # a printed page's header, pasted in
            out.skipped.append(len(lines))
            lines.append(list(header))
        cells: list[Cell] = []
        for c in columns:
            if c == "seq":
                seq: list[Cell] = [number, str(number).translate(FULL_WIDTH)]
                cells.append(draw(st.sampled_from(seq)))
            elif c == "remark":
                cells.append(draw(st.sampled_from((None, "新入库", "已迁出？待核实"))))
            elif c == "other":
                cells.append(draw(st.sampled_from((None, "0431-88886666", "100"))))
            else:
                cells.append(_cell(draw, c, row[c]))
        out.data.append(len(lines))
        lines.append(cells)
    _merge_streets(draw, out, columns)
    _tail(draw, out, columns)
    return out


def _merge_streets(draw: st.DrawFn, out: Rendering, columns: list[str]) -> None:
    """Merge the street cell down over firms in a row that share their street."""
    if "street" not in columns or not draw(st.booleans()):
        return
    col = columns.index("street")
    rows, data = out.plain.rows, out.data
    start = 0
    for end in range(1, len(rows) + 1):
        same = end < len(rows) and data[end] == data[end - 1] + 1
        same = same and rows[end]["street"] is not None
        if same and rows[end]["street"] == rows[start]["street"]:
            continue
        if end - start > 1 and rows[start]["street"] is not None:
            out.merges.append((data[start], col, data[end - 1], col))
        start = end


def _tail(draw: st.DrawFn, out: Rendering, columns: list[str]) -> None:
    """Totals rows, 序号-only rows and a note under the table."""
    lines, width = out.lines, len(columns)
    for _ in range(draw(st.integers(0, 2))):
        total: list[Cell] = [None] * width
        at = draw(st.sampled_from(sorted({0, min(2, width - 1), columns.index("name")})))
        total[at] = draw(st.sampled_from(("合计", "小计", "合  计", "总计：", "东风社区小计")))
        for i, c in enumerate(columns):
            if c in ("employees", "party_members") and i > 2:
                total[i] = sum(r[c] or 0 for r in out.plain.rows)
        if at == 0 and width > 3 and not any(total[1:3]) and draw(st.booleans()):
            out.merges.append((len(lines), 0, len(lines), 2))
        out.skipped.append(len(lines))
        lines.append(total)
    if "seq" in columns and draw(st.booleans()):
        lines.append([len(out.data) + 1])
    if draw(st.booleans()):
        out.skipped.append(len(lines))
        lines.append([draw(st.sampled_from(NOTES))])
        if width > 1 and draw(st.booleans()):
            out.merges.append((len(lines) - 1, 0, len(lines) - 1, width - 1))


def expected(out: Rendering, line_of: list[int]) -> list[tuple[int, dict[str, Any]]]:
    """The reading a rendering must give: each firm's line in the file and its plain values."""
    return [(line_of[i], row) for i, row in zip(out.data, out.plain.rows, strict=True)]


def write_xlsx(out: Rendering, path: Path, *, empty_sheets: int = 0) -> list[int]:
    """Write a rendering as a workbook; each line's sheet row."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = out.sheet
    for i, cells in enumerate(out.lines, start=1):
        for j, value in enumerate(cells, start=1):
            if value is not None and value != "":
                sheet.cell(row=i, column=j, value=value)
    for r1, c1, r2, c2 in out.merges:
        ref = f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2 + 1)}{r2 + 1}"
        sheet.merge_cells(ref)
    for n in range(empty_sheets):
        book.create_sheet(f"Sheet{n + 2}")
    book.save(path)
    return list(range(1, len(out.lines) + 1))


def write_csv(out: Rendering, path: Path, *, encoding: str, delimiter: str = ",") -> list[int]:
    """Write a rendering as CSV text (Excel's way: every line as wide as the widest, CRLF);
    each line's physical line in the file."""
    width = max(len(cells) for cells in out.lines)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    line_of: list[int] = []
    line = 1
    for cells in out.lines:
        texts = [
            "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in cells
        ]
        line_of.append(line)
        writer.writerow(texts + [""] * (width - len(texts)))
        line += sum(text.count("\n") for text in texts) + 1
    path.write_bytes(buffer.getvalue().encode(encoding))
    return line_of
