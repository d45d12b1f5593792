package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	xssh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
	"golang.org/x/term"

	"github.com/ncws/ncws/internal/xmltok"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
)

const clientLong = `Connect to a NETCONF server and run one operation, a script of rpc documents, or an
interactive shell. The URL picks the transport: ws:// or wss://HOST:PORT/netconf (WebSocket),
ssh://[USER@]HOST[:830] (SSH, RFC 6242; the host key is checked against --known-hosts), or
tls://HOST[:6513] (TLS, RFC 7589, with --cert and --key). With --call-home the URL is where to
listen for a server that calls (RFC 8071): ssh://[USER@][ADDR]:4334 or tls://[ADDR]:4335.

  ncws client URL [flags] OPERATION [args]   run one operation, print the reply
  ncws client URL [flags] subscribe [args]   subscribe to event notifications and print
                                             each as it arrives, until the --stop-time's
                                             notificationComplete, the session's end or
                                             Ctrl-C (SIGINT, SIGTERM: close-session, exit 0)
  ncws client URL [flags] --script FILE|-    send each rpc of FILE (<rpc> or bare operation
                                             elements, one after the other), print each reply
  ncws client URL [flags] [--shell]          a shell (line editing, history, Tab completion)
                                             when stdin is a terminal; otherwise the commands
                                             are read from stdin line by line

Operations (in the shell too; "help" lists them, "quit" ends the session):
%s
Times (T) are RFC 3339 (2026-11-24T10:00:00Z) or a duration from now (-1h, -90s, 10m). In the
shell, notifications are printed between the replies once subscribe has succeeded.

edit-config's FILE is what ncws validate reads: bare top-level elements, or a <config> or <data>
wrapper around them (its namespace declarations still apply). A filter given as @FILE is read
from FILE.

Replies are printed as indented XML on stdout; rpc-errors go to stderr and make the exit code 1.
A connection or handshake failure exits with 2. The password comes from --password, else the
environment variable NCWS_PASSWORD, else it is asked for when stdin is a terminal.

Connection flags:
%s`

// opDoc lists the operations and their arguments, in help order.
var opDoc = [][2]string{
	{"hello", "print the server's session-id and capabilities"},
	{"get-config", "[--source DS] [--filter XML | --xpath EXPR [--ns PREFIX=URI]...] [--with-defaults MODE]"},
	{"get", "[--filter XML | --xpath EXPR [--ns PREFIX=URI]...] [--with-defaults MODE]"},
	{"edit-config", "[--target DS] --config FILE|- [--default-operation OP] [--test-option OPT] [--error-option OPT]"},
	{"copy-config", "--target DS --source DS"},
	{"delete-config", "--target DS"},
	{"lock", "[--target DS]"},
	{"unlock", "[--target DS]"},
	{"validate", "[--source DS]"},
	{"commit", "[--confirmed [--timeout SECONDS] [--persist ID]] [--persist-id ID]"},
	{"discard-changes", ""},
	{"cancel-commit", "[--persist-id ID]"},
	{"kill-session", "SESSION-ID"},
	{"close-session", ""},
	{"subscribe", "[--stream S] [--start-time T [--stop-time T]] [--filter XML | --xpath EXPR [--ns PREFIX=URI]...]"},
	{"rpc", "FILE|-   (one operation element, or a whole <rpc>)"},
}

func opUsage() string {
	var b strings.Builder
	for _, o := range opDoc {
		fmt.Fprintf(&b, "%s\n", strings.TrimRight(fmt.Sprintf("  %-16s %s", o[0], o[1]), " "))
	}
	return b.String()
}

// flagValues are the values Tab completes after a flag.
var flagValues = map[string][]string{
	"--source":            {"running", "candidate", "startup"},
	"--target":            {"running", "candidate", "startup"},
	"--with-defaults":     {"report-all", "trim", "explicit", "report-all-tagged"},
	"--default-operation": {"merge", "replace", "none"},
	"--test-option":       {"test-then-set", "set", "test-only"},
	"--error-option":      {"stop-on-error", "continue-on-error", "rollback-on-error"},
	"--stream":            {"NETCONF"},
}

type clientFlags struct {
	user, password, token, cacert, cert, key, origin, script string
	sshKey, knownHosts                                       string
	insecure, shell, callHome, base10                        bool
}

func (f *clientFlags) define(fs *pflag.FlagSet) {
	fs.StringVar(&f.user, "user", "", "user name for HTTP Basic authentication")
	fs.StringVar(&f.password, "password", "", "password (default: $NCWS_PASSWORD, or asked on a terminal)")
	fs.StringVar(&f.token, "token", "", "login token (from POST /login), offered as subprotocol ncws.token.TOKEN")
	fs.StringVar(&f.cacert, "cacert", "", "PEM file of the CA certificates that verify the server")
	fs.StringVar(&f.cert, "cert", "", "PEM file of the client certificate")
	fs.StringVar(&f.key, "key", "", "PEM file of the client certificate's key")
	fs.BoolVar(&f.insecure, "insecure", false, "do not verify the server's certificate")
	fs.StringVar(&f.origin, "origin", "", "Origin header of the upgrade request")
	fs.StringVar(&f.script, "script", "", "send the rpc documents of FILE (- for stdin)")
	fs.BoolVar(&f.shell, "shell", false, "start the shell even when stdin is not a terminal")
	fs.StringVar(&f.sshKey, "ssh-key", "", "SSH private key file (OpenSSH or PEM, unencrypted) for ssh:// URLs")
	fs.StringVar(&f.knownHosts, "known-hosts", "", "known_hosts file checking the SSH host key (default ~/.ssh/known_hosts; --insecure skips the check)")
	fs.BoolVar(&f.callHome, "call-home", false, "listen at the URL for a server that calls home (RFC 8071), then run as usual on its session")
	fs.BoolVar(&f.base10, "base10", false, "announce only base:1.0 (end-of-message framing over SSH and TLS)")
}

func newClient(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var fl clientFlags
	fs := pflag.NewFlagSet("client", pflag.ContinueOnError)
	fl.define(fs)
	return &cobra.Command{
		Use:   "client URL [flags] [OPERATION [args]]",
		Short: "Run NETCONF operations over WebSocket: one-shot, scripted or in a shell",
		Long:  fmt.Sprintf(clientLong, opUsage(), fs.FlagUsages()),
		// The flags after the operation are the operation's: the command parses its own.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			c := &clientCmd{stdin: stdin, stdout: stdout, stderr: stderr}
			return c.run(cmd, args)
		},
	}
}

// clientCmd is one run of `ncws client`.
type clientCmd struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// out is stdout as replies and notifications share it.
	out       *printer
	fl        clientFlags
	s         *client.Session
	rpcErrors bool // some reply carried rpc-errors
	// completed is closed at the first notificationComplete (RFC 5277 section 2.2.1).
	completed     chan struct{}
	completedOnce sync.Once
}

// printer is an output that replies and notifications share: one Write at a time, each
// reply or notification in one Write, and nothing written once closed (notifications still
// arriving while the command ends are dropped).
type printer struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

func (p *printer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return len(b), nil
	}
	return p.w.Write(b)
}

// setOutput makes w the output (the shell's terminal, which keeps the prompt and the line
// being typed below what is written).
func (p *printer) setOutput(w io.Writer) {
	p.mu.Lock()
	p.w = w
	p.mu.Unlock()
}

func (p *printer) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}

func (c *clientCmd) fail(code int, format string, args ...any) error {
	fmt.Fprintf(c.stderr, "ncws client: "+format+"\n", args...)
	return exitError{code}
}

func (c *clientCmd) run(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	fs := pflag.NewFlagSet("client", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SetInterspersed(false)
	c.fl.define(fs)
	// Flags may come before and after the URL; the operation's own flags follow its name.
	parse := func(a []string) ([]string, error) {
		if err := fs.Parse(a); err != nil {
			return nil, err
		}
		return fs.Args(), nil
	}
	c.out = &printer{w: c.stdout}
	defer c.out.close()
	c.completed = make(chan struct{})
	rest, err := parse(args)
	if err == nil && len(rest) > 0 {
		var more []string
		more, err = parse(rest[1:])
		rest = append(rest[:1], more...)
	}
	if errors.Is(err, pflag.ErrHelp) {
		fmt.Fprintln(c.stdout, cmd.Long)
		return nil
	}
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	if len(rest) == 0 {
		return c.fail(ExitUsage, "missing URL; see ncws client --help")
	}
	url, rest := rest[0], rest[1:]
	scheme, _, _ := strings.Cut(url, "://")
	switch scheme {
	case "ws", "wss", "ssh", "tls":
	default:
		return c.fail(ExitUsage, "URL %q: want ws://HOST:PORT/PATH, wss://..., ssh://[USER@]HOST[:PORT] or tls://HOST[:PORT]", url)
	}
	if c.fl.callHome && scheme != "ssh" && scheme != "tls" {
		return c.fail(ExitUsage, "--call-home: want ssh://[USER@][ADDR]:PORT or tls://[ADDR]:PORT")
	}
	if c.fl.script != "" && len(rest) > 0 {
		return c.fail(ExitUsage, "--script and an operation are exclusive")
	}
	// A one-shot operation is built (its files read) before connecting.
	var op []byte
	if len(rest) > 0 && rest[0] != "hello" && rest[0] != "help" {
		if op, err = c.buildOp(rest[0], rest[1:], true); err != nil {
			return c.fail(ExitUsage, "%v", err)
		}
	}
	opts, err := c.dialOptions()
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	if c.fl.callHome {
		l, lerr := client.Listen(ctx, url, opts)
		if lerr != nil {
			return c.fail(ExitUsage, "%v", lerr)
		}
		fmt.Fprintf(c.stderr, "ncws client: waiting for a call home at %s\n", l.Addr())
		c.s, err = l.Accept(ctx)
		l.Close()
	} else {
		c.s, err = client.Dial(ctx, url, opts)
	}
	if err != nil {
		return c.fail(ExitUsage, "%s", dialError(err))
	}
	defer c.s.Close()

	switch {
	case c.fl.script != "":
		err = c.runScript(ctx)
	case op != nil && rest[0] == "subscribe":
		err = c.runSubscribe(ctx, op)
	case op != nil:
		err = c.call(ctx, c.out, c.stderr, op)
	case len(rest) > 0:
		err = c.runLine(ctx, c.out, c.stderr, rest, true)
	default:
		err = c.runShell(ctx)
	}
	if err != nil {
		return err
	}
	// The session is closed even when ctx has ended (an interrupted subscribe).
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
	defer cancel()
	if err := c.s.CloseSession(cctx); err != nil {
		return c.fail(ExitUsage, "close-session: %v", err)
	}
	if c.rpcErrors {
		return exitError{ExitInvalid}
	}
	return nil
}

// closeTimeout bounds the wait for close-session's reply and the server's close.
const closeTimeout = 10 * time.Second

// runSubscribe runs a one-shot subscribe: it sends create-subscription and waits, the
// notifications printing themselves, until notificationComplete, SIGINT or SIGTERM (or ctx's
// end), or the session's end.
func (c *clientCmd) runSubscribe(ctx context.Context, op []byte) error {
	// Caught before the subscription exists, so that an early Ctrl-C still closes cleanly.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := c.s.Call(ctx, op)
	var errs rpcerror.List
	switch {
	case errors.As(err, &errs):
		c.rpcErrors = true
		printRPCErrors(c.stderr, r.Errors)
		return nil
	case ctx.Err() != nil:
		return nil
	case err != nil && c.s.Err() != nil:
		return c.sessionEnded(c.s.Err())
	case err != nil:
		return c.fail(ExitUsage, "%s", errText(err))
	}
	printRPCErrors(c.stderr, r.Errors) // warnings
	select {
	case <-c.completed:
	case <-ctx.Done():
	case <-c.s.Done():
		return c.sessionEnded(c.s.Err())
	}
	return nil
}

// sessionEnded reports why the session ended, once every notification received before the end
// has been printed.
func (c *clientCmd) sessionEnded(err error) error {
	<-c.s.NotificationsDone()
	return c.fail(ExitUsage, "%s", errText(err))
}

// errText is how ncws client reports err: without the package prefix, and for a session the
// server ended because a message was over its read limit (WebSocket 1009), with what to change.
func errText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "client: ")
	if ce := (*client.ClosedError)(nil); errors.As(err, &ce) && ce.Code == 1009 {
		msg += "; the server refused a message over its read limit (ncws serve --read-limit, e.g. 64MiB)"
	}
	return msg
}

// onNotification prints a notification as received (indented as replies are) and notes
// notificationComplete.
func (c *clientCmd) onNotification(eventTime time.Time, body []byte) {
	c.out.Write(indentXML(netconf.AppendNotification(nil, eventTime, body)))
	if isNotificationComplete(body) {
		c.completedOnce.Do(func() { close(c.completed) })
	}
}

// isNotificationComplete reports whether a notification's content is RFC 5277's
// notificationComplete, the end of a subscription with a stopTime.
func isNotificationComplete(body []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Space == ncNotificationsNamespace && se.Name.Local == "notificationComplete"
		}
	}
}

// ncNotificationsNamespace is the namespace of replayComplete and notificationComplete
// (RFC 5277 section 4, module nc-notifications).
const ncNotificationsNamespace = "urn:ietf:params:xml:ns:netmod:notification"

// parseTime reads a --start-time or --stop-time: RFC 3339, or a duration from now.
func parseTime(flag, v string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(v); err == nil {
		return now.Add(d), nil
	}
	return time.Time{}, fmt.Errorf("subscribe: --%s %q: want an RFC 3339 date-and-time (2026-11-24T10:00:00Z) or a duration from now (-1h)", flag, v)
}

// dialOptions builds the client options from the flags.
func (c *clientCmd) dialOptions() (*client.Options, error) {
	fl := &c.fl
	o := &client.Options{Username: fl.user, Password: fl.password, Token: fl.token,
		OnNotification: c.onNotification}
	if o.Password == "" {
		o.Password = os.Getenv("NCWS_PASSWORD")
	}
	if o.Username != "" && o.Password == "" {
		if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprintf(c.stderr, "Password for %s: ", o.Username)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(c.stderr)
			if err != nil {
				return nil, fmt.Errorf("reading password: %w", err)
			}
			o.Password = string(b)
		}
	}
	if fl.origin != "" {
		o.Header = http.Header{"Origin": {fl.origin}}
	}
	o.Base10Only = fl.base10
	if fl.sshKey != "" {
		b, err := os.ReadFile(fl.sshKey)
		if err != nil {
			return nil, err
		}
		k, err := xssh.ParsePrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fl.sshKey, err)
		}
		o.Signers = []xssh.Signer{k}
	}
	if fl.insecure {
		o.HostKeyCallback = xssh.InsecureIgnoreHostKey()
	} else {
		kh := fl.knownHosts
		if kh == "" {
			if home, err := os.UserHomeDir(); err == nil {
				kh = filepath.Join(home, ".ssh", "known_hosts")
			}
		}
		if cb, err := knownhosts.New(kh); err == nil {
			o.HostKeyCallback = cb
		} else if fl.knownHosts != "" {
			return nil, fmt.Errorf("--known-hosts: %w", err)
		} else {
			o.HostKeyCallback = func(host string, _ net.Addr, k xssh.PublicKey) error {
				return fmt.Errorf("no known_hosts file (%s) to check the host key %s %s of %s: give --known-hosts FILE, or --insecure", kh, k.Type(), xssh.FingerprintSHA256(k), host)
			}
		}
	}
	if fl.cacert != "" || fl.cert != "" || fl.key != "" || fl.insecure {
		tc := &tls.Config{InsecureSkipVerify: fl.insecure}
		if fl.cacert != "" {
			pem, err := os.ReadFile(fl.cacert)
			if err != nil {
				return nil, err
			}
			tc.RootCAs = x509.NewCertPool()
			if !tc.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("%s: no PEM certificate", fl.cacert)
			}
		}
		if (fl.cert == "") != (fl.key == "") {
			return nil, errors.New("--cert and --key go together")
		}
		if fl.cert != "" {
			crt, err := tls.LoadX509KeyPair(fl.cert, fl.key)
			if err != nil {
				return nil, err
			}
			tc.Certificates = []tls.Certificate{crt}
		}
		o.TLSConfig = tc
	}
	return o, nil
}

// dialError says why Dial failed; a 429 says when to retry.
func dialError(err error) string {
	var he *client.HandshakeError
	if errors.As(err, &he) && he.StatusCode == http.StatusTooManyRequests {
		if he.RetryAfter > 0 {
			return fmt.Sprintf("too many failed logins; retry after %d s", int64(he.RetryAfter/time.Second))
		}
		return "too many failed logins; retry later"
	}
	return errText(err)
}

// readSource reads FILE, or stdin for "-" when allowed.
func (c *clientCmd) readSource(name string, allowStdin bool) ([]byte, error) {
	if name == "-" {
		if !allowStdin {
			return nil, errors.New("- (stdin) is not available here: stdin holds the commands")
		}
		return io.ReadAll(c.stdin)
	}
	return os.ReadFile(name)
}

// buildOp parses an operation's arguments and returns its element.
func (c *clientCmd) buildOp(name string, args []string, allowStdin bool) ([]byte, error) {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		source, target, filter, xpath, withDefaults, config       string
		defaultOp, testOpt, errorOpt, persist, persistID, timeout string
		stream, startTime, stopTime                               string
		ns                                                        []string
		confirmed                                                 bool
	)
	ds := func(p *string, name, def string) {
		fs.StringVar(p, name, def, "datastore: running, candidate or startup")
	}
	filters := func() {
		fs.StringVar(&filter, "filter", "", "subtree filter (XML, or @FILE)")
		fs.StringVar(&xpath, "xpath", "", "XPath filter")
		fs.StringArrayVar(&ns, "ns", nil, "PREFIX=URI for the XPath filter")
		if name != "subscribe" {
			fs.StringVar(&withDefaults, "with-defaults", "", "with-defaults mode")
		}
	}
	var npos int // positional arguments
	switch name {
	case "get-config":
		ds(&source, "source", "running")
		filters()
	case "get":
		filters()
	case "edit-config":
		ds(&target, "target", "running")
		fs.StringVar(&config, "config", "", "FILE (or -) holding the content of <config>")
		fs.StringVar(&defaultOp, "default-operation", "", "merge, replace or none")
		fs.StringVar(&testOpt, "test-option", "", "test-then-set, set or test-only")
		fs.StringVar(&errorOpt, "error-option", "", "stop-on-error, continue-on-error or rollback-on-error")
	case "copy-config":
		ds(&target, "target", "")
		ds(&source, "source", "")
	case "delete-config":
		ds(&target, "target", "")
	case "lock", "unlock":
		ds(&target, "target", "running")
	case "validate":
		ds(&source, "source", "running")
	case "commit":
		fs.BoolVar(&confirmed, "confirmed", false, "confirmed commit")
		fs.StringVar(&timeout, "timeout", "", "confirm-timeout in seconds")
		fs.StringVar(&persist, "persist", "", "persist token")
		fs.StringVar(&persistID, "persist-id", "", "persist-id to confirm")
	case "cancel-commit":
		fs.StringVar(&persistID, "persist-id", "", "persist-id of the commit to cancel")
	case "subscribe":
		fs.StringVar(&stream, "stream", "", "event stream (default NETCONF)")
		fs.StringVar(&startTime, "start-time", "", "replay the events since T")
		fs.StringVar(&stopTime, "stop-time", "", "end the subscription at T")
		filters()
	case "discard-changes", "close-session":
	case "kill-session", "rpc":
		npos = 1
	default:
		return nil, fmt.Errorf("unknown operation %q (help lists them)", name)
	}
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	pos := fs.Args()
	if len(pos) != npos {
		return nil, fmt.Errorf("%s: want %d argument(s), got %q; usage: %s %s", name, npos, pos, name, usageOf(name))
	}
	need := func(v, flag string) error {
		if v == "" {
			return fmt.Errorf("%s: --%s is required", name, flag)
		}
		return nil
	}
	filterOf := func() (client.Filter, error) {
		f := client.Filter{XPath: xpath, WithDefaults: withDefaults}
		if strings.HasPrefix(filter, "@") {
			b, err := c.readSource(filter[1:], allowStdin)
			if err != nil {
				return f, err
			}
			f.Subtree = b
		} else if filter != "" {
			f.Subtree = []byte(filter)
		}
		for _, kv := range ns {
			p, uri, ok := strings.Cut(kv, "=")
			if !ok || p == "" {
				return f, fmt.Errorf("%s: --ns %q: want PREFIX=URI", name, kv)
			}
			if f.Namespaces == nil {
				f.Namespaces = map[string]string{}
			}
			f.Namespaces[p] = uri
		}
		return f, nil
	}
	switch name {
	case "get-config", "get":
		f, err := filterOf()
		if err != nil {
			return nil, err
		}
		if name == "get" {
			return client.GetOp(f)
		}
		return client.GetConfigOp(client.Datastore(source), f)
	case "edit-config":
		if err := need(config, "config"); err != nil {
			return nil, err
		}
		b, err := c.readSource(config, allowStdin)
		if err != nil {
			return nil, err
		}
		if b, err = configContent(b); err != nil {
			return nil, fmt.Errorf("edit-config: %s: %v", config, err)
		}
		return client.EditConfigOp(client.Datastore(target), b,
			client.EditOptions{DefaultOperation: defaultOp, TestOption: testOpt, ErrorOption: errorOpt}), nil
	case "subscribe":
		f, err := filterOf()
		if err != nil {
			return nil, err
		}
		o := client.SubscribeOptions{Stream: stream, Filter: f}
		now := time.Now()
		if startTime != "" {
			if o.StartTime, err = parseTime("start-time", startTime, now); err != nil {
				return nil, err
			}
		}
		if stopTime != "" {
			if startTime == "" {
				return nil, errors.New("subscribe: --stop-time needs --start-time (RFC 5277 section 2.1.1)")
			}
			if o.StopTime, err = parseTime("stop-time", stopTime, now); err != nil {
				return nil, err
			}
		}
		return client.CreateSubscriptionOp(o)
	case "copy-config":
		if err := errors.Join(need(target, "target"), need(source, "source")); err != nil {
			return nil, err
		}
		return client.CopyConfigOp(client.Datastore(target), client.Datastore(source)), nil
	case "delete-config":
		if err := need(target, "target"); err != nil {
			return nil, err
		}
		return client.DeleteConfigOp(client.Datastore(target)), nil
	case "lock":
		return client.LockOp(client.Datastore(target)), nil
	case "unlock":
		return client.UnlockOp(client.Datastore(target)), nil
	case "validate":
		return client.ValidateOp(client.Datastore(source)), nil
	case "commit":
		o := client.CommitOptions{Confirmed: confirmed, Persist: persist, PersistID: persistID}
		if timeout != "" {
			n, err := strconv.ParseUint(timeout, 10, 32)
			if err != nil || n == 0 {
				return nil, fmt.Errorf("commit: --timeout %q: want a number of seconds", timeout)
			}
			o.Timeout = time.Duration(n) * time.Second
		}
		return client.CommitOp(o), nil
	case "discard-changes":
		return []byte("<discard-changes/>"), nil
	case "close-session":
		return []byte("<close-session/>"), nil
	case "cancel-commit":
		return client.CancelCommitOp(persistID), nil
	case "kill-session":
		id, err := strconv.ParseUint(pos[0], 10, 32)
		if err != nil || id == 0 {
			return nil, fmt.Errorf("kill-session: %q is not a session-id", pos[0])
		}
		return client.KillSessionOp(uint32(id)), nil
	default: // rpc
		b, err := c.readSource(pos[0], allowStdin)
		if err != nil {
			return nil, err
		}
		docs, err := splitDocs(b)
		if err != nil {
			return nil, fmt.Errorf("rpc: %s: %v", pos[0], err)
		}
		if len(docs) != 1 {
			return nil, fmt.Errorf("rpc: %s holds %d elements, want one (--script sends several)", pos[0], len(docs))
		}
		return docs[0], nil
	}
}

// configContent returns what edit-config's <config> holds, from a file written as `ncws
// validate` reads one: a <config> or <data> wrapper (in the NETCONF base namespace, or in none)
// as the single root, or bare top-level elements. A wrapper is left out (the rpc's own <config>
// takes its place) and its namespace declarations move onto each of its child elements that
// does not declare the same prefix itself, so that names and values (identityrefs,
// instance-identifiers) keep their namespaces; the base namespace as the default one is not
// repeated, the rpc's <config> has it. Bare elements are kept as written from the first start
// tag to the last end tag (without the XML declaration, which cannot go inside an element).
func configContent(b []byte) ([]byte, error) {
	z := xmltok.New(b, netconf.DefaultMaxDepth)
	z.SetAllowEmpty(true)
	type child struct {
		at    int             // offset just after the element's name in its start tag
		names map[string]bool // prefixes it declares ("" for the default namespace)
	}
	var (
		first, last        = -1, -1
		wrapper            bool
		inner, innerEnd    int
		decls              []xmltok.Attr // the wrapper's namespace declarations
		children           []child
		roots              int
		wrapperSelfClosing bool
	)
	for {
		k, err := z.Next()
		if err != nil {
			return nil, err
		}
		switch k {
		case xmltok.StartElement:
			switch z.Depth() {
			case 1:
				roots++
				if roots == 1 {
					first = z.TokenOffset()
					wrapper = isConfigWrapper(z)
					if wrapper {
						for _, a := range z.Attrs() {
							if nsDecl(a) != nil {
								decls = append(decls, a)
							}
						}
						inner, wrapperSelfClosing = z.Offset(), z.SelfClosing()
					}
				} else {
					wrapper = false
				}
			case 2:
				if wrapper && roots == 1 {
					c := child{at: z.TokenOffset() + 1 + len(z.QName()), names: map[string]bool{}}
					for _, a := range z.Attrs() {
						if p := nsDecl(a); p != nil {
							c.names[*p] = true
						}
					}
					children = append(children, c)
				}
			}
		case xmltok.EndElement:
			if z.Depth() == 0 {
				last = z.Offset()
				if roots == 1 {
					innerEnd = z.TokenOffset()
					if wrapperSelfClosing {
						innerEnd = inner
					}
				}
			}
		case xmltok.EOF:
			if roots == 0 {
				return nil, nil
			}
			if !wrapper {
				return b[first:last], nil
			}
			var out []byte
			pos := inner
			for _, c := range children {
				out = append(out, b[pos:c.at]...)
				pos = c.at
				for _, a := range decls {
					p := *nsDecl(a)
					if c.names[p] || p == "" && string(a.Value) == netconf.BaseNamespace {
						continue
					}
					q := byte('"')
					if bytes.IndexByte(a.Value, '"') >= 0 {
						q = '\''
					}
					out = append(out, " xmlns"...)
					if p != "" {
						out = append(append(out, ':'), p...)
					}
					out = append(append(append(out, '=', q), a.Value...), q)
				}
			}
			return bytes.TrimSpace(append(out, b[pos:innerEnd]...)), nil
		}
	}
}

// nsDecl returns the prefix an attribute declares ("" for xmlns), nil when it is not a
// namespace declaration.
func nsDecl(a xmltok.Attr) *string {
	switch {
	case a.Prefix == nil && string(a.Local) == "xmlns":
		p := ""
		return &p
	case string(a.Prefix) == "xmlns":
		p := string(a.Local)
		return &p
	}
	return nil
}

// isConfigWrapper reports whether the start tag z is at is <config> or <data> in the NETCONF
// base namespace or in none, as declared on the element itself (it is the document's root).
func isConfigWrapper(z *xmltok.Tokenizer) bool {
	if l := string(z.Local()); l != "config" && l != "data" {
		return false
	}
	ns, declared := "", false
	for _, a := range z.Attrs() {
		if p := nsDecl(a); p != nil && *p == string(z.Prefix()) {
			ns, declared = string(a.Value), true
		}
	}
	if z.Prefix() != nil && !declared {
		return false
	}
	return ns == "" || ns == netconf.BaseNamespace
}

func usageOf(name string) string {
	for _, o := range opDoc {
		if o[0] == name {
			return o[1]
		}
	}
	return ""
}

// splitDocs splits rpc documents written one after the other into operation elements: an
// <rpc> gives its operation (its message-id is replaced by the session's), any other element
// is an operation itself.
func splitDocs(b []byte) ([][]byte, error) {
	z := xmltok.New(b, netconf.DefaultMaxDepth)
	z.SetAllowEmpty(true)
	var (
		docs  [][]byte
		start int
	)
	for {
		k, err := z.Next()
		if err != nil {
			return nil, err
		}
		switch k {
		case xmltok.EOF:
			return docs, nil
		case xmltok.StartElement:
			if z.Depth() == 1 {
				start = z.TokenOffset()
			}
		case xmltok.EndElement:
			if z.Depth() != 0 {
				continue
			}
			doc := b[start:z.Offset()]
			if m, _ := netconf.DecodeRPC(doc); m != nil && m.Kind == netconf.KindRPC {
				op := m.Operation()
				if op == nil {
					return nil, fmt.Errorf("line %d: <rpc> without one operation element", z.TokenLine())
				}
				doc = op
			}
			docs = append(docs, doc)
		}
	}
}

// call sends op and prints the reply (stdout) or its rpc-errors (stderr). It returns an error
// only when the session is unusable.
func (c *clientCmd) call(ctx context.Context, out, errOut io.Writer, op []byte) error {
	r, err := c.s.Call(ctx, op)
	var errs rpcerror.List
	switch {
	case errors.As(err, &errs):
		c.rpcErrors = true
		printRPCErrors(errOut, r.Errors)
		return nil
	case err != nil:
		fmt.Fprintf(errOut, "ncws client: %s\n", errText(err))
		if c.s.Err() != nil {
			return exitError{ExitUsage}
		}
		return nil
	}
	out.Write(indentXML(r.Msg))
	printRPCErrors(errOut, r.Errors) // warnings
	return nil
}

// printRPCErrors prints rpc-errors readably, one block per error.
func printRPCErrors(w io.Writer, errs rpcerror.List) {
	for _, e := range errs {
		kind := "rpc-error"
		if e.SeverityOrDefault() == rpcerror.SeverityWarning {
			kind = "rpc-warning"
		}
		tag := string(e.Tag)
		if e.AppTag != "" {
			tag += "/" + e.AppTag
		}
		fmt.Fprintf(w, "%s: %s (%s)", kind, tag, e.Type)
		if e.Message != "" {
			fmt.Fprintf(w, ": %s", e.Message)
		}
		fmt.Fprintln(w)
		if e.Path != "" {
			fmt.Fprintf(w, "  path: %s\n", e.Path)
		}
		for _, in := range e.Info {
			fmt.Fprintf(w, "  %s: %s\n", in.Name, in.Value)
		}
	}
}

// runLine runs one command line (already split into words): an operation, hello or help.
func (c *clientCmd) runLine(ctx context.Context, out, errOut io.Writer, words []string, allowStdin bool) error {
	switch words[0] {
	case "hello":
		fmt.Fprintf(out, "session-id %d\n", c.s.ID())
		for _, cp := range c.s.Capabilities() {
			fmt.Fprintln(out, cp)
		}
		return nil
	case "help":
		fmt.Fprintf(out, "%s  %-16s %s\n  %-16s %s\n", opUsage(), "help", "this list", "quit", "close the session and leave")
		return nil
	}
	op, err := c.buildOp(words[0], words[1:], allowStdin)
	if err != nil {
		if allowStdin { // one-shot: a usage error
			return c.fail(ExitUsage, "%v", err)
		}
		fmt.Fprintf(errOut, "%v\n", err)
		return nil
	}
	return c.call(ctx, out, errOut, op)
}

func (c *clientCmd) runScript(ctx context.Context) error {
	b, err := c.readSource(c.fl.script, true)
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	docs, err := splitDocs(b)
	if err != nil {
		return c.fail(ExitUsage, "%s: %v", c.fl.script, err)
	}
	for _, op := range docs {
		if err := c.call(ctx, c.out, c.stderr, op); err != nil {
			return err
		}
	}
	return nil
}

// runShell reads commands from a terminal (line editing, history, completion) or, when stdin
// is not a terminal, line by line.
func (c *clientCmd) runShell(ctx context.Context) error {
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return c.runTerminal(ctx, f)
	}
	sc := bufio.NewScanner(c.stdin)
	sc.Buffer(nil, netconf.DefaultMaxMessageSize)
	for sc.Scan() {
		quit, err := c.shellLine(ctx, c.out, c.stderr, sc.Text())
		if err != nil || quit {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return c.fail(ExitUsage, "reading commands: %v", err)
	}
	return nil
}

// shellLine runs one shell line; quit reports "quit" or "exit".
func (c *clientCmd) shellLine(ctx context.Context, out, errOut io.Writer, line string) (quit bool, err error) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return false, nil
	}
	words, err := splitWords(line)
	if err != nil {
		fmt.Fprintln(errOut, err)
		return false, nil
	}
	if words[0] == "quit" || words[0] == "exit" {
		return true, nil
	}
	err = c.runLine(ctx, out, errOut, words, false)
	// The session ends after close-session.
	return words[0] == "close-session", err
}

func (c *clientCmd) runTerminal(ctx context.Context, f *os.File) error {
	old, err := term.MakeRaw(int(f.Fd()))
	if err != nil {
		return c.fail(ExitUsage, "terminal: %v", err)
	}
	defer term.Restore(int(f.Fd()), old)
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{f, c.stdout}, "ncws> ")
	if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
		t.SetSize(w, h)
	}
	t.AutoCompleteCallback = complete
	// Notifications go through the terminal, which redraws the prompt and the line being
	// typed below them.
	c.out.setOutput(t)
	defer c.out.setOutput(c.stdout)
	fmt.Fprintf(t, "session %d; help lists the commands, Tab completes them\n", c.s.ID())
	for {
		line, err := t.ReadLine()
		if err != nil { // io.EOF on Ctrl-D
			return nil
		}
		quit, err := c.shellLine(ctx, t, t, line)
		if err != nil || quit {
			return err
		}
	}
}

// splitWords splits a command line into words: blanks separate them; single quotes keep
// everything literally, double quotes keep blanks, a backslash outside single quotes escapes
// the next character.
func splitWords(line string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // a word is open
		quote byte
	)
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quote == '\'' && ch == '\'', quote == '"' && ch == '"':
			quote = 0
		case quote == '\'':
			cur.WriteByte(ch)
		case ch == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			in = true
		case quote == '"':
			cur.WriteByte(ch)
		case ch == '\'' || ch == '"':
			quote, in = ch, true
		case ch == ' ' || ch == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(ch)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// opFlags returns the flags of operation name, for completion.
func opFlags(name string) []string {
	u := usageOf(name)
	var flags []string
	for _, w := range strings.FieldsFunc(u, func(r rune) bool { return strings.ContainsRune(" []|", r) }) {
		if strings.HasPrefix(w, "--") && !slices.Contains(flags, w) {
			flags = append(flags, w)
		}
	}
	return flags
}

// complete is the shell's Tab completion (term.Terminal's AutoCompleteCallback): operation
// names first, then the operation's flags, then the values of flags that have a fixed set.
func complete(line string, pos int, key rune) (string, int, bool) {
	if key != '\t' {
		return "", 0, false
	}
	head := line[:pos]
	start := strings.LastIndexAny(head, " \t") + 1
	word := head[start:]
	before := strings.Fields(head[:start])
	var cands []string
	switch {
	case len(before) == 0:
		for _, o := range opDoc {
			cands = append(cands, o[0])
		}
		cands = append(cands, "help", "quit")
	case flagValues[before[len(before)-1]] != nil && !strings.HasPrefix(word, "-"):
		cands = flagValues[before[len(before)-1]]
	default:
		cands = opFlags(before[0])
	}
	var match []string
	for _, cd := range cands {
		if strings.HasPrefix(cd, word) {
			match = append(match, cd)
		}
	}
	if len(match) == 0 {
		return "", 0, false
	}
	ins := match[0]
	for _, m := range match[1:] {
		n := 0
		for n < len(ins) && n < len(m) && ins[n] == m[n] {
			n++
		}
		ins = ins[:n]
	}
	if len(match) == 1 {
		ins += " "
	}
	if ins == word {
		return "", 0, false
	}
	return head[:start] + ins + line[pos:], start + len(ins), true
}
