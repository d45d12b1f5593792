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
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
	"github.com/ncws/ncws/pkg/validate"
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
	helloTimeout, ping    time.Duration
	bootFromStartup       bool
	logLevel              string
	readHeaderTimeout     time.Duration
	shutdownTimeout       time.Duration
	allowInvalidDatastore bool
	certUsers             map[string]string
}

func newServe(stdout, stderr io.Writer) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve [flags] [SCHEMA.yang...]",
		Short: "Serve NETCONF over WebSocket",
		Long: `Serve NETCONF over WebSocket (draft-iijima-netconf-websocket-ps): GET /netconf with the
subprotocol "netconf" upgrades to a NETCONF session; POST /login gives browsers a token.

With no SCHEMA.yang it serves the example device model (ncws-example) and the protocol
modules; with .yang files it serves those modules (and the protocol modules) as they are.
Running, candidate and startup persist in --datastore. Without --users, a users file is made
in the datastore directory on first start, with an admin user whose password is printed once.`,
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
	fl.IntVar(&f.maxConns, "max-conns", websocket.DefaultMaxConns, "cap on connections (negative: none)")
	fl.IntVar(&f.perUser, "max-conns-per-user", websocket.DefaultMaxConnsPerUser, "cap on connections per user (negative: none)")
	fl.IntVar(&f.perAddr, "max-conns-per-addr", websocket.DefaultMaxConnsPerAddr, "cap on connections per client address (negative: none)")
	fl.Int64Var(&f.readLimit, "read-limit", websocket.DefaultReadLimit, "largest message accepted, in bytes")
	fl.DurationVar(&f.helloTimeout, "hello-timeout", server.DefaultHelloTimeout, "time a client has to send its hello")
	fl.DurationVar(&f.ping, "ping-interval", websocket.DefaultPingInterval, "keepalive ping interval (negative: none)")
	fl.DurationVar(&f.readHeaderTimeout, "read-header-timeout", 10*time.Second, "HTTP ReadHeaderTimeout")
	fl.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long shutdown waits for sessions")
	fl.BoolVar(&f.bootFromStartup, "boot-from-startup", false, "copy startup into running at start (a device boot)")
	fl.BoolVar(&f.allowInvalidDatastore, "allow-invalid-datastore", false, "start even when the stored configuration fails validation")
	fl.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	return cmd
}

// loadServeSchema compiles the protocol modules with the given modules; with none, the schema
// is the example device model's generated package's (no YANG compiled at start), unless -F or
// -p ask for a compilation of the embedded example module.
func loadServeSchema(f serveFlags, files []string) (*schema.Schema, error) {
	if len(files) == 0 {
		if len(f.features) == 0 && len(f.paths) == 0 {
			return example.Schema(), nil
		}
		files = []string{yang.Example}
	}
	opts := yangload.Options{SearchPaths: f.paths, Files: files}
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

func runServe(ctx context.Context, f serveFlags, args []string, stdout, stderr io.Writer) error {
	usage := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "ncws serve: "+format+"\n", a...)
		return exitError{ExitUsage}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return usage("--log-level: %v", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
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

	sch, err := loadServeSchema(f, args)
	if err != nil {
		return usage("%v", err)
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return usage("%v", err)
	}
	store, err := datastore.Open(datastore.Options{
		Schema: sch, Validator: validate.New(sch), Dir: f.dir,
		BootFromStartup: f.bootFromStartup, AllowInvalid: f.allowInvalidDatastore, Logger: log,
	})
	if err != nil {
		return usage("datastore %s: %v", f.dir, err)
	}
	defer store.Close()

	usersFile := f.users
	if usersFile == "" {
		usersFile = filepath.Join(f.dir, "users.htpasswd")
		pw, created, err := auth.EnsureAdmin(usersFile)
		if err != nil {
			return usage("%v", err)
		}
		if created {
			fmt.Fprintf(stdout, "created %s with user admin, password %s (shown once; change it with: ncws passwd %s admin)\n",
				usersFile, pw, usersFile)
		}
	}
	a, err := auth.New(auth.Options{UsersFile: usersFile, CertNames: f.certUsers, TrustedOrigins: f.origins, Logger: log})
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

	srv := &server.Server{Store: store, Logger: log, HelloTimeout: f.helloTimeout}
	if len(args) == 0 {
		if err := serveExample(srv, store, log); err != nil {
			return usage("%v", err)
		}
	}
	wl := websocket.NewListener(websocket.Options{
		Authenticate: a.Authenticate, AllowOrigins: f.origins, AllowHosts: f.hosts,
		ReadLimit: f.readLimit, PingInterval: f.ping,
		MaxConns: f.maxConns, MaxConnsPerUser: f.perUser, MaxConnsPerAddr: f.perAddr, Logger: log,
	})
	mux := http.NewServeMux()
	mux.Handle("/netconf", wl)
	mux.Handle("/login", a.LoginHandler())
	mux.Handle("/logout", a.LogoutHandler())

	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return usage("%v", err)
	}
	hs := &http.Server{
		// No ReadTimeout or WriteTimeout: their deadlines would stay on upgraded connections.
		Handler: mux, ReadHeaderTimeout: f.readHeaderTimeout, IdleTimeout: 2 * time.Minute, TLSConfig: tlsConf,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "ws"
	if tlsConf != nil {
		scheme = "wss"
		ln = tls.NewListener(ln, tlsConf)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(wl) }()
	httpDone := make(chan error, 1)
	go func() { httpDone <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "ncws: serving NETCONF over WebSocket at %s://%s/netconf (datastore %s, users %s)\n",
		scheme, ln.Addr(), f.dir, usersFile)

	select {
	case <-ctx.Done():
	case err := <-httpDone:
		log.Error("serve: HTTP server failed", "err", err)
	}
	log.Info("serve: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), f.shutdownTimeout)
	defer cancel()
	// Shutdown closes the WebSocket listener (upgrades get 503) and the sessions with 1001;
	// commits are durable when acknowledged, and the store is closed below.
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("serve: shutdown", "err", err)
	}
	hs.Shutdown(sctx)
	if err := <-served; err != nil && !errors.Is(err, server.ErrServerClosed) {
		log.Warn("serve: server", "err", err)
	}
	if err := store.Close(); err != nil {
		return fmt.Errorf("closing the datastore: %w", err)
	}
	log.Info("serve: stopped")
	return nil
}
