package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	ws "github.com/coder/websocket"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/schema"
)

const chromium = "/usr/bin/chromium"

// needChromium skips without Debian's chromium, or fails under CI and as root, where
// `make deps` installs it.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath(chromium); err != nil {
		msg := fmt.Sprintf("chromium is missing (%v); `make deps` installs it", err)
		if os.Getenv("CI") == "true" || os.Geteuid() == 0 {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// browser starts headless Chromium for the test (ended at its cleanup) and returns a tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelC()
		cancelA()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// testAgent is a real agent (in-memory datastore) with a user, served on a loopback port
// together with the test files and the fake server.
func testAgent(t *testing.T) (a *agent.Agent, password string, mux *http.ServeMux) {
	t.Helper()
	users := filepath.Join(t.TempDir(), "users.htpasswd")
	password = "unit test password"
	if err := auth.SetPassword(users, "alice", password); err != nil {
		t.Fatal(err)
	}
	a, err := agent.New(&agent.Options{Schemas: []*schema.Schema{example.Schema()}, InMemory: true, UsersFile: users, PingInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		a.Shutdown(ctx)
	})
	mux = http.NewServeMux()
	mux.Handle("/", a.Handler())
	return a, password, mux
}

const ncNS = "urn:ietf:params:xml:ns:netconf:base:1.0"

var messageID = regexp.MustCompile(`message-id="([^"]*)"`)

// fakeServer speaks just enough NETCONF over WebSocket to script what a real server does rarely:
// replies out of order or without message-id, rpc-errors with every field, close codes.
type fakeServer struct {
	mu       sync.Mutex
	sessions int
	conns    map[string]int
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mode := strings.TrimPrefix(r.URL.Path, "/fake/")
	c, err := ws.Accept(w, r, &ws.AcceptOptions{Subprotocols: []string{"netconf"}})
	if err != nil {
		return
	}
	defer c.CloseNow()
	f.mu.Lock()
	f.sessions++
	sid := f.sessions
	f.conns[mode]++
	nth := f.conns[mode]
	f.mu.Unlock()
	ctx := r.Context()
	send := func(s string) { c.Write(ctx, ws.MessageText, []byte(s)) }
	read := func() (string, bool) {
		_, b, err := c.Read(ctx)
		return string(b), err == nil
	}
	if mode == "badhello" {
		send(`<rpc-reply xmlns="` + ncNS + `" message-id="1"><ok/></rpc-reply>`)
		read()
		return
	}
	send(fmt.Sprintf(`<hello xmlns="%s"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability>`+
		`<capability>urn:ietf:params:netconf:capability:notification:1.0</capability></capabilities>`+
		`<session-id>%d</session-id></hello>`, ncNS, sid))
	if _, ok := read(); !ok { // the client's hello
		return
	}
	reply := func(id, body string) {
		send(`<rpc-reply xmlns="` + ncNS + `" message-id="` + id + `">` + body + `</rpc-reply>`)
	}
	idOf := func(msg string) string {
		if m := messageID.FindStringSubmatch(msg); m != nil {
			return m[1]
		}
		return ""
	}
	switch mode {
	case "reverse":
		var msgs []string
		for len(msgs) < 5 {
			m, ok := read()
			if !ok {
				return
			}
			msgs = append(msgs, m)
		}
		echo := regexp.MustCompile(`<echo>[^<]*</echo>`)
		for i := len(msgs) - 1; i >= 0; i-- {
			reply(idOf(msgs[i]), echo.FindString(msgs[i]))
		}
	case "noid":
		read()
		send(`<rpc-reply xmlns="` + ncNS + `"><rpc-error><error-type>rpc</error-type><error-tag>malformed-message</error-tag>` +
			`<error-severity>error</error-severity></rpc-error></rpc-reply>`)
	case "unknownid":
		m, _ := read()
		reply("999", "<ok/>")
		reply(idOf(m), "<ok/>")
	case "error":
		m, _ := read()
		reply(idOf(m), `<rpc-error><error-type>application</error-type><error-tag>invalid-value</error-tag>`+
			`<error-severity>error</error-severity><error-app-tag>my-app-tag</error-app-tag>`+
			`<error-path xmlns:ex="urn:ex">/ex:a/b</error-path><error-message xml:lang="en">bad value</error-message>`+
			`<error-info><bad-element>b</bad-element></error-info></rpc-error>`+
			`<rpc-error xmlns:ex="urn:ex" xmlns:au="urn:aug"><error-type>application</error-type><error-tag>invalid-value</error-tag>`+
			`<error-severity>error</error-severity><error-path>/ex:a/ex:b[ex:k='x:y'][au:k2="']"]/au:c/au:d[.='1']/zz:e</error-path></rpc-error>`)
	case "kill":
		read()
		c.Close(4001, "killed by session 7")
		return
	case "goaway":
		if nth == 1 {
			m, _ := read()
			reply(idOf(m), "<ok/>")
			time.Sleep(50 * time.Millisecond)
			c.Close(ws.StatusGoingAway, "shutting down")
			return
		}
	}
	for {
		m, ok := read()
		if !ok {
			return
		}
		reply(idOf(m), "<ok/>")
	}
}

type jsResult struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error"`
}

// TestClientInBrowser runs the unit tests of the JavaScript client (testdata/client_test.js) in
// headless Chromium: message-id routing with replies out of order and without message-id,
// pipelining, rpc-errors, close codes (1000, 4001 with its reason, 1006 before the upgrade, the
// client's own), login and the token path, notifications, reconnect and resubscription; against a
// scripted fake server and a real agent on loopback. Each JavaScript test is a subtest.
func TestClientInBrowser(t *testing.T) {
	needChromium(t)
	_, password, mux := testAgent(t)
	mux.Handle("/fake/", &fakeServer{conns: map[string]int{}})
	mux.Handle("/test/", http.StripPrefix("/test/", http.FileServer(http.Dir("testdata"))))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)

	ctx := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	frag := url.Values{"user": {"alice"}, "password": {password}}.Encode()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/test/client_test.html#"+frag)); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Poll[json.RawMessage](`document.title === "done" && JSON.stringify(window.testResults)`,
		chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		t.Fatalf("the JavaScript tests did not finish: %v", err)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("results %s: %v", raw, err)
	}
	var results []jsResult
	if err := json.Unmarshal([]byte(s), &results); err != nil {
		t.Fatalf("results %s: %v", s, err)
	}
	if len(results) < 16 {
		t.Errorf("%d JavaScript tests ran, want 16", len(results))
	}
	for _, r := range results {
		t.Run(r.Name, func(t *testing.T) {
			if !r.OK {
				t.Error(r.Error)
			}
		})
	}
}
