package client

import (
	"context"
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/ncws/ncws/pkg/netconf"
)

// Namespaces of RFC 8639's ietf-subscribed-notifications and RFC 8641's ietf-yang-push.
const (
	SubscribedNotificationsNamespace = "urn:ietf:params:xml:ns:yang:ietf-subscribed-notifications"
	YANGPushNamespace                = "urn:ietf:params:xml:ns:yang:ietf-yang-push"
	datastoresNamespace              = "urn:ietf:params:xml:ns:yang:ietf-datastores"
)

// Operational names the operational state datastore (RFC 8342), a YANG-Push target.
const Operational Datastore = "operational"

// EstablishOptions are the parameters of <establish-subscription> (RFC 8639 section 2.4.2,
// RFC 8641 section 4.4.1): a subscription to an event stream (Stream set) or, with YANG-Push, to
// a datastore (Datastore set, with Period or OnChange). Zero values are not sent.
type EstablishOptions struct {
	// Stream is the event stream, NETCONF for the server's events.
	Stream string
	// Datastore is the datastore of a YANG-Push subscription (Running, Operational).
	Datastore Datastore
	// Filter selects the events (a stream filter) or the datastore's nodes (a selection
	// filter), subtree or XPath; its WithDefaults is not used.
	Filter Filter
	// ReplayStart asks a stream subscription for the logged events from then on (replay-completed
	// follows them); StopTime ends the subscription.
	ReplayStart, StopTime time.Time
	// Period makes a periodic YANG-Push subscription (push-update every Period, in units of
	// 10 ms), aligned on AnchorTime when set.
	Period     time.Duration
	AnchorTime time.Time
	// OnChange makes an on-change YANG-Push subscription (push-change-update per change),
	// with Dampening between updates; NoSyncOnStart leaves out the first push-update;
	// ExcludedChanges lists change types (create, delete, insert, move, replace) not sent.
	OnChange        bool
	Dampening       time.Duration
	NoSyncOnStart   bool
	ExcludedChanges []string
}

// EstablishSubscriptionOp returns an <establish-subscription> with opts.
func EstablishSubscriptionOp(opts EstablishOptions) ([]byte, error) {
	if (opts.Stream == "") == (opts.Datastore == "") {
		return nil, fmt.Errorf("client: establish-subscription needs a Stream or a Datastore")
	}
	b := []byte(`<establish-subscription xmlns="` + SubscribedNotificationsNamespace + `" xmlns:yp="` + YANGPushNamespace +
		`" xmlns:ds="` + datastoresNamespace + `">`)
	f := opts.Filter
	if f.Subtree != nil && f.XPath != "" {
		return nil, fmt.Errorf("client: a filter is subtree or XPath, not both")
	}
	filterElem := func(b []byte, kind string) []byte {
		switch {
		case f.Subtree != nil:
			name := kind + "-subtree-filter"
			b = append(b, "<"+name+">"...)
			b = append(b, f.Subtree...)
			return append(b, "</"+name+">"...)
		case f.XPath != "":
			name := kind + "-xpath-filter"
			b = append(b, "<"+name...)
			prefixes := make([]string, 0, len(f.Namespaces))
			for p := range f.Namespaces {
				prefixes = append(prefixes, p)
			}
			sort.Strings(prefixes)
			for _, p := range prefixes {
				b = append(b, ` xmlns:`+p+`="`...)
				b = netconf.AppendEscaped(b, f.Namespaces[p], true)
				b = append(b, '"')
			}
			b = append(b, '>')
			b = netconf.AppendEscaped(b, f.XPath, false)
			return append(b, "</"+name+">"...)
		}
		return b
	}
	if opts.Stream != "" {
		b = elem(b, "stream", opts.Stream)
		b = filterElem(b, "stream")
		if !opts.ReplayStart.IsZero() {
			b = elem(b, "replay-start-time", opts.ReplayStart.Format(time.RFC3339Nano))
		}
	} else {
		b = append(b, "<yp:datastore>ds:"+string(opts.Datastore)+"</yp:datastore>"...)
		b = filterElem(b, "yp:datastore")
	}
	if !opts.StopTime.IsZero() {
		b = elem(b, "stop-time", opts.StopTime.Format(time.RFC3339Nano))
	}
	cs := func(d time.Duration) string { return strconv.FormatInt(int64(d/(10*time.Millisecond)), 10) }
	switch {
	case opts.Period > 0:
		b = append(b, "<yp:periodic><yp:period>"+cs(opts.Period)+"</yp:period>"...)
		if !opts.AnchorTime.IsZero() {
			b = append(b, "<yp:anchor-time>"+opts.AnchorTime.Format(time.RFC3339Nano)+"</yp:anchor-time>"...)
		}
		b = append(b, "</yp:periodic>"...)
	case opts.OnChange:
		b = append(b, "<yp:on-change>"...)
		if opts.Dampening > 0 {
			b = append(b, "<yp:dampening-period>"+cs(opts.Dampening)+"</yp:dampening-period>"...)
		}
		if opts.NoSyncOnStart {
			b = append(b, "<yp:sync-on-start>false</yp:sync-on-start>"...)
		}
		for _, c := range opts.ExcludedChanges {
			b = append(b, "<yp:excluded-change>"...)
			b = netconf.AppendEscaped(b, c, false)
			b = append(b, "</yp:excluded-change>"...)
		}
		b = append(b, "</yp:on-change>"...)
	}
	return append(b, "</establish-subscription>"...), nil
}

// EstablishSubscription creates a dynamic subscription (RFC 8639 over NETCONF, RFC 8640) and
// returns its id. Its notifications go to Options.OnNotification: the stream's events as they
// are, YANG-Push's push-update and push-change-update carrying the id, and the subscription
// state changes (subscription-modified, subscription-terminated, replay-completed). A session
// may hold any number beside a CreateSubscription.
func (s *Session) EstablishSubscription(ctx context.Context, opts EstablishOptions) (uint32, error) {
	op, err := EstablishSubscriptionOp(opts)
	if err != nil {
		return 0, err
	}
	r, err := s.Call(ctx, op)
	if err != nil {
		return 0, err
	}
	var out struct {
		ID uint32 `xml:"id"`
	}
	if err := xml.Unmarshal(append(append([]byte("<r>"), r.Body...), "</r>"...), &out); err != nil || out.ID == 0 {
		return 0, fmt.Errorf("client: establish-subscription reply without an id: %s", r.Msg)
	}
	return out.ID, nil
}

// DeleteSubscription ends a dynamic subscription of this session (RFC 8639 section 2.4.4).
func (s *Session) DeleteSubscription(ctx context.Context, id uint32) error {
	return s.ok(ctx, subscriptionIDOp("delete-subscription", id))
}

// KillSubscription ends any session's dynamic subscription (RFC 8639 section 2.4.5); its
// receiver gets subscription-terminated.
func (s *Session) KillSubscription(ctx context.Context, id uint32) error {
	return s.ok(ctx, subscriptionIDOp("kill-subscription", id))
}

func subscriptionIDOp(name string, id uint32) []byte {
	b := []byte(`<` + name + ` xmlns="` + SubscribedNotificationsNamespace + `">`)
	b = elem(b, "id", strconv.FormatUint(uint64(id), 10))
	return append(b, "</"+name+">"...)
}
