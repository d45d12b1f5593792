package framed

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/netconf"
)

// echo answers every message on c with "ok:"+message until the stream ends.
func echo(c *Conn) {
	for {
		msg, err := c.ReadMessage(context.Background())
		if err != nil {
			return
		}
		c.WriteMessage(context.Background(), append([]byte("ok:"), msg...))
	}
}

func readEOM(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var b strings.Builder
	for !strings.HasSuffix(b.String(), "]]>]]>") {
		c, err := r.ReadByte()
		if err != nil {
			t.Fatalf("after %q: %v", b.String(), err)
		}
		b.WriteByte(c)
	}
	return strings.TrimSpace(strings.TrimSuffix(b.String(), "]]>]]>"))
}

// TestRepliesNotHeld: a reply is never held back while the peer waits for it, also when the
// peer ends each message with a newline (which stays buffered), and pipelined replies all come.
func TestRepliesNotHeld(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := New(a, a.Close, netconf.ConnInfo{}, 0)
	go echo(c)
	r := bufio.NewReader(b)
	b.SetDeadline(time.Now().Add(10 * time.Second))
	for i, msg := range []string{"one", "two"} {
		io.WriteString(b, msg+"]]>]]>\n")
		if got := readEOM(t, r); got != "ok:"+msg {
			t.Fatalf("reply %d: %q", i, got)
		}
	}
	// Three requests in one write: three replies.
	io.WriteString(b, "x]]>]]>y]]>]]>z]]>]]>")
	for _, want := range []string{"ok:x", "ok:y", "ok:z"} {
		if got := readEOM(t, r); got != want {
			t.Fatalf("pipelined reply %q, want %q", got, want)
		}
	}
}

// TestWriteWhileWaiting: a message written by another goroutine (a notification) while the
// reader waits for input goes out at once.
func TestWriteWhileWaiting(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := New(a, a.Close, netconf.ConnInfo{}, 0)
	go echo(c)
	r := bufio.NewReader(b)
	b.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(b, "one]]>]]>\n")
	if got := readEOM(t, r); got != "ok:one" {
		t.Fatal(got)
	}
	time.Sleep(20 * time.Millisecond) // the reader is waiting again
	go c.WriteMessage(context.Background(), []byte("event"))
	if got := readEOM(t, r); got != "event" {
		t.Fatalf("notification %q", got)
	}
}

// TestHeldReplyNotDelayedBySlowRequest: the reply to the first of two pipelined requests is
// gathered for a batch, but reaches the peer while the second request is still running.
func TestHeldReplyNotDelayedBySlowRequest(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := New(a, a.Close, netconf.ConnInfo{}, 0)
	release := make(chan struct{})
	go func() {
		for {
			msg, err := c.ReadMessage(context.Background())
			if err != nil {
				return
			}
			if string(msg) == "slow" {
				<-release // runs until the peer has the reply before it
			}
			c.WriteMessage(context.Background(), append([]byte("ok:"), msg...))
		}
	}()
	r := bufio.NewReader(b)
	b.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(b, "fast]]>]]>slow]]>]]>")
	if got := readEOM(t, r); got != "ok:fast" {
		t.Fatalf("first reply %q", got)
	}
	close(release)
	if got := readEOM(t, r); got != "ok:slow" {
		t.Fatalf("second reply %q", got)
	}
}

// countingWriter counts the writes of a stream.
type countingWriter struct {
	io.Writer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Writer.Write(p)
}

// TestPipelinedRepliesGathered: replies to requests that arrived together go out in one
// write of the stream, in order.
func TestPipelinedRepliesGathered(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	cw := &countingWriter{Writer: a}
	c := New(struct {
		io.Reader
		io.Writer
	}{a, cw}, a.Close, netconf.ConnInfo{}, 0)
	c.holdFor = time.Hour // no flush by the timer on a loaded machine
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 3; i++ {
			msg, err := c.ReadMessage(context.Background())
			if err != nil {
				return
			}
			c.WriteMessage(context.Background(), append([]byte("ok:"), msg...))
		}
	}()
	b.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(b, "x]]>]]>y]]>]]>z]]>]]>")
	r := bufio.NewReader(b)
	for _, want := range []string{"ok:x", "ok:y", "ok:z"} {
		if got := readEOM(t, r); got != want {
			t.Fatalf("pipelined reply %q, want %q", got, want)
		}
	}
	<-done
	if cw.writes != 1 {
		t.Errorf("3 pipelined replies took %d writes, want 1", cw.writes)
	}
}
