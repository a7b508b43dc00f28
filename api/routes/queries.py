"""``/api/queries``: the catalog, and one typed route per query (so OpenAPI lists every
parameter with its type, range and choices). Rows are the CLI's json rows, paged."""

from __future__ import annotations

import inspect
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import CurrentUser, SettingsDep, StoreDep
from api.downloads import content_disposition, file_name, headings, said_rows
from api.i18n import Translator
from api.limits import MAX_PAGE
from api.models import ErrorOut, ParamInfo, QueriesPublic, QueryInfo, QueryRows
from api.output import render, xlsx_bytes
from queries import catalog
from queries.catalog import Page, Param, Result
from queries.scenarios import NAME_PATTERN

router = APIRouter(prefix="/api/queries", tags=["queries"])

#: Query-string names the routes keep for themselves; no catalog parameter may use them.
RESERVED = ("format", "page", "per_page", "scenario", "lang")
MAX_PER_PAGE = 1000
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "unknown id or scenario"},
    422: {"model": ErrorOut, "description": "a bad parameter"},
    503: {"model": ErrorOut, "description": "the database is busy or unreachable; retry"},
}


def info(q: catalog.Query) -> QueryInfo:
    return QueryInfo(
        name=q.name,
        description=q.description,
        columns=list(q.columns),
        kind="analysis" if q.analysis else "cypher",
        params=[
            ParamInfo(
                name=p.name,
                type=p.type.__name__,
                required=p.required,
                default=p.default,
                minimum=p.minimum,
                maximum=p.maximum,
                choices=list(p.choices),
                doc=p.doc,
            )
            for p in q.params
        ],
    )


@router.get("", response_model=QueriesPublic, summary="The query catalog")
def list_queries(user: CurrentUser) -> QueriesPublic:
    data = [info(q) for q in catalog.all_queries()]
    return QueriesPublic(data=data, count=len(data))


def run_for(
    store: Any,
    settings: Any,
    name: str,
    params: dict[str, object],
    scenario: str | None,
    page: Page | None = None,
) -> Result:
    """Run a catalog query on the stored zone, or on a scenario's copy of it (one ``page`` of
    its rows, or all of them)."""
    if scenario is None:
        return catalog.run(store, name, params, page)
    from queries.scenarios import ScenarioBook, run_in_scenario

    book = ScenarioBook(settings.scenario_dir)
    return run_in_scenario(store, book.get(scenario), name, params, page)


def page_of(fmt: str, page: int, per_page: int) -> Page | None:
    """The page JSON shows; downloads (CSV, XLSX) get every row."""
    return Page((page - 1) * per_page, per_page) if fmt == "json" else None


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(
    q: catalog.Query, result: Result, fmt: str, params: dict[str, object], lang: str | None
) -> Response:
    """The rows as a CSV or XLSX file: machine headings and ``<query>.<fmt>``, or, asked in a
    ``lang``, that language's headings and a name with scope and date (api.downloads)."""
    rows: list[dict[str, Any]] = list(result.rows)
    names: list[str] = list(q.columns)
    keys = list(q.columns)
    headers = {"Content-Disposition": f'attachment; filename="{q.name}.{fmt}"'}
    sheet = q.name
    if lang is not None:
        t = Translator(lang)
        rows = said_rows(rows, keys, t)
        names = headings(q.name, keys, t)
        shown, plain = file_name(q.name, params, fmt, t)
        headers = {
            "Content-Disposition": content_disposition(shown, plain),
            "Content-Language": "zh-CN" if lang == "zh" else "en",
        }
        sheet = t.query(q.name)
    if fmt == "csv":
        body = "\ufeff" + render(rows, keys, "csv", headings=names) + "\n"
        return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)
    return Response(xlsx_bytes(rows, keys, sheet, headings=names), media_type=XLSX, headers=headers)


def respond(
    q: catalog.Query,
    result: Result,
    fmt: str,
    page: int,
    per_page: int,
    scenario: str | None,
    params: dict[str, object] | None = None,
    lang: str | None = None,
) -> QueryRows | Response:
    if fmt in ("csv", "xlsx"):
        return download(q, result, fmt, params or {}, lang)
    if result.total is None:  # every row came back: show the page asked for
        start = (page - 1) * per_page
        rows, total = result.rows[start : start + per_page], len(result.rows)
    else:  # the query paged itself
        rows, total = result.rows, result.total
    return QueryRows(
        query=q.name,
        columns=list(q.columns),
        rows=rows,
        total=total,
        page=page,
        per_page=per_page,
        notes=result.notes,
        scenario=scenario,
    )


def _annotation(p: Param) -> Any:
    if p.choices:
        return Literal[p.choices]
    return p.type


def make_route(q: catalog.Query) -> None:
    """Add ``GET /api/queries/{q.name}`` with the query's parameters as typed query fields."""

    def endpoint(
        request: Request, user: CurrentUser, store: StoreDep, settings: SettingsDep, **kw: Any
    ) -> QueryRows | Response:
        fmt, page, per_page, scenario, lang = (kw.pop(k) for k in RESERVED)
        params = {k: v for k, v in kw.items() if v is not None}
        result = run_for(store, settings, q.name, params, scenario, page_of(fmt, page, per_page))
        return respond(q, result, fmt, page, per_page, scenario, params, lang)

    fields = [
        inspect.Parameter(
            p.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=_annotation(p) if p.required else _annotation(p) | None,
            default=Query(
                ... if p.required else p.default,
                description=p.doc,
                ge=p.minimum,
                le=p.maximum,
                pattern=p.pattern,
            ),
        )
        for p in q.params
    ]
    fields += [
        inspect.Parameter(
            "format",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Literal["json", "csv", "xlsx"],
            default=Query("json", description="json rows (paged), or a csv/xlsx download"),
        ),
        inspect.Parameter(
            "page",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=int,
            default=Query(1, ge=1, le=MAX_PAGE, description="page of rows (json)"),
        ),
        inspect.Parameter(
            "per_page",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=int,
            default=Query(100, ge=1, le=MAX_PER_PAGE, description="rows per page (json)"),
        ),
        inspect.Parameter(
            "scenario",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=str | None,
            default=Query(None, pattern=NAME_PATTERN, description="run on a scenario's copy"),
        ),
        inspect.Parameter(
            "lang",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Literal["zh", "en"] | None,
            default=Query(
                None,
                description="csv/xlsx: headings, stored words and file name in this language "
                "(default: machine column names and <query>.<format>)",
            ),
        ),
    ]
    base = list(inspect.signature(endpoint).parameters.values())[:4]
    endpoint.__signature__ = inspect.Signature(base + fields)  # type: ignore[attr-defined]
    endpoint.__name__ = f"query_{q.name}"
    router.add_api_route(
        f"/{q.name}",
        endpoint,
        methods=["GET"],
        response_model=QueryRows,
        summary=q.description,
        name=f"query_{q.name}",
        responses={
            **ERRORS,
            200: {
                "content": {
                    "text/csv": {},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                },
                "description": "rows as JSON, or a CSV/XLSX download with ?format=",
            },
        },
    )


for _q in catalog.all_queries():
    make_route(_q)
