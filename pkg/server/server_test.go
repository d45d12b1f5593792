package server_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/yang"
)

// dialRaw serves srv on a new in-memory listener and returns a connection whose server hello
// was read and to which no hello was sent.
func dialRaw(t testing.TB, srv *server.Server) (netconftest.ClientConn, *netconftest.Listener) {
	t.Helper()
	l := netconftest.NewListener()
	go srv.Serve(l)
	t.Cleanup(func() { l.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := l.Dial(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Recv(ctx); err != nil {
		t.Fatal(err)
	}
	return c, l
}

func dial(t testing.TB, srv *server.Server) netconftest.ClientConn {
	t.Helper()
	c, _ := dialRaw(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
	return c
}

func roundTrip(t testing.TB, c netconftest.ClientConn, msg string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Send(ctx, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	r, err := c.Recv(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return string(r)
}

// TestCapabilities checks the hello advertisement the issue lists.
func TestCapabilities(t *testing.T) {
	srv := netconftest.NewServer(t)
	caps := strings.Join(srv.Capabilities(), "\n")
	for _, want := range []string{
		"urn:ietf:params:netconf:base:1.0", "urn:ietf:params:netconf:base:1.1",
		"urn:ietf:params:netconf:capability:writable-running:1.0",
		"urn:ietf:params:netconf:capability:candidate:1.0",
		"urn:ietf:params:netconf:capability:confirmed-commit:1.1",
		// The 1.0 versions, for clients that know only RFC 4741.
		"urn:ietf:params:netconf:capability:confirmed-commit:1.0",
		"urn:ietf:params:netconf:capability:validate:1.0",
		"urn:ietf:params:netconf:capability:partial-lock:1.0",
		"urn:ietf:params:xml:ns:netconf:partial-lock:1.0?module=ietf-netconf-partial-lock&revision=2009-10-19",
		"urn:ietf:params:netconf:capability:rollback-on-error:1.0",
		"urn:ietf:params:netconf:capability:validate:1.1",
		"urn:ietf:params:netconf:capability:startup:1.0",
		"urn:ietf:params:netconf:capability:xpath:1.0",
		"urn:ietf:params:netconf:capability:with-defaults:1.0?basic-mode=explicit&also-supported=report-all,report-all-tagged,trim",
		"urn:ietf:params:netconf:capability:yang-library:1.1?revision=2019-01-04&content-id=",
		// YANG 1.0 modules by module capability; YANG 1.1 ones (nctest) only in the library.
		"urn:ietf:params:xml:ns:netconf:base:1.0?module=ietf-netconf&revision=2011-06-01",
		"urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring?module=ietf-netconf-monitoring&revision=2010-10-04",
		"urn:ietf:params:xml:ns:yang:ietf-netconf-acm?module=ietf-netconf-acm&revision=2018-02-14",
	} {
		if !strings.Contains(caps, want) {
			t.Errorf("hello lacks %q", want)
		}
	}
	if strings.Contains(caps, "module=nctest") {
		t.Errorf("a YANG 1.1 module is announced in the hello")
	}
}

// TestProtocolModulesServed: every module of yang.Protocol is in one of the yang library's module sets
// with its revision and namespace, and get-schema hands out its text as package yang embeds it.
func TestProtocolModulesServed(t *testing.T) {
	srv := netconftest.NewServer(t)
	c := dial(t, srv)
	for _, file := range yang.Protocol {
		name, rev, _ := strings.Cut(strings.TrimSuffix(file, ".yang"), "@")
		t.Run(name, func(t *testing.T) {
			m := srv.Store.Schema().Module(name)
			if m == nil {
				t.Fatalf("module %s not in the server's schema", name)
			}
			r := roundTrip(t, c, `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter>`+
				`<yang-library xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"><module-set>`+
				`<module><name>`+name+`</name></module></module-set></yang-library></filter></get></rpc>`)
			want := `<module><name>` + name + `</name><revision>` + rev + `</revision><namespace>` + m.Namespace + `</namespace>`
			if !strings.Contains(r, want) {
				t.Errorf("yang-library reply %s\nlacks %s", r, want)
			}
			src, err := fs.ReadFile(yang.FS, file)
			if err != nil {
				t.Fatal(err)
			}
			r = roundTrip(t, c, `<rpc message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-schema `+
				`xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><identifier>`+name+`</identifier>`+
				`<version>`+rev+`</version></get-schema></rpc>`)
			if !strings.Contains(r, string(netconf.AppendEscaped(nil, string(src), false))) {
				t.Errorf("get-schema %s@%s reply does not hold yang/%s:\n%s", name, rev, file, r)
			}
		})
	}
}

// TestHandler: a registered handler answers its rpc with the output tree; errors and panics
// become rpc-errors without details.
func TestHandler(t *testing.T) {
	srv := netconftest.NewServer(t)
	sch := srv.Store.Schema()
	m := sch.Module("ncws-server")
	rollback := sch.RPC(m, "rollback")
	calls := 0
	srv.Handle(rollback, func(ctx context.Context, req *server.Request) (*data.Node, error) {
		calls++
		switch req.Input.ChildByName("id").Value.Str {
		case "1":
			return nil, errors.New("secret database password wrong")
		case "2":
			panic("bug")
		case "3":
			return nil, rpcerror.InvalidValue("/ncws-server:id", "no such commit")
		}
		if req.Who.User != "alice" {
			t.Errorf("handler user %q", req.Who.User)
		}
		return nil, nil
	})
	c := dial(t, srv)
	for _, tc := range []struct{ id, want string }{
		{"1", "<error-tag>operation-failed</error-tag>"},
		{"2", "<error-tag>operation-failed</error-tag>"},
		{"3", "<error-tag>invalid-value</error-tag>"},
		{"4", "<ok/>"},
	} {
		r := roundTrip(t, c, `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><rollback xmlns="urn:ncws:yang:ncws-server"><id>`+tc.id+`</id></rollback></rpc>`)
		if !strings.Contains(r, tc.want) {
			t.Errorf("id %s: reply %s, want %s", tc.id, r, tc.want)
		}
		if strings.Contains(r, "secret") || strings.Contains(r, "bug") {
			t.Errorf("id %s: internal detail leaked: %s", tc.id, r)
		}
	}
	if calls != 4 {
		t.Errorf("handler called %d times, want 4", calls)
	}
}

// TestShutdown: Shutdown ends live sessions with the shutdown reason and Serve returns.
func TestShutdown(t *testing.T) {
	srv := netconftest.NewServer(t)
	l := netconftest.NewListener()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := l.Dial(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	c.Recv(ctx)
	c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
	roundTrip(t, c, `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><lock><target><running/></target></lock></rpc>`)
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Recv(ctx); err == nil {
		t.Error("session still open after Shutdown")
	}
	if err := <-served; !errors.Is(err, server.ErrServerClosed) {
		t.Errorf("Serve returned %v, want ErrServerClosed", err)
	}
	if _, held := srv.Store.LockHolder("running"); held {
		t.Error("the lock of a session ended by Shutdown is still held")
	}
}

// FuzzSession sends arbitrary messages after the hello: the server answers each with a reply
// or closes the session, and never panics or hangs.
func FuzzSession(f *testing.F) {
	for _, s := range []string{
		`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>`,
		`<rpc message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><edit-config><target><running/></target><config><top xmlns="urn:ncws:test:nctest"><item><id>1</id></item></top></config></edit-config></rpc>`,
		`<rpc message-id="3" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter type="xpath" select="/t:top/t:item[t:id=1]" xmlns:t="urn:ncws:test:nctest"/></get></rpc>`,
		`<rpc message-id="4" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><commit><confirmed/><confirm-timeout>1</confirm-timeout></commit></rpc>`,
		`<rpc message-id="5"`, `]]>]]>`, "\n#4\nabcd\n##\n", ``,
	} {
		f.Add([]byte(s))
	}
	srv := netconftest.NewServer(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		c := dial(t, srv)
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Send(ctx, msg); err != nil {
			return
		}
		r, err := c.Recv(ctx)
		if ctx.Err() != nil {
			t.Fatalf("no answer to %q", msg)
		}
		if err == nil {
			if _, rerr := netconf.DecodeRPC(r); rerr != nil {
				t.Fatalf("reply is not a NETCONF message: %s", r)
			}
		}
	})
}

// TestHelloTimeout: a client that sends no hello is disconnected after HelloTimeout.
func TestHelloTimeout(t *testing.T) {
	srv := netconftest.NewServer(t)
	srv.HelloTimeout = 200 * time.Millisecond
	c, _ := dialRaw(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Recv(ctx); err == nil || ctx.Err() != nil {
		t.Fatalf("session without hello: Recv = %v (ctx %v), want the connection closed", err, ctx.Err())
	}
}
