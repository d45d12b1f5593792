package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	ws "github.com/coder/websocket"
	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// Subprotocol is the WebSocket subprotocol of NETCONF (draft section 4).
const Subprotocol = "netconf"

// TokenSubprotocolPrefix prefixes a login token offered as a second subprotocol
// ("ncws.token.<token>"), the way browsers, which cannot set headers, authenticate.
const TokenSubprotocolPrefix = "ncws.token."

// Defaults of Options.
const (
	DefaultHelloTimeout = 30 * time.Second
	DefaultReadLimit    = netconf.DefaultMaxMessageSize
)

// StatusAbnormal is the ClosedError code of a connection that ended without a close frame
// (RFC 6455 section 7.4.1).
const StatusAbnormal = 1006

// ErrSubprotocol is returned by Dial when the server upgraded without selecting the
// subprotocol `netconf`.
var ErrSubprotocol = errors.New("client: the server did not select the WebSocket subprotocol netconf")

// ErrBadHello is wrapped by Dial's error when the server's <hello> is not usable: malformed,
// without a session-id, or without a base protocol version in common.
var ErrBadHello = errors.New("client: bad server hello")

// Options configures Dial. The zero value (or nil) dials without credentials.
type Options struct {
	// Username and Password are sent as HTTP Basic authentication on the upgrade request
	// when Username is not empty.
	Username, Password string
	// Token, from the server's POST /login, is offered as the second subprotocol
	// TokenSubprotocolPrefix+Token; the server still selects only `netconf`.
	Token string
	// TLSConfig configures wss:// connections: RootCAs, client Certificates,
	// InsecureSkipVerify. Nil means the system roots and no client certificate.
	TLSConfig *tls.Config
	// Header holds extra headers of the upgrade request, such as Origin.
	Header http.Header
	// ReadLimit caps one incoming message in bytes (DefaultReadLimit when 0, none when
	// negative); a bigger one ends the session.
	ReadLimit int64
	// HelloTimeout bounds the wait for the server's <hello> after the upgrade
	// (DefaultHelloTimeout when 0).
	HelloTimeout time.Duration
	// Capabilities are announced in the client's <hello> besides base:1.0 and base:1.1.
	Capabilities []string
	// Base10Only announces base:1.0 and not base:1.1, so that an SSH or TLS session keeps the
	// end-of-message framing (RFC 6242 section 4.1).
	Base10Only bool
	// Signers are the SSH public-key identities (ssh:// URLs), tried before Password.
	Signers []xssh.Signer
	// HostKeyCallback checks the SSH server's host key (ssh:// URLs): knownhosts.New of a
	// known_hosts file, or xssh.FixedHostKey. Required for SSH: there is no silent default.
	HostKeyCallback xssh.HostKeyCallback
	// OnNotification, when set, receives each <notification>'s eventTime and event content
	// (XML standing alone), one at a time in arrival order on a goroutine of the session's
	// (it may call the Session). Notifications are dropped when it is nil. Those received
	// before the session ended are still delivered after Done; NotificationsDone says when
	// the last call has returned.
	OnNotification func(eventTime time.Time, body []byte)
}

// HandshakeError is returned by Dial when the server answers the upgrade request with an
// HTTP status other than 101 (401 without valid credentials, 429 after too many failed logins
// from the client's address, 403 for a refused Host or Origin, 400 without the subprotocol,
// 503 over a connection cap).
type HandshakeError struct {
	StatusCode int
	// Body is the start of the response body, trimmed.
	Body string
	// RetryAfter is the response's Retry-After (RFC 9110 section 10.2.3: seconds, or an
	// HTTP-date made relative to the time of the response), rounded up to whole seconds; 0
	// when the header is absent, unparsable or not in the future. ncws servers send it with
	// 429.
	RetryAfter time.Duration
}

// Error implements the error interface: "client: handshake refused: STATUS TEXT: BODY", with
// " (retry after Ns)" after the status when RetryAfter is set.
func (e *HandshakeError) Error() string {
	s := fmt.Sprintf("client: handshake refused: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

// parseRetryAfter reads a Retry-After header value: delay-seconds or an HTTP-date, the latter
// relative to date (the response's Date, else now).
func parseRetryAfter(v string, date time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(date)
	if d <= 0 {
		return 0
	}
	return (d + time.Second - 1).Truncate(time.Second)
}

// ClosedError is the error of calls on a session whose connection has closed: Code is the
// WebSocket close code and Reason its reason (1000 after <close-session>, 4001 "killed by
// session N" after <kill-session>, 1001 at server shutdown, StatusAbnormal without a close
// frame). A session closed by Session.Close reports Code 1000 and Reason "closed by the
// client".
type ClosedError struct {
	Code   int
	Reason string
}

// Error implements the error interface: "client: session closed (CODE REASON)".
func (e *ClosedError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("client: session closed (%d)", e.Code)
	}
	return fmt.Sprintf("client: session closed (%d %s)", e.Code, e.Reason)
}

// Reply is a decoded <rpc-reply> that Call returns.
type Reply struct {
	// Msg is the whole <rpc-reply> as received.
	Msg []byte
	// OK reports an <ok/> element.
	OK bool
	// Data is the content of <data> (nil when there is none), XML standing alone: each
	// top-level element declares the namespaces it uses.
	Data []byte
	// Body is the content of <rpc-reply> (the output of an rpc without <data>), standing alone
	// as Data does.
	Body []byte
	// Errors are the <rpc-error>s, warnings included.
	Errors rpcerror.List
}

// Session is one NETCONF session over a WebSocket connection. Its methods are safe for
// concurrent use.
type Session struct {
	c     conn
	hello *netconf.Hello
	opts  Options

	nextID atomic.Uint64

	mu      sync.Mutex
	pending map[string]chan *netconf.Reply
	err     error // set once, before done closes

	done      chan struct{}
	notes     chan *netconf.Notification
	delivered chan struct{} // closed when deliver has returned (or, without it, with done)
	closed    chan struct{} // closed when Close is called
	once      sync.Once
}

// Dial connects to url, reads the server's <hello> and sends the client's. The URL's scheme
// picks the transport:
//   - ws:// or wss://HOST:PORT/netconf: the draft's WebSocket binding (Username and Password
//     as HTTP Basic, Token, TLSConfig, Header);
//   - ssh://[USER@]HOST[:830]: NETCONF over SSH (RFC 6242, subsystem netconf; Username or the
//     URL's user, Password for password and keyboard-interactive, Signers for public keys,
//     HostKeyCallback required);
//   - tls://HOST[:6513]: NETCONF over TLS (RFC 7589; TLSConfig with the client certificate).
//
// The same Session API serves every transport. ctx bounds the connection and the hello
// exchange; the session outlives it. A refused upgrade returns a *HandshakeError, an upgrade
// without the subprotocol ErrSubprotocol.
func Dial(ctx context.Context, rawURL string, opts *Options) (*Session, error) {
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
	var c conn
	switch u.Scheme {
	case "ws", "wss":
		c, err = dialWebSocket(ctx, rawURL, o)
	case "ssh":
		c, err = dialSSH(ctx, u, o)
	case "tls":
		c, err = dialTLS(ctx, u, o)
	default:
		return nil, fmt.Errorf("client: %q: the scheme must be ws, wss, ssh or tls", rawURL)
	}
	if err != nil {
		return nil, err
	}
	return start(ctx, c, o)
}

// dialWebSocket upgrades to the subprotocol netconf.
func dialWebSocket(ctx context.Context, url string, o Options) (conn, error) {
	h := o.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if o.Username != "" {
		req := http.Request{Header: http.Header{}}
		req.SetBasicAuth(o.Username, o.Password)
		h.Set("Authorization", req.Header.Get("Authorization"))
	}
	protos := []string{Subprotocol}
	if o.Token != "" {
		protos = append(protos, TokenSubprotocolPrefix+o.Token)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// WebSocket upgrades are HTTP/1.1: no HTTP/2 negotiation.
	tr.ForceAttemptHTTP2 = false
	if o.TLSConfig != nil {
		tr.TLSClientConfig = o.TLSConfig.Clone()
	} else {
		tr.TLSClientConfig = &tls.Config{}
	}
	tr.TLSClientConfig.NextProtos = []string{"http/1.1"}
	defer tr.CloseIdleConnections()

	c, resp, err := ws.Dial(ctx, url, &ws.DialOptions{
		HTTPClient:   &http.Client{Transport: tr},
		HTTPHeader:   h,
		Subprotocols: protos,
	})
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			he := &HandshakeError{StatusCode: resp.StatusCode}
			date, err := http.ParseTime(resp.Header.Get("Date"))
			if err != nil {
				date = time.Now()
			}
			he.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), date)
			if resp.Body != nil {
				b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
				he.Body = strings.TrimSpace(string(b))
			}
			return nil, he
		}
		return nil, fmt.Errorf("client: dial %s: %w", url, err)
	}
	if c.Subprotocol() != Subprotocol {
		c.Close(ws.StatusProtocolError, "the subprotocol netconf was not selected")
		return nil, fmt.Errorf("%w (it selected %q)", ErrSubprotocol, c.Subprotocol())
	}
	c.SetReadLimit(o.ReadLimit)
	return &wsConn{c: c}, nil
}

// start exchanges the hellos on c and starts the session's reader.
func start(ctx context.Context, c conn, o Options) (*Session, error) {
	hctx, cancel := context.WithTimeout(ctx, o.HelloTimeout)
	defer cancel()
	// Stream transports cannot abandon a read: the connection is closed if the hello is late.
	stop := context.AfterFunc(hctx, c.abort)
	msg, err := c.read(hctx)
	if err != nil {
		c.abort()
		if ce := c.closedError(err); ce.Code != StatusAbnormal {
			return nil, ce
		}
		if hctx.Err() != nil {
			return nil, fmt.Errorf("client: waiting for the server hello: %w", hctx.Err())
		}
		return nil, fmt.Errorf("client: waiting for the server hello: %w", err)
	}
	hello, err := decodeServerHello(msg)
	if err != nil {
		c.closeProtocolError("bad hello")
		return nil, err
	}
	caps := append([]string{netconf.CapBase10, netconf.CapBase11}, o.Capabilities...)
	if o.Base10Only {
		caps = append([]string{netconf.CapBase10}, o.Capabilities...)
	}
	if err := c.write(hctx, (&netconf.Hello{Capabilities: caps}).Encode()); err != nil {
		c.abort()
		return nil, fmt.Errorf("client: sending the hello: %w", err)
	}
	if !stop() {
		c.abort()
		return nil, fmt.Errorf("client: the hello exchange: %w", hctx.Err())
	}
	if v, _ := netconf.CommonBase(hello.Capabilities, caps); v == netconf.CapBase11 {
		c.base11()
	}
	s := &Session{
		c: c, hello: hello, opts: o,
		pending:   map[string]chan *netconf.Reply{},
		done:      make(chan struct{}),
		delivered: make(chan struct{}),
		closed:    make(chan struct{}),
	}
	if o.OnNotification != nil {
		s.notes = make(chan *netconf.Notification, 64)
		go s.deliver()
	}
	go s.read()
	return s, nil
}

func decodeServerHello(msg []byte) (*netconf.Hello, error) {
	h, err := netconf.DecodeHello(msg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadHello, err)
	}
	if h.SessionID == 0 {
		return nil, fmt.Errorf("%w: no session-id", ErrBadHello)
	}
	if _, ok := netconf.CommonBase(h.Capabilities, []string{netconf.CapBase10, netconf.CapBase11}); !ok {
		return nil, fmt.Errorf("%w: no base protocol version in common", ErrBadHello)
	}
	return h, nil
}

// ID returns the session-id the server assigned.
func (s *Session) ID() uint32 { return s.hello.SessionID }

// Capabilities returns the capability URIs of the server's <hello>, in the order sent.
func (s *Session) Capabilities() []string { return slices.Clone(s.hello.Capabilities) }

// HasCapability reports whether the server announced uri: the same URI, or, when uri has no
// parameters, one that differs only by its parameters
// (HasCapability(netconf.CapWithDefaults) matches "...:with-defaults:1.0?basic-mode=explicit").
func (s *Session) HasCapability(uri string) bool {
	for _, c := range s.hello.Capabilities {
		if c == uri {
			return true
		}
		if base, _, ok := strings.Cut(c, "?"); ok && base == uri {
			return true
		}
	}
	return false
}

// Done is closed when the session has ended; Err then says why.
func (s *Session) Done() <-chan struct{} { return s.done }

// NotificationsDone is closed once the session has ended (Done) and OnNotification has returned
// for every notification received before the end: a program printing notifications waits for
// it before exiting so that it loses none. Without OnNotification it is closed with Done.
func (s *Session) NotificationsDone() <-chan struct{} { return s.delivered }

// Err returns nil while the session is open, then why it ended (a *ClosedError when the
// connection closed).
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Close closes the connection with code 1000 without <close-session>; the server then ends
// the session (RFC 6241 section 7.8 is the orderly way, see CloseSession). Pending calls return
// a *ClosedError.
func (s *Session) Close() error {
	s.once.Do(func() { close(s.closed) })
	err := s.c.close()
	<-s.done
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Call sends op, one operation element (which declares its namespace unless it is a base
// operation), in an <rpc> with the next message-id and returns the <rpc-reply>. When the reply
// holds <rpc-error>s of severity error, the error is their rpcerror.List and the Reply is
// returned too. When ctx ends first, Call returns ctx.Err() and the reply is dropped when it
// comes. op is checked to be well-formed XML holding one element before it is sent. The
// message is written whole even when ctx ends meanwhile (a half-written message would end the
// session); Close unblocks a write the server does not take.
func (s *Session) Call(ctx context.Context, op []byte) (*Reply, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id := strconv.FormatUint(s.nextID.Add(1), 10)
	msg := netconf.AppendRPC(nil, id, op)
	if _, rerr := netconf.DecodeRPC(msg); rerr != nil {
		return nil, fmt.Errorf("client: operation not sent: %s", rerr.Message)
	}
	ch := make(chan *netconf.Reply, 1)
	s.mu.Lock()
	if s.isDone() {
		s.mu.Unlock()
		return nil, s.err
	}
	s.pending[id] = ch
	s.mu.Unlock()
	forget := func() {
		s.mu.Lock()
		delete(s.pending, id)
		s.mu.Unlock()
	}
	if err := s.c.write(context.WithoutCancel(ctx), msg); err != nil {
		forget()
		// A failed write means the connection is going: the reader ends the session with
		// the close code.
		select {
		case <-s.done:
			return nil, s.err
		case <-ctx.Done():
			return nil, fmt.Errorf("client: sending rpc %s: %w", id, err)
		}
	}
	select {
	case r := <-ch:
		if r == nil {
			return nil, s.err
		}
		rep := &Reply{Msg: r.Msg, OK: r.OK, Data: r.Data, Body: r.Body, Errors: r.Errors}
		return rep, r.Err()
	case <-ctx.Done():
		forget()
		return nil, ctx.Err()
	}
}

func (s *Session) isDone() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// read is the session's one reader: it routes replies by message-id and notifications to
// OnNotification until the connection ends.
func (s *Session) read() {
	for {
		msg, err := s.c.read(context.Background())
		if err != nil {
			s.end(s.closedError(err))
			return
		}
		env, rerr := netconf.DecodeRPC(msg)
		if rerr != nil || env == nil {
			continue // not a NETCONF message: no one waits for it
		}
		switch env.Kind {
		case netconf.KindReply:
			r, err := netconf.DecodeReply(msg)
			if err != nil || !r.HasMessageID {
				continue
			}
			s.mu.Lock()
			ch := s.pending[r.MessageID]
			delete(s.pending, r.MessageID)
			s.mu.Unlock()
			if ch != nil {
				ch <- r
			}
		case netconf.KindNotification:
			if s.notes == nil {
				continue
			}
			if n, err := netconf.DecodeNotification(msg); err == nil {
				s.notes <- n
			}
		}
	}
}

// closedError turns a read error into the session's error.
func (s *Session) closedError(err error) error {
	select {
	case <-s.closed:
		return &ClosedError{Code: int(ws.StatusNormalClosure), Reason: "closed by the client"}
	default:
	}
	return s.c.closedError(err)
}

// end records why the session ended and releases every pending call.
func (s *Session) end(err error) {
	s.mu.Lock()
	s.err = err
	close(s.done)
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, ch := range pending {
		ch <- nil
	}
	if s.notes != nil {
		close(s.notes)
	} else {
		close(s.delivered)
	}
}

// deliver calls OnNotification for each notification in order.
func (s *Session) deliver() {
	defer close(s.delivered)
	for n := range s.notes {
		s.opts.OnNotification(n.EventTime, n.Body)
	}
}
