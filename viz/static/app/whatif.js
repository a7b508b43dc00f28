/* The alliance planner's what-if panel: collect changes, POST /api/whatif, show the net
   change first, then before/after row by row. "试算加入" on a candidate runs at once.
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
  const netEl = document.getElementById("whatif-net");
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

  // The alliance a list of changes touches: the first alliance member added or removed,
  // else the alliance the page shows.
  function touchedAlliance(sent) {
    const member = sent.find((c) => c.table === "alliance_members" && c.values.alliance_id);
    return member ? member.values.alliance_id : form.dataset.alliance;
  }

  // What to compare: "touched" (the default) is the reach of the alliance the change
  // touches, at the page's hops: firms entering or leaving it, and their coverage.
  function comparison(sent) {
    const chosen = form.elements.query.value;
    const query = chosen === "touched" ? "alliance_reach" : chosen || null;
    if (["alliance_reach", "alliance_candidates", "next_recruit"].includes(query)) {
      const alliance = chosen === "touched" ? touchedAlliance(sent) : form.dataset.alliance;
      return { query: query, params: { alliance: alliance, hops: Number(form.dataset.hops) } };
    }
    return { query: query, params: {} };
  }

  // The net change by firm, one line each (zeros left out), the firms entering first.
  const NET = [
    ["entered", "entered_uncovered"], ["left", "left_uncovered"], ["joined"], ["closer"],
    ["farther"], ["covered"], ["uncovered"],
  ];

  function netLines(net) {
    const lines = NET.filter(([name]) => net[name] > 0).map(([name, part]) => {
      const values = { n: net[name] };
      if (part) values.u = net[part];
      return el("li", { "data-net": name }, [
        name === "entered" ? el("strong", { text: t("plan.net." + name, values) })
          : t("plan.net." + name, values),
      ]);
    });
    return lines.length ? lines : [el("li", { "data-net": "none", text: t("plan.net.none") })];
  }

  async function run(given) {
    const sent = given || (changes.length ? changes.slice() : [current()]);
    const { query, params } = comparison(sent);
    status.textContent = t("c.loading");
    result.replaceChildren();
    netEl.hidden = true;
    netEl.replaceChildren();
    try {
      const body = await Z.fetchJSON("/api/whatif", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ changes: sent, query: query, params: params }),
      });
      status.textContent = sent.map(describe).join("; ");
      if (body.net) {
        netEl.replaceChildren(...netLines(body.net));
        netEl.hidden = false;
      }
      if (!body.rows.length) {
        result.append(el("p", { class: "muted", text: t("a.no_diff") }));
        return;
      }
      if (body.net) result.append(el("h3", { text: t("plan.rows_title") }));
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
    run(null);
  });
  // "试算加入": fill the form with the firm joining this alliance and run it at once,
  // alone (the list of changes stays as it is), against the default comparison.
  document.querySelectorAll(".try-add").forEach((button) => {
    button.addEventListener("click", () => {
      form.elements.op.value = "add";
      form.elements.table.value = "alliance_members";
      showTable();
      const members = fieldset("alliance_members");
      members.querySelector('[data-field="enterprise_id"]').value = button.dataset.firm;
      members.querySelector('[data-field="alliance_id"]').value = form.dataset.alliance;
      members.querySelector('[data-field="role"]').value = "member";
      form.elements.query.value = "touched";
      document.getElementById("whatif").scrollIntoView({ behavior: "instant", block: "start" });
      run([current()]);
    });
  });
  showTable();
})();
