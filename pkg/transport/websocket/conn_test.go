package websocket_test

import (
	"bytes"
	"context"
	"fmt"
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

// TestWriteMessagesFrames: the frames of a batch (written by the transport, not the library)
// reach a real client as the messages in order, whatever their sizes (7-bit, 16-bit and
// 64-bit lengths, over the batch buffer's bound), while the client pings and the library
// answers with pongs between them; once the conn closes, a batch is refused and the client
// gets the close frame, after the batches before it.
func TestWriteMessagesFrames(t *testing.T) {
	l := websocket.NewListener(websocket.Options{Authenticate: basicUser})
	ts := httptest.NewServer(l)
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
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
	bc := sc.(netconf.BatchConn)
	// The server reads meanwhile, as a session does: the library answers the pings there.
	go sc.ReadMessage(ctx)

	sizes := []int{0, 1, 125, 126, 127, 1000, 65535, 65536, 70000, 200000}
	msgOf := func(batch, i int) []byte {
		n := sizes[(batch+i)%len(sizes)]
		m := []byte(fmt.Sprintf("<m b=%d i=%d/>", batch, i))
		for len(m) < n {
			m = append(m, byte('a'+len(m)%26))
		}
		return m
	}
	const batches = 60
	type got struct {
		msg []byte
		err error
	}
	read := make(chan got, 1)
	go func() {
		for {
			_, msg, err := c.Read(ctx)
			read <- got{msg, err}
			if err != nil {
				return
			}
		}
	}()
	pings := make(chan error, 1)
	go func() {
		for range 20 {
			if err := c.Ping(ctx); err != nil {
				pings <- err
				return
			}
		}
		pings <- nil
	}()
	wrote := make(chan error, 1)
	go func() {
		for b := range batches {
			var msgs [][]byte
			for i := range b%4 + 2 {
				msgs = append(msgs, msgOf(b, i))
			}
			if err := bc.WriteMessages(ctx, msgs); err != nil {
				wrote <- err
				return
			}
		}
		wrote <- nil
	}()
	for b := range batches {
		for i := range b%4 + 2 {
			g := <-read
			if want := msgOf(b, i); g.err != nil || !bytes.Equal(g.msg, want) {
				t.Fatalf("batch %d message %d: got %d bytes %.40q, %v; want %d bytes %.40q", b, i, len(g.msg), g.msg, g.err, len(want), want)
			}
		}
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if err := <-pings; err != nil {
		t.Fatalf("ping during the batches: %v", err)
	}

	sc.Close(netconf.CloseReason{Code: netconf.CloseShutdown, Text: "bye"})
	if err := bc.WriteMessages(ctx, [][]byte{[]byte("<after/>"), []byte("<close/>")}); err == nil {
		t.Error("a batch after Close was written")
	}
	if g := <-read; ws.CloseStatus(g.err) != ws.StatusGoingAway {
		t.Fatalf("after Close: %q, %v; want close 1001", g.msg, g.err)
	}
}
