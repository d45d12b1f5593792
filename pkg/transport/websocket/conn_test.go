package websocket_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// TestWriteContext: the connection watches a write's context for the next write too (a
// server session writes every notification with its own context), so the end of a context
// whose write is done must close nothing, whatever the next write's context; a write whose
// context has ended closes the connection ("write abandoned", 1011), as a write abandoned
// midway does.
func TestWriteContext(t *testing.T) {
	l := websocket.NewListener(websocket.Options{Authenticate: basicUser})
	ts := httptest.NewServer(l)
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	accepted := make(chan netconf.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			accepted <- c
		}
	}()
	c, _, err := dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http"), "u")
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	sc := <-accepted
	read := func(want string) {
		t.Helper()
		_, msg, err := c.Read(ctx)
		if err != nil || string(msg) != want {
			t.Fatalf("read %q, %v; want %q", msg, err, want)
		}
	}

	first, endFirst := context.WithCancel(ctx)
	if err := sc.WriteMessage(first, []byte("<one/>")); err != nil {
		t.Fatal(err)
	}
	read("<one/>")
	endFirst()
	for i, wctx := range []context.Context{context.Background(), ctx} {
		msg := []byte("<m" + string(rune('0'+i)) + "/>")
		if err := sc.WriteMessage(wctx, msg); err != nil {
			t.Fatalf("write %d after the first write's context ended: %v", i, err)
		}
		read(string(msg))
	}
	if err := sc.(netconf.BatchConn).WriteMessages(ctx, [][]byte{[]byte("<a/>"), []byte("<b/>")}); err != nil {
		t.Fatal(err)
	}
	read("<a/>")
	read("<b/>")

	if err := sc.WriteMessage(first, []byte("<late/>")); err == nil {
		t.Fatal("a write with an ended context succeeded")
	}
	if _, msg, err := c.Read(ctx); ws.CloseStatus(err) != ws.StatusInternalError {
		t.Fatalf("after a write with an ended context: %q, %v; want close 1011", msg, err)
	}
}
