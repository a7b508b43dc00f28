"""The catalogue covers every query, page errors and page-facing JSON speak the reader's
language, downloads are named and headed in the language asked for (the API's own keep their
machine names), and /docs and /redoc are served from the package, with no web address."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.i18n import EN, ZH
from queries.catalog import all_queries, get_query
from tests.auth import session_cookie
from tests.browser import STREET
from tests.lang_check import english_runs

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_query_and_parameter_is_described_in_both_languages() -> None:
    for q in all_queries():
        assert CJK.search(ZH[f"qd.{q.name}"]) and not CJK.search(EN[f"qd.{q.name}"]), q.name
        for p in q.params:
            keys = [f"qp.{q.name}.{p.name}", f"qp.{p.name}"]
            zh = next((ZH[k] for k in keys if k in ZH), "")
            assert CJK.search(zh), (q.name, p.name)
            assert not english_runs(zh), (q.name, p.name, zh)


def test_api_downloads_keep_machine_names_unless_asked(demo_client: TestClient) -> None:
    columns = list(get_query("uncovered").columns)
    r = demo_client.get("/api/queries/uncovered", params={"format": "csv", "street": STREET})
    assert r.headers["content-disposition"] == 'attachment; filename="uncovered.csv"'
    assert r.text.lstrip("\ufeff").splitlines()[0] == ",".join(columns)
    assert "content-language" not in r.headers

    r = demo_client.get(
        "/api/queries/uncovered", params={"format": "csv", "street": STREET, "lang": "zh"}
    )
    assert r.status_code == 200 and r.headers["content-language"] == "zh-CN"
    disposition = r.headers["content-disposition"]
    plain, utf8 = re.fullmatch(
        r'attachment; filename="([^"]+)"; filename\*=UTF-8\'\'(\S+)', disposition
    ).groups()
    assert re.fullmatch(r"uncovered_\d{4}-\d\d-\d\d\.csv", plain)
    assert re.fullmatch(rf"未覆盖企业_{STREET}_\d{{4}}-\d\d-\d\d\.csv", unquote(utf8))
    header = r.text.lstrip("\ufeff").splitlines()[0].split(",")
    assert header[:3] == ["编号", "名称", "街道"] and len(header) == len(columns)

    r = demo_client.get("/api/queries/coverage_by", params={"format": "xlsx", "lang": "en"})
    assert unquote(r.headers["content-disposition"].split("''")[1]).startswith(
        "Coverage-by-group_street_"
    )
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.title == "Coverage by group"
    assert sheet.freeze_panes == "A2"
    assert (
        sheet.auto_filter.ref
        == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    )
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(6 <= w <= 60 for w in widths) and len(set(widths)) > 1


def test_machine_xlsx_has_widths_freeze_and_filter(demo_client: TestClient) -> None:
    r = demo_client.get("/api/queries/uncovered", params={"format": "xlsx"})
    assert r.headers["content-disposition"] == 'attachment; filename="uncovered.xlsx"'
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[1]] == list(get_query("uncovered").columns)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    name_width = sheet.column_dimensions["B"].width
    assert name_width > 12  # a firm's name is wider than Excel's default column


def test_json_errors_speak_the_page_language_when_asked(demo_client: TestClient) -> None:
    path = "/api/queries/alliance_reach"
    r = demo_client.get(path, params={"alliance": "NOPE"})
    assert r.status_code == 404 and r.json()["detail"].startswith("no ")
    r = demo_client.get(path, params={"alliance": "NOPE", "lang": "zh"})
    body = r.json()
    assert r.status_code == 404 and body["error"] == "NotFound"
    assert body["detail"] == "没有编号为 NOPE 的党建联盟"
    # A page's script (signed in by the session cookie) gets the page's language, Chinese
    # by default, without asking.
    name, value = session_cookie("viewer")
    signed_in = {"authorization": "", "cookie": f"{name}={value}"}
    r = demo_client.get(path, params={"alliance": "NOPE"}, headers=signed_in)
    assert r.json()["detail"] == "没有编号为 NOPE 的党建联盟"


def test_page_errors_and_notes_are_in_chinese(demo_client: TestClient) -> None:
    r = demo_client.get("/queries/alliance_reach?alliance=A1&hops=9")
    assert r.status_code == 422 and "参数“供应链层数”：9 大于最大值 6" in r.text
    r = demo_client.get("/firms/E99999", headers={"accept": "text/html"})
    assert r.status_code == 404 and "没有编号为 E99999 的企业" in r.text
    r = demo_client.get("/queries/studio_assignment")
    notes = re.findall(r"<li>([^<]*)</li>", r.text.split('class="notes"')[1].split("</ul>")[0])
    assert notes and "家未覆盖企业中已安排" in notes[0]
    assert not any(english_runs(n) for n in notes), notes
    r = demo_client.get("/queries/studio_assignment?lang=en")
    assert "uncovered firm(s) assigned" in r.text


def test_docs_pages_are_served_from_the_package(demo_client: TestClient) -> None:
    for path, asset in (
        ("/docs", "/static/vendor/swagger-ui/swagger-ui-bundle.js"),
        ("/redoc", "/static/vendor/redoc/redoc.standalone.js"),
    ):
        r = demo_client.get(path)
        assert r.status_code == 200, path
        assert asset in r.text and "http://" not in r.text and "https://" not in r.text
        assert "<script>" not in r.text  # no inline script: the CSP forbids it
        policy = r.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "img-src 'self' data:;" in policy
        assert demo_client.get(asset).status_code == 200
    assert demo_client.get("/static/app/docs.js").status_code == 200
    # The other pages keep the strict policy.
    assert "unsafe-inline" not in demo_client.get("/queries").headers["content-security-policy"]


def test_api_notes_stay_english_sentences(demo_client: TestClient) -> None:
    body = demo_client.get("/api/queries/studio_assignment").json()
    assert body["notes"] and body["notes"][0].endswith("uncovered firm(s) assigned")


def test_a_refused_change_is_explained_in_chinese_to_a_page(demo_client: TestClient) -> None:
    """The what-if panel shows ``detail — problems``: both in the page's language."""
    bad = {
        "op": "add",
        "table": "coverage",
        "values": {"coverer_id": "NOBODY", "enterprise_id": "E0009", "mode": "organization"},
    }
    r = demo_client.post("/api/whatif", json={"changes": [bad]})
    assert r.status_code == 422 and r.json()["detail"].endswith("nothing was written")
    r = demo_client.post("/api/whatif?lang=zh", json={"changes": [bad]})
    body = r.json()
    assert r.status_code == 422 and body["error"] == "ValidationFailed"
    assert body["detail"].startswith("输入中有 1 个问题，没有写入任何内容 — ")
    assert "找不到这个" in body["detail"] and "找不到这个" in body["problems"][0]["text"]
    assert body["problems"][0]["reason"].startswith("names no ")  # the machine field stays
    assert not english_runs(body["detail"]), body["detail"]
