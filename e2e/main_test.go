package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ncwsBin is the ncws binary built once by TestMain.
var ncwsBin string

// waitLimit bounds every wait for a subprocess: generous, so that it only stops a test that
// would otherwise hang; nothing asserts how long anything took.
const waitLimit = 60 * time.Second

// The user that startServer puts in the users file.
const (
	testUser     = "alice"
	testPassword = "e2e correct horse"
)

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

// parallel is how many tests run at once unless -parallel is given: every test calls
// t.Parallel, and most of their time is spent waiting for subprocesses (the server, Chromium,
// Python, yangcli, the go command), so more of them than the machine has CPUs keep it busy.
// It is at least the number of tests, so that all start at once: with 4 slots, the order in
// which the paused tests got one was the scheduler's, and TestQuickstart (the longest, mostly
// go builds) started fifth and ended ~90 s after all the others, alone on the critical path of
// make test.
const parallel = 16

func runMain(m *testing.M) int {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit && runtime.GOMAXPROCS(0) < parallel {
		flag.Set("test.parallel", strconv.Itoa(parallel))
	}
	dir, err := os.MkdirTemp("", "ncws-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	ncwsBin = filepath.Join(dir, "ncws")
	args := []string{"build", "-o", ncwsBin}
	if raceEnabled {
		args = append(args, "-race")
	}
	// go test puts GOROOT/bin first on PATH, so this is the go that runs the tests.
	out, err := exec.Command("go", append(args, "../cmd/ncws")...).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: building ncws: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// need skips the test when a tool it needs is missing, or fails it under CI (CI=true) or as
// root, where `make deps` installs the tool.
func need(t *testing.T, what string, missing error) {
	t.Helper()
	if missing == nil {
		return
	}
	msg := fmt.Sprintf("%s is missing (%v); `make deps` (scripts/deps.sh) installs it", what, missing)
	if os.Getenv("CI") == "true" || os.Geteuid() == 0 {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// logBuffer collects a subprocess's output and lets tests wait for a line in it.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced at every write
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	close(b.changed)
	b.changed = make(chan struct{})
	return len(p), nil
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until re matches the output and returns the submatches. It gives up when ctx
// ends or, after a last look, when exited is closed (the writer is done).
func (b *logBuffer) waitFor(ctx context.Context, re *regexp.Regexp, exited <-chan struct{}) ([]string, error) {
	for {
		b.mu.Lock()
		m := re.FindStringSubmatch(b.buf.String())
		changed := b.changed
		b.mu.Unlock()
		if m != nil {
			return m, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %q: %w", re, ctx.Err())
		case <-exited:
			if m := re.FindStringSubmatch(b.String()); m != nil {
				return m, nil
			}
			return nil, fmt.Errorf("waiting for %q: the process exited", re)
		}
	}
}

// server is one `ncws serve` subprocess.
type server struct {
	URL  string // ws://127.0.0.1:PORT/netconf
	Base string // http://127.0.0.1:PORT
	dir  string // the test's directory: users.htpasswd, datastore/

	cmd            *exec.Cmd
	stdout, stderr *logBuffer
	exited         chan struct{} // closed when cmd.Wait returned
	waitErr        error         // cmd.Wait's result, set before exited is closed
	stopped        bool
}

var listenLine = regexp.MustCompile(`ncws: serving NETCONF over WebSocket at (ws://(\S+)/netconf)`)

// startServer starts `ncws serve` on a loopback port with a new datastore and a users file
// holding testUser (made by `ncws passwd`), plus the given flags. The server is stopped with
// SIGTERM at the end of the test (see stop); its output is logged when the test failed.
func startServer(t *testing.T, flags ...string) *server {
	t.Helper()
	dir := t.TempDir()
	users := filepath.Join(dir, "users.htpasswd")
	passwd := exec.Command(ncwsBin, "passwd", "--cost", "4", users, testUser)
	passwd.Stdin = strings.NewReader(testPassword + "\n")
	if out, err := passwd.CombinedOutput(); err != nil {
		t.Fatalf("ncws passwd: %v\n%s", err, out)
	}

	args := append([]string{"serve", "--listen", "127.0.0.1:0",
		"--datastore", filepath.Join(dir, "datastore"), "--users", users}, flags...)
	return launch(t, dir, "", args)
}

// launch starts `ncws ARGS...` (a serve command) in workdir (empty: the test's), stops it at the
// end of the test (logging its output when the test failed) and waits for the line saying where
// it listens.
func launch(t *testing.T, dir, workdir string, args []string) *server {
	t.Helper()
	s := &server{
		dir:    dir,
		cmd:    exec.Command(ncwsBin, args...),
		stdout: newLogBuffer(), stderr: newLogBuffer(),
		exited: make(chan struct{}),
	}
	s.cmd.Dir = workdir
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting ncws serve: %v", err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.stop(t)
		if t.Failed() {
			t.Logf("ncws %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), s.stdout, s.stderr)
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	m, err := s.stdout.waitFor(ctx, listenLine, s.exited)
	if err != nil {
		t.Fatalf("ncws serve did not say where it listens: %v", err)
	}
	s.URL, s.Base = m[1], "http://"+m[2]
	return s
}

// stop sends SIGTERM and waits for the server to exit; it fails the test unless the exit
// status is 0. Calling it again does nothing.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if s.stopped {
		return
	}
	s.stopped = true
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("SIGTERM to ncws serve: %v", err)
	}
	select {
	case <-s.exited:
	case <-time.After(waitLimit):
		s.cmd.Process.Kill()
		<-s.exited
		t.Errorf("ncws serve did not exit within %v of SIGTERM; killed", waitLimit)
		return
	}
	if s.waitErr != nil {
		t.Errorf("ncws serve after SIGTERM: %v, want exit status 0", s.waitErr)
	}
}

// login obtains a token from POST /login as a browser's script would.
func (s *server) login(t *testing.T) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": testUser, "password": testPassword})
	resp, err := http.Post(s.Base+"/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST /login: %v", err)
	}
	defer resp.Body.Close()
	var got struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK || got.Token == "" {
		t.Fatalf("POST /login: status %s, token %q, decoding: %v", resp.Status, got.Token, err)
	}
	return got.Token
}
