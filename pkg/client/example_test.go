package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// startServer runs an in-memory NETCONF server for the conformance schema on loopback and
// returns its URL and a function that stops it.
func startServer() (string, func()) {
	sch, err := netconftest.Schema()
	if err != nil {
		log.Fatal(err)
	}
	st, err := datastore.Open(datastore.Options{Schema: sch})
	if err != nil {
		log.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	srv := &server.Server{Store: st, Logger: quiet}
	l := websocket.NewListener(websocket.Options{Logger: quiet, Authenticate: func(r *http.Request) (string, error) {
		if u, p, ok := r.BasicAuth(); ok && p == "secret" {
			return u, nil
		}
		return "", errors.New("bad credentials")
	}})
	mux := http.NewServeMux()
	mux.Handle("/netconf", l)
	ts := httptest.NewServer(mux)
	go srv.Serve(l)
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/netconf", func() {
		srv.Shutdown(context.Background())
		ts.Close()
		st.Close()
	}
}

func Example() {
	url, stop := startServer()
	defer stop()
	ctx := context.Background()

	s, err := client.Dial(ctx, url, &client.Options{Username: "admin", Password: "secret"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("session", s.ID(), "candidate:", s.HasCapability("urn:ietf:params:netconf:capability:candidate:1.0"))

	cfg := []byte(`<top xmlns="urn:ncws:test:nctest"><name>edge-1</name></top>`)
	if err := s.EditConfig(ctx, client.Candidate, cfg, client.EditOptions{}); err != nil {
		log.Fatal(err)
	}
	if err := s.Commit(ctx, client.CommitOptions{}); err != nil {
		log.Fatal(err)
	}
	data, err := s.GetConfig(ctx, client.Running, client.Filter{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", data)

	// An rpc-error comes back as an rpcerror.List.
	err = s.EditConfig(ctx, client.Running, []byte(`<top xmlns="urn:ncws:test:nctest"><mtu>10</mtu></top>`), client.EditOptions{})
	var errs rpcerror.List
	if errors.As(err, &errs) {
		fmt.Println(errs[0].Tag)
	}

	fmt.Println(s.CloseSession(ctx), s.Err())
	// Output:
	// session 1 candidate: true
	// <top xmlns="urn:ncws:test:nctest"><name>edge-1</name></top>
	// invalid-value
	// <nil> client: session closed (1000 close-session)
}
