package tls_test

import (
	"context"
	gotls "crypto/tls"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ncws/ncws/internal/testpki"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/transport/tls"
)

// TestStalledPeerFreesLocks: a TLS peer that stops reading with a big reply pending (its
// kernel still acknowledges TCP, so keepalive cannot tell) is ended by the write timeout and
// its lock freed.
func TestStalledPeerFreesLocks(t *testing.T) {
	p := testpki.New(t)
	a, err := auth.New(auth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := netconftest.NewServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l, err := tls.NewListener(ln, tls.Options{
		Config:   &gotls.Config{Certificates: []gotls.Certificate{p.Server}, ClientCAs: p.Pool},
		CertUser: a.CertUser, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		WriteTimeout: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	})
	cert := p.Client("alice")
	c, err := dial(ln.Addr().String(), p, &cert)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	call := func(body string) string {
		t.Helper()
		if err := c.Send(ctx, []byte(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+body+`</rpc>`)); err != nil {
			t.Fatal(err)
		}
		r, err := c.Recv(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return string(r)
	}
	if _, err := c.Recv(ctx); err != nil {
		t.Fatal(err)
	}
	c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
	// An 8 MiB leaf: two get-config replies are more than the socket buffers hold.
	if r := call(`<edit-config><target><running/></target><config><top xmlns="urn:ncws:test:nctest"><name>` +
		strings.Repeat("x", 8<<20) + `</name></top></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-config: %.300s", r)
	}
	if r := call("<lock><target><running/></target></lock>"); !strings.Contains(r, "<ok/>") {
		t.Fatalf("lock: %s", r)
	}
	get := []byte(`<rpc message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>`)
	c.Send(ctx, get)
	c.Send(ctx, get)
	// The client reads nothing from now on.
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, held := srv.Store.LockHolder(datastore.Running); !held {
			break
		}
		if time.Now().After(end) {
			t.Fatal("the stalled peer's lock is still held")
		}
	}
}
