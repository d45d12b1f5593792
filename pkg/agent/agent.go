package agent

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/generated/ncwsserver"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/nacm"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/ssh"
	nctls "github.com/ncws/ncws/pkg/transport/tls"
	"github.com/ncws/ncws/pkg/transport/websocket"
	"github.com/ncws/ncws/pkg/validate"
	"github.com/ncws/ncws/pkg/web"
)

// Defaults of Options.
const (
	DefaultListen            = "127.0.0.1:8080"
	DefaultDir               = "ncws-data"
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultShutdownTimeout   = 10 * time.Second
	DefaultStateTimeout      = 10 * time.Second
)

// ErrServerClosed is returned by Serve and ListenAndServe after Shutdown.
var ErrServerClosed = errors.New("agent: server closed")

// ErrStarted is returned by registrations made after the agent started serving.
var ErrStarted = errors.New("agent: already serving")

// Options configures an Agent. The zero value of every field is the default `ncws serve` uses;
// a nil *Options is all defaults.
type Options struct {
	// Schemas are the compiled schemas the agent serves: the Schema() of generated packages
	// (each carries the protocol modules), or schemas compiled with yangload. Several are
	// merged (schema.Merge): a module in several with equal revisions is one module, a module
	// with conflicting revisions, features or deviations fails New. Empty: the protocol modules
	// and ncws-server only.
	Schemas []*schema.Schema

	// Dir is the datastore directory (created 0700 when missing; DefaultDir when empty):
	// running, candidate and startup persist there, durable before an edit is acknowledged.
	Dir string
	// InMemory keeps the datastores in memory only (Dir is then unused): for tests.
	InMemory bool
	// BootFromStartup copies startup into running at start, as a device boot does (the first
	// start on an empty Dir always does).
	BootFromStartup bool
	// AllowInvalidDatastore starts even when the stored configuration fails validation.
	AllowInvalidDatastore bool
	// KeepHistory is the number of commits kept for the history and rollback (1000 when 0).
	KeepHistory int

	// StartupFile (simulator mode) is an XML or JSON configuration (see ReadDataFile) that
	// becomes startup and running at the first boot: when nothing was ever committed to the
	// datastore. It is validated at New; an invalid file fails New with every error.
	StartupFile string
	// OperationalFile (simulator mode) is an XML or JSON file of state data served as the
	// device's state (config false nodes; its configuration nodes other than list keys are
	// ignored). Checked at New; ReloadOperational reads it again.
	OperationalFile string

	// UsersFile is the htpasswd file (bcrypt) of the users who may log in. Empty:
	// Dir/users.htpasswd, created on first start with a user "admin" and a random password that
	// is passed to AdminCreated.
	UsersFile string
	// AdminCreated is told the password of the admin user New creates in the default users
	// file; nil logs it at Warn level (the only place it appears).
	AdminCreated func(usersFile, password string)
	// CertNames maps SHA-256 fingerprints of TLS client certificates to usernames, checked
	// before the certificate's CommonName.
	CertNames map[string]string
	// CertToName is the ordered cert-to-name list of RFC 7589 section 7 (a fingerprint of the
	// client certificate or of a CA of its chain, and a map type: specified name, a
	// subjectAltName, the CommonName), checked before CertNames; it serves NETCONF over TLS and
	// wss alike (see auth.Authenticator.CertUser).
	CertToName []auth.CertMap

	// Listen is the TCP address of ListenAndServe (DefaultListen when empty; ":0" picks a
	// port, see Addr).
	Listen string
	// TLSConfig serves wss:// and https:// when set (Certificates required). For client
	// certificates set ClientCAs and ClientAuth (tls.VerifyClientCertIfGiven lets password users
	// in too). MinVersion is raised to TLS 1.2 when lower.
	TLSConfig *tls.Config
	// AllowOrigins are the origins ("https://nms.example") whose pages may connect and log in
	// besides the server's own; AllowHosts the host names accepted in the Host header besides
	// IP literals and localhost names (DNS rebinding protection).
	AllowOrigins, AllowHosts []string
	// Connection caps (websocket defaults when 0, none when negative); a request over a cap
	// gets 503.
	MaxConns, MaxConnsPerUser, MaxConnsPerAddr int
	// ReadLimit is the largest message accepted in bytes (websocket.DefaultReadLimit when 0).
	ReadLimit int64
	// URLDir and URLAllow turn on the :url capability (RFC 6241 section 8.8): file:// URLs
	// below URLDir, http:// and https:// URLs under the prefixes of URLAllow (see
	// server.URLOptions). What a URL holds is bounded by ReadLimit. Both empty: :url is off.
	URLDir   string
	URLAllow []string
	// HelloTimeout bounds the wait for a client's hello (server.DefaultHelloTimeout when 0).
	HelloTimeout time.Duration
	// PingInterval is the keepalive interval of every transport: WebSocket pings, SSH
	// keepalive@openssh.com requests, TLS TCP keepalive (10 s when 0, none when negative; a
	// dead peer goes after 2 intervals without an answer).
	PingInterval time.Duration
	// ReadHeaderTimeout is the HTTP server's (DefaultReadHeaderTimeout when 0).
	ReadHeaderTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown ListenAndServe does when its context ends
	// (DefaultShutdownTimeout when 0).
	ShutdownTimeout time.Duration

	// SSHListen, when set, is the TCP address of NETCONF over SSH (RFC 6242, subsystem
	// "netconf"; ":830" is the IANA port) that ListenAndServe serves beside the WebSocket
	// endpoint, on the same datastore and session-ids. Host keys (ed25519 and RSA) are made on
	// first start in Dir (see SSHHostKeys). Users log in with their password from the users
	// file (password or keyboard-interactive; failures in the same rate limit as the HTTP
	// side) or with a public key listed in SSHAuthorizedKeys/USER.
	SSHListen string
	// TLSListen, when set, is the TCP address of NETCONF over TLS (RFC 7589, mutual X.509
	// authentication; 6513 is the IANA port) that ListenAndServe serves beside the WebSocket
	// endpoint. It needs TLSConfig with ClientCAs; the username comes from the client
	// certificate (CertToName, CertNames, then its CommonName).
	TLSListen string
	// CallHome lists NETCONF clients the agent connects to itself (RFC 8071 call home), as
	// ssh://HOST[:PORT] (4334 by default: the agent dials, then is the SSH server) or
	// tls://HOST[:PORT] (4335: it is the TLS server; needs TLSConfig with ClientCAs). Each is
	// redialed after a failure or the end of its session, with a backoff of
	// CallHomeMinBackoff doubling up to CallHomeMaxBackoff, until Shutdown.
	CallHome []string
	// GroupsFile lists the users' groups outside the NACM configuration, used when
	// /nacm/enable-external-groups is true: lines "GROUP: USER USER ..." (Apache's group file
	// format), reread when it changes. Empty: Dir/groups.
	GroupsFile string
	// RecoveryUser names the break-glass user whose sessions bypass access control (RFC 8341's
	// recovery session); empty: none.
	RecoveryUser string

	// SSHAuthorizedKeys is a directory holding one authorized_keys file per user, named by the
	// username (Dir/authorized_keys when empty).
	SSHAuthorizedKeys string

	// NoPage turns off the NMS page (pkg/web): by default the agent serves it at /, with its
	// client module under /nms/ and /netconf-ws/ and the schema description at /schema.json
	// (web.MarshalSchema of the served schema). A handler given to Handle("/", h) replaces it.
	NoPage bool

	// MetricsListen, when set, is the TCP address of a plain-HTTP listener that ListenAndServe
	// (or ServeMetrics) serves /metrics (Prometheus), /healthz and /readyz on without
	// authentication: bind it to a management network or localhost. The agent's own listener
	// serves /metrics too, behind the NETCONF endpoint's authentication, and /healthz and
	// /readyz without.
	MetricsListen string

	// StateTimeout is the deadline of one state provider call (DefaultStateTimeout when 0): a
	// provider still running then is answered operation-failed and abandoned.
	StateTimeout time.Duration

	// Logger receives the agent's events (slog.Default() when nil).
	Logger *slog.Logger
}

// An Agent is a NETCONF server assembled from its parts: the datastores on disk, the users and
// their authentication, the NETCONF server with the operations of the registered generated
// packages, and the HTTP side (the WebSocket endpoint /netconf, POST /login, /logout). It is
// what `ncws serve` runs.
//
// Register operations (generated Register<Module>Server functions on Server()), state
// providers (State, HandleState) and commit hooks (Watch, AddHook) after New and before Serve
// or ListenAndServe. The agent installs no signal handler: the caller owns signals and calls
// Shutdown (or cancels ListenAndServe's context).
type Agent struct {
	opts  Options
	log   *slog.Logger
	sch   *schema.Schema
	store *datastore.Store
	srv   *server.Server
	auth  *auth.Authenticator
	wl    *websocket.Listener
	mux   *http.ServeMux
	root  http.Handler // what "/" serves: the page, a Handle("/") handler, or 404
	// ops are the operational endpoints of the mux (/metrics, /healthz, /readyz), which a
	// Handle of the same pattern replaces.
	ops     map[string]http.Handler
	metrics *metrics
	users   string

	hooks *hookSet
	sim   *simState
	nacm  *nacm.Engine

	hostKeys []xssh.Signer // loaded by New when SSHListen is set
	callHome []callHome
	stopCtx  context.Context // cancelled by Shutdown
	stop     context.CancelFunc

	mu       sync.Mutex
	started  bool
	closed   bool
	hs       []*http.Server
	srvDone  chan error
	storeErr error
	stopOnce sync.Once
}

// New assembles an agent: it merges the schemas, opens the datastore (creating Dir), loads or
// creates the users file and builds the server and its HTTP handler. Nothing listens yet.
func New(opts *Options) (*Agent, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Dir == "" {
		o.Dir = DefaultDir
	}
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if o.ReadHeaderTimeout == 0 {
		o.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	if o.StateTimeout == 0 {
		o.StateTimeout = DefaultStateTimeout
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	a := &Agent{opts: o, log: log}
	a.stopCtx, a.stop = context.WithCancel(context.Background())
	ch, err := parseCallHome(o.CallHome)
	if err != nil {
		return nil, err
	}
	a.callHome = ch
	sshCallHome, tlsCallHome := false, false
	for _, c := range ch {
		sshCallHome = sshCallHome || c.scheme == "ssh"
		tlsCallHome = tlsCallHome || c.scheme == "tls"
	}

	switch len(o.Schemas) {
	case 0:
		a.sch = ncwsserver.Schema()
	case 1:
		a.sch = o.Schemas[0]
	default:
		sch, err := schema.Merge(o.Schemas...)
		if err != nil {
			return nil, fmt.Errorf("agent: %w", err)
		}
		a.sch = sch
	}
	if a.sch.Module("ietf-netconf") == nil {
		return nil, errors.New("agent: the schema lacks ietf-netconf (use a generated package's Schema(), or yang.Load)")
	}

	dir := o.Dir
	if o.InMemory {
		dir = ""
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	a.hooks = newHookSet(a)
	a.metrics = newMetrics(a.sch, func() *datastore.Store { return a.store }, func() *server.Server { return a.srv })
	store, err := datastore.Open(datastore.Options{
		Schema: a.sch, Validator: validate.New(a.sch), Dir: dir, KeepHistory: o.KeepHistory,
		BootFromStartup: o.BootFromStartup, AllowInvalid: o.AllowInvalidDatastore, Logger: log,
		Hooks: []datastore.Hook{a.hooks}, CommitObserver: a.metrics.commit,
	})
	if err != nil {
		return nil, fmt.Errorf("agent: datastore %s: %w", o.Dir, err)
	}
	a.store = store
	if o.StartupFile != "" {
		if err := a.seedStartup(o.StartupFile); err != nil {
			store.Close()
			return nil, err
		}
	}
	if o.OperationalFile != "" {
		if err := a.serveOperational(o.OperationalFile); err != nil {
			store.Close()
			return nil, err
		}
	}

	a.users = o.UsersFile
	if a.users == "" {
		if o.InMemory {
			store.Close()
			return nil, errors.New("agent: InMemory needs a UsersFile")
		}
		a.users = filepath.Join(o.Dir, "users.htpasswd")
		pw, created, err := auth.EnsureAdmin(a.users)
		if err != nil {
			store.Close()
			return nil, fmt.Errorf("agent: %w", err)
		}
		if created {
			if o.AdminCreated != nil {
				o.AdminCreated(a.users, pw)
			} else {
				log.Warn("agent: created the users file with user admin", "file", a.users, "password", pw)
			}
		}
	}
	a.auth, err = auth.New(auth.Options{UsersFile: a.users, CertNames: o.CertNames, CertToName: o.CertToName, TrustedOrigins: o.AllowOrigins, Logger: log,
		OnFailure: a.metrics.authFailed})
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("agent: %w", err)
	}
	if (o.TLSListen != "" || tlsCallHome) && (o.TLSConfig == nil || o.TLSConfig.ClientCAs == nil) {
		store.Close()
		return nil, errors.New("agent: NETCONF over TLS needs TLSConfig with ClientCAs (RFC 7589 authenticates clients by certificate)")
	}
	if o.SSHListen != "" || sshCallHome {
		if o.InMemory {
			store.Close()
			return nil, errors.New("agent: SSH needs a Dir for its host keys")
		}
		keys, created, err := ssh.LoadOrCreateHostKeys(o.Dir)
		if err != nil {
			store.Close()
			return nil, fmt.Errorf("agent: %w", err)
		}
		a.hostKeys = keys
		for _, f := range created {
			log.Info("agent: created SSH host key", "file", f)
		}
		if o.SSHAuthorizedKeys == "" {
			a.opts.SSHAuthorizedKeys = filepath.Join(o.Dir, "authorized_keys")
		}
	}
	a.srv = &server.Server{Store: store, Logger: log, HelloTimeout: o.HelloTimeout, Observer: a.metrics}
	if o.URLDir != "" || len(o.URLAllow) > 0 {
		a.srv.URL = &server.URLOptions{Dir: o.URLDir, Allow: o.URLAllow, MaxSize: o.ReadLimit}
	}
	if a.opts.GroupsFile == "" && !o.InMemory {
		a.opts.GroupsFile = filepath.Join(o.Dir, "groups")
	}
	if err := a.setupNACM(); err != nil {
		store.Close()
		return nil, err
	}
	a.wl = websocket.NewListener(websocket.Options{
		Authenticate: a.auth.Authenticate, AllowOrigins: o.AllowOrigins, AllowHosts: o.AllowHosts,
		ReadLimit: o.ReadLimit, PingInterval: o.PingInterval,
		MaxConns: o.MaxConns, MaxConnsPerUser: o.MaxConnsPerUser, MaxConnsPerAddr: o.MaxConnsPerAddr, Logger: log,
	})
	a.mux = http.NewServeMux()
	a.mux.Handle("/netconf", sameOriginAllowed(a.wl, len(o.AllowOrigins) > 0))
	a.mux.Handle("/login", a.auth.LoginHandler())
	a.mux.Handle("/logout", a.auth.LogoutHandler())
	a.root = http.NotFoundHandler()
	if !o.NoPage {
		a.root = web.Handler(web.Options{Schema: a.sch})
	}
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { a.root.ServeHTTP(w, r) })
	a.ops = map[string]http.Handler{
		PathMetrics: a.authenticated(a.metrics.handler()),
		PathHealthz: http.HandlerFunc(healthz),
		PathReadyz:  http.HandlerFunc(a.readyz),
	}
	for p := range a.ops {
		a.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { a.ops[p].ServeHTTP(w, r) })
	}
	return a, nil
}

// sameOriginAllowed lets the server's own pages (the NMS page at /) open the WebSocket when
// AllowOrigins lists other origins: the transport then accepts the listed origins only, while
// the agent's contract is "besides the server's own". A request whose Origin is the origin of
// the URL it was sent to (scheme, Host) is same-origin and passes as one without an Origin; the
// Host check still applies.
func sameOriginAllowed(h http.Handler, listed bool) http.Handler {
	if !listed {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" {
			scheme := "http://"
			if r.TLS != nil {
				scheme = "https://"
			}
			if strings.EqualFold(origin, scheme+r.Host) {
				r = r.Clone(r.Context())
				r.Header.Del("Origin")
			}
		}
		h.ServeHTTP(w, r)
	})
}

// Server returns the NETCONF server: pass it to generated Register<Module>Server functions
// and New<Module>Notifier, or call its Handle and Notify.
func (a *Agent) Server() *server.Server { return a.srv }

// Store returns the datastores.
func (a *Agent) Store() *datastore.Store { return a.store }

// Schema returns the schema the agent serves (the merge of Options.Schemas).
func (a *Agent) Schema() *schema.Schema { return a.sch }

// NACM returns the access control engine (nil when the schema lacks ietf-netconf-acm).
func (a *Agent) NACM() *nacm.Engine { return a.nacm }

// Authenticator returns the users' authentication (tokens, users file reload).
func (a *Agent) Authenticator() *auth.Authenticator { return a.auth }

// UsersFile returns the path of the users file in use.
func (a *Agent) UsersFile() string { return a.users }

// Handle adds an HTTP handler to the agent's mux (as http.ServeMux.Handle) beside /netconf,
// /login and /logout: a page, an endpoint of the application. The pattern "/" replaces the NMS
// page (see Options.NoPage), and "/metrics", "/healthz" and "/readyz" the agent's own, rather
// than conflicting with them. It must be called before serving.
func (a *Agent) Handle(pattern string, h http.Handler) {
	if pattern == "/" {
		a.root = h
		return
	}
	if _, ok := a.ops[pattern]; ok {
		a.ops[pattern] = h
		return
	}
	a.mux.Handle(pattern, h)
}

// Handler returns the agent's HTTP handler: /netconf (the WebSocket upgrade), /login, /logout,
// the operational endpoints (/metrics behind the same authentication as /netconf; /healthz: 200
// while the process runs; /readyz: 200 when serving and the datastore stores commits, else 503
// with a JSON reason; both without authentication) and what Handle added. Serve uses it; an application with its own http.Server may mount it
// and must then call Start before the first request.
func (a *Agent) Handler() http.Handler { return a.mux }

// Start runs the NETCONF server over the agent's WebSocket endpoint and calls every commit
// hook's initial Apply with the running configuration (see Hook). Serve and ListenAndServe
// call it; registrations after it fail with ErrStarted. Calling it again does nothing.
func (a *Agent) Start() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return ErrServerClosed
	}
	if a.started {
		return nil
	}
	a.started = true
	maxConns := a.opts.MaxConns
	if maxConns == 0 {
		maxConns = websocket.DefaultMaxConns
	}
	transports := 1
	for _, l := range []string{a.opts.SSHListen, a.opts.TLSListen} {
		if l != "" {
			transports++
		}
	}
	checkFileLimit(a.log, maxConns, transports)
	a.hooks.sync(context.Background())
	a.srvDone = make(chan error, 1)
	go func() { a.srvDone <- a.srv.Serve(a.wl) }()
	return a.startCallHome()
}

// Serve accepts HTTP connections on l (TLS is added when Options.TLSConfig is set) and serves
// the agent's handler on them until Shutdown; it then returns ErrServerClosed. It may be
// called for several listeners.
func (a *Agent) Serve(l net.Listener) error {
	if err := a.Start(); err != nil {
		return err
	}
	hs := &http.Server{
		// No ReadTimeout or WriteTimeout: their deadlines would stay on upgraded connections.
		Handler: a.mux, ReadHeaderTimeout: a.opts.ReadHeaderTimeout, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	l = newShedListener(l, a.opts.TLSConfig == nil, a.log)
	if tc := a.opts.TLSConfig; tc != nil {
		tc = tc.Clone()
		if tc.MinVersion < tls.VersionTLS12 {
			tc.MinVersion = tls.VersionTLS12
		}
		hs.TLSConfig = tc
		l = tls.NewListener(l, tc)
	}
	return a.serveHTTP(hs, l)
}

// serveHTTP serves hs on l until Shutdown (then ErrServerClosed), registering hs for Shutdown.
func (a *Agent) serveHTTP(hs *http.Server, l net.Listener) error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	a.hs = append(a.hs, hs)
	a.mu.Unlock()
	err := hs.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		return ErrServerClosed
	}
	return err
}

// Listen opens the TCP listener of Options.Listen, for Serve: callers that need the address
// before serving (Options.Listen ":0") use it.
func (a *Agent) Listen() (net.Listener, error) {
	return net.Listen("tcp", a.opts.Listen)
}

// ListenAndServe listens on Options.Listen and serves until ctx ends or Shutdown is called.
// When ctx ends it shuts down gracefully within Options.ShutdownTimeout (sessions not closed by
// then are logged and abandoned) and returns nil; after Shutdown it returns ErrServerClosed. The
// datastore is closed in both cases.
func (a *Agent) ListenAndServe(ctx context.Context) error {
	l, err := a.Listen()
	if err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	if a.opts.SSHListen != "" {
		sl, err := net.Listen("tcp", a.opts.SSHListen)
		if err != nil {
			l.Close()
			return fmt.Errorf("agent: %w", err)
		}
		go func() {
			if err := a.ServeSSH(sl); err != nil && !errors.Is(err, ErrServerClosed) {
				a.log.Error("agent: SSH", "err", err)
			}
		}()
	}
	if a.opts.MetricsListen != "" {
		ml, err := net.Listen("tcp", a.opts.MetricsListen)
		if err != nil {
			l.Close()
			return fmt.Errorf("agent: %w", err)
		}
		go func() {
			if err := a.ServeMetrics(ml); err != nil && !errors.Is(err, ErrServerClosed) {
				a.log.Error("agent: metrics", "err", err)
			}
		}()
	}
	if a.opts.TLSListen != "" {
		tl, err := net.Listen("tcp", a.opts.TLSListen)
		if err != nil {
			l.Close()
			return fmt.Errorf("agent: %w", err)
		}
		go func() {
			if err := a.ServeTLS(tl); err != nil && !errors.Is(err, ErrServerClosed) {
				a.log.Error("agent: TLS", "err", err)
			}
		}()
	}
	return a.ServeContext(ctx, l)
}

// ServeTLS serves NETCONF over TLS (RFC 7589) on l until Shutdown, then returns
// ErrServerClosed; it needs Options.TLSConfig with ClientCAs. ListenAndServe calls it for
// Options.TLSListen.
func (a *Agent) ServeTLS(l net.Listener) error {
	if err := a.Start(); err != nil {
		l.Close()
		return err
	}
	tl, err := nctls.NewListener(newShedListener(l, false, a.log), a.tlsOptions())
	if err != nil {
		l.Close()
		return fmt.Errorf("agent: %w", err)
	}
	err = a.srv.Serve(tl)
	if errors.Is(err, server.ErrServerClosed) {
		return ErrServerClosed
	}
	return err
}

// SSHHostKeys returns the SSH host keys (nil without Options.SSHListen): print their
// fingerprints (ssh.FingerprintSHA256) for users to check on their first connection.
func (a *Agent) SSHHostKeys() []xssh.Signer { return a.hostKeys }

// ServeSSH serves NETCONF over SSH (RFC 6242) on l until Shutdown, then returns
// ErrServerClosed; Options.SSHListen must be set (for the host keys). ListenAndServe calls it
// for Options.SSHListen; callers with their own listener (":0" in tests) call it directly.
func (a *Agent) ServeSSH(l net.Listener) error {
	if a.hostKeys == nil {
		l.Close()
		return errors.New("agent: ServeSSH without Options.SSHListen (no host keys)")
	}
	if err := a.Start(); err != nil {
		l.Close()
		return err
	}
	sl, err := ssh.NewListener(newShedListener(l, false, a.log), a.sshOptions())
	if err != nil {
		l.Close()
		return fmt.Errorf("agent: %w", err)
	}
	err = a.srv.Serve(sl)
	if errors.Is(err, server.ErrServerClosed) {
		return ErrServerClosed
	}
	return err
}

// sshOptions configures the SSH transport (listener and call home).
func (a *Agent) sshOptions() ssh.Options {
	return ssh.Options{
		HostKeys: a.hostKeys,
		Password: func(remote net.Addr, user, pw string) (string, error) {
			return a.auth.CheckPassword(remote, user, pw, "ssh-password")
		},
		Blocked:    a.auth.Blocked,
		PublicKeys: ssh.AuthorizedKeysDir(a.opts.SSHAuthorizedKeys),
		ReadLimit:  int(a.readLimit()),
		MaxConns:   a.opts.MaxConns, MaxConnsPerAddr: a.opts.MaxConnsPerAddr,
		PingInterval: a.opts.PingInterval,
		Logger:       a.log,
	}
}

// tlsOptions configures the TLS transport (listener and call home).
func (a *Agent) tlsOptions() nctls.Options {
	return nctls.Options{Config: a.opts.TLSConfig, CertUser: a.auth.CertUser,
		ReadLimit: int(a.readLimit()), MaxConns: a.opts.MaxConns, MaxConnsPerAddr: a.opts.MaxConnsPerAddr,
		PingInterval: a.opts.PingInterval, Logger: a.log}
}

// readLimit is the message size limit of every transport.
func (a *Agent) readLimit() int64 {
	if a.opts.ReadLimit > 0 {
		return a.opts.ReadLimit
	}
	return websocket.DefaultReadLimit
}

// ServeContext is Serve that shuts the agent down gracefully when ctx ends (and then returns
// nil), as ListenAndServe does.
func (a *Agent) ServeContext(ctx context.Context, l net.Listener) error {
	served := make(chan error, 1)
	go func() { served <- a.Serve(l) }()
	select {
	case err := <-served:
		if !errors.Is(err, ErrServerClosed) {
			sctx, cancel := context.WithTimeout(context.Background(), a.opts.ShutdownTimeout)
			defer cancel()
			a.Shutdown(sctx)
		}
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), a.opts.ShutdownTimeout)
	defer cancel()
	// Sessions still closing at the timeout (a peer that does not answer the close handshake)
	// are logged by Shutdown and abandoned; only a datastore that fails to close is an error.
	if err := a.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	<-served
	return nil
}

// Shutdown stops accepting connections and reading requests; a session answering a request
// finishes it and sends the reply, then every session is closed (WebSocket close 1001, the SSH
// channel or TLS connection closed); a request read but not started is not executed (see
// server.Server.Shutdown). It waits for the sessions and the HTTP servers (or for ctx: requests
// still running then are abandoned, their contexts cancelled), then closes the datastore.
// Commits are durable when acknowledged. Serve calls then return ErrServerClosed.
func (a *Agent) Shutdown(ctx context.Context) error {
	a.mu.Lock()
	a.closed = true
	hss := append([]*http.Server(nil), a.hs...)
	started := a.started
	a.mu.Unlock()
	var err error
	a.stop()
	a.stopOnce.Do(func() {
		a.log.Info("agent: shutting down")
		if serr := a.srv.Shutdown(ctx); serr != nil {
			a.log.Warn("agent: shutdown", "err", serr)
			err = serr
		}
		for _, hs := range hss {
			if herr := hs.Shutdown(ctx); herr != nil && err == nil {
				err = herr
			}
		}
		if started {
			if serr := <-a.srvDone; serr != nil && !errors.Is(serr, server.ErrServerClosed) {
				a.log.Warn("agent: server", "err", serr)
			}
		}
		if cerr := a.store.Close(); cerr != nil {
			a.storeErr = fmt.Errorf("agent: closing the datastore: %w", cerr)
			if err == nil {
				err = a.storeErr
			}
		}
		a.log.Info("agent: stopped")
	})
	return err
}

// Close closes an agent that never served (it releases the datastore); on a serving agent it
// is Shutdown with no wait.
func (a *Agent) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := a.Shutdown(ctx)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// checkNotStarted fails registrations once the agent serves.
func (a *Agent) checkNotStarted() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.started || a.closed {
		return ErrStarted
	}
	return nil
}
