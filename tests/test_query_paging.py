"""Pages of catalog rows come from the database, and filters are written from the parameters
that are set (never ``($x = '' OR e.x = $x)``, which keeps Neo4j from seeking an index)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph_model.settings import Settings
from graph_model.store.embedded import EmbeddedStore
from loaders.load import load_tables
from queries.catalog import Page, Query, all_queries, count_text, get_query, run
from tests.auth import bearer
from tests.zones import small_zone

SAMPLES: dict[str, str] = {"alliance": "A1", "text": "a", "id": "E1", "firm": "E1"}
#: What a set value of each optional text parameter looks like (filters then apply).
SET_VALUES: dict[str, str] = {"level": "grid", "value": "G2", "scope": "street:S1"}

_EMPTY_OR = re.compile(r"\$\w+\s*=\s*''\s*OR|''\s*=\s*\$\w+\s*OR", re.I)


@pytest.fixture
def zone(embedded: EmbeddedStore) -> EmbeddedStore:
    load_tables(embedded, small_zone(), source="test")
    return embedded


def _required(q: Query) -> dict[str, str]:
    return {p.name: SAMPLES[p.name] for p in q.params if p.required}


def _all_set(q: Query) -> dict[str, object]:
    """Every text parameter set (to a choice, or a sample value), the rest as required."""
    raw: dict[str, object] = dict(_required(q))
    for p in q.params:
        if p.type is str and not p.required:
            raw[p.name] = p.choices[-1] if p.choices else SET_VALUES.get(p.name, "x")
    return raw


def _rendered(q: Query) -> Iterator[str]:
    for dialect in ("ladybug", "neo4j"):
        yield q.text(dialect)
        for raw in (_required(q), _all_set(q)):
            try:
                yield q.render(dialect, q.bind(raw))[0]
            except Exception:  # noqa: BLE001 - a sample an analysis' parameter refuses
                continue


@pytest.mark.parametrize("q", [q for q in all_queries(internal=True) if q.analysis is None])
def test_no_catalog_text_filters_with_an_empty_or(q: Query) -> None:
    for text in _rendered(q):
        assert not _EMPTY_OR.search(text), f"{q.name}: {text}"
        assert "@filters" not in text or text == q.text("ladybug") or text == q.text("neo4j")


def test_a_set_filter_is_a_plain_comparison_and_its_value_a_parameter() -> None:
    q = get_query("uncovered")
    text, sent = q.render("neo4j", q.bind({"street": "S2') OR 1=1 //", "grid": ""}))
    assert "e.street = $street" in text and "$grid" not in text and "@" not in text
    assert "1=1" not in text and sent["street"] == "S2') OR 1=1 //"
    text, _ = q.render("neo4j", q.bind({}))
    assert "e.street =" not in text and "$street" not in text
    q = get_query("coverage_by")
    text, sent = q.render("ladybug", q.bind({"level": "grid"}))
    assert "e.grid AS g" in text and "level" not in sent


@pytest.mark.parametrize("name", [q.name for q in all_queries()])
def test_a_page_is_the_same_rows_as_slicing_all_of_them(zone: EmbeddedStore, name: str) -> None:
    q = get_query(name)
    params = _required(q)
    everything = run(zone, name, params)
    assert everything.total is None
    for skip, limit in ((0, 1), (1, 2), (2, 100), (50, 10)):
        page = run(zone, name, params, Page(skip, limit))
        assert page.rows == everything.rows[skip : skip + limit]
        assert page.total == len(everything.rows)
        assert page.notes == everything.notes


class Recording:
    """The real store, with every statement it is asked to run and the rows it returns."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store, self.dialect, self.calls = store, store.dialect, []

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        rows = self.store.run(cypher, params)
        self.calls.append((cypher, len(rows)))
        return rows


def test_the_first_page_of_uncovered_ships_one_page_and_a_count(zone: EmbeddedStore) -> None:
    recording = Recording(zone)
    page = run(recording, "uncovered", {}, Page(0, 1))  # type: ignore[arg-type]
    assert [r["id"] for r in page.rows] == ["E5"] and page.total == 2
    # The count first (a page past the end is not asked for), then the page itself.
    (counted, just_one), (listed, one) = recording.calls
    assert "SKIP $_skip LIMIT $_limit" in listed and (one, just_one) == (1, 1)
    assert "RETURN count(*) AS total" in counted


def test_count_text_counts_only_plain_returns() -> None:
    assert count_text("MATCH (e:Enterprise)\nRETURN e.id AS id\nORDER BY id") == (
        "MATCH (e:Enterprise)\nRETURN count(*) AS total"
    )
    assert count_text("MATCH (e:Enterprise)\nRETURN e.street AS s, count(*) AS n") is None
    assert count_text("MATCH (e)\nRETURN DISTINCT e.street AS s") is None
    assert count_text("MATCH (a)\nRETURN a.id AS id\nUNION\nMATCH (b)\nRETURN b.id AS id") is None


def test_the_api_pages_inside_the_query_and_keeps_its_shape(
    zone: EmbeddedStore, tmp_path: Path
) -> None:
    settings = Settings(ZONEGRAPH_SCENARIOS=tmp_path / "scenarios")
    with TestClient(create_app(settings, zone), headers=bearer()) as client:
        r = client.get("/api/queries/uncovered", params={"per_page": 1, "page": 2})
        assert r.status_code == 200, r.text
        body = r.json()
        assert [row["id"] for row in body["rows"]] == ["E6"]
        assert (body["total"], body["page"], body["per_page"]) == (2, 2, 1)
        assert body["columns"] == list(get_query("uncovered").columns)
        r = client.get("/api/queries/uncovered", params={"per_page": 1, "format": "csv"})
        assert r.content.decode("utf-8-sig").count("\n") == 3  # downloads get every row


def test_the_dashboards_figures_are_counted_and_picked_in_the_database(
    zone: EmbeddedStore,
) -> None:
    from queries.catalog import run_query
    from queries.stats import zone_stats

    stats = zone_stats(zone, worst=1)
    gaps = run_query(zone, "uncovered")
    gaps.sort(key=lambda r: (-(r["party_members"] or 0), r["id"]))
    assert stats["top_gaps"] == gaps[:2]
    assert stats["should_form_branch"] == len(run_query(zone, "should_form_branch")) == 2


def test_a_page_far_past_the_end_is_empty_and_keeps_the_total(zone: EmbeddedStore) -> None:
    # Found by the API fuzz: LadybugDB 0.22 kills the process on ORDER BY … SKIP far past
    # the rows it has, so such a page must never reach the database.
    everything = run(zone, "alliances", {})
    far = run(zone, "alliances", {}, Page(2_001_044, 556))
    assert far.rows == [] and far.total == len(everything.rows)
    assert run(zone, "uncovered", {}, Page(10**8, 1000)).rows == []
