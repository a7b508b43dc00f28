"""Pages that are tables: the rule checks and the query runner (a firm's profile is in
:mod:`api.pages_firms`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import CurrentUser, StoreDep
from api.empty_states import NEEDS, EmptyStates, name_unfilled
from api.error_text import error_text
from api.i18n import Translator
from api.pages_common import (
    SHOW_ROWS,
    downloads,
    error_page,
    error_status,
    options,
    page_lang,
    render,
)
from graph_model.errors import UnknownQuery, ZonegraphError
from graph_model.store.base import Store
from queries.catalog import Page, Param, Query, all_queries, get_query, run, run_query
from queries.rates import RATE

router = APIRouter()

#: The rule checks, in the order the article describes the mechanisms.
RULES = (
    "key_firms_without_liaison",
    "liaison_load",
    "industries_without_branch",
    "star_distribution",
    "formation_modes",
    "org_tree",
    "should_form_branch",
    "studio_load",
)
#: Rows a rule flags (shown highlighted): column and the value that marks a problem.
FLAGS = {"liaison_load": ("ok", False), "studio_load": ("below_minimum", True)}


def catalog_queries() -> list[Query]:
    return all_queries()


@router.get("/rules", response_class=HTMLResponse)
def rules(request: Request, user: CurrentUser, store: StoreDep) -> HTMLResponse:
    t = Translator(page_lang(request))
    sections = []
    for name in RULES:
        q = get_query(name)
        sections.append(
            {
                "name": name,
                "query": q,
                "rows": name_unfilled(name, {}, run(store, name).rows, t),
                "columns": list(q.columns),
                "flag": FLAGS.get(name),
                "downloads": downloads(name, {}),
            }
        )
    return render(request, "rules.html", {"sections": sections}, active="rules")


@router.get("/queries", response_class=HTMLResponse)
def queries_index(request: Request, user: CurrentUser) -> HTMLResponse:
    return render(request, "queries.html", {"queries": all_queries()}, active="queries")


@dataclass
class Field:
    """One parameter as a form field."""

    name: str
    kind: str  # select, number or text
    required: bool
    value: str
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    step: str = "1"
    choices: list[tuple[str, str]] = field(default_factory=list)
    placeholder: str = ""


def _choices(p: Param, store: Store, t: Translator) -> list[tuple[str, str]]:
    if p.choices and p.name == "level":
        return [(c, t(f"n.kind.{c}")) for c in p.choices]
    if p.choices and p.name == "rate":
        return [(c, t(RATE[c].label)) for c in p.choices]
    if p.choices:
        return [(c, t.value(c)) for c in p.choices]
    if p.type is bool:
        return [("true", t("c.yes")), ("false", t("c.no"))]
    if p.name == "alliance":
        return [(a["id"], f"{a['id']} {a['name']}") for a in run_query(store, "alliances")]
    if p.name == "street" and not p.required:
        streets = options(run_query(store, "coverage_by", {"level": "street"}))
        return [("", t("c.all")), *((s, s) for s in sorted(streets))]
    return []


def form_fields(q: Query, given: dict[str, str], store: Store, t: Translator) -> list[Field]:
    fields = []
    for p in q.params:
        value = given.get(p.name, "" if p.default is None else str(p.default).lower())
        choices = _choices(p, store, t)
        kind = "select" if choices else ("number" if p.type in (int, float) else "text")
        fields.append(
            Field(
                name=p.name,
                kind=kind,
                required=p.required,
                value=value,
                doc=t.param_help(q, p),
                minimum=p.minimum,
                maximum=p.maximum,
                step="1" if p.type is int else "any",
                choices=choices,
                placeholder=t("qr.scope_hint") if p.name == "scope" else "",
            )
        )
    return fields


@router.get("/queries/{name}", response_class=HTMLResponse)
def query_page(name: str, request: Request, user: CurrentUser, store: StoreDep) -> HTMLResponse:
    try:
        q = get_query(name)
    except UnknownQuery as exc:
        return error_page(request, exc, active="queries")
    known = {p.name for p in q.params}
    given = {k: v.strip() for k, v in request.query_params.items() if k in known and v.strip()}
    missing = [p.name for p in q.params if p.required and p.name not in given]
    result: dict[str, Any] | None = None
    error, status = None, 200
    t = Translator(page_lang(request))
    if not missing:
        try:
            found = run(store, name, given, Page(0, SHOW_ROWS))
            rows = name_unfilled(name, given, found.rows, t)
            result = {"rows": rows, "notes": found.notes, "total": found.total}
        except ZonegraphError as exc:
            error, status = error_text(exc, page_lang(request)), error_status(exc)
    # A query that needs what the zone lacks (its alliance list is empty, say) says so.
    lacking = EmptyStates(lambda: store).missing(*NEEDS.get(name, ())) if missing else None
    return render(
        request,
        "query.html",
        {
            "query": q,
            "fields": form_fields(q, given, store, t),
            "missing": missing,
            "lacking": lacking,
            "result": result,
            "error": error,
            "columns": list(q.columns),
            "downloads": downloads(name, given),
        },
        active="queries",
        status_code=status,
    )
