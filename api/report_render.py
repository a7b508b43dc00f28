"""The quarterly report laid out: the ``/report`` page, and the self-contained HTML and PDF
files of ``zonegraph report`` (:mod:`queries.report` gives the numbers).

The file is one HTML document with its style sheet and charts inline (SVG), no script and
no link to anything: it opens and prints the same on a machine with no network. A PDF is
that file printed by headless Chromium (``--print-to-pdf``), which the A4 ``@media print``
rules of ``report.css`` lay out.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from api.i18n import Translator
from api.pages_charts import PARTS, stacked_bars
from api.pages_common import STATIC_DIR, cell_link, fmt, sort_key, templates
from api.report_charts import trend_chart
from graph_model.errors import ConfigError, ZonegraphError
from queries.rates import DEFAULT, RATES
from queries.report import Report

__all__ = ["find_chromium", "report_context", "report_html", "write_pdf"]

#: Where Chromium is looked for when ``ZONEGRAPH_CHROMIUM`` does not name it.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Seconds Chromium may take to print one report.
PRINT_TIMEOUT = 120


def report_context(report: Report, t: Translator) -> dict[str, Any]:
    """What ``_report_body.html`` draws from: the numbers and the charts."""
    return {
        "r": report,
        "rates": RATES,
        "default_rate": DEFAULT,
        "chart": stacked_bars(report.streets, rate=DEFAULT.column),
        "parts": PARTS,
        "trend": trend_chart(report.trend),
        "t": t,
    }


def report_html(report: Report, lang: str = "zh") -> str:
    """The report as one self-contained HTML document (inline CSS and SVG, no script)."""
    t = Translator(lang)
    css = (STATIC_DIR / "app" / "report.css").read_text(encoding="utf-8")
    context = {
        **report_context(report, t),
        "css": css,
        "html_lang": "zh-CN" if t.lang == "zh" else "en",
        "fmt": lambda v, c: fmt(v, c, t),
        "sort_key": sort_key,
        "cell_link": cell_link,
    }
    return templates.env.get_template("report_file.html").render(context)


def find_chromium(setting: str | None = None) -> str | None:
    """The Chromium to print with: ``setting`` (``ZONEGRAPH_CHROMIUM``) if given, else the
    first of :data:`CHROMIUM_NAMES` on ``PATH``."""
    if setting:
        found = shutil.which(setting)
        return found if found else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html: str, out: Path, chromium: str | None = None) -> None:
    """Print ``html`` to ``out`` as an A4 PDF with headless Chromium (``chromium``: the
    ``ZONEGRAPH_CHROMIUM`` setting, else found on ``PATH``).

    Raises
    ------
    ConfigError
        No Chromium was found (the message tells the user to write .html and print it).
    ZonegraphError
        Chromium ran but wrote no PDF.
    """
    browser = find_chromium(chromium)
    if browser is None:
        # A setting's error (exit 2): the user can write .html and print it.
        raise ConfigError(
            "no Chromium found to print a PDF (set ZONEGRAPH_CHROMIUM or install chromium); "
            f"write {out.with_suffix('.html').name} instead and print it from a browser"
        )
    with tempfile.TemporaryDirectory(prefix="zonegraph-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        target = Path(tmp) / "report.pdf"
        args = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        try:
            subprocess.run(args, capture_output=True, timeout=PRINT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ZonegraphError(
                f"Chromium ({browser}) could not print the report: {exc}"
            ) from None
        if not target.exists() or target.stat().st_size == 0:
            raise ZonegraphError(f"Chromium ({browser}) wrote no PDF; write .html and print it")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, out)
