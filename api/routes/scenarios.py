"""``/api/scenarios``: the CLI's what-if commands over HTTP (nothing is written until apply)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status

from api.deps import CurrentUser, SettingsDep, StoreDep
from api.models import (
    ChangeIn,
    DiffOut,
    ErrorOut,
    ScenarioIn,
    ScenarioOut,
    ScenariosPublic,
    WhatIfIn,
)
from api.routes.queries import ERRORS
from graph_model.audit import AuditEvent
from graph_model.settings import Settings
from graph_model.store.base import Store
from queries.scenarios import (
    NAME_PATTERN,
    NET_QUERIES,
    Change,
    Scenario,
    ScenarioBook,
    apply_scenario,
    check_scenario,
    diff_scenario,
    net_notes,
    reach_net,
)

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
Name = Annotated[str, Path(pattern=NAME_PATTERN, description="scenario name")]


def diff_out(
    store: Store, scenario: Scenario, label: str, query: str | None, params: dict[str, str]
) -> DiffOut:
    """Before and after, with the net change by firm first when the query has one."""
    columns, rows = diff_scenario(store, scenario, query, params)
    out = DiffOut(scenario=label, query=query or "zone_summary", columns=columns, rows=rows)
    if query in NET_QUERIES:
        out.net = reach_net(scenario, rows, params.get("alliance"))
        out.notes = [str(n) for n in net_notes(out.net)]
    return out


def book(settings: Settings) -> ScenarioBook:
    return ScenarioBook(settings.scenario_dir)


def out(s: Scenario) -> ScenarioOut:
    return ScenarioOut(
        name=s.name,
        note=s.note,
        changes=[ChangeIn(op=c.op, table=c.table, values=c.values) for c in s.changes],
    )


@router.get("", response_model=ScenariosPublic, summary="Scenario names")
def list_scenarios(user: CurrentUser, settings: SettingsDep) -> ScenariosPublic:
    names = book(settings).names()
    return ScenariosPublic(data=names, count=len(names))


@router.post(
    "",
    response_model=ScenarioOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        **ERRORS,
        409: {"model": ErrorOut, "description": "a scenario of that name exists"},
    },
    summary="Start an empty scenario",
)
def new(body: ScenarioIn, user: CurrentUser, settings: SettingsDep) -> ScenarioOut:
    return out(book(settings).new(body.name, body.note))


@router.get("/{name}", response_model=ScenarioOut, responses=ERRORS, summary="A scenario")
def show(name: Name, user: CurrentUser, settings: SettingsDep) -> ScenarioOut:
    return out(book(settings).get(name))


@router.post(
    "/{name}/changes",
    response_model=ScenarioOut,
    responses=ERRORS,
    summary="Add a change (checked on a copy of the zone first)",
)
def add_change(
    name: Name, body: ChangeIn, user: CurrentUser, store: StoreDep, settings: SettingsDep
) -> ScenarioOut:
    b = book(settings)
    scenario = b.get(name)
    scenario.changes.append(Change(body.op, body.table, body.values))  # type: ignore[arg-type]
    check_scenario(store, scenario)
    b.save(scenario)
    return out(scenario)


@router.get(
    "/{name}/diff",
    response_model=DiffOut,
    responses=ERRORS,
    summary="Before and after: the zone summary, or one query's changed rows (a reach's "
    "with its net change by firm)",
)
def diff(
    name: Name,
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    settings: SettingsDep,
    query: str | None = Query(
        None, description="a catalog query; other query-string fields are its parameters"
    ),
) -> DiffOut:
    params = {k: v for k, v in request.query_params.items() if k != "query"}
    return diff_out(store, book(settings).get(name), name, query, params)


@router.post(
    "/{name}/apply",
    response_model=ScenarioOut,
    responses=ERRORS,
    summary="Write the changes in one transaction, then drop the scenario",
)
def apply(name: Name, user: CurrentUser, store: StoreDep, settings: SettingsDep) -> ScenarioOut:
    b = book(settings)
    scenario = b.get(name)
    apply_scenario(store, scenario, AuditEvent(user.name, "scenario.apply", "api", detail=name))
    b.drop(name)
    return out(scenario)


@router.delete(
    "/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ERRORS,
    summary="Drop a scenario without applying it",
)
def drop(name: Name, user: CurrentUser, settings: SettingsDep) -> None:
    book(settings).drop(name)


whatif_router = APIRouter(prefix="/api/whatif", tags=["scenarios"])


@whatif_router.post(
    "",
    response_model=DiffOut,
    responses=ERRORS,
    summary="Before and after for unsaved changes (nothing is written or kept)",
)
def whatif(body: WhatIfIn, user: CurrentUser, store: StoreDep) -> DiffOut:
    scenario = Scenario(
        "whatif",
        [Change(c.op, c.table, c.values) for c in body.changes],  # type: ignore[arg-type]
    )
    params = {k: str(v) for k, v in body.params.items()}
    return diff_out(store, scenario, "(unsaved)", body.query, params)
