/* The alliance planner's what-if panel: collect changes, POST /api/whatif, show before/after.
   Nothing is written to the database. */
(function () {
  "use strict";
  const Z = window.zonegraph;
  const { t, el } = Z;
  const form = document.getElementById("whatif-form");
  if (!form) return;
  const listEl = document.getElementById("whatif-changes");
  const status = document.getElementById("whatif-status");
  const result = document.getElementById("whatif-result");
  const changes = [];

  function fieldset(table) {
    return form.querySelector(`fieldset[data-table="${table}"]`);
  }

  function showTable() {
    const table = form.elements.table.value;
    form.querySelectorAll("fieldset[data-table]").forEach((fs) => {
      fs.hidden = fs.dataset.table !== table;
    });
  }

  function current() {
    const table = form.elements.table.value;
    const values = {};
    fieldset(table).querySelectorAll("[data-field]").forEach((input) => {
      const v = input.value.trim();
      if (v) values[input.dataset.field] = v;
    });
    return { op: form.elements.op.value, table: table, values: values };
  }

  function describe(change) {
    const pairs = Object.entries(change.values)
      .map(([k, v]) => `${Z.col(k)}=${k === "role" || k === "mode" ? Z.word(v) : v}`)
      .join(", ");
    return `${t("a.op." + change.op)} ${t("a.table." + change.table)}: ${pairs}`;
  }

  function renderList() {
    listEl.replaceChildren(...changes.map((c, i) => {
      const drop = el("button", { type: "button", class: "small", text: "×", "aria-label": "remove" });
      drop.addEventListener("click", () => {
        changes.splice(i, 1);
        renderList();
      });
      return el("li", {}, [describe(c), drop]);
    }));
  }

  function queryParams(query) {
    if (["alliance_reach", "alliance_candidates", "next_recruit"].includes(query)) {
      return { alliance: form.dataset.alliance, hops: Number(form.dataset.hops) };
    }
    return {};
  }

  async function run() {
    const sent = changes.length ? changes.slice() : [current()];
    const query = form.elements.query.value || null;
    status.textContent = t("c.loading");
    result.replaceChildren();
    try {
      const body = await Z.fetchJSON("/api/whatif", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ changes: sent, query: query, params: query ? queryParams(query) : {} }),
      });
      status.textContent = sent.map(describe).join("; ");
      if (!body.rows.length) {
        result.append(el("p", { class: "muted", text: t("a.no_diff") }));
        return;
      }
      const firmColumns = query && query !== "alliance_overlap" ? ["id"] : [];
      const tableEl = Z.table(body.columns, body.rows, { firmColumns: firmColumns });
      tableEl.querySelector("table").id = "whatif-table";
      result.append(tableEl);
    } catch (err) {
      status.textContent = "";
      result.append(el("p", { class: "error-box", text: t("c.error") + ": " + err.message }));
    }
  }

  form.elements.table.addEventListener("change", showTable);
  document.getElementById("whatif-add").addEventListener("click", () => {
    const change = current();
    if (!Object.keys(change.values).length) return;
    changes.push(change);
    renderList();
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    run();
  });
  document.querySelectorAll(".try-add").forEach((button) => {
    button.addEventListener("click", () => {
      form.elements.op.value = "add";
      form.elements.table.value = "alliance_members";
      showTable();
      fieldset("alliance_members").querySelector('[data-field="enterprise_id"]').value = button.dataset.firm;
      document.getElementById("whatif").scrollIntoView({ behavior: "instant", block: "start" });
    });
  });
  showTable();
})();
