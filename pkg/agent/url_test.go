package agent_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/schema"
)

// TestURLOptions: URLDir and URLAllow reach the server, which then announces :url with the
// schemes they enable and ietf-netconf's url feature; without them neither is announced.
func TestURLOptions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		dir     string
		allow   []string
		wantCap string
	}{
		{name: "off"},
		{name: "file and https", dir: t.TempDir(), allow: []string{"https://configs.example.net/r1/"},
			wantCap: "urn:ietf:params:netconf:capability:url:1.0?scheme=file,https"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := agent.New(&agent.Options{Dir: t.TempDir(), Schemas: []*schema.Schema{example.Schema()},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), URLDir: tc.dir, URLAllow: tc.allow})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			var url, feature bool
			for _, c := range a.Server().Capabilities() {
				if strings.HasPrefix(c, "urn:ietf:params:netconf:capability:url:") {
					url = true
					if c != tc.wantCap {
						t.Errorf("capability %q, want %q", c, tc.wantCap)
					}
				}
				if strings.Contains(c, "?module=ietf-netconf&") && (strings.Contains(c, "=url") || strings.Contains(c, ",url")) {
					feature = true
				}
			}
			if on := tc.wantCap != ""; url != on || feature != on {
				t.Errorf(":url announced %v, url feature announced %v; want %v", url, feature, on)
			}
		})
	}
}
