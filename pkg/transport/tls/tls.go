// Package tls is NETCONF over TLS with mutual X.509 authentication (RFC 7589): a Listener
// that accepts TLS connections, requires and verifies a client certificate, maps it to a
// NETCONF username (cert-to-name, auth.Authenticator.CertUser) and yields the connection as a
// netconf.Conn with RFC 6242 framing (end-of-message for the hellos, chunked after two
// base:1.1 hellos; RFC 7589 section 3).
//
//	l, err := tls.NewListener(ln, tls.Options{Config: cfg, CertUser: a.CertUser})
//	go srv.Serve(l)
package tls

import (
	"context"
	gotls "crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/transport/internal/framed"
)

// Defaults of Options.
const (
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultMaxConns         = 10000
	DefaultMaxConnsPerAddr  = 64
)

// Options configures a Listener.
type Options struct {
	// Config holds the server's certificate and the ClientCAs that sign client certificates;
	// ClientAuth is set to tls.RequireAndVerifyClientCert and MinVersion raised to TLS 1.2.
	Config *gotls.Config
	// CertUser maps the verified chains to the NETCONF username (RFC 7589 section 7);
	// auth.Authenticator.CertUser fits. Required.
	CertUser func(chains [][]*x509.Certificate) (string, error)
	// ReadLimit caps one message in bytes (netconf.DefaultMaxMessageSize when 0).
	ReadLimit int
	// HandshakeTimeout bounds the TLS handshake (DefaultHandshakeTimeout when 0).
	HandshakeTimeout time.Duration
	// Connection caps (defaults when 0, none when negative).
	MaxConns, MaxConnsPerAddr int
	// Logger receives refused connections at Info level (slog.Default() when nil).
	Logger *slog.Logger
}

// A Listener yields the NETCONF over TLS connections of a net.Listener.
type Listener struct {
	opts  Options
	cfg   *gotls.Config
	ln    net.Listener
	log   *slog.Logger
	conns chan *framed.Conn
	done  chan struct{}
	once  sync.Once

	mu      sync.Mutex
	total   int
	perAddr map[string]int
}

// NewListener starts accepting on ln. Close closes ln. With a nil ln it accepts nothing
// itself: connections come through ServeConn (call home, RFC 8071).
func NewListener(ln net.Listener, opts Options) (*Listener, error) {
	if opts.Config == nil || (len(opts.Config.Certificates) == 0 && opts.Config.GetCertificate == nil) {
		return nil, errors.New("tls: no server certificate")
	}
	if opts.Config.ClientCAs == nil && opts.Config.GetConfigForClient == nil {
		return nil, errors.New("tls: no client CAs: RFC 7589 requires client certificates")
	}
	if opts.CertUser == nil {
		return nil, errors.New("tls: no CertUser")
	}
	cfg := opts.Config.Clone()
	cfg.ClientAuth = gotls.RequireAndVerifyClientCert
	if cfg.MinVersion < gotls.VersionTLS12 {
		cfg.MinVersion = gotls.VersionTLS12
	}
	if opts.HandshakeTimeout <= 0 {
		opts.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if opts.MaxConns == 0 {
		opts.MaxConns = DefaultMaxConns
	}
	if opts.MaxConnsPerAddr == 0 {
		opts.MaxConnsPerAddr = DefaultMaxConnsPerAddr
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	l := &Listener{opts: opts, cfg: cfg, ln: ln, log: log, conns: make(chan *framed.Conn),
		done: make(chan struct{}), perAddr: map[string]int{}}
	if ln != nil {
		go l.acceptLoop()
	}
	return l, nil
}

// ServeConn runs the TLS server side on nc, a connection the NETCONF server dialed itself
// (call home, RFC 8071 section 4.1), and returns when the session on it ends.
func (l *Listener) ServeConn(nc net.Conn) {
	host, _, _ := net.SplitHostPort(nc.RemoteAddr().String())
	if !l.admit(host) {
		nc.Close()
		return
	}
	if c := l.handshake(nc, host); c != nil {
		<-c.Closed()
	}
}

func (l *Listener) acceptLoop() {
	for {
		nc, err := l.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				l.Close()
				return
			}
			l.log.Warn("tls: accept", "err", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		host, _, _ := net.SplitHostPort(nc.RemoteAddr().String())
		if !l.admit(host) {
			l.log.Info("tls: connection refused over the connection cap", "remote", nc.RemoteAddr())
			nc.Close()
			continue
		}
		go l.handshake(nc, host)
	}
}

func (l *Listener) admit(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.opts.MaxConns > 0 && l.total >= l.opts.MaxConns {
		return false
	}
	if l.opts.MaxConnsPerAddr > 0 && l.perAddr[addr] >= l.opts.MaxConnsPerAddr {
		return false
	}
	l.total++
	l.perAddr[addr]++
	return true
}

func (l *Listener) release(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.perAddr[addr]--; l.perAddr[addr] <= 0 {
		delete(l.perAddr, addr)
	}
}

// handshake authenticates the client and hands the connection to Accept; it returns the
// connection, nil when refused.
func (l *Listener) handshake(nc net.Conn, host string) *framed.Conn {
	tc := gotls.Server(nc, l.cfg)
	ctx, cancel := context.WithTimeout(context.Background(), l.opts.HandshakeTimeout)
	err := tc.HandshakeContext(ctx)
	cancel()
	if err != nil {
		l.log.Info("tls: handshake failed", "remote", nc.RemoteAddr(), "err", err)
		tc.Close()
		l.release(host)
		return nil
	}
	user, err := l.opts.CertUser(tc.ConnectionState().VerifiedChains)
	if err != nil {
		l.log.Info("tls: client certificate refused", "remote", nc.RemoteAddr(), "err", err)
		tc.Close()
		l.release(host)
		return nil
	}
	var once sync.Once
	c := framed.New(tc, func() error {
		err := tc.Close()
		once.Do(func() { l.release(host) })
		return err
	}, netconf.ConnInfo{User: user, Transport: "ietf-netconf-monitoring:netconf-tls", Remote: nc.RemoteAddr()}, l.opts.ReadLimit)
	select {
	case l.conns <- c:
	case <-l.done:
		c.Close(netconf.CloseReason{Code: netconf.CloseShutdown})
	}
	return c
}

// Accept waits for the next authenticated connection.
func (l *Listener) Accept() (netconf.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, fmt.Errorf("tls: listener: %w", net.ErrClosed)
	}
}

// Close stops accepting and closes the TCP listener; accepted sessions are the server's.
func (l *Listener) Close() error {
	l.once.Do(func() {
		close(l.done)
		if l.ln != nil {
			l.ln.Close()
		}
	})
	return nil
}

// Addr is the TCP listener's address (a placeholder for a call-home listener).
func (l *Listener) Addr() net.Addr {
	if l.ln == nil {
		return &net.TCPAddr{}
	}
	return l.ln.Addr()
}
