package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	ws "github.com/coder/websocket"
)

// TestServeLogJSONAndMetricsListen runs `ncws serve --log-format json --metrics-listen`: every
// line it logs is a JSON object with time, level and msg; the metrics listener serves /metrics
// (counting the failed login), /healthz and /readyz without credentials.
func TestServeLogJSONAndMetricsListen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := startServe(t, "--datastore", dir, "--log-format", "json", "--log-level", "debug", "--metrics-listen", "127.0.0.1:0")
	m := regexp.MustCompile(`serving /metrics, /healthz and /readyz at (http://\S+)`).FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no metrics address printed: %s", s.stdout)
	}
	metricsBase := m[1]
	if _, resp, err := ncDial(t, s.url, &ws.DialOptions{HTTPHeader: basicAuth("admin", "wrong")}); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %v %v, want 401", resp, err)
	}
	for path, want := range map[string]string{
		"/metrics": `ncws_auth_failures_total{method="basic"} 1`,
		"/healthz": "ok",
		"/readyz":  `"status":"ready"`,
	} {
		res, err := http.Get(metricsBase + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %s, want 200 with %q:\n%.400s", path, res.Status, want, b)
		}
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("serve exited %d: %s", code, s.stderr)
	}
	lines := strings.Split(strings.TrimSpace(s.stderr.String()), "\n")
	sawWarn := false
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Errorf("log line is not JSON (%v): %s", err, l)
			continue
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("log line without %q: %s", k, l)
			}
		}
		if rec["level"] == "WARN" && rec["msg"] == "auth: failed login" && rec["user"] == "admin" {
			sawWarn = true
		}
	}
	if !sawWarn {
		t.Errorf("no WARN record of the failed login among:\n%s", s.stderr)
	}
}

func TestServeLogFormatBad(t *testing.T) {
	code, _, stderr := runIn(t, "", "serve", "--log-format", "xml", "--datastore", filepath.Join(t.TempDir(), "d"))
	if code != ExitUsage || !strings.Contains(stderr, "--log-format") {
		t.Errorf("serve --log-format xml: exit %d, stderr %q; want a usage error naming the flag", code, stderr)
	}
}
