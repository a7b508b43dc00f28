"""``zonegraph bench --writes``: the full load beside change sets, on demo zones.

Speed is measured here, never asserted in tests; the numbers go to docs/benchmarks.md
with the machine and the date.
"""

from __future__ import annotations

import itertools
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from graph_model.changes import ChangeSet, Origin
from graph_model.store.embedded import EmbeddedStore
from loaders.demo import demo_tables
from loaders.load import load_path, load_tables


def _timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median wall seconds of ``repeat`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _firm_updates(ids: list[str], round_: int) -> ChangeSet:
    changes = ChangeSet()
    for i, ident in enumerate(ids):
        changes.upsert("enterprises", {"id": ident, "party_members": (i + round_) % 7}, _BENCH)
    return changes


def _new_links(ids: list[str], count: int, round_: int) -> ChangeSet:
    changes = ChangeSet()
    n = len(ids)
    for i in range(count):
        # Pairs far apart in the id order, different each round: links the zone lacks.
        supplier, customer = ids[(7 * i + round_) % n], ids[(7 * i + round_ + n // 2 + 1) % n]
        changes.upsert("supply_links", {"supplier_id": supplier, "customer_id": customer}, _BENCH)
    return changes


_BENCH = Origin("bench")


def bench_writes(firms: int, repeat: int) -> Iterator[dict[str, Any]]:
    """Rows of (step, ms, rows) for writes into one demo zone: the full load, then change
    sets of 1, 100 and 10,000 rows applied to it, each as it is timed."""

    def note(step: str, seconds: float, rows: int | None = None) -> dict[str, Any]:
        per_s = round(rows / seconds) if rows and seconds else None
        return {
            "firms": firms,
            "step": step,
            "ms": round(seconds * 1000, 1),
            "rows": rows,
            "per_s": per_s,
        }

    tables = demo_tables(firms=firms)
    total = sum(len(t) for t in tables.values())
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug")
        load_s, _ = _timed(lambda: load_tables(store, tables, source="demo"))
        yield note("full load: validate + write the whole zone", load_s, total)
        ids = [str(r["id"]) for r in tables["enterprises"]]
        rounds = itertools.count()  # each run changes something new
        for size in (1, 100, 10_000):
            if size > len(ids):
                continue

            def update(n: int = size) -> Any:
                return store.apply(_firm_updates(ids[:n], next(rounds)))

            def link(n: int = size) -> Any:
                return store.apply(_new_links(ids, n, next(rounds)))

            secs, _ = _timed(update, repeat)
            yield note(f"apply: update {size:,} firm(s)", secs, size)
            secs, _ = _timed(link, repeat)
            yield note(f"apply: add {size:,} supply link(s)", secs, size)
        secs, _ = _timed(
            lambda: store.apply(_firm_updates(ids[:1], next(rounds)), dry_run=True), repeat
        )
        yield note("apply --dry-run: check 1 firm, write nothing", secs, 1)
        folder = Path(tmp) / "one-row"
        folder.mkdir()

        def load_one_row() -> Any:
            # A new value each run, so each run writes.
            text = f"id,party_members\n{ids[0]},{next(rounds) % 97}\n"
            (folder / "enterprises.csv").write_text(text, encoding="utf-8")
            return load_path(store, folder)

        secs, _ = _timed(load_one_row, repeat)
        yield note("load a 1-row file (read, check, write)", secs, 1)
        names = iter(f"R{i:06d}" for i in range(10 * repeat))

        def rename() -> Any:
            changes = ChangeSet()
            current = store.run("MATCH (a:Alliance) RETURN a.id AS id ORDER BY id LIMIT 1")
            lead = store.run(
                "MATCH (e:Enterprise)-[:LEADS]->(a:Alliance {id: $a}) RETURN e.id AS id",
                {"a": current[0]["id"]},
            )[0]["id"]
            changes.rename("enterprises", lead, next(names), _BENCH)
            return store.apply(changes)

        secs, _ = _timed(rename, repeat)
        yield note("apply: change the id of an alliance's leading firm", secs, 1)
        store.close()


def writes_markdown(sizes: list[int], repeat: int) -> Iterator[str]:
    """The write benchmark as markdown, line by line: one table per zone size."""
    yield f"Machine: {machine()}; date {date.today().isoformat()}; median of {repeat} runs."
    for firms in sizes:
        yield from [
            "",
            f"#### {firms:,} firms",
            "",
            "| step | ms | rows | rows/s |",
            "|---|---:|---:|---:|",
        ]
        for r in bench_writes(firms, repeat):
            per_s = "" if r["per_s"] is None else f"{r['per_s']:,}"
            yield f"| {r['step']} | {r['ms']:,} | {r['rows'] or ''} | {per_s} |"


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
