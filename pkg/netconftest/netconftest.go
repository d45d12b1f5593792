package netconftest

import (
	"context"
	"embed"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/nacm"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/yang"
)

//go:embed testdata/nctest.yang testdata/scripts/*.nct
var files embed.FS

// A Dialer opens a connection to the server under test, authenticated as user.
type Dialer func(ctx context.Context, user string) (ClientConn, error)

// Serve starts a transport for srv and returns how to connect to it; the transport must stop
// when t ends (t.Cleanup).
type Serve func(t *testing.T, srv *server.Server) Dialer

var (
	schemaOnce sync.Once
	schemaVal  *schema.Schema
	schemaErr  error
)

// Schema returns the conformance schema: the protocol modules of package yang and the nctest
// module the scripts edit.
func Schema() (*schema.Schema, error) {
	schemaOnce.Do(func() {
		b, err := files.ReadFile("testdata/nctest.yang")
		if err != nil {
			schemaErr = err
			return
		}
		dir, err := os.MkdirTemp("", "netconftest")
		if err != nil {
			schemaErr = err
			return
		}
		defer os.RemoveAll(dir)
		f := filepath.Join(dir, "nctest.yang")
		if err := os.WriteFile(f, b, 0o600); err != nil {
			schemaErr = err
			return
		}
		schemaVal, schemaErr = LoadSchema(f)
	})
	return schemaVal, schemaErr
}

// LoadSchema compiles the protocol modules a server implements (package yang) with the given
// .yang files.
func LoadSchema(files ...string) (*schema.Schema, error) {
	return yang.Load(yangload.Options{Files: files})
}

// NewServer returns a server for the conformance schema with a persistent store in a new
// temporary directory, state providers answering nctest's status container and its counters
// (/counters/bumps: how many times the bump rpc ran, absent before), and handlers answering
// <ok/> for nctest's ping and bump rpcs and its items' reset action.
func NewServer(t testing.TB) *server.Server {
	t.Helper()
	return NewServerOptions(t, Options{})
}

// Options configures NewServerOptions; the zero value is NewServer's server.
type Options struct {
	// NACM enforces access control (RFC 8341) with pkg/nacm, wired as pkg/agent wires it
	// (nacm.Engine.Attach, its Hook in the store): writes, operations, reads, notifications,
	// the counters in /nacm. Running starts without /nacm: the RFC's defaults (read and exec
	// permitted, writes denied) until someone permitted writes a configuration.
	NACM bool
	// RecoveryUser is NACM's break-glass user, whose sessions bypass access control.
	RecoveryUser string
	// ExternalGroups are the users' groups outside /nacm (user -> groups), as a groups file
	// gives them; they count while /nacm/enable-external-groups is true.
	ExternalGroups map[string][]string
	// Logger receives the server's and the engine's events (every NACM denial); nil discards
	// them.
	Logger *slog.Logger
}

// NewServerOptions returns a server for the conformance schema as NewServer does, configured
// by o.
func NewServerOptions(t testing.TB, o Options) *server.Server {
	t.Helper()
	sch, err := Schema()
	if err != nil {
		t.Fatalf("netconftest: schema: %v", err)
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var eng *nacm.Engine
	dopts := datastore.Options{Schema: sch, Dir: t.TempDir()}
	if o.NACM {
		groups := o.ExternalGroups
		eng = nacm.New(sch, nacm.Options{RecoveryUser: o.RecoveryUser, Logger: log,
			ExternalGroups: func(user string) []string { return groups[user] }})
		dopts.Hooks = []datastore.Hook{eng.Hook()}
		dopts.Logger = log
	}
	st, err := datastore.Open(dopts)
	if err != nil {
		t.Fatalf("netconftest: datastore: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	m := sch.Module("nctest")
	status := sch.Top(m, "status")
	st.AddStateProvider(status, func(ctx context.Context, req *datastore.StateRequest) error {
		n := data.New(status)
		up := status.Child(m, "uptime")
		v, rerr := data.ParseValue(up.Type, "42", nil)
		if rerr != nil {
			return rerr
		}
		n.Insert(data.NewLeaf(up, v))
		req.Root.Insert(n)
		return nil
	})
	var bumps atomic.Uint32
	counters := sch.Top(m, "counters")
	st.AddStateProvider(counters, func(ctx context.Context, req *datastore.StateRequest) error {
		n := bumps.Load()
		if n == 0 {
			return nil
		}
		c := data.New(counters)
		b := counters.Child(m, "bumps")
		v, rerr := data.ParseValue(b.Type, strconv.FormatUint(uint64(n), 10), nil)
		if rerr != nil {
			return rerr
		}
		c.Insert(data.NewLeaf(b, v))
		req.Root.Insert(c)
		return nil
	})
	// The state polls of on-change subscriptions to ds:operational run often, so that a
	// script sees a state change right after it.
	srv := &server.Server{Store: st, HelloTimeout: 2 * time.Second, StatePollInterval: 20 * time.Millisecond}
	ok := func(ctx context.Context, req *server.Request) (*data.Node, error) { return nil, nil }
	srv.Handle(sch.RPC(m, "ping"), ok)
	srv.Handle(sch.RPC(m, "bump"), func(ctx context.Context, req *server.Request) (*data.Node, error) {
		bumps.Add(1)
		return nil, nil
	})
	srv.Handle(sch.FindNode("/nctest:top/item/reset"), ok)
	if o.NACM {
		srv.Logger = log
		if err := eng.Attach(st, srv); err != nil {
			t.Fatalf("netconftest: %v", err)
		}
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return srv
}

// Scripts returns the names of the conformance scripts.
func Scripts() []string {
	ents, _ := fs.ReadDir(files, "testdata/scripts")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".nct"))
	}
	sort.Strings(out)
	return out
}

// Run runs every conformance script as a subtest, each against a fresh server started by
// serve: scripted sessions (client messages in, expected replies out) that cover the RFC 6241
// operations and errors, locks between sessions, confirmed commit with timeout, persist and
// session loss, and (the nacm-* scripts, on a server of NewServerOptions with NACM) access
// control: operations, reads, writes, notifications, the recovery session, the counters.
func Run(t *testing.T, serve Serve) {
	for _, name := range Scripts() {
		t.Run(name, func(t *testing.T) {
			b, err := files.ReadFile(path.Join("testdata/scripts", name+".nct"))
			if err != nil {
				t.Fatal(err)
			}
			steps, opts, err := parseScript(string(b))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			srv := NewServerOptions(t, opts)
			r := &runner{dial: serve(t, srv), sessions: map[string]ClientConn{}, sids: map[string]string{}, timeout: 5 * time.Second}
			defer r.close()
			if err := r.run(steps); err != nil {
				t.Fatalf("%s.nct:%v", name, err)
			}
		})
	}
}

// InMemory serves srv over in-memory pipes (the reference transport of the suite).
func InMemory(t *testing.T, srv *server.Server) Dialer {
	l := NewListener()
	go srv.Serve(l)
	t.Cleanup(func() { l.Close() })
	return l.Dial
}
