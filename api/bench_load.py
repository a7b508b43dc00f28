"""``zonegraph bench --load``: many users at once against a real server, on loopback only.

A demo zone is built in a temporary database and served by ``zonegraph serve`` in its own
process (so the clients here do not share the server's interpreter). First one user runs the
mix alone, then ``users`` users run it together for ``seconds`` each; every user keeps one
HTTP connection and sends its next request as soon as the last one answers. Beside them a
probe asks ``/health`` every quarter second, as a container's healthcheck would.

The mix, picked at random (a fixed seed per user) in equal shares: the dashboard page, the
gaps page, a grid's network data, a firm's profile page, and a what-if (one coverage row
added to an uncovered firm, the zone summary before and after).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode

from api.bench import machine
from api.bench_web import _free_port

#: The kinds of request in the mix, in the order the report lists them.
KINDS = ("dashboard", "gaps", "network", "profile", "whatif")

Request = tuple[str, str, bytes | None]  # method, path, JSON body


@dataclass
class Mix:
    """What the users ask for: paths built from the zone's own firms, grids and studios."""

    firms: list[str]
    grids: list[str]
    uncovered: list[str]
    studios: list[str]
    #: The bearer token every user sends (an organizer's: what-ifs need one).
    token: str = ""

    def request(self, kind: str, rng: random.Random) -> Request:
        if kind == "dashboard":
            return "GET", "/", None
        if kind == "gaps":
            return "GET", "/gaps", None
        if kind == "network":
            scope = "grid:" + rng.choice(self.grids)
            return "GET", "/api/graph?" + urlencode({"scope": scope}), None
        if kind == "profile":
            return "GET", "/firms/" + quote(rng.choice(self.firms)), None
        values = {
            "coverer_id": rng.choice(self.studios),
            "enterprise_id": rng.choice(self.uncovered),
            "mode": "work",
        }
        body = {"changes": [{"op": "add", "table": "coverage", "values": values}]}
        return "POST", "/api/whatif", json.dumps(body).encode()


@dataclass
class Tally:
    """Answers of one phase: latency per kind in ms, errors with what they were."""

    ms: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.ms[kind].append(ms)
            else:
                self.errors.append(f"{kind}: {error}")

    def all_ms(self) -> list[float]:
        return [m for values in self.ms.values() for m in values]


def _pct(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _send(conn: http.client.HTTPConnection, req: Request, token: str = "") -> tuple[int, bytes]:
    method, path, body = req
    headers = {"content-type": "application/json"} if body is not None else {}
    if token:
        headers["authorization"] = f"Bearer {token}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def _user(port: int, mix: Mix, seed: int, until: float, tally: Tally) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        while time.monotonic() < until:
            kind = rng.choice(KINDS)
            req = mix.request(kind, rng)
            start = time.perf_counter()
            error: str | None = None
            try:
                status, body = _send(conn, req, mix.token)
                if status != 200:
                    said = body[:300].decode(errors="replace")
                    error = f"{req[0]} {req[1]} -> {status} {said}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{req[0]} {req[1]} -> {type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            tally.add(kind, (time.perf_counter() - start) * 1000, error)
    finally:
        conn.close()


def _probe(port: int, stop: threading.Event, ms: list[float], errors: list[str]) -> None:
    """Ask /health every quarter second until ``stop``, as a healthcheck would."""
    while not stop.wait(0.25):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start = time.perf_counter()
        try:
            status, body = _send(conn, ("GET", "/health", None))
            if status == 200 and "firms" in json.loads(body):
                ms.append((time.perf_counter() - start) * 1000)
            else:
                errors.append(f"/health -> {status}")
        except (OSError, http.client.HTTPException, ValueError) as exc:
            errors.append(f"/health -> {type(exc).__name__}: {exc}")
        finally:
            conn.close()


def run_phase(port: int, mix: Mix, users: int, seconds: float) -> tuple[Tally, list[float]]:
    """``users`` users for ``seconds``, and the /health probe's latencies meanwhile."""
    tally, health_ms, health_errors = Tally(), [], []  # type: ignore[var-annotated]
    stop = threading.Event()
    probe = threading.Thread(target=_probe, args=(port, stop, health_ms, health_errors))
    start = time.monotonic()
    until = start + seconds
    threads = [
        threading.Thread(target=_user, args=(port, mix, 1000 + i, until, tally))
        for i in range(users)
    ]
    probe.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.seconds = time.monotonic() - start
    stop.set()
    probe.join()
    tally.errors += health_errors
    return tally, health_ms


def _build_zone(path: Path, firms: int) -> Mix:
    from api.accounts import AccountBook
    from graph_model.store.embedded import EmbeddedStore
    from loaders.demo import demo_tables
    from loaders.load import load_tables

    tables = demo_tables(firms=firms)
    store = EmbeddedStore(path)
    try:
        load_tables(store, tables, source="demo")
    finally:
        store.close()
    covered = {str(c["enterprise_id"]) for c in tables["coverage"]}
    operating = [e for e in tables["enterprises"] if e.get("status") == "operating"]
    return Mix(
        firms=[str(e["id"]) for e in tables["enterprises"]],
        grids=sorted({str(e["grid"]) for e in tables["enterprises"] if e.get("grid")}),
        uncovered=[str(e["id"]) for e in operating if str(e["id"]) not in covered],
        studios=[str(s["id"]) for s in tables["studios"]],
        # The server finds its accounts beside the database (see _serve's environment).
        token=AccountBook(path.with_name(path.name + ".accounts")).create_token(
            "organizer", name="bench", created_by="bench"
        )[1],
    )


def _serve(db: Path, tmp: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZONEGRAPH_", "NEO4J_"))}
    env |= {
        "ZONEGRAPH_DB": str(db),
        "ZONEGRAPH_SCENARIOS": str(tmp / "scenarios"),
        "ZONEGRAPH_UPLOADS": str(tmp / "uploads"),
    }
    command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1"]
    log = tmp / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*command, "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            said = log.read_text(errors="replace").strip().splitlines()[-1:]
            raise RuntimeError(f"the server stopped (exit {server.returncode}): {said}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            if _send(conn, ("GET", "/health", None))[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not answer /health within 300 s")


@dataclass
class LoadReport:
    firms: int
    users: int
    seconds: float
    single: Tally
    many: Tally
    health_ms: list[float]


def load_bench(
    firms: int, users: int, seconds: float, single_seconds: float | None = None
) -> LoadReport:
    """Build a zone of ``firms`` firms, serve it, and run one user, then ``users`` users."""
    with tempfile.TemporaryDirectory(prefix="zonegraph-load-") as name:
        tmp = Path(name)
        mix = _build_zone(tmp / "zone.lbug", firms)
        port = _free_port()
        server = _serve(tmp / "zone.lbug", tmp, port)
        try:
            # Warm up: every kind once, so the first measured requests do not fill caches.
            for kind in KINDS:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                _send(conn, mix.request(kind, random.Random(0)), mix.token)
                conn.close()
            single, _ = run_phase(port, mix, 1, single_seconds or min(seconds, 30.0))
            many, health_ms = run_phase(port, mix, users, seconds)
        finally:
            server.terminate()
            server.wait(timeout=60)
    return LoadReport(firms, users, seconds, single, many, health_ms)


def load_markdown(
    sizes: list[int], users: int, seconds: float, progress: Callable[[str], None] | None = None
) -> Iterator[str]:
    """The load benchmark as markdown, line by line: one table per zone size."""
    yield (
        f"Machine: {machine()}; date {date.today().isoformat()}; {users} users for "
        f"{seconds:g} s after one user alone for {min(seconds, 30.0):g} s; loopback."
    )
    for firms in sizes:
        r = load_bench(firms, users, seconds)
        many, single = r.many, r.single
        total = len(many.all_ms())
        yield from [
            "",
            f"#### {firms:,} firms",
            "",
            f"{users} users: {total:,} answers in {many.seconds:.1f} s "
            f"({total / many.seconds:.1f} requests/s), {len(many.errors)} errors; "
            f"one user alone: {len(single.all_ms()) / single.seconds:.1f} requests/s, "
            f"{len(single.errors)} errors.",
            "",
            f"`/health` during the load: {len(r.health_ms)} answers, p50 "
            f"{_pct(r.health_ms, 50):,.1f} ms, max "
            f"{max(r.health_ms, default=float('nan')):,.1f} ms.",
            "",
            f"| request | answers | p50 ms ({users} users) | p99 ms ({users} users) "
            "| p50 ms (one user) | p50 ratio |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind in (*KINDS, "all"):
            ms = many.all_ms() if kind == "all" else many.ms[kind]
            alone = single.all_ms() if kind == "all" else single.ms[kind]
            ratio = _pct(ms, 50) / _pct(alone, 50) if ms and alone else float("nan")
            yield (
                f"| {kind} | {len(ms):,} | {_pct(ms, 50):,.1f} | {_pct(ms, 99):,.1f} "
                f"| {_pct(alone, 50):,.1f} | {ratio:.1f}× |"
            )
        if progress is not None:
            for error in (single.errors + many.errors)[:10]:
                progress(error)


def load_command(sizes: str, users: int, seconds: float) -> int:
    """``zonegraph bench --load``: print the report; exit status 1 if any request failed."""
    import typer

    try:
        firms = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter("--sizes wants whole numbers, e.g. 1500,100000") from None
    failed: list[str] = []
    for line in load_markdown(firms, users, seconds, failed.append):
        typer.echo(line)
    for error in failed:
        typer.echo(f"error: {error}", err=True)
    return 1 if failed else 0
