package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const chromium = "/usr/bin/chromium"

func needChromium(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath(chromium)
	need(t, "chromium", err)
}

// pageResult is what testdata/figure6.html POSTs to /report on its own origin.
type pageResult struct {
	Steps     []string `json:"steps"`
	Protocol  string   `json:"protocol"` // ws.protocol
	SessionID string   `json:"sessionId"`
	Hostnames []string `json:"hostnames"` // from the two get-configs
	ErrorTag  string   `json:"errorTag"`  // of the rpc-error the bad edit got
	CloseCode int      `json:"closeCode"`
	WasClean  bool     `json:"wasClean"`
	Error     string   `json:"error"`
}

// pageServer serves testdata/figure6.html at / and receives its reports; its URL is the
// page's origin.
type pageServer struct {
	*httptest.Server
	reports chan pageResult
}

func newPageServer(t *testing.T) *pageServer {
	t.Helper()
	page, err := os.ReadFile("testdata/figure6.html")
	if err != nil {
		t.Fatal(err)
	}
	ps := &pageServer{reports: make(chan pageResult, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("POST /report", func(w http.ResponseWriter, r *http.Request) {
		var res pageResult
		if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
			res.Error = "the test could not decode the report: " + err.Error()
		}
		select {
		case ps.reports <- res:
		default: // a second report is ignored
		}
		w.WriteHeader(http.StatusNoContent)
	})
	ps.Server = httptest.NewServer(mux)
	t.Cleanup(ps.Close)
	return ps
}

// openPage loads the page from ps in headless Chromium, connecting to wsURL with token, and
// returns what the page reports. Chromium's process group is killed at the end.
func openPage(t *testing.T, ps *pageServer, wsURL, token string) pageResult {
	t.Helper()
	frag := url.Values{"ws": {wsURL}, "token": {token}}.Encode()
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--user-data-dir="+t.TempDir(), ps.URL+"/#"+frag)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 10 * time.Second
	out := newLogBuffer()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited // bounded by WaitDelay
		if t.Failed() {
			t.Logf("chromium output:\n%s", out)
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	select {
	case res := <-ps.reports:
		return res
	case <-exited:
		t.Fatalf("chromium exited before the page reported: %v", cmd.ProcessState)
	case <-ctx.Done():
		t.Fatalf("the page did not report within %v", waitLimit)
	}
	return pageResult{}
}

// TestBrowser runs the draft's Figure 6 in headless Chromium: the browser WebSocket API with the
// subprotocol netconf and a login token, the hellos, get-config, edit-config and an rpc-error,
// all parsed with DOMParser. ncws serve allows the origin of one page server only; the same
// page from another origin is refused before the upgrade.
func TestBrowser(t *testing.T) {
	t.Parallel()
	needChromium(t)
	allowed, foreign := newPageServer(t), newPageServer(t)
	s := startServer(t, "--allow-origin", allowed.URL)

	t.Run("figure6", func(t *testing.T) {
		got := openPage(t, allowed, s.URL, s.login(t))
		if _, err := strconv.ParseUint(got.SessionID, 10, 32); err != nil || got.SessionID == "0" {
			t.Errorf("session-id in the server's hello = %q, want a positive number", got.SessionID)
		}
		got.Steps = outputLines(strings.Join(got.Steps, "\n"))
		want := pageResult{
			Steps: []string{
				"open protocol=netconf",
				"hello session-id=N",
				"get-config hostname=(none)",
				"edit-config ok",
				"get-config hostname=browser-host",
				"rpc-error error-tag=invalid-value",
				"close-session ok",
				"closed code=1000",
			},
			Protocol:  "netconf",
			SessionID: got.SessionID,
			Hostnames: []string{"(none)", "browser-host"},
			ErrorTag:  "invalid-value",
			CloseCode: 1000,
			WasClean:  true,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("the page reported: mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("foreign-origin", func(t *testing.T) {
		got := openPage(t, foreign, s.URL, s.login(t))
		// The browser API tells a page nothing about why: an error event, then close 1006.
		want := pageResult{
			Steps:     []string{"websocket error", "closed code=1006"},
			Hostnames: []string{},
			CloseCode: 1006,
			Error:     "websocket error",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("the page reported: mismatch (-want +got):\n%s", diff)
		}
		// The server says why, at level info.
		refused := regexp.MustCompile(`level=INFO msg="websocket: upgrade refused" .*status=403 why="origin not allowed"`)
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		if _, err := s.stderr.waitFor(ctx, refused, s.exited); err != nil {
			t.Errorf("ncws serve's log: %v", err)
		}
	})
}
