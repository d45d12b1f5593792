// The page's models: the schema from /schema.json (pkg/web MarshalSchema), data trees made from
// NETCONF replies and bound to it, and the XML of edits and operations built from both.

import { escapeXML, NETCONF_NS } from "../netconf-ws/index.js";

const TRANSPARENT = new Set(["choice", "case"]);
const DATA = new Set(["container", "list", "leaf", "leaf-list", "anydata", "anyxml"]);

export class SchemaModel {
  /** @param {any} doc the parsed /schema.json */
  constructor(doc) {
    this.modules = doc.modules;
    this.types = doc.types;
    this.nodeCount = doc.nodeCount;
    this.byNs = new Map();
    this.modules.forEach((m) => this.byNs.set(m.namespace, m));
    const link = (n, parent) => {
      n.parent = parent;
      n.mod = this.modules[n.m];
      if (n.c) for (const c of n.c) link(c, n);
    };
    for (const list of [doc.data, doc.rpcs, doc.notifications]) for (const n of list) link(n, null);
    this.data = doc.data;
    this.rpcs = doc.rpcs;
    this.notifications = doc.notifications;
  }

  type(n) {
    return n.t === undefined ? null : this.types[n.t];
  }

  /** Data children of a node (or of the top level for null), choice and case looked through. */
  dataChildren(n) {
    const out = [];
    const walk = (list) => {
      for (const c of list || []) {
        if (TRANSPARENT.has(c.k)) walk(c.c);
        else out.push(c);
      }
    };
    walk(n ? n.c : this.data);
    return out;
  }

  /** The child schema node of parent (null: top level) for an element's namespace and name. */
  child(parent, ns, name) {
    const holder = parent || this;
    if (!holder._idx) {
      holder._idx = new Map();
      const kids = parent ? this.dataChildren(parent) : this.dataChildren(null);
      for (const c of kids) holder._idx.set(c.mod.namespace + " " + c.n, c);
      if (parent) for (const c of parent.c || []) if (c.k === "input" || c.k === "output") holder._idx.set("#" + c.k, c);
    }
    return holder._idx.get(ns + " " + name) || null;
  }

  /** The data parent (choice and case skipped). */
  dataParent(n) {
    let p = n.parent;
    while (p && TRANSPARENT.has(p.k)) p = p.parent;
    return p;
  }

  /** Schema path in the RFC 7951 form: /module:a/b/other:c. */
  path(n) {
    const steps = [];
    for (let x = n; x; x = this.dataParent(x)) steps.unshift(x);
    let prev = null;
    return steps.map((s) => {
      const r = "/" + (prev === s.mod ? "" : s.mod.name + ":") + s.n;
      prev = s.mod;
      return r;
    }).join("");
  }

  /** Finds the schema node of an RFC 7951 schema or instance path (predicates ignored). */
  find(path) {
    const steps = splitPath(path);
    let cur = null;
    let mod = null;
    for (const st of steps) {
      if (st.module) mod = this.modules.find((m) => m.name === st.module && m.implemented) || this.modules.find((m) => m.name === st.module);
      if (!mod) return null;
      const next = this.child(cur, mod.namespace, st.name);
      if (!next) return null;
      cur = next;
    }
    return cur;
  }

  /** The modules' prefix for a module name (for identityref values). */
  moduleByName(name) {
    return this.modules.find((m) => m.name === name && m.implemented) || this.modules.find((m) => m.name === name);
  }
}

/** Splits "/a:b/c[k='v']/d" into steps {module, name, keys: [[k, v]]}. */
export function splitPath(path) {
  const steps = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] !== "/") return steps;
    i++;
    let j = i;
    while (j < path.length && path[j] !== "/" && path[j] !== "[") j++;
    const qn = path.slice(i, j);
    const colon = qn.indexOf(":");
    const st = { module: colon >= 0 ? qn.slice(0, colon) : "", name: colon >= 0 ? qn.slice(colon + 1) : qn, keys: [] };
    i = j;
    while (path[i] === "[") {
      // [name='value'] or [.='value'] or [N]; quotes ' or "
      let k = i + 1;
      while (k < path.length && path[k] !== "=" && path[k] !== "]") k++;
      const key = path.slice(i + 1, k).trim();
      if (path[k] === "]") {
        i = k + 1;
        continue;
      }
      k++;
      while (path[k] === " ") k++;
      const q = path[k];
      let e = path.indexOf(q, k + 1);
      if (e < 0) e = path.length;
      st.keys.push([key.includes(":") ? key.slice(key.indexOf(":") + 1) : key, path.slice(k + 1, e)]);
      i = path.indexOf("]", e) + 1;
      if (i <= 0) i = path.length;
    }
    steps.push(st);
  }
  return steps;
}

function quote(v) {
  return v.includes("'") ? '"' + v + '"' : "'" + v + "'";
}

/**
 * A row of a data tree: one element of a reply, bound to its schema node when the schema knows it.
 */
export class DataNode {
  constructor(el, sn, parent, model) {
    this.el = el;
    this.sn = sn;
    this.parent = parent;
    this.model = model;
    this.expanded = false;
    this._kids = null;
    const leafy = sn ? sn.k === "leaf" || sn.k === "leaf-list" : el.firstElementChild === null;
    this.value = leafy ? el.textContent : null;
    this.state = sn ? !!sn.s : false;
    this.path = this._path();
  }

  get isLeaf() {
    return this.value !== null;
  }

  get children() {
    if (this.isLeaf) return null;
    if (!this._kids) {
      this._kids = [];
      for (let c = this.el.firstElementChild; c; c = c.nextElementSibling) {
        const sn = this.model && this.sn ? this.model.child(this.sn, c.namespaceURI, c.localName) : null;
        this._kids.push(new DataNode(c, sn, this, this.model));
      }
    }
    return this._kids;
  }

  /** Key values of a list entry, in key order: [[name, value]]. */
  keys() {
    if (!this.sn || this.sn.k !== "list" || !this.sn.keys) return [];
    return this.sn.keys.map((k) => {
      let v = "";
      for (let c = this.el.firstElementChild; c; c = c.nextElementSibling) {
        if (c.localName === k && c.namespaceURI === this.el.namespaceURI) {
          v = c.textContent;
          break;
        }
      }
      return [k, v];
    });
  }

  _path() {
    const pmod = this.parent ? this.parent.el.namespaceURI : null;
    let prefix = "";
    if (this.el.namespaceURI !== pmod) {
      const m = this.sn ? this.sn.mod : this.model && this.model.byNs.get(this.el.namespaceURI);
      prefix = (m ? m.name : this.el.prefix || "") + ":";
    }
    let p = (this.parent ? this.parent.path : "") + "/" + prefix + this.el.localName;
    if (this.sn && this.sn.k === "list") for (const [k, v] of this.keys()) p += "[" + k + "=" + quote(v) + "]";
    if (this.sn && this.sn.k === "leaf-list") p += "[.=" + quote(this.value) + "]";
    return p;
  }

  /** Ancestors, root first. */
  ancestors() {
    const a = [];
    for (let p = this.parent; p; p = p.parent) a.unshift(p);
    return a;
  }
}

/** Builds the root rows of a <data> element. */
export function dataRoots(dataEl, model) {
  const out = [];
  if (!dataEl) return out;
  for (let c = dataEl.firstElementChild; c; c = c.nextElementSibling) {
    const sn = model ? model.child(null, c.namespaceURI, c.localName) : null;
    out.push(new DataNode(c, sn, null, model));
  }
  return out;
}

/** All rows of a tree in document order (for path lookups); stops after limit rows. */
export function* walkRows(roots, limit = 1e6) {
  const stack = [...roots].reverse();
  let n = 0;
  while (stack.length && n++ < limit) {
    const r = stack.pop();
    yield r;
    const c = r.children;
    if (c) for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
}

/**
 * The row of an instance path, or the deepest existing ancestor: {row, exact}. Rows are matched
 * step by step, so a path into a 10,000-entry list costs one scan of that list.
 */
export function findRow(roots, path) {
  const steps = splitPath(path);
  let level = roots;
  let found = null;
  let mod = "";
  for (const st of steps) {
    if (st.module) mod = st.module;
    const next = (level || []).find((r) => {
      if (r.el.localName !== st.name) return false;
      const rm = r.sn ? r.sn.mod.name : "";
      if (rm && mod && rm !== mod) return false;
      if (st.keys.length === 0) return true;
      if (st.keys[0][0] === ".") return r.value === st.keys[0][1];
      const ks = new Map(r.keys());
      return st.keys.every(([k, v]) => ks.get(k) === v);
    });
    if (!next) return { row: found, exact: false };
    found = next;
    level = next.children;
  }
  return { row: found, exact: true };
}

/** Flattens a data tree into path -> value of its leaves (for a diff). */
export function leafMap(roots) {
  const m = new Map();
  for (const r of walkRows(roots)) {
    if (r.isLeaf) m.set(r.path, r.value);
    else if (!r.el.firstElementChild) m.set(r.path, "(present)");
  }
  return m;
}

/** A line diff of two leaf maps: "+ path = v", "- path = v", "~ path: a -> b". */
export function diffLeaves(from, to) {
  const lines = [];
  const keys = new Set([...from.keys(), ...to.keys()]);
  for (const k of [...keys].sort()) {
    const a = from.get(k);
    const b = to.get(k);
    if (a === undefined) lines.push("+ " + k + " = " + b);
    else if (b === undefined) lines.push("- " + k + " = " + a);
    else if (a !== b) lines.push("~ " + k + ": " + a + " -> " + b);
  }
  return lines;
}

/**
 * One step of an edit's path from the top: a schema node and, for a list, its key values.
 * @typedef {{sn: any, keys: Array<[string, string]>}} Step
 */

/** The steps of a data row (schema-bound rows only). */
export function stepsOfRow(row) {
  return [...row.ancestors(), row].map((r) => ({ sn: r.sn, keys: r.keys() }));
}

/** The steps of a schema node, with empty keys for the lists above it. */
export function stepsOfSchema(model, sn) {
  const chain = [];
  for (let x = sn; x; x = model.dataParent(x)) chain.unshift(x);
  return chain.map((s) => ({ sn: s, keys: s.k === "list" ? (s.keys || []).map((k) => [k, ""]) : [] }));
}

/** The XML text of a leaf value; identityref values "module:name" get a prefix and its xmlns. */
export function leafXML(model, sn, value, extraAttrs = "") {
  const t = model.type(sn);
  let attrs = extraAttrs;
  let text = value;
  const idref = t && (t.b === "identityref" || (t.union && t.union.some((u) => model.types[u].b === "identityref")));
  if (idref && value.includes(":")) {
    const [mname, id] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
    const m = model.moduleByName(mname);
    if (m) {
      attrs += " xmlns:" + m.prefix + '="' + escapeXML(m.namespace) + '"';
      text = m.prefix + ":" + id;
    }
  }
  return "<" + sn.n + attrs + ">" + escapeXML(text) + "</" + sn.n + ">";
}

/**
 * The <config> content of an edit: the path's elements down to the target with its list keys,
 * the target with nc:operation and, unless deleting, its field values.
 * @param {SchemaModel} model
 * @param {Step[]} steps
 * @param {string} op merge, create, replace, delete or remove
 * @param {Map<any, string | string[]>} values schema node of a target's leaf -> value(s)
 */
export function editXML(model, steps, op, values) {
  let open = "";
  let close = "";
  let prevMod = null;
  steps.forEach((st, i) => {
    const sn = st.sn;
    let attrs = sn.mod !== prevMod ? ' xmlns="' + escapeXML(sn.mod.namespace) + '"' : "";
    prevMod = sn.mod;
    const last = i === steps.length - 1;
    if (last) attrs += ' xmlns:nc="' + NETCONF_NS + '" nc:operation="' + op + '"';
    const keyOf = (k) => {
      const ksn = model.dataChildren(sn).find((c) => c.n === k);
      let v = st.keys.find(([n]) => n === k);
      v = v ? v[1] : "";
      if (last && values && values.has(ksn) && values.get(ksn) !== "") v = values.get(ksn);
      return ksn ? leafXML(model, ksn, String(v)) : "";
    };
    if (last && (sn.k === "leaf" || sn.k === "leaf-list")) {
      const v = values && values.get(sn);
      if (op === "delete" || op === "remove") {
        open += sn.k === "leaf-list" && v ? leafXML(model, sn, String(v), attrs) : "<" + sn.n + attrs + "/>";
      } else if (Array.isArray(v)) {
        open += v.map((x) => leafXML(model, sn, x, attrs)).join("");
      } else {
        open += leafXML(model, sn, v === undefined ? "" : String(v), attrs);
      }
      return;
    }
    open += "<" + sn.n + attrs + ">";
    if (sn.k === "list") open += (sn.keys || []).map(keyOf).join("");
    if (last && op !== "delete" && op !== "remove" && values) {
      for (const c of model.dataChildren(sn)) {
        if (sn.k === "list" && (sn.keys || []).includes(c.n)) continue;
        if (!values.has(c)) continue;
        const v = values.get(c);
        if (Array.isArray(v)) open += v.map((x) => leafXML(model, c, x)).join("");
        else if (v !== "") {
          const t = model.type(c);
          open += t && t.b === "empty" ? "<" + c.n + "/>" : leafXML(model, c, v);
        }
      }
    }
    close = "</" + sn.n + ">" + close;
  });
  return open + close;
}

/** A subtree filter selecting the given schema nodes (and their subtrees). */
export function subtreeFilter(model, nodes) {
  // A trie of steps, so that two selections under one container share its element.
  const root = new Map();
  for (const sn of nodes) {
    let level = root;
    const chain = [];
    for (let x = sn; x; x = model.dataParent(x)) chain.unshift(x);
    for (const s of chain) {
      if (!level.has(s)) level.set(s, new Map());
      level = level.get(s);
    }
    level.set("*", true); // select the whole subtree here
  }
  const emit = (level, parentMod) => {
    let out = "";
    for (const [s, sub] of level) {
      if (s === "*") continue;
      const ns = s.mod !== parentMod ? ' xmlns="' + escapeXML(s.mod.namespace) + '"' : "";
      if (sub.has("*")) out += "<" + s.n + ns + "/>";
      else out += "<" + s.n + ns + ">" + emit(sub, s.mod) + "</" + s.n + ">";
    }
    return out;
  };
  return emit(root, null);
}

/** A one-line description of a type for a form's help text. */
export function typeHelp(model, t) {
  if (!t) return "";
  const parts = [t.name && t.name !== t.b ? t.name + " (" + t.b + ")" : t.b];
  if (t.range) parts.push("range " + t.range.map(([a, b]) => (a === b ? a : a + ".." + b)).join(" | "));
  if (t.len) parts.push("length " + t.len.map(([a, b]) => (a === b ? a : a + ".." + b)).join(" | "));
  if (t.pat) parts.push("pattern " + t.pat.map((p) => (p.inv ? "not " : "") + p.re).join(", "));
  if (t.target) parts.push("refers to " + t.target);
  if (t.union) parts.push("one of: " + t.union.map((u) => model.types[u].b).join(", "));
  return parts.join("; ");
}

/** Checks a value against a type; returns a message or "". Unions pass if one member does. */
export function checkValue(model, t, v) {
  if (!t) return "";
  switch (t.b) {
    case "union":
      return t.union.some((u) => checkValue(model, model.types[u], v) === "") ? "" : "matches no member type of the union";
    case "boolean":
      return v === "true" || v === "false" ? "" : "true or false";
    case "enumeration":
      return t.enum.includes(v) ? "" : "one of " + t.enum.join(", ");
    case "identityref":
      return !t.ids || t.ids.includes(v) || t.ids.some((i) => i.endsWith(":" + v)) ? "" : "not a valid identity";
    case "int8": case "int16": case "int32": case "int64":
    case "uint8": case "uint16": case "uint32": case "uint64": {
      if (!/^[+-]?\d+$/.test(v.trim())) return "an integer";
      return inRanges(t, BigInt(v.trim()), BigInt) ? "" : "out of range";
    }
    case "decimal64":
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v.trim())) return "a decimal number";
      return inRanges(t, Number(v), Number) ? "" : "out of range";
    case "string": {
      const n = [...v].length;
      if (t.len && !t.len.some(([a, b]) => n >= Number(a) && (b === "max" || n <= Number(b)))) return "length out of range";
      for (const p of t.pat || []) {
        let re = p._re;
        if (re === undefined) {
          try {
            // Go's \x{HH} is JavaScript's \u{HH} under the "u" flag.
            re = p._re = new RegExp(p.re.replace(/\\x\{([0-9a-fA-F]+)\}/g, "\\u{$1}"), "u");
          } catch {
            re = p._re = null;
          }
        }
        if (re && re.test(v) === !!p.inv) return p.msg || "does not match the pattern " + p.re;
      }
      return "";
    }
    default:
      return "";
  }
}

function inRanges(t, x, conv) {
  if (!t.range) return true;
  return t.range.some(([a, b]) => {
    try {
      return x >= conv(a) && x <= conv(b);
    } catch {
      return true;
    }
  });
}

export { DATA };
