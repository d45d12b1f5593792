// Package framed is a netconf.Conn over a byte stream with RFC 6242 framing (end-of-message
// for the hellos and base:1.0, chunked after two base:1.1 hellos): the connection of the SSH
// and TLS transports.
package framed

import (
	"context"
	"io"
	"sync"

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

	closeOnce sync.Once
	closed    chan struct{}
}

// New returns a Conn reading and writing rw, messages of at most limit bytes; close ends the
// stream (it must make a blocked Read return).
func New(rw io.ReadWriter, close func() error, info netconf.ConnInfo, limit int) *Conn {
	return &Conn{rw: rw, close: close, info: info, r: netconf.NewReader(rw, limit), w: netconf.NewWriter(rw),
		closed: make(chan struct{})}
}

// ReadMessage implements netconf.Conn. A framing error ends the session (RFC 6242 section 4.2).
func (c *Conn) ReadMessage(ctx context.Context) ([]byte, error) {
	msg, err := c.r.ReadMessage()
	if err != nil {
		select {
		case <-c.closed:
			return nil, io.EOF
		default:
		}
		return nil, err
	}
	return msg, nil
}

// WriteMessage implements netconf.Conn.
func (c *Conn) WriteMessage(ctx context.Context, msg []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.w.WriteMessage(msg)
}

// UseChunked implements netconf.Base11Conn: both hellos carried base:1.1.
func (c *Conn) UseChunked() {
	c.r.SetFraming(netconf.Chunked)
	c.wmu.Lock()
	c.w.SetFraming(netconf.Chunked)
	c.wmu.Unlock()
}

// Close implements netconf.Conn: the stream is closed (SSH and TLS carry no close reason).
func (c *Conn) Close(reason netconf.CloseReason) error {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.close()
	})
	return nil
}

// Closed is closed once Close was called.
func (c *Conn) Closed() <-chan struct{} { return c.closed }

// Info implements netconf.Conn.
func (c *Conn) Info() netconf.ConnInfo { return c.info }
