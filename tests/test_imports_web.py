"""The web app's write paths over a real embedded store: uploads (checked, previewed,
committed; refused with their problems located and in Chinese; over the size limit refused
as they stream), and the firm profile's edits (fields, coverage, liaisons) through the JSON
API and the page."""

from __future__ import annotations

import asyncio
import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook

from api.app import create_app
from api.multipart import MultipartReader, PartData, PartEnd, PartStart
from api.problems_zh import reason_zh
from api.uploads import TTL, Uploads
from graph_model.changes import ChangeSet, Origin
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.catalog import run_query
from queries.profiles import enterprise_profile
from tests.auth import bearer
from tests.zones import small_zone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Sheets = dict[str, list[list[Any]]]


def settings_for(tmp_path: Path, **more: Any) -> Settings:
    return Settings(
        ZONEGRAPH_SCENARIOS=tmp_path / "scenarios", ZONEGRAPH_UPLOADS=tmp_path / "uploads", **more
    )


@pytest.fixture
def app(embedded: EmbeddedStore, tmp_path: Path) -> FastAPI:
    load_tables(embedded, small_zone(), source="test")
    return create_app(settings_for(tmp_path), embedded)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, headers=bearer()) as c:
        yield c


def workbook(sheets: Sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def send(client: TestClient, name: str, data: bytes, url: str = "/api/imports") -> Any:
    return client.post(url, files={"file": (name, data, XLSX)})


def uploads_left(tmp_path: Path) -> list[str]:
    folder = tmp_path / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def firm(store: EmbeddedStore, firm_id: str) -> dict[str, Any]:
    row: dict[str, Any] = enterprise_profile(store, firm_id)["enterprise"]
    return row


#: A workbook with one bad cell: row 3's employees.
BAD_CELL: Sheets = {
    "enterprises": [["id", "name", "employees"], ["E1", "Alpha", 12], ["E2", "Beta", "many"]]
}
#: A good one: a number changed, a firm closed (注销), a firm added.
GOOD: Sheets = {
    "enterprises": [
        ["id", "name", "employees", "status"],
        ["E2", "Beta", 99, "在营"],
        ["E6", "Zeta", 45, "注销"],
        ["E8", "Theta", 7, None],
    ]
}


# -- uploads -------------------------------------------------------------------------------


def test_the_import_page_answers_in_both_languages_and_links_nothing_outside(
    client: TestClient,
) -> None:
    from tests.test_pages import EXTERNAL

    html = client.get("/import").text
    assert "导入数据" in html and 'enctype="multipart/form-data"' in html
    assert 'data-max-mb="50"' in html and "最大 50 MB" in html
    assert '<a href="/import" class="active" aria-current="page">导入</a>' in html
    assert not EXTERNAL.findall(html) and "http://" not in html
    assert "Import data" in client.get("/import?lang=en").text
    client.cookies.clear()
    assert "/api/imports" in client.get("/openapi.json").json()["paths"]


def test_a_workbook_with_a_bad_cell_is_refused_with_the_problem_located(
    client: TestClient, embedded: EmbeddedStore, tmp_path: Path
) -> None:
    before = firm(embedded, "E2")
    r = send(client, "台账.xlsx", workbook(BAD_CELL))
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "ValidationFailed"
    assert [
        (p["file"], p["line"], p["column"], p["value"], p["reason"]) for p in body["problems"]
    ] == [("台账.xlsx[enterprises]", 3, "employees", "many", "is not a whole number")]
    assert uploads_left(tmp_path) == []  # a refused upload is not kept
    assert firm(embedded, "E2") == before

    r = send(client, "台账.xlsx", workbook(BAD_CELL), url="/import")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    row = r.text[r.text.index("<tbody>") : r.text.index("</tbody>")]
    for part in ("台账.xlsx[enterprises]", ">3<", "职工数", "many", "不是整数"):
        assert part in row, part
    assert 'action="/import"' in r.text  # the form to upload the corrected file
    assert 'id="lang-en" href="/import?lang=en"' in r.text
    r = client.post("/import?lang=en", files={"file": ("台账.xlsx", workbook(BAD_CELL), XLSX)})
    assert "is not a whole number" in r.text and "不是整数" not in r.text
    client.cookies.clear()


def test_a_good_workbook_is_previewed_then_committed(
    client: TestClient, embedded: EmbeddedStore, tmp_path: Path
) -> None:
    assert [x["id"] for x in run_query(embedded, "uncovered")] == ["E5", "E6"]
    assert 'href="/firms/E6"' in client.get("/").text
    r = send(client, "firms.xlsx", workbook(GOOD))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["kind"], body["source"], body["problems"]) == ("contract", "firms.xlsx", [])
    preview = body["preview"]
    assert preview["whole_zone"] is False and preview["written"] == 3
    (table,) = preview["tables"]
    counts = {k: table[k] for k in ("new", "changed", "closed", "unchanged", "removed")}
    assert table["table"] == "enterprises"
    assert counts == {"new": 1, "changed": 1, "closed": 1, "unchanged": 0, "removed": 0}
    rows = {tuple(r["key"]): r for r in table["rows"]}
    assert rows[("E2",)]["change"] == "changed"
    assert (rows[("E2",)]["before"]["employees"], rows[("E2",)]["after"]["employees"]) == (15, 99)
    assert rows[("E6",)]["change"] == "closed" and rows[("E8",)]["before"] is None
    # Nothing is written by the preview.
    assert firm(embedded, "E2")["employees"] == 15
    assert len(uploads_left(tmp_path)) == 2  # the file and what is known of it

    r = client.post(f"/api/imports/{body['token']}/commit")
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["written"] == 3 and result["summary"] == "enterprises +1 ~2 -0"
    assert result["tables"][0]["closed"] == 1
    assert uploads_left(tmp_path) == []
    assert firm(embedded, "E2")["employees"] == 99
    assert client.get("/api/enterprises/E6").json()["coverage"] == "closed"
    assert client.get("/api/enterprises/E8").json()["enterprise"]["name"] == "Theta"
    # The dashboard's firms to visit first: the closed E6 has gone, the new E8 is there.
    assert [x["id"] for x in run_query(embedded, "uncovered")] == ["E5", "E8"]
    dashboard = client.get("/").text
    assert 'href="/firms/E8"' in dashboard and 'href="/firms/E6"' not in dashboard
    # A second commit of the same upload finds nothing.
    assert client.post(f"/api/imports/{body['token']}/commit").status_code == 404


def test_the_pages_preview_confirm_and_link_to_the_dashboard(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    r = send(client, "firms.xlsx", workbook(GOOD), url="/import")
    assert r.status_code == 200, r.text[:2000]
    html = r.text
    counts = html[
        html.index('id="preview-counts"') : html.index("</table>", html.index("preview-counts"))
    ]
    for col, n in (("new", 1), ("changed", 1), ("closed", 1), ("unchanged", 0)):
        assert f'<td data-col="{col}">{n}</td>' in counts, col
    assert "企业" in counts and "注销" in html and "<del>15</del> → <ins>99</ins>" in html
    assert firm(embedded, "E2")["employees"] == 15
    token = html.split('action="/import/')[1].split("/commit")[0]
    r = client.post(f"/import/{token}/commit")
    assert r.status_code == 200 and "导入完成" in r.text
    assert 'id="to-dashboard" href="/"' in r.text
    assert firm(embedded, "E6")["status"] == "closed"
    r = client.post(f"/import/{token}/commit")
    assert r.status_code == 404 and "已过期或已处理" in r.text


def test_a_first_load_into_an_empty_zone_previews_the_counts(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    zone = small_zone()
    firms = [["id", "name", "street"]] + [
        [f["id"], f["name"], f["street"]] for f in zone["enterprises"]
    ]
    with TestClient(create_app(settings_for(tmp_path), embedded), headers=bearer()) as client:
        r = send(client, "zone.xlsx", workbook({"企业": firms}))
        assert r.status_code == 200, r.text
        preview = r.json()["preview"]
        assert preview["whole_zone"] is True
        assert [(t["table"], t["new"]) for t in preview["tables"]] == [("enterprises", 7)]
        assert embedded.counts()["Enterprise"] == 0
        html = send(client, "zone.xlsx", workbook({"企业": firms}), url="/import").text
        assert 'id="preview-whole"' in html
        token = r.json()["token"]
        assert client.post(f"/api/imports/{token}/commit").json()["whole_zone"] is True
        assert embedded.counts()["Enterprise"] == 7
        # The other upload, previewed as a first load, now lands on a zone that has firms:
        # it is not written, and a new preview is asked for.
        other = html.split('action="/import/')[1].split("/commit")[0]
        r = client.post(f"/import/{other}/commit")
        assert r.status_code == 409 and 'id="preview-changed"' in r.text
        assert 'id="preview-whole"' not in r.text
        assert client.post(f"/api/imports/{other}/commit").status_code == 200


def test_a_zip_of_csv_files_is_previewed_and_committed(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    data = zipped(
        {
            "zone/enterprises.csv": "id,name,party_members\nE5,Eps,3\n",
            "zone/coverage.csv": "coverer_id,enterprise_id,mode\nJ1,E5,组织覆盖\n",
        }
    )
    r = send(client, "季度更新.zip", data)
    assert r.status_code == 200, r.text
    tables = {t["table"]: t for t in r.json()["preview"]["tables"]}
    assert (tables["enterprises"]["changed"], tables["coverage"]["new"]) == (1, 1)
    assert tables["coverage"]["rows"][0]["key"] == ["J1", "E5", "organization"]
    r = client.post(f"/api/imports/{r.json()['token']}/commit")
    assert r.status_code == 200, r.text
    assert client.get("/api/enterprises/E5").json()["coverage"] == "joint"


def test_a_lone_csv_file_named_like_a_table_is_that_table(
    client: TestClient, embedded: EmbeddedStore, tmp_path: Path
) -> None:
    r = send(client, "企业.csv", b"id,name,employees\nE2,Beta,many\n")
    assert r.status_code == 422
    assert [(p["file"], p["line"], p["column"]) for p in r.json()["problems"]] == [
        ("企业.csv", 2, "employees")
    ]
    assert uploads_left(tmp_path) == []
    r = send(client, "企业.csv", "id,name,employees\nE2,Beta,77\n".encode("gb18030"))
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    assert r.json()["kind"] == "contract"
    assert [(t["table"], t["changed"]) for t in r.json()["preview"]["tables"]] == [
        ("enterprises", 1)
    ]
    assert uploads_left(tmp_path) == [token, f"{token}.json"]
    assert [p.name for p in (tmp_path / "uploads" / token).iterdir()] == ["enterprises.csv"]
    assert client.post(f"/api/imports/{token}/commit").status_code == 200
    assert firm(embedded, "E2")["employees"] == 77
    assert uploads_left(tmp_path) == []


def test_a_ledger_uploads_with_its_kind_and_its_notes(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    """A real ledger (台账): the page says what kind of file it is, and which stored firms
    the ledger leaves out (they are kept)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "2026年三季度"
    sheet.append(["锦程街道非公企业党建工作台账"])
    sheet.append(["企业名称", "所属街道", "党员数", "组建方式", "党组织名称", "覆盖方式"])
    sheet.append(["Theta", "S1", 2, "区域联建", "锦程联合党支部", "组织覆盖"])
    buffer = io.BytesIO()
    book.save(buffer)
    r = send(client, "三季度台账.xlsx", buffer.getvalue(), url="/import")
    assert r.status_code == 200
    assert 'data-kind="ledger">台账</dd>' in r.text
    assert "operating firm(s) stored are not in this ledger" in r.text
    token = r.text.split('action="/import/')[1].split("/commit")[0]
    r = client.post(f"/import/{token}/commit")
    assert r.status_code == 200 and 'data-kind="ledger">台账</dd>' in r.text
    names = {row["name"] for row in embedded.read().rows("enterprises")}
    assert "Theta" in names and "Alpha" in names  # added; the others kept


@pytest.mark.parametrize(
    ("data", "reason", "zh"),
    [
        (b"PK\x03\x04 this is not really a zip", "is not a readable .zip file", "不是可以读取的"),
        (zipped({"readme.txt": "hello"}), "holds no .csv file", "里面没有 .csv 文件"),
    ],
)
def test_a_bad_zip_is_refused_by_its_own_name(
    client: TestClient, tmp_path: Path, data: bytes, reason: str, zh: str
) -> None:
    r = send(client, "上报.zip", data)
    assert r.status_code == 422
    assert [(p["file"], p["reason"]) for p in r.json()["problems"]] == [("上报.zip", reason)]
    html = send(client, "上报.zip", data, url="/import").text
    assert zh in html and "上报.zip" in html
    assert uploads_left(tmp_path) == []


def test_the_name_an_upload_came_with_names_no_file_on_the_server(
    client: TestClient, tmp_path: Path
) -> None:
    r = send(client, "../../etc/passwd/..\\x\\firms.xlsx", workbook(GOOD))
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    assert r.json()["source"] == "firms.xlsx"
    assert uploads_left(tmp_path) == [f"{token}.json", f"{token}.xlsx"]
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/imports/{token}/commit"),
        ("get", "/api/imports/{token}"),
        ("delete", "/api/imports/{token}"),
    ],
)
@pytest.mark.parametrize("token", ["A" * 32, "nope", "..%2F..%2Fetc"])
def test_an_unknown_token_is_404(client: TestClient, method: str, path: str, token: str) -> None:
    r = client.request(method.upper(), path.format(token=token))
    assert r.status_code == 404
    # A token with slashes matches no route at all; any other is looked for and not found.
    assert r.json().get("error", "NotFound") == "NotFound"


def test_an_upload_expires_after_an_hour(client: TestClient, tmp_path: Path) -> None:
    token = send(client, "firms.xlsx", workbook(GOOD)).json()["token"]
    meta = tmp_path / "uploads" / f"{token}.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**data, "created": time.time() - TTL - 1}), encoding="utf-8")
    assert client.post(f"/api/imports/{token}/commit").status_code == 404
    assert client.get(f"/import/{token}").status_code == 404
    assert uploads_left(tmp_path) == []

    # The sweep on the next upload removes any upload older than an hour.
    token = send(client, "firms.xlsx", workbook(GOOD)).json()["token"]
    uploads = Uploads(tmp_path / "uploads")
    uploads.sweep(now=time.time() + TTL / 2)
    assert len(uploads_left(tmp_path)) == 2
    uploads.sweep(now=time.time() + TTL + 5)
    assert uploads_left(tmp_path) == []


def test_a_discarded_upload_is_removed(client: TestClient, tmp_path: Path) -> None:
    token = send(client, "firms.xlsx", workbook(GOOD)).json()["token"]
    r = client.post(f"/import/{token}/cancel", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/import"
    assert uploads_left(tmp_path) == []


# -- the size limit ------------------------------------------------------------------------


def asgi_post(
    app: FastAPI, path: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> tuple[int, bytes, int]:
    """POST ``chunks`` to the app as a server streams them; (status, body, chunks read)."""
    read = 0
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(chunks):
            read += 1
            return {
                "type": "http.request",
                "body": chunks[read - 1],
                "more_body": read < len(chunks),
            }
        await asyncio.sleep(3600)  # a client still sending: the app must not wait for it
        return {"type": "http.disconnect"}

    async def send_(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send_), timeout=30))
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], body, read


def multipart_chunks(name: str, size: int, chunk: int = 4096) -> list[bytes]:
    head = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="'
        + name.encode()
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )
    data = [b"x" * chunk for _ in range(size // chunk)]
    return [head, *data, b"\r\n--XyZ--\r\n"]


FORM = [
    (b"content-type", b"multipart/form-data; boundary=XyZ"),
    (b"authorization", bearer()["Authorization"].encode()),
]


@pytest.mark.parametrize("path", ["/api/imports", "/import"])
def test_an_upload_over_the_limit_is_refused_before_the_body_is_read(
    embedded: EmbeddedStore, tmp_path: Path, path: str
) -> None:
    app = create_app(settings_for(tmp_path, ZONEGRAPH_UPLOAD_MAX_MB=0.01), embedded)  # 10 KiB
    chunks = multipart_chunks("big.xlsx", 1 << 20)  # 1 MiB in 4 KiB chunks
    with TestClient(app, headers=bearer()):
        status, body, read = asgi_post(app, path, FORM, chunks)
        assert status == 413
        assert read <= 5 < len(chunks)  # refused at the chunk that passed 10 KiB
        text = body.decode()
        assert "0.01 MB" in text and "上传上限" in text
        if path == "/api/imports":
            assert json.loads(text)["error"] == "PayloadTooLarge"
        # A Content-Length over the limit is refused before a byte is read.
        length = [(b"content-length", str(sum(map(len, chunks))).encode())]
        status, body, read = asgi_post(app, path, FORM + length, chunks)
        assert (status, read) == (413, 0)
        # Up to the limit is taken (and then refused for what it holds, not for its size).
        status, body, read = asgi_post(app, path, FORM, multipart_chunks("ok.xlsx", 10240))
        assert status == 422
    assert uploads_left(tmp_path) == []


def test_the_size_limit_through_the_test_client_and_in_english(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    app = create_app(settings_for(tmp_path, ZONEGRAPH_UPLOAD_MAX_MB=0.01), embedded)
    with TestClient(app, headers=bearer()) as client:
        r = send(client, "big.xlsx", b"x" * 20_000)
        assert r.status_code == 413 and "上传上限" in r.json()["detail"]
        r = client.post("/api/imports?lang=en", files={"file": ("big.xlsx", b"x" * 20_000, XLSX)})
        assert r.status_code == 413 and "upload limit" in r.json()["detail"]
        r = client.post("/api/imports", content=b"id,name\n", headers={"content-type": "text/csv"})
        assert r.status_code == 415


def test_a_form_without_a_file_or_cut_off_is_refused(client: TestClient) -> None:
    r = client.post(
        "/api/imports",
        content=b'--B\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--B--\r\n',
        headers={"content-type": "multipart/form-data; boundary=B"},
    )
    assert r.status_code == 400 and r.json()["error"] == "NoFile"
    r = client.post(
        "/api/imports",
        content=b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nabc',
        headers={"content-type": "multipart/form-data; boundary=B"},
    )
    assert r.status_code == 400 and r.json()["error"] == "BadUpload"


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 1000])
def test_the_multipart_reader_gives_the_same_bytes_whatever_the_chunks(size: int) -> None:
    payload = bytes(range(256)) * 40 + b"\r\n--Bo" + b"\r\n-" + b"--Boun\r"
    body = (
        b"preamble\r\n--Bound\r\n"
        b'Content-Disposition: form-data; name="note"\r\n\r\nhello\r\n--Bound\r\n'
        b'Content-Disposition: form-data; name="file"; filename="\xe5\x8f\xb0\xe8\xb4\xa6.xlsx"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + payload + b"\r\n--Bound--\r\nepilogue"
    )
    reader = MultipartReader(b"Bound")
    events = [e for i in range(0, len(body), size) for e in reader.feed(body[i : i + size])]
    assert reader.complete
    starts = [e.params for e in events if isinstance(e, PartStart)]
    assert starts == [{"name": "note"}, {"name": "file", "filename": "台账.xlsx"}]
    parts: list[bytes] = [b""]
    for e in events:
        if isinstance(e, PartData):
            parts[-1] += e.data
        elif isinstance(e, PartEnd):
            parts.append(b"")
    assert parts == [b"hello", payload, b""]


# -- reasons in Chinese --------------------------------------------------------------------


def test_the_reasons_real_files_are_refused_for_have_chinese_wording(client: TestClient) -> None:
    sheets: Sheets = {
        "enterprises": [
            ["id", "name", "employees", "star", "key_firm", "status", "party_members"],
            ["E1", "Alpha", "many", 9, "maybe", "dormant", "1,2,3"],
            ["E1", "Again", 1, 1, "是", "在营", 1],
            ["J1", "Clash", 1, 1, "否", "在营", 1],
            [None, "No id", 1, 1, None, None, None],
        ],
        "coverage": [
            ["coverer_id", "enterprise_id", "mode"],
            ["S01", "E6", "organization"],
            ["X404", "E6", "work"],
            ["E2", "E6", "work"],
            ["S01", "E6", "sometimes"],
        ],
        "supply_links": [["supplier_id", "customer_id"], ["E5", "E5"]],
        "备注": [["anything"]],
    }
    r = send(client, "check.xlsx", workbook(sheets))
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert len(problems) >= 7
    untranslated = [p["reason"] for p in problems if reason_zh(p["reason"]) == p["reason"]]
    assert not untranslated
    # The change-set checks (ids, references, rules) are reached once the cells are good.
    sheets["enterprises"] = [["id", "name"], ["E1", "Alpha"], ["J1", "Clash"]]
    sheets["coverage"] = sheets["coverage"][:4]
    r = send(client, "check.xlsx", workbook(sheets))
    assert r.status_code == 422
    reasons = [p["reason"] for p in r.json()["problems"]]
    assert len(reasons) >= 4
    assert [x for x in reasons if reason_zh(x) == x] == []
    assert "老书记工作室只能提供工作覆盖（覆盖方式请选“工作覆盖”）" in map(reason_zh, reasons)


# -- editing a firm ------------------------------------------------------------------------


def test_patch_sets_fields_in_one_checked_change_set(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    r = client.patch(
        "/api/enterprises/E2",
        json={"employees": "１,234", "key_firm": True, "street": "S2", "star": 3, "park": None},
    )
    assert r.status_code == 200, r.text
    e = r.json()["enterprise"]
    assert (e["employees"], e["key_firm"], e["street"], e["star"]) == (1234, True, "S2", 3)
    assert firm(embedded, "E2")["street"] == "S2"
    r = client.patch("/api/enterprises/E2", json={"status": "注销"})
    assert r.json()["coverage"] == "closed"


@pytest.mark.parametrize(
    ("body", "column", "reason"),
    [
        ({"star": 9}, "star", "is out of range (0–5)"),
        ({"employees": "many", "party_members": 3}, "employees", "is not a whole number"),
        ({"key_firm": "maybe"}, "key_firm", "is not true/false (or 1/0, yes/no, 是/否)"),
        ({"status": "sleeping"}, "status", "is not one of operating, closed"),
    ],
)
def test_patch_refusals_name_the_field_and_write_nothing(
    client: TestClient, embedded: EmbeddedStore, body: dict[str, Any], column: str, reason: str
) -> None:
    before = firm(embedded, "E2")
    r = client.patch("/api/enterprises/E2", json=body)
    assert r.status_code == 422, r.text
    (problem,) = r.json()["problems"]
    assert (problem["column"], problem["reason"]) == (column, reason)
    assert problem["file"] == "PATCH /api/enterprises/E2"
    assert firm(embedded, "E2") == before


def test_patch_of_an_unknown_firm_or_field(client: TestClient) -> None:
    assert client.patch("/api/enterprises/E404", json={"star": 1}).status_code == 404
    assert client.patch("/api/enterprises/E2", json={"name": "Renamed"}).status_code == 422


def test_coverage_is_added_and_removed(client: TestClient, embedded: EmbeddedStore) -> None:
    r = client.post("/api/enterprises/E6/coverage", json={"coverer_id": "S01", "mode": "work"})
    assert r.status_code == 200, r.text
    assert r.json()["coverage"] == "work"
    assert [(o["id"], o["how"]) for o in r.json()["organizations"]] == [("S01", "work")]
    assert [x["id"] for x in run_query(embedded, "uncovered")] == ["E5"]

    r = client.post(
        "/api/enterprises/E6/coverage", json={"coverer_id": "S01", "mode": "organization"}
    )
    assert r.status_code == 422 and r.json()["problems"][0]["column"] == "mode"
    r = client.post("/api/enterprises/E6/coverage", json={"coverer_id": "X404", "mode": "work"})
    assert r.status_code == 422 and r.json()["problems"][0]["column"] == "coverer_id"
    r = client.post("/api/enterprises/E6/coverage", json={"coverer_id": "J1", "mode": "组织覆盖"})
    assert r.status_code == 200 and r.json()["coverage"] == "joint"

    params = {"coverer_id": "S01", "mode": "work"}
    r = client.delete("/api/enterprises/E6/coverage", params=params)
    assert r.status_code == 200 and [o["id"] for o in r.json()["organizations"]] == ["J1"]
    r = client.delete("/api/enterprises/E6/coverage", params=params)
    assert r.status_code == 422 and r.json()["problems"][0]["reason"] == "matches no stored row"


def test_liaisons_are_added_by_id_or_name_and_removed(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    r = client.post("/api/enterprises/E2/liaisons", json={"name": "Li"})
    assert r.status_code == 200, r.text
    assert [x["id"] for x in r.json()["liaisons"]] == ["L1"]
    r = client.post(
        "/api/enterprises/E2/liaisons", json={"liaison_id": "L9", "name": "Wang", "department": "Q"}
    )
    assert [(x["id"], x["name"], x["detail"]) for x in r.json()["liaisons"]] == [
        ("L1", "Li", "Investment"),
        ("L9", "Wang", "Q"),
    ]
    r = client.post("/api/enterprises/E2/liaisons", json={"name": "Nobody"})
    assert r.status_code == 422 and r.json()["problems"][0]["column"] == "name"
    r = client.post("/api/enterprises/E2/liaisons", json={"liaison_id": "E3"})
    assert r.status_code == 422  # an enterprise's id
    r = client.delete("/api/enterprises/E2/liaisons", params={"liaison_id": "L9"})
    assert [x["id"] for x in r.json()["liaisons"]] == ["L1"]
    assert {x["liaison_id"] for x in run_query(embedded, "liaison_load")} == {"L1"}


def test_a_write_from_another_site_is_refused(client: TestClient, embedded: EmbeddedStore) -> None:
    evil = {"origin": "http://evil.example"}
    r = client.patch("/api/enterprises/E2", json={"star": 1}, headers=evil)
    assert r.status_code == 403
    r = client.post("/firms/E2", data={"star": "1"}, headers=evil)
    assert r.status_code == 403
    assert firm(embedded, "E2")["star"] is None
    r = client.patch("/api/enterprises/E2", json={"star": 1}, headers={"origin": "null"})
    assert r.status_code == 403
    ok = {"origin": "http://testserver"}
    assert client.patch("/api/enterprises/E2", json={"star": 1}, headers=ok).status_code == 200
    proxied = {"origin": "https://zone.example", "x-forwarded-host": "zone.example"}
    assert client.patch("/api/enterprises/E2", json={"star": 2}, headers=proxied).status_code == 200


def form_of(e: dict[str, Any], **changes: str) -> dict[str, str]:
    """The profile's edit form as a browser sends it: every field, as shown."""
    values = {
        k: "" if e[k] is None else str(e[k]).lower() if isinstance(e[k], bool) else str(e[k])
        for k in ("status", "street", "community", "grid", "park", "employees", "party_members")
    }
    values["star"] = "" if e["star"] is None else str(e["star"])
    values["key_firm"] = "" if e["key_firm"] is None else str(e["key_firm"]).lower()
    return {**values, **changes}


def test_the_profile_page_saves_an_edit_and_shows_a_refusal_beside_the_field(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    e = firm(embedded, "E2")
    r = client.post("/firms/E2", data=form_of(e, employees="许多"), follow_redirects=False)
    assert r.status_code == 422
    html = r.text
    error = html[html.index('<span class="field-error" data-field="employees"') :]
    assert "“许多” 不是整数" in error[: error.index("</span>")]
    assert 'value="许多"' in html and '<details class="edit" id="edit-basics" open>' in html
    assert 'id="lang-en" href="/firms/E2?lang=en"' in html  # the page, not the form's address
    assert firm(embedded, "E2") == e

    r = client.post("/firms/E2", data=form_of(e, employees="40", grid="G2"), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/firms/E2?saved=1")
    assert (firm(embedded, "E2")["employees"], firm(embedded, "E2")["grid"]) == (40, "G2")
    assert "已保存" in client.get(r.headers["location"]).text
    r = client.post("/firms/E2", data=form_of(firm(embedded, "E2")), follow_redirects=False)
    assert r.headers["location"].startswith("/firms/E2?saved=0")


def test_the_profile_page_adds_and_removes_coverage_and_liaisons(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    r = client.post("/firms/E6/coverage", data={"coverer_id": "S01", "mode": "organization"})
    assert r.status_code == 422
    assert "老书记工作室只能提供工作覆盖" in r.text and 'id="refused-coverage"' in r.text
    r = client.post("/firms/E6/coverage", data={"coverer_id": "S01", "mode": "work"})
    assert r.status_code == 200 and 'data-id="S01" data-how="work"' in r.text
    r = client.post("/firms/E6/coverage/remove", data={"coverer_id": "S01", "mode": "work"})
    assert r.status_code == 200 and 'data-id="S01"' not in r.text
    r = client.post("/firms/E6/liaisons/remove", data={"liaison_id": "L1"})
    assert r.status_code == 200 and 'id="liaison-table"' not in r.text
    r = client.post("/firms/E6/liaisons", data={"liaison_id": "", "name": "Li"})
    assert '<tr data-id="L1">' in r.text
    assert client.post("/firms/E404/coverage", data={"coverer_id": "S01"}).status_code == 404


def test_the_profile_shows_the_register_facts_read_only(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    changes = ChangeSet()
    facts = {"legal_rep": "张三", "founded": "2015-03-02", "capital": "500万元人民币"}
    changes.upsert("enterprises", {"id": "E1", **facts, "reg_status": "存续"}, Origin("test"))
    embedded.apply(changes)
    html = client.get("/firms/E1").text
    start = html.index('id="register-facts"')
    register = html[start : html.index("</dl>", start)]
    for label, value in (("法定代表人", "张三"), ("成立日期", "2015-03-02"), ("登记状态", "存续")):
        assert label in register and value in register
    assert "登记行业" in register and "企业地址" in register
    assert 'name="legal_rep"' not in html and 'name="capital"' not in html
