/* The network view's style and filters: what colour, size and label a node shows (the
   style form), which nodes and lines the view keeps (the filter form), and the legend that
   follows both. Pure functions over the payload's nodes (their `props`), used by network.js. */
(function () {
  "use strict";
  const Z = window.zonegraph;
  const { t, el } = Z;
  const cfg = JSON.parse(document.getElementById("network-config").textContent);
  const styleForm = document.getElementById("style-form");
  const filterForm = document.getElementById("filter-form");

  const EDGE_COLORS = {
    SUPPLIES: "#9e9e9e", OWN_ORG: "#2e7d32", COVERS: "#81c784", GUIDES: "#f9a825",
    MEMBER_OF: "#9270ca", LEADS: "#5e35b1", LIAISES: "#26a69a", REPORTS_TO: "#e8684a",
    HOSTED_BY: "#f6bd16", IN_GRID: "#bbbbbb",
  };
  const DASHED = new Set(["GUIDES", "LIAISES", "HOSTED_BY"]);
  // Twelve colours told apart in print and by most colour-blind readers; the rest is grey.
  const PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#17becf", "#bcbd22", "#8c564b",
  ];
  const OTHER = "#bdbdbd";
  const STAR_COLORS = ["#eeeeee", "#fff3c4", "#ffe082", "#ffca28", "#ffa000", "#e65100"];
  const HIGHLIGHT = "#1565c0";

  const isFirm = (n) => n.label === "Enterprise";
  const props = (n) => n.props || {};
  // The contract says `none`; the aggregates and the legend say `uncovered`.
  const coverageOf = (n) => {
    const c = props(n).coverage || n.group;
    return c === "none" ? "uncovered" : c;
  };

  function choice() {
    return {
      colour: styleForm.elements.colour.value,
      size: styleForm.elements.size.value,
      label: styleForm.elements.label.value,
    };
  }

  function setChoice(style) {
    ["colour", "size", "label"].forEach((k) => {
      if (style && style[k] && styleForm.elements[k].querySelector(`option[value="${style[k]}"]`)) {
        styleForm.elements[k].value = style[k];
      }
    });
  }

  /** The value the colour choice reads off a firm ("" when it is not filled in). */
  function colourKey(n, by) {
    if (by === "coverage") return coverageOf(n) || "";
    const v = props(n)[by];
    if (v === null || v === undefined) return "";
    return String(v);
  }

  /** A colour for each value of the chosen property among the firms shown (largest groups
      first get the palette), so the legend and the drawing agree. */
  function colourScale(firms, by) {
    const scale = new Map();
    if (by === "coverage") {
      Object.entries(cfg.coverage_colors).forEach(([k, c]) => scale.set(k, c));
      return scale;
    }
    if (by === "star") {
      for (let i = 0; i <= 5; i++) scale.set(String(i), STAR_COLORS[i]);
      return scale;
    }
    if (by === "key_firm") {
      scale.set("true", "#c62828");
      scale.set("false", "#90a4ae");
      return scale;
    }
    const counts = new Map();
    firms.forEach((n) => {
      const k = colourKey(n, by);
      if (k) counts.set(k, (counts.get(k) || 0) + 1);
    });
    [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh-CN"))
      .slice(0, PALETTE.length).forEach(([k], i) => scale.set(k, PALETTE[i]));
    return scale;
  }

  function nodeColour(n, by, scale) {
    if (n.label === "Group") return cfg.coverage_colors[n.group] || cfg.kind_colors.Group;
    if (!isFirm(n)) return cfg.kind_colors[n.label] || "#90a4ae";
    return scale.get(colourKey(n, by)) || OTHER;
  }

  /** Node radius in canvas units: firms by the log of the chosen measure, 6 to 30. */
  function nodeSize(n, by) {
    if (n.label === "Group") return Math.min(8 + n.size / 2, 48);
    if (!isFirm(n)) return 12;
    if (by === "equal") return 10;
    const v = props(n)[by];
    if (v === null || v === undefined) return Math.min(Math.max(n.size / 2, 6), 30);
    return Math.min(6 + 3.2 * Math.log1p(Math.max(Number(v) || 0, 0)), 30);
  }

  function labelText(n, by) {
    const name = n.name || n.id;
    if (!isFirm(n)) return name;
    if (by === "id") return n.id;
    if (by === "members") {
      const m = props(n).party_members;
      return m === null || m === undefined ? name : t("net.members_n", { name: name, n: m });
    }
    return name;
  }

  function filters() {
    const f = filterForm.elements;
    return {
      coverage: [...filterForm.querySelectorAll("input[name=coverage]:checked")].map((i) => i.value),
      members: Math.max(parseInt(f.members.value, 10) || 0, 0),
      star: parseInt(f.star.value, 10) || 0,
      key: f.key.checked,
      industry: f.industry.value,
      rels: [...filterForm.querySelectorAll("input[name=rels]:checked")].map((i) => i.value),
    };
  }

  function setFilters(saved) {
    if (!saved) return;
    filterForm.querySelectorAll("input[name=coverage]").forEach((i) => {
      i.checked = !saved.coverage || saved.coverage.includes(i.value);
    });
    filterForm.querySelectorAll("input[name=rels]").forEach((i) => {
      i.checked = !saved.rels || saved.rels.includes(i.value);
    });
    filterForm.elements.members.value = String(saved.members || 0);
    filterForm.elements.star.value = String(saved.star || 0);
    filterForm.elements.key.checked = !!saved.key;
    if (filterForm.elements.industry.querySelector(`option[value="${CSS.escape(saved.industry || "")}"]`)) {
      filterForm.elements.industry.value = saved.industry || "";
    }
  }

  /** Whether a firm passes the filters (other nodes are judged by their firms, in network.js). */
  function firmPasses(n, f) {
    const p = props(n);
    if (!f.coverage.includes(coverageOf(n))) return false;
    if (f.members && !((p.party_members || 0) >= f.members)) return false;
    if (f.star && !((p.star || 0) >= f.star)) return false;
    if (f.key && p.key_firm !== true) return false;
    if (f.industry && p.industry !== f.industry) return false;
    return true;
  }

  function edgeTitle(e) {
    const rel = t("net.rel." + e.type);
    const name = rel === "net.rel." + e.type ? e.type : rel;
    return e.weight > 1 ? t("net.edge_weight", { rel: name, n: e.weight }) : name;
  }

  function item(swatch, text, count) {
    const li = el("li", {}, [swatch, text]);
    if (count !== undefined) li.append(el("span", { class: "count", text: "(" + count + ")" }));
    return li;
  }

  function swatch(colour, cls) {
    const s = el("span", { class: cls || "dot" });
    s.style.background = colour;
    return s;
  }

  function legendWord(by, key) {
    if (!key) return t("net.unfilled");
    if (by === "coverage") return Z.word(key);
    if (by === "star") return t("net.star_n", { n: key });
    if (by === "key_firm") return t(key === "true" ? "net.key_yes" : "net.key_no");
    return key;
  }

  /** The legend of what is drawn: firm colours by the chosen property (with counts), the
      other kinds present, the line kinds present, and what size shows. */
  function legend(nodes, edges, style, scale) {
    const body = document.getElementById("legend-body");
    const firms = nodes.filter(isFirm);
    const groups = nodes.filter((n) => n.label === "Group");
    const parts = [];
    if (firms.length || groups.length) {
      const counts = new Map();
      firms.forEach((n) => {
        const k = scale.has(colourKey(n, style.colour)) ? colourKey(n, style.colour) : "\u0000";
        counts.set(k, (counts.get(k) || 0) + 1);
      });
      const items = [];
      scale.forEach((colour, key) => {
        if (counts.has(key) || (style.colour === "coverage" && groups.length && key !== "closed")) {
          items.push(item(swatch(colour), legendWord(style.colour, key), counts.has(key) ? counts.get(key) : undefined));
        }
      });
      if (counts.has("\u0000")) {
        items.push(item(swatch(OTHER), style.colour === "industry" || style.colour === "street"
          ? t("net.other") : t("net.unfilled"), counts.get("\u0000")));
      }
      parts.push(el("h3", { text: t("net.legend_firms", { by: t("net.c." + style.colour) }) }),
        el("ul", { "data-legend": "colour", "data-by": style.colour }, items));
    }
    const kinds = [...new Set(nodes.filter((n) => !isFirm(n)).map((n) => n.label))];
    if (kinds.length) {
      parts.push(el("h3", { text: t("net.legend_kinds") }), el("ul", {}, kinds.map((k) => {
        const colour = k === "Group" ? cfg.kind_colors.Group : cfg.kind_colors[k] || "#90a4ae";
        return item(swatch(colour, "shape shape-" + (cfg.shapes[k] || "dot")), Z.word(k));
      })));
    }
    const types = [...new Set(edges.map((e) => e.type))];
    if (types.length) {
      parts.push(el("h3", { text: t("net.legend_edges") }), el("ul", {}, types.map((ty) => {
        const line = el("span", { class: "line" + (DASHED.has(ty) ? " dashed" : "") });
        line.style.borderTopColor = EDGE_COLORS[ty] || "#bdbdbd";
        return item(line, edgeTitle({ type: ty, weight: 1 }));
      })));
    }
    if (firms.length) {
      parts.push(el("p", { class: "muted small", text: t("net.legend_size", { by: t("net.s." + style.size) }) }));
    }
    body.replaceChildren(...parts);
  }

  /** A colour drawn faint, for what lies outside a highlighted path. */
  function faded(hex) {
    const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
    if (!m) return "rgba(200,200,200,0.3)";
    return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},0.22)`;
  }

  window.zonegraphNetStyle = {
    faded,
    EDGE_COLORS, DASHED, HIGHLIGHT, isFirm, coverageOf, choice, setChoice, colourScale,
    nodeColour, nodeSize, labelText, filters, setFilters, firmPasses, edgeTitle, legend,
  };
})();
