"""``/api/enterprises``: one firm's profile, finding firms by name, and editing a firm.

Every edit is one change set through ``Store.apply``, so it is checked exactly as a load
checks the same rows, and written in one transaction or not at all. Each carries an
:class:`~graph_model.changes.Origin` naming the route (or page) and the firm, so a refusal
is located; a refused edit is a 422 whose ``problems`` name the field (``column``). The
functions here are shared by the JSON routes and the profile page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from api.deps import CurrentUser, StoreDep
from api.models import CoverageIn, EnterprisePatch, EnterpriseProfile, LiaisonIn, QueryRows
from api.routes.queries import ERRORS
from graph_model.audit import AuditEvent
from graph_model.changes import ApplyReport, ChangeSet, Origin
from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import TABLE
from graph_model.store.base import Store
from loaders.cells import CellError, parse_cell
from queries.catalog import run, run_query
from queries.profiles import enterprise_profile

router = APIRouter(prefix="/api/enterprises", tags=["enterprises"])

#: The organizers' facts about a firm that the profile edits.
EDITABLE: tuple[str, ...] = (
    "status",
    "street",
    "community",
    "grid",
    "park",
    "employees",
    "party_members",
    "star",
    "key_firm",
)
#: The register's facts about a firm, shown read-only.
REGISTER_FACTS: tuple[str, ...] = (
    "reg_industry",
    "legal_rep",
    "founded",
    "capital",
    "address",
    "reg_status",
)
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    403: {"description": "sent by a page on another site"},
    422: {"model": ERRORS[422]["model"], "description": "refused; problems name the field"},
}


def same_origin(request: Request) -> None:
    """Refuse a write that a page on another site sent (a cross-site form post): a browser
    names the page's site in ``Origin``, and it must be this server (as the request reached
    it, or as a proxy in front says it was asked: ``X-Forwarded-Host``)."""
    origin = request.headers.get("origin")
    if origin is None:
        return  # not a browser's cross-site request: scripts, the CLI, tests
    hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")}
    if urlsplit(origin).netloc not in hosts - {None}:
        raise HTTPException(status_code=403, detail="a write from another site is refused")


SameOrigin = Depends(same_origin)


def as_text(value: object) -> str:
    """A JSON or form value as the cell text a load would read."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_fields(values: Mapping[str, object], origin: Origin) -> dict[str, Any]:
    """The typed values of the given enterprise fields, parsed as a load parses them.

    Raises
    ------
    ValidationFailed
        Naming each field whose value does not fit (``column`` is the field).
    """
    spec = TABLE["enterprises"]
    row: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in values.items():
        if name not in EDITABLE:
            problems.append(Problem(origin.source, None, name, None, "is not a field one edits"))
            continue
        text = as_text(value)
        try:
            row[name] = parse_cell(spec.column(name), text)
        except CellError as exc:
            problems.append(Problem(origin.source, None, name, text.strip(), str(exc)))
    if problems:
        raise ValidationFailed(problems)
    return row


def edit_firm(
    store: Store,
    firm_id: str,
    values: Mapping[str, object],
    origin: Origin,
    *,
    only_changed: bool,
    audit: AuditEvent | None = None,
) -> ApplyReport | None:
    """Set some of a firm's fields in one change set; None when nothing would change.

    With ``only_changed`` the fields equal to what is stored are left out (a whole form is
    sent back, so a field somebody else changed meanwhile is not set back).

    Raises
    ------
    NotFound
        No firm has the id.
    ValidationFailed
        A value does not fit, or the change set is refused; nothing was written.
    """
    current = enterprise_profile(store, firm_id)["enterprise"]
    row = parse_fields(values, origin)
    if only_changed:
        row = {k: v for k, v in row.items() if v != current.get(k)}
    if not row:
        return None
    changes = ChangeSet()
    changes.upsert("enterprises", {"id": firm_id, **row}, origin)
    return store.apply(changes, audit=audit)


def _coverage_key(firm_id: str, coverer_id: str, mode: str, origin: Origin) -> dict[str, Any]:
    problems = []
    if not coverer_id.strip():
        problems.append(Problem(origin.source, None, "coverer_id", None, "is required"))
    try:
        parsed = parse_cell(TABLE["coverage"].column("mode"), mode)
    except CellError as exc:
        problems.append(Problem(origin.source, None, "mode", mode.strip(), str(exc)))
    else:
        if parsed is None:
            problems.append(Problem(origin.source, None, "mode", None, "is required"))
    if problems:
        raise ValidationFailed(problems)
    return {"coverer_id": coverer_id.strip(), "enterprise_id": firm_id, "mode": parsed}


def add_coverage(
    store: Store,
    firm_id: str,
    coverer_id: str,
    mode: str,
    origin: Origin,
    audit: AuditEvent | None = None,
) -> ApplyReport:
    """Cover the firm by a party organization, studio or instructor (one coverage row)."""
    enterprise_profile(store, firm_id)  # NotFound for an unknown firm
    changes = ChangeSet()
    changes.upsert("coverage", _coverage_key(firm_id, coverer_id, mode, origin), origin)
    return store.apply(changes, audit=audit)


def remove_coverage(
    store: Store,
    firm_id: str,
    coverer_id: str,
    mode: str,
    origin: Origin,
    audit: AuditEvent | None = None,
) -> ApplyReport:
    """Remove one coverage row of the firm (it must exist)."""
    enterprise_profile(store, firm_id)
    key = _coverage_key(firm_id, coverer_id, mode, origin)
    changes = ChangeSet()
    changes.delete("coverage", (key["coverer_id"], firm_id, key["mode"]), origin)
    return store.apply(changes, audit=audit)


def find_liaison(store: Store, liaison_id: str | None, name: str | None, origin: Origin) -> str:
    """The liaison's id: the one given, else the one liaison with this exact name."""
    if liaison_id and liaison_id.strip():
        return liaison_id.strip()
    wanted = (name or "").strip()
    if not wanted:
        raise ValidationFailed(
            [Problem(origin.source, None, "liaison_id", None, "give a liaison id or name")]
        )
    ids = [
        r["liaison_id"]
        for r in run_query(store, "liaison_load")
        if (r["name"] or "").strip() == wanted
    ]
    if len(ids) == 1:
        return str(ids[0])
    reason = (
        f"several liaisons have this name ({', '.join(sorted(ids))}); give the id"
        if ids
        else "no liaison has this name; give an id to add a new liaison"
    )
    raise ValidationFailed([Problem(origin.source, None, "name", wanted, reason)])


def add_liaison(
    store: Store,
    firm_id: str,
    liaison_id: str | None,
    name: str | None,
    department: str | None,
    origin: Origin,
    audit: AuditEvent | None = None,
) -> ApplyReport:
    """Link a liaison to the firm: by id (a new id adds a liaison, named by ``name``), or by
    an existing liaison's name alone."""
    enterprise_profile(store, firm_id)
    ident = find_liaison(store, liaison_id, name, origin)
    row: dict[str, Any] = {"liaison_id": ident, "enterprise_id": firm_id}
    if liaison_id and liaison_id.strip():
        row.update({k: v.strip() for k, v in (("name", name), ("department", department)) if v})
    changes = ChangeSet()
    changes.upsert("liaisons", row, origin)
    return store.apply(changes, audit=audit)


def remove_liaison(
    store: Store, firm_id: str, liaison_id: str, origin: Origin, audit: AuditEvent | None = None
) -> ApplyReport:
    """Unlink a liaison from the firm (the link must exist)."""
    enterprise_profile(store, firm_id)
    changes = ChangeSet()
    changes.delete("liaisons", (liaison_id.strip(), firm_id), origin)
    return store.apply(changes, audit=audit)


def _profile(store: Store, firm_id: str) -> EnterpriseProfile:
    return EnterpriseProfile.model_validate(enterprise_profile(store, firm_id))


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
    return _profile(store, firm_id)


@router.patch(
    "/{firm_id}",
    response_model=EnterpriseProfile,
    responses=WRITE_ERRORS,
    dependencies=[SameOrigin],
    summary="Set some of a firm's fields (one checked change set); gives the new profile",
)
def patch(
    firm_id: str, body: EnterprisePatch, user: CurrentUser, store: StoreDep
) -> EnterpriseProfile:
    values = {name: getattr(body, name) for name in body.model_fields_set}
    origin = Origin(f"PATCH /api/enterprises/{firm_id}")
    event = AuditEvent(user.name, "firm.edit", "api", detail=firm_id)
    edit_firm(store, firm_id, values, origin, only_changed=False, audit=event)
    return _profile(store, firm_id)


@router.post(
    "/{firm_id}/coverage",
    response_model=EnterpriseProfile,
    responses=WRITE_ERRORS,
    dependencies=[SameOrigin],
    summary="Cover the firm by a party organization, studio or instructor",
)
def post_coverage(
    firm_id: str, body: CoverageIn, user: CurrentUser, store: StoreDep
) -> EnterpriseProfile:
    origin = Origin(f"POST /api/enterprises/{firm_id}/coverage")
    event = AuditEvent(user.name, "coverage.add", "api", detail=firm_id)
    add_coverage(store, firm_id, body.coverer_id, body.mode, origin, event)
    return _profile(store, firm_id)


@router.delete(
    "/{firm_id}/coverage",
    response_model=EnterpriseProfile,
    responses=WRITE_ERRORS,
    dependencies=[SameOrigin],
    summary="Remove one coverage row of the firm",
)
def delete_coverage(
    firm_id: str,
    user: CurrentUser,
    store: StoreDep,
    coverer_id: Annotated[str, Query(min_length=1, max_length=200)],
    mode: Annotated[str, Query(min_length=1, max_length=40, description="organization or work")],
) -> EnterpriseProfile:
    origin = Origin(f"DELETE /api/enterprises/{firm_id}/coverage")
    event = AuditEvent(user.name, "coverage.remove", "api", detail=firm_id)
    remove_coverage(store, firm_id, coverer_id, mode, origin, event)
    return _profile(store, firm_id)


@router.post(
    "/{firm_id}/liaisons",
    response_model=EnterpriseProfile,
    responses=WRITE_ERRORS,
    dependencies=[SameOrigin],
    summary="Link a liaison to the firm, by id (a new id adds a liaison) or by name",
)
def post_liaison(
    firm_id: str, body: LiaisonIn, user: CurrentUser, store: StoreDep
) -> EnterpriseProfile:
    origin = Origin(f"POST /api/enterprises/{firm_id}/liaisons")
    event = AuditEvent(user.name, "liaison.add", "api", detail=firm_id)
    add_liaison(store, firm_id, body.liaison_id, body.name, body.department, origin, event)
    return _profile(store, firm_id)


@router.delete(
    "/{firm_id}/liaisons",
    response_model=EnterpriseProfile,
    responses=WRITE_ERRORS,
    dependencies=[SameOrigin],
    summary="Unlink a liaison from the firm",
)
def delete_liaison(
    firm_id: str,
    user: CurrentUser,
    store: StoreDep,
    liaison_id: Annotated[str, Query(min_length=1, max_length=200)],
) -> EnterpriseProfile:
    origin = Origin(f"DELETE /api/enterprises/{firm_id}/liaisons")
    event = AuditEvent(user.name, "liaison.remove", "api", detail=firm_id)
    remove_liaison(store, firm_id, liaison_id, origin, event)
    return _profile(store, firm_id)
