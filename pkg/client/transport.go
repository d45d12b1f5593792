package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"

	ws "github.com/coder/websocket"
	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/pkg/netconf"
)

// conn carries whole NETCONF messages for a Session: a WebSocket, or a byte stream with RFC
// 6242 framing (SSH, TLS).
type conn interface {
	// read returns the next message; an error ends the session.
	read(ctx context.Context) ([]byte, error)
	write(ctx context.Context, msg []byte) error
	// close ends the connection normally (1000 on WebSocket).
	close() error
	// closeProtocolError ends it after a protocol error (1002 on WebSocket).
	closeProtocolError(reason string)
	// abort closes at once, unblocking read and write.
	abort()
	// closedError says why the connection ended, from read's error.
	closedError(err error) *ClosedError
	// base11 is called when both hellos announced base:1.1 (chunked framing on streams).
	base11()
}

// wsConn is the draft's binding: one NETCONF message per text message.
type wsConn struct{ c *ws.Conn }

func (w *wsConn) read(ctx context.Context) ([]byte, error) {
	for {
		typ, msg, err := w.c.Read(ctx)
		if err != nil {
			return nil, err
		}
		if typ == ws.MessageText {
			return msg, nil
		}
		w.c.Close(ws.StatusUnsupportedData, "NETCONF messages are text messages")
	}
}

func (w *wsConn) write(ctx context.Context, msg []byte) error {
	return w.c.Write(ctx, ws.MessageText, msg)
}

func (w *wsConn) close() error                     { return w.c.Close(ws.StatusNormalClosure, "") }
func (w *wsConn) closeProtocolError(reason string) { w.c.Close(ws.StatusProtocolError, reason) }
func (w *wsConn) abort()                           { w.c.CloseNow() }
func (w *wsConn) base11()                          {}

func (w *wsConn) closedError(err error) *ClosedError {
	var ce ws.CloseError
	if errors.As(err, &ce) {
		return &ClosedError{Code: int(ce.Code), Reason: ce.Reason}
	}
	return &ClosedError{Code: StatusAbnormal, Reason: err.Error()}
}

// streamConn is a NETCONF session on a byte stream (an SSH channel, a TLS connection) with RFC
// 6242 framing. SSH and TLS carry no close codes: a stream that ends between messages is
// reported as code 1000 ("the server ended the session": after close-session, kill-session or
// a shutdown alike), any other end as StatusAbnormal.
type streamConn struct {
	r      *netconf.Reader
	wmu    sync.Mutex
	w      *netconf.Writer
	closer func() error
	once   sync.Once
	cerr   error
}

func newStreamConn(rw io.ReadWriter, limit int64, closeFn func() error) *streamConn {
	if limit < 0 {
		limit = 0
	}
	return &streamConn{r: netconf.NewReader(rw, int(limit)), w: netconf.NewWriter(rw), closer: closeFn}
}

func (c *streamConn) read(ctx context.Context) ([]byte, error) { return c.r.ReadMessage() }

func (c *streamConn) write(ctx context.Context, msg []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.w.WriteMessage(msg)
}

func (c *streamConn) closeOnce() error {
	c.once.Do(func() { c.cerr = c.closer() })
	return c.cerr
}

func (c *streamConn) close() error { return c.closeOnce() }

func (c *streamConn) closeProtocolError(string) { c.closeOnce() }
func (c *streamConn) abort()                    { c.closeOnce() }

func (c *streamConn) base11() {
	c.r.SetFraming(netconf.Chunked)
	c.wmu.Lock()
	c.w.SetFraming(netconf.Chunked)
	c.wmu.Unlock()
}

func (c *streamConn) closedError(err error) *ClosedError {
	if errors.Is(err, io.EOF) {
		return &ClosedError{Code: int(ws.StatusNormalClosure), Reason: "the server ended the session"}
	}
	return &ClosedError{Code: StatusAbnormal, Reason: err.Error()}
}

// Default ports of the stream transports.
const (
	DefaultSSHPort = "830"  // RFC 6242 section 3
	DefaultTLSPort = "6513" // RFC 7589 section 3
)

func hostPort(u *url.URL, port string) string {
	if p := u.Port(); p != "" {
		port = p
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// sshConfig is the SSH client configuration of o (the user from o or the URL).
func sshConfig(u *url.URL, o Options) (*xssh.ClientConfig, error) {
	if o.HostKeyCallback == nil {
		return nil, errors.New("client: ssh: Options.HostKeyCallback is required (knownhosts.New, or ssh.FixedHostKey)")
	}
	user := o.Username
	if user == "" && u != nil && u.User != nil {
		user = u.User.Username()
	}
	if user == "" {
		return nil, errors.New("client: ssh: no username (Options.Username or ssh://USER@HOST)")
	}
	var auths []xssh.AuthMethod
	if len(o.Signers) > 0 {
		auths = append(auths, xssh.PublicKeys(o.Signers...))
	}
	if o.Password != "" {
		pw := o.Password
		auths = append(auths, xssh.Password(pw), xssh.KeyboardInteractive(
			func(name, instr string, qs []string, echos []bool) ([]string, error) {
				ans := make([]string, len(qs))
				for i := range qs {
					ans[i] = pw
				}
				return ans, nil
			}))
	}
	return &xssh.ClientConfig{User: user, Auth: auths, HostKeyCallback: o.HostKeyCallback}, nil
}

// dialSSH connects over SSH and opens the netconf subsystem.
func dialSSH(ctx context.Context, u *url.URL, o Options) (conn, error) {
	cfg, err := sshConfig(u, o)
	if err != nil {
		return nil, err
	}
	addr := hostPort(u, DefaultSSHPort)
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("client: dial %s: %w", addr, err)
	}
	return sshSession(ctx, nc, addr, cfg, o)
}

// sshSession is the SSH client side on nc: handshake, authentication, the netconf subsystem.
func sshSession(ctx context.Context, nc net.Conn, addr string, cfg *xssh.ClientConfig, o Options) (conn, error) {
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	defer stop()
	cc, chans, reqs, err := xssh.NewClientConn(nc, addr, cfg)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("client: ssh %s: %w", addr, err)
	}
	sc := xssh.NewClient(cc, chans, reqs)
	s, err := sc.NewSession()
	if err != nil {
		sc.Close()
		return nil, fmt.Errorf("client: ssh %s: %w", addr, err)
	}
	in, err := s.StdinPipe()
	if err != nil {
		sc.Close()
		return nil, err
	}
	out, err := s.StdoutPipe()
	if err != nil {
		sc.Close()
		return nil, err
	}
	if err := s.RequestSubsystem("netconf"); err != nil {
		sc.Close()
		return nil, fmt.Errorf("client: ssh %s: the netconf subsystem: %w", addr, err)
	}
	return newStreamConn(struct {
		io.Reader
		io.Writer
	}{out, in}, o.ReadLimit, sc.Close), nil
}

// dialTLS connects with NETCONF over TLS.
func dialTLS(ctx context.Context, u *url.URL, o Options) (conn, error) {
	addr := hostPort(u, DefaultTLSPort)
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("client: dial %s: %w", addr, err)
	}
	return tlsSession(ctx, nc, u.Hostname(), o)
}

// tlsSession is the TLS client side on nc (RFC 7589: the client presents its certificate).
func tlsSession(ctx context.Context, nc net.Conn, serverName string, o Options) (conn, error) {
	cfg := &tls.Config{}
	if o.TLSConfig != nil {
		cfg = o.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = serverName
	}
	if cfg.MinVersion < tls.VersionTLS12 {
		cfg.MinVersion = tls.VersionTLS12
	}
	tc := tls.Client(nc, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, fmt.Errorf("client: tls %s: %w", nc.RemoteAddr(), err)
	}
	return newStreamConn(tc, o.ReadLimit, tc.Close), nil
}

// A CallHomeListener accepts NETCONF call home (RFC 8071): servers connect to it, and the
// client then runs SSH or TLS as the client on each connection.
type CallHomeListener struct {
	ln     net.Listener
	scheme string
	opts   Options
	cfg    *xssh.ClientConfig
}

// Listen listens for call home at url: ssh://[USER@]ADDR[:4334] or tls://ADDR[:4335] (an empty
// host listens on every address; port 0 picks one, see Addr). opts are those of Dial (for SSH,
// HostKeyCallback checks the calling server's host key; for TLS, TLSConfig verifies its
// certificate and holds the client's).
func Listen(ctx context.Context, rawURL string, opts *Options) (*CallHomeListener, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.HelloTimeout == 0 {
		o.HelloTimeout = DefaultHelloTimeout
	}
	if o.ReadLimit == 0 {
		o.ReadLimit = DefaultReadLimit
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	l := &CallHomeListener{scheme: u.Scheme, opts: o}
	var port string
	switch u.Scheme {
	case "ssh":
		port = "4334"
		if l.cfg, err = sshConfig(u, o); err != nil {
			return nil, err
		}
	case "tls":
		port = "4335"
	default:
		return nil, fmt.Errorf("client: call home %q: the scheme must be ssh or tls", rawURL)
	}
	var lc net.ListenConfig
	if l.ln, err = lc.Listen(ctx, "tcp", hostPort(u, port)); err != nil {
		return nil, fmt.Errorf("client: call home: %w", err)
	}
	return l, nil
}

// Addr is the listening address.
func (l *CallHomeListener) Addr() net.Addr { return l.ln.Addr() }

// Close stops listening; sessions already accepted go on.
func (l *CallHomeListener) Close() error { return l.ln.Close() }

// Accept waits for the next server to call, runs SSH or TLS on its connection, exchanges the
// hellos and returns the session. ctx bounds the wait and the setup.
func (l *CallHomeListener) Accept(ctx context.Context) (*Session, error) {
	type res struct {
		nc  net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		nc, err := l.ln.Accept()
		ch <- res{nc, err}
	}()
	var r res
	select {
	case r = <-ch:
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.nc != nil {
				r.nc.Close()
			}
		}()
		return nil, ctx.Err()
	}
	if r.err != nil {
		return nil, fmt.Errorf("client: call home: %w", r.err)
	}
	var c conn
	var err error
	if l.scheme == "ssh" {
		c, err = sshSession(ctx, r.nc, r.nc.RemoteAddr().String(), l.cfg, l.opts)
	} else {
		host, _, _ := net.SplitHostPort(r.nc.RemoteAddr().String())
		c, err = tlsSession(ctx, r.nc, host, l.opts)
	}
	if err != nil {
		return nil, err
	}
	return start(ctx, c, l.opts)
}
