package websocket

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/netconf"
)

// Subprotocol is the WebSocket subprotocol of NETCONF (draft section 4).
const Subprotocol = "netconf"

// Defaults of Options.
const (
	DefaultReadLimit       = 16 << 20
	DefaultPingInterval    = 10 * time.Second
	DefaultMaxMissedPings  = 2
	DefaultMaxConns        = 10000
	DefaultMaxConnsPerUser = 256
	DefaultMaxConnsPerAddr = 64
)

// Options configures a Listener.
type Options struct {
	// Authenticate returns the NETCONF username of a request before the upgrade (e.g.
	// auth.Authenticator.Authenticate). An error refuses it, answered by auth.WriteError: an
	// error with a WriteHTTP method writes itself, one with HTTPStatus() int gets that status,
	// any other 401. Required: without it every upgrade is refused.
	Authenticate func(r *http.Request) (string, error)
	// AllowOrigins lists the exact origins ("https://nms.example.com") whose pages may connect;
	// empty: only the server's own origin. Requests without an Origin header pass.
	AllowOrigins []string
	// AllowHosts lists the host names (without port) accepted in the Host header besides IP
	// literals and localhost names.
	AllowHosts []string
	// ReadLimit caps one message in bytes (DefaultReadLimit when 0); a bigger one closes the
	// connection with 1009.
	ReadLimit int64
	// PingInterval is how often a connection is pinged (DefaultPingInterval when 0, none when
	// negative). A ping counts as missed when, within the interval, neither its pong nor
	// anything else came from the peer (a session busy with a long request keeps reading its
	// peer, so it is not at fault); MaxMissedPings missed in a row (DefaultMaxMissedPings when
	// 0) close the connection with 1008 "no pong". A dead peer is thus detected within
	// (MaxMissedPings+1) x PingInterval (30 s with the defaults), and its locks freed.
	PingInterval   time.Duration
	MaxMissedPings int
	// Connection caps (defaults when 0, none when negative); a request over a cap gets 503.
	MaxConns, MaxConnsPerUser, MaxConnsPerAddr int
	// Transport names the transport identity in ietf-netconf-monitoring
	// ("ncws-server:netconf-ws" when empty).
	Transport string
	// Logger receives refused upgrades at Info level (slog.Default() when nil).
	Logger *slog.Logger
}

// A Listener upgrades HTTP requests (it is their http.Handler) and yields the connections to a
// NETCONF server through Accept (it is a netconf.Listener).
type Listener struct {
	opts  Options
	log   *slog.Logger
	conns chan *conn
	done  chan struct{}
	once  sync.Once

	mu      sync.Mutex
	total   int
	perUser map[string]int
	perAddr map[string]int
}

// NewListener returns a Listener configured by opts.
func NewListener(opts Options) *Listener {
	if opts.ReadLimit == 0 {
		opts.ReadLimit = DefaultReadLimit
	}
	if opts.PingInterval == 0 {
		opts.PingInterval = DefaultPingInterval
	}
	if opts.MaxMissedPings <= 0 {
		opts.MaxMissedPings = DefaultMaxMissedPings
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&opts.MaxConns, DefaultMaxConns)
	def(&opts.MaxConnsPerUser, DefaultMaxConnsPerUser)
	def(&opts.MaxConnsPerAddr, DefaultMaxConnsPerAddr)
	if opts.Transport == "" {
		opts.Transport = "ncws-server:netconf-ws"
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Listener{opts: opts, log: log, conns: make(chan *conn), done: make(chan struct{}),
		perUser: map[string]int{}, perAddr: map[string]int{}}
}

// Accept waits for the next upgraded connection.
func (l *Listener) Accept() (netconf.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, fmt.Errorf("websocket: listener: %w", net.ErrClosed)
	}
}

// Close stops Accept; upgrades after it get 503. Connections already accepted stay open.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr is a placeholder: the listening socket belongs to the HTTP server.
func (l *Listener) Addr() net.Addr { return addr("websocket") }

// refuse answers a handshake with an HTTP error.
func (l *Listener) refuse(w http.ResponseWriter, r *http.Request, status int, why string) {
	l.log.Info("websocket: upgrade refused", "remote", r.RemoteAddr, "status", status, "why", why)
	http.Error(w, why, status)
}

// ServeHTTP checks a handshake and upgrades it (see the package doc for the order of checks).
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Pragma", "no-cache")

	if !l.hostAllowed(r.Host) {
		l.refuse(w, r, http.StatusForbidden, "host not allowed")
		return
	}
	if !l.originAllowed(r) {
		l.refuse(w, r, http.StatusForbidden, "origin not allowed")
		return
	}
	if !offers(r, Subprotocol) {
		l.refuse(w, r, http.StatusBadRequest, `the request must offer the WebSocket subprotocol "netconf"`)
		return
	}
	remote := remoteIP(r)
	if !l.reserve(remote) {
		l.refuse(w, r, http.StatusServiceUnavailable, "too many connections")
		return
	}
	user, err := l.authenticate(r)
	if err != nil {
		l.release("", remote)
		l.log.Info("websocket: authentication failed", "remote", r.RemoteAddr, "err", err)
		auth.WriteError(w, err)
		return
	}
	if !l.reserveUser(user) {
		l.release("", remote)
		l.refuse(w, r, http.StatusServiceUnavailable, "too many connections for user "+user)
		return
	}
	released := false
	release := func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if !released {
			released = true
			l.releaseLocked(user, remote)
		}
	}
	select {
	case <-l.done:
		release()
		l.refuse(w, r, http.StatusServiceUnavailable, "server shutting down")
		return
	default:
	}

	cw := &corkWriter{ResponseWriter: w}
	c, err := ws.Accept(cw, r, &ws.AcceptOptions{
		Subprotocols: []string{Subprotocol},
		// The origin was checked above, with exact origins rather than host patterns.
		InsecureSkipVerify: true,
	})
	if err != nil {
		release()
		l.log.Info("websocket: upgrade failed", "remote", r.RemoteAddr, "err", err)
		return
	}
	// The limit is enforced by the conn, which closes with 1009 and a reason naming it.
	c.SetReadLimit(-1)
	var raddr net.Addr
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		raddr = net.TCPAddrFromAddrPort(ap)
	}
	cn := newConn(c, cw, netconf.ConnInfo{User: user, Transport: l.opts.Transport, Remote: raddr},
		l.opts.ReadLimit, l.opts.PingInterval, l.opts.MaxMissedPings, release)
	select {
	case l.conns <- cn:
	case <-l.done:
		cn.Close(netconf.CloseReason{Code: netconf.CloseShutdown, Text: "server shutting down"})
	case <-r.Context().Done():
		cn.Close(netconf.CloseReason{Code: netconf.CloseShutdown, Text: "server shutting down"})
	}
}

func (l *Listener) authenticate(r *http.Request) (string, error) {
	if l.opts.Authenticate == nil {
		return "", errors.New("no authenticator configured")
	}
	user, err := l.opts.Authenticate(r)
	if err == nil && user == "" {
		err = errors.New("authenticated without a user name")
	}
	return user, err
}

// reserve takes a place in the total and per-address caps.
func (l *Listener) reserve(remote string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if over(l.total, l.opts.MaxConns) || over(l.perAddr[remote], l.opts.MaxConnsPerAddr) {
		return false
	}
	l.total++
	l.perAddr[remote]++
	return true
}

func (l *Listener) reserveUser(user string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if over(l.perUser[user], l.opts.MaxConnsPerUser) {
		return false
	}
	l.perUser[user]++
	return true
}

// release gives back the places reserve (and reserveUser, when user is not empty) took.
func (l *Listener) release(user, remote string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.releaseLocked(user, remote)
}

func (l *Listener) releaseLocked(user, remote string) {
	l.total--
	decr(l.perAddr, remote)
	if user != "" {
		decr(l.perUser, user)
	}
}

func over(n, limit int) bool { return limit > 0 && n >= limit }

func decr(m map[string]int, k string) {
	if m[k] <= 1 {
		delete(m, k)
	} else {
		m[k]--
	}
}

// Conns reports the connections open now (for tests and monitoring).
func (l *Listener) Conns() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// offers reports whether the request offers subprotocol p (the header may be repeated and
// holds comma-separated tokens).
func offers(r *http.Request, p string) bool {
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for tok := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(tok) == p {
				return true
			}
		}
	}
	return false
}

// hostAllowed checks the Host header against DNS rebinding: an IP literal cannot be rebound;
// a name must be a localhost name or an allowed one.
func (l *Listener) hostAllowed(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return false
	}
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return true
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	for _, a := range l.opts.AllowHosts {
		if strings.EqualFold(strings.TrimSuffix(a, "."), host) {
			return true
		}
	}
	return false
}

// originAllowed checks the Origin header: absent (not a browser), the server's own origin, or
// one of the allowed origins, compared exactly (scheme, host and port).
func (l *Listener) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	norm := strings.ToLower(u.Scheme + "://" + u.Host)
	if len(l.opts.AllowOrigins) == 0 {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		return norm == strings.ToLower(scheme+"://"+r.Host)
	}
	for _, a := range l.opts.AllowOrigins {
		if strings.EqualFold(strings.TrimSuffix(a, "/"), norm) {
			return true
		}
	}
	return false
}

// remoteIP is the client's address without the port.
func remoteIP(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

var _ netconf.Listener = (*Listener)(nil)
