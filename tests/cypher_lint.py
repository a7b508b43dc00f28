"""Lint Cypher queries against Neo4j's dialect via ``tools/cypher-lint/lint.mjs``.

Needs Node and ``npm ci --prefix tools/cypher-lint``. Every diagnostic, error or
warning (unknown label, relationship type or function, syntax, undefined variable),
counts as a problem.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
LINT_DIR = REPO_ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
INSTALL_HINT = "run: npm ci --prefix tools/cypher-lint"


def lint_neo4j_queries(
    queries: Mapping[str, str],
    labels: list[str],
    rel_types: list[str],
    *,
    parameters: Mapping[str, object] | None = None,
    cypher_version: str | None = None,
) -> dict[str, list[str]]:
    """Return, for each query name, its problems as ``"severity line:col message"``.

    ``parameters`` (name -> sample value) turns on checking of ``$parameters``;
    without it they are not checked. ``cypher_version`` is ``"5"`` (the linter's
    default) or ``"25"``; a query's own ``CYPHER 25`` prefix wins over it.
    """
    node = shutil.which("node")
    if node is None:
        raise RuntimeError(f"node is not on PATH; install Node.js, then {INSTALL_HINT}")
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        raise RuntimeError(f"{LINT_DIR / 'node_modules'} is missing; {INSTALL_HINT}")

    request: dict[str, object] = {
        "labels": labels,
        "relationshipTypes": rel_types,
        "queries": [{"name": name, "text": text} for name, text in queries.items()],
    }
    if parameters is not None:
        request["parameters"] = dict(parameters)
    if cypher_version is not None:
        request["cypherVersion"] = cypher_version

    proc = subprocess.run(
        [node, str(LINT_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"cypher-lint failed (exit {proc.returncode}): {proc.stderr.strip()}")

    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return {
        r["name"]: [
            f"{p['severity']} {p['line']}:{p['column']} {p['message']}" for p in r["problems"]
        ]
        for r in results
    }
