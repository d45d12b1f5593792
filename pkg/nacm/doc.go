// Package nacm enforces the NETCONF Access Control Model (RFC 8341) for a schema that holds
// ietf-netconf-acm: it compiles running's /nacm once per change (Load: groups indexed, rule
// paths resolved against the schema, the rules of each set of groups gathered once) and
// answers, per session (For), whether an rpc or action may run (section 3.4.4), which data
// nodes a reply leaves out (3.4.5, silently), whether a change may be written (create, update,
// delete per node, 3.4.5) and whether a notification is delivered (3.4.6), with the
// nacm:default-deny-write and default-deny-all extensions, the recovery session (Options.
// RecoveryUser) and the denied-* counters. Every denial is logged with the user, the operation
// or path and the rule or default that decided.
//
//	eng := nacm.New(sch, nacm.Options{RecoveryUser: "root"})
//	st, err := datastore.Open(datastore.Options{Schema: sch, Hooks: []datastore.Hook{eng.Hook()}})
//	srv := &server.Server{Store: st}
//	err = eng.Attach(st, srv) // the store's writes, srv's operations, reads, notifications
//	srv.Serve(l)
package nacm
