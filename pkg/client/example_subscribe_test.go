package client_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/ncws/ncws/pkg/client"
)

// ExampleSession_CreateSubscription receives the server's RFC 6470 netconf-config-change
// notification of an edit made by the same session (with :interleave, the session goes on
// answering rpcs while subscribed).
func ExampleSession_CreateSubscription() {
	url, stop := startServer()
	defer stop()
	ctx := context.Background()

	notes := make(chan string, 8)
	s, err := client.Dial(ctx, url, &client.Options{Username: "admin", Password: "secret",
		OnNotification: func(eventTime time.Time, body []byte) { notes <- string(body) }})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	filter := client.Filter{Subtree: []byte(`<netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"/>`)}
	if err := s.CreateSubscription(ctx, client.SubscribeOptions{Filter: filter}); err != nil {
		log.Fatal(err)
	}
	cfg := []byte(`<top xmlns="urn:ncws:test:nctest"><name>edge-1</name></top>`)
	if err := s.EditConfig(ctx, client.Running, cfg, client.EditOptions{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(<-notes)
	// Output:
	// <netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"><changed-by><username>admin</username><session-id>1</session-id><source-host>127.0.0.1</source-host></changed-by><datastore>running</datastore><edit><target xmlns:t="urn:ncws:test:nctest">/t:top</target><operation>create</operation></edit></netconf-config-change>
}
