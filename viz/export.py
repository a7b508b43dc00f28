"""One network view as one self-contained, offline HTML file.

:func:`view_html` draws a :func:`viz.graphdata.view_payload` with vis-network. pyvis builds
the network (its ``Network`` turns our nodes and edges into vis-network's node and edge
options); the page comes from our own template, ``viz/templates/export.html``, not from
pyvis' own, which links Bootstrap and tom-select from a CDN even with
``cdn_resources="in_line"``. pyvis' ``generate_html`` hands a template a fixed set of
values (no room for the inlined library, the legend or the language) and renders it
unescaped, so we render ours here, autoescaped, from pyvis' ``get_network_data()``. It
inlines the vendored vis-network build (``viz/static/vendor/vis-network``), so the file
loads nothing from the internet; a Content-Security-Policy in the page forbids it to try.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup
from pyvis.network import Network

from graph_model.store.base import Store
from viz.graphdata import COVERAGE_COLORS, DEFAULT_CAP, KIND_COLORS, SHAPES
from viz.scoped import scope_payload

Lang = Literal["zh", "en"]

VENDOR_JS = "static/vendor/vis-network/vis-network.min.js"
TEMPLATE = "templates/export.html"

#: Above this many nodes the page skips vis-network's slow initial layout pass.
_IMPROVED_LAYOUT_LIMIT = 100
_EDGE_COLOR = "#90a4ae"
_SUPPLY_COLOR = "#546e7a"

#: The export's own texts: each a message key (api.messages.lang, ``exp.*``).
_EXPORT_KEYS = (
    "coverage",
    "kinds",
    "edges",
    "SUPPLIES",
    "SUPPLIES_AGG",
    "ATTACHED",
    "group_hint",
    "stats",
    "aggregated",
    "howto_title",
    "howto",
    "details_title",
    "details_empty",
    "footer",
    "title_zone",
    "title_firm",
    "title_scope",
)
#: Relationship types the edge tooltips name.
_REL_TYPES = ("SUPPLIES", "OWN_ORG", "COVERS", "GUIDES", "MEMBER_OF", "LEADS", "LIAISES")


def export_text(lang: Lang) -> dict[str, str]:
    """Every text of an exported page in ``lang``, from the message catalogue: the legend
    worded as the network page words its own (``v.*``), the rest from ``exp.*``."""
    from api.i18n import Translator  # the catalogue; viz imports nothing of api at load

    t = Translator(lang)
    text = {key: t(f"exp.{key}") for key in _EXPORT_KEYS}
    text["html_lang"] = "zh-CN" if lang == "zh" else "en"
    firm = t.value("Enterprise")
    # The coverage legend, as the network page's: "企业 · 单独组建".
    text |= {cov: f"{firm} · {t.value(cov)}" for cov in ("own", "joint", "work", "uncovered")}
    text |= {label: t.value(label) for label in _KIND_ORDER}
    text |= {by: t(f"n.by.{by}") for by in ("grid", "street")}
    text |= {f"{k}_kind": t(f"n.kind.{k}") for k in ("street", "grid", "park", "industry")}
    text["alliance_kind"] = t("n.kind.alliance")
    return text


def rel_text(lang: Lang) -> dict[str, str]:
    """Relationship types as edge tooltips name them, from the catalogue (``rel.*``)."""
    from api.i18n import Translator

    t = Translator(lang)
    return {r: t(f"rel.{r}") for r in _REL_TYPES}


_KIND_ORDER = ("Enterprise", "Group", "PartyOrg", "Studio", "Instructor", "Alliance", "Liaison")
_FIRM_LABELS = frozenset({"Enterprise", "Group"})
#: A web address's scheme; XML namespace names (www.w3.org) are identifiers, kept.
_URL_SCHEME = re.compile(r"\bhttps?://(?!www\.w3\.org/)", re.IGNORECASE)


@lru_cache(maxsize=1)
def vis_network_js() -> tuple[str, str]:
    """The vendored vis-network build, ready to inline, and its version.

    Inlining drops the ``sourceMappingURL`` line (the map is not shipped), writes
    ``<\\/script`` for ``</script`` so the script cannot end early, and strips the scheme from
    the few web addresses the build names (licence and project links in comments, two
    core-js metadata strings; none is ever loaded), so an exported file names no
    http(s) address (XML namespace names, if a later build has any, are kept).
    """
    js = resources.files("viz").joinpath(VENDOR_JS).read_text(encoding="utf-8")
    found = re.search(r"@version\s+(\S+)", js[:2000])
    version = found.group(1) if found else "unknown"
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)
    js = _URL_SCHEME.sub("", js)
    # In a string these read the same to JavaScript; there are none in 10.1.5.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    return js.rstrip() + "\n", version


@lru_cache(maxsize=1)
def _template_env() -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    # Chinese stays readable in the file; tojson still escapes <, >, & and '.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    return env


def _template() -> Template:
    text = resources.files("viz").joinpath(TEMPLATE).read_text(encoding="utf-8")
    return _template_env().from_string(text)


def _points(shape: str) -> list[tuple[float, float]]:
    """Polygon corners of a legend icon on a 20×20 canvas centred at (10, 10)."""
    corners = {"triangle": 3, "diamond": 4, "hexagon": 6, "star": 10}[shape]
    pts = []
    for i in range(corners):
        angle = -math.pi / 2 + 2 * math.pi * i / corners
        r = 4.0 if shape == "star" and i % 2 else 8.5
        pts.append((10 + r * math.cos(angle), 10.5 + r * math.sin(angle)))
    return pts


def legend_icon(shape: str, fill: str, stroke: str = "#455a64", dashed: bool = False) -> Markup:
    """A small inline SVG of a node shape (or of a link: ``"edge"``, ``"arrow"``)."""
    if shape in ("edge", "arrow"):
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        end = 15 if shape == "arrow" else 19
        body = f'<line x1="1" y1="10" x2="{end}" y2="10" stroke="{fill}" stroke-width="2"{dash}/>'
        if shape == "arrow":
            body += f'<polygon points="20,10 14,6 14,14" fill="{fill}"/>'
    elif shape in ("dot", "circle"):
        body = f'<circle cx="10" cy="10" r="7.5" fill="{fill}" stroke="{stroke}"/>'
    elif shape in ("square", "box"):
        body = f'<rect x="3" y="3" width="14" height="14" fill="{fill}" stroke="{stroke}"/>'
    elif shape in ("triangle", "diamond", "hexagon", "star"):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in _points(shape))
        body = f'<polygon points="{pts}" fill="{fill}" stroke="{stroke}"/>'
    else:
        body = f'<circle cx="10" cy="10" r="7.5" fill="{fill}" stroke="{stroke}"/>'
    return Markup(
        f'<svg width="18" height="18" viewBox="0 0 20 20" aria-hidden="true">{body}</svg>'
    )


def node_color(node: dict[str, Any]) -> str:
    """Firms and aggregates by coverage, everything else by kind."""
    if node["label"] in _FIRM_LABELS and node.get("group") in COVERAGE_COLORS:
        return COVERAGE_COLORS[node["group"]]
    return KIND_COLORS.get(node["label"], KIND_COLORS["Group"])


def edge_width(weight: Any) -> float:
    """1 for a single link, growing with the log of an aggregate's count."""
    return round(min(1.0 + 2.0 * math.log2(max(float(weight or 1), 1.0)), 14.0), 2)


def build_network(payload: dict[str, Any], lang: Lang = "zh") -> Any:
    """pyvis' network for a payload: vis-network node and edge options, positions, physics.

    Supply links point from supplier to customer; an aggregated view's links count the
    supply links between two areas either way, so they have no arrow and are translucent.
    """
    rel = rel_text(lang)
    physics = bool(payload.get("physics", True))
    aggregated = bool(payload.get("aggregated"))
    supply_color: str | dict[str, Any] = (
        {"color": _SUPPLY_COLOR, "opacity": 0.35} if aggregated else _SUPPLY_COLOR
    )
    net = Network(directed=True, cdn_resources="in_line")
    for n in payload["nodes"]:
        title = n.get("title") or n.get("name") or n["id"]
        opts: dict[str, Any] = {"title": title, "size": float(n["size"])}
        if n.get("x") is not None and n.get("y") is not None:
            opts["x"], opts["y"] = float(n["x"]), float(n["y"])
        opts["kind"], opts["coverage"] = n["label"], n.get("group")
        if n.get("expand"):
            opts["expand"] = n["expand"]
            opts["title"] += f"\n→ {n['expand']}"
        net.add_node(
            n["id"],
            label=n.get("name") or n["id"],
            shape=SHAPES.get(n["label"], "dot"),
            color=node_color(n),
            **opts,
        )
    for e in payload["edges"]:
        supplies = e["type"] == "SUPPLIES"
        weight = e.get("weight") or 1
        name = rel.get(e["type"], e["type"])
        net.add_edge(
            e["src"],
            e["dst"],
            width=edge_width(weight),
            title=f"{name} ×{weight}" if weight != 1 else name,
            arrows={"to": {"enabled": supplies and not aggregated, "scaleFactor": 0.6}},
            dashes=not supplies,
            color=supply_color if supplies else _EDGE_COLOR,
            type=e["type"],
        )
    large = len(payload["nodes"]) > _IMPROVED_LAYOUT_LIMIT
    net.options = {
        "autoResize": True,
        "layout": {"improvedLayout": not large, "randomSeed": 2021},
        "nodes": {"borderWidth": 1, "font": {"size": 13, "face": "sans-serif"}},
        "edges": {"smooth": {"type": "continuous"} if physics else False, "selectionWidth": 2},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
            "stabilization": {"enabled": physics, "iterations": 400, "fit": True},
        },
    }
    return net


def _notes(payload: dict[str, Any], text: dict[str, str]) -> list[str]:
    notes = []
    if payload.get("aggregated"):
        ids = [str(n["id"]) for n in payload["nodes"]]
        by = "street" if ids and all(i.startswith("street:") for i in ids) else "grid"
        notes.append(text["aggregated"].format(by=text[by]))
    if payload.get("note"):
        notes.append(str(payload["note"]))
    return notes


def _legends(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], aggregated: bool, text: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    coverage = [
        {"key": key, "text": text[key], "icon": legend_icon("dot", color)}
        for key, color in COVERAGE_COLORS.items()
    ]
    present = {n["label"] for n in nodes}
    kinds = [
        {
            "key": label,
            "text": text[label] + (text["group_hint"] if label == "Group" else ""),
            "icon": legend_icon(
                SHAPES.get(label, "dot"),
                "#ffffff" if label in _FIRM_LABELS else KIND_COLORS.get(label, "#607d8b"),
            ),
        }
        for label in _KIND_ORDER
        if label in present or (label == "Enterprise" and not present)
    ]
    types = {e["type"] for e in edges}
    links = []
    if "SUPPLIES" in types:
        key, shape = ("SUPPLIES_AGG", "edge") if aggregated else ("SUPPLIES", "arrow")
        icon = legend_icon(shape, _SUPPLY_COLOR)
        links.append({"key": "SUPPLIES", "text": text[key], "icon": icon})
    if types - {"SUPPLIES"}:
        icon = legend_icon("edge", _EDGE_COLOR, dashed=True)
        links.append({"key": "ATTACHED", "text": text["ATTACHED"], "icon": icon})
    return coverage, kinds, links


def view_html(payload: dict[str, Any], title: str, lang: str = "zh") -> str:
    """One self-contained HTML document drawing ``payload`` (see :func:`view_payload`)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be one of ['en', 'zh'], not {lang!r}")
    language: Lang = "zh" if lang == "zh" else "en"
    text = export_text(language)
    net = build_network(payload, language)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    js, version = vis_network_js()
    coverage, kinds, links = _legends(
        payload["nodes"], payload["edges"], bool(payload.get("aggregated")), text
    )
    stats = text["stats"].format(
        scope=payload.get("scope", ""),
        firms=payload.get("firms", 0),
        nodes=len(nodes),
        edges=len(edges),
    )
    html: str = _template().render(
        html_lang=text["html_lang"],
        title=title,
        stats=stats,
        text=text,
        notes=_notes(payload, text),
        coverage_legend=coverage,
        kind_legend=kinds,
        edge_legend=links,
        footer=text["footer"].format(version=version),
        vis_js=Markup(js),
        nodes=nodes,
        edges=edges,
        options=net.options,
        physics=bool(payload.get("physics", True)),
    )
    return html


def view_title(payload: dict[str, Any], scope: str, hops: int, lang: str = "zh") -> str:
    """A heading for a scope's view: the zone, a firm (by name) or a named area."""
    text = export_text("zh" if lang == "zh" else "en")
    if scope == "zone":
        return text["title_zone"]
    kind, _, value = scope.partition(":")
    if kind == "firm":
        name = next((n["name"] for n in payload["nodes"] if n["id"] == value), None)
        return text["title_firm"].format(name=name or value, hops=hops)
    kind_text = text.get(f"{kind}_kind", kind)
    return text["title_scope"].format(kind=kind_text, value=value)


def write_view(
    store: Store,
    scope: str,
    hops: int,
    out: Path,
    cap: int = DEFAULT_CAP,
    lang: str = "zh",
) -> dict[str, Any]:
    """Export ``scope``'s network view to the HTML file ``out``; a summary of what was drawn."""
    payload = scope_payload(store, scope, hops, cap, lang=lang)
    html = view_html(payload, view_title(payload, scope, hops, lang), lang)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = html.encode("utf-8")
    out.write_bytes(data)
    return {
        "path": str(out),
        "scope": scope,
        "nodes": len(payload["nodes"]),
        "edges": len(payload["edges"]),
        "firms": payload["firms"],
        "aggregated": payload["aggregated"],
        "physics": payload["physics"],
        "bytes": len(data),
    }
