"""``/api/imports``: a file an organizer brings — uploaded, checked, previewed, committed.

The flow, for the JSON API and the import page alike:

1. The upload streams (``multipart/form-data``, read by :class:`MultipartReader` as it
   arrives, never whole in memory) into a file in ``upload_dir`` named by a random token.
   It is refused with 413 as soon as it passes ``upload_max_mb``: before a byte is read when
   ``Content-Length`` says so, else at the chunk that passes it. The name the client gave is
   kept only to show and for its suffix; the file on disk is ``<token><suffix>`` (see
   :class:`Upload` for a lone CSV file of one contract table).
2. :func:`loaders.imports.prepare` checks it as the command line does (whatever kind it is),
   and :func:`loaders.imports.preview` says what writing it would change. A refused file is
   removed at once and its problems answered (422).
3. The commit (``POST /api/imports/{token}/commit``) claims the upload (so a second click
   finds nothing), prepares it again against the zone as it is now, and commits it in one
   transaction. If the zone changed so that the file now means something else (a first
   load that is no longer first) it is not written, and a new preview is asked for (409).

Uploads are removed after their commit, and any older than an hour on the next upload.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from api.deps import CurrentUser, SettingsDep, StoreDep
from api.i18n import Translator
from api.models import (
    ErrorOut,
    ImportOut,
    ImportResult,
    PreviewOut,
    ProblemOut,
    RenameOut,
    RowPreview,
    TablePreview,
)
from api.multipart import UploadRefused
from api.pages_common import page_lang
from api.routes.enterprises import SameOrigin
from api.uploads import Upload, Uploads, uploads_for
from graph_model.audit import AuditEvent
from graph_model.changes import ApplyReport, RowChange, key_of
from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import TABLES
from graph_model.store.base import Store
from loaders.imports import Prepared, commit, prepare, preview
from loaders.load import Progress

router = APIRouter(prefix="/api/imports", tags=["imports"])

#: Rows of each table a preview shows.
PREVIEW_ROWS = 20


def _quiet(_: str) -> None:
    return None


class Changed(Exception):
    """The zone changed since the preview, so that the upload now means something else."""


# -- multipart/form-data, as it streams ----------------------------------------------------


# -- the uploads folder --------------------------------------------------------------------


# -- previews and reports ------------------------------------------------------------------


def shown_problem(problem: Problem, upload: Upload) -> Problem:
    """A problem naming the upload by the client's file name, not the file on disk."""
    for stored in (str(upload.path), upload.path.name):
        if problem.file.startswith(stored):
            return replace(problem, file=upload.name + problem.file[len(stored) :])
    if Path(problem.file).is_absolute():
        # A path on the server (the upload linked under its own name in a temporary folder)
        # says where the server keeps its files; the client is told only its own file's name.
        parts = Path(problem.file).parts
        cut = parts.index(upload.name) if upload.name in parts else len(parts) - 1
        return replace(problem, file="/".join(parts[cut:]))
    return problem


def refused(exc: ValidationFailed, upload: Upload) -> ValidationFailed:
    return ValidationFailed([shown_problem(p, upload) for p in exc.problems])


def problem_out(p: Problem) -> ProblemOut:
    return ProblemOut(
        file=p.file, line=p.line, column=p.column, value=p.value, reason=p.reason, text=str(p)
    )


def _closes(change: RowChange) -> bool:
    """A firm whose status goes to closed."""
    return (
        change.table == "enterprises"
        and change.before is not None
        and change.after is not None
        and change.after.get("status") == "closed"
        and change.before.get("status") != "closed"
    )


def table_previews(
    report: ApplyReport, prepared: Prepared | None = None, rows: int = PREVIEW_ROWS
) -> list[TablePreview]:
    """Per contract table: rows new, changed, closed, unchanged and removed, with the first
    ``rows`` rows that change (for a whole zone, its first rows)."""
    tables = {
        spec.name: TablePreview(
            table=spec.name,
            new=report.created.get(spec.name, 0),
            changed=report.updated.get(spec.name, 0),
            unchanged=report.unchanged.get(spec.name, 0),
            removed=report.deleted.get(spec.name, 0),
        )
        for spec in TABLES
    }
    for change in report.rows:
        preview_ = tables[change.table]
        if change.before is None:
            how = "new"
        elif change.after is None:
            how = "removed"
        elif _closes(change):
            how = "closed"
            preview_.closed += 1
            preview_.changed -= 1
        else:
            how = "changed"
        if len(preview_.rows) < rows:
            preview_.rows.append(
                RowPreview(
                    key=[str(k) for k in change.key],
                    change=how,
                    before=change.before,
                    after=change.after,
                )
            )
    zone = prepared.zone if prepared is not None else None
    if zone is not None and not report.rows:
        first = zone.head(rows)
        for spec in TABLES:
            for row in first.rows(spec.name):
                key = key_of(spec.name, row) or ()
                tables[spec.name].rows.append(
                    RowPreview(key=[str(k) for k in key], change="new", before=None, after=row)
                )
    return [
        t for t in tables.values() if t.new or t.changed or t.closed or t.unchanged or t.removed
    ]


def preview_out(prepared: Prepared, report: ApplyReport, upload: Upload) -> PreviewOut:
    return PreviewOut(
        whole_zone=prepared.zone is not None,
        tables=table_previews(report, prepared),
        renamed=[RenameOut(table=t, old=o, new=n) for t, o, n in report.renamed],
        written=report.written(),
        warnings=[problem_out(shown_problem(p, upload)) for p in prepared.warnings],
        notes=list(prepared.notes),
    )


def check_upload(
    store: Store, uploads: Uploads, upload: Upload, *, fresh: bool, progress: Progress = _quiet
) -> ImportOut:
    """Prepare and preview an upload; a refused one is removed (and a ``fresh`` one, just
    received, that could not be checked at all: the database was busy, say). ``progress``
    is told each step.

    Raises
    ------
    ValidationFailed
        Every problem, naming the file as the client did; the upload is gone.
    """
    try:
        progress(f"reading and checking {upload.name}")
        prepared = prepare(store, upload.path, name=upload.name)
        progress("comparing with the zone")
        report = preview(store, prepared)
    except ValidationFailed as exc:
        uploads.remove(upload)
        raise refused(exc, upload) from None
    except BaseException:
        if fresh:
            uploads.remove(upload)
        raise
    upload.kind, upload.whole_zone = prepared.kind, prepared.zone is not None
    uploads.save(upload)
    return ImportOut(
        token=upload.token,
        kind=prepared.kind,
        source=upload.name,
        preview=preview_out(prepared, report, upload),
    )


def check_token(store: Store, uploads: Uploads, token: str) -> ImportOut:
    """The preview of a waiting upload, against the zone as it is now."""
    return check_upload(store, uploads, uploads.find(token), fresh=False)


def commit_token(
    store: Store,
    uploads: Uploads,
    token: str,
    audit: AuditEvent | None = None,
    progress: Progress = _quiet,
) -> ImportResult:
    """Write a previewed upload in one transaction (with ``audit``'s entry, detailed with the
    file's name), then remove it; ``progress`` is told each step.

    Raises
    ------
    NotFound
        No upload has the token (it expired, was committed, or is being committed).
    Changed
        The zone changed so that the upload means something else now; nothing was written
        and the upload waits for a new preview.
    ValidationFailed
        The zone as it is now refuses the file; nothing was written and the upload is gone.
    """
    uploads.sweep()
    upload = uploads.claim(token)
    try:
        progress(f"reading and checking {upload.name}")
        prepared = prepare(store, upload.path, name=upload.name)
        if (prepared.kind, prepared.zone is not None) != (upload.kind, upload.whole_zone):
            upload.kind, upload.whole_zone = prepared.kind, prepared.zone is not None
            raise Changed(token)
        event = None if audit is None else replace(audit, detail=upload.name)
        progress("writing in one transaction")
        report = commit(store, prepared, audit=event)
    except ValidationFailed as exc:
        uploads.remove(upload)
        raise refused(exc, upload) from None
    except BaseException:
        uploads.release(upload)
        raise
    uploads.remove(upload)
    return ImportResult(
        kind=prepared.kind,
        source=upload.name,
        whole_zone=prepared.zone is not None,
        tables=table_previews(report, rows=0),
        renamed=[RenameOut(table=t, old=o, new=n) for t, o, n in report.renamed],
        written=report.written(),
        summary=report.summary(),
    )


def error_json(status_code: int, error: str, detail: str) -> JSONResponse:
    headers = {"Connection": "close"} if status_code == 413 else None
    body = ErrorOut(error=error, detail=detail)
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


def refused_json(request: Request, exc: UploadRefused) -> JSONResponse:
    detail = exc.message(Translator(page_lang(request)))
    return error_json(exc.status_code, exc.error, detail)


# -- the routes ----------------------------------------------------------------------------

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "a ledger, a contract workbook, a zip of contract "
                            "CSV files or a register export",
                        }
                    },
                    "required": ["file"],
                }
            }
        },
    }
}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "cut off, or no file in the form"},
    403: {"description": "sent by a page on another site"},
    413: {"model": ErrorOut, "description": "over upload_max_mb (ZONEGRAPH_UPLOAD_MAX_MB)"},
    415: {"model": ErrorOut, "description": "not multipart/form-data"},
    422: {"model": ErrorOut, "description": "the file is refused: every problem, located"},
}
TOKEN_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "sent by a page on another site"},
    404: {"model": ErrorOut, "description": "no such upload: expired (an hour) or handled"},
    409: {"model": ErrorOut, "description": "the zone changed since the preview; check again"},
    422: {"model": ErrorOut, "description": "the zone as it is now refuses the file"},
}


@router.post(
    "",
    response_model=ImportOut,
    responses=UPLOAD_ERRORS,
    openapi_extra=UPLOAD_BODY,
    dependencies=[SameOrigin],
    summary="Upload a file: checked, and previewed (nothing is written yet)",
)
async def upload_file(
    request: Request, user: CurrentUser, store: StoreDep, settings: SettingsDep
) -> Response | ImportOut:
    uploads = uploads_for(settings)
    try:
        upload = await uploads.receive(request, settings)
    except UploadRefused as exc:
        return refused_json(request, exc)
    return await run_in_threadpool(partial(check_upload, store, uploads, upload, fresh=True))


@router.get(
    "/{token}",
    response_model=ImportOut,
    responses=TOKEN_ERRORS,
    summary="A waiting upload's preview, against the zone as it is now",
)
def show_upload(token: str, user: CurrentUser, store: StoreDep, settings: SettingsDep) -> ImportOut:
    return check_token(store, uploads_for(settings), token)


@router.post(
    "/{token}/commit",
    response_model=ImportResult,
    responses=TOKEN_ERRORS,
    dependencies=[SameOrigin],
    summary="Write a previewed upload in one transaction, then remove it",
)
def commit_upload(
    token: str, user: CurrentUser, store: StoreDep, settings: SettingsDep
) -> Response | ImportResult:
    try:
        event = AuditEvent(user.name, "import", "api")
        return commit_token(store, uploads_for(settings), token, event)
    except Changed:
        detail = "the zone changed since the preview; get the preview again, then commit"
        return error_json(status.HTTP_409_CONFLICT, "Conflict", detail)


@router.delete(
    "/{token}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=TOKEN_ERRORS,
    dependencies=[SameOrigin],
    summary="Discard a waiting upload",
)
def discard_upload(token: str, user: CurrentUser, settings: SettingsDep) -> None:
    uploads = uploads_for(settings)
    uploads.remove(uploads.find(token))
