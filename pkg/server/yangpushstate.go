package server

import (
	"strconv"
	"time"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangjson"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema"
)

// On-change for state data (RFC 8641 on ds:operational). Configuration changes reach an
// on-change subscription from the commits (yangpush.go); state data has no commits: it is what
// the agent's state providers (datastore.Store.AddStateProvider) answer when asked. So an
// on-change subscription to ds:operational whose selection can hold state data polls: every
// Server.StatePollInterval it reads what it selects of the operational datastore (calling the
// providers its filter reaches, as a get-data would) and compares the state nodes (config
// false) with the previous reading; what differs goes out as a push-change-update (create,
// delete, replace of a leaf), through the subscription's dampening and excluded-change like a
// commit's changes. Configuration nodes are left to the commits, so a change is reported once.
//
// The first reading is the synchronization push-update's (sync-on-start) or, without it, one
// taken when the subscription starts. A change that comes and goes between two polls is not
// seen; a change is reported up to one interval late. The polls run on the interval's ticks
// of the clock (multiples of it), so that subscriptions with the same datastore, filter and
// user share one operational read per tick (sharedSelection); each compares it with its own
// previous reading. Only subscriptions that select state poll.

// DefaultStatePollInterval is the interval at which on-change subscriptions to ds:operational
// poll the state providers when Server.StatePollInterval is 0.
const DefaultStatePollInterval = time.Second

func (srv *Server) statePollInterval() time.Duration {
	if srv.StatePollInterval > 0 {
		return srv.StatePollInterval
	}
	return DefaultStatePollInterval
}

// selectsState reports whether a datastore selection with filter f (nil: everything) can hold
// state data: a config false data node f may select.
func (srv *Server) selectsState(f *filter.Filter) bool {
	var walk func(ns []*schema.Node) bool
	walk = func(ns []*schema.Node) bool {
		for _, n := range ns {
			switch n.Kind {
			case schema.KindContainer, schema.KindList, schema.KindLeaf, schema.KindLeafList, schema.KindAnydata, schema.KindAnyxml:
			default:
				if walk(n.Children) {
					return true
				}
				continue
			}
			if f != nil && !f.MaySelect(n) {
				continue
			}
			if !n.Config {
				return true
			}
			if walk(n.Children) {
				return true
			}
		}
		return false
	}
	return walk(srv.Store.Schema().TopNodes())
}

// schedulePoll arms the subscription's first state poll, at the next tick of the interval.
func (srv *Server) schedulePoll(sub *dynSub, gen uint64) {
	srv.schedulePollAfter(sub, gen, time.Time{})
}

// schedulePollAfter arms the subscription's next state poll: at the tick after last (the tick
// it polled last), so that a poll whose timer ran late (a loaded machine) reads every tick the
// other subscriptions of its pollKey read, and gets their readings; at the next tick from now
// when last is zero or so far behind that its reading would be gone (pollsKept).
func (srv *Server) schedulePollAfter(sub *dynSub, gen uint64, last time.Time) {
	iv := srv.statePollInterval()
	now := time.Now()
	tick := now.Truncate(iv).Add(iv)
	if !last.IsZero() && now.Sub(last) < (pollsKept-1)*iv {
		tick = last.Add(iv)
	}
	sub.push.mu.Lock()
	defer sub.push.mu.Unlock()
	sub.push.pollTimer = time.AfterFunc(time.Until(tick), func() {
		if sub.gen.Load() != gen {
			return
		}
		srv.pollState(sub, gen, tick)
		srv.nmu.Lock()
		alive := srv.dsubs[sub.id] == sub && sub.gen.Load() == gen
		srv.nmu.Unlock()
		if alive {
			srv.schedulePollAfter(sub, gen, tick)
		}
	})
}

// forgetStateBase drops the state reading of a subscription whose filter changes: the next
// poll's reading, with the new filter, is its first, so that what the new filter selects and
// the old one did not is not reported as changes (it was there all along), nor what the old
// one selected as deleted.
func (srv *Server) forgetStateBase(sub *dynSub) {
	sub.push.mu.Lock()
	sub.push.stateBase = nil
	sub.push.baseEpoch++
	sub.push.mu.Unlock()
}

// pollKey identifies the subscriptions whose state polls read the same: same datastore,
// filter and user.
type pollKey struct {
	ds                     string
	filterXML, filterXPath string
	user                   string
}

// pollReading is one tick's reading of a pollKey's selection: sel (read-only, shared) once
// done is closed, ok false when the read failed.
type pollReading struct {
	tick time.Time
	done chan struct{}
	sel  *data.Node
	ok   bool
	// prev is the reading of an earlier tick, kept for a poll whose timer ran late.
	prev *pollReading
}

// pollsKept is how many ticks' readings a pollKey keeps.
const pollsKept = 4

// sharedSelection returns what sub selects at the poll of tick: read once per tick for all the
// subscriptions of its pollKey, the first of them reading and the others waiting for it. The
// tree is shared: read-only.
func (srv *Server) sharedSelection(sub *dynSub, tick time.Time) (*data.Node, bool) {
	// The filter and its terms change together under srv.nmu (modify-subscription): the key and
	// the reading must be of one filter.
	srv.nmu.Lock()
	key := pollKey{ds: string(sub.ds), filterXML: sub.filterXML, filterXPath: sub.filterXPath, user: sub.s.who.User}
	f := sub.filter
	srv.nmu.Unlock()
	srv.pollMu.Lock()
	head := srv.polls[key]
	for r, n := head, 0; r != nil && n < pollsKept; r, n = r.prev, n+1 {
		if r.tick.Equal(tick) {
			srv.pollMu.Unlock()
			<-r.done
			return r.sel, r.ok
		}
	}
	r := &pollReading{tick: tick, done: make(chan struct{}), prev: head}
	// Only the newest pollsKept readings stay reachable.
	for p, n := r, 1; p != nil; p, n = p.prev, n+1 {
		if n == pollsKept {
			p.prev = nil
		}
	}
	if srv.polls == nil {
		srv.polls = map[pollKey]*pollReading{}
	}
	srv.polls[key] = r
	srv.forgetOldPolls(tick)
	srv.pollMu.Unlock()
	r.sel, r.ok = srv.selectionWith(sub, f)
	close(r.done)
	return r.sel, r.ok
}

// forgetOldPolls drops the readings of keys not polled for pollsKept intervals before tick
// (their subscriptions are gone or changed). The caller holds srv.pollMu.
func (srv *Server) forgetOldPolls(tick time.Time) {
	old := tick.Add(-pollsKept * srv.statePollInterval())
	for k, r := range srv.polls {
		if r.tick.Before(old) {
			delete(srv.polls, k)
		}
	}
}

// pollState reads the subscription's selection at the poll of tick and sends how its state
// data differs from the previous reading.
func (srv *Server) pollState(sub *dynSub, gen uint64, tick time.Time) {
	sub.push.mu.Lock()
	synced, epoch := sub.push.synced, sub.push.baseEpoch
	sub.push.mu.Unlock()
	if !synced {
		return // the synchronization's reading comes first
	}
	sel, ok := srv.sharedSelection(sub, tick)
	if !ok {
		return
	}
	sub.push.mu.Lock()
	if sub.push.baseEpoch != epoch {
		sub.push.mu.Unlock()
		return // the filter changed meanwhile: sel may be the old filter's
	}
	base := sub.push.stateBase
	sub.push.stateBase = sel
	sub.push.mu.Unlock()
	if base == nil {
		return // the first reading (no sync-on-start, or a new filter)
	}
	var changes []stateChange
	diffState(base, sel, &changes)
	if len(changes) == 0 {
		return
	}
	edits := srv.stateEdits(sub, changes)
	if len(edits) == 0 {
		sub.excludedRecords.Add(1)
		return
	}
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	if srv.dsubs[sub.id] != sub || sub.gen.Load() != gen {
		return
	}
	if sub.dampening > 0 {
		srv.dampen(sub, edits)
		return
	}
	sub.push.mu.Lock()
	sub.push.patchSeq++
	seq := sub.push.patchSeq
	sub.push.mu.Unlock()
	head, tail := changeUpdateIn(sub.encoding, edits, "state-"+strconv.FormatUint(seq, 10), time.Now())
	srv.enqueue(sub, outItem{msg: head, tail: tail, counted: true})
}

// stateChange is one difference between two readings: op create (n new), delete (n old) or
// replace (n new, a leaf or anydata whose value changed).
type stateChange struct {
	op string
	n  *data.Node
}

// diffState appends the differences of the state nodes between the trees old and new (the
// roots or nodes at one place), top-down: a state node present on one side only is one create
// or delete; a state leaf whose value changed is a replace; configuration nodes are descended
// into for the state below them but never reported themselves.
func diffState(old, new *data.Node, out *[]stateChange) {
	for _, c := range new.Children() {
		o := counterpart(old, c)
		switch {
		case o == nil && !c.Schema.Config:
			*out = append(*out, stateChange{"create", c})
		case o == nil:
			diffState(data.New(c.Schema), c, out)
		case isValueNode(c):
			if !c.Schema.Config && (c.Value.Str != o.Value.Str) {
				*out = append(*out, stateChange{"replace", c})
			}
		default:
			diffState(o, c, out)
		}
	}
	for _, o := range old.Children() {
		if counterpart(new, o) != nil {
			continue
		}
		if !o.Schema.Config {
			*out = append(*out, stateChange{"delete", o})
		} else {
			diffState(o, data.New(o.Schema), out)
		}
	}
}

// isValueNode reports whether n is compared by value: a leaf, leaf-list entry or anydata.
func isValueNode(n *data.Node) bool {
	switch n.Schema.Kind {
	case schema.KindLeaf, schema.KindLeafList, schema.KindAnydata, schema.KindAnyxml:
		return true
	}
	return false
}

// counterpart returns the node of p that is n's instance: same schema node and, for a list or
// leaf-list entry, same keys (or value); a keyless list's entries pair by position.
func counterpart(p, n *data.Node) *data.Node {
	switch {
	case n.Schema.Kind == schema.KindLeafList || (n.Schema.Kind == schema.KindList && len(n.Schema.Keys()) > 0):
		return p.Find(n.Schema, n.Key())
	case n.Schema.Kind == schema.KindList:
		i := 0
		for _, s := range n.Parent.Instances(n.Schema) {
			if s == n {
				break
			}
			i++
		}
		if in := p.Instances(n.Schema); i < len(in) {
			return in[i]
		}
		return nil
	}
	return p.Child(n.Schema)
}

// stateEdits turns a poll's changes into yang-patch edits in the subscription's encoding,
// without the excluded change types.
func (srv *Server) stateEdits(sub *dynSub, changes []stateChange) []pushEdit {
	o := yangxml.EncodeOptions{Schema: srv.Store.Schema()}
	var edits []pushEdit
	for _, ch := range changes {
		if sub.excluded[ch.op] {
			continue
		}
		e := pushEdit{op: ch.op, target: restconfPath(ch.n)}
		if ch.op != "delete" {
			var err error
			if sub.encoding == encodeJSON {
				e.value, err = yangjson.Marshal(ch.n, yangjson.EncodeOptions{})
			} else {
				e.value, err = yangxml.Append(nil, ch.n, o)
			}
			if err != nil {
				srv.Logger.Error("server: encoding a state change", "err", err)
				continue
			}
		}
		edits = append(edits, e)
	}
	return edits
}
