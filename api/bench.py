"""``zonegraph bench``: load and query timings on demo zones of several sizes.

Speed is measured here, never asserted in tests; the numbers go to docs/benchmarks.md
with the machine and the date.
"""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
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


def bench_size(firms: int, repeat: int) -> Iterator[dict[str, Any]]:
    """Rows of (step, ms, rows) for one demo zone of ``firms`` firms, each as it is timed."""

    def note(step: str, seconds: float, rows: int | None = None) -> dict[str, Any]:
        return {"firms": firms, "step": step, "ms": round(seconds * 1000, 1), "rows": rows}

    gen_s, tables = _timed(lambda: demo_tables(firms=firms))
    yield note("generate demo tables", gen_s, sum(len(t) for t in tables.values()))
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug")
        store.apply_schema()
        load_s, report = _timed(lambda: load_tables(store, tables, source="demo"))
        yield note("validate + write (one transaction)", load_s, sum(report.counts.values()))
        read_s, zone = _timed(store.read)
        yield note("read whole zone", read_s)
        export_s, _ = _timed(lambda: export_zone(zone, Path(tmp) / "export"))
        yield note("export CSV", export_s)
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
                yield note(f"query {q.name}" + (f" ({shown})" if shown else ""), secs, len(rows))
        store.close()


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def bench_markdown(sizes: list[int], repeat: int) -> Iterator[str]:
    """A markdown report, line by line as each step finishes: one table per size."""
    yield f"Machine: {machine()}; date {date.today().isoformat()}; median of {repeat} runs."
    for firms in sizes:
        yield from ["", f"#### {firms:,} firms", "", "| step | ms | rows |", "|---|---:|---:|"]
        for r in bench_size(firms, repeat):
            yield f"| {r['step']} | {r['ms']:,} | {'' if r['rows'] is None else r['rows']} |"
