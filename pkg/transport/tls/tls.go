// Package tls is NETCONF over TLS with mutual X.509 authentication (RFC 7589): a Listener
// that accepts TLS connections, requires and verifies a client certificate, maps it to a
// NETCONF username (cert-to-name, auth.Authenticator.CertUser) and yields the connection as a
// netconf.Conn with RFC 6242 framing (end-of-message for the hellos, chunked after two
// base:1.1 hellos; RFC 7589 section 3).
//
// Liveness: NETCONF over TLS has no ping of its own, so connections get TCP keepalive bounded
// like the WebSocket and SSH keepalive (Options.PingInterval 10 s idle and between probes,
// Options.MaxMissedPings 2 probes): a dead host and its locks go within 30 s. Each 64 KiB
// written is bounded by Options.WriteTimeout (30 s), so a peer that stopped reading (its
// kernel still answers keepalive) cannot hold a reply and its session forever. Closing a
// session returns at once; the close (the replies still gathered, close_notify) is cut after 1 s
// by closing the TCP connection.
//
//	l, err := tls.NewListener(ln, tls.Options{Config: cfg, CertUser: a.CertUser})
//	go srv.Serve(l)
package tls

import (
	"context"
	gotls "crypto/tls"
	"crypto/x509"
	"errors"
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
	// DefaultPingInterval and DefaultMaxMissedPings are the TCP keepalive: the same bound as
	// the WebSocket and SSH transports' (a dead host is dropped within 30 s).
	DefaultPingInterval   = 10 * time.Second
	DefaultMaxMissedPings = 2
	// DefaultWriteTimeout bounds each 64 KiB of a reply: a peer that takes nothing for that
	// long ends its session.
	DefaultWriteTimeout = 30 * time.Second
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
	// PingInterval and MaxMissedPings set TCP keepalive (NETCONF over TLS has no ping of its
	// own): probes start after PingInterval of silence and repeat every PingInterval;
	// MaxMissedPings unanswered (DefaultMaxMissedPings when 0) end the connection, so a dead
	// host's session ends, and its locks are freed, within (MaxMissedPings+1) x PingInterval
	// (30 s with the defaults; DefaultPingInterval when 0, the system's keepalive when
	// negative). TCP keepalive is answered by the peer's kernel: a peer process that stopped
	// but whose host lives is caught by WriteTimeout when a reply is pending.
	PingInterval   time.Duration
	MaxMissedPings int
	// WriteTimeout bounds each 64 KiB written to the peer (DefaultWriteTimeout when 0): a
	// peer that stopped reading cannot hold a reply, and its session, forever.
	WriteTimeout time.Duration
	// Logger receives refused connections at Info level (slog.Default() when nil).
	Logger *slog.Logger
}

// A Listener yields the NETCONF over TLS connections of a net.Listener.
type Listener struct {
	*framed.Base
	opts Options
	cfg  *gotls.Config
	log  *slog.Logger
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
	if opts.PingInterval == 0 {
		opts.PingInterval = DefaultPingInterval
	}
	if opts.MaxMissedPings <= 0 {
		opts.MaxMissedPings = DefaultMaxMissedPings
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	l := &Listener{Base: framed.NewBase("tls", ln, opts.MaxConns, opts.MaxConnsPerAddr), opts: opts, cfg: cfg, log: log}
	if ln != nil {
		go l.acceptLoop()
	}
	return l, nil
}

// ServeConn runs the TLS server side on nc, a connection the NETCONF server dialed itself
// (call home, RFC 8071 section 4.1), and returns when the session on it ends.
func (l *Listener) ServeConn(nc net.Conn) {
	host, _, _ := net.SplitHostPort(nc.RemoteAddr().String())
	if !l.Admit(host) {
		nc.Close()
		return
	}
	if c := l.handshake(nc, host); c != nil {
		<-c.Closed()
	}
}

func (l *Listener) acceptLoop() {
	for {
		nc, err := l.Listener().Accept()
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
		if !l.Admit(host) {
			l.log.Info("tls: connection refused over the connection cap", "remote", nc.RemoteAddr())
			nc.Close()
			continue
		}
		go l.handshake(nc, host)
	}
}

// handshake authenticates the client and hands the connection to Accept; it returns the
// connection, nil when refused.
func (l *Listener) handshake(nc net.Conn, host string) *framed.Conn {
	if tcp, ok := nc.(*net.TCPConn); ok && l.opts.PingInterval > 0 {
		tcp.SetKeepAliveConfig(net.KeepAliveConfig{Enable: true, Idle: l.opts.PingInterval,
			Interval: l.opts.PingInterval, Count: l.opts.MaxMissedPings})
	}
	tc := gotls.Server(nc, l.cfg)
	ctx, cancel := context.WithTimeout(context.Background(), l.opts.HandshakeTimeout)
	err := tc.HandshakeContext(ctx)
	cancel()
	if err != nil {
		l.log.Info("tls: handshake failed", "remote", nc.RemoteAddr(), "err", err)
		tc.Close()
		l.Release(host)
		return nil
	}
	user, err := l.opts.CertUser(tc.ConnectionState().VerifiedChains)
	if err != nil {
		l.log.Info("tls: client certificate refused", "remote", nc.RemoteAddr(), "err", err)
		tc.Close()
		l.Release(host)
		return nil
	}
	var once sync.Once
	c := framed.New(framed.DeadlineWriter{Conn: tc, Timeout: l.opts.WriteTimeout}, func() error {
		err := tc.Close()
		once.Do(func() { l.Release(host) })
		return err
	}, netconf.ConnInfo{User: user, Transport: "ietf-netconf-monitoring:netconf-tls", Remote: nc.RemoteAddr()}, l.opts.ReadLimit)
	// tls.Conn.Close sends close_notify with a 5 s deadline when no write is running: a close
	// that takes longer than framed.CloseTimeout closes the TCP connection under it.
	c.SetAbort(func() error {
		err := nc.Close()
		once.Do(func() { l.Release(host) })
		return err
	})
	l.Offer(c)
	return c
}
