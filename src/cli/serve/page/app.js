// The Deon page: a case form generated from the policy set's fact schema,
// the findings of an evaluation, a timeline, penalties, a what-if panel and
// the policy catalogue. Every text from policies and cases goes into the
// page as text (textContent, text nodes), never as markup.
"use strict";

(function () {
  const STATUS_ORDER = [
    "violated", "breached", "needs_review", "conditional", "pending", "encouraged",
    "satisfied", "respected", "exempt", "permitted", "not_applicable", "not_in_force",
  ];
  const STATUS_WORDS = {
    violated: "Violated", breached: "Breached", needs_review: "Needs review",
    conditional: "Conditional", pending: "Pending", encouraged: "Encouraged",
    satisfied: "Satisfied", respected: "Respected", exempt: "Exempt",
    permitted: "Permitted", not_applicable: "Not applicable", not_in_force: "Not in force",
  };
  // Groups opened by default: the ones that need a person's attention.
  const OPEN_GROUPS = new Set(["violated", "breached", "needs_review", "conditional", "pending"]);
  const KNOWN_FINDING_FIELDS = new Set([
    "rule", "regulation", "regulation_status", "citations", "modality", "action", "status",
    "summary", "due", "done_on", "days_left", "days_overdue", "exempted_by", "depends_on",
    "explanation", "penalties", "exposure", "breach_basis", "days_outstanding",
  ]);
  const KNOWN_PENALTY_FIELDS = new Set(["penalty", "citations", "version", "breach_date", "arguable", "sanctions", "tiers"]);
  const KNOWN_SANCTION_FIELDS = new Set(["sanction", "description", "likelihood", "condition", "discretionary", "tier", "choice"]);
  const LIKELIHOOD = { applies: "applies", possible: "possible", does_not_apply: "does not apply" };
  const TIER_REACHED = { applies: "reached", possible: "may be reached", does_not_apply: "not reached" };
  const PARTIES = [["entity", "The entity"], ["person_in_charge", "The person in charge"], ["individual", "An individual"]];

  const state = {
    catalogue: null,
    enums: new Map(),
    facts: [],
    examples: [],
    lastCase: null,
    lastReport: null,
    token: sessionStorage.getItem("deon-token") || "",
  };

  // ------------------------------------------------------------ DOM helpers

  /** An element with attributes and children; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  const $ = (id) => document.getElementById(id);

  function badge(status) {
    return el("span", { class: "badge status-" + status, text: STATUS_WORDS[status] || status });
  }

  function money(n) {
    return Number(n).toLocaleString("en-US") + " CNY";
  }

  /** Any JSON value as short text, for fields this page does not know yet. */
  function plain(value) {
    if (value === null || value === undefined) return "—";
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return value.map(plain).join("; ");
    if (typeof value === "object") {
      return Object.entries(value).map(([k, v]) => k.replace(/_/g, " ") + ": " + plain(v)).join(", ");
    }
    return String(value);
  }

  /** Fields of `object` not in `known`, each as a labelled line. */
  function extraFields(object, known) {
    const rows = [];
    for (const [key, value] of Object.entries(object)) {
      if (known.has(key) || value === null || value === undefined) continue;
      if (/note/.test(key) && Array.isArray(value)) {
        for (const note of value) rows.push(reviewNote(note));
        continue;
      }
      rows.push(el("p", { class: "extra" }, el("strong", { text: key.replace(/_/g, " ") + ": " }), plain(value)));
    }
    return rows;
  }

  function reviewNote(note) {
    const text = typeof note === "string" ? note : (note.text || note.note || note.message || plain(note));
    return el("p", { class: "review" }, el("strong", { text: "For review: " }), text);
  }

  // ------------------------------------------------------------ the API

  async function api(method, path, body) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (state.token) headers["Authorization"] = "Bearer " + state.token;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let json = null;
    try { json = await response.json(); } catch (_) { json = null; }
    if (response.status === 401) $("token-form").hidden = false;
    return { ok: response.ok, status: response.status, json };
  }

  function showErrors(target, result) {
    clear(target);
    const json = result.json || {};
    const errors = [json.error, ...(json.other_errors || [])].filter(Boolean);
    if (errors.length === 0) errors.push({ code: "HTTP " + result.status, message: "the server did not answer as expected" });
    const box = el("div", { class: "errors" }, el("strong", { text: errors.length === 1 ? "The server refused the case:" : "The server refused the case (" + errors.length + " problems):" }));
    const list = el("ul");
    for (const e of errors) {
      const where = e.line ? " (line " + e.line + ", column " + e.column + ")" : "";
      list.appendChild(el("li", {}, el("code", { text: e.code }), " ", e.message + where, e.help ? el("div", { class: "note", text: "Help: " + e.help }) : null));
    }
    box.appendChild(list);
    target.appendChild(box);
  }

  // ------------------------------------------------------------ the case form

  function factLabel(path) {
    const parts = path.split(".");
    return parts[parts.length - 1].replace(/_/g, " ");
  }

  function controlId(path, suffix) {
    return "fact-" + path.replace(/[^a-zA-Z0-9_-]/g, "-") + (suffix || "");
  }

  /** The value control of a fact; `prefix` keeps ids apart between forms. */
  function valueControl(fact, prefix) {
    const id = controlId(fact.path, prefix + "-value");
    const values = fact.enumeration ? (state.enums.get(fact.enumeration) || { values: [] }).values : [];
    if (fact.kind === "bool") {
      return el("select", { id, "aria-label": factLabel(fact.path) + ": value" },
        el("option", { value: "true", text: "yes" }), el("option", { value: "false", text: "no" }));
    }
    if (fact.kind === "enum") {
      return el("select", { id, "aria-label": factLabel(fact.path) + ": value" },
        values.map((v) => el("option", { value: v.name, text: v.name.replace(/_/g, " "), title: v.doc || "" })));
    }
    if (fact.kind === "set" || fact.kind === "list") {
      return el("div", { id, class: "choices", role: "group", "aria-label": factLabel(fact.path) + ": values" },
        values.map((v) => {
          const boxId = id + "-" + v.name;
          return el("label", { for: boxId, title: v.doc || "" },
            el("input", { type: "checkbox", id: boxId, value: v.name }), " " + v.name.replace(/_/g, " "));
        }));
    }
    if (fact.kind === "date") return el("input", { type: "date", id, "aria-label": factLabel(fact.path) + ": date" });
    if (fact.kind === "int") return el("input", { type: "number", step: "1", id, "aria-label": factLabel(fact.path) + ": number" });
    const placeholder = fact.kind === "duration" ? "e.g. 6 months" : fact.kind === "money" ? "e.g. 50,000 CNY"
      : fact.kind === "log" ? '[{"kept_from": "2025-01-31", "deleted_on": null}]' : "";
    return el("input", { type: "text", id, placeholder, "aria-label": factLabel(fact.path) + ": value" });
  }

  /** One fact's row: the state (unknown / known / not happened) and its value. */
  function factRow(fact, prefix) {
    const stateId = controlId(fact.path, prefix + "-state");
    const stateSelect = el("select", { id: stateId, "data-path": fact.path, class: "fact-state" },
      el("option", { value: "unknown", text: "unknown" }),
      el("option", { value: "known", text: "known" }),
      fact.optional ? el("option", { value: "null", text: "not happened" }) : null);
    const value = valueControl(fact, prefix);
    const row = el("div", { class: "fact", "data-path": fact.path },
      el("label", { class: "fact-name", for: stateId, text: factLabel(fact.path) }),
      el("span", { class: "fact-type", text: fact.type }),
      fact.doc ? el("div", { class: "fact-doc", text: fact.doc }) : null,
      el("div", { class: "fact-controls" }, stateSelect, value));
    const sync = () => setDisabled(value, stateSelect.value !== "known");
    stateSelect.addEventListener("change", sync);
    // Giving a value makes the fact known.
    value.addEventListener("input", () => { stateSelect.value = "known"; sync(); });
    value.addEventListener("change", () => { stateSelect.value = "known"; sync(); });
    row.factState = stateSelect;
    row.factValue = value;
    row.fact = fact;
    sync();
    return row;
  }

  function setDisabled(control, disabled) {
    // Keep value controls focusable: choosing one makes the fact known.
    control.classList.toggle("inactive", disabled);
    control.setAttribute("aria-disabled", disabled ? "true" : "false");
  }

  function readValue(row) {
    const { fact, factValue } = row;
    if (fact.kind === "set" || fact.kind === "list") {
      return Array.from(factValue.querySelectorAll("input:checked")).map((b) => b.value);
    }
    const text = factValue.value;
    if (fact.kind === "bool") return text === "true";
    if (fact.kind === "int") return text === "" ? text : Number(text);
    if (fact.kind === "money" && /^\d+$/.test(text.trim())) return Number(text.trim());
    // A log is written as JSON: [{"kept_from": "...", "deleted_on": null}, ...].
    if (fact.kind === "log") {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    return text;
  }

  function writeValue(row, value) {
    const { fact, factValue } = row;
    if (fact.kind === "set" || fact.kind === "list") {
      const chosen = new Set(Array.isArray(value) ? value.map(String) : []);
      for (const box of factValue.querySelectorAll("input")) box.checked = chosen.has(box.value);
    } else if (fact.kind === "bool") {
      factValue.value = value ? "true" : "false";
    } else if (fact.kind === "log") {
      factValue.value = value === undefined || value === null ? "" : JSON.stringify(value);
    } else {
      factValue.value = value === undefined || value === null ? "" : String(value);
    }
  }

  function setRow(row, kind, value) {
    row.factState.value = kind;
    if (kind === "known") writeValue(row, value);
    setDisabled(row.factValue, kind !== "known");
  }

  function buildForm() {
    const container = clear($("facts"));
    const records = new Map((state.catalogue.records || []).map((r) => [r.path, r]));
    const groups = new Map();
    for (const fact of state.facts) {
      const record = fact.path.includes(".") ? fact.path.slice(0, fact.path.lastIndexOf(".")) : "";
      if (!groups.has(record)) groups.set(record, []);
      groups.get(record).push(fact);
    }
    for (const [record, facts] of groups) {
      const info = records.get(record);
      const set = el("fieldset", {},
        el("legend", { text: record ? record.replace(/\./g, " › ").replace(/_/g, " ") : "General" }),
        info && info.doc ? el("p", { class: "note", text: info.doc }) : null,
        facts.map((f) => factRow(f, "case")));
      container.appendChild(set);
    }
  }

  function formRows() {
    return Array.from($("facts").querySelectorAll(".fact"));
  }

  /** The case the form describes, as JSON. */
  function caseFromForm() {
    const json = {};
    const asOf = $("as-of").value;
    if (asOf) json.as_of = asOf;
    for (const row of formRows()) {
      const kind = row.factState.value;
      if (kind === "unknown") continue;
      setPath(json, row.fact.path, kind === "null" ? null : readValue(row));
    }
    return json;
  }

  function setPath(object, path, value) {
    const parts = path.split(".");
    let node = object;
    for (const part of parts.slice(0, -1)) {
      if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
      node = node[part];
    }
    node[parts[parts.length - 1]] = value;
  }

  /** Where a case gives a fact: its value, null, or undefined (unknown). */
  function lookup(json, path) {
    let node = json;
    for (const part of path.split(".")) {
      if (node === null) return null; // a record known to be absent
      if (typeof node !== "object" || !(part in node)) return undefined;
      node = node[part];
    }
    return node;
  }

  function fillForm(json) {
    $("as-of").value = json && json.as_of ? json.as_of : "";
    for (const row of formRows()) {
      const value = json ? lookup(json, row.fact.path) : undefined;
      if (value === undefined || (value === null && !row.fact.optional)) setRow(row, "unknown");
      else if (value === null) setRow(row, "null");
      else setRow(row, "known", value);
    }
  }

  // ------------------------------------------------------------ findings

  function renderFindings(report) {
    const findings = report.findings || [];
    $("results-empty").hidden = true;
    const counts = clear($("status-counts"));
    const list = el("ul", { class: "counts", "aria-label": "Findings by status" });
    const byStatus = new Map();
    for (const f of findings) {
      if (!byStatus.has(f.status)) byStatus.set(f.status, []);
      byStatus.get(f.status).push(f);
    }
    const order = STATUS_ORDER.concat(Array.from(byStatus.keys()).filter((s) => !STATUS_ORDER.includes(s)));
    for (const status of order) {
      if (byStatus.has(status)) list.appendChild(el("li", {}, badge(status), " " + byStatus.get(status).length));
    }
    counts.appendChild(el("p", {}, "Evaluated on ", el("strong", { text: report.as_of }), " against " + findings.length + " rules."));
    counts.appendChild(list);
    if ((report.unknown_facts || []).length) {
      counts.appendChild(el("p", { class: "note" }, "The case leaves out " + report.unknown_facts.length + " facts that findings depend on: ",
        el("span", { class: "mono", text: report.unknown_facts.join(", ") })));
    }
    const container = clear($("findings"));
    for (const status of order) {
      const group = byStatus.get(status);
      if (!group) continue;
      const details = el("details", { class: "group", open: OPEN_GROUPS.has(status), "data-status": status },
        el("summary", {}, badge(status), " " + group.length + (group.length === 1 ? " finding" : " findings")),
        group.map(renderFinding));
      container.appendChild(details);
    }
  }

  function renderFinding(f) {
    const meta = el("ul", { class: "meta" },
      f.due ? el("li", { text: "due " + f.due }) : null,
      f.done_on ? el("li", { text: (f.modality === "must_not" ? "breached on " : "done on ") + f.done_on }) : null,
      f.days_left !== undefined ? el("li", { text: f.days_left + (f.days_left === 1 ? " day" : " days") + " left" }) : null,
      f.days_overdue !== undefined ? el("li", { text: f.days_overdue + (f.days_overdue === 1 ? " day" : " days") + " overdue" }) : null,
      f.exempted_by ? el("li", { text: "exempt by " + f.exempted_by }) : null,
      el("li", { text: f.regulation + (f.regulation_status === "draft" ? " (draft)" : "") }));
    const node = el("article", { class: "finding status-" + f.status, "data-rule": f.rule },
      el("h4", {}, el("span", { class: "rule-id", text: f.rule }), badge(f.status)),
      el("p", { class: "action" }, el("em", { text: f.modality.replace("_", " ") }), " " + f.action),
      el("p", { class: "summary", text: f.summary }),
      el("p", { class: "citations" }, el("strong", { text: "Cites: " }), (f.citations || []).join("; ") || "no citation"),
      meta,
      f.depends_on && f.depends_on.length ? el("p", { class: "note" }, "Depends on: ", el("span", { class: "mono", text: f.depends_on.join(", ") })) : null,
      extraFields(f, KNOWN_FINDING_FIELDS));
    if ((f.explanation || []).length) {
      node.appendChild(el("details", { class: "explain" },
        el("summary", { text: "Why: " + f.explanation.length + " steps" }),
        explanationTable(f.explanation)));
    }
    if ((f.penalties || []).length) {
      node.appendChild(el("p", { class: "note", text: "Penalties: " + f.penalties.map((p) => p.penalty).join(", ") + " (see Penalties below)." }));
    }
    return node;
  }

  function explanationTable(steps) {
    return el("table", {},
      el("thead", {}, el("tr", {}, el("th", { text: "Clause" }), el("th", { text: "Condition" }), el("th", { text: "Came to" }), el("th", { text: "Facts read" }))),
      el("tbody", {}, steps.map((s) => el("tr", {},
        el("td", { text: s.clause }),
        el("td", {}, el("code", { text: s.condition })),
        el("td", { text: s.outcome }),
        el("td", {}, (s.facts || []).map((fv) => el("div", {}, el("code", { text: fv.fact }), " = " + fv.value)))))));
  }

  // ------------------------------------------------------------ timeline

  function renderTimeline(report, caseJson) {
    const events = [];
    for (const fact of state.facts) {
      if (fact.kind !== "date") continue;
      const value = lookup(caseJson, fact.path);
      if (typeof value === "string" && value) {
        events.push({ date: value, kind: "event", text: fact.doc || factLabel(fact.path), detail: fact.path });
      }
    }
    for (const f of report.findings || []) {
      if (f.due) {
        const late = f.status === "violated";
        events.push({ date: f.due, kind: "due", text: "last day to " + f.action, detail: f.rule + " — " + (STATUS_WORDS[f.status] || f.status) + (late ? " (missed)" : "") });
      }
      for (const p of f.penalties || []) {
        events.push({ date: p.breach_date, kind: "breach", text: "breach of " + f.rule + " (" + f.action + ")", detail: "penalty " + p.penalty + (p.version ? ", version " + p.version : "") });
      }
    }
    events.push({ date: report.as_of, kind: "today", text: "the evaluation date", detail: "deadlines are judged against it" });
    events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind === "today" ? 1 : 0));
    const seen = new Set();
    const list = clear($("timeline"));
    for (const e of events) {
      const key = e.date + e.kind + e.text;
      if (seen.has(key)) continue;
      seen.add(key);
      list.appendChild(el("li", { class: "kind-" + e.kind },
        el("span", { class: "date", text: e.date }),
        el("span", { class: "kind", text: { event: "event", due: "due", breach: "breach", today: "today" }[e.kind] }),
        e.text,
        el("div", { class: "note mono", text: e.detail })));
    }
  }

  // ------------------------------------------------------------ penalties

  // Certain, possible and if-escalated fines kept apart, as the text report
  // says them; a possible range starts at its own floor, never at 0.
  function rangeText(range) {
    if (!range) return "none";
    const certainMax = range.certain_max || 0;
    const escalated = range.escalated || 0;
    if (range.min === 0 && range.max === 0 && escalated === 0) return "none";
    const span = (low, high) => low === 0 ? "up to " + money(high)
      : low === high ? money(low) : money(low) + " to " + money(high);
    const parts = [];
    if (range.min > 0 || certainMax > 0) {
      parts.push(span(range.min, Math.max(certainMax, range.min)) + " certain");
      if (range.max > certainMax) parts.push("possibly up to " + money(range.max));
    } else if (range.max > 0) {
      parts.push("none certain", "possibly " + span(range.possible_min || 0, range.max));
    } else {
      parts.push("none on these facts");
    }
    if (escalated > range.max) parts.push("up to " + money(escalated) + " if escalated");
    return parts.join("; ");
  }

  // The statute's steps of escalation, in its order, each with whether the
  // case reaches it.
  function renderTiers(tiers) {
    if (!tiers.length) return null;
    return el("ol", { class: "tiers" }, tiers.map((t) => el("li", { "data-likelihood": t.likelihood },
      el("strong", { text: t.name }), " — " + (TIER_REACHED[t.likelihood] || t.likelihood),
      t.condition ? el("span", {}, " (when ", el("code", { text: t.condition }), ")") : null,
      (t.facts || []).length ? el("div", { class: "note", text: "on these facts: " + t.facts.map((fv) => fv.fact + " = " + fv.value).join(", ") }) : null)));
  }

  function renderPenalties(report) {
    const totals = clear($("totals"));
    totals.appendChild(el("h3", { text: "Total fines at stake" }));
    totals.appendChild(el("p", { class: "note", text: "Each penalty counted once at its highest exposure. Certain fines surely apply on the facts given; possible ones may, if facts left out turn out against the party, or at the regulator's discretion, or through an arguable link; the figure if escalated is the most any tier of the penalty reaches." }));
    totals.appendChild(el("table", {},
      el("thead", {}, el("tr", {}, el("th", { text: "On" }), el("th", { text: "Fines" }))),
      el("tbody", {}, PARTIES.map(([key, label]) => el("tr", {}, el("td", { text: label }), el("td", { text: rangeText((report.totals || {})[key]) }))))));
    const container = clear($("penalties"));
    const failing = (report.findings || []).filter((f) => (f.penalties || []).length);
    if (!failing.length) {
      container.appendChild(el("p", { class: "note", text: "No finding of this case exposes a penalty." }));
      return;
    }
    for (const f of failing) {
      for (const p of f.penalties) {
        const box = el("div", { class: "penalty" },
          el("h4", {}, el("span", { class: "mono", text: p.penalty }), " — for ", el("span", { class: "mono", text: f.rule }), " ", badge(f.status)),
          el("p", { class: "citations" }, el("strong", { text: "Cites: " }), (p.citations || []).join("; ")),
          el("ul", { class: "meta" },
            el("li", { text: "breach dated " + p.breach_date + (f.breach_basis ? " (" + f.breach_basis + ")" : "") }),
            p.version ? el("li", { text: "version applied: " + p.version }) : null,
            p.arguable ? el("li", { text: "possible, needs review: the link to this penalty is arguable: " + p.arguable }) : null,
            f.days_outstanding != null ? el("li", { text: "outstanding for " + f.days_outstanding + (f.days_outstanding === 1 ? " day" : " days") + "; any fine is possible, for a reviewer to judge" }) : null),
          extraFields(p, KNOWN_PENALTY_FIELDS),
          renderTiers(p.tiers || []),
          el("table", { class: "sanctions" },
            el("thead", {}, el("tr", {}, el("th", { text: "Sanction" }), el("th", { text: "Tier" }), el("th", { text: "Applies?" }), el("th", { text: "When" }))),
            el("tbody", {}, (p.sanctions || []).map((s) => el("tr", {},
              el("td", {}, s.description,
                s.choice != null ? el("div", { class: "discretionary", text: (s.discretionary ? "the regulator's option: it may impose one of these, or none" : "one of these, the regulator chooses") + " (group " + s.choice + ")" })
                  : s.discretionary ? el("div", { class: "discretionary", text: "the regulator's option: may be imposed, at its discretion" }) : null,
                extraFields(s, KNOWN_SANCTION_FIELDS)),
              el("td", { text: s.tier || "first step" }),
              el("td", { text: LIKELIHOOD[s.likelihood] || s.likelihood }),
              el("td", {}, s.condition ? el("code", { text: s.condition }) : "always"))))));
        container.appendChild(box);
      }
    }
  }

  // ------------------------------------------------------------ evaluation

  async function evaluate(caseJson) {
    const result = await api("POST", "/v1/evaluate", caseJson);
    return result;
  }

  async function runEvaluation() {
    const caseJson = caseFromForm();
    const button = $("evaluate");
    button.disabled = true;
    clear($("case-errors"));
    try {
      const result = await evaluate(caseJson);
      if (!result.ok) {
        showErrors($("case-errors"), result);
        return;
      }
      state.lastCase = caseJson;
      state.lastReport = result.json.report;
      setPolicySet(result.json.policy_set);
      renderFindings(state.lastReport);
      renderTimeline(state.lastReport, caseJson);
      renderPenalties(state.lastReport);
      $("whatif-run").disabled = false;
      clear($("whatif-result"));
      $("results").focus();
    } catch (e) {
      showErrors($("case-errors"), { status: 0, json: { error: { code: "network", message: String(e) } } });
    } finally {
      button.disabled = false;
    }
  }

  // ------------------------------------------------------------ what if

  function buildWhatIf() {
    const select = clear($("whatif-fact"));
    for (const fact of state.facts) select.appendChild(el("option", { value: fact.path, text: fact.path }));
    select.addEventListener("change", showWhatIfControl);
    showWhatIfControl();
    $("whatif-run").disabled = true;
  }

  function showWhatIfControl() {
    const fact = state.facts.find((f) => f.path === $("whatif-fact").value);
    const container = clear($("whatif-value"));
    if (!fact) return;
    const row = factRow(fact, "whatif");
    container.appendChild(row);
    const current = state.lastCase ? lookup(state.lastCase, fact.path) : undefined;
    if (current === undefined) setRow(row, "unknown");
    else if (current === null) setRow(row, "null");
    else setRow(row, "known", current);
  }

  async function runWhatIf() {
    const out = clear($("whatif-result"));
    if (!state.lastReport) {
      out.appendChild(el("p", { class: "note", text: "Evaluate a case first." }));
      return;
    }
    const row = $("whatif-value").querySelector(".fact");
    const changed = JSON.parse(JSON.stringify(state.lastCase));
    const path = row.fact.path;
    const kind = row.factState.value;
    if (kind === "unknown") removePath(changed, path);
    else setPath(changed, path, kind === "null" ? null : readValue(row));
    if (!changed.as_of && state.lastReport.as_of) changed.as_of = state.lastReport.as_of;
    const result = await evaluate(changed);
    if (!result.ok) {
      showErrors(out, result);
      return;
    }
    const after = result.json.report;
    const before = new Map(state.lastReport.findings.map((f) => [f.rule, f]));
    const rows = [];
    for (const f of after.findings) {
      const b = before.get(f.rule);
      if (!b) continue;
      const fields = [];
      if (b.status !== f.status) fields.push(["status", STATUS_WORDS[b.status], STATUS_WORDS[f.status]]);
      if (b.due !== f.due) fields.push(["due", b.due || "—", f.due || "—"]);
      if (b.days_overdue !== f.days_overdue) fields.push(["days overdue", b.days_overdue ?? "—", f.days_overdue ?? "—"]);
      if (b.days_left !== f.days_left) fields.push(["days left", b.days_left ?? "—", f.days_left ?? "—"]);
      for (const [field, was, now] of fields) {
        rows.push(el("tr", {}, el("td", {}, el("span", { class: "mono", text: f.rule })), el("td", { text: field }),
          el("td", { class: "before", text: String(was) }), el("td", {}, field === "status" ? badge(f.status) : String(now))));
      }
    }
    const described = kind === "unknown" ? "unknown" : kind === "null" ? "not happened" : JSON.stringify(readValue(row));
    out.appendChild(el("p", {}, "With ", el("code", { text: path }), " " + described + ":"));
    if (!rows.length) {
      out.appendChild(el("p", { class: "note", text: "No finding changes." }));
    } else {
      out.appendChild(el("table", { class: "diff-table" },
        el("thead", {}, el("tr", {}, el("th", { text: "Rule" }), el("th", { text: "What" }), el("th", { text: "Before" }), el("th", { text: "After" }))),
        el("tbody", {}, rows)));
    }
    const totalsChanged = PARTIES.filter(([key]) => JSON.stringify(state.lastReport.totals[key]) !== JSON.stringify(after.totals[key]));
    for (const [key, label] of totalsChanged) {
      out.appendChild(el("p", {}, label + ": fines " + rangeText(state.lastReport.totals[key]) + " → " + rangeText(after.totals[key])));
    }
  }

  function removePath(object, path) {
    const parts = path.split(".");
    let node = object;
    for (const part of parts.slice(0, -1)) {
      if (node[part] === null) {
        // A record given as absent: spell out its other facts before leaving this one out.
        node[part] = {};
        for (const fact of state.facts) {
          const prefix = parts.slice(0, parts.indexOf(part) + 1).join(".") + ".";
          if (fact.path.startsWith(prefix) && fact.optional && fact.path !== path) setPath(object, fact.path, null);
        }
      }
      if (typeof node[part] !== "object" || node[part] === null) return;
      node = node[part];
    }
    delete node[parts[parts.length - 1]];
  }

  // ------------------------------------------------------------ catalogue

  function renderCatalogue() {
    const container = clear($("catalogue"));
    const byRegulation = new Map();
    for (const rule of state.catalogue.rules) {
      if (!byRegulation.has(rule.regulation)) byRegulation.set(rule.regulation, []);
      byRegulation.get(rule.regulation).push(rule);
    }
    for (const regulation of state.catalogue.regulations) {
      const rules = byRegulation.get(regulation.id) || [];
      const status = regulation.status === "draft" ? "a draft, not in force"
        : regulation.status.replace("_", " ") + (regulation.effective ? ", effective from " + regulation.effective : "");
      container.appendChild(el("h3", {}, regulation.title, " ", el("span", { class: "note", text: "(" + regulation.id + "; " + status + "; " + rules.length + " rules)" })));
      for (const rule of rules) {
        container.appendChild(el("details", { class: "catalogue-rule", "data-search": [rule.id, rule.citations.join(" "), rule.text, rule.doc || ""].join(" ").toLowerCase() },
          el("summary", {}, el("span", { class: "mono", text: rule.id }), " — " + (rule.citations.join("; ") || "no citation") + (rule.doc ? " — " + rule.doc : "")),
          el("p", { class: "note", text: rule.file + ":" + rule.line + (rule.roles.length ? " · binds " + rule.roles.join(", ") : " · binds everyone") + (rule.penalties.length ? " · penalties " + rule.penalties.join(", ") : "") }),
          el("pre", { class: "rule-text", text: rule.text })));
      }
    }
    const penalties = state.catalogue.penalties || [];
    if (penalties.length) {
      container.appendChild(el("h3", { text: "Penalties" }));
      for (const p of penalties) {
        container.appendChild(el("details", { class: "catalogue-rule", "data-search": (p.name + " " + p.citations.join(" ") + " " + (p.doc || "")).toLowerCase() },
          el("summary", {}, el("span", { class: "mono", text: p.name }), " — " + p.citations.join("; ")),
          p.doc ? el("p", { class: "note", text: p.doc }) : null,
          p.versions.map((v) => el("div", {},
            v.label ? el("p", {}, el("strong", { text: "Version " + v.label }), v.from ? " — from " + v.from : "", (v.citations || []).length ? " (" + v.citations.join("; ") + ")" : "") : null,
            el("ul", {}, v.sanctions.map((s) => el("li", {}, (s.discretionary ? "may: " : "") + s.description, s.condition ? el("span", { class: "note" }, " — when ", el("code", { text: s.condition })) : null)))))));
      }
    }
  }

  function filterCatalogue() {
    const needle = $("catalogue-filter").value.trim().toLowerCase();
    for (const node of $("catalogue").querySelectorAll("[data-search]")) {
      node.classList.toggle("hidden", needle !== "" && !node.getAttribute("data-search").includes(needle));
    }
  }

  // ------------------------------------------------------------ start

  function setPolicySet(hash) {
    const node = clear($("policy-set"));
    const summary = state.catalogue ? state.catalogue.summary + " · " : "";
    node.appendChild(document.createTextNode(summary + "policy set "));
    node.appendChild(el("code", { title: hash, text: String(hash).slice(0, 19) + "…" }));
  }

  async function start() {
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      state.token = $("token").value.trim();
      sessionStorage.setItem("deon-token", state.token);
      $("token-form").hidden = true;
      load();
    });
    $("case-form").addEventListener("submit", (event) => { event.preventDefault(); runEvaluation(); });
    $("whatif-form").addEventListener("submit", (event) => { event.preventDefault(); runWhatIf(); });
    $("clear").addEventListener("click", () => { $("example").value = ""; $("example-description").textContent = ""; fillForm({}); });
    $("catalogue-filter").addEventListener("input", filterCatalogue);
    $("example").addEventListener("change", () => {
      const example = state.examples.find((e) => e.name === $("example").value);
      $("example-description").textContent = example ? example.description : "";
      fillForm(example ? example.case : {});
      if (example) runEvaluation();
    });
    await load();
  }

  async function load() {
    const policies = await api("GET", "/v1/policies");
    if (!policies.ok) {
      showErrors($("case-errors"), policies);
      $("policy-set").textContent = "The policy set could not be read.";
      return;
    }
    state.catalogue = policies.json;
    state.enums = new Map(policies.json.enums.map((e) => [e.name, e]));
    state.facts = policies.json.facts;
    setPolicySet(policies.json.policy_set);
    buildForm();
    buildWhatIf();
    renderCatalogue();
    const examples = await api("GET", "/v1/examples");
    if (examples.ok) {
      state.examples = examples.json.examples;
      const select = $("example");
      for (const e of state.examples) select.appendChild(el("option", { value: e.name, text: e.name.replace(/_/g, " ") }));
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
