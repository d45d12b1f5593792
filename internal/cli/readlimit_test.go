package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/transport/websocket"
)

// TestClientOverReadLimit: an edit over the server's read limit ends the session with 1009,
// and ncws client says so and what to change.
func TestClientOverReadLimit(t *testing.T) {
	srv := netconftest.NewServer(t)
	l := websocket.NewListener(websocket.Options{ReadLimit: 1 << 20, Authenticate: func(r *http.Request) (string, error) {
		u, _, _ := r.BasicAuth()
		return u, nil
	}})
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
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/netconf"
	big := clientFile(t, "big.xml", `<top xmlns="urn:ncws:test:nctest"><name>`+strings.Repeat("x", 4<<20)+`</name></top>`)
	code, _, stderr := clientRun(t, "", "client", url, "--user", "alice", "--password", "x", "edit-config", "--config", big)
	if code != ExitUsage || !strings.Contains(stderr, "1009 message over the read limit of 1048576 bytes") ||
		!strings.Contains(stderr, "--read-limit") {
		t.Errorf("exit %d, stderr %q; want 2 and the limit named", code, stderr)
	}
}

// TestServeReadLimitUnits: --read-limit takes a unit, and a bad size is a usage error.
func TestServeReadLimitUnits(t *testing.T) {
	var o, e strings.Builder
	code := Main(context.Background(), []string{"serve", "--read-limit", "64 furlongs"}, strings.NewReader(""), &o, &e)
	if code != ExitUsage || !strings.Contains(e.String(), `invalid size "64 furlongs"`) {
		t.Errorf("exit %d, stderr %q", code, e.String())
	}
	cmd := newServe(&o, &e)
	if err := cmd.Flags().Parse([]string{"--read-limit", "64MiB"}); err != nil {
		t.Fatal(err)
	}
	if got := cmd.Flags().Lookup("read-limit").Value.String(); got != "64MiB" {
		t.Errorf("--read-limit 64MiB reads back %q", got)
	}
}

// TestServeGOMAXPROCS: --gomaxprocs sets the Go processors while serve runs and gives the
// previous value back when it returns; a negative value is a usage error.
func TestServeGOMAXPROCS(t *testing.T) {
	var o, e strings.Builder
	if code := Main(context.Background(), []string{"serve", "--gomaxprocs", "-1"}, strings.NewReader(""), &o, &e); code != ExitUsage || !strings.Contains(e.String(), "--gomaxprocs: negative") {
		t.Errorf("--gomaxprocs -1: exit %d, stderr %q", code, e.String())
	}
	before := runtime.GOMAXPROCS(0)
	want := 1
	if before == 1 {
		want = 2
	}
	s := startServe(t, "--datastore", filepath.Join(t.TempDir(), "d"), "--gomaxprocs", strconv.Itoa(want))
	if got := runtime.GOMAXPROCS(0); got != want {
		t.Errorf("while serving with --gomaxprocs %d: GOMAXPROCS %d", want, got)
	}
	s.stop()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("after serve: GOMAXPROCS %d, want %d back", got, before)
	}
}

// TestServeAdaptiveGOMAXPROCS: without --gomaxprocs (and GOMAXPROCS unset), an idle server
// runs on one processor once its first window of a second has averaged under a core
// (internal/procs), and gives all of them back when it returns.
func TestServeAdaptiveGOMAXPROCS(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	if before == 1 || os.Getenv("GOMAXPROCS") != "" {
		t.Skip("one processor, or GOMAXPROCS set: the governor does not run")
	}
	s := startServe(t, "--datastore", filepath.Join(t.TempDir(), "d"))
	deadline := time.Now().Add(30 * time.Second)
	for runtime.GOMAXPROCS(0) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("an idle server still on %d processors after 30 s", runtime.GOMAXPROCS(0))
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.stop()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("after serve: GOMAXPROCS %d, want %d back", got, before)
	}
}
