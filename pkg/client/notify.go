package client

import (
	"context"
	"encoding/xml"
	"fmt"
	"time"

	"github.com/ncws/ncws/pkg/netconf"
)

// MonitoringNamespace is the namespace of ietf-netconf-monitoring (RFC 6022), get-schema's.
const MonitoringNamespace = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"

// SubscribeOptions are the parameters of <create-subscription> (RFC 5277 section 2.1.1).
// The zero value subscribes to every new event of the default stream.
type SubscribeOptions struct {
	// Stream names the event stream; empty means the default, NETCONF.
	Stream string
	// Filter selects the events, as for Get (subtree or XPath); its WithDefaults is not used.
	Filter Filter
	// StartTime, when set, asks for the replay of the stored events from then on (the server
	// sends replayComplete after them); StopTime, which needs StartTime, ends the
	// subscription (notificationComplete). Zero values are not sent.
	StartTime, StopTime time.Time
}

// CreateSubscriptionOp returns a <create-subscription> with opts.
func CreateSubscriptionOp(opts SubscribeOptions) ([]byte, error) {
	b := []byte(`<create-subscription xmlns="` + netconf.NotificationNamespace + `">`)
	if opts.Stream != "" {
		b = elem(b, "stream", opts.Stream)
	}
	f := opts.Filter
	f.WithDefaults = ""
	b, err := appendFilter(b, f)
	if err != nil {
		return nil, err
	}
	if !opts.StartTime.IsZero() {
		b = elem(b, "startTime", opts.StartTime.Format(time.RFC3339Nano))
	}
	if !opts.StopTime.IsZero() {
		b = elem(b, "stopTime", opts.StopTime.Format(time.RFC3339Nano))
	}
	return append(b, "</create-subscription>"...), nil
}

// CreateSubscription subscribes the session to event notifications (RFC 5277 section
// 2.1.1). They go to Options.OnNotification, replayComplete and notificationComplete
// included; with :interleave the session keeps answering other operations meanwhile. A
// session has at most one subscription, which lasts until its StopTime or the session's end.
func (s *Session) CreateSubscription(ctx context.Context, opts SubscribeOptions) error {
	op, err := CreateSubscriptionOp(opts)
	if err != nil {
		return err
	}
	return s.ok(ctx, op)
}

// GetSchemaOp returns a <get-schema> of identifier in the format yang, with version when not
// empty.
func GetSchemaOp(identifier, version string) []byte {
	b := []byte(`<get-schema xmlns="` + MonitoringNamespace + `">`)
	b = elem(b, "identifier", identifier)
	if version != "" {
		b = elem(b, "version", version)
	}
	b = elem(b, "format", "yang")
	return append(b, "</get-schema>"...)
}

// GetSchema retrieves the text of the YANG module identifier (RFC 6022 section 3.1), of
// revision version, or the only one the server has when version is empty.
func (s *Session) GetSchema(ctx context.Context, identifier, version string) (string, error) {
	r, err := s.Call(ctx, GetSchemaOp(identifier, version))
	if err != nil {
		return "", err
	}
	var out struct {
		XMLName xml.Name
		Text    string `xml:",chardata"`
	}
	if err := xml.Unmarshal(r.Body, &out); err != nil || out.XMLName.Space != MonitoringNamespace || out.XMLName.Local != "data" {
		return "", fmt.Errorf("client: get-schema reply without <data>: %s", r.Msg)
	}
	return out.Text, nil
}
