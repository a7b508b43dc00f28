/* The network view kept and handed on: saved named views (scope, filters, style, positions
   and what was added or hidden) on the server, opened by /network?view=<name>; the current
   view exported as PNG (the canvas) and SVG (built from the positions). */
(function () {
  "use strict";
  const Z = window.zonegraph;
  const S = window.zonegraphNetStyle;
  const N = window.zonegraphNet;
  const { t, el } = Z;
  const scopeForm = document.getElementById("scope-form");
  const viewsForm = document.getElementById("views-form");
  const viewMsg = document.getElementById("view-msg");

  const plain = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith("_")));

  function say(text, isError) {
    viewMsg.textContent = text;
    viewMsg.classList.toggle("error", !!isError);
  }

  /** What a saved view holds: enough to draw the same picture again. */
  function state() {
    const M = N.M;
    const baseEdges = new Set(M.payload.edges.map(N.edgeKey));
    const ids = [...M.present];
    const pos = N.network.getPositions(ids);
    return {
      version: 1,
      scope: M.scope,
      hops: parseInt(scopeForm.elements.hops.value, 10) || 1,
      size_by: scopeForm.elements.size_by.value,
      filters: S.filters(),
      style: S.choice(),
      present: ids,
      extra: {
        nodes: ids.filter((id) => !M.base.has(id)).map((id) => plain(M.cache.get(id))),
        edges: [...M.edges].filter((k) => !baseEdges.has(k)).map((k) => M.edgeCache.get(k)),
      },
      pinned: [...M.pinned],
      highlight: M.highlight && { nodes: [...M.highlight.nodes], edges: [...M.highlight.edges] },
      positions: Object.fromEntries(ids.filter((id) => pos[id])
        .map((id) => [id, [Math.round(pos[id].x), Math.round(pos[id].y)]])),
    };
  }

  /** Open a saved view: the one the page came with (`/network?view=`), else read by name. */
  async function open(name, given) {
    const say2 = (text, bad) => { say(text, bad); N.msg(text, bad); };
    try {
      const view = given || await Z.fetchJSON("/api/views/" + encodeURIComponent(name));
      const s = view.state || {};
      S.setFilters(s.filters);
      S.setChoice(s.style);
      if (s.hops) scopeForm.elements.hops.value = s.hops;
      if (s.size_by) scopeForm.elements.size_by.value = s.size_by;
      await N.load(s.scope || "zone", null, true);
      const M = N.M;
      const extra = s.extra || { nodes: [], edges: [] };
      N.merge({ nodes: extra.nodes || [], edges: extra.edges || [] }, null);
      if (s.present) M.present = new Set(s.present.filter((id) => M.cache.has(id)));
      M.pinned = new Set(s.pinned || []);
      N.setHighlight(s.highlight && s.highlight.nodes, s.highlight && s.highlight.edges);
      // Saved positions stay put: no physics after them.
      N.network.setOptions({ physics: false });
      N.render();
      const moves = Object.entries(s.positions || {}).filter(([id]) => M.present.has(id))
        .map(([id, [x, y]]) => ({ id: id, x: x, y: y }));
      N.nodes.update(moves);
      N.fit();
      window.history.replaceState({ scope: M.scope }, "", "/network?view=" + encodeURIComponent(name));
      document.getElementById("view-name").value = name;
      document.getElementById("views-panel").open = true;
      document.getElementById("network").dataset.view = name;
      say2(t("net.opened", { name: name }));
    } catch (err) {
      say2(err.message, true);
      if (!N.network) N.load(N.cfg.scope, false);
    }
  }

  async function refresh() {
    const list = document.getElementById("view-list");
    try {
      const body = await Z.fetchJSON("/api/views");
      const views = Array.isArray(body) ? body : body.views || body.rows || body.data || [];
      if (!views.length) {
        list.replaceChildren(el("li", { class: "muted", text: t("net.no_views") }));
        return;
      }
      list.replaceChildren(...views.map((v) => {
        const link = el("a", { href: "/network?view=" + encodeURIComponent(v.name), class: "view-link", text: v.name });
        const drop = el("button", { type: "button", class: "small", text: t("net.delete") });
        drop.addEventListener("click", async () => {
          try {
            await Z.fetchJSON("/api/views/" + encodeURIComponent(v.name), { method: "DELETE" });
            say(t("net.deleted", { name: v.name }));
            refresh();
          } catch (err) {
            say(err.message, true);
          }
        });
        return el("li", {}, [link, el("span", { class: "owner", text: v.owner || "" }), drop]);
      }));
    } catch (err) {
      list.replaceChildren(el("li", { class: "error-box", text: err.message }));
    }
  }

  async function save(ev) {
    ev.preventDefault();
    const name = document.getElementById("view-name").value.trim();
    if (!name || name.length > 80 || name.includes("/")) {
      say(t("net.name_bad"), true);
      return;
    }
    if (!N.network) return;
    try {
      await Z.fetchJSON("/api/views/" + encodeURIComponent(name), {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ state: state() }),
      });
      say(t("net.saved", { name: name }));
      refresh();
    } catch (err) {
      say(err.message, true);
    }
  }

  function fileName(ext) {
    const day = new Date().toISOString().slice(0, 10);
    return `${t("net.file")}_${N.M.scope.replace(/[:/\\?*"<>|]/g, "_")}_${day}.${ext}`;
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    N.msg(t("net.exported", { file: name }));
  }

  function png() {
    const src = document.querySelector("#network canvas");
    if (!src) return;
    const out = document.createElement("canvas");
    out.width = src.width;
    out.height = src.height;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    out.toBlob((blob) => download(blob, fileName("png")), "image/png");
  }

  // The SVG namespace as the HTML parser assigns it (no URL literal in our static files).
  const SVG_NS = (() => {
    const holder = document.createElement("div");
    holder.innerHTML = "<svg></svg>";
    return holder.firstChild.namespaceURI;
  })();
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const num = (v) => (Math.round(v * 10) / 10).toString();

  function shape(kind, x, y, r, attrs) {
    const pts = (list) => `<polygon points="${list.map(([a, b]) => num(x + a * r) + "," + num(y + b * r)).join(" ")}" ${attrs}/>`;
    if (kind === "diamond") return pts([[0, -1], [1, 0], [0, 1], [-1, 0]]);
    if (kind === "square" || kind === "box") return `<rect x="${num(x - r)}" y="${num(y - r)}" width="${num(2 * r)}" height="${num(2 * r)}" ${attrs}/>`;
    if (kind === "triangle") return pts([[0, -1], [0.87, 0.5], [-0.87, 0.5]]);
    if (kind === "hexagon") return pts([[-0.5, -0.87], [0.5, -0.87], [1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0]]);
    if (kind === "star") {
      const list = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const k = i % 2 ? 0.45 : 1;
        list.push([k * Math.cos(a), k * Math.sin(a)]);
      }
      return pts(list);
    }
    return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" ${attrs}/>`;
  }

  /** The view as SVG: the shown nodes where they are drawn, their lines, labels and legend. */
  function svgText() {
    const net = N.network;
    const ids = N.shownIds();
    const pos = net.getPositions(ids);
    const nodes = N.nodes.get(ids);
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    nodes.forEach((n) => {
      const p = pos[n.id];
      x0 = Math.min(x0, p.x - n.size); y0 = Math.min(y0, p.y - n.size);
      x1 = Math.max(x1, p.x + n.size); y1 = Math.max(y1, p.y + n.size);
    });
    if (!nodes.length) [x0, y0, x1, y1] = [0, 0, 100, 100];
    const pad = 60;
    const w = x1 - x0 + 2 * pad;
    const h = y1 - y0 + 2 * pad;
    const fs = Math.max(w / 90, 8);
    const parts = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<svg xmlns="${SVG_NS}" viewBox="${num(x0 - pad)} ${num(y0 - pad)} ${num(w)} ${num(h)}" width="${Math.round(Math.min(w, 4000))}" height="${Math.round(Math.min(w, 4000) * h / w)}" font-family="sans-serif">`,
      `<title>${esc(t("n.title") + " · " + N.M.scope)}</title>`,
      `<rect x="${num(x0 - pad)}" y="${num(y0 - pad)}" width="${num(w)}" height="${num(h)}" fill="#ffffff"/>`,
      '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#9e9e9e"/></marker></defs>',
      '<g class="edges">',
    ];
    const shown = new Set(ids);
    N.network.body.data.edges.get({ filter: (e) => !e.hidden && shown.has(e.from) && shown.has(e.to) }).forEach((e) => {
      const a = pos[e.from];
      const b = pos[e.to];
      const c = e.color || {};
      const dash = e.dashes ? ' stroke-dasharray="6,4"' : "";
      const arrow = e.arrows ? ' marker-end="url(#arrow)"' : "";
      // Lines end at the target's rim, so the arrow head shows.
      const r = (N.nodes.get(e.to) || { size: 0 }).size;
      const d = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const ex = b.x - ((b.x - a.x) * r) / d;
      const ey = b.y - ((b.y - a.y) * r) / d;
      parts.push(`<line x1="${num(a.x)}" y1="${num(a.y)}" x2="${num(ex)}" y2="${num(ey)}" stroke="${esc(c.color || "#bdbdbd")}" stroke-opacity="${c.opacity || 0.7}" stroke-width="${e.width || 1}"${dash}${arrow}><title>${esc(e.title || "")}</title></line>`);
    });
    parts.push("</g>", '<g class="nodes">');
    nodes.forEach((n) => {
      const p = pos[n.id];
      const c = n.color || {};
      const attrs = `fill="${esc(c.background || "#90a4ae")}" stroke="${esc(c.border || "#616161")}" stroke-width="${n.borderWidth || 1}" data-id="${esc(n.id)}"`;
      const name = (N.M.cache.get(n.id) || {}).name || n.id;
      parts.push(`<g>${shape(n.shape, p.x, p.y, n.size, attrs)}<title>${esc(name)}</title></g>`);
    });
    parts.push("</g>", '<g class="labels" text-anchor="middle" fill="#212121" stroke="#ffffff" stroke-width="0.25em" paint-order="stroke">');
    nodes.filter((n) => n.label).forEach((n) => {
      const p = pos[n.id];
      const size = (n.font && n.font.size) || fs;
      parts.push(`<text x="${num(p.x)}" y="${num(p.y + n.size + size)}" font-size="${num(size)}">${esc(n.label)}</text>`);
    });
    parts.push("</g>", `<g class="legend" font-size="${num(fs)}">`);
    let y = y0 - pad + fs * 1.5;
    document.querySelectorAll("#legend-body h3, #legend-body li").forEach((node) => {
      const x = x0 - pad + fs;
      if (node.tagName === "H3") {
        parts.push(`<text x="${num(x)}" y="${num(y)}" fill="#6b6b6b">${esc(node.textContent)}</text>`);
      } else {
        const sw = node.firstElementChild;
        const colour = sw && (sw.style.background || sw.style.borderTopColor) || "#bdbdbd";
        parts.push(`<rect x="${num(x)}" y="${num(y - fs * 0.8)}" width="${num(fs * 0.8)}" height="${num(fs * 0.8)}" fill="${esc(colour)}"/>`);
        parts.push(`<text x="${num(x + fs * 1.2)}" y="${num(y)}">${esc(node.textContent)}</text>`);
      }
      y += fs * 1.3;
    });
    parts.push("</g>", "</svg>");
    return parts.join("\n");
  }

  function svg() {
    if (!N.network) return;
    download(new Blob([svgText()], { type: "image/svg+xml" }), fileName("svg"));
  }

  N.start = () => {
    const name = new URLSearchParams(window.location.search).get("view");
    if (!name) return false;
    open(name, N.cfg.view && N.cfg.view.name === name ? N.cfg.view : null);
    return true;
  };
  N.viewState = state;
  viewsForm.addEventListener("submit", save);
  // The list is read when the panel opens (most visits never look at it).
  document.getElementById("views-panel").addEventListener("toggle", (ev) => {
    if (ev.target.open) refresh();
  });
  document.getElementById("net-png").addEventListener("click", png);
  document.getElementById("net-svg").addEventListener("click", svg);
})();
