"""``zonegraph snapshot`` and ``zonegraph report``: the zone summary kept for trends, and the
quarterly report as a self-contained HTML file or an A4 PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli_common import FormatOpt, _format, err, store_for
from api.output import render
from graph_model.errors import BadParameter
from graph_model.settings import load_settings
from queries.rates import RATES


def snapshot(fmt: FormatOpt = "table") -> None:
    """Keep a dated snapshot of the zone summary now (every write keeps one too); print it
    with its rates."""
    with store_for(write=True) as store:
        snap = store.snapshot()
    row = {
        "at": snap.at,
        "operating": snap.operating,
        "closed": snap.closed,
        **snap.counts,
        **{r.column: round(r.of(snap.counts), 4) for r in RATES},
    }
    typer.echo(render([row], list(row), _format(fmt)))


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="FILE.html or FILE.pdf")],
    since: Annotated[
        str | None,
        typer.Option(help="compare with the zone as it was at this date (2026-09-30) or time"),
    ] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
) -> None:
    """Write the quarterly report: the rates and their change since the last snapshot (or
    --since), gaps by street, rule checks, studios and liaisons, alliances, with charts.
    A .html file is self-contained; a .pdf is printed by headless Chromium (on PATH, or
    ZONEGRAPH_CHROMIUM)."""
    from api.report_render import report_html, write_pdf
    from queries.report import quarterly_report

    kind = out.suffix.lower()
    if kind not in (".html", ".htm", ".pdf"):
        raise BadParameter(f"--out: {out.name!r} is neither .html nor .pdf")
    if lang not in ("zh", "en"):
        raise BadParameter(f"--lang: {lang!r} is not zh or en")
    with store_for(write=False) as store:
        numbers = quarterly_report(store, since)
    html = report_html(numbers, lang)
    if kind == ".pdf":
        write_pdf(html, out, load_settings().chromium)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    then = numbers.baseline.at if numbers.baseline else "no earlier snapshot"
    err(f"wrote {out} (compared with {then})")
