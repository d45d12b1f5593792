package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/encoding/yangxml"
)

// TestValidateLargeFile validates files above mapMin (mapped and released as they are decoded on
// Linux): a valid one, and one whose last entry is bad, reported with its path and line.
func TestValidateLargeFile(t *testing.T) {
	y := filepath.Join("../../../shared/yang/ietf")
	if _, err := os.Stat(y); err != nil {
		t.Skipf("shared YANG models not available: %v", err)
	}
	mods := []string{filepath.Join(y, "ietf-interfaces@2014-05-08.yang"), filepath.Join(y, "iana-if-type@2014-05-08.yang"),
		filepath.Join(y, "ietf-ip@2014-06-16.yang")}
	gen := func(bad bool) string {
		var b strings.Builder
		b.WriteString(`<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">` + "\n")
		const n = 35000
		for i := range n {
			enabled := "true"
			if bad && i == n-1 {
				enabled = "maybe"
			}
			fmt.Fprintf(&b, "<interface><name>eth%d</name><description>port %d</description><type>ianaift:ethernetCsmacd</type>"+
				"<enabled>%s</enabled><ipv4 xmlns=\"urn:ietf:params:xml:ns:yang:ietf-ip\"><address><ip>10.0.%d.%d</ip>"+
				"<prefix-length>24</prefix-length></address></ipv4></interface>\n", i, i, enabled, i/256%256, i%256)
		}
		b.WriteString("</interfaces>\n")
		if b.Len() < mapMin+yangxml.ReleaseStep {
			t.Fatalf("document of %d bytes: too small to be mapped", b.Len())
		}
		f := filepath.Join(t.TempDir(), "big.xml")
		if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	good := gen(false)
	if code, out, errOut := run(t, append(append([]string{"validate", "-p", y}, mods...), good)...); code != ExitOK || out != "" {
		t.Fatalf("valid file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	bad := gen(true)
	code, out, _ := run(t, append(append([]string{"validate", "-p", y}, mods...), bad)...)
	want := bad + ":35001: /ietf-interfaces:interfaces/interface[name='eth34999']/enabled: "
	if code != ExitInvalid || !strings.HasPrefix(out, want) || strings.Count(out, "\n") != 1 {
		t.Fatalf("bad file: exit %d, output %q; want exit 1 and one line starting %q", code, out, want)
	}
}
