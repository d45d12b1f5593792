package agent_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/internal/testpki"
	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/genimpl"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/schema"
)

// startAgent builds an agent on the example schema in a temporary directory, lets setup
// register what the test needs, serves it on a loopback port and returns the agent and the
// WebSocket URL. The agent is shut down at the end of the test.
func startAgent(t *testing.T, opts *agent.Options, setup func(a *agent.Agent)) (*agent.Agent, string, string) {
	t.Helper()
	o := agent.Options{}
	if opts != nil {
		o = *opts
	}
	if o.Schemas == nil {
		o.Schemas = []*schema.Schema{example.Schema()}
	}
	if o.Dir == "" {
		o.Dir = filepath.Join(t.TempDir(), "data")
	}
	o.Listen = "127.0.0.1:0"
	var pw string
	o.AdminCreated = func(_, p string) { pw = p }
	if o.UsersFile == "" && !o.InMemory {
		// The admin the agent would create, at bcrypt's lowest cost: a login at the default cost
		// takes about half a second under -race, and every test here logs in.
		pw = "admin-" + filepath.Base(filepath.Dir(o.Dir))
		if err := os.MkdirAll(o.Dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := auth.SetPasswordCost(filepath.Join(o.Dir, "users.htpasswd"), "admin", pw, 4); err != nil {
			t.Fatal(err)
		}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a, err := agent.New(&o)
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(a)
	}
	ln, err := a.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.ServeContext(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeContext: %v", err)
		}
	})
	return a, "ws://" + ln.Addr().String() + "/netconf", pw
}

func dial(t *testing.T, url, pw string, opts *client.Options) *client.Session {
	t.Helper()
	o := client.Options{}
	if opts != nil {
		o = *opts
	}
	o.Username, o.Password = "admin", pw
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := client.Dial(ctx, url, &o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

type device struct {
	example.UnimplementedNcwsExampleServer
}

func (device) Reboot(ctx context.Context, in *example.NcwsExample_RebootInput) (*example.NcwsExample_RebootOutput, error) {
	return &example.NcwsExample_RebootOutput{RebootAt: genimpl.Ptr("2026-12-05T00:00:00Z")}, nil
}

func TestAgentServesGeneratedPackage(t *testing.T) {
	_, url, pw := startAgent(t, nil, func(a *agent.Agent) {
		if err := example.RegisterNcwsExampleServer(a.Server(), device{}); err != nil {
			t.Fatal(err)
		}
		err := agent.State(a, "/ncws-example:system", func(ctx context.Context, _ *agent.StateRequest, s *example.NcwsExample_System) error {
			s.Uptime = genimpl.Ptr(uint32(4200))
			s.Hostname = genimpl.Ptr("ignored-config-field")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	s := dial(t, url, pw, nil)
	ctx := ctxT(t)
	out, err := example.NewNcwsExampleClient(s).Reboot(ctx, &example.NcwsExample_RebootInput{})
	if err != nil {
		t.Fatal(err)
	}
	if out.RebootAt == nil || *out.RebootAt != "2026-12-05T00:00:00Z" {
		t.Errorf("reboot-at = %v", out.RebootAt)
	}
	got, err := s.Get(ctx, client.Filter{Subtree: []byte(`<system xmlns="urn:ncws:yang:ncws-example"/>`)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "<uptime>4200</uptime>") {
		t.Errorf("get: no uptime from the typed provider:\n%s", got)
	}
	if strings.Contains(string(got), "ignored-config-field") {
		t.Errorf("get: a configuration field of the state struct was served:\n%s", got)
	}
	// A filter that cannot reach /system does not call the provider's subtree.
	got, err = s.Get(ctx, client.Filter{Subtree: []byte(`<routing xmlns="urn:ncws:yang:ncws-example"/>`)})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "uptime") {
		t.Errorf("get of routing holds system state:\n%s", got)
	}
}

func TestStateProviderErrorsAndDeadline(t *testing.T) {
	var mode string
	var mu sync.Mutex
	release := make(chan struct{})
	defer close(release)
	_, url, pw := startAgent(t, &agent.Options{StateTimeout: 300 * time.Millisecond}, func(a *agent.Agent) {
		err := agent.State(a, "/ncws-example:system", func(ctx context.Context, _ *agent.StateRequest, s *example.NcwsExample_System) error {
			mu.Lock()
			m := mode
			mu.Unlock()
			switch m {
			case "error":
				return rpcerror.New(rpcerror.Application, rpcerror.TagResourceDenied, "the clock is busy")
			case "panic":
				panic("provider bug")
			case "hang":
				<-release
			}
			s.Uptime = genimpl.Ptr(uint32(1))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	s := dial(t, url, pw, nil)
	ctx := ctxT(t)
	for _, tc := range []struct{ mode, tag, msg string }{
		{"error", "resource-denied", "the clock is busy"},
		{"panic", "operation-failed", "failed to report its state"},
		{"hang", "operation-failed", "in time"},
	} {
		mu.Lock()
		mode = tc.mode
		mu.Unlock()
		_, err := s.Get(ctx, client.Filter{})
		var errs rpcerror.List
		if !errors.As(err, &errs) || len(errs) != 1 || string(errs[0].Tag) != tc.tag || !strings.Contains(errs[0].Message, tc.msg) {
			t.Errorf("%s: get error = %v, want %s %q", tc.mode, err, tc.tag, tc.msg)
		}
	}
	// The session survived all three.
	mu.Lock()
	mode = ""
	mu.Unlock()
	if got, err := s.Get(ctx, client.Filter{}); err != nil || !strings.Contains(string(got), "<uptime>1</uptime>") {
		t.Errorf("get after the failures: %v\n%s", err, got)
	}
}

// hookLog records hook calls in order.
type hookLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *hookLog) add(format string, a ...any) {
	l.mu.Lock()
	l.calls = append(l.calls, fmt.Sprintf(format, a...))
	l.mu.Unlock()
}

func (l *hookLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.calls
	l.calls = nil
	return c
}

func TestHooksOrderTypedAndAbort(t *testing.T) {
	var log hookLog
	var failRoutes bool
	_, url, pw := startAgent(t, nil, func(a *agent.Agent) {
		err := agent.Watch(a, agent.TypedHook[example.NcwsExample_Interfaces_Interface]{
			Path: "/ncws-example:interfaces/interface", Priority: 10,
			Apply: func(ctx context.Context, chs []agent.Change[example.NcwsExample_Interfaces_Interface], c *agent.Commit) error {
				for _, ch := range chs {
					switch {
					case ch.New == nil:
						log.add("if delete %s", *ch.Old.Name)
					case ch.Old == nil:
						log.add("if create %s mtu=%v", *ch.New.Name, deref(ch.New.MTU))
					default:
						log.add("if update %s mtu %v->%v", *ch.New.Name, deref(ch.Old.MTU), deref(ch.New.MTU))
					}
				}
				return nil
			},
			Abort: func(ctx context.Context, chs []agent.Change[example.NcwsExample_Interfaces_Interface], c *agent.Commit) {
				log.add("if abort %d", len(chs))
			},
			Committed: func(ctx context.Context, chs []agent.Change[example.NcwsExample_Interfaces_Interface], c *agent.Commit) {
				log.add("if committed %d deletes=%v", len(chs), c.Deletes)
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		err = agent.Watch(a, agent.TypedHook[example.NcwsExample_Routing_Route]{
			Path: "/ncws-example:routing/route", Priority: 20,
			Apply: func(ctx context.Context, chs []agent.Change[example.NcwsExample_Routing_Route], c *agent.Commit) error {
				for _, ch := range chs {
					if ch.New == nil {
						log.add("route delete")
					} else {
						log.add("route create")
					}
				}
				if failRoutes && !c.Deletes {
					return rpcerror.New(rpcerror.Application, rpcerror.TagOperationFailed, "the FIB is full")
				}
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	s := dial(t, url, pw, nil)
	ctx := ctxT(t)
	const ifs = `<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">
	  <interface><name>eth0</name><type>ex:ethernet</type><mtu>1500</mtu></interface></interfaces>`
	const route = `<routing xmlns="urn:ncws:yang:ncws-example"><route><prefix>10.0.0.0/8</prefix>
	  <outgoing-interface>eth0</outgoing-interface></route></routing>`
	if err := s.EditConfig(ctx, client.Running, []byte(ifs+route), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"if create eth0 mtu=1500", "route create", "if committed 1 deletes=false"}
	if got := log.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("create order: got %q, want %q", got, want)
	}
	// A leaf change reaches the interface hook as its whole entry, old and new.
	edit := `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><mtu>9000</mtu></interface></interfaces>`
	if err := s.EditConfig(ctx, client.Running, []byte(edit), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	want = []string{"if update eth0 mtu 1500->9000", "if committed 1 deletes=false"}
	if got := log.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("update: got %q, want %q", got, want)
	}
	// Deleting both containers: the route goes first (reverse priority on delete).
	del := `<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="delete"/>
	  <routing xmlns="urn:ncws:yang:ncws-example" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="delete"/>`
	if err := s.EditConfig(ctx, client.Running, []byte(del), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	want = []string{"route delete", "if delete eth0", "if committed 1 deletes=true"}
	if got := log.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("delete order: got %q, want %q", got, want)
	}
	// A failing apply: the interface hook applied first is aborted, running is unchanged.
	failRoutes = true
	err := s.EditConfig(ctx, client.Running, []byte(ifs+route), client.EditOptions{})
	var errs rpcerror.List
	if !errors.As(err, &errs) || errs[0].Message != "the FIB is full" {
		t.Fatalf("failing apply: %v", err)
	}
	want = []string{"if create eth0 mtu=1500", "route create", "if abort 1"}
	if got := log.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("abort: got %q, want %q", got, want)
	}
	cfg, err := s.GetConfig(ctx, client.Running, client.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(cfg), "eth0") {
		t.Errorf("running holds the refused edit:\n%s", cfg)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestHooksInitialApplyAtStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	_, url, pw := startAgent(t, &agent.Options{Dir: dir}, nil)
	s := dial(t, url, pw, nil)
	ctx := ctxT(t)
	cfg := `<interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">
	  <interface><name>eth0</name><type>ex:ethernet</type></interface>
	  <interface><name>eth1</name><type>ex:ethernet</type></interface></interfaces>`
	if err := s.EditConfig(ctx, client.Running, []byte(cfg), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var log hookLog
	users := filepath.Join(dir, "users.htpasswd")
	if _, err := os.Stat(users); err != nil {
		t.Fatal(err)
	}
	// A second agent on a copy of the directory: its hook sees the stored interfaces at start.
	dir2 := filepath.Join(t.TempDir(), "data2")
	copyDir(t, dir, dir2)
	a2, err := agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}, Dir: dir2,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a2.Close()
	err = agent.Watch(a2, agent.TypedHook[example.NcwsExample_Interfaces_Interface]{Path: "/ncws-example:interfaces/interface",
		Apply: func(ctx context.Context, chs []agent.Change[example.NcwsExample_Interfaces_Interface], c *agent.Commit) error {
			for _, ch := range chs {
				log.add("initial=%v %s", c.Initial, *ch.New.Name)
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a2.Start(); err != nil {
		t.Fatal(err)
	}
	want := []string{"initial=true eth0", "initial=true eth1"}
	if got := log.take(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("initial apply: got %q, want %q", got, want)
	}
	if err := agent.Watch(a2, agent.TypedHook[example.NcwsExample_Interfaces_Interface]{Path: "/ncws-example:interfaces/interface"}); !errors.Is(err, agent.ErrStarted) {
		t.Errorf("Watch after Start: %v, want ErrStarted", err)
	}
}

// copyDir copies the datastore directory of a running agent (the journal is fsync'd at each
// commit, so the copy holds every acknowledged edit).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := agent.New(&agent.Options{Dir: dir, Schemas: []*schema.Schema{example.Schema()}, Listen: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), StartupFile: filepath.Join(dir, "missing.xml")})
	if err == nil {
		t.Error("New with a missing startup file succeeded")
	}
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="urn:ncws:yang:ncws-example">
<interface><name>eth0</name><mtu>20</mtu></interface></interfaces></config>`), 0o644)
	_, err = agent.New(&agent.Options{Dir: filepath.Join(dir, "d2"), Schemas: []*schema.Schema{example.Schema()},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), StartupFile: bad})
	if !errors.Is(err, agent.ErrInvalidFile) || !strings.Contains(err.Error(), "bad.xml:2:") {
		t.Errorf("New with an invalid startup file: %v, want ErrInvalidFile with FILE:LINE", err)
	}
	a, err := agent.New(&agent.Options{Dir: filepath.Join(dir, "d3"), Schemas: []*schema.Schema{example.Schema()},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.AddHook(agent.Hook{Path: "/ncws-example:nonexistent"}); err == nil {
		t.Error("AddHook on a missing path succeeded")
	}
	if err := a.HandleState("/ncws-example:nope", nil); err == nil {
		t.Error("HandleState on a missing path succeeded")
	}
	if err := agent.State(a, "/ncws-example:interfaces/interface/statistics", func(context.Context, *agent.StateRequest, *example.NcwsExample_Interfaces_Interface_Statistics) error {
		return nil
	}); err == nil {
		t.Error("State inside a list succeeded")
	}
}

func TestSimulatorFiles(t *testing.T) {
	dir := t.TempDir()
	startup := filepath.Join(dir, "startup.xml")
	os.WriteFile(startup, []byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <system xmlns="urn:ncws:yang:ncws-example"><hostname>sim1</hostname></system>
  <interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example">
    <interface><name>ge-0/0/0</name><type>ex:ethernet</type></interface>
  </interfaces>
</config>`), 0o644)
	state := filepath.Join(dir, "state.json")
	writeState := func(octets int, status string) {
		os.WriteFile(state, []byte(fmt.Sprintf(`{"ncws-example:interfaces": {"interface": [
  {"name": "ge-0/0/0", "type": "ncws-example:ethernet", "oper-status": %q, "statistics": {"in-octets": "%d"}}]},
 "ncws-example:system": {"uptime": 100}}`, status, octets)), 0o644)
	}
	writeState(1000, "up")
	a, url, pw := startAgent(t, &agent.Options{StartupFile: startup, OperationalFile: state}, nil)
	s := dial(t, url, pw, nil)
	ctx := ctxT(t)
	get := func() string {
		t.Helper()
		b, err := s.Get(ctx, client.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	got := get()
	for _, want := range []string{"<hostname>sim1</hostname>", "<uptime>100</uptime>", "<oper-status>up</oper-status>", "<in-octets>1000</in-octets>"} {
		if !strings.Contains(got, want) {
			t.Errorf("get lacks %s:\n%s", want, got)
		}
	}
	// The configuration field "type" of the state file is not served as state over running's.
	if strings.Count(got, "<type") != 1 {
		t.Errorf("get: want the one configured type:\n%s", got)
	}
	// startup holds the file too.
	if b, err := s.GetConfig(ctx, client.Startup, client.Filter{}); err != nil || !strings.Contains(string(b), "sim1") {
		t.Errorf("startup: %v\n%s", err, b)
	}
	writeState(2000, "down")
	if err := a.ReloadOperational(); err != nil {
		t.Fatal(err)
	}
	got = get()
	if !strings.Contains(got, "<in-octets>2000</in-octets>") || !strings.Contains(got, "<oper-status>down</oper-status>") {
		t.Errorf("after reload:\n%s", got)
	}
	// A broken file is refused with its error and the previous state stays.
	os.WriteFile(state, []byte(`{"ncws-example:interfaces": {"interface": [{"name": "x", "oper-status": "sideways"}]}}`), 0o644)
	if err := a.ReloadOperational(); !errors.Is(err, agent.ErrInvalidFile) || !strings.Contains(err.Error(), "sideways") {
		t.Errorf("reload of a bad file: %v", err)
	}
	if got = get(); !strings.Contains(got, "<in-octets>2000</in-octets>") {
		t.Errorf("after a failed reload:\n%s", got)
	}
}

func TestStartupFileOnlyAtFirstBoot(t *testing.T) {
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	startup := filepath.Join(dir, "startup.xml")
	os.WriteFile(startup, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>first</hostname></system>`), 0o644)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}, Dir: dataDir, StartupFile: startup, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	os.WriteFile(startup, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>second</hostname></system>`), 0o644)
	a, err = agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}, Dir: dataDir, StartupFile: startup, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var host string
	a.Store().Read(datastore.Running, func(root *data.Node) {
		if n := root.ChildByName("system"); n != nil {
			if h := n.ChildByName("hostname"); h != nil {
				host = h.Value.Str
			}
		}
	})
	if host != "first" {
		t.Errorf("hostname after a restart with another startup file = %q, want first (the file seeds only the first boot)", host)
	}
}

// TestCallHomeSSH: the agent dials a listening client (RFC 8071), is the SSH server on that
// connection, serves a NETCONF session there, and dials again after the session ends.
func TestCallHomeSSH(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := auth.SetPasswordCost(users, "noc", "call-me", 4); err != nil {
		t.Fatal(err)
	}
	a, err := agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}, Dir: filepath.Join(dir, "data"),
		UsersFile: users, CallHome: []string{"ssh://" + ln.Addr().String()},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 2; round++ {
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(30 * time.Second))
		nc, err := ln.Accept()
		if err != nil {
			t.Fatalf("round %d: the agent did not call: %v", round, err)
		}
		cc, chans, reqs, err := xssh.NewClientConn(nc, "device", &xssh.ClientConfig{User: "noc",
			Auth: []xssh.AuthMethod{xssh.Password("call-me")}, HostKeyCallback: xssh.InsecureIgnoreHostKey()})
		if err != nil {
			t.Fatalf("round %d: SSH over the call-home connection: %v", round, err)
		}
		c := xssh.NewClient(cc, chans, reqs)
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		in, _ := s.StdinPipe()
		out, _ := s.StdoutPipe()
		if err := s.RequestSubsystem("netconf"); err != nil {
			t.Fatal(err)
		}
		r, w := netconf.NewReader(out, 0), netconf.NewWriter(in)
		hello, err := r.ReadMessage()
		if err != nil || !strings.Contains(string(hello), "<session-id>") {
			t.Fatalf("round %d: server hello %q, %v", round, hello, err)
		}
		w.WriteMessage([]byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`))
		w.WriteMessage([]byte(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><close-session/></rpc>`))
		reply, err := r.ReadMessage()
		if err != nil || !strings.Contains(string(reply), "<ok/>") {
			t.Fatalf("round %d: close-session: %q, %v", round, reply, err)
		}
		c.Close()
	}
}

// TestCallHomeTLS: the agent dials a listening client and is the TLS server on that connection
// (RFC 8071 section 4.1); the client's certificate names the user.
func TestCallHomeTLS(t *testing.T) {
	p := testpki.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	auth.SetPasswordCost(users, "nobody", "unused-password", 4)
	a, err := agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}, Dir: filepath.Join(dir, "data"),
		UsersFile: users, CallHome: []string{"tls://" + ln.Addr().String()},
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{p.Server}, ClientCAs: p.Pool},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(30 * time.Second))
	nc, err := ln.Accept()
	if err != nil {
		t.Fatalf("the agent did not call: %v", err)
	}
	defer nc.Close()
	tc := tls.Client(nc, &tls.Config{RootCAs: p.Pool, ServerName: "127.0.0.1", Certificates: []tls.Certificate{p.Client("noc")}})
	tc.SetDeadline(time.Now().Add(20 * time.Second))
	r, w := netconf.NewReader(tc, 0), netconf.NewWriter(tc)
	hello, err := r.ReadMessage()
	if err != nil || !strings.Contains(string(hello), "<session-id>") {
		t.Fatalf("server hello %q, %v", hello, err)
	}
	w.WriteMessage([]byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`))
	w.WriteMessage([]byte(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions/></netconf-state></filter></get></rpc>`))
	reply, err := r.ReadMessage()
	if err != nil || !strings.Contains(string(reply), "<username>noc</username>") || !strings.Contains(string(reply), "netconf-tls") {
		t.Fatalf("monitoring over call home: %q, %v", reply, err)
	}
}
