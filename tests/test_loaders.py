"""Loading organizers' files: every kind of bad input is refused with every problem located,
nothing is written then; good files in every accepted shape load."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_model.errors import ValidationFailed
from graph_model.mapping import Zone
from graph_model.store.embedded import EmbeddedStore
from loaders.load import export_zone, load_path, load_tables
from queries.catalog import run_query
from tests.zones import small_zone


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The small zone as a contract folder, for tests to spoil."""
    out = tmp_path / "zone"
    export_zone(Zone(small_zone()), out)
    return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(store: EmbeddedStore, path: Path, replace: bool = True) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        load_path(store, path, replace=replace)
    return [str(p) for p in info.value.problems]


def test_good_folder_loads(embedded: EmbeddedStore, folder: Path) -> None:
    report = load_path(embedded, folder, replace=True)
    assert report.counts["enterprises"] == 7
    assert report.warnings == []
    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E5", "E6"]


def test_wrong_type_is_located_by_file_line_and_column(
    embedded: EmbeddedStore, folder: Path
) -> None:
    edit(folder / "enterprises.csv", "E3,Gamma,logistics,35,3,", "E3,Gamma,logistics,35,many,")
    assert refused(embedded, folder) == [
        "enterprises.csv:4: party_members: 'many' is not a whole number"
    ]


def test_every_problem_is_reported_not_just_the_first(
    embedded: EmbeddedStore, folder: Path
) -> None:
    edit(folder / "enterprises.csv", "E1,Alpha,parts,55,5,", "E1,Alpha,parts,-3,5,")
    edit(
        folder / "enterprises.csv", "E2,Beta,parts,15,1,S1,,G1,,,", "E2,Beta,parts,15,1,S1,,G1,,7,"
    )
    edit(folder / "party_orgs.csv", "J1,Joint,joint_branch", "J1,Joint,joint_brunch")
    edit(folder / "coverage.csv", "J1,E3,organization", "J1,E3,organisation")
    edit(folder / "coverage.csv", "S02,E7,work", "S02,E7,organization")
    edit(folder / "supply_links.csv", "E2,E1,bolts", "E2,E99,bolts")
    problems = refused(embedded, folder)
    assert problems == [
        "coverage.csv:2: mode: 'organisation' is not one of organization, work",
        "coverage.csv:6: mode: 'organization' a studio gives work coverage only (use mode work)",
        "enterprises.csv:2: employees: '-3' is below the minimum 0",
        "enterprises.csv:3: star: '7' is out of range (0–5)",
        "party_orgs.csv:5: kind: 'joint_brunch' is not one of zone_committee, "
        "nonpublic_committee, street_committee, park_org, community_station, enterprise_org, "
        "joint_branch, industry_branch, association_branch",
        "supply_links.csv:2: customer_id: 'E99' names no enterprise",
    ]


def test_missing_file_and_missing_required_column(embedded: EmbeddedStore, folder: Path) -> None:
    (folder / "studios.csv").unlink()
    edit(folder / "alliances.csv", "id,name,lead_id,theme", "id,title,lead_id,theme")
    problems = refused(embedded, folder)
    assert f"{folder}/studios.csv: required file is missing" in problems
    assert "alliances.csv:1: name: required column is missing" in problems
    assert "alliances.csv:1: warning: title: is not a contract column; ignored" not in problems


def test_duplicate_ids_and_ids_shared_by_two_kinds(embedded: EmbeddedStore, folder: Path) -> None:
    edit(folder / "enterprises.csv", "E2,Beta", "E1,Beta")
    edit(folder / "studios.csv", "S02,Studio two", "J1,Studio two")
    problems = refused(embedded, folder)
    assert "enterprises.csv:3: id: 'E1' duplicate id (first on line 2)" in problems
    assert (
        "studios.csv:3: id: 'J1' id is already used by a party organization (party_orgs.csv:5)"
        in problems
    )


def test_references_must_name_the_right_kind(embedded: EmbeddedStore, folder: Path) -> None:
    edit(folder / "studios.csv", "S01,Studio one,ST", "S01,Studio one,J1")
    edit(folder / "coverage.csv", "J1,E3,organization", "E2,E3,organization")
    edit(folder / "alliances.csv", "A1,Alliance,E1", "A1,Alliance,ST")
    problems = refused(embedded, folder)
    assert problems == [
        "alliances.csv:2: lead_id: 'ST' is a party organization, not an enterprise",
        "coverage.csv:2: coverer_id: 'E2' is an enterprise, not a party organization, studio or "
        "instructor",
        "studios.csv:2: station_id: 'J1' is a joint_branch organization, not a community_station",
    ]


def test_reporting_cycles_and_self_supply(embedded: EmbeddedStore, folder: Path) -> None:
    edit(folder / "party_orgs.csv", "Z,Zone,zone_committee,", "Z,Zone,zone_committee,J1")
    edit(folder / "supply_links.csv", "E2,E1,bolts", "E2,E2,bolts")
    problems = refused(embedded, folder)
    assert "supply_links.csv:2: customer_id: 'E2' a firm cannot supply itself" in problems
    assert any("reporting cycle: " in p for p in problems)


def test_refused_load_leaves_the_database_unchanged(embedded: EmbeddedStore, folder: Path) -> None:
    load_path(embedded, folder, replace=True)
    before = embedded.read()
    edit(folder / "enterprises.csv", "E5,Eps", "E5,")  # name is required
    edit(folder / "enterprises.csv", "E6,Zeta", "E60,Zeta")
    with pytest.raises(ValidationFailed):
        load_path(embedded, folder, replace=True)
    with pytest.raises(ValidationFailed):
        load_path(embedded, folder, replace=False)
    assert embedded.read() == before


def test_upsert_updates_given_columns_and_keeps_the_rest(
    embedded: EmbeddedStore, folder: Path, tmp_path: Path
) -> None:
    load_path(embedded, folder, replace=True)
    update = tmp_path / "update"
    update.mkdir()
    (update / "enterprises.csv").write_text(
        "id,name,party_members\nE5,Eps Ltd,3\nE8,Theta,1\n", encoding="utf-8"
    )
    (update / "coverage.csv").write_text(
        "coverer_id,enterprise_id,mode\nS02,E8,work\nS02,E7,work\n", encoding="utf-8"
    )
    load_path(embedded, update)
    firms = {r["id"]: r for r in embedded.read().rows("enterprises")}
    assert firms["E5"]["name"] == "Eps Ltd" and firms["E5"]["party_members"] == 3
    assert firms["E5"]["grid"] == "G2"  # not in the update: kept
    assert firms["E8"]["status"] == "operating"  # new row: defaults apply
    assert len(embedded.read().rows("coverage")) == 6  # S02,E7 already there: counted once
    assert [r["id"] for r in run_query(embedded, "should_form_branch")] == ["E6", "E3", "E5"]


def test_upsert_may_reference_what_is_already_stored(
    embedded: EmbeddedStore, folder: Path, tmp_path: Path
) -> None:
    load_path(embedded, folder, replace=True)
    update = tmp_path / "update"
    update.mkdir()
    (update / "supply_links.csv").write_text(
        "supplier_id,customer_id\nE7,E1\nE1,E404\n", encoding="utf-8"
    )
    assert refused(embedded, update, replace=False) == [
        "supply_links.csv:3: customer_id: 'E404' names no enterprise"
    ]


def test_chinese_headers_values_and_gbk_encoding(embedded: EmbeddedStore, tmp_path: Path) -> None:
    folder = tmp_path / "gbk"
    export_zone(Zone(small_zone()), folder)
    (folder / "enterprises.csv").write_bytes(
        (
            "企业编号,企业名称,行业,党员人数,街道,网格,是否重点企业,经营状态,备注\n"
            "E1,一汽法雷奥,汽车零部件,5,锦程街道,G1,是,在营,龙头\n"
            "E2,华奥,汽车零部件,1,锦程街道,G1,否,,\n"
            "E3,繁荣冲压件有限公司,汽车零部件,3,锦程街道,G2,否,在营,\n"
            "E4,卡斯马,汽车零部件,0,锦程街道,,否,注销,\n"
            "E5,伟巴斯特,汽车零部件,2,,G2,否,在营,\n"
            "E6,鹏昊金属制品有限公司,机械制造,4,锦程街道,G2,否,在营,\n"
            "E7,中海销售有限公司,汽车销售,0,锦程街道,G1,否,在营,\n"
        ).encode("gb18030")
    )
    report = load_path(embedded, folder, replace=True)
    assert [str(w) for w in report.warnings] == [
        "enterprises.csv:1: warning: 备注: is not a contract column; ignored"
    ]
    firms = {r["id"]: r for r in embedded.read().rows("enterprises")}
    assert firms["E1"]["name"] == "一汽法雷奥" and firms["E1"]["key_firm"] is True
    assert firms["E4"]["status"] == "closed"
    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E5", "E6"]


def test_utf8_with_bom_and_crlf(embedded: EmbeddedStore, folder: Path) -> None:
    path = folder / "alliances.csv"
    path.write_bytes("\ufeffid,name,lead_id,theme\r\nA1,红旗联盟,E1,整车\r\n".encode())
    load_path(embedded, folder, replace=True)
    assert embedded.read().rows("alliances")[0]["name"] == "红旗联盟"


def test_xlsx_workbook_with_the_same_sheets(embedded: EmbeddedStore, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in small_zone().items():
        sheet = wb.create_sheet(name)
        columns = list(rows[0]) if rows else ["id"]
        sheet.append(columns)
        for row in rows:
            sheet.append([row[c] for c in columns])
    wb.create_sheet("说明").append(["notes for people, not a contract sheet"])
    sheet = wb["enterprises"]
    sheet["E3"] = "lots"  # party_members of E2, row 3
    path = tmp_path / "zone.xlsx"
    wb.save(path)
    assert refused(embedded, path) == [
        "zone.xlsx[enterprises]:3: party_members: 'lots' is not a whole number"
    ]
    sheet["E3"] = 1
    wb.save(path)
    load_path(embedded, path, replace=True)
    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E5", "E6"]


def test_not_a_source(embedded: EmbeddedStore, tmp_path: Path) -> None:
    assert refused(embedded, tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: does not exist"]
    bad = tmp_path / "zone.xlsx"
    bad.write_bytes(b"not a zip")
    assert refused(embedded, bad)[0].startswith("zone.xlsx: is not a readable .xlsx workbook")


def test_export_then_load_round_trips(embedded: EmbeddedStore, tmp_path: Path) -> None:
    load_tables(embedded, small_zone(), source="test")
    first = embedded.read()
    export_zone(first, tmp_path / "a")
    load_path(embedded, tmp_path / "a", replace=True)
    assert embedded.read() == first
    export_zone(embedded.read(), tmp_path / "b")
    for name in sorted(p.name for p in (tmp_path / "a").iterdir()):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
