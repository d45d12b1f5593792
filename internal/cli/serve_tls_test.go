package cli

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ncws/ncws/internal/testpki"
	"github.com/ncws/ncws/pkg/netconf"
)

// TestServeNetconfOverTLS: ncws serve --tls-listen speaks RFC 7589 (mutual TLS, RFC 6242
// framing) on the same datastore as the WebSocket side, the username from --cert-to-name, with
// NACM enforced for it as for any user.
func TestServeNetconfOverTLS(t *testing.T) {
	p := testpki.New(t)
	dir := t.TempDir()
	ca, cert, key := p.WriteFiles(dir)
	client := p.Client("cn-not-used")
	sum := sha256.Sum256(client.Certificate[0])
	s := startServe(t, "--datastore", filepath.Join(dir, "data"), "--tls-cert", cert, "--tls-key", key,
		"--client-ca", ca, "--tls-listen", "127.0.0.1:0",
		"--cert-to-name", hex.EncodeToString(sum[:])+",specified,operator")
	m := regexp.MustCompile(`serving NETCONF over TLS at (\S+)`).FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no TLS line: %s", s.stdout)
	}
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", m[1],
		&tls.Config{RootCAs: p.Pool, ServerName: "127.0.0.1", Certificates: []tls.Certificate{client}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	r, w := netconf.NewReader(c, 0), netconf.NewWriter(c)
	hello, err := r.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`<session-id>(\d+)</session-id>`).FindStringSubmatch(string(hello))
	if id == nil {
		t.Fatalf("hello: %s", hello)
	}
	w.WriteMessage([]byte(helloMsg))
	r.SetFraming(netconf.Chunked)
	w.SetFraming(netconf.Chunked)
	w.WriteMessage([]byte(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` + exHostname + `</rpc>`))
	w.WriteMessage([]byte(`<rpc message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions/></netconf-state></filter></get></rpc>`))
	var replies []string
	for i := 0; i < 2; i++ {
		msg, err := r.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, string(msg))
	}
	// operator is not the admin NACM's first configuration permits: the edit is refused.
	if !strings.Contains(replies[0], "<error-tag>access-denied</error-tag>") || !strings.Contains(replies[0], "<error-path>/ex:system/ex:hostname</error-path>") {
		t.Errorf("edit over TLS by a user NACM does not permit: %s", replies[0])
	}
	want := fmt.Sprintf(`<session-id>%s</session-id>`, id[1])
	i := strings.Index(replies[1], want)
	if i < 0 || !strings.Contains(replies[1][i:], "<username>operator</username>") || !strings.Contains(replies[1][i:], "netconf-tls") {
		t.Errorf("monitoring: want session %s of operator over netconf-tls: %s", id[1], replies[1])
	}
}
