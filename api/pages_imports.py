"""导入 ``/import``: upload a file → its problems, or a preview → confirm → the result.

The pages use the very functions the JSON API uses (:mod:`api.routes.imports`): the same
streaming upload and size limit, the same check, the same commit. They add the words: the
problems' reasons in Chinese (:mod:`api.problems_zh`), the tables and columns by name.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import import_jobs
from api.deps import CurrentUser, SettingsDep, StoreDep
from api.i18n import Translator
from api.models import ImportOut, ImportResult, ProblemOut, RowPreview
from api.multipart import UploadRefused, limit_bytes
from api.pages_common import error_page, fmt, page_lang, render
from api.problems_zh import reason_zh
from api.routes.enterprises import SameOrigin
from api.routes.imports import Changed, check_token, check_upload, commit_token
from api.uploads import uploads_for
from graph_model.audit import AuditEvent
from graph_model.errors import NotFound, Problem, ValidationFailed, ZonegraphError
from graph_model.schema import TABLE
from graph_model.settings import Settings
from graph_model.store.base import Store

router = APIRouter()

#: Problems a report page lists before it sums up the rest.
SHOW_PROBLEMS = 500


def _t(request: Request) -> Translator:
    return Translator(page_lang(request))


def column_label(column: str | None, t: Translator) -> str:
    """A problem's column as a page names it: the contract's columns by their heading, a
    header as typed or a cell reference (``B3``) as it is."""
    if not column:
        return ""
    return t.col(column) if f"col.{column}" in t.strings else column


def shown(problem: Problem | ProblemOut, t: Translator) -> dict[str, Any]:
    """One problem for a page: where it is, and why, in the page's language."""
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "column_label": column_label(problem.column, t),
        "value": problem.value,
        "reason": reason_zh(problem.reason) if t.lang == "zh" else problem.reason,
    }


def kind_label(kind: str, t: Translator) -> str:
    key = f"imp.kind.{kind}"
    return t(key) if key in t.strings else kind


def table_label(table: str, t: Translator) -> str:
    key = f"tbl.{table}"
    return t(key) if key in t.strings else table


def row_detail(row: RowPreview, table: str, t: Translator) -> list[dict[str, str | None]]:
    """What a preview row changes: each column that differs, before and after (for a new
    row, the values it gives; for a removed one, nothing beyond its key)."""
    if row.after is None:
        return []
    before = row.before or {}
    key = set(TABLE[table].key) if table in TABLE else set()
    out: list[dict[str, str | None]] = []
    for column, value in row.after.items():
        if column in key or (row.before is None and value is None):
            continue
        if row.before is not None and before.get(column) == value:
            continue
        out.append(
            {
                "column": column,
                "label": column_label(column, t),
                "before": None if row.before is None else fmt(before.get(column), column, t),
                "after": fmt(value, column, t),
            }
        )
    return out


def _form_context(settings: Settings) -> dict[str, Any]:
    return {
        "max_mb": f"{settings.upload_max_mb:g}",
        "max_bytes": limit_bytes(settings),
    }


def import_form(
    request: Request, settings: Settings, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    response = render(
        request,
        "import.html",
        {**_form_context(settings), "error": error},
        active="import",
        status_code=status_code,
        path="/import",
    )
    if status_code == 413:
        # The rest of the body was never read: this connection cannot carry another request.
        response.headers["Connection"] = "close"
    return response


def report_page(
    request: Request, settings: Settings, exc: ValidationFailed, source: str | None
) -> HTMLResponse:
    t = _t(request)
    problems = [shown(p, t) for p in exc.problems]
    return render(
        request,
        "import_report.html",
        {
            **_form_context(settings),
            "problems": problems[:SHOW_PROBLEMS],
            "total": len(problems),
            "source": source,
        },
        active="import",
        status_code=422,
        path="/import",
    )


def preview_page(
    request: Request,
    settings: Settings,
    checked: ImportOut,
    *,
    changed: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    t = _t(request)
    p = checked.preview
    tables = [
        {
            "table": tp.table,
            "label": table_label(tp.table, t),
            "counts": tp,
            "rows": [
                {"key": " / ".join(r.key), "change": r.change, "detail": row_detail(r, tp.table, t)}
                for r in tp.rows
            ],
            "changing": tp.new + tp.changed + tp.closed + tp.removed,
        }
        for tp in p.tables
    ]
    return render(
        request,
        "import_preview.html",
        {
            "checked": checked,
            "kind": kind_label(checked.kind, t),
            "tables": tables,
            "warnings": [shown(w, t) for w in p.warnings],
            "changed": changed,
        },
        active="import",
        status_code=status_code,
        path=f"/import/{checked.token}",
    )


def done_page(request: Request, result: ImportResult) -> HTMLResponse:
    t = _t(request)
    tables = [{"label": table_label(tp.table, t), "counts": tp} for tp in result.tables]
    return render(
        request,
        "import_done.html",
        {"result": result, "kind": kind_label(result.kind, t), "tables": tables},
        active="import",
        path="/import",
    )


def expired_page(request: Request, settings: Settings) -> HTMLResponse:
    return import_form(request, settings, error=_t(request)("imp.expired"), status_code=404)


@router.get("/import", response_class=HTMLResponse)
def import_index(request: Request, user: CurrentUser, settings: SettingsDep) -> HTMLResponse:
    return import_form(request, settings)


@router.post("/import", response_class=HTMLResponse, dependencies=[SameOrigin])
async def import_upload(
    request: Request, user: CurrentUser, store: StoreDep, settings: SettingsDep
) -> Response:
    uploads = uploads_for(settings)
    try:
        upload = await uploads.receive(request, settings)
    except UploadRefused as exc:
        message = exc.message(_t(request))
        return import_form(request, settings, error=message, status_code=exc.status_code)
    if upload.size >= import_jobs.BACKGROUND_BYTES:
        job = import_jobs.JOBS.start(
            user.name,
            "check",
            upload.name,
            lambda job: check_upload(store, uploads, upload, fresh=True, progress=job),
        )
        return RedirectResponse(f"/import/jobs/{job.id}", status_code=303)
    try:
        checked = await run_in_threadpool(partial(check_upload, store, uploads, upload, fresh=True))
    except ValidationFailed as exc:
        return report_page(request, settings, exc, upload.name)
    except ZonegraphError as exc:
        return error_page(request, exc, active="import")
    return preview_page(request, settings, checked)


@router.get("/import/{token}", response_class=HTMLResponse)
def import_show(
    token: str, request: Request, user: CurrentUser, store: StoreDep, settings: SettingsDep
) -> Response:
    try:
        checked = check_token(store, uploads_for(settings), token)
    except NotFound:
        return expired_page(request, settings)
    except ValidationFailed as exc:
        return report_page(request, settings, exc, None)
    except ZonegraphError as exc:
        return error_page(request, exc, active="import")
    return preview_page(request, settings, checked)


@router.post("/import/{token}/commit", response_class=HTMLResponse, dependencies=[SameOrigin])
def import_commit(
    token: str, request: Request, user: CurrentUser, store: StoreDep, settings: SettingsDep
) -> Response:
    uploads = uploads_for(settings)
    audit = AuditEvent(user.name, "import", "web")
    try:
        size = uploads.find(token).size
    except NotFound:
        return expired_page(request, settings)
    if size >= import_jobs.BACKGROUND_BYTES:
        job = import_jobs.JOBS.start(
            user.name,
            "commit",
            token,
            lambda job: commit_token(store, uploads, token, audit, progress=job),
        )
        return RedirectResponse(f"/import/jobs/{job.id}", status_code=303)
    try:
        result = commit_token(store, uploads, token, audit)
    except Exception as exc:
        return commit_refused(request, store, settings, token, exc)
    return done_page(request, result)


def commit_refused(
    request: Request, store: Store, settings: Settings, token: str, exc: Exception
) -> HTMLResponse:
    """The page of a commit that wrote nothing: expired, changed, refused or failed."""
    if isinstance(exc, NotFound):
        return expired_page(request, settings)
    if isinstance(exc, Changed):
        try:
            checked = check_token(store, uploads_for(settings), token)
        except ValidationFailed as again:
            return report_page(request, settings, again, None)
        return preview_page(request, settings, checked, changed=True, status_code=409)
    if isinstance(exc, ValidationFailed):
        return report_page(request, settings, exc, None)
    if isinstance(exc, ZonegraphError):
        return error_page(request, exc, active="import")
    raise exc


@router.get("/import/jobs/{job_id}", response_class=HTMLResponse)
def import_job(
    job_id: str, request: Request, user: CurrentUser, store: StoreDep, settings: SettingsDep
) -> Response:
    """A background check or commit: its progress while it runs, then its answer."""
    try:
        job = import_jobs.JOBS.find(job_id, user.name)
    except NotFound as exc:
        return error_page(request, exc, active="import")
    if job.running:
        t = _t(request)
        status = job.status()
        return render(
            request,
            "import_progress.html",
            {"job": status, "step": step_text(status["step"], t)},
            active="import",
        )
    if job.what == "check":
        if isinstance(job.error, ValidationFailed):
            return report_page(request, settings, job.error, job.source)
        if job.error is not None:
            return job_failed(request, job.error)
        return preview_page(request, settings, job.outcome)
    if job.error is not None:
        try:
            return commit_refused(request, store, settings, job.source, job.error)
        except Exception as exc:
            return job_failed(request, exc)
    return done_page(request, job.outcome)


@router.get("/import/jobs/{job_id}/status")
def import_job_status(job_id: str, request: Request, user: CurrentUser) -> dict[str, Any]:
    """How far a background check or commit has come (JSON, for scripts and pages)."""
    return import_jobs.JOBS.find(job_id, user.name).status()


def job_failed(request: Request, error: Exception) -> HTMLResponse:
    """A job that failed outside the import's own refusals: said in one line, never a
    traceback (the database busy, say)."""
    if isinstance(error, ZonegraphError):
        return error_page(request, error, active="import")
    return error_page(request, ZonegraphError(_t(request)("imp.job_failed")), active="import")


#: How the page names the steps the import tells its progress callback (by first word).
STEP_WORDS = ("reading", "checking", "comparing", "writing")


def step_text(step: str, t: Translator) -> str:
    """A step as the page says it: the known steps in the page's language."""
    first = step.split(" ", 1)[0]
    if first in STEP_WORDS and t.lang == "zh":
        return t(f"imp.step.{first}")
    return step


@router.post("/import/{token}/cancel", dependencies=[SameOrigin])
def import_cancel(token: str, user: CurrentUser, settings: SettingsDep) -> Response:
    uploads = uploads_for(settings)
    try:
        uploads.remove(uploads.find(token))
    except NotFound:
        pass
    return RedirectResponse("/import", status_code=303)
