package e2e

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	xssh "golang.org/x/crypto/ssh"
)

func needNcclient(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-c", "import ncclient").CombinedOutput()
	if err != nil {
		err = fmt.Errorf("%s -c 'import ncclient': %v: %s", python, err, bytes.TrimSpace(out))
	}
	need(t, "python3-ncclient", err)
}

var sshLine = regexp.MustCompile(`ncws: serving NETCONF over SSH at (\S+) `)

// sshAddr waits for the server's SSH listening line and returns host and port.
func (s *server) sshAddr(t *testing.T) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	m, err := s.stdout.waitFor(ctx, sshLine, s.exited)
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return host, port
}

// TestNcclient: Debian's ncclient (paramiko SSH) against ncws serve --ssh-listen: a whole
// session with a password (capabilities, get-config, create-subscription, lock, edit-config,
// an invalid edit's rpc-error, confirmed commit and confirm, the netconf-config-change
// notification, a filtered get, unlock, close), and a public-key login.
func TestNcclient(t *testing.T) {
	t.Parallel()
	needNcclient(t)
	s := startServer(t, "--ssh-listen", "127.0.0.1:0")
	host, port := s.sshAddr(t)

	t.Run("password", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		cmd := exec.CommandContext(ctx, python, "testdata/ncclient_steps.py", "password", host, port)
		cmd.Env = append(os.Environ(), "NCWS_USER="+testUser, "NCWS_PASSWORD="+testPassword)
		cmd.WaitDelay = 5 * time.Second
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ncclient_steps.py: %v\n%s", err, out)
		}
		want := []string{
			"connected session-id=N",
			"capability urn:ietf:params:netconf:base:1.1 True",
			"capability urn:ietf:params:netconf:capability:candidate:1.0 True",
			"capability urn:ietf:params:netconf:capability:notification:1.0 True",
			"get-config ok True",
			"subscribed",
			"locked candidate",
			"edit-config ok True",
			"invalid edit error-tag=invalid-value error-path=/ex:interfaces/ex:interface[ex:name='eth7']/ex:mtu",
			"confirmed commit ok True",
			"confirming commit ok True",
			"notification netconf-config-change True",
			"filtered get has eth7 True mtu True",
			"unlocked candidate",
			"closed",
		}
		got := strings.Split(strings.TrimSpace(regexp.MustCompile(`session-id=[1-9][0-9]*`).ReplaceAllString(string(out), "session-id=N")), "\n")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ncclient session mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("public key", func(t *testing.T) {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		blk, err := xssh.MarshalPrivateKey(priv, "e2e")
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		keyFile := filepath.Join(dir, "id_ed25519")
		os.WriteFile(keyFile, pem.EncodeToMemory(blk), 0o600)
		signer, _ := xssh.NewSignerFromKey(priv)
		keys := filepath.Join(s.dir, "datastore", "authorized_keys")
		os.MkdirAll(keys, 0o700)
		os.WriteFile(filepath.Join(keys, testUser), xssh.MarshalAuthorizedKey(signer.PublicKey()), 0o600)

		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		cmd := exec.CommandContext(ctx, python, "testdata/ncclient_steps.py", "key", host, port, keyFile)
		cmd.Env = append(os.Environ(), "NCWS_USER="+testUser)
		cmd.WaitDelay = 5 * time.Second
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ncclient_steps.py key: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "get-config ok True") {
			t.Errorf("key login: %s", out)
		}
	})
}
