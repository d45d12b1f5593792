package netconftest

import (
	"context"
	"io"
	"net"
	"sync"

	"github.com/ncws/ncws/pkg/netconf"
)

// ClientConn is the client side of a connection to the server under test: whole messages in
// and out, as every ncws transport carries them.
type ClientConn interface {
	Send(ctx context.Context, msg []byte) error
	// Recv returns the next message; an error (io.EOF) once the server closed the connection.
	Recv(ctx context.Context) ([]byte, error)
	Close() error
}

// pipeEnd is one end of an in-memory message pipe.
type pipeEnd struct {
	in, out chan []byte
	done    chan struct{} // closed when either end closes
	once    *sync.Once
	info    netconf.ConnInfo
	reason  *netconf.CloseReason
	mu      *sync.Mutex
}

// Pipe returns the two ends of an in-memory connection: the server's (a netconf.Conn whose
// Info names user) and the client's.
func Pipe(user string) (netconf.Conn, ClientConn) {
	a, b := make(chan []byte, 16), make(chan []byte, 16)
	done := make(chan struct{})
	once := &sync.Once{}
	mu := &sync.Mutex{}
	var reason netconf.CloseReason
	srv := &pipeEnd{in: a, out: b, done: done, once: once, mu: mu, reason: &reason,
		info: netconf.ConnInfo{User: user, Transport: "ncws-server:netconf-in-memory"}}
	cli := &pipeEnd{in: b, out: a, done: done, once: once, mu: mu, reason: &reason}
	return srv, clientConn{cli}
}

func (p *pipeEnd) ReadMessage(ctx context.Context) ([]byte, error) { return p.Recv(ctx) }

func (p *pipeEnd) WriteMessage(ctx context.Context, msg []byte) error { return p.Send(ctx, msg) }

func (p *pipeEnd) Recv(ctx context.Context) ([]byte, error) {
	select {
	case m := <-p.in:
		return m, nil
	default:
	}
	select {
	case m := <-p.in:
		return m, nil
	case <-p.done:
		// Messages sent before the close are still delivered.
		select {
		case m := <-p.in:
			return m, nil
		default:
			return nil, io.EOF
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pipeEnd) Send(ctx context.Context, msg []byte) error {
	select {
	case <-p.done:
		return net.ErrClosed
	default:
	}
	select {
	case p.out <- append([]byte(nil), msg...):
		return nil
	case <-p.done:
		return net.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *pipeEnd) Close(reason netconf.CloseReason) error {
	p.once.Do(func() {
		p.mu.Lock()
		*p.reason = reason
		p.mu.Unlock()
		close(p.done)
	})
	return nil
}

func (p *pipeEnd) Info() netconf.ConnInfo { return p.info }

// Listener is an in-memory netconf.Listener: Dial makes a connection that Accept returns.
type Listener struct {
	conns  chan netconf.Conn
	closed chan struct{}
	once   sync.Once
}

// NewListener returns an in-memory listener.
func NewListener() *Listener {
	return &Listener{conns: make(chan netconf.Conn), closed: make(chan struct{})}
}

// Accept returns the next dialed connection.
func (l *Listener) Accept() (netconf.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops the listener.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

// Addr returns a placeholder address.
func (l *Listener) Addr() net.Addr { return memAddr{} }

// Dial connects to the listener as user.
func (l *Listener) Dial(ctx context.Context, user string) (ClientConn, error) {
	s, c := Pipe(user)
	select {
	case l.conns <- s:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type clientConn struct{ p *pipeEnd }

func (c clientConn) Send(ctx context.Context, msg []byte) error { return c.p.Send(ctx, msg) }
func (c clientConn) Recv(ctx context.Context) ([]byte, error)   { return c.p.Recv(ctx) }
func (c clientConn) Close() error                               { return c.p.Close(netconf.CloseReason{}) }
func (p *pipeEnd) String() string                               { return "pipe" }
func (memAddr) Network() string                                 { return "memory" }
func (memAddr) String() string                                  { return "memory" }

type memAddr struct{}
