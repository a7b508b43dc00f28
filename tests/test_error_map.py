"""One map from each domain error to its HTTP status and exit code, and the API, the pages
and the command line all answering by it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from api import cli
from api.app import create_app
from api.pages_common import error_page
from graph_model import errors
from graph_model.errors import OUTCOMES, Problem, ValidationFailed, ZonegraphError
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from tests.auth import bearer


def every_error() -> list[type[ZonegraphError]]:
    found: list[type[ZonegraphError]] = []
    todo = [ZonegraphError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__name__)


def instance(cls: type[ZonegraphError]) -> ZonegraphError:
    if issubclass(cls, ValidationFailed):
        return cls([Problem("firms.csv", 3, "employees", "many", "is not a whole number")])
    return cls("what went wrong")


ERRORS = {cls.__name__: cls for cls in every_error()}


@pytest.fixture
def client(embedded: EmbeddedStore, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios"), embedded)

    @app.get("/api/test-raise/{name}", include_in_schema=False)
    def api_raise(name: str) -> None:
        raise instance(ERRORS[name])

    @app.get("/test-page/{name}", include_in_schema=False)
    def page_caught(name: str, request: Request) -> HTMLResponse:
        return error_page(request, instance(ERRORS[name]))

    @app.get("/test-page-raise/{name}", include_in_schema=False)
    def page_raised(name: str) -> HTMLResponse:
        raise instance(ERRORS[name])

    with TestClient(app, raise_server_exceptions=False, headers=bearer()) as c:
        yield c


def test_every_error_class_has_its_own_entry() -> None:
    assert set(every_error()) == set(OUTCOMES)


def test_the_map_says_what_each_boundary_promises() -> None:
    # README and the CLI's docstring: exit 2 bad input, 1 the database; 503 means retry.
    assert OUTCOMES[errors.StoreLocked] == OUTCOMES[errors.StoreBusy] == errors.Outcome(503, 1)
    assert OUTCOMES[errors.StoreUnavailable] == errors.Outcome(503, 1)
    assert OUTCOMES[errors.NotFound] == OUTCOMES[errors.UnknownQuery] == errors.Outcome(404, 2)
    assert OUTCOMES[errors.ValidationFailed] == OUTCOMES[errors.BadParameter]
    for cls, outcome in OUTCOMES.items():
        database = issubclass(cls, errors.StoreError) or cls is ZonegraphError
        assert outcome.exit_code == (1 if database else 2), cls


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_the_api_and_the_pages_answer_with_the_maps_status(client: TestClient, name: str) -> None:
    expected = OUTCOMES[ERRORS[name]].status
    api = client.get(f"/api/test-raise/{name}")
    assert api.status_code == expected
    assert api.json()["error"] == name and api.json()["detail"]
    for page in (f"/test-page/{name}", f"/test-page-raise/{name}"):
        r = client.get(page, headers={"accept": "text/html"}, follow_redirects=False)
        if name == "NotSignedIn" and page.startswith("/test-page-raise/"):
            # A page raising it sends the browser to sign in instead.
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
            continue
        assert r.status_code == expected, page
        assert r.headers["content-type"].startswith("text/html")
        assert "error-box" in r.text


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_the_cli_exits_with_the_maps_code_in_plain_lines(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = typer.Typer()

    @fake.command()
    def fail() -> None:
        raise instance(ERRORS[name])

    monkeypatch.setattr(cli, "app", fake)
    monkeypatch.setattr("sys.argv", ["zonegraph"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == OUTCOMES[ERRORS[name]].exit_code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    if name == "ValidationFailed":
        assert lines[0] == "firms.csv:3: employees: 'many' is not a whole number"
    else:
        assert lines == ["error: what went wrong"]
