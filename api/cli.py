"""The ``zonegraph`` command: thin over the loaders, the store and the query catalog.

Exit status: 0 done; 2 bad input (a file breaking the contract, an unknown query, a bad
parameter, an id that names nothing, a bad setting); 1 the database failed or is busy.
Errors are one clear line each on stderr, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from api.accounts import first_admin, open_accounts
from api.cli_accounts import token_app, user_app
from api.cli_audit import audit
from api.cli_backup import backup, restore
from api.cli_common import FormatOpt, ParamOpt, _format, _params, cli_event, err, store_for
from api.cli_progress import shown_progress
from api.cli_report import report, snapshot
from api.cli_scenario import scenario_app, scenarios
from api.output import render
from graph_model.errors import ValidationFailed, ZonegraphError, exit_code
from graph_model.settings import load_settings
from graph_model.store import Store, open_store
from loaders.imports import Kind

app = typer.Typer(
    name="zonegraph",
    help="zonegraph: a development zone's party-building network as a graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Addresses only this machine can reach (no TLS needed in front).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

#: What `zonegraph load` takes (a register export is for `zonegraph reconcile`).
LOADS: tuple[Kind, ...] = ("contract", "ledger")

#: How many problems a refused load prints before summing up the rest.
PROBLEM_CAP = 50


def report_problems(exc: ValidationFailed) -> None:
    for problem in exc.problems[:PROBLEM_CAP]:
        err(str(problem))
    more = len(exc.problems) - PROBLEM_CAP
    if more > 0:
        err(f"… and {more} more")
    err(f"refused: {len(exc.problems)} problem(s); nothing was written")


def main() -> None:
    """Entry point: run the CLI, turning zonegraph's errors into one line and an exit code."""
    # The Neo4j driver logs what it then raises; the raised error is said once, in our words.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False
    try:
        app()
    except ValidationFailed as exc:
        report_problems(exc)
        sys.exit(exit_code(exc))
    except ZonegraphError as exc:  # the exit code is the one map's (graph_model.errors)
        err(f"error: {exc}")
        sys.exit(exit_code(exc))


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
        with shown_progress() as progress:
            report = load_tables(
                store,
                demo_tables(seed=seed, firms=firms),
                source="demo",
                progress=progress,
                audit=cli_event("demo", f"seed {seed}, {firms} generated firms"),
            )
            if out is not None:
                export_zone(store.read(), out, progress)
    err("demo zone written: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))


@app.command()
def load(
    path: Annotated[
        Path,
        typer.Argument(
            help="a folder of CSV files, a zip of them, a contract workbook, or a ledger (台账) "
            "as an .xlsx or CSV file"
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="replace the whole graph instead of upserting")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="check everything and say what would change; write nothing"),
    ] = False,
    mapping: Annotated[
        Path | None,
        typer.Option(help="read a ledger with this column mapping (from --write-mapping)"),
    ] = None,
    write_mapping: Annotated[
        Path | None,
        typer.Option(
            "--write-mapping",
            help="instead of loading: write how the ledger's columns were read, to edit",
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="the ledger's sheet, when a workbook has several")
    ] = None,
) -> None:
    """Load organizers' files: all rows or, on any problem, none (every problem listed).

    A ledger (台账) is recognised by its columns, wherever its header is; its party columns
    become organizations, coverage and liaisons. Next quarter's ledger upserts over the
    stored zone: firms it leaves out are reported, not removed (unless --replace).
    """
    from loaders.imports import commit, prepare
    from loaders.ledger_mapping import load_mapping

    if write_mapping is not None:
        _write_mapping(path, write_mapping, sheet)
        return
    plan = load_mapping(mapping) if mapping is not None else None
    settings = load_settings()
    # A first load, tried out, is checked against an empty zone: nothing is created.
    trial = dry_run and settings.backend == "embedded" and not settings.db_path.exists()
    with _empty_store() if trial else store_for(write=not dry_run) as store:
        with shown_progress() as progress:
            progress(f"reading {path}")
            prepared = prepare(
                store,
                path,
                replace=replace,
                mapping=plan,
                sheet=sheet,
                kinds=LOADS,
                progress=progress,
            )
            progress("writing nothing (dry run)" if dry_run else "writing in one transaction")
            action = "load" if prepared.zone is None else "load.replace"
            event = None if trial else cli_event(action, str(path))
            report = commit(store, prepared, dry_run=dry_run, audit=event, progress=progress)
    for warning in prepared.warnings:
        err(str(warning))
    for note in prepared.notes:
        err(note)
    would = "would have " if dry_run else ""
    if prepared.zone is None:
        err(f"{would}upserted: {report.summary()}")
    else:
        verb = f"{would}replaced the graph" if replace else f"{would}loaded"
        err(f"{verb}: " + ", ".join(f"{k} {v}" for k, v in prepared.zone.counts().items()))
    if dry_run:
        err("nothing written (--dry-run)")


@contextmanager
def _empty_store() -> Iterator[Store]:
    """An empty embedded zone in a temporary folder, for a first load tried out."""
    import tempfile

    from graph_model.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory(prefix="zonegraph-dry-run-") as tmp:
        empty = EmbeddedStore(Path(tmp) / "empty.lbug", buffer_pool_mb=64)
        try:
            yield empty
        finally:
            empty.close()


def _write_mapping(path: Path, out: Path, sheet: str | None) -> None:
    """Write how a ledger's columns were recognised, for a person to edit and load with."""
    from loaders.ledger_mapping import mapping_of
    from loaders.ledger_read import read_header

    ledger = read_header(path, sheet=sheet)
    data = mapping_of(ledger)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for header, field in ledger.columns.items():
        err(f"  {header} → {field or '(ignored)'}")
    for header in data.get("unrecognised", []):
        err(f"  {header} → not recognised: give it a field in {out} or leave it ignored")
    err(f"wrote {out}: edit it, then `zonegraph load {path} --mapping {out}`")


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="a catalog query (see `zonegraph queries`)")],
    param: ParamOpt = None,
    fmt: FormatOpt = "table",
    scenario: Annotated[
        str | None, typer.Option(help="run on a what-if scenario's copy of the zone")
    ] = None,
) -> None:
    """Run a catalog query and print its rows (notes, such as a plan's left-overs, on stderr)."""
    from queries.catalog import get_query, run
    from queries.scenarios import run_in_scenario

    columns = get_query(name).columns
    params = _params(param or [])
    with store_for(write=False) as store:
        if scenario is None:
            result = run(store, name, params)
        else:
            result = run_in_scenario(store, scenarios().get(scenario), name, params)
    typer.echo(render(result.rows, columns, _format(fmt)))
    for note in result.notes:
        err(note)


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
    from api.i18n import EN, ZH
    from queries.rates import DEFAULT, RATES
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
        *(
            f"{ZH[r.label]} {EN[r.label].lower()}: {_pct(s[r.column])} ({EN[r.label + '.def']})"
            for r in RATES
        ),
        f"单独组建 own organization: {s['own_org']}   组织覆盖 own or joint: {s['org_covered']}   "
        f"仅工作覆盖 work coverage only: {s['work_only']}   未覆盖 uncovered: {s['uncovered']}",
        f"应单独组建 ≥3 members, no own organization: {data['should_form_branch']}",
        f"工作室不足5家 studios below 5 firms: {len(data['studios_below_minimum'])} "
        f"of {data['studios']}",
        "",
        f"{ZH[DEFAULT.label]}最低的街道 streets with the lowest {EN[DEFAULT.label].lower()}:",
        render(
            data["worst_streets"],
            ["group", "total", "uncovered", *(r.column for r in RATES)],
            "table",
        ),
        "",
        "党员最多的未覆盖企业 uncovered firms with the most party members:",
        render(data["top_gaps"], ["id", "name", "street", "grid", "party_members"], "table"),
    ]
    typer.echo("\n".join(lines))


@app.command()
def export(
    folder: Annotated[
        Path | None, typer.Argument(help="folder to write the contract's CSV files to")
    ] = None,
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", help="instead: write the one-sheet ledger (台账) to this .xlsx"),
    ] = None,
    neo4j_admin: Annotated[
        Path | None,
        typer.Option(
            "--neo4j-admin",
            help="instead: write files for `neo4j-admin database import full` to this folder",
        ),
    ] = None,
) -> None:
    """Export the graph as the CSV contract (or as a ledger), so export → load round-trips."""
    if sum(x is not None for x in (folder, ledger, neo4j_admin)) != 1:
        raise typer.BadParameter(
            "give a FOLDER for the CSV files, or --ledger FILE.xlsx, or --neo4j-admin FOLDER"
        )
    if neo4j_admin is not None:
        from loaders.neo4j_admin import write_admin_files

        with store_for(write=False) as store:
            zone, history = store.read_archive()
        files = write_admin_files(zone, neo4j_admin, history)
        rows = sum(files.nodes.values()), sum(files.relationships.values())
        err(f"wrote {neo4j_admin}: {rows[0]} nodes and {rows[1]} relationships; import with")
        typer.echo(files.command(load_settings().neo4j_database))
        return
    with store_for(write=False) as store:
        zone = store.read()
    if ledger is not None:
        from loaders.ledger_write import write_ledger

        firms = write_ledger(zone, ledger)
        err(f"wrote {ledger}: a ledger of {firms} firms")
        return
    from loaders.load import export_zone

    assert folder is not None
    with shown_progress() as progress:
        written = export_zone(zone, folder, progress)
    err(f"wrote {folder}: " + ", ".join(f"{k} {v}" for k, v in written.items()))


@app.command()
def template(
    kind: Annotated[str, typer.Argument(help="ledger (台账) or contract (the eight tables)")],
    out: Annotated[Path, typer.Argument(help="the .xlsx file to write")],
) -> None:
    """Write a blank workbook to fill in: Chinese headers, notes, dropdowns, frozen header."""
    from loaders.templates import write_template

    if kind not in ("ledger", "contract"):
        raise typer.BadParameter("the template is ledger or contract")
    write_template(kind, out)
    err(f"wrote {out}: a blank {kind} workbook")


@app.command()
def viz(
    scope: Annotated[
        str, typer.Option(help="zone, street:X, grid:X, park:X, industry:X, alliance:X, firm:X")
    ] = "zone",
    out: Annotated[Path, typer.Option(help="the HTML file to write")] = Path("view.html"),
    hops: Annotated[int, typer.Option(min=1, max=6, help="links around a firm or alliance")] = 1,
    cap: Annotated[int, typer.Option(min=10, help="most nodes before aggregating")] = 1500,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
) -> None:
    """Write a self-contained network view (one HTML file, nothing loaded from the internet)."""
    from viz.export import write_view

    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang is zh or en")
    with store_for(write=False) as store:
        summary = write_view(store, scope, hops, out, cap=cap, lang=lang)
    err(
        f"wrote {out}: {summary['nodes']} nodes, {summary['edges']} links"
        + (" (aggregated)" if summary["aggregated"] else "")
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
    demo_zone: Annotated[
        bool, typer.Option("--demo", help="build the demo zone first if the database is empty")
    ] = False,
) -> None:
    """Serve the web app and the JSON API on the database in ZONEGRAPH_DB."""
    import uvicorn

    from api.app import create_app

    settings = load_settings()
    listen = host or settings.host
    if listen not in LOOPBACK:
        err(
            f"warning: serving on {listen} without TLS: passwords and sign-ins cross the "
            "network in clear text; put a reverse proxy with TLS in front (README: Security)"
        )
    created = first_admin(open_accounts(settings))
    if created:
        name, password = created
        typer.echo(
            "zonegraph: no administrator yet, so one was made (this password is shown once; "
            f"change it with `zonegraph user passwd {name}`):\n"
            f"  user:     {name}\n  password: {password}",
        )
    store = open_store(settings)
    if created:
        store.record(cli_event("account.add", f"{created[0]} (admin), made by serve"))
    try:
        if demo_zone and not any(store.counts().values()):
            from loaders.demo import demo_tables
            from loaders.load import load_tables

            load_tables(store, demo_tables(), source="demo", progress=err)
        address = f"http://{host or settings.host}:{port or settings.port}/"
        where = settings.db_path if settings.backend == "embedded" else settings.neo4j_uri
        err(f"zonegraph serving {where} at {address}")
        uvicorn.run(
            create_app(settings, store),
            host=listen,
            port=port or settings.port,
            log_level="warning",
        )
    finally:
        store.close()


@app.command()
def bench(
    sizes: Annotated[
        str, typer.Option(help="zone sizes in firms, comma-separated (generated, hub-heavy)")
    ] = "1000,10000,100000",
    million: Annotated[
        bool, typer.Option("--million", help="also a zone of 1,000,000 firms (minutes, ~3 GB)")
    ] = False,
    repeat: Annotated[int, typer.Option(min=1, help="warm runs per query (p50/p95)")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON record per size")] = False,
    web: Annotated[
        bool, typer.Option("--web", help="instead: network first draw in Chromium, API latency")
    ] = False,
    writes: Annotated[
        bool,
        typer.Option(
            "--writes", help="instead: the full load beside change sets of 1, 100, 10,000 rows"
        ),
    ] = False,
    load: Annotated[
        bool, typer.Option("--load", help="instead: many users at once against a local server")
    ] = False,
    users: Annotated[int, typer.Option(min=1, max=256, help="--load: users at once")] = 32,
    seconds: Annotated[float, typer.Option(min=0.5, help="--load: how long they ask")] = 60.0,
) -> None:
    """Time loads and every catalog query on generated zones, beside plain COPY and pandas.

    Each size is generated as the contract's CSV files, then loaded with `zonegraph load`,
    beside plain LadybugDB COPY of the same files and pandas + networkx building the graph;
    every catalog query runs warm (p50/p95) beside pandas + networkx computing the same
    answers. Prints markdown for docs/benchmarks.md, or JSON records with --json.
    """
    if load:
        from api.bench_load import load_command

        raise typer.Exit(load_command(sizes, users, seconds))
    if web:
        from api.bench_web import web_bench

        typer.echo(web_bench(firms=int(sizes.split(",")[0]), runs=repeat))
        return

    try:
        firms = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter("--sizes wants whole numbers, e.g. 1000,10000") from None
    if any(f < 100 for f in firms):
        raise typer.BadParameter("--sizes: a generated zone needs at least 100 firms")
    if writes:
        from api.bench import writes_markdown

        for line in writes_markdown(firms, repeat):
            typer.echo(line)
        return
    from api.bench_scale import bench_command

    def step(text: str) -> None:
        typer.echo(f"{time.strftime('%H:%M:%S')} {text}", err=True)

    for line in bench_command(firms + ([1_000_000] if million else []), repeat, as_json, step):
        typer.echo(line)


@app.command()
def reconcile(
    register: Annotated[Path, typer.Argument(help="the enterprise register export (.csv/.xlsx)")],
    apply: Annotated[bool, typer.Option("--apply", help="write the changes (one transaction)")] = (
        False
    ),
    update: Annotated[
        list[str] | None,
        typer.Option(
            "--update",
            help="an organizers' field the register may overwrite, e.g. industry (repeatable)",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="report language, zh or en (default: ZONEGRAPH_LANG, else the locale)"
        ),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Compare the ledger with the register: new firms, closures, codes adopted, missing ones."""
    import os

    from graph_model.mapping import Zone
    from graph_model.store.statements import read_table
    from loaders.reconcile import (
        COLUMNS,
        LANGS,
        UPDATABLE,
        read_register,
        report_columns,
        report_language,
        translated,
    )
    from loaders.reconcile import reconcile as compare

    fields = update or []
    bad = [f for f in fields if f not in UPDATABLE]
    if bad:
        raise typer.BadParameter(
            f"cannot update {', '.join(bad)}; the register may update {', '.join(UPDATABLE)}"
        )
    if lang is not None and lang not in LANGS:
        raise typer.BadParameter("--lang must be zh or en")
    language = lang or report_language(os.environ)
    shape = _format(fmt)
    raw = read_register(register)
    with store_for(write=apply) as store:
        firms = read_table(store.run, "enterprises")
        result = compare(raw, Zone({"enterprises": firms}), updates=fields, lang=language)
        # Checked against the whole store either way, so a report shows what --apply refuses.
        event = cli_event("reconcile", str(register))
        report = store.apply(result.changes, dry_run=not apply, audit=event)
    for warning in result.warnings:
        err(str(warning))
    if shape == "json":  # scripts read the English keys and kinds, whatever the language
        typer.echo(render(result.rows, list(COLUMNS), shape))
    else:
        typer.echo(render(translated(result.rows, language), report_columns(language), shape))
    for note in result.notes:
        err(note)
    if apply:
        err(f"applied: {report.summary()}")
    else:
        err("nothing written (add --apply to write the changes)")


app.add_typer(scenario_app, name="scenario")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.command("audit")(audit)
app.command("backup")(backup)
app.command("restore")(restore)
app.command("snapshot")(snapshot)
app.command("report")(report)


if __name__ == "__main__":  # pragma: no cover
    main()
