package auth_test

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncws/ncws/internal/testpki"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/auth"
)

// clock is an injectable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newAuth returns an Authenticator whose users file holds alice (password "a-secret") and bob
// ("b-secret"), on the clock c.
func newAuth(t *testing.T, c *clock, opts auth.Options) *auth.Authenticator {
	t.Helper()
	if opts.UsersFile == "" {
		opts.UsersFile = writeFile(t, "alice:"+hashOf(t, "$2y$", "a-secret")+"\nbob:"+hashOf(t, "$2y$", "b-secret")+"\n")
	}
	if c != nil {
		opts.Now = c.Now
	}
	a, err := auth.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// whoami is the handler a transport would be: it authenticates and answers the user or the error.
func whoami(a *auth.Authenticator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, err := a.Authenticate(r)
		if err != nil {
			auth.WriteError(w, err)
			return
		}
		fmt.Fprint(w, user)
	})
}

// serve runs the login, logout and whoami handlers of a on a real loopback server.
func serve(t *testing.T, a *auth.Authenticator, tlsServer bool) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/login", a.LoginHandler())
	mux.Handle("/logout", a.LogoutHandler())
	mux.Handle("/whoami", whoami(a))
	var ts *httptest.Server
	if tlsServer {
		ts = httptest.NewTLSServer(mux)
	} else {
		ts = httptest.NewServer(mux)
	}
	t.Cleanup(ts.Close)
	return ts
}

// answer is what a client sees of a response.
type answer struct {
	Status       int
	Body         string
	Challenge    string // WWW-Authenticate
	RetryAfter   string
	CacheControl string
	Allow        string
}

func do(t *testing.T, c *http.Client, req *http.Request) (answer, *http.Response) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{
		Status:       resp.StatusCode,
		Body:         strings.TrimSpace(string(b)),
		Challenge:    resp.Header.Get("WWW-Authenticate"),
		RetryAfter:   resp.Header.Get("Retry-After"),
		CacheControl: resp.Header.Get("Cache-Control"),
		Allow:        resp.Header.Get("Allow"),
	}, resp
}

func loginJSON(t *testing.T, ts *httptest.Server, user, pass string) *http.Request {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"username": user, "password": pass})
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

func loginForm(t *testing.T, ts *httptest.Server, user, pass string) *http.Request {
	t.Helper()
	body := url.Values{"username": {user}, "password": {pass}}.Encode()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// tokenOf returns the token of a successful login answer.
func tokenOf(t *testing.T, a answer) string {
	t.Helper()
	var v struct{ Token string }
	if err := json.Unmarshal([]byte(a.Body), &v); err != nil || a.Status != http.StatusOK {
		t.Fatalf("login: %d %s (%v); want 200 with a token", a.Status, a.Body, err)
	}
	return v.Token
}

func whoamiReq(t *testing.T, ts *httptest.Server, header http.Header) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+"/whoami", nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return req
}

var tokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{43,}$`) // >= 32 bytes, base64url, no padding

func TestLogin(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  func(*testing.T, *httptest.Server, string, string) *http.Request
	}{{"json", loginJSON}, {"form", loginForm}} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuth(t, nil, auth.Options{})
			ts := serve(t, a, false)
			got, resp := do(t, ts.Client(), tc.req(t, ts, "alice", "a-secret"))
			tok := tokenOf(t, got)
			if !tokenRE.MatchString(tok) {
				t.Errorf("token %q is not >= 43 base64url characters without padding", tok)
			}
			if got.CacheControl != "no-store" || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Cache-Control %q, Content-Type %q; want no-store, application/json",
					got.CacheControl, resp.Header.Get("Content-Type"))
			}
			// The token authenticates a request as a subprotocol, the cookie as a cookie.
			byProto, _ := do(t, ts.Client(), whoamiReq(t, ts, http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token." + tok}}))
			cookieReq := whoamiReq(t, ts, nil)
			for _, c := range resp.Cookies() {
				cookieReq.AddCookie(c)
			}
			byCookie, _ := do(t, ts.Client(), cookieReq)
			if byProto.Body != "alice" || byCookie.Body != "alice" {
				t.Errorf("with the token: %+v; with the cookie: %+v; want alice for both", byProto, byCookie)
			}
			// A second login yields another token.
			if tok2 := tokenOf(t, first(do(t, ts.Client(), tc.req(t, ts, "alice", "a-secret")))); tok2 == tok {
				t.Error("two logins returned the same token")
			}
		})
	}
}

func first[A, B any](a A, _ B) A { return a }

func TestLoginCookie(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tls        bool
		lifetime   time.Duration
		wantMaxAge int
	}{
		{"plain HTTP, default lifetime", false, 0, 12 * 3600},
		{"TLS, one hour", true, time.Hour, 3600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuth(t, nil, auth.Options{TokenLifetime: tc.lifetime})
			ts := serve(t, a, tc.tls)
			got, resp := do(t, ts.Client(), loginJSON(t, ts, "alice", "a-secret"))
			tok := tokenOf(t, got)
			cookies := resp.Cookies()
			if len(cookies) != 1 {
				t.Fatalf("%d cookies set, want 1", len(cookies))
			}
			c := cookies[0]
			type attrs struct {
				Name, Value, Path string
				MaxAge            int
				HttpOnly, Secure  bool
				SameSite          http.SameSite
			}
			want := attrs{auth.CookieName, tok, "/", tc.wantMaxAge, true, tc.tls, http.SameSiteStrictMode}
			gotAttrs := attrs{c.Name, c.Value, c.Path, c.MaxAge, c.HttpOnly, c.Secure, c.SameSite}
			if diff := cmp.Diff(want, gotAttrs); diff != "" {
				t.Errorf("cookie mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoginRefusals(t *testing.T) {
	jsonErr := func(msg string) string { b, _ := json.Marshal(map[string]string{"error": msg}); return string(b) }
	for _, tc := range []struct {
		name   string
		method string
		ctype  string
		body   string
		header http.Header
		want   answer
	}{
		{"GET", http.MethodGet, "", "", nil,
			answer{Status: 405, Allow: "POST", Body: jsonErr("method not allowed; use POST")}},
		{"wrong password", "POST", "application/json", `{"username":"alice","password":"nope"}`, nil,
			answer{Status: 401, Body: jsonErr("bad credentials")}},
		{"unknown user, same answer", "POST", "application/json", `{"username":"mallory","password":"a-secret"}`, nil,
			answer{Status: 401, Body: jsonErr("bad credentials")}},
		{"wrong password in a form", "POST", "application/x-www-form-urlencoded", "username=alice&password=b-secret", nil,
			answer{Status: 401, Body: jsonErr("bad credentials")}},
		{"missing password", "POST", "application/json", `{"username":"alice"}`, nil,
			answer{Status: 400, Body: jsonErr("username and password are required")}},
		{"missing form field", "POST", "application/x-www-form-urlencoded", "username=alice", nil,
			answer{Status: 400, Body: jsonErr("username and password are required")}},
		{"not JSON", "POST", "application/json", `{"username":`, nil,
			answer{Status: 400, Body: jsonErr("body is not a JSON object with string fields username and password")}},
		{"number", "POST", "application/json", `{"username":"alice","password":5}`, nil,
			answer{Status: 400, Body: jsonErr("body is not a JSON object with string fields username and password")}},
		{"text/plain", "POST", "text/plain", "alice:a-secret", nil,
			answer{Status: 415, Body: jsonErr("Content-Type must be application/json or application/x-www-form-urlencoded")}},
		{"cross-site form", "POST", "application/x-www-form-urlencoded", "username=alice&password=a-secret",
			http.Header{"Sec-Fetch-Site": {"cross-site"}},
			answer{Status: 403, Body: jsonErr("cross-origin request refused")}},
		{"foreign origin", "POST", "application/json", `{"username":"alice","password":"a-secret"}`,
			http.Header{"Origin": {"https://evil.example"}},
			answer{Status: 403, Body: jsonErr("cross-origin request refused")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuth(t, nil, auth.Options{})
			ts := serve(t, a, false)
			req, err := http.NewRequest(tc.method, ts.URL+"/login", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			for k, v := range tc.header {
				req.Header[k] = v
			}
			got, resp := do(t, ts.Client(), req)
			tc.want.CacheControl = "no-store"
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer mismatch (-want +got):\n%s", diff)
			}
			if len(resp.Cookies()) != 0 {
				t.Errorf("cookie set on a refusal: %v", resp.Cookies())
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	a := newAuth(t, nil, auth.Options{})
	ts := serve(t, a, false)
	tok := tokenOf(t, first(do(t, ts.Client(), loginJSON(t, ts, "bob", "b-secret"))))
	basic := func(user, pass string) string {
		r, _ := http.NewRequest("GET", "/", nil)
		r.SetBasicAuth(user, pass)
		return r.Header.Get("Authorization")
	}
	challenge := `Basic realm="ncws", charset="UTF-8"`
	ok := func(user string) answer { return answer{Status: 200, Body: user} }
	unauthorized := func(msg string) answer {
		return answer{Status: 401, Body: msg, Challenge: challenge, CacheControl: "no-store"}
	}
	for _, tc := range []struct {
		name   string
		header http.Header
		want   answer
	}{
		{"nothing", nil, unauthorized("no credentials")},
		{"basic", http.Header{"Authorization": {basic("alice", "a-secret")}}, ok("alice")},
		{"basic, wrong password", http.Header{"Authorization": {basic("alice", "b-secret")}}, unauthorized("bad credentials")},
		{"basic, unknown user", http.Header{"Authorization": {basic("eve", "a-secret")}}, unauthorized("bad credentials")},
		{"bearer is not supported", http.Header{"Authorization": {"Bearer " + tok}}, unauthorized("unsupported Authorization scheme")},
		{"token after netconf", http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token." + tok}}, ok("bob")},
		{"token first, no spaces", http.Header{"Sec-Websocket-Protocol": {"ncws.token." + tok + ",netconf"}}, ok("bob")},
		{"token in a second header line", http.Header{"Sec-Websocket-Protocol": {"netconf", "x, ncws.token." + tok}}, ok("bob")},
		{"token offered twice", http.Header{"Sec-Websocket-Protocol": {"ncws.token." + tok, "ncws.token." + tok}}, ok("bob")},
		{"token wins over basic", http.Header{
			"Sec-Websocket-Protocol": {"netconf, ncws.token." + tok},
			"Authorization":          {basic("alice", "a-secret")},
		}, ok("bob")},
		{"unknown token", http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token.AAAA"}}, unauthorized("bad credentials")},
		{"empty token", http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token."}}, unauthorized("bad credentials")},
		{"two tokens", http.Header{"Sec-Websocket-Protocol": {"ncws.token." + tok, "ncws.token.other"}},
			answer{Status: 400, Body: "more than one token offered", CacheControl: "no-store"}},
		{"cookie", http.Header{"Cookie": {auth.CookieName + "=" + tok}}, ok("bob")},
		{"stale cookie is ignored", http.Header{"Cookie": {auth.CookieName + "=AAAA"}}, unauthorized("no credentials")},
		{"stale cookie, then basic", http.Header{
			"Cookie":        {auth.CookieName + "=AAAA"},
			"Authorization": {basic("alice", "a-secret")},
		}, ok("alice")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := do(t, ts.Client(), whoamiReq(t, ts, tc.header))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTokenExpiry(t *testing.T) {
	c := newClock()
	a := newAuth(t, c, auth.Options{TokenLifetime: time.Hour})
	ts := serve(t, a, false)
	tok := tokenOf(t, first(do(t, ts.Client(), loginJSON(t, ts, "alice", "a-secret"))))
	hdr := http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token." + tok}}

	c.Advance(time.Hour - time.Second)
	if got, _ := do(t, ts.Client(), whoamiReq(t, ts, hdr)); got.Status != 200 {
		t.Errorf("token refused a second before expiry: %+v", got)
	}
	c.Advance(time.Second)
	if got, _ := do(t, ts.Client(), whoamiReq(t, ts, hdr)); got.Status != 401 {
		t.Errorf("expired token: %+v, want 401", got)
	}
	cookie := http.Header{"Cookie": {auth.CookieName + "=" + tok}}
	if got, _ := do(t, ts.Client(), whoamiReq(t, ts, cookie)); got.Body != "no credentials" {
		t.Errorf("expired cookie: %+v, want 401 no credentials", got)
	}
}

func TestLogout(t *testing.T) {
	a := newAuth(t, nil, auth.Options{})
	ts := serve(t, a, false)
	tok1 := tokenOf(t, first(do(t, ts.Client(), loginJSON(t, ts, "alice", "a-secret"))))
	tok2 := tokenOf(t, first(do(t, ts.Client(), loginJSON(t, ts, "alice", "a-secret"))))

	logout := func(h http.Header) (answer, *http.Response) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/logout", nil)
		for k, v := range h {
			req.Header[k] = v
		}
		return do(t, ts.Client(), req)
	}
	got, resp := logout(http.Header{"Cookie": {auth.CookieName + "=" + tok1}})
	if got.Status != http.StatusNoContent || len(resp.Cookies()) != 1 || resp.Cookies()[0].MaxAge >= 0 {
		t.Errorf("logout: %+v, cookies %v; want 204 and the cookie cleared", got, resp.Cookies())
	}
	if got, _ := logout(http.Header{"Authorization": {"Bearer " + tok2}}); got.Status != http.StatusNoContent {
		t.Errorf("logout with bearer: %+v, want 204", got)
	}
	if got, _ := logout(nil); got.Status != http.StatusNoContent {
		t.Errorf("logout without a token: %+v, want 204", got)
	}
	for _, tok := range []string{tok1, tok2} {
		hdr := http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token." + tok}}
		if got, _ := do(t, ts.Client(), whoamiReq(t, ts, hdr)); got.Status != 401 {
			t.Errorf("revoked token: %+v, want 401", got)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/logout", nil)
	if got, _ := do(t, ts.Client(), req); got.Status != 405 || got.Allow != "POST" {
		t.Errorf("GET /logout: %+v, want 405 with Allow: POST", got)
	}
}

// clientCert returns a client certificate of p with the given subject CN, and its SHA-256
// fingerprint.
func clientCert(p *testpki.PKI, cn string) (tls.Certificate, [32]byte) {
	c := p.Client(cn)
	return c, sha256.Sum256(c.Certificate[0])
}

func TestClientCertificate(t *testing.T) {
	p := testpki.New(t)
	carol, _ := clientCert(p, "carol")
	noCN, _ := clientCert(p, "")
	mapped, fp := clientCert(p, "ignored-cn")
	badCN, _ := clientCert(p, "has space")
	// RFC 7589 tls-fingerprint form: hash algorithm 04 (SHA-256), colon-separated, upper case.
	var rfc7589 strings.Builder
	rfc7589.WriteString("04")
	for _, b := range fp {
		fmt.Fprintf(&rfc7589, ":%02X", b)
	}
	a := newAuth(t, nil, auth.Options{CertNames: map[string]string{rfc7589.String(): "dave"}})

	ts := httptest.NewUnstartedServer(whoami(a))
	ts.TLS = &tls.Config{ClientCAs: p.Pool, ClientAuth: tls.VerifyClientCertIfGiven}
	ts.StartTLS()
	t.Cleanup(ts.Close)

	client := func(certs ...tls.Certificate) *http.Client {
		tr := ts.Client().Transport.(*http.Transport).Clone()
		tr.TLSClientConfig.Certificates = certs
		return &http.Client{Transport: tr}
	}
	challenge := `Basic realm="ncws", charset="UTF-8"`
	for _, tc := range []struct {
		name   string
		certs  []tls.Certificate
		header http.Header
		want   answer
	}{
		{"CN", []tls.Certificate{carol}, nil, answer{Status: 200, Body: "carol"}},
		{"certificate wins over basic", []tls.Certificate{carol}, http.Header{"Authorization": {"Basic YWxpY2U6YS1zZWNyZXQ="}},
			answer{Status: 200, Body: "carol"}},
		{"fingerprint map first", []tls.Certificate{mapped}, nil, answer{Status: 200, Body: "dave"}},
		{"no CN, not mapped", []tls.Certificate{noCN}, nil,
			answer{Status: 401, Body: "client certificate maps to no user", Challenge: challenge, CacheControl: "no-store"}},
		{"CN not a username", []tls.Certificate{badCN}, nil,
			answer{Status: 401, Body: "client certificate maps to no user", Challenge: challenge, CacheControl: "no-store"}},
		{"no certificate: basic", nil, http.Header{"Authorization": {"Basic YWxpY2U6YS1zZWNyZXQ="}},
			answer{Status: 200, Body: "alice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := whoamiReq(t, ts, tc.header)
			got, _ := do(t, client(tc.certs...), req)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("untrusted certificate fails the handshake", func(t *testing.T) {
		other, _ := clientCert(testpki.New(t), "carol")
		resp, err := client(other).Get(ts.URL)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("request with a certificate of another CA answered %s", resp.Status)
		}
	})
}

func TestNewRefusesBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts auth.Options
		want string
	}{
		{"short fingerprint", auth.Options{CertNames: map[string]string{"abcd": "x"}}, "not a SHA-256 fingerprint"},
		{"bad name", auth.Options{CertNames: map[string]string{strings.Repeat("ab", 32): "a:b"}}, "contains ':'"},
		{"missing users file", auth.Options{UsersFile: "/nonexistent/users"}, "users file"},
		{"bad origin", auth.Options{TrustedOrigins: []string{"not a url"}}, "trusted origin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := auth.New(tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	c := newClock()
	a := newAuth(t, c, auth.Options{})
	ts := serve(t, a, false)
	basic := func(pass string) answer {
		req := whoamiReq(t, ts, nil)
		req.SetBasicAuth("alice", pass)
		got, _ := do(t, ts.Client(), req)
		return got
	}
	statuses := func(passwords ...string) []string {
		var s []string
		for _, p := range passwords {
			got := basic(p)
			s = append(s, fmt.Sprintf("%d %s", got.Status, got.RetryAfter))
		}
		return s
	}
	check := func(step string, want, got []string) {
		t.Helper()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: status and Retry-After mismatch (-want +got):\n%s", step, diff)
		}
	}

	// Five failures of alice in a minute block her from this address for 30 s, even with the
	// right password.
	check("first block", []string{"401 ", "401 ", "401 ", "401 ", "401 ", "429 30", "429 30"},
		statuses("x", "x", "x", "x", "x", "x", "a-secret"))
	c.Advance(20 * time.Second)
	check("later in the block", []string{"429 10"}, statuses("a-secret"))

	// The login handler shares the block; tokens name no user: alice's block is not theirs.
	got, _ := do(t, ts.Client(), loginJSON(t, ts, "alice", "a-secret"))
	if got.Status != 429 || got.RetryAfter != "10" || got.Body != `{"error":"too many failed attempts; retry later"}` {
		t.Errorf("login while blocked: %+v, want 429 with Retry-After 10", got)
	}
	tokenReq := func() answer {
		got, _ := do(t, ts.Client(), whoamiReq(t, ts, http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token.bad"}}))
		return got
	}
	if got := tokenReq(); got.Status != 401 {
		t.Errorf("bad token while alice is blocked: %+v, want 401", got)
	}

	// After the block, one more failure blocks again for twice as long.
	c.Advance(10 * time.Second)
	check("after the block", []string{"401 ", "429 60"}, statuses("x", "a-secret"))
	c.Advance(60 * time.Second)
	check("doubling", []string{"401 ", "429 120"}, statuses("x", "x"))
	c.Advance(120 * time.Second)
	check("doubling", []string{"401 ", "429 240"}, statuses("x", "x"))
	c.Advance(240 * time.Second)
	check("capped at 5 min", []string{"401 ", "429 300"}, statuses("x", "x"))
	c.Advance(300 * time.Second)
	check("still capped", []string{"401 ", "429 300"}, statuses("x", "x"))

	// A success resets alice at the address: five fresh failures are needed again. Bad tokens
	// count against the address only, not against her.
	c.Advance(300 * time.Second)
	check("success resets", []string{"200 ", "401 ", "401 ", "401 "}, statuses("a-secret", "x", "x", "x"))
	if got := tokenReq(); got.Status != 401 {
		t.Errorf("bad token: %+v, want 401", got)
	}
	check("fifth failure", []string{"401 ", "401 ", "429 30"}, statuses("x", "x", "x"))

	// Failures spread over more than a minute never block.
	c.Advance(30*time.Second + 5*time.Minute)
	check("forgiven", []string{"200 "}, statuses("a-secret"))
	for i := range 10 {
		if got := basic("x"); got.Status != 401 {
			t.Fatalf("failure %d, 15 s after the previous one: %+v, want 401", i+1, got)
		}
		c.Advance(15 * time.Second)
	}
}

// TestRateLimitPerAddress calls the handler directly to vary the client address (see
// TestRateLimitRules for usernames).
func TestRateLimitPerAddress(t *testing.T) {
	c := newClock()
	a := newAuth(t, c, auth.Options{MaxFailures: 1, MaxAddrs: 2})
	h := whoami(a)
	status := func(remote, pass string) int {
		req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
		req.RemoteAddr = remote
		req.SetBasicAuth("alice", pass)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	var got []int
	for _, step := range []struct{ remote, pass string }{
		{"192.0.2.1:1000", "x"},         // 401, blocks alice at 192.0.2.1
		{"192.0.2.1:2000", "a-secret"},  // 429: another port, same address
		{"192.0.2.2:1000", "a-secret"},  // 200: another address
		{"[2001:db8::1]:1000", "x"},     // 401, blocks alice at 2001:db8::/64
		{"[2001:db8::ffff]:1000", "x"},  // 429: same /64
		{"[2001:db8:0:1::1]:1000", "x"}, // 401: another /64; the tables (2) are full: 192.0.2.1 is forgotten
		{"192.0.2.1:1000", "a-secret"},  // 200
		{"[2001:db8:0:1::1]:1000", "x"}, // 429
	} {
		got = append(got, status(step.remote, step.pass))
		c.Advance(time.Second)
	}
	want := []int{401, 429, 200, 401, 429, 401, 200, 429}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
}

func TestRateLimitDisabled(t *testing.T) {
	a := newAuth(t, newClock(), auth.Options{MaxFailures: -1})
	for i := range 20 {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.SetBasicAuth("alice", "x")
		_, err := a.Authenticate(req)
		var e *auth.Error
		if !errors.As(err, &e) || e.Status != 401 {
			t.Fatalf("failure %d: %v, want a 401", i+1, err)
		}
	}
}

type statusErr int

func (s statusErr) Error() string   { return "status error" }
func (s statusErr) HTTPStatus() int { return int(s) }

func TestWriteError(t *testing.T) {
	challenge := `Basic realm="ncws", charset="UTF-8"`
	for _, tc := range []struct {
		name string
		err  error
		want answer
	}{
		{"no credentials", auth.ErrNoCredentials, answer{Status: 401, Body: "no credentials", Challenge: challenge, CacheControl: "no-store"}},
		{"wrapped 429", fmt.Errorf("upgrade: %w", &auth.Error{Status: 429, Msg: "slow down", RetryAfter: 1500 * time.Millisecond}),
			answer{Status: 429, Body: "slow down", RetryAfter: "2", CacheControl: "no-store"}},
		{"429 under a second", &auth.Error{Status: 429, Msg: "slow down", RetryAfter: time.Millisecond},
			answer{Status: 429, Body: "slow down", RetryAfter: "1", CacheControl: "no-store"}},
		{"foreign HTTPStatus", statusErr(503), answer{Status: 503, Body: "Service Unavailable", CacheControl: "no-store"}},
		{"plain error", errors.New("secret detail"), answer{Status: 401, Body: "Unauthorized", Challenge: challenge, CacheControl: "no-store"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			auth.WriteError(w, tc.err)
			got := answer{
				Status: w.Code, Body: strings.TrimSpace(w.Body.String()),
				Challenge: w.Header().Get("WWW-Authenticate"), RetryAfter: w.Header().Get("Retry-After"),
				CacheControl: w.Header().Get("Cache-Control"),
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer mismatch (-want +got):\n%s", diff)
			}
			var st interface{ HTTPStatus() int }
			if !errors.As(tc.err, &st) && tc.want.Status != 401 {
				t.Errorf("error has no HTTPStatus method")
			}
		})
	}
}

// TestConcurrentUse runs logins, token checks and failures at once; -race reports any data race.
func TestConcurrentUse(t *testing.T) {
	a := newAuth(t, nil, auth.Options{MaxTokens: 8})
	ts := serve(t, a, false)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 5 {
				resp, err := ts.Client().Post(ts.URL+"/login", "application/json",
					strings.NewReader(`{"username":"alice","password":"a-secret"}`))
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 429 {
					t.Errorf("login: %s, want 200 or 429", resp.Status)
				}
				if i%2 == 0 {
					req, _ := http.NewRequest(http.MethodGet, ts.URL+"/whoami", nil)
					req.Header.Set("Sec-WebSocket-Protocol", "netconf, ncws.token.x")
					if resp, err := ts.Client().Do(req); err == nil {
						resp.Body.Close()
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestFailureLog(t *testing.T) {
	var buf strings.Builder
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	a := newAuth(t, newClock(), auth.Options{Logger: logger, MaxFailures: 2, MaxFailuresPerAddr: 3})
	for _, try := range []struct{ user, pass string }{
		{"mallory", "x"}, {"mallory", "y"}, // mallory is blocked
		{"mallory", "a-secret"}, // refused unchecked: not logged
		{"eve", "x"},            // the third failure from the address blocks it
		{"alice", "a-secret"},   // refused unchecked
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = "192.0.2.7:4242"
		req.SetBasicAuth(try.user, try.pass)
		a.Authenticate(req)
	}
	want := `{"level":"WARN","msg":"auth: failed login","addr":"192.0.2.7","user":"mallory","method":"basic"}
{"level":"WARN","msg":"auth: failed login","addr":"192.0.2.7","user":"mallory","method":"basic"}
{"level":"WARN","msg":"auth: user blocked at the address after repeated failures","addr":"192.0.2.7","user":"mallory"}
{"level":"WARN","msg":"auth: failed login","addr":"192.0.2.7","user":"eve","method":"basic"}
{"level":"WARN","msg":"auth: address blocked after repeated failures","addr":"192.0.2.7"}
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}
}
