package cli

import (
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ncws/ncws/pkg/auth"
)

// TestClientOverSSHAndCallHome: ncws client speaks to ncws serve over SSH (an ssh:// URL) and
// takes its call home (--call-home), with the same operations as over WebSocket.
func TestClientOverSSHAndCallHome(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := auth.SetPasswordCost(users, "noc", "ssh-client-test", 4); err != nil {
		t.Fatal(err)
	}
	// A free port for the client's call-home listener.
	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	chAddr := pl.Addr().String()
	pl.Close()

	type result struct {
		code        int
		out, errOut string
	}
	called := make(chan result, 1)
	go func() {
		code, out, errOut := clientRun(t, "", "client", "ssh://noc@"+chAddr, "--call-home", "--insecure", "--password", "ssh-client-test", "hello")
		called <- result{code, out, errOut}
	}()
	s := startServe(t, "--datastore", filepath.Join(dir, "data"), "--users", users,
		"--ssh-listen", "127.0.0.1:0", "--call-home", "ssh://"+chAddr)
	m := regexp.MustCompile(`serving NETCONF over SSH at (\S+)`).FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no SSH line: %s", s.stdout)
	}
	code, out, errOut := clientRun(t, "", "client", "ssh://noc@"+m[1], "--insecure", "--password", "ssh-client-test",
		"edit-config", "--config", clientFile(t, "cfg.xml", `<system xmlns="urn:ncws:yang:ncws-example"><hostname>via-ssh</hostname></system>`))
	if code != 0 {
		t.Fatalf("edit-config over SSH: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = clientRun(t, "", "client", "ssh://noc@"+m[1], "--insecure", "--password", "ssh-client-test", "--base10", "get-config")
	if code != 0 || !strings.Contains(out, "<hostname>via-ssh</hostname>") {
		t.Errorf("get-config over SSH (base:1.0): exit %d\n%s%s", code, out, errOut)
	}
	// Without --insecure and with an empty known_hosts file the host key is refused.
	code, _, errOut = clientRun(t, "", "client", "ssh://noc@"+m[1], "--known-hosts", clientFile(t, "known_hosts", ""), "--password", "ssh-client-test", "hello")
	if code != ExitUsage || !strings.Contains(errOut, "key") {
		t.Errorf("unknown host key: exit %d, %s", code, errOut)
	}
	r := <-called
	if r.code != 0 || !strings.Contains(r.out, "urn:ietf:params:netconf:base:1.1") || !strings.Contains(r.errOut, "waiting for a call home") {
		t.Errorf("call home: exit %d\nstdout %s\nstderr %s", r.code, r.out, r.errOut)
	}
}
