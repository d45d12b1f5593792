// Package websocket is the NETCONF over WebSocket binding of draft-iijima-netconf-websocket-ps-01
// on github.com/coder/websocket: a Listener that is also the http.Handler of the upgrade, and the
// netconf.Conn it yields.
//
// Everything is checked before the 101 (draft sections 5.2, 5.3): the Host header (an IP literal,
// a localhost name or one of Options.AllowHosts, against DNS rebinding; 403), the Origin (exact
// origins in Options.AllowOrigins, by default only the server's own; requests without Origin
// come from non-browser clients and pass; 403), the subprotocol (the request must offer
// `netconf`, else 400; the 101 names only `netconf`, never another offered protocol such as a
// token), the connection caps (total, per user, per address; 503) and authentication
// (Options.Authenticate; 401, or the status its error carries). Every handshake response carries
// Cache-Control: no-cache and Pragma: no-cache.
//
// Each NETCONF message is one text message (draft section 5.4); framing never changes after the
// hello. A binary message closes the connection with 1003, invalid UTF-8 with 1007, a message
// over Options.ReadLimit with 1009 (the reason names the limit), an unmasked client frame or
// another framing error with 1002. The close codes of netconf.CloseCode: 1000 after
// close-session, StatusKilled (4001, the reason names the killer's session-id) after
// kill-session, 1001 at shutdown (after the reply to the request in progress), 1002 for a bad
// hello, 1008 for no hello in time or no pong, 1011 after a server failure.
//
// Liveness: the connection is read all the time, one message ahead of the session, so pings are
// answered and pongs seen while a request runs. The server pings every Options.PingInterval
// (10 s by default); Options.MaxMissedPings (2) pings in a row with nothing heard from the peer
// close it, so a dead peer is dropped, and its locks freed, within 30 s by default. Close returns
// at once; the close handshake is cut short after CloseTimeout.
//
//	l := websocket.NewListener(websocket.Options{Authenticate: a.Authenticate})
//	mux := http.NewServeMux()
//	mux.Handle("/netconf", l)
//	go srv.Serve(l) // srv is a *server.Server
//	http.ListenAndServe("127.0.0.1:8080", mux)
package websocket
