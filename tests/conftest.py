"""Fixtures: one ``store`` over every backend, a clean environment for every test."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph_model.store import Store
from graph_model.store.embedded import EmbeddedStore

#: The browser tests' fixtures (``base_url``, ``browser``, ``page``) for every module.
pytest_plugins = ("tests.browser",)

#: One accounts file for the whole run, away from the working folder (tests that need their
#: own set ZONEGRAPH_ACCOUNTS themselves); set before any settings are read.
ACCOUNTS = Path(tempfile.mkdtemp(prefix="zonegraph-accounts-")) / "accounts.sqlite"
os.environ["ZONEGRAPH_ACCOUNTS"] = str(ACCOUNTS)

#: Variables that would change a result; cleared for every test so a developer's shell can't.
_ENV = (
    "ZONEGRAPH_BACKEND",
    "ZONEGRAPH_DB",
    "ZONEGRAPH_HOST",
    "ZONEGRAPH_PORT",
    "ZONEGRAPH_SECRET",
    "ZONEGRAPH_BATCH_SIZE",
    "ZONEGRAPH_CHROMIUM",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
)
NEO4J_URI = os.environ.get("NEO4J_URI")
#: Tests replace the Neo4j database's contents; they only do so when it is empty or this is "1".
WIPE_OK = "ZONEGRAPH_TEST_NEO4J_WIPE"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*_ENV, "NEO4J_URI"):
        monkeypatch.delenv(name, raising=False)


def _neo4j_store() -> Store:
    from graph_model.settings import Settings
    from graph_model.store.neo4j import Neo4jStore

    settings = Settings(
        NEO4J_URI=NEO4J_URI,
        NEO4J_USER=os.environ.get("NEO4J_USER", "neo4j"),
        NEO4J_PASSWORD=os.environ.get("NEO4J_PASSWORD"),
        NEO4J_DATABASE=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )
    store = Neo4jStore.from_settings(settings)
    store.apply_schema()
    return store


def _empty_neo4j_store() -> Store:
    """The Neo4j test database, emptied; refuses to wipe data it did not put there."""
    from graph_model.mapping import Zone

    store = _neo4j_store()
    if any(store.counts().values()) and os.environ.get(WIPE_OK) != "1":
        store.close()
        pytest.skip(
            f"the Neo4j database at NEO4J_URI is not empty; set {WIPE_OK}=1 to let tests replace it"
        )
    store.replace(Zone())
    return store


@pytest.fixture(
    params=[
        "embedded",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI is not set"),
            ],
        ),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A real, empty store of each backend (Neo4j's database is replaced by each load)."""
    s: Store = (
        EmbeddedStore(tmp_path / "zone.lbug") if request.param == "embedded" else _neo4j_store()
    )
    if request.param == "embedded":
        s.apply_schema()
    else:
        from graph_model.mapping import Zone

        s.replace(Zone())
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A real, empty embedded store, for tests about the embedded database itself."""
    s = EmbeddedStore(tmp_path / "zone.lbug")
    s.apply_schema()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The demo zone in a real embedded database, built once; tests only read it."""
    from loaders.demo import demo_tables
    from loaders.load import load_tables

    s = EmbeddedStore(tmp_path_factory.mktemp("demo") / "zone.lbug")
    s.apply_schema()
    load_tables(s, demo_tables(), source="demo")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="module")
def shared_store() -> Iterator[EmbeddedStore]:
    """One real database for a module of property tests; each example replaces its graph."""
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "zone.lbug")
        store.apply_schema()
        yield store
        store.close()


@pytest.fixture(scope="module")
def demo_client(
    demo_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app (API and pages) over the demo zone, with an admin's bearer token."""
    from tests.auth import bearer
    from tests.test_pages import make_app

    with TestClient(
        make_app(demo_store, tmp_path_factory.mktemp("scenarios")), headers=bearer()
    ) as c:
        yield c
