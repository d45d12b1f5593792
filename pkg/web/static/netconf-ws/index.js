// netconf-ws: a NETCONF client for browsers over the WebSocket subprotocol "netconf"
// (draft-iijima-netconf-websocket-ps-01): one NETCONF message per WebSocket text message, the
// hello exchange right after the upgrade, rpcs pipelined and routed back by message-id (RFC 6241),
// notifications (RFC 5277) as DOM events, and a reconnect that opens a new session and subscribes
// again (draft section 5.1: a subscription does not outlive its session).
//
//   import { connect } from "./index.js";
//   const s = await connect("ws://device:8080/netconf", { credentials: { username, password } });
//   const data = await s.getConfig({ source: "running" });
//   s.addEventListener("notification", (e) => console.log(e.detail.eventTime, e.detail.xml));
//   await s.createSubscription();
//
// No framework, no build step, no dependency: DOMParser, XMLSerializer, WebSocket, fetch and
// EventTarget are the browser's.

/** The NETCONF base namespace (RFC 6241). */
export const NETCONF_NS = "urn:ietf:params:xml:ns:netconf:base:1.0";
/** The namespace of RFC 5277 notifications and create-subscription. */
export const NOTIFICATION_NS = "urn:ietf:params:xml:ns:netconf:notification:1.0";
/** The namespace of RFC 7950's action element. */
export const YANG_NS = "urn:ietf:params:xml:ns:yang:1";
/** The namespace of ietf-netconf-monitoring (get-schema). */
export const MONITORING_NS = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";
/** The namespace of ietf-netconf-with-defaults. */
export const WITH_DEFAULTS_NS = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults";
/** The subprotocol of the draft. */
export const SUBPROTOCOL = "netconf";
/** The prefix of the subprotocol that carries a login token to an ncws server. */
export const TOKEN_PROTOCOL_PREFIX = "ncws.token.";

/** Capabilities this client sends in its hello. */
export const CLIENT_CAPABILITIES = Object.freeze([
  "urn:ietf:params:netconf:base:1.0",
  "urn:ietf:params:netconf:base:1.1",
]);

/** WebSocket close codes a NETCONF session may end with. */
export const CloseCode = Object.freeze({
  NORMAL: 1000, // close-session, or the client's close()
  GOING_AWAY: 1001, // server shutdown
  PROTOCOL_ERROR: 1002, // bad hello, rpc before hello
  UNSUPPORTED_DATA: 1003, // binary message
  ABNORMAL: 1006, // no close frame: refused before the upgrade, or the connection broke
  INVALID_DATA: 1007, // invalid UTF-8
  POLICY: 1008, // no hello in time, no pong
  TOO_BIG: 1009, // a message over the server's limit
  INTERNAL: 1011,
  KILLED: 4001, // kill-session by another session (the reason names it)
});

// Close codes after which a session with reconnect on tries again: the server went away or the
// connection broke. After close-session, kill-session, a protocol error or close() it does not.
const TRANSIENT = new Set([1001, 1006, 1008, 1011, 1012, 1013, 1014]);

/** Default delays between reconnect attempts, in milliseconds (the last one repeats). */
export const RECONNECT_DELAYS = Object.freeze([250, 500, 1000, 2000, 4000, 8000]);

/**
 * Escapes text for XML content and attribute values.
 * @param {string} s
 * @returns {string}
 */
export function escapeXML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]);
}

/**
 * Parses an XML document; a parse error throws a SyntaxError with the parser's message.
 * @param {string} text
 * @returns {Document}
 */
export function parseXML(text) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const err = doc.getElementsByTagName("parsererror");
  if (err.length > 0) {
    throw new SyntaxError("not well-formed XML: " + err[0].textContent.trim().split("\n")[0]);
  }
  return doc;
}

/**
 * Serializes a DOM node to XML text.
 * @param {Node} node
 * @returns {string}
 */
export function serializeXML(node) {
  return new XMLSerializer().serializeToString(node);
}

/**
 * Indents XML for display: one element per line, two spaces a level; elements holding only text
 * stay on one line. Namespace declarations are kept where they are.
 * @param {string | Node} xml
 * @returns {string}
 */
export function prettyXML(xml) {
  let root;
  if (typeof xml === "string") {
    try {
      root = parseXML(xml).documentElement;
    } catch {
      return xml;
    }
  } else {
    root = xml.nodeType === 9 ? /** @type {Document} */ (xml).documentElement : xml;
  }
  const out = [];
  const attrs = (el) => {
    let s = "";
    for (const a of el.attributes) s += " " + a.name + '="' + escapeXML(a.value) + '"';
    return s;
  };
  const walk = (el, depth) => {
    const pad = "  ".repeat(depth);
    const kids = [...el.childNodes].filter((n) => n.nodeType === 1 || (n.nodeType === 3 && n.nodeValue.trim() !== "") || n.nodeType === 4);
    if (kids.length === 0) {
      out.push(pad + "<" + el.nodeName + attrs(el) + "/>");
    } else if (kids.every((n) => n.nodeType !== 1)) {
      out.push(pad + "<" + el.nodeName + attrs(el) + ">" + escapeXML(el.textContent) + "</" + el.nodeName + ">");
    } else {
      out.push(pad + "<" + el.nodeName + attrs(el) + ">");
      for (const k of kids) {
        if (k.nodeType === 1) walk(k, depth + 1);
        else out.push(pad + "  " + escapeXML(k.nodeValue.trim()));
      }
      out.push(pad + "</" + el.nodeName + ">");
    }
  };
  walk(root, 0);
  return out.join("\n");
}

/** Children of el that are elements, optionally only those with a namespace and local name. */
function children(el, ns, name) {
  const r = [];
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    if ((ns === undefined || c.namespaceURI === ns) && (name === undefined || c.localName === name)) r.push(c);
  }
  return r;
}

function childText(el, ns, name) {
  const c = children(el, ns, name)[0];
  return c ? c.textContent.trim() : "";
}

/**
 * One <rpc-error> of a reply (RFC 6241 section 4.3).
 */
export class RpcError {
  /** @param {Element} el the rpc-error element */
  constructor(el) {
    /** @type {string} error-type: transport, rpc, protocol or application */
    this.type = childText(el, NETCONF_NS, "error-type");
    /** @type {string} error-tag, e.g. invalid-value */
    this.tag = childText(el, NETCONF_NS, "error-tag");
    /** @type {string} error-severity: error or warning */
    this.severity = childText(el, NETCONF_NS, "error-severity") || "error";
    /** @type {string} error-app-tag, empty when absent */
    this.appTag = childText(el, NETCONF_NS, "error-app-tag");
    /**
     * @type {string} error-path as sent: an XPath whose prefixes are declared in the reply
     * (/ex:interfaces/ex:interface[ex:name='eth0']); empty when absent. See modulePath.
     */
    this.path = childText(el, NETCONF_NS, "error-path");
    /** @type {string} error-message, empty when absent */
    this.message = childText(el, NETCONF_NS, "error-message");
    const info = children(el, NETCONF_NS, "error-info")[0];
    /** @type {Element[]} the children of error-info (bad-element, session-id ...) */
    this.info = info ? children(info) : [];
    /** @type {Element} */
    this.element = el;
  }

  /**
   * The error-path in the RFC 7951 form (/ncws-example:interfaces/interface[name='eth0']): each
   * prefix resolved through the namespace declarations in scope of the error-path element and
   * written as its module's name, on the first step and where the module changes only.
   * @param {(ns: string) => (string|null|undefined)} moduleOf the module name of a namespace
   * @returns {string} the path, or the error-path as sent when a prefix or namespace is unknown
   */
  modulePath(moduleOf) {
    const p = this.path;
    const pathEl = children(this.element, NETCONF_NS, "error-path")[0];
    if (!p || !pathEl) return p;
    let out = "";
    let cur = null; // module of the current step
    let inPred = false;
    for (let i = 0; i < p.length; ) {
      const c = p[i];
      if (c === "'" || c === '"') {
        const j = p.indexOf(c, i + 1);
        if (j < 0) return p;
        out += p.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      const m = /^([A-Za-z_][\w.-]*):(?!:)/.exec(p.slice(i));
      if (m && (i === 0 || /[\/\[\s(]/.test(p[i - 1]))) {
        const ns = pathEl.lookupNamespaceURI(m[1]);
        const mod = ns ? moduleOf(ns) : null;
        if (!mod) return p;
        if (mod !== cur) out += mod + ":";
        if (!inPred) cur = mod;
        i += m[0].length;
        continue;
      }
      if (c === "[") inPred = true;
      if (c === "]") inPred = false;
      out += c;
      i++;
    }
    return out;
  }

  /** @returns {string} "tag (type): message at path" */
  toString() {
    let s = this.tag + " (" + this.type + ")";
    if (this.appTag) s += " [" + this.appTag + "]";
    if (this.message) s += ": " + this.message;
    if (this.path) s += " at " + this.path;
    return s;
  }
}

/**
 * The rpc-errors of a reply element (direct children of rpc-reply).
 * @param {Element} reply
 * @returns {RpcError[]}
 */
export function rpcErrors(reply) {
  return children(reply, NETCONF_NS, "rpc-error").map((e) => new RpcError(e));
}

/** An rpc answered with at least one rpc-error of severity error. */
export class NetconfError extends Error {
  /**
   * @param {RpcError[]} errors
   * @param {Element} reply
   */
  constructor(errors, reply) {
    super(errors.map(String).join("; ") || "rpc-error");
    this.name = "NetconfError";
    /** @type {RpcError[]} */
    this.errors = errors;
    /** @type {Element} the rpc-reply */
    this.reply = reply;
  }
}

/** The session ended (or never opened) before the answer came. */
export class SessionClosedError extends Error {
  /**
   * @param {string} message
   * @param {number} code the WebSocket close code (1006 when refused before the upgrade)
   * @param {string} reason the close reason
   */
  constructor(message, code, reason) {
    super(message);
    this.name = "SessionClosedError";
    /** @type {number} */
    this.code = code;
    /** @type {string} */
    this.reason = reason;
  }
}

/**
 * The HTTP URL of the ncws login endpoint beside a NETCONF WebSocket URL:
 * ws://h:p/netconf -> http://h:p/login, wss -> https.
 * @param {string} wsURL
 * @returns {string}
 */
export function loginURL(wsURL) {
  const u = new URL(wsURL, globalThis.location ? globalThis.location.href : undefined);
  u.protocol = u.protocol === "wss:" ? "https:" : u.protocol === "ws:" ? "http:" : u.protocol;
  u.pathname = u.pathname.replace(/\/[^/]*$/, "/login");
  u.search = "";
  u.hash = "";
  return u.href;
}

/**
 * Logs in to an ncws server (POST /login, JSON) and returns the token, to offer as the subprotocol
 * "ncws.token.<token>". From another origin, the server must list the page's origin
 * (ncws serve --allow-origin); the request carries credentials so that the session cookie is set
 * too (used cross-site only under TLS).
 * @param {string} url the login URL (see loginURL)
 * @param {string} username
 * @param {string} password
 * @param {{fetch?: typeof fetch}} [opts]
 * @returns {Promise<string>}
 */
export async function login(url, username, password, opts = {}) {
  const f = opts.fetch || globalThis.fetch.bind(globalThis);
  let resp;
  try {
    resp = await f(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
      credentials: "include",
      mode: "cors",
      cache: "no-store",
    });
  } catch (e) {
    throw new LoginError("login failed: the server cannot be reached or refuses this origin (" + e.message + ")", 0);
  }
  let body = {};
  try {
    body = await resp.json();
  } catch {
    // not JSON: the status says it
  }
  if (!resp.ok || !body.token) {
    throw new LoginError("login failed: " + (body.error || resp.status + " " + resp.statusText), resp.status);
  }
  return body.token;
}

/** POST /login failed: status is the HTTP status (0 when the request itself failed). */
export class LoginError extends Error {
  constructor(message, status) {
    super(message);
    this.name = "LoginError";
    /** @type {number} */
    this.status = status;
  }
}

/**
 * Builds a <filter> element: a string is a subtree filter's content; {xpath, namespaces} an XPath
 * filter (RFC 6241 :xpath) with namespaces as prefix -> URI.
 * @param {string | {subtree?: string, xpath?: string, namespaces?: Object<string,string>} | undefined} f
 * @returns {string}
 */
export function filterXML(f) {
  if (f === undefined || f === null || f === "") return "";
  if (typeof f === "string") return '<filter type="subtree">' + f + "</filter>";
  if (f.subtree !== undefined) return '<filter type="subtree">' + f.subtree + "</filter>";
  if (f.xpath !== undefined) {
    let ns = "";
    for (const [p, uri] of Object.entries(f.namespaces || {})) ns += " xmlns:" + p + '="' + escapeXML(uri) + '"';
    return '<filter type="xpath"' + ns + ' select="' + escapeXML(f.xpath) + '"/>';
  }
  throw new TypeError("filter: a string, {subtree} or {xpath}");
}

function datastore(name) {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new TypeError("bad datastore name " + name);
  return "<" + name + "/>";
}

function withDefaultsXML(mode) {
  return mode ? '<with-defaults xmlns="' + WITH_DEFAULTS_NS + '">' + escapeXML(mode) + "</with-defaults>" : "";
}

/**
 * @typedef {Object} ConnectOptions
 * @property {string} [token] a token from POST /login, offered as "ncws.token.<token>"
 * @property {{username: string, password: string}} [credentials] logs in (POST /login beside the
 *   WebSocket URL) before connecting, and again when a reconnect is refused; kept in memory by the
 *   session for that
 * @property {string} [loginURL] where to POST the credentials (default: loginURL(url))
 * @property {boolean | {delays?: number[], maxAttempts?: number}} [reconnect] reconnect after the
 *   server went away or the connection broke (close 1001, 1006, 1008, 1011-1014): new WebSocket,
 *   new hello, subscriptions made again; default false
 * @property {number} [helloTimeout] milliseconds to wait for the server's hello (default 30000)
 * @property {string[]} [capabilities] the client's capabilities (default CLIENT_CAPABILITIES)
 * @property {typeof WebSocket} [WebSocket] the WebSocket constructor (default the browser's)
 * @property {typeof fetch} [fetch] the fetch function (default the browser's)
 */

/**
 * @typedef {Object} NotificationDetail
 * @property {string} eventTime the notification's eventTime
 * @property {Element | null} element the event content (the first child after eventTime)
 * @property {Element} notification the whole <notification> element
 * @property {string} xml the message as received
 */

/**
 * @typedef {Object} CloseDetail
 * @property {number} code
 * @property {string} reason
 * @property {boolean} wasClean
 * @property {boolean} willReconnect whether the session tries to reconnect
 */

/**
 * @typedef {Object} SubscriptionOptions
 * @property {string} [stream] default NETCONF
 * @property {string | {subtree?: string, xpath?: string, namespaces?: Object<string,string>}} [filter]
 * @property {string} [startTime] replay from this date-and-time (needs :interleave/:notification replay)
 * @property {string} [stopTime]
 */

/**
 * A NETCONF session over one WebSocket at a time. Events:
 * - "notification": CustomEvent<NotificationDetail>, each <notification>;
 * - "close": CustomEvent<CloseDetail>, each time the WebSocket closes;
 * - "reconnecting": CustomEvent<{attempt: number, delay: number, error?: Error}>, before each attempt;
 * - "reconnect": CustomEvent<{sessionId: string, attempt: number}>, a new session is up (hello done);
 * - "resubscribed": CustomEvent<{subscriptions: number}>, its subscriptions were made again;
 * - "error": CustomEvent<{message: string, xml?: string}>, an unexpected message.
 * Create one with connect().
 */
export class Session extends EventTarget {
  /**
   * @param {string} url
   * @param {ConnectOptions} opts
   */
  constructor(url, opts) {
    super();
    /** @type {string} the WebSocket URL */
    this.url = url;
    /** @type {string} the session-id of the server's hello */
    this.sessionId = "";
    /** @type {string[]} the server's capabilities */
    this.capabilities = [];
    /** @type {"connecting" | "open" | "reconnecting" | "closed"} */
    this.state = "connecting";
    /** @type {string | undefined} the username, when logged in with credentials */
    this.username = opts.credentials ? opts.credentials.username : undefined;
    this._opts = opts;
    this._token = opts.token;
    this._ws = null;
    this._pending = new Map();
    this._nextId = 1;
    this._subs = [];
    this._final = false; // close(), close-session or kill: no reconnect
    this._lastEvent = null; // {time, xml[]} for replay after a reconnect
    this._closedResolve = null;
    /** @type {Promise<CloseDetail>} resolves when the session is closed for good (no reconnect) */
    this.closed = new Promise((r) => (this._closedResolve = r));
  }

  /**
   * Whether the server advertised a capability; a URI given without "?" matches any parameters.
   * @param {string} uri
   * @returns {boolean}
   */
  hasCapability(uri) {
    return this.capabilities.some((c) => c === uri || (!uri.includes("?") && c.split("?")[0] === uri));
  }

  /** Number of rpcs sent and not yet answered. */
  get outstanding() {
    return this._pending.size;
  }

  // _open opens a WebSocket and exchanges the hellos; it resolves once the server's hello came.
  _open() {
    const WS = this._opts.WebSocket || globalThis.WebSocket;
    const protocols = [SUBPROTOCOL];
    if (this._token) protocols.push(TOKEN_PROTOCOL_PREFIX + this._token);
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new WS(this.url, protocols);
      } catch (e) {
        reject(e);
        return;
      }
      this._ws = ws;
      let helloDone = false;
      let opened = false;
      const timer = setTimeout(() => {
        if (!helloDone) {
          reject(new SessionClosedError("no hello from the server in time", 1008, ""));
          try {
            ws.close(1000, "no hello");
          } catch {
            // already closing
          }
        }
      }, this._opts.helloTimeout || 30000);
      ws.onopen = () => {
        opened = true;
        if (ws.protocol !== SUBPROTOCOL) {
          ws.close(1000, "subprotocol");
          return;
        }
        // The client's hello goes first, as in the draft's Figure 6; the server's may cross it.
        const caps = (this._opts.capabilities || CLIENT_CAPABILITIES).map((c) => "<capability>" + escapeXML(c) + "</capability>").join("");
        ws.send('<hello xmlns="' + NETCONF_NS + '"><capabilities>' + caps + "</capabilities></hello>");
      };
      ws.onmessage = (ev) => {
        if (helloDone) {
          this._message(ev.data);
          return;
        }
        let doc;
        try {
          doc = parseXML(ev.data);
        } catch (e) {
          reject(e);
          ws.close(1000, "bad hello");
          return;
        }
        const root = doc.documentElement;
        if (root.localName !== "hello" || root.namespaceURI !== NETCONF_NS) {
          reject(new Error("the server's first message is not a hello"));
          ws.close(1000, "bad hello");
          return;
        }
        helloDone = true;
        clearTimeout(timer);
        this.sessionId = childText(root, NETCONF_NS, "session-id");
        const caps = children(root, NETCONF_NS, "capabilities")[0];
        this.capabilities = caps ? children(caps, NETCONF_NS, "capability").map((c) => c.textContent.trim()) : [];
        this.serverHello = root;
        this.state = "open";
        resolve();
      };
      ws.onclose = (ev) => {
        clearTimeout(timer);
        if (this._ws !== ws) return;
        if (!helloDone) {
          const why = opened
            ? "the session closed before the server's hello"
            : "the WebSocket was refused before the upgrade (server down, origin or credentials refused)";
          reject(new SessionClosedError(why, ev.code, ev.reason));
          return;
        }
        this._closed(ev.code, ev.reason, ev.wasClean);
      };
      ws.onerror = () => {
        // The browser says nothing more; the close event follows with its code.
      };
    });
  }

  // _message handles one message after the hello.
  _message(text) {
    let doc;
    try {
      doc = parseXML(text);
    } catch (e) {
      this._emit("error", { message: e.message, xml: text });
      return;
    }
    const root = doc.documentElement;
    if (root.localName === "rpc-reply" && root.namespaceURI === NETCONF_NS) {
      let id = root.getAttribute("message-id");
      if (id === null || !this._pending.has(id)) {
        if (id !== null || this._pending.size === 0) {
          this._emit("error", { message: "reply to an unknown message-id " + id, xml: text });
          return;
        }
        // A reply without message-id (the server could not read the rpc): the server answers in
        // order, so it is the oldest outstanding rpc's.
        id = this._pending.keys().next().value;
      }
      const p = this._pending.get(id);
      this._pending.delete(id);
      const errs = rpcErrors(root);
      if (errs.some((e) => e.severity === "error") && !p.resolveErrors) {
        p.reject(new NetconfError(errs, root));
      } else {
        p.resolve(root);
      }
      return;
    }
    if (root.localName === "notification" && root.namespaceURI === NOTIFICATION_NS) {
      const eventTime = childText(root, NOTIFICATION_NS, "eventTime");
      const element = children(root).find((c) => !(c.namespaceURI === NOTIFICATION_NS && c.localName === "eventTime")) || null;
      if (this._lastEvent && this._replaying && eventTime === this._lastEvent.time && this._lastEvent.xml.includes(text)) {
        return; // replayed after a reconnect and seen before it
      }
      if (!this._lastEvent || this._lastEvent.time !== eventTime) this._lastEvent = { time: eventTime, xml: [] };
      this._lastEvent.xml.push(text);
      if (element && element.localName === "replayComplete") this._replaying = false;
      this._emit("notification", { eventTime, element, notification: root, xml: text });
      return;
    }
    this._emit("error", { message: "unexpected message <" + root.nodeName + ">", xml: text });
  }

  // _closed handles the end of the current WebSocket after its hello.
  _closed(code, reason, wasClean) {
    const err = new SessionClosedError("session closed (" + code + (reason ? " " + reason : "") + ")", code, reason);
    for (const p of this._pending.values()) p.reject(err);
    this._pending.clear();
    const rc = this._opts.reconnect;
    const willReconnect = !!rc && !this._final && TRANSIENT.has(code);
    this.state = willReconnect ? "reconnecting" : "closed";
    this.closeCode = code;
    this.closeReason = reason;
    const detail = { code, reason, wasClean, willReconnect };
    this._emit("close", detail);
    if (willReconnect) {
      this._reconnectLoop();
    } else {
      this._closedResolve(detail);
    }
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  async _reconnectLoop() {
    const rc = typeof this._opts.reconnect === "object" ? this._opts.reconnect : {};
    const delays = rc.delays || RECONNECT_DELAYS;
    const max = rc.maxAttempts || Infinity;
    let lastErr;
    for (let attempt = 1; attempt <= max; attempt++) {
      const delay = delays[Math.min(attempt - 1, delays.length - 1)];
      this._emit("reconnecting", { attempt, delay, error: lastErr });
      await new Promise((r) => setTimeout(r, delay));
      if (this._final) break;
      try {
        await this._connectOnce(true);
      } catch (e) {
        lastErr = e;
        continue;
      }
      this._emit("reconnect", { sessionId: this.sessionId, attempt });
      await this._resubscribe();
      return;
    }
    this.state = "closed";
    this._closedResolve({ code: this.closeCode, reason: this.closeReason, wasClean: false, willReconnect: false });
  }

  // _connectOnce opens the session with the token, logging in first when there is none (or,
  // after a refusal, when credentials allow a new one).
  async _connectOnce(retry) {
    const creds = this._opts.credentials;
    const relogin = async () => {
      this._token = await login(this._opts.loginURL || loginURL(this.url), creds.username, creds.password, { fetch: this._opts.fetch });
    };
    if (!this._token && creds) await relogin();
    try {
      await this._open();
    } catch (e) {
      if (!(retry && creds && e instanceof SessionClosedError && e.code === 1006)) throw e;
      // The server restarted (tokens live in its memory) or the token expired: log in again.
      await relogin();
      await this._open();
    }
  }

  async _resubscribe() {
    const subs = this._subs;
    this._subs = [];
    const replay = this.hasCapability("urn:ietf:params:netconf:capability:notification:1.0") && this._lastEvent;
    for (const s of subs) {
      const o = { ...s };
      if (replay && (!s.stopTime || s.stopTime > this._lastEvent.time)) {
        // Replay what was sent while the session was down; what was seen already is dropped.
        o.startTime = this._lastEvent.time;
        this._replaying = true;
      } else {
        delete o.startTime;
      }
      try {
        await this.createSubscription(o);
      } catch (e) {
        this._emit("error", { message: "resubscribing: " + e.message });
      }
    }
    this._emit("resubscribed", { subscriptions: subs.length });
  }

  /**
   * Sends one rpc and resolves with its <rpc-reply> element. body is the operation's XML (the
   * content of <rpc>); the session adds the envelope and a message-id. Several calls may be
   * outstanding at once (pipelining); each reply is routed to its call by message-id. A reply
   * with an rpc-error of severity error rejects with a NetconfError (unless resolveErrors), the end
   * of the session with a SessionClosedError.
   * @param {string} body
   * @param {{timeout?: number, resolveErrors?: boolean}} [opts]
   * @returns {Promise<Element>}
   */
  rpc(body, opts = {}) {
    const id = String(this._nextId++);
    return this._send(id, '<rpc xmlns="' + NETCONF_NS + '" message-id="' + id + '">' + body + "</rpc>", opts);
  }

  /**
   * Sends a whole <rpc> element as written (a raw console): its message-id is replaced by the
   * session's next one. Resolves with the reply like rpc() (with resolveErrors true by default).
   * @param {string} xml
   * @param {{timeout?: number, resolveErrors?: boolean}} [opts]
   * @returns {Promise<Element>}
   */
  rpcRaw(xml, opts = { resolveErrors: true }) {
    const doc = parseXML(xml);
    const root = doc.documentElement;
    if (root.localName !== "rpc") {
      return this.rpc(xml, opts);
    }
    const id = String(this._nextId++);
    root.setAttribute("message-id", id);
    return this._send(id, serializeXML(doc), opts);
  }

  _send(id, text, opts) {
    if (this.state !== "open" || !this._ws || this._ws.readyState !== 1) {
      return Promise.reject(new SessionClosedError("the session is not open", this.closeCode || 0, this.closeReason || ""));
    }
    return new Promise((resolve, reject) => {
      let timer;
      const done = (f) => (v) => {
        clearTimeout(timer);
        f(v);
      };
      this._pending.set(id, { resolve: done(resolve), reject: done(reject), resolveErrors: !!opts.resolveErrors });
      if (opts.timeout) {
        timer = setTimeout(() => {
          if (this._pending.delete(id)) reject(new Error("no reply to message-id " + id + " within " + opts.timeout + " ms"));
        }, opts.timeout);
      }
      this._ws.send(text);
    });
  }

  // _ok sends an rpc whose answer is <ok/>.
  async _ok(body) {
    await this.rpc(body);
  }

  // _data sends an rpc and returns its <data> element (null when the reply has none).
  async _data(body) {
    const reply = await this.rpc(body);
    return children(reply, NETCONF_NS, "data")[0] || null;
  }

  /**
   * <get>: state and configuration. Resolves with the <data> element.
   * @param {{filter?: any, withDefaults?: string}} [o]
   * @returns {Promise<Element|null>}
   */
  get(o = {}) {
    return this._data("<get>" + filterXML(o.filter) + withDefaultsXML(o.withDefaults) + "</get>");
  }

  /**
   * <get-config> of a datastore (running by default). Resolves with the <data> element.
   * @param {{source?: string, filter?: any, withDefaults?: string}} [o]
   * @returns {Promise<Element|null>}
   */
  getConfig(o = {}) {
    return this._data(
      "<get-config><source>" + datastore(o.source || "running") + "</source>" + filterXML(o.filter) + withDefaultsXML(o.withDefaults) + "</get-config>",
    );
  }

  /**
   * <get-data> of RFC 8526 when the server has it is not wrapped; use rpc(). <edit-config>:
   * config is the content of <config> (or a whole <config> element).
   * @param {{target?: string, config: string, defaultOperation?: string, testOption?: string, errorOption?: string}} o
   * @returns {Promise<void>}
   */
  editConfig(o) {
    let cfg = o.config.trim();
    if (!/^<config[\s>/]/.test(cfg)) cfg = "<config>" + cfg + "</config>";
    let b = "<edit-config><target>" + datastore(o.target || "running") + "</target>";
    if (o.defaultOperation) b += "<default-operation>" + escapeXML(o.defaultOperation) + "</default-operation>";
    if (o.testOption) b += "<test-option>" + escapeXML(o.testOption) + "</test-option>";
    if (o.errorOption) b += "<error-option>" + escapeXML(o.errorOption) + "</error-option>";
    return this._ok(b + cfg + "</edit-config>");
  }

  /**
   * <copy-config>: source is a datastore name or {config: "<...>"}.
   * @param {{target: string, source: string | {config: string}}} o
   * @returns {Promise<void>}
   */
  copyConfig(o) {
    const src = typeof o.source === "string" ? datastore(o.source) : "<config>" + o.source.config + "</config>";
    return this._ok("<copy-config><target>" + datastore(o.target) + "</target><source>" + src + "</source></copy-config>");
  }

  /** <delete-config> @param {string} target @returns {Promise<void>} */
  deleteConfig(target) {
    return this._ok("<delete-config><target>" + datastore(target) + "</target></delete-config>");
  }

  /** <lock> @param {string} [target] default running @returns {Promise<void>} */
  lock(target = "running") {
    return this._ok("<lock><target>" + datastore(target) + "</target></lock>");
  }

  /** <unlock> @param {string} [target] default running @returns {Promise<void>} */
  unlock(target = "running") {
    return this._ok("<unlock><target>" + datastore(target) + "</target></unlock>");
  }

  /**
   * <commit> of the candidate; confirmed (RFC 6241 8.4) with confirmTimeout seconds (600 by
   * default on the server), persist and persistId.
   * @param {{confirmed?: boolean, confirmTimeout?: number, persist?: string, persistId?: string}} [o]
   * @returns {Promise<void>}
   */
  commit(o = {}) {
    let b = "<commit>";
    if (o.confirmed) b += "<confirmed/>";
    if (o.confirmTimeout) b += "<confirm-timeout>" + Number(o.confirmTimeout) + "</confirm-timeout>";
    if (o.persist) b += "<persist>" + escapeXML(o.persist) + "</persist>";
    if (o.persistId) b += "<persist-id>" + escapeXML(o.persistId) + "</persist-id>";
    return this._ok(b + "</commit>");
  }

  /** <cancel-commit> @param {{persistId?: string}} [o] @returns {Promise<void>} */
  cancelCommit(o = {}) {
    return this._ok("<cancel-commit>" + (o.persistId ? "<persist-id>" + escapeXML(o.persistId) + "</persist-id>" : "") + "</cancel-commit>");
  }

  /** <discard-changes> @returns {Promise<void>} */
  discardChanges() {
    return this._ok("<discard-changes/>");
  }

  /** <validate> of a datastore (candidate by default) @param {{source?: string}} [o] @returns {Promise<void>} */
  validate(o = {}) {
    return this._ok("<validate><source>" + datastore(o.source || "candidate") + "</source></validate>");
  }

  /**
   * <kill-session>: the other session's WebSocket closes with 4001.
   * @param {string | number} sessionId
   * @returns {Promise<void>}
   */
  killSession(sessionId) {
    return this._ok("<kill-session><session-id>" + Number(sessionId) + "</session-id></kill-session>");
  }

  /**
   * <close-session>: resolves once the server closed the WebSocket (1000), with the close.
   * @returns {Promise<CloseDetail>}
   */
  async closeSession() {
    this._final = true;
    await this._ok("<close-session/>");
    return this.closed;
  }

  /**
   * <get-schema> (RFC 6022): resolves with the schema text.
   * @param {{identifier: string, version?: string, format?: string}} o
   * @returns {Promise<string>}
   */
  async getSchema(o) {
    let b = '<get-schema xmlns="' + MONITORING_NS + '"><identifier>' + escapeXML(o.identifier) + "</identifier>";
    if (o.version) b += "<version>" + escapeXML(o.version) + "</version>";
    if (o.format) b += "<format>" + escapeXML(o.format) + "</format>";
    const reply = await this.rpc(b + "</get-schema>");
    const d = children(reply, MONITORING_NS, "data")[0] || children(reply, undefined, "data")[0];
    return d ? d.textContent : "";
  }

  /**
   * <create-subscription> (RFC 5277): notifications then arrive as "notification" events. The
   * subscription is remembered and made again after a reconnect (replaying from the last event
   * seen when the server supports replay).
   * @param {SubscriptionOptions} [o]
   * @returns {Promise<void>}
   */
  async createSubscription(o = {}) {
    let b = '<create-subscription xmlns="' + NOTIFICATION_NS + '">';
    if (o.stream) b += "<stream>" + escapeXML(o.stream) + "</stream>";
    if (o.filter) b += filterXML(o.filter).replace("<filter ", '<filter xmlns="' + NOTIFICATION_NS + '" ');
    if (o.startTime) b += "<startTime>" + escapeXML(o.startTime) + "</startTime>";
    if (o.stopTime) b += "<stopTime>" + escapeXML(o.stopTime) + "</stopTime>";
    await this._ok(b + "</create-subscription>");
    this._subs.push({ ...o });
  }

  /** The subscriptions made in this session (and made again after a reconnect). */
  get subscriptions() {
    return this._subs.map((s) => ({ ...s }));
  }

  /**
   * Closes the WebSocket without close-session (the server ends the session), with a code
   * (1000 or 3000-4999) and a reason; no reconnect follows. Resolves when it is closed.
   * @param {number} [code]
   * @param {string} [reason]
   * @returns {Promise<CloseDetail>}
   */
  close(code = 1000, reason = "") {
    this._final = true;
    if (this._ws && this._ws.readyState <= 1) {
      this._ws.close(code, reason);
    } else if (this.state !== "closed") {
      this.state = "closed";
      this._closedResolve({ code, reason, wasClean: true, willReconnect: false });
    }
    return this.closed;
  }

  /**
   * Ends the current session (close-session when it is open) and opens a new one on a new
   * WebSocket: new hello, new session-id, subscriptions made again. Resolves with the new
   * session-id.
   * @returns {Promise<string>}
   */
  async reconnect() {
    const old = this._ws;
    if (this.state === "open" && old) {
      this._ws = null; // its close event no longer concerns the session
      this.state = "reconnecting";
      try {
        old.send('<rpc xmlns="' + NETCONF_NS + '" message-id="' + this._nextId++ + '"><close-session/></rpc>');
      } catch {
        // already broken
      }
      const err = new SessionClosedError("session replaced by reconnect()", 1000, "");
      for (const p of this._pending.values()) p.reject(err);
      this._pending.clear();
    }
    this._final = false;
    await this._connectOnce(true);
    this._emit("reconnect", { sessionId: this.sessionId, attempt: 0 });
    await this._resubscribe();
    return this.sessionId;
  }
}

/**
 * Opens a NETCONF session: logs in when credentials are given (POST /login beside the URL), opens
 * the WebSocket with the subprotocol "netconf" (and the token), exchanges the hellos and resolves
 * with the session (its sessionId and capabilities set). It rejects with a LoginError or a
 * SessionClosedError (code 1006: refused before the upgrade).
 * @param {string} url ws:// or wss:// URL of the NETCONF endpoint
 * @param {ConnectOptions} [opts]
 * @returns {Promise<Session>}
 */
export async function connect(url, opts = {}) {
  const s = new Session(url, opts);
  await s._connectOnce(false);
  return s;
}
