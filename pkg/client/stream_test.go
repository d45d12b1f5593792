package client_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/generated/example"
	"github.com/ncws/ncws/internal/testpki"
	"github.com/ncws/ncws/pkg/agent"
	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/client"
	"github.com/ncws/ncws/pkg/schema"
)

const streamPassword = "stream-test-password"

// streamAgent starts an agent with a user "ops" (password streamPassword) and the options in
// o, serving SSH and TLS on loopback ports when asked; it returns the agent and the addresses.
func streamAgent(t *testing.T, o agent.Options, ssh, tlsOn bool) (a *agent.Agent, sshAddr, tlsAddr string) {
	t.Helper()
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := auth.SetPassword(users, "ops", streamPassword); err != nil {
		t.Fatal(err)
	}
	o.Schemas = []*schema.Schema{example.Schema()}
	o.Dir, o.UsersFile = filepath.Join(dir, "data"), users
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if ssh {
		o.SSHListen = "127.0.0.1:0"
	}
	a, err := agent.New(&o)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	serve := func(fn func(net.Listener) error) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ln); err != nil && !errors.Is(err, agent.ErrServerClosed) {
				t.Errorf("serve: %v", err)
			}
		}()
		return ln.Addr().String()
	}
	if ssh {
		sshAddr = serve(a.ServeSSH)
	}
	if tlsOn {
		tlsAddr = serve(a.ServeTLS)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Shutdown(ctx)
		wg.Wait()
	})
	return a, sshAddr, tlsAddr
}

// hostKey accepts exactly the agent's host keys.
func hostKey(a *agent.Agent) xssh.HostKeyCallback {
	return func(_ string, _ net.Addr, k xssh.PublicKey) error {
		for _, hk := range a.SSHHostKeys() {
			if string(hk.PublicKey().Marshal()) == string(k.Marshal()) {
				return nil
			}
		}
		return errors.New("not the agent's host key")
	}
}

// exercise runs a few operations over s: an edit, a read of it, pipelined calls, close.
func exercise(t *testing.T, s *client.Session, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := fmt.Sprintf(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>%s</hostname></system>`, name)
	if err := s.EditConfig(ctx, client.Running, []byte(cfg), client.EditOptions{}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := s.GetConfig(ctx, client.Running, client.Filter{})
			if err == nil && !strings.Contains(string(b), "<hostname>"+name+"</hostname>") {
				err = fmt.Errorf("get-config: %s", b)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CloseSession(ctx); err != nil {
		t.Errorf("close-session: %v", err)
	}
}

func TestDialSSH(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := xssh.NewSignerFromKey(priv)
	keys := t.TempDir()
	a, addr, _ := streamAgent(t, agent.Options{SSHAuthorizedKeys: keys}, true, false)
	os.WriteFile(filepath.Join(keys, "ops"), xssh.MarshalAuthorizedKey(signer.PublicKey()), 0o600)
	ctx := context.Background()

	t.Run("password", func(t *testing.T) {
		s, err := client.Dial(ctx, "ssh://ops@"+addr, &client.Options{Password: streamPassword, HostKeyCallback: hostKey(a)})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if s.ID() == 0 || !s.HasCapability("urn:ietf:params:netconf:base:1.1") {
			t.Errorf("session %d, capabilities %v", s.ID(), s.Capabilities())
		}
		exercise(t, s, "over-ssh")
	})
	t.Run("public key, base:1.0 only", func(t *testing.T) {
		s, err := client.Dial(ctx, "ssh://"+addr, &client.Options{Username: "ops", Signers: []xssh.Signer{signer},
			HostKeyCallback: hostKey(a), Base10Only: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		exercise(t, s, "eom-framing")
	})
	t.Run("wrong host key", func(t *testing.T) {
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		os, _ := xssh.NewSignerFromKey(other)
		_, err := client.Dial(ctx, "ssh://ops@"+addr, &client.Options{Password: streamPassword, HostKeyCallback: xssh.FixedHostKey(os.PublicKey())})
		if err == nil {
			t.Error("a server with another host key was accepted")
		}
	})
	t.Run("no host key check", func(t *testing.T) {
		_, err := client.Dial(ctx, "ssh://ops@"+addr, &client.Options{Password: streamPassword})
		if err == nil || !strings.Contains(err.Error(), "HostKeyCallback is required") {
			t.Errorf("dial without a host key check: %v", err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		_, err := client.Dial(ctx, "ssh://ops@"+addr, &client.Options{Password: "nope", HostKeyCallback: hostKey(a)})
		if err == nil {
			t.Error("a wrong password logged in")
		}
	})
	t.Run("kill-session", func(t *testing.T) {
		o := &client.Options{Password: streamPassword, HostKeyCallback: hostKey(a)}
		victim, err := client.Dial(ctx, "ssh://ops@"+addr, o)
		if err != nil {
			t.Fatal(err)
		}
		killer, err := client.Dial(ctx, "ssh://ops@"+addr, o)
		if err != nil {
			t.Fatal(err)
		}
		defer killer.Close()
		if err := killer.KillSession(ctx, victim.ID()); err != nil {
			t.Fatal(err)
		}
		select {
		case <-victim.Done():
		case <-time.After(20 * time.Second):
			t.Fatal("the killed session did not end")
		}
		var ce *client.ClosedError
		if !errors.As(victim.Err(), &ce) {
			t.Errorf("killed session error %v, want a ClosedError", victim.Err())
		}
	})
}

func tlsOptions(p *testpki.PKI, user string) *client.Options {
	return &client.Options{TLSConfig: &tls.Config{RootCAs: p.Pool, Certificates: []tls.Certificate{p.Client(user)}}}
}

func TestDialTLS(t *testing.T) {
	p := testpki.New(t)
	_, _, addr := streamAgent(t, agent.Options{TLSConfig: &tls.Config{Certificates: []tls.Certificate{p.Server}, ClientCAs: p.Pool}}, false, true)
	s, err := client.Dial(context.Background(), "tls://"+addr, tlsOptions(p, "ops"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	exercise(t, s, "over-tls")
}

func TestCallHome(t *testing.T) {
	p := testpki.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sshL, err := client.Listen(ctx, "ssh://ops@127.0.0.1:0", &client.Options{Password: streamPassword,
		HostKeyCallback: xssh.InsecureIgnoreHostKey()}) // the agent's key is made below
	if err != nil {
		t.Fatal(err)
	}
	defer sshL.Close()
	tlsL, err := client.Listen(ctx, "tls://127.0.0.1:0", tlsOptions(p, "noc"))
	if err != nil {
		t.Fatal(err)
	}
	defer tlsL.Close()
	streamAgent(t, agent.Options{
		CallHome:  []string{"ssh://" + sshL.Addr().String(), "tls://" + tlsL.Addr().String()},
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{p.Server}, ClientCAs: p.Pool},
	}, false, false)
	for _, l := range []*client.CallHomeListener{sshL, tlsL} {
		s, err := l.Accept(ctx)
		if err != nil {
			t.Fatal(err)
		}
		exercise(t, s, "called-home")
		s.Close()
	}
	// After close-session the agent calls again (RFC 8071's reconnect).
	s, err := sshL.Accept(ctx)
	if err != nil {
		t.Fatalf("no second call: %v", err)
	}
	s.Close()
}
