/* What the network drawing shows around its data (part of the network page, see
   network.js): labels (which nodes carry one at the current zoom, one size on screen), the
   selection panel and its buttons, and full screen. */
(function () {
  "use strict";
  const N = window.zonegraphNet;
  const S = window.zonegraphNetStyle;
  const M = N.M;
  // The largest few always, any node drawn at least this many pixels wide (largest first)
  // while its label covers no other; the selection, focal firm and a highlighted path
  // always; never more than the budget in the window.
  const LABEL_TOP = 8;
  const LABEL_RADIUS_PX = 4;
  const LABEL_BUDGET = 150;
  const LABEL_PX = N.LABEL_PX;
  const { t, word } = window.zonegraph;
  const stage = document.getElementById("net-stage");

  /** Label width on screen, roughly: CJK characters are square, Latin ones about half. */
  function textWidth(text, px) {
    let w = 0;
    for (const ch of text) w += ch.charCodeAt(0) > 255 ? 1 : 0.6;
    return w * px;
  }

  /** Labels for the nodes that can be read at this zoom, a constant size on screen: the
      selection, the focal firm and a highlighted path always; then, largest first, any node
      in the window drawn big enough (the largest few always) whose label does not cover one
      already placed, up to the budget. Zooming in makes room for more. */
  function updateLabels() {
    const scale = N.network.getScale();
    const style = S.choice();
    const by = style.label === "none" ? "name" : style.label;
    const want = new Map();
    const boxes = [];
    const w = N.container.clientWidth;
    const h = N.container.clientHeight;
    const a = N.network.DOMtoCanvas({ x: 0, y: 0 });
    const b = N.network.DOMtoCanvas({ x: w, y: h });
    const size = Math.min(Math.max(LABEL_PX / scale, 4), 400);
    const place = (n, p, force) => {
      const text = S.labelText(n, by);
      const tw = textWidth(text, LABEL_PX) / 2 + 4;
      const cx = (p.x - a.x) * scale;
      const top = (p.y - a.y) * scale + n._size * scale + 2;
      const box = [cx - tw, top - 2, cx + tw, top + LABEL_PX + 6];
      if (!force && boxes.some((o) => box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3])) return;
      boxes.push(box);
      want.set(n.id, [text, force ? size * 1.1 : size]);
    };
    const forced = new Set([...N.network.getSelectedNodes(), ...M.pinned]);
    if (M.focal) forced.add(M.focal);
    if (M.focus.size <= 12) M.focus.forEach((id) => forced.add(id));
    if (M.highlight) M.highlight.nodes.forEach((id) => forced.add(id));
    const ids = M.ranked.map((n) => n.id);
    const pos = N.network.getPositions(ids.concat([...forced].filter((id) => M.shown.has(id))));
    forced.forEach((id) => { if (M.shown.has(id) && pos[id]) place(M.cache.get(id), pos[id], true); });
    if (style.label !== "none") {
      let budget = LABEL_BUDGET;
      M.ranked.forEach((n, i) => {
        const p = pos[n.id];
        // With a path highlighted, the dimmed nodes stay unlabelled.
        if (budget <= 0 || want.has(n.id) || !p || (M.highlight && !M.highlight.nodes.has(n.id))) return;
        if (p.x < a.x || p.x > b.x || p.y < a.y || p.y > b.y) return;
        if (i < LABEL_TOP || n._size * scale >= LABEL_RADIUS_PX || M.ranked.length <= 30) {
          place(n, p, false);
          if (want.has(n.id)) budget -= 1;
        }
      });
    }
    const updates = [];
    want.forEach(([text, px], id) => {
      const mark = text + "|" + px.toFixed(2);
      if (N.labelled.get(id) !== mark) {
        updates.push({ id: id, label: text, font: { size: px, strokeWidth: 3, strokeColor: "#ffffff" } });
        N.labelled.set(id, mark);
      }
    });
    N.labelled.forEach((mark, id) => {
      if (!want.has(id)) {
        updates.push({ id: id, label: "" });
        N.labelled.delete(id);
      }
    });
    if (updates.length) N.nodes.update(updates);
    N.container.dataset.labels = String(N.labelled.size);
  }

  function selectionChanged() {
    const ids = N.network ? N.network.getSelectedNodes() : [];
    const body = document.getElementById("selection-body");
    const firm = ids.length === 1 && M.cache.get(ids[0]).label === "Enterprise";
    document.getElementById("net-expand").disabled = ids.length !== 1;
    document.getElementById("net-hide").disabled = !ids.length;
    document.getElementById("net-chain").disabled = !firm && !M.focal;
    body.textContent = ids.length
      ? ids.map((id) => t("net.chain_item", { name: M.cache.get(id).name || id, kind: word(M.cache.get(id).label) }))
        .join(t("net.list_sep"))
      : t("net.select_hint");
    if (firm) document.getElementById("path-from").value = ids[0];
    if (N.network) updateLabels();
  }

  function select(id) {
    if (!N.network || !N.nodes.get(id)) return;
    N.network.selectNodes([id]);
    selectionChanged();
  }

  function toggleFull() {
    const button = document.getElementById("net-full");
    const on = !stage.classList.contains("net-full");
    stage.classList.toggle("net-full", on);
    button.textContent = on ? button.dataset.off : button.dataset.on;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    // The Fullscreen API where there is one; the class alone covers the window elsewhere.
    if (on && stage.requestFullscreen) stage.requestFullscreen().catch(() => {});
    if (!on && document.fullscreenElement) document.exitFullscreen().catch(() => {});
    window.requestAnimationFrame(() => { if (N.network) { N.network.redraw(); N.fit(); } });
  }

  /** The note above the drawing: what was aggregated or left out, in the page's language. */
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

  N.noteText = noteText;
  N.updateLabels = updateLabels;
  N.selectionChanged = selectionChanged;
  N.select = select;
  document.getElementById("net-full").addEventListener("click", toggleFull);
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && stage.classList.contains("net-full")) toggleFull();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && stage.classList.contains("net-full")) toggleFull();
  });
  N.labelledIds = () => [...N.labelled.keys()];
})();
