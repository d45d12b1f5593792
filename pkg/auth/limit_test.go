package auth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/auth"
)

// try is one attempt of a rate-limit scenario: after the clock advanced by wait, a request from
// remote (defaultRemote when empty) with Basic user:pass, or with a bad subprotocol token when
// user is empty; want is the answer, the status and the Retry-After if any ("429 30").
type try struct {
	wait       time.Duration
	remote     string
	user, pass string
	want       string
}

const defaultRemote = "192.0.2.1:1000"

// spray is n failed passwords of the users u<from>...u<from+n-1>, each answered want.
func spray(from, n int, want string) []try {
	var tries []try
	for i := range n {
		tries = append(tries, try{user: fmt.Sprintf("u%d", from+i), pass: "x", want: want})
	}
	return tries
}

func tries(parts ...[]try) []try {
	var all []try
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

// TestRateLimitRules runs scenarios through Authenticate with a fake clock; the users file holds
// alice (the administrator, "a-secret") and bob ("b-secret").
func TestRateLimitRules(t *testing.T) {
	long1, long2 := strings.Repeat("n", auth.MaxUsernameLen)+"1", strings.Repeat("n", auth.MaxUsernameLen)+"2"
	for _, tc := range []struct {
		name  string
		opts  auth.Options
		tries []try
	}{
		{"bob's failures block bob only", auth.Options{MaxFailures: 3}, []try{
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "429 30"},
			{user: "alice", pass: "a-secret", want: "200"}, // the administrator, at once
			{user: "", want: "401"},                        // a token: the address is not blocked
			{remote: "192.0.2.2:1000", user: "bob", pass: "b-secret", want: "200"},
			{wait: 10 * time.Second, user: "bob", pass: "b-secret", want: "429 20"},
			{wait: 20 * time.Second, user: "bob", pass: "b-secret", want: "200"},
		}},
		{"a spray over usernames blocks the address", auth.Options{MaxFailures: 3, MaxFailuresPerAddr: 4}, tries(
			spray(1, 4, "401"),
			[]try{
				{user: "alice", pass: "a-secret", want: "429 30"},
				{user: "", want: "429 30"},
				{remote: "192.0.2.2:1000", user: "alice", pass: "a-secret", want: "200"},
				{wait: 30 * time.Second, user: "alice", pass: "a-secret", want: "200"},
			})},
		{"the per-address cap is 10 times MaxFailures by default", auth.Options{}, tries(
			spray(1, 49, "401"),
			[]try{{user: "alice", pass: "a-secret", want: "200"}},
			spray(50, 1, "401"),
			[]try{{user: "alice", pass: "a-secret", want: "429 30"}})},
		{"the user's block doubles up to MaxBackoff; a success resets it", auth.Options{MaxFailures: 1, MaxBackoff: 100 * time.Second}, []try{
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "429 30"},
			{wait: 30 * time.Second, user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "429 60"},
			{user: "alice", pass: "a-secret", want: "200"},
			{wait: 60 * time.Second, user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "429 100"},
			{wait: 100 * time.Second, user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "429 100"},
			{wait: 100 * time.Second, user: "bob", pass: "b-secret", want: "200"},
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "429 30"}, // afresh, not 100
		}},
		{"the address's block doubles", auth.Options{MaxFailuresPerAddr: 2, MaxBackoff: 100 * time.Second}, tries(
			spray(1, 2, "401"),
			[]try{
				{user: "alice", pass: "a-secret", want: "429 30"},
				{wait: 30 * time.Second, user: "u3", pass: "x", want: "401"},
				{user: "alice", pass: "a-secret", want: "429 60"},
				{wait: 60 * time.Second, user: "u4", pass: "x", want: "401"},
				{user: "", want: "429 100"},
				{wait: 100 * time.Second, user: "alice", pass: "a-secret", want: "200"},
			})},
		{"a success resets the user", auth.Options{MaxFailures: 3}, []try{
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "200"},
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "200"},
		}},
		{"a success does not reset the address", auth.Options{MaxFailuresPerAddr: 3}, tries(
			spray(1, 2, "401"),
			[]try{{user: "alice", pass: "a-secret", want: "200"}},
			spray(3, 1, "401"),
			[]try{{user: "alice", pass: "a-secret", want: "429 30"}})},
		{"tokens count against the address only", auth.Options{MaxFailures: 2, MaxFailuresPerAddr: 3}, []try{
			{user: "", want: "401"},
			{user: "", want: "401"},
			{user: "alice", pass: "a-secret", want: "200"},
			{user: "", want: "401"},
			{user: "", want: "429 30"},
			{user: "alice", pass: "a-secret", want: "429 30"},
		}},
		{"an IPv6 address counts by its /64", auth.Options{MaxFailures: 1}, []try{
			{remote: "[2001:db8::1]:1000", user: "bob", pass: "x", want: "401"},
			{remote: "[2001:db8::ffff]:2000", user: "bob", pass: "b-secret", want: "429 30"},
			{remote: "[2001:db8::ffff]:2000", user: "alice", pass: "a-secret", want: "200"},
			{remote: "[2001:db8:0:1::1]:1000", user: "bob", pass: "b-secret", want: "200"},
		}},
		{"long usernames are told apart", auth.Options{MaxFailures: 1}, []try{
			{user: long1, pass: "x", want: "401"},
			{user: long1, pass: "x", want: "429 30"},
			{user: long2, pass: "x", want: "401"},
		}},
		{"usernames at addresses are bounded: the oldest is forgotten", auth.Options{MaxFailures: 1, MaxAddrs: 2}, []try{
			{user: "bob", pass: "x", want: "401"},
			{wait: time.Second, user: "alice", pass: "x", want: "401"},
			{wait: time.Second, user: "mallory", pass: "x", want: "401"}, // bob is forgotten
			{user: "bob", pass: "b-secret", want: "200"},
			{user: "alice", pass: "a-secret", want: "429 29"},
		}},
		{"failures spread over more than the window never block", auth.Options{MaxFailures: 2, MaxFailuresPerAddr: 2}, []try{
			{user: "bob", pass: "x", want: "401"},
			{wait: time.Minute, user: "bob", pass: "x", want: "401"},
			{wait: time.Minute, user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "b-secret", want: "200"},
		}},
		{"per-address limit only", auth.Options{MaxFailures: -1, MaxFailuresPerAddr: 3}, []try{
			{user: "bob", pass: "x", want: "401"},
			{user: "bob", pass: "x", want: "401"},
			{user: "alice", pass: "a-secret", want: "200"},
			{user: "bob", pass: "x", want: "401"},
			{user: "alice", pass: "a-secret", want: "429 30"},
		}},
		{"per-user limit only", auth.Options{MaxFailures: 2, MaxFailuresPerAddr: -1}, tries(
			spray(1, 100, "401"),
			[]try{
				{user: "alice", pass: "a-secret", want: "200"},
				{user: "u1", pass: "x", want: "401"}, // u1's second failure
				{user: "u1", pass: "x", want: "429 30"},
			})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			h := whoami(newAuth(t, c, tc.opts))
			var want, got []string
			for _, tr := range tc.tries {
				c.Advance(tr.wait)
				req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
				req.RemoteAddr = tr.remote
				if req.RemoteAddr == "" {
					req.RemoteAddr = defaultRemote
				}
				who := "token"
				if tr.user != "" {
					req.SetBasicAuth(tr.user, tr.pass)
					who = tr.user[:min(len(tr.user), 8)] + ":" + tr.pass
				} else {
					req.Header.Set("Sec-WebSocket-Protocol", "netconf, ncws.token.bad")
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				step := fmt.Sprintf("+%v %s from %s: ", tr.wait, who, req.RemoteAddr)
				want = append(want, step+tr.want)
				got = append(got, step+strings.TrimSpace(fmt.Sprint(w.Code, " ", w.Header().Get("Retry-After"))))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRateLimitAdmin: on the real login handler, over a socket, bob's failures do not keep the
// administrator out, and a spray over usernames from the same address does.
func TestRateLimitAdmin(t *testing.T) {
	c := newClock()
	a := newAuth(t, c, auth.Options{MaxFailures: 3})
	ts := serve(t, a, false)
	login := func(user, pass string) answer {
		t.Helper()
		got, _ := do(t, ts.Client(), loginJSON(t, ts, user, pass))
		return got
	}
	const tooMany = `{"error":"too many failed attempts; retry later"}`
	for range 3 {
		if got := login("bob", "x"); got.Status != 401 {
			t.Fatalf("bob's wrong password: %+v, want 401", got)
		}
	}
	c.Advance(5 * time.Second)
	if got := login("bob", "b-secret"); got.Status != 429 || got.RetryAfter != "25" || got.Body != tooMany {
		t.Errorf("bob, blocked: %+v, want 429 with Retry-After 25", got)
	}
	got := login("alice", "a-secret")
	token := tokenOf(t, got)
	if got, _ := do(t, ts.Client(), whoamiReq(t, ts, http.Header{"Sec-Websocket-Protocol": {"netconf, ncws.token." + token}})); got.Status != 200 || got.Body != "alice" {
		t.Errorf("alice's token: %+v, want 200 alice", got)
	}

	// 27 more usernames make 30 failures from the address: 10 times MaxFailures.
	for i := range 27 {
		if got := login(fmt.Sprintf("u%d", i), "x"); got.Status != 401 {
			t.Fatalf("failure %d of the spray: %+v, want 401", i+1, got)
		}
	}
	c.Advance(10 * time.Second)
	if got := login("alice", "a-secret"); got.Status != 429 || got.RetryAfter != "20" || got.Body != tooMany {
		t.Errorf("alice's login, the address blocked: %+v, want 429 with Retry-After 20", got)
	}
	req := whoamiReq(t, ts, nil)
	req.SetBasicAuth("alice", "a-secret")
	if got, _ := do(t, ts.Client(), req); got.Status != 429 || got.RetryAfter != "20" {
		t.Errorf("alice's Basic, the address blocked: %+v, want 429 with Retry-After 20", got)
	}
	// A session cookie is never refused by the limit.
	if got, _ := do(t, ts.Client(), whoamiReq(t, ts, http.Header{"Cookie": {auth.CookieName + "=" + token}})); got.Status != 200 || got.Body != "alice" {
		t.Errorf("alice's cookie, the address blocked: %+v, want 200 alice", got)
	}
}

// TestRateLimitMemory: the limit holds at most MaxAddrs addresses and MaxAddrs usernames at
// addresses, however many fail, and forgets what no longer matters.
func TestRateLimitMemory(t *testing.T) {
	c := newClock()
	const maxAddrs = 8
	a, err := auth.New(auth.Options{MaxAddrs: maxAddrs, Now: c.Now}) // no users file: every password fails
	if err != nil {
		t.Fatal(err)
	}
	fail := func(remote, user string) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = remote
		if user == "" {
			req.Header.Set("Sec-WebSocket-Protocol", "netconf, ncws.token.bad")
		} else {
			req.SetBasicAuth(user, "x")
		}
		if _, err := a.Authenticate(req); err == nil {
			t.Fatal("a failure succeeded")
		}
		if addrs, users := a.LimitRecords(); addrs > maxAddrs || users > maxAddrs {
			t.Fatalf("%d addresses and %d usernames held, want at most %d of each", addrs, users, maxAddrs)
		}
	}
	for i := range 40 {
		for j := range 3 {
			fail(fmt.Sprintf("[2001:db8:%x::1]:1000", i), fmt.Sprintf("user%d", j))
		}
		fail(fmt.Sprintf("192.0.2.%d:1000", i), "")
		c.Advance(time.Second)
	}
	for i := range 100 { // one address, many usernames
		fail("198.51.100.1:1000", fmt.Sprintf("spray%d", i))
	}
	if addrs, users := a.LimitRecords(); addrs != maxAddrs || users != maxAddrs {
		t.Errorf("after the failures: %d addresses and %d usernames held, want %d of each", addrs, users, maxAddrs)
	}
	// Once every record is stale (its block over and forgiven), the next failure prunes them.
	c.Advance(auth.DefaultBackoff + auth.DefaultMaxBackoff)
	fail("203.0.113.1:1000", "bob")
	if addrs, users := a.LimitRecords(); addrs != 1 || users != 1 {
		t.Errorf("after the records went stale: %d addresses and %d usernames held, want 1 of each", addrs, users)
	}
}
