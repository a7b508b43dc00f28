"""``/api/enterprises``: one firm's profile, and finding firms by name."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import CurrentUser, StoreDep
from api.models import EnterpriseProfile, QueryRows
from api.routes.queries import ERRORS
from queries.catalog import run
from queries.profiles import enterprise_profile

router = APIRouter(prefix="/api/enterprises", tags=["enterprises"])


@router.get("", response_model=QueryRows, summary="Firms whose name or id contains the text")
def find(
    user: CurrentUser,
    store: StoreDep,
    q: str = Query(..., min_length=1, max_length=100, description="part of a name or id"),
    limit: int = Query(20, ge=1, le=200),
) -> QueryRows:
    result = run(store, "find_firms", {"text": q, "limit": limit})
    columns = ["id", "name", "street", "grid", "status"]
    return QueryRows(
        query="find_firms",
        columns=columns,
        rows=result.rows,
        total=len(result.rows),
        page=1,
        per_page=limit,
    )


@router.get(
    "/{firm_id}",
    response_model=EnterpriseProfile,
    responses=ERRORS,
    summary="One firm: coverage, organizations, liaisons, alliances, suppliers, customers",
)
def profile(firm_id: str, user: CurrentUser, store: StoreDep) -> EnterpriseProfile:
    return EnterpriseProfile.model_validate(enterprise_profile(store, firm_id))
