package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/internal/gcfloor"
	"github.com/ncws/ncws/internal/procs"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
	"github.com/ncws/ncws/yang"
)

type serveFlags struct {
	paths, features       []string
	listen, dir, users    string
	tlsCert, tlsKey, ca   string
	origins, hosts        []string
	maxConns, perUser     int
	perAddr               int
	readLimit             int64
	gcHeadroom            int64
	gomaxprocs            int
	helloTimeout, ping    time.Duration
	bootFromStartup       bool
	logLevel, logFormat   string
	metricsListen         string
	readHeaderTimeout     time.Duration
	shutdownTimeout       time.Duration
	allowInvalidDatastore bool
	certUsers             map[string]string
	startupFile           string
	operationalFile       string
	sshListen, sshKeys    string
	tlsListen             string
	callHome              []string
	certToName            []string
	noPage                bool
	recoveryUser          string
	urlDir                string
	urlAllow              []string
}

func newServe(stdout, stderr io.Writer) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve [flags] [SCHEMA.yang...]",
		Short: "Serve NETCONF over WebSocket, SSH and TLS (and call home)",
		Long: `Serve NETCONF over WebSocket (draft-iijima-netconf-websocket-ps): GET /netconf with the
subprotocol "netconf" upgrades to a NETCONF session; POST /login gives browsers a token; / is
the NMS page (a NETCONF client in the browser; --no-page turns it off). --ssh-listen adds
NETCONF over SSH (RFC 6242), --tls-listen NETCONF over TLS (RFC 7589), --call-home dials
clients (RFC 8071); all share one datastore and one session-id space. /healthz and /readyz
(no login) and /metrics (Prometheus, same login as /netconf) are for operations;
--metrics-listen serves all three without login on an address of its own.

With no SCHEMA.yang it serves the example device model (ncws-example) and the protocol
modules, run by the simulated device of examples/device (interfaces with link state and
counters, a routing table, the reboot rpc and the interface reset action); with .yang files
it serves those modules (and the protocol modules) as they are.
Running, candidate and startup persist in --datastore. Without --users, a users file is made
in the datastore directory on first start, with an admin user whose password is printed once.

Access control (NACM, RFC 8341) is always on. The first start writes /nacm with a group admin
holding the first user of the users file and a rule-list that permits that group everything;
the RFC's defaults apply to everyone else: they read (not /nacm nor the commit history) and
run operations (not kill-session, delete-config nor rollback) but write nothing. Groups also
come from DATASTORE/groups ("GROUP: USER USER ..." lines). --recovery-user names a user that
access control never stops. Every denial is logged.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), f, args, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.paths, "path", "p", nil, "search directory for imported modules (repeatable)")
	fl.StringArrayVarP(&f.features, "features", "F", nil, "MODULE:FEATURE,... features to enable (repeatable; default all)")
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&f.dir, "datastore", "ncws-data", "datastore directory")
	fl.StringVar(&f.users, "users", "", "htpasswd file with bcrypt hashes (default DATASTORE/users.htpasswd, created with an admin user)")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "TLS certificate (PEM): serve wss://")
	fl.StringVar(&f.tlsKey, "tls-key", "", "TLS private key (PEM)")
	fl.StringVar(&f.ca, "client-ca", "", "CA certificates (PEM) for TLS client certificates; the username is the certificate's CN")
	fl.StringToStringVar(&f.certUsers, "cert-user", nil, "SHA256-FINGERPRINT=USER: the username of a client certificate, before its CN (repeatable; RFC 7589 cert-to-name)")
	fl.StringArrayVar(&f.origins, "allow-origin", nil, "origin whose pages may connect (repeatable; default the server's own)")
	fl.StringArrayVar(&f.hosts, "allow-host", nil, "host name accepted in the Host header besides IP addresses and localhost (repeatable)")
	fl.StringVar(&f.urlDir, "url-dir", "", "enable :url (RFC 6241 8.8) for file:// URLs below `DIR` (copy-config, edit-config, validate, delete-config)")
	fl.StringArrayVar(&f.urlAllow, "url-allow", nil, "enable :url for http(s) URLs under `PREFIX`, e.g. https://host/configs/ (repeatable)")
	fl.IntVar(&f.maxConns, "max-conns", websocket.DefaultMaxConns, "cap on connections (negative: none)")
	fl.IntVar(&f.perUser, "max-conns-per-user", websocket.DefaultMaxConnsPerUser, "cap on connections per user (negative: none)")
	fl.IntVar(&f.perAddr, "max-conns-per-addr", websocket.DefaultMaxConnsPerAddr, "cap on connections per client address (negative: none)")
	f.readLimit = websocket.DefaultReadLimit
	fl.Var((*byteSize)(&f.readLimit), "read-limit", "largest message accepted: bytes or a size with a unit (64MiB, 16MB, 1GiB); a bigger one ends the session (WebSocket close 1009)")
	f.gcHeadroom = defaultGCHeadroom
	fl.Var((*byteSize)(&f.gcHeadroom), "gc-headroom", "let the heap grow this much above the live heap before a garbage collection while the live heap is smaller (fewer collections under load), and half the live heap once that is more than twice as large (a bulk load's peak); 0: GOGC=100's doubling alone; ignored when GOGC is set")
	fl.IntVar(&f.gomaxprocs, "gomaxprocs", 0, "how many threads run Go code at once; 0: adaptive, one while the server needs less than a core (fewer thread wake-ups per request), all the CPUs available (or GOMAXPROCS from the environment, then fixed) as soon as it needs more; N: always N (docs/PERFORMANCE.md)")
	fl.DurationVar(&f.helloTimeout, "hello-timeout", server.DefaultHelloTimeout, "time a client has to send its hello")
	fl.DurationVar(&f.ping, "ping-interval", websocket.DefaultPingInterval, "keepalive interval: WebSocket ping, SSH keepalive request, TLS TCP keepalive (negative: none)")
	fl.DurationVar(&f.readHeaderTimeout, "read-header-timeout", 10*time.Second, "HTTP ReadHeaderTimeout")
	fl.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long shutdown waits for sessions")
	fl.BoolVar(&f.bootFromStartup, "boot-from-startup", false, "copy startup into running at start (a device boot)")
	fl.BoolVar(&f.allowInvalidDatastore, "allow-invalid-datastore", false, "start even when the stored configuration fails validation")
	fl.StringVar(&f.sshListen, "ssh-listen", "", "also serve NETCONF over SSH (RFC 6242) on this address, e.g. :830")
	fl.StringVar(&f.sshKeys, "ssh-authorized-keys", "", "directory of authorized_keys files named by user (default DATASTORE/authorized_keys)")
	fl.StringVar(&f.tlsListen, "tls-listen", "", "also serve NETCONF over TLS (RFC 7589) on this address, e.g. :6513 (needs --tls-cert, --tls-key, --client-ca)")
	fl.StringArrayVar(&f.certToName, "cert-to-name", nil, "FINGERPRINT,MAPTYPE[,NAME]: RFC 7589 cert-to-name entry, in order (map types specified, san-rfc822-name, san-dns-name, san-ip-address, san-any, common-name; the fingerprint is the client certificate's or a CA's); serves TLS and wss")
	fl.StringArrayVar(&f.callHome, "call-home", nil, "ssh://HOST[:4334] or tls://HOST[:4335]: a NETCONF client to connect to (RFC 8071 call home), redialed with backoff (repeatable)")
	fl.StringVar(&f.startupFile, "startup", "", "simulator: XML or JSON configuration that becomes startup and running at the first boot")
	fl.StringVar(&f.operationalFile, "operational", "", "simulator: XML or JSON state data served as the device's state (reloaded on SIGHUP)")
	fl.BoolVar(&f.noPage, "no-page", false, "do not serve the NMS page at / (nor /schema.json)")
	fl.StringVar(&f.recoveryUser, "recovery-user", "", "break-glass user whose sessions bypass access control (NACM's recovery session)")
	fl.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	fl.StringVar(&f.logFormat, "log-format", "text", "text (logfmt-like key=value) or json (one JSON object a line: time, level, msg, attributes)")
	fl.StringVar(&f.metricsListen, "metrics-listen", "", "also serve /metrics (Prometheus), /healthz and /readyz without authentication on this address, e.g. 127.0.0.1:9090 (--listen serves them too, /metrics behind login)")
	return cmd
}

// loadServeSchema compiles the protocol modules with the given modules; with none, the schema
// is the example device model's generated package's (no YANG compiled at start), unless -F or
// -p ask for a compilation of the embedded example module.
func loadServeSchema(f serveFlags, files []string, warn func(*yangload.Error)) (*schema.Schema, error) {
	if len(files) == 0 {
		if len(f.features) == 0 && len(f.paths) == 0 {
			return example.Schema(), nil
		}
		files = []string{yang.Example}
	}
	opts := yangload.Options{SearchPaths: f.paths, Files: files, Warn: warn}
	if len(f.features) > 0 {
		opts.Features = map[string][]string{}
		for _, fs := range f.features {
			if err := yangload.ParseFeatureFlag(fs, opts.Features); err != nil {
				return nil, err
			}
		}
	}
	return yang.Load(opts)
}

// defaultGCHeadroom is --gc-headroom's default: with a small configuration (a live heap of
// a few MB) the server collects once per 32 MB allocated instead of once per 4 MB, about a
// tenth of its CPU under a stream of small requests (docs/PERFORMANCE.md), for up to 32 MB
// more resident memory under load.
const defaultGCHeadroom = 32 << 20

func runServe(ctx context.Context, f serveFlags, args []string, stdout, stderr io.Writer) error {
	usage := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "ncws serve: "+format+"\n", a...)
		return exitError{ExitUsage}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return usage("--log-level: %v", err)
	}
	var log *slog.Logger
	switch f.logFormat {
	case "text":
		log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	case "json":
		log = slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	default:
		return usage("--log-format: %q is neither text nor json", f.logFormat)
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usage("--tls-cert and --tls-key go together")
	}
	if f.ca != "" && f.tlsCert == "" {
		return usage("--client-ca needs --tls-cert and --tls-key")
	}
	for _, a := range args {
		if !strings.HasSuffix(a, ".yang") {
			return usage("%s: not a .yang file", a)
		}
	}

	if f.tlsListen != "" && f.ca == "" {
		return usage("--tls-listen needs --tls-cert, --tls-key and --client-ca")
	}
	var certMaps []auth.CertMap
	for _, c := range f.certToName {
		m, err := auth.ParseCertMap(c)
		if err != nil {
			return usage("--cert-to-name: %v", err)
		}
		certMaps = append(certMaps, m)
	}
	sch, err := loadServeSchema(f, args, func(e *yangload.Error) { log.Warn("yang: "+e.Msg, "at", e.File+":"+strconv.Itoa(e.Line)) })
	if err != nil {
		return usage("%v", err)
	}
	var tlsConf *tls.Config
	if f.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			return usage("TLS: %v", err)
		}
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		if f.ca != "" {
			pem, err := os.ReadFile(f.ca)
			if err != nil {
				return usage("%v", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return usage("%s: no PEM certificates", f.ca)
			}
			tlsConf.ClientCAs = pool
			tlsConf.ClientAuth = tls.VerifyClientCertIfGiven
		}
	}

	if f.gcHeadroom < 0 {
		return usage("--gc-headroom: negative")
	}
	if f.gomaxprocs < 0 {
		return usage("--gomaxprocs: negative")
	}
	switch {
	case f.gomaxprocs > 0:
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(f.gomaxprocs))
	case os.Getenv("GOMAXPROCS") == "":
		// One processor while the server needs less than a core, all of them beyond
		// (internal/procs: a single busy session's goroutine hand-offs wake no second thread).
		defer procs.Start(procs.Options{Changed: func(n int, load float64) {
			log.Debug("serve: processors", "gomaxprocs", n, "cores", fmt.Sprintf("%.2f", load))
		}})()
	}
	if f.gcHeadroom > 0 && os.Getenv("GOGC") == "" {
		defer gcfloor.Start(uint64(f.gcHeadroom))()
	}
	a, err := agent.New(&agent.Options{
		Schemas: []*schema.Schema{sch}, Dir: f.dir, BootFromStartup: f.bootFromStartup,
		AllowInvalidDatastore: f.allowInvalidDatastore,
		StartupFile:           f.startupFile, OperationalFile: f.operationalFile,
		UsersFile: f.users, RecoveryUser: f.recoveryUser,
		AdminCreated: func(file, pw string) {
			fmt.Fprintf(stdout, "created %s with user admin, password %s (shown once; change it with: ncws passwd %s admin)\n",
				file, pw, file)
		},
		CertNames: f.certUsers, Listen: f.listen, TLSConfig: tlsConf,
		SSHListen: f.sshListen, SSHAuthorizedKeys: f.sshKeys, TLSListen: f.tlsListen, CertToName: certMaps, CallHome: f.callHome,
		AllowOrigins: f.origins, AllowHosts: f.hosts, NoPage: f.noPage,
		MaxConns: f.maxConns, MaxConnsPerUser: f.perUser, MaxConnsPerAddr: f.perAddr,
		ReadLimit: f.readLimit, HelloTimeout: f.helloTimeout, PingInterval: f.ping,
		ReadHeaderTimeout: f.readHeaderTimeout, ShutdownTimeout: f.shutdownTimeout, Logger: log,
		MetricsListen: f.metricsListen, URLDir: f.urlDir, URLAllow: f.urlAllow,
	})
	if err != nil {
		return usage("%v", err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 && f.operationalFile == "" {
		stopDevice, err := serveExample(ctx, a, log)
		if err != nil {
			a.Close()
			return usage("%v", err)
		}
		defer stopDevice()
	}
	ln, err := a.Listen()
	if err != nil {
		a.Close()
		return usage("%v", err)
	}
	scheme := "ws"
	if tlsConf != nil {
		scheme = "wss"
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				reload(a, f, log)
			}
		}
	}()
	if f.sshListen != "" {
		sl, err := net.Listen("tcp", f.sshListen)
		if err != nil {
			ln.Close()
			a.Close()
			return usage("%v", err)
		}
		for _, k := range a.SSHHostKeys() {
			fmt.Fprintf(stdout, "ncws: SSH host key %s %s\n", k.PublicKey().Type(), xssh.FingerprintSHA256(k.PublicKey()))
		}
		fmt.Fprintf(stdout, "ncws: serving NETCONF over SSH at %s (subsystem netconf)\n", sl.Addr())
		go func() {
			if err := a.ServeSSH(sl); err != nil && !errors.Is(err, agent.ErrServerClosed) {
				log.Error("serve: SSH", "err", err)
			}
		}()
	}
	if f.metricsListen != "" {
		ml, err := net.Listen("tcp", f.metricsListen)
		if err != nil {
			ln.Close()
			a.Close()
			return usage("%v", err)
		}
		fmt.Fprintf(stdout, "ncws: serving /metrics, /healthz and /readyz at http://%s\n", ml.Addr())
		go func() {
			if err := a.ServeMetrics(ml); err != nil && !errors.Is(err, agent.ErrServerClosed) {
				log.Error("serve: metrics", "err", err)
			}
		}()
	}
	if f.tlsListen != "" {
		tl, err := net.Listen("tcp", f.tlsListen)
		if err != nil {
			ln.Close()
			a.Close()
			return usage("%v", err)
		}
		fmt.Fprintf(stdout, "ncws: serving NETCONF over TLS at %s\n", tl.Addr())
		go func() {
			if err := a.ServeTLS(tl); err != nil && !errors.Is(err, agent.ErrServerClosed) {
				log.Error("serve: TLS", "err", err)
			}
		}()
	}
	fmt.Fprintf(stdout, "ncws: serving NETCONF over WebSocket at %s://%s/netconf (datastore %s, users %s)\n",
		scheme, ln.Addr(), f.dir, a.UsersFile())
	if !f.noPage {
		fmt.Fprintf(stdout, "ncws: NMS page at %s://%s/\n", strings.Replace(scheme, "ws", "http", 1), ln.Addr())
	}
	if err := a.ServeContext(ctx, ln); err != nil && !errors.Is(err, agent.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// reload is SIGHUP: the operational file is read again (the users file is reread by itself
// when it changes).
func reload(a *agent.Agent, f serveFlags, log *slog.Logger) {
	if f.operationalFile != "" {
		if err := a.ReloadOperational(); err != nil {
			log.Error("serve: reloading the operational file; the previous state stays", "err", err)
		}
	}
}
