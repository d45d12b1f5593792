package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of Options.
const (
	DefaultTokenLifetime = 12 * time.Hour
	DefaultMaxTokens     = 10000
	DefaultMaxFailures   = 5
	DefaultFailureWindow = time.Minute
	DefaultBackoff       = 30 * time.Second
	DefaultMaxBackoff    = 5 * time.Minute
	DefaultMaxAddrs      = 10000

	// DefaultMaxFailuresPerAddr is 10 times DefaultMaxFailures: see Options.MaxFailuresPerAddr.
	DefaultMaxFailuresPerAddr = 10 * DefaultMaxFailures
)

// CookieName is the name of the session cookie the login handler sets.
const CookieName = "ncws_session"

// TokenProtocolPrefix starts the WebSocket subprotocol that carries a token:
// new WebSocket(url, ["netconf", "ncws.token." + token]).
const TokenProtocolPrefix = "ncws.token."

// Options configures an Authenticator. The zero value of each field means its default.
type Options struct {
	// UsersFile is the htpasswd file (bcrypt) of password users; see Users. Empty: no password
	// users (client certificates only).
	UsersFile string
	// TokenLifetime is how long a token from the login handler stays valid
	// (DefaultTokenLifetime when 0).
	TokenLifetime time.Duration
	// MaxTokens caps the tokens held in memory (DefaultMaxTokens when 0); when full, the token
	// closest to expiry is revoked to make room.
	MaxTokens int
	// CertNames maps the SHA-256 fingerprint of a client certificate (hex, case and ':' ignored;
	// RFC 7589's tls-fingerprint form "04:..." accepted too) to a username. It is checked before
	// the certificate's subject CommonName.
	CertNames map[string]string
	// CertToName is the ordered cert-to-name list of RFC 7589 section 7 (RFC 7407), checked
	// before CertNames; see CertUser.
	CertToName []CertMap
	// NoCommonNameFallback refuses a client certificate that no CertToName or CertNames entry
	// maps, instead of taking its subject's CommonName as the username.
	NoCommonNameFallback bool
	// TrustedOrigins are origins ("https://nms.example.com") whose pages may POST to the login and
	// logout handlers besides the server's own; see http.CrossOriginProtection. The handlers
	// answer CORS (Fetch standard) for exactly these origins, credentials included, and for no
	// other: a page of a trusted origin can fetch a token with fetch(url, {method: "POST",
	// credentials: "include"}) and read the answer. See LoginHandler for the cookie.
	TrustedOrigins []string
	// Rate limit of failed attempts, per username at a client address and per client address
	// (an IPv6 address counts by its /64). MaxFailures failed passwords of one username
	// (DefaultMaxFailures when 0; no per-user limit when negative) within FailureWindow
	// (DefaultFailureWindow) block that username from that address for Backoff
	// (DefaultBackoff), doubling with each further failure up to MaxBackoff
	// (DefaultMaxBackoff); other users log in from the address meanwhile. MaxFailuresPerAddr
	// failures from one address, whatever the usernames (10 times MaxFailures when 0, so
	// DefaultMaxFailuresPerAddr by default; no per-address limit when negative, and none either
	// when MaxFailures is negative and this is 0), block the whole address the same way: a
	// spray over many usernames. A failed token, which names no user, counts against the address
	// only. A success resets its username at its address (not the address). At most MaxAddrs
	// addresses and MaxAddrs usernames at addresses (DefaultMaxAddrs) are tracked, those with the
	// oldest failure forgotten first.
	MaxFailures        int
	MaxFailuresPerAddr int
	FailureWindow      time.Duration
	Backoff            time.Duration
	MaxBackoff         time.Duration
	MaxAddrs           int
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger receives failed logins and blocks (of a username at an address, or of an address) at
	// Warn level, with the client address and the username tried (nothing is logged when nil).
	Logger *slog.Logger
	// OnFailure, when set, is called for every failed authentication with its method ("basic",
	// "token", "login", "cert", or what CheckPassword's caller names: "ssh-password"): for
	// metrics. Attempts refused by the rate limit (429) without a check are not failures. It
	// must be fast and must not block.
	OnFailure func(method string)
}

// An Authenticator authenticates HTTP requests before the WebSocket upgrade, issues tokens through
// its login handler, and limits the rate of failed attempts. It is safe for concurrent use.
type Authenticator struct {
	opts     Options
	users    *Users // nil without a users file
	certs    map[string]string
	certMaps []CertMap
	now      func() time.Time
	log      *slog.Logger
	origin   *http.CrossOriginProtection
	cors     map[string]bool // TrustedOrigins, lower case: the origins the login handlers answer CORS for

	mu     sync.Mutex
	tokens map[[32]byte]session // by SHA-256 of the token
	pruned time.Time            // last prune of expired tokens
	limit  limiter
}

type session struct {
	user    string
	expires time.Time
}

// New returns an Authenticator for opts. It loads the users file, if any; a missing or invalid
// file is an error (see EnsureAdmin to bootstrap one).
func New(opts Options) (*Authenticator, error) {
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = DefaultTokenLifetime
	}
	if opts.MaxTokens <= 0 {
		opts.MaxTokens = DefaultMaxTokens
	}
	if opts.MaxFailures == 0 {
		opts.MaxFailures = DefaultMaxFailures
	}
	if opts.MaxFailuresPerAddr == 0 {
		opts.MaxFailuresPerAddr = -1
		if opts.MaxFailures > 0 {
			opts.MaxFailuresPerAddr = 10 * opts.MaxFailures
		}
	}
	if opts.FailureWindow <= 0 {
		opts.FailureWindow = DefaultFailureWindow
	}
	if opts.Backoff <= 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.MaxAddrs <= 0 {
		opts.MaxAddrs = DefaultMaxAddrs
	}
	a := &Authenticator{
		opts:   opts,
		certs:  make(map[string]string, len(opts.CertNames)),
		now:    opts.Now,
		log:    opts.Logger,
		origin: http.NewCrossOriginProtection(),
		cors:   make(map[string]bool, len(opts.TrustedOrigins)),
		tokens: make(map[[32]byte]session),
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	for fp, name := range opts.CertNames {
		key, err := normalizeFingerprint(fp)
		if err != nil {
			return nil, err
		}
		if err := ValidUsername(name); err != nil {
			return nil, fmt.Errorf("auth: CertNames[%q]: %w", fp, err)
		}
		a.certs[key] = name
	}
	for _, m := range opts.CertToName {
		if err := m.check(); err != nil {
			return nil, err
		}
		a.certMaps = append(a.certMaps, m)
	}
	for _, o := range opts.TrustedOrigins {
		if err := a.origin.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("auth: trusted origin: %w", err)
		}
		a.cors[strings.ToLower(o)] = true
	}
	if opts.UsersFile != "" {
		u, err := LoadUsers(opts.UsersFile)
		if err != nil {
			return nil, err
		}
		a.users = u
	}
	a.limit = limiter{
		maxFailures:     opts.MaxFailures,
		maxAddrFailures: opts.MaxFailuresPerAddr,
		window:          opts.FailureWindow,
		backoff:         opts.Backoff,
		maxBackoff:      opts.MaxBackoff,
		maxAddrs:        opts.MaxAddrs,
		addrs:           make(map[string]*counter),
		users:           make(map[userAt]*counter),
	}
	return a, nil
}

// normalizeFingerprint turns "AB:CD:..." or RFC 7589's "04:AB:..." into lowercase hex of 32 bytes.
func normalizeFingerprint(fp string) (string, error) {
	s := strings.ToLower(strings.ReplaceAll(fp, ":", ""))
	if len(s) == 66 && strings.HasPrefix(s, "04") { // RFC 7589 tls-fingerprint: 0x04 = SHA-256
		s = s[2:]
	}
	if b, err := hex.DecodeString(s); err != nil || len(b) != sha256.Size {
		return "", fmt.Errorf("auth: CertNames: %q is not a SHA-256 fingerprint in hex", fp)
	}
	return s, nil
}

// Error is an authentication failure with the HTTP status that answers it: 401 (no or bad
// credentials), 429 (too many failures of the username from the client's address, or from the
// address; RetryAfter says for how long) or 400 (a malformed request).
type Error struct {
	Status     int
	Msg        string
	RetryAfter time.Duration
}

// ErrNoCredentials is the error of a request that carries no credentials at all.
var ErrNoCredentials = &Error{Status: http.StatusUnauthorized, Msg: "no credentials"}

// errBadCredentials is the message of every wrong username, password or token: it never says
// which part was wrong.
const errBadCredentials = "bad credentials"

func (e *Error) Error() string { return "auth: " + e.Msg }

// HTTPStatus returns the status code of the response to the failed request.
func (e *Error) HTTPStatus() int { return e.Status }

// WriteHTTP writes the answer to the failed request: the status, WWW-Authenticate (Basic, realm
// "ncws") on 401, Retry-After (whole seconds, rounded up) on 429, Cache-Control: no-store unless
// the response already has a Cache-Control, and the message as a short text body.
func (e *Error) WriteHTTP(w http.ResponseWriter) {
	h := w.Header()
	switch e.Status {
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Basic realm="ncws", charset="UTF-8"`)
	case http.StatusTooManyRequests:
		h.Set("Retry-After", retryAfter(e.RetryAfter))
	}
	if h.Get("Cache-Control") == "" {
		// The WebSocket handshake sets its own (no-cache, as the transport's rules want).
		h.Set("Cache-Control", "no-store")
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(e.Status)
	io.WriteString(w, e.Msg+"\n")
}

// retryAfter formats d as whole seconds, rounded up, at least 1.
func retryAfter(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	return strconv.FormatInt(max(s, 1), 10)
}

// WriteError answers a request refused with err: an error wrapping an *Error (or any error with
// a WriteHTTP method) writes itself (see Error.WriteHTTP); an error with a method HTTPStatus() int
// gets that status; any other error becomes 401 with a generic message.
func WriteError(w http.ResponseWriter, err error) {
	var e interface{ WriteHTTP(http.ResponseWriter) }
	if errors.As(err, &e) {
		e.WriteHTTP(w)
		return
	}
	status := http.StatusUnauthorized
	var st interface{ HTTPStatus() int }
	if errors.As(err, &st) {
		status = st.HTTPStatus()
	}
	(&Error{Status: status, Msg: http.StatusText(status)}).WriteHTTP(w)
}

// Authenticate returns the username of r, for a transport to call before the WebSocket upgrade.
// It tries, in order, and the first kind present decides:
//
//  1. a verified TLS client certificate: the name CertNames gives its SHA-256 fingerprint, else
//     its subject CommonName (RFC 7589 cert-to-name, simplified); neither is a 401;
//  2. a token offered as the subprotocol "ncws.token.<token>" in Sec-WebSocket-Protocol;
//  3. the session cookie of the login handler (an unknown or expired one is ignored, and does
//     not count as a failure: browsers send it on their own);
//  4. Authorization: Basic, checked against the users file.
//
// No credentials is ErrNoCredentials. Errors are *Error (401, 429 or 400); pass them to WriteError.
// Failed passwords count against the username at the client address and against the address,
// failed subprotocol tokens against the address only (see Options). A blocked address gets 429
// for every subprotocol token or password, and a blocked username at an address for every
// password of that username, without checking it (a valid session cookie still passes).
func (a *Authenticator) Authenticate(r *http.Request) (string, error) {
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 && len(r.TLS.VerifiedChains[0]) > 0 {
		return a.certUser(r)
	}
	addr := clientAddr(r)
	if tok, ok, err := protocolToken(r); err != nil {
		return "", err
	} else if ok {
		if err := a.blocked(addr, ""); err != nil {
			return "", err
		}
		if user, ok := a.lookupToken(tok); ok {
			return user, nil
		}
		return "", a.failed(addr, "", "token")
	}
	if c, err := r.Cookie(CookieName); err == nil {
		if user, ok := a.lookupToken(c.Value); ok {
			return user, nil
		}
	}
	if user, pass, ok := r.BasicAuth(); ok {
		return a.checkPassword(addr, user, pass, "basic")
	}
	if h := r.Header.Get("Authorization"); h != "" {
		return "", &Error{Status: http.StatusUnauthorized, Msg: "unsupported Authorization scheme"}
	}
	return "", ErrNoCredentials
}

// certUser maps the verified client certificate of r to a username (see CertUser).
func (a *Authenticator) certUser(r *http.Request) (string, error) {
	name, err := a.CertUser(r.TLS.VerifiedChains)
	if err != nil {
		a.log.Warn("auth: client certificate refused", "addr", clientAddr(r))
	}
	return name, err
}

// CheckPassword checks a password login of user from remote, the peer of a transport other
// than HTTP (an SSH client): against the users file, counted in the same rate limit as
// Authenticate's (failures per username at the client address and per address; when either is
// blocked the answer is a 429 *Error without the password being checked). method names the
// login in the log ("ssh-password"). It returns the username, or an *Error.
func (a *Authenticator) CheckPassword(remote net.Addr, user, pass, method string) (string, error) {
	return a.checkPassword(addrKey(remote.String()), user, pass, method)
}

// Blocked returns a 429 *Error (with RetryAfter) when remote's address, or user at that address,
// is blocked by the rate limit, nil otherwise: a transport asks before it accepts another kind
// of login of user (an SSH public key). An empty user asks about the address only.
func (a *Authenticator) Blocked(remote net.Addr, user string) error {
	return a.blocked(addrKey(remote.String()), user)
}

// checkPassword checks user and password against the users file, with the rate limit.
func (a *Authenticator) checkPassword(addr, user, pass, method string) (string, error) {
	if err := a.blocked(addr, user); err != nil {
		return "", err
	}
	if a.users == nil {
		return "", a.failed(addr, user, method)
	}
	if err := a.users.Reload(); err != nil {
		a.log.Error("auth: users file", "err", err)
	}
	if !a.users.Check(user, pass) {
		return "", a.failed(addr, user, method)
	}
	a.succeeded(addr, user)
	return user, nil
}

// protocolToken finds "ncws.token.<token>" among the offered subprotocols (comma-separated, in one
// or several header lines). Two different tokens are a 400.
func protocolToken(r *http.Request) (tok string, ok bool, err error) {
	for _, line := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(line, ",") {
			p = strings.TrimSpace(p)
			t, found := strings.CutPrefix(p, TokenProtocolPrefix)
			if !found {
				continue
			}
			if ok && t != tok {
				return "", false, &Error{Status: http.StatusBadRequest, Msg: "more than one token offered"}
			}
			tok, ok = t, true
		}
	}
	return tok, ok, nil
}

// clientAddr is the rate-limit key of r: the IP of RemoteAddr without the port; an IPv6 address
// counts by its /64 prefix (one host usually holds a whole /64).
func clientAddr(r *http.Request) string { return addrKey(r.RemoteAddr) }

// addrKey is the rate-limit key of a "host:port" address (see clientAddr).
func addrKey(hostport string) string {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() != nil {
		return ip.String()
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}

// blocked returns a 429 *Error if addr, or user at addr, is blocked now (addr only when user is
// empty).
func (a *Authenticator) blocked(addr, user string) error {
	a.mu.Lock()
	d, ok := a.limit.blocked(addr, user, a.now())
	a.mu.Unlock()
	if !ok {
		return nil
	}
	return &Error{Status: http.StatusTooManyRequests, Msg: "too many failed attempts; retry later", RetryAfter: d}
}

// failed records a failure at addr, of user unless it is empty (a token), and returns the 401
// to answer.
func (a *Authenticator) failed(addr, user, method string) error {
	a.mu.Lock()
	userBlocked, addrBlocked := a.limit.fail(addr, user, a.now())
	a.mu.Unlock()
	if len(user) > 64 {
		user = user[:64] + "..."
	}
	a.log.Warn("auth: failed login", "addr", addr, "user", user, "method", method)
	if a.opts.OnFailure != nil {
		a.opts.OnFailure(method)
	}
	if userBlocked {
		a.log.Warn("auth: user blocked at the address after repeated failures", "addr", addr, "user", user)
	}
	if addrBlocked {
		a.log.Warn("auth: address blocked after repeated failures", "addr", addr)
	}
	return &Error{Status: http.StatusUnauthorized, Msg: errBadCredentials}
}

// succeeded forgets the failures of user at addr.
func (a *Authenticator) succeeded(addr, user string) {
	a.mu.Lock()
	a.limit.reset(addr, user)
	a.mu.Unlock()
}
