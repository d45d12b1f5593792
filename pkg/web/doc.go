// Package web is the browser side of ncws: the NMS page and the JavaScript NETCONF client module,
// embedded in the binary (go:embed) and served by Handler. pkg/agent mounts Handler at "/" beside
// /netconf and /login, so `ncws serve` and every agent built on pkg/agent serve the page.
//
// The client module (static/netconf-ws, an npm-shaped package: package.json, index.js,
// index.d.ts) is the reference client of the WebSocket binding of
// draft-iijima-netconf-websocket-ps-01: connect(url, {token | credentials}) exchanges the hellos
// and resolves with a Session whose rpc() pipelines requests and routes replies by message-id,
// with helpers for the RFC 6241 operations and RFC 5277 create-subscription; notifications
// arrive as DOM events; reconnect opens a new session and subscribes again (draft section 5.1).
// Plain ES modules, no framework, nothing built: the files served are the files in the tree.
//
// The page (static/index.html, static/nms) is the module's first user: login, capabilities and
// yang-library modules, a virtualized schema tree and data tree, forms built from the schema,
// the candidate workflow, rpc and action forms, notifications, a raw XML console. It reads the
// compiled schema from /schema.json (MarshalSchema): modules; the tree of nodes with short keys
// (n name, m module index, k kind, s state, keys, mand, pres, t type index, def, u units, min,
// max, ord, d description, c children); types deduplicated into a table (b base, range and len
// as [min, max] strings, pat patterns as anchored regular expressions, enum, bits, fd fraction
// digits, path and target of a leafref, ids the valid identities of an identityref, union
// members).
//
//	a, _ := agent.New(opts) // serves web.Handler(web.Options{Schema: a.Schema()}) at "/"
//	mux.Handle("/", web.Handler(web.Options{Schema: sch}))
//	// browser: import { connect } from "/netconf-ws/index.js";
//	//          const s = await connect("ws://host:8080/netconf", {credentials: {username, password}});
package web
