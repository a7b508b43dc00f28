"""``zonegraph bench``: load and query timings on demo zones of several sizes.

Speed is measured here, never asserted in tests; the numbers go to docs/benchmarks.md
with the machine and the date.
"""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from graph_model.store.embedded import EmbeddedStore
from loaders.demo import demo_tables
from loaders.load import export_zone, load_tables
from queries.catalog import all_queries, run_query


def _timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median wall seconds of ``repeat`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench_size(firms: int, repeat: int) -> list[dict[str, Any]]:
    """Rows of (step, seconds, rows) for one demo zone of ``firms`` firms."""
    out: list[dict[str, Any]] = []

    def note(step: str, seconds: float, rows: int | None = None) -> None:
        out.append({"firms": firms, "step": step, "ms": round(seconds * 1000, 1), "rows": rows})

    gen_s, tables = _timed(lambda: demo_tables(firms=firms))
    note("generate demo tables", gen_s, sum(len(t) for t in tables.values()))
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug")
        store.apply_schema()
        load_s, report = _timed(lambda: load_tables(store, tables, source="demo"))
        note("validate + write (one transaction)", load_s, sum(report.counts.values()))
        read_s, zone = _timed(store.read)
        note("read whole zone", read_s)
        export_s, _ = _timed(lambda: export_zone(zone, Path(tmp) / "export"))
        note("export CSV", export_s)
        alliance = run_query(store, "alliances")[0]["id"]
        street = run_query(store, "coverage_by", {"level": "street"})[0]["group"]
        samples: dict[str, object] = {"alliance": alliance}
        for q in all_queries():
            base = {p.name: samples[p.name] for p in q.params if p.required}
            variants: list[dict[str, object]] = [base]
            if q.name == "alliance_reach":
                variants = [{**base, "hops": h} for h in (2, 4, 6)]
            if q.name in ("bridging_firms", "suggested_clusters"):
                variants = [{"scope": "zone"}, {"scope": f"street:{street}"}]
            for p in variants:

                def call(name: str = q.name, params: dict[str, object] = p) -> Any:
                    return run_query(store, name, params)

                secs, rows = _timed(call, repeat)
                shown = ", ".join(f"{k}={v}" for k, v in p.items() if k != "alliance")
                note(f"query {q.name}" + (f" ({shown})" if shown else ""), secs, len(rows))
        store.close()
    return out


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def bench_markdown(sizes: list[int], repeat: int) -> str:
    """A markdown report: one table per size, with the machine and the date."""
    lines = [f"Machine: {machine()}; date {date.today().isoformat()}; median of {repeat} runs."]
    for firms in sizes:
        lines += ["", f"#### {firms:,} firms", "", "| step | ms | rows |", "|---|---:|---:|"]
        for r in bench_size(firms, repeat):
            lines.append(
                f"| {r['step']} | {r['ms']:,} | {'' if r['rows'] is None else r['rows']} |"
            )
    return "\n".join(lines)
