"""Exported network views: one self-contained HTML file each, loading nothing from the
internet, drawing exactly the payload (names, colours, shapes, positions) with the vendored
vis-network, with a legend in Chinese (or English)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from graph_model.store.embedded import EmbeddedStore
from queries.views import scope_view
from viz.export import node_color, view_html, vis_network_js, write_view
from viz.graphdata import PHYSICS_LIMIT, SHAPES, view_payload

VENDOR = Path(__file__).parent.parent / "viz" / "static" / "vendor" / "vis-network"

#: Any src= / href= / url( whose value points at the web (http, https or protocol-relative).
REMOTE_REF = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*|\burl\(\s*)["']?\s*(?:https?:|//)""", re.IGNORECASE
)
ANY_URL = re.compile(r"https?://", re.IGNORECASE)
#: The legend worded as the network page words its own (one catalogue).
LEGEND_ZH = (
    "企业 · 单独组建",
    "企业 · 联合覆盖",
    "企业 · 工作覆盖",
    "企业 · 未覆盖",
    "覆盖情况",
    "节点类型",
)
LEGEND_EN = ("firm · own organization", "firm · joint organization", "firm · uncovered")


def embedded_json(html: str, name: str) -> Any:
    """The nodes, edges or options the page hands to vis-network."""
    pattern = rf"^\s*var {name} = (?:new vis\.DataSet\()?(.*?)\)?;$"
    found = re.search(pattern, html, re.MULTILINE)
    assert found, f"no {name} in the page"
    return json.loads(found.group(1))


def assert_offline(html: str) -> None:
    assert REMOTE_REF.findall(html) == []
    # Stricter: the demo data hold no addresses, and inlining strips the library's own.
    assert ANY_URL.findall(html) == []
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def assert_document(html: str, lang: str = "zh-CN") -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in html
    assert '<meta charset="utf-8">' in html
    assert html.rstrip().endswith("</html>")
    assert html.count("<script>") == html.count("</script>") == 2
    # vis-network itself, inlined (not merely referenced)
    js, version = vis_network_js()
    assert js in html
    assert f"@version {version}" in html and "vis.Network" in html
    assert "sourceMappingURL" not in html


@pytest.fixture(scope="module")
def exported(
    demo_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict[str, Any], dict[str, Any], str]]:
    """name -> (payload, write_view's summary, the file's text), each view written once."""
    out = tmp_path_factory.mktemp("views")
    views = {
        "firm": ("firm:E0011", 1, "zh"),
        "zone": ("zone", 1, "zh"),
        "zone_en": ("zone", 1, "en"),
        "large": ("firm:E0011", 2, "zh"),
    }
    result = {}
    for name, (scope, hops, lang) in views.items():
        path = out / f"{name}.html"
        summary = write_view(demo_store, scope, hops, path, lang=lang)
        payload = view_payload(scope_view(demo_store, scope, hops), scope, lang=lang)
        result[name] = (payload, summary, path.read_text(encoding="utf-8"))
    return result


def test_vendored_vis_network() -> None:
    js = VENDOR / "vis-network.min.js"
    assert js.is_file() and js.stat().st_size > 100_000
    assert (VENDOR / "LICENSE-MIT").is_file() and (VENDOR / "LICENSE-APACHE-2.0").is_file()
    head = js.read_text(encoding="utf-8")[:2000]
    version = re.search(r"@version\s+(\S+)", head)
    assert version and "vis-network" in head
    assert f"**{version.group(1)}**" in (VENDOR / "README.md").read_text(encoding="utf-8")


def test_vendored_urls_are_only_attribution() -> None:
    """Each web address in the build sits in a comment or a core-js metadata string: the
    library loads nothing by itself (re-check when refreshing it)."""
    js = (VENDOR / "vis-network.min.js").read_text(encoding="utf-8")
    assert REMOTE_REF.findall(js) == []
    for m in ANY_URL.finditer(js):
        before = js[: m.start()]
        in_comment = before.rfind("/*") > before.rfind("*/")
        metadata = re.search(r'(?:license|source):"$', before[-12:]) is not None
        assert in_comment or metadata, js[m.start() - 80 : m.end() + 40]


def test_firm_view(exported: dict[str, tuple[dict[str, Any], dict[str, Any], str]]) -> None:
    payload, summary, html = exported["firm"]
    assert_document(html)
    assert_offline(html)
    assert summary["nodes"] == len(payload["nodes"]) > 10
    assert summary["edges"] == len(payload["edges"])
    assert summary["aggregated"] is False and summary["bytes"] == len(html.encode("utf-8"))
    centre = next(n for n in payload["nodes"] if n["id"] == "E0011")
    assert f"<title>{centre['name']}" in html
    for word in LEGEND_ZH + ("企业", "党组织", "供应关系（箭头由供应方指向采购方）"):
        assert word in html
    nodes = {n["id"]: n for n in embedded_json(html, "nodes")}
    assert nodes.keys() == {n["id"] for n in payload["nodes"]}
    for n in payload["nodes"]:
        drawn = nodes[n["id"]]
        assert drawn["label"] == n["name"] and n["name"] in html
        assert drawn["color"] == node_color(n)
        assert drawn["shape"] == SHAPES[n["label"]]
        assert drawn["size"] == n["size"] and drawn["title"].startswith(n["title"])
        assert "x" not in drawn
    edges = embedded_json(html, "edges")
    assert len(edges) == len(payload["edges"])
    for e in edges:
        assert e["arrows"]["to"]["enabled"] is (e["type"] == "SUPPLIES")
        assert e["width"] == 1
    assert embedded_json(html, "options")["physics"]["enabled"] is True


def test_zone_view_aggregated(
    exported: dict[str, tuple[dict[str, Any], dict[str, Any], str]],
) -> None:
    payload, summary, html = exported["zone"]
    assert payload["aggregated"] and summary["aggregated"] is True
    assert_document(html)
    assert_offline(html)
    assert payload["note"] and payload["note"] in html
    assert "企业已按网格汇总显示" in html and "汇总节点" in html
    for word in LEGEND_ZH:
        assert word in html
    grids = [n for n in payload["nodes"] if n["label"] == "Group"]
    assert grids and all(n["id"].startswith("grid:") for n in grids)
    nodes = {n["id"]: n for n in embedded_json(html, "nodes")}
    for n in grids:
        assert n["name"] in html and re.search(r"（\d+家）$", n["name"])
        assert nodes[n["id"]]["label"] == n["name"]
        assert nodes[n["id"]]["expand"] == n["expand"]
    edges = embedded_json(html, "edges")
    heavy = max(payload["edges"], key=lambda e: e["weight"])
    assert heavy["weight"] > 1
    drawn = next(e for e in edges if (e["from"], e["to"]) == (heavy["src"], heavy["dst"]))
    assert drawn["width"] > 1 and drawn["arrows"]["to"]["enabled"] is False


def test_large_view_has_positions_and_no_physics(
    exported: dict[str, tuple[dict[str, Any], dict[str, Any], str]],
) -> None:
    payload, summary, html = exported["large"]
    assert len(payload["nodes"]) > PHYSICS_LIMIT and not payload["aggregated"]
    assert summary["physics"] is False
    assert_offline(html)
    options = embedded_json(html, "options")
    assert options["physics"]["enabled"] is False
    nodes = {n["id"]: n for n in embedded_json(html, "nodes")}
    for n in payload["nodes"]:
        assert (nodes[n["id"]]["x"], nodes[n["id"]]["y"]) == (n["x"], n["y"])


def test_english_variant(exported: dict[str, tuple[dict[str, Any], dict[str, Any], str]]) -> None:
    _payload, _summary, html = exported["zone_en"]
    assert_document(html, lang="en")
    assert_offline(html)
    for word in LEGEND_EN + ("Party-building network of the zone", "Node kinds"):
        assert word in html
    assert "单独组建" not in html and "节点类型" not in html
    # The view's own note (how firms were grouped) is in English too.
    assert _payload["note"] and _payload["note"] in html
    assert not re.search(r"[\u4e00-\u9fff]", _payload["note"])


def test_text_is_escaped() -> None:
    evil = "</script><script>alert(1)</script>"
    payload = {
        "scope": "zone",
        "nodes": [
            {"id": "a", "label": "Enterprise", "name": evil, "group": "own", "size": 9.0,
             "title": "<img src=x onerror=alert(1)>", "x": 1.5, "y": -2.0},
            {"id": "b", "label": "PartyOrg", "name": "党委 & <b>", "group": "enterprise_org",
             "size": 14.0, "title": "t", "x": 3.0, "y": 4.0},
        ],
        "edges": [{"src": "b", "dst": "a", "type": "COVERS", "weight": 1}],
        "firms": 1,
        "aggregated": False,
        "physics": False,
        "note": "<i>note</i>",
    }  # fmt: skip
    html = view_html(payload, title="<h1>t</h1>")
    assert evil not in html and "<img src=x" not in html and "<i>note</i>" not in html
    assert "&lt;h1&gt;t&lt;/h1&gt;" in html and "&lt;i&gt;note&lt;/i&gt;" in html
    assert html.count("<script>") == 2
    nodes = embedded_json(html, "nodes")
    assert [n["label"] for n in nodes] == [evil, "党委 & <b>"]
    assert [(n["x"], n["y"]) for n in nodes] == [(1.5, -2.0), (3.0, 4.0)]
    assert embedded_json(html, "options")["physics"]["enabled"] is False
    assert_offline(html)


def test_bad_lang() -> None:
    payload = {"scope": "zone", "nodes": [], "edges": [], "firms": 0, "physics": True}
    with pytest.raises(ValueError, match="lang"):
        view_html(payload, "t", lang="fr")
