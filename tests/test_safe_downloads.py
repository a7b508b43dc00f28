"""Files we hand out are safe to open: no cell of a CSV or XLSX we write runs as a formula.

Every writer is held to it with hostile names in the zone (a firm called
``=HYPERLINK("http://x","click")``): ``zonegraph export``, ``zonegraph query --format csv``,
the API's CSV and XLSX downloads, the exported ledger and the blank templates. The files are
opened as a spreadsheet user's program would read them (``csv``, openpyxl), and what our own
loaders read back from them is the zone that was written, hostile names and all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.output import render, xlsx_bytes
from graph_model.mapping import Zone
from graph_model.schema import TABLES
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from loaders.csv_text import decode, read_csv_text
from loaders.imports import commit, prepare
from loaders.ledger_write import write_ledger
from loaders.load import export_zone, load_path, load_tables
from loaders.safe_cells import neutralise, restore
from loaders.templates import write_template
from loaders.workbook_out import Column, SheetSpec, add_sheet, new_book
from loaders.xlsx import Workbook, read_cells
from tests.auth import bearer
from tests.test_cli import zonegraph
from tests.zones import small_zone

#: What a spreadsheet runs as a formula when a cell starts with it (OWASP's list).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number, which a spreadsheet reads as a number and may start with + or -.
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

#: Firm names an attacker (or a careless paste) could put in a ledger, by firm id.
HOSTILE = {
    "E1": '=HYPERLINK("http://x","click")',
    "E2": "+cmd|' /C calc'!A0",
    "E3": "-2+3+cmd|' /C calc'!A0",
    "E4": "@SUM(1+1)*cmd|' /C calc'!A0",
    "E5": "'=already quoted by someone",
    "E6": "=1+1 _x0041_ \x07",
    "E7": "-3",
}
ENTERPRISES = next(t for t in TABLES if t.name == "enterprises")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula (a plain number it reads as one)."""
    return text.startswith(DANGEROUS) and NUMBER.fullmatch(text) is None


def hostile_zone() -> dict[str, list[dict[str, Any]]]:
    """The small zone with a hostile name on every firm and on the things linked to them."""
    tables = small_zone()
    for firm in tables["enterprises"]:
        firm["name"] = HOSTILE[firm["id"]]
    tables["enterprises"][4]["industry"] = "=cmd|' /C notepad'!A0"
    # A carriage return inside a cell: unquoted, a spreadsheet starts a new row there.
    tables["enterprises"][4]["street"] = "S3\r+cmd|' /C calc'!A0"

    tables["enterprises"][5]["grid"] = "@G2"
    for org in tables["party_orgs"]:
        org["name"] = "=" + org["name"]
    for studio in tables["studios"]:
        studio["name"] = "-" + studio["name"]
    for liaison in tables["liaisons"]:
        liaison["name"] = "+Li"
    tables["alliances"][0]["name"] = "@Alliance"
    return tables


def assert_csv_safe(text: str) -> list[list[str]]:
    """The CSV's rows, after checking no field would run as a formula."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    bad = [field for row in rows for field in row if runs_as_formula(field)]
    assert bad == []
    return rows


def assert_xlsx_safe(data: bytes | Path) -> list[list[Any]]:
    """Every sheet's values, after checking no cell is a formula and every text cell a
    spreadsheet would run carries the quote prefix (so editing it in Excel keeps it text)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str) and runs_as_formula(cell.value):
                    assert cell.quotePrefix, (cell.coordinate, cell.value)
            values.append([cell.value for cell in row])
    return values


def read_back(path: Path, rows: int) -> list[list[str]]:
    """The first sheet's first ``rows`` rows as our own loaders read them."""
    problems: list[Any] = []
    with Workbook(path) as opened:
        cells = read_cells(opened.worksheets[0], path.name, problems)
    assert problems == []
    width = max((max(r, default=-1) + 1 for r in cells.rows.values()), default=0)
    return [[cells.rows.get(n, {}).get(i, "") for i in range(width)] for n in range(1, rows + 1)]


@pytest.fixture
def hostile(embedded: EmbeddedStore) -> EmbeddedStore:
    load_tables(embedded, hostile_zone(), source="test")
    return embedded


# --- the rule itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-2+3", "'-2+3"),
        ("-", "'-"),
        ("-3", "-3"),
        ("+1.5", "+1.5"),
        ("-1e5", "-1e5"),
        ("'=x", "''=x"),  # so that reading strips exactly the one we added
        ("'plain", "'plain"),
        ("Alpha", "Alpha"),
        ("", ""),
    ],
)
def test_a_cell_that_would_run_is_written_with_a_leading_apostrophe(
    text: str, written: str
) -> None:
    assert neutralise(text) == written
    assert restore(written) == text


@given(st.text())
def test_any_text_is_neutralised_and_restored_exactly(text: str) -> None:
    written = neutralise(text)
    assert not runs_as_formula(written)
    assert restore(written) == text


# --- CSV: contract export, CLI query, API ---------------------------------------------------


def test_the_contract_export_is_safe_and_loads_back_to_the_same_zone(
    hostile: EmbeddedStore, tmp_path: Path
) -> None:
    first = hostile.read()
    export_zone(first, tmp_path / "out")
    for path in sorted((tmp_path / "out").iterdir()):
        assert_csv_safe(path.read_text(encoding="utf-8-sig"))
    firms = (tmp_path / "out" / "enterprises.csv").read_text(encoding="utf-8-sig")
    assert '\'=HYPERLINK(""http://x"",""click"")' in firms
    load_path(hostile, tmp_path / "out", replace=True)
    assert hostile.read() == first
    names = {r["id"]: r["name"] for r in hostile.read().rows("enterprises")}
    assert names == HOSTILE


def test_cli_export_and_query_csv_are_safe(tmp_path: Path) -> None:
    export_zone(Zone(hostile_zone()), tmp_path / "zone")
    db = tmp_path / "zone.lbug"
    assert zonegraph(db, "load", str(tmp_path / "zone"), "--replace").returncode == 0
    done = zonegraph(db, "export", str(tmp_path / "again"))
    assert done.returncode == 0, done.stderr
    for name in ("enterprises.csv", "party_orgs.csv", "studios.csv", "liaisons.csv"):
        assert_csv_safe((tmp_path / "again" / name).read_text(encoding="utf-8-sig"))
    done = zonegraph(db, "query", "uncovered", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = assert_csv_safe(done.stdout)
    assert [(r[0], restore(r[1])) for r in rows[1:]] == [
        ("E5", HOSTILE["E5"]),
        ("E6", HOSTILE["E6"]),
    ]
    assert rows[1][4] == "'=cmd|' /C notepad'!A0"


def test_csv_rendering_keeps_numbers_and_quotes_text() -> None:
    rows = [{"name": "-3", "n": -3, "rate": -0.25, "tags": ["=a", "b"], "ok": True}]
    text = render(rows, ["name", "n", "rate", "tags", "ok"], "csv")
    assert assert_csv_safe(text)[1] == ["-3", "-3", "-0.25", "'=a;b", "true"]


@pytest.fixture
def client(hostile: EmbeddedStore, tmp_path: Path) -> Iterator[TestClient]:
    settings_ = Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios")
    with TestClient(create_app(settings_, hostile), headers=bearer()) as c:
        yield c


def test_the_api_csv_download_is_safe(client: TestClient) -> None:
    r = client.get("/api/queries/find_firms", params={"format": "csv", "text": "E"})
    assert r.status_code == 200
    rows = assert_csv_safe(r.content.decode("utf-8-sig"))
    assert rows[0] == ["id", "name", "street", "grid", "status"]
    assert {row[0]: restore(row[1]) for row in rows[1:]} == HOSTILE
    assert {row[0]: row[1] for row in rows[1:]}["E1"] == "'" + HOSTILE["E1"]


def test_the_api_xlsx_download_holds_text_never_formulas(
    client: TestClient, tmp_path: Path
) -> None:
    r = client.get("/api/queries/find_firms", params={"format": "xlsx", "text": "E"})
    assert r.status_code == 200
    (tmp_path / "firms.xlsx").write_bytes(r.content)
    values = assert_xlsx_safe(tmp_path / "firms.xlsx")
    assert values[0] == ["id", "name", "street", "grid", "status"]
    assert {row[0]: row[1] for row in values[1:]}["E1"] == HOSTILE["E1"]
    # Our loaders read the exact names back (the bell travels as Excel's _x0007_ escape).
    assert {row[0]: row[1] for row in read_back(tmp_path / "firms.xlsx", 8)[1:]} == HOSTILE
    r = client.get("/api/queries/alliance_reach", params={"format": "xlsx", "alliance": "A1"})
    assert [row[2] for row in assert_xlsx_safe(r.content)[1:]] == [1, 2]  # numbers stay numbers


# --- XLSX: ledger export and templates ------------------------------------------------------


def load(store: EmbeddedStore, path: Path) -> None:
    """As `zonegraph load` does it."""
    commit(store, prepare(store, path, kinds=("contract", "ledger")))


def test_the_exported_ledger_is_safe_and_round_trips_hostile_names(
    hostile: EmbeddedStore, tmp_path: Path
) -> None:
    write_ledger(hostile.read(), tmp_path / "a.xlsx")
    values = assert_xlsx_safe(tmp_path / "a.xlsx")
    assert {row[1] for row in values[3:]} >= {HOSTILE["E1"], HOSTILE["E2"], HOSTILE["E7"]}
    first = EmbeddedStore(tmp_path / "a.lbug")
    load(first, tmp_path / "a.xlsx")
    assert sorted(r["name"] for r in first.read().rows("enterprises")) == sorted(HOSTILE.values())
    write_ledger(first.read(), tmp_path / "b.xlsx")
    second = EmbeddedStore(tmp_path / "b.lbug")
    load(second, tmp_path / "b.xlsx")
    assert second.read() == first.read()
    orgs = {r["name"] for r in second.read().rows("party_orgs")}
    assert {"=Alpha org", "=Joint"} <= orgs


@pytest.mark.parametrize("kind", ["ledger", "contract"])
def test_templates_hold_no_formula_cells(tmp_path: Path, kind: str) -> None:
    write_template(kind, tmp_path / "t.xlsx")
    assert assert_xlsx_safe(tmp_path / "t.xlsx")


# --- any text, written and read back --------------------------------------------------------

#: Text our loaders accept in a cell (a NUL or a byte order mark is refused as damage).
cell_texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"),
    max_size=30,
)
#: Cells that start like formulas, so the property is exercised where it matters.
risky_texts = st.builds(
    lambda head, tail: head + tail, st.sampled_from(["", "'", "''", *DANGEROUS]), cell_texts
)


#: Four texts for a firm's name, street, industry and grid.
firm_texts = st.lists(st.one_of(cell_texts, risky_texts), min_size=4, max_size=4)
TEXT_COLUMNS = ("name", "street", "industry", "grid")


@settings(max_examples=200, deadline=None)
@given(texts=firm_texts)
def test_any_text_written_to_csv_reads_back_the_same(
    texts: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    export_zone(
        Zone({"enterprises": [{"id": "E1", **dict(zip(TEXT_COLUMNS, texts, strict=True))}]}), folder
    )
    # Bytes, not read_text(): universal newlines would turn a lone \r in a cell into \n.
    exported = decode((folder / "enterprises.csv").read_bytes(), "enterprises.csv")
    rendered = render([dict(zip(TEXT_COLUMNS, texts, strict=True))], TEXT_COLUMNS, "csv")
    for text in (exported, rendered):
        assert_csv_safe(text)
        table = read_csv_text(text, ENTERPRISES, "t.csv")
        if not table.rows:  # a row of blank cells is skipped, as it should be
            assert not any(t.strip() for t in texts)
            continue
        cells = dict(zip(table.header, table.rows[0][1], strict=True))
        assert [cells[c] for c in TEXT_COLUMNS] == texts


@settings(max_examples=100, deadline=None)
@given(texts=firm_texts)
def test_any_text_written_to_xlsx_reads_back_the_same(
    texts: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("xlsx")
    book = new_book()
    add_sheet(book, SheetSpec("t", [Column(c) for c in TEXT_COLUMNS], [texts]), dropdown_rows=0)
    book.save(folder / "sheet.xlsx")
    download = xlsx_bytes([dict(zip(TEXT_COLUMNS, texts, strict=True))], TEXT_COLUMNS, "t")
    (folder / "download.xlsx").write_bytes(download)
    for path in (folder / "sheet.xlsx", folder / "download.xlsx"):
        assert_xlsx_safe(path)
        header, row = read_back(path, 2)
        assert header == list(TEXT_COLUMNS)
        assert row + [""] * (len(texts) - len(row)) == texts


def test_the_api_xlsx_reads_back_exactly(tmp_path: Path) -> None:
    texts = ["=x", "'=x", "a\x07b", "_x0041_", "\r=1", " lead", "-3", "@"]
    (tmp_path / "q.xlsx").write_bytes(xlsx_bytes([{"v": t} for t in texts], ["v"], "q"))
    assert_xlsx_safe(tmp_path / "q.xlsx")
    assert read_back(tmp_path / "q.xlsx", len(texts) + 1)[1:] == [[t] for t in texts]
