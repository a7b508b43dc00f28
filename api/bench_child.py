"""The measured steps of ``zonegraph bench``, each run as its own process.

Each step runs in a child process so that its peak memory is its own (the parent reads it
with ``os.wait4``) and a load is timed as a user would see it: ``python -m api.bench_child
STEP FOLDER DB REPEAT`` prints one JSON object on stdout.

Steps:

``copy``
    The baseline: plain LadybugDB ``COPY`` of ``enterprises.csv`` and ``supply_links.csv``
    into an empty database with just those two tables, nothing checked.
``networkx``
    The analyst's way: pandas reads the same two files and builds a networkx ``DiGraph``.
``answers``
    pandas + networkx (and scipy for the reach) computing the same answers as the catalog
    queries we compare: uncovered first page with its total, coverage by street and grid,
    the zone summary, an alliance's 3-hop reach. Each answer is derived from the files'
    tables on every run, as the database derives nothing it does not store.
``queries``
    Every catalog query on the loaded database, warm: p50 and p95 of ``REPEAT`` runs after
    one warm-up run.
``pages``
    Every page and the network view's data through a real server (uvicorn on loopback,
    signed in with a bearer token), warm, the same way.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: A query whose warm-up run takes longer than this is reported from that one run.
BUDGET_S = 20.0
#: Zone-wide clusters and bridges are measured up to this many firms (see docs/benchmarks.md).
ZONE_WIDE_MAX = 100_000
PAGE = 100


def _times(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """Warm times of ``fn``: ``repeat`` runs after a warm-up, or, when the warm-up takes
    longer than :data:`BUDGET_S`, the one run after it."""
    start = time.perf_counter()
    result = fn()  # warm-up: caches (the planners' projection) are built here
    first = time.perf_counter() - start
    times = []
    for _ in range(1 if first > BUDGET_S else repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def _stats(times: list[float]) -> dict[str, float | int]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "runs": len(ordered),
    }


def copy_baseline(folder: Path, db: Path) -> dict[str, Any]:
    """Plain ``COPY`` of the two big files into a fresh LadybugDB (types from the schema)."""
    import ladybug

    from graph_model.schema import NODES, RELS

    start = time.perf_counter()
    header = (folder / "enterprises.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    types = {p.name: p.type.value for p in NODES["Enterprise"].props}
    columns = ", ".join(f"{c} {types[c]}" for c in header.split(","))
    product = RELS["SUPPLIES"].props[0]
    conn = ladybug.Connection(ladybug.Database(str(db)))
    conn.execute(f"CREATE NODE TABLE Enterprise({columns}, PRIMARY KEY(id))")
    conn.execute(f"CREATE REL TABLE SUPPLIES(FROM Enterprise TO Enterprise, {product.name} STRING)")
    conn.execute(f"COPY Enterprise FROM '{folder / 'enterprises.csv'}' (HEADER=true)")
    conn.execute(f"COPY SUPPLIES FROM '{folder / 'supply_links.csv'}' (HEADER=true)")
    return {"seconds": time.perf_counter() - start}


def networkx_baseline(folder: Path) -> dict[str, Any]:
    """pandas reads the two files; networkx builds the directed supply graph."""
    import networkx as nx
    import pandas as pd

    start = time.perf_counter()
    firms = pd.read_csv(folder / "enterprises.csv", dtype={"id": str})
    links = pd.read_csv(folder / "supply_links.csv", dtype=str)
    graph = nx.DiGraph()
    graph.add_nodes_from(firms["id"])
    graph.add_edges_from(zip(links["supplier_id"], links["customer_id"], strict=True))
    return {"seconds": time.perf_counter() - start, "nodes": graph.number_of_nodes()}


def answers(folder: Path, repeat: int) -> dict[str, Any]:
    """The compared answers computed from the files with pandas, networkx and scipy."""
    import networkx as nx
    import numpy as np
    import pandas as pd
    from scipy import sparse

    def read(name: str, **kw: Any) -> pd.DataFrame:
        frame: pd.DataFrame = pd.read_csv(
            folder / f"{name}.csv", dtype=str, keep_default_na=False, **kw
        )
        return frame

    firms = read("enterprises", usecols=["id", "name", "street", "grid", "status", "party_members"])
    links = read("supply_links", usecols=["supplier_id", "customer_id"])
    coverage = read("coverage")
    orgs = read("party_orgs", usecols=["enterprise_id"])
    members = read("alliance_members")
    leads = read("alliances")
    graph = nx.DiGraph()
    graph.add_nodes_from(firms["id"])
    graph.add_edges_from(zip(links["supplier_id"], links["customer_id"], strict=True))

    def states() -> pd.DataFrame:
        own = firms["id"].isin(orgs["enterprise_id"])
        org = own | firms["id"].isin(
            coverage.loc[coverage["mode"] == "organization", "enterprise_id"]
        )
        work = firms["id"].isin(coverage.loc[coverage["mode"] == "work", "enterprise_id"])
        op = firms["status"] == "operating"
        return firms.assign(op=op, own=own, org=org, work=work)

    def uncovered() -> dict[str, Any]:
        s = states()
        hit = s[s["op"] & ~s["org"] & ~s["work"]]
        return {"total": len(hit), "first": list(hit.sort_values("id")["id"].head(PAGE))}

    def coverage_by(level: str) -> Callable[[], dict[str, Any]]:
        def run() -> dict[str, Any]:
            s = states()
            s = s[s["op"]]
            g = s.groupby(level).agg(total=("id", "size"), org=("org", "sum"))
            return {"groups": len(g), "org_covered": int(g["org"].sum())}

        return run

    def zone_summary() -> dict[str, Any]:
        s = states()
        op = s["op"]
        return {
            "operating": int(op.sum()),
            "uncovered": int((op & ~s["org"] & ~s["work"]).sum()),
            "org_covered": int((op & s["org"]).sum()),
        }

    lead_of = dict(zip(leads["id"], leads["lead_id"], strict=True))
    alliance = "A1"
    operating_ids = set(firms.loc[firms["status"] == "operating", "id"])
    start_ids = set(members.loc[members["alliance_id"] == alliance, "enterprise_id"])
    start_ids.add(lead_of[alliance])
    sources = [m for m in start_ids if m in operating_ids]

    def reach_networkx() -> dict[str, Any]:
        view = graph.to_undirected(as_view=True).subgraph(operating_ids)
        distance: dict[str, int] = {}
        for depth, layer in enumerate(nx.bfs_layers(view, sources)):
            if depth > 3:
                break
            for node in layer:
                distance[node] = depth
        found = sorted((d, n) for n, d in distance.items() if n not in start_ids)
        return {"total": len(found), "first": [n for _, n in found[:PAGE]]}

    index = {ident: i for i, ident in enumerate(firms["id"])}
    rows = links["supplier_id"].map(index).to_numpy()
    cols = links["customer_id"].map(index).to_numpy()
    n = len(firms)
    alive = (firms["status"] == "operating").to_numpy()
    keep = alive[rows] & alive[cols]
    matrix = sparse.coo_matrix(
        (np.ones(int(keep.sum()), dtype=np.int8), (rows[keep], cols[keep])), shape=(n, n)
    ).tocsr()
    matrix = (matrix + matrix.T).tocsr()
    source_idx = np.array([index[s] for s in sources])

    def reach_scipy() -> dict[str, Any]:
        seen = np.zeros(n, dtype=bool)
        seen[source_idx] = True
        frontier = source_idx
        found = 0
        for _ in range(3):
            nxt = np.unique(matrix.indices[_ranges(matrix.indptr, frontier)])
            nxt = nxt[~seen[nxt]]
            seen[nxt] = True
            found += len(nxt)
            frontier = nxt
        return {"total": found}

    out: dict[str, Any] = {}
    for name, fn in [
        ("uncovered", uncovered),
        ("coverage_by street", coverage_by("street")),
        ("coverage_by grid", coverage_by("grid")),
        ("zone_summary", zone_summary),
        ("alliance_reach hops=3 (networkx)", reach_networkx),
        ("alliance_reach hops=3 (scipy CSR)", reach_scipy),
    ]:
        times, result = _times(fn, repeat)
        out[name] = {**_stats(times), "answer": result}
    return out


def _ranges(indptr: Any, nodes: Any) -> Any:
    """The positions of ``nodes``' neighbours in a CSR ``indices`` array, vectorised."""
    import numpy as np

    starts, ends = indptr[nodes], indptr[nodes + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total)


def catalog_queries(db: Path, firms: int, repeat: int) -> dict[str, Any]:
    """Every public catalog query on the loaded zone: warm p50/p95, rows, and answers."""
    from graph_model.errors import ZonegraphError
    from graph_model.store.embedded import EmbeddedStore
    from queries import catalog

    store = EmbeddedStore(db, read_only=True)
    street = catalog.run_query(store, "coverage_by", {"level": "street"})[0]["group"]
    samples: dict[str, object] = {"alliance": "A1", "text": "企业12", "firm": "F0000012"}
    page_cls = getattr(catalog, "Page", None)
    out: dict[str, Any] = {}
    # The planners' projection is built on the first planner query after a write: timed
    # here once, cold, so the planners' rows below are warm.
    from queries.projection import projection

    start = time.perf_counter()
    size = projection(store).size
    cold = time.perf_counter() - start
    out["projection build (cold, once per write)"] = {
        **_stats([cold]),
        "answer": {"rows": size, "first_row": None},
    }
    for q in catalog.all_queries():
        base = {p.name: samples[p.name] for p in q.params if p.required}
        variants: list[tuple[str, dict[str, object], bool]] = [(q.name, base, False)]
        if q.name == "alliance_reach":
            variants = [(f"{q.name} hops={h}", {**base, "hops": h}, True) for h in (2, 3)]
        if q.name == "coverage_by":
            variants = [(f"{q.name} {lv}", {"level": lv}, False) for lv in ("street", "grid")]
        if q.name == "uncovered":
            variants = [(f"{q.name} first page", base, True), (f"{q.name} all rows", base, False)]
        if q.name == "studio_assignment":
            variants = [(f"{q.name} zone", base, False)]
            variants.append((f"{q.name} street", {"street": street}, False))
        if q.name in ("bridging_firms", "suggested_clusters"):
            variants = [(f"{q.name} street", {"scope": f"street:{street}"}, False)]
            if firms <= ZONE_WIDE_MAX:
                variants.append((f"{q.name} zone", {"scope": "zone"}, False))
        for label, params, paged in variants:

            def call(name: str = q.name, p: dict[str, object] = params, pg: bool = paged) -> Any:
                if pg and page_cls is not None:
                    result: Any = catalog.run(store, name, p, page=page_cls(0, PAGE))  # type: ignore[call-arg, unused-ignore]
                    return {"total": result.total, "first": [r.get("id") for r in result.rows]}
                rows = catalog.run_query(store, name, p)
                if pg:
                    return {"total": len(rows), "first": [r.get("id") for r in rows[:PAGE]]}
                return {"rows": len(rows), "first_row": rows[0] if rows else None}

            try:
                times, result = _times(call, repeat)
            except ZonegraphError as exc:  # a finding to report, not a reason to stop
                out[label] = {"error": f"{type(exc).__name__}: {exc}"}
                continue
            out[label] = {**_stats(times), "answer": result}
    store.close()
    return out


#: What an organizer opens, and what the pages ask the API for (``{street}`` is filled in).
PAGES: tuple[str, ...] = (
    "/",
    "/gaps",
    "/network",
    "/alliances",
    "/rules",
    "/queries",
    "/queries/uncovered",
    "/queries/alliance_reach?alliance=A1&hops=3",
    "/firms/F0000012",
    "/import",
    "/audit",
    "/api/graph?scope=zone",
    "/api/graph?scope=street:{street}",
    "/api/graph?scope=alliance:A1&hops=1",
    "/api/queries/uncovered?per_page=100",
    "/api/queries/coverage_by?level=grid",
    "/api/queries/alliance_reach?alliance=A1&hops=3&per_page=100",
)


def pages(db: Path, repeat: int) -> dict[str, Any]:
    """Every page of :data:`PAGES` through a real server: warm p50/p95 and the status."""
    import socket
    import tempfile
    import threading
    import urllib.error
    import urllib.parse
    import urllib.request

    import uvicorn

    from api.accounts import open_accounts
    from api.app import create_app
    from graph_model.settings import load_settings
    from graph_model.store.embedded import EmbeddedStore
    from queries import catalog

    store = EmbeddedStore(db, read_only=True)
    street = catalog.run_query(store, "coverage_by", {"level": "street"})[0]["group"]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        settings = load_settings(ZONEGRAPH_DB=db, ZONEGRAPH_ACCOUNTS=Path(tmp) / "accounts")
        token = open_accounts(settings).create_token("admin", created_by="bench")[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, store), port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            for path in PAGES:
                url = f"http://127.0.0.1:{port}" + path.format(
                    street=urllib.parse.quote(str(street))
                )
                status: list[int] = []

                def get(u: str = url, got: list[int] = status) -> None:
                    request = urllib.request.Request(
                        u, headers={"Authorization": f"Bearer {token}"}
                    )
                    try:
                        with urllib.request.urlopen(request, timeout=600) as response:
                            response.read()
                            got.append(response.status)
                    except urllib.error.HTTPError as exc:
                        got.append(exc.code)

                times, _ = _times(get, repeat)
                out[path] = {**_stats(times), "status": status[-1]}
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            store.close()
    return out


def main(argv: list[str]) -> None:
    step, folder, db, repeat = argv[0], Path(argv[1]), Path(argv[2]), int(argv[3])
    if step == "copy":
        result = copy_baseline(folder, db)
    elif step == "networkx":
        result = networkx_baseline(folder)
    elif step == "answers":
        result = answers(folder, repeat)
    elif step == "pages":
        result = pages(db, repeat)
    elif step == "queries":
        firms = int(argv[4])
        result = catalog_queries(db, firms, repeat)
    else:
        raise SystemExit(f"unknown step {step}")
    json.dump(result, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv[1:])
