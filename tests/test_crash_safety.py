"""A write killed at any moment leaves the zone exactly as before or exactly as after.

Real ``zonegraph`` processes replace the zone (``load --replace``), upsert into it (``load``)
and apply a scenario (``scenario apply``) on copies of one demo database, and are killed with
SIGKILL: at each of the writer's named crash points (``ZONEGRAPH_CRASH_AT``), and from outside
the moment the files of each step appear (``<db>.next``, its write-ahead log, LadybugDB's
checkpoint files) or at fractions of an uncrashed run's duration. Right after each kill,
with no manual step, ``stats``, ``query``, ``export`` and ``serve`` must work and show exactly
the zone before or exactly the zone after, as uncrashed runs of the same commands show them;
and the next write must succeed and leave nothing of the killed one behind.

Each case runs several CLI processes of about a second each (mostly imports), so the cases
run side by side in a thread pool (a process per core, and one more), all submitted when the
first of them is needed; each test then waits for its own case and checks it.
"""

from __future__ import annotations

import csv
import itertools
import json
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

from graph_model.schema import TABLES
from graph_model.store.embedded import EmbeddedStore
from graph_model.store.swap import CRASH_POINTS
from loaders.load import export_zone

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
#: CLI processes at once: one per core, and one more to use the time others wait for fsync.
WORKERS = (os.cpu_count() or 2) + 1
#: Seconds between two looks at the database's folder while waiting to kill a writer.
POLL = 0.0005
#: Seconds any one CLI process may take before the test gives up on it.
TIMEOUT = 120.0
#: Seconds ``serve`` may take to answer ``/health``.
SERVE_TIMEOUT = 60.0
#: The database file's name in every case's folder (the writer's files are named after it).
DB = "zone.lbug"
SCENARIO = "crash-test"

#: The crash points each operation passes. A bulk replace writes a new file instead of copying
#: the live one, so it has no "copied" point.
POINTS: dict[str, tuple[str, ...]] = {
    "replace": tuple(p for p in CRASH_POINTS if p != "copied"),
    "upsert": CRASH_POINTS,
    "scenario": CRASH_POINTS,
}

Returned = subprocess.CompletedProcess[str]


# -- running the CLI ------------------------------------------------------------------------
def _env(db: Path, crash_at: str | None = None) -> dict[str, str]:
    """A clean environment naming the database, its scenario folder and the crash point."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}
    if env.pop("PYTHONDONTWRITEBYTECODE", ""):
        # Else each of the ~150 processes compiles the project's modules again (a quarter
        # of its second); compile them once, outside the working tree.
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "zonegraph-test-pycache")
    env["ZONEGRAPH_DB"] = str(db)
    env["ZONEGRAPH_SCENARIOS"] = str(db.parent / "scenarios")
    if crash_at is not None:
        env["ZONEGRAPH_CRASH_AT"] = crash_at
    return env


def _argv(args: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "api.cli", *args]


def zonegraph(db: Path, *args: str, crash_at: str | None = None) -> Returned:
    """Run the CLI on the database ``db`` and wait for it."""
    return subprocess.run(
        _argv(args),
        capture_output=True,
        text=True,
        env=_env(db, crash_at),
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )


def ok(done: Returned) -> Returned:
    assert done.returncode == 0, f"{' '.join(done.args[3:])} failed: {done.stderr}"
    return done


def next_files(db: Path) -> list[str]:
    """What a writer left of ``<db>.next`` and LadybugDB's files beside it."""
    return sorted(p.name for p in db.parent.glob(db.name + ".next*"))


def fingerprint(db: Path) -> tuple[bytes, int]:
    return db.read_bytes(), db.stat().st_mtime_ns


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


# -- what the read commands show ------------------------------------------------------------
@dataclass(frozen=True)
class View:
    """What the read commands show of a zone: the export's files byte for byte, the counts
    and rates of ``stats``, the firms of ``query uncovered`` (by id: ties may come in any
    order). ``None``: not looked at."""

    export: dict[str, bytes] = field(repr=False)
    stats: dict[str, Any] | None = None
    uncovered: list[dict[str, Any]] | None = None

    def shows(self, other: View) -> bool:
        """Whether this view shows the zone ``other`` shows, in everything both looked at."""
        return (
            self.export == other.export
            and (self.stats is None or other.stats is None or self.stats == other.stats)
            and (
                self.uncovered is None
                or other.uncovered is None
                or self.uncovered == other.uncovered
            )
        )


@dataclass
class Reads:
    """The read commands run on a database right after a kill, in this order (``None``:
    not run)."""

    stats: Returned | None
    query: Returned | None
    export: Returned
    files: dict[str, bytes] = field(repr=False)

    def view(self) -> View:
        """What they showed; each must have exited 0."""
        stats = uncovered = None
        if self.stats is not None:
            data = json.loads(ok(self.stats).stdout)
            stats = {"counts": data["counts"], "summary": data["summary"]}
        if self.query is not None:
            uncovered = sorted(json.loads(ok(self.query).stdout), key=lambda r: str(r["id"]))
        ok(self.export)
        assert len(self.files) == len(TABLES), sorted(self.files)
        return View(self.files, stats, uncovered)


def read_zone(db: Path, out: Path) -> Reads:
    """``stats``, ``query uncovered`` and ``export`` on ``db``, as a user runs them."""
    stats = zonegraph(db, "stats", "-f", "json")
    uncovered = zonegraph(db, "query", "uncovered", "-f", "json")
    return Reads(stats, uncovered, *export(db, out))


def export(db: Path, out: Path) -> tuple[Returned, dict[str, bytes]]:
    done = zonegraph(db, "export", str(out))
    files = {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}
    return done, files


def export_here(db: Path, out: Path) -> dict[str, bytes]:
    """The export of ``db``, made in this process: what ``zonegraph export`` does, without
    a second of imports (for checks after a write that was not killed)."""
    store = EmbeddedStore(db, read_only=True)
    try:
        export_zone(store.read(), out)
    finally:
        store.close()
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}


def differences(seen: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """The export files that differ, with their line counts (for failure messages)."""

    def lines(name: str, files: dict[str, bytes]) -> int:
        return files.get(name, b"").count(b"\n")

    return [
        f"{n} ({lines(n, seen)} lines, expected {lines(n, expected)})"
        for n in sorted(set(seen) | set(expected))
        if seen.get(n) != expected.get(n)
    ]


# -- the zones before and after -------------------------------------------------------------
@dataclass
class Lab:
    """The before-database, the inputs of each operation and what uncrashed runs show."""

    root: Path
    before_db: Path
    ops: dict[str, tuple[str, ...]]
    before: View = field(init=False)
    after: dict[str, View] = field(default_factory=dict)
    #: Seconds an uncrashed run of each operation took (whole process, start to exit): the
    #: expected run's, then the reruns after crashes (which run as loaded as the kills do).
    seconds: dict[str, list[float]] = field(default_factory=dict)
    _cases: Iterator[int] = field(default_factory=itertools.count)

    def fresh(self, name: str, op: str = "") -> Path:
        """A new folder holding a copy of the before-database (and for ``scenario apply``,
        of its scenario); the copy."""
        folder = self.root / "cases" / f"{next(self._cases):03d}-{name}"
        folder.mkdir(parents=True)
        db = folder / DB
        shutil.copy2(self.before_db, db)
        if op == "scenario":
            shutil.copytree(self.before_db.parent / "scenarios", folder / "scenarios")
        return db

    def state(self, op: str, seen: View) -> Literal["before", "after"]:
        """Which zone ``seen`` shows: the one before ``op`` or the one after; else fail."""
        if seen.shows(self.before):
            return "before"
        if seen.shows(self.after[op]):
            return "after"
        pytest.fail(
            f"{op}: the zone is neither as before nor as after. Export files differing from "
            f"before: {differences(seen.export, self.before.export)}, from after: "
            f"{differences(seen.export, self.after[op].export)}; stats as before: "
            f"{seen.stats == self.before.stats}, as after: {seen.stats == self.after[op].stats}"
        )

    def typical(self, op: str) -> float:
        """How long an uncrashed run of ``op`` takes here: the median of the reruns so far,
        else the expected run's (measured while the set-up ran more processes at once)."""
        times = self.seconds[op]
        return statistics.median(times[1:] or times)

    def firms(self, view: View) -> int:
        assert view.stats is not None
        count: int = view.stats["counts"]["Enterprise"]
        return count


def _upsert_folder(before: Path, out: Path) -> None:
    """Ten firms changed, twenty new ones, and a supply link from each new one."""
    firms = read_csv(before / "enterprises.csv")
    ids = {f["id"] for f in firms}
    changed = [
        {**f, "employees": str(int(f["employees"]) + 7), "name": f["name"] + "（改）"}
        for f in firms[100:110]
    ]
    new = [
        {**f, "id": f"E9{i:03d}", "name": f"新企业{i}（测试）"}
        for i, f in enumerate(firms[200:220])
    ]
    assert not ids & {f["id"] for f in new}
    links = [
        {"supplier_id": n["id"], "customer_id": firms[300 + i]["id"], "product": "测试件"}
        for i, n in enumerate(new)
    ]
    out.mkdir()
    write_csv(out / "enterprises.csv", changed + new)
    write_csv(out / "supply_links.csv", links)


def _scenario_changes(before: Path) -> list[tuple[str, ...]]:
    """A work coverage for an uncovered firm, an alliance member removed, a supply link."""
    firms = read_csv(before / "enterprises.csv")
    coverage = read_csv(before / "coverage.csv")
    owners = {o["enterprise_id"] for o in read_csv(before / "party_orgs.csv")}
    covered = {c["enterprise_id"] for c in coverage} | owners
    firm = next(f["id"] for f in firms if f["status"] == "operating" and f["id"] not in covered)
    coverer = next(c["coverer_id"] for c in coverage if c["mode"] == "work")
    member = next(m for m in read_csv(before / "alliance_members.csv") if m["role"] == "member")
    links = {(s["supplier_id"], s["customer_id"]) for s in read_csv(before / "supply_links.csv")}
    customer = next(f["id"] for f in firms if f["id"] != firm and (firm, f["id"]) not in links)
    return [
        ("add", "coverage", f"coverer_id={coverer}", f"enterprise_id={firm}", "mode=work"),
        (
            "remove",
            "alliance_members",
            f"alliance_id={member['alliance_id']}",
            f"enterprise_id={member['enterprise_id']}",
        ),
        ("add", "supply_links", f"supplier_id={firm}", f"customer_id={customer}", "product=螺栓"),
    ]


def _after(lab: Lab, op: str) -> tuple[View, float]:
    """What an uncrashed run of ``op`` on a copy of the before-database leaves, and its time."""
    db = lab.fresh(f"expected-{op}", op)
    start = time.monotonic()
    ok(zonegraph(db, *lab.ops[op]))
    seconds = time.monotonic() - start
    assert next_files(db) == []
    return read_zone(db, db.parent / "export").view(), seconds


@pytest.fixture(scope="module")
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="crash-case") as ex:
        try:
            yield ex
        finally:
            ex.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, pool: ThreadPoolExecutor) -> Lab:
    """The demo zone (1,500 generated firms) as the before-database; another demo zone (seed
    7, 1,200 firms) for ``load --replace``; an upsert folder; a scenario made with the CLI;
    and what the read commands show before and after each operation, run uncrashed."""
    root = tmp_path_factory.mktemp("crash")
    before_db = root / "before" / DB
    before_db.parent.mkdir()
    (root / "after-source").mkdir()
    made = [
        pool.submit(
            zonegraph, before_db, "demo", "--firms", "1500", "--out", str(root / "before-csv")
        ),
        pool.submit(
            zonegraph,
            root / "after-source" / DB,
            *("demo", "--firms", "1200", "--seed", "7", "--out", str(root / "replace")),
        ),
    ]
    for done in made:
        ok(done.result())
    _upsert_folder(root / "before-csv", root / "upsert")
    lab = Lab(
        root,
        before_db,
        {
            "replace": ("load", str(root / "replace"), "--replace"),
            "upsert": ("load", str(root / "upsert")),
            "scenario": ("scenario", "apply", SCENARIO),
        },
    )
    before = pool.submit(read_zone, before_db, root / "before-export")
    expected = {op: pool.submit(_after, lab, op) for op in ("replace", "upsert")}
    # Meanwhile the scenario; copies for `scenario apply` are made once it is complete.
    ok(zonegraph(before_db, "scenario", "new", SCENARIO))
    for change in _scenario_changes(root / "before-csv"):
        ok(zonegraph(before_db, "scenario", "add", SCENARIO, *change))
    expected["scenario"] = pool.submit(_after, lab, "scenario")
    lab.before = before.result().view()
    for op, future in expected.items():
        lab.after[op], seconds = future.result()
        lab.seconds[op] = [seconds]
        # Every operation must change what each read command shows, or a test comparing
        # with "before" and "after" could not tell them apart.
        after = lab.after[op]
        assert after.export != lab.before.export, op
        assert after.stats != lab.before.stats, op
        assert after.uncovered != lab.before.uncovered, op
    # The firm count alone tells the zones apart too (what `serve`'s /health shows).
    assert lab.firms(lab.after["replace"]) != lab.firms(lab.before)
    assert lab.firms(lab.after["upsert"]) != lab.firms(lab.before)
    log.info("uncrashed runs (seconds): %s", lab.seconds)
    return lab


# -- killed at each crash point -------------------------------------------------------------
@dataclass
class CrashRun:
    crashed: Returned
    #: The live file's bytes and mtime right after the kill are the before-database's.
    live_untouched: bool
    left: list[str]
    reads: Reads = field(repr=False)
    again: Returned
    final: dict[str, bytes] = field(repr=False)
    left_after_again: list[str]
    #: The scenario's file is still there after the next write (``scenario apply`` only).
    scenario_kept: bool


def scenario_file(db: Path) -> Path:
    return db.parent / "scenarios" / f"{SCENARIO}.json"


def crash_at_point(lab: Lab, op: str, point: str) -> CrashRun:
    db = lab.fresh(f"{op}-{point}", op)
    crashed = zonegraph(db, *lab.ops[op], crash_at=point)
    live_untouched = fingerprint(db) == fingerprint(lab.before_db)
    left = next_files(db)
    reads = read_zone(db, db.parent / "export-crashed")
    start = time.monotonic()
    again = zonegraph(db, *lab.ops[op])
    if again.returncode == 0:
        lab.seconds[op].append(time.monotonic() - start)
    final = export_here(db, db.parent / "export-again")
    kept = scenario_file(db).exists()
    return CrashRun(crashed, live_untouched, left, reads, again, final, next_files(db), kept)


CRASH_CASES = [(op, point) for op, points in POINTS.items() for point in points]


@pytest.mark.parametrize(("op", "point"), CRASH_CASES)
def test_killed_at_a_crash_point(
    lab: Lab, runs: dict[str, Future[Any]], request: pytest.FixtureRequest, op: str, point: str
) -> None:
    run: CrashRun = runs[request.node.nodeid].result()
    assert run.crashed.returncode == -signal.SIGKILL, run.crashed.stderr
    expected = "after" if point == "swapped" else "before"
    if expected == "before":
        # Not only the same rows: the writer never touched the live file at all.
        assert run.live_untouched, "the live database file changed (bytes or mtime)"
    log.info("%s killed at %s: left %s", op, point, run.left)
    # The next commands, of any kind, open it as it is: no recovery, no manual step.
    seen = run.reads.view()
    assert lab.state(op, seen) == expected
    # The next write clears what the killed one left, and lands whole.
    unlike_after = differences(run.final, lab.after[op].export)
    assert unlike_after == []
    assert run.left_after_again == []
    # A scenario applied just before the kill is still there: applying it again is
    # applying it once, and drops it.
    ok(run.again)
    assert not run.scenario_kept  # applied, so dropped


# -- killed from outside at real moments ----------------------------------------------------
@dataclass(frozen=True)
class Moment:
    """When to kill a writer: the ``nth`` time the file ``<db><suffix>`` appears, or (with
    no suffix) at ``fraction`` of an uncrashed run's duration."""

    suffix: str = ""
    nth: int = 1
    fraction: float = 0.0

    def __str__(self) -> str:
        if not self.suffix:
            return f"at-{self.fraction:.0%}"
        return f"{self.suffix}-appears" + (f"-{self.nth}" if self.nth > 1 else "")

    def watch(self, seconds: float) -> Callable[[set[str], float], bool]:
        """A fresh test of (the folder's names, seconds since the start): kill now?"""
        if not self.suffix:
            at = self.fraction * seconds
            return lambda names, elapsed: elapsed >= at
        name, appeared, present = DB + self.suffix, 0, False

        def fire(names: set[str], elapsed: float) -> bool:
            nonlocal appeared, present
            if name in names and not present:
                appeared += 1
            present = name in names
            return appeared >= self.nth

        return fire


#: The files a writer makes, in the order they appear (watched on this machine, LadybugDB
#: 0.22): ``.next`` (a copy, or the new file LadybugDB creates), its ``.wal`` as the
#: transaction writes; then on commit LadybugDB checkpoints: ``.checkpoint.intent.lock`` and
#: ``.checkpoint.apply.lock``, the log moved to ``.wal.checkpoint``, the pages into
#: ``.shadow``; they may come and go again when the file is closed; then
#: ``.next`` is renamed over the live file (the crash point "swapped" stops a writer there).
#: Some of these files live for only milliseconds: on a busy machine the poll can miss one,
#: the writer then finishes, and the case counts as "after" (the log says which it was).
FILE_MOMENTS = (
    Moment(".next"),
    Moment(".next.wal"),
    Moment(".next.checkpoint.intent.lock"),
    Moment(".next.wal.checkpoint"),
    Moment(".next.shadow"),
    Moment(".next.shadow", nth=2),  # the checkpoint on close, after the commit's
)
KILL_CASES = [
    *[("replace", m) for m in FILE_MOMENTS],
    *[("replace", Moment(fraction=f)) for f in (0.2, 0.5, 0.8, 0.95)],
    *[("upsert", m) for m in FILE_MOMENTS],
    *[("upsert", Moment(fraction=f)) for f in (0.9,)],
]
#: After these, the next write runs too (the most files a kill leaves: mid-checkpoint).
WRITE_AGAIN = {Moment(".next.shadow")}


@dataclass
class KillRun:
    returncode: int
    at: float
    typical: float
    names_at_kill: list[str]
    left: list[str]
    reads: Reads = field(repr=False)
    again: Returned | None = None
    final: dict[str, bytes] | None = field(default=None, repr=False)
    left_after_again: list[str] | None = None


def kill_at_moment(lab: Lab, op: str, moment: Moment) -> KillRun:
    db = lab.fresh(f"{op}{moment}", op)
    typical = lab.typical(op)
    fire = moment.watch(typical)
    killed = False
    names: set[str] = set()
    with (db.parent / "stderr.txt").open("w") as err:
        proc = subprocess.Popen(
            _argv(lab.ops[op]), env=_env(db), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err
        )
        start = time.monotonic()
        try:
            while proc.poll() is None and time.monotonic() - start < TIMEOUT:
                names = set(os.listdir(db.parent))
                if fire(names, time.monotonic() - start):
                    proc.kill()
                    killed = True
                    break
                time.sleep(POLL)
            at = time.monotonic() - start
        finally:
            if proc.poll() is None and not killed:
                proc.kill()  # stuck past TIMEOUT: the test fails on its exit code
            proc.wait(timeout=TIMEOUT)
    run = KillRun(
        proc.returncode,
        at,
        typical,
        sorted(n for n in names if n.startswith(DB)),
        next_files(db),
        # The export is the next command: it shows the state, so it is the one run here.
        Reads(None, None, *export(db, db.parent / "export-killed")),
    )
    if moment in WRITE_AGAIN:
        run.again = zonegraph(db, *lab.ops[op])
        run.final = export_here(db, db.parent / "export-again")
        run.left_after_again = next_files(db)
    return run


@pytest.mark.parametrize(("op", "moment"), KILL_CASES, ids=str)
def test_killed_from_outside(
    lab: Lab,
    runs: dict[str, Future[Any]],
    request: pytest.FixtureRequest,
    op: str,
    moment: Moment,
) -> None:
    run: KillRun = runs[request.node.nodeid].result()
    # Killed, or it had finished first (then it must have succeeded).
    assert run.returncode in (0, -signal.SIGKILL), (run.returncode, run.left)
    state = lab.state(op, run.reads.view())
    if run.returncode == 0:
        assert state == "after"
    log.info(
        "%s killed from outside when %s: %s at %.3f s (of %.3f) -> %s; files then %s; left %s",
        op,
        moment,
        "killed" if run.returncode else "finished first",
        run.at,
        run.typical,
        state,
        run.names_at_kill,
        run.left,
    )
    if run.again is not None:
        ok(run.again)
        assert run.final is not None
        unlike_after = differences(run.final, lab.after[op].export)
        assert unlike_after == []
        assert run.left_after_again == []


# -- serve after a crash --------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def health(port: int, proc: subprocess.Popen[bytes]) -> dict[str, Any] | None:
    """``GET /health`` once the server answers 200; ``None`` if it exits or does not answer
    within SERVE_TIMEOUT."""
    deadline = time.monotonic() + SERVE_TIMEOUT
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as resp:
                answer: dict[str, Any] = json.load(resp)
                return answer
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)  # not listening yet (or not 200)
    return None


def serve_after_crash(lab: Lab, op: str, point: str) -> tuple[Returned, dict[str, Any] | None, str]:
    db = lab.fresh(f"serve-{op}-{point}", op)
    crashed = zonegraph(db, *lab.ops[op], crash_at=point)
    port = free_port()
    log_file = db.parent / "serve.txt"
    with log_file.open("w") as out:
        proc = subprocess.Popen(
            _argv(("serve", "--port", str(port))),
            env=_env(db),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            answer = health(port, proc)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return crashed, answer, log_file.read_text()


@pytest.mark.parametrize(("op", "point"), [("replace", "closed"), ("upsert", "swapped")])
def test_serve_opens_a_crashed_database(
    lab: Lab, runs: dict[str, Future[Any]], request: pytest.FixtureRequest, op: str, point: str
) -> None:
    crashed, answer, output = runs[request.node.nodeid].result()
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert answer is not None, f"serve did not answer /health: {output}"
    view = lab.after[op] if point == "swapped" else lab.before
    assert answer == {"status": "ok", "backend": "ladybug", "firms": lab.firms(view)}


# -- a refused load writes nothing ----------------------------------------------------------
def _break(folder: Path, out: Path, file: str, column: str, value: str) -> None:
    shutil.copytree(folder, out)
    rows = read_csv(out / file)
    rows[0][column] = value
    write_csv(out / file, rows)


def refuse(lab: Lab, case: str) -> tuple[Returned, bool, list[str]]:
    db = lab.fresh(f"refused-{case}")
    bad = db.parent / "bad"
    if case == "bad-cell-replace":
        _break(lab.root / "replace", bad, "enterprises.csv", "employees", "many")
        args: tuple[str, ...] = ("load", str(bad), "--replace")
    elif case == "bad-cell-upsert":
        _break(lab.root / "upsert", bad, "enterprises.csv", "employees", "many")
        args = ("load", str(bad))
    else:  # found only when checked against the stored zone, under the write lock
        _break(lab.root / "upsert", bad, "supply_links.csv", "customer_id", "E7777")
        args = ("load", str(bad))
    before = fingerprint(db)
    done = zonegraph(db, *args)
    return done, fingerprint(db) == before, next_files(db)


#: Each refused load, and what its message names.
REFUSALS = {
    "bad-cell-replace": "employees",
    "bad-cell-upsert": "employees",
    "unknown-firm-upsert": "E7777",
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_load_leaves_the_file_untouched(
    runs: dict[str, Future[Any]], request: pytest.FixtureRequest, case: str
) -> None:
    done, untouched, left = runs[request.node.nodeid].result()
    assert done.returncode == 2, done.stderr
    assert REFUSALS[case] in done.stderr
    assert "nothing was written" in done.stderr
    assert untouched  # bytes and mtime
    assert left == []


# -- running the cases side by side ---------------------------------------------------------
#: Each test whose cases run in the pool, and the function that runs one case.
RUNNERS: dict[str, Callable[..., Any]] = {
    "test_killed_at_a_crash_point": crash_at_point,
    "test_killed_from_outside": kill_at_moment,
    "test_serve_opens_a_crashed_database": serve_after_crash,
    "test_a_refused_load_leaves_the_file_untouched": refuse,
}


@pytest.fixture(scope="module")
def runs(
    request: pytest.FixtureRequest, lab: Lab, pool: ThreadPoolExecutor
) -> dict[str, Future[Any]]:
    """Every selected case of this module's pooled tests, submitted at once, by test id."""
    futures: dict[str, Future[Any]] = {}
    for item in request.session.items:
        runner = RUNNERS.get(getattr(item, "originalname", ""))
        callspec = getattr(item, "callspec", None)
        if (
            runner is None
            or callspec is None
            or getattr(item, "module", None) is not request.module
        ):
            continue
        futures[item.nodeid] = pool.submit(runner, lab, **callspec.params)
    return futures
