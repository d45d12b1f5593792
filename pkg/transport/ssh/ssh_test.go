package ssh_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
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

	"github.com/ncws/ncws/pkg/auth"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/netconftest"
	"github.com/ncws/ncws/pkg/server"
	"github.com/ncws/ncws/pkg/transport/ssh"
)

var (
	keysOnce sync.Once
	hostKeys []xssh.Signer
	keysErr  error
)

// testHostKeys makes the host keys once for the package (RSA generation is slow).
func testHostKeys(t *testing.T) []xssh.Signer {
	t.Helper()
	keysOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ncws-ssh-hostkeys")
		if err != nil {
			keysErr = err
			return
		}
		defer os.RemoveAll(dir)
		hostKeys, _, keysErr = ssh.LoadOrCreateHostKeys(dir)
	})
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return hostKeys
}

// serve runs srv behind an SSH Listener on a loopback port and returns its address.
func serve(t *testing.T, srv *server.Server, opts ssh.Options) (*ssh.Listener, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.HostKeys == nil {
		opts.HostKeys = testHostKeys(t)
	}
	if opts.Password == nil && opts.PublicKeys == nil {
		// The conformance suite needs several users, not passwords: anyone is who they say.
		opts.Password = func(_ net.Addr, user, _ string) (string, error) { return user, nil }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	l, err := ssh.NewListener(ln, opts)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	})
	return l, ln.Addr().String()
}

// sshClient is a netconftest.ClientConn over a real SSH connection: end-of-message framing
// until both hellos announced base:1.1, chunked after.
type sshClient struct {
	c       *xssh.Client
	r       *netconf.Reader
	w       *netconf.Writer
	mu      sync.Mutex
	sent11  *bool
	recv11  *bool
	session *xssh.Session
}

func dialSSH(ctx context.Context, addr string, cfg *xssh.ClientConfig) (*sshClient, error) {
	cfg.HostKeyCallback = xssh.InsecureIgnoreHostKey()
	cfg.Timeout = 10 * time.Second
	c, err := xssh.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	s, err := c.NewSession()
	if err != nil {
		c.Close()
		return nil, err
	}
	in, err := s.StdinPipe()
	if err != nil {
		c.Close()
		return nil, err
	}
	out, err := s.StdoutPipe()
	if err != nil {
		c.Close()
		return nil, err
	}
	if err := s.RequestSubsystem("netconf"); err != nil {
		c.Close()
		return nil, err
	}
	return &sshClient{c: c, session: s, r: netconf.NewReader(out, 0), w: netconf.NewWriter(in)}, nil
}

func has11(msg []byte) bool { return bytes.Contains(msg, []byte(netconf.CapBase11)) }

func (s *sshClient) maybeChunk() {
	if s.sent11 != nil && s.recv11 != nil && *s.sent11 && *s.recv11 {
		s.r.SetFraming(netconf.Chunked)
		s.w.SetFraming(netconf.Chunked)
	}
}

func (s *sshClient) Send(ctx context.Context, msg []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.w.WriteMessage(msg); err != nil {
		return err
	}
	if s.sent11 == nil {
		v := has11(msg)
		s.sent11 = &v
		s.maybeChunk()
	}
	return nil
}

func (s *sshClient) Recv(ctx context.Context) ([]byte, error) {
	type res struct {
		msg []byte
		err error
	}
	ch := make(chan res, 1)
	go func() {
		m, err := s.r.ReadMessage()
		ch <- res{m, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			if errors.Is(r.err, io.ErrUnexpectedEOF) {
				return nil, io.EOF
			}
			return nil, r.err
		}
		s.mu.Lock()
		if s.recv11 == nil {
			v := has11(r.msg)
			s.recv11 = &v
			s.maybeChunk()
		}
		s.mu.Unlock()
		return r.msg, nil
	case <-ctx.Done():
		s.c.Close()
		return nil, ctx.Err()
	}
}

func (s *sshClient) Close() error { return s.c.Close() }

// TestConformance runs pkg/netconftest's scripts over real SSH connections (RFC 6242).
func TestConformance(t *testing.T) {
	netconftest.Run(t, func(t *testing.T, srv *server.Server) netconftest.Dialer {
		_, addr := serve(t, srv, ssh.Options{})
		return func(ctx context.Context, user string) (netconftest.ClientConn, error) {
			return dialSSH(ctx, addr, &xssh.ClientConfig{User: user, Auth: []xssh.AuthMethod{xssh.Password("x")}})
		}
	})
}

// authSetup makes a users file with alice (password "wonderland") and carol ("looking-glass")
// and an authorized key of bob's, and an Authenticator with a low failure limit.
func authSetup(t *testing.T) (*auth.Authenticator, string, xssh.Signer) {
	t.Helper()
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := auth.SetPassword(users, "alice", "wonderland"); err != nil {
		t.Fatal(err)
	}
	if err := auth.SetPassword(users, "carol", "looking-glass"); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Options{UsersFile: users, MaxFailures: 3, Backoff: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := xssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(dir, "keys")
	os.Mkdir(keys, 0o700)
	os.WriteFile(filepath.Join(keys, "bob"), append([]byte("# bob's laptop\n"), xssh.MarshalAuthorizedKey(signer.PublicKey())...), 0o600)
	return a, keys, signer
}

func TestAuthentication(t *testing.T) {
	a, keys, bobKey := authSetup(t)
	srv := netconftest.NewServer(t)
	_, addr := serve(t, srv, ssh.Options{
		Password: func(remote net.Addr, user, pw string) (string, error) {
			return a.CheckPassword(remote, user, pw, "ssh-password")
		},
		Blocked:    a.Blocked,
		PublicKeys: ssh.AuthorizedKeysDir(keys),
	})
	ctx := context.Background()
	user := func(c *sshClient) string {
		t.Helper()
		defer c.Close()
		hello, err := c.Recv(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c.Send(ctx, []byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`))
		id := between(string(hello), "<session-id>", "</session-id>")
		c.Send(ctx, []byte(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions/></netconf-state></filter></get></rpc>`))
		r, err := c.Recv(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(string(r), "<session-id>"+id+"</session-id>")
		if i < 0 {
			t.Fatalf("own session not listed: %s", r)
		}
		rest := string(r)[i:]
		if tr := between(rest, "<transport", "</transport>"); !strings.Contains(tr, "netconf-ssh") {
			t.Errorf("transport %q, want netconf-ssh", tr)
		}
		return between(rest, "<username>", "</username>")
	}
	c, err := dialSSH(ctx, addr, &xssh.ClientConfig{User: "alice", Auth: []xssh.AuthMethod{xssh.Password("wonderland")}})
	if err != nil {
		t.Fatalf("password login: %v", err)
	}
	if u := user(c); u != "alice" {
		t.Errorf("password login: user %q", u)
	}
	c, err = dialSSH(ctx, addr, &xssh.ClientConfig{User: "alice", Auth: []xssh.AuthMethod{
		xssh.KeyboardInteractive(func(name, instr string, qs []string, echos []bool) ([]string, error) {
			if len(qs) != 1 || echos[0] {
				return nil, fmt.Errorf("questions %q echo %v", qs, echos)
			}
			return []string{"wonderland"}, nil
		})}})
	if err != nil {
		t.Fatalf("keyboard-interactive login: %v", err)
	}
	if u := user(c); u != "alice" {
		t.Errorf("keyboard-interactive login: user %q", u)
	}
	c, err = dialSSH(ctx, addr, &xssh.ClientConfig{User: "bob", Auth: []xssh.AuthMethod{xssh.PublicKeys(bobKey)}})
	if err != nil {
		t.Fatalf("public key login: %v", err)
	}
	if u := user(c); u != "bob" {
		t.Errorf("public key login: user %q", u)
	}
	// bob's key is not alice's.
	if _, err := dialSSH(ctx, addr, &xssh.ClientConfig{User: "alice", Auth: []xssh.AuthMethod{xssh.PublicKeys(bobKey)}}); err == nil {
		t.Error("bob's key logged in as alice")
	}
	// Failed passwords count in the Authenticator's limit: after three for a user, even the
	// right password (or key) of that user is refused from this address; the other users
	// still log in from it.
	fail3 := func(user string) {
		t.Helper()
		for range 3 {
			if _, err := dialSSH(ctx, addr, &xssh.ClientConfig{User: user, Auth: []xssh.AuthMethod{xssh.Password("wrong")}}); err == nil {
				t.Fatalf("wrong password of %s accepted", user)
			}
		}
	}
	login := func(name string, method xssh.AuthMethod) error {
		t.Helper()
		c, err := dialSSH(ctx, addr, &xssh.ClientConfig{User: name, Auth: []xssh.AuthMethod{method}})
		if err != nil {
			return err
		}
		if u := user(c); u != name {
			t.Errorf("login of %s: user %q", name, u)
		}
		return nil
	}
	loopback := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}
	fail3("alice")
	if login("alice", xssh.Password("wonderland")) == nil {
		t.Error("blocked user alice logged in")
	}
	if err := a.Blocked(loopback, "alice"); err == nil {
		t.Error("the Authenticator does not hold alice blocked")
	}
	if err := login("carol", xssh.Password("looking-glass")); err != nil {
		t.Errorf("carol, from the address where alice is blocked: %v", err)
	}
	if err := login("bob", xssh.PublicKeys(bobKey)); err != nil {
		t.Errorf("bob's key, from the address where alice is blocked: %v", err)
	}
	fail3("bob")
	if login("bob", xssh.PublicKeys(bobKey)) == nil {
		t.Error("blocked user bob logged in with his key")
	}
	if err := login("carol", xssh.Password("looking-glass")); err != nil {
		t.Errorf("carol, from the address where alice and bob are blocked: %v", err)
	}
	if err := a.Blocked(loopback, ""); err != nil {
		t.Errorf("the address is blocked after failures of two users: %v", err)
	}
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return ""
}

// rawSession opens a netconf subsystem and returns its raw byte streams.
func rawSession(t *testing.T, addr string) (io.Writer, io.Reader, *xssh.Client) {
	t.Helper()
	c, err := xssh.Dial("tcp", addr, &xssh.ClientConfig{User: "alice", Auth: []xssh.AuthMethod{xssh.Password("x")},
		HostKeyCallback: xssh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	in, _ := s.StdinPipe()
	out, _ := s.StdoutPipe()
	if err := s.RequestSubsystem("netconf"); err != nil {
		t.Fatal(err)
	}
	return in, out, c
}

// readAll reads until EOF or the deadline and returns what came.
func readAll(t *testing.T, r io.Reader) (string, bool) {
	t.Helper()
	done := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(r)
		done <- b
	}()
	select {
	case b := <-done:
		return string(b), true
	case <-time.After(20 * time.Second):
		return "", false
	}
}

const hello11 = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>]]>]]>`

// TestFraming: chunked framing after two base:1.1 hellos, end-of-message with a base:1.0
// client, and a framing error that ends the session (RFC 6242 section 4.2).
func TestFraming(t *testing.T) {
	srv := netconftest.NewServer(t)
	_, addr := serve(t, srv, ssh.Options{ReadLimit: 4096})
	getConfig := `<rpc message-id="5" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>`

	t.Run("chunked", func(t *testing.T) {
		in, out, _ := rawSession(t, addr)
		io.WriteString(in, hello11)
		// The rpc in two chunks, then close-session.
		fmt.Fprintf(in, "\n#%d\n%s\n#%d\n%s\n##\n", 20, getConfig[:20], len(getConfig)-20, getConfig[20:])
		cs := `<rpc message-id="6" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><close-session/></rpc>`
		fmt.Fprintf(in, "\n#%d\n%s\n##\n", len(cs), cs)
		got, ok := readAll(t, out)
		if !ok {
			t.Fatal("the session did not end after close-session")
		}
		if !strings.Contains(got, `]]>]]>`) || !strings.Contains(got, "\n##\n") || !strings.Contains(got, `message-id="5"`) || !strings.Contains(got, `<ok/>`) {
			t.Errorf("want the hello in EOM and chunked replies, got %q", got)
		}
	})
	t.Run("chunked hello", func(t *testing.T) {
		// ncclient's order when the server's hello wins the race (ncclient issue 524): the
		// server's hello is read first, then the client's hello goes out already chunked.
		in, out, _ := rawSession(t, addr)
		br := bufio.NewReader(out)
		if _, err := br.ReadString('>'); err != nil {
			t.Fatal(err)
		}
		h := strings.TrimSuffix(hello11, "]]>]]>")
		fmt.Fprintf(in, "\n#%d\n%s\n##\n", len(h), h)
		fmt.Fprintf(in, "\n#%d\n%s\n##\n", len(getConfig), getConfig)
		cs := `<rpc message-id="6" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><close-session/></rpc>`
		fmt.Fprintf(in, "\n#%d\n%s\n##\n", len(cs), cs)
		got, ok := readAll(t, br)
		if !ok {
			t.Fatal("the session did not end after close-session")
		}
		if !strings.Contains(got, `message-id="5"`) || !strings.Contains(got, "<data") || !strings.Contains(got, `<ok/>`) || !strings.Contains(got, "\n##\n") {
			t.Errorf("want chunked replies to get-config and close-session, got %q", got)
		}
	})
	t.Run("base10", func(t *testing.T) {
		in, out, _ := rawSession(t, addr)
		io.WriteString(in, `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>`)
		io.WriteString(in, getConfig+"]]>]]>")
		io.WriteString(in, `<rpc message-id="6" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><close-session/></rpc>]]>]]>`)
		got, _ := readAll(t, out)
		if strings.Contains(got, "\n##\n") || strings.Count(got, "]]>]]>") != 3 {
			t.Errorf("want three EOM messages, got %q", got)
		}
	})
	t.Run("bad chunk header", func(t *testing.T) {
		in, out, _ := rawSession(t, addr)
		io.WriteString(in, hello11)
		io.WriteString(in, "\n#0\n")
		if _, ok := readAll(t, out); !ok {
			t.Error("the session did not end after a chunk of size 0")
		}
	})
	t.Run("too big", func(t *testing.T) {
		in, out, _ := rawSession(t, addr)
		io.WriteString(in, hello11)
		fmt.Fprintf(in, "\n#%d\n%s", 5000, strings.Repeat("x", 5000))
		if _, ok := readAll(t, out); !ok {
			t.Error("the session did not end after a message over the limit")
		}
	})
}

// TestHostKeys: keys are made once and reused.
func TestHostKeys(t *testing.T) {
	dir := t.TempDir()
	k1, created, err := ssh.LoadOrCreateHostKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != 2 || len(created) != 2 {
		t.Fatalf("got %d keys, %d created", len(k1), len(created))
	}
	types := k1[0].PublicKey().Type() + " " + k1[1].PublicKey().Type()
	if types != "ssh-ed25519 ssh-rsa" {
		t.Errorf("key types %q", types)
	}
	for _, f := range created {
		st, err := os.Stat(f)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, st.Mode(), err)
		}
	}
	k2, created, err := ssh.LoadOrCreateHostKeys(dir)
	if err != nil || len(created) != 0 {
		t.Fatalf("second load: %v, created %v", err, created)
	}
	for i := range k1 {
		if xssh.FingerprintSHA256(k1[i].PublicKey()) != xssh.FingerprintSHA256(k2[i].PublicKey()) {
			t.Errorf("key %d changed", i)
		}
	}
	if keys, _ := ssh.AuthorizedKeysDir(dir)("../etc"); keys != nil {
		t.Error("a path in the username was read")
	}
}
