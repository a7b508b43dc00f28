"""企业档案 ``/firms/{id}``: one firm's profile, and editing it.

The profile edits the organizers' facts (status, street, community, grid, park, employees,
party members, star, key firm), adds and removes coverage rows and liaisons. Each form is
posted to this page and becomes one change set through the same functions the JSON API uses
(:mod:`api.routes.enterprises`): saved, the page comes back with a note (Post/Redirect/Get);
refused, it comes back with each reason in the page's language beside the field it names,
and nothing is written. The register's facts are shown, read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CurrentUser, StoreDep, User
from api.i18n import Translator
from api.pages_common import error_page, page_lang, render
from api.pages_imports import shown
from api.routes.enterprises import (
    EDITABLE,
    REGISTER_FACTS,
    SameOrigin,
    add_coverage,
    add_liaison,
    edit_firm,
    remove_coverage,
    remove_liaison,
)
from graph_model.audit import AuditEvent
from graph_model.changes import Origin
from graph_model.errors import NotFound, ValidationFailed, ZonegraphError
from graph_model.store.base import Store
from queries.profiles import enterprise_profile

router = APIRouter()

#: The most a profile form's body may hold.
MAX_FORM = 64 << 10
#: The fields of each form on the page (a problem naming another column is shown above it).
FORMS: dict[str, tuple[str, ...]] = {
    "fields": EDITABLE,
    "coverage": ("coverer_id", "mode"),
    "liaisons": ("liaison_id", "name"),
}
#: The star ratings a firm may have.
STARS = ("0", "1", "2", "3", "4", "5")


class FormTooLarge(Exception):
    pass


async def read_form(request: Request) -> dict[str, str]:
    """A url-encoded form body (each field's first value), read up to :data:`MAX_FORM`."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise FormTooLarge
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


def origin(firm_id: str) -> Origin:
    """Where a page edit comes from: this page, naming the firm."""
    return Origin(f"firm profile page /firms/{firm_id}")


def event(user: User, action: str, firm_id: str) -> AuditEvent:
    """The audit event of a change made on the firm's page."""
    return AuditEvent(user.name, action, "web", detail=firm_id)


def as_form_value(value: object) -> str:
    """A stored value as a form field shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def firm_page(
    request: Request,
    store: Store,
    firm_id: str,
    *,
    form: str | None = None,
    typed: Mapping[str, str] | None = None,
    refusal: ValidationFailed | None = None,
    note: str | None = None,
) -> HTMLResponse:
    """The profile; after a refused edit, the form as typed with the reasons beside it."""
    try:
        profile = enterprise_profile(store, firm_id)
    except ZonegraphError as exc:
        return error_page(request, exc)
    t = Translator(page_lang(request))
    e = profile["enterprise"]
    values = {name: as_form_value(e.get(name)) for name in EDITABLE}
    errors: dict[str, dict[str, list[str]]] = {name: {} for name in FORMS}
    general: dict[str, list[str]] = {name: [] for name in FORMS}
    if form is not None and refusal is not None:
        if form == "fields":
            values.update(typed or {})
        for problem in refusal.problems:
            p = shown(problem, t)
            text = p["reason"]
            if p["value"] not in (None, ""):
                text = f"“{p['value']}” {text}" if t.lang == "zh" else f"{p['value']!r} {text}"
            if problem.column in FORMS[form]:
                errors[form].setdefault(problem.column, []).append(text)
            else:
                label = f"{p['column_label']}: " if p["column"] else ""
                general[form].append(label + text)
    alliances = [{**a, "role": a["detail"]} for a in profile["alliances"]]
    context = {
        "p": profile,
        "e": e,
        "alliances": alliances,
        "values": values,
        "typed": typed or {},
        "form": form,
        "errors": errors,
        "general": general,
        "note": note,
        "register": REGISTER_FACTS,
        "stars": STARS,
    }
    status_code = 422 if refusal else 200
    return render(
        request,
        "firm.html",
        context,
        status_code=status_code,
        path=f"/firms/{quote(firm_id, safe='')}",
    )


@router.get("/firms/{firm_id}", response_class=HTMLResponse)
def firm(
    firm_id: str, request: Request, user: CurrentUser, store: StoreDep, saved: str = ""
) -> HTMLResponse:
    t = Translator(page_lang(request))
    note = {"1": t("f.saved"), "0": t("f.nothing_changed")}.get(saved)
    return firm_page(request, store, firm_id, note=note)


Edit = Callable[[Store, str, dict[str, str]], object]


async def _edit(request: Request, store: Store, firm_id: str, form: str, edit: Edit) -> Response:
    """Run one edit from a posted form: back to the profile (303), or the refusal (422)."""
    try:
        typed = await read_form(request)
    except FormTooLarge:
        message = Translator(page_lang(request))("f.form_too_large", kb=MAX_FORM >> 10)
        return render(request, "error.html", {"message": message}, status_code=413)
    try:
        written = await run_in_threadpool(edit, store, firm_id, typed)
    except NotFound as exc:
        return error_page(request, exc)
    except ValidationFailed as exc:
        page = partial(firm_page, request, store, firm_id, form=form, typed=typed, refusal=exc)
        return await run_in_threadpool(page)
    except ZonegraphError as exc:
        return error_page(request, exc)
    saved = "0" if written is None else "1"
    profile = f"/firms/{quote(firm_id, safe='')}?saved={saved}#{form}"
    return RedirectResponse(profile, status_code=303)


@router.post("/firms/{firm_id}", response_class=HTMLResponse, dependencies=[SameOrigin])
async def firm_save(firm_id: str, request: Request, user: CurrentUser, store: StoreDep) -> Response:
    def edit(store: Store, firm_id: str, typed: dict[str, str]) -> object:
        values = {name: typed.get(name, "") for name in EDITABLE}
        return edit_firm(
            store,
            firm_id,
            values,
            origin(firm_id),
            only_changed=True,
            audit=event(user, "firm.edit", firm_id),
        )

    return await _edit(request, store, firm_id, "fields", edit)


@router.post("/firms/{firm_id}/coverage", response_class=HTMLResponse, dependencies=[SameOrigin])
async def firm_add_coverage(
    firm_id: str, request: Request, user: CurrentUser, store: StoreDep
) -> Response:
    def edit(store: Store, firm_id: str, typed: dict[str, str]) -> object:
        coverer, mode = typed.get("coverer_id", ""), typed.get("mode", "")
        return add_coverage(
            store, firm_id, coverer, mode, origin(firm_id), event(user, "coverage.add", firm_id)
        )

    return await _edit(request, store, firm_id, "coverage", edit)


@router.post(
    "/firms/{firm_id}/coverage/remove", response_class=HTMLResponse, dependencies=[SameOrigin]
)
async def firm_remove_coverage(
    firm_id: str, request: Request, user: CurrentUser, store: StoreDep
) -> Response:
    def edit(store: Store, firm_id: str, typed: dict[str, str]) -> object:
        coverer, mode = typed.get("coverer_id", ""), typed.get("mode", "")
        return remove_coverage(
            store,
            firm_id,
            coverer,
            mode,
            origin(firm_id),
            event(user, "coverage.remove", firm_id),
        )

    return await _edit(request, store, firm_id, "coverage", edit)


@router.post("/firms/{firm_id}/liaisons", response_class=HTMLResponse, dependencies=[SameOrigin])
async def firm_add_liaison(
    firm_id: str, request: Request, user: CurrentUser, store: StoreDep
) -> Response:
    def edit(store: Store, firm_id: str, typed: dict[str, str]) -> object:
        ident, name = typed.get("liaison_id"), typed.get("name")
        return add_liaison(
            store,
            firm_id,
            ident,
            name,
            None,
            origin(firm_id),
            event(user, "liaison.add", firm_id),
        )

    return await _edit(request, store, firm_id, "liaisons", edit)


@router.post(
    "/firms/{firm_id}/liaisons/remove", response_class=HTMLResponse, dependencies=[SameOrigin]
)
async def firm_remove_liaison(
    firm_id: str, request: Request, user: CurrentUser, store: StoreDep
) -> Response:
    def edit(store: Store, firm_id: str, typed: dict[str, str]) -> object:
        return remove_liaison(
            store,
            firm_id,
            typed.get("liaison_id", ""),
            origin(firm_id),
            event(user, "liaison.remove", firm_id),
        )

    return await _edit(request, store, firm_id, "liaisons", edit)
