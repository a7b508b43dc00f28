"""A real register export, reconciled: the title row above its header, 登记状态 and its standard
values, 所属行业 kept apart from the organizers' industries, firms adopting their credit codes.

The first tests are the issue's measurements, each one a test that failed on the code before
registers were read as registers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph_model.mapping import Zone
from graph_model.schema import TABLES
from graph_model.store.embedded import EmbeddedStore
from loaders.credit_code import check_character, generated_id, is_valid
from loaders.demo import demo_tables
from loaders.load import load_tables
from loaders.reconcile import read_register, reconcile
from tests.zones import small_zone


def code(n: int) -> str:
    """A valid unified social credit code (its check character right), one per ``n``."""
    body = f"91220101MA{n:07d}"
    return body + check_character(body)


def write(tmp_path: Path, text: str, name: str = "register.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def stored(store: EmbeddedStore) -> dict[str, dict[str, object]]:
    return {r["id"]: r for r in store.read().rows("enterprises")}


def small(store: EmbeddedStore) -> EmbeddedStore:
    load_tables(store, small_zone(), source="test")
    return store


# -- the issue, one test per measurement --------------------------------------------------------

TITLED = (
    "长春汽车经济技术开发区市场主体登记信息（2024年第三季度）,,,\n"
    "企业名称,统一社会信用代码,登记状态,成立日期\n"
    "Alpha,E1,存续（在营、开业、在册）,2015-03-04\n"
    "Eps,E5,注销,2019-07-01\n"
)


def test_issue_a_title_row_above_the_header_is_skipped(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    store = small(embedded)
    result = reconcile(read_register(write(tmp_path, TITLED)), store.read())
    assert ("closed", "E5") in {(r["change"], r["id"]) for r in result.rows}
    assert [str(w) for w in result.warnings][:1] == [
        "register.csv:1: warning: skipped 1 line above the header (line 2): "
        "'长春汽车经济技术开发区市场主体登记信息（2024年第三季度）'"
    ]


def test_issue_registered_status_finds_the_closures(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    store = small(embedded)
    register = (
        "企业名称,统一社会信用代码,登记状态\n"
        "Alpha,E1,存续（在营、开业、在册）\n"
        "Gamma,E3,吊销，未注销\n"
        "Eps,E5,注销\n"
    )
    result = reconcile(read_register(write(tmp_path, register)), store.read())
    closures = [(r["change"], r["id"]) for r in result.rows if r["field"] == "status"]
    assert closures == [("closed", "E5"), ("revoked", "E3")]
    store.apply(result.changes)
    firms = stored(store)
    assert (firms["E3"]["status"], firms["E3"]["reg_status"]) == ("closed", "吊销，未注销")
    assert (firms["E5"]["status"], firms["E5"]["reg_status"]) == ("closed", "注销")
    assert (firms["E1"]["status"], firms["E1"]["reg_status"]) == (
        "operating",
        "存续（在营、开业、在册）",
    )


def test_issue_a_status_column_takes_every_standard_value(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    store = small(embedded)
    register = (
        "企业名称,统一社会信用代码,状态\n"
        "Alpha,E1,存续（在营、开业、在册）\n"
        "Beta,E2,在业\n"
        "Gamma,E3,吊销，已注销\n"
        "Delta,E4,开业\n"
        "Eps,E5,注销\n"
        "Zeta,E6,撤销\n"
        "Eta,E7,迁出\n"
    )
    result = reconcile(read_register(write(tmp_path, register)), store.read())
    assert sorted((r["change"], r["id"]) for r in result.rows if r["field"] == "status") == [
        ("cancelled", "E6"),
        ("closed", "E5"),
        ("moved_out", "E7"),
        ("reopened", "E4"),
        ("revoked", "E3"),
    ]


def test_issue_the_registered_industry_never_overwrites_the_organizers(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    store = small(embedded)
    register = (
        "企业名称,统一社会信用代码,所属行业\nAlpha,E1,汽车零部件及配件制造\nGamma,E3,道路货物运输\n"
    )
    result = reconcile(read_register(write(tmp_path, register)), store.read())
    assert not [r for r in result.rows if r["field"] == "industry"]
    store.apply(result.changes)
    firms = stored(store)
    assert (firms["E1"]["industry"], firms["E1"]["reg_industry"]) == (
        "parts",
        "汽车零部件及配件制造",
    )
    assert (firms["E3"]["industry"], firms["E3"]["reg_industry"]) == ("logistics", "道路货物运输")


def test_issue_a_firm_matched_by_name_adopts_its_code(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    store = small(embedded)
    register = f"企业名称,统一社会信用代码,登记状态\nZeta,{code(6)},存续\n"
    path = write(tmp_path, register)
    result = reconcile(read_register(path), store.read())
    store.apply(result.changes)
    firms = stored(store)
    assert "E6" not in firms and firms[code(6)]["name"] == "Zeta"
    again = reconcile(read_register(path), store.read())
    assert "matched_by_name" not in {r["change"] for r in again.rows}
    assert "adopted_code" not in {r["change"] for r in again.rows}


# -- generated register exports against the demo zone -------------------------------------------

#: Header spellings an export may use, per property (line breaks, full-width brackets, units).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "名称", "企业（机构）名称", "企业(机构)名称", "企业\n名称"),
    "code": ("统一社会信用代码", "信用代码", "统一代码", "统一社会\n信用代码", "*统一社会信用代码"),
    "status": ("登记状态", "经营状态", "企业状态", "状态"),
    "founded": ("成立日期", "成立时间"),
    "legal_rep": ("法定代表人", "法人", "法人代表", "负责人", "法定代表人（负责人）"),
    "capital": ("注册资本（万元）", "注册资本", "注册资金"),
    "industry": ("所属行业", "行业", "国标行业"),
    "address": ("企业地址", "住所", "注册地址", "地址", "住所（经营场所）"),
}
OPERATING_WORDS = ("存续（在营、开业、在册）", "存续", "在业", "开业", "在册", "迁入")
#: A registered status that ends a firm's business, and the change kind it is reported as.
CLOSING_WORDS = (
    ("注销", "closed"),
    ("吊销，未注销", "revoked"),
    ("吊销，已注销", "revoked"),
    ("撤销", "cancelled"),
    ("迁出", "moved_out"),
)
NATIONAL_INDUSTRIES = (
    "汽车零部件及配件制造",
    "道路货物运输",
    "正餐服务",
    "汽车新车零售",
    "软件开发",
)


@dataclass
class Generated:
    """A register export and what reconciling it must find."""

    header: list[str]
    title: list[str]
    rows: list[dict[str, str]]
    #: (change, id) of every row the report must hold besides ``changed`` (there are none).
    expected: set[tuple[str, str]]
    #: Stored id → the id once applied (adopted codes; the rest keep theirs).
    ids: dict[str, str]
    #: Firm id once applied → the registered status text it ends up with.
    reg_status: dict[str, str]
    #: Firm id once applied → the register's industry text.
    reg_industry: dict[str, str]
    #: Code → name of each new firm, and whether it operates.
    new: dict[str, tuple[str, bool]]
    closed: set[str]
    #: The unit the capital column's header gives (appended to a bare number).
    capital_unit: str = ""

    def csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        for line in self.title:
            writer.writerow([line] + [""] * (len(self.header) - 1))
        writer.writerow(self.header)
        for row in self.rows:
            writer.writerow([row.get(h, "") for h in self.header])
        return buf.getvalue()

    def xlsx(self, path: Path) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "Sheet1"
        for n, line in enumerate(self.title, start=1):
            ws.append([line])
            ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=len(self.header))
        ws.append(self.header)
        for row in self.rows:
            cells: list[object] = [row.get(h) or None for h in self.header]
            for i, h in enumerate(self.header):
                text = row.get(h, "")
                if h in HEADERS["founded"] and text and text[:4].isdigit() and "-" in text:
                    cells[i] = dt.date.fromisoformat(text)  # a real date cell
                elif h == "注册资本（万元）" and text.isdigit():
                    cells[i] = int(text)
            ws.append(cells)
        wb.save(path)
        return path


def with_ids(tables: dict[str, list[dict[str, object]]], ids: dict[str, str]) -> None:
    """Give firms new ids in place, in every row that names them."""
    for spec in TABLES:
        cols = [r.column for r in spec.refs if "Enterprise" in r.labels]
        cols += ["id"] if spec.name == "enterprises" else []
        for row in tables.get(spec.name, []):
            for col in cols:
                if row.get(col) in ids:
                    row[col] = ids[str(row[col])]


def demo_zone(seed: int) -> dict[str, list[dict[str, object]]]:
    """The demo zone, half its firms already under their credit code, a few under a
    generated id (an organizer's ledger listed them without one), the rest placeholders."""
    tables = demo_tables(seed=2021, firms=400)
    rng = random.Random(seed)
    ids: dict[str, str] = {}
    for i, firm in enumerate(tables["enterprises"]):
        pick = rng.random()
        if pick < 0.5:
            ids[str(firm["id"])] = code(10_000 + i)
        elif pick < 0.55:
            ids[str(firm["id"])] = generated_id(str(firm["name"]))
    with_ids(tables, ids)
    return tables


def spaced(name: str, rng: random.Random) -> str:
    """The same name as another export might write it: spaces, full-width letters."""
    choice = rng.randrange(3)
    if choice == 0:
        return f" {name} "
    if choice == 1:
        return name[:2] + " " + name[2:]
    return name.replace("(", "（").replace(")", "）").replace("A", "Ａ")


def generate(firms: list[dict[str, object]], seed: int) -> Generated:
    """A register export of ``firms`` (the stored ones) and a few new ones, with what
    reconciling it must report."""
    rng = random.Random(seed)
    spelled = {prop: rng.choice(spellings) for prop, spellings in HEADERS.items()}
    header = ["序号", *spelled.values(), "经营范围"]
    rng.shuffle(header)
    titles = ["长春汽车经济技术开发区市场主体登记信息", "导出时间：2024-10-08"]
    gen = Generated(header, titles[: seed % 3], [], set(), {}, {}, {}, {}, set())
    gen.capital_unit = "万元" if spelled["capital"] == "注册资本（万元）" else ""
    for i, firm in enumerate(firms):
        ident, name = str(firm["id"]), str(firm["name"])
        gen.ids[ident] = ident
        operating = firm["status"] == "operating"
        if not operating:
            gen.closed.add(ident)  # until the register says it operates again
        if rng.random() < 0.05:
            if operating:
                gen.expected.add(("missing", ident))
            continue
        row = {"name": name}
        if is_valid(ident):
            row["code"] = ident.lower() if rng.random() < 0.1 else ident
            if rng.random() < 0.03:
                row["code"], row["name"] = code(50_000 + i), spaced(name, rng)
                gen.expected.add(("code_differs", ident))
                gen.rows.append(row)
                continue  # nothing is applied to it
        elif rng.random() < 0.8:
            row["code"], row["name"] = code(20_000 + i), spaced(name, rng)
            gen.ids[ident] = code(20_000 + i)
            gen.expected.add(("adopted_code", gen.ids[ident]))
            if not operating:
                gen.closed.add(gen.ids[ident])
        else:
            row["name"] = spaced(name, rng)
            gen.expected.add(("matched_by_name", ident))
        now = gen.ids[ident]
        if operating and rng.random() < 0.1:
            row["status"], kind = rng.choice(CLOSING_WORDS)
            gen.expected.add((kind, now))
            gen.closed.add(now)
        elif not operating and rng.random() < 0.5:
            row["status"] = rng.choice(OPERATING_WORDS)
            gen.expected.add(("reopened", now))
            gen.closed.discard(now)
        else:
            words = OPERATING_WORDS if operating else tuple(w for w, _ in CLOSING_WORDS)
            row["status"] = rng.choice(words)
        gen.reg_status[now] = row["status"]
        gen.reg_industry[now] = row["industry"] = rng.choice(NATIONAL_INDUSTRIES)
        gen.rows.append(row)
    for n in range(rng.randrange(3, 8)):
        new_code, name = code(90_000 + n), f"长春市新{n}汽车配件有限公司"
        status = "注销" if n == 0 else rng.choice(OPERATING_WORDS)
        gen.rows.append({"code": new_code, "name": name, "status": status, "industry": "软件开发"})
        gen.new[new_code] = (name, n != 0)
        gen.expected.add(("new", new_code))
        gen.reg_status[new_code], gen.reg_industry[new_code] = status, "软件开发"
        if n == 0:
            gen.closed.add(new_code)
    for n, row in enumerate(gen.rows, start=1):
        row["序号"], row["经营范围"] = str(n), "汽车零部件制造；货物进出口"
        row["founded"] = rng.choice(("2015-03-04", "2015/3/4", "2015年3月4日", "20150304"))
        row["legal_rep"], row["address"] = rng.choice("王李张刘陈") + "某", "长春市汽开区东风大街"
        row["capital"] = rng.choice(("500", "1200"))
    gen.rows = [{spelled.get(k, k): v for k, v in row.items()} for row in gen.rows]
    return gen


def canonical(zone: Zone, ids: dict[str, str]) -> dict[str, list[str]]:
    """The zone's link and other node tables, firm ids mapped through ``ids``."""
    tables = {t: [dict(r) for r in rows] for t, rows in zone.tables.items() if t != "enterprises"}
    with_ids(tables, ids)
    return {t: sorted(repr(sorted(r.items())) for r in rows) for t, rows in tables.items()}


@pytest.mark.parametrize(
    ("seed", "shape"),
    [(1, "gb18030"), (2, "utf-8-sig"), (3, "xlsx"), (4, "utf-8"), (5, "xlsx"), (6, "gb18030")],
)
def test_generated_register_against_the_demo_zone(
    embedded: EmbeddedStore, tmp_path: Path, seed: int, shape: str
) -> None:
    load_tables(embedded, demo_zone(seed), source="demo")
    before = embedded.read()
    gen = generate(before.rows("enterprises"), seed)
    if shape == "xlsx":
        path = gen.xlsx(tmp_path / "register.xlsx")
    else:
        path = write(tmp_path, gen.csv(), encoding=shape)

    result = reconcile(read_register(path), before)

    report = {(str(r["change"]), str(r["id"])) for r in result.rows}
    assert report == gen.expected
    assert len(result.rows) == len(gen.expected)  # no `changed` rows: nothing overwritten
    unknown = [w for w in result.warnings if "not a register column" in w.reason]
    assert [w.column for w in unknown] == ["经营范围"]
    skipped = [w for w in result.warnings if w.reason.startswith("skipped")]
    assert len(skipped) == (1 if gen.title else 0)

    embedded.apply(result.changes)
    after = embedded.read()
    firms = {r["id"]: r for r in after.rows("enterprises")}
    old = {r["id"]: r for r in before.rows("enterprises")}
    assert set(firms) == set(gen.ids.values()) | set(gen.new)
    for ident, now in gen.ids.items():
        firm = firms[now]
        assert firm["industry"] == old[ident]["industry"]  # the organizers' own, untouched
        assert firm["name"] == old[ident]["name"]  # the same name modulo spaces: unchanged
        assert firm["street"] == old[ident]["street"] and firm["grid"] == old[ident]["grid"]
        assert firm["reg_industry"] == gen.reg_industry.get(now)
        assert firm["reg_status"] == gen.reg_status.get(now)
        assert firm["status"] == ("closed" if now in gen.closed else "operating")
        if now in gen.reg_status:
            assert firm["founded"] == "2015-03-04"
            assert firm["capital"] in ("500" + gen.capital_unit, "1200" + gen.capital_unit)
    for new_code, (name, operating) in gen.new.items():
        firm = firms[new_code]
        assert (firm["name"], firm["street"], firm["grid"]) == (name, None, None)
        assert (firm["industry"], firm["reg_industry"]) == (None, "软件开发")
        assert firm["status"] == ("operating" if operating else "closed")
    placed = [n for n in result.notes if "no street or grid yet" in n]
    waiting = sum(operating for _, operating in gen.new.values())
    assert placed and placed[0].startswith(f"{waiting} new firms have no street or grid yet: ")
    # Every relationship of a firm that adopted its code moved with it.
    assert canonical(after, {}) == canonical(before, gen.ids)

    again = reconcile(read_register(path), after)
    kinds = {r["change"] for r in again.rows}
    assert kinds <= {"matched_by_name", "code_differs", "missing"}
    assert not again.changes.renames


def test_update_industry_takes_the_registers_industry(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    load_tables(embedded, demo_zone(7), source="demo")
    before = embedded.read()
    gen = generate(before.rows("enterprises"), 7)
    path = write(tmp_path, gen.csv())
    result = reconcile(read_register(path), before, updates=["industry"])
    changed = {r["id"] for r in result.rows if r["change"] == "changed"}
    assert {r["field"] for r in result.rows if r["change"] == "changed"} == {"industry"}
    embedded.apply(result.changes)
    firms = {r["id"]: r for r in embedded.read().rows("enterprises")}
    for now, industry in gen.reg_industry.items():
        assert firms[now]["industry"] == industry
    assert changed == {
        now
        for ident, now in gen.ids.items()
        if now in gen.reg_industry and before_industry(before, ident) != gen.reg_industry[now]
    }


def before_industry(zone: Zone, ident: str) -> object:
    return next(r["industry"] for r in zone.rows("enterprises") if r["id"] == ident)


# -- the command, as a user runs it -------------------------------------------------------------


def zonegraph(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI on the database ``db`` with a clean locale; ``env`` adds variables."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ZONEGRAPH_", "NEO4J_", "LC_", "LANG"))
    }
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        env={**keep, "ZONEGRAPH_DB": str(db), **env},
        timeout=300,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding the small zone."""
    path = tmp_path / "zone.lbug"
    store = EmbeddedStore(path)
    try:
        store.apply_schema()
        load_tables(store, small_zone(), source="test")
    finally:
        store.close()
    return path


#: A title row; Eps revoked, Zeta (E6) by name under its code, a new firm, Alpha's industry.
CLI_REGISTER = (
    "长春汽车经济技术开发区企业登记信息,,,,\n"
    "企业名称,统一社会信用代码,登记状态,所属行业,成立日期\n"
    "Alpha,E1,存续（在营、开业、在册）,汽车零部件及配件制造,2015/3/4\n"
    "Eps,E5,吊销，未注销,道路货物运输,\n"
    f"Zeta,{code(6)},在业,正餐服务,\n"
    f"长春市新企业有限公司,{code(99)},开业,软件开发,\n"
)


def read_firms(path: Path) -> tuple[dict[str, dict[str, object]], Zone]:
    store = EmbeddedStore(path)
    try:
        zone = store.read()
    finally:
        store.close()
    return {r["id"]: r for r in zone.rows("enterprises")}, zone


def test_cli_reports_then_applies_with_update(db: Path, tmp_path: Path) -> None:
    register = write(tmp_path, CLI_REGISTER, encoding="gb18030")
    done = zonegraph(db, "reconcile", str(register), "-f", "json", LANG="zh_CN.UTF-8")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)  # English keys and kinds, whatever the language
    assert [(r["change"], r["id"]) for r in rows if r["change"] != "missing"] == [
        ("new", code(99)),
        ("revoked", "E5"),
        ("adopted_code", code(6)),
    ]
    assert set(rows[0]) == {"change", "id", "name", "field", "before", "after"}
    err = done.stderr.splitlines()
    assert err[0] == (
        "register.csv:1: warning: skipped 1 line above the header (line 2): "
        "'长春汽车经济技术开发区企业登记信息'"
    )
    assert f"1 家新增企业尚未划入街道或网格：长春市新企业有限公司（{code(99)}）" in err
    assert err[-1] == "nothing written (add --apply to write the changes)"
    assert read_firms(db)[0]["E6"]["name"] == "Zeta"

    done = zonegraph(db, "reconcile", str(register), "--apply", "--update", "industry")
    assert done.returncode == 0, done.stderr
    assert f"enterprises id E6 → {code(6)}" in done.stderr.splitlines()[-1]
    firms, zone = read_firms(db)
    assert "E6" not in firms
    zeta = firms[code(6)]
    assert (zeta["industry"], zeta["reg_industry"], zeta["reg_status"]) == (
        "正餐服务",
        "正餐服务",
        "在业",
    )
    assert (firms["E5"]["status"], firms["E5"]["reg_status"]) == ("closed", "吊销，未注销")
    assert (firms["E1"]["industry"], firms["E1"]["founded"]) == (
        "汽车零部件及配件制造",
        "2015-03-04",
    )
    links = {(r["supplier_id"], r["customer_id"]) for r in zone.rows("supply_links")}
    assert {("E5", code(6)), ("E3", code(6)), (code(6), "E7")} <= links
    assert {r["enterprise_id"] for r in zone.rows("liaisons")} == {"E1", code(6)}

    again = zonegraph(db, "reconcile", str(register), "-f", "json")
    assert {r["change"] for r in json.loads(again.stdout)} == {"missing"}


def test_cli_report_language(db: Path, tmp_path: Path) -> None:
    register = write(tmp_path, CLI_REGISTER)
    zh = ["变动,编号,企业名称,字段,原值,新值", "新增企业,", "吊销,E5,Eps,状态,在营,已关闭"]
    en = ["change,id,name,field,before,after", "new,", "revoked,E5,Eps,status,operating,closed"]

    def csv_lines(*args: str, **env: str) -> list[str]:
        done = zonegraph(db, "reconcile", str(register), "-f", "csv", *args, **env)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        return [lines[0], lines[1][: len(lines[1].split(",")[0]) + 1], lines[2]]

    assert csv_lines(LANG="zh_CN.UTF-8") == zh
    assert csv_lines(LC_ALL="zh_CN.UTF-8", LANG="en_US.UTF-8") == zh
    assert csv_lines(LC_ALL="en_US.UTF-8", LANG="zh_CN.UTF-8") == en
    assert csv_lines(LANG="en_US.UTF-8") == en
    assert csv_lines() == en
    assert csv_lines(ZONEGRAPH_LANG="zh", LANG="en_US.UTF-8") == zh
    assert csv_lines("--lang", "en", ZONEGRAPH_LANG="zh") == en
    table = zonegraph(db, "reconcile", str(register), "--lang", "zh")
    assert table.stdout.splitlines()[0].split() == [
        "变动",
        "编号",
        "企业名称",
        "字段",
        "原值",
        "新值",
    ]
    assert "启用信用代码" in table.stdout


def test_cli_refusals_exit_2_and_write_nothing(db: Path, tmp_path: Path) -> None:
    register = write(tmp_path, CLI_REGISTER)
    before = read_firms(db)[0]
    bad_update = zonegraph(db, "reconcile", str(register), "--update", "status")
    assert bad_update.returncode == 2
    assert "cannot update status" in bad_update.stderr
    assert zonegraph(db, "reconcile", str(register), "--lang", "fr").returncode == 2
    setting = zonegraph(db, "reconcile", str(register), ZONEGRAPH_LANG="fr")
    assert setting.returncode == 2
    assert setting.stderr.strip() == "error: bad setting: ZONEGRAPH_LANG must be zh or en, not 'fr'"

    bad = write(tmp_path, "企业名称,统一社会信用代码,党员人数\nAlpha,E1,many\n", name="bad.csv")
    done = zonegraph(db, "reconcile", str(bad), "--apply")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "bad.csv:2: party_members: 'many' is not a whole number",
        "refused: 1 problem(s); nothing was written",
    ]
    # A new firm under an id a party organization uses: the store's check refuses it, in the
    # report (dry run) as with --apply.
    clash = write(tmp_path, "企业名称,统一社会信用代码,登记状态\nNew,O1,存续\n", name="clash.csv")
    for args in ((), ("--apply",)):
        done = zonegraph(db, "reconcile", str(clash), *args)
        assert done.returncode == 2
        assert "clash.csv:2: id: 'O1' id is already used by a party organization" in done.stderr
    missing = zonegraph(db, "reconcile", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "nope.csv: does not exist" in missing.stderr
    no_db = zonegraph(tmp_path / "none.lbug", "reconcile", str(register))
    assert no_db.returncode == 1
    assert read_firms(db)[0] == before


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_an_exports_totals_and_footer_lines_are_skipped_with_a_warning(
    tmp_path: Path, form: str
) -> None:
    lines = [
        ["企业登记信息导出"],
        ["企业名称", "统一社会信用代码", "登记状态", "法定代表人"],
        ["甲公司", code(1), "存续（在营、开业、在册）", "张三"],
        ["合计", "", "", ""],
        ["注：数据来源于国家企业信用信息公示系统"],
    ]
    if form == "csv":
        path = write(tmp_path, "\n".join(",".join(row) for row in lines) + "\n")
    else:
        from openpyxl import Workbook

        book = Workbook()
        for row in lines:
            book.active.append(row)
        path = tmp_path / "register.xlsx"
        book.save(path)
    result = reconcile(read_register(path), Zone({"enterprises": []}))
    assert [(r["change"], r["name"]) for r in result.rows] == [("new", "甲公司")]
    warned = [str(w) for w in result.warnings if w.line in (4, 5)]
    assert len(warned) == 2 and "'合计' is a totals row" in warned[0]
