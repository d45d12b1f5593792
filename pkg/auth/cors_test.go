package auth_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/auth"
)

const (
	trusted = "https://nms.example"
	foreign = "https://evil.example"
)

// corsAnswer is what a browser reads of a CORS answer.
type corsAnswer struct {
	Status           int
	AllowOrigin      string
	AllowCredentials string
	AllowMethods     string
	AllowHeaders     string
	MaxAge           string
	Vary             string
}

func corsOf(resp *http.Response, status int) corsAnswer {
	h := resp.Header
	return corsAnswer{
		Status:           status,
		AllowOrigin:      h.Get("Access-Control-Allow-Origin"),
		AllowCredentials: h.Get("Access-Control-Allow-Credentials"),
		AllowMethods:     h.Get("Access-Control-Allow-Methods"),
		AllowHeaders:     h.Get("Access-Control-Allow-Headers"),
		MaxAge:           h.Get("Access-Control-Max-Age"),
		Vary:             strings.Join(h.Values("Vary"), ", "),
	}
}

// TestCORSPreflight sends the preflights a browser sends before a cross-origin fetch of /login and
// /logout, over a real socket: answered for the trusted origin only.
func TestCORSPreflight(t *testing.T) {
	a := newAuth(t, nil, auth.Options{TrustedOrigins: []string{trusted}})
	ts := serve(t, a, false)
	preflight := corsAnswer{
		Status: 204, AllowOrigin: trusted, AllowCredentials: "true", AllowMethods: "POST",
		AllowHeaders: "Content-Type, Authorization", MaxAge: "600",
		Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
	}
	for _, path := range []string{"/login", "/logout"} {
		for _, tc := range []struct {
			name, origin string
			want         corsAnswer
		}{
			{"trusted", trusted, preflight},
			{"trusted, other case", "HTTPS://NMS.EXAMPLE", func() corsAnswer { p := preflight; p.AllowOrigin = "HTTPS://NMS.EXAMPLE"; return p }()},
			{"foreign", foreign, corsAnswer{Status: 403, Vary: "Origin"}},
			{"trusted with another port", trusted + ":8443", corsAnswer{Status: 403, Vary: "Origin"}},
			{"null", "null", corsAnswer{Status: 403, Vary: "Origin"}},
		} {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodOptions, ts.URL+path, nil)
				req.Header.Set("Origin", tc.origin)
				req.Header.Set("Access-Control-Request-Method", "POST")
				req.Header.Set("Access-Control-Request-Headers", "content-type")
				got, resp := do(t, ts.Client(), req)
				if diff := cmp.Diff(tc.want, corsOf(resp, got.Status)); diff != "" {
					t.Errorf("preflight mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
	t.Run("OPTIONS without a preflight", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/login", nil)
		got, _ := do(t, ts.Client(), req)
		if got.Status != http.StatusMethodNotAllowed || got.Allow != "POST" {
			t.Errorf("got %d Allow %q, want 405 Allow POST", got.Status, got.Allow)
		}
	})
}

// TestCORSLogin logs in from the trusted origin and from a foreign one, over plain HTTP and TLS:
// the trusted page reads the token, gets a cookie it can use cross-site under TLS only, and the
// token authenticates it; the foreign page gets 403 and nothing to read.
func TestCORSLogin(t *testing.T) {
	for _, tlsServer := range []bool{false, true} {
		name := map[bool]string{false: "http", true: "https"}[tlsServer]
		t.Run(name, func(t *testing.T) {
			a := newAuth(t, nil, auth.Options{TrustedOrigins: []string{trusted}})
			ts := serve(t, a, tlsServer)

			req := loginJSON(t, ts, "alice", "a-secret")
			req.Header.Set("Origin", trusted)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			got, resp := do(t, ts.Client(), req)
			tok := tokenOf(t, got)
			want := corsAnswer{Status: 200, AllowOrigin: trusted, AllowCredentials: "true", Vary: "Origin"}
			if diff := cmp.Diff(want, corsOf(resp, got.Status)); diff != "" {
				t.Errorf("login answer mismatch (-want +got):\n%s", diff)
			}
			cookies := resp.Cookies()
			if len(cookies) != 1 {
				t.Fatalf("%d cookies, want 1", len(cookies))
			}
			wantSite, wantSecure := http.SameSiteStrictMode, false
			if tlsServer {
				wantSite, wantSecure = http.SameSiteNoneMode, true
			}
			if c := cookies[0]; c.SameSite != wantSite || c.Secure != wantSecure || !c.HttpOnly {
				t.Errorf("cookie SameSite %v Secure %v HttpOnly %v; want SameSite %v Secure %v HttpOnly",
					c.SameSite, c.Secure, c.HttpOnly, wantSite, wantSecure)
			}
			if tlsServer && !strings.Contains(resp.Header.Get("Set-Cookie"), "SameSite=None; Secure") &&
				!strings.Contains(resp.Header.Get("Set-Cookie"), "Secure; SameSite=None") {
				t.Errorf("Set-Cookie %q lacks SameSite=None and Secure", resp.Header.Get("Set-Cookie"))
			}
			who, _ := do(t, ts.Client(), whoamiReq(t, ts, http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token." + tok}}))
			if who.Body != "alice" {
				t.Errorf("the token from the trusted origin authenticates %q, want alice", who.Body)
			}

			// A same-origin login keeps the Strict cookie and gets no CORS headers.
			got, resp = do(t, ts.Client(), loginJSON(t, ts, "alice", "a-secret"))
			tokenOf(t, got)
			if c := resp.Cookies(); len(c) != 1 || c[0].SameSite != http.SameSiteStrictMode {
				t.Errorf("same-origin login cookie %v, want SameSite=Strict", c)
			}
			if diff := cmp.Diff(corsAnswer{Status: 200, Vary: "Origin"}, corsOf(resp, got.Status)); diff != "" {
				t.Errorf("same-origin login mismatch (-want +got):\n%s", diff)
			}

			// A foreign origin: 403 without CORS headers (the page cannot even read the status).
			req = loginJSON(t, ts, "alice", "a-secret")
			req.Header.Set("Origin", foreign)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			got, resp = do(t, ts.Client(), req)
			if diff := cmp.Diff(corsAnswer{Status: 403, Vary: "Origin"}, corsOf(resp, got.Status)); diff != "" {
				t.Errorf("foreign login mismatch (-want +got):\n%s", diff)
			}
			if len(resp.Cookies()) != 0 {
				t.Errorf("cookie set for a foreign origin: %v", resp.Cookies())
			}

			// Logout from the trusted origin with the token as a Bearer: CORS answered, token revoked.
			req, _ = http.NewRequest(http.MethodPost, ts.URL+"/logout", nil)
			req.Header.Set("Origin", trusted)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("Authorization", "Bearer "+tok)
			got, resp = do(t, ts.Client(), req)
			want = corsAnswer{Status: 204, AllowOrigin: trusted, AllowCredentials: "true", Vary: "Origin"}
			if diff := cmp.Diff(want, corsOf(resp, got.Status)); diff != "" {
				t.Errorf("logout mismatch (-want +got):\n%s", diff)
			}
			if c := resp.Cookies(); len(c) != 1 || c[0].SameSite != wantSite {
				t.Errorf("logout cookie %v, want one with SameSite %v", c, wantSite)
			}
			who, _ = do(t, ts.Client(), whoamiReq(t, ts, http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token." + tok}}))
			if who.Status != http.StatusUnauthorized {
				t.Errorf("the token after logout: %d, want 401", who.Status)
			}
		})
	}
}

// TestCORSNoTrustedOrigins: without trusted origins no answer carries CORS headers.
func TestCORSNoTrustedOrigins(t *testing.T) {
	a := newAuth(t, nil, auth.Options{})
	ts := serve(t, a, false)
	req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/login", nil)
	req.Header.Set("Origin", trusted)
	req.Header.Set("Access-Control-Request-Method", "POST")
	got, resp := do(t, ts.Client(), req)
	if diff := cmp.Diff(corsAnswer{Status: 403, Vary: "Origin"}, corsOf(resp, got.Status)); diff != "" {
		t.Errorf("preflight mismatch (-want +got):\n%s", diff)
	}
}
