// Package framed is a netconf.Conn over a byte stream with RFC 6242 framing (end-of-message
// for the hellos and base:1.0, chunked after two base:1.1 hellos): the connection of the SSH
// and TLS transports.
package framed

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/ncws/ncws/pkg/netconf"
)

// Conn is one NETCONF session on a stream. It implements netconf.Conn and netconf.Base11Conn.
type Conn struct {
	rw    io.ReadWriter
	close func() error
	info  netconf.ConnInfo
	r     *netconf.Reader
	wmu   sync.Mutex
	w     *netconf.Writer
	out   *bufWriter
	// The replies written while out.hold is set (the reader holds input not yet returned: the
	// peer pipelined) are gathered and written together when the reader next waits for input,
	// or by flushTimer when the next request takes longer than holdFor.
	flushTimer *time.Timer
	timerSet   bool // flushTimer is armed (guarded by wmu)
	holdFor    time.Duration

	closeOnce sync.Once
	closing   chan struct{} // closed by Close
	closed    chan struct{} // closed once the stream is closed (or cut)
	abort     func() error
}

// CloseTimeout bounds Close: the replies still gathered are sent and the stream closed within
// it, else the stream is cut (Abort), so a peer that stopped reading cannot hold a close.
const CloseTimeout = time.Second

// SetAbort sets what cuts the stream when a close takes longer than CloseTimeout (the
// underlying connection: for SSH the whole connection, as a channel write waiting for window
// only ends with it). Call it before the Conn is used; nil keeps close.
func (c *Conn) SetAbort(abort func() error) { c.abort = abort }

// DeadlineWriter writes through w in pieces of at most 64 KiB, each bounded by timeout
// (SetWriteDeadline), so a peer that takes nothing for timeout ends the write with an error
// while a slow but moving one can take a big reply. It is the io.ReadWriter for New.
type DeadlineWriter struct {
	Conn interface {
		io.ReadWriter
		SetWriteDeadline(time.Time) error
	}
	Timeout time.Duration
}

func (d DeadlineWriter) Read(p []byte) (int, error) { return d.Conn.Read(p) }

func (d DeadlineWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(len(p), 64<<10)
		d.Conn.SetWriteDeadline(time.Now().Add(d.Timeout))
		m, err := d.Conn.Write(p[:k])
		n += m
		if err != nil {
			return n, err
		}
		p = p[k:]
	}
	return n, nil
}

// New returns a Conn reading and writing rw, messages of at most limit bytes; close ends the
// stream (it must make a blocked Read return).
func New(rw io.ReadWriter, close func() error, info netconf.ConnInfo, limit int) *Conn {
	out := &bufWriter{w: rw}
	c := &Conn{rw: rw, close: close, info: info, w: netconf.NewWriter(out), out: out, holdFor: holdFor,
		closing: make(chan struct{}), closed: make(chan struct{})}
	c.r = netconf.NewReader(flushingReader{c}, limit)
	return c
}

// flushingReader reads the stream for the message reader, sending what was gathered first:
// the reader only reads the stream when it has no input left to answer, about to wait.
type flushingReader struct{ c *Conn }

func (f flushingReader) Read(p []byte) (int, error) {
	c := f.c
	c.wmu.Lock()
	c.out.hold = false
	// The batch is sent here: its timer is stopped, else it would fire (a goroutine and,
	// on an idle process, a thread wake-up) for nothing after every batch.
	c.stopTimer()
	err := c.out.flush()
	c.wmu.Unlock()
	if err != nil {
		return 0, err
	}
	return c.rw.Read(p)
}

// bufWriter holds written bytes until flush when hold is set, else writes them through.
type bufWriter struct {
	w    io.Writer
	buf  []byte
	hold bool
}

func (b *bufWriter) Write(p []byte) (int, error) {
	if b.hold {
		b.buf = append(b.buf, p...)
		return len(p), nil
	}
	if len(b.buf) > 0 {
		b.buf = append(b.buf, p...)
		return len(p), b.flush()
	}
	return b.w.Write(p)
}

func (b *bufWriter) flush() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	if cap(b.buf) > 1<<20 {
		b.buf = nil
	} else {
		b.buf = b.buf[:0]
	}
	return err
}

// ReadMessage implements netconf.Conn. A framing error ends the session (RFC 6242 section 4.2).
func (c *Conn) ReadMessage(ctx context.Context) ([]byte, error) {
	msg, err := c.r.ReadMessage()
	if err == nil {
		more := c.r.Buffered() > 0
		c.wmu.Lock()
		if more && !c.out.hold {
			if c.flushTimer == nil {
				c.flushTimer = time.AfterFunc(c.holdFor, c.flushHeld)
			} else {
				c.flushTimer.Reset(c.holdFor)
			}
			c.timerSet = true
		}
		c.out.hold = more
		c.wmu.Unlock()
	}
	if err != nil {
		select {
		case <-c.closing:
			return nil, io.EOF
		default:
		}
		return nil, err
	}
	return msg, nil
}

// maxHeld bounds the bytes gathered for a batch: a bigger one is written at once.
const maxHeld = 64 << 10

// holdFor bounds how long a reply gathered for a batch waits for the replies after it: a
// request that takes longer (a big commit) does not delay the replies before it.
const holdFor = 500 * time.Microsecond

// flushHeld sends the replies gathered so far and writes through until the reader sets hold
// again.
func (c *Conn) flushHeld() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.timerSet = false
	c.out.hold = false
	c.out.flush()
}

// stopTimer stops flushTimer when it is armed; wmu is held.
func (c *Conn) stopTimer() {
	if c.timerSet {
		c.flushTimer.Stop()
		c.timerSet = false
	}
}

// WriteMessage implements netconf.Conn. While the peer has pipelined requests waiting (input
// read and not yet answered), replies are gathered and sent in one write when the reader next
// reads the stream (fewer SSH packets and TLS records), when they pass 64 KiB, or 500 µs after
// the first (a slow request does not delay the replies before it); otherwise each message is
// written at once.
func (c *Conn) WriteMessage(ctx context.Context, msg []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	err := c.w.WriteMessage(msg)
	if err == nil && len(c.out.buf) > maxHeld {
		err = c.out.flush()
	}
	return err
}

// UseChunked implements netconf.Base11Conn: both hellos carried base:1.1.
func (c *Conn) UseChunked() {
	c.r.SetFraming(netconf.Chunked)
	c.wmu.Lock()
	c.w.SetFraming(netconf.Chunked)
	c.wmu.Unlock()
}

// Close implements netconf.Conn: the stream is closed (SSH and TLS carry no close reason).
// It returns at once; the replies still gathered (a close-session's <ok/>) go out first, and
// a stream that has not closed within CloseTimeout (a peer that stopped reading, a write
// blocked) is cut. ReadMessage returns io.EOF once the stream is closed.
func (c *Conn) Close(reason netconf.CloseReason) error {
	c.closeOnce.Do(func() {
		close(c.closing)
		done := make(chan struct{})
		go func() {
			defer close(done)
			c.wmu.Lock()
			c.out.hold = false
			c.out.flush()
			c.stopTimer()
			c.wmu.Unlock()
			c.close()
		}()
		go func() {
			t := time.NewTimer(CloseTimeout)
			defer t.Stop()
			select {
			case <-done:
			case <-t.C:
				if c.abort != nil {
					c.abort()
				} else {
					c.close()
				}
			}
			close(c.closed)
		}()
	})
	return nil
}

// Closed is closed once the stream is closed after Close: the replies still gathered were
// sent, or the close was cut after CloseTimeout.
func (c *Conn) Closed() <-chan struct{} { return c.closed }

// Info implements netconf.Conn.
func (c *Conn) Info() netconf.ConnInfo { return c.info }
