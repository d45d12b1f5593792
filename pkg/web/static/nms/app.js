// The ncws NMS page: the first user of the netconf-ws client module. No framework; every
// element is in index.html and filled here.

import { connect, prettyXML, NetconfError, SessionClosedError, escapeXML, NETCONF_NS } from "../netconf-ws/index.js";
import { VirtualTree } from "./tree.js";
import {
  SchemaModel, DataNode, dataRoots, findRow, leafMap, diffLeaves, stepsOfRow, stepsOfSchema,
  editXML, subtreeFilter, typeHelp, checkValue,
} from "./model.js";

const $ = (id) => document.getElementById(id);
const t0 = performance.now();

/** Figures the page measures (read by tests and shown in the Session view). */
const metrics = (window.ncwsMetrics = { schemaNodes: 0 });

const ML_NS = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";
const YL_NS = "urn:ietf:params:xml:ns:yang:ietf-yang-library";
const NCWS_NS = "urn:ncws:yang:ncws-server";
const CAND = "urn:ietf:params:netconf:capability:candidate:1.0";
const CONFIRMED = "urn:ietf:params:netconf:capability:confirmed-commit:1.1";
const WRITABLE_RUNNING = "urn:ietf:params:netconf:capability:writable-running:1.0";

let session = null;
let model = null;
let server = "";
let dataRows = [];
let filterNodes = [];
let errorMarks = new Map(); // instance path -> [{err, exact}]
let editCtx = null; // {steps, row, fields: Map(sn -> input)}
let reconnects = 0;
let notifCount = 0;
let countdown = null;

function status(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", !!isError);
}

function errText(e) {
  if (e instanceof NetconfError) return e.errors.map(String).join("; ");
  return e && e.message ? e.message : String(e);
}

// ---- tabs ---------------------------------------------------------------------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];
function selectTab(tab, focus) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  if (tab.id === "tab-schema" && schemaTree) schemaTree._render();
  if (tab.id === "tab-data") dataTree._render();
}
for (const t of tabs) {
  t.addEventListener("click", () => selectTab(t));
  t.addEventListener("keydown", (ev) => {
    const i = tabs.indexOf(t);
    let j = -1;
    if (ev.key === "ArrowRight") j = (i + 1) % tabs.length;
    else if (ev.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
    else if (ev.key === "Home") j = 0;
    else if (ev.key === "End") j = tabs.length - 1;
    if (j >= 0) {
      ev.preventDefault();
      selectTab(tabs[j], true);
    }
  });
}

// ---- login and session ------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
$("login-server").value = params.get("server") || location.origin;

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("login-error").textContent = "";
  $("login-submit").disabled = true;
  server = $("login-server").value.replace(/\/+$/, "");
  const wsURL = server.replace(/^http/, "ws") + "/netconf";
  const credentials = { username: $("login-user").value, password: $("login-password").value };
  try {
    session = await connect(wsURL, { credentials, reconnect: true, loginURL: server + "/login" });
  } catch (e) {
    $("login-error").textContent = "Login failed: " + errText(e);
    $("login-submit").disabled = false;
    return;
  }
  $("login-password").value = "";
  $("login-submit").disabled = false;
  wireSession();
  $("login").hidden = true;
  $("app").hidden = false;
  $("btn-reconnect").hidden = false;
  $("btn-logout").hidden = false;
  updateSession();
  setupCapabilities();
  await loadSchema();
  await Promise.allSettled([readData(), loadModules(), refreshLocks(), refreshHistory()]);
  document.body.dataset.ready = "true";
});

function wireSession() {
  session.addEventListener("close", (ev) => {
    const d = ev.detail;
    status("Session closed (" + d.code + (d.reason ? " " + d.reason : "") + ")" + (d.willReconnect ? "; reconnecting…" : ""), !d.willReconnect);
    updateSession();
  });
  session.addEventListener("reconnecting", (ev) => {
    $("sum-state").textContent = "reconnecting (attempt " + ev.detail.attempt + ")";
    $("sum-state").className = "badge reconnecting";
  });
  session.addEventListener("reconnect", async () => {
    reconnects++;
    updateSession();
    status("Reconnected: session " + session.sessionId);
    await readData();
  });
  session.addEventListener("resubscribed", (ev) => {
    if (ev.detail.subscriptions > 0) $("sub-status").textContent = "Subscribed again after the reconnect (session " + session.sessionId + ").";
  });
  session.addEventListener("notification", (ev) => addNotification(ev.detail));
  session.addEventListener("error", (ev) => status("Unexpected: " + ev.detail.message, true));
}

function updateSession() {
  const st = session ? session.state : "signed out";
  $("sum-state").textContent = st;
  $("sum-state").className = "badge " + (st === "open" ? "open" : st === "closed" ? "closed" : "reconnecting");
  $("sum-text").textContent = session ? (session.username || "") + " @ " + server + ", session " + session.sessionId : "";
  $("s-url").textContent = session ? session.url : "";
  $("s-user").textContent = session ? session.username || "" : "";
  $("s-id").textContent = session ? session.sessionId : "";
  $("s-state").textContent = st;
  $("s-reconnects").textContent = String(reconnects);
  const caps = $("cap-list");
  caps.replaceChildren(...(session ? session.capabilities : []).map((c) => {
    const li = document.createElement("li");
    li.textContent = c;
    return li;
  }));
}

$("btn-reconnect").addEventListener("click", async () => {
  try {
    await session.reconnect();
    reconnects++;
    updateSession();
    status("Reconnected: session " + session.sessionId);
    await readData();
  } catch (e) {
    status("Reconnect failed: " + errText(e), true);
  }
});

$("btn-logout").addEventListener("click", async () => {
  const s = session;
  session = null;
  try {
    await s.closeSession();
  } catch {
    s.close();
  }
  try {
    await fetch(server + "/logout", { method: "POST", credentials: "include", headers: s._token ? { Authorization: "Bearer " + s._token } : {} });
  } catch {
    // the token expires on its own
  }
  $("app").hidden = true;
  $("login").hidden = false;
  $("btn-reconnect").hidden = true;
  $("btn-logout").hidden = true;
  updateSession();
  $("login-user").focus();
});

function setupCapabilities() {
  const cand = session.hasCapability(CAND);
  $("data-source").querySelector('[value="candidate"]').hidden = !cand;
  $("commit-nocandidate").hidden = cand;
  $("commit-candidate").hidden = !cand;
  $("c-confirmed").disabled = !session.hasCapability(CONFIRMED);
  const tgt = $("edit-target");
  tgt.replaceChildren();
  if (cand) tgt.append(new Option("candidate", "candidate"));
  if (session.hasCapability(WRITABLE_RUNNING) || !cand) tgt.append(new Option("running", "running"));
  $("lock-ds").querySelector("option:nth-child(2)").hidden = !cand;
}

// ---- schema -------------------------------------------------------------------------------

let schemaTree = null;

async function loadSchema() {
  const start = performance.now();
  let doc = null;
  for (const url of ["schema.json", server + "/schema.json"]) {
    try {
      const r = await fetch(url, { credentials: "omit" });
      if (r.ok) {
        doc = await r.json();
        break;
      }
    } catch {
      // next
    }
  }
  const fetched = performance.now();
  if (!doc) {
    $("schema-stats").textContent = "No schema description (schema.json) is served: trees show data without types.";
    return;
  }
  model = new SchemaModel(doc);
  const roots = [];
  const byMod = new Map();
  const group = (m) => {
    if (!byMod.has(m)) {
      const g = { group: true, label: m.name + (m.revision ? "@" + m.revision : ""), children: [] };
      byMod.set(m, g);
      roots.push(g);
    }
    return byMod.get(m);
  };
  for (const n of model.data) group(n.mod).children.push(n);
  for (const n of model.rpcs) group(n.mod).children.push(n);
  for (const n of model.notifications) group(n.mod).children.push(n);
  schemaTree.setRoots(roots);
  const built = performance.now();
  // The first frame with the tree in it.
  await new Promise((r) => requestAnimationFrame(() => r()));
  metrics.schemaFetchMs = Math.round(fetched - start);
  metrics.schemaBuildMs = Math.round(built - fetched);
  metrics.schemaRenderMs = Math.round(performance.now() - start);
  metrics.schemaNodes = model.nodeCount;
  $("schema-stats").textContent = model.nodeCount + " schema nodes in " + model.modules.length + " modules; loaded and drawn in " + metrics.schemaRenderMs + " ms.";
  showMetrics();
  if (editCtx === null && dataRows.length) dataTree.refresh();
}

function showMetrics() {
  const nav = performance.getEntriesByType("navigation")[0];
  if (nav) metrics.pageLoadMs = Math.round(nav.loadEventEnd > 0 ? nav.loadEventEnd : performance.now());
  $("s-metrics").textContent = "page " + (metrics.pageLoadMs ?? "?") + " ms; schema tree " + (metrics.schemaRenderMs ?? "?") + " ms for " + metrics.schemaNodes + " nodes" +
    (metrics.schemaExpandAllMs !== undefined ? "; expand all " + metrics.schemaExpandAllMs + " ms (" + metrics.schemaExpandedRows + " rows)" : "");
}

function schemaChildren(n) {
  if (n.group) return n.children;
  return n.c || null;
}

schemaTree = new VirtualTree($("schema-tree"), {
  label: "Schema tree",
  getChildren: schemaChildren,
  render(n, el, row) {
    el.replaceChildren();
    if (n.group) {
      el.append(span("name", n.label), span("kind", "module"));
      return;
    }
    el.append(span("name", n.n), span("kind", n.k));
    if (n.keys) el.append(span("keys", "[" + n.keys.join(" ") + "]"));
    const t = model.type(n);
    if (t) el.append(span("kind", t.name || t.b));
    if (n.s) el.append(badge("state", "state"));
    if (n.mand) el.append(badge("", "mandatory"));
    if (filterNodes.includes(n)) el.append(badge("", "in filter"));
    row.classList.toggle("row-state", !!n.s);
  },
  onSelect: (n) => showSchemaInfo(n),
  onActivate: (n) => {
    if (!n.group) editFromSchema(n);
  },
  onKey(ev, n) {
    if (ev.key === "f" && !n.group) {
      addFilter(n);
      return true;
    }
    return false;
  },
});

function span(cls, text) {
  const s = document.createElement("span");
  s.className = cls;
  s.textContent = text;
  return s;
}

function badge(cls, text) {
  return span("badge " + cls, text);
}

function isDataNode(n) {
  return n && !n.group && ["container", "list", "leaf", "leaf-list", "anydata", "anyxml"].includes(n.k) && !inOperation(n);
}

function inOperation(n) {
  for (let x = n; x; x = x.parent) if (["rpc", "action", "notification", "input", "output"].includes(x.k)) return true;
  return false;
}

function showSchemaInfo(n) {
  const box = $("schema-info");
  box.replaceChildren();
  $("schema-filter").disabled = !isDataNode(n);
  $("schema-edit").disabled = !(isDataNode(n) && !n.s);
  if (n.group) {
    box.textContent = "Module " + n.label;
    return;
  }
  const dl = document.createElement("dl");
  const add = (k, v) => {
    if (v === undefined || v === "" || v === null) return;
    dl.append(Object.assign(document.createElement("dt"), { textContent: k }), Object.assign(document.createElement("dd"), { textContent: v }));
  };
  add("path", model.path(n));
  add("kind", n.k);
  add("module", n.mod.name);
  add("config", n.s ? "false (state)" : "true");
  add("keys", n.keys && n.keys.join(" "));
  add("type", typeHelp(model, model.type(n)));
  const t = model.type(n);
  if (t && t.enum) add("enums", t.enum.join(", "));
  if (t && t.ids) add("identities", t.ids.slice(0, 50).join(", ") + (t.ids.length > 50 ? " …" : ""));
  add("default", n.def && n.def.join(", "));
  add("units", n.u);
  add("mandatory", n.mand ? "true" : "");
  add("description", n.d);
  box.append(dl);
}

$("schema-filter").addEventListener("click", () => addFilter(schemaTree.selected));
$("schema-edit").addEventListener("click", () => editFromSchema(schemaTree.selected));
$("schema-expand").addEventListener("click", () => {
  const s = performance.now();
  schemaTree.expandAll();
  requestAnimationFrame(() => {
    metrics.schemaExpandAllMs = Math.round(performance.now() - s);
    metrics.schemaExpandedRows = schemaTree.size;
    showMetrics();
    status("Expanded " + schemaTree.size + " schema rows in " + metrics.schemaExpandAllMs + " ms");
  });
});
$("schema-collapse").addEventListener("click", () => schemaTree.collapseAll());

let searchFrom = null;
$("schema-search").addEventListener("keydown", (ev) => {
  if (ev.key !== "Enter") return;
  ev.preventDefault();
  const q = $("schema-search").value.trim().toLowerCase();
  if (!q) return;
  // Depth-first over the whole schema, starting after the last match.
  const found = [];
  const walk = (nodes, anc) => {
    for (const n of nodes) {
      const name = n.group ? n.label : n.n;
      if (name.toLowerCase().includes(q)) found.push([n, anc]);
      const c = schemaChildren(n);
      if (c) walk(c, [...anc, n]);
    }
  };
  walk(schemaTree.roots, []);
  if (!found.length) {
    status("No schema node named like " + q);
    return;
  }
  let i = found.findIndex(([n]) => n === searchFrom);
  i = (i + 1) % found.length;
  searchFrom = found[i][0];
  schemaTree.reveal(found[i][0], found[i][1]);
  status("Match " + (i + 1) + " of " + found.length);
});

function addFilter(n) {
  if (!isDataNode(n)) {
    status("Only data nodes go into a subtree filter", true);
    return;
  }
  if (!filterNodes.includes(n)) filterNodes.push(n);
  updateFilter();
  schemaTree._render();
  status("Filter: " + filterNodes.map((x) => model.path(x)).join(", "));
}

function updateFilter() {
  const xml = filterNodes.length ? subtreeFilter(model, filterNodes) : "";
  $("filter-xml").textContent = xml ? prettyXML("<filter>" + xml + "</filter>") : "(none)";
  $("filter-summary").textContent = xml ? "Filter: " + filterNodes.map((x) => model.path(x)).join(", ") : "No filter: the whole datastore.";
  $("filter-clear").hidden = !xml;
}

$("filter-clear").addEventListener("click", () => {
  filterNodes = [];
  updateFilter();
  schemaTree._render();
});

// ---- data tree ----------------------------------------------------------------------------

const dataTree = new VirtualTree($("data-tree"), {
  label: "Data tree",
  render(r, el, row) {
    el.replaceChildren();
    el.append(span("name", r.el.localName));
    const keys = r.sn && r.sn.k === "list" ? r.keys() : [];
    if (keys.length) el.append(span("keys", "[" + keys.map(([k, v]) => k + "=" + v).join(", ") + "]"));
    if (r.isLeaf) el.append(span("val", r.value));
    if (r.state) el.append(badge("state", "state"));
    const errs = errorMarks.get(r.path);
    row.classList.toggle("row-state", r.state);
    row.classList.toggle("row-err", !!errs);
    if (errs) {
      for (const e of errs) el.append(badge("err", (e.exact ? "" : "below: ") + e.err.tag + (e.err.appTag ? " " + e.err.appTag : "")));
      row.title = errs.map((e) => e.err.message).join("\n");
    } else {
      row.removeAttribute("title");
    }
    row.dataset.path = r.path;
  },
  onSelect: (r) => editRow(r),
  onActivate: (r) => {
    editRow(r);
    focusEditor();
  },
});

$("data-refresh").addEventListener("click", () => readData());
$("data-source").addEventListener("change", () => readData());
$("data-expand").addEventListener("click", () => dataTree.expandAll());
$("data-collapse").addEventListener("click", () => dataTree.collapseAll());

async function readData() {
  if (!session || session.state !== "open") return;
  const src = $("data-source").value;
  const filter = filterNodes.length ? subtreeFilter(model, filterNodes) : undefined;
  const start = performance.now();
  try {
    const data = src === "operational" ? await session.get({ filter }) : await session.getConfig({ source: src, filter });
    dataRows = dataRoots(data, model);
    for (const r of dataRows) r.expanded = true;
    const keep = dataTree.selected ? dataTree.selected.path : null;
    dataTree.setRoots(dataRows);
    if (keep) {
      const { row, exact } = findRow(dataRows, keep);
      if (row && exact) dataTree.reveal(row, row.ancestors());
    }
    metrics.dataReadMs = Math.round(performance.now() - start);
    status("Read " + src + " in " + metrics.dataReadMs + " ms");
    document.body.dataset.dataSource = src;
    document.body.dataset.reads = String(Number(document.body.dataset.reads || 0) + 1);
  } catch (e) {
    status("Reading " + src + ": " + errText(e), true);
  }
}

// ---- editor -------------------------------------------------------------------------------

function editRow(r) {
  if (!r.sn || !model) {
    $("editor-path").textContent = r.path + " (not in the schema the page knows)";
    $("edit-form").hidden = true;
    return;
  }
  openEditor(stepsOfRow(r), r);
}

function editFromSchema(sn) {
  if (!isDataNode(sn) || sn.s) return;
  openEditor(stepsOfSchema(model, sn), null);
  selectTab($("tab-data"));
  focusEditor();
}

// focusEditor moves the focus to the editor's heading line (it names the node); Tab goes on to
// the fields. Not to a field itself: the Enter that opened the editor must not submit its form.
function focusEditor() {
  const p = $("editor-path");
  p.tabIndex = -1;
  p.focus();
}

function openEditor(steps, row) {
  const target = steps[steps.length - 1].sn;
  editCtx = { steps, row, fields: new Map(), keyFields: [] };
  $("editor-path").textContent = (row ? row.path : model.path(target)) + " (" + target.k + (target.s ? ", state" : "") + ")";
  const box = $("edit-fields");
  box.replaceChildren();
  $("edit-errors").replaceChildren();
  // Keys of the lists above the target: fixed when editing existing data, asked otherwise.
  steps.slice(0, -1).forEach((st) => {
    for (const kv of st.keys) {
      const ksn = model.dataChildren(st.sn).find((c) => c.n === kv[0]);
      const f = field(ksn, kv[1], st.sn.n + " " + kv[0], !!row);
      f.input.addEventListener("input", () => (kv[1] = f.input.value));
      box.append(f.el);
    }
  });
  const current = new Map();
  if (row && !row.isLeaf) for (const c of row.children) if (c.sn) current.set(c.sn, c.isLeaf ? c.value : null);
  if (target.k === "leaf" || target.k === "leaf-list") {
    const f = field(target, row ? row.value : "", target.n, false);
    box.append(f.el);
    editCtx.fields.set(target, f.input);
  } else {
    for (const c of model.dataChildren(target)) {
      if (c.k !== "leaf" && c.k !== "leaf-list") continue;
      if (c.s) continue;
      const isKey = target.k === "list" && (target.keys || []).includes(c.n);
      const f = field(c, current.get(c) ?? "", c.n + (isKey ? " (key)" : ""), isKey && !!row);
      box.append(f.el);
      editCtx.fields.set(c, f.input);
    }
  }
  // Actions of this node, when it is an instance.
  const acts = $("editor-actions");
  acts.replaceChildren();
  if (row) {
    for (const a of (target.c || []).filter((c) => c.k === "action")) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Action " + a.n + "…";
      b.addEventListener("click", () => openAction(a, steps));
      acts.append(b);
    }
  }
  $("edit-op").value = row ? "merge" : "create";
  $("edit-form").hidden = target.s;
  previewEdit();
}

/** A labelled input for a leaf, by its type. */
function field(sn, value, labelText, readOnly) {
  const id = "f-" + Math.random().toString(36).slice(2);
  const el = document.createElement("div");
  el.className = "field";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText + (sn.mand ? " *" : "");
  const t = model.type(sn);
  let input;
  const options = (vals) => {
    input = document.createElement("select");
    input.append(new Option("(unset)", ""));
    for (const v of vals) input.append(new Option(v, v));
    if (value && !vals.includes(value)) input.append(new Option(value, value));
  };
  if (t && t.b === "boolean") options(["true", "false"]);
  else if (t && t.b === "enumeration") options(t.enum);
  else if (t && t.b === "identityref") options(t.ids || []);
  else if (sn.k === "leaf-list") {
    input = document.createElement("textarea");
    input.rows = 3;
  } else if (t && t.b === "empty") {
    input = document.createElement("select");
    input.append(new Option("absent", ""), new Option("present", "present"));
  } else {
    input = document.createElement("input");
    if (t && /int|decimal/.test(t.b)) input.inputMode = "decimal";
    if (t && t.b === "leafref" && t.target) {
      const dl = document.createElement("datalist");
      dl.id = id + "-list";
      input.setAttribute("list", dl.id);
      el.append(dl);
      input.addEventListener("focus", () => leafrefChoices(t.target, dl), { once: true });
    }
  }
  input.id = id;
  input.value = value ?? "";
  if (value && identityLike(t) && !value.includes(":")) {
    const m = (t.ids || []).find((i) => i.endsWith(":" + value));
    if (m) input.value = m;
  }
  if (readOnly) {
    input.readOnly = true;
    input.disabled = input.tagName === "SELECT";
  }
  const help = span("help", [typeHelp(model, t), sn.def ? "default " + sn.def.join(", ") : "", sn.u ? "units " + sn.u : ""].filter(Boolean).join("; "));
  help.id = id + "-help";
  const warn = span("warn", "");
  warn.id = id + "-warn";
  warn.setAttribute("aria-live", "polite");
  input.setAttribute("aria-describedby", help.id + " " + warn.id);
  input.dataset.leaf = sn.n;
  input.addEventListener("input", () => {
    const vals = sn.k === "leaf-list" ? input.value.split("\n").filter((v) => v !== "") : input.value === "" ? [] : [input.value];
    const msgs = t && t.b !== "empty" ? vals.map((v) => checkValue(model, t, v)).filter(Boolean) : [];
    warn.textContent = msgs.length ? "The server will likely refuse this: " + msgs[0] : "";
    previewEdit();
  });
  input.addEventListener("change", () => previewEdit());
  el.append(label, input, help, warn);
  return { el, input };
}

function identityLike(t) {
  return t && t.b === "identityref";
}

async function leafrefChoices(targetPath, dl) {
  const tn = model.find(targetPath);
  if (!tn) return;
  try {
    const data = await session.getConfig({ source: editCtx && $("edit-target").value === "candidate" ? "candidate" : "running", filter: subtreeFilter(model, [tn]) });
    const vals = new Set();
    const walk = (el) => {
      for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
        if (c.localName === tn.n && c.namespaceURI === tn.mod.namespace && !c.firstElementChild) vals.add(c.textContent);
        else walk(c);
      }
    };
    if (data) walk(data);
    dl.replaceChildren(...[...vals].map((v) => new Option(v, v)));
  } catch {
    // no choices: free text
  }
}

function editValues() {
  const values = new Map();
  for (const [sn, input] of editCtx.fields) {
    if (sn.k === "leaf-list") values.set(sn, input.value.split("\n").map((s) => s.trim()).filter(Boolean));
    else if (input.value !== "" || sn === editCtx.steps[editCtx.steps.length - 1].sn) values.set(sn, input.value);
  }
  return values;
}

function previewEdit() {
  if (!editCtx) return;
  const xml = editXML(model, editCtx.steps, $("edit-op").value, editValues());
  $("edit-xml").value = prettyXML("<config>" + xml + "</config>");
}

$("edit-op").addEventListener("change", () => previewEdit());
$("edit-preview").addEventListener("click", () => previewEdit());

$("edit-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const target = $("edit-target").value;
  $("edit-errors").replaceChildren();
  errorMarks = new Map();
  try {
    await session.editConfig({ target, config: $("edit-xml").value });
    status("edit-config on " + target + ": ok");
    $("edit-errors").append(Object.assign(document.createElement("p"), { textContent: "ok", className: "ok" }));
    $("data-source").value = target;
    await readData();
  } catch (e) {
    showErrors($("edit-errors"), e);
    status("edit-config refused: " + errText(e), true);
    dataTree.refresh();
  }
});

/** Shows an rpc failure in box and marks the error-paths in the data tree. */
function showErrors(box, e) {
  box.replaceChildren();
  if (!(e instanceof NetconfError)) {
    box.append(Object.assign(document.createElement("p"), { className: "error", textContent: errText(e) }));
    return;
  }
  // Error-paths come as XPaths with prefixes; the tree's rows are named in the RFC 7951 form.
  const moduleOf = (ns) => {
    const m = model && model.byNs.get(ns);
    return m ? m.name : null;
  };
  for (const err of e.errors) {
    const path = err.modulePath(moduleOf);
    const div = document.createElement("div");
    div.className = "rpc-error";
    const line = (k, v, cls) => {
      if (!v) return;
      const p = document.createElement("div");
      p.append(span("k", k + ": "), span(cls || "v", v));
      div.append(p);
    };
    line("error-tag", err.tag, "tag");
    line("error-app-tag", err.appTag, "apptag");
    line("error-type", err.type);
    line("error-message", err.message, "msg");
    line("error-path", path, "path");
    box.append(div);
    if (path) {
      const { row, exact } = findRow(dataRows, path);
      const key = row ? row.path : null;
      if (key) {
        if (!errorMarks.has(key)) errorMarks.set(key, []);
        errorMarks.get(key).push({ err, exact });
        dataTree.scrollTo(row, row.ancestors()); // the form stays as the user left it
      }
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = row ? "Show in the data tree" : "(not in the data tree)";
      b.disabled = !row;
      b.addEventListener("click", () => {
        selectTab($("tab-data"));
        dataTree.reveal(row, row.ancestors());
        dataTree.el.focus();
      });
      div.append(b);
    }
    // The form field of the path, when it is open.
    if (editCtx && path) {
      const leaf = path.replace(/\[[^\]]*\]/g, "").split("/").pop().replace(/^.*:/, "");
      const input = $("edit-fields").querySelector('[data-leaf="' + CSS.escape(leaf) + '"]');
      if (input) {
        const warn = $(input.id + "-warn");
        if (warn) warn.textContent = err.tag + (err.appTag ? " (" + err.appTag + ")" : "") + ": " + err.message;
      }
    }
  }
}

// ---- candidate workflow -----------------------------------------------------------------------

async function commitOp(label, fn) {
  $("commit-errors").replaceChildren();
  try {
    await fn();
    status(label + ": ok");
    refreshHistory();
    return true;
  } catch (e) {
    showErrors($("commit-errors"), e);
    status(label + " failed: " + errText(e), true);
    return false;
  }
}

$("c-validate").addEventListener("click", () => commitOp("validate", () => session.validate({ source: "candidate" })));
$("c-discard").addEventListener("click", () => commitOp("discard-changes", () => session.discardChanges()));
$("c-commit").addEventListener("click", async () => {
  if (await commitOp("commit", () => session.commit())) stopCountdown("Committed.");
});
$("c-diff").addEventListener("click", async () => {
  try {
    const [run, cand] = await Promise.all([session.getConfig({ source: "running" }), session.getConfig({ source: "candidate" })]);
    const lines = diffLeaves(leafMap(dataRoots(run, model)), leafMap(dataRoots(cand, model)));
    $("c-diff-out").textContent = lines.length ? lines.join("\n") : "(no difference)";
  } catch (e) {
    showErrors($("commit-errors"), e);
  }
});
$("c-confirmed").addEventListener("click", async () => {
  const secs = Math.max(1, Number($("c-timeout").value) || 120);
  if (await commitOp("confirmed commit", () => session.commit({ confirmed: true, confirmTimeout: secs }))) startCountdown(secs);
});
$("c-confirm").addEventListener("click", async () => {
  if (await commitOp("confirming commit", () => session.commit())) stopCountdown("Confirmed.");
});
$("c-cancel").addEventListener("click", async () => {
  if (await commitOp("cancel-commit", () => session.cancelCommit())) stopCountdown("Cancelled: running is back as before.");
});

function startCountdown(secs) {
  const end = Date.now() + secs * 1000;
  $("c-confirm").hidden = false;
  $("c-cancel").hidden = false;
  clearInterval(countdown);
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    $("c-countdown").textContent = left > 0 ? "Confirm within " + left + " s, or the server reverts." : "Timed out: the server reverted the commit.";
    if (left <= 0) stopCountdown();
  };
  tick();
  countdown = setInterval(tick, 1000);
}

function stopCountdown(text) {
  clearInterval(countdown);
  countdown = null;
  $("c-confirm").hidden = true;
  $("c-cancel").hidden = true;
  if (text) $("c-countdown").textContent = text;
}

async function refreshLocks() {
  if (!session) return;
  const tbody = $("lock-table").tBodies[0];
  try {
    const data = await session.get({ filter: '<netconf-state xmlns="' + ML_NS + '"><datastores/></netconf-state>' });
    const rows = [];
    for (const ds of data ? data.getElementsByTagNameNS(ML_NS, "datastore") : []) {
      const name = ds.getElementsByTagNameNS(ML_NS, "name")[0];
      const by = ds.getElementsByTagNameNS(ML_NS, "locked-by-session")[0];
      const when = ds.getElementsByTagNameNS(ML_NS, "locked-time")[0];
      rows.push(tr([name ? name.textContent : "?", by ? by.textContent : "(unlocked)", when ? when.textContent : ""]));
    }
    tbody.replaceChildren(...rows);
  } catch (e) {
    tbody.replaceChildren(tr(["lock status unavailable: " + errText(e), "", ""]));
  }
}

function tr(cells) {
  const r = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.append(c);
    else td.textContent = c;
    r.append(td);
  }
  return r;
}

$("lock-refresh").addEventListener("click", () => refreshLocks());
$("lock-lock").addEventListener("click", async () => {
  await commitOp("lock " + $("lock-ds").value, () => session.lock($("lock-ds").value));
  refreshLocks();
});
$("lock-unlock").addEventListener("click", async () => {
  await commitOp("unlock " + $("lock-ds").value, () => session.unlock($("lock-ds").value));
  refreshLocks();
});

async function refreshHistory() {
  if (!session || !model || !model.byNs.has(NCWS_NS)) return;
  const tbody = $("hist-table").tBodies[0];
  try {
    const data = await session.get({ filter: '<commit-history xmlns="' + NCWS_NS + '"/>' });
    const commits = data ? [...data.getElementsByTagNameNS(NCWS_NS, "commit")] : [];
    const text = (el, n) => {
      const c = [...el.children].find((x) => x.localName === n);
      return c ? c.textContent : "";
    };
    const rows = commits.reverse().slice(0, 200).map((c) => {
      const id = text(c, "id");
      const changes = [...c.children].filter((x) => x.localName === "change").map((x) => text(x, "operation") + " " + text(x, "path"));
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Roll back to " + id;
      b.addEventListener("click", async () => {
        if (await commitOp("rollback to " + id, () => session.rpc('<rollback xmlns="' + NCWS_NS + '"><id>' + escapeXML(id) + "</id></rollback>"))) readData();
      });
      return tr([id, text(c, "time"), text(c, "user") || text(c, "comment"), text(c, "session-id"), changes.join("\n"), b]);
    });
    tbody.replaceChildren(...rows);
  } catch (e) {
    tbody.replaceChildren(tr(["history unavailable: " + errText(e)]));
  }
}
$("hist-refresh").addEventListener("click", () => refreshHistory());

// ---- rpcs and actions -------------------------------------------------------------------------

let rpcCtx = null; // {node, steps (for an action), collect}
const rpcOut = new VirtualTree($("rpc-output"), {
  label: "Output",
  render(r, el) {
    el.replaceChildren(span("name", r.el.localName));
    if (r.isLeaf) el.append(span("val", r.value));
  },
});

function fillRpcSelect() {
  const sel = $("rpc-select");
  sel.replaceChildren(new Option("(choose an rpc)", ""));
  if (!model) return;
  const groups = new Map();
  model.rpcs.forEach((r, i) => {
    if (!groups.has(r.mod)) {
      const g = document.createElement("optgroup");
      g.label = r.mod.name;
      groups.set(r.mod, g);
      sel.append(g);
    }
    groups.get(r.mod).append(new Option(r.n, String(i)));
  });
}

$("rpc-select").addEventListener("change", () => {
  const v = $("rpc-select").value;
  if (v === "" || v === "action") return;
  openRpc(model.rpcs[Number(v)], null);
});

/** Builds a form for the input of an rpc or action; steps locate an action's instance. */
function openRpc(node, steps) {
  const input = (node.c || []).find((c) => c.k === "input");
  const box = $("rpc-fields");
  box.replaceChildren();
  const inputs = [];
  const build = (parent, container, prefix) => {
    for (const c of model.dataChildren(parent)) {
      if (c.k === "leaf" || c.k === "leaf-list") {
        const f = field(c, "", prefix + c.n, false);
        container.append(f.el);
        inputs.push([c, f.input]);
      } else if (c.k === "container") {
        const fs = document.createElement("fieldset");
        fs.append(Object.assign(document.createElement("legend"), { textContent: prefix + c.n }));
        container.append(fs);
        build(c, fs, prefix + c.n + "/");
      } else {
        container.append(span("hint", prefix + c.n + " (" + c.k + "): edit it in the XML below"));
      }
    }
  };
  if (input) build(input, box, "");
  const collect = () => {
    const values = new Map(inputs.filter(([, i]) => i.value !== "").map(([sn, i]) => [sn, sn.k === "leaf-list" ? i.value.split("\n").filter(Boolean) : i.value]));
    const emit = (parent) => {
      let s = "";
      for (const c of model.dataChildren(parent)) {
        if (values.has(c)) {
          const v = values.get(c);
          const t = model.type(c);
          s += (Array.isArray(v) ? v : [v]).map((x) => (t && t.b === "empty" ? "<" + c.n + "/>" : "<" + c.n + ">" + escapeXML(x) + "</" + c.n + ">")).join("");
        } else if (c.k === "container") {
          const inner = emit(c);
          if (inner) s += "<" + c.n + ">" + inner + "</" + c.n + ">";
        }
      }
      return s;
    };
    const body = "<" + node.n + ' xmlns="' + node.mod.namespace + '">' + (input ? emit(input) : "") + "</" + node.n + ">";
    if (!steps) return body;
    // An action: the instance's path with its keys, the action inside, in <action> (RFC 7950 7.15.2).
    let open = "";
    let close = "";
    let prev = null;
    for (const st of steps) {
      const ns = st.sn.mod !== prev ? ' xmlns="' + st.sn.mod.namespace + '"' : "";
      prev = st.sn.mod;
      open += "<" + st.sn.n + ns + ">" + st.keys.map(([k, v]) => "<" + k + ">" + escapeXML(v) + "</" + k + ">").join("");
      close = "</" + st.sn.n + ">" + close;
    }
    const inner = "<" + node.n + ">" + (input ? emit(input) : "") + "</" + node.n + ">";
    return '<action xmlns="urn:ietf:params:xml:ns:yang:1">' + open + inner + close + "</action>";
  };
  rpcCtx = { node, steps, collect };
  for (const [, i] of inputs) i.addEventListener("input", () => ($("rpc-xml").value = prettyXML(collect())));
  $("rpc-xml").value = prettyXML(collect());
  $("rpc-errors").replaceChildren();
}

function openAction(action, steps) {
  const sel = $("rpc-select");
  let opt = sel.querySelector('option[value="action"]');
  if (!opt) {
    opt = new Option("", "action");
    sel.append(opt);
  }
  opt.textContent = "action " + action.n + " on " + editCtx.row.path;
  sel.value = "action";
  openRpc(action, steps);
  selectTab($("tab-rpc"), true);
}

$("rpc-preview").addEventListener("click", () => {
  if (rpcCtx) $("rpc-xml").value = prettyXML(rpcCtx.collect());
});
$("rpc-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("rpc-errors").replaceChildren();
  const text = $("rpc-xml").value.trim();
  if (!text) return;
  try {
    const reply = await session.rpc(text);
    const output = rpcCtx ? (rpcCtx.node.c || []).find((c) => c.k === "output") : null;
    const roots = [];
    for (let c = reply.firstElementChild; c; c = c.nextElementSibling) {
      const sn = output ? model.child(output, c.namespaceURI, c.localName) : null;
      roots.push(new DataNode(c, sn, null, model));
    }
    rpcOut.setRoots(roots);
    rpcOut.expandAll();
    status("rpc: ok" + (roots.length === 1 && roots[0].el.localName === "ok" ? "" : ", " + roots.length + " output nodes"));
  } catch (e) {
    showErrors($("rpc-errors"), e);
    status("rpc failed: " + errText(e), true);
  }
});

// ---- notifications ----------------------------------------------------------------------------

$("sub-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const o = { stream: $("sub-stream").value.trim() || undefined };
  if ($("sub-start").value.trim()) o.startTime = $("sub-start").value.trim();
  if ($("sub-filter").value.trim()) o.filter = $("sub-filter").value.trim();
  try {
    await session.createSubscription(o);
    $("sub-status").textContent = "Subscribed to " + (o.stream || "NETCONF") + (o.startTime ? " from " + o.startTime : "") + " (session " + session.sessionId + ").";
    document.body.dataset.subscribed = "true";
  } catch (e) {
    $("sub-status").textContent = "create-subscription refused: " + errText(e);
  }
});

function addNotification(d) {
  notifCount++;
  $("notif-count").textContent = String(notifCount);
  const li = document.createElement("li");
  const name = d.element ? d.element.localName : "?";
  li.dataset.name = name;
  li.append(span("name", name), " ", span("kind", d.eventTime));
  const pre = document.createElement("pre");
  pre.textContent = prettyXML(d.notification);
  li.append(pre);
  const list = $("notif-list");
  list.prepend(li);
  while (list.children.length > 500) list.lastElementChild.remove();
}
$("notif-clear").addEventListener("click", () => $("notif-list").replaceChildren());

// ---- raw XML console --------------------------------------------------------------------------

$("console-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = $("console-in").value.trim();
  try {
    const reply = await session.rpcRaw(text);
    $("console-out").textContent = prettyXML(reply);
  } catch (e) {
    $("console-out").textContent = e instanceof SessionClosedError || e instanceof SyntaxError ? "error: " + e.message : prettyXML(e.reply || String(e));
  }
});
$("console-in").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
    ev.preventDefault();
    $("console-form").requestSubmit();
  }
});

// ---- session view -----------------------------------------------------------------------------

async function loadModules() {
  fillRpcSelect();
  const tbody = $("mod-table").tBodies[0];
  try {
    const data = await session.get({ filter: '<yang-library xmlns="' + YL_NS + '"/>' });
    const rows = [];
    for (const m of data ? data.getElementsByTagNameNS(YL_NS, "module") : []) {
      const t = (n) => [...m.children].filter((x) => x.localName === n).map((x) => x.textContent);
      rows.push(tr([t("name").join(""), t("revision").join(""), t("namespace").join(""), t("feature").join(", ")]));
    }
    tbody.replaceChildren(...rows);
  } catch (e) {
    tbody.replaceChildren(tr(["yang-library unavailable: " + errText(e), "", "", ""]));
  }
}

$("s-close").addEventListener("click", async () => {
  try {
    const d = await session.closeSession();
    status("close-session: closed with " + d.code);
  } catch (e) {
    status("close-session: " + errText(e), true);
  }
  updateSession();
});
$("s-kill-btn").addEventListener("click", async () => {
  try {
    await session.killSession($("s-kill").value);
    status("kill-session " + $("s-kill").value + ": ok");
  } catch (e) {
    status("kill-session: " + errText(e), true);
  }
});

window.addEventListener("load", () => {
  setTimeout(() => {
    showMetrics();
    metrics.scriptStartMs = Math.round(t0);
  }, 0);
});

export { NETCONF_NS };
