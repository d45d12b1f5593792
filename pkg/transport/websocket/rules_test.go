package websocket_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

const clientHello = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>` +
	`<capability>urn:ietf:params:netconf:base:1.0</capability>` +
	`<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`

func rpc(id, op string) string {
	return `<rpc message-id="` + id + `" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` + op + `</rpc>`
}

// session is a client connection after the hello exchange.
type session struct {
	t     *testing.T
	c     *ws.Conn
	id    uint32
	hello *netconf.Hello
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// open dials url as user and exchanges hellos.
func open(t *testing.T, url, user string) *session {
	t.Helper()
	ctx := ctxT(t)
	c, _, err := dial(ctx, url, user)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.CloseNow() })
	_, msg, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("server hello: %v", err)
	}
	h, err := netconf.DecodeHello(msg)
	if err != nil {
		t.Fatalf("server hello: %v", err)
	}
	if err := c.Write(ctx, ws.MessageText, []byte(clientHello)); err != nil {
		t.Fatal(err)
	}
	return &session{t: t, c: c, id: h.SessionID, hello: h}
}

func (s *session) send(msg string) {
	s.t.Helper()
	if err := s.c.Write(ctxT(s.t), ws.MessageText, []byte(msg)); err != nil {
		s.t.Fatalf("send: %v", err)
	}
}

func (s *session) recv() string {
	s.t.Helper()
	_, msg, err := s.c.Read(ctxT(s.t))
	if err != nil {
		s.t.Fatalf("recv: %v", err)
	}
	return string(msg)
}

// closed reads until the server closes and returns the close code and reason.
func (s *session) closed() (ws.StatusCode, string) {
	s.t.Helper()
	return closeOf(s.t, s.c)
}

func closeOf(t *testing.T, c *ws.Conn) (ws.StatusCode, string) {
	t.Helper()
	for {
		_, msg, err := c.Read(ctxT(t))
		if err != nil {
			var ce ws.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("connection ended without a close frame: %v", err)
			}
			return ce.Code, ce.Reason
		}
		t.Logf("message before the close: %s", msg)
	}
}

func rawDial(t *testing.T, url string, opts *ws.DialOptions) (*ws.Conn, *http.Response, error) {
	t.Helper()
	c, resp, err := ws.Dial(ctxT(t), url, opts)
	if c != nil {
		t.Cleanup(func() { c.CloseNow() })
	}
	return c, resp, err
}

func basicHeader(user string) http.Header {
	r, _ := http.NewRequest("GET", "http://x/", nil)
	r.SetBasicAuth(user, "secret")
	return http.Header{"Authorization": r.Header["Authorization"]}
}

func wantNoCache(t *testing.T, resp *http.Response) {
	t.Helper()
	if resp == nil {
		t.Fatal("no HTTP response")
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("status %d: Cache-Control = %q, want no-cache", resp.StatusCode, got)
	}
	if got := resp.Header.Get("Pragma"); got != "no-cache" {
		t.Errorf("status %d: Pragma = %q, want no-cache", resp.StatusCode, got)
	}
}

func TestHandshake(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{
		AllowOrigins: []string{"https://nms.example.com"},
		AllowHosts:   []string{"device.example.net"},
	})
	tests := []struct {
		name       string
		protocols  []string
		header     http.Header
		host       string
		wantStatus int
	}{
		{name: "netconf", protocols: []string{"netconf"}, wantStatus: 101},
		{name: "no subprotocol", wantStatus: 400},
		{name: "other subprotocol only", protocols: []string{"chat"}, wantStatus: 400},
		{name: "token first then netconf", protocols: []string{"ncws.token.abc", "netconf"}, wantStatus: 101},
		{name: "allowed origin", protocols: []string{"netconf"},
			header: http.Header{"Origin": {"https://nms.example.com"}}, wantStatus: 101},
		{name: "foreign origin", protocols: []string{"netconf"},
			header: http.Header{"Origin": {"https://evil.example.com"}}, wantStatus: 403},
		{name: "allowed origin on another port", protocols: []string{"netconf"},
			header: http.Header{"Origin": {"https://nms.example.com:8443"}}, wantStatus: 403},
		{name: "unknown host name", protocols: []string{"netconf"}, host: "rebound.example.org", wantStatus: 403},
		{name: "allowed host name", protocols: []string{"netconf"}, host: "device.example.net:8080", wantStatus: 101},
		{name: "localhost", protocols: []string{"netconf"}, host: "localhost:8080", wantStatus: 101},
		{name: "no credentials", protocols: []string{"netconf"}, header: http.Header{}, wantStatus: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := basicHeader("alice")
			if tt.header != nil {
				if len(tt.header) == 0 {
					h = http.Header{}
				}
				for k, v := range tt.header {
					h[k] = v
				}
			}
			c, resp, err := rawDial(t, url, &ws.DialOptions{Subprotocols: tt.protocols, HTTPHeader: h, Host: tt.host})
			if resp == nil {
				t.Fatalf("no response: %v", err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d (err %v)", resp.StatusCode, tt.wantStatus, err)
			}
			wantNoCache(t, resp)
			if tt.wantStatus == 101 {
				if got := resp.Header.Get("Sec-WebSocket-Protocol"); got != "netconf" {
					t.Errorf("Sec-WebSocket-Protocol = %q, want netconf", got)
				}
				if c.Subprotocol() != "netconf" {
					t.Errorf("negotiated %q", c.Subprotocol())
				}
			} else if err == nil {
				t.Errorf("dial succeeded with status %d", resp.StatusCode)
			}
			if tt.wantStatus == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

// TestOwnOrigin: without AllowOrigins only the server's own origin passes.
func TestOwnOrigin(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{})
	own := "http://" + strings.TrimSuffix(strings.TrimPrefix(url, "ws://"), "/netconf")
	for origin, want := range map[string]int{own: 101, "http://localhost:1": 403, "null": 403} {
		h := basicHeader("alice")
		h.Set("Origin", origin)
		_, resp, _ := rawDial(t, url, &ws.DialOptions{Subprotocols: []string{"netconf"}, HTTPHeader: h})
		if resp == nil || resp.StatusCode != want {
			t.Errorf("origin %s: response %v, want %d", origin, resp, want)
		}
	}
}

func TestCaps(t *testing.T) {
	srv := netconftest.NewServer(t)
	l, url := serve(t, srv, websocket.Options{MaxConnsPerAddr: 3, MaxConnsPerUser: 2})
	a1 := open(t, url, "alice")
	open(t, url, "alice")
	// A third for alice: over the per-user cap.
	_, resp, _ := rawDial(t, url, &ws.DialOptions{Subprotocols: []string{"netconf"}, HTTPHeader: basicHeader("alice")})
	if resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third session of alice: %v, want 503", resp)
	}
	wantNoCache(t, resp)
	open(t, url, "bob")
	// A fourth from this address: over the per-address cap.
	_, resp, _ = rawDial(t, url, &ws.DialOptions{Subprotocols: []string{"netconf"}, HTTPHeader: basicHeader("carol")})
	if resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("fourth session from one address: %v, want 503", resp)
	}
	// Closing one gives its places back.
	a1.send(rpc("1", "<close-session/>"))
	a1.recv()
	if code, _ := a1.closed(); code != ws.StatusNormalClosure {
		t.Fatalf("close-session: code %d, want 1000", code)
	}
	waitFor(t, func() bool { return l.Conns() == 2 })
	open(t, url, "alice")
}

// waitFor waits for cond (the server releases a connection after the client saw it close).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not reached in 10 s")
}

func TestCloseCodes(t *testing.T) {
	type result struct {
		code   ws.StatusCode
		reason string // a regexp
	}
	tests := []struct {
		name string
		opts websocket.Options
		run  func(t *testing.T, url string, srv *server.Server) (*session, *ws.Conn)
		want result
	}{
		{"close-session", websocket.Options{}, func(t *testing.T, url string, _ *server.Server) (*session, *ws.Conn) {
			s := open(t, url, "alice")
			s.send(rpc("1", "<close-session/>"))
			if got := s.recv(); !strings.Contains(got, "<ok/>") {
				t.Fatalf("close-session reply: %s", got)
			}
			return s, nil
		}, result{1000, ""}},
		{"kill-session", websocket.Options{}, func(t *testing.T, url string, _ *server.Server) (*session, *ws.Conn) {
			// The victim can be killed as soon as it has its session-id, before the server
			// has read its hello.
			victim := open(t, url, "alice")
			killer := open(t, url, "bob")
			killer.send(rpc("1", fmt.Sprintf("<kill-session><session-id>%d</session-id></kill-session>", victim.id)))
			if got := killer.recv(); !strings.Contains(got, "<ok/>") {
				t.Fatalf("kill-session reply: %s", got)
			}
			return victim, nil
		}, result{websocket.StatusKilled, `^killed by session \d+$`}},
		{"shutdown", websocket.Options{}, func(t *testing.T, url string, srv *server.Server) (*session, *ws.Conn) {
			s := open(t, url, "alice")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			go srv.Shutdown(ctx)
			return s, nil
		}, result{1001, ""}},
		{"binary message", websocket.Options{}, func(t *testing.T, url string, _ *server.Server) (*session, *ws.Conn) {
			s := open(t, url, "alice")
			s.c.Write(ctxT(t), ws.MessageBinary, []byte(rpc("1", "<get/>")))
			return s, nil
		}, result{1003, ""}},
		{"invalid UTF-8", websocket.Options{}, func(t *testing.T, url string, _ *server.Server) (*session, *ws.Conn) {
			s := open(t, url, "alice")
			s.send(rpc("1", "<get-config><source><running/></source><filter>\xff\xfe</filter></get-config>"))
			return s, nil
		}, result{1007, ""}},
		{"over the read limit", websocket.Options{ReadLimit: 4096}, func(t *testing.T, url string, _ *server.Server) (*session, *ws.Conn) {
			s := open(t, url, "alice")
			s.send(rpc("1", "<get><filter>"+strings.Repeat("<a/>", 2000)+"</filter></get>"))
			return s, nil
		}, result{1009, "^message over the read limit of 4096 bytes$"}},
		{"second hello", websocket.Options{}, func(t *testing.T, url string, _ *server.Server) (*session, *ws.Conn) {
			s := open(t, url, "alice")
			s.send(clientHello)
			return s, nil
		}, result{1002, ""}},
		{"rpc before hello", websocket.Options{}, func(t *testing.T, url string, _ *server.Server) (*session, *ws.Conn) {
			c, _, err := dial(ctxT(t), url, "alice")
			if err != nil {
				t.Fatal(err)
			}
			c.Write(ctxT(t), ws.MessageText, []byte(rpc("1", "<get/>")))
			return nil, c
		}, result{1002, "hello"}},
		{"no pong", websocket.Options{PingInterval: 50 * time.Millisecond}, func(t *testing.T, url string, _ *server.Server) (*session, *ws.Conn) {
			h := basicHeader("alice")
			c, _, err := rawDial(t, url, &ws.DialOptions{Subprotocols: []string{"netconf"}, HTTPHeader: h,
				OnPingReceived: func(context.Context, []byte) bool { return false }})
			if err != nil {
				t.Fatal(err)
			}
			c.Write(ctxT(t), ws.MessageText, []byte(clientHello))
			return nil, c
		}, result{1008, "pong"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := netconftest.NewServer(t)
			_, url := serve(t, srv, tt.opts)
			s, c := tt.run(t, url, srv)
			if s != nil {
				c = s.c
			}
			code, reason := closeOf(t, c)
			if code != tt.want.code || !regexp.MustCompile(tt.want.reason).MatchString(reason) {
				t.Errorf("closed with %d %q, want %d matching %q", code, reason, tt.want.code, tt.want.reason)
			}
		})
	}
}

func TestHelloTimeout(t *testing.T) {
	srv := netconftest.NewServer(t)
	srv.HelloTimeout = 100 * time.Millisecond
	_, url := serve(t, srv, websocket.Options{})
	c, _, err := dial(ctxT(t), url, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if code, reason := closeOf(t, c); code != ws.StatusPolicyViolation || !strings.Contains(reason, "hello") {
		t.Errorf("closed with %d %q, want 1008 naming the hello", code, reason)
	}
}

// TestPing: the server pings a quiet session and it stays open while the client answers.
func TestPing(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{PingInterval: 20 * time.Millisecond})
	pings := make(chan struct{}, 100)
	c, _, err := rawDial(t, url, &ws.DialOptions{Subprotocols: []string{"netconf"}, HTTPHeader: basicHeader("alice"),
		OnPingReceived: func(context.Context, []byte) bool {
			select {
			case pings <- struct{}{}:
			default:
			}
			return true
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	reads := make(chan error, 1)
	var msgs []string
	go func() {
		for {
			_, m, err := c.Read(ctx)
			if err != nil {
				reads <- err
				return
			}
			msgs = append(msgs, string(m))
			if len(msgs) == 2 {
				reads <- nil
			}
		}
	}()
	c.Write(ctx, ws.MessageText, []byte(clientHello))
	for range 3 {
		select {
		case <-pings:
		case err := <-reads:
			t.Fatalf("connection ended: %v", err)
		case <-ctx.Done():
			t.Fatal("no ping")
		}
	}
	c.Write(ctx, ws.MessageText, []byte(rpc("7", "<get-config><source><running/></source></get-config>")))
	if err := <-reads; err != nil {
		t.Fatalf("after the pings: %v", err)
	}
	if !strings.Contains(msgs[1], `message-id="7"`) {
		t.Errorf("reply after the pings: %s", msgs[1])
	}
}

// TestMalformedInOneMessage: a broken message inside intact WebSocket framing gets an rpc-error
// and the session goes on.
func TestMalformedInOneMessage(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{})
	s := open(t, url, "alice")
	for _, tt := range []struct{ name, msg string }{
		{"end-of-message marker", rpc("1", "<get/>") + "]]>]]>"},
		{"chunk header", "\n#45\n" + rpc("2", "<get/>") + "\n##\n"},
		{"two documents", rpc("3", "<get/>") + rpc("4", "<get/>")},
		{"whitespace only", " \n\t"},
		{"not XML", "hello?"},
	} {
		s.send(tt.msg)
		got := s.recv()
		if !strings.Contains(got, "<error-tag>malformed-message</error-tag>") {
			t.Errorf("%s: reply %s, want malformed-message", tt.name, got)
		}
	}
	s.send(rpc("9", "<get-config><source><running/></source></get-config>"))
	if got := s.recv(); !strings.Contains(got, `message-id="9"`) || !strings.Contains(got, "<data") {
		t.Errorf("session did not go on: %s", got)
	}
}

// TestHelloAdvertisesBothBases: base 1.0 and 1.1, framing unchanged after the hello.
func TestHelloAdvertisesBothBases(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, url := serve(t, srv, websocket.Options{})
	s := open(t, url, "alice")
	for _, c := range []string{netconf.CapBase10, netconf.CapBase11} {
		found := false
		for _, h := range s.hello.Capabilities {
			found = found || h == c
		}
		if !found {
			t.Errorf("server hello lacks %s", c)
		}
	}
	s.send(rpc("1", "<get-config><source><running/></source></get-config>"))
	if got := s.recv(); !strings.HasPrefix(got, "<rpc-reply") {
		t.Errorf("reply after a base:1.1 hello is framed: %q", got)
	}
}
