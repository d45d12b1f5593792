package client_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/client"
)

// TestEstablishSubscription: EstablishSubscription (a stream subscription and an on-change
// YANG-Push one on one session) returns the ids the notifications carry; DeleteSubscription
// and KillSubscription end them, the kill announced by subscription-terminated.
func TestEstablishSubscription(t *testing.T) {
	url, _ := serve(t, nil, nil)
	ctx := context.Background()
	notes := make(chan string, 16)
	a, err := client.Dial(ctx, url, &client.Options{Username: "alice", Password: "secret",
		OnNotification: func(_ time.Time, body []byte) { notes <- string(body) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b := dial(t, url, "bob")
	stream, err := a.EstablishSubscription(ctx, client.EstablishOptions{Stream: "NETCONF",
		Filter: client.Filter{XPath: "/n:netconf-config-change", Namespaces: map[string]string{"n": "urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"}}})
	if err != nil {
		t.Fatal(err)
	}
	push, err := a.EstablishSubscription(ctx, client.EstablishOptions{Datastore: client.Running, OnChange: true, NoSyncOnStart: true,
		Filter: client.Filter{Subtree: []byte(`<top xmlns="urn:ncws:test:nctest"><item/></top>`)}})
	if err != nil {
		t.Fatal(err)
	}
	if stream == push {
		t.Fatalf("two subscriptions with id %d", stream)
	}
	if err := b.EditConfig(ctx, client.Running, []byte(`<top xmlns="urn:ncws:test:nctest"><item><id>3</id></item></top>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	next := func() string {
		t.Helper()
		select {
		case n := <-notes:
			return n
		case <-time.After(10 * time.Second):
			t.Fatal("no notification")
			return ""
		}
	}
	got := []string{next(), next()}
	var change, event bool
	for _, n := range got {
		change = change || strings.HasPrefix(n, `<push-change-update xmlns="`+client.YANGPushNamespace+`"><id>`+strconv.Itoa(int(push))+`</id>`) &&
			strings.Contains(n, "<target>/nctest:top</target>") && strings.Contains(n, "<item><id>3</id></item>")
		event = event || strings.HasPrefix(n, "<netconf-config-change")
	}
	if !change || !event {
		t.Errorf("want a push-change-update of item 3 and a netconf-config-change, got %q", got)
	}
	if err := a.DeleteSubscription(ctx, stream); err != nil {
		t.Fatal(err)
	}
	if err := b.DeleteSubscription(ctx, push); err == nil {
		t.Error("another session deleted the subscription")
	}
	if err := b.KillSubscription(ctx, push); err != nil {
		t.Fatal(err)
	}
	if n := next(); !strings.HasPrefix(n, "<subscription-terminated") || !strings.Contains(n, "<id>"+strconv.Itoa(int(push))+"</id>") {
		t.Errorf("after kill: %s", n)
	}
	if _, err := a.EstablishSubscription(ctx, client.EstablishOptions{}); err == nil {
		t.Error("establish without a stream or datastore was sent")
	}
}
