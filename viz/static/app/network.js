/* The network view: fetch /api/graph for a scope and draw it with vis-network (vendored).
   It keeps a model of what is in the view (nodes and lines, added ones included, and a
   history of steps for Back) and draws it through the style and filter choices
   (network_style.js), handing vis only what changed; it holds fit, reset and back.
   network_view.js (labels, selection, full screen), network_tools.js (search, expand, hide,
   path, coverage chain) and network_io.js (saved views, exports) work through
   window.zonegraphNet. Sets window.zonegraphNetworkReady (and data-ready, data-scope on
   #network) after a scope's first draw, and window.zonegraphNetwork to the vis.Network. */
(function () {
  "use strict";
  const Z = window.zonegraph;
  const S = window.zonegraphNetStyle;
  const { t } = Z;
  const cfg = JSON.parse(document.getElementById("network-config").textContent);
  const form = document.getElementById("scope-form");
  const container = document.getElementById("network");
  const status = document.getElementById("net-status");
  const noteBox = document.getElementById("net-note");
  const msgBox = document.getElementById("net-msg");
  const LANG = cfg.lang || (document.documentElement.lang.startsWith("en") ? "en" : "zh");
  const LABEL_PX = 12;

  const M = {
    scope: "zone", payload: null, base: new Set(), cache: new Map(), present: new Set(),
    edgeCache: new Map(), edges: new Set(), pinned: new Set(), highlight: null, focal: null,
    focus: new Set(),
    history: [], shown: new Set(), ranked: [], ready: Promise.resolve(),
  };
  let network = null;
  let nodesDS = null;
  let edgesDS = null;
  let drawn = new Map(); // node id or "e:" + edge key -> what vis was last given
  let lastView = "";
  window.zonegraphNetworkReady = false;
  // The page's network API: the other network_*.js files add their parts to it.
  const N = {
    M, cfg, LANG, LABEL_PX, container, labelled: new Map(),
    get network() { return network; },
    get nodes() { return nodesDS; },
  };
  window.zonegraphNet = N;

  const edgeKey = (e) => e.src + "|" + e.type + "|" + e.dst;

  function msg(text, isError) {
    msgBox.hidden = !text;
    msgBox.textContent = text || "";
    msgBox.classList.toggle("error", !!isError);
  }

  function scopeFromForm() {
    const kind = form.elements.kind.value;
    if (kind === "zone") return "zone";
    const value = (form.elements[kind].value || "").trim();
    return value ? kind + ":" + value : "zone";
  }

  function showKind() {
    const kind = form.elements.kind.value;
    form.querySelectorAll(".scope-value").forEach((label) => {
      label.hidden = label.dataset.kind !== kind;
    });
  }

  function setScopeInForm(scope) {
    const i = scope.indexOf(":");
    const kind = i < 0 ? "zone" : scope.slice(0, i);
    const value = i < 0 ? "" : scope.slice(i + 1);
    if (!form.elements.kind.querySelector(`option[value="${kind}"]`)) return;
    form.elements.kind.value = kind;
    if (kind !== "zone" && form.elements[kind]) form.elements[kind].value = value;
    showKind();
  }

  function tooltip(n) {
    if (!n._tip) {
      const div = document.createElement("div");
      div.style.whiteSpace = "pre-line";
      div.textContent = n.title || n.name || n.id;
      n._tip = div;
    }
    return n._tip;
  }

  /** Which present nodes the filters keep: firms by their properties (a pinned or focal firm
      always), other units while any firm they link to is kept (or they link to none). */
  function visibility(f) {
    const shown = new Set();
    const firmLinks = new Map();
    M.present.forEach((id) => {
      const n = M.cache.get(id);
      if (n.label !== "Enterprise") return;
      if (M.pinned.has(id) || id === M.focal || S.firmPasses(n, f)) shown.add(id);
    });
    M.edges.forEach((k) => {
      const e = M.edgeCache.get(k);
      [[e.src, e.dst], [e.dst, e.src]].forEach(([a, b]) => {
        const other = M.cache.get(b);
        if (M.present.has(a) && M.present.has(b) && other && other.label === "Enterprise") {
          if (!firmLinks.has(a)) firmLinks.set(a, false);
          if (shown.has(b)) firmLinks.set(a, true);
        }
      });
    });
    M.present.forEach((id) => {
      const n = M.cache.get(id);
      if (n.label !== "Enterprise" && (!firmLinks.has(id) || firmLinks.get(id))) shown.add(id);
    });
    return shown;
  }

  function visNode(n, style, scale, shown, inDS) {
    const colour = S.nodeColour(n, style.colour, scale);
    const lit = M.highlight && M.highlight.nodes.has(n.id);
    const dim = M.highlight && !lit;
    const focal = n.id === M.focal;
    const focus = focal || M.focus.has(n.id);
    const fill = dim ? S.faded(colour) : colour;
    n._size = S.nodeSize(n, style.size) * (focal ? 1.3 : 1);
    const v = {
      id: n.id,
      shape: cfg.shapes[n.label] || "dot",
      size: n._size,
      hidden: !shown,
      borderWidth: lit || focus ? 4 : 1,
      color: {
        background: fill,
        border: lit ? S.HIGHLIGHT : focus ? "#000000" : dim ? S.faded(colour) : colour,
        highlight: { background: colour, border: "#000000" },
        hover: { background: colour, border: "#000000" },
      },
      title: tooltip(n),
    };
    if (!inDS) {
      const pos = n._pos || (n.x !== null && n.x !== undefined ? { x: n.x, y: n.y } : null);
      if (pos) Object.assign(v, pos);
    }
    return v;
  }

  function visEdge(key, e, f) {
    const lit = M.highlight && M.highlight.edges.has(key);
    const shown = M.shown.has(e.src) && M.shown.has(e.dst) && (f.rels.includes(e.type) || lit);
    const aggregated = M.payload && M.payload.aggregated;
    return {
      id: key, from: e.src, to: e.dst, hidden: !shown,
      arrows: e.type === "SUPPLIES" ? { to: { enabled: true, scaleFactor: 0.5 } } : undefined,
      color: {
        color: lit ? S.HIGHLIGHT : S.EDGE_COLORS[e.type] || "#bdbdbd",
        opacity: lit ? 1 : M.highlight ? 0.15 : aggregated ? 0.35 : 0.7,
      },
      dashes: S.DASHED.has(e.type),
      width: lit ? 4 : Math.min(0.5 + Math.log2(e.weight || 1) / 2, 5),
      title: e.title || S.edgeTitle(e),
    };
  }

  /** The items whose drawing differs from what vis holds (a change of filter or colour
      touches a few of a thousand nodes; vis re-reads every item it is given). */
  function changed(items, prefix) {
    return items.filter((v) => {
      const key = (prefix || "") + v.id;
      const sig = JSON.stringify(v, (k, x) => (k === "title" || k === "x" || k === "y" ? undefined : x));
      if (drawn.get(key) === sig) return false;
      drawn.set(key, sig);
      return true;
    });
  }

  /** Draw the model through the current style and filters (and rebuild the legend). */
  function render() {
    if (!nodesDS) return;
    const style = S.choice();
    const f = S.filters();
    const nodes = [...M.present].map((id) => M.cache.get(id));
    const scale = S.colourScale(nodes.filter(S.isFirm), style.colour);
    M.shown = visibility(f);
    const goneNodes = nodesDS.getIds().filter((id) => !M.present.has(id));
    nodesDS.remove(goneNodes);
    goneNodes.forEach((id) => drawn.delete(id));
    nodesDS.update(changed(nodes.map((n) => visNode(n, style, scale, M.shown.has(n.id), drawn.has(n.id)))));
    const keys = [...M.edges].filter((k) => {
      const e = M.edgeCache.get(k);
      return M.present.has(e.src) && M.present.has(e.dst);
    });
    const keep = new Set(keys);
    const goneEdges = edgesDS.getIds().filter((k) => !keep.has(k));
    edgesDS.remove(goneEdges);
    goneEdges.forEach((k) => drawn.delete("e:" + k));
    edgesDS.update(changed(keys.map((k) => visEdge(k, M.edgeCache.get(k), f)), "e:"));
    const shownNodes = nodes.filter((n) => M.shown.has(n.id));
    M.ranked = shownNodes.slice().sort((a, b) => b._size - a._size);
    const shownEdges = keys.map((k) => M.edgeCache.get(k))
      .filter((e) => M.shown.has(e.src) && M.shown.has(e.dst) && f.rels.includes(e.type));
    S.legend(shownNodes, shownEdges, style, scale);
    document.getElementById("filter-count").textContent =
      t("net.f.shown", { shown: shownNodes.length, total: nodes.length });
    container.dataset.shown = String(shownNodes.length);
    document.getElementById("net-back").disabled = !M.history.length;
    N.labelled.forEach((v, id) => { if (!M.present.has(id)) N.labelled.delete(id); });
    lastView = "";
    if (network) N.updateLabels();
  }

  /** A copy of what is in the view, for Back. */
  function push() {
    M.history.push({
      present: [...M.present], edges: [...M.edges], pinned: [...M.pinned],
      highlight: M.highlight && { nodes: [...M.highlight.nodes], edges: [...M.highlight.edges] },
    });
    if (M.history.length > 50) M.history.shift();
  }

  function back() {
    const s = M.history.pop();
    if (!s) return;
    M.present = new Set(s.present);
    M.edges = new Set(s.edges);
    M.pinned = new Set(s.pinned);
    M.highlight = s.highlight && { nodes: new Set(s.highlight.nodes), edges: new Set(s.highlight.edges) };
    render();
    msg(t("net.undone"));
  }

  /** Put a payload's nodes and lines into the view; new nodes are placed in a ring around
      `anchor` (or the centre of the window). Returns the ids that were not there before. */
  function merge(payload, anchor) {
    const fresh = payload.nodes.filter((n) => !M.present.has(n.id));
    const centre = anchor && nodesDS.get(anchor) ? network.getPosition(anchor) : network.getViewPosition();
    const r = 70 + 22 * Math.sqrt(fresh.length);
    fresh.forEach((n, i) => {
      const old = M.cache.get(n.id);
      const node = old || n;
      if (!old) M.cache.set(n.id, n);
      const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
      node._pos = fresh.length === 1 && !anchor ? centre
        : { x: centre.x + r * Math.cos(angle), y: centre.y + r * Math.sin(angle) };
      M.present.add(n.id);
    });
    payload.edges.forEach((e) => {
      const k = edgeKey(e);
      if (!M.edgeCache.has(k)) M.edgeCache.set(k, e);
      M.edges.add(k);
    });
    return fresh.map((n) => n.id);
  }

  function setHighlight(nodes, edges) {
    M.highlight = nodes ? { nodes: new Set(nodes), edges: new Set(edges || []) } : null;
  }

  function shownIds() {
    return [...M.shown];
  }

  function fit() {
    if (!network) return;
    network.fit({ nodes: shownIds(), animation: false });
  }

  function draw(payload) {
    M.payload = payload;
    M.scope = payload.scope;
    M.cache = new Map(payload.nodes.map((n) => [n.id, n]));
    M.present = new Set(M.cache.keys());
    M.base = new Set(M.present);
    M.edgeCache = new Map(payload.edges.map((e) => [edgeKey(e), e]));
    M.edges = new Set(M.edgeCache.keys());
    M.pinned = new Set();
    M.highlight = null;
    M.history = [];
    M.focus = new Set(payload.nodes.filter((n) => n.focus).map((n) => n.id));
    M.focal = payload.scope.startsWith("firm:") ? payload.scope.slice(5) : null;
    if (M.focal && !M.cache.has(M.focal)) M.focal = null;
    container.dataset.focal = M.focal || "";
    const many = payload.nodes.length > 100;
    const options = {
      autoResize: true,
      layout: { improvedLayout: !many, randomSeed: 2021 },
      physics: payload.physics
        ? {
          solver: "barnesHut",
          barnesHut: payload.aggregated
            ? { gravitationalConstant: -30000, springConstant: 0.002, springLength: 260, avoidOverlap: 1 }
            : { gravitationalConstant: -9000, springLength: 160, avoidOverlap: 0.3 },
          // Aggregates settle quickly: fewer rounds before the first frame.
          stabilization: { iterations: payload.aggregated ? 100 : many ? 150 : 250, fit: true },
        }
        : false,
      interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, multiselect: true },
      edges: { smooth: false },
      nodes: { borderWidth: 1, font: { size: LABEL_PX } },
    };
    if (network) network.destroy();
    network = null;
    N.labelled = new Map();
    drawn = new Map();
    nodesDS = new vis.DataSet();
    edgesDS = new vis.DataSet();
    render();
    network = new vis.Network(container, { nodes: nodesDS, edges: edgesDS }, options);
    window.zonegraphNetwork = network; // for tests and benchmarks
    M.ready = new Promise((resolve) => {
      network.once("afterDrawing", () => {
        window.zonegraphNetworkReady = true;
        container.dataset.ready = "1";
        container.dataset.scope = payload.scope;
        document.body.dataset.networkReady = "1";
        // Fitted again once drawn: the container may have changed size since draw().
        if (!payload.physics) fit();
        resolve();
      });
    });
    network.on("afterDrawing", () => {
      const v = network.getScale().toFixed(4) + ":" + JSON.stringify(network.getViewPosition());
      if (v !== lastView) {
        lastView = v;
        window.requestAnimationFrame(N.updateLabels);
      }
    });
    // Nodes keep moving after the first frame while physics settles; once at rest the
    // layout stays put (a label, a drag or an added node must not set it moving again),
    // and the labels are placed again.
    network.once("stabilized", () => {
      network.setOptions({ physics: { enabled: false } });
      N.updateLabels();
    });
    network.on("click", (event) => {
      if (!event.nodes.length) return;
      const node = M.cache.get(event.nodes[0]);
      if (!node) return;
      if (node.expand) load(node.expand, true);
      else if (node.label === "Enterprise") N.showProfile(node.id);
    });
    ["selectNode", "deselectNode"].forEach((ev) => network.on(ev, N.selectionChanged));
    network.on("doubleClick", (event) => {
      if (event.nodes.length && N.expand) N.expand(event.nodes[0]);
    });
    if (!payload.physics) fit();
    N.selectionChanged();
  }

  async function load(scope, push, quiet) {
    const hops = form.elements.hops.value || "1";
    const sizeBy = form.elements.size_by.value;
    setScopeInForm(scope);
    window.zonegraphNetworkReady = false;
    container.dataset.ready = "0";
    status.textContent = t("c.loading");
    if (!quiet) msg("");
    const query = new URLSearchParams({ scope: scope, hops: hops, size_by: sizeBy });
    try {
      const payload = await Z.fetchJSON("/api/graph?" + query.toString() + "&lang=" + LANG);
      const note = N.noteText(payload);
      noteBox.hidden = !note;
      noteBox.textContent = note || "";
      noteBox.title = payload.note || "";
      status.textContent = t("n.summary", {
        firms: payload.firms, nodes: payload.nodes.length, edges: payload.edges.length,
      });
      const url = "/network?" + query.toString();
      if (push) window.history.pushState({ scope: scope }, "", url);
      else if (push === false) window.history.replaceState({ scope: scope }, "", url);
      draw(payload);
      return M.ready;
    } catch (err) {
      status.textContent = t("c.error") + ": " + err.message;
      container.dataset.ready = "error";
      return null;
    }
  }

  Object.assign(N, { msg, load, render, merge, push, back, fit, setHighlight, shownIds, edgeKey });
  form.elements.kind.addEventListener("change", showKind);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    load(scopeFromForm(), true);
  });
  document.getElementById("style-form").addEventListener("change", render);
  const filterForm = document.getElementById("filter-form");
  filterForm.addEventListener("change", render);
  filterForm.addEventListener("input", render);
  filterForm.addEventListener("reset", () => window.setTimeout(render, 0));
  filterForm.addEventListener("submit", (ev) => ev.preventDefault());
  document.getElementById("style-form").addEventListener("submit", (ev) => ev.preventDefault());
  document.getElementById("net-fit").addEventListener("click", fit);
  document.getElementById("net-reset").addEventListener("click", () => load(M.scope, null));
  document.getElementById("net-back").addEventListener("click", back);
  window.addEventListener("popstate", (ev) => {
    if (ev.state && ev.state.scope) load(ev.state.scope, null);
  });
  // After every script of the page has run: network_io.js may open a saved view instead.
  window.addEventListener("DOMContentLoaded", () => {
    if (!(N.start && N.start())) load(cfg.scope, false);
  });
})();
