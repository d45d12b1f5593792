package framed

import (
	"fmt"
	"net"
	"sync"

	"github.com/ncws/ncws/pkg/netconf"
)

// Base is what the SSH and TLS listeners share: the queue of sessions for Accept, the TCP
// listener (nil for call home only), and the connection caps.
type Base struct {
	name          string
	ln            net.Listener
	conns         chan *Conn
	done          chan struct{}
	once          sync.Once
	maxConns, per int

	mu      sync.Mutex
	total   int
	perAddr map[string]int
}

// NewBase returns a Base named name ("ssh", "tls": error prefixes) on ln with the caps
// (<= 0: none).
func NewBase(name string, ln net.Listener, maxConns, maxPerAddr int) *Base {
	return &Base{name: name, ln: ln, conns: make(chan *Conn), done: make(chan struct{}),
		maxConns: maxConns, per: maxPerAddr, perAddr: map[string]int{}}
}

// Listener returns the TCP listener, nil for call home only.
func (b *Base) Listener() net.Listener { return b.ln }

// Done is closed by Close.
func (b *Base) Done() <-chan struct{} { return b.done }

// Admit counts a connection from host addr, false when a cap is reached.
func (b *Base) Admit(addr string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.maxConns > 0 && b.total >= b.maxConns {
		return false
	}
	if b.per > 0 && b.perAddr[addr] >= b.per {
		return false
	}
	b.total++
	b.perAddr[addr]++
	return true
}

// Release uncounts a connection Admit counted.
func (b *Base) Release(addr string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total--
	if b.perAddr[addr]--; b.perAddr[addr] <= 0 {
		delete(b.perAddr, addr)
	}
}

// Offer hands c to Accept; after Close it closes c and returns false.
func (b *Base) Offer(c *Conn) bool {
	select {
	case b.conns <- c:
		return true
	case <-b.done:
		c.Close(netconf.CloseReason{Code: netconf.CloseShutdown})
		return false
	}
}

// Accept waits for the next session.
func (b *Base) Accept() (netconf.Conn, error) {
	select {
	case c := <-b.conns:
		return c, nil
	case <-b.done:
		return nil, fmt.Errorf("%s: listener: %w", b.name, net.ErrClosed)
	}
}

// Close stops accepting: it closes the TCP listener; a session offered after it is closed at
// once. Sessions already accepted are the server's to close.
func (b *Base) Close() error {
	b.once.Do(func() {
		close(b.done)
		if b.ln != nil {
			b.ln.Close()
		}
	})
	return nil
}

// Addr is the TCP listener's address (a placeholder for a call-home listener).
func (b *Base) Addr() net.Addr {
	if b.ln == nil {
		return &net.TCPAddr{}
	}
	return b.ln.Addr()
}
