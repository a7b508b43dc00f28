"""``zonegraph scenario …``: what-if plans, tried on a copy of the zone, written on apply."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli_common import FormatOpt, ParamOpt, _format, _params, cli_event, err, store_for
from api.output import render
from graph_model.settings import load_settings
from queries.scenarios import ScenarioBook

scenario_app = typer.Typer(help="What-if scenarios: changes tried on a copy, written on apply.")


def scenarios() -> ScenarioBook:
    from queries.scenarios import ScenarioBook

    return ScenarioBook(load_settings().scenario_dir)


@scenario_app.command("new")
def scenario_new(
    name: str, note: Annotated[str, typer.Option(help="what the scenario is for")] = ""
) -> None:
    """Start an empty scenario."""
    scenarios().new(name, note)
    err(f"scenario {name} created")


@scenario_app.command("add")
def scenario_add(
    name: str,
    op: Annotated[str, typer.Argument(help="add or remove")],
    table: Annotated[str, typer.Argument(help="a contract table, e.g. alliance_members")],
    values: Annotated[list[str], typer.Argument(help="the row as column=value ...")],
) -> None:
    """Add a change: `add|remove TABLE column=value ...` (checked on a copy right away)."""
    from queries.scenarios import Change, check_scenario

    if op not in ("add", "remove"):
        raise typer.BadParameter("the change is add or remove")
    book = scenarios()
    scenario = book.get(name)
    scenario.changes.append(Change(op, table, _params(values)))  # type: ignore[arg-type]
    with store_for(write=False) as store:
        check_scenario(store, scenario)
    book.save(scenario)
    err(f"scenario {name}: {len(scenario.changes)} change(s)")


@scenario_app.command("show")
def scenario_show(name: str, fmt: FormatOpt = "table") -> None:
    """List a scenario's changes."""
    scenario = scenarios().get(name)
    rows = [
        {"n": i, "op": c.op, "table": c.table, "values": str(c).split(" ", 2)[2]}
        for i, c in enumerate(scenario.changes, start=1)
    ]
    typer.echo(render(rows, ["n", "op", "table", "values"], _format(fmt)))


@scenario_app.command("list")
def scenario_list() -> None:
    """List the scenarios."""
    for name in scenarios().names():
        typer.echo(name)


@scenario_app.command("diff")
def scenario_diff(
    name: str,
    query_name: Annotated[
        str | None, typer.Argument(help="a catalog query (default: the zone summary)")
    ] = None,
    param: ParamOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Before and after side by side, without writing anything."""
    from queries.scenarios import NET_QUERIES, diff_scenario, net_notes, reach_net

    scenario, params = scenarios().get(name), _params(param or [])
    with store_for(write=False) as store:
        columns, rows = diff_scenario(store, scenario, query_name, params)
    if query_name in NET_QUERIES:  # the net change by firm first (on stderr, as notes are)
        for note in net_notes(reach_net(scenario, rows, str(params.get("alliance", "")) or None)):
            err(note)
    typer.echo(render(rows, columns, _format(fmt)))


@scenario_app.command("apply")
def scenario_apply(name: str) -> None:
    """Write the scenario's changes to the graph in one transaction, then drop it."""
    from queries.scenarios import apply_scenario

    book = scenarios()
    scenario = book.get(name)
    with store_for(write=True) as store:
        report = apply_scenario(store, scenario, cli_event("scenario.apply", name))
    book.drop(name)
    err(f"scenario {name} applied ({report.summary()}) and dropped")


@scenario_app.command("drop")
def scenario_drop(name: str) -> None:
    """Delete a scenario without applying it."""
    scenarios().drop(name)
    err(f"scenario {name} dropped")
