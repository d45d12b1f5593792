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

// TestCorkFollowsLibraryFrames: the library's frames are followed through Write, split across
// writes as its flushes split them: frames written by writeFrames go only between them, and
// none after the library's close frame.
func TestCorkFollowsLibraryFrames(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	b.SetDeadline(time.Now().Add(10 * time.Second))
	go io.Copy(io.Discard, b)
	c := &corkConn{Conn: a, holdFor: time.Hour}
	// A text frame of 300 bytes (16-bit length), written in two pieces.
	frame := append([]byte{0x81, 126, 1, 44}, make([]byte, 300)...)
	if _, err := c.Write(frame[:100]); err != nil {
		t.Fatal(err)
	}
	if err := c.writeFrames([][]byte{[]byte("<x/>")}); err != errNoFrames {
		t.Errorf("writeFrames within the library's frame: %v, want errNoFrames", err)
	}
	if _, err := c.Write(frame[100:]); err != nil {
		t.Fatal(err)
	}
	// A pong and a ping in one write, then frames of ours.
	if _, err := c.Write([]byte{0x8a, 0, 0x89, 2, 'h', 'i'}); err != nil {
		t.Fatal(err)
	}
	if err := c.writeFrames([][]byte{[]byte("<x/>"), []byte("<y/>")}); err != nil {
		t.Errorf("writeFrames between the library's frames: %v", err)
	}
	// The close frame: nothing of ours after it.
	if _, err := c.Write([]byte{0x88, 2, 0x03, 0xe8}); err != nil {
		t.Fatal(err)
	}
	if err := c.writeFrames([][]byte{[]byte("<x/>")}); err != errNoFrames {
		t.Errorf("writeFrames after the library's close frame: %v, want errNoFrames", err)
	}
}
