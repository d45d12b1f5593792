// Package server runs NETCONF sessions (RFC 6241) over any transport that yields whole messages
// (netconf.Conn): the hello exchange with the full capability advertisement (RFC 6241 section
// 8, RFC 7950 section 5.6.4, RFC 8526 yang-library:1.1 with content-id), message-id handling
// and the rpc-errors of Appendix A, and every base operation on pkg/datastore: get and
// get-config with subtree and XPath filters (sections 6, 8.9) and with-defaults (RFC 6243),
// edit-config, copy-config, delete-config, lock, unlock, close-session, kill-session, commit
// with confirmed commit, discard-changes, cancel-commit, validate. It also serves
// ietf-netconf-monitoring (RFC 6022), ietf-yang-library (RFC 8525) and the ncws-server module
// (commit history, rollback).
//
// With ietf-netconf-nmda (RFC 8526) it answers get-data and edit-data on the NMDA datastores:
// running, candidate, startup, intended (running: ncws has no inactive configuration) and
// operational, the configuration merged with the state providers' data, each node annotated
// on request (with-origin) with its origin (RFC 8342 section 5.3.4: intended, default for
// schema defaults, what the provider says for state, learned when it says nothing; the server's
// own state is system). get-data takes subtree and XPath filters, config-filter, the origin
// filters, max-depth and with-defaults (announced for the operational datastore with
// :with-operational-defaults); lock, unlock and validate take the datastore parameter. The
// yang library gives the configuration datastores one schema (the modules that define
// configuration) and the operational datastore another (all of them), lists deviations and
// features, and keeps RFC 7895's /modules-state, announced by yang-library:1.0 beside 1.1.
//
// Other rpcs, and YANG actions (RFC 7950 section 7.15: the
// <action> element, its target instance in Request.Target, data-missing when a configuration
// target does not exist), are answered by Handlers registered with Handle. get-schema (RFC 6022
// section 3.1) serves each module's YANG text.
//
// Error-paths are sent as XPaths that select the node (RFC 6241 section 4.3): every step and
// key prefixed, the prefixes declared on the <rpc-error> (a module's YANG prefix when unique in
// the schema, its name otherwise); an error about an operation's parameter names it in the
// request (/nc:rpc/nc:kill-session/nc:session-id). A session whose client announced base:1.0
// only never gets malformed-message (new in base:1.1, Appendix A): a message whose message-id
// was read is answered operation-failed, one without ends the session.
//
// With ietf-netconf-partial-lock in the schema, the server announces :partial-lock and answers
// partial-lock and partial-unlock (RFC 5717): select expressions evaluated on running (what the
// user may read), the locked nodes named in the reply; the store refuses other sessions'
// changes at, above or below a locked node (in-use), overlapping partial locks and global locks
// on running both ways (lock-denied); locks end with their session and show in
// ietf-netconf-monitoring with the time they were taken.
//
// When the schema has RFC 5277's notifications module, the server announces :notification and
// :interleave, answers create-subscription (the NETCONF stream, subtree and XPath filters,
// replay from an in-memory log bounded by ReplayLogSize, replayComplete and
// notificationComplete), serves nc-notifications' streams and sends what Notify is given to
// the subscribed sessions, each through a bounded queue (NotificationQueue) so that a slow
// reader never blocks Notify: a session whose queue overflows is ended. With RFC 6470's
// ietf-netconf-notifications it sends its own events too: netconf-session-start and -end,
// netconf-config-change (running and startup, with the edits of each commit) and
// netconf-confirmed-commit (start, extend, complete, cancel, and timeout or cancel when the
// store reverts a confirmed commit itself, each followed by the revert's netconf-config-change).
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
