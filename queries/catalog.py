"""The query catalog: every named question zonegraph answers, in one place.

A :class:`Query` carries its name, a one-line description, typed parameters with defaults,
the Cypher text both engines accept (with a per-engine override only where they differ),
and the columns it returns. The CLI, the API and the pages all run queries through
:func:`run_query`, so a query added to the catalog appears everywhere.

User input reaches Cypher only as parameters. The one exception is a bounded integer a
query marks ``inline`` (a path length, which neither engine accepts as a parameter): it is
parsed as an ``int``, checked against its range and only then written into the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from graph_model.errors import BadParameter, NotFound, UnknownQuery
from graph_model.schema import FALSE_WORDS, NOUNS, TRUE_WORDS
from graph_model.store.base import Dialect, Store

ParamValue = str | int | float | bool


_TYPE_WORDS = {int: "a whole number", float: "a number", bool: "true or false", str: "text"}


@dataclass(frozen=True)
class Param:
    """One typed query parameter."""

    name: str
    type: type[str] | type[int] | type[float] | type[bool] = str
    default: ParamValue | None = None
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    #: Written into the Cypher text as a literal after checks (bounded ints only).
    inline: bool = False
    #: What a text value must look like, whole (the API's schema shows the same pattern).
    pattern: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    def parse(self, value: object) -> ParamValue:
        """Coerce a value (text from the CLI or a URL, or already typed) and check it."""
        try:
            typed = self._coerce(value)
        except (TypeError, ValueError):
            raise BadParameter(f"{self.name}: {value!r} is not {_TYPE_WORDS[self.type]}") from None
        if self.choices and typed not in self.choices:
            raise BadParameter(f"{self.name}: {value!r} is not one of {', '.join(self.choices)}")
        if self.pattern and isinstance(typed, str) and not re.fullmatch(self.pattern, typed):
            raise BadParameter(f"{self.name}: {value!r} is not {self.doc or self.pattern}")
        if isinstance(typed, int | float) and not isinstance(typed, bool):
            if self.minimum is not None and typed < self.minimum:
                raise BadParameter(f"{self.name}: {typed} is below the minimum {self.minimum:g}")
            if self.maximum is not None and typed > self.maximum:
                raise BadParameter(f"{self.name}: {typed} is above the maximum {self.maximum:g}")
        return typed

    def _coerce(self, value: object) -> ParamValue:
        if self.type is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in TRUE_WORDS:
                return True
            if text in FALSE_WORDS:
                return False
            raise ValueError(value)
        if self.type is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(str(value).strip()) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
        if self.type is float:
            return float(value)  # type: ignore[arg-type]
        return str(value)


Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Page:
    """One page of a query's rows: ``limit`` rows after the first ``skip``."""

    skip: int
    limit: int


@dataclass
class Result:
    """A query's rows, and notes a person should read beside them (a plan's left-overs)."""

    rows: Rows
    notes: list[str] = field(default_factory=list)
    #: Set when ``rows`` are one page of ``total`` rows.
    total: int | None = None


#: An analysis computed in Python (on a networkx graph pulled for its scope) instead of Cypher.
Analysis = Callable[[Store, dict[str, ParamValue]], Result]
#: Builds the Cypher text from the parameters that are set (see :mod:`queries.filters`).
Shape = Callable[[str, Mapping[str, ParamValue]], str]
#: An analysis that pages itself (``Query.paged``): given a page, it returns that page with
#: ``total`` set; given ``None``, every row.
PagedAnalysis = Callable[[Store, dict[str, ParamValue], Page | None], Result]


@dataclass(frozen=True)
class Query:
    """A named catalog entry: Cypher for every engine, or a Python analysis."""

    name: str
    description: str
    columns: tuple[str, ...]
    params: tuple[Param, ...] = ()
    cypher: str | None = None
    overrides: Mapping[Dialect, str] = field(default_factory=dict)
    analysis: Analysis | PagedAnalysis | None = None
    #: The analysis takes a page and returns only that page, with the total.
    paged: bool = False
    #: Internal queries serve analyses; they are linted but not listed or run by name.
    public: bool = True
    #: (parameter, label) pairs: the id a parameter names must exist, else NotFound.
    requires: tuple[tuple[str, str], ...] = ()
    #: Shapes rows after the database returns them (e.g. ordering that needs Python).
    post: Callable[[Rows, dict[str, ParamValue]], Rows] | None = None
    #: Writes the filters of the parameters that are set into the text (values stay
    #: parameters: only clause texts from code are added).
    shape: Shape | None = None

    def text(self, dialect: Dialect) -> str:
        """The Cypher this query sends to an engine of ``dialect``."""
        text = self.overrides.get(dialect, self.cypher)
        if text is None:
            raise UnknownQuery(f"{self.name} is an analysis, not a Cypher query")
        return text

    def bind(self, raw: Mapping[str, object]) -> dict[str, ParamValue]:
        """Typed parameters from raw ones, defaults filled in; unknown names are an error."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise BadParameter(
                f"{self.name} has no parameter {', '.join(unknown)} (it has: {names})"
            )
        bound: dict[str, ParamValue] = {}
        for p in self.params:
            if p.name in raw and raw[p.name] is not None:
                bound[p.name] = p.parse(raw[p.name])
            elif p.required:
                raise BadParameter(f"{self.name} needs the parameter {p.name}")
            else:
                assert p.default is not None
                bound[p.name] = p.default
        return bound

    def render(
        self, dialect: Dialect, bound: Mapping[str, ParamValue], *, paged: bool = False
    ) -> tuple[str, dict[str, ParamValue]]:
        """Cypher text with inline parameters written in, and the parameters to send.

        With ``paged``, the text of one page: ``SKIP $_skip LIMIT $_limit`` at the query's
        page line (see :data:`PAGE`), else at its end (the caller sends both).
        """
        text = self.text(dialect)
        if self.shape is not None:
            text = self.shape(text, bound)
        text = with_page(text) if paged else without_page(text)
        sent: dict[str, ParamValue] = {}
        for p in self.params:
            value = bound[p.name]
            if p.inline:
                if p.type is not int or not isinstance(value, int) or p.maximum is None:
                    raise BadParameter(f"{p.name}: only bounded integers may be inlined")
                text = text.replace(f"${{{p.name}}}", str(int(value)))
            elif f"${p.name}" in text:
                sent[p.name] = value
        return text, sent


#: Marks a query's page line: ``WITH e.id AS k ORDER BY k @page MATCH (e:Enterprise {id: k})``
#: sorts and pages the keys only, then reads the page's properties (a sort that carries every
#: returned column of every row is several times slower). Without a page, the line goes.
PAGE = "@page"
_PAGE_LINE = re.compile(r"^[^\n]*@page[^\n]*\n", re.M)


def with_page(text: str) -> str:
    """``text`` reading one page (``$_skip``, ``$_limit``)."""
    if PAGE in text:
        return text.replace(PAGE, "SKIP $_skip LIMIT $_limit")
    return f"{text}\nSKIP $_skip LIMIT $_limit"


def without_page(text: str) -> str:
    """``text`` reading every row (its page line, if any, left out)."""
    return _PAGE_LINE.sub("", text)


def exists_statement(label: str) -> str:
    """Cypher counting the nodes of ``label`` (from the schema) with the id ``$id``."""
    return f"MATCH (n:{label} {{id: $id}}) RETURN count(*) AS n"


CATALOG: dict[str, Query] = {}


def register(*queries: Query) -> None:
    """Add queries to the catalog (names are unique)."""
    for q in queries:
        if q.name in CATALOG:
            raise ValueError(f"query {q.name} is registered twice")
        CATALOG[q.name] = q


def get_query(name: str, *, internal: bool = False) -> Query:
    """The public catalog entry called ``name`` (with ``internal``, an analysis' own query)."""
    _load_all()
    query = CATALOG.get(name)
    if query is None or not (query.public or internal):
        known = ", ".join(q.name for q in all_queries())
        raise UnknownQuery(f"no query named {name!r}; known queries: {known}")
    return query


def all_queries(*, internal: bool = False) -> list[Query]:
    """Every public catalog entry by name (with ``internal``, the analyses' own queries too)."""
    _load_all()
    return [CATALOG[n] for n in sorted(CATALOG) if internal or CATALOG[n].public]


def run_query(store: Store, name: str, params: Mapping[str, object] | None = None) -> Rows:
    """Run the catalog query ``name`` on ``store`` with raw parameters; rows in column order."""
    return run(store, name, params).rows


def run(
    store: Store, name: str, params: Mapping[str, object] | None = None, page: Page | None = None
) -> Result:
    """Run the catalog query ``name``: its rows in column order (one page of them with
    ``page``, ``total`` then set), and its notes."""
    return execute(store, get_query(name), params or {}, page)


def execute(
    store: Store, query: Query, params: Mapping[str, object], page: Page | None = None
) -> Result:
    """Run a catalog entry (public or internal) with raw parameters.

    With ``page``, a Cypher query whose rows need no Python afterwards is paged in the
    database (``SKIP``/``LIMIT``, and a count of all its rows); other queries and analyses
    not marked ``paged`` are sliced here.
    """
    bound = query.bind(params)
    for param, label in query.requires:
        found = store.run(
            f"MATCH (n:{label} {{id: $id}}) RETURN count(*) AS n", {"id": bound[param]}
        )
        if not found or found[0]["n"] == 0:
            raise NotFound(f"no {NOUNS[label]} with id {bound[param]!r}")
    total: int | None = None
    if query.analysis is not None and query.paged:
        result = cast(PagedAnalysis, query.analysis)(store, bound, page)
        # ``total`` says the rows are one page: not so when every row was asked for.
        total, page = (result.total if page is not None else None), None
    elif query.analysis is not None:
        result = cast(Analysis, query.analysis)(store, bound)
    else:
        text, sent = query.render(store.dialect, bound)
        counted = count_text(text) if page is not None and query.post is None else None
        if counted is not None and page is not None:
            total = int(store.run(counted, sent)[0]["total"])
            rows = []
            # A page past the end is empty without asking: LadybugDB 0.22 crashes the process
            # (a segmentation fault) on ORDER BY … SKIP far beyond the rows it has.
            if page.skip < total and page.limit > 0:
                one_page, _ = query.render(store.dialect, bound, paged=True)
                rows = store.run(one_page, _paged(sent, page))
            result, page = Result(rows), None
        else:
            result = Result(store.run(text, sent))
    rows = result.rows if query.post is None else query.post(result.rows, bound)
    if page is not None:
        total, rows = len(rows), rows[page.skip : page.skip + page.limit]
    return Result([{c: row.get(c) for c in query.columns} for row in rows], result.notes, total)


def _paged(sent: dict[str, ParamValue], page: Page) -> dict[str, ParamValue]:
    return {**sent, "_skip": max(0, page.skip), "_limit": max(0, page.limit)}


_LAST_RETURN = re.compile(r"\nRETURN\s(?P<cols>(?:(?!\nRETURN\s).)*)\Z", re.S)
_AGGREGATES = re.compile(r"\b(?:count|collect|sum|avg|min|max)\s*\(|\bDISTINCT\b", re.I)


def count_text(text: str) -> str | None:
    """The text counting ``text``'s rows, when its last clause is a plain ``RETURN`` (one row
    per match, no aggregate, no ``UNION``); ``None`` when it must be counted by running it."""
    if re.search(r"\bUNION\b", text, re.I):
        return None
    m = _LAST_RETURN.search(text)
    if m is None or _AGGREGATES.search(m["cols"]) or "SKIP" in m["cols"] or "LIMIT" in m["cols"]:
        return None
    return text[: m.start()] + "\nRETURN count(*) AS total"


def catalog_markdown() -> str:
    """The catalog as a markdown table (for the README; a test keeps that copy current)."""
    rows = ["| query | parameters (default) | columns | what it answers |", "|---|---|---|---|"]
    for q in all_queries():
        params = ", ".join(
            f"`{p.name}`" + ("" if p.required else f" ({p.default!r})") for p in q.params
        )
        rows.append(f"| `{q.name}` | {params} | {', '.join(q.columns)} | {q.description} |")
    return "\n".join(rows)


def _load_all() -> None:
    # The query modules register themselves on import; importing here (not at the top)
    # keeps catalog.py free of a cycle with the modules that import it.
    from queries import (  # noqa: F401
        alliances,
        coverage,
        planning,
        plans,
        profiles,
        reach,
        rules,
        scope,
    )
