// Unit tests of the netconf-ws module, run in headless Chromium by TestClientInBrowser against a
// scripted fake server (/fake/MODE) and a real ncws agent (/netconf). Results go to
// window.testResults; document.title becomes "done".
import {
  connect, login, loginURL, NetconfError, SessionClosedError, LoginError, prettyXML, filterXML, NETCONF_NS,
} from "/netconf-ws/index.js";

const params = new URLSearchParams(location.hash.slice(1));
const password = params.get("password");
const user = params.get("user");
const wsBase = location.origin.replace(/^http/, "ws");
const results = (window.testResults = []);

function assert(cond, msg) {
  if (!cond) throw new Error("assertion failed: " + msg);
}
function eq(got, want, msg) {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(msg + ": got " + JSON.stringify(got) + ", want " + JSON.stringify(want));
}
function once(target, type, ms = 10000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no " + type + " event within " + ms + " ms")), ms);
    target.addEventListener(type, (ev) => {
      clearTimeout(t);
      resolve(ev);
    }, { once: true });
  });
}
// The next notification named name (others, such as netconf-session-end, are skipped).
function notification(s, name, ms = 10000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no " + name + " within " + ms + " ms")), ms);
    const h = (ev) => {
      if (ev.detail.element && ev.detail.element.localName === name) {
        clearTimeout(t);
        s.removeEventListener("notification", h);
        resolve(ev);
      }
    };
    s.addEventListener("notification", h);
  });
}
async function rejects(p) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("resolved, want a rejection");
}
const text = (el, name) => {
  const e = el.getElementsByTagName(name)[0];
  return e ? e.textContent : null;
};

const tests = {
  // Message-id routing: the fake server answers five pipelined rpcs in reverse order.
  async "routing by message-id, replies out of order"() {
    const s = await connect(wsBase + "/fake/reverse");
    const ps = [1, 2, 3, 4, 5].map((i) => s.rpc("<echo>" + i + "</echo>"));
    eq(s.outstanding, 5, "outstanding after five sends");
    const replies = await Promise.all(ps);
    eq(replies.map((r) => text(r, "echo")), ["1", "2", "3", "4", "5"], "each call got its own reply");
    eq(replies.map((r) => r.getAttribute("message-id")), ["1", "2", "3", "4", "5"], "message-ids");
    s.close();
  },
  // Pipelining against the real server: 20 calls outstanding at once.
  async "pipelining 20 get-config on a real session"() {
    const s = await connect(wsBase + "/netconf", { credentials: { username: user, password } });
    const ps = [];
    for (let i = 0; i < 20; i++) ps.push(s.getConfig({ source: "running" }));
    assert(s.outstanding > 1, "several outstanding");
    const all = await Promise.all(ps);
    eq(all.length, 20, "replies");
    assert(all.every((d) => d && d.localName === "data"), "each a <data>");
    eq(s.outstanding, 0, "none outstanding after");
    await s.closeSession();
  },
  async "a reply without message-id goes to the oldest outstanding rpc"() {
    const s = await connect(wsBase + "/fake/noid");
    const e = await rejects(s.rpc("<bad/>"));
    assert(e instanceof NetconfError, "NetconfError");
    eq(e.errors[0].tag, "malformed-message", "tag");
    s.close();
  },
  async "a reply to an unknown message-id is an error event"() {
    const s = await connect(wsBase + "/fake/unknownid");
    const ev = once(s, "error");
    const p = s.rpc("<get/>");
    eq((await ev).detail.message, "reply to an unknown message-id 999", "event");
    await p; // the real reply follows
    s.close();
  },
  async "rpc-error fields"() {
    const s = await connect(wsBase + "/fake/error");
    const e = await rejects(s.rpc("<edit-config/>"));
    assert(e instanceof NetconfError, "NetconfError");
    const r = e.errors[0];
    eq([r.type, r.tag, r.severity, r.appTag, r.path, r.message], ["application", "invalid-value", "error", "my-app-tag", "/ex:a/b", "bad value"], "fields");
    eq(r.info.map((i) => i.localName), ["bad-element"], "error-info");
    // modulePath: prefixes resolved where the path stands, written as module names in the RFC
    // 7951 form; an undeclared prefix leaves the path as sent.
    const mods = { "urn:ex": "example", "urn:aug": "aug" };
    const moduleOf = (ns) => mods[ns];
    eq(r.modulePath(moduleOf), "/example:a/b", "modulePath");
    const r2 = e.errors[1];
    eq(r2.modulePath(moduleOf), "/ex:a/ex:b[ex:k='x:y'][au:k2=\"']\"]/au:c/au:d[.='1']/zz:e", "modulePath, undeclared prefix");
    r2.path = r2.path.replace("/zz:e", "");
    eq(r2.modulePath(moduleOf), "/example:a/b[k='x:y'][aug:k2=\"']\"]/aug:c/d[.='1']", "modulePath with keys and modules");
    s.close();
  },
  async "close code and reason: killed by another session (4001)"() {
    const s = await connect(wsBase + "/fake/kill");
    const pending = s.rpc("<get/>");
    const ev = await once(s, "close");
    eq([ev.detail.code, ev.detail.reason, ev.detail.willReconnect], [4001, "killed by session 7", false], "close");
    const e = await rejects(pending);
    assert(e instanceof SessionClosedError, "SessionClosedError");
    eq(e.code, 4001, "pending rpc's error code");
    eq((await s.closed).code, 4001, "closed promise");
    eq(s.state, "closed", "state");
    const e2 = await rejects(s.rpc("<get/>"));
    assert(e2 instanceof SessionClosedError, "rpc after close");
  },
  async "a bad hello is refused"() {
    const e = await rejects(connect(wsBase + "/fake/badhello"));
    eq(e.message, "the server's first message is not a hello", "error");
  },
  async "refused before the upgrade: 1006"() {
    const e = await rejects(connect(wsBase + "/netconf", { token: "not-a-token" }));
    assert(e instanceof SessionClosedError, "SessionClosedError");
    eq(e.code, 1006, "code");
  },
  async "wrong password: LoginError 401"() {
    const e = await rejects(connect(wsBase + "/netconf", { credentials: { username: user, password: "wrong" } }));
    assert(e instanceof LoginError, "LoginError " + e);
    eq(e.status, 401, "status");
  },
  async "token path, hello, capabilities, session-id"() {
    const token = await login(loginURL(wsBase + "/netconf"), user, password);
    const s = await connect(wsBase + "/netconf", { token });
    assert(/^[1-9][0-9]*$/.test(s.sessionId), "session-id " + s.sessionId);
    assert(s.hasCapability("urn:ietf:params:netconf:base:1.1"), "base:1.1");
    assert(s.hasCapability("urn:ietf:params:netconf:capability:candidate:1.0"), "candidate");
    await s.closeSession();
  },
  async "edit, read back, invalid edit, close-session 1000"() {
    const s = await connect(wsBase + "/netconf", { credentials: { username: user, password } });
    const EX = "urn:ncws:yang:ncws-example";
    await s.editConfig({ target: "running", config: '<system xmlns="' + EX + '"><hostname>unit-test</hostname></system>' });
    const d = await s.getConfig({ filter: '<system xmlns="' + EX + '"/>' });
    eq(text(d, "hostname"), "unit-test", "hostname");
    const e = await rejects(s.editConfig({ config: '<system xmlns="' + EX + '"><hostname>no good!</hostname></system>' }));
    // The error-path selects the node: every step prefixed, the prefix declared (RFC 6241 4.3).
    eq([e.errors[0].tag, e.errors[0].path], ["invalid-value", "/ex:system/ex:hostname"], "error");
    eq(e.errors[0].modulePath((ns) => (ns === EX ? "ncws-example" : null)), "/ncws-example:system/hostname", "modulePath");
    const closed = await s.closeSession();
    eq(closed.code, 1000, "close code");
  },
  async "kill-session closes the other with 4001 naming the killer"() {
    const a = await connect(wsBase + "/netconf", { credentials: { username: user, password } });
    const b = await connect(wsBase + "/netconf", { credentials: { username: user, password }, reconnect: true });
    const ev = once(b, "close");
    await a.killSession(b.sessionId);
    const d = (await ev).detail;
    eq(d.code, 4001, "code");
    assert(d.reason.includes(a.sessionId), "reason names the killer: " + d.reason);
    eq(d.willReconnect, false, "no reconnect after kill-session");
    await a.closeSession();
  },
  async "client close with a code"() {
    const s = await connect(wsBase + "/netconf", { credentials: { username: user, password } });
    const d = await s.close(4000, "bye");
    eq([d.code, d.reason], [4000, "bye"], "close");
  },
  async "notifications as events, and resubscribe after reconnect"() {
    const s = await connect(wsBase + "/netconf", { credentials: { username: user, password } });
    await s.createSubscription();
    const EX = "urn:ncws:yang:ncws-example";
    let ev = notification(s, "netconf-config-change");
    await s.editConfig({ config: '<system xmlns="' + EX + '"><hostname>notified</hostname></system>' });
    let n = (await ev).detail;
    eq(n.element.localName, "netconf-config-change", "notification");
    assert(n.eventTime.length > 0, "eventTime");
    const first = s.sessionId;
    const resub = once(s, "resubscribed");
    await s.reconnect();
    assert(s.sessionId !== first, "a new session-id after reconnect");
    eq((await resub).detail.subscriptions, 1, "resubscribed");
    ev = notification(s, "netconf-config-change");
    await s.editConfig({ config: '<system xmlns="' + EX + '"><hostname>again</hostname></system>' });
    n = (await ev).detail;
    assert(n.xml.includes("again") || n.xml.includes("hostname"), "the change after reconnect: " + n.xml);
    await s.closeSession();
  },
  async "reconnect after the server closes with 1001"() {
    const s = await connect(wsBase + "/fake/goaway", { reconnect: { delays: [50] } });
    await s.createSubscription();
    const first = s.sessionId;
    const re = await once(s, "reconnect");
    assert(re.detail.sessionId !== first, "new session " + re.detail.sessionId + " vs " + first);
    await once(s, "resubscribed");
    eq(s.subscriptions.length, 1, "subscriptions kept");
    s.close();
  },
  async "prettyXML and filterXML"() {
    eq(prettyXML('<a xmlns="u"><b>1</b><c/></a>'), '<a xmlns="u">\n  <b>1</b>\n  <c/>\n</a>', "pretty");
    eq(filterXML({ xpath: "/a:x", namespaces: { a: "urn:a" } }), '<filter type="xpath" xmlns:a="urn:a" select="/a:x"/>', "xpath filter");
    eq(NETCONF_NS, "urn:ietf:params:xml:ns:netconf:base:1.0", "namespace");
  },
};

for (const [name, fn] of Object.entries(tests)) {
  const li = document.createElement("li");
  try {
    await fn();
    results.push({ name, ok: true });
    li.textContent = "ok " + name;
  } catch (e) {
    results.push({ name, ok: false, error: String(e && e.stack ? e.stack : e) });
    li.textContent = "FAIL " + name + ": " + e;
  }
  document.getElementById("results").append(li);
}
document.title = "done";
