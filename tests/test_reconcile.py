"""Reconciling the ledger with a market-regulation register: the exact change report, the zone
with the register applied (and what the coverage queries say after writing it), every bad
register refused with its problems located, and the register read as the register writes it
(header variants, its status words, dates, the report's languages)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from graph_model.changes import ChangeSet, Origin
from graph_model.errors import ConfigError, ValidationFailed
from graph_model.mapping import Zone
from graph_model.store.embedded import EmbeddedStore
from loaders.credit_code import check_character, generated_id
from loaders.load import load_tables
from loaders.readers import raw_from_rows
from loaders.reconcile import (
    COLUMNS,
    KINDS,
    Reconciliation,
    read_register,
    reconcile,
    report_columns,
    report_language,
    translated,
)
from loaders.register_read import REGISTER_FACTS, column_of, iso_date, registered_status
from loaders.validate import validate
from queries.catalog import run_query
from tests.zones import small_zone

#: Closes Eps (E5, uncovered), adds Theta (N1), leaves out Eta (E7, operating: missing) and
#: Delta (E4, closed: not missing), and lists Zeta with no credit code and no member count
#: (matched by name; its 4 members stay). Gamma's (E3) 6 members do not overwrite the
#: organizers' 3 (the register only fills blanks), unless asked (``updates``).
REGISTER = """统一社会信用代码,企业名称,经营状态,党员人数
E1,Alpha,存续,5
E2,Beta,在营,1
E3,Gamma,在营,6
E5,Eps,注销,2
,Zeta,在营,
N1,Theta,在营,2
"""

EXPECTED = [
    {"change": "new", "id": "N1", "name": "Theta", "field": None, "before": None, "after": "Theta"},
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
]


def code(n: int) -> str:
    """A valid unified social credit code (its check character right), one per ``n``."""
    body = f"91220101MA{n:07d}"
    return body + check_character(body)


CODE = code(2)


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
    assert [str(w) for w in result.warnings] == [
        "register.csv:7: warning: id: 'N1' has 2 characters; a unified social credit code has "
        "18; the new firm is added under it"
    ]
    assert zone.tables == before, "the input zone must not change"
    applied = firms(result.zone)
    assert (applied["E5"]["status"], applied["E5"]["reg_status"]) == ("closed", "注销")
    assert applied["E3"]["party_members"] == 3  # the organizers' count stays
    assert applied["E6"]["party_members"] == 4  # an empty cell never overwrites
    assert applied["E6"]["id"] == "E6"
    assert applied["E7"] == firms(zone)["E7"]  # missing: informational only
    assert applied["N1"] == {
        **dict.fromkeys(applied["E1"]),
        "id": "N1",
        "name": "Theta",
        "party_members": 2,
        "status": "operating",
        "reg_status": "在营",
    }
    assert result.notes == [
        "1 new firm has no street or grid yet: Theta (N1)",
        "Recorded the register's facts on 5 firms for the first time: registered status.",
    ]

    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E5", "E6"]
    validate(raw_from_rows(result.zone.tables, "reconciled"))
    report = embedded.apply(result.changes)  # only the firms that change are written
    assert (report.created, report.updated) == ({"enterprises": 1}, {"enterprises": 5})
    assert firms(embedded.read()) == firms(result.zone)
    assert [r["id"] for r in run_query(embedded, "uncovered")] == ["E6", "N1"]
    summary = run_query(embedded, "zone_summary")[0]
    assert (summary["operating"], summary["closed"]) == (6, 2)
    reread = firms(embedded.read())
    assert reread["E3"]["party_members"] == 3
    assert reread["E5"]["status"] == "closed"
    assert reread["E7"]["status"] == "operating"

    again = reconcile(read_register(path), embedded.read())
    assert [r["change"] for r in again.rows] == ["matched_by_name", "missing"]
    assert not again.changes and again.notes == []

    asked = reconcile(read_register(path), embedded.read(), updates=["party_members"])
    assert [r for r in asked.rows if r["change"] == "changed"] == [
        {
            "change": "changed",
            "id": "E3",
            "name": "Gamma",
            "field": "party_members",
            "before": "3",
            "after": "6",
        }
    ]


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


def test_reopened_renamed_and_matched_by_name_adopting_its_code(tmp_path: Path) -> None:
    register = (
        "信用代码,名称,状态,行业,是否重点企业,备注\n"
        "E4,Delta,正常,,否,reopened last month\n"  # closed in the graph: reopened
        "E1,Alpha Group,,,,\n"  # renamed; no status: unchanged
        f"{CODE},Beta,,logistics,是,\n"  # Beta by name, under its credit code: adopts it
    )
    zone = Zone(small_zone())
    result = reconcile(read_register(write(tmp_path, register)), zone)
    assert [r for r in result.rows if r["change"] != "missing"] == [
        {
            "change": "reopened",
            "id": "E4",
            "name": "Delta",
            "field": "status",
            "before": "closed",
            "after": "operating",
        },
        {
            "change": "changed",
            "id": "E1",
            "name": "Alpha",
            "field": "name",
            "before": "Alpha",
            "after": "Alpha Group",
        },
        {
            "change": "adopted_code",
            "id": CODE,
            "name": "Beta",
            "field": "id",
            "before": "E2",
            "after": CODE,
        },
    ]
    assert [str(w) for w in result.warnings] == [
        "register.csv:1: warning: 备注: is not a register column; ignored"
    ]
    applied = firms(result.zone)
    assert applied["E4"]["status"] == "operating"
    assert applied["E4"]["key_firm"] is False  # stored False already: no change row
    assert applied["E1"]["name"] == "Alpha Group"
    assert "E2" not in applied
    beta = applied[CODE]
    assert (beta["industry"], beta["reg_industry"]) == ("parts", "logistics")  # 行业: register's
    assert beta["key_firm"] is False  # the organizers' False is not a blank: it stays
    links = result.zone.rows("supply_links")
    assert {"supplier_id": CODE, "customer_id": "E1", "product": "bolts"} in links
    assert [r["enterprise_id"] for r in result.zone.rows("coverage")].count(CODE) == 2
    assert [r.table for r in result.changes.renames] == ["enterprises"]
    assert (result.changes.renames[0].old, result.changes.renames[0].new) == ("E2", CODE)
    assert firms(Zone(small_zone()))["E2"]["name"] == "Beta"  # the input zone is unchanged
    validate(raw_from_rows(result.zone.tables, "reconciled"))


def test_a_closed_firm_not_in_the_graph_is_added_closed(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,status\nN9,Nu,注销\n")
    result = reconcile(read_register(path), Zone(small_zone()))
    assert [r for r in result.rows if r["change"] == "new"] == [
        {"change": "new", "id": "N9", "name": "Nu", "field": None, "before": None, "after": "Nu"}
    ]
    assert (firms(result.zone)["N9"]["status"], firms(result.zone)["N9"]["reg_status"]) == (
        "closed",
        "注销",
    )
    assert result.notes == []  # a closed firm needs no street or grid


def test_rows_that_cannot_be_matched_or_added_are_refused(tmp_path: Path) -> None:
    tables = small_zone()
    tables["enterprises"][6]["name"] = "Beta"  # E7 and E2 now share a name
    register = (
        "id,name\n"
        ",Beta\n"  # two stored firms have this name
        f"{CODE},Beta\n"  # and with a code no firm has, still two
        "O1,Org\n"  # a party organization's id
        ",Gamma\n"  # Gamma by name…
        "X3,Gamma\n"  # …and again
        "E1,\n"  # no name
        f"{code(9)},Eps\n"  # Eps adopting a code a studio uses
        ",Nu\n"  # a new firm without a code…
        ", Nu\n"  # …twice
    )
    tables["studios"][1]["id"] = code(9)
    tables["coverage"][3]["coverer_id"] = code(9)
    assert refused(write(tmp_path, register), Zone(tables)) == [
        "register.csv:2: name: 'Beta' matches 2 stored firms by name (E2, E7); merge or rename "
        "them so the register row can tell which",
        "register.csv:3: name: 'Beta' matches 2 stored firms by name (E2, E7); merge or rename "
        "them so the register row can tell which",
        "register.csv:4: id: 'O1' id is already used by a party organization",
        "register.csv:6: name: 'Gamma' matches the stored firm E3 by name, as line 5 does",
        "register.csv:7: name: is required",
        f"register.csv:8: id: '{code(9)}' id is already used by a studio",
        "register.csv:10: name: 'Nu' is listed twice without a credit code (first on line 9)",
    ]


def test_a_register_without_id_or_name_column_is_refused(tmp_path: Path) -> None:
    assert refused(write(tmp_path, "法定代表人,经营状态\nWang,在营\n")) == [
        "register.csv:1: has neither a credit code column nor a name column (no header in the "
        "first 20 lines names 企业名称 or 统一社会信用代码 with another register column)",
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


# -- the register as the register writes it ------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "prop"),
    [
        ("企业名称", "name"),
        ("名称", "name"),
        ("企业(机构)名称", "name"),
        ("企业（机构）名称", "name"),
        ("企业\n名称", "name"),
        (" *企业名称 ", "name"),
        ("统一社会信用代码", "id"),
        ("统一社会\r\n信用代码", "id"),
        ("信用代码", "id"),
        ("统一代码", "id"),
        ("登记状态", "status"),
        ("经营状态", "status"),
        ("企业状态", "status"),
        ("状态", "status"),
        ("成立日期", "founded"),
        ("成立时间", "founded"),
        ("法定代表人", "legal_rep"),
        ("法人", "legal_rep"),
        ("法人代表", "legal_rep"),
        ("负责人", "legal_rep"),
        ("法定代表人（负责人）", "legal_rep"),
        ("注册资本", "capital"),
        ("注册资本（万元）", "capital"),
        ("注册资本【万元】", "capital"),
        ("注册资金", "capital"),
        ("所属行业", "reg_industry"),
        ("行业", "reg_industry"),
        ("国标行业", "reg_industry"),
        ("企业地址", "address"),
        ("住所", "address"),
        ("住所（经营场所）", "address"),
        ("注册地址", "address"),
        ("地址", "address"),
        ("industry", "industry"),
        ("党员人数", "party_members"),
        ("从业人数（人）", "employees"),
        ("所属街道", "street"),
        ("序号", ""),
        ("经营范围", None),
        ("登记机关", None),
    ],
)
def test_header_spellings(header: str, prop: str | None) -> None:
    assert column_of(header)[0] == prop


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("存续（在营、开业、在册）", ("operating", "operating")),
        ("存续(在营、开业、在册)", ("operating", "operating")),
        ("存续", ("operating", "operating")),
        ("在业", ("operating", "operating")),
        ("开业", ("operating", "operating")),
        ("在册", ("operating", "operating")),
        ("迁入", ("operating", "operating")),
        ("在营（开业）企业", ("operating", "operating")),
        ("operating", ("operating", "operating")),
        ("注销", ("closed", "closed")),
        ("已注销", ("closed", "closed")),
        ("吊销，未注销", ("closed", "revoked")),
        ("吊销,已注销", ("closed", "revoked")),
        ("吊销", ("closed", "revoked")),
        ("撤销", ("closed", "cancelled")),
        ("迁出", ("closed", "moved_out")),
        ("停业", ("closed", "closed")),
        ("清算", ("closed", "closed")),
        ("closed", ("closed", "closed")),
        ("待核实", None),
        ("其他", None),
    ],
)
def test_registered_status_words(text: str, found: tuple[str, str] | None) -> None:
    assert registered_status(text) == found


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2015-03-04", "2015-03-04"),
        ("2015/3/4", "2015-03-04"),
        ("2015.03.04", "2015-03-04"),
        ("2015年3月4日", "2015-03-04"),
        ("２０１５年３月４日", "2015-03-04"),
        ("20150304", "2015-03-04"),
        ("2015-03-04T00:00:00", "2015-03-04"),
        ("2015-03-04 00:00:00", "2015-03-04"),
        ("2015-02-30", None),
        ("三月", None),
        ("42067", None),
    ],
)
def test_founding_dates_as_iso_text(text: str, iso: str | None) -> None:
    assert iso_date(text) == iso


def test_register_facts_are_kept_apart_and_unknown_statuses_are_listed(tmp_path: Path) -> None:
    register = (
        "序号,企业名称,统一社会信用代码,登记状态,注册资本（万元）,成立日期,法人,住所,所属行业,登记机关\n"
        "1,Alpha,E1,待核实,500,2015/3/4,王某,东风大街1号,汽车零部件及配件制造,汽开区市场监管局\n"
        "2,Beta,E2,待核实,300万美元,三月,李某,,道路货物运输,\n"
        "3,Gamma,E3,注销,,,,,,\n"
    )
    result = reconcile(read_register(write(tmp_path, register)), Zone(small_zone()))
    assert [str(w) for w in result.warnings] == [
        "register.csv:1: warning: 登记机关: is not a register column; ignored",
        "register.csv:2: warning: status: '待核实' is not a registered status zonegraph knows "
        "(lines 2, 3); status unchanged",
        "register.csv:3: warning: founded: '三月' is not a date (such as 2015-03-04); not kept",
    ]
    applied = firms(result.zone)
    alpha = applied["E1"]
    assert {k: alpha[k] for k in ("status", "industry", *REGISTER_FACTS)} == {
        "status": "operating",
        "industry": "parts",
        "reg_industry": "汽车零部件及配件制造",
        "legal_rep": "王某",
        "founded": "2015-03-04",
        "capital": "500万元",  # the header's unit kept with a bare number
        "address": "东风大街1号",
        "reg_status": "待核实",
    }
    assert (applied["E2"]["capital"], applied["E2"]["founded"]) == ("300万美元", None)
    assert [(r["change"], r["id"]) for r in result.rows if r["change"] != "missing"] == [
        ("closed", "E3")
    ]
    assert result.notes == [
        "Recorded the register's facts on 3 firms for the first time: registered industry, "
        "legal representative, founding date, registered capital, address, registered status."
    ]


def test_a_register_fact_that_changes_is_reported(tmp_path: Path) -> None:
    tables = small_zone()
    tables["enterprises"][0].update(legal_rep="王某", reg_status="存续", reg_industry="制造")
    register = "企业名称,统一社会信用代码,法定代表人,登记状态,所属行业\nAlpha,E1,李某,存续,制造\n"
    result = reconcile(read_register(write(tmp_path, register)), Zone(tables))
    assert [r for r in result.rows if r["change"] == "changed"] == [
        {
            "change": "changed",
            "id": "E1",
            "name": "Alpha",
            "field": "legal_rep",
            "before": "王某",
            "after": "李某",
        }
    ]
    assert result.notes == []


def test_organizers_fields_fill_blanks_only_unless_updated(tmp_path: Path) -> None:
    tables = small_zone()
    tables["enterprises"][4]["street"] = None  # Eps has no street (it never had)
    register = (
        "企业名称,统一社会信用代码,街道,党员人数,行业\nAlpha,E1,S9,7,制造\nEps,E5,S9,7,制造\n"
    )
    path = write(tmp_path, register)
    plain = reconcile(read_register(path), Zone(tables))
    assert [(r["id"], r["field"], r["after"]) for r in plain.rows if r["change"] == "changed"] == [
        ("E5", "street", "S9")
    ]
    asked = reconcile(read_register(path), Zone(tables), updates=("street", "industry", "star"))
    assert [
        (r["id"], r["field"], r["before"], r["after"])
        for r in asked.rows
        if r["change"] == "changed"
    ] == [
        ("E1", "industry", "parts", "制造"),
        ("E1", "street", "S1", "S9"),
        ("E5", "industry", "finance", "制造"),
        ("E5", "street", None, "S9"),
    ]
    assert [str(w) for w in asked.warnings] == [
        "register.csv:1: warning: star: is to be updated, but the register has no such column; "
        "nothing updated"
    ]
    with pytest.raises(ValueError, match="cannot update status"):
        reconcile(read_register(path), Zone(tables), updates=("status",))


def test_a_name_match_under_another_valid_code_changes_nothing(tmp_path: Path) -> None:
    tables = small_zone()
    tables["enterprises"][1]["id"] = code(1)  # Beta is stored under its code
    for link in tables["supply_links"]:
        link.update({k: code(1) for k, v in link.items() if v == "E2"})
    for cover in tables["coverage"]:
        cover.update({k: code(1) for k, v in cover.items() if v == "E2"})
    register = f"企业名称,统一社会信用代码,登记状态,法定代表人\nBeta,{code(2)},注销,王某\n"
    result = reconcile(read_register(write(tmp_path, register)), Zone(tables))
    assert [r for r in result.rows if r["change"] != "missing"] == [
        {
            "change": "code_differs",
            "id": code(1),
            "name": "Beta",
            "field": "id",
            "before": code(1),
            "after": code(2),
        }
    ]
    assert not result.changes
    assert firms(result.zone)[code(1)]["status"] == "operating"


def test_a_new_firm_without_a_code_gets_a_generated_id_found_again_later(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    zone = stored_zone(embedded)
    ident = generated_id("长春市某某汽车配件有限公司")
    path = write(tmp_path, "企业名称,统一社会信用代码,登记状态\n长春市某某汽车配件有限公司,,存续\n")
    result = reconcile(read_register(path), zone)
    assert [r for r in result.rows if r["change"] == "new"] == [
        {
            "change": "new",
            "id": ident,
            "name": "长春市某某汽车配件有限公司",
            "field": None,
            "before": None,
            "after": "长春市某某汽车配件有限公司",
        }
    ]
    embedded.apply(result.changes)
    # The organizers shorten its name; the register still lists it without a code: its
    # generated id still finds it.
    renamed = ChangeSet()
    renamed.upsert("enterprises", {"id": ident, "name": "某某配件"}, Origin("ledger"))
    embedded.apply(renamed)
    again = reconcile(read_register(path), embedded.read())
    assert [(r["change"], r["id"], r["field"]) for r in again.rows if r["change"] != "missing"] == [
        ("changed", ident, "name")
    ]
    # With its code, it adopts it.
    coded = write(tmp_path, f"企业名称,统一社会信用代码\n某某配件,{code(5)}\n", name="coded.csv")
    adopted = reconcile(read_register(coded), embedded.read())
    assert ("adopted_code", code(5)) in {(r["change"], r["id"]) for r in adopted.rows}


def test_names_match_with_spaces_and_full_width_folded(tmp_path: Path) -> None:
    tables = small_zone()
    tables["enterprises"][5]["name"] = "长春Zeta(汽车)有限公司"
    register = f"企业名称,统一社会信用代码\n 长春Ｚｅｔａ （汽车）有限公司 ,{code(6)}\n"
    result = reconcile(read_register(write(tmp_path, register)), Zone(tables))
    assert [(r["change"], r["id"]) for r in result.rows if r["change"] != "missing"] == [
        ("adopted_code", code(6))
    ]  # not a name change: the same name, typed another way
    assert firms(result.zone)[code(6)]["name"] == "长春Zeta(汽车)有限公司"


def test_two_columns_for_one_property_read_the_better_one(tmp_path: Path) -> None:
    register = "行业门类,企业名称,统一社会信用代码,所属行业\n制造业,Alpha,E1,汽车零部件及配件制造\n"
    result = reconcile(read_register(write(tmp_path, register)), Zone(small_zone()))
    assert [str(w) for w in result.warnings] == [
        "register.csv:1: warning: 行业门类: also names reg_industry, which is read from column "
        "4 ('所属行业'); ignored"
    ]
    assert firms(result.zone)["E1"]["reg_industry"] == "汽车零部件及配件制造"


def test_header_found_under_blank_and_title_lines_tab_separated_and_quoted(
    tmp_path: Path,
) -> None:
    tabbed = (
        "企业登记信息\n\n导出：2024-10-08\n企业名称\t统一社会信用代码\t登记状态\nEps\tE5\t注销\n"
    )
    quoted = '"企业登记信息\n（第三季度）",,\n企业名称,"统一社会\n信用代码",登记状态\nEps,E5,注销\n'
    for name, text, line, data in (("tabbed.csv", tabbed, 4, 5), ("quoted.csv", quoted, 3, 5)):
        raw = read_register(write(tmp_path, text, name=name))
        assert raw.header_line == line
        assert [n for n, _ in raw.rows] == [data]  # the file's own line numbers
        result = reconcile(raw, Zone(small_zone()))
        assert ("closed", "E5") in {(r["change"], r["id"]) for r in result.rows}
        assert str(result.warnings[0]).startswith(f"{name}:1: warning: skipped {line - 1} lines")
    bad = read_register(write(tmp_path, "标题,,\n企业名称,统一社会信用代码,党员人数\nA,E1,x\n"))
    with pytest.raises(ValidationFailed) as info:
        reconcile(bad, Zone(small_zone()))
    assert [str(p) for p in info.value.problems] == [
        "register.csv:3: party_members: 'x' is not a whole number"
    ]
    cells = write(tmp_path, "标题\n企业名称,统一社会信用代码\nA,E1,extra\n", name="cells.csv")
    with pytest.raises(ValidationFailed) as info:
        read_register(cells)
    assert [str(p) for p in info.value.problems] == [
        "cells.csv:3: column 3: 'extra' has 3 cells; the header has 2: the cells beyond the "
        "header would be lost"
    ]


def test_a_header_below_the_first_20_lines_is_not_looked_for(tmp_path: Path) -> None:
    text = "标题\n" * 20 + "企业名称,统一社会信用代码\nAlpha,E1\n"
    with pytest.raises(ValidationFailed) as info:
        read_register(write(tmp_path, text))
    assert [str(p) for p in info.value.problems] == [
        "register.csv: has no header: none of its first 20 lines names 企业名称 or "
        "统一社会信用代码 together with another register column"
    ]
    found = read_register(write(tmp_path, "标题\n" * 19 + "企业名称,统一社会信用代码\nAlpha,E1\n"))
    assert found.header_line == 20


def test_xlsx_register_with_a_merged_title_and_date_cells(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["长春汽车经济技术开发区企业登记信息"])
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["序号", "企业名称", "统一社会信用代码", "登记状态", "成立日期", "注册资本（万元）"])
    ws.append([1, "Eps", "E5", "吊销，未注销", dt.date(2015, 3, 4), 500])
    ws.append([2, "Alpha", "E1", "存续（在营、开业、在册）", "2016年5月6日", 1200.5])
    wb.save(tmp_path / "register.xlsx")
    raw = read_register(tmp_path / "register.xlsx")
    assert (raw.source, raw.header_line, [n for n, _ in raw.rows]) == (
        "register.xlsx[Sheet]",
        3,
        [4, 5],
    )
    result = reconcile(raw, Zone(small_zone()))
    assert [str(w) for w in result.warnings] == [
        "register.xlsx[Sheet]:1: warning: skipped 2 lines above the header (line 3): "
        "'长春汽车经济技术开发区企业登记信息'"
    ]
    applied = firms(result.zone)
    assert (applied["E5"]["status"], applied["E5"]["founded"], applied["E5"]["capital"]) == (
        "closed",
        "2015-03-04",
        "500万元",
    )
    assert (applied["E1"]["founded"], applied["E1"]["capital"]) == ("2016-05-06", "1200.5万元")

    ws.merge_cells("B3:B4")  # the header merged down into a data row
    wb.save(tmp_path / "merged.xlsx")
    with pytest.raises(ValidationFailed) as info:
        read_register(tmp_path / "merged.xlsx")
    assert "merged.xlsx[Sheet]:3: B3:B4: merges the header cell with data rows; unmerge it" in [
        str(p) for p in info.value.problems
    ]


def test_report_languages() -> None:
    values: list[tuple[object, ...]] = [
        ("revoked", "E5", "Eps", "status", "operating", "closed"),
        ("new", "N1", "Nu", None, None, "Nu"),
    ]
    rows = [dict(zip(COLUMNS, v, strict=True)) for v in values]
    zh = report_columns("zh")
    assert zh == ["变动", "编号", "企业名称", "字段", "原值", "新值"]
    assert report_columns("en") == list(COLUMNS)
    assert translated(rows, "zh") == [
        dict(zip(zh, ("吊销", "E5", "Eps", "状态", "在营", "已关闭"), strict=True)),
        dict(zip(zh, ("新增企业", "N1", "Nu", None, None, "Nu"), strict=True)),
    ]
    assert translated(rows, "en") == rows
    assert all(k in KINDS for k in ("adopted_code", "code_differs", "moved_out"))
    for environ, lang in (
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": ""}, "en"),
        ({"ZONEGRAPH_LANG": "zh", "LANG": "C"}, "zh"),
        ({"ZONEGRAPH_LANG": "en-US", "LANG": "zh_CN.UTF-8"}, "en"),
    ):
        assert report_language(environ) == lang, environ
    with pytest.raises(ConfigError, match="ZONEGRAPH_LANG must be zh or en, not 'fr'"):
        report_language({"ZONEGRAPH_LANG": "fr"})


def test_notes_in_chinese_and_a_long_list_summed_up(tmp_path: Path) -> None:
    lines = "".join(f"新企业{n},{code(100 + n)},存续,制造\n" for n in range(23))
    register = "企业名称,统一社会信用代码,登记状态,所属行业\n" + lines
    result = reconcile(read_register(write(tmp_path, register)), Zone(small_zone()), lang="zh")
    listed = "、".join(f"新企业{n}（{code(100 + n)}）" for n in range(20))
    assert result.notes == [f"23 家新增企业尚未划入街道或网格：{listed} 等（另有 3 家）"]


def test_docstring_examples() -> None:
    import doctest

    import loaders.register_read

    result = doctest.testmod(loaders.register_read)
    assert result.attempted > 0 and result.failed == 0
