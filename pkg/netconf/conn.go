package netconf

import (
	"context"
	"net"
)

// A Conn is one transport connection carrying whole NETCONF messages: a WebSocket (one message
// per text message), an SSH channel (RFC 6242 framing), or an in-memory pipe. The server reads
// from one goroutine and writes from one goroutine at a time; Close may be called concurrently
// with both and makes blocked calls return.
type Conn interface {
	// ReadMessage returns the next whole message. An error ends the session: io.EOF when the
	// peer closed, ErrMessageTooBig (the transport may be unable to go on) or a transport error.
	ReadMessage(ctx context.Context) ([]byte, error)
	// WriteMessage sends one whole message. It must not retain msg once it returns (as
	// io.Writer must not): the server reuses the buffer.
	WriteMessage(ctx context.Context, msg []byte) error
	// Close ends the connection, telling the peer why where the transport can (a WebSocket
	// close code).
	Close(reason CloseReason) error
	// Info describes the connection: the authenticated user and where it comes from.
	Info() ConnInfo
}

// ConnInfo describes a connection to the server.
type ConnInfo struct {
	// User is the NETCONF username the transport authenticated (RFC 6241 section 2).
	User string
	// Transport names the transport for ietf-netconf-monitoring ("netconf-ws", "netconf-ssh").
	Transport string
	// Remote is the peer's address, nil if none.
	Remote net.Addr
}

// A Base11Conn switches to the chunked framing of RFC 6242 section 4.2 once both hellos
// carried base:1.1 (SSH); transports whose framing never changes (WebSocket) do not implement it.
// BatchConn is a Conn that can send several whole messages together (fewer writes to the
// network); the server uses it for notifications that queued up for a session.
type BatchConn interface {
	WriteMessages(ctx context.Context, msgs [][]byte) error
}

type Base11Conn interface {
	UseChunked()
}

// CloseCode says why the server ends a session.
type CloseCode uint8

const (
	// CloseNormal follows a <close-session> reply.
	CloseNormal CloseCode = iota
	// CloseKilled ends a session killed by <kill-session>; CloseReason.KilledBy is the killer.
	CloseKilled
	// CloseShutdown ends sessions when the server shuts down.
	CloseShutdown
	// CloseProtocolError ends a session whose peer broke the protocol: a bad or missing hello,
	// a second hello.
	CloseProtocolError
	// CloseTimeout ends a session that sent no hello in time.
	CloseTimeout
	// CloseTooBig ends a session whose peer sent a message over the size limit, where the
	// transport cannot skip it.
	CloseTooBig
	// CloseInternal ends a session after a server-side failure.
	CloseInternal
)

// CloseReason is why a session ends.
type CloseReason struct {
	Code     CloseCode
	KilledBy uint32
	Text     string
}

// A Listener yields the connections a server serves, as net.Listener does for net/http.
type Listener interface {
	// Accept waits for the next connection; after Close it returns an error wrapping
	// net.ErrClosed.
	Accept() (Conn, error)
	Close() error
	Addr() net.Addr
}
