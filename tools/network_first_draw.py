"""First draw of the network page at the cap, in Chromium: the numbers of docs/benchmarks.md
("Network view first draw").

    .venv/bin/python tools/network_first_draw.py [--firms 1500] [--repeat 3]

A real server (uvicorn on 127.0.0.1) over the demo zone in a temporary database, Debian's
headless Chromium with every non-local request blocked. Each scope is timed from navigation
start to the page's first drawing with labels placed (``window.zonegraphNetworkReady``), the
median of ``--repeat`` fresh pages, and how much of it the page spent waiting for the
``/api/graph`` answer (the server's share); it prints a markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.bench_web import CHROMIUM, CHROMIUM_ARGS, _free_port  # noqa: E402
from graph_model.settings import load_settings  # noqa: E402
from graph_model.store.embedded import EmbeddedStore  # noqa: E402
from loaders.demo import demo_tables  # noqa: E402
from loaders.load import load_tables  # noqa: E402

#: The views the issue measured on the demo zone: the zone, a street, alliance A1 at two
#: hops (aggregated over the page's cap), and the largest firm's two-hop supply chain.
SCOPES = [("zone", 1), ("street:锦程街道", 1), ("alliance:A1", 2), ("firm:E0011", 2)]


def largest_drawn(store: EmbeddedStore) -> tuple[str, int]:
    """The street or alliance view with the most nodes still drawn one by one at the page's
    cap: the heaviest first draw the cap allows."""
    from viz.graphdata import VIEW_CAP
    from viz.scoped import scope_payload

    candidates = [
        (f"street:{r['v']}", 1)
        for r in store.run("MATCH (e:Enterprise) RETURN DISTINCT e.street AS v")
        if r["v"]
    ]
    candidates += [
        (f"alliance:{r['id']}", h)
        for r in store.run("MATCH (a:Alliance) RETURN a.id AS id")
        for h in (1, 2)
    ]
    sized = []
    for scope, hops in candidates:
        payload = scope_payload(store, scope, hops, VIEW_CAP)
        if not payload["aggregated"]:
            sized.append((len(payload["nodes"]), scope, hops))
    _, scope, hops = max(sized)
    return scope, hops


#: How long the page waited for its /api/graph answer (request start to last byte).
GRAPH_MS = (
    "performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/graph?'))"
    ".map((e) => e.responseEnd - e.startTime)[0] || 0"
)


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from api.accounts import open_accounts
    from api.app import create_app

    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out = sys.stdout.write
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug")
        store.apply_schema()
        load_tables(store, demo_tables(firms=args.firms), source="demo")
        settings = load_settings(
            ZONEGRAPH_ACCOUNTS=Path(tmp) / "accounts.sqlite", ZONEGRAPH_SCENARIOS=Path(tmp) / "s"
        )
        token = open_accounts(settings).create_token("viewer", created_by="bench")[1]
        auth = {"Authorization": f"Bearer {token}"}
        port = _free_port()
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
        out(
            "| scope | hops | nodes drawn | aggregated "
            f"| first draw, ms (median of {args.repeat}) | of which `/api/graph`, ms |\n"
        )
        out("|---|---:|---:|---|---:|---:|\n")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for scope, hops in [*SCOPES, largest_drawn(store)]:
                    draws, answers = [], []
                    nodes, aggregated = 0, False
                    for _ in range(args.repeat):
                        page = browser.new_page(
                            extra_http_headers=auth, viewport={"width": 1400, "height": 900}
                        )
                        page.route(
                            "**/*",
                            lambda route: (
                                route.continue_()
                                if route.request.url.startswith(base)
                                else route.abort()
                            ),
                        )
                        page.goto(f"{base}/network?{urlencode({'scope': scope, 'hops': hops})}")
                        deadline = time.monotonic() + 180
                        while not page.evaluate("window.zonegraphNetworkReady === true"):
                            if time.monotonic() > deadline:
                                raise TimeoutError(f"{scope} did not draw in 180 s")
                            time.sleep(0.02)
                        draws.append(float(page.evaluate("performance.now()")))
                        answers.append(float(page.evaluate(GRAPH_MS)))
                        nodes = int(page.evaluate("window.zonegraphNet.M.present.size"))
                        aggregated = bool(page.evaluate("window.zonegraphNet.M.payload.aggregated"))
                        page.close()
                    out(
                        f"| `{scope}` | {hops} | {nodes} | {'yes' if aggregated else 'no'} "
                        f"| {statistics.median(draws):,.0f} | {statistics.median(answers):,.0f} |\n"
                    )
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            store.close()


if __name__ == "__main__":
    main()
