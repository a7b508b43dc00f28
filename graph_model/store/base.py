"""The ``Store`` protocol: what every backend (embedded LadybugDB, Neo4j) must do.

One conformance suite (``tests/test_store_conformance.py``) runs against every backend.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol

from graph_model.mapping import Zone

Dialect = Literal["ladybug", "neo4j"]


class Store(Protocol):
    """A graph database holding one zone."""

    #: Which Cypher dialect the catalog must use with this store.
    dialect: Dialect

    def apply_schema(self) -> None:
        """Create the node and relationship tables (or constraints) if they are missing."""

    def replace(self, zone: Zone) -> None:
        """Replace the whole graph with ``zone`` in one transaction: all of it or none of it.

        The zone must already be validated; references that do not resolve are a bug.
        """

    def read(self) -> Zone:
        """Read the whole graph back as contract tables (for export and upsert merges)."""

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read query with parameters and return its rows as dicts in column order."""

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type."""

    def close(self) -> None:
        """Release the database (the embedded file lock, the driver's connections)."""
