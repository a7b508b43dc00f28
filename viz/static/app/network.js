/* The network view: fetch /api/graph for a scope, draw it with vis-network (vendored),
   search firms, show a clicked firm's profile, open a clicked aggregate's scope.
   Sets window.zonegraphNetworkReady (and data-ready, data-scope on #network) after a scope's
   first draw, and window.zonegraphNetwork to the vis.Network shown. */
(function () {
  "use strict";
  const Z = window.zonegraph;
  const { t, el } = Z;
  const cfg = JSON.parse(document.getElementById("network-config").textContent);
  const form = document.getElementById("scope-form");
  const container = document.getElementById("network");
  const status = document.getElementById("net-status");
  const noteBox = document.getElementById("net-note");
  const EDGE_COLORS = {
    SUPPLIES: "#9e9e9e", OWN_ORG: "#2e7d32", COVERS: "#81c784", GUIDES: "#f9a825",
    MEMBER_OF: "#9270ca", LEADS: "#5e35b1", LIAISES: "#26a69a",
  };
  let network = null;
  let byId = new Map();
  window.zonegraphNetworkReady = false;

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

  function tooltip(text) {
    const div = document.createElement("div");
    div.style.whiteSpace = "pre-line";
    div.textContent = text;
    return div;
  }

  function toVis(payload) {
    const fewNodes = payload.nodes.length <= 150;
    const nodes = payload.nodes.map((n) => {
      const color = n.label === "Enterprise" || n.label === "Group"
        ? cfg.coverage_colors[n.group] || cfg.kind_colors.Enterprise
        : cfg.kind_colors[n.label] || "#90a4ae";
      const named = fewNodes || n.label === "Group" || n.label === "Alliance";
      const node = {
        id: n.id,
        label: named ? n.name || n.id : undefined,
        title: tooltip(n.title || n.name || n.id),
        shape: cfg.shapes[n.label] || "dot",
        color: { background: color, border: color, highlight: { background: color, border: "#000" } },
        font: { size: n.label === "Enterprise" ? 10 : 12 },
      };
      // Firms and aggregates are scaled into a drawable range; other units keep their size.
      if (n.label === "Enterprise" || n.label === "Group") node.value = n.size;
      else node.size = n.size;
      if (n.x !== null && n.x !== undefined) {
        node.x = n.x;
        node.y = n.y;
      }
      return node;
    });
    const edges = payload.edges.map((e, i) => ({
      id: "e" + i,
      from: e.src,
      to: e.dst,
      arrows: e.type === "SUPPLIES" ? { to: { enabled: true, scaleFactor: 0.5 } } : undefined,
      color: { color: EDGE_COLORS[e.type] || "#bdbdbd", opacity: payload.aggregated ? 0.35 : 0.7 },
      dashes: e.type === "GUIDES" || e.type === "LIAISES",
      width: Math.min(0.5 + Math.log2(e.weight || 1) / 2, 5),
      title: e.weight > 1 ? `${e.type} ×${e.weight}` : e.type,
    }));
    return { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) };
  }

  function noteText(payload) {
    if (!payload.aggregated) {
      if (!payload.note) return null;
      const shown = payload.nodes.filter((n) => n.label === "Enterprise").length;
      return t("n.partial", { firms: payload.firms, n: shown, note: payload.note });
    }
    const first = payload.nodes[0];
    const by = first && first.id.startsWith("street:") ? "street" : "grid";
    return t("n.aggregated", {
      firms: payload.firms, n: payload.nodes.length, by: t("n.by." + by), note: payload.note || "",
    });
  }

  function draw(payload) {
    byId = new Map(payload.nodes.map((n) => [n.id, n]));
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
          stabilization: { iterations: many ? 150 : 250, fit: true },
        }
        : false,
      interaction: { hover: true, tooltipDelay: 120, navigationButtons: false },
      edges: { smooth: false },
      nodes: {
        borderWidth: 1,
        scaling: { min: 5, max: payload.aggregated ? 40 : 32, label: { enabled: false } },
      },
    };
    if (network) network.destroy();
    network = new vis.Network(container, toVis(payload), options);
    window.zonegraphNetwork = network; // for tests and benchmarks
    network.once("afterDrawing", () => {
      window.zonegraphNetworkReady = true;
      container.dataset.ready = "1";
      container.dataset.scope = payload.scope;
      document.body.dataset.networkReady = "1";
    });
    network.on("click", (event) => {
      if (!event.nodes.length) return;
      const node = byId.get(event.nodes[0]);
      if (!node) return;
      if (node.expand) load(node.expand, true);
      else if (node.label === "Enterprise") showProfile(node.id);
    });
    if (!payload.physics) network.fit({ animation: false });
  }

  async function load(scope, push) {
    const hops = form.elements.hops.value || "1";
    const sizeBy = form.elements.size_by.value;
    setScopeInForm(scope);
    window.zonegraphNetworkReady = false;
    container.dataset.ready = "0";
    status.textContent = t("c.loading");
    const query = new URLSearchParams({ scope: scope, hops: hops, size_by: sizeBy });
    try {
      const payload = await Z.fetchJSON("/api/graph?" + query.toString());
      const note = noteText(payload);
      noteBox.hidden = !note;
      noteBox.textContent = note || "";
      noteBox.title = payload.note || "";
      status.textContent = t("n.summary", {
        firms: payload.firms, nodes: payload.nodes.length, edges: payload.edges.length,
      });
      const url = "/network?" + query.toString();
      if (push) window.history.pushState({ scope: scope }, "", url);
      else window.history.replaceState({ scope: scope }, "", url);
      draw(payload);
    } catch (err) {
      status.textContent = t("c.error") + ": " + err.message;
      container.dataset.ready = "error";
    }
  }

  function list(title, items, render) {
    const section = el("div", {}, [el("h3", { text: title + " (" + items.length + ")" })]);
    if (items.length) section.append(el("ul", {}, items.slice(0, 12).map((i) => el("li", { text: render(i) }))));
    return section;
  }

  async function showProfile(id) {
    const panel = document.getElementById("profile");
    const body = document.getElementById("profile-body");
    panel.hidden = false;
    body.replaceChildren(el("p", { class: "muted", text: t("c.loading") }));
    try {
      const p = await Z.fetchJSON("/api/enterprises/" + encodeURIComponent(id));
      const e = p.enterprise;
      const facts = el("dl", { class: "facts" });
      const rows = [
        ["col.id", e.id], ["col.industry", e.industry], ["col.street", e.street],
        ["col.grid", e.grid], ["col.employees", e.employees],
        ["col.party_members", e.party_members], ["f.star", e.star],
      ];
      rows.forEach(([key, value]) => {
        facts.append(el("dt", { text: t(key) }), el("dd", { text: Z.cell(value, key) }));
      });
      const openNear = el("button", { type: "button", class: "small", text: t("n.neighbourhood") });
      openNear.addEventListener("click", () => load("firm:" + e.id, true));
      body.replaceChildren(
        el("h3", {}, [e.name + " ", el("span", { class: "badge cov-" + p.coverage, text: Z.word(p.coverage) })]),
        facts,
        list(t("n.orgs"), p.organizations, (o) => `${o.name || o.id} · ${Z.word(o.kind)} · ${Z.word(o.how)}`),
        list(t("f.alliances"), p.alliances, (a) => a.name || a.id),
        el("p", { class: "small", text: t("n.links", { s: p.suppliers.length, c: p.customers.length }) }),
        el("p", {}, [el("a", { href: "/firms/" + encodeURIComponent(e.id), text: t("n.full_profile") }), " ", openNear]),
      );
      if (network && byId.has(id)) {
        network.selectNodes([id]);
        network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
      }
    } catch (err) {
      body.replaceChildren(el("p", { class: "error-box", text: err.message }));
    }
  }

  async function search(text) {
    const results = document.getElementById("search-results");
    results.replaceChildren();
    if (!text) return;
    try {
      const found = await Z.fetchJSON("/api/enterprises?" + new URLSearchParams({ q: text, limit: "10" }));
      if (!found.rows.length) results.append(el("li", { class: "muted", text: t("n.no_match") }));
      found.rows.forEach((r) => {
        const a = el("a", { href: "#", class: "search-hit", "data-id": r.id, text: `${r.name} (${r.id})` });
        a.addEventListener("click", (ev) => {
          ev.preventDefault();
          showProfile(r.id);
        });
        results.append(el("li", {}, [a]));
      });
    } catch (err) {
      results.append(el("li", { class: "error-box", text: err.message }));
    }
  }

  form.elements.kind.addEventListener("change", showKind);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    load(scopeFromForm(), true);
  });
  document.getElementById("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    search(document.getElementById("search-q").value.trim());
  });
  window.addEventListener("popstate", (ev) => {
    if (ev.state && ev.state.scope) load(ev.state.scope, false);
  });
  load(cfg.scope, false);
})();
