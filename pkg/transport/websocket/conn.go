package websocket

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/netconf"
)

// StatusKilled is the close code of a session ended by <kill-session>; the reason reads
// "killed by session N".
const StatusKilled ws.StatusCode = 4001

// CloseTimeout bounds a close handshake: a peer that has not taken the close frame and
// answered it by then (it stopped reading, or is gone) has its TCP connection closed.
const CloseTimeout = time.Second

// stallTimeout is how long a write in progress at Close may go without progress before the
// TCP connection is closed under it.
const stallTimeout = 100 * time.Millisecond

// errClosed is returned by a Conn's reads and writes after it closed (Close, a binary message,
// invalid UTF-8, a protocol error).
var errClosed = errors.New("websocket: connection closed")

// readResult is one message read (or the error that ended reading).
type readResult struct {
	typ    ws.MessageType
	msg    []byte
	err    error
	tooBig bool
}

// conn is one upgraded connection: a netconf.Conn.
//
// The session reads the connection itself between requests (no goroutine hand-off per
// message). While it is busy with a request, the library would see no pong nor close frame,
// since it reads control frames only within a read: so the keepalive, finding no read in
// progress, starts a read-ahead that reads (at most) the next message and keeps it for the
// session's next ReadMessage. While that message waits, nothing is read (TCP back-pressure
// bounds what a pipelining peer can queue) and the peer is not held to the pings. A message
// read ahead and not taken before the connection closes is never executed.
type conn struct {
	ws      *ws.Conn
	cork    *corkConn     // the TCP connection
	br      *bufio.Reader // what the library reads cork through
	brMu    sync.Mutex    // held by the close handshake, which reads br
	info    netconf.ConnInfo
	release func() // gives back the connection's places in the caps
	limit   int64

	// rmu guards reading and ahead.
	rmu     sync.Mutex
	reading bool            // a read of the connection is in progress
	ahead   chan readResult // the read-ahead's result (buffered), nil when none

	pingInterval time.Duration
	maxMissed    int
	ping         *time.Timer
	missed       int // consecutive missed pings (the keepalive's own)

	writing atomic.Int32 // WriteMessage calls in progress
	readers atomic.Int32 // ReadMessage calls in progress (for watchRead)

	// rwmu guards rdone and rstop, as wmu does wdone and wstop for reads (see watchRead).
	rwmu  sync.Mutex
	rdone <-chan struct{}
	rstop func() bool

	// wmu guards wdone and wstop: the Done channel of the context the writes are watched for
	// (see watch), and what stops watching it.
	wmu   sync.Mutex
	wdone <-chan struct{}
	wstop func() bool

	closeOnce sync.Once
	closed    chan struct{}
	closeDone chan struct{}
}

func newConn(c *ws.Conn, cw *corkWriter, info netconf.ConnInfo, limit int64, pingInterval time.Duration, maxMissed int, release func()) *conn {
	cn := &conn{ws: c, cork: cw.cork, br: cw.br, info: info, release: release, limit: limit,
		pingInterval: pingInterval, maxMissed: maxMissed, closed: make(chan struct{}), closeDone: make(chan struct{})}
	if pingInterval > 0 {
		// The first ping comes at a random point of the interval's second half, the next
		// ones every interval: connections opened together (a thousand subscribers starting
		// at once) are then not all pinged in the same instant every interval, a burst of
		// writes, pongs and wake-ups that would stall what they send. A dead peer is still
		// detected within (maxMissed+1) x pingInterval.
		cn.ping = time.AfterFunc(pingInterval/2+rand.N(pingInterval/2+1), cn.keepalive)
	}
	return cn
}

// read reads one message of at most c.limit bytes (the library's own limit is off: a bigger
// message is reported as tooBig, and ReadMessage closes with 1009 and a reason of its own).
func (c *conn) read() readResult {
	typ, rd, err := c.ws.Reader(context.Background())
	if err != nil {
		return readResult{err: err}
	}
	if c.limit <= 0 {
		msg, err := io.ReadAll(rd)
		return readResult{typ: typ, msg: msg, err: err}
	}
	msg, err := io.ReadAll(io.LimitReader(rd, c.limit+1))
	if err != nil {
		return readResult{err: err}
	}
	if int64(len(msg)) > c.limit {
		return readResult{tooBig: true}
	}
	return readResult{typ: typ, msg: msg}
}

// readAhead starts a read-ahead unless a read is in progress or a message waits already;
// it reports whether a message read ahead waits for the session.
func (c *conn) readAhead() (holding bool) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if c.ahead != nil && !c.reading {
		return true
	}
	if c.reading {
		return false
	}
	ch := make(chan readResult, 1)
	c.ahead, c.reading = ch, true
	go func() {
		r := c.read()
		c.rmu.Lock()
		c.reading = false
		c.rmu.Unlock()
		ch <- r
	}()
	return false
}

// keepalive pings the peer. The peer is alive when it answers the ping, or when anything else
// arrives from it meanwhile, or when a message read ahead waits for the session (the
// connection is not read then, by the server's choice), or when a reply is being written and
// the peer keeps taking its bytes. After maxMissed pings in a row without any of these, the
// connection is closed (1008 "no pong"): a dead peer is detected within (maxMissed+1) x
// pingInterval. It runs on a timer, so an idle connection costs no goroutine between pings.
func (c *conn) keepalive() {
	for {
		if c.readAhead() {
			c.missed = 0
			break
		}
		read, written := c.cork.read.Load(), c.cork.written.Load()
		ctx, cancel := context.WithTimeout(context.Background(), c.pingInterval)
		err := c.ws.Ping(ctx)
		cancel()
		select {
		case <-c.closed:
			return
		default:
		}
		// A ping frame is a few bytes; more written means a reply is getting through.
		if err == nil || c.cork.read.Load() != read ||
			(c.writing.Load() > 0 && c.cork.written.Load()-written > 256) {
			c.missed = 0
			break
		}
		c.missed++
		if c.missed >= c.maxMissed {
			c.Close(netconf.CloseReason{Code: netconf.CloseTimeout, Text: "no pong"})
			return
		}
		// Ping again at once: the interval has passed while waiting.
	}
	c.ping.Reset(c.pingInterval)
}

// ReadMessage returns the next text message. The connection is read without a context of the
// library's (its expiry would drop the TCP connection without a close frame): when ctx ends
// first, the connection is closed with a close frame (1008 after a deadline, else 1011) whose
// reason is the context's cause.
func (c *conn) ReadMessage(ctx context.Context) ([]byte, error) {
	c.watchRead(ctx)
	c.readers.Add(1)
	defer c.readers.Add(-1)
	if ctx.Err() != nil {
		c.closeFor(ctx)
	}
	c.rmu.Lock()
	ch := c.ahead
	c.ahead = nil
	if ch == nil {
		c.reading = true
	}
	c.rmu.Unlock()
	var r readResult
	if ch != nil {
		select {
		case r = <-ch:
		case <-c.closed:
			return nil, errClosed
		}
	} else {
		r = c.read()
		// Whether the peer pipelined is asked before a read-ahead may use the reader, and not
		// while the close handshake does.
		more := false
		if r.err == nil && c.brMu.TryLock() {
			more = c.br.Buffered() > 0
			c.brMu.Unlock()
		}
		c.rmu.Lock()
		c.reading = false
		c.rmu.Unlock()
		if more && !r.tooBig {
			// The reply to this message may wait for the replies after it (see cork.go).
			c.cork.setHold()
		}
	}
	switch {
	case r.tooBig:
		c.closeWith(ws.StatusMessageTooBig, fmt.Sprintf("message over the read limit of %d bytes", c.limit))
		return nil, fmt.Errorf("%w: over %d bytes", netconf.ErrMessageTooBig, c.limit)
	case r.err != nil:
		err := r.err
		switch {
		case ws.CloseStatus(err) != -1:
			return nil, io.EOF
		case strings.Contains(err.Error(), "unmasked frame"):
			// RFC 6455 section 5.1: a server closes on an unmasked client frame with 1002. The
			// library returns without a close frame of its own for this one.
			c.closeWith(ws.StatusProtocolError, "unmasked frame from the client")
			return nil, fmt.Errorf("%w: %v", errClosed, err)
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		return nil, err
	case r.typ != ws.MessageText:
		c.closeWith(ws.StatusUnsupportedData, "NETCONF messages are text messages")
		return nil, fmt.Errorf("%w: binary message", errClosed)
	case !utf8.Valid(r.msg):
		c.closeWith(ws.StatusInvalidFramePayloadData, "invalid UTF-8")
		return nil, fmt.Errorf("%w: invalid UTF-8", errClosed)
	}
	return r.msg, nil
}

// WriteMessage sends msg as one text message.
func (c *conn) WriteMessage(ctx context.Context, msg []byte) error {
	return c.write(ctx, msg, nil)
}

// WriteMessages sends msgs as consecutive text messages, gathered into as few TCP writes as
// they fit in, one when they total under 64 KiB (netconf.BatchConn): a server's notification
// writer sends at once what queued up for a session. The frames are built here, straight into
// the buffer that is written (corkConn.writeFrames).
func (c *conn) WriteMessages(ctx context.Context, msgs [][]byte) error {
	if len(msgs) == 0 {
		return nil
	}
	return c.write(ctx, nil, msgs)
}

// write sends one (msgs nil) or msgs. The connection is closed when ctx ends while the write
// is in progress, so that a write to a peer that stopped reading returns.
func (c *conn) write(ctx context.Context, one []byte, msgs [][]byte) error {
	select {
	case <-c.closed:
		return errClosed
	default:
	}
	c.watch(ctx)
	c.writing.Add(1)
	defer c.writing.Add(-1)
	if ctx.Err() != nil {
		c.Close(netconf.CloseReason{Code: netconf.CloseInternal, Text: "write abandoned"})
		return errClosed
	}
	if msgs == nil {
		return c.ws.Write(context.Background(), ws.MessageText, one)
	}
	if err := c.cork.writeFrames(msgs); err != nil {
		if err == errNoFrames {
			return errClosed
		}
		return err
	}
	return nil
}

// watch arranges that ctx's end closes the connection while a write with ctx is in progress.
// The arrangement is kept for the next write with the same ctx (or one with the same Done
// channel): a server session passes its own context to every write, and a notification writer
// writes for every commit, so a write costs no context.AfterFunc (a registration in the
// context's children) of its own. Writes come one at a time (netconf.Conn); the one that
// watches another context replaces the arrangement before it counts itself in c.writing, so
// the end of an earlier write's context, once that write is done, closes nothing. The writer
// counts itself before it asks ctx.Err, and ctx is done before the function runs: so either
// the writer sees the end or the function sees the writer.
func (c *conn) watch(ctx context.Context) {
	done := ctx.Done()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.wdone == done {
		return
	}
	if c.wstop != nil {
		c.wstop()
		c.wstop = nil
	}
	c.wdone = done
	if done == nil {
		return // a context that never ends
	}
	c.wstop = context.AfterFunc(ctx, func() {
		c.wmu.Lock()
		abandon := c.wdone == done && c.writing.Load() > 0
		c.wmu.Unlock()
		if abandon {
			c.Close(netconf.CloseReason{Code: netconf.CloseInternal, Text: "write abandoned"})
		}
	})
}

// closeFor closes the connection because ctx ended during a read: 1008 after a deadline
// (the hello timeout), else 1011, with the context's cause as the reason.
func (c *conn) closeFor(ctx context.Context) {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		c.Close(netconf.CloseReason{Code: netconf.CloseTimeout, Text: context.Cause(ctx).Error()})
	} else {
		c.Close(netconf.CloseReason{Code: netconf.CloseInternal, Text: context.Cause(ctx).Error()})
	}
}

// watchRead arranges that ctx's end closes the connection while a read with ctx is in
// progress, as watch does for writes, and for the same reason: a session reads with its own
// context every time, and a context.AfterFunc per message (an allocation and a registration
// among the context's children, undone after the read) was a cost of every request. The end of
// a context whose reads are over (the hello's, with its timeout) closes nothing. The reader
// counts itself before it asks ctx.Err, and ctx is done before the function runs: so either
// the reader sees the end or the function sees the reader.
func (c *conn) watchRead(ctx context.Context) {
	done := ctx.Done()
	c.rwmu.Lock()
	defer c.rwmu.Unlock()
	if c.rdone == done {
		return
	}
	if c.rstop != nil {
		c.rstop()
		c.rstop = nil
	}
	c.rdone = done
	if done == nil {
		return
	}
	c.rstop = context.AfterFunc(ctx, func() {
		c.rwmu.Lock()
		abandon := c.rdone == done && c.readers.Load() > 0
		c.rwmu.Unlock()
		if abandon {
			c.closeFor(ctx)
		}
	})
}

// Close ends the connection with the close code for reason (see the package doc). It returns
// at once; the close handshake goes on in the background (see closeHandshake).
func (c *conn) Close(reason netconf.CloseReason) error {
	code, text := statusFor(reason)
	return c.closeWith(code, text)
}

func (c *conn) closeWith(code ws.StatusCode, text string) error {
	c.closeOnce.Do(func() {
		c.cork.unhold()
		close(c.closed)
		c.wmu.Lock()
		if c.wstop != nil {
			c.wstop()
		}
		c.wmu.Unlock()
		c.rwmu.Lock()
		if c.rstop != nil {
			c.rstop()
		}
		c.rwmu.Unlock()
		if c.ping != nil {
			c.ping.Stop()
		}
		go c.closeHandshake(code, text)
	})
	return nil
}

// closeHandshake sends the close frame and waits for the peer's, for CloseTimeout at most
// without anything read from the peer. A
// write in progress goes first (the close frame follows it) while the peer keeps taking its
// bytes; when it makes no progress for stallTimeout, the TCP connection is closed under it,
// so that its writer returns.
func (c *conn) closeHandshake(code ws.StatusCode, text string) {
	defer close(c.closeDone)
	defer c.release()
	done := make(chan struct{})
	go func() {
		c.brMu.Lock()
		c.ws.Close(code, text)
		c.brMu.Unlock()
		close(done)
	}()
	deadline := time.NewTimer(CloseTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(stallTimeout)
	defer tick.Stop()
	written, read := c.cork.written.Load(), c.cork.read.Load()
	for {
		select {
		case <-done:
			return
		case <-deadline.C:
			// A peer still sending (the rest of a message over the read limit, which the
			// library skips while it waits for the peer's close frame) gets more time: closing
			// with its data unread would reset the connection and lose the close frame. The
			// library gives up after 5 s in any case.
			if r := c.cork.read.Load(); r != read {
				read = r
				deadline.Reset(CloseTimeout)
				continue
			}
			c.cork.Conn.Close()
			<-done
			return
		case <-tick.C:
			w := c.cork.written.Load()
			if c.writing.Load() > 0 && w == written {
				c.cork.Conn.Close()
			}
			written = w
		}
	}
}

// Closed is closed when the connection is closed and its close handshake is over (or was cut
// short after CloseTimeout).
func (c *conn) Closed() <-chan struct{} { return c.closeDone }

// Info describes the connection.
func (c *conn) Info() netconf.ConnInfo { return c.info }

// statusFor maps why a session ends to a WebSocket close code and reason (at most 123 bytes).
func statusFor(r netconf.CloseReason) (ws.StatusCode, string) {
	var code ws.StatusCode
	text := r.Text
	switch r.Code {
	case netconf.CloseNormal:
		code = ws.StatusNormalClosure
	case netconf.CloseKilled:
		code = StatusKilled
		text = fmt.Sprintf("killed by session %d", r.KilledBy)
	case netconf.CloseShutdown:
		code = ws.StatusGoingAway
	case netconf.CloseProtocolError:
		code = ws.StatusProtocolError
	case netconf.CloseTimeout:
		code = ws.StatusPolicyViolation
	case netconf.CloseTooBig:
		code = ws.StatusMessageTooBig
	default:
		code = ws.StatusInternalError
	}
	if len(text) > 123 {
		text = text[:120]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
		text += "..."
	}
	return code, text
}

// addr is the net.Addr of a Listener that is mounted in an HTTP server.
type addr string

func (a addr) Network() string { return "websocket" }
func (a addr) String() string  { return string(a) }

var _ net.Addr = addr("")
