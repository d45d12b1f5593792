// Package journal is the crash-safe storage under the ncws datastores (DESIGN.md decision 7):
// a commit is durable before the server answers <ok/> (RFC 6241 section 8.3.4.1 for commit,
// section 7.2 for edit-config on running), a crash never leaves a torn state behind, and a commit
// costs O(change): one appended record, never a rewrite.
//
// The datastore hands the journal opaque bytes: a serialized running datastore as a snapshot and
// one Record per commit. On disk a directory holds
//
//	LOCK                      flock(2)ed for the lifetime of a Journal (one writer per directory)
//	wal-<first id>.log        segments: a header, then framed records (length, CRC-32C, body)
//	snap-<id>.snap            the newest snapshot, covering every record with ID <= id
//	blob-<name>               small named state (startup, a confirmed-commit marker), replaced atomically
//
// Append writes one frame and fdatasyncs it. Compact writes a snapshot next to the segments
// (temporary file, fsync, rename, directory fsync), starts a new segment and deletes segments
// that hold only records both covered by the snapshot and older than the History window.
// Open recovers: a torn tail of the last segment (the one record a crash can interrupt) is cut
// off and reported in State.Discarded; damage anywhere else fails Open with an error wrapping
// ErrCorrupt that names the file and offset, so acknowledged data is never dropped silently.
// A write that fails (a full disk) is cut off again; the next write first repairs the journal
// (stray files of the failed write removed, the active segment reopened, cut back to its last
// good record and read back), so the journal works again once the disk has room, without a
// restart; Repair does the same for a caller that only wants to know.
//
//	j, st, err := journal.Open(dir, journal.Options{})
//	running := decode(st.Snapshot)
//	for _, r := range st.Records { apply(running, r.Payload) }
//	err = j.Append(journal.Record{ID: next, Time: now, User: user, Payload: change})
//	if j.NeedCompact() { err = j.Compact(encode(running), next) }
package journal
