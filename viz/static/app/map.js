/* 企业地图: firms at their coordinates (Leaflet, no tiles unless configured), coloured by
   coverage, street and grid outlines, filters, and the firms without coordinates. */
(function () {
  "use strict";
  const Z = window.zonegraph;
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const mapEl = document.getElementById("map");
  const statusEl = document.getElementById("map-status");
  const noteEl = document.getElementById("map-note");
  const streetEl = document.getElementById("map-street");
  const coverageEl = document.getElementById("map-coverage");
  const lang = document.documentElement.lang === "en" ? "en" : "zh";
  // Grid names show once the map is this many zoom levels closer than the fitted view (or
  // when few grids are shown): at the zone's zoom, 75 grid names would cover each other.
  const GRID_LABEL_ZOOM_STEPS = 2;
  const FEW_GRIDS = 12;

  const map = L.map(mapEl, {
    attributionControl: false,
    zoomControl: false,
    minZoom: 3,
    maxZoom: 19,
    zoomSnap: 0.5,
    // Without fading, a redraw removes the old labels at once (no 200 ms of both).
    fadeAnimation: false,
  });
  L.control.zoom({ zoomInTitle: Z.t("map.zoom_in"), zoomOutTitle: Z.t("map.zoom_out") }).addTo(map);
  if (config.tiles) {
    // Only an intranet tile server the administrator named (ZONEGRAPH_MAP_TILES).
    L.tileLayer(config.tiles, { maxZoom: 19 }).addTo(map);
  } else {
    mapEl.classList.add("no-tiles");
  }
  // Firms above outlines, in their own pane and SVG, so a click on a firm is never an outline's.
  map.createPane("firms").style.zIndex = 450;
  const firmRenderer = L.svg({ pane: "firms" });
  const outlineLayer = L.layerGroup().addTo(map);
  const pointLayer = L.layerGroup().addTo(map);

  let answer = null;
  let fittedZoom = null;
  let gridCount = 0;
  let asked = 0;
  let draws = 0;

  function text(value) {
    return Z.el("span", { text: value });
  }

  function params(withBbox, withOutlines) {
    const p = new URLSearchParams({ lang: lang, cap: String(config.cap) });
    if (streetEl.value) p.set("street", streetEl.value);
    if (coverageEl.value) p.set("coverage", coverageEl.value);
    if (withBbox) {
      const b = map.getBounds();
      const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
      p.set("bbox", [clamp(b.getSouth(), 90), clamp(b.getWest(), 180),
        clamp(b.getNorth(), 90), clamp(b.getEast(), 180)].map((v) => v.toFixed(6)).join(","));
    }
    p.set("outlines", withOutlines ? "true" : "false");
    return p;
  }

  // Streets by colour (blues, purples, browns: none near the coverage greens, amber, red).
  const STREET_COLORS = ["#1565c0", "#6a1b9a", "#00838f", "#5d4037", "#283593", "#ad1457",
    "#37474f", "#0277bd", "#8d6e63", "#4527a0"];

  /** A text centred on a place, drawn over the map and never in a click's way. Leaflet's
      permanent tooltips measure themselves as each is added (one page layout per label):
      hundreds of labels took seconds, these take none (CSS centres them). */
  function placeLabel(latlng, content) {
    return L.marker(latlng, {
      icon: L.divIcon({ className: "map-label", html: content, iconSize: [0, 0] }),
      interactive: false,
      keyboard: false,
    });
  }

  function drawOutlines(outlines) {
    outlineLayer.clearLayers();
    gridCount = outlines.filter((o) => o.level === "grid").length;
    const legend = document.getElementById("street-legend");
    legend.replaceChildren();
    // Grids first, so the streets' heavier lines lie on top.
    const ordered = outlines.filter((o) => o.level === "grid")
      .concat(outlines.filter((o) => o.level === "street"));
    let streets = 0;
    ordered.forEach((o) => {
      const street = o.level === "street";
      const color = street ? STREET_COLORS[streets++ % STREET_COLORS.length] : "#78909c";
      // Each piece its own polygon (a multi-polygon: [[ring], [ring], …]).
      L.polygon(o.polygons.map((ring) => [ring]), {
        color: color,
        weight: street ? 2 : 1,
        dashArray: street ? null : "4 4",
        fillColor: color,
        fillOpacity: street ? 0.06 : 0,
        interactive: false,
        className: "outline outline-" + o.level,
      }).addTo(outlineLayer);
      const label = Z.el("span", { class: "outline-label outline-label-" + o.level, text: o.name });
      label.title = Z.t("map.outline", { name: o.name, n: o.firms });
      placeLabel(o.label_at, label).addTo(outlineLayer);
      if (street) {
        const swatch = Z.el("span", { class: "swatch" });
        swatch.style.borderColor = color;
        legend.append(Z.el("li", {}, [swatch, Z.t("map.outline", { name: o.name, n: o.firms })]));
      }
    });
  }

  function drawFirm(f) {
    const marker = L.circleMarker([f.lat, f.lon], {
      renderer: firmRenderer,
      radius: 5,
      color: "#ffffff",
      weight: 1,
      fillColor: config.colors[f.coverage],
      fillOpacity: 0.95,
      className: "firm cov-" + f.coverage,
    });
    marker.bindTooltip(text(f.name + " · " + Z.word(f.coverage)), { direction: "top" });
    marker.on("click", () => window.location.assign("/firms/" + encodeURIComponent(f.id)));
    marker.addTo(pointLayer);
    const path = marker.getElement();
    path.setAttribute("data-id", f.id);
    path.setAttribute("data-coverage", f.coverage);
  }

  function drawCluster(c, cell) {
    // Within its cell on screen, so that neighbouring circles do not cover each other.
    const a = map.latLngToContainerPoint([c.lat, c.lon]);
    const b = map.latLngToContainerPoint([c.lat, c.lon + cell]);
    const room = Math.abs(b.x - a.x) / 2;
    const marker = L.circleMarker([c.lat, c.lon], {
      renderer: firmRenderer,
      radius: Math.max(6, Math.min(room, 9 + 3 * Math.log2(c.firms))),
      color: "#ffffff",
      weight: 2,
      fillColor: config.colors[c.coverage],
      fillOpacity: 0.85,
      className: "cluster cov-" + c.coverage,
    });
    const radius = marker.getRadius();
    // A count is written in the circle only where it fits; the hover text always has it.
    if (radius >= 11) {
      placeLabel([c.lat, c.lon], Z.el("span", { class: "cluster-label", text: String(c.firms) }))
        .addTo(pointLayer);
    }
    const split = Z.t("map.cluster", { n: c.firms }) + "：" + Z.t("map.cluster_split", c.counts);
    marker.on("click", () => {
      const [s, w, n, e] = c.bounds;
      if (s === n && w === e) map.setView([s, w], Math.min(map.getZoom() + 2, 19));
      else map.fitBounds([[s, w], [n, e]], { padding: [20, 20], maxZoom: 19 });
    });
    marker.addTo(pointLayer);
    const path = marker.getElement();
    path.setAttribute("data-firms", String(c.firms));
    path.setAttribute("aria-label", split);
    // An SVG <title> is the circle's hover text (made in the path's own namespace).
    path.appendChild(document.createElementNS(path.namespaceURI, "title")).textContent = split;
  }

  function showPlaceless(placeless) {
    const box = document.getElementById("placeless");
    box.hidden = placeless.count === 0;
    document.getElementById("placeless-summary").textContent =
      Z.t("map.placeless", { n: placeless.count });
    const list = document.getElementById("placeless-list");
    list.replaceChildren(...placeless.firms.map((f) => Z.el("li", {}, [
      Z.el("a", { href: "/firms/" + encodeURIComponent(f.id), text: f.name }),
      " " + [f.id, f.street, f.grid].filter(Boolean).join(" · ") + " · " + Z.word(f.coverage),
    ])));
    const more = document.getElementById("placeless-more");
    more.hidden = placeless.count <= placeless.firms.length;
    more.textContent = Z.t("map.placeless_more", { n: placeless.count - placeless.firms.length });
  }

  function showGridLabels() {
    const close = fittedZoom !== null && map.getZoom() >= fittedZoom + GRID_LABEL_ZOOM_STEPS;
    mapEl.classList.toggle("show-grids", close || gridCount <= FEW_GRIDS);
  }

  function fit() {
    if (!answer || !answer.bounds) {
      map.setView([0, 0], 3);
      return;
    }
    const [s, w, n, e] = answer.bounds;
    map.fitBounds([[s, w], [n, e]], { padding: [24, 24], maxZoom: 17, animate: false });
    fittedZoom = map.getZoom();
  }

  async function load(whole) {
    const mine = ++asked;
    statusEl.textContent = Z.t("c.loading");
    let got;
    try {
      got = await Z.fetchJSON("/api/map?" + params(!whole, whole).toString());
    } catch (err) {
      statusEl.textContent = String(err.message || err);
      return;
    }
    if (mine !== asked) return; // a newer view was asked for meanwhile
    if (whole) {
      answer = got;
      drawOutlines(got.outlines || []);
      showPlaceless(got.placeless);
      fit();
      // Over the cap, the fitted view is asked for again (binned over what is in sight).
      if (got.clusters.length) {
        await load(false);
        return;
      }
    }
    const started = performance.now();
    pointLayer.clearLayers();
    got.firms.forEach(drawFirm);
    got.clusters.forEach((c) => drawCluster(c, got.cell));
    mapEl.dataset.points = String(got.firms.length);
    mapEl.dataset.clusters = String(got.clusters.length);
    mapEl.dataset.draws = String(++draws);
    statusEl.textContent = got.total === 0
      ? Z.t("map.no_firms")
      : Z.t("map.summary", { total: got.total, in_view: got.in_view });
    noteEl.hidden = !got.note;
    noteEl.textContent = got.note || "";
    showGridLabels();
    // How long the drawing took (benchmarks read it; the request's time is the server's).
    mapEl.dataset.drawMs = String(Math.round(performance.now() - started));
    window.zonegraphMapReady = true;
  }

  function filtersChanged() {
    const p = new URLSearchParams(window.location.search);
    ["street", "coverage"].forEach((k) => {
      const v = document.getElementById("map-" + k).value;
      if (v) p.set(k, v);
      else p.delete(k);
    });
    const query = p.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    window.zonegraphMapReady = false;
    load(true);
  }

  streetEl.addEventListener("change", filtersChanged);
  coverageEl.addEventListener("change", filtersChanged);
  document.getElementById("map-fit").addEventListener("click", fit);
  map.on("zoomend", showGridLabels);
  // Only a view over the cap depends on where the map looks; a full one has every firm.
  map.on("moveend", () => {
    if (answer && answer.total > answer.cap && window.zonegraphMapReady) load(false);
  });
  map.setView([0, 0], 3);
  window.zonegraphMap = map;
  load(true);
})();
