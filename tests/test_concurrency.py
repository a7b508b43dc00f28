"""Many readers at once: the same answers as one at a time, /health and reads never queued
behind a long read, a write landing while readers read, and the load benchmark's own run."""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph_model.changes import ChangeSet, Origin
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from graph_model.store.readers import Gate
from loaders.load import load_tables
from queries.catalog import run_query
from tests.auth import bearer
from tests.test_cli import zonegraph
from tests.zones import small_zone

AT = Origin("test.csv", 2)


@pytest.fixture
def client(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[TestClient]:
    """The app over the small zone (the one place a test client is made here)."""
    load_tables(embedded, small_zone(), source="test")
    settings = Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios")
    with TestClient(create_app(settings, embedded), headers=bearer()) as c:
        yield c


def _reads(store: EmbeddedStore) -> dict[str, Callable[[], Any]]:
    """Catalog queries and whole-zone reads whose answers a user compares."""
    street = run_query(store, "coverage_by", {"level": "street"})[0]["group"]
    calls: dict[str, Callable[[], Any]] = {
        "uncovered": lambda: run_query(store, "uncovered"),
        "zone_summary": lambda: run_query(store, "zone_summary"),
        "coverage_by": lambda: run_query(store, "coverage_by", {"level": "grid"}),
        "org_tree": lambda: run_query(store, "org_tree"),
        "alliance_reach": lambda: run_query(store, "alliance_reach", {"alliance": "A1"}),
        "clusters": lambda: run_query(store, "suggested_clusters", {"scope": f"street:{street}"}),
        "counts": store.counts,
        "firms": lambda: sorted(map(repr, store.read().rows("enterprises"))),
    }
    return calls


def test_many_concurrent_reads_give_the_same_answers_as_serial_ones(
    demo_store: EmbeddedStore,
) -> None:
    calls = _reads(demo_store)
    serial = {name: call() for name, call in calls.items()}
    jobs = [name for name in calls for _ in range(4)]
    random.Random(7).shuffle(jobs)
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda name: (name, calls[name]()), jobs))
    assert len(answers) == len(jobs)
    for name, answer in answers:
        assert answer == serial[name], name


def _long_read(store: EmbeddedStore, holding: threading.Event, release: threading.Event) -> Any:
    """A read transaction that stays open until ``release``: what it saw, first and last."""
    with store._snapshot() as run:
        first = run("MATCH (e:Enterprise) RETURN count(*) AS n", None)[0]["n"]
        holding.set()
        release.wait()
        last = run("MATCH (e:Enterprise) RETURN count(*) AS n", None)[0]["n"]
    return first, last


def _answers(call: Callable[[], Any]) -> Any:
    """``call``'s result, run in another thread so a request queued for ever fails the test
    instead of hanging it (the wait is a deadlock guard, not a speed limit)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result(timeout=120)


def test_health_reads_and_a_write_answer_while_a_long_read_holds_its_file(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    holding, release = threading.Event(), threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        held = pool.submit(_long_read, embedded, holding, release)
        try:
            assert holding.wait(timeout=120)
            health = _answers(lambda: client.get("/health"))
            assert health.status_code == 200
            assert health.json() == {"status": "ok", "backend": "ladybug", "firms": 7}
            summary = _answers(lambda: client.get("/api/queries/zone_summary"))
            assert summary.status_code == 200

            # A write neither waits for the long read nor refuses it; later reads see it.
            changes = ChangeSet()
            changes.upsert("enterprises", {"id": "E9", "name": "Iota"}, AT)
            _answers(lambda: embedded.apply(changes))
            assert _answers(lambda: client.get("/health")).json()["firms"] == 8
        finally:
            release.set()
        # The long read kept reading the zone as it was when it started.
        assert held.result(timeout=120) == (7, 7)
    assert client.get("/health").json()["firms"] == 8


def test_readers_during_writes_see_each_write_whole_and_in_order(
    embedded: EmbeddedStore,
) -> None:
    load_tables(embedded, small_zone(), source="test")
    query = "MATCH (e:Enterprise {id: 'E5'}) RETURN e.party_members AS n"
    original = embedded.run(query)[0]["n"]
    written = list(range(100, 106))
    stop = threading.Event()

    def reader() -> list[int]:
        seen = []
        while not stop.is_set():
            seen.append(embedded.run(query)[0]["n"])
        return seen

    with ThreadPoolExecutor(max_workers=4) as pool:
        readers = [pool.submit(reader) for _ in range(4)]
        try:
            for value in written:
                changes = ChangeSet()
                changes.upsert("enterprises", {"id": "E5", "party_members": value}, AT)
                embedded.apply(changes)
        finally:
            stop.set()
        seen = [r.result(timeout=120) for r in readers]
    order = [original, *written]
    for values in seen:
        assert values, "every reader read"
        assert set(values) <= set(order)
        positions = [order.index(v) for v in values]
        assert positions == sorted(positions), "a reader never goes back to an older zone"
    assert embedded.run(query)[0]["n"] == written[-1]


def test_the_load_benchmark_runs_and_reports_no_errors(tmp_path: Path) -> None:
    done = zonegraph(
        tmp_path / "unused.lbug",
        *("bench", "--load", "--sizes", "400", "--users", "2", "--seconds", "2"),
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"2 users: [\d,]+ answers in [\d.]+ s \([\d.]+ requests/s\), 0 errors", out)
    assert "one user alone:" in out and ", 0 errors." in out
    assert re.search(r"`/health` during the load: [1-9]\d* answers", out)
    total = re.search(r"^\| all \| ([\d,]+) \|", out, re.M)
    assert total is not None and int(total[1].replace(",", "")) > 0


def test_a_query_run_alone_waits_for_running_ones_and_holds_back_new_ones() -> None:
    # What a read that found the buffer pool full relies on to succeed on its second try.
    gate = Gate(2)
    events: list[str] = []
    first_in, release_first, alone_asked = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with gate.held():
            events.append("first in")
            first_in.set()
            release_first.wait()
            events.append("first out")

    def alone() -> None:
        alone_asked.set()
        with gate.held(alone=True):
            events.append("alone")

    def later() -> None:
        with gate.held():
            events.append("later")

    with ThreadPoolExecutor(max_workers=3) as pool:
        a = pool.submit(first)
        assert first_in.wait(timeout=120)
        b = pool.submit(alone)
        assert alone_asked.wait(timeout=120)
        while not gate.waiting_alone():  # the alone query has asked and is waiting
            threading.Event().wait(0.01)
        c = pool.submit(later)
        release_first.set()
        for f in (a, b, c):
            f.result(timeout=120)
    assert events == ["first in", "first out", "alone", "later"]
