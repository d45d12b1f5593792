package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/netconftest"
)

// rawSession opens a session with a new conformance server over an in-memory pipe and returns
// a function that sends one message and returns the reply.
func rawSession(tb testing.TB) func(msg string) string {
	srv := netconftest.NewServer(tb)
	srv.Logger = slog.New(slog.DiscardHandler)
	l := netconftest.NewListener()
	go srv.Serve(l)
	ctx := context.Background()
	c, err := l.Dial(ctx, "alice")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := c.Recv(ctx); err != nil {
		tb.Fatal(err)
	}
	c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
	return func(msg string) string {
		if err := c.Send(ctx, []byte(msg)); err != nil {
			tb.Fatal(err)
		}
		reply, err := c.Recv(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		return string(reply)
	}
}

// manyAttrs returns an <rpc> (a get-config of running) whose start tag carries n attributes
// besides message-id and xmlns: plain (a0="x"), prefixed (p:a0="x", p bound once), or
// namespace declarations (xmlns:p0="urn:x:0").
func manyAttrs(n int, kind string) string {
	var b strings.Builder
	b.WriteString(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"`)
	if kind == "prefixed" {
		b.WriteString(` xmlns:p="urn:x"`)
	}
	for i := range n {
		switch kind {
		case "plain":
			fmt.Fprintf(&b, ` a%d="x"`, i)
		case "prefixed":
			fmt.Fprintf(&b, ` p:a%d="x"`, i)
		case "xmlns":
			fmt.Fprintf(&b, ` xmlns:p%d="urn:x:%d"`, i, i)
		}
	}
	b.WriteString(`><get-config><source><running/></source></get-config></rpc>`)
	return b.String()
}

// BenchmarkManyAttributes: an rpc with 20,000 and 200,000 attributes is answered in time
// linear in its size (ns/op grows 10x, not 100x).
func BenchmarkManyAttributes(b *testing.B) {
	for _, kind := range []string{"plain", "prefixed", "xmlns"} {
		for _, n := range []int{20000, 60000, 200000} {
			b.Run(fmt.Sprintf("%s/%d", kind, n), func(b *testing.B) {
				call := rawSession(b)
				msg := manyAttrs(n, kind)
				b.SetBytes(int64(len(msg)))
				for b.Loop() {
					if reply := call(msg); !strings.Contains(reply, "<data") {
						b.Fatalf("reply: %.300s", reply)
					}
				}
			})
		}
	}
}

// TestManyAttributes: an <rpc> with 200,000 attributes (2.8 MB) is answered, and the reply
// carries them back (RFC 6241 section 4.2). The time it takes is linear in the message's size
// (BenchmarkManyAttributes).
func TestManyAttributes(t *testing.T) {
	call := rawSession(t)
	for _, kind := range []string{"plain"} {
		msg := manyAttrs(200000, kind)
		reply := call(msg)
		last := `a199999="x"`
		if !strings.Contains(reply, "<data") || !strings.Contains(reply, last) {
			t.Errorf("%s: reply to %d bytes: %.300s", kind, len(msg), reply)
		}
	}
	// A duplicate far down the list is still found.
	msg := strings.Replace(manyAttrs(200000, "plain"), `a199999="x"`, `a17="x"`, 1)
	if reply := call(msg); !strings.Contains(reply, "malformed-message") || !strings.Contains(reply, "duplicate attribute a17") {
		t.Errorf("duplicate attribute: %.500s", reply)
	}
}
