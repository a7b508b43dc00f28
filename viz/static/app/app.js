/* zonegraph pages: shared helpers (strings, tables built from JSON rows, sorting). */
(function () {
  "use strict";
  const data = document.getElementById("i18n-data");
  const T = data ? JSON.parse(data.textContent) : {};

  function t(key, values) {
    let text = Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key;
    if (values) {
      text = text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
    }
    return text;
  }

  function col(name) {
    return T["col." + name] || name;
  }

  function word(value) {
    return T["v." + value] || String(value);
  }

  function cell(value, column) {
    if (value === null || value === undefined || value === "") return "—";
    if (typeof value === "boolean") return value ? t("c.yes") : t("c.no");
    if (typeof value === "number" && !Number.isInteger(value)) {
      return /rate/.test(column) ? (value * 100).toFixed(1) + "%" : String(+value.toFixed(3));
    }
    if (Array.isArray(value)) return value.join(", ");
    if (column === "metric") return col(value);
    if (["kind", "formation", "how", "status", "coverage", "role", "mode"].includes(column)) {
      return word(value);
    }
    return String(value);
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  /** A sortable table of rows (objects) in the given column order; firm ids become links. */
  function table(columns, rows, options) {
    const opts = options || {};
    const head = el("tr", {}, columns.map((c) => el("th", { scope: "col", title: c, text: col(c) })));
    const body = el("tbody", {}, rows.map((r) => el("tr", {}, columns.map((c) => {
      const td = el("td", {
        "data-v": r[c] === null || r[c] === undefined ? "" : String(r[c]), "data-col": c,
        "data-label": col(c),
      });
      const text = cell(r[c], c);
      const firm = opts.firmColumns && opts.firmColumns.includes(c) && typeof r[c] === "string";
      td.append(firm ? el("a", { href: "/firms/" + encodeURIComponent(r[c]), text: text }) : text);
      return td;
    }))));
    const tableEl = el("table", { class: "data sortable" }, [el("thead", {}, [head]), body]);
    makeSortable(tableEl);
    return el("div", { class: "table-wrap" }, [tableEl]);
  }

  function compare(a, b) {
    const x = parseFloat(a);
    const y = parseFloat(b);
    const numeric = a !== "" && b !== "" && !isNaN(x) && !isNaN(y) && isFinite(a) && isFinite(b);
    return numeric ? x - y : a.localeCompare(b, "zh-CN");
  }

  function makeSortable(tableEl) {
    const heads = tableEl.querySelectorAll("thead th");
    heads.forEach((th, index) => {
      th.addEventListener("click", () => {
        const asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        const body = tableEl.tBodies[0];
        const rows = Array.from(body.rows);
        const key = (row) => {
          const c = row.cells[index];
          if (!c) return "";
          return c.hasAttribute("data-v") ? c.getAttribute("data-v") : c.textContent.trim();
        };
        rows.sort((r1, r2) => (asc ? 1 : -1) * compare(key(r1), key(r2)));
        rows.forEach((r) => body.append(r));
      });
    });
  }

  // A write from our own page carries the sign-in's CSRF token (the server refuses one without).
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');

  async function fetchJSON(url, init) {
    const options = Object.assign({}, init);
    const method = (options.method || "GET").toUpperCase();
    if (csrfMeta && method !== "GET" && method !== "HEAD") {
      options.headers = Object.assign({}, options.headers, { "X-CSRF-Token": csrfMeta.content });
    }
    const response = await fetch(url, options);
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const detail = body && (body.detail || body.error);
      const problems = body && body.problems ? body.problems.map((p) => p.text).join("; ") : "";
      const message = typeof detail === "string" ? detail : JSON.stringify(detail);
      throw new Error((message || response.status) + (problems ? " — " + problems : ""));
    }
    return body;
  }

  /** Each body cell of a table with class "data" that has no data-label gets its column's
   *  heading: a phone shows the rows as cards, each value labelled (see app.css). */
  function labelCells(tableEl) {
    const heads = Array.from(tableEl.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    Array.from(tableEl.tBodies).forEach((body) => {
      Array.from(body.rows).forEach((row) => {
        Array.from(row.cells).forEach((c, i) => {
          if (c.tagName === "TD" && !c.hasAttribute("data-label")) {
            c.setAttribute("data-label", heads[i] || "");
          }
        });
      });
    });
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  document.querySelectorAll("table.data").forEach(labelCells);
  // Tables other scripts build later (the what-if, the network's panels) are labelled too.
  if (window.MutationObserver) {
    let queued = false;
    new MutationObserver(() => {
      if (queued) return;
      queued = true;
      window.setTimeout(() => {
        queued = false;
        document.querySelectorAll("table.data").forEach(labelCells);
      }, 0);
    }).observe(document.body, { childList: true, subtree: true });
  }

  // The menu button folds the header's links on a phone (app.css shows it at ≤ 600 px).
  const menu = document.getElementById("menu-toggle");
  if (menu) {
    const header = menu.closest("header");
    const label = menu.querySelector("span");
    const setOpen = (open) => {
      header.classList.toggle("menu-open", open);
      menu.setAttribute("aria-expanded", String(open));
      if (label) label.textContent = open ? menu.dataset.close : menu.dataset.open;
    };
    menu.addEventListener("click", () => setOpen(!header.classList.contains("menu-open")));
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && header.classList.contains("menu-open")) {
        setOpen(false);
        menu.focus();
      }
    });
  }
  // Colours the server computes ride in data-bg: the CSP allows no style="" in the markup,
  // and setting a style from a script is allowed.
  document.querySelectorAll("[data-bg]").forEach((node) => {
    node.style.background = node.getAttribute("data-bg");
  });
  window.zonegraph = { T, t, col, word, cell, el, table, makeSortable, labelCells, fetchJSON };
})();
