package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	ws "github.com/coder/websocket"
)

// TestServeSimulator: ncws serve on IETF models with no device code: the startup file is the
// configuration of the first boot, the operational file the state, reloaded on SIGHUP; a bad
// startup file stops the start with its line.
func TestServeSimulator(t *testing.T) {
	ietf := filepath.Join(sharedDir(t), "yang", "ietf")
	dir := t.TempDir()
	startup := filepath.Join(dir, "startup.xml")
	os.WriteFile(startup, []byte(`<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">
    <interface><name>eth0</name><type>ianaift:ethernetCsmacd</type>
      <ipv4 xmlns="urn:ietf:params:xml:ns:yang:ietf-ip"><address><ip>192.0.2.1</ip><prefix-length>24</prefix-length></address></ipv4>
    </interface>
  </interfaces>
</config>`), 0o644)
	state := filepath.Join(dir, "state.xml")
	writeState := func(status string) {
		os.WriteFile(state, []byte(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <interfaces-state xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">
    <interface><name>eth0</name><type>ianaift:ethernetCsmacd</type><oper-status>`+status+`</oper-status>
      <phys-address>00:00:5e:00:53:01</phys-address>
      <statistics><discontinuity-time>2026-12-05T00:00:00Z</discontinuity-time><in-octets>1234</in-octets></statistics>
    </interface>
  </interfaces-state>
</data>`), 0o644)
	}
	writeState("up")
	models := []string{"-p", ietf, filepath.Join(ietf, "ietf-interfaces@2014-05-08.yang"),
		filepath.Join(ietf, "ietf-ip@2014-06-16.yang"), filepath.Join(ietf, "iana-if-type@2014-05-08.yang")}
	s := startServe(t, append([]string{"--datastore", filepath.Join(dir, "data"), "--startup", startup, "--operational", state}, models...)...)
	m := regexp.MustCompile(`user admin, password (\S+) `).FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no password printed: %s", s.stdout)
	}
	c, _, err := ncDial(t, s.url, &ws.DialOptions{HTTPHeader: basicAuth("admin", m[1])})
	if err != nil {
		t.Fatal(err)
	}
	r := c.call(`<get/>`)
	for _, want := range []string{"<ip>192.0.2.1</ip>", "<oper-status>up</oper-status>", "<in-octets>1234</in-octets>"} {
		if !strings.Contains(r, want) {
			t.Errorf("get lacks %s: %s", want, r)
		}
	}
	writeState("down")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(c.call(`<get/>`), "<oper-status>down</oper-status>") {
		if time.Now().After(deadline) {
			t.Fatalf("the operational file was not reloaded on SIGHUP: %s", s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.stop()

	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte(`<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">
  <interface><name>eth0</name><enabled>maybe</enabled></interface>
</interfaces>`), 0o644)
	var stdout, stderr syncBuffer
	code := Main(t.Context(), append([]string{"serve", "--listen", "127.0.0.1:0", "--datastore", filepath.Join(dir, "d2"), "--startup", bad}, models...), strings.NewReader(""), &stdout, &stderr)
	if code != ExitUsage || !strings.Contains(stderr.String(), "bad.xml:2:") || !strings.Contains(stderr.String(), "maybe") {
		t.Errorf("serve with a bad startup file: exit %d, stderr %s", code, stderr.String())
	}
}
