"""The alliance planner on the demo zone, as issue 11 found it: defaults that tell alliances
apart, no recruit from another alliance, k picks that each bring firms into reach, and plan
notes in the page's language."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from graph_model.store.embedded import EmbeddedStore
from queries.catalog import run, run_query


@pytest.fixture(scope="module")
def alliances(demo_store: EmbeddedStore) -> list[dict[str, object]]:
    return run_query(demo_store, "alliances")


def test_the_default_overlap_tells_alliances_apart(demo_store: EmbeddedStore) -> None:
    # At 2 hops two pairs share 78% of their reach (Jaccard 0.78): every alliance looks alike.
    two = run_query(demo_store, "alliance_overlap", {"hops": 2})
    assert max(r["jaccard"] for r in two) > 0.75
    # Weighting by distance tells them apart more at the same hops.
    assert max(r["weighted_jaccard"] for r in two) < max(r["jaccard"] for r in two)
    default = run_query(demo_store, "alliance_overlap")
    assert default == run_query(demo_store, "alliance_overlap", {"hops": 1})
    assert max(r["jaccard"] for r in default) < 0.5


def test_no_recruit_or_candidate_from_another_alliance(
    demo_store: EmbeddedStore, alliances: list[dict[str, object]]
) -> None:
    firms_of = _alliance_firms(demo_store)
    for a in alliances:
        others = set().union(*(f for other, f in firms_of.items() if other != a["id"]))
        for hops in (1, 2, 3):
            params = {"alliance": a["id"], "hops": hops}
            picks = {r["id"] for r in run_query(demo_store, "next_recruit", params)}
            found = {r["id"] for r in run_query(demo_store, "alliance_candidates", params)}
            assert not (picks | found) & others, (a["id"], hops)
    # The finding: E0011 leads A2 and was proposed to other alliances.
    assert "E0011" in firms_of["A2"]


def _alliance_firms(store: EmbeddedStore) -> dict[str, set[str]]:
    rows = store.run(
        "MATCH (e:Enterprise)-[:MEMBER_OF|LEADS]->(a:Alliance) RETURN a.id AS a, e.id AS e"
    )
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(str(r["a"]), set()).add(str(r["e"]))
    return found


def test_next_recruit_returns_k_picks_that_each_bring_firms(demo_store: EmbeddedStore) -> None:
    # At 3 hops the finding was one row for k=3: nobody else reached a new *uncovered* firm.
    result = run(demo_store, "next_recruit", {"alliance": "A1", "hops": 3, "k": 3})
    assert len(result.rows) == 3 and result.notes == []
    seen: set[str] = set()
    for r in result.rows:
        assert r["new_in_reach"] >= max(r["gain"], 1)
        assert 1 <= len(r["sample_ids"]) <= min(5, r["new_in_reach"])
        assert not seen & set(r["sample_ids"])  # each pick names firms the others did not
        seen |= set(r["sample_ids"])
    reach = {
        r["id"] for r in run_query(demo_store, "alliance_reach", {"alliance": "A1", "hops": 3})
    }
    assert not seen & reach  # they were out of reach before


def test_the_alliances_page_defaults_to_one_hop_and_shows_both_counts(
    demo_client: TestClient,
) -> None:
    html = demo_client.get("/alliances?alliance=A1").text
    assert 'name="hops" min="1" max="6" value="1"' in html
    summary = re.search(r'<p id="reach-summary"><strong>(.*?)</strong>', html)
    assert summary is not None
    # 234 direct partners; weighted by distance they count the same at one hop.
    assert summary.group(1) == "1 层供应链内共 234 家企业（按距离加权 234 家），其中 25 家未覆盖"
    html = demo_client.get("/alliances?alliance=A1&hops=2").text
    assert "2 层供应链内共 974 家企业（按距离加权 604 家）" in html
    assert "直接供应链伙伴（1 层）234 家" in html
    assert "其他联盟的成员和牵头企业不列为候选" in html
    assert 'data-firm="E0011"' not in html  # another alliance's lead is not a candidate
    # At 6 hops A7 reaches everything it can: no pick would bring a firm, and the page says
    # so in Chinese.
    html = demo_client.get("/alliances?alliance=A7&hops=6&k=50").text
    assert "只有 0 家企业加入后能把新的企业带入辐射范围" in html
    assert "would bring" not in html


def test_plan_notes_speak_the_page_language(demo_client: TestClient) -> None:
    street = "锦程街道"
    zh = demo_client.get(f"/queries/studio_assignment?street={street}").text
    notes = re.search(r'<ul class="notes">(.*?)</ul>', zh, re.S)
    assert notes is not None
    assert "家未覆盖企业中已安排" in notes.group(1)
    assert "uncovered firm(s) assigned" not in zh
    en = demo_client.get(f"/queries/studio_assignment?street={street}&lang=en").text
    assert "uncovered firm(s) assigned" in en
    # The JSON API keeps its English notes.
    body = demo_client.get("/api/queries/studio_assignment", params={"street": street}).json()
    assert any("uncovered firm(s) assigned" in n for n in body["notes"])


def test_every_plan_note_is_in_the_catalogue_in_both_languages(demo_store: EmbeddedStore) -> None:
    from api.i18n import Translator

    zh, en = Translator("zh"), Translator("en")
    notes = [
        n
        for name, params in [
            ("studio_assignment", {"minimum": 20, "capacity": 16}),
            ("joint_branch_plan", {"level": "park"}),
            ("next_recruit", {"alliance": "A7", "hops": 6, "k": 50}),
            ("bridging_firms", {}),
        ]
        for n in run(demo_store, name, params).notes
    ]
    keys = {n.key.rsplit(".", 1)[0] for n in notes}  # type: ignore[attr-defined]
    assert {"note.plan", "note.plan.no_area"} <= keys
    for n in notes:
        # The English the CLI prints is the catalogue's English; the Chinese has no English.
        assert en.note(n) == n
        assert not re.search(r"[a-z]{3,}", zh.note(n)), n
