package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// serveNETCONF runs a conformance server (pkg/netconftest's schema) over WebSocket on loopback;
// it accepts any user with the password "secret" and returns the ws:// URL.
func serveNETCONF(t *testing.T) string {
	t.Helper()
	return serveNETCONFAuth(t, func(r *http.Request) (string, error) {
		if u, p, ok := r.BasicAuth(); ok && p == "secret" {
			return u, nil
		}
		return "", errors.New("bad credentials")
	})
}

// serveNETCONFAuth is serveNETCONF with the listener's Authenticate.
func serveNETCONFAuth(t *testing.T, authenticate func(*http.Request) (string, error)) string {
	t.Helper()
	srv := netconftest.NewServer(t)
	l := websocket.NewListener(websocket.Options{Authenticate: authenticate})
	mux := http.NewServeMux()
	mux.Handle("/netconf", l)
	ts := httptest.NewServer(mux)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
		ts.Close()
	})
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/netconf"
}

// clientRun runs ncws with stdin.
func clientRun(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

func clientFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const topConfig = `<top xmlns="urn:ncws:test:nctest"><name>edge</name><item><id>1</id><value>one</value></item></top>`

func TestClientOneShot(t *testing.T) {
	url := serveNETCONF(t)
	auth := []string{"--user", "alice", "--password", "secret"}
	cfg := clientFile(t, "cfg.xml", topConfig+"\n")

	code, out, errOut := clientRun(t, "", append([]string{"client", url}, append(auth, "edit-config", "--target", "candidate", "--config", cfg)...)...)
	if code != ExitOK {
		t.Fatalf("edit-config: exit %d, stderr %q", code, errOut)
	}
	wantOK := "<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" message-id=\"1\">\n  <ok/>\n</rpc-reply>\n"
	if diff := cmp.Diff(wantOK, out); diff != "" {
		t.Errorf("edit-config output mismatch (-want +got):\n%s", diff)
	}
	// Flags may also come before the URL; the config may come from stdin.
	code, _, errOut = clientRun(t, "", append(append([]string{"client"}, auth...), url, "commit")...)
	if code != ExitOK {
		t.Fatalf("commit: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut = clientRun(t, "", "client", url, "--user", "bob", "--password", "secret", "get-config", "--source", "running",
		"--filter", `<top xmlns="urn:ncws:test:nctest"><item/></top>`)
	if code != ExitOK {
		t.Fatalf("get-config: exit %d, stderr %q", code, errOut)
	}
	want := `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1">
  <data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
    <top xmlns="urn:ncws:test:nctest">
      <item>
        <id>1</id>
        <value>one</value>
      </item>
    </top>
  </data>
</rpc-reply>
`
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("get-config output mismatch (-want +got):\n%s", diff)
	}
	code, out, _ = clientRun(t, "", "client", url, "--user", "bob", "--password", "secret", "get-config",
		"--xpath", "/t:top/t:name", "--ns", "t=urn:ncws:test:nctest")
	if code != ExitOK || !strings.Contains(out, "<name>edge</name>") || strings.Contains(out, "<item>") {
		t.Errorf("get-config --xpath: exit %d, output %q; want the name only", code, out)
	}
	// The password may come from the environment... (not set here: t.Setenv forbids parallel
	// tests, and none runs in parallel in this file).
	t.Setenv("NCWS_PASSWORD", "secret")
	code, out, _ = clientRun(t, "", "client", url, "--user", "carol", "hello")
	if code != ExitOK || !strings.HasPrefix(out, "session-id ") || !strings.Contains(out, "\nurn:ietf:params:netconf:base:1.1\n") {
		t.Errorf("hello: exit %d, output %q; want the session-id and the capabilities", code, out)
	}
}

func TestClientRPCError(t *testing.T) {
	url := serveNETCONF(t)
	code, out, errOut := clientRun(t, `<top xmlns="urn:ncws:test:nctest"><mtu>5</mtu></top>`,
		"client", url, "--user", "alice", "--password", "secret", "edit-config", "--config", "-")
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 1; stderr %q", code, errOut)
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing", out)
	}
	if !strings.HasPrefix(errOut, "rpc-error: invalid-value (application): ") || !strings.Contains(errOut, "\n  path: /t:top/t:mtu\n") {
		t.Errorf("stderr %q; want the rpc-error with its tag, type, message and path", errOut)
	}
}

// TestClientEditConfigWrapped: edit-config --config takes the files ncws validate takes: a
// <config> or <data> wrapper, whose namespace declarations still apply to its content, or bare
// elements after an XML declaration.
func TestClientEditConfigWrapped(t *testing.T) {
	url := serveNETCONF(t)
	schema := "../../pkg/netconftest/testdata/nctest.yang"
	for _, tc := range []struct{ name, file, want string }{
		{"config", `<?xml version="1.0" encoding="UTF-8"?>
<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <top xmlns="urn:ncws:test:nctest"><name>wrapped</name></top>
</config>
`, "<name>wrapped</name>"},
		{"data with declarations", `<nc:data xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns="urn:ncws:test:nctest" xmlns:t="urn:ncws:test:nctest">
  <top><name>declared</name><color>t:red</color></top>
</nc:data>
`, "<name>declared</name>"},
		{"bare", `<?xml version="1.0"?>
<top xmlns="urn:ncws:test:nctest"><name>bare</name></top>
`, "<name>bare</name>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := clientFile(t, "cfg.xml", tc.file)
			if code, out, errOut := run(t, "validate", schema, file); code != ExitOK {
				t.Fatalf("ncws validate: exit %d, stdout %q, stderr %q; want the file valid", code, out, errOut)
			}
			code, out, errOut := clientRun(t, "", "client", url, "--user", "alice", "--password", "secret",
				"edit-config", "--target", "running", "--config", file)
			if code != ExitOK || !strings.Contains(out, "<ok/>") {
				t.Fatalf("edit-config: exit %d, stdout %q, stderr %q; want <ok/>", code, out, errOut)
			}
			code, out, errOut = clientRun(t, "", "client", url, "--user", "alice", "--password", "secret",
				"get-config", "--source", "running", "--filter", `<top xmlns="urn:ncws:test:nctest"/>`)
			if code != ExitOK || !strings.Contains(out, tc.want) {
				t.Errorf("get-config: exit %d, stderr %q, stdout without %s:\n%s", code, errOut, tc.want, out)
			}
			if tc.name == "data with declarations" && !strings.Contains(out, ">t:red</color>") {
				t.Errorf("get-config: the identityref written with the wrapper's prefix is missing:\n%s", out)
			}
		})
	}
	// A file that is not well-formed is refused before anything is sent.
	bad := clientFile(t, "bad.xml", "<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n<top>\n</config>\n")
	code, _, errOut := clientRun(t, "", "client", url, "--user", "alice", "--password", "secret", "edit-config", "--config", bad)
	if code != ExitUsage || !strings.Contains(errOut, "edit-config: "+bad+": line 3: ") {
		t.Errorf("malformed file: exit %d, stderr %q; want exit 2 naming the file and line 3", code, errOut)
	}
}

func TestClientConfigContent(t *testing.T) {
	const base = `xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"`
	for _, tc := range []struct{ name, in, want string }{
		{"bare after a declaration", "<?xml version=\"1.0\"?>\n<a xmlns=\"urn:x\"/>\n<!-- c -->\n<b xmlns=\"urn:y\"/>\n", "<a xmlns=\"urn:x\"/>\n<!-- c -->\n<b xmlns=\"urn:y\"/>"},
		{"config", `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><a xmlns="urn:x"><b>1</b></a></config>`, `<a xmlns="urn:x"><b>1</b></a>`},
		{"no namespace", `<data><a xmlns="urn:x"/></data>`, `<a xmlns="urn:x"/>`},
		{"declarations move down", `<nc:data ` + base + ` xmlns="urn:x" xmlns:t='urn:"t"'>
  <a><b>t:v</b></a>
  <t:c xmlns:t="urn:z" k="v"/>
</nc:data>`, `<a ` + base + ` xmlns="urn:x" xmlns:t='urn:"t"'><b>t:v</b></a>
  <t:c ` + base + ` xmlns="urn:x" xmlns:t="urn:z" k="v"/>`},
		{"empty wrapper", `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>`, ``},
		{"empty file", "  \n", ``},
		{"config of another namespace", `<config xmlns="urn:x"><a/></config>`, `<config xmlns="urn:x"><a/></config>`},
		{"undeclared prefix", `<p:config><a/></p:config>`, `<p:config><a/></p:config>`},
		{"a wrapper and more", `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/><a xmlns="urn:x"/>`, `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/><a xmlns="urn:x"/>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := configContent([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := configContent([]byte("<a><b></a>")); err == nil {
		t.Error("a document that is not well-formed was accepted")
	}
}

// configChangeFilter selects netconf-config-change (RFC 6470) in subscribe's --filter.
const configChangeFilter = `<netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"/>`

var eventTimeRE = regexp.MustCompile(`<eventTime>[^<]+</eventTime>`)

// TestClientSubscribeReplay: subscribe with --start-time and --stop-time prints the stored
// events of that time that the filter selects, replayComplete and notificationComplete, then
// ends by itself.
func TestClientSubscribeReplay(t *testing.T) {
	url := serveNETCONF(t)
	start := time.Now().Add(-time.Millisecond)
	code, _, errOut := clientRun(t, "", "client", url, "--user", "alice", "--password", "secret",
		"edit-config", "--config", clientFile(t, "c.xml", topConfig))
	if code != ExitOK {
		t.Fatalf("edit-config: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut := clientRun(t, "", "client", url, "--user", "bob", "--password", "secret", "subscribe",
		"--start-time", start.Format(time.RFC3339Nano), "--stop-time", time.Now().Format(time.RFC3339Nano),
		"--filter", configChangeFilter)
	if code != ExitOK || errOut != "" {
		t.Fatalf("subscribe: exit %d, stderr %q", code, errOut)
	}
	want := `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0">
  <eventTime>T</eventTime>
  <netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications">
    <changed-by>
      <username>alice</username>
      <session-id>1</session-id>
      <source-host>127.0.0.1</source-host>
    </changed-by>
    <datastore>running</datastore>
    <edit>
      <target xmlns:t="urn:ncws:test:nctest">/t:top</target>
      <operation>create</operation>
    </edit>
  </netconf-config-change>
</notification>
<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0">
  <eventTime>T</eventTime>
  <replayComplete xmlns="urn:ietf:params:xml:ns:netmod:notification"/>
</notification>
<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0">
  <eventTime>T</eventTime>
  <notificationComplete xmlns="urn:ietf:params:xml:ns:netmod:notification"/>
</notification>
`
	if diff := cmp.Diff(want, eventTimeRE.ReplaceAllString(out, "<eventTime>T</eventTime>")); diff != "" {
		t.Errorf("subscribe output mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(out, "<eventTime>"+time.Now().UTC().Format("2006-01-02T")) {
		t.Errorf("no eventTime of today in:\n%s", out)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"stop without start", []string{"--stop-time", "-1m"}, "--stop-time needs --start-time"},
		{"bad time", []string{"--start-time", "yesterday"}, `--start-time "yesterday": want an RFC 3339`},
		{"with-defaults", []string{"--with-defaults", "trim"}, "unknown flag: --with-defaults"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := clientRun(t, "", append([]string{"client", url, "--user", "bob", "--password", "secret", "subscribe"}, tc.args...)...)
			if code != ExitUsage || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, tc.want)
			}
		})
	}
	// The server's refusal is an rpc-error: exit 1.
	code, _, errOut = clientRun(t, "", "client", url, "--user", "bob", "--password", "secret", "subscribe", "--stream", "nosuch")
	if code != ExitInvalid || !strings.HasPrefix(errOut, "rpc-error: invalid-value") {
		t.Errorf("unknown stream: exit %d, stderr %q; want exit 1 and the rpc-error", code, errOut)
	}
}

// readNotification reads lines of sc up to the end of the next notification and returns them.
func readNotification(t *testing.T, sc *bufio.Scanner) string {
	t.Helper()
	var b strings.Builder
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
		if sc.Text() == "</notification>" {
			return b.String()
		}
	}
	t.Fatalf("output ended before a whole notification (%v):\n%s", sc.Err(), b.String())
	return ""
}

// TestClientSubscribeLive: a one-shot subscribe prints the event another session's edit makes
// as it happens, and Ctrl-C (SIGINT) ends it with close-session and exit 0.
func TestClientSubscribeLive(t *testing.T) {
	url := serveNETCONF(t)
	outR, outW := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		// --start-time makes replayComplete show that the subscription is in place.
		code := Main(context.Background(), []string{"client", url, "--user", "bob", "--password", "secret",
			"subscribe", "--start-time", "-1m", "--filter", configChangeFilter}, strings.NewReader(""), outW, &errOut)
		outW.Close()
		done <- code
	}()
	sc := bufio.NewScanner(outR)
	if n := readNotification(t, sc); !strings.Contains(n, "<replayComplete ") {
		t.Fatalf("first notification %q, want replayComplete (nothing to replay)", n)
	}
	code, _, stderr := clientRun(t, "", "client", url, "--user", "alice", "--password", "secret",
		"edit-config", "--config", clientFile(t, "c.xml", topConfig))
	if code != ExitOK {
		t.Fatalf("edit-config: exit %d, stderr %q", code, stderr)
	}
	n := readNotification(t, sc)
	if !strings.Contains(n, "\n  <netconf-config-change xmlns=\"urn:ietf:params:xml:ns:yang:ietf-netconf-notifications\">\n    <changed-by>\n      <username>alice</username>") ||
		!strings.Contains(n, "<target xmlns:t=\"urn:ncws:test:nctest\">/t:top</target>") {
		t.Errorf("the edit's notification is missing or not indented:\n%s", n)
	}
	go io.Copy(io.Discard, outR)
	// The subscriber catches SIGINT (signal.NotifyContext) from before it subscribed.
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != ExitOK || errOut.Len() != 0 {
			t.Errorf("after SIGINT: exit %d, stderr %q; want exit 0 and nothing", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("subscribe did not end after SIGINT")
	}
	// The session was closed with close-session: the server reports its end (once it has torn
	// the session down, which may follow the close) as "closed".
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		code, out, _ := clientRun(t, "", "client", url, "--user", "carol", "--password", "secret", "subscribe",
			"--start-time", "-1m", "--stop-time", "0s",
			"--xpath", "/n:netconf-session-end[n:username='bob']", "--ns", "n=urn:ietf:params:xml:ns:yang:ietf-netconf-notifications")
		if code == ExitOK && strings.Contains(out, "<termination-reason>closed</termination-reason>") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("bob's session end: exit %d, want termination-reason closed in:\n%s", code, out)
		}
	}
}

// TestClientSubscribeContext: the end of Main's context ends a subscribe as SIGINT does.
func TestClientSubscribeContext(t *testing.T) {
	url := serveNETCONF(t)
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := Main(ctx, []string{"client", url, "--user", "bob", "--password", "secret", "subscribe", "--start-time", "-1s"},
			strings.NewReader(""), outW, &errOut)
		outW.Close()
		done <- code
	}()
	sc := bufio.NewScanner(outR)
	for !strings.Contains(readNotification(t, sc), "<replayComplete ") {
	}
	go io.Copy(io.Discard, outR)
	cancel()
	if code := <-done; code != ExitOK || errOut.Len() != 0 {
		t.Errorf("exit %d, stderr %q; want exit 0 and nothing", code, errOut.String())
	}
}

// TestClientShellSubscribe: in the shell (line by line), notifications are printed as they come
// once subscribe has succeeded, between the replies of the commands that follow.
func TestClientShellSubscribe(t *testing.T) {
	url := serveNETCONF(t)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := Main(context.Background(), []string{"client", url, "--user", "bob", "--password", "secret"}, inR, outW, &errOut)
		outW.Close()
		done <- code
	}()
	sc := bufio.NewScanner(outR)
	readReply := func() string {
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if sc.Text() == "</rpc-reply>" {
				return b.String()
			}
		}
		t.Fatalf("output ended before a whole reply (%v):\n%s", sc.Err(), b.String())
		return ""
	}
	fmt.Fprintf(inW, "subscribe --filter '%s'\n", configChangeFilter)
	if r := readReply(); !strings.Contains(r, "<ok/>") {
		t.Fatalf("subscribe: %q, want <ok/>", r)
	}
	code, _, stderr := clientRun(t, "", "client", url, "--user", "alice", "--password", "secret",
		"edit-config", "--config", clientFile(t, "c.xml", topConfig))
	if code != ExitOK {
		t.Fatalf("edit-config: exit %d, stderr %q", code, stderr)
	}
	if n := readNotification(t, sc); !strings.Contains(n, "<netconf-config-change ") || !strings.Contains(n, "<username>alice</username>") {
		t.Errorf("want alice's netconf-config-change, got:\n%s", n)
	}
	// The session still answers (:interleave), and its own edit is reported too.
	fmt.Fprintln(inW, "edit-config --config "+clientFile(t, "d.xml", `<top xmlns="urn:ncws:test:nctest"><name>shell</name></top>`))
	var sawReply, sawNote bool
	for !sawReply || !sawNote {
		sc.Scan()
		switch sc.Text() {
		case "<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" message-id=\"2\">":
			if sc.Scan(); sc.Text() != "  <ok/>" {
				t.Fatalf("edit-config reply holds %q, want <ok/>", sc.Text())
			}
			sawReply = true
		case "      <username>bob</username>":
			sawNote = true
		case "":
			t.Fatalf("output ended (%v) before the reply and the notification", sc.Err())
		}
	}
	fmt.Fprintln(inW, "quit")
	inW.Close()
	go io.Copy(io.Discard, outR)
	if code := <-done; code != ExitOK || errOut.Len() != 0 {
		t.Errorf("exit %d, stderr %q; want exit 0 and nothing", code, errOut.String())
	}
}

func TestClientScript(t *testing.T) {
	url := serveNETCONF(t)
	script := `<rpc message-id="x" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <edit-config><target><running/></target><config>` + topConfig + `</config></edit-config>
</rpc>

<lock xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><target><running/></target></lock>
<lock xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><target><running/></target></lock>
<get-config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><source><running/></source><filter><top xmlns="urn:ncws:test:nctest"><name/></top></filter></get-config>
`
	code, out, errOut := clientRun(t, script, "client", url, "--user", "alice", "--password", "secret", "--script", "-")
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 1 (the second lock fails); stderr %q", code, errOut)
	}
	if got := strings.Count(out, "<ok/>"); got != 2 {
		t.Errorf("%d <ok/> replies, want 2 (edit-config, lock):\n%s", got, out)
	}
	if !strings.Contains(out, "message-id=\"4\">\n  <data xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n    <top xmlns=\"urn:ncws:test:nctest\">\n      <name>edge</name>") {
		t.Errorf("the get-config reply is missing:\n%s", out)
	}
	if !strings.HasPrefix(errOut, "rpc-error: lock-denied (protocol)") || !strings.Contains(errOut, "  session-id: ") {
		t.Errorf("stderr %q, want the lock-denied error with its session-id", errOut)
	}
}

func TestClientShellLines(t *testing.T) {
	url := serveNETCONF(t)
	in := "# a comment\n\nedit-config --config '" + clientFile(t, "c.xml", topConfig) + "'\nget-config --source running\nnosuch-op\nclose-session\nget\n"
	code, out, errOut := clientRun(t, in, "client", url, "--user", "alice", "--password", "secret")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "message-id=\"1\">\n  <ok/>") || !strings.Contains(out, "message-id=\"2\">\n  <data xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n    <top xmlns=\"urn:ncws:test:nctest\">\n      <name>edge</name>") {
		t.Errorf("stdout lacks the edit-config and get-config replies:\n%s", out)
	}
	if !strings.Contains(out, "message-id=\"3\">\n  <ok/>") || strings.Contains(out, "message-id=\"4\"") {
		t.Errorf("want the close-session reply and no command after it:\n%s", out)
	}
	if !strings.Contains(errOut, `unknown operation "nosuch-op"`) {
		t.Errorf("stderr %q, want the unknown operation reported", errOut)
	}
	code, out, errOut = clientRun(t, "quit\nget\n", "client", url, "--user", "alice", "--password", "secret")
	if code != ExitOK || out != "" {
		t.Errorf("quit: exit %d, stdout %q, stderr %q; want exit 0 and no reply", code, out, errOut)
	}
}

func TestClientConnectionErrors(t *testing.T) {
	url := serveNETCONF(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"not a websocket URL", []string{"client", "http://127.0.0.1:1/netconf", "get"}, "want ws://"},
		{"nothing listening", []string{"client", "ws://127.0.0.1:1/netconf", "get"}, "dial"},
		{"wrong password", []string{"client", url, "--user", "alice", "--password", "nope", "get"}, "401 Unauthorized"},
		{"missing URL", []string{"client"}, "missing URL"},
		{"unknown operation", []string{"client", url, "frob"}, `unknown operation "frob"`},
		{"bad argument", []string{"client", url, "kill-session", "x"}, "not a session-id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := clientRun(t, "", tc.args...)
			if code != ExitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tc.want)
			}
		})
	}
}

// TestClientTooManyLogins: after the server's rate limit of failed logins blocks the address,
// the client says so and when to retry.
func TestClientTooManyLogins(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users.htpasswd")
	if err := auth.SetPasswordCost(users, "alice", "secret", 4); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Options{UsersFile: users, MaxFailures: 1, Backoff: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	url := serveNETCONFAuth(t, a.Authenticate)
	args := []string{"client", url, "--user", "alice", "--password", "wrong", "get"}
	if code, _, errOut := clientRun(t, "", args...); code != ExitUsage || !strings.Contains(errOut, "401 Unauthorized") {
		t.Fatalf("first failed login: exit %d, stderr %q; want exit 2 and 401", code, errOut)
	}
	code, out, errOut := clientRun(t, "", args...)
	if want := "ncws client: too many failed logins; retry after 30 s\n"; code != ExitUsage || out != "" || errOut != want {
		t.Errorf("blocked: exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, want)
	}
}

// TestClientKilled runs a shell whose session another client kills: the next command reports
// the close code and the killer, and the exit code is 2.
func TestClientKilled(t *testing.T) {
	url := serveNETCONF(t)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := Main(context.Background(), []string{"client", url, "--user", "alice", "--password", "secret"}, inR, outW, &errOut)
		outW.Close()
		done <- code
	}()
	// A reply to get-config shows the server has taken the session's hello: it can be killed.
	fmt.Fprintln(inW, "hello\nget-config")
	sc := bufio.NewScanner(outR)
	var id int
	if !sc.Scan() {
		t.Fatalf("no output: %v", sc.Err())
	}
	if _, err := fmt.Sscanf(sc.Text(), "session-id %d", &id); err != nil {
		t.Fatalf("hello printed %q: %v", sc.Text(), err)
	}
	for sc.Scan() && sc.Text() != "</rpc-reply>" {
	}
	go io.Copy(io.Discard, outR)

	code, _, stderr := clientRun(t, "", "client", url, "--user", "bob", "--password", "secret", "kill-session", fmt.Sprint(id))
	if code != ExitOK {
		t.Fatalf("kill-session: exit %d, stderr %q", code, stderr)
	}
	fmt.Fprintln(inW, "get")
	inW.Close()
	if code := <-done; code != ExitUsage {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "session closed (4001 killed by session ") {
		t.Errorf("stderr %q, want the kill reported", errOut.String())
	}
}

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"get-config  --source running", []string{"get-config", "--source", "running"}},
		{`get --filter '<top xmlns="urn:x"/>'`, []string{"get", "--filter", `<top xmlns="urn:x"/>`}},
		{`rpc "my file.xml"`, []string{"rpc", "my file.xml"}},
		{`rpc my\ file.xml ''`, []string{"rpc", "my file.xml", ""}},
	} {
		t.Run(tc.line, func(t *testing.T) {
			got, err := splitWords(tc.line)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := splitWords(`get --filter '<a/>`); err == nil {
		t.Error("an unterminated quote was accepted")
	}
}

func TestComplete(t *testing.T) {
	for _, tc := range []struct {
		line    string
		want    string
		wantPos int
		ok      bool
	}{
		{"get-c", "get-config ", 11, true},
		{"get", "get", 0, false},          // get, get-config: nothing in common to add
		{"edit-config --t", "", 0, false}, // --target, --test-option
		{"edit-config --te", "edit-config --test-option ", 26, true},
		{"edit-config --ta", "edit-config --target ", 21, true},
		{"get-config --source c", "get-config --source candidate ", 30, true},
		{"commit --conf", "commit --confirmed ", 19, true},
		{"lock --target run", "lock --target running ", 22, true},
		{"q", "quit ", 5, true},
		{"sub", "subscribe ", 10, true},
		{"subscribe --sta", "subscribe --start-time ", 23, true},
		{"subscribe --stream N", "subscribe --stream NETCONF ", 27, true},
		{"nosuch", "", 0, false},
	} {
		t.Run(tc.line, func(t *testing.T) {
			line, pos, ok := complete(tc.line, len(tc.line), '\t')
			if ok != tc.ok || ok && (line != tc.want || pos != tc.wantPos) {
				t.Errorf("complete(%q) = %q, %d, %v; want %q, %d, %v", tc.line, line, pos, ok, tc.want, tc.wantPos, tc.ok)
			}
		})
	}
	if _, _, ok := complete("get", 3, 'x'); ok {
		t.Error("a key other than Tab completed")
	}
}

func TestIndentXML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<a><b>1</b><c/><d><e>x &amp; y</e></d></a>`, "<a>\n  <b>1</b>\n  <c/>\n  <d>\n    <e>x &amp; y</e>\n  </d>\n</a>\n"},
		{"<a>\n   <b/>\n</a>", "<a>\n  <b/>\n</a>\n"},
		{`<a>text<b/>more</a>`, "<a>\n  text\n  <b/>\n  more\n</a>\n"},
		{`<a><![CDATA[<x>]]></a>`, "<a><![CDATA[<x>]]></a>\n"},
		{`<a>`, `<a>`}, // not well-formed: unchanged
	} {
		if diff := cmp.Diff(tc.want, string(indentXML([]byte(tc.in)))); diff != "" {
			t.Errorf("indentXML(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}
