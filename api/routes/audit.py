"""The audit trail as JSON: read only (no route edits or deletes an entry)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import CurrentUser, StoreDep
from api.routes.queries import ERRORS
from graph_model.audit import AuditEntry, parse_since

router = APIRouter(prefix="/api/audit", tags=["audit"])

#: The most entries one request returns.
MAX_LIMIT = 1000


class AuditEntryOut(BaseModel):
    """One recorded write: who, when (UTC), what."""

    id: str
    at: str = Field(description="when, ISO 8601 UTC")
    user: str = Field(description="cli:<OS user> on the command line, the account on the web")
    action: str = Field(description="e.g. load, import, firm.edit, scenario.apply, restore")
    source: str = Field(description="cli, web or api")
    counts: dict[str, int] = Field(description="rows per table and kind, always complete")
    keys: dict[str, list[list[str]]] = Field(description="keys touched, at most 100 per table")
    detail: str


class AuditLog(BaseModel):
    data: list[AuditEntryOut]
    count: int


def entry_out(entry: AuditEntry) -> AuditEntryOut:
    data: dict[str, Any] = entry.public()
    return AuditEntryOut(**data)


#: What ``since`` looks like; the calendar (no 2026-02-30) is checked beyond it.
SINCE_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$"


@router.get("", response_model=AuditLog, responses=ERRORS, summary="Recorded writes, newest first")
def audit_log(
    user: CurrentUser,
    store: StoreDep,
    since: str | None = Query(
        None,
        max_length=40,
        pattern=SINCE_PATTERN,
        description="a date (2026-12-01) or a time (UTC unless an offset)",
    ),
    who: str | None = Query(
        None, alias="user", max_length=200, description="only this user's writes"
    ),
    limit: int = Query(200, ge=1, le=MAX_LIMIT),
) -> AuditLog:
    entries = store.audit_log(since=parse_since(since), user=who or None, limit=limit)
    return AuditLog(data=[entry_out(e) for e in entries], count=len(entries))
