// Package server runs NETCONF sessions (RFC 6241) over any transport that yields whole messages
// (netconf.Conn): the hello exchange with the full capability advertisement (RFC 6241 section
// 8, RFC 7950 section 5.6.4, RFC 8526 yang-library:1.1 with content-id), message-id handling
// and the rpc-errors of Appendix A, and every base operation on pkg/datastore: get and
// get-config with subtree and XPath filters (sections 6, 8.9) and with-defaults (RFC 6243),
// edit-config, copy-config, delete-config, lock, unlock, close-session, kill-session, commit
// with confirmed commit, discard-changes, cancel-commit, validate. It also serves
// ietf-netconf-monitoring (RFC 6022), ietf-yang-library (RFC 8525) and the ncws-server module
// (commit history, rollback). Other rpcs are answered by Handlers registered with Handle.
//
// A Server is shaped like net/http's: configured by fields, Serve(listener), ServeConn for
// transports that accept connections themselves, Shutdown(ctx). Requests of one session are
// answered in order; sessions run concurrently.
//
//	st, _ := datastore.Open(datastore.Options{Schema: sch, Dir: "/var/lib/ncws"})
//	srv := &server.Server{Store: st}
//	srv.Handle(rebootRPC, func(ctx context.Context, req *server.Request) (*data.Node, error) {
//		return nil, device.Reboot(ctx)
//	})
//	go srv.Serve(listener)
//	defer srv.Shutdown(ctx)
package server
