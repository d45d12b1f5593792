package agent_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/internal/testfs"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// serveMetrics serves a's metrics listener on a loopback port and returns its base URL.
func serveMetrics(t *testing.T, a *agent.Agent) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := a.ServeMetrics(l); err != nil && !errors.Is(err, agent.ErrServerClosed) {
			t.Errorf("ServeMetrics: %v", err)
		}
	}()
	return "http://" + l.Addr().String()
}

// scrape reads /metrics at base over a real socket and parses the text exposition format.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", res.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return mfs
}

// value returns the value of the series of family name with exactly the given labels (a
// histogram's sample count), and whether there is one.
func value(mfs map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	mf := mfs[name]
	if mf == nil {
		return 0, false
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
next:
	for _, m := range mf.Metric {
		if len(m.Label) != len(want) {
			continue
		}
		for _, l := range m.Label {
			if want[l.GetName()] != l.GetValue() {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		case m.Untyped != nil:
			return m.Untyped.GetValue(), true
		}
	}
	return 0, false
}

func get(t *testing.T, url string, user, pw string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.SetBasicAuth(user, pw)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestMetrics runs rpcs over a real session and checks that the scraped counters and
// histograms moved by what was done, under the right labels.
func TestMetrics(t *testing.T) {
	a, url, pw := startAgent(t, &agent.Options{SSHListen: "127.0.0.1:0"}, nil)
	base := serveMetrics(t, a)
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.ServeSSH(sl)
	httpBase := "http://" + strings.TrimPrefix(strings.TrimSuffix(url, "/netconf"), "ws://")
	before := scrape(t, base)

	s := dial(t, url, pw, nil)
	ctx := ctxT(t)
	for range 3 {
		if _, err := s.GetConfig(ctx, client.Running, client.Filter{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EditConfig(ctx, client.Running, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><contact>noc</contact></system>`), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	var rerrs rpcerror.List
	if err := s.EditConfig(ctx, client.Running, []byte(`<system xmlns="urn:ncws:yang:ncws-example"><nosuch>1</nosuch></system>`), client.EditOptions{}); !errors.As(err, &rerrs) {
		t.Fatalf("edit-config with an unknown element = %v, want an rpc-error", err)
	}
	if _, err := s.Call(ctx, []byte(`<no-such-op xmlns="urn:example:none"/>`)); !errors.As(err, &rerrs) {
		t.Fatalf("unknown operation = %v, want an rpc-error", err)
	}
	// A session over SSH, counted under its own transport.
	ss := dial(t, "ssh://"+sl.Addr().String(), pw, &client.Options{HostKeyCallback: func(_ string, _ net.Addr, key xssh.PublicKey) error {
		for _, k := range a.SSHHostKeys() {
			if bytes.Equal(k.PublicKey().Marshal(), key.Marshal()) {
				return nil
			}
		}
		return errors.New("not the agent's host key")
	}})
	if _, err := ss.GetConfig(ctx, client.Running, client.Filter{}); err != nil {
		t.Fatal(err)
	}
	// A failed password on the authenticated /metrics of the main listener.
	if code, _ := get(t, httpBase+"/metrics", "admin", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("GET /metrics with a wrong password: %d, want 401", code)
	}

	after := scrape(t, base)
	delta := func(name string, labels ...string) float64 {
		b, _ := value(before, name, labels...)
		v, ok := value(after, name, labels...)
		if !ok {
			t.Errorf("no series %s%v", name, labels)
		}
		return v - b
	}
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"ncws_rpcs_total", []string{"operation", "get-config", "outcome", "ok"}, 4},
		{"ncws_rpcs_total", []string{"operation", "edit-config", "outcome", "ok"}, 1},
		{"ncws_rpcs_total", []string{"operation", "edit-config", "outcome", "error"}, 1},
		{"ncws_rpcs_total", []string{"operation", "unknown", "outcome", "error"}, 1},
		{"ncws_rpcs_total", []string{"operation", "get-config", "outcome", "error"}, 0},
		{"ncws_rpc_duration_seconds", []string{"operation", "get-config"}, 4},
		{"ncws_rpc_duration_seconds", []string{"operation", "edit-config"}, 2},
		{"ncws_commit_duration_seconds", []string{"outcome", "ok"}, 1},
		{"ncws_sessions_total", []string{"transport", "netconf-ws"}, 1},
		{"ncws_sessions", []string{"transport", "netconf-ws"}, 1},
		{"ncws_sessions", []string{"transport", "netconf-ssh"}, 1},
		{"ncws_sessions_total", []string{"transport", "netconf-ssh"}, 1},
		{"ncws_sessions", []string{"transport", "netconf-tls"}, 0},
		{"ncws_auth_failures_total", []string{"method", "basic"}, 1},
		{"ncws_notification_queue_overflows_total", nil, 0},
		{"ncws_subscription_suspensions_total", nil, 0},
	} {
		if got := delta(c.name, c.labels...); got != c.want {
			t.Errorf("%s%v moved by %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"ncws_datastore_up", []string{"part", "journal"}, 1},
		{"ncws_datastore_up", []string{"part", "snapshot"}, 1},
		{"ncws_datastore_failures", []string{"part", "journal"}, 0},
	} {
		if got, ok := value(after, c.name, c.labels...); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if after[name] == nil {
			t.Errorf("no %s: the Go and process collectors are missing", name)
		}
	}

	// The main listener serves the same metrics behind the NETCONF endpoint's authentication.
	if code, _ := get(t, httpBase+"/metrics", "", ""); code != http.StatusUnauthorized {
		t.Errorf("GET /metrics without credentials: %d, want 401", code)
	}
	if code, body := get(t, httpBase+"/metrics", "admin", pw); code != http.StatusOK || !strings.Contains(body, `ncws_rpcs_total{operation="get-config",outcome="ok"}`) {
		t.Errorf("GET /metrics as admin: %d, want 200 with the rpc counters:\n%.300s", code, body)
	}
	s.Close()
	ss.Close()
}

// TestHealthAndReadiness: /healthz and /readyz answer without authentication on both listeners;
// /readyz turns 503 with a reason while the datastore's disk is full and 200 again once a
// commit is stored.
func TestHealthAndReadiness(t *testing.T) {
	mnt := testfs.Mount(t, "4m")
	a, url, pw := startAgent(t, &agent.Options{Dir: filepath.Join(mnt, "data")}, nil)
	bases := []string{serveMetrics(t, a), "http://" + strings.TrimPrefix(strings.TrimSuffix(url, "/netconf"), "ws://")}
	readyz := func(base string) (int, map[string]any) {
		t.Helper()
		code, body := get(t, base+"/readyz", "", "")
		var v map[string]any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("/readyz body %q: %v", body, err)
		}
		return code, v
	}
	for _, b := range bases {
		if code, body := get(t, b+"/healthz", "", ""); code != http.StatusOK || strings.TrimSpace(body) != "ok" {
			t.Errorf("%s/healthz: %d %q, want 200 ok", b, code, body)
		}
		if code, v := readyz(b); code != http.StatusOK || v["status"] != "ready" {
			t.Errorf("%s/readyz: %d %v, want 200 ready", b, code, v)
		}
	}

	s := dial(t, url, pw, nil)
	ctx := ctxT(t)
	big := func(c byte) []byte {
		return []byte(`<system xmlns="urn:ncws:yang:ncws-example"><contact>` + strings.Repeat(string(c), 64<<10) + `</contact></system>`)
	}
	filler := testfs.Fill(t, mnt, "filler")
	var rerrs rpcerror.List
	err := s.EditConfig(ctx, client.Running, big('a'), client.EditOptions{})
	if !errors.As(err, &rerrs) || len(rerrs) != 1 || rerrs[0].Tag != rpcerror.TagResourceDenied {
		t.Fatalf("edit-config on a full disk = %v, want one resource-denied rpc-error", err)
	}
	for _, b := range bases {
		code, v := readyz(b)
		reasons, _ := v["reasons"].([]any)
		if code != http.StatusServiceUnavailable || v["status"] != "unavailable" || len(reasons) != 1 || !strings.Contains(reasons[0].(string), "no space left on device") {
			t.Errorf("%s/readyz on a full disk: %d %v, want 503 naming the disk-full error", b, code, v)
		}
		if code, _ := get(t, b+"/healthz", "", ""); code != http.StatusOK {
			t.Errorf("%s/healthz on a full disk: %d, want 200 (the process is alive)", b, code)
		}
	}
	mfs := scrape(t, bases[0])
	if v, _ := value(mfs, "ncws_datastore_up", "part", "journal"); v != 0 {
		t.Errorf("ncws_datastore_up{part=journal} = %v on a full disk, want 0", v)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := s.EditConfig(ctx, client.Running, big('b'), client.EditOptions{}); err != nil {
		t.Fatalf("edit-config once the disk has room: %v", err)
	}
	for _, b := range bases {
		if code, v := readyz(b); code != http.StatusOK {
			t.Errorf("%s/readyz after recovery: %d %v, want 200", b, code, v)
		}
	}
	got, err := s.GetConfig(ctx, client.Running, client.Filter{Subtree: []byte(`<system xmlns="urn:ncws:yang:ncws-example"><contact/></system>`)})
	if err != nil || !strings.Contains(string(got), strings.Repeat("b", 64<<10)) {
		t.Errorf("running after recovery does not hold the stored edit (err %v)", err)
	}
	s.Close()
}

// TestReadyzNotServing: /readyz is 503 before the agent serves.
func TestReadyzNotServing(t *testing.T) {
	a, err := agent.New(&agent.Options{Dir: filepath.Join(t.TempDir(), "data"), AdminCreated: func(string, string) {}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	base := serveMetrics(t, a)
	code, body := get(t, base+"/readyz", "", "")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "not serving yet") {
		t.Errorf("/readyz before Serve: %d %s, want 503 not serving yet", code, body)
	}
}
