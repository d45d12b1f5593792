package datastore

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore/internal/journal"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/validate"
)

// payload is what the journal keeps of one commit: the locations it changed, the explicit
// configuration at those locations before and after it (XML, each with the ancestors and keys
// leading to it), and where each entry goes among its siblings, so that a commit can be
// replayed (recovery) and reverted (rollback, confirmed-commit timeout) in O(change).
type payload struct {
	Comment string       `json:"c,omitempty"`
	New     []payloadLoc `json:"n"`
	Old     []payloadLoc `json:"o"`
	NewXML  string       `json:"nx"`
	OldXML  string       `json:"ox"`
}

// payloadHead is a payload without its XML: what the commit history lists.
type payloadHead struct {
	Comment string       `json:"c,omitempty"`
	New     []payloadLoc `json:"n"`
	Old     []payloadLoc `json:"o"`
}

// payloadLoc is one location: module:name and key per step; whether a node is there; where it
// goes (after the sibling entry keyed After, or first).
type payloadLoc struct {
	Path    []string `json:"p"`
	Keys    []string `json:"k"`
	Present bool     `json:"e,omitempty"`
	After   *string  `json:"a,omitempty"`
	First   bool     `json:"f,omitempty"`
}

// placements describes locs as found in root: the present ones (not defaults) in document order
// with their predecessors, then the absent ones.
func placements(root *data.Node, locs []data.Loc) []payloadLoc {
	var out []payloadLoc
	var present []data.Loc
	for _, l := range locs {
		if n := l.Resolve(root); n != nil && !n.Default {
			present = append(present, l)
		}
	}
	for _, p := range data.DocOrder(root, present) {
		pl := newPayloadLoc(p.Loc)
		pl.Present = true
		if p.After != nil {
			k := p.After.Key
			pl.After = &k
		}
		pl.First = p.First
		out = append(out, pl)
	}
	for _, l := range locs {
		if n := l.Resolve(root); n == nil || n.Default {
			out = append(out, newPayloadLoc(l))
		}
	}
	return out
}

func newPayloadLoc(l data.Loc) payloadLoc {
	pl := payloadLoc{Path: make([]string, len(l)), Keys: make([]string, len(l))}
	for i, st := range l {
		pl.Path[i] = st.Schema.Module.Name + ":" + st.Schema.Name
		pl.Keys[i] = st.Key
	}
	return pl
}

// loc resolves a payload location against the schema.
func (s *Store) loc(pl payloadLoc) (data.Loc, error) {
	if len(pl.Path) == 0 || len(pl.Keys) != len(pl.Path) {
		return nil, fmt.Errorf("datastore: journal: bad location %v", pl.Path)
	}
	l := make(data.Loc, len(pl.Path))
	var parent *schema.Node
	for i, p := range pl.Path {
		mod, name, ok := strings.Cut(p, ":")
		m := s.sch.Module(mod)
		if !ok || m == nil {
			return nil, fmt.Errorf("datastore: journal: unknown module in %q", p)
		}
		var sn *schema.Node
		if parent == nil {
			sn = s.sch.Top(m, name)
		} else {
			sn = parent.Child(m, name)
		}
		if sn == nil {
			return nil, fmt.Errorf("datastore: journal: unknown node %q", p)
		}
		l[i] = data.Step{Schema: sn, Key: pl.Keys[i]}
		parent = sn
	}
	return l, nil
}

// before is running at the locations of a change, taken before the change.
type before struct {
	tree *data.Node // the explicit configuration there (data.Extract without defaults)
	pl   []payloadLoc
}

func (s *Store) before(locs []data.Loc) *before {
	t := data.Extract(s.running, locs)
	stripDefaults(t)
	return &before{tree: t, pl: placements(s.running, locs)}
}

// encodePayload describes a commit that changed locs of running from old to the current running.
// The JSON is assembled here rather than by json.Marshal of a payload: the two XML halves (the
// whole configuration for a bulk load: 30 MB for 100k interfaces) are encoded into the record's
// buffer itself and turned into JSON string literals in place (quoteInPlace), instead of going
// through a buffer of their own, a string copy each and encoding/json's doubling buffer and final
// copy (about 5x the record's size in garbage per commit).
//
// It also returns the record's head (the payload without its XML halves, a payloadHead), which
// the store keeps for the newest commits (see Store.recent).
//
// hint is the expected size of the XML halves (Store.recordHint): the record's buffer is made
// that large at once (plus a quarter: the canonical XML and the JSON escapes of a bulk load's
// record are ~20% longer than the edit's text) instead of growing to it, which for a bulk load
// left each smaller buffer behind as garbage (80 MB of allocations for a 35 MB record).
func (s *Store) encodePayload(locs []data.Loc, old *before, comment string, hint int) (rec, head []byte) {
	head, err := json.Marshal(payloadHead{Comment: comment, New: placements(s.running, locs), Old: old.pl})
	if err != nil {
		panic(fmt.Sprintf("datastore: encoding a journal record: %v", err))
	}
	b := make([]byte, 0, len(head)+64+hint+hint/4)
	b = append(b, head[:len(head)-1]...) // without its '}'
	b = append(b, `,"nx":`...)
	start := len(b)
	b = s.appendAt(b, s.running, locs)
	b = quoteInPlace(b, start)
	b = append(b, `,"ox":`...)
	start = len(b)
	b = s.appendStored(b, old.tree)
	b = quoteInPlace(b, start)
	return append(b, '}'), head
}

// appendStored is encodeStored appending to dst.
func (s *Store) appendStored(dst []byte, root *data.Node) []byte {
	b, err := yangxml.Append(dst, root, yangxml.EncodeOptions{SkipDefaults: true, Schema: s.sch})
	if err != nil {
		// Append fails only on trees the decoders cannot build.
		panic(fmt.Sprintf("datastore: encoding a datastore: %v", err))
	}
	return b
}

// appendAt appends the explicit configuration of root at locs with the ancestors and keys leading
// to it (what encodeStored(data.Extract(root, locs)) writes) to dst. When every location is a
// top-level node (a bulk load creates or replaces one: the whole configuration of a module) the
// nodes are written from root itself, the others hidden, instead of from a copy of them; deeper
// locations are copied by Extract (keys of the ancestors), which costs the change's size.
func (s *Store) appendAt(dst []byte, root *data.Node, locs []data.Loc) []byte {
	locs = data.Outermost(locs)
	top := make(map[*data.Node]bool, len(locs))
	for _, l := range locs {
		if len(l) != 1 {
			return s.appendStored(dst, data.Extract(root, locs))
		}
		if n := l.Resolve(root); n != nil {
			top[n] = true
		}
	}
	b, err := yangxml.Append(dst, root, yangxml.EncodeOptions{SkipDefaults: true, Schema: s.sch,
		// The encoder asks only about nodes whose parent it writes: below a top-level node
		// every node is written.
		Hide: func(n *data.Node) bool { return n.Parent == root && !top[n] }})
	if err != nil {
		panic(fmt.Sprintf("datastore: encoding a journal record: %v", err))
	}
	return b
}

// quoteInPlace turns b[start:] into a JSON string literal of it, in place (an invalid UTF-8
// sequence is left to encoding/json, which writes U+FFFD for it as json.Marshal would):
// b grows by the escapes' length (once, within its spare capacity when it has enough) and the
// bytes are moved to their escaped places from the end, so that a large XML half costs no
// second buffer.
func quoteInPlace(b []byte, start int) []byte {
	x := b[start:]
	if !utf8.Valid(x) {
		q, _ := json.Marshal(string(x))
		return append(b[:start], q...)
	}
	n := len(b)
	b = slices.Grow(b, jsonStringLen(x)-len(x))
	b = b[:start+jsonStringLen(b[start:n])]
	const hex = "0123456789abcdef"
	w := len(b) - 1
	b[w] = '"'
	for i := n - 1; i >= start; i-- {
		c := b[i]
		var esc byte
		switch c {
		case '"', '\\':
			esc = c
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		case '\t':
			esc = 't'
		default:
			if c >= 0x20 {
				w--
				b[w] = c
				continue
			}
			w -= 6
			b[w], b[w+1], b[w+2], b[w+3], b[w+4], b[w+5] = '\\', 'u', '0', '0', hex[c>>4], hex[c&15]
			continue
		}
		w -= 2
		b[w], b[w+1] = '\\', esc
	}
	b[start] = '"'
	if w != start+1 {
		panic("datastore: quoteInPlace: escape length mismatch")
	}
	return b
}

// jsonStringLen is the length of x as a JSON string literal (quoteInPlace).
func jsonStringLen(x []byte) int {
	n := 2
	for _, c := range x {
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n += 2
		case c < 0x20:
			n += 6
		default:
			n++
		}
	}
	return n
}

// replay puts the locations of one side of a payload into root through t.
func (s *Store) replay(t *data.Txn, root *data.Node, pls []payloadLoc, xml string) error {
	src, errs := s.decodeStored([]byte(xml))
	if len(errs) > 0 {
		return fmt.Errorf("datastore: journal record: %w", errs)
	}
	for _, pl := range pls {
		l, err := s.loc(pl)
		if err != nil {
			return err
		}
		if !pl.Present {
			t.Put(root, l, nil, nil, false)
			continue
		}
		n := l.Resolve(src)
		if n == nil {
			// An empty non-presence container is not written; it is still there.
			last := l[len(l)-1].Schema
			if last.Kind != schema.KindContainer {
				return fmt.Errorf("datastore: journal record: %s missing", l)
			}
			n = data.New(last)
		} else {
			n.Parent.Remove(n)
		}
		var after *data.Step
		if pl.After != nil {
			after = &data.Step{Schema: l[len(l)-1].Schema, Key: *pl.After}
		}
		t.Put(root, l, n, after, pl.First)
	}
	return nil
}

func (s *Store) decodePayload(r journal.Record) (payload, error) {
	var p payload
	if err := json.Unmarshal(r.Payload, &p); err != nil {
		return p, fmt.Errorf("datastore: journal record %d: %w", r.ID, err)
	}
	return p, nil
}

// recover rebuilds running from the snapshot and the journal records after it.
func (s *Store) recover(st *journal.State) error {
	root, errs := s.decodeStored(st.Snapshot)
	if len(errs) > 0 {
		return fmt.Errorf("datastore: snapshot: %w", errs)
	}
	s.lastID = st.SnapshotID
	var t data.Txn
	for _, r := range st.Records {
		p, err := s.decodePayload(r)
		if err != nil {
			return err
		}
		if err := s.replay(&t, root, p.New, p.NewXML); err != nil {
			return fmt.Errorf("%w (record %d)", err, r.ID)
		}
		t.Reset()
		s.lastID = r.ID
	}
	if st.Discarded > 0 {
		s.log.Warn("datastore: discarded the torn tail of the journal (a commit in flight at a crash)", "bytes", st.Discarded)
	}
	s.running = root
	return nil
}

// Commit describes a commit to running for the hooks.
type Commit struct {
	// ID is the commit's number in the history.
	ID   uint64
	Time time.Time
	// Who originated it; Session 0 for the system (boot, rollback on confirmed-commit timeout).
	Who Who
	// Comment says what made the commit when it is not an edit ("rollback to 12" ...).
	Comment string
	// Changes are the changed subtrees.
	Changes []Change
	// Running is the running configuration with the change applied: read-only, and valid only
	// during the hook call.
	Running *data.Node
}

// A Change is one changed subtree of a commit: the configuration at Loc before (Old) and after
// (New); nil when absent. Both are read-only.
type Change struct {
	Loc      data.Loc
	Path     string
	Old, New *data.Node
}

// commitTxn runs the commit pipeline for a change already applied to running through t:
// validate what it can affect, hooks, journal. old is the explicit configuration at locs (the
// change's locations) before the change. On failure the change is undone and the errors
// returned. It must be called with s.mu held for writing.
func (s *Store) commitTxn(ctx context.Context, who Who, t *data.Txn, locs []data.Loc, old *before, comment string) (out rpcerror.List) {
	hint := s.recordHint
	s.recordHint = 0
	locs = data.Outermost(locs)
	if len(locs) == 0 {
		return nil
	}
	if obs := s.opts.CommitObserver; obs != nil {
		start := time.Now()
		defer func() { obs(time.Since(start), out) }()
	}
	errs := s.v.ValidateChanges(s.running, locs, validate.Options{Txn: t, Fresh: freshNodes(t)})
	if len(errs) > 0 {
		t.Undo()
		return errs
	}
	c := &Commit{ID: s.lastID + 1, Time: s.opts.Now(), Who: who, Comment: comment, Running: s.running}
	for _, l := range locs {
		ch := Change{Loc: l, Old: l.Resolve(old.tree), New: l.Resolve(s.running)}
		switch {
		case ch.New != nil:
			ch.Path = ch.New.Path()
		case ch.Old != nil:
			ch.Path = ch.Old.Path()
		}
		c.Changes = append(c.Changes, ch)
	}
	if err := s.runHooks(ctx, c); err != nil {
		t.Undo()
		return err
	}
	rec := journal.Record{ID: c.ID, Time: c.Time, User: who.User, Session: who.Session}
	var head []byte
	rec.Payload, head = s.encodePayload(locs, old, comment, hint)
	if s.j != nil {
		err := s.clearStaleConfirm()
		if err == nil {
			err = s.j.Append(rec)
		}
		if err != nil {
			s.abortHooks(ctx, c, len(s.hooks))
			t.Undo()
			s.journalFailed(err, len(rec.Payload))
			return rpcerror.List{writeError(err, "the commit")}
		}
		s.journalOK()
	} else {
		s.hist = append(s.hist, rec)
		if len(s.hist) > s.opts.KeepHistory {
			s.hist = append(s.hist[:0:0], s.hist[len(s.hist)-s.opts.KeepHistory:]...)
		}
	}
	s.lastID = c.ID
	s.remember(rec, head)
	if len(rec.Payload) >= bigCommit {
		s.releaseMemory()
	}
	s.followRunning(t.Locs())
	if s.j != nil && s.j.NeedCompact() && s.snapshotDue() && s.compacting.TryLock() {
		go s.compact()
	}
	s.committedHooks(ctx, c)
	s.notifyWatchers(c)
	return nil
}

// freshNodes returns the nodes t attached that were not in the tree before it (created or put in
// place of another, not moved): their locations cover what validation fills in them, which it
// records without locations of its own (validate.Options.Fresh). A node t detached anywhere is
// left out, should it have been put back elsewhere.
func freshNodes(t *data.Txn) map[*data.Node]bool {
	var fresh map[*data.Node]bool
	for _, c := range t.Changes() {
		if c.New != nil && c.New != c.Old {
			if fresh == nil {
				fresh = make(map[*data.Node]bool)
			}
			fresh[c.New] = true
		}
	}
	for _, c := range t.Changes() {
		if c.Old != nil {
			delete(fresh, c.Old)
		}
	}
	return fresh
}

// recentCommits is the number of newest commits whose record heads the store keeps in memory.
const recentCommits = 8

// remember keeps the head of commit rec (its locations, without the XML) among the recent
// commits: the netconf-config-change event of a commit lists them right after it (CommitsSince),
// and reading them back from the journal read the whole record, the configuration twice for a
// bulk load (68 MB at the commit's peak for 100k interfaces).
func (s *Store) remember(rec journal.Record, head []byte) {
	rec.Payload = head
	keep := min(recentCommits, s.opts.KeepHistory)
	if len(s.recent) >= keep {
		s.recent = append(s.recent[:0], s.recent[len(s.recent)-keep+1:]...)
	}
	s.recent = append(s.recent, rec)
}

// recentSince returns the heads of the commits after id from the recent commits, with ok false
// when they do not hold all of them.
func (s *Store) recentSince(id uint64) (recs []journal.Record, ok bool) {
	if id >= s.lastID {
		return nil, true
	}
	r := s.recent
	if len(r) == 0 || r[len(r)-1].ID != s.lastID || r[0].ID > id+1 {
		return nil, false
	}
	for i, x := range r {
		if x.ID > id {
			return r[i:], true
		}
	}
	return nil, false
}

// bigCommit is the journal record size from which a commit returns the memory it freed to the
// OS (releaseMemory): a bulk load of 100k interfaces makes a 60 MB record and several hundred MB
// of transient garbage (the decoded edit, the replaced candidate, the record's encoding).
const bigCommit = 8 << 20

// releaseMemory returns the heap freed by a big commit to the OS once the commit is over (it
// waits for s.mu, then a moment for the reply and notifications to be written): the Go runtime
// otherwise keeps the pages of the commit's peak (about twice the live heap with GOGC=100) and
// hands them back only slowly, so a server that took one bulk load stayed at its peak RSS.
// What is retained (running, candidate) is untouched; this costs one garbage collection per
// big commit, in the background. Calls while one is scheduled are merged.
func (s *Store) releaseMemory() {
	if !s.freeing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer s.freeing.Store(false)
		s.mu.RLock() // waits for the commit that holds it
		closed := s.closed
		s.mu.RUnlock()
		if closed {
			return
		}
		time.Sleep(200 * time.Millisecond)
		debug.FreeOSMemory()
	}()
}

// followRunning carries a change of running at locs to the candidate: an unmodified candidate
// takes it (one that shares running has it already; one with its own tree copies it, or shares
// running from now on when the change is about as large as running); a modified one records the
// locations, so that commit makes running equal to the candidate there again and
// discard-changes takes running's state.
func (s *Store) followRunning(locs []data.Loc) {
	if s.candidate == nil {
		return
	}
	if len(s.dirty) == 0 {
		if s.worthSharing(sizeAt(s.running, locs)) {
			s.candidate = nil
			return
		}
		var t data.Txn
		t.Sync(s.candidate, s.running, locs)
		return
	}
	s.dirty = append(s.dirty, locs...)
}

// compact writes a snapshot of running, in its own goroutine after the commit that made the
// journal long enough: readers go on meanwhile; commits wait, since the snapshot must cover the
// journal's last record. A failed snapshot is retried after a later commit, with backoff (see
// Health.Snapshot). The caller holds s.compacting.
func (s *Store) compact() {
	defer s.compacting.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return
	}
	err := s.j.Compact(s.encodeStored(s.running), s.lastID)
	s.snapshotDone(err)
	if err != nil && s.j.Failed() != nil {
		// The failure left the journal needing a repair: commits try it first.
		s.journalFailed(err, 0)
	}
}

// applyToRunning applies fn's change to running as one commit: fn records its modifications in
// t; the locations it changed are committed through the pipeline. It must be called with s.mu
// held for writing.
func (s *Store) applyToRunning(ctx context.Context, who Who, comment string, fn func(t *data.Txn) rpcerror.List) rpcerror.List {
	var t data.Txn
	if errs := fn(&t); len(errs) > 0 {
		t.Undo()
		return errs
	}
	locs := t.Locs()
	if len(locs) == 0 {
		return nil
	}
	// The record needs running as it was at those locations: undo, extract, redo. Both passes
	// cost the size of the change.
	t.Undo()
	old := s.before(locs)
	if errs := fn(&t); len(errs) > 0 {
		t.Undo()
		return errs
	}
	return s.commitApplied(ctx, who, &t, locs, old, comment)
}

// syncToRunning makes running equal to src at locs as one commit (commit of the candidate,
// copy-config to running). The locations a sync changes are known before it runs
// (data.SyncLocs), so running's state there is taken first and the sync made once: undoing it
// and doing it again, as applyToRunning does, would copy a bulk load's whole configuration
// twice. It must be called with s.mu held for writing.
//
// With taken set, src's nodes may be moved into running instead of copied (data.Txn.SyncMove):
// taken records their removal from src, which the caller undoes when the commit fails.
func (s *Store) syncToRunning(ctx context.Context, who Who, comment string, src *data.Node, locs []data.Loc, taken *data.Txn) rpcerror.List {
	locs = data.SyncLocs(s.running, src, locs)
	if len(locs) == 0 {
		return nil
	}
	old := s.before(locs)
	var t data.Txn
	if taken != nil {
		t.SyncMove(s.running, src, locs, taken)
	} else {
		t.Sync(s.running, src, locs)
	}
	return s.commitApplied(ctx, who, &t, locs, old, comment)
}

// commitApplied checks the change t made to running at locs (partial locks, access control)
// and commits it (commitTxn); on failure it is undone.
func (s *Store) commitApplied(ctx context.Context, who Who, t *data.Txn, locs []data.Loc, old *before, comment string) rpcerror.List {
	if e := s.partialLocked(who, locs); e != nil {
		t.Undo()
		return rpcerror.List{e}
	}
	if errs := s.checkWrite(ctx, who, Running, t.Changes()); len(errs) > 0 {
		t.Undo()
		return errs
	}
	errs := s.commitTxn(ctx, who, t, locs, old, comment)
	if len(s.plocks) > 0 {
		s.prunePartialLocks()
	}
	return errs
}

// stripDefaults removes the default nodes of a private tree.
func stripDefaults(root *data.Node) {
	var drop []*data.Node
	root.Walk(func(n *data.Node) bool {
		if n.Default {
			drop = append(drop, n)
			return false
		}
		return true
	})
	for _, n := range drop {
		n.Parent.Remove(n)
	}
}

// CommitOptions are the parameters of <commit> (RFC 6241 sections 8.3.4.1 and 8.4.5.1).
type CommitOptions struct {
	// Confirmed makes the commit a confirmed commit, reverted unless confirmed within Timeout
	// (0 means 600 s).
	Confirmed bool
	Timeout   time.Duration
	// Persist makes the confirmed commit survive the end of its session; the confirming commit
	// then gives it as PersistID.
	Persist   string
	PersistID *string
}

// Commit copies the candidate into running (RFC 6241 section 8.3.4.1), with the confirmed
// commit semantics of section 8.4.
func (s *Store) Commit(ctx context.Context, who Who, o CommitOptions) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return rpcerror.List{rpcerror.OperationFailed("the datastore is closed")}
	}
	if h, ok := s.locks[Running]; ok && h != who.Session {
		return rpcerror.List{inUse(Running, h)}
	}
	if s.confirm != nil {
		// A follow-up or confirming commit.
		if err := s.confirm.check(who, o.PersistID); err != nil {
			return rpcerror.List{err}
		}
	} else if o.PersistID != nil {
		return rpcerror.List{rpcerror.InvalidValue("", "no confirmed commit is pending for persist-id %q", *o.PersistID)}
	}
	base := s.lastID
	// The confirmed-commit marker (what a restart reverts to) is on disk before the commit it
	// guards is acknowledged, and gone before a confirming commit is: a marker the disk refuses
	// refuses the commit before anything changed, so that a restart never reverts a confirmed
	// commit nor keeps an unconfirmed one.
	saved, removed := false, false
	if s.j != nil {
		switch {
		case o.Confirmed && s.confirm == nil:
			if err := s.putConfirm(base, o.Persist); err != nil {
				return rpcerror.List{writeError(err, "the confirmed commit")}
			}
			saved = true
		case !o.Confirmed && s.confirm != nil:
			if err := s.removeConfirm(); err != nil {
				return rpcerror.List{writeError(err, "the confirming commit")}
			}
			removed = true
		}
	}
	if len(s.dirty) > 0 {
		dirty := s.dirty
		s.recordHint = s.dirtyBytes
		// The candidate's changed subtrees go into running as they are; it gets copies back
		// once the commit is stored.
		var taken data.Txn
		errs := s.syncToRunning(ctx, who, "", s.candidate, dirty, &taken)
		s.recordHint = 0 // not taken when nothing differed
		if len(errs) > 0 {
			taken.Undo()
			switch {
			case saved:
				if err := s.removeConfirm(); err != nil {
					// Until it is gone, later commits are refused: a restart would revert them.
					s.staleConfirm = true
				}
			case removed:
				if err := s.putConfirm(s.confirm.base, s.confirm.persist); err != nil {
					s.log.Error("datastore: restoring the confirmed-commit marker failed: a restart before confirmation would not revert the pending commit", "err", err)
				}
			}
			return errs
		}
		// Running now equals what the candidate was at the dirty locations. After a change about
		// as large as running (a bulk load) the candidate shares running's nodes; otherwise it
		// gets copies of running there (with the defaults running got).
		taken.Reset()
		s.dirty, s.dirtyBytes = nil, 0
		if s.worthSharing(sizeAt(s.running, dirty)) {
			s.candidate = nil
		} else {
			s.copyBack(dirty)
		}
	}
	switch {
	case o.Confirmed && s.confirm != nil:
		s.confirm.extend(s, o)
	case o.Confirmed:
		s.startConfirm(who, base, o, saved)
	case s.confirm != nil:
		s.endConfirm(removed)
	}
	return nil
}

// copyBack gives the candidate, whose subtrees at dirty went into running, copies of running's
// there.
func (s *Store) copyBack(dirty []data.Loc) {
	var t data.Txn
	// The candidate's containers there that were not taken (below an entry that was copied) go
	// first, so that their copies below are not made while the old ones are still live. List
	// and leaf-list entries stay: removing one and putting it back would move a system-ordered
	// entry to the end.
	for _, l := range data.Outermost(dirty) {
		if l[len(l)-1].Schema.Kind == schema.KindContainer {
			t.Put(s.candidate, l, nil, nil, false)
		}
	}
	t.Reset() // the undo log would keep the removed subtrees alive
	t.Sync(s.candidate, s.running, dirty)
}

// Discard resets the candidate to running (RFC 6241 section 8.3.4.2).
func (s *Store) Discard(who Who) rpcerror.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.locks[Candidate]; ok && h != who.Session {
		return rpcerror.List{inUse(Candidate, h)}
	}
	s.discardLocked()
	return nil
}

func (s *Store) discardLocked() {
	if len(s.dirty) == 0 {
		return
	}
	// Discarding a change about as large as running shares running's nodes instead of copying
	// them (see worthSharing).
	if s.worthSharing(sizeAt(s.candidate, s.dirty) + sizeAt(s.running, s.dirty)) {
		s.candidate = nil
		s.dirty, s.dirtyBytes = nil, 0
		return
	}
	var t data.Txn
	t.Sync(s.candidate, s.running, s.dirty)
	s.dirty, s.dirtyBytes = nil, 0
}
