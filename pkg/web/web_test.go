package web_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/web"
)

// TestHandler checks the routes and the headers of every answer over a real socket.
func TestHandler(t *testing.T) {
	ts := httptest.NewServer(web.Handler(web.Options{Schema: example.Schema(), ConnectOrigins: []string{"https://dev.example:8443"}}))
	defer ts.Close()
	for _, tc := range []struct {
		method, path string
		status       int
		ctype        string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/index.html", 200, "text/html; charset=utf-8"},
		{"GET", "/nms/app.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/nms/style.css", 200, "text/css; charset=utf-8"},
		{"GET", "/netconf-ws/index.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/netconf-ws/package.json", 200, "application/json"},
		{"GET", "/schema.json", 200, "application/json"},
		{"HEAD", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/nope", 404, "text/plain; charset=utf-8"},
		{"GET", "/nms/../../web.go", 404, "text/plain; charset=utf-8"},
		{"POST", "/", 405, "text/plain; charset=utf-8"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, ts.URL+tc.path, nil)
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			csp := "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
				"connect-src 'self' https://dev.example:8443 wss://dev.example:8443; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
			type hd struct{ Status, CType, CSP, Nosniff string }
			want := hd{http.StatusText(tc.status), tc.ctype, csp, "nosniff"}
			got := hd{http.StatusText(resp.StatusCode), resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"), resp.Header.Get("X-Content-Type-Options")}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPageHasNoInlineScript: the CSP forbids inline script and style; the page must not need them.
func TestPageHasNoInlineScript(t *testing.T) {
	b, err := io.ReadAll(mustOpen(t, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("index.html contains %q", bad)
		}
	}
}

func mustOpen(t *testing.T, name string) io.Reader {
	f, err := web.Files().Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestSchemaJSON reads /schema.json gzipped and checks what the page relies on.
func TestSchemaJSON(t *testing.T) {
	ts := httptest.NewServer(web.Handler(web.Options{Schema: example.Schema()}))
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/schema.json", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		Name     string   `json:"n"`
		Module   int      `json:"m"`
		Kind     string   `json:"k"`
		State    bool     `json:"s"`
		Keys     []string `json:"keys"`
		Type     *int     `json:"t"`
		Children []*node  `json:"c"`
	}
	var doc struct {
		Version int `json:"version"`
		Modules []struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"modules"`
		Types []struct {
			Base     string `json:"b"`
			Patterns []struct {
				Re string `json:"re"`
			} `json:"pat"`
		} `json:"types"`
		Data  []*node `json:"data"`
		RPCs  []*node `json:"rpcs"`
		Count int     `json:"nodeCount"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != web.SchemaVersion || doc.Count < 100 {
		t.Errorf("version %d, %d nodes", doc.Version, doc.Count)
	}
	var system *node
	for _, n := range doc.Data {
		if n.Name == "system" && doc.Modules[n.Module].Name == "ncws-example" {
			system = n
		}
	}
	if system == nil {
		t.Fatal("no /ncws-example:system")
	}
	var hostname *node
	for _, c := range system.Children {
		if c.Name == "hostname" {
			hostname = c
		}
	}
	if hostname == nil || hostname.Kind != "leaf" || hostname.Type == nil || hostname.State {
		t.Fatalf("hostname: %+v", hostname)
	}
	ht := doc.Types[*hostname.Type]
	if ht.Base != "string" || len(ht.Patterns) == 0 || !strings.HasPrefix(ht.Patterns[0].Re, "^") {
		t.Errorf("hostname's type: %+v", ht)
	}
	rpcs := map[string]bool{}
	for _, r := range doc.RPCs {
		rpcs[r.Name] = true
	}
	for _, want := range []string{"get-config", "edit-config", "commit", "rollback", "create-subscription"} {
		if !rpcs[want] {
			t.Errorf("rpc %s missing", want)
		}
	}
}
