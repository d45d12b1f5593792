// Package auth authenticates NETCONF over WebSocket clients before the upgrade (the handshake of
// draft-iijima-netconf-websocket-ps-01 section 5.2 carries no credentials, and its section 6
// leaves authentication to TLS and the HTTP layer): TLS client certificates (names as in RFC
// 7589's cert-to-name, simplified), tokens from a login handler offered as the subprotocol
// "ncws.token.<token>" or as a session cookie, and HTTP Basic (RFC 7617) against an htpasswd file
// with bcrypt hashes, the format of Apache's `htpasswd -B`.
//
// Users reads the htpasswd file and re-reads it when it changes; SetPassword rewrites it
// atomically and EnsureAdmin bootstraps it. An Authenticator holds the tokens in memory, limits the
// rate of failed attempts per username at a client address and, with a higher cap, per address
// (429 with Retry-After; one user's wrong passwords do not lock the others on that address out),
// and reports every failure as an *Error carrying its HTTP status, which WriteError writes.
//
//	a, err := auth.New(auth.Options{UsersFile: "users.htpasswd"})
//	mux.Handle("/login", a.LoginHandler()) // {"username","password"} -> {"token"} + cookie
//	mux.Handle("/netconf", websocket.NewListener(websocket.Options{Authenticate: a.Authenticate}))
//	// browser: new WebSocket(url, ["netconf", "ncws.token." + token])
//	// transport, before the 101: if user, err := a.Authenticate(r); err != nil { auth.WriteError(w, err) }
package auth
