"""What every page shares: the templates, the language, cell formatting and links.

The language is ``?lang=zh|en`` (which also sets the ``lang`` cookie), else the cookie,
else Chinese. Pages link only to this server: static files under ``/static``, the JSON API
under ``/api``; nothing is loaded from the internet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.empty_states import EmptyStates
from api.error_text import error_text
from api.i18n import DEFAULT_LANG, LANGS, STRINGS, Translator
from api.roles import ANONYMOUS
from graph_model.errors import Forbidden, ZonegraphError, http_status

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "viz" / "static"
COOKIE = "lang"
#: Rows a page shows of one result before pointing to the download.
SHOW_ROWS = 500

templates = Jinja2Templates(directory=TEMPLATES_DIR)

#: Queries whose ``id`` column is an enterprise id (other columns are named by what they hold).
FIRM_ID_QUERIES = frozenset(
    {
        "uncovered",
        "should_form_branch",
        "key_firms_without_liaison",
        "alliance_reach",
        "alliance_candidates",
        "next_recruit",
        "find_firms",
        "bridging_firms",
    }
)
FIRM_COLUMNS = frozenset({"firm_id", "enterprise_id", "lead_id"})
ALLIANCE_COLUMNS = frozenset({"a", "b", "alliance_id"})
#: Columns holding a stored word that is shown translated.
WORD_COLUMNS = frozenset({"kind", "formation", "how", "status", "coverage", "role", "mode"})


def page_lang(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    kept = request.cookies.get(COOKIE)
    return kept if kept in LANGS else DEFAULT_LANG


def href(path: str, params: Mapping[str, object] | None = None) -> str:
    """A site-relative link with the non-empty parameters (never an absolute URL)."""
    kept = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
    return f"{path}?{urlencode(kept)}" if kept else path


def lang_links(request: Request, path: str | None = None) -> dict[str, str]:
    """This page in each language (``path``: the page a form's answer stands for, as a
    language link must GET it)."""
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    return {lang: href(path or request.url.path, {**params, "lang": lang}) for lang in LANGS}


def fmt(value: Any, column: str, t: Translator) -> str:
    """One cell as text: rates as percentages, booleans as yes/no, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("c.yes") if value else t("c.no")
    if isinstance(value, float):
        if "rate" in column:
            return f"{value:.1%}"
        return f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        text = ", ".join(str(v) for v in value[:12])
        return text + (f" …（{len(value)}）" if len(value) > 12 else "")
    if column in WORD_COLUMNS:
        return t.value(value)
    return str(value)


def sort_key(value: Any) -> str:
    """What the client-side sort compares (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return str(len(value))
    return str(value)


def cell_link(query: str | None, column: str, row: Mapping[str, Any]) -> str | None:
    """Where a cell links to: a firm's page, or an alliance in the planner."""
    value = row.get(column)
    if not isinstance(value, str) or not value:
        return None
    if column in FIRM_COLUMNS or (column == "id" and query in FIRM_ID_QUERIES):
        return f"/firms/{value}"
    if column == "name" and query in FIRM_ID_QUERIES and row.get("id"):
        return f"/firms/{row['id']}"
    if column in ALLIANCE_COLUMNS or (column == "id" and query == "alliances"):
        return href("/alliances", {"alliance": value})
    return None


def downloads(name: str, params: Mapping[str, object]) -> dict[str, str]:
    """CSV and XLSX links to the JSON API's download of a catalog query."""
    return {
        fmt_: href(f"/api/queries/{name}", {**params, "format": fmt_}) for fmt_ in ("csv", "xlsx")
    }


def error_status(exc: Exception) -> int:
    """The status a page answers an error with: the one map's (graph_model.errors)."""
    return http_status(exc)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    active: str = "",
    status_code: int = 200,
    path: str | None = None,
) -> HTMLResponse:
    """A page in the request's language; ``?lang=`` also keeps the choice in a cookie.

    ``path`` is the page the language links open, when this is the answer to a form (whose
    own address takes a POST)."""
    lang = page_lang(request)
    t = Translator(lang)
    user = getattr(request.state, "user", ANONYMOUS)
    holder = getattr(request.app.state, "store", None)
    ctx: dict[str, Any] = {
        "user": user,
        "csrf": user.csrf,
        "t": t,
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "lang_links": lang_links(request, path),
        "active": active,
        "strings": STRINGS[lang],
        "fmt": lambda v, c: fmt(v, c, t),
        "sort_key": sort_key,
        "cell_link": cell_link,
        "show_rows": SHOW_ROWS,
        # why_empty(query) names what the zone lacks when a table has no rows (read lazily).
        "why_empty": EmptyStates(lambda: getattr(holder, "store", None)),
        **context,
    }
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def error_page(request: Request, exc: Exception, *, active: str = "") -> HTMLResponse:
    """A domain error (unknown id, bad parameter, a refusal) as a page with the matching
    status, in the reader's language where the error says why in parts."""
    lang = page_lang(request)
    message = error_text(exc, lang) if isinstance(exc, ZonegraphError) else str(exc)
    if isinstance(exc, Forbidden):
        t = Translator(lang)
        params = dict(exc.params)
        for key in ("role", "rule"):
            if key in params:
                params[key] = t(f"role.{params[key]}")
        message = t(f"auth.{exc.reason}", **params)
    return render(
        request, "error.html", {"message": message}, active=active, status_code=error_status(exc)
    )


def options(rows: Sequence[Mapping[str, Any]], column: str = "group") -> list[str]:
    """The non-empty values of one column, in order, once each (for a filter's choices)."""
    seen: dict[str, None] = {}
    for r in rows:
        value = r.get(column)
        if value not in (None, ""):
            seen.setdefault(str(value), None)
    return list(seen)
