"""Input that would lose data is refused and located, never read around or silently dropped.

Each test spoils the small zone (:func:`tests.zones.small_zone`) the way an organizer's file was
found spoiled, and checks the reader refuses it with every problem located (file, line,
column), or reads it whole. A few run the real ``zonegraph load`` command: exit status 2, the
located problem on stderr, no traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph_model.errors import Problem, ValidationFailed
from graph_model.mapping import Zone
from graph_model.schema import TABLE, Prop, PropType
from graph_model.store.embedded import EmbeddedStore
from loaders.cells import CellError, parse_cell
from loaders.load import export_zone, load_path
from loaders.readers import RawTable, read_csv_text, read_source
from tests.zones import small_zone

SUPPLY = TABLE["supply_links"]
#: Columns in the enterprises contract (a header of every one of them).
WIDTH = len(TABLE["enterprises"].columns)
ENTERPRISES_HEADER = ",".join(c.name for c in TABLE["enterprises"].columns)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The small zone as a contract folder, for tests to spoil."""
    out = tmp_path / "zone"
    export_zone(Zone(small_zone()), out)
    return out


def read(path: Path) -> tuple[dict[str, RawTable], list[str]]:
    """The tables read from ``path`` and the warnings, as text."""
    warnings: list[Problem] = []
    tables = read_source(path, warnings=warnings)
    return tables, [str(w) for w in warnings]


def refused(call: Callable[[], object]) -> list[str]:
    """Every problem ``call`` is refused with, as text."""
    with pytest.raises(ValidationFailed) as info:
        call()
    return [str(p) for p in info.value.problems]


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> None:
    path.write_bytes("".join(line + "\n" for line in lines).encode(encoding))


def supply_lines(count: int) -> list[str]:
    """A supply_links.csv of ``count`` lines (header included) between the small zone's firms."""
    firms = [f"E{i}" for i in range(1, 8)]
    pairs = [(a, b) for a in firms for b in firms if a != b]
    rows = [f"{a},{b},part {i}" for i, (a, b) in enumerate(pairs * 5)]
    return ["supplier_id,customer_id,product", *rows[: count - 1]]


def enterprise_lines(folder: Path) -> list[str]:
    return (folder / "enterprises.csv").read_text(encoding="utf-8-sig").splitlines()


# --- CSV structure -------------------------------------------------------------------------


def test_a_quote_never_closed_is_named_where_it_opens(folder: Path) -> None:
    lines = supply_lines(160)
    lines[99] = lines[99].rsplit(",", 1)[0] + ',"bolts'  # line 100's last cell opens a quote
    write_lines(folder / "supply_links.csv", lines)
    assert refused(lambda: read(folder)) == [
        "supply_links.csv:100: product: a quoted cell opens here and is never closed, so "
        "lines 100–160 would become one cell; close the quote (a quote inside a cell is "
        'written twice: "")'
    ]


def test_a_quoted_cell_across_lines_in_a_row_of_the_wrong_length_names_its_lines() -> None:
    long = 'supplier_id,customer_id,product\nE1,"E2\nE3",E4,bolts\nE5,E6,nuts\n'
    assert refused(lambda: read_csv_text(long, SUPPLY, "s.csv")) == [
        "s.csv:3: column 4: 'bolts' has 4 cells; the header has 3 (a quoted cell runs across "
        "lines 2–3: is a quote missing or extra?): the cells beyond the header would be lost"
    ]
    short = 'supplier_id,customer_id,product\n"E1\nE2",bolts\nE5,E6,nuts\n'
    assert refused(lambda: read_csv_text(short, SUPPLY, "s.csv")) == [
        "s.csv:2: has 2 cells; the header has 3 (a quoted cell runs across lines 2–3: is a "
        "quote missing or extra?)"
    ]


def test_text_after_a_closing_quote_is_refused_at_its_line() -> None:
    text = 'supplier_id,customer_id,product\nE1,E2,"bolts\nE3,E4,"nuts"\n'
    assert refused(lambda: read_csv_text(text, SUPPLY, "s.csv")) == [
        "s.csv:3: product: 'nuts\"' text follows the closing quote of the cell opened on "
        'line 2; a quote inside a quoted cell is written twice ("")'
    ]


def test_multi_line_quoted_cells_of_the_right_length_are_kept() -> None:
    text = 'supplier_id,customer_id,product\r\nE1,E2,"bolts,\r\nand ""nuts"""\r\nE3,E4,x\r\n'
    table = read_csv_text(text, SUPPLY, "s.csv")
    assert table.rows == [(2, ["E1", "E2", 'bolts,\r\nand "nuts"']), (4, ["E3", "E4", "x"])]


def test_short_and_long_rows_are_refused_trailing_empty_cells_are_fine(folder: Path) -> None:
    lines = enterprise_lines(folder)
    lines[2] = "E2,Beta,parts,15,1"
    lines[3] += ",x"
    lines[4] += ",,,"
    write_lines(folder / "enterprises.csv", lines)
    assert refused(lambda: read(folder)) == [
        f"enterprises.csv:3: has 5 cells; the header has {WIDTH}",
        f"enterprises.csv:4: column {WIDTH + 1}: 'x' has {WIDTH + 1} cells; the header has "
        f"{WIDTH}: the cells beyond the header would be lost",
    ]


def test_a_value_under_a_blank_header_cell_is_refused(folder: Path) -> None:
    write_lines(
        folder / "alliances.csv",
        ["id,name,,lead_id,theme,,", "A1,Alliance,kept?,E1,auto,,", "A2,Other,,E1,auto,,"],
    )
    assert refused(lambda: read(folder)) == [
        "alliances.csv:2: column 3: 'kept?' is a value under a blank header cell; name the "
        "column in the header or clear the cell"
    ]


def test_a_cell_over_excels_limit_is_refused_not_a_traceback(folder: Path) -> None:
    lines = enterprise_lines(folder)
    lines[2] = lines[2].replace("Beta", "B" * 140_000)  # over csv's own 128 KiB limit
    lines[3] = lines[3].replace("Gamma", "G" * 32_768)
    lines[4] = lines[4].replace("Delta", "D" * 32_767)
    write_lines(folder / "enterprises.csv", lines)
    assert refused(lambda: read(folder)) == [
        f"enterprises.csv:3: name: '{'B' * 40}…' has 140,000 characters; a cell holds at "
        "most 32,767",
        f"enterprises.csv:4: name: '{'G' * 40}…' has 32,768 characters; a cell holds at "
        "most 32,767",
    ]


def test_a_byte_order_mark_inside_the_file_and_a_nul_are_refused(folder: Path) -> None:
    lines = enterprise_lines(folder)
    lines[5] = "\ufeff" + lines[5]  # E5's line: a second file pasted in
    lines[2] = lines[2].replace("Beta", "Be\x00ta")
    write_lines(folder / "enterprises.csv", lines)
    assert refused(lambda: read(folder)) == [
        "enterprises.csv:3: name: 'Be\\x00ta' holds a NUL character (a zero byte), which no "
        "text has: the file is damaged or in another encoding",
        "enterprises.csv:6: id: '\\ufeffE5' holds a byte order mark (U+FEFF), an invisible "
        "character that belongs only at the very start of a file (was another file pasted "
        "in?); delete it",
    ]


# --- Encodings -----------------------------------------------------------------------------


def test_a_file_mixing_utf8_and_gbk_is_refused_at_the_first_bad_line(folder: Path) -> None:
    blank = "," * (WIDTH - 11)
    head = f"{ENTERPRISES_HEADER}\nE1,一汽法雷奥,parts,55,5,锦程街道,,G1,,,true{blank}\n"
    tail = f"E2,华奥,parts,15,1,锦程街道,,G1,,,false{blank}\n"
    (folder / "enterprises.csv").write_bytes(head.encode() + tail.encode("gb18030"))
    assert refused(lambda: read(folder)) == [
        "enterprises.csv:3: has bytes that are not UTF-8 (0xBB), though line 2 before it "
        "is UTF-8: the file mixes encodings; save it all as CSV UTF-8"
    ]


def test_bytes_of_no_encoding_are_refused_at_their_line(folder: Path) -> None:
    lines = enterprise_lines(folder)
    data = "\n".join(lines).encode().replace(b"Gamma", b"Ga\xffmma")
    (folder / "enterprises.csv").write_bytes(data)
    assert refused(lambda: read(folder)) == [
        "enterprises.csv:4: has bytes that are neither UTF-8 nor GB18030/GBK (0xFF); save "
        "the file as CSV UTF-8"
    ]
    (folder / "enterprises.csv").write_bytes(b"\xef\xbb\xbf" + data.replace(b"\xff", b"\xc6"))
    assert refused(lambda: read(folder)) == [
        "enterprises.csv:4: has bytes that are not UTF-8 (0xC6), though the file starts "
        "with a UTF-8 byte order mark: it mixes encodings; save it all as CSV UTF-8"
    ]


def test_gbk_that_looks_like_utf8_for_a_character_still_reads_as_gbk(folder: Path) -> None:
    # 伟 in GBK (0xCE 0xB0) is also a valid UTF-8 character; 巴 after it is not.
    lines = [ENTERPRISES_HEADER, "E1,伟巴斯特,parts,55,5,锦程街道,,G1,,,true" + "," * (WIDTH - 11)]
    write_lines(folder / "enterprises.csv", lines, "gb18030")
    tables, _ = read(folder)
    assert tables["enterprises"].rows[0][1][1] == "伟巴斯特"


def test_utf16_unicode_text_from_excel_is_read_tab_separated(folder: Path) -> None:
    lines = [line.replace(",", "\t") for line in enterprise_lines(folder)]
    lines[1] = lines[1].replace("Alpha", "一汽法雷奥, Alpha")  # a comma in a cell stays text
    (folder / "enterprises.csv").write_bytes("\r\n".join(lines).encode("utf-16"))
    tables, _ = read(folder)
    firms = tables["enterprises"]
    assert firms.header == ENTERPRISES_HEADER.split(",")
    assert firms.rows[0] == (2, "E1\t一汽法雷奥, Alpha".split("\t") + lines[1].split("\t")[2:])
    assert len(firms.rows) == 7


# --- Folders and workbooks: which files are read ------------------------------------------


def test_two_files_for_one_table_are_refused_naming_both(folder: Path) -> None:
    (folder / "企业.csv").write_bytes((folder / "enterprises.csv").read_bytes())
    assert refused(lambda: read(folder)) == [
        "企业.csv: is a second file for the enterprises table, beside enterprises.csv; keep "
        "one of them"
    ]


def test_a_folder_named_like_a_table_file_is_refused(folder: Path) -> None:
    (folder / "liaisons.csv").unlink()
    (folder / "liaisons.csv").mkdir()
    assert refused(lambda: read(folder)) == ["liaisons.csv: is a folder, not a CSV file"]


def test_files_matching_no_table_are_warned_of_hidden_and_lock_files_are_not(
    folder: Path,
) -> None:
    (folder / "notes.txt").write_text("for people")
    (folder / "企业.xlsx").write_bytes(b"")
    (folder / "enterprises_2023.csv").write_text("id\n")
    (folder / "old").mkdir()
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / "~$enterprises.csv").write_bytes(b"\0")
    tables, warnings = read(folder)
    assert len(tables) == 9  # the small zone's files, and an empty instructors table
    assert [re.sub(r" \(the tables are .*\)$", " (…)", w) for w in warnings] == [
        "enterprises_2023.csv: warning: matches no table; ignored (…)",
        "notes.txt: warning: matches no table; ignored (…)",
        "old: warning: is a folder; ignored (a zone's files are read from the folder itself)",
        "企业.xlsx: warning: is a workbook, and a folder's tables are read from CSV files; "
        "ignored (save the sheet as enterprises.csv, or load the workbook by itself)",
    ]
    assert warnings[0].endswith(
        "(the tables are enterprises.csv or 企业.csv, party_orgs.csv or 党组织.csv, studios.csv"
        " or 工作室.csv, coverage.csv or 覆盖.csv, supply_links.csv or 供应链.csv, alliances.csv"
        " or 联盟.csv, alliance_members.csv or 联盟成员.csv, instructors.csv or 党建指导员.csv or"
        " 指导员.csv, liaisons.csv or 联络员.csv)"
    )


# --- Numbers -------------------------------------------------------------------------------

WHOLE = Prop("n", PropType.INT)
REAL = Prop("x", PropType.FLOAT)


def cell_refusal(prop: Prop, text: str) -> str:
    with pytest.raises(CellError) as info:
        parse_cell(prop, text)
    return str(info.value)


def test_whole_numbers_are_exact_and_within_64_bits() -> None:
    assert parse_cell(WHOLE, "9007199254740993") == 9007199254740993
    assert parse_cell(WHOLE, str(2**63 - 1)) == 2**63 - 1
    assert parse_cell(WHOLE, str(-(2**63))) == -(2**63)
    for text in (str(2**63), str(-(2**63) - 1), "1e30"):
        assert cell_refusal(WHOLE, text) == "is outside the 64-bit whole-number range"


def test_whole_numbers_are_judged_in_decimal_arithmetic() -> None:
    assert cell_refusal(WHOLE, "12.0000000000000001") == "is not a whole number"
    assert parse_cell(WHOLE, "12.0") == 12
    assert parse_cell(WHOLE, "1e3") == 1000
    assert cell_refusal(WHOLE, "1e-999999") == "is not a whole number"


def test_a_comma_is_a_thousands_separator_only_in_groups_of_three() -> None:
    assert parse_cell(WHOLE, "1,234") == 1234
    assert parse_cell(WHOLE, "-12,345,678") == -12345678
    for text in ("1,2,3", "12,34", "1234,567", ",123"):
        assert cell_refusal(WHOLE, text) == (
            "is not a whole number: a comma may only separate groups of three digits, as in "
            "12,345 (write decimals with a point)"
        )


def test_full_width_digits_and_signs_are_read() -> None:
    assert parse_cell(WHOLE, "１，２３４") == 1234
    assert parse_cell(WHOLE, "－５") == -5
    assert parse_cell(REAL, "＋１２．５") == 12.5
    assert parse_cell(Prop("b", PropType.BOOL), "ＴＲＵＥ") is True
    assert cell_refusal(WHOLE, "1²") == "is not a whole number"  # only the full-width forms


def test_reals_take_the_same_separators_and_keep_their_checks() -> None:
    assert parse_cell(REAL, "12,345,678.5") == 12345678.5
    assert cell_refusal(REAL, "12,34").startswith("is not a number: a comma may only separate")
    assert cell_refusal(REAL, "nan") == "is not a finite number"
    assert cell_refusal(REAL, "-1e999") == "is not a finite number"
    assert cell_refusal(REAL, "many") == "is not a number"
    lat = TABLE["enterprises"].column("lat")
    assert cell_refusal(lat, "91") == "is out of range (-90–90)"
    star = TABLE["enterprises"].column("star")
    assert cell_refusal(star, "7") == "is out of range (0–5)"
    members = TABLE["enterprises"].column("party_members")
    assert cell_refusal(members, "-3") == "is below the minimum 0"
    assert cell_refusal(members, "many") == "is not a whole number"


# --- Workbooks -----------------------------------------------------------------------------


def zone_workbook(path: Path, spoil: Callable[[Any], None] | None = None) -> Path:
    """The small zone as an ``.xlsx`` workbook (one sheet per table), written by openpyxl."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in small_zone().items():
        sheet = wb.create_sheet(name)
        columns = list(rows[0])
        sheet.append(columns)
        for row in rows:
            sheet.append([row[c] for c in columns])
    if spoil is not None:
        spoil(wb)
    wb.save(path)
    return path


def rewrite(path: Path, part: str, change: Callable[[str], str]) -> None:
    """Rewrite one XML part inside the zip, as a damaged or hand-made workbook has it."""
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    text = parts[part].decode()
    changed = change(text)
    assert changed != text, f"nothing changed in {part}"
    parts[part] = changed.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


FIRMS_SHEET = "xl/worksheets/sheet1.xml"  # openpyxl writes the sheets in order


def replace_cell(ref: str, xml: str) -> Callable[[str], str]:
    """A rewrite putting ``xml`` in place of the cell ``ref``."""

    def change(text: str) -> str:
        return re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml, text, count=1)

    return change


def test_a_stale_dimension_does_not_drop_rows(tmp_path: Path) -> None:
    book = zone_workbook(tmp_path / "zone.xlsx")
    rewrite(  # the sheet says it ends at row 3; it ends at row 8
        book,
        FIRMS_SHEET,
        lambda t: re.sub(r'<dimension ref="A1:([A-Z]+)8"', r'<dimension ref="A1:\g<1>3"', t),
    )
    tables, _ = read(book)
    assert [row[1][0] for row in tables["enterprises"].rows] == [f"E{i}" for i in range(1, 8)]


def test_a_huge_dimension_is_read_as_the_real_rows(tmp_path: Path) -> None:
    book = zone_workbook(tmp_path / "zone.xlsx")
    rewrite(
        book,
        FIRMS_SHEET,
        lambda t: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', t),
    )
    tables, _ = read(book)
    firms = tables["enterprises"]
    written = len(small_zone()["enterprises"][0])  # the columns the workbook was given
    assert len(firms.header) == written and len(firms.rows) == 7
    assert all(len(cells) == written for _, cells in firms.rows)


def test_a_formula_without_a_saved_value_or_an_error_value_is_refused(tmp_path: Path) -> None:
    def spoil(wb: Any) -> None:
        wb["enterprises"]["E4"] = "=1+2"  # openpyxl saves no value

    book = zone_workbook(tmp_path / "zone.xlsx", spoil)
    rewrite(book, FIRMS_SHEET, replace_cell("D7", '<c r="D7"><f>SUM(A1:A3)</f></c>'))
    rewrite(book, FIRMS_SHEET, replace_cell("C5", '<c r="C5" t="e"><v>#N/A</v></c>'))
    rewrite(book, FIRMS_SHEET, replace_cell("D8", '<c r="D8" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    assert refused(lambda: read(book)) == [
        "zone.xlsx[enterprises]:4: E4: formula =1+2 has no saved value; open the workbook in "
        "Excel and save it again",
        "zone.xlsx[enterprises]:5: C5: holds the error value #N/A; correct it or clear the cell",
        "zone.xlsx[enterprises]:7: D7: formula =SUM(A1:A3) has no saved value; open the "
        "workbook in Excel and save it again",
        "zone.xlsx[enterprises]:8: D8: formula =1/0 gives the error #DIV/0!; correct it or "
        "clear the cell",
    ]


def test_a_formula_with_a_saved_value_gives_the_value(tmp_path: Path) -> None:
    book = zone_workbook(tmp_path / "zone.xlsx")
    rewrite(book, FIRMS_SHEET, replace_cell("D7", '<c r="D7"><f>SUM(A1:A3)</f><v>45</v></c>'))
    cell = '<c r="C7" t="str"><f>IF(1,"","x")</f><v></v></c>'  # a saved empty string
    rewrite(book, FIRMS_SHEET, replace_cell("C7", cell))
    tables, _ = read(book)
    assert tables["enterprises"].rows[5][1][:4] == ["E6", "Zeta", "", "45"]


def test_a_merge_down_one_column_fills_every_row_and_is_recorded(tmp_path: Path) -> None:
    def spoil(wb: Any) -> None:
        wb["enterprises"].merge_cells("F4:F6")  # E3–E5's street

    tables, _ = read(zone_workbook(tmp_path / "zone.xlsx", spoil))
    firms = tables["enterprises"]
    assert [cells[5] for _, cells in firms.rows] == ["S1", "S1", "S2", "S2", "S2", "S2", "S1"]
    assert firms.fills == {(5, 5): "F4:F6", (6, 5): "F4:F6"}


def test_a_merged_number_is_refused_where_a_merged_label_fills_down(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    def spoil(wb: Any) -> None:
        wb["enterprises"].merge_cells("F2:F3")  # E1–E2's street: a label, filled down
        wb["enterprises"].merge_cells("E5:E6")  # E4–E5's party members: a count, refused

    book = zone_workbook(tmp_path / "zone.xlsx", spoil)
    assert refused(lambda: load_path(embedded, book, replace=True)) == [
        "zone.xlsx[enterprises]:6: party_members: '0' is part of the merged cells E5:E6; a "
        "number or yes/no cannot be shared by several rows: unmerge it and give each row its "
        "own value"
    ]
    wb_path = zone_workbook(
        tmp_path / "labels.xlsx", lambda wb: wb["enterprises"].merge_cells("F2:F3")
    )
    load_path(embedded, wb_path, replace=True)
    streets = {r["id"]: r["street"] for r in embedded.read().rows("enterprises")}
    assert (streets["E1"], streets["E2"]) == ("S1", "S1")


def test_merges_across_columns_and_values_hidden_under_a_merge_are_refused(
    tmp_path: Path,
) -> None:
    def spoil(wb: Any) -> None:
        sheet = wb["enterprises"]
        sheet.merge_cells("A1:B1")
        sheet.merge_cells("G3:H3")
        sheet.merge_cells("J1:J2")

    book = zone_workbook(tmp_path / "zone.xlsx", spoil)
    hidden = '<mergeCell ref="F3:F4"/></mergeCells>'  # F4 keeps its own value, as Excel never
    rewrite(book, FIRMS_SHEET, lambda t: t.replace("</mergeCells>", hidden))
    assert refused(lambda: read(book)) == [
        "zone.xlsx[enterprises]:1: A1:B1: merged across columns; unmerge it so each value has "
        "its own cell",
        "zone.xlsx[enterprises]:1: J1:J2: merges the header cell with data rows; unmerge it",
        "zone.xlsx[enterprises]:3: G3:H3: merged across columns; unmerge it so each value has "
        "its own cell",
        "zone.xlsx[enterprises]:4: F4: 'S2' lies under the merged cells F3:F4, which show "
        "only F3's value; unmerge them or clear this cell",
    ]


def test_two_sheets_for_one_table_are_refused_others_are_warned_of(tmp_path: Path) -> None:
    def spoil(wb: Any) -> None:
        wb.create_sheet("企业").append(["id", "name"])
        wb.create_sheet("说明").append(["notes for people"])

    book = zone_workbook(tmp_path / "zone.xlsx", spoil)
    warnings: list[Problem] = []
    with pytest.raises(ValidationFailed) as info:
        read_source(book, warnings=warnings)
    assert [str(p) for p in info.value.problems] == [
        "zone.xlsx[企业]: is a second sheet for the enterprises table, beside sheet "
        "'enterprises'; keep one of them"
    ]
    assert [str(w).split(" (")[0] for w in warnings] == [
        "zone.xlsx[说明]: warning: matches no table; ignored"
    ]


def test_workbook_cells_over_the_limit_or_with_a_nul_or_bom_are_refused(tmp_path: Path) -> None:
    def spoil(wb: Any) -> None:
        wb["enterprises"]["U7"] = "a note"  # beyond the header's last column, T

    book = zone_workbook(tmp_path / "zone.xlsx", spoil)
    long = f'<c r="B3" t="inlineStr"><is><t>{"B" * 32_768}</t></is></c>'
    rewrite(book, FIRMS_SHEET, replace_cell("B3", long))
    nul = '<c r="B4" t="inlineStr"><is><t>Gam_x0000_ma</t></is></c>'  # how OOXML writes a NUL
    rewrite(book, FIRMS_SHEET, replace_cell("B4", nul))
    bom = '<c r="A6" t="inlineStr"><is><t>\ufeffE5</t></is></c>'
    rewrite(book, FIRMS_SHEET, replace_cell("A6", bom))
    assert refused(lambda: read(book)) == [
        f"zone.xlsx[enterprises]:3: B3: '{'B' * 40}…' has 32,768 characters; a cell holds at "
        "most 32,767",
        "zone.xlsx[enterprises]:4: B4: 'Gam\\x00ma' holds a NUL character (a zero byte), which "
        "no text has: the file is damaged or in another encoding",
        "zone.xlsx[enterprises]:6: A6: '\\ufeffE5' holds a byte order mark (U+FEFF), an "
        "invisible character that belongs only at the very start of a file (was another file "
        "pasted in?); delete it",
        "zone.xlsx[enterprises]:7: U7: 'a note' is a value under a blank header cell (U1); "
        "name the column in the header or clear the cell",
    ]


# A workbook as Excel (or another writer) saves it, written by hand: shared strings with rich
# text and phonetic runs, inline strings, booleans, numbers, dates, cells without references.
TRANSITIONAL = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
)
STRICT = (
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SHARED = [
    *("id", "name", "employees", "key_firm", "industry", "park", "lat"),
    "<r><t>E</t></r><r><rPr><b/></rPr><t>1</t></r><rPh sb='0' eb='1'><t>phonetic</t></rPh>",
    "parts_x000A_auto",
]


def handmade(path: Path, *, strict: bool, prefix: bool, date1904: bool) -> Path:
    main, rel = STRICT if strict else TRANSITIONAL
    p = "x:" if prefix else ""
    ns = f'xmlns{":x" if prefix else ""}="{main}" xmlns:r="{rel}"'

    def strings() -> str:
        items = "".join(
            f"<{p}si>{s}</{p}si>" if s.startswith("<") else f"<{p}si><{p}t>{s}</{p}t></{p}si>"
            for s in SHARED
        )
        return (
            f"<{p}sst {ns}>{items.replace('<r>', f'<{p}r>').replace('</r>', f'</{p}r>')}</{p}sst>"
        )

    def inline(text: str, ref: str = "") -> str:
        at = f' r="{ref}"' if ref else ""
        return f'<{p}c{at} t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>'

    def cell(ref: str, value: str, extra: str = "") -> str:
        return f'<{p}c r="{ref}"{extra}><{p}v>{value}</{p}v></{p}c>'

    header = "".join(cell(f"{chr(65 + i)}1", str(i), ' t="s"') for i in range(7))
    row2 = (
        cell("A2", "7", ' t="s"')
        + f'<{p}c r="B2" t="inlineStr"><{p}is><{p}r><{p}t>一汽</{p}t></{p}r><{p}r><{p}t>法雷奥'
        f"</{p}t></{p}r><{p}rPh><{p}t>yiqi</{p}t></{p}rPh></{p}is></{p}c>"
        + cell("C2", "9007199254740993")
        + cell("D2", "1", ' t="b"')
        + cell("E2", "8", ' t="s"')
        + cell("F2", "44259", ' s="1"')
        + cell("G2", "4.55E1")
    )
    row3 = inline("E2") + inline("Beta") + f"<{p}c><{p}v>1E3</{p}v></{p}c>"
    row5 = inline("E3", "A5") + inline("Gamma", "B5") + cell("F5", "44259", ' s="2"')
    sheet = (
        f'<{p}worksheet {ns}><{p}dimension ref="A1"/><{p}sheetData><{p}row r="1">{header}'
        f'</{p}row><{p}row r="2">{row2}</{p}row><{p}row>{row3}</{p}row><{p}row r="5">{row5}'
        f"</{p}row></{p}sheetData></{p}worksheet>"
    )
    styles = (
        f'<{p}styleSheet {ns}><{p}numFmts><{p}numFmt numFmtId="164" formatCode="0.0"/>'
        f'</{p}numFmts><{p}cellXfs><{p}xf numFmtId="0"/><{p}xf numFmtId="14"/>'
        f'<{p}xf numFmtId="31"/></{p}cellXfs></{p}styleSheet>'
    )
    pr = f'<{p}workbookPr date1904="1"/>' if date1904 else ""
    workbook = (
        f'<{p}workbook {ns}>{pr}<{p}sheets><{p}sheet name="企业" sheetId="1" r:id="rId1"/>'
        f"</{p}sheets></{p}workbook>"
    )

    def rels(*items: tuple[str, str, str]) -> str:
        inner = "".join(
            f'<Relationship Id="{i}" Type="{rel}/{kind}" Target="{target}"/>'
            for i, kind, target in items
        )
        return f'<Relationships xmlns="{PACKAGE}">{inner}</Relationships>'

    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override '
        'PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.styles+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels(("rId1", "officeDocument", "xl/workbook.xml")))
        z.writestr("xl/workbook.xml", workbook)
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            rels(
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "sharedStrings", "/xl/sharedStrings.xml"),
                ("rId3", "styles", "styles.xml"),
            ),
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", strings())
        z.writestr("xl/styles.xml", styles)
    return path


@pytest.mark.parametrize(
    ("strict", "prefix", "date1904"),
    [(False, False, False), (True, False, False), (False, True, False), (True, True, True)],
    ids=["transitional", "strict", "prefixed", "strict-prefixed-1904"],
)
def test_a_workbook_reads_as_its_cells_show(
    tmp_path: Path, strict: bool, prefix: bool, date1904: bool
) -> None:
    import datetime as dt

    book = handmade(tmp_path / "book.xlsx", strict=strict, prefix=prefix, date1904=date1904)
    tables, warnings = read(book)
    firms = tables["enterprises"]
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    day = (epoch + dt.timedelta(days=44259)).isoformat()
    assert (firms.source, warnings) == ("book.xlsx[企业]", [])
    assert firms.header == ["id", "name", "employees", "key_firm", "industry", "park", "lat"]
    assert firms.rows == [
        (2, ["E1", "一汽法雷奥", "9007199254740993", "true", "parts\nauto", day, "45.5"]),
        (3, ["E2", "Beta", "1000", "", "", "", ""]),
        (5, ["E3", "Gamma", "", "", "", day, ""]),
    ]


# --- The command, as a user runs it ---------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def zonegraph_load(tmp_path: Path, source: Path) -> subprocess.CompletedProcess[str]:
    """``zonegraph load SOURCE --replace`` in a new process, on a database of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}
    env["ZONEGRAPH_DB"] = str(tmp_path / "z.lbug")
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "load", str(source), "--replace"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        check=False,
    )


def assert_refused(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    for text in expected:
        assert text in done.stderr.splitlines(), f"{text!r} not in:\n{done.stderr}"
    assert f"refused: {len(expected)} problem(s); nothing was written" in done.stderr


def test_the_command_refuses_every_csv_problem_at_once(tmp_path: Path, folder: Path) -> None:
    lines = supply_lines(120)
    lines[99] = lines[99].rsplit(",", 1)[0] + ',"bolts'
    write_lines(folder / "supply_links.csv", lines)
    lines = enterprise_lines(folder)
    lines[2] = "E2,Beta,parts,15,1"
    lines[3] = lines[3].replace("Gamma", "G" * 140_000)
    lines[5] = "\ufeff" + lines[5]
    write_lines(folder / "enterprises.csv", lines)
    orgs = (folder / "party_orgs.csv").read_text(encoding="utf-8-sig").splitlines()
    orgs[1] = orgs[1].replace("Zone", "汽开区")
    orgs[3] = orgs[3] + "\udcb9"  # a lone GBK byte after UTF-8 lines
    (folder / "party_orgs.csv").write_bytes("\n".join(orgs).encode("utf-8", "surrogateescape"))
    (folder / "企业.csv").write_bytes((folder / "alliances.csv").read_bytes())
    (folder / "liaisons.csv").unlink()
    (folder / "liaisons.csv").mkdir()
    assert_refused(
        zonegraph_load(tmp_path, folder),
        f"enterprises.csv:3: has 5 cells; the header has {WIDTH}",
        f"enterprises.csv:4: name: '{'G' * 40}…' has 140,000 characters; a cell holds at most "
        "32,767",
        "enterprises.csv:6: id: '\\ufeffE5' holds a byte order mark (U+FEFF), an invisible "
        "character that belongs only at the very start of a file (was another file pasted "
        "in?); delete it",
        "liaisons.csv: is a folder, not a CSV file",
        "party_orgs.csv:4: has bytes that are not UTF-8 (0xB9), though line 2 before it is "
        "UTF-8: the file mixes encodings; save it all as CSV UTF-8",
        "supply_links.csv:100: product: a quoted cell opens here and is never closed, so lines "
        "100–120 would become one cell; close the quote (a quote inside a cell is written "
        'twice: "")',
        "企业.csv: is a second file for the enterprises table, beside enterprises.csv; keep one "
        "of them",
    )


def test_the_command_refuses_numbers_it_cannot_keep_exactly(tmp_path: Path, folder: Path) -> None:
    lines = enterprise_lines(folder)
    lines[1] = lines[1].replace("E1,Alpha,parts,55,5,", f'E1,Alpha,parts,{2**63},"1,2,3",')
    lines[2] = lines[2].replace("E2,Beta,parts,15,1,", "E2,Beta,parts,12.0000000000000001,1,")
    write_lines(folder / "enterprises.csv", lines)
    assert_refused(
        zonegraph_load(tmp_path, folder),
        f"enterprises.csv:2: employees: '{2**63}' is outside the 64-bit whole-number range",
        "enterprises.csv:2: party_members: '1,2,3' is not a whole number: a comma may only "
        "separate groups of three digits, as in 12,345 (write decimals with a point)",
        "enterprises.csv:3: employees: '12.0000000000000001' is not a whole number",
    )


def test_the_command_refuses_workbook_cells_it_cannot_read(tmp_path: Path) -> None:
    def spoil(wb: Any) -> None:
        wb["enterprises"].merge_cells("G3:H3")
        wb.create_sheet("企业").append(["id", "name"])

    book = zone_workbook(tmp_path / "zone.xlsx", spoil)
    rewrite(book, FIRMS_SHEET, replace_cell("D7", '<c r="D7"><f>SUM(A1:A3)</f></c>'))
    assert_refused(
        zonegraph_load(tmp_path, book),
        "zone.xlsx[enterprises]:3: G3:H3: merged across columns; unmerge it so each value has "
        "its own cell",
        "zone.xlsx[enterprises]:7: D7: formula =SUM(A1:A3) has no saved value; open the "
        "workbook in Excel and save it again",
        "zone.xlsx[企业]: is a second sheet for the enterprises table, beside sheet "
        "'enterprises'; keep one of them",
    )


def test_the_command_warns_of_files_it_ignores(tmp_path: Path, folder: Path) -> None:
    (folder / "notes.txt").write_text("for people")
    (folder / "~$enterprises.csv").write_bytes(b"\0")
    done = zonegraph_load(tmp_path, folder)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "notes.txt: warning: matches no table; ignored (the tables are enterprises.csv" in (
        done.stderr
    )
    assert "~$" not in done.stderr
