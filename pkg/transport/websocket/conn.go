package websocket

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
	"unicode/utf8"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/netconf"
)

// StatusKilled is the close code of a session ended by <kill-session>; the reason reads
// "killed by session N".
const StatusKilled ws.StatusCode = 4001

// errClosed is returned by a Conn's reads and writes after it closed itself (a binary message,
// invalid UTF-8).
var errClosed = errors.New("websocket: connection closed")

// conn is one upgraded connection: a netconf.Conn.
type conn struct {
	ws      *ws.Conn
	cork    *corkConn     // the TCP connection (nil if the library did not hijack through it)
	br      *bufio.Reader // what the library reads cork through
	info    netconf.ConnInfo
	release func() // gives back the connection's places in the caps

	pingInterval time.Duration
	ping         *time.Timer

	closeOnce sync.Once
	closed    chan struct{}
}

func newConn(c *ws.Conn, cw *corkWriter, info netconf.ConnInfo, pingInterval time.Duration, release func()) *conn {
	cn := &conn{ws: c, cork: cw.cork, br: cw.br, info: info, release: release, pingInterval: pingInterval, closed: make(chan struct{})}
	if pingInterval > 0 {
		cn.ping = time.AfterFunc(pingInterval, cn.keepalive)
	}
	return cn
}

// keepalive pings the peer; no pong within the interval closes the connection. It runs on a
// timer, so an idle connection costs no goroutine between pings.
func (c *conn) keepalive() {
	ctx, cancel := context.WithTimeout(context.Background(), c.pingInterval)
	err := c.ws.Ping(ctx)
	cancel()
	select {
	case <-c.closed:
		return
	default:
	}
	if err != nil {
		c.Close(netconf.CloseReason{Code: netconf.CloseTimeout, Text: "no pong"})
		return
	}
	c.ping.Reset(c.pingInterval)
}

// ReadMessage returns the next text message. The connection is read without a context of the
// library's (its expiry would drop the TCP connection without a close frame): when ctx ends
// first, the connection is closed with a close frame (1008 after a deadline, else 1011) whose
// reason is the context's cause.
func (c *conn) ReadMessage(ctx context.Context) ([]byte, error) {
	stop := context.AfterFunc(ctx, func() {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			c.Close(netconf.CloseReason{Code: netconf.CloseTimeout, Text: context.Cause(ctx).Error()})
		} else {
			c.Close(netconf.CloseReason{Code: netconf.CloseInternal, Text: context.Cause(ctx).Error()})
		}
	})
	defer stop()
	typ, msg, err := c.ws.Read(context.Background())
	if err != nil {
		switch {
		case ws.CloseStatus(err) != -1:
			return nil, io.EOF
		case errors.Is(err, ws.ErrMessageTooBig):
			// The library has sent 1009 already.
			c.closeNow()
			return nil, fmt.Errorf("%w: %v", netconf.ErrMessageTooBig, err)
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		return nil, err
	}
	if typ != ws.MessageText {
		c.closeWith(ws.StatusUnsupportedData, "NETCONF messages are text messages")
		return nil, fmt.Errorf("%w: binary message", errClosed)
	}
	if !utf8.Valid(msg) {
		c.closeWith(ws.StatusInvalidFramePayloadData, "invalid UTF-8")
		return nil, fmt.Errorf("%w: invalid UTF-8", errClosed)
	}
	if c.cork != nil && c.br.Buffered() > 0 {
		// The peer pipelined: the reply to msg may wait for the replies after it (see cork.go).
		c.cork.setHold()
	}
	return msg, nil
}

// WriteMessage sends msg as one text message.
func (c *conn) WriteMessage(ctx context.Context, msg []byte) error {
	select {
	case <-c.closed:
		return errClosed
	default:
	}
	stop := context.AfterFunc(ctx, func() {
		c.Close(netconf.CloseReason{Code: netconf.CloseInternal, Text: "write abandoned"})
	})
	defer stop()
	return c.ws.Write(context.Background(), ws.MessageText, msg)
}

// Close ends the connection with the close code for reason (see the package doc).
func (c *conn) Close(reason netconf.CloseReason) error {
	code, text := statusFor(reason)
	return c.closeWith(code, text)
}

func (c *conn) closeWith(code ws.StatusCode, text string) error {
	var err error
	c.closeOnce.Do(func() {
		if c.cork != nil {
			c.cork.unhold()
		}
		close(c.closed)
		if c.ping != nil {
			c.ping.Stop()
		}
		err = c.ws.Close(code, text)
		c.release()
	})
	return err
}

func (c *conn) closeNow() {
	c.closeOnce.Do(func() {
		if c.cork != nil {
			c.cork.unhold()
		}
		close(c.closed)
		if c.ping != nil {
			c.ping.Stop()
		}
		c.ws.CloseNow()
		c.release()
	})
}

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
