"""The ``zonegraph`` command: thin over the loaders, the store and the query catalog.

Exit status: 0 done; 2 bad input (a file breaking the contract, an unknown query, a bad
parameter, an id that names nothing, a bad setting); 1 the database failed or is busy.
Errors are one clear line each on stderr, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from api.output import Format, render
from graph_model.errors import (
    ConfigError,
    NotFound,
    QueryError,
    ValidationFailed,
    ZonegraphError,
)
from graph_model.settings import load_settings
from graph_model.store import Store, open_store

app = typer.Typer(
    name="zonegraph",
    help="zonegraph: a development zone's party-building network as a graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: How many problems a refused load prints before summing up the rest.
PROBLEM_CAP = 50

F = TypeVar("F", bound=Callable[..., Any])
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv")]


def err(message: str) -> None:
    typer.echo(message, err=True)


def _format(value: str) -> Format:
    if value not in ("table", "json", "csv"):
        raise typer.BadParameter("--format must be table, json or csv")
    return value  # type: ignore[return-value]


@contextmanager
def store_for(*, write: bool) -> Iterator[Store]:
    """The configured store, open for the length of one command."""
    store = open_store(load_settings(), read_only=not write)
    try:
        yield store
    finally:
        store.close()


def report_problems(exc: ValidationFailed) -> None:
    for problem in exc.problems[:PROBLEM_CAP]:
        err(str(problem))
    more = len(exc.problems) - PROBLEM_CAP
    if more > 0:
        err(f"… and {more} more")
    err(f"refused: {len(exc.problems)} problem(s); nothing was written")


def main() -> None:
    """Entry point: run the CLI, turning zonegraph's errors into one line and an exit code."""
    try:
        app()
    except ValidationFailed as exc:
        report_problems(exc)
        sys.exit(2)
    except (QueryError, NotFound, ConfigError) as exc:
        err(f"error: {exc}")
        sys.exit(2)
    except ZonegraphError as exc:
        err(f"error: {exc}")
        sys.exit(1)


@app.command()
def demo(
    firms: Annotated[int, typer.Option(help="generated firms besides the named ones")] = 1500,
    seed: Annotated[int, typer.Option(help="random seed (same seed, same zone)")] = 2021,
    replace: Annotated[
        bool, typer.Option("--replace", help="replace a database that already holds a zone")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="also write the demo zone as CSV files to this folder")
    ] = None,
) -> None:
    """Build the demo zone (calibrated to the Changchun auto-zone article) in the database."""
    from loaders.demo import demo_tables
    from loaders.load import export_zone, load_tables

    with store_for(write=True) as store:
        if not replace and any(store.counts().values()):
            err("the database already holds a zone; use --replace to overwrite it with the demo")
            raise typer.Exit(2)
        report = load_tables(
            store, demo_tables(seed=seed, firms=firms), source="demo", progress=err
        )
        if out is not None:
            export_zone(store.read(), out)
    err("demo zone written: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="a folder of CSV files or an .xlsx workbook")],
    replace: Annotated[
        bool, typer.Option("--replace", help="replace the whole graph instead of upserting")
    ] = False,
) -> None:
    """Load organizers' files: all rows or, on any problem, none (every problem listed)."""
    from loaders.load import load_path

    with store_for(write=True) as store:
        report = load_path(store, path, replace=replace, progress=err)
    for warning in report.warnings:
        err(str(warning))
    verb = "replaced the graph" if replace else "upserted"
    err(f"{verb}: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"--param wants name=value, got {pair!r}")
        out[name.strip()] = value
    return out


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="a catalog query (see `zonegraph queries`)")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="a parameter as name=value")
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Run a catalog query and print its rows."""
    from queries.catalog import get_query, run_query

    columns = get_query(name).columns
    with store_for(write=False) as store:
        rows = run_query(store, name, _params(param or []))
    typer.echo(render(rows, columns, _format(fmt)))


@app.command("queries")
def list_queries(fmt: FormatOpt = "table") -> None:
    """List the catalog: names, descriptions and parameters."""
    from queries.catalog import all_queries

    rows = [
        {
            "name": q.name,
            "description": q.description,
            "parameters": ", ".join(
                p.name + ("" if p.required else f"={p.default}") for p in q.params
            ),
            "columns": ", ".join(q.columns),
        }
        for q in all_queries()
    ]
    typer.echo(render(rows, ["name", "parameters", "columns", "description"], _format(fmt)))


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


@app.command()
def stats(fmt: FormatOpt = "table") -> None:
    """The zone at a glance: counts, coverage rates, the worst streets and studios."""
    from queries.stats import zone_stats

    with store_for(write=False) as store:
        data = zone_stats(store)
    if _format(fmt) != "table":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    s, c = data["summary"], data["counts"]
    lines = [
        f"企业 firms: {s['operating']} operating, {s['closed']} closed",
        f"党组织 party organizations: {c['PartyOrg']}   工作室 studios: {c['Studio']}   "
        f"联盟 alliances: {c['Alliance']}   供应链 supply links: {c['SUPPLIES']}",
        f"组织覆盖率 organizational coverage rate: {_pct(s['org_coverage_rate'])} "
        f"({s['org_covered']} firms, own or joint)",
        f"单独组建率 own-organization rate: {_pct(s['own_org_rate'])} ({s['own_org']} firms)",
        f"仅工作覆盖 work coverage only: {s['work_only']}   "
        f"未覆盖 uncovered: {s['uncovered']}   两个覆盖 either: {_pct(s['coverage_rate'])}",
        f"应单独组建 ≥3 members, no own organization: {data['should_form_branch']}",
        f"工作室不足5家 studios below 5 firms: {len(data['studios_below_minimum'])} "
        f"of {data['studios']}",
        "",
        "覆盖率最低的街道 streets with the lowest coverage:",
        render(data["worst_streets"], ["group", "total", "uncovered", "rate"], "table"),
        "",
        "党员最多的未覆盖企业 uncovered firms with the most party members:",
        render(data["top_gaps"], ["id", "name", "street", "grid", "party_members"], "table"),
    ]
    typer.echo("\n".join(lines))


@app.command()
def export(
    folder: Annotated[Path, typer.Argument(help="folder to write the contract's CSV files to")],
) -> None:
    """Export the graph as the CSV contract, so export → load round-trips."""
    from loaders.load import export_zone

    with store_for(write=False) as store:
        written = export_zone(store.read(), folder)
    err(f"wrote {folder}: " + ", ".join(f"{k} {v}" for k, v in written.items()))


@app.command()
def bench(
    sizes: Annotated[str, typer.Option(help="demo zone sizes in firms, comma-separated")] = (
        "1500,15000,100000"
    ),
    repeat: Annotated[int, typer.Option(help="runs per query (the median is reported)")] = 5,
) -> None:
    """Time loads and every catalog query on demo zones (markdown for docs/benchmarks.md)."""
    from api.bench import bench_markdown

    try:
        firms = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter("--sizes wants whole numbers, e.g. 1500,15000") from None
    typer.echo(bench_markdown(firms, repeat))


if __name__ == "__main__":  # pragma: no cover
    main()
