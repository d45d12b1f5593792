package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncws/ncws/internal/testpki"

	ws "github.com/coder/websocket"
)

// syncBuffer is a bytes.Buffer safe for the server's and the test's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// served is a running `ncws serve`.
type served struct {
	url    string // ws:// or wss:// URL of /netconf
	base   string // http:// or https:// URL of the server
	stdout *syncBuffer
	stderr *syncBuffer
	stop   func() int // cancels the command's context (as SIGTERM does) and returns its exit code
}

var servingRe = regexp.MustCompile(`serving NETCONF over WebSocket at (wss?)://(\S+)/netconf`)

// startServe runs `ncws serve --listen 127.0.0.1:0 args...` in the test's process.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	exit := make(chan int, 1)
	go func() {
		exit <- Main(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...), strings.NewReader(""), s.stdout, s.stderr)
	}()
	var once sync.Once
	code := -1
	s.stop = func() int {
		once.Do(func() {
			cancel()
			code = <-exit
		})
		return code
	}
	t.Cleanup(func() { s.stop() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := servingRe.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1] + "://" + m[2] + "/netconf"
			s.base = strings.Replace(m[1], "ws", "http", 1) + "://" + m[2]
			return s
		}
		select {
		case c := <-exit:
			t.Fatalf("serve exited %d\nstdout: %s\nstderr: %s", c, s.stdout, s.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start\nstderr: %s", s.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const helloMsg = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`

// ncSession is a raw NETCONF session over WebSocket for these tests.
type ncSession struct {
	t  *testing.T
	c  *ws.Conn
	id string // session-id
}

func ncDial(t *testing.T, url string, opts *ws.DialOptions) (*ncSession, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if opts.Subprotocols == nil {
		opts.Subprotocols = []string{"netconf"}
	}
	c, resp, err := ws.Dial(ctx, url, opts)
	if err != nil {
		return nil, resp, err
	}
	c.SetReadLimit(-1)
	t.Cleanup(func() { c.CloseNow() })
	s := &ncSession{t: t, c: c}
	hello := s.recv()
	m := regexp.MustCompile(`<session-id>(\d+)</session-id>`).FindStringSubmatch(hello)
	if m == nil {
		t.Fatalf("server hello: %s", hello)
	}
	s.id = m[1]
	s.send(helloMsg)
	return s, resp, nil
}

func (s *ncSession) send(msg string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.c.Write(ctx, ws.MessageText, []byte(msg)); err != nil {
		s.t.Fatalf("send: %v", err)
	}
}

func (s *ncSession) recv() string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, msg, err := s.c.Read(ctx)
	if err != nil {
		s.t.Fatalf("recv: %v", err)
	}
	return string(msg)
}

func (s *ncSession) call(op string) string {
	s.t.Helper()
	s.send(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` + op + `</rpc>`)
	return s.recv()
}

// username asks the server which user this session belongs to (ietf-netconf-monitoring).
func (s *ncSession) username() string {
	s.t.Helper()
	reply := s.call(`<get><filter><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions/></netconf-state></filter></get>`)
	m := regexp.MustCompile(`<session-id>` + s.id + `</session-id>.*?<username>([^<]*)</username>`).FindStringSubmatch(reply)
	if m == nil {
		s.t.Fatalf("session %s not in %s", s.id, reply)
	}
	return m[1]
}

func basicAuth(user, pass string) http.Header {
	r, _ := http.NewRequest("GET", "http://x/", nil)
	r.SetBasicAuth(user, pass)
	return http.Header{"Authorization": r.Header["Authorization"]}
}

const exHostname = `<edit-config><target><running/></target><config><system xmlns="urn:ncws:yang:ncws-example"><hostname>edge-1</hostname></system></config></edit-config>`

// TestServeExample: the default serve bootstraps an admin user, serves the example device,
// persists edits across a restart and closes sessions with 1001 when stopped.
func TestServeExample(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := startServe(t, "--datastore", dir)
	m := regexp.MustCompile(`user admin, password (\S+) `).FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no admin password printed: %s", s.stdout)
	}
	pw := m[1]
	if _, resp, err := ncDial(t, s.url, &ws.DialOptions{HTTPHeader: basicAuth("admin", "wrong")}); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("wrong password: %v %v, want 401", resp, err)
	} else if resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("Pragma") != "no-cache" || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("401 headers %v: want Cache-Control and Pragma no-cache, and WWW-Authenticate", resp.Header)
	}
	c, _, err := ncDial(t, s.url, &ws.DialOptions{HTTPHeader: basicAuth("admin", pw)})
	if err != nil {
		t.Fatal(err)
	}
	if u := c.username(); u != "admin" {
		t.Errorf("username %q, want admin", u)
	}
	if r := c.call(exHostname); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-config: %s", r)
	}
	if r := c.call(`<get><filter><system xmlns="urn:ncws:yang:ncws-example"/></filter></get>`); !strings.Contains(r, "<uptime>") {
		t.Errorf("system state not served: %s", r)
	}
	if r := c.call(`<reboot xmlns="urn:ncws:yang:ncws-example"><delay>60</delay></reboot>`); !regexp.MustCompile(`<reboot-at xmlns="urn:ncws:yang:ncws-example">\d{4}-\d\d-\d\dT[0-9:]+Z</reboot-at>`).MatchString(r) {
		t.Errorf("reboot rpc: %s", r)
	}
	if r := c.call(`<reboot xmlns="urn:ncws:yang:ncws-example"><delay>soon</delay></reboot>`); !strings.Contains(r, "<error-tag>invalid-value</error-tag>") {
		t.Errorf("reboot with a bad delay: %s", r)
	}
	// The interface reset action (the generated server interface): a subscribed session sees the
	// link go down and up; a reset of an unconfigured interface is data-missing.
	w, _, err := ncDial(t, s.url, &ws.DialOptions{HTTPHeader: basicAuth("admin", pw)})
	if err != nil {
		t.Fatal(err)
	}
	if r := w.call(`<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><filter type="subtree"><interfaces xmlns="urn:ncws:yang:ncws-example"/></filter></create-subscription>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("create-subscription: %s", r)
	}
	if r := c.call(`<edit-config><target><running/></target><config><interfaces xmlns="urn:ncws:yang:ncws-example" xmlns:ex="urn:ncws:yang:ncws-example"><interface><name>eth0</name><type>ex:ethernet</type></interface></interfaces></config></edit-config>`); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-config: %s", r)
	}
	reset := `<action xmlns="urn:ietf:params:xml:ns:yang:1"><interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>%s</name><reset><delay>1</delay></reset></interface></interfaces></action>`
	if r := c.call(fmt.Sprintf(reset, "eth0")); !regexp.MustCompile(`<reset-at xmlns="urn:ncws:yang:ncws-example">\d{4}-\d\d-\d\dT[0-9:]+Z</reset-at>`).MatchString(r) {
		t.Errorf("reset action: %s", r)
	}
	for _, want := range []string{"down", "up"} {
		n := w.recv()
		if !strings.Contains(n, `<interfaces xmlns="urn:ncws:yang:ncws-example"><interface><name>eth0</name><link-change><oper-status>`+want+`</oper-status></link-change></interface></interfaces>`) {
			t.Errorf("notification %s, want link-change %s of eth0", n, want)
		}
	}
	if r := c.call(fmt.Sprintf(reset, "eth9")); !strings.Contains(r, "<error-tag>data-missing</error-tag>") {
		t.Errorf("reset of an unconfigured interface: %s", r)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("serve exited %d: %s", code, s.stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, _, err = c.c.Read(ctx)
	if got := ws.CloseStatus(err); got != ws.StatusGoingAway {
		t.Errorf("session closed with %d (%v), want 1001", got, err)
	}

	// A restart keeps running and does not print a password again.
	s = startServe(t, "--datastore", dir)
	if strings.Contains(s.stdout.String(), "password") {
		t.Errorf("restart printed a password again: %s", s.stdout)
	}
	c, _, err = ncDial(t, s.url, &ws.DialOptions{HTTPHeader: basicAuth("admin", pw)})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.call(`<get-config><source><running/></source></get-config>`); !strings.Contains(r, "<hostname>edge-1</hostname>") {
		t.Errorf("running after restart: %s", r)
	}
}

// TestServeModules: with .yang arguments the given modules are served.
func TestServeModules(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "thing.yang")
	os.WriteFile(mod, []byte(`module thing { yang-version 1.1; namespace "urn:t"; prefix t; leaf size { type uint8; } }`), 0o644)
	users := filepath.Join(dir, "users")
	if code, _, e := runIn(t, "bob-password\n", "passwd", "--cost", "4", users, "bob"); code != 0 {
		t.Fatalf("passwd: %s", e)
	}
	s := startServe(t, "--datastore", filepath.Join(dir, "data"), "--users", users, mod)
	c, _, err := ncDial(t, s.url, &ws.DialOptions{HTTPHeader: basicAuth("bob", "bob-password")})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.call(`<edit-config><target><running/></target><config><size xmlns="urn:t">300</size></config></edit-config>`); !strings.Contains(r, "<error-tag>invalid-value</error-tag>") {
		t.Errorf("out-of-range edit: %s", r)
	}
	if r := c.call(`<edit-config><target><running/></target><config><system xmlns="urn:ncws:yang:ncws-example"/></config></edit-config>`); !strings.Contains(r, "<rpc-error>") {
		t.Errorf("the example model is served along with the given module: %s", r)
	}
}

func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var o, e bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

// TestServeBrowserLogin: POST /login gives a token and a cookie; both authenticate the upgrade,
// the token as a second subprotocol that the server does not echo.
func TestServeBrowserLogin(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	runIn(t, "pw-of-carol\n", "passwd", "--cost", "4", users, "carol")
	s := startServe(t, "--datastore", filepath.Join(dir, "data"), "--users", users)

	resp, err := http.Post(s.base+"/login", "application/json", strings.NewReader(`{"username":"carol","password":"pw-of-carol"}`))
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 200 || body.Token == "" {
		t.Fatalf("login: %d, token %q", resp.StatusCode, body.Token)
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		cookie = ck
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Secure {
		t.Fatalf("cookie %+v: want HttpOnly, SameSite=Strict, not Secure over http", cookie)
	}

	c, resp, err := ncDial(t, s.url, &ws.DialOptions{Subprotocols: []string{"netconf", "ncws.token." + body.Token}})
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	if got := resp.Header.Values("Sec-WebSocket-Protocol"); len(got) != 1 || got[0] != "netconf" {
		t.Errorf("Sec-WebSocket-Protocol %q, want only netconf", got)
	}
	if u := c.username(); u != "carol" {
		t.Errorf("token session user %q", u)
	}
	c, _, err = ncDial(t, s.url, &ws.DialOptions{HTTPHeader: http.Header{"Cookie": {cookie.Name + "=" + cookie.Value}}})
	if err != nil {
		t.Fatalf("cookie: %v", err)
	}
	if u := c.username(); u != "carol" {
		t.Errorf("cookie session user %q", u)
	}
	_, resp, err = ncDial(t, s.url, &ws.DialOptions{Subprotocols: []string{"netconf", "ncws.token.forged"}})
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Errorf("forged token: %v %v, want 401", resp, err)
	}

	// Failed logins from one address are rate-limited.
	var last *http.Response
	for range 10 {
		last, err = http.Post(s.base+"/login", "application/json", strings.NewReader(`{"username":"carol","password":"guess"}`))
		if err != nil {
			t.Fatal(err)
		}
		last.Body.Close()
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Errorf("after 10 failed logins: %d, Retry-After %q; want 429 with Retry-After", last.StatusCode, last.Header.Get("Retry-After"))
	}
}

// TestServeTLS: wss with TLS 1.2+, and a client certificate's CN as the NETCONF username.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	p := testpki.New(t)
	caFile, certFile, keyFile := p.WriteFiles(dir)
	clientCert, roots := p.Client("operator"), p.Pool
	users := filepath.Join(dir, "users")
	runIn(t, "pw\n", "passwd", "--cost", "4", users, "dave")
	mapped := p.Client("ignored-cn")
	fp := sha256.Sum256(mapped.Certificate[0])
	s := startServe(t, "--datastore", filepath.Join(dir, "data"), "--users", users,
		"--tls-cert", certFile, "--tls-key", keyFile, "--client-ca", caFile,
		"--cert-user", hex.EncodeToString(fp[:])+"=mapped-user")
	if !strings.HasPrefix(s.url, "wss://") {
		t.Fatalf("url %s, want wss", s.url)
	}
	client := func(conf *tls.Config) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: conf}}
	}
	c, _, err := ncDial(t, s.url, &ws.DialOptions{HTTPClient: client(&tls.Config{RootCAs: roots, Certificates: []tls.Certificate{clientCert}})})
	if err != nil {
		t.Fatalf("client certificate: %v", err)
	}
	if u := c.username(); u != "operator" {
		t.Errorf("username %q, want the certificate's CN operator", u)
	}
	c, _, err = ncDial(t, s.url, &ws.DialOptions{HTTPClient: client(&tls.Config{RootCAs: roots, Certificates: []tls.Certificate{mapped}})})
	if err != nil {
		t.Fatalf("mapped client certificate: %v", err)
	}
	if u := c.username(); u != "mapped-user" {
		t.Errorf("username %q, want mapped-user from --cert-user", u)
	}
	c, _, err = ncDial(t, s.url, &ws.DialOptions{HTTPClient: client(&tls.Config{RootCAs: roots}), HTTPHeader: basicAuth("dave", "pw")})
	if err != nil {
		t.Fatalf("Basic over TLS: %v", err)
	}
	if u := c.username(); u != "dave" {
		t.Errorf("username %q, want dave", u)
	}
	_, _, err = ncDial(t, s.url, &ws.DialOptions{HTTPClient: client(&tls.Config{RootCAs: roots, MaxVersion: tls.VersionTLS11})})
	if err == nil {
		t.Error("a TLS 1.1 client connected")
	}
	_, resp, err := ncDial(t, s.url, &ws.DialOptions{HTTPClient: client(&tls.Config{RootCAs: roots})})
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Errorf("no credentials over TLS: %v %v, want 401", resp, err)
	}
}
