package server

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangjson"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// YANG-Push (RFC 8641): periodic and on-change subscriptions to ds:running and ds:operational.
//
// On-change works from the store's commits (datastore.Store.Watch): each commit's changed
// subtrees are copied under the store's lock into a pushJob, and one pusher goroutine turns them,
// in commit order, into push-change-update notifications whose yang-patch edits are the changed
// nodes the subscription's filter selects and its user may read. Subscriptions with the same
// datastore, filter text, user and excluded changes share one encoding (the subscription id is
// spliced in per receiver). Changes of state data are not seen: ds:operational subscriptions get
// the configuration's changes on change, and everything in their push-update.

// pushState is a datastore subscription's runtime state, guarded by its mu.
type pushState struct {
	mu    sync.Mutex
	timer *time.Timer
	// synced is set once the sync-on-start push-update is queued (at once without it): changes
	// go out only then.
	synced bool
	// pending are the dampened edits not sent yet; lastSent is when the last update went out.
	pending  []pushEdit
	lastSent time.Time
	patchSeq uint64
	// pollTimer is the next poll of an on-change ds:operational subscription's state
	// (yangpushstate.go); stateBase is the selection the last poll (or synchronization) saw.
	pollTimer *time.Timer
	stateBase *data.Node
	// baseEpoch counts the filter changes that dropped stateBase: a poll that read before
	// one does not keep its reading.
	baseEpoch uint64
}

// pushEdit is one yang-patch edit: the change's operation, its target (RFC 8040 path) and its
// encoded value (nil for delete).
type pushEdit struct {
	op, target string
	value      []byte
}

// changeCopy is one changed subtree of a commit, copied: old and new each under a copy of
// their ancestors (keys and leaves), nil when absent.
type changeCopy struct {
	old, new *data.Node
}

// pushJob is the pusher's work: a commit's changes, or a subscription's (re)synchronization.
type pushJob struct {
	commit  uint64
	at      time.Time
	changes []changeCopy
	sync    *dynSub
}

// pusher is the queue of pushJobs, unbounded so that a commit never waits for it.
type pusher struct {
	mu     sync.Mutex
	jobs   []pushJob
	signal chan struct{}
}

func (p *pusher) add(j pushJob) {
	p.mu.Lock()
	p.jobs = append(p.jobs, j)
	p.mu.Unlock()
	select {
	case p.signal <- struct{}{}:
	default:
	}
}

// watchCommits starts watching running's commits and the pusher, once.
func (srv *Server) watchCommits() {
	srv.pushOnce.Do(func() {
		srv.push = &pusher{signal: make(chan struct{}, 1)}
		srv.Store.Watch(srv.onCommit)
		go srv.runPusher()
	})
}

// onCommit copies a commit's changes for the pusher when on-change subscriptions exist. It runs
// with the store locked.
func (srv *Server) onCommit(c *datastore.Commit) {
	if srv.onChangeSubs.Load() <= 0 {
		return
	}
	j := pushJob{commit: c.ID, at: c.Time}
	for _, ch := range c.Changes {
		j.changes = append(j.changes, changeCopy{old: copyInContext(ch.Old), new: copyInContext(ch.New)})
	}
	srv.push.add(j)
}

// copyInContext copies n's subtree under copies of its ancestors holding their keys and
// leaves (what a filter's content match may test), returning the copy of n; nil for nil.
func copyInContext(n *data.Node) *data.Node {
	if n == nil {
		return nil
	}
	c := n.Clone()
	child := c
	for p := n.Parent; p != nil; p = p.Parent {
		var pc *data.Node
		if p.Schema == nil {
			pc = data.NewRoot()
		} else {
			pc = &data.Node{Schema: p.Schema, Value: p.Value}
			for _, l := range p.Children() {
				if l == n || (l.Schema.Kind != schema.KindLeaf && l.Schema.Kind != schema.KindLeafList) {
					continue
				}
				pc.Insert(&data.Node{Schema: l.Schema, Value: l.Value, Default: l.Default})
			}
		}
		pc.Insert(child)
		child, n = pc, p
	}
	return c
}

// runPusher works off the pusher's jobs in order. The writers of the updates of the commits
// that queued up meanwhile are woken once all of them are queued (wakeSet; maxWakeDelay at
// most), and, with Server.PushCoalesce, no sooner than that after their previous wake-up:
// each receiver then gets the updates of several commits in one write.
func (srv *Server) runPusher() {
	var jobs []pushJob
	var wake wakeSet
	var lastWake time.Time
	var timer *time.Timer
	coalesce := srv.pushCoalesce()
	hold := max(coalesce, maxWakeDelay)
	flush := func() {
		if len(wake.qs) > 0 {
			wake.flush()
			lastWake = time.Now()
		}
	}
	for {
		if len(wake.qs) > 0 {
			d := time.Until(lastWake.Add(coalesce))
			if d <= 0 {
				flush()
				continue
			}
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			select {
			case <-srv.push.signal:
				timer.Stop()
			case <-timer.C:
				flush()
				continue
			}
		} else {
			<-srv.push.signal
		}
		srv.push.mu.Lock()
		jobs, srv.push.jobs = srv.push.jobs, jobs[:0]
		srv.push.mu.Unlock()
		for i, j := range jobs {
			if j.sync != nil {
				flush()
				srv.syncSub(j.sync)
			} else {
				srv.pushChanges(j, &wake)
				if wake.heldFor() >= hold {
					flush()
				}
			}
			jobs[i] = pushJob{}
		}
	}
}

// startOnChange starts following commits for an on-change subscription: a synchronization
// push-update first with sync-on-start, the changes at once without. The caller holds srv.nmu
// and has called watchCommits.
func (srv *Server) startOnChange(sub *dynSub) {
	if sub.syncOnStart {
		srv.push.add(pushJob{sync: sub})
		return
	}
	sub.push.mu.Lock()
	sub.push.synced = true
	sub.push.mu.Unlock()
}

// schedulePeriodic arms the next periodic update: at anchor-time plus whole periods, or a period
// from now.
func (srv *Server) schedulePeriodic(sub *dynSub, gen uint64) {
	now := time.Now()
	next := now.Add(sub.period)
	if sub.hasAnchor {
		d := now.Sub(sub.anchor)
		k := d / sub.period
		next = sub.anchor.Add((k + 1) * sub.period)
		if !next.After(now) {
			next = next.Add(sub.period)
		}
	}
	sub.push.mu.Lock()
	defer sub.push.mu.Unlock()
	sub.push.timer = time.AfterFunc(time.Until(next), func() {
		if sub.gen.Load() != gen {
			return
		}
		msg, ok := srv.pushUpdate(sub)
		srv.nmu.Lock()
		defer srv.nmu.Unlock()
		if srv.dsubs[sub.id] != sub || sub.gen.Load() != gen {
			return
		}
		if ok {
			srv.enqueue(sub, outItem{msg: msg, counted: true})
		}
		srv.schedulePeriodic(sub, gen)
	})
}

// syncSub queues the push-update that synchronizes an on-change subscription (sync-on-start or
// resync-subscription), before any change it has not seen.
func (srv *Server) syncSub(sub *dynSub) {
	srv.nmu.Lock()
	alive, poll := srv.dsubs[sub.id] == sub, sub.pollState
	srv.nmu.Unlock()
	if !alive {
		return
	}
	sel, ok := srv.selection(sub)
	var msg []byte
	if ok {
		if poll {
			base := sel.Clone()
			sub.push.mu.Lock()
			sub.push.stateBase = base
			sub.push.mu.Unlock()
		}
		msg, ok = srv.encodePushUpdate(sub, sel)
	}
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	if srv.dsubs[sub.id] != sub {
		return
	}
	if ok {
		srv.enqueue(sub, outItem{msg: msg, counted: true})
	}
	sub.push.mu.Lock()
	sub.push.synced = true
	sub.push.lastSent = time.Now()
	sub.push.mu.Unlock()
}

// pushUpdate encodes a push-update with what the subscription selects of its datastore now, as
// its user may read it.
func (srv *Server) pushUpdate(sub *dynSub) ([]byte, bool) {
	sel, ok := srv.selection(sub)
	if !ok {
		return nil, false
	}
	return srv.encodePushUpdate(sub, sel)
}

// selection returns what the subscription selects of its datastore now, as its user may read
// it.
func (srv *Server) selection(sub *dynSub) (*data.Node, bool) {
	// modify-subscription and a change of a configured filter replace the filter under srv.nmu;
	// the readers (timers, the synchronization) do not hold it.
	srv.nmu.Lock()
	f := sub.filter
	srv.nmu.Unlock()
	return srv.selectionWith(sub, f)
}

// selectionWith is selection with the filter f (nil: all).
func (srv *Server) selectionWith(sub *dynSub, f *filter.Filter) (*data.Node, bool) {
	acc := sub.s.access()
	var sel *data.Node
	switch sub.ds {
	case datastore.Running:
		err := srv.Store.Read(datastore.Running, func(root *data.Node) {
			r := readable(root, acc)
			if f != nil {
				sel = f.Apply(r)
			} else {
				sel = r.Clone()
			}
		})
		if err != nil {
			return nil, false
		}
	default:
		var s datastore.Selector
		if f != nil {
			s = f
			if acc != nil && !acc.ReadsAll() {
				s = prunedSelector{f, acc}
			}
		}
		tree, errs := srv.Store.Operational(context.Background(), sub.s.who, s)
		if len(errs) > 0 {
			srv.Logger.Error("server: reading the operational datastore for a push-update", "err", errs)
			return nil, false
		}
		sel = tree
		if acc != nil && !acc.ReadsAll() {
			pruneWith(sel, acc.Hidden)
		}
	}
	return sel, true
}

// encodePushUpdate encodes a push-update of sel (a selection's root) in the subscription's
// encoding.
func (srv *Server) encodePushUpdate(sub *dynSub, sel *data.Node) ([]byte, bool) {
	acc := sub.s.access()
	if sub.encoding == encodeJSON {
		if acc != nil && !acc.ReadsAll() {
			pruneWith(sel, acc.Hidden)
		}
		return srv.jsonPushUpdate(sub.id, sel)
	}
	o := yangxml.EncodeOptions{Schema: srv.Store.Schema()}
	if acc != nil && !acc.ReadsAll() {
		o.Hide = acc.Hidden
	}
	b := []byte(`<push-update xmlns="` + nsYP + `"><id>`)
	b = strconv.AppendUint(b, uint64(sub.id), 10)
	b = append(b, "</id><datastore-contents>"...)
	for _, c := range sel.Children() {
		var err error
		if b, err = yangxml.Append(b, c, o); err != nil {
			srv.Logger.Error("server: encoding a push-update", "err", err)
			return nil, false
		}
	}
	b = append(b, "</datastore-contents></push-update>"...)
	return netconf.AppendNotification(nil, time.Now(), b), true
}

// pushChanges sends a commit's changes to the on-change subscriptions, the wake-up of their
// writers left to wake.
func (srv *Server) pushChanges(j pushJob, wake *wakeSet) {
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	type group struct {
		edits      []pushEdit
		head, tail []byte
	}
	groups := map[updateGroup]*group{}
	// Subscriptions mostly share a group: the last one found is compared before the map is
	// asked (hashing the key's strings for every subscription was ~6% of the server's CPU
	// in bench-notify).
	var lastKey updateGroup
	var last *group
	for _, sub := range srv.dsubs {
		if !sub.onChange {
			continue
		}
		sub.push.mu.Lock()
		synced := sub.push.synced
		sub.push.mu.Unlock()
		if !synced {
			continue
		}
		key := groupKey(sub)
		g := last
		if g == nil || key != lastKey {
			g = groups[key]
			if g == nil {
				g = &group{edits: srv.changeEdits(j.changes, sub.filter, sub.s.access(), sub.excluded, sub.encoding == encodeJSON)}
				if len(g.edits) > 0 {
					g.head, g.tail = changeUpdateIn(sub.encoding, g.edits, "commit-"+strconv.FormatUint(j.commit, 10), j.at)
				}
				groups[key] = g
			}
			lastKey, last = key, g
		}
		if len(g.edits) == 0 {
			sub.excludedRecords.Add(1)
			continue
		}
		if sub.dampening <= 0 {
			srv.enqueueWake(sub, outItem{msg: g.head, tail: g.tail, counted: true}, wake)
			continue
		}
		srv.dampen(sub, g.edits)
	}
}

// updateGroup identifies the subscriptions whose updates are the same bytes but for the id. A
// struct, so that building the key for every subscription and commit allocates nothing.
type updateGroup struct {
	encoding, filterXML, filterXPath, user string
	ds                                     datastore.Name
	// excluded are the excluded change types sorted and joined, "" when none.
	excluded string
}

// groupKey returns sub's updateGroup. Without access control (Server.Access nil) every user
// reads everything, so the user does not part the groups: one encoding per commit serves all.
func groupKey(sub *dynSub) updateGroup {
	k := updateGroup{encoding: sub.encoding, filterXML: sub.filterXML, filterXPath: sub.filterXPath, ds: sub.ds}
	if sub.s.srv.Access != nil {
		k.user = sub.s.who.User
	}
	if len(sub.excluded) > 0 {
		k.excluded = strings.Join(sortedKeys(sub.excluded), ",")
	}
	return k
}

// dampen sends edits now when the dampening period since the last update has passed, or adds
// them to the pending ones sent when it has. The caller holds srv.nmu.
func (srv *Server) dampen(sub *dynSub, edits []pushEdit) {
	sub.push.mu.Lock()
	defer sub.push.mu.Unlock()
	now := time.Now()
	if sub.push.timer == nil && now.Sub(sub.push.lastSent) >= sub.dampening {
		sub.push.lastSent = now
		sub.push.patchSeq++
		head, tail := changeUpdateIn(sub.encoding, edits, "damped-"+strconv.FormatUint(sub.push.patchSeq, 10), now)
		srv.enqueue(sub, outItem{msg: head, tail: tail, counted: true})
		return
	}
	sub.push.pending = coalesce(sub.push.pending, edits)
	if sub.push.timer != nil {
		return
	}
	gen := sub.gen.Load()
	sub.push.timer = time.AfterFunc(time.Until(sub.push.lastSent.Add(sub.dampening)), func() {
		srv.nmu.Lock()
		defer srv.nmu.Unlock()
		sub.push.mu.Lock()
		defer sub.push.mu.Unlock()
		sub.push.timer = nil
		if srv.dsubs[sub.id] != sub || sub.gen.Load() != gen || len(sub.push.pending) == 0 {
			return
		}
		now := time.Now()
		sub.push.lastSent = now
		sub.push.patchSeq++
		head, tail := changeUpdateIn(sub.encoding, sub.push.pending, "damped-"+strconv.FormatUint(sub.push.patchSeq, 10), now)
		sub.push.pending = nil
		srv.enqueue(sub, outItem{msg: head, tail: tail, counted: true})
	})
}

// coalesce adds edits to pending, one edit per target: a later edit replaces an earlier one of
// the same target, a create followed by a replace stays a create, a create followed by a delete
// cancels out, and a delete followed by a create becomes a replace.
func coalesce(pending, edits []pushEdit) []pushEdit {
	for _, e := range edits {
		i := -1
		for k := range pending {
			if pending[k].target == e.target {
				i = k
				break
			}
		}
		if i < 0 {
			pending = append(pending, e)
			continue
		}
		prev := pending[i]
		switch {
		case prev.op == "create" && e.op == "delete":
			pending = append(pending[:i], pending[i+1:]...)
			continue
		case prev.op == "create" && e.op == "replace":
			e.op = "create"
		case prev.op == "delete" && e.op == "create":
			e.op = "replace"
		}
		pending = append(pending[:i], pending[i+1:]...)
		pending = append(pending, e)
	}
	return pending
}

// changeEdits turns a commit's changes into the yang-patch edits a subscription with filter f,
// access acc and excluded change types receives.
func (srv *Server) changeEdits(changes []changeCopy, f *filter.Filter, acc Access, excluded map[string]bool, asJSON bool) []pushEdit {
	var edits []pushEdit
	trim := acc != nil && !acc.ReadsAll()
	o := yangxml.EncodeOptions{Schema: srv.Store.Schema()}
	if trim {
		o.Hide = acc.Hidden
	}
	for _, ch := range changes {
		op, n := "replace", ch.new
		switch {
		case ch.old == nil:
			op = "create"
		case ch.new == nil:
			op, n = "delete", ch.old
		}
		if excluded[op] || n == nil {
			continue
		}
		if trim && hiddenOnPath(n, acc) {
			continue
		}
		sel := n
		if f != nil {
			root := n
			for root.Parent != nil {
				root = root.Parent
			}
			if trim {
				root = readable(root, acc)
			}
			sel = locate(f.Apply(root), n)
			if sel == nil {
				continue
			}
		}
		e := pushEdit{op: op, target: restconfPath(n)}
		if op != "delete" && asJSON {
			if trim {
				sel = sel.Clone()
				pruneWith(sel, acc.Hidden)
			}
			v, err := yangjson.Marshal(sel, yangjson.EncodeOptions{})
			if err != nil {
				srv.Logger.Error("server: encoding a push-change-update value", "err", err)
				continue
			}
			e.value = v
		} else if op != "delete" {
			v, err := yangxml.Append(nil, sel, o)
			if err != nil {
				srv.Logger.Error("server: encoding a push-change-update value", "err", err)
				continue
			}
			e.value = v
		}
		edits = append(edits, e)
	}
	return edits
}

// hiddenOnPath reports whether acc hides n or one of its ancestors (asked top-down).
func hiddenOnPath(n *data.Node, acc Access) bool {
	var chain []*data.Node
	for a := n; a != nil && a.Schema != nil; a = a.Parent {
		chain = append(chain, a)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if acc.Hidden(chain[i]) {
			return true
		}
	}
	return false
}

// locate returns the node of the tree root that stands where n stands in its own tree (same
// schema nodes and keys down from the top), nil when there is none.
func locate(root, n *data.Node) *data.Node {
	var chain []*data.Node
	for a := n; a != nil && a.Schema != nil; a = a.Parent {
		chain = append(chain, a)
	}
	p := root
	for i := len(chain) - 1; i >= 0 && p != nil; i-- {
		a := chain[i]
		var next *data.Node
		for _, c := range p.Instances(a.Schema) {
			if sameInstance(c, a) {
				next = c
				break
			}
		}
		p = next
	}
	return p
}

// sameInstance reports whether c and a (of one schema node) are the same instance: same keys
// for a list entry, same value for a leaf-list entry.
func sameInstance(c, a *data.Node) bool {
	switch a.Schema.Kind {
	case schema.KindList:
		for _, k := range a.Schema.Keys() {
			ck, ak := c.Child(k), a.Child(k)
			if ck == nil || ak == nil || ck.Value.Str != ak.Value.Str {
				return false
			}
		}
	case schema.KindLeafList:
		return c.Value.Str == a.Value.Str
	}
	return true
}

// restconfPath is n's path as a RESTCONF data resource identifier (RFC 8040 section 3.5.3), the
// form of a yang-patch target: module-qualified where the module changes, list keys after '='
// separated by ',' and percent-encoded.
func restconfPath(n *data.Node) string {
	var chain []*data.Node
	for a := n; a != nil && a.Schema != nil; a = a.Parent {
		chain = append(chain, a)
	}
	var b strings.Builder
	var mod *schema.Module
	for i := len(chain) - 1; i >= 0; i-- {
		a := chain[i]
		b.WriteByte('/')
		if a.Schema.Module != mod {
			b.WriteString(a.Schema.Module.Name)
			b.WriteByte(':')
			mod = a.Schema.Module
		}
		b.WriteString(a.Schema.Name)
		switch a.Schema.Kind {
		case schema.KindList:
			for j, k := range a.Schema.Keys() {
				if j == 0 {
					b.WriteByte('=')
				} else {
					b.WriteByte(',')
				}
				if kn := a.Child(k); kn != nil {
					b.WriteString(keyEscape(kn.Value.Str))
				}
			}
		case schema.KindLeafList:
			b.WriteByte('=')
			b.WriteString(keyEscape(a.Value.Str))
		}
	}
	return b.String()
}

// keyEscape percent-encodes a key value for a RESTCONF path: the reserved characters, ',' among
// them.
func keyEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ",", "%2C")
}

// changeUpdateIn encodes a push-change-update in the encoding (an identity name of
// ietf-subscribed-notifications).
func changeUpdateIn(encoding string, edits []pushEdit, patchID string, at time.Time) (head, tail []byte) {
	if encoding == encodeJSON {
		return jsonChangeUpdate(edits, patchID, at)
	}
	return changeUpdate(edits, patchID, at)
}

// changeUpdate encodes a push-change-update with the edits, split where the subscription id
// goes.
func changeUpdate(edits []pushEdit, patchID string, at time.Time) (head, tail []byte) {
	head = netconf.AppendNotification(nil, at, []byte(`<push-change-update xmlns="`+nsYP+`"><id>`))
	head = head[:len(head)-len("</notification>")]
	tail = []byte("</id><datastore-changes><yang-patch><patch-id>")
	tail = netconf.AppendEscaped(tail, patchID, false)
	tail = append(tail, "</patch-id>"...)
	for i, e := range edits {
		tail = append(tail, "<edit><edit-id>edit-"...)
		tail = strconv.AppendInt(tail, int64(i+1), 10)
		tail = append(tail, "</edit-id><operation>"+e.op+"</operation><target>"...)
		tail = netconf.AppendEscaped(tail, e.target, false)
		tail = append(tail, "</target>"...)
		if e.value != nil {
			tail = append(tail, "<value>"...)
			tail = append(tail, e.value...)
			tail = append(tail, "</value>"...)
		}
		tail = append(tail, "</edit>"...)
	}
	tail = append(tail, "</yang-patch></datastore-changes></push-change-update></notification>"...)
	return head, tail
}

// opResyncSubscription is resync-subscription (RFC 8641 section 4.4.3): a push-update of an
// on-change subscription of this session, before any later change.
func (srv *Server) opResyncSubscription(ctx context.Context, req *Request) (*data.Node, error) {
	c := callOf(ctx)
	id64, _ := strconv.ParseUint(param(req.Input, "id").Value.Str, 10, 32)
	srv.nmu.Lock()
	sub := c.s.dsubs[uint32(id64)]
	srv.nmu.Unlock()
	if sub == nil {
		return nil, subError(rpcerror.TagInvalidValue, nsYP, "ietf-yang-push", "no-such-subscription-resync",
			"resync-subscription-error", "", "no dynamic subscription %d", id64)
	}
	if !sub.onChange {
		return nil, subError(rpcerror.TagOperationNotSupported, nsYP, "ietf-yang-push", "on-change-sync-unsupported",
			"resync-subscription-error", "", "subscription %d is not an on-change subscription", id64)
	}
	c.after = func() {
		srv.watchCommits()
		srv.push.add(pushJob{sync: sub})
	}
	return nil, nil
}
