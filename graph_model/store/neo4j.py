"""The Neo4j store: the official driver, ``neo4j://`` URIs so a cluster routes reads and writes.

Writes are ``UNWIND $rows`` batches inside one managed write transaction (retried by the
driver only on errors it marks retryable). Labels and types in statement text come only
from :mod:`graph_model.schema`; every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from graph_model.ddl import neo4j_ddl
from graph_model.errors import ConfigError, StoreError, StoreUnavailable
from graph_model.mapping import Zone, rel_props, to_graph
from graph_model.schema import NODE_KINDS, REL_KINDS
from graph_model.settings import Settings
from graph_model.store.base import Dialect
from graph_model.store.statements import count_graph, read_statements, read_zone

if TYPE_CHECKING:
    import neo4j


def delete_statement(label: str) -> str:
    return f"MATCH (n:{label}) DETACH DELETE n"


def node_write_statement(label: str) -> str:
    return f"UNWIND $rows AS row CREATE (n:{label}) SET n = row"


def rel_write_statement(rtype: str, src: str, dst: str) -> str:
    props = ", ".join(f"{p}: row.{p}" for p in rel_props(rtype))
    body = f" {{{props}}}" if props else ""
    return (
        f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}}) "
        f"CREATE (a)-[:{rtype}{body}]->(b)"
    )


def statements() -> dict[str, str]:
    """Every statement text this store sends, by a descriptive name (for the Cypher lint)."""
    out = {f"ddl:{i}": s for i, s in enumerate(neo4j_ddl())}
    for n in NODE_KINDS:
        out[f"delete:{n.label}"] = delete_statement(n.label)
        out[f"write:{n.label}"] = node_write_statement(n.label)
    for r in REL_KINDS:
        for a, b in r.ends:
            out[f"write:{r.type}:{a}:{b}"] = rel_write_statement(r.type, a, b)
    return out | read_statements()


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class Neo4jStore:
    """A zone graph in a Neo4j database (server or cluster)."""

    dialect: Dialect = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str, batch_size: int = 5000) -> None:
        self._driver = driver
        self._database = database
        self._batch = batch_size

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        import neo4j

        if not settings.neo4j_uri:
            raise ConfigError("ZONEGRAPH_BACKEND=neo4j needs NEO4J_URI (e.g. neo4j://localhost)")
        auth = (settings.neo4j_user, settings.neo4j_password or "")
        driver = neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth)
        try:
            driver.verify_connectivity()
        except neo4j.exceptions.Neo4jError as exc:
            driver.close()
            raise StoreError(f"Neo4j refused the connection: {exc.message}") from exc
        except (neo4j.exceptions.DriverError, OSError) as exc:
            driver.close()
            raise StoreUnavailable(f"cannot reach Neo4j at {settings.neo4j_uri}: {exc}") from exc
        return cls(driver, settings.neo4j_database, settings.batch_size)

    def _guard(self, fn: Any, *args: Any) -> Any:
        import neo4j

        try:
            return fn(*args)
        except neo4j.exceptions.Neo4jError as exc:
            raise StoreError(f"Neo4j error {exc.code}: {exc.message}") from exc
        except neo4j.exceptions.DriverError as exc:
            raise StoreUnavailable(f"Neo4j unavailable: {exc}") from exc

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        import neo4j

        def go() -> list[dict[str, Any]]:
            records, _, keys = self._driver.execute_query(
                cypher,
                parameters_=dict(params or {}),
                database_=self._database,
                routing_=neo4j.RoutingControl.READ,
            )
            return [dict(zip(keys, r.values(), strict=True)) for r in records]

        rows: list[dict[str, Any]] = self._guard(go)
        return rows

    def apply_schema(self) -> None:
        def go() -> None:
            for statement in neo4j_ddl():
                self._driver.execute_query(statement, database_=self._database)

        self._guard(go)

    def replace(self, zone: Zone) -> None:
        batch = to_graph(zone)

        def work(tx: neo4j.ManagedTransaction) -> None:
            for node in NODE_KINDS:
                tx.run(delete_statement(node.label)).consume()
            for label, rows in batch.nodes.items():
                for chunk in _chunks(rows, self._batch):
                    tx.run(node_write_statement(label), rows=chunk).consume()
            for rel in batch.rels:
                text = rel_write_statement(rel.type, rel.src_label, rel.dst_label)
                for chunk in _chunks(rel.rows, self._batch):
                    tx.run(text, rows=chunk).consume()

        def go() -> None:
            with self._driver.session(database=self._database) as session:
                session.execute_write(work)

        self._guard(go)

    def read(self) -> Zone:
        return read_zone(self.run)

    def counts(self) -> dict[str, int]:
        return count_graph(self.run)

    def close(self) -> None:
        self._driver.close()
