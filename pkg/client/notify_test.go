package client_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/client"
)

func TestCreateSubscriptionOp(t *testing.T) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 5e8, time.UTC)
	for _, tc := range []struct {
		name string
		opts client.SubscribeOptions
		want string
	}{
		{"default", client.SubscribeOptions{}, `<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"></create-subscription>`},
		{"all", client.SubscribeOptions{Stream: "NETCONF", Filter: client.Filter{Subtree: []byte(`<a xmlns="urn:a"/>`), WithDefaults: "trim"},
			StartTime: at, StopTime: at.Add(time.Hour)},
			`<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><stream>NETCONF</stream>` +
				`<filter type="subtree"><a xmlns="urn:a"/></filter><startTime>2026-11-24T10:00:00.5Z</startTime>` +
				`<stopTime>2026-11-24T11:00:00.5Z</stopTime></create-subscription>`},
		{"xpath", client.SubscribeOptions{Filter: client.Filter{XPath: "/a:x", Namespaces: map[string]string{"a": "urn:a"}}},
			`<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><filter type="xpath" select="/a:x" xmlns:a="urn:a"/></create-subscription>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := client.CreateSubscriptionOp(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := client.CreateSubscriptionOp(client.SubscribeOptions{Filter: client.Filter{Subtree: []byte("<a/>"), XPath: "/a"}}); err == nil {
		t.Errorf("a filter both subtree and XPath was accepted")
	}
}

func TestGetSchemaOp(t *testing.T) {
	got := string(client.GetSchemaOp("m<1>", "2020-01-01"))
	want := `<get-schema xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><identifier>m&lt;1&gt;</identifier><version>2020-01-01</version><format>yang</format></get-schema>`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
