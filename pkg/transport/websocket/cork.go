package websocket

import (
	"bufio"
	"encoding/binary"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Replies to pipelined requests are gathered into one TCP write, as framed.Conn does for SSH
// and TLS: while the reader holds input not yet returned, frames are kept, and they go out
// when the reader next reads the socket (it has nothing left to answer), when more than
// maxHeld bytes are kept, or holdFor after the first was kept (a request that takes longer
// does not delay the replies before it).
const (
	maxHeld = 64 << 10
	holdFor = 500 * time.Microsecond
)

// corkConn is the TCP connection under an upgraded WebSocket.
type corkConn struct {
	net.Conn
	mu    sync.Mutex
	buf   []byte
	hold  bool
	timer *time.Timer
	armed bool // timer is set (guarded by mu)
	// holdFor is the package's holdFor unless a test sets it.
	holdFor time.Duration
	// read and written count the bytes through the socket: the keepalive's signs of life and
	// the close handshake's sign of a stalled write.
	read, written atomic.Uint64

	// The library's frames are followed through Write (track), so that frames written here
	// (writeFrames) go only between them and never after a close frame. Guarded by mu.
	// libRem is what is left of the library's frame in progress; noFrames is set once the
	// library wrote a close frame, once the conn is closing (stopFrames), or when a write
	// did not start where a frame does (not seen: the library flushes whole frames).
	libRem   uint64
	noFrames bool
}

// errNoFrames is writeFrames' answer once the connection is closing.
var errNoFrames = errors.New("websocket: connection closing")

// track follows the library's frames through p, the next bytes it writes.
func (c *corkConn) track(p []byte) {
	for len(p) > 0 && !c.noFrames {
		if c.libRem == 0 {
			h, n, op, ok := frameHeader(p)
			if !ok {
				c.noFrames = true
				return
			}
			if op == 0x8 {
				c.noFrames = true
			}
			c.libRem = uint64(h) + n
		}
		k := min(c.libRem, uint64(len(p)))
		p = p[k:]
		c.libRem -= k
	}
}

// frameHeader parses the header of the frame at the start of p: its length, the payload's and
// the opcode; ok false when p does not hold the whole header.
func frameHeader(p []byte) (h int, n uint64, op byte, ok bool) {
	if len(p) < 2 {
		return 0, 0, 0, false
	}
	h, n = 2, uint64(p[1]&0x7f)
	switch n {
	case 126:
		h = 4
	case 127:
		h = 10
	}
	if p[1]&0x80 != 0 {
		h += 4
	}
	if len(p) < h {
		return 0, 0, 0, false
	}
	switch n {
	case 126:
		n = uint64(binary.BigEndian.Uint16(p[2:]))
	case 127:
		n = binary.BigEndian.Uint64(p[2:])
	}
	return h, n, p[0] & 0x0f, true
}

// writeFrames sends msgs as text messages of one unmasked frame each (RFC 6455 section 5.2),
// written here rather than by the library: a batch of notifications is framed straight into
// the buffer its one write(2) sends (kept, as the library's frames are, while held), with no
// per-message locking, bufio copy and flush of the library's. The caller writes one message or
// batch at a time (netconf.Conn), so no data frame of the library's is in progress; its control
// frames (a pong, a ping) come whole and go before or after the batch. Once the library wrote
// a close frame or the conn is closing, nothing more is sent (errNoFrames).
func (c *corkConn) writeFrames(msgs [][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.noFrames || c.libRem != 0 {
		return errNoFrames
	}
	for _, m := range msgs {
		c.buf = append(c.buf, 0x81)
		switch n := len(m); {
		case n < 126:
			c.buf = append(c.buf, byte(n))
		case n < 1<<16:
			c.buf = append(c.buf, 126, byte(n>>8), byte(n))
		default:
			c.buf = append(c.buf, 127)
			c.buf = binary.BigEndian.AppendUint64(c.buf, uint64(n))
		}
		if len(m) > maxHeld {
			// A big message is not copied: what is kept goes first, then the message.
			if err := c.flushLocked(); err != nil {
				return err
			}
			if _, err := c.write(m); err != nil {
				return err
			}
			continue
		}
		c.buf = append(c.buf, m...)
		if len(c.buf) > maxHeld {
			if err := c.flushLocked(); err != nil {
				return err
			}
		}
	}
	if c.hold {
		return nil
	}
	return c.flushLocked()
}

func (c *corkConn) write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(uint64(n))
	return n, err
}

func (c *corkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.track(p)
	if c.hold && len(c.buf)+len(p) <= maxHeld {
		c.buf = append(c.buf, p...)
		return len(p), nil
	}
	if len(c.buf) > 0 {
		c.buf = append(c.buf, p...)
		return len(p), c.flushLocked()
	}
	return c.write(p)
}

// Read sends what is kept before it reads the socket.
func (c *corkConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	c.hold = false
	// The batch goes out here: its timer is stopped, else it would fire (a goroutine and, on an
	// idle process, a thread wake-up) for nothing after every batch.
	c.stopTimer()
	err := c.flushLocked()
	c.mu.Unlock()
	if err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	c.read.Add(uint64(n))
	return n, err
}

// Close sends what is kept before it closes the socket: the library closes the connection
// right after writing its close frame (the echo of a client's close, for one), and a frame
// still kept would be lost, leaving the peer with 1006 instead of the close code. The send is
// bounded by stallTimeout so that a peer that stopped reading cannot hold the close.
func (c *corkConn) Close() error {
	c.mu.Lock()
	c.hold = false
	c.stopTimer()
	if len(c.buf) > 0 {
		c.Conn.SetWriteDeadline(time.Now().Add(stallTimeout))
		c.flushLocked()
	}
	c.mu.Unlock()
	return c.Conn.Close()
}

// setHold keeps the frames written from now on until the next Read, holdFor at most.
func (c *corkConn) setHold() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hold {
		return
	}
	c.hold = true
	if c.timer == nil {
		c.timer = time.AfterFunc(c.holdFor, c.release)
	} else {
		c.timer.Reset(c.holdFor)
	}
	c.armed = true
}

// stopTimer stops the hold timer when it is set; mu is held.
func (c *corkConn) stopTimer() {
	if c.armed {
		c.timer.Stop()
		c.armed = false
	}
}

// release stops keeping frames and sends those kept.
func (c *corkConn) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopTimer()
	c.hold = false
	c.flushLocked()
}

// unhold stops keeping frames (the next write sends those kept first) and makes writeFrames
// refuse from now on: the conn is closing, its close frame follows.
func (c *corkConn) unhold() {
	c.mu.Lock()
	c.hold = false
	c.noFrames = true
	c.stopTimer()
	c.mu.Unlock()
}

func (c *corkConn) flushLocked() error {
	if len(c.buf) == 0 {
		return nil
	}
	_, err := c.write(c.buf)
	if cap(c.buf) > 1<<20 {
		c.buf = nil
	} else {
		c.buf = c.buf[:0]
	}
	return err
}

// corkWriter hands the library a corkConn when it hijacks the connection, and keeps the
// reader the library reads it through (whose Buffered says whether input is waiting).
type corkWriter struct {
	http.ResponseWriter
	cork *corkConn
	br   *bufio.Reader
}

// Hijack hijacks the underlying connection and wraps it. The library reads the bytes buffered
// with the handshake from the returned reader, then the connection, and writes its frames
// through the returned writer.
func (w *corkWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.cork, w.br = &corkConn{Conn: nc, holdFor: holdFor}, brw.Reader
	return w.cork, bufio.NewReadWriter(brw.Reader, bufio.NewWriterSize(w.cork, 4096)), nil
}
