/* The network view's moves on nodes: search that locates a firm (adding it to the view when
   it is outside), step-by-step expand by relationship kind, hide, the shortest supply path
   between two firms and a firm's coverage chain, drawn and highlighted in the view. */
(function () {
  "use strict";
  const Z = window.zonegraph;
  const N = window.zonegraphNet;
  const { t, el } = Z;
  const pathResult = document.getElementById("path-result");

  function api(path, params) {
    return Z.fetchJSON(path + "?" + new URLSearchParams(Object.assign({}, params, { lang: N.LANG })));
  }

  function nameOf(id) {
    const n = N.M.cache.get(id);
    return n ? n.name || id : id;
  }

  /** A node's neighbours over `rels` (all kinds when empty): /api/graph/neighbors, or the
      node's one-hop firm view where that route is missing. */
  async function neighbours(id, rels) {
    try {
      const params = { id: id, cap: "200" };
      if (rels) params.rels = rels;
      return await api("/api/graph/neighbors", params);
    } catch (err) {
      if (N.M.cache.get(id) && N.M.cache.get(id).label !== "Enterprise") throw err;
      const payload = await api("/api/graph", { scope: "firm:" + id, hops: "1" });
      const edges = payload.edges.filter((e) => (e.src === id || e.dst === id) && (!rels || e.type === rels));
      const near = new Set([id, ...edges.map((e) => e.src), ...edges.map((e) => e.dst)]);
      return { nodes: payload.nodes.filter((n) => near.has(n.id)), edges: edges };
    }
  }

  function focusOn(id) {
    const net = N.network;
    // Out of the live layout: it would carry the node away from the centre again.
    N.nodes.update({ id: id, physics: false });
    N.select(id);
    net.focus(id, { scale: Math.max(net.getScale(), 1.2), animation: false });
  }

  /** Find a firm in the view and centre it; outside the view, add it first (with its lines
      to what the view already holds). */
  async function locate(id) {
    if (!N.network) return;
    if (N.M.present.has(id)) {
      N.M.pinned.add(id);
      N.render();
      focusOn(id);
      N.msg(t("net.located", { name: nameOf(id) }));
    } else {
      try {
        const found = await neighbours(id, "");
        const self = found.nodes.filter((n) => n.id === id);
        const edges = found.edges.filter((e) => N.M.present.has(e.src) || N.M.present.has(e.dst));
        const anchor = edges.map((e) => (e.src === id ? e.dst : e.src)).find((o) => N.M.present.has(o));
        N.push();
        N.merge({ nodes: self, edges: edges }, anchor || null);
        N.M.pinned.add(id);
        N.render();
        focusOn(id);
        N.msg(t("net.added", { name: nameOf(id) }));
      } catch (err) {
        N.msg(err.message, true);
        return;
      }
    }
    N.showProfile(id);
  }

  async function expand(id) {
    if (!id) {
      N.msg(t("net.nothing_selected"), true);
      return;
    }
    const rels = document.getElementById("net-rels").value;
    try {
      const found = await neighbours(id, rels);
      N.push();
      const fresh = N.merge(found, id);
      N.render();
      N.select(id);
      N.msg(t("net.expanded", { name: nameOf(id), n: fresh.length }));
    } catch (err) {
      N.msg(err.message, true);
    }
  }

  function hide() {
    const ids = N.network ? N.network.getSelectedNodes() : [];
    if (!ids.length) {
      N.msg(t("net.nothing_selected"), true);
      return;
    }
    N.push();
    ids.forEach((id) => {
      N.M.present.delete(id);
      N.M.pinned.delete(id);
    });
    N.network.unselectAll();
    N.render();
    document.getElementById("net-hide").disabled = true;
    document.getElementById("net-expand").disabled = true;
    N.msg(t("net.hidden_n", { n: ids.length }));
  }

  /** Draw a path-shaped answer (path, coverage chain) into the view and highlight it. */
  function drawChain(found) {
    const order = found.path && found.path.length ? found.path : found.nodes.map((n) => n.id);
    N.push();
    N.merge(found, order.find((id) => N.M.present.has(id)) || null);
    // Everything the answer holds is lit (a chain may add a liaison beside the path).
    const all = [...new Set([...order, ...found.nodes.map((n) => n.id)])];
    all.forEach((id) => N.M.pinned.add(id));
    N.setHighlight(all, found.edges.map(N.edgeKey));
    N.render();
    N.network.fit({ nodes: all, animation: false });
    if (order.length === 1) N.network.moveTo({ scale: 1.2, animation: false });
    document.getElementById("net-stage").scrollIntoView({ block: "nearest" });
    return order;
  }

  /** A firm id from what was typed: an id in the view, else the first firm whose name matches. */
  async function firmId(text) {
    const q = text.trim();
    if (!q) return null;
    if (N.M.cache.has(q)) return q;
    const found = await Z.fetchJSON("/api/enterprises?" + new URLSearchParams({ q: q, limit: "1" }));
    if (!found.rows.length) throw new Error(t("net.no_firm", { q: q }));
    return found.rows[0].id;
  }

  async function path(ev) {
    ev.preventDefault();
    pathResult.classList.remove("error");
    pathResult.textContent = t("c.loading");
    try {
      const source = await firmId(document.getElementById("path-from").value);
      const target = await firmId(document.getElementById("path-to").value);
      if (!source || !target) throw new Error(t("net.need_firm"));
      const found = await api("/api/graph/path", { source: source, target: target, max_hops: "6" });
      const order = drawChain(found);
      pathResult.textContent = t("net.path_found", {
        steps: order.length - 1, chain: order.map(nameOf).join(" → "),
      });
      pathResult.dataset.path = order.join(",");
    } catch (err) {
      pathResult.classList.add("error");
      pathResult.textContent = err.message;
      pathResult.dataset.path = "";
    }
  }

  async function chain() {
    const ids = N.network ? N.network.getSelectedNodes() : [];
    const firm = ids.length === 1 ? ids[0] : N.M.focal;
    if (!firm || N.M.cache.get(firm).label !== "Enterprise") {
      N.msg(t("net.need_firm"), true);
      return;
    }
    try {
      const found = await api("/api/graph/coverage_chain", { firm: firm });
      const order = drawChain(found);
      const text = order.map((id) => t("net.chain_item", { name: nameOf(id), kind: Z.word(N.M.cache.get(id).label) })).join(" → ");
      N.msg(t("net.chain_found", { name: nameOf(firm), chain: text }) + (found.note ? " " + found.note : ""));
      document.getElementById("net-msg").dataset.chain = order.join(",");
    } catch (err) {
      N.msg(err.message, true);
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
          locate(r.id);
        });
        results.append(el("li", {}, [a]));
      });
    } catch (err) {
      results.append(el("li", { class: "error-box", text: err.message }));
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
      openNear.addEventListener("click", () => N.load("firm:" + e.id, true));
      body.replaceChildren(
        el("h3", {}, [e.name + " ", el("span", { class: "badge cov-" + p.coverage, text: Z.word(p.coverage) })]),
        facts,
        list(t("n.orgs"), p.organizations, (o) => `${o.name || o.id} · ${Z.word(o.kind)} · ${Z.word(o.how)}`),
        list(t("f.alliances"), p.alliances, (a) => a.name || a.id),
        el("p", { class: "small", text: t("n.links", { s: p.suppliers.length, c: p.customers.length }) }),
        el("p", {}, [el("a", { href: "/firms/" + encodeURIComponent(e.id), text: t("n.full_profile") }), " ", openNear]),
      );
    } catch (err) {
      body.replaceChildren(el("p", { class: "error-box", text: err.message }));
    }
  }

  N.expand = expand;
  N.showProfile = showProfile;
  N.locate = locate;
  document.getElementById("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    search(document.getElementById("search-q").value.trim());
  });
  document.getElementById("net-expand").addEventListener("click", () => {
    const ids = N.network ? N.network.getSelectedNodes() : [];
    expand(ids[0]);
  });
  document.getElementById("net-hide").addEventListener("click", hide);
  document.getElementById("net-chain").addEventListener("click", chain);
  document.getElementById("path-form").addEventListener("submit", path);
  document.getElementById("net-clear").addEventListener("click", () => {
    N.setHighlight(null);
    N.render();
    pathResult.textContent = "";
  });
})();
