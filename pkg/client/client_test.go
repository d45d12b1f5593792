package client_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncws/ncws/internal/testpki"

	ws "github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/rpcerror"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

const nctest = "urn:ncws:test:nctest"

// basicUser authenticates anyone who sends Basic credentials, as the user named there.
func basicUser(r *http.Request) (string, error) {
	u, _, ok := r.BasicAuth()
	if !ok {
		return "", errors.New("no credentials")
	}
	return u, nil
}

// serve runs a conformance server behind a WebSocket listener on a loopback HTTP server
// (TLS when tlsConfig is not nil) and returns its ws:// or wss:// URL and the HTTP server.
func serve(t *testing.T, auth func(*http.Request) (string, error), tlsConfig *tls.Config) (string, *httptest.Server) {
	t.Helper()
	srv := netconftest.NewServer(t)
	if auth == nil {
		auth = basicUser
	}
	l := websocket.NewListener(websocket.Options{Authenticate: auth})
	mux := http.NewServeMux()
	mux.Handle("/netconf", l)
	ts := httptest.NewUnstartedServer(mux)
	if tlsConfig != nil {
		ts.TLS = tlsConfig
		ts.StartTLS()
	} else {
		ts.Start()
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
		ts.Close()
	})
	scheme := "ws"
	if tlsConfig != nil {
		scheme = "wss"
	}
	return scheme + strings.TrimPrefix(strings.TrimPrefix(ts.URL, "https"), "http") + "/netconf", ts
}

func dial(t *testing.T, url, user string) *client.Session {
	t.Helper()
	s, err := client.Dial(context.Background(), url, &client.Options{Username: user, Password: "secret"})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDialHello(t *testing.T) {
	url, _ := serve(t, nil, nil)
	a := dial(t, url, "alice")
	b := dial(t, url, "bob")
	if a.ID() == 0 || b.ID() == 0 || a.ID() == b.ID() {
		t.Errorf("session ids %d and %d, want two different non-zero ids", a.ID(), b.ID())
	}
	for _, c := range []string{netconf.CapBase10, netconf.CapBase11, netconf.CapCandidate, netconf.CapWithDefaults} {
		if !a.HasCapability(c) {
			t.Errorf("HasCapability(%s) = false; capabilities: %q", c, a.Capabilities())
		}
	}
	if a.HasCapability("urn:ietf:params:netconf:capability:none:1.0") {
		t.Error("HasCapability of a capability never announced = true")
	}
	if a.Err() != nil {
		t.Errorf("Err() of an open session = %v", a.Err())
	}
	// The session outlives the context of Dial.
	ctx, cancel := context.WithCancel(context.Background())
	c, err := client.Dial(ctx, url, &client.Options{Username: "carol"})
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Get(context.Background(), client.Filter{}); err != nil {
		t.Errorf("Get after the context of Dial ended: %v", err)
	}
}

func TestEditCommitGet(t *testing.T) {
	url, _ := serve(t, nil, nil)
	s := dial(t, url, "alice")
	ctx := context.Background()
	cfg := []byte(`<top xmlns="urn:ncws:test:nctest"><name>a</name><item><id>1</id><value>one</value></item><item><id>2</id><value>two</value></item></top>`)
	if err := s.EditConfig(ctx, client.Candidate, cfg, client.EditOptions{DefaultOperation: "merge"}); err != nil {
		t.Fatalf("EditConfig: %v", err)
	}
	if err := s.Validate(ctx, client.Candidate); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if err := s.Commit(ctx, client.CommitOptions{}); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	for _, tc := range []struct {
		name   string
		filter client.Filter
		want   string
	}{{
		name: "all",
		want: `<top xmlns="urn:ncws:test:nctest"><name>a</name><item><id>1</id><value>one</value></item><item><id>2</id><value>two</value></item></top>`,
	}, {
		name:   "subtree",
		filter: client.Filter{Subtree: []byte(`<top xmlns="urn:ncws:test:nctest"><name/></top>`)},
		want:   `<top xmlns="urn:ncws:test:nctest"><name>a</name></top>`,
	}, {
		name:   "xpath",
		filter: client.Filter{XPath: "/t:top/t:item[t:id='2']", Namespaces: map[string]string{"t": nctest}},
		want:   `<top xmlns="urn:ncws:test:nctest"><item><id>2</id><value>two</value></item></top>`,
	}, {
		name:   "with-defaults report-all",
		filter: client.Filter{Subtree: []byte(`<top xmlns="urn:ncws:test:nctest"><mtu/></top>`), WithDefaults: "report-all"},
		want:   `<top xmlns="urn:ncws:test:nctest"><mtu>1500</mtu></top>`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.GetConfig(ctx, client.Running, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	got, err := s.Get(ctx, client.Filter{Subtree: []byte(`<status xmlns="urn:ncws:test:nctest"/>`)})
	if err != nil {
		t.Fatal(err)
	}
	if want := `<status xmlns="urn:ncws:test:nctest"><uptime>42</uptime></status>`; string(got) != want {
		t.Errorf("Get = %s, want %s", got, want)
	}
	// The candidate is discarded and startup receives running.
	if err := s.EditConfig(ctx, client.Candidate, []byte(`<top xmlns="urn:ncws:test:nctest"><name>b</name></top>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.DiscardChanges(ctx); err != nil {
		t.Fatalf("DiscardChanges: %v", err)
	}
	name := client.Filter{Subtree: []byte(`<top xmlns="urn:ncws:test:nctest"><name/></top>`)}
	if got, err := s.GetConfig(ctx, client.Candidate, name); err != nil || !strings.Contains(string(got), "<name>a</name>") {
		t.Errorf("candidate after DiscardChanges = %s, %v; want name a", got, err)
	}
	if err := s.CopyConfig(ctx, client.Startup, client.Running); err != nil {
		t.Fatalf("CopyConfig: %v", err)
	}
	if got, err := s.GetConfig(ctx, client.Startup, name); err != nil || !strings.Contains(string(got), "<name>a</name>") {
		t.Errorf("startup after CopyConfig = %s, %v; want name a", got, err)
	}
	if err := s.DeleteConfig(ctx, client.Startup); err != nil {
		t.Fatalf("DeleteConfig: %v", err)
	}
}

func TestConfirmedCommit(t *testing.T) {
	url, _ := serve(t, nil, nil)
	s := dial(t, url, "alice")
	ctx := context.Background()
	if err := s.EditConfig(ctx, client.Candidate, []byte(`<top xmlns="urn:ncws:test:nctest"><name>c</name></top>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, client.CommitOptions{Confirmed: true, Timeout: time.Hour, Persist: "tok"}); err != nil {
		t.Fatalf("confirmed Commit: %v", err)
	}
	if err := s.CancelCommit(ctx, "tok"); err != nil {
		t.Fatalf("CancelCommit: %v", err)
	}
	got, err := s.GetConfig(ctx, client.Running, client.Filter{})
	if err != nil || len(got) != 0 {
		t.Errorf("running after CancelCommit = %q, %v; want empty", got, err)
	}
}

func TestRPCErrors(t *testing.T) {
	url, _ := serve(t, nil, nil)
	a := dial(t, url, "alice")
	b := dial(t, url, "bob")
	ctx := context.Background()

	err := a.EditConfig(ctx, client.Running, []byte(`<top xmlns="urn:ncws:test:nctest"><nosuch>1</nosuch></top>`), client.EditOptions{})
	var l rpcerror.List
	if !errors.As(err, &l) || len(l) != 1 {
		t.Fatalf("EditConfig with an unknown element: %v, want one rpc-error", err)
	}
	if l[0].Tag != rpcerror.TagUnknownElement || l[0].Type != rpcerror.Application || l[0].Severity != rpcerror.SeverityError ||
		l[0].Lang != "en" || l[0].Message == "" {
		t.Errorf("rpc-error %+v, want an application unknown-element error with an English message", l[0])
	}
	if diff := cmp.Diff([]rpcerror.Info{{Name: "bad-element", Value: "nosuch"}}, l[0].Info); diff != "" {
		t.Errorf("error-info mismatch (-want +got):\n%s", diff)
	}

	if err := a.Lock(ctx, client.Running); err != nil {
		t.Fatalf("Lock: %v", err)
	}
	err = b.Lock(ctx, client.Running)
	want := rpcerror.List{{Type: rpcerror.Protocol, Tag: rpcerror.TagLockDenied, Severity: rpcerror.SeverityError,
		Message: fmt.Sprintf("lock held by session %d", a.ID()), Lang: "en",
		Info: []rpcerror.Info{{Name: "session-id", Value: fmt.Sprint(a.ID())}}}}
	if !errors.As(err, &l) {
		t.Fatalf("Lock held by another session: %v, want an rpcerror.List", err)
	}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if err := a.Unlock(ctx, client.Running); err != nil {
		t.Fatalf("Unlock: %v", err)
	}

	// Call returns the reply with the errors; an operation the server does not know.
	r, err := a.Call(ctx, []byte(`<frobnicate xmlns="urn:example:none"/>`))
	if !errors.As(err, &l) || l[0].Tag != rpcerror.TagOperationNotSupported || r == nil || len(r.Errors) != 1 {
		t.Errorf("Call of an unknown operation: reply %v, error %v; want operation-not-supported", r, err)
	}
	// Malformed operations are refused before they are sent.
	if _, err := a.Call(ctx, []byte(`<get>`)); err == nil {
		t.Error("Call with malformed XML succeeded")
	}
	if _, err := a.GetConfig(ctx, client.Running, client.Filter{Subtree: []byte("<a/>"), XPath: "/a"}); err == nil {
		t.Error("GetConfig with both a subtree and an XPath filter succeeded")
	}
}

// TestPipelining sends many calls at once on one session: each gets its own reply.
func TestPipelining(t *testing.T) {
	url, _ := serve(t, nil, nil)
	s := dial(t, url, "alice")
	ctx := context.Background()
	const n = 40
	var cfg strings.Builder
	cfg.WriteString(`<top xmlns="urn:ncws:test:nctest">`)
	for i := range n {
		fmt.Fprintf(&cfg, "<item><id>%d</id><value>v%d</value></item>", i, i)
	}
	cfg.WriteString("</top>")
	if err := s.EditConfig(ctx, client.Running, []byte(cfg.String()), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			got, err := s.GetConfig(ctx, client.Running, client.Filter{
				XPath: fmt.Sprintf("/t:top/t:item[t:id=%d]", i), Namespaces: map[string]string{"t": nctest}})
			want := fmt.Sprintf(`<top xmlns="urn:ncws:test:nctest"><item><id>%d</id><value>v%d</value></item></top>`, i, i)
			if err != nil || string(got) != want {
				errs <- fmt.Errorf("call %d: got %s, %v; want %s", i, got, err, want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestKillSession(t *testing.T) {
	url, _ := serve(t, nil, nil)
	victim := dial(t, url, "alice")
	killer := dial(t, url, "bob")
	ctx := context.Background()
	// A reply shows the server has taken the victim's hello: before, it cannot be killed.
	if _, err := victim.Get(ctx, client.Filter{}); err != nil {
		t.Fatal(err)
	}
	if err := killer.KillSession(ctx, victim.ID()); err != nil {
		t.Fatalf("KillSession: %v", err)
	}
	<-victim.Done()
	want := &client.ClosedError{Code: 4001, Reason: fmt.Sprintf("killed by session %d", killer.ID())}
	if diff := cmp.Diff(want, victim.Err()); diff != "" {
		t.Errorf("Err() mismatch (-want +got):\n%s", diff)
	}
	_, err := victim.Get(ctx, client.Filter{})
	var ce *client.ClosedError
	if !errors.As(err, &ce) || *ce != *want {
		t.Errorf("Get after the kill: %v, want %v", err, want)
	}
}

func TestCloseSession(t *testing.T) {
	url, _ := serve(t, nil, nil)
	s := dial(t, url, "alice")
	ctx := context.Background()
	if err := s.CloseSession(ctx); err != nil {
		t.Fatalf("CloseSession: %v", err)
	}
	var ce *client.ClosedError
	if !errors.As(s.Err(), &ce) || ce.Code != 1000 {
		t.Errorf("Err() after CloseSession = %v, want a ClosedError with code 1000", s.Err())
	}
	if _, err := s.Call(ctx, []byte("<get/>")); !errors.As(err, &ce) || ce.Code != 1000 {
		t.Errorf("Call after CloseSession: %v, want a ClosedError with code 1000", err)
	}
	if err := s.CloseSession(ctx); err != nil {
		t.Errorf("second CloseSession: %v, want nil", err)
	}
}

// TestCloseReleasesCalls checks that a call waiting for its reply returns when the client
// closes the connection.
func TestCloseReleasesCalls(t *testing.T) {
	received := make(chan struct{})
	url := fakeServer(t, func(ctx context.Context, c *ws.Conn) {
		c.Read(ctx) // the rpc, never answered
		close(received)
		c.Read(ctx) // until the client closes
	})
	s, err := client.Dial(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := s.Call(context.Background(), []byte("<get/>"))
		errc <- err
	}()
	<-received
	s.Close()
	var ce *client.ClosedError
	if err := <-errc; !errors.As(err, &ce) || ce.Code != 1000 {
		t.Errorf("pending Call after Close: %v, want a ClosedError with code 1000", err)
	}
}

// fakeServer answers upgrades offering netconf with a hello (session-id 7), reads the
// client's hello and runs script; it returns the ws:// URL.
func fakeServer(t *testing.T, script func(ctx context.Context, c *ws.Conn)) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := ws.Accept(w, r, &ws.AcceptOptions{Subprotocols: []string{"netconf"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := r.Context()
		hello := &netconf.Hello{Capabilities: []string{netconf.CapBase11}, SessionID: 7}
		if c.Write(ctx, ws.MessageText, hello.Encode()) != nil {
			return
		}
		if _, _, err := c.Read(ctx); err != nil {
			return
		}
		script(ctx, c)
	}))
	t.Cleanup(ts.Close)
	return "ws" + strings.TrimPrefix(ts.URL, "http")
}

func TestNotificationsAndWarnings(t *testing.T) {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	url := fakeServer(t, func(ctx context.Context, c *ws.Conn) {
		_, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		m, _ := netconf.DecodeRPC(msg)
		note := netconf.AppendNotification(nil, at, []byte(`<changed xmlns="urn:x"/>`))
		c.Write(ctx, ws.MessageText, note)
		warn := &rpcerror.Error{Type: rpcerror.Application, Tag: rpcerror.TagOperationFailed,
			Severity: rpcerror.SeverityWarning, Message: "careful"}
		reply := netconf.AppendRPCErrors(nil, m.Attrs, rpcerror.List{warn}, nil)
		reply = append(reply[:len(reply)-len("</rpc-reply>")], "<ok/></rpc-reply>"...)
		c.Write(ctx, ws.MessageText, reply)
		c.Read(ctx)
	})
	type note struct {
		at   time.Time
		body string
	}
	notes := make(chan note, 1)
	s, err := client.Dial(context.Background(), url, &client.Options{OnNotification: func(at time.Time, body []byte) {
		notes <- note{at, string(body)}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.ID() != 7 {
		t.Errorf("ID() = %d, want 7", s.ID())
	}
	r, err := s.Call(context.Background(), []byte("<get/>"))
	if err != nil || !r.OK || len(r.Errors) != 1 || r.Errors[0].Severity != rpcerror.SeverityWarning {
		t.Fatalf("Call answered with a warning and ok: %+v, %v; want the reply and no error", r, err)
	}
	got := <-notes
	if diff := cmp.Diff(note{at, `<changed xmlns="urn:x"/>`}, got, cmp.AllowUnexported(note{})); diff != "" {
		t.Errorf("notification mismatch (-want +got):\n%s", diff)
	}
}

func TestBadServerHello(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hello string
	}{
		{"no session-id", `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`},
		{"no common base", `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:2.0</capability></capabilities><session-id>1</session-id></hello>`},
		{"not a hello", `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, err := ws.Accept(w, r, &ws.AcceptOptions{Subprotocols: []string{"netconf"}})
				if err != nil {
					return
				}
				defer c.CloseNow()
				c.Write(r.Context(), ws.MessageText, []byte(tc.hello))
				c.Read(r.Context())
			}))
			defer ts.Close()
			_, err := client.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"), nil)
			if !errors.Is(err, client.ErrBadHello) {
				t.Errorf("Dial: %v, want an error wrapping ErrBadHello", err)
			}
		})
	}
}

func TestHandshakeRefused(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusServiceUnavailable} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "refused here", status)
			}))
			defer ts.Close()
			_, err := client.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"), nil)
			var he *client.HandshakeError
			if !errors.As(err, &he) {
				t.Fatalf("Dial: %v, want a *HandshakeError", err)
			}
			if diff := cmp.Diff(&client.HandshakeError{StatusCode: status, Body: "refused here"}, he); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// 429 carries Retry-After: delay-seconds, or an HTTP-date relative to the response's Date.
	date := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, retryAfter string
		want             time.Duration
	}{
		{"seconds", "30", 30 * time.Second},
		{"http-date", date.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"date in the past", date.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"absent", "", 0},
		{"garbage", "soon", 0},
	} {
		t.Run("429 "+tc.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", date.Format(http.TimeFormat))
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				http.Error(w, "too many failed attempts", http.StatusTooManyRequests)
			}))
			defer ts.Close()
			_, err := client.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"), nil)
			var he *client.HandshakeError
			if !errors.As(err, &he) {
				t.Fatalf("Dial: %v, want a *HandshakeError", err)
			}
			want := &client.HandshakeError{StatusCode: http.StatusTooManyRequests, Body: "too many failed attempts", RetryAfter: tc.want}
			if diff := cmp.Diff(want, he); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got, want := (&client.HandshakeError{StatusCode: 429, Body: "slow down", RetryAfter: 30 * time.Second}).Error(),
		"client: handshake refused: 429 Too Many Requests (retry after 30s): slow down"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// The real listener refuses a request without credentials with 401.
	url, _ := serve(t, nil, nil)
	_, err := client.Dial(context.Background(), url, nil)
	var he *client.HandshakeError
	if !errors.As(err, &he) || he.StatusCode != http.StatusUnauthorized {
		t.Errorf("Dial without credentials: %v, want a HandshakeError with 401", err)
	}
	// And a foreign Origin with 403.
	_, err = client.Dial(context.Background(), url, &client.Options{Username: "a", Header: http.Header{"Origin": {"https://evil.example"}}})
	if !errors.As(err, &he) || he.StatusCode != http.StatusForbidden {
		t.Errorf("Dial from a foreign origin: %v, want a HandshakeError with 403", err)
	}
	if _, err := client.Dial(context.Background(), "ws://127.0.0.1:1/netconf", nil); err == nil || errors.As(err, &he) {
		t.Errorf("Dial of a closed port: %v, want a connection error", err)
	}
}

func TestBasicAuth(t *testing.T) {
	type cred struct{ User, Pass string }
	got := make(chan cred, 1)
	url, _ := serve(t, func(r *http.Request) (string, error) {
		u, p, _ := r.BasicAuth()
		got <- cred{u, p}
		return u, nil
	}, nil)
	s, err := client.Dial(context.Background(), url, &client.Options{Username: "alice", Password: "pa:ss wörd"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if diff := cmp.Diff(cred{"alice", "pa:ss wörd"}, <-got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestToken(t *testing.T) {
	offered := make(chan []string, 1)
	url, _ := serve(t, func(r *http.Request) (string, error) {
		protos := strings.Split(r.Header.Get("Sec-WebSocket-Protocol"), ",")
		for i := range protos {
			protos[i] = strings.TrimSpace(protos[i])
		}
		offered <- protos
		for _, p := range protos {
			if p == "ncws.token.abc-123" {
				return "tokenuser", nil
			}
		}
		return "", errors.New("no token")
	}, nil)
	s, err := client.Dial(context.Background(), url, &client.Options{Token: "abc-123"})
	if err != nil {
		t.Fatalf("Dial with a token: %v", err)
	}
	defer s.Close()
	if diff := cmp.Diff([]string{"netconf", "ncws.token.abc-123"}, <-offered); diff != "" {
		t.Errorf("offered subprotocols mismatch (-want +got):\n%s", diff)
	}

	// A server that selects the token instead of netconf, or nothing, is refused.
	for _, sel := range []string{"ncws.token.abc-123", ""} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var protos []string
			if sel != "" {
				protos = []string{sel}
			}
			c, err := ws.Accept(w, r, &ws.AcceptOptions{Subprotocols: protos})
			if err != nil {
				return
			}
			defer c.CloseNow()
			c.Read(r.Context())
		}))
		_, err := client.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"), &client.Options{Token: "abc-123"})
		if !errors.Is(err, client.ErrSubprotocol) {
			t.Errorf("server selecting %q: Dial: %v, want ErrSubprotocol", sel, err)
		}
		ts.Close()
	}
}

func TestTLS(t *testing.T) {
	p := testpki.New(t)
	carol := p.Client("carol")
	users := make(chan string, 1)
	url, _ := serve(t, func(r *http.Request) (string, error) {
		if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 {
			return basicUser(r)
		}
		cn := r.TLS.VerifiedChains[0][0].Subject.CommonName
		users <- cn
		return cn, nil
	}, &tls.Config{Certificates: []tls.Certificate{p.Server}, ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: p.Pool})

	// A client certificate names the user.
	s, err := client.Dial(context.Background(), url, &client.Options{
		TLSConfig: &tls.Config{RootCAs: p.Pool, Certificates: []tls.Certificate{carol}}})
	if err != nil {
		t.Fatalf("Dial with a client certificate: %v", err)
	}
	if got := <-users; got != "carol" {
		t.Errorf("user from the certificate = %q, want carol", got)
	}
	if _, err := s.GetConfig(context.Background(), client.Running, client.Filter{}); err != nil {
		t.Errorf("GetConfig over TLS: %v", err)
	}
	s.Close()

	// Without a certificate, Basic authentication over TLS.
	s, err = client.Dial(context.Background(), url, &client.Options{Username: "dave", TLSConfig: &tls.Config{RootCAs: p.Pool}})
	if err != nil {
		t.Fatalf("Dial with Basic over TLS: %v", err)
	}
	s.Close()

	// A server certificate the client does not trust fails the dial, unless verification is off.
	if _, err := client.Dial(context.Background(), url, &client.Options{Username: "dave"}); err == nil {
		t.Error("Dial trusting only the system roots succeeded")
	}
	s, err = client.Dial(context.Background(), url, &client.Options{Username: "dave", TLSConfig: &tls.Config{InsecureSkipVerify: true}})
	if err != nil {
		t.Fatalf("Dial with InsecureSkipVerify: %v", err)
	}
	s.Close()
}

// TestNotificationsDone: notifications received just before the server closes are all
// delivered, and NotificationsDone is closed after the last OnNotification call.
func TestNotificationsDone(t *testing.T) {
	url := fakeServer(t, func(ctx context.Context, c *ws.Conn) {
		for i := range 3 {
			body := fmt.Sprintf(`<e xmlns="urn:e">%d</e>`, i)
			if c.Write(ctx, ws.MessageText, netconf.AppendNotification(nil, time.Now(), []byte(body))) != nil {
				return
			}
		}
		c.Close(ws.StatusGoingAway, "shutting down")
	})
	var (
		mu  sync.Mutex
		got []string
	)
	s, err := client.Dial(context.Background(), url, &client.Options{OnNotification: func(_ time.Time, body []byte) {
		time.Sleep(20 * time.Millisecond) // slower than the connection's end
		mu.Lock()
		got = append(got, string(body))
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	<-s.NotificationsDone()
	mu.Lock()
	defer mu.Unlock()
	want := []string{`<e xmlns="urn:e">0</e>`, `<e xmlns="urn:e">1</e>`, `<e xmlns="urn:e">2</e>`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notifications at NotificationsDone mismatch (-want +got):\n%s", diff)
	}
	var ce *client.ClosedError
	if !errors.As(s.Err(), &ce) || ce.Code != int(ws.StatusGoingAway) {
		t.Errorf("Err() = %v, want the 1001 close", s.Err())
	}

	// Without OnNotification, NotificationsDone is closed with Done.
	url = fakeServer(t, func(ctx context.Context, c *ws.Conn) { c.Close(ws.StatusGoingAway, "") })
	s2, err := client.Dial(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	<-s2.Done()
	select {
	case <-s2.NotificationsDone():
	case <-time.After(5 * time.Second):
		t.Error("NotificationsDone not closed after Done without OnNotification")
	}
}
