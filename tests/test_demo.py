"""The demo zone: deterministic, valid under the contract, calibrated to the article."""

from __future__ import annotations

from collections import Counter

from graph_model.store.embedded import EmbeddedStore
from loaders.demo import demo_tables
from queries.catalog import run_query

ARTICLE_FIRMS = (
    "长春机械工业第九设计研究院有限公司",
    "吉林省长久实业集团有限公司",
    "吉林省国泰汽车配件有限公司",
    "吉林省华诚伟业汽车贸易有限公司",
    "长春一汽综合利用股份有限公司",
    "中海销售有限公司",
    "鹏昊金属制品有限公司",
    "一汽法雷奥",
    "繁荣冲压件有限公司",
    "卡斯马",
    "伟巴斯特",
    "华奥",
)


def test_same_seed_same_zone_other_seed_other_zone() -> None:
    assert demo_tables(seed=7, firms=600) == demo_tables(seed=7, firms=600)
    assert demo_tables(seed=7, firms=600) != demo_tables(seed=8, firms=600)


def test_calibrated_to_the_article(demo_store: EmbeddedStore) -> None:
    zone = demo_store.read()
    kinds = Counter(o["kind"] for o in zone.rows("party_orgs"))
    assert kinds["industry_branch"] == 17
    assert len(zone.rows("studios")) == 24
    assert len(zone.rows("alliances")) == 8
    stars = Counter(e["star"] for e in zone.rows("enterprises"))
    assert (stars[5], stars[4], stars[3]) == (3, 11, 29)
    assert 1400 <= len(zone.rows("enterprises")) <= 1600
    covered_by = Counter(c["coverer_id"] for c in zone.rows("coverage"))
    assert 159 in covered_by.values()  # the commercial street hub
    names = {e["name"] for e in zone.rows("enterprises")}
    assert set(ARTICLE_FIRMS) <= names


def test_generated_records_say_so(demo_store: EmbeddedStore) -> None:
    firms = demo_store.read().rows("enterprises")
    generated = [e for e in firms if e["name"] not in ARTICLE_FIRMS]
    assert generated and all("（演示）" in e["name"] for e in generated)


def test_gaps_are_there_to_find(demo_store: EmbeddedStore) -> None:
    studios = run_query(demo_store, "studio_load")
    below = [s for s in studios if s["below_minimum"]]
    assert 0 < len(below) < len(studios) / 2  # most studios reach five firms, some do not
    summary = run_query(demo_store, "zone_summary")[0]
    assert 0.5 < summary["org_coverage_rate"] < 0.8
    assert 0.05 < summary["uncovered"] / summary["operating"] < 0.25
    assert summary["closed"] > 0
    assert run_query(demo_store, "should_form_branch")
    for alliance in run_query(demo_store, "alliances"):
        reach = run_query(demo_store, "alliance_reach", {"alliance": alliance["id"]})
        assert any(not r["covered"] for r in reach), alliance["id"]
