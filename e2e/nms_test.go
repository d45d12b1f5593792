package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/web"
)

// outDir is where a test keeps its screenshots: $NCWS_E2E_OUT/<test> when set, else a temporary
// directory of the test.
func outDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("NCWS_E2E_OUT")
	if d == "" {
		return t.TempDir()
	}
	d = filepath.Join(d, strings.ReplaceAll(t.Name(), "/", "_"))
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// newBrowser starts headless Chromium through the DevTools protocol (chromedp) and returns a
// tab; the browser ends with the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 1000))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelC()
		cancelA()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	// The page's console and the browser's own messages (CSP and CORS refusals) are logged when
	// the test fails.
	console := newLogBuffer()
	chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			for _, a := range e.Args {
				fmt.Fprintf(console, "console.%s: %s%s\n", e.Type, a.Value, a.Description)
			}
		case *runtime.EventExceptionThrown:
			fmt.Fprintf(console, "exception: %s\n", e.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			fmt.Fprintf(console, "browser %s: %s %s\n", e.Entry.Level, e.Entry.Text, e.Entry.URL)
		}
	})
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Logf("log domain: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("browser console:\n%s", console)
		}
	})
	return ctx
}

// page drives one tab and keeps numbered screenshots of its steps.
type page struct {
	t    *testing.T
	ctx  context.Context
	dir  string
	shot int
}

func (p *page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitLimit)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		p.t.Fatalf("%s: %v", what, err)
	}
}

// wait polls a JavaScript expression until it is true.
func (p *page) wait(what, expr string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitLimit)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		p.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		status, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById("status").textContent + " | " + document.getElementById("login-error").textContent`))
		p.t.Fatalf("waiting for %s (%s): %v; page status: %s", what, expr, err, status)
	}
}

func (p *page) eval(expr string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func (p *page) screenshot(name string) {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p.shot++
	f := filepath.Join(p.dir, fmt.Sprintf("%02d-%s.png", p.shot, name))
	if err := os.WriteFile(f, b, 0o644); err != nil {
		p.t.Error(err)
	}
}

// setField sets an input or select of the page as a user would (and fires its events).
func setField(sel, value string) chromedp.Action[chromedp.Void] {
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, sel, value)
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](js)(ctx, t)
		return err
	})
}

// login fills the page's login form and waits for the session to be up.
func (p *page) login(password string) {
	p.t.Helper()
	p.wait("the login form", `!!document.getElementById("login-user") && document.readyState === "complete"`)
	p.screenshot("login")
	p.do("logging in", chromedp.SendKeys("#login-user", testUser), chromedp.SendKeys("#login-password", password),
		chromedp.Click("#login-submit"))
	p.wait("the session", `document.body.dataset.ready === "true"`)
	p.screenshot("session")
}

// freeAddr returns a loopback address with a port free now, for a server that restarts on it.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServerIn is startServer on a given address and test directory, so that a second call
// restarts the server on the same datastore and port.
func startServerIn(t *testing.T, dir, addr string, flags ...string) *server {
	t.Helper()
	users := filepath.Join(dir, "users.htpasswd")
	if _, err := os.Stat(users); err != nil {
		passwd := exec.Command(ncwsBin, "passwd", "--cost", "4", users, testUser)
		passwd.Stdin = strings.NewReader(testPassword + "\n")
		if out, err := passwd.CombinedOutput(); err != nil {
			t.Fatalf("ncws passwd: %v\n%s", err, out)
		}
	}
	args := append([]string{"serve", "--listen", addr, "--datastore", filepath.Join(dir, "datastore"), "--users", users}, flags...)
	return launch(t, dir, "", args)
}

// pageOrigin serves the NMS page (pkg/web) on an origin of its own, as an NMS would, allowed to
// connect to the server set later.
type pageOrigin struct {
	*httptest.Server
	h atomic.Pointer[http.Handler]
}

func newPageOrigin(t *testing.T) *pageOrigin {
	po := &pageOrigin{}
	po.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := po.h.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		http.Error(w, "not ready", http.StatusServiceUnavailable)
	}))
	t.Cleanup(po.Close)
	return po
}

func (po *pageOrigin) serveFor(serverBase string) {
	var h http.Handler = web.Handler(web.Options{Schema: example.Schema(), ConnectOrigins: []string{serverBase}})
	po.h.Store(&h)
}

const hostnamePath = "/ncws-example:system/hostname"

// editHostname opens the hostname's editor from the schema tree by keyboard (find, Enter on the
// tree row), sets the value and sends the edit-config to target.
func (p *page) editHostname(value, target string) {
	p.t.Helper()
	p.do("schema view", chromedp.Click("#tab-schema"))
	for i := 0; i < 6; i++ {
		p.do("finding hostname", chromedp.Focus("#schema-search"), setField("#schema-search", "hostname"),
			chromedp.KeyEvent("\r"))
		if strings.Contains(p.eval(`document.getElementById("schema-info").textContent`), hostnamePath) {
			break
		}
	}
	p.do("opening the editor with Enter", chromedp.Focus("#schema-tree"), chromedp.KeyEvent("\r"))
	p.wait("the hostname editor", `!!document.querySelector('#edit-fields [data-leaf="hostname"]') && !document.getElementById("view-data").hidden`)
	p.do("filling the form", setField(`#edit-fields [data-leaf="hostname"]`, value), setField("#edit-op", "merge"),
		setField("#edit-target", target), chromedp.Click("#edit-preview"))
	if xml := p.eval(`document.getElementById("edit-xml").value`); !strings.Contains(xml, ">"+value+"</hostname>") ||
		!strings.Contains(xml, `nc:operation="merge"`) {
		p.t.Errorf("the edit-config shown before sending:\n%s\nlacks the hostname %q with nc:operation merge", xml, value)
	}
	p.do("sending the edit", chromedp.Click("#edit-send"))
}

// rowText is the text of the data tree's row at an instance path ("" when not drawn).
func rowJS(path string) string {
	return fmt.Sprintf(`document.querySelector('#data-tree .vtree-row[data-path=%q]')`, path)
}

// TestNMSPage drives the NMS page ncws serve has at / in headless Chromium, as a user: log in,
// read the data tree with state marked, edit the hostname from the schema's form and see it,
// make an invalid edit and see the rpc-error at its path, confirmed commit with its countdown then
// confirm, a netconf-config-change arriving in the notification pane, the server restarted and
// the page reconnected and subscribed again; then the same page from a second origin allowed by
// --allow-origin (CORS login, token subprotocol), and refused from a third. Screenshots of every
// step go to the test's output directory ($NCWS_E2E_OUT or a temporary one).
func TestNMSPage(t *testing.T) {
	t.Parallel()
	needChromium(t)
	allowed, refused := newPageOrigin(t), newPageOrigin(t)
	dir, addr := t.TempDir(), freeAddr(t)
	flags := []string{"--allow-origin", allowed.URL}
	s := startServerIn(t, dir, addr, flags...)
	allowed.serveFor(s.Base)
	refused.serveFor(s.Base)

	// The page ncws serve has at /. Not a subtest: the server it restarts must outlive it.
	{
		p := &page{t: t, ctx: newBrowser(t), dir: outDir(t)}
		t.Logf("screenshots in %s", p.dir)
		p.do("opening the page", chromedp.Navigate(s.Base+"/"))
		p.login(testPassword)
		load := p.eval(`JSON.stringify(window.ncwsMetrics)`)
		t.Logf("page metrics (example model): %s", load)

		// The data tree of operational: configuration and state, state marked.
		p.do("operational", chromedp.Click("#tab-data"), setField("#data-source", "operational"))
		p.wait("state rows", `document.querySelectorAll("#data-tree .vtree-row.row-state").length > 0`)
		p.screenshot("data-tree-operational")

		// A subscription first, so that the edits below are notified.
		p.do("subscribing", chromedp.Click("#tab-notif"), chromedp.Click("#sub-send"))
		p.wait("the subscription", `document.body.dataset.subscribed === "true"`)

		// An edit of running, seen in the tree.
		p.editHostname("nms-host", "running")
		p.wait("the edited hostname in running", rowJS(hostnamePath)+` !== null && `+rowJS(hostnamePath)+`.textContent.includes("nms-host")`)
		p.screenshot("edit-seen")

		// An invalid edit: the rpc-error with its tag and path, and the row marked.
		p.editHostname("bad host!", "running")
		p.wait("the rpc-error", `[...document.querySelectorAll("#edit-errors .rpc-error")].some(e =>
			e.querySelector(".tag").textContent === "invalid-value" && e.querySelector(".path").textContent === "`+hostnamePath+`")`)
		p.wait("the error at its row", rowJS(hostnamePath)+` !== null && `+rowJS(hostnamePath)+`.classList.contains("row-err") && `+
			rowJS(hostnamePath)+`.textContent.includes("invalid-value")`)
		p.screenshot("invalid-edit-error-at-path")

		// The notification of the first edit.
		p.do("notifications", chromedp.Click("#tab-notif"))
		p.wait("netconf-config-change", `document.querySelectorAll('#notif-list li[data-name="netconf-config-change"]').length > 0`)
		p.screenshot("notification")

		// Candidate, confirmed commit with its countdown, confirm.
		p.editHostname("cand-host", "candidate")
		p.wait("the candidate edit", `document.body.dataset.dataSource === "candidate" && `+rowJS(hostnamePath)+` !== null && `+
			rowJS(hostnamePath)+`.textContent.includes("cand-host")`)
		p.do("confirmed commit", chromedp.Click("#tab-commit"), setField("#c-timeout", "60"), chromedp.Click("#c-diff"))
		p.wait("the diff", `document.getElementById("c-diff-out").textContent.includes("cand-host")`)
		p.do("confirmed commit", chromedp.Click("#c-confirmed"))
		p.wait("the countdown", `!document.getElementById("c-confirm").hidden && /Confirm within \d+ s/.test(document.getElementById("c-countdown").textContent)`)
		p.screenshot("confirmed-commit-countdown")
		p.do("confirm", chromedp.Click("#c-confirm"))
		p.wait("confirmed", `document.getElementById("c-countdown").textContent === "Confirmed." && document.getElementById("c-confirm").hidden`)
		p.do("history", chromedp.Click("#hist-refresh"))
		p.wait("the commit history", `document.querySelectorAll("#hist-table tbody tr").length >= 2`)
		p.screenshot("confirmed")
		p.do("running", chromedp.Click("#tab-data"), setField("#data-source", "running"))
		p.wait("cand-host in running", `document.body.dataset.dataSource === "running" && `+rowJS(hostnamePath)+` !== null && `+
			rowJS(hostnamePath)+`.textContent.includes("cand-host")`)

		// Restart: the page reconnects (logging in again: tokens do not survive) and subscribes again.
		before := p.eval(`String(document.querySelectorAll('#notif-list li[data-name="netconf-config-change"]').length)`)
		firstID := p.eval(`document.getElementById("s-id").textContent`)
		s.stop(t)
		s = startServerIn(t, dir, addr, flags...)
		p.wait("the reconnect", `document.getElementById("s-reconnects").textContent === "1" && document.getElementById("sum-state").textContent === "open"`)
		p.wait("the new subscription", `document.getElementById("sub-status").textContent.includes("Subscribed again")`)
		t.Logf("session-id %s before the restart, %s after", firstID, p.eval(`document.getElementById("s-id").textContent`))
		p.do("an edit from the console", chromedp.Click("#tab-console"),
			setField("#console-in", `<edit-config><target><running/></target><config><system xmlns="urn:ncws:yang:ncws-example"><hostname>after-restart</hostname></system></config></edit-config>`),
			chromedp.Click("#console-send"))
		p.wait("the console's reply", `document.getElementById("console-out").textContent.includes("<ok/>")`)
		p.do("notifications", chromedp.Click("#tab-notif"))
		p.wait("a notification after the restart", `document.querySelectorAll('#notif-list li[data-name="netconf-config-change"]').length > `+before+
			` && document.querySelector('#notif-list li[data-name="netconf-config-change"]').textContent.includes("hostname")`)
		p.screenshot("reconnected-resubscribed")
	}
	if t.Failed() {
		return
	}

	t.Run("allowed-origin", func(t *testing.T) {
		p := &page{t: t, ctx: newBrowser(t), dir: outDir(t)}
		p.do("opening the page", chromedp.Navigate(allowed.URL+"/?"+url.Values{"server": {s.Base}}.Encode()))
		p.login(testPassword)
		p.do("operational", setField("#data-source", "operational"))
		p.wait("state rows", `document.querySelectorAll("#data-tree .vtree-row.row-state").length > 0`)
		p.screenshot("data-tree")
		p.editHostname("cross-origin", "running")
		p.wait("the edited hostname", rowJS(hostnamePath)+` !== null && `+rowJS(hostnamePath)+`.textContent.includes("cross-origin")`)
		p.editHostname("bad host!", "running")
		p.wait("the error at its row", rowJS(hostnamePath)+` !== null && `+rowJS(hostnamePath)+`.classList.contains("row-err")`)
		p.screenshot("edit-and-error")
	})

	t.Run("refused-origin", func(t *testing.T) {
		p := &page{t: t, ctx: newBrowser(t), dir: outDir(t)}
		p.do("opening the page", chromedp.Navigate(refused.URL+"/?"+url.Values{"server": {s.Base}}.Encode()))
		p.wait("the login form", `document.readyState === "complete"`)
		p.do("logging in", chromedp.SendKeys("#login-user", testUser), chromedp.SendKeys("#login-password", testPassword),
			chromedp.Click("#login-submit"))
		p.wait("the refusal", `document.getElementById("login-error").textContent.startsWith("Login failed")`)
		if p.eval(`String(document.getElementById("app").hidden)`) != "true" {
			t.Error("the session view is shown after a refused login")
		}
		p.screenshot("refused")
	})
}

// TestNMSOpenConfig measures, in Chromium, the page's load and the time to fetch, build and draw
// the schema tree of all of OpenConfig (~15,000 schema nodes), then to expand every node, with
// ncws serve serving the OpenConfig release models; the figures are logged. -short skips it.
func TestNMSOpenConfig(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: loads all of OpenConfig")
	}
	needChromium(t)
	shared := os.Getenv("NCWS_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "shared")
	}
	oc, _ := filepath.Abs(filepath.Join(shared, "yang", "openconfig"))
	files, err := yangload.ModuleFiles(filepath.Join(oc, "release", "models"))
	if err != nil || len(files) == 0 {
		t.Skipf("no OpenConfig models under %s: %v", oc, err)
	}
	files = append(files, filepath.Join(oc, "third_party", "ietf", "iana-if-type.yang"))
	s := startServer(t, append([]string{"-p", oc}, files...)...)
	p := &page{t: t, ctx: newBrowser(t), dir: outDir(t)}
	p.do("opening the page", chromedp.Navigate(s.Base+"/"))
	p.login(testPassword)
	p.do("schema view", chromedp.Click("#tab-schema"), chromedp.Click("#schema-expand"))
	p.wait("expand all", `window.ncwsMetrics.schemaExpandAllMs !== undefined`)
	p.screenshot("openconfig-schema-expanded")
	m := p.eval(`JSON.stringify(window.ncwsMetrics)`)
	nodes := p.eval(`String(window.ncwsMetrics.schemaNodes)`)
	if n := nodes; len(n) < 5 {
		t.Errorf("%s schema nodes, want all of OpenConfig (~15,000)", n)
	}
	t.Logf("OpenConfig in Chromium: %s (pageLoadMs: navigation to load event; schemaRenderMs: fetch of /schema.json, build and first frame of the tree; schemaExpandAllMs: every node expanded and drawn)", m)
}
