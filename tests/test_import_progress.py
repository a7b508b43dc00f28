"""A big upload's check and commit run as a job whose page shows its progress: the JSON
status and the page over a real app (the flow in Chromium is in test_pages_browser.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import import_jobs
from api.app import create_app
from api.models import ImportResult
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from tests.auth import bearer
from tests.test_imports_web import XLSX, settings_for, workbook
from tests.test_pages_browser import firm_row
from tests.zones import small_zone

ROWS = [["编号", "企业名称", "职工人数", "状态"], ["E2", "Beta", 99, "在营"]]


@pytest.fixture
def app(embedded: EmbeddedStore, tmp_path: Path) -> FastAPI:
    load_tables(embedded, small_zone(), source="test")
    return create_app(settings_for(tmp_path), embedded)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, headers=bearer("organizer")) as c:
        yield c


@pytest.fixture
def every_upload_a_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every upload, however small, goes the way a big one does."""
    monkeypatch.setattr(import_jobs, "BACKGROUND_BYTES", 0)


def held_job(user: str) -> tuple[import_jobs.Job, threading.Event]:
    """A job that has read 500 of 2,000 rows and waits until the event is set."""
    release = threading.Event()

    def work(job: import_jobs.Job) -> ImportResult:
        job("reading and checking ledger.xlsx")
        job.rows("reading and checking ledger.xlsx", 500, 2000)
        release.wait(60)
        return ImportResult(
            kind="ledger", source="ledger.xlsx", whole_zone=False, tables=[], written=0, summary=""
        )

    return import_jobs.JOBS.start(user, "commit", "token", work), release


def test_a_running_job_shows_rows_done_and_refreshes_itself(client: TestClient) -> None:
    job, release = held_job("token:test-organizer")
    try:
        html = client.get(f"/import/jobs/{job.id}").text
        assert '<meta http-equiv="refresh" content="1">' in html
        assert 'data-state="running"' in html and "<script>" not in html
        assert "正在读取并检查文件" in html
        assert "已处理 500 / 2,000 行（25%）" in html
        assert '<progress id="progress-bar" max="2000" value="500">' in html
        status = client.get(f"/import/jobs/{job.id}/status").json()
        assert status["state"] == "running"
        assert (status["rows_done"], status["rows_total"], status["percent"]) == (500, 2000, 25)
    finally:
        release.set()
    assert job.wait(60)
    assert client.get(f"/import/jobs/{job.id}/status").json()["state"] == "done"


def test_someone_elses_job_is_not_found(app: FastAPI) -> None:
    job, release = held_job("someone else")
    release.set()
    with TestClient(app, headers=bearer("organizer")) as c:
        assert c.get(f"/import/jobs/{job.id}/status").status_code == 404
        assert c.get(f"/import/jobs/{job.id}").status_code == 404
    with TestClient(app, headers=bearer("viewer")) as c:
        assert c.get(f"/import/jobs/{job.id}/status").status_code == 403


def test_a_big_upload_answers_with_its_job_then_the_preview_and_the_result(
    client: TestClient, embedded: EmbeddedStore, every_upload_a_job: None
) -> None:
    data = workbook({"企业": [*ROWS, ["E6", "Zeta", 45, "注销"]]})
    r = client.post("/import", files={"file": ("台账.xlsx", data, XLSX)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/import/jobs/")
    job = import_jobs.JOBS.find(r.headers["location"].rsplit("/", 1)[1], "token:test-organizer")
    assert job.wait(60)
    html = client.get(r.headers["location"]).text
    assert "导入预览（尚未写入）" in html
    token = html.split('action="/import/')[1].split("/commit")[0]
    r = client.post(f"/import/{token}/commit", follow_redirects=False)
    assert r.status_code == 303
    job = import_jobs.JOBS.find(r.headers["location"].rsplit("/", 1)[1], "token:test-organizer")
    assert job.wait(60)
    assert "导入完成" in client.get(r.headers["location"]).text
    assert firm_row(embedded, "E6")["status"] == "closed"


def test_a_refused_big_upload_ends_on_its_problems(
    client: TestClient, every_upload_a_job: None
) -> None:
    data = workbook({"企业": [*ROWS, ["E6", "Zeta", "四十五", "注销"]]})
    r = client.post("/import", files={"file": ("台账.xlsx", data, XLSX)}, follow_redirects=False)
    job = import_jobs.JOBS.find(r.headers["location"].rsplit("/", 1)[1], "token:test-organizer")
    assert job.wait(60)
    html = client.get(r.headers["location"]).text
    assert "文件有问题，没有写入任何数据" in html and "不是整数" in html
