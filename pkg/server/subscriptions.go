package server

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/internal/xmltok"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/xpath"
)

// Dynamic subscriptions (RFC 8639 over NETCONF, RFC 8640): establish-subscription,
// modify-subscription, delete-subscription and kill-subscription, any number per session beside
// an RFC 5277 create-subscription. A subscription targets an event stream (the NETCONF stream,
// the same events create-subscription delivers) or a datastore (YANG-Push, yangpush.go).
//
// Every session with dynamic subscriptions has one outgoing queue and one writer goroutine for
// them (outQueue); a message is encoded once per distinct (content, filter, user) and its bytes
// shared among the subscriptions it goes to, with the subscription id spliced in where the
// notification carries one (push-update, push-change-update).

// Namespaces of RFC 8639, RFC 8641 and RFC 8342's datastore identities.
const (
	nsSN = "urn:ietf:params:xml:ns:yang:ietf-subscribed-notifications"
	nsYP = "urn:ietf:params:xml:ns:yang:ietf-yang-push"
	nsDS = "urn:ietf:params:xml:ns:yang:ietf-datastores"
)

// dynSub is one dynamic subscription.
type dynSub struct {
	id uint32
	s  *session
	// encoding is the identity name of the encoding (encode-xml).
	encoding string
	stop     time.Time

	// A stream subscription: stream set.
	stream      string
	replayStart time.Time

	// The filter (stream or selection filter), nil when none; filterXML or filterXPath is
	// its text, for the state tree and subscription-modified: the subtree as given, the XPath
	// with module names as prefixes.
	filter      *filter.Filter
	filterXML   string
	filterXPath string
	// ref is the configured filter the subscription uses (subfilters.go), if any: filter
	// and its text are then that filter's.
	ref filterRef

	// A datastore subscription (RFC 8641): ds set.
	ds          datastore.Name
	period      time.Duration // periodic when > 0
	anchor      time.Time
	hasAnchor   bool
	onChange    bool
	dampening   time.Duration
	syncOnStart bool
	excluded    map[string]bool
	// pollState is set for an on-change subscription to ds:operational whose selection can
	// hold state data: the state providers are polled for its changes (yangpushstate.go).
	pollState bool

	// push is the datastore subscription's runtime state, guarded by push.mu.
	push pushState

	// gen counts modifications: timers of an older generation do nothing.
	gen atomic.Uint64

	// started is set once the establish-subscription reply is out; early holds what was
	// queued for the subscription before (a change committed meanwhile), sent after the reply
	// and the replay: as many as the session's queue takes (Server.NotificationQueue), and
	// earlyLost is set when more came, which suspends the subscription as it starts, as a
	// full queue would. All guarded by srv.nmu.
	started   bool
	early     []outItem
	earlyLost bool

	// suspended is set while the subscription is suspended for its session's full queue
	// (guarded by srv.nmu); dropped counts what it did not get meanwhile.
	suspended bool
	dropped   atomic.Uint64

	sent, excludedRecords atomic.Uint64
}

// outItem is one message for a session's dynamic subscriptions: msg, or head + the
// subscription id + tail when the notification carries the id.
type outItem struct {
	msg, tail []byte
	sub       *dynSub
	// counted items are event records (sent-event-records), not state changes.
	counted bool
	// control items are subscription state changes (RFC 8639 section 2.7): queued even
	// when the queue is full, and while the subscription is suspended.
	control bool
}

// outQueue is a session's queue of dynamic subscription messages, written by one goroutine.
type outQueue struct {
	mu     sync.Mutex
	items  []outItem
	signal chan struct{}
	limit  int
	dead   bool
	// stopped is set (guarded by mu) when the session has ended: the writer returns.
	stopped bool
	// suspended counts the session's subscriptions suspended for this queue's overflow:
	// changed under the server's nmu, read without it by the writer once the queue has
	// drained (an increment is followed by a control item, so the writer that takes that
	// item sees it).
	suspended atomic.Int32
}

// push appends it; false when the queue is full (the session is too slow). A control item
// goes in regardless of the limit: there is at most one per state change. The writer is
// woken at once, or, with wake set, added to it to be woken by wake.flush.
func (q *outQueue) push(it outItem, wake *wakeSet) bool {
	q.mu.Lock()
	if q.dead || (len(q.items) >= q.limit && !it.control) {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, it)
	q.mu.Unlock()
	if wake != nil {
		if len(wake.qs) == 0 {
			wake.since = time.Now()
		}
		wake.qs = append(wake.qs, q)
		return true
	}
	q.wake()
	return true
}

// wake wakes the queue's writer (at most one signal waits).
func (q *outQueue) wake() {
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// wakeSet holds the queues that got items while the pusher works off a batch of commits: their
// writers are woken once the batch is queued, so that a writer that had not run yet sends
// the batch's updates in one write, not one write (and one wake-up) per commit.
type wakeSet struct {
	qs []*outQueue
	// since is when the first of qs was added.
	since time.Time
}

// maxWakeDelay bounds how long a wakeSet holds a writer's wake-up (Server.PushCoalesce when
// longer): a long backlog of commits is sent in several batches.
const maxWakeDelay = 5 * time.Millisecond

// heldFor is how long the first wake-up in w has waited, 0 when w is empty.
func (w *wakeSet) heldFor() time.Duration {
	if len(w.qs) == 0 {
		return 0
	}
	return time.Since(w.since)
}

// flush wakes the writers of the queues in w and empties it.
func (w *wakeSet) flush() {
	for i, q := range w.qs {
		q.wake()
		w.qs[i] = nil
	}
	w.qs = w.qs[:0]
}

// queue returns the session's dynamic subscription queue, starting its writer on first use.
// The caller holds srv.nmu.
func (s *session) queue() *outQueue {
	if s.outq == nil {
		q := &outQueue{signal: make(chan struct{}, 1), limit: s.srv.queueSize()}
		// The writer waits on its signal alone (a receive, cheaper than a select with the
		// session's context for every message); the session's end stops it.
		context.AfterFunc(s.ctx, func() {
			q.mu.Lock()
			q.stopped = true
			q.mu.Unlock()
			select {
			case q.signal <- struct{}{}:
			default:
			}
		})
		s.outq = q
		go s.writeDynamic(q)
	}
	return s.outq
}

// writeDynamic writes the session's dynamic subscription messages until the session ends:
// what queued up meanwhile goes out together where the transport can (netconf.BatchConn).
func (s *session) writeDynamic(q *outQueue) {
	var batch []outItem
	var msgs [][]byte
	var spliced []byte
	bc, _ := s.conn.(netconf.BatchConn)
	for range q.signal {
		q.mu.Lock()
		if q.stopped {
			q.mu.Unlock()
			return
		}
		batch, q.items = q.items, batch[:0]
		q.mu.Unlock()
		msgs, spliced = msgs[:0], spliced[:0]
		for _, it := range batch {
			msg := it.msg
			if it.tail != nil {
				// The spliced messages of a batch share one buffer, reused for the next
				// (the transport keeps none of a message once written); a message
				// sliced before the buffer grew keeps the old array.
				i := len(spliced)
				spliced = append(spliced, it.msg...)
				spliced = strconv.AppendUint(spliced, uint64(it.sub.id), 10)
				spliced = append(spliced, it.tail...)
				msg = spliced[i:len(spliced):len(spliced)]
			}
			msgs = append(msgs, msg)
		}
		// Counted as sent when handed to the transport: a receiver that has read one sees
		// it counted in /subscriptions (a failed write ends the session).
		for _, it := range batch {
			if it.counted && it.sub != nil {
				it.sub.sent.Add(1)
			}
		}
		s.outNotifications.Add(uint32(len(batch)))
		s.srv.stats.outNotifications.Add(uint32(len(batch)))
		var err error
		if bc != nil {
			s.wmu.Lock()
			err = bc.WriteMessages(s.ctx, msgs)
			s.wmu.Unlock()
		} else {
			for _, m := range msgs {
				if err = s.write(s.ctx, m); err != nil {
					break
				}
			}
		}
		if err != nil {
			s.close(netconf.CloseReason{Code: netconf.CloseInternal, Text: "write failed"})
			return
		}
		for i := range batch {
			batch[i] = outItem{}
			msgs[i] = nil
		}
		if cap(spliced) > 1<<20 {
			spliced = nil
		}
		if q.suspended.Load() > 0 {
			q.mu.Lock()
			drained := len(q.items) == 0
			q.mu.Unlock()
			if drained {
				s.srv.resumeSuspended(s, q)
			}
		}
	}
}

// enqueue queues it on sub's session. A subscription whose receiver cannot keep up (the
// session's queue is full) is suspended (RFC 8639 section 2.4.7, reason
// insufficient-resources) rather than its session ended as an RFC 5277 subscriber's is (see
// Server.Notify): what it would get meanwhile is dropped, and it is resumed once the session's
// queue has drained (resumeSuspended). The caller holds srv.nmu.
func (srv *Server) enqueue(sub *dynSub, it outItem) {
	srv.enqueueWake(sub, it, nil)
}

// enqueueWake is enqueue with the writer's wake-up left to wake when it is set (see
// wakeSet). The caller holds srv.nmu.
func (srv *Server) enqueueWake(sub *dynSub, it outItem, wake *wakeSet) {
	s := sub.s
	it.sub = sub
	if !sub.started {
		// The reply is not out yet (its receiver may not be reading): what comes meanwhile
		// is held, as much as the queue would hold, and what comes after that is dropped,
		// the subscription then starting suspended.
		if !it.control && (sub.earlyLost || len(sub.early) >= srv.queueSize()) {
			sub.earlyLost = true
			sub.dropped.Add(1)
			return
		}
		sub.early = append(sub.early, it)
		return
	}
	if sub.suspended && !it.control {
		sub.dropped.Add(1)
		return
	}
	q := s.queue()
	if q.push(it, wake) {
		return
	}
	if q.dead {
		return
	}
	sub.dropped.Add(1)
	srv.suspend(sub, q)
}

// suspend suspends sub for its session's full queue q (RFC 8639 section 2.4.7, reason
// insufficient-resources): its receiver is told, and it is resumed once q has drained. The
// caller holds srv.nmu.
func (srv *Server) suspend(sub *dynSub, q *outQueue) {
	srv.Logger.Warn("server: notification queue full, suspending the subscription", "session", sub.s.id, "user", sub.s.info.User, "subscription", sub.id)
	srv.suspensions.Add(1)
	sub.suspended = true
	q.suspended.Add(1)
	q.push(outItem{msg: srv.stateEventFor(sub, "subscription-suspended", "insufficient-resources"), sub: sub, control: true}, nil)
}

// resumeSuspended resumes the subscriptions of s suspended for its queue's overflow, now that
// the queue has drained: each receiver gets subscription-resumed, and an on-change one then a
// push-update with the selected contents (RFC 8641 section 3.10: what changed while it was
// suspended was not sent).
func (srv *Server) resumeSuspended(s *session, q *outQueue) {
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	if q.suspended.Load() == 0 {
		return
	}
	q.suspended.Store(0)
	ids := make([]uint32, 0, len(s.dsubs))
	for id, sub := range s.dsubs {
		if sub.suspended {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		sub := s.dsubs[id]
		sub.suspended = false
		srv.Logger.Info("server: resuming a suspended subscription", "session", s.id, "subscription", sub.id, "dropped", sub.dropped.Load())
		srv.enqueue(sub, outItem{msg: srv.stateEventFor(sub, "subscription-resumed", ""), control: true})
		if sub.onChange {
			sub.push.mu.Lock()
			sub.push.synced = false
			sub.push.mu.Unlock()
			srv.watchCommits()
			srv.push.add(pushJob{sync: sub})
		}
	}
}

// dropSessionSubs forgets every dynamic subscription of s. The caller holds srv.nmu.
func (srv *Server) dropSessionSubs(s *session) {
	for id, sub := range s.dsubs {
		delete(srv.dsubs, id)
		delete(s.dsubs, id)
		srv.forgetSub(sub)
	}
	if s.outq != nil {
		s.outq.mu.Lock()
		s.outq.dead = true
		s.outq.mu.Unlock()
	}
}

// forgetSub releases what a removed subscription holds. The caller holds srv.nmu.
func (srv *Server) forgetSub(sub *dynSub) {
	sub.gen.Add(1)
	if sub.onChange {
		srv.onChangeSubs.Add(-1)
	}
	sub.push.mu.Lock()
	if sub.push.timer != nil {
		sub.push.timer.Stop()
	}
	if sub.push.pollTimer != nil {
		sub.push.pollTimer.Stop()
	}
	sub.push.mu.Unlock()
}

// endSessionSubs ends the dynamic subscriptions of a session that ended.
func (srv *Server) endSessionSubs(s *session) {
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	srv.dropSessionSubs(s)
}

// snRPC returns the rpc name of ietf-subscribed-notifications (or of ietf-yang-push with yp
// set), nil when the schema lacks it.
func (srv *Server) snRPC(ns, name string) *schema.Node {
	sch := srv.Store.Schema()
	m := sch.ModuleByNamespace(ns)
	if m == nil {
		return nil
	}
	return sch.RPC(m, name)
}

// registerSubscriptions installs the RFC 8639 and RFC 8641 operations and state when the
// schema has their modules and no Handle call replaced them.
func (srv *Server) registerSubscriptions() {
	ops := map[string]Handler{
		"establish-subscription": srv.opEstablishSubscription,
		"modify-subscription":    srv.opModifySubscription,
		"delete-subscription":    srv.opDeleteSubscription,
		"kill-subscription":      srv.opKillSubscription,
	}
	srv.mu.Lock()
	for name, h := range ops {
		if rpc := srv.snRPC(nsSN, name); rpc != nil && srv.handlers[rpc] == nil {
			srv.handlers[rpc] = h
		}
	}
	if rpc := srv.snRPC(nsYP, "resync-subscription"); rpc != nil && srv.handlers[rpc] == nil {
		srv.handlers[rpc] = srv.opResyncSubscription
	}
	srv.mu.Unlock()
	sch := srv.Store.Schema()
	if n := stateNode(sch, nsSN, "streams"); n != nil {
		srv.Store.AddStateProvider(n, srv.snStreamsState)
	}
	if n := stateNode(sch, nsSN, "subscriptions"); n != nil {
		srv.Store.AddStateProvider(n, srv.subscriptionsState)
	}
}

// subError is an rpc-error of RFC 8640 section 4 (and RFC 8641 section 5): the error identity
// in error-app-tag ("module:identity") and the yang-data structure info (in module ns) with its
// reason in error-info, and hint, when set, as filter-failure-hint.
func subError(tag rpcerror.Tag, ns, module, identity, info, hint, format string, args ...any) *rpcerror.Error {
	e := rpcerror.New(rpcerror.Application, tag, format, args...)
	e.AppTag = module + ":" + identity
	if info != "" {
		prefix := "sn"
		if ns == nsYP {
			prefix = "yp"
		}
		v := `<reason xmlns:` + prefix + `="` + ns + `">` + prefix + ":" + identity + `</reason>`
		if hint != "" {
			v += "<filter-failure-hint>" + string(netconf.AppendEscaped(nil, hint, false)) + "</filter-failure-hint>"
		}
		e.Info = []rpcerror.Info{{Name: info, Namespace: infoNamespace(info), Value: v, XML: true}}
	}
	return e
}

// infoNamespace is the namespace of an error-info structure: ietf-yang-push's datastore ones,
// ietf-subscribed-notifications' others.
func infoNamespace(info string) string {
	switch info {
	case "establish-subscription-datastore-error-info", "modify-subscription-datastore-error-info", "resync-subscription-error":
		return nsYP
	}
	return nsSN
}

func snModule(ns string) string {
	if ns == nsYP {
		return "ietf-yang-push"
	}
	return "ietf-subscribed-notifications"
}

// noSuchSubscription is the error of delete-, kill- and modify-subscription for an unknown id.
func noSuchSubscription(info string, id uint32) *rpcerror.Error {
	return subError(rpcerror.TagInvalidValue, nsSN, "ietf-subscribed-notifications", "no-such-subscription", info, "",
		"no dynamic subscription %d", id)
}

// subParams are the terms an establish- or modify-subscription asks for.
type subParams struct {
	stream, hasStreamFilter bool
	streamName              string
	replayStart             time.Time
	hasReplay               bool
	stop                    time.Time
	hasStop                 bool
	encoding                string
	f                       *filter.Filter
	filterXML, filterXPath  string
	hasFilter               bool

	datastore    bool
	ds           datastore.Name
	periodic     bool
	period       time.Duration
	anchor       time.Time
	hasAnchor    bool
	onChange     bool
	dampening    time.Duration
	syncOnStart  bool
	excluded     map[string]bool
	hasTrigger   bool
	hasDampening bool

	// ref names a configured filter (resolved into f once the input is read), refPath is
	// the path of the leaf that names it.
	ref     filterRef
	refPath string
}

// readParams reads the input of establish- or modify-subscription (op names the rpc, for the
// error identities' structures).
func (srv *Server) readParams(ctx context.Context, in *data.Node, establish bool) (*subParams, *rpcerror.Error) {
	p := &subParams{syncOnStart: true}
	info, dsInfo := "establish-subscription-stream-error-info", "establish-subscription-datastore-error-info"
	if !establish {
		info, dsInfo = "modify-subscription-stream-error-info", "modify-subscription-datastore-error-info"
	}
	for _, c := range in.Children() {
		switch c.Schema.Name {
		case "stream":
			p.stream, p.streamName = true, c.Value.Str
		case "replay-start-time":
			t, err := time.Parse(time.RFC3339Nano, c.Value.Str)
			if err != nil {
				return nil, rpcerror.InvalidValue(c.Path(), "replay-start-time %q is not a date-and-time", c.Value.Str)
			}
			p.replayStart, p.hasReplay = t, true
		case "stop-time":
			t, err := time.Parse(time.RFC3339Nano, c.Value.Str)
			if err != nil {
				return nil, rpcerror.InvalidValue(c.Path(), "stop-time %q is not a date-and-time", c.Value.Str)
			}
			p.stop, p.hasStop = t, true
		case "encoding":
			p.encoding = c.Value.Str
		case "stream-filter-name", "selection-filter-ref":
			p.ref = filterRef{name: c.Value.Str, selection: c.Schema.Name == "selection-filter-ref"}
			p.refPath = c.Path()
		case "stream-subtree-filter", "datastore-subtree-filter":
			in := info
			if c.Schema.Name == "datastore-subtree-filter" {
				in = dsInfo
			}
			f, rerr := filter.Subtree([]byte(c.Value.Str), srv.Store.Schema())
			if rerr != nil {
				return nil, subError(rpcerror.TagInvalidValue, infoNamespace(in), "ietf-subscribed-notifications", "filter-unsupported", in,
					rerr.Message, "%s", rerr.Message)
			}
			p.f, p.filterXML, p.hasFilter = f, c.Value.Str, true
		case "stream-xpath-filter", "datastore-xpath-filter":
			in := info
			if c.Schema.Name == "datastore-xpath-filter" {
				in = dsInfo
			}
			compile := filter.XPath
			if c.Schema.Name == "stream-xpath-filter" {
				compile = filter.XPathMatch // RFC 8639: the result converted to a boolean
			}
			ns := srv.xpathNamespaces(ctx, c)
			f, rerr := compile(c.Value.Str, ns, srv.Store.Schema())
			if rerr != nil {
				return nil, subError(rpcerror.TagInvalidValue, infoNamespace(in), "ietf-subscribed-notifications", "filter-unsupported", in,
					rerr.Message, "%s", rerr.Message)
			}
			// Kept with module names as prefixes: shown where the request's declarations are
			// gone, and compared between subscriptions.
			p.f, p.filterXPath, p.hasFilter = f, withModuleNames(c.Value.Str, ns, srv.Store.Schema()), true
		case "datastore":
			p.datastore = true
			v := c.Value.Str
			switch v {
			case "ietf-datastores:running":
				p.ds = datastore.Running
			case "ietf-datastores:operational":
				p.ds = datastore.Operational
			default:
				return nil, subError(rpcerror.TagInvalidValue, nsYP, "ietf-yang-push", "datastore-not-subscribable", dsInfo, "",
					"datastore %s cannot be subscribed to (ds:running and ds:operational can)", v)
			}
		case "periodic":
			p.periodic, p.hasTrigger = true, true
			if pe := c.ChildByName("period"); pe != nil {
				cs, _ := strconv.ParseUint(pe.Value.Str, 10, 32)
				p.period = time.Duration(cs) * 10 * time.Millisecond
			}
			if a := c.ChildByName("anchor-time"); a != nil {
				t, err := time.Parse(time.RFC3339Nano, a.Value.Str)
				if err != nil {
					return nil, rpcerror.InvalidValue(a.Path(), "anchor-time %q is not a date-and-time", a.Value.Str)
				}
				p.anchor, p.hasAnchor = t, true
			}
		case "on-change":
			p.onChange, p.hasTrigger = true, true
			for _, oc := range c.Children() {
				switch oc.Schema.Name {
				case "dampening-period":
					cs, _ := strconv.ParseUint(oc.Value.Str, 10, 32)
					p.dampening, p.hasDampening = time.Duration(cs)*10*time.Millisecond, true
				case "sync-on-start":
					p.syncOnStart = oc.Value.Str == "true"
				case "excluded-change":
					if p.excluded == nil {
						p.excluded = map[string]bool{}
					}
					p.excluded[oc.Value.Str] = true
				}
			}
		}
	}
	switch p.encoding {
	case "", "ietf-subscribed-notifications:encode-xml":
		p.encoding = "encode-xml"
	case "ietf-subscribed-notifications:encode-json":
		p.encoding = encodeJSON
	default:
		in := info
		if p.datastore {
			in = dsInfo
		}
		return nil, subError(rpcerror.TagInvalidValue, infoNamespace(in), "ietf-subscribed-notifications", "encoding-unsupported", in, "",
			"encoding %s is not supported (encode-xml and encode-json are)", p.encoding)
	}
	if p.ref.name != "" {
		in := info
		if p.ref.selection {
			in = dsInfo
		}
		srv.followFilters()
		if rerr := srv.resolveRef(p, in); rerr != nil {
			return nil, rerr
		}
	}
	if p.periodic && p.period < minPeriod {
		e := subError(rpcerror.TagInvalidValue, nsYP, "ietf-yang-push", "period-unsupported", dsInfo, "",
			"the period must be at least %v", minPeriod)
		e.Info[0].Value += "<period-hint>" + strconv.Itoa(int(minPeriod/(10*time.Millisecond))) + "</period-hint>"
		return nil, e
	}
	if establish && p.datastore && !p.hasTrigger {
		return nil, rpcerror.MissingElement(rpcerror.Application, "periodic", "",
			"a datastore subscription needs an update trigger: periodic or on-change")
	}
	if p.stream && p.hasTrigger {
		return nil, rpcerror.BadElement(rpcerror.Application, "periodic", "", "an update trigger applies to datastore subscriptions only")
	}
	return p, nil
}

// minPeriod is the shortest period of a periodic subscription.
const minPeriod = 10 * time.Millisecond

// xpathNamespaces are the prefixes of an XPath filter (RFC 8639's stream-xpath-filter, RFC
// 8641's datastore-xpath-filter): every module's name and prefix, then the prefixes the request
// declared where the decoder kept them.
func (srv *Server) xpathNamespaces(ctx context.Context, n *data.Node) map[string]string {
	ns := map[string]string{}
	for _, m := range srv.Store.Schema().Modules {
		if m.Prefix != "" {
			ns[m.Prefix] = m.Namespace
		}
	}
	for _, m := range srv.Store.Schema().Modules {
		ns[m.Name] = m.Namespace
	}
	if c := callOf(ctx); c != nil && c.m != nil {
		for p, uri := range declsOn(c.m.Operation(), n.Schema.Name, n.Schema.Module.Namespace) {
			ns[p] = uri
		}
	}
	return ns
}

// declsOn returns the namespace prefixes declared in scope on the first element local of
// namespace uri in the XML op (the request as sent): the decoder keeps a leaf's value, not the
// declarations an XPath in it may use.
func declsOn(op []byte, local, uri string) map[string]string {
	z := xmltok.New(op, DefaultMaxDepth)
	type decl struct{ prefix, uri string }
	var decls []decl
	var marks []int
	lookup := func(prefix string) string {
		for i := len(decls) - 1; i >= 0; i-- {
			if decls[i].prefix == prefix {
				return decls[i].uri
			}
		}
		return ""
	}
	for {
		k, err := z.Next()
		if err != nil || k == xmltok.EOF {
			return nil
		}
		switch k {
		case xmltok.StartElement:
			marks = append(marks, len(decls))
			for _, a := range z.Attrs() {
				switch {
				case string(a.Prefix) == "xmlns":
					decls = append(decls, decl{string(a.Local), string(xmltok.AppendAttrValue(nil, a.Value))})
				case a.Prefix == nil && string(a.Local) == "xmlns":
					decls = append(decls, decl{"", string(xmltok.AppendAttrValue(nil, a.Value))})
				}
			}
			if string(z.Local()) == local && lookup(string(z.Prefix())) == uri {
				m := map[string]string{}
				for _, d := range decls {
					if d.prefix != "" {
						m[d.prefix] = d.uri
					}
				}
				return m
			}
		case xmltok.EndElement:
			decls = decls[:marks[len(marks)-1]]
			marks = marks[:len(marks)-1]
		}
	}
}

// opEstablishSubscription is establish-subscription (RFC 8639 section 2.4.2, RFC 8641 section 4.4.1).
func (srv *Server) opEstablishSubscription(ctx context.Context, req *Request) (*data.Node, error) {
	c := callOf(ctx)
	p, rerr := srv.readParams(ctx, req.Input, true)
	if rerr != nil {
		return nil, rerr
	}
	now := time.Now()
	info := "establish-subscription-stream-error-info"
	sub := &dynSub{s: c.s, encoding: p.encoding, filter: p.f, filterXML: p.filterXML, filterXPath: p.filterXPath, ref: p.ref}
	if p.hasStop {
		sub.stop = p.stop
	}
	switch {
	case p.stream:
		if p.streamName != streamNETCONF {
			return nil, rpcerror.InvalidValue(req.Input.ChildByName("stream").Path(),
				"no event stream %q (the server offers %s)", p.streamName, streamNETCONF)
		}
		sub.stream = p.streamName
		if p.hasReplay {
			if !p.replayStart.Before(now) {
				return nil, rpcerror.InvalidValue(req.Input.ChildByName("replay-start-time").Path(), "replay-start-time must be in the past")
			}
			if srv.replayLogSize() == 0 {
				return nil, subError(rpcerror.TagOperationNotSupported, nsSN, "ietf-subscribed-notifications", "replay-unsupported", info, "",
					"replay is not supported")
			}
			sub.replayStart = p.replayStart
		}
		if p.hasStop && ((p.hasReplay && !p.stop.After(p.replayStart)) || (!p.hasReplay && !p.stop.After(now))) {
			return nil, rpcerror.InvalidValue(req.Input.ChildByName("stop-time").Path(),
				"stop-time must be later than replay-start-time, or in the future")
		}
	case p.datastore:
		if p.hasStop && !p.stop.After(now) {
			return nil, rpcerror.InvalidValue(req.Input.ChildByName("stop-time").Path(), "stop-time must be in the future")
		}
		sub.ds = p.ds
		sub.period, sub.anchor, sub.hasAnchor = p.period, p.anchor, p.hasAnchor
		sub.onChange, sub.dampening, sub.syncOnStart, sub.excluded = p.onChange, p.dampening, p.syncOnStart, p.excluded
		sub.pollState = sub.onChange && sub.ds == datastore.Operational && srv.selectsState(sub.filter)
	default:
		return nil, rpcerror.MissingElement(rpcerror.Application, "stream", "", "establish-subscription needs a stream or a datastore")
	}

	srv.nmu.Lock()
	sub.id = srv.nextSubID()
	if srv.dsubs == nil {
		srv.dsubs = map[uint32]*dynSub{}
	}
	srv.dsubs[sub.id] = sub
	if c.s.dsubs == nil {
		c.s.dsubs = map[uint32]*dynSub{}
	}
	c.s.dsubs[sub.id] = sub
	var replay []outItem
	var revision time.Time
	if sub.stream != "" && !sub.replayStart.IsZero() {
		// RFC 8639's replay-start-time-revision: the log's aged time, else its creation time,
		// when that is later than asked.
		switch {
		case !srv.replayAged.IsZero():
			if srv.replayAged.After(sub.replayStart) {
				revision = srv.replayAged
			}
		case srv.started.After(sub.replayStart):
			revision = srv.started
		}
		for _, ev := range srv.replayLog {
			if ev.time.Before(sub.replayStart) || (!sub.stop.IsZero() && ev.time.After(sub.stop)) {
				continue
			}
			if msg, ok := srv.deliverTo(sub, ev); ok {
				replay = append(replay, outItem{msg: msg, counted: true})
			} else {
				sub.excludedRecords.Add(1)
			}
		}
		replay = append(replay, outItem{msg: srv.stateEventFor(sub, "replay-completed", ""), control: true})
	}
	if sub.onChange {
		// Changes are followed from here on, so that any commit after the reply is either in
		// the synchronization push-update or sent as a change (held until the reply is out).
		srv.onChangeSubs.Add(1)
		srv.watchCommits()
		srv.startOnChange(sub)
	}
	srv.nmu.Unlock()

	out := data.New(req.RPC.Child(req.RPC.Module, "output"))
	b := &builder{sch: srv.Store.Schema()}
	b.leaf(out, "id", strconv.FormatUint(uint64(sub.id), 10))
	if !revision.IsZero() {
		b.leaf(out, "replay-start-time-revision", revision.UTC().Format(time.RFC3339Nano))
	}
	if b.err != nil {
		srv.Logger.Error("server: building establish-subscription's reply", "err", b.err)
	}
	c.after = func() {
		srv.nmu.Lock()
		defer srv.nmu.Unlock()
		if srv.dsubs[sub.id] != sub {
			return
		}
		sub.started = true
		// The session's writer starts now rather than with the first update, which
		// would start the writers of all the subscribers of one commit at once.
		sub.s.queue()
		for _, it := range replay {
			srv.enqueue(sub, it)
		}
		for _, it := range sub.early {
			srv.enqueue(sub, it)
		}
		sub.early = nil
		if sub.earlyLost && !sub.suspended {
			srv.suspend(sub, sub.s.queue())
		}
		sub.earlyLost = false
		srv.startSub(sub)
	}
	return out, nil
}

// nextSubID allocates a subscription id (never 0). The caller holds srv.nmu.
func (srv *Server) nextSubID() uint32 {
	for {
		srv.subSeq++
		if srv.subSeq != 0 && srv.dsubs[srv.subSeq] == nil {
			return srv.subSeq
		}
	}
}

// startSub starts a subscription's timers once the establish reply is out: the stop time, the
// periodic updates and the on-change synchronization. The caller holds srv.nmu.
func (srv *Server) startSub(sub *dynSub) {
	gen := sub.gen.Load()
	if !sub.stop.IsZero() {
		time.AfterFunc(time.Until(sub.stop), func() { srv.stopSub(sub, gen) })
	}
	if sub.period > 0 {
		srv.schedulePeriodic(sub, gen)
	}
	if sub.pollState {
		srv.schedulePoll(sub, gen)
	}
}

// stopSub ends a subscription whose stop-time passed. RFC 8639's subscription-completed belongs
// to configured subscriptions; a dynamic one is terminated silently, its receiver knowing its
// stop-time.
func (srv *Server) stopSub(sub *dynSub, gen uint64) {
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	if srv.dsubs[sub.id] != sub || sub.gen.Load() != gen {
		return // gone, or modified since (a new stop-time has its own timer)
	}
	srv.removeSub(sub)
}

// removeSub removes a subscription. The caller holds srv.nmu.
func (srv *Server) removeSub(sub *dynSub) {
	delete(srv.dsubs, sub.id)
	delete(sub.s.dsubs, sub.id)
	srv.forgetSub(sub)
}

// opModifySubscription is modify-subscription (RFC 8639 section 2.4.3): the new terms replace
// those given; a subscription-modified notification follows the reply.
func (srv *Server) opModifySubscription(ctx context.Context, req *Request) (*data.Node, error) {
	c := callOf(ctx)
	idn := param(req.Input, "id")
	id64, _ := strconv.ParseUint(idn.Value.Str, 10, 32)
	id := uint32(id64)
	p, rerr := srv.readParams(ctx, req.Input, false)
	if rerr != nil {
		return nil, rerr
	}
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	sub := c.s.dsubs[id]
	if sub == nil {
		return nil, noSuchSubscription("modify-subscription-stream-error-info", id)
	}
	if (p.datastore && sub.ds == "") || (p.stream && sub.stream == "") {
		return nil, rpcerror.InvalidValue(idn.Path(), "subscription %d's target is not of that kind; a modify cannot change it", id)
	}
	if p.datastore && p.ds != sub.ds {
		return nil, subError(rpcerror.TagInvalidValue, nsYP, "ietf-yang-push", "datastore-not-subscribable",
			"modify-subscription-datastore-error-info", "", "a modify cannot change the subscription's datastore")
	}
	if p.hasTrigger && (p.periodic != (sub.period > 0)) {
		return nil, rpcerror.InvalidValue(idn.Path(), "a modify cannot change a periodic subscription to on-change or back")
	}
	if p.hasStop && !p.stop.After(time.Now()) {
		return nil, rpcerror.InvalidValue(req.Input.ChildByName("stop-time").Path(), "stop-time must be in the future")
	}
	srv.forgetSub(sub)
	if sub.onChange {
		srv.onChangeSubs.Add(1) // forgetSub counted it out; it stays
	}
	if p.hasFilter {
		if p.filterXML != sub.filterXML || p.filterXPath != sub.filterXPath {
			srv.forgetStateBase(sub)
		}
		sub.filter, sub.filterXML, sub.filterXPath, sub.ref = p.f, p.filterXML, p.filterXPath, p.ref
		sub.pollState = sub.onChange && sub.ds == datastore.Operational && srv.selectsState(sub.filter)
	}
	if p.hasStop {
		sub.stop = p.stop
	}
	if p.periodic {
		sub.period, sub.anchor, sub.hasAnchor = p.period, p.anchor, p.hasAnchor
	}
	if p.onChange && p.hasDampening {
		sub.dampening = p.dampening
	}
	sub.push.mu.Lock()
	sub.push.pending = nil
	sub.push.mu.Unlock()
	c.after = func() {
		srv.nmu.Lock()
		defer srv.nmu.Unlock()
		if srv.dsubs[sub.id] != sub {
			return
		}
		srv.enqueue(sub, outItem{msg: srv.modifiedEvent(sub), control: true})
		if !sub.stop.IsZero() {
			gen := sub.gen.Load()
			time.AfterFunc(time.Until(sub.stop), func() { srv.stopSub(sub, gen) })
		}
		if sub.period > 0 {
			srv.schedulePeriodic(sub, sub.gen.Load())
		}
		if sub.pollState {
			srv.schedulePoll(sub, sub.gen.Load())
		}
	}
	return nil, nil
}

// opDeleteSubscription is delete-subscription (RFC 8639 section 2.4.4): only the session's own
// subscriptions.
func (srv *Server) opDeleteSubscription(ctx context.Context, req *Request) (*data.Node, error) {
	c := callOf(ctx)
	id64, _ := strconv.ParseUint(param(req.Input, "id").Value.Str, 10, 32)
	id := uint32(id64)
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	sub := c.s.dsubs[id]
	if sub == nil {
		return nil, noSuchSubscription("delete-subscription-error-info", id)
	}
	srv.removeSub(sub)
	return nil, nil
}

// opKillSubscription is kill-subscription (RFC 8639 section 2.4.5): any session's dynamic
// subscription; its receiver gets subscription-terminated (no-such-subscription: the
// subscription no longer exists).
func (srv *Server) opKillSubscription(ctx context.Context, req *Request) (*data.Node, error) {
	id64, _ := strconv.ParseUint(param(req.Input, "id").Value.Str, 10, 32)
	id := uint32(id64)
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	sub := srv.dsubs[id]
	if sub == nil {
		return nil, noSuchSubscription("delete-subscription-error-info", id)
	}
	srv.removeSub(sub)
	srv.enqueue(sub, outItem{msg: srv.stateEventFor(sub, "subscription-terminated", "no-such-subscription"), control: true})
	return nil, nil
}

// deliverTo is deliverFiltered for a stream subscription, in its encoding.
func (srv *Server) deliverTo(sub *dynSub, ev *notif) ([]byte, bool) {
	if sub.encoding != encodeJSON {
		return srv.deliverFiltered(sub.s, sub.filter, ev)
	}
	root, ok := srv.selectEvent(sub.s, sub.filter, ev)
	if !ok {
		return nil, false
	}
	return srv.jsonEvent(ev.time, root)
}

// stateEventFor is stateEvent in sub's encoding.
func (srv *Server) stateEventFor(sub *dynSub, name, reason string) []byte {
	if sub.encoding == encodeJSON {
		return jsonStateEvent(name, sub.id, reason)
	}
	return srv.stateEvent(name, sub.id, reason)
}

// stateEvent encodes a subscription state change notification of RFC 8639 with the id and,
// when set, the reason identity of ietf-subscribed-notifications.
func (srv *Server) stateEvent(name string, id uint32, reason string) []byte {
	body := []byte(`<` + name + ` xmlns="` + nsSN + `"`)
	if reason != "" {
		body = append(body, ` xmlns:sn="`+nsSN+`"`...)
	}
	body = append(body, "><id>"...)
	body = strconv.AppendUint(body, uint64(id), 10)
	body = append(body, "</id>"...)
	if reason != "" {
		body = append(body, "<reason>sn:"+reason+"</reason>"...)
	}
	body = append(body, "</"+name+">"...)
	return netconf.AppendNotification(nil, time.Now(), body)
}

// modifiedEvent encodes subscription-modified with the subscription's terms. The caller holds
// srv.nmu.
func (srv *Server) modifiedEvent(sub *dynSub) []byte {
	if sub.encoding == encodeJSON {
		return jsonModifiedEvent(sub, srv.Store.Schema())
	}
	b := []byte(`<subscription-modified xmlns="` + nsSN + `" xmlns:sn="` + nsSN + `" xmlns:ds="` + nsDS + `"><id>`)
	b = strconv.AppendUint(b, uint64(sub.id), 10)
	b = append(b, "</id>"...)
	b = appendTerms(b, sub, srv.Store.Schema())
	b = append(b, "</subscription-modified>"...)
	return netconf.AppendNotification(nil, time.Now(), b)
}

// appendTerms encodes a subscription's terms as the subscription-policy grouping (with
// RFC 8641's update-policy) has them, in a context where sn and ds are declared.
func appendTerms(b []byte, sub *dynSub, sch *schema.Schema) []byte {
	esc := func(s string) []byte { return netconf.AppendEscaped(nil, s, false) }
	if sub.stream != "" {
		b = append(b, "<stream>"...)
		b = append(b, esc(sub.stream)...)
		b = append(b, "</stream>"...)
		if sub.ref.name != "" {
			b = append(b, "<stream-filter-name>"...)
			b = append(b, esc(sub.ref.name)...)
			b = append(b, "</stream-filter-name>"...)
		} else if sub.filterXML != "" {
			b = append(b, "<stream-subtree-filter>"+sub.filterXML+"</stream-subtree-filter>"...)
		} else if sub.filterXPath != "" {
			b = append(b, "<stream-xpath-filter"+xpathDeclAttrs(sub.filterXPath, sch)+">"...)
			b = append(b, esc(sub.filterXPath)...)
			b = append(b, "</stream-xpath-filter>"...)
		}
		if !sub.replayStart.IsZero() {
			b = append(b, "<replay-start-time>"+sub.replayStart.UTC().Format(time.RFC3339Nano)+"</replay-start-time>"...)
		}
	} else {
		b = append(b, `<datastore xmlns="`+nsYP+`">ds:`+string(sub.ds)+`</datastore>`...)
		if sub.ref.name != "" {
			b = append(b, `<selection-filter-ref xmlns="`+nsYP+`">`...)
			b = append(b, esc(sub.ref.name)...)
			b = append(b, "</selection-filter-ref>"...)
		} else if sub.filterXML != "" {
			b = append(b, `<datastore-subtree-filter xmlns="`+nsYP+`">`+sub.filterXML+"</datastore-subtree-filter>"...)
		} else if sub.filterXPath != "" {
			b = append(b, `<datastore-xpath-filter xmlns="`+nsYP+`"`+xpathDeclAttrs(sub.filterXPath, sch)+`>`...)
			b = append(b, esc(sub.filterXPath)...)
			b = append(b, "</datastore-xpath-filter>"...)
		}
	}
	if !sub.stop.IsZero() {
		b = append(b, "<stop-time>"+sub.stop.UTC().Format(time.RFC3339Nano)+"</stop-time>"...)
	}
	b = append(b, "<encoding>sn:"+sub.encoding+"</encoding>"...)
	if sub.ds != "" {
		if sub.period > 0 {
			b = append(b, `<periodic xmlns="`+nsYP+`"><period>`...)
			b = strconv.AppendInt(b, int64(sub.period/(10*time.Millisecond)), 10)
			b = append(b, "</period>"...)
			if sub.hasAnchor {
				b = append(b, "<anchor-time>"+sub.anchor.UTC().Format(time.RFC3339Nano)+"</anchor-time>"...)
			}
			b = append(b, "</periodic>"...)
		} else {
			b = append(b, `<on-change xmlns="`+nsYP+`"><dampening-period>`...)
			b = strconv.AppendInt(b, int64(sub.dampening/(10*time.Millisecond)), 10)
			b = append(b, "</dampening-period><sync-on-start>"+strconv.FormatBool(sub.syncOnStart)+"</sync-on-start>"...)
			for _, ch := range sortedKeys(sub.excluded) {
				b = append(b, "<excluded-change>"+ch+"</excluded-change>"...)
			}
			b = append(b, "</on-change>"...)
		}
	}
	return b
}

// xpathDeclAttrs returns the namespace declarations of the module names expr uses as
// prefixes (the form filters are kept in), as attributes for the element holding it.
func xpathDeclAttrs(expr string, sch *schema.Schema) string {
	var b strings.Builder
	seen := map[string]bool{}
	xpath.RewritePrefixes(expr, func(p string) string {
		if m := sch.Module(p); m != nil && !seen[p] {
			seen[p] = true
			b.WriteString(` xmlns:` + p + `="`)
			b.Write(netconf.AppendEscaped(nil, m.Namespace, true))
			b.WriteString(`"`)
		}
		return ""
	})
	return b.String()
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// publishDynamic queues ev on every stream subscription that selects it, the filter applied to
// what the subscriber may read. The caller holds srv.nmu.
func (srv *Server) publishDynamic(ev *notif) {
	for _, sub := range srv.dsubs {
		if sub.stream == "" {
			continue
		}
		if !sub.stop.IsZero() && ev.time.After(sub.stop) {
			continue
		}
		msg, ok := srv.deliverTo(sub, ev)
		if !ok {
			sub.excludedRecords.Add(1)
			continue
		}
		srv.enqueue(sub, outItem{msg: msg, counted: true})
	}
}

// snStreamsState serves /ietf-subscribed-notifications:streams: the NETCONF stream.
func (srv *Server) snStreamsState(ctx context.Context, req *datastore.StateRequest) error {
	b := &builder{sch: srv.Store.Schema()}
	top := b.top(req.Root, nsSN, "streams")
	st := b.entry(top, "stream", streamNETCONF)
	b.leaf(st, "description", "The default event stream: every notification the server sends.")
	if srv.replayLogSize() > 0 {
		b.leaf(st, "replay-support", "")
		b.leaf(st, "replay-log-creation-time", srv.started.UTC().Format(time.RFC3339Nano))
		srv.nmu.Lock()
		aged := srv.replayAged
		srv.nmu.Unlock()
		if !aged.IsZero() {
			b.leaf(st, "replay-log-aged-time", aged.UTC().Format(time.RFC3339Nano))
		}
	}
	return b.err
}

// subscriptionsState serves /ietf-subscribed-notifications:subscriptions: every dynamic
// subscription with its terms and its one receiver (the session).
func (srv *Server) subscriptionsState(ctx context.Context, req *datastore.StateRequest) error {
	b := &builder{sch: srv.Store.Schema()}
	top := b.top(req.Root, nsSN, "subscriptions")
	srv.nmu.Lock()
	subs := make([]*dynSub, 0, len(srv.dsubs))
	for _, sub := range srv.dsubs {
		subs = append(subs, sub)
	}
	type terms struct {
		filterXML   string
		filterXPath string
		ref         string
		stop        time.Time
		period      time.Duration
		dampening   time.Duration
		anchor      time.Time
		hasAnchor   bool
		suspended   bool
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].id < subs[j].id })
	ts := make([]terms, len(subs))
	for i, sub := range subs {
		ts[i] = terms{sub.filterXML, sub.filterXPath, sub.ref.name, sub.stop, sub.period, sub.dampening, sub.anchor, sub.hasAnchor, sub.suspended}
	}
	srv.nmu.Unlock()
	for i, sub := range subs {
		t := ts[i]
		e := b.entry(top, "subscription", strconv.FormatUint(uint64(sub.id), 10))
		if sub.stream != "" {
			b.leaf(e, "stream", sub.stream)
			if !sub.replayStart.IsZero() {
				b.leaf(e, "replay-start-time", sub.replayStart.UTC().Format(time.RFC3339Nano))
			}
			if t.ref != "" {
				b.leaf(e, "stream-filter-name", t.ref)
			} else if t.filterXPath != "" {
				b.leaf(e, "stream-xpath-filter", t.filterXPath)
			} else if t.filterXML != "" {
				if sn := b.schemaOf(e, "stream-subtree-filter"); sn != nil {
					e.Insert(&data.Node{Schema: sn, Value: data.Value{Str: t.filterXML}})
				}
			}
		} else {
			b.leafIn(e, nsYP, "datastore", "ietf-datastores:"+string(sub.ds))
			if t.ref != "" {
				b.leafIn(e, nsYP, "selection-filter-ref", t.ref)
			} else if t.filterXPath != "" {
				b.leafIn(e, nsYP, "datastore-xpath-filter", t.filterXPath)
			} else if t.filterXML != "" {
				if sn := b.childIn(e, nsYP, "datastore-subtree-filter"); sn != nil {
					e.Insert(&data.Node{Schema: sn, Value: data.Value{Str: t.filterXML}})
				}
			}
			if t.period > 0 {
				pe := b.entryIn(e, nsYP, "periodic")
				b.leaf(pe, "period", strconv.FormatInt(int64(t.period/(10*time.Millisecond)), 10))
				if t.hasAnchor {
					b.leaf(pe, "anchor-time", t.anchor.UTC().Format(time.RFC3339Nano))
				}
			} else {
				oc := b.entryIn(e, nsYP, "on-change")
				b.leaf(oc, "dampening-period", strconv.FormatInt(int64(t.dampening/(10*time.Millisecond)), 10))
				b.leaf(oc, "sync-on-start", strconv.FormatBool(sub.syncOnStart))
				for _, ch := range sortedKeys(sub.excluded) {
					b.leaf(oc, "excluded-change", ch)
				}
			}
		}
		if !t.stop.IsZero() {
			b.leaf(e, "stop-time", t.stop.UTC().Format(time.RFC3339Nano))
		}
		b.leaf(e, "encoding", "ietf-subscribed-notifications:"+sub.encoding)
		rs := b.entry(e, "receivers")
		r := b.entry(rs, "receiver", "session-"+strconv.FormatUint(uint64(sub.s.id), 10))
		b.leaf(r, "sent-event-records", strconv.FormatUint(sub.sent.Load(), 10))
		b.leaf(r, "excluded-event-records", strconv.FormatUint(sub.excludedRecords.Load(), 10))
		state := "active"
		if t.suspended {
			state = "suspended"
		}
		b.leaf(r, "state", state)
	}
	return b.err
}

// leafIn is leaf for a child of another module than parent's (an augmentation).
func (b *builder) leafIn(parent *data.Node, ns, name, value string) {
	if sn := b.childIn(parent, ns, name); sn != nil {
		b.leafNode(parent, sn, value)
	}
}

// entryIn is entry (without keys) for a child of another module than parent's.
func (b *builder) entryIn(parent *data.Node, ns, name string) *data.Node {
	sn := b.childIn(parent, ns, name)
	if sn == nil {
		return data.New(nil)
	}
	n := data.New(sn)
	if d := parent.Insert(n); d != nil {
		return d
	}
	return n
}

func (b *builder) childIn(parent *data.Node, ns, name string) *schema.Node {
	m := b.sch.ModuleByNamespace(ns)
	var sn *schema.Node
	if m != nil && parent.Schema != nil {
		sn = parent.Schema.Child(m, name)
	}
	if sn == nil && b.err == nil {
		b.err = fmt.Errorf("server: no node %s:%s under %s", ns, name, parent.Schema.Name)
	}
	return sn
}
