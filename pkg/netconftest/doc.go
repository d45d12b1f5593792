// Package netconftest is the conformance suite every ncws transport runs, as testing/fstest is
// for file systems: scripted NETCONF sessions (testdata/scripts/*.nct: client messages in,
// expected replies out) covering every RFC 6241 operation and error the server core answers,
// locks between sessions, confirmed commit with timeout, persist and session loss, with-defaults
// and filters, and NACM (RFC 8341: the nacm-* scripts, whose "nacm" line asks for a server
// enforcing it, users named per session). Run starts a fresh server (persistent store in a
// temporary directory) for each script and connects through the transport under test as each
// script's users; InMemory is the reference transport.
//
//	func TestWebSocket(t *testing.T) {
//		netconftest.Run(t, func(t *testing.T, srv *server.Server) netconftest.Dialer {
//			ts := httptest.NewServer(wstransport.Handler(srv, opts))
//			t.Cleanup(ts.Close)
//			return dialWebSocket(ts.URL)
//		})
//	}
package netconftest
