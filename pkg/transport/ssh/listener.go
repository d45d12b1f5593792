package ssh

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/transport/internal/framed"
)

// Subsystem is the SSH subsystem of NETCONF (RFC 6242 section 3).
const Subsystem = "netconf"

// Defaults of Options.
const (
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultMaxConns         = 10000
	DefaultMaxConnsPerAddr  = 64
	DefaultReadLimit        = netconf.DefaultMaxMessageSize
	// DefaultMaxChannels caps the NETCONF sessions one SSH connection may open.
	DefaultMaxChannels = 16
	// DefaultPingInterval and DefaultMaxMissedPings are the keepalive: the same bound as the
	// WebSocket transport's (a dead peer is dropped within 30 s).
	DefaultPingInterval   = 10 * time.Second
	DefaultMaxMissedPings = 2
)

// Options configures a Listener.
type Options struct {
	// HostKeys are the server's host keys (see LoadOrCreateHostKeys). Required.
	HostKeys []xssh.Signer
	// Password checks a password (from the password method or keyboard-interactive) and
	// returns the NETCONF username; nil refuses passwords. auth.Authenticator.CheckPassword
	// fits, with its rate limit of failures.
	Password func(remote net.Addr, user, password string) (string, error)
	// PublicKeys returns the keys user may log in with (see AuthorizedKeysDir); nil refuses
	// public keys.
	PublicKeys func(user string) ([]xssh.PublicKey, error)
	// Blocked, when set, is asked before any login attempt of user from remote: an error refuses
	// it (the address, or the user at that address, blocked after repeated failures).
	// auth.Authenticator.Blocked fits.
	Blocked func(remote net.Addr, user string) error
	// ReadLimit caps one NETCONF message in bytes (DefaultReadLimit when 0); a bigger one ends
	// the session.
	ReadLimit int
	// HandshakeTimeout bounds the SSH handshake and authentication (DefaultHandshakeTimeout
	// when 0).
	HandshakeTimeout time.Duration
	// Connection caps (defaults when 0, none when negative); a connection over a cap is closed
	// before the SSH handshake.
	MaxConns, MaxConnsPerAddr int
	// MaxChannels caps the NETCONF subsystems of one connection (DefaultMaxChannels when 0).
	MaxChannels int
	// PingInterval is how often a connection is sent a keepalive@openssh.com global request
	// with want-reply (DefaultPingInterval when 0, none when negative). Any reply counts,
	// success or failure (OpenSSH answers failure); x/crypto/ssh reads replies while a session
	// is busy with a long request, so only a dead or stopped peer misses them. A ping
	// left unanswered for MaxMissedPings intervals (DefaultMaxMissedPings when 0) closes the
	// connection: a dead
	// peer's sessions end, and their locks are freed, within (MaxMissedPings+1) x
	// PingInterval (30 s with the defaults).
	PingInterval   time.Duration
	MaxMissedPings int
	// ServerVersion is the SSH identification string ("SSH-2.0-ncws" when empty).
	ServerVersion string
	// Logger receives refused connections and logins at Info level (slog.Default() when nil).
	Logger *slog.Logger
}

// A Listener accepts SSH connections on a net.Listener, authenticates them and yields each
// `netconf` subsystem channel as a netconf.Conn (it is a netconf.Listener for server.Serve).
type Listener struct {
	*framed.Base
	opts Options
	cfg  *xssh.ServerConfig
	log  *slog.Logger
}

// NewListener starts accepting SSH connections on ln. Close closes ln. With a nil ln it
// accepts nothing itself: connections come through ServeConn (call home, RFC 8071).
func NewListener(ln net.Listener, opts Options) (*Listener, error) {
	if len(opts.HostKeys) == 0 {
		return nil, errors.New("ssh: no host key")
	}
	if opts.ReadLimit <= 0 {
		opts.ReadLimit = DefaultReadLimit
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
	if opts.MaxChannels <= 0 {
		opts.MaxChannels = DefaultMaxChannels
	}
	if opts.PingInterval == 0 {
		opts.PingInterval = DefaultPingInterval
	}
	if opts.MaxMissedPings <= 0 {
		opts.MaxMissedPings = DefaultMaxMissedPings
	}
	if opts.ServerVersion == "" {
		opts.ServerVersion = "SSH-2.0-ncws"
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	l := &Listener{Base: framed.NewBase("ssh", ln, opts.MaxConns, opts.MaxConnsPerAddr), opts: opts, log: log}
	l.cfg = &xssh.ServerConfig{ServerVersion: opts.ServerVersion, MaxAuthTries: 6}
	for _, k := range opts.HostKeys {
		l.cfg.AddHostKey(k)
	}
	if opts.Password != nil {
		l.cfg.PasswordCallback = func(c xssh.ConnMetadata, pw []byte) (*xssh.Permissions, error) {
			return l.password(c, string(pw))
		}
		l.cfg.KeyboardInteractiveCallback = func(c xssh.ConnMetadata, ch xssh.KeyboardInteractiveChallenge) (*xssh.Permissions, error) {
			ans, err := ch("", "", []string{"Password: "}, []bool{false})
			if err != nil {
				return nil, err
			}
			if len(ans) != 1 {
				return nil, errors.New("ssh: one answer expected")
			}
			return l.password(c, ans[0])
		}
	}
	if opts.PublicKeys != nil {
		l.cfg.PublicKeyCallback = l.publicKey
	}
	if ln != nil {
		go l.acceptLoop()
	}
	return l, nil
}

// ServeConn runs the SSH server side on nc, a connection the NETCONF server dialed itself
// (call home, RFC 8071 section 3.1: the server initiates TCP, then acts as the SSH server),
// and returns when the connection ends. Its sessions come out of Accept like the others.
func (l *Listener) ServeConn(nc net.Conn) {
	addr := hostOf(nc.RemoteAddr())
	if !l.Admit(addr) {
		nc.Close()
		return
	}
	l.serveConn(nc, addr)
}

// password checks a password login.
func (l *Listener) password(c xssh.ConnMetadata, pw string) (*xssh.Permissions, error) {
	if l.opts.Blocked != nil {
		if err := l.opts.Blocked(c.RemoteAddr(), c.User()); err != nil {
			return nil, err
		}
	}
	user, err := l.opts.Password(c.RemoteAddr(), c.User(), pw)
	if err != nil {
		return nil, err
	}
	return &xssh.Permissions{Extensions: map[string]string{"ncws-user": user}}, nil
}

// publicKey accepts a key listed for the user. A key that is not listed is not a failed login
// (clients offer every key they hold); the rate limit still applies to a blocked address, or a
// blocked user at that address.
func (l *Listener) publicKey(c xssh.ConnMetadata, key xssh.PublicKey) (*xssh.Permissions, error) {
	if l.opts.Blocked != nil {
		if err := l.opts.Blocked(c.RemoteAddr(), c.User()); err != nil {
			return nil, err
		}
	}
	keys, err := l.opts.PublicKeys(c.User())
	if err != nil {
		l.log.Warn("ssh: reading the user's public keys", "user", c.User(), "err", err)
		return nil, errors.New("ssh: no keys")
	}
	want := key.Marshal()
	for _, k := range keys {
		if string(k.Marshal()) == string(want) {
			return &xssh.Permissions{Extensions: map[string]string{
				"ncws-user": c.User(), "pubkey-fp": xssh.FingerprintSHA256(key)}}, nil
		}
	}
	return nil, fmt.Errorf("ssh: key %s not authorized for %q", xssh.FingerprintSHA256(key), c.User())
}

func (l *Listener) acceptLoop() {
	for {
		nc, err := l.Listener().Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				l.Close()
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			l.log.Warn("ssh: accept", "err", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		addr := hostOf(nc.RemoteAddr())
		if !l.Admit(addr) {
			l.log.Info("ssh: connection refused over the connection cap", "remote", nc.RemoteAddr())
			nc.Close()
			continue
		}
		go l.serveConn(nc, addr)
	}
}

func hostOf(a net.Addr) string {
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}

// serveConn runs the SSH handshake and the connection's channels.
func (l *Listener) serveConn(nc net.Conn, addr string) {
	defer l.Release(addr)
	nc.SetDeadline(time.Now().Add(l.opts.HandshakeTimeout))
	sc, chans, reqs, err := xssh.NewServerConn(nc, l.cfg)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			l.log.Info("ssh: handshake failed", "remote", nc.RemoteAddr(), "err", err)
		}
		nc.Close()
		return
	}
	nc.SetDeadline(time.Time{})
	go xssh.DiscardRequests(reqs)
	user := sc.Permissions.Extensions["ncws-user"]
	if l.opts.PingInterval > 0 {
		stop := make(chan struct{})
		defer close(stop)
		go l.keepalive(sc, user, stop)
	}
	// The connection lives while it has sessions: it is closed when its last NETCONF session
	// ends, and when no session starts within the handshake timeout.
	var mu sync.Mutex
	nchan, sessions := 0, 0
	idle := time.AfterFunc(l.opts.HandshakeTimeout, func() {
		mu.Lock()
		defer mu.Unlock()
		if sessions == 0 {
			l.log.Info("ssh: no netconf subsystem requested in time", "remote", sc.RemoteAddr(), "user", user)
			sc.Close()
		}
	})
	defer idle.Stop()
	var wg sync.WaitGroup
	for nch := range chans {
		if nch.ChannelType() != "session" {
			nch.Reject(xssh.UnknownChannelType, "only session channels")
			continue
		}
		mu.Lock()
		if nchan >= l.opts.MaxChannels {
			mu.Unlock()
			nch.Reject(xssh.ResourceShortage, "too many channels")
			continue
		}
		nchan++
		mu.Unlock()
		ch, creqs, err := nch.Accept()
		if err != nil {
			mu.Lock()
			nchan--
			mu.Unlock()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			started := l.serveChannel(sc, ch, creqs, user, func() {
				mu.Lock()
				sessions++
				mu.Unlock()
			})
			mu.Lock()
			nchan--
			if started {
				sessions--
			}
			last := started && sessions == 0
			mu.Unlock()
			if last {
				sc.Close()
			}
		}()
	}
	wg.Wait()
	sc.Close()
}

// keepalive pings sc every PingInterval and closes it when MaxMissedPings pings in a row
// got no reply by the next tick. A ping is answered on x/crypto/ssh's own reading goroutine,
// whatever the sessions do.
func (l *Listener) keepalive(sc *xssh.ServerConn, user string, stop <-chan struct{}) {
	t := time.NewTicker(l.opts.PingInterval)
	defer t.Stop()
	answered := make(chan struct{}, 1)
	answered <- struct{}{}
	missed := 0
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		select {
		case <-answered:
			missed = 0
		default:
			// The last ping is still unanswered.
			if missed++; missed >= l.opts.MaxMissedPings {
				l.log.Info("ssh: peer answered no keepalive; closing", "remote", sc.RemoteAddr(), "user", user, "missed", missed)
				sc.Close()
				return
			}
			continue
		}
		go func() {
			if _, _, err := sc.SendRequest("keepalive@openssh.com", true, nil); err == nil {
				answered <- struct{}{}
			}
		}()
	}
}

// serveChannel waits for the netconf subsystem request and hands the channel to Accept; it
// returns when the channel is done, reporting whether it carried a session.
func (l *Listener) serveChannel(sc *xssh.ServerConn, ch xssh.Channel, reqs <-chan *xssh.Request, user string, started func()) bool {
	var c *framed.Conn
	for req := range reqs {
		if req.Type == "subsystem" && c == nil && subsystemName(req.Payload) == Subsystem {
			req.Reply(true, nil)
			c = newConn(sc, ch, user, l.opts.ReadLimit)
			// A channel write waiting for window (a peer that stopped reading) ends only with
			// the connection: a close that takes longer than framed.CloseTimeout cuts it.
			c.SetAbort(sc.Close)
			started()
			if !l.Offer(c) {
				return true
			}
			// Go on answering the channel's other requests (false) until it closes.
			go func() {
				for req := range reqs {
					if req.WantReply {
						req.Reply(false, nil)
					}
				}
			}()
			<-c.Closed()
			return true
		}
		if req.WantReply {
			req.Reply(false, nil)
		}
	}
	ch.Close()
	return false
}

// subsystemName decodes the subsystem request payload (RFC 4254 section 6.5: a string).
func subsystemName(p []byte) string {
	var m struct{ Name string }
	if err := xssh.Unmarshal(p, &m); err != nil {
		return ""
	}
	return strings.TrimSpace(m.Name)
}

func newConn(sc *xssh.ServerConn, ch xssh.Channel, user string, limit int) *framed.Conn {
	info := netconf.ConnInfo{User: user, Transport: "ietf-netconf-monitoring:netconf-ssh", Remote: sc.RemoteAddr()}
	// Close alone ends the channel (the peer reads EOF); CloseWrite first would race with a
	// write still running on another goroutine (a notification) inside x/crypto/ssh.
	return framed.New(ch, ch.Close, info, limit)
}
