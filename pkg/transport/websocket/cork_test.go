package websocket

import (
	"io"
	"net"
	"testing"
	"time"
)

// readOnce returns what one Read of c gets.
func readOnce(t *testing.T, c net.Conn) string {
	t.Helper()
	buf := make([]byte, 1024)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	return string(buf[:n])
}

// TestCorkGathersUntilRead: frames written while held go out together, in order, when the
// server reads the socket again.
func TestCorkGathersUntilRead(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	b.SetDeadline(time.Now().Add(10 * time.Second))
	c := &corkConn{Conn: a, holdFor: time.Hour}
	c.setHold()
	for _, p := range []string{"one", "two", "three"} {
		if _, err := c.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 16)
		n, _ := io.ReadFull(c, buf[:4]) // flushes first
		got <- string(buf[:n])
	}()
	if s := readOnce(t, b); s != "onetwothree" {
		t.Errorf("peer read %q, want the three frames in one write", s)
	}
	b.Write([]byte("next"))
	if s := <-got; s != "next" {
		t.Errorf("server read %q", s)
	}
	// Not held any more: a write goes out by itself.
	go c.Write([]byte("four"))
	if s := readOnce(t, b); s != "four" {
		t.Errorf("peer read %q", s)
	}
}

// TestCorkReleasedByTimer: what is held reaches the peer without the server reading again (the
// next request is slow).
func TestCorkReleasedByTimer(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	b.SetDeadline(time.Now().Add(10 * time.Second))
	c := &corkConn{Conn: a, holdFor: time.Millisecond}
	c.setHold()
	c.Write([]byte("reply"))
	if s := readOnce(t, b); s != "reply" {
		t.Errorf("peer read %q", s)
	}
}

// TestCorkBounded: a held reply over maxHeld is written at once, after what was held.
func TestCorkBounded(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	b.SetDeadline(time.Now().Add(10 * time.Second))
	c := &corkConn{Conn: a, holdFor: time.Hour}
	c.setHold()
	c.Write([]byte("small"))
	big := make([]byte, maxHeld)
	go c.Write(big)
	buf := make([]byte, maxHeld+100)
	n, err := io.ReadFull(b, buf[:len("small")+maxHeld])
	if err != nil || string(buf[:5]) != "small" {
		t.Errorf("peer read %d bytes starting %q, %v", n, buf[:5], err)
	}
}
