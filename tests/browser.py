"""What every browser test shares: Debian's Chromium driven by Playwright, a real uvicorn
server over the demo zone, pages that may reach only that server, and screenshots.

Its fixtures (``base_url``, ``browser``, ``page``) reach every test module through
``pytest_plugins`` in ``conftest.py``; a module that uses them is marked with
:data:`needs_chromium`. Any console error, page error or
request off the local server fails the test that caused it. Screenshots go to
``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, Route, sync_playwright

from graph_model.store.embedded import EmbeddedStore
from tests.auth import session_cookie
from tests.test_pages import make_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TIMEOUT_MS = 60_000
#: A street of the demo zone (the one the article names).
STREET = "锦程街道"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (`make test` installs Debian's chromium)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """A uvicorn server on 127.0.0.1 for ``app``, in a thread; yields its base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(demo_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over the demo zone (read by the tests; the tests that write use their own)."""
    with serve(make_app(demo_store, tmp_path_factory.mktemp("scenarios"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def local_page(
    browser: Browser, base_url: str, role: str = "organizer", **context_args: object
) -> Iterator[Page]:
    """A page signed in as ``role`` that may reach only ``base_url``'s server; a console
    error, a page error or a request off the server fails the test when it closes.
    ``context_args`` go to ``browser.new_context`` (a phone's viewport, say)."""
    options: dict[str, object] = {"viewport": {"width": 1400, "height": 1000}} | context_args
    context = browser.new_context(base_url=base_url, **options)  # type: ignore[arg-type]
    name, value = session_cookie(role)
    context.add_cookies([{"name": name, "value": value, "url": base_url}])
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    blocked: list[str] = []

    def only_local(route: Route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    p = context.new_page()
    p.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    try:
        yield p
    finally:
        context.close()
    assert not blocked, f"requests off this server: {blocked}"
    assert not errors, errors


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh page over the demo zone's server, signed in as an organizer (what-ifs need
    one; the sign-in page has its own test)."""
    with local_page(browser, base_url, accept_downloads=True) as p:
        yield p


def wait_until(page: Page, predicate: str, arg: object = None) -> None:
    """Until a JavaScript predicate holds. Polled with ``evaluate``: ``wait_for_function``
    builds its predicate with eval in the page, which the pages' CSP forbids."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not page.evaluate(predicate, arg):
        assert time.monotonic() < deadline, f"never true: {predicate}"
        page.wait_for_timeout(50)


def wait_for_network(page: Page, scope: str | None = None) -> None:
    """Until the network's first draw (of ``scope``, if given)."""
    wait_until(page, "() => window.zonegraphNetworkReady === true")
    if scope is not None:
        wait_until(page, "s => document.getElementById('network').dataset.scope === s", scope)


def shoot(page: Page, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
