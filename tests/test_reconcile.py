"""Reconciling the ledger with a market-regulation register: the exact change report, the zone
with the register applied (and what the coverage queries say after writing it), and every bad
register refused with its problems located."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from graph_model.errors import ValidationFailed
from graph_model.mapping import Zone
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from loaders.readers import raw_from_rows
from loaders.reconcile import Reconciliation, read_register, reconcile
from loaders.validate import validate
from queries.catalog import run_query
from tests.zones import small_zone

#: Closes Eps (E5, uncovered), adds Theta (N1), changes Gamma's (E3) party members, leaves out
#: Eta (E7, operating: missing) and Delta (E4, closed: not missing), and lists Zeta with no
#: credit code and no member count (matched by name; its 4 members stay).
REGISTER = """统一社会信用代码,企业名称,经营状态,党员人数
E1,Alpha,存续,5
E2,Beta,在营,1
E3,Gamma,在营,6
E5,Eps,注销,2
,Zeta,在营,
N1,Theta,在营,2
"""

EXPECTED = [
    {
        "change": "changed",
        "id": "E3",
        "name": "Gamma",
        "field": "party_members",
        "before": "3",
        "after": "6",
    },
    {
        "change": "closed",
        "id": "E5",
        "name": "Eps",
        "field": "status",
        "before": "operating",
        "after": "closed",
    },
    {
        "change": "matched_by_name",
        "id": "E6",
        "name": "Zeta",
        "field": "id",
        "before": "E6",
        "after": None,
    },
    {"change": "missing", "id": "E7", "name": "Eta", "field": None, "before": None, "after": None},
    {"change": "new", "id": "N1", "name": "Theta", "field": None, "before": None, "after": "Theta"},
]


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def stored_zone(store: EmbeddedStore) -> Zone:
    load_tables(store, small_zone(), source="test")
    return store.read()


def firms(zone: Zone) -> dict[str, dict[str, object]]:
    return {r["id"]: r for r in zone.rows("enterprises")}


def refused(path: Path, zone: Zone | None = None) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        reconcile(read_register(path), zone or Zone(small_zone()))
    return [str(p) for p in info.value.problems]


def test_gb18030_register_reports_every_change_and_applies_it(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    zone = stored_zone(embedded)
    before = copy.deepcopy(zone.tables)
    path = write(tmp_path, REGISTER, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really GB18030, not UTF-8 in disguise

    result: Reconciliation = reconcile(read_register(path), zone)

    assert result.rows == EXPECTED
    assert result.warnings == []
    assert zone.tables == before, "the input zone must not change"
    applied = firms(result.zone)
    assert applied["E5"]["status"] == "closed"
    assert applied["E3"]["party_members"] == 6
    assert applied["E6"]["party_members"] == 4  # an empty cell never overwrites
    assert applied["E6"]["id"] == "E6"
    assert applied["E7"] == firms(zone)["E7"]  # missing: informational only
    assert applied["N1"] == {
        **dict.fromkeys(applied["E1"]),
        "id": "N1",
        "name": "Theta",
        "party_members": 2,
        "status": "operating",
    }

    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E5", "E6"]
    validate(raw_from_rows(result.zone.tables, "reconciled"))
    report = embedded.apply(result.changes)  # only the firms that change are written
    assert (report.created, report.updated) == ({"enterprises": 1}, {"enterprises": 2})
    assert firms(embedded.read()) == firms(result.zone)
    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E6", "N1"]
    summary = run_query(embedded, "zone_summary")[0]
    assert (summary["operating"], summary["closed"]) == (6, 2)
    reread = firms(embedded.read())
    assert reread["E3"]["party_members"] == 6
    assert reread["E5"]["status"] == "closed"
    assert reread["E7"]["status"] == "operating"

    again = reconcile(read_register(path), embedded.read())
    assert [r["change"] for r in again.rows] == ["matched_by_name", "missing"]


def test_bad_cell_and_duplicate_id_are_both_reported_with_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "统一社会信用代码,企业名称,党员人数\nE1,Alpha,many\nE2,Beta,1\n\nE2,Beta again,1\n",
    )
    assert refused(path) == [
        "register.csv:2: party_members: 'many' is not a whole number",
        "register.csv:5: id: 'E2' duplicate id (first on line 3)",
    ]


def test_missing_firms_are_reported_but_nothing_is_applied(tmp_path: Path) -> None:
    zone = Zone(small_zone())
    result = reconcile(read_register(write(tmp_path, "id,name\nE1,Alpha\n")), zone)
    assert [(r["change"], r["id"]) for r in result.rows] == [
        ("missing", "E2"),
        ("missing", "E3"),
        ("missing", "E5"),
        ("missing", "E6"),
        ("missing", "E7"),
    ]
    assert result.zone.tables == zone.tables
    assert result.zone is not zone
    assert result.zone.rows("enterprises") is not zone.rows("enterprises")


def test_reopened_renamed_and_matched_by_name_with_another_id(tmp_path: Path) -> None:
    register = (
        "信用代码,名称,状态,行业,是否重点企业,备注\n"
        "E4,Delta,正常,,否,reopened last month\n"  # closed in the graph: reopened
        "E1,Alpha Group,,,,\n"  # renamed; no status: unchanged
        "91220101MA0000000X,Beta,,logistics,,\n"  # Beta by name, under its credit code
    )
    result = reconcile(read_register(write(tmp_path, register)), Zone(small_zone()))
    assert [r for r in result.rows if r["change"] != "missing"] == [
        {
            "change": "changed",
            "id": "E1",
            "name": "Alpha",
            "field": "name",
            "before": "Alpha",
            "after": "Alpha Group",
        },
        {
            "change": "changed",
            "id": "E2",
            "name": "Beta",
            "field": "industry",
            "before": "parts",
            "after": "logistics",
        },
        {
            "change": "matched_by_name",
            "id": "E2",
            "name": "Beta",
            "field": "id",
            "before": "E2",
            "after": "91220101MA0000000X",
        },
        {
            "change": "reopened",
            "id": "E4",
            "name": "Delta",
            "field": "status",
            "before": "closed",
            "after": "operating",
        },
    ]
    assert [str(w) for w in result.warnings] == [
        "register.csv:1: warning: 备注: is not a contract column; ignored"
    ]
    applied = firms(result.zone)
    assert applied["E4"]["status"] == "operating"
    assert applied["E4"]["key_firm"] is False  # stored False already: no change row
    assert applied["E1"]["name"] == "Alpha Group"
    assert "91220101MA0000000X" not in applied  # the stored id is kept (others refer to it)
    validate(raw_from_rows(result.zone.tables, "reconciled"))


def test_a_closed_firm_not_in_the_graph_is_added_closed(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,status\nN9,Nu,注销\n")
    result = reconcile(read_register(path), Zone(small_zone()))
    assert [r for r in result.rows if r["change"] == "new"] == [
        {"change": "new", "id": "N9", "name": "Nu", "field": None, "before": None, "after": "Nu"}
    ]
    assert firms(result.zone)["N9"]["status"] == "closed"


def test_rows_that_cannot_be_matched_or_added_are_refused(tmp_path: Path) -> None:
    tables = small_zone()
    tables["enterprises"][6]["name"] = "Beta"  # E7 and E2 now share a name
    register = (
        "id,name\n"
        ",Beta\n"  # two stored firms have this name
        ",Nobody\n"  # new, but no id to add it under
        "O1,Org\n"  # a party organization's id
        ",Gamma\n"  # Gamma by name…
        "X3,Gamma\n"  # …and again
        "E1,\n"  # no name
    )
    assert refused(write(tmp_path, register), Zone(tables)) == [
        "register.csv:2: id: is required for a new firm; 2 stored firms have this name",
        "register.csv:3: id: is required for a new firm",
        "register.csv:4: id: 'O1' id is already used by a party organization",
        "register.csv:6: name: 'Gamma' matches the stored firm E3 by name, as line 5 does",
        "register.csv:7: name: is required",
    ]


def test_a_register_without_id_or_name_column_is_refused(tmp_path: Path) -> None:
    assert refused(write(tmp_path, "法定代表人,经营状态\nWang,在营\n")) == [
        "register.csv:1: has neither an id column nor a name column",
        "register.csv:1: name: required column is missing",
    ]


def test_a_name_only_register_matches_by_name(tmp_path: Path) -> None:
    result = reconcile(read_register(write(tmp_path, "企业名称\nAlpha\n")), Zone(small_zone()))
    assert result.rows[0] == {
        "change": "matched_by_name",
        "id": "E1",
        "name": "Alpha",
        "field": "id",
        "before": "E1",
        "after": None,
    }


def test_utf8_bom_csv_reads_like_gb18030(tmp_path: Path) -> None:
    zone = Zone(small_zone())
    bom = reconcile(read_register(write(tmp_path, REGISTER, "utf-8-sig", "a.csv")), zone)
    gb = reconcile(read_register(write(tmp_path, REGISTER, "gb18030", "b.csv")), zone)
    assert bom.rows == gb.rows == EXPECTED


def _workbook(path: Path, sheets: dict[str, str]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, text in sheets.items():
        ws = wb.create_sheet(title)
        for line in text.splitlines():
            ws.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    wb.save(path)
    return path


def test_xlsx_register_first_sheet_or_the_enterprises_sheet(tmp_path: Path) -> None:
    zone = Zone(small_zone())
    first = _workbook(tmp_path / "first.xlsx", {"Sheet1": REGISTER, "说明": "nothing"})
    named = _workbook(tmp_path / "named.xlsx", {"说明": "nothing", "企业": REGISTER})
    assert reconcile(read_register(first), zone).rows == EXPECTED
    raw = read_register(named)
    assert raw.source == "named.xlsx[企业]"
    assert reconcile(raw, zone).rows == EXPECTED
    bad = _workbook(tmp_path / "bad.xlsx", {"Sheet1": "id,name,党员人数\nE1,Alpha,many\n"})
    assert refused(bad) == ["bad.xlsx[Sheet1]:2: party_members: 'many' is not a whole number"]


def test_unreadable_paths_are_refused(tmp_path: Path) -> None:
    for path, reason in (
        (tmp_path / "nope.csv", "does not exist"),
        (write(tmp_path, "x", name="register.txt"), "is neither a .csv file nor an .xlsx workbook"),
        (write(tmp_path, "not a zip", name="broken.xlsx"), "is not a readable .xlsx workbook"),
    ):
        with pytest.raises(ValidationFailed) as info:
            read_register(path)
        assert reason in str(info.value.problems[0])
