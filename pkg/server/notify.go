package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ncws/ncws/internal/filter"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// Namespaces of the notification modules (RFC 5277, RFC 6470).
const (
	nsNotifications   = "urn:ietf:params:xml:ns:netconf:notification:1.0"
	nsNcNotifications = "urn:ietf:params:xml:ns:netmod:notification"
	nsNetconfNotifs   = "urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"
)

// Defaults of the notification settings.
const (
	// DefaultReplayLogSize is how many events the replay log keeps when
	// Server.ReplayLogSize is 0.
	DefaultReplayLogSize = 1000
	// DefaultNotificationQueue is the per-session queue length when
	// Server.NotificationQueue is 0.
	DefaultNotificationQueue = 1024
	// DefaultPushCoalesce is Server.PushCoalesce when it is 0.
	DefaultPushCoalesce = 20 * time.Millisecond
)

// streamNETCONF is the one event stream the server offers (RFC 5277 section 3.2.3).
const streamNETCONF = "NETCONF"

// ErrNotNotification is wrapped by Notify's error when the event is not a notification of the
// store's schema.
var ErrNotNotification = errors.New("server: not a notification")

// notif is one notification as the replay log keeps it.
type notif struct {
	time time.Time
	// root is a document root holding the event's top-level node, read-only.
	root *data.Node
	// msg is the encoded <notification>.
	msg []byte
}

// subscription is a session's create-subscription (RFC 5277 section 2.1.1).
type subscription struct {
	s      *session
	filter *filter.Filter
	stop   time.Time
	// replay holds the replayed notifications (and replayComplete), sent before the queue.
	replay [][]byte
	queue  chan []byte
}

// createSubscriptionRPC returns create-subscription's schema node, nil when the schema lacks
// module notifications (RFC 5277).
func (srv *Server) createSubscriptionRPC() *schema.Node {
	sch := srv.Store.Schema()
	m := sch.ModuleByNamespace(nsNotifications)
	if m == nil {
		return nil
	}
	return sch.RPC(m, "create-subscription")
}

// replayLogSize is the replay log's capacity, 0 when replay is off.
func (srv *Server) replayLogSize() int {
	switch {
	case srv.ReplayLogSize == 0:
		return DefaultReplayLogSize
	case srv.ReplayLogSize < 0:
		return 0
	}
	return srv.ReplayLogSize
}

// Notify sends a notification to every session whose subscription selects it (RFC 5277) and
// keeps it in the replay log. event is the notification's top-level node: for a top-level
// notification a node of the notification schema node holding its content; for a
// notification defined in data (RFC 7950 section 7.16.2) the top-level data node holding the
// path down to it (containers, list entries with their keys) with the notification node as a
// child of its parent instance. Notify copies event; the caller keeps it.
//
// Notify never waits for a session: each subscribed session has a bounded queue
// (NotificationQueue), and a session whose queue is full is ended (its connection closes with
// the reason "notification queue overflow"), since a subscriber that silently missed events
// could not tell. The events of one Notify caller reach each session in call order. ctx is
// not used for waiting; it is there for future transports.
func (srv *Server) Notify(ctx context.Context, event *data.Node, eventTime time.Time) error {
	srv.init()
	if event == nil || event.Schema == nil {
		return fmt.Errorf("%w: no event", ErrNotNotification)
	}
	if _, err := notificationOf(event); err != nil {
		return err
	}
	if event.Schema.DataParent() != nil {
		return fmt.Errorf("%w: %s is not a top-level node", ErrNotNotification, event.Schema.Path())
	}
	ev := event.Clone()
	root := data.NewRoot()
	root.Insert(ev)
	body, err := yangxml.Append(nil, ev, yangxml.EncodeOptions{Schema: srv.Store.Schema()})
	if err != nil {
		return fmt.Errorf("server: encoding the notification: %w", err)
	}
	srv.publish(&notif{time: eventTime, root: root, msg: netconf.AppendNotification(nil, eventTime, body)})
	return nil
}

// notificationOf returns the notification node inside the event tree n: n itself or the one
// notification node below it.
func notificationOf(n *data.Node) (*data.Node, error) {
	var found []*data.Node
	n.Walk(func(c *data.Node) bool {
		if c.Schema.Kind == schema.KindNotification {
			found = append(found, c)
			return false
		}
		return true
	})
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w: %s holds no notification node", ErrNotNotification, n.Schema.Path())
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("%w: %s holds %d notification nodes", ErrNotNotification, n.Schema.Path(), len(found))
}

// publish logs ev for replay and queues it on every subscription that selects it.
func (srv *Server) publish(ev *notif) {
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	if size := srv.replayLogSize(); size > 0 {
		if len(srv.replayLog) >= size {
			drop := len(srv.replayLog) - size + 1
			srv.replayAged = srv.replayLog[drop-1].time
			srv.replayLog = append(srv.replayLog[:0], srv.replayLog[drop:]...)
		}
		srv.replayLog = append(srv.replayLog, ev)
	}
	srv.publishDynamic(ev)
	for s := range srv.subs {
		sub := s.sub
		if !sub.stop.IsZero() && ev.time.After(sub.stop) {
			continue
		}
		msg, ok := srv.deliverFiltered(s, sub.filter, ev)
		if !ok {
			continue
		}
		select {
		case sub.queue <- msg:
		default:
			srv.Logger.Warn("server: notification queue full, ending the session", "session", s.id, "user", s.info.User)
			srv.overflows.Add(1)
			delete(srv.subs, s)
			s.sub = nil
			go s.close(netconf.CloseReason{Code: netconf.CloseInternal, Text: "notification queue overflow"})
		}
	}
}

// deliverFiltered returns ev as session s's user may receive it (RFC 8341 section 3.4.6), when
// the filter f (nil: none) selects it: false when the event type is withheld or the filter
// selects nothing of what the user may read; the message re-encoded without the nodes the user
// may not read (and, in a netconf-config-change, without the edits of nodes it may not read),
// or the shared message when nothing is hidden. The filter applies to the trimmed event, so
// that a content match cannot reveal a hidden value.
func (srv *Server) deliverFiltered(s *session, f *filter.Filter, ev *notif) ([]byte, bool) {
	root, ok := srv.selectEvent(s, f, ev)
	if !ok {
		return nil, false
	}
	if root == ev.root {
		return ev.msg, true
	}
	body, err := yangxml.Append(nil, root.Children()[0], yangxml.EncodeOptions{Schema: srv.Store.Schema()})
	if err != nil {
		srv.Logger.Error("server: encoding a trimmed notification", "err", err)
		return nil, false
	}
	return netconf.AppendNotification(nil, ev.time, body), true
}

// selectEvent is deliverFiltered's choice: the event's tree as s's user may receive it
// (ev.root itself when nothing is hidden, else a trimmed copy), false when it is not sent.
func (srv *Server) selectEvent(s *session, f *filter.Filter, ev *notif) (*data.Node, bool) {
	acc := s.access()
	selects := func(root *data.Node) bool {
		return f == nil || f.Matches(root)
	}
	if acc == nil {
		return ev.root, selects(ev.root)
	}
	// An event the filter does not select whole is not selected trimmed either (trimming only
	// removes nodes; a filter that selects by absence errs on the side of not sending), and it
	// is not one that access control withheld (RFC 8341's denied-notifications).
	if !selects(ev.root) {
		return nil, false
	}
	top := ev.root.Children()[0]
	n, err := notificationOf(top)
	if err != nil || !acc.Notification(n) {
		return nil, false
	}
	if acc.ReadsAll() {
		return ev.root, true
	}
	hide := func(d *data.Node) bool {
		if acc.Hidden(d) {
			return true
		}
		if d.Schema.Name == "edit" && d.Parent != nil && d.Parent.Schema.Name == "netconf-config-change" &&
			d.Schema.Module.Namespace == nsNetconfNotifs {
			if t := d.ChildByName("target"); t != nil && !acc.ReadablePath(t.Value.Str) {
				return true
			}
		}
		return false
	}
	hidden := false
	top.Walk(func(d *data.Node) bool {
		if hide(d) {
			hidden = true
		}
		return !hidden
	})
	if !hidden {
		return ev.root, selects(ev.root)
	}
	trimmed := ev.root.Clone()
	pruneWith(trimmed, hide)
	if len(trimmed.Children()) == 0 || !selects(trimmed) {
		return nil, false
	}
	return trimmed, true
}

// pruneWith removes from n's subtree the nodes hide reports, asked top-down.
func pruneWith(n *data.Node, hide func(*data.Node) bool) {
	for _, c := range append([]*data.Node(nil), n.Children()...) {
		if hide(c) {
			n.Remove(c)
			continue
		}
		pruneWith(c, hide)
	}
}

// unsubscribe ends the session's subscription, if any.
func (srv *Server) unsubscribe(s *session) {
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	if s.sub != nil {
		delete(srv.subs, s)
		s.sub = nil
	}
}

// timeParam parses a date-and-time parameter.
func timeParam(in *data.Node, name string) (time.Time, bool, *rpcerror.Error) {
	p := param(in, name)
	if p == nil {
		return time.Time{}, false, nil
	}
	t, err := time.Parse(time.RFC3339Nano, p.Value.Str)
	if err != nil {
		return time.Time{}, false, rpcerror.InvalidValue(p.Path(), "%s %q is not a date-and-time", name, p.Value.Str)
	}
	return t, true, nil
}

// opCreateSubscription is create-subscription (RFC 5277 section 2.1.1).
func (srv *Server) opCreateSubscription(ctx context.Context, req *Request) (*data.Node, error) {
	c := callOf(ctx)
	if p := param(req.Input, "stream"); p != nil && p.Value.Str != streamNETCONF {
		return nil, rpcerror.InvalidValue(p.Path(), "no event stream %q (the server offers %s)", p.Value.Str, streamNETCONF)
	}
	start, hasStart, rerr := timeParam(req.Input, "startTime")
	if rerr != nil {
		return nil, rerr
	}
	stop, hasStop, rerr := timeParam(req.Input, "stopTime")
	if rerr != nil {
		return nil, rerr
	}
	now := time.Now()
	switch {
	case hasStop && !hasStart:
		return nil, rpcerror.MissingElement(rpcerror.Protocol, "startTime", "", "stopTime requires startTime")
	case hasStart && start.After(now):
		return nil, rpcerror.BadElement(rpcerror.Protocol, "startTime", "", "startTime is in the future")
	case hasStop && stop.Before(start):
		return nil, rpcerror.BadElement(rpcerror.Protocol, "stopTime", "", "stopTime is earlier than startTime")
	case hasStart && srv.replayLogSize() == 0:
		e := rpcerror.OperationNotSupported("replay is not supported")
		e.Type = rpcerror.Protocol
		return nil, e
	}
	f, rerr := srv.selector(ctx, req.Input)
	if rerr != nil {
		return nil, rerr
	}
	sub := &subscription{s: c.s, filter: f, queue: make(chan []byte, srv.queueSize())}
	if hasStop {
		sub.stop = stop
	}
	srv.nmu.Lock()
	defer srv.nmu.Unlock()
	if c.s.sub != nil {
		return nil, rpcerror.New(rpcerror.Protocol, rpcerror.TagOperationFailed,
			"this session already has a subscription; a session has at most one")
	}
	if hasStart {
		for _, ev := range srv.replayLog {
			if ev.time.Before(start) || (hasStop && ev.time.After(stop)) {
				continue
			}
			if msg, ok := srv.deliverFiltered(c.s, sub.filter, ev); ok {
				sub.replay = append(sub.replay, msg)
			}
		}
		sub.replay = append(sub.replay, srv.ownEvent(nsNcNotifications, "replayComplete", time.Now()))
	}
	c.s.sub = sub
	if srv.subs == nil {
		srv.subs = map[*session]struct{}{}
	}
	srv.subs[c.s] = struct{}{}
	c.after = func() { go sub.run(c.s) }
	return nil, nil
}

// pushCoalesce is the least time between two wake-ups of the on-change writers.
func (srv *Server) pushCoalesce() time.Duration {
	switch {
	case srv.PushCoalesce == 0:
		return DefaultPushCoalesce
	case srv.PushCoalesce < 0:
		return 0
	}
	return srv.PushCoalesce
}

func (srv *Server) queueSize() int {
	if srv.NotificationQueue > 0 {
		return srv.NotificationQueue
	}
	return DefaultNotificationQueue
}

// ownEvent encodes a content-less notification of the server's own modules.
func (srv *Server) ownEvent(ns, name string, t time.Time) []byte {
	return netconf.AppendNotification(nil, t, []byte("<"+name+` xmlns="`+ns+`"/>`))
}

// run sends the subscription's notifications on its session until the session ends or the
// stopTime passes (then notificationComplete ends the subscription).
func (sub *subscription) run(s *session) {
	ctx := s.ctx
	send := func(msg []byte) bool {
		if err := s.write(ctx, msg); err != nil {
			s.close(netconf.CloseReason{Code: netconf.CloseInternal, Text: "write failed"})
			return false
		}
		s.outNotifications.Add(1)
		s.srv.stats.outNotifications.Add(1)
		return true
	}
	for _, m := range sub.replay {
		if !send(m) {
			return
		}
	}
	sub.replay = nil
	var stopC <-chan time.Time
	if !sub.stop.IsZero() {
		t := time.NewTimer(time.Until(sub.stop))
		defer t.Stop()
		stopC = t.C
	}
	for {
		select {
		case m := <-sub.queue:
			if !send(m) {
				return
			}
		case <-stopC:
			s.srv.nmu.Lock()
			if s.sub == sub {
				delete(s.srv.subs, s)
				s.sub = nil
			}
			s.srv.nmu.Unlock()
		drain:
			for {
				select {
				case m := <-sub.queue:
					if !send(m) {
						return
					}
				default:
					break drain
				}
			}
			send(s.srv.ownEvent(nsNcNotifications, "notificationComplete", time.Now()))
			return
		case <-ctx.Done():
			return
		}
	}
}

// streamsState serves /nc-notifications:netconf/streams: the NETCONF stream.
func (srv *Server) streamsState(ctx context.Context, req *datastore.StateRequest) error {
	b := &builder{sch: srv.Store.Schema()}
	top := b.top(req.Root, nsNcNotifications, "netconf")
	streams := b.entry(top, "streams")
	st := b.entry(streams, "stream", streamNETCONF)
	b.leaf(st, "description", "The default event stream: every notification the server sends.")
	replay := srv.replayLogSize() > 0
	b.leaf(st, "replaySupport", strconv.FormatBool(replay))
	if replay {
		b.leaf(st, "replayLogCreationTime", timeString(srv.started))
	}
	return b.err
}
