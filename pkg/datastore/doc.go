// Package datastore holds the NETCONF configuration datastores of a server: running, candidate
// and startup (RFC 6241 sections 5.1, 8.3, 8.7), the operational view that merges configuration
// with the state data of providers, locks (RFC 6241 section 7.5), edits (section 7.2), commits
// with confirmed commit (sections 8.3.4, 8.4), commit history with rollback, and device hooks.
//
// Every change to running goes through one pipeline: the change is applied in place to the
// running tree through a data.Txn, the constraints it can affect are validated
// (validate.ValidateChanges), the device hooks validate and apply it, and the commit is written
// to the journal (an fsync'd append) before the call returns. A failure anywhere undoes the Txn:
// running is never left half-changed, in memory or on disk. Nothing in the pipeline is
// proportional to the size of the datastore: a one-entry commit into a 100k-entry list costs what
// it costs in a 1k-entry list.
//
// The candidate shares running's tree while it is unmodified (after Open, and after a commit or
// discard-changes as large as running itself, such as a bulk load), so that a store at rest holds
// one tree. Its first edit then copies running, once (O(datastore)); the copy is kept while
// commits stay small, so that each later one-entry edit and commit costs the change's size.
//
// On disk (Options.Dir) the store keeps a snapshot of running and a journal of the commits since
// (pkg/datastore/internal/journal); a crash at any instant leaves running as before or as after
// a commit. A process restart is not a device boot: running comes back as last committed, and
// startup is copied into running only at a boot (Options.BootFromStartup, or the first start on
// an empty directory).
//
// A disk that fills up (or fails) refuses the commit (resource-denied or operation-failed; running
// is left as it was, nothing unstored is acknowledged), and the store recovers by itself when the
// disk has room again: every later commit retries, and a probe retries with backoff while no
// commit comes. A failed snapshot is retried with exponential backoff while the commits go on
// being journaled. Health reports both, with the last error and since when; the transitions are
// logged once, at Warn.
//
//	st, err := datastore.Open(datastore.Options{Schema: sch, Dir: "/var/lib/ncws"})
//	who := datastore.Who{User: "admin", Session: 1}
//	errs := st.Edit(ctx, who, datastore.Running, configXML, datastore.EditOptions{})
//	errs = st.Commit(ctx, who, datastore.CommitOptions{}) // candidate -> running
//	st.Read(datastore.Running, func(root *data.Node) { ... })
package datastore
