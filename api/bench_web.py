"""``zonegraph bench --web``: time to first draw of the network page, and API latency.

A real server (uvicorn, loopback only) over a demo zone in a temporary database, and
Debian's headless Chromium driven by Playwright with every non-local request blocked.
"""

from __future__ import annotations

import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from graph_model.settings import load_settings
from graph_model.store.embedded import EmbeddedStore
from loaders.demo import demo_tables
from loaders.load import load_tables
from viz.graphdata import DEFAULT_CAP
from viz.scoped import scope_payload

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _scopes(store: EmbeddedStore, targets: list[int]) -> list[tuple[str, int, int]]:
    """(scope, hops, nodes sent) closest to each target node count."""
    candidates: list[tuple[str, int]] = [("zone", 1)]
    for level in ("street", "grid"):
        rows = store.run(f"MATCH (e:Enterprise) RETURN DISTINCT e.{level} AS v")
        candidates += [(f"{level}:{r['v']}", 1) for r in rows if r["v"]]
    alliances = store.run("MATCH (a:Alliance) RETURN a.id AS id")
    candidates += [(f"alliance:{a['id']}", h) for a in alliances for h in (1, 2)]
    sized = []
    for scope, hops in candidates:
        payload = scope_payload(store, scope, hops, DEFAULT_CAP)
        sized.append((scope, hops, len(payload["nodes"]), payload["aggregated"]))
    chosen = []
    for target in targets:
        scope, hops, nodes, _ = min(
            (c for c in sized if not c[3]), key=lambda c: abs(c[2] - target)
        )
        chosen.append((scope, hops, nodes))
    return chosen


def web_bench(firms: int = 1500, requests: int = 200, runs: int = 3) -> str:
    """A markdown report of first-draw times and gaps-list latency."""
    import urllib.request

    import uvicorn
    from playwright.sync_api import sync_playwright

    from api.accounts import open_accounts
    from api.app import create_app

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug")
        store.apply_schema()
        load_tables(store, demo_tables(firms=firms), source="demo")
        scopes = _scopes(store, [100, 1000, DEFAULT_CAP])
        port = _free_port()
        settings = load_settings(ZONEGRAPH_ACCOUNTS=Path(tmp) / "accounts.sqlite")
        token = open_accounts(settings).create_token("viewer", created_by="bench")[1]
        auth = {"Authorization": f"Bearer {token}"}
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, store), host="127.0.0.1", port=port, log_level="warning"
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        try:
            gaps = f"{base}/api/queries/uncovered?per_page=100"
            with urllib.request.urlopen(urllib.request.Request(gaps, headers=auth), timeout=60):
                pass  # warm up
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                request = urllib.request.Request(gaps, headers=auth)
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                times.append((time.perf_counter() - start) * 1000)
            q = statistics.quantiles(times, n=100)
            lines += [
                f"API `GET /api/queries/uncovered?per_page=100` ({firms:,} firms, {requests} "
                f"sequential requests): p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms.",
                "",
                f"| scope | hops | nodes drawn | first draw, ms (median of {runs}) |",
                "|---|---:|---:|---:|",
            ]
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for scope, hops, nodes in scopes:
                    draws = []
                    for _ in range(runs):
                        page = browser.new_page(extra_http_headers=auth)
                        page.route(
                            "**/*",
                            lambda route: (
                                route.continue_()
                                if route.request.url.startswith(base)
                                else route.abort()
                            ),
                        )
                        url = f"{base}/network?{urlencode({'scope': scope, 'hops': hops})}"
                        page.goto(url)
                        # Polled with evaluate: the pages' CSP forbids the eval that
                        # wait_for_function needs.
                        deadline = time.monotonic() + 180
                        while not page.evaluate("window.zonegraphNetworkReady === true"):
                            if time.monotonic() > deadline:
                                raise TimeoutError(f"{scope} did not draw in 180 s")
                            time.sleep(0.05)
                        draws.append(float(page.evaluate("performance.now()")))
                        page.close()
                    lines.append(
                        f"| `{scope}` | {hops} | {nodes} | {statistics.median(draws):,.0f} |"
                    )
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            store.close()
    return "\n".join(lines)
