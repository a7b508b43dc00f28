"""``zonegraph bench``: generated zones of 10^3 … 10^6 firms, side by side with the alternatives.

For each size, in one run: the zone is generated (:mod:`api.bench_zone`), then each measured
step runs as its own process (:mod:`api.bench_child`) so that its wall time is what a user
waits and its peak memory is its own:

1. plain LadybugDB ``COPY`` of the two big files (the floor for a load);
2. pandas reading the same files and building a networkx graph (the analyst's way);
3. ``zonegraph load FOLDER`` into an empty database: reading, validation and the write;
4. every catalog query, warm, p50/p95 (:func:`api.bench_child.catalog_queries`);
5. pandas + networkx + scipy computing the same answers for the compared queries.

Ratios are printed beside the numbers; ``--json`` prints the raw records. Speed is measured
here and written to docs/benchmarks.md with the machine and date; tests never assert it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from api.bench import machine
from api.bench_zone import generate

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


#: Catalog query (as the bench labels it) → the answer pandas computes for it, and the target
#: at 10^6 firms in ms (``None``: no target at this size).
COMPARED: dict[str, tuple[str, float | None]] = {
    "uncovered first page": ("uncovered", 200),
    "coverage_by street": ("coverage_by street", 300),
    "coverage_by grid": ("coverage_by grid", 300),
    "zone_summary": ("zone_summary", 300),
    "alliance_reach hops=3": ("alliance_reach hops=3 (scipy CSR)", 150),
}


def _run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a command; its wall seconds, peak resident memory (bytes) and stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        text, problems = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed: {problems.strip()[-2000:]}")
    return wall, usage.ru_maxrss * 1024, text


def _disk(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def bench_scale(firms: int, repeat: int, tmp: Path, progress: Progress = _quiet) -> dict[str, Any]:
    """One size: every measured step, as a record (see the module docstring)."""
    folder = tmp / f"zone-{firms}"
    start = time.perf_counter()
    progress(f"{firms:,} firms: generating the zone's files")
    counts = generate(folder, firms)
    record: dict[str, Any] = {
        "firms": firms,
        "rows": counts,
        "generate_s": round(time.perf_counter() - start, 2),
    }
    child = [sys.executable, "-m", "api.bench_child"]
    progress(f"{firms:,} firms: plain COPY")
    wall, peak, _ = _run_child([*child, "copy", str(folder), str(tmp / f"copy-{firms}"), "1"])
    record["copy"] = {"wall_s": round(wall, 2), "peak_mb": peak >> 20}
    progress(f"{firms:,} firms: pandas + networkx")
    wall, peak, _ = _run_child([*child, "networkx", str(folder), "-", "1"])
    record["networkx"] = {"wall_s": round(wall, 2), "peak_mb": peak >> 20}
    db = tmp / f"zone-{firms}.lbug"
    env = {**os.environ, "ZONEGRAPH_DB": str(db), "ZONEGRAPH_ACCOUNTS": str(tmp / "accounts")}
    zonegraph = [sys.executable, "-c", "from api.cli import main; main()"]
    progress(f"{firms:,} firms: zonegraph load")
    wall, peak, _ = _run_child([*zonegraph, "load", str(folder)], env)
    total = sum(counts.values())
    record["load"] = {
        "wall_s": round(wall, 2),
        "peak_mb": peak >> 20,
        "rows_per_s": round(total / wall),
        "disk_mb": round(_disk(db) / 2**20, 1),
    }
    progress(f"{firms:,} firms: every catalog query, warm")
    _, peak, text = _run_child([*child, "queries", str(folder), str(db), str(repeat), str(firms)])
    record["queries"] = json.loads(text)
    record["queries_peak_mb"] = peak >> 20
    progress(f"{firms:,} firms: every page through a real server, warm")
    _, peak, text = _run_child([*child, "pages", str(folder), str(db), str(repeat)], env)
    record["pages"] = json.loads(text)
    record["pages_peak_mb"] = peak >> 20
    progress(f"{firms:,} firms: pandas + networkx answers")
    _, peak, text = _run_child([*child, "answers", str(folder), "-", str(repeat)])
    record["answers"] = json.loads(text)
    record["answers_peak_mb"] = peak >> 20
    return record


def bench_records(
    sizes: list[int], repeat: int, progress: Progress = _quiet
) -> Iterator[dict[str, Any]]:
    """A record per size, each as it is measured (generated zones are deleted after)."""
    for firms in sizes:
        with tempfile.TemporaryDirectory(prefix="zonegraph-bench-") as tmp:
            yield bench_scale(firms, repeat, Path(tmp), progress)


def _ratio(a: float, b: float) -> str:
    """``a`` as a multiple of ``b`` (two figures below 1, so a small ratio is not 0.0×)."""
    if not b:
        return "–"
    r = a / b
    return f"{r:.1f}×" if r >= 1 else f"{r:.2f}×"


def _agree(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    """Whether the database and pandas gave the same answer (on what both report)."""
    if "total" in ours and "total" in theirs:
        same = ours["total"] == theirs["total"]
    elif "groups" in theirs:
        same = ours["rows"] == theirs["groups"]
    elif "uncovered" in theirs and ours.get("first_row"):
        row = ours["first_row"]
        same = all(row.get(k) == theirs[k] for k in ("operating", "uncovered", "org_covered"))
    else:
        return ""
    return "same answer" if same else "**DIFFERENT answer**"


def scale_markdown(record: dict[str, Any]) -> Iterator[str]:
    """One size's record as markdown tables."""
    firms, load, copy, nx_ = record["firms"], record["load"], record["copy"], record["networkx"]
    rows = sum(record["rows"].values())
    yield from [
        f"#### {firms:,} firms ({rows:,} rows, {record['rows']['supply_links']:,} supply links)",
        "",
        "| load | wall s | peak MB | rows/s | vs COPY | pandas+nx ÷ ours |",
        "|---|---:|---:|---:|---:|---:|",
        f"| `zonegraph load` (all 9 files, validated) | {load['wall_s']} | {load['peak_mb']:,} "
        f"| {load['rows_per_s']:,} | {_ratio(load['wall_s'], copy['wall_s'])} "
        f"| {nx_['wall_s'] / load['wall_s']:.2f} |",
        f"| plain LadybugDB `COPY` (2 files) | {copy['wall_s']} | {copy['peak_mb']:,} | | 1.0× | |",
        f"| pandas + networkx DiGraph (2 files) | {nx_['wall_s']} | {nx_['peak_mb']:,} | | "
        f"{_ratio(nx_['wall_s'], copy['wall_s'])} | |",
        "",
        f"Database on disk: {load['disk_mb']:,} MB. Generating the files took "
        f"{record['generate_s']} s. Query process peak {record['queries_peak_mb']:,} MB; "
        f"pandas answers process peak {record['answers_peak_mb']:,} MB.",
        "",
        "| query (warm) | p50 ms | p95 ms | runs | rows / total | pandas+nx p50 ms "
        "| pandas+nx ÷ ours |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    answers = record["answers"]
    for label, q in record["queries"].items():
        if "error" in q:
            yield f"| {label} | failed: {q['error'][:160]} | | | | | |"
            continue
        answer = q["answer"]
        size = answer.get("total", answer.get("rows"))
        compared = next((v for k, v in COMPARED.items() if label == k), None)
        theirs, ratio = "", ""
        if compared and compared[0] in answers:
            other = answers[compared[0]]
            theirs = f"{other['p50_ms']:,}"
            ratio = f"{_ratio(other['p50_ms'], q['p50_ms'])} {_agree(answer, other['answer'])}"
        yield (
            f"| {label} | {q['p50_ms']:,} | {q['p95_ms']:,} | {q['runs']} | {size:,} "
            f"| {theirs} | {ratio} |"
        )
    if "alliance_reach hops=3 (networkx)" in answers:
        a = answers["alliance_reach hops=3 (networkx)"]
        yield (
            f"| (networkx BFS, 3 hops) | {a['p50_ms']:,} | {a['p95_ms']:,} | {a['runs']} "
            f"| {a['answer']['total']:,} | | |"
        )
    yield ""
    yield from [
        f"Pages through a real server (peak {record['pages_peak_mb']:,} MB):",
        "",
        "| page (warm) | p50 ms | p95 ms | runs | status |",
        "|---|---:|---:|---:|---:|",
    ]
    for path, p in record["pages"].items():
        yield f"| `{path}` | {p['p50_ms']:,} | {p['p95_ms']:,} | {p['runs']} | {p['status']} |"
    yield ""


def bench_command(
    sizes: list[int], repeat: int, as_json: bool, progress: Progress = _quiet
) -> Iterator[str]:
    """Lines to print: markdown (a header, then each size as it finishes) or JSON lines."""
    if not as_json:
        yield (
            f"Machine: {machine()}; date {date.today().isoformat()}; queries warm, "
            f"{repeat} runs after one warm-up."
        )
        yield ""
    for record in bench_records(sizes, repeat, progress):
        if as_json:
            yield json.dumps({"machine": machine(), "date": date.today().isoformat(), **record})
        else:
            yield from scale_markdown(record)
