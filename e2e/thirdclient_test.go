package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The third independent client (issue 13): scrapligo's NETCONF driver held to base:1.0, and a C
// program on Debian's libnetconf2 accepting SSH call home. Both are built by the tests: the
// scrapligo program in its own module (testdata/scrapli10, so that scrapligo never enters this
// module's go.mod), the C program with gcc and pkg-config.

// TestScrapligoBase10: scrapligo (github.com/scrapli/scrapligo/driver/netconf, its standard
// x/crypto/ssh transport) against ncws serve --ssh-listen with the preferred version 1.0: its
// hello announces only base:1.0, so the session stays in end-of-message framing (RFC 6242
// section 4.3) though the server announces base:1.1 too. get-config, edit-config of running,
// get-config showing the edit, an invalid edit's rpc-error, close-session. The program records
// every byte of the SSH channel and checks the framing of both directions; the server's debug
// log shows the session ending normally.
func TestScrapligoBase10(t *testing.T) {
	t.Parallel()
	_, err := exec.LookPath("go")
	need(t, "the go command (to build the scrapligo client)", err)
	bin := filepath.Join(t.TempDir(), "scrapli10")
	start := time.Now()
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join("testdata", "scrapli10")
	build.Env = goModEnv(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building testdata/scrapli10 (scrapligo from the module proxy): %v\n%s", err, out)
	}
	t.Logf("built the scrapligo client in %v", time.Since(start).Round(time.Millisecond))

	s := startServer(t, "--ssh-listen", "127.0.0.1:0", "--log-level", "debug")
	host, port := s.sshAddr(t)
	wire := filepath.Join(t.TempDir(), "wire.log")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, host, port, wire)
	cmd.Env = append(os.Environ(), "NCWS_USER="+testUser, "NCWS_PASSWORD="+testPassword)
	cmd.WaitDelay = 5 * time.Second
	start = time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("scrapligo session took %v", time.Since(start).Round(time.Millisecond))
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile(wire)
			t.Logf("the SSH channel as scrapligo saw it:\n%s", b)
		}
	}()
	if err != nil {
		t.Fatalf("scrapli10: %v\n%s", err, out)
	}
	want := []string{
		"connected session-id=N version=1.0",
		"server announces base:1.1 true base:1.0 true",
		"get-config failed=false has eth9 false",
		"edit-config failed=false ok true",
		"get-config failed=false has eth9 true mtu 9000 true",
		"invalid edit failed=true error-tag=invalid-value error-path=/ex:interfaces/ex:interface[ex:name='eth9']/ex:mtu",
		"close-session failed=false ok true",
		"server closed the channel",
		"wire client hello announces base:1.0 true base:1.1 false",
		// The hello and five rpcs out; the hello and five replies in.
		"wire wrote 6 end-of-message framed messages, nothing else true, chunk headers 0",
		"wire read 6 end-of-message framed messages, nothing else true, chunk headers 0",
	}
	got := strings.Split(strings.TrimSpace(regexp.MustCompile(`session-id=[1-9][0-9]*`).ReplaceAllString(string(out), "session-id=N")), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scrapligo session mismatch (-want +got):\n%s", diff)
	}

	// The server's side: the session started and ended (after close-session) without a framing
	// error or any other warning.
	s.stop(t)
	log := s.stderr.String()
	for _, want := range []string{
		`msg="server: session started" session=1 user=` + testUser,
		`msg="server: session ended" session=1 user=` + testUser,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the server's log lacks %s", want)
		}
	}
	// The open-files warning depends on the machine's limit (it is given when --max-conns times
	// the transports exceeds it, e.g. a container's hard limit of 20000), not on the session.
	var warned []string
	for _, l := range regexp.MustCompile(`(?m)^.*level=(WARN|ERROR).*$`).FindAllString(log, -1) {
		if !strings.Contains(l, "open files limit") {
			warned = append(warned, l)
		}
	}
	if warned != nil {
		t.Errorf("the server logged:\n%s", strings.Join(warned, "\n"))
	}
}

// goModEnv is goEnv with -mod=mod: the scrapligo module resolves its dependencies through the
// module proxy (its go.sum pins them).
func goModEnv(t *testing.T) []string {
	env := goEnv(t)
	last := env[len(env)-1]
	if !strings.HasPrefix(last, "GOFLAGS=") {
		t.Fatalf("goEnv ends with %q, want GOFLAGS", last)
	}
	return append(env[:len(env)-1:len(env)-1], strings.TrimSpace(last+" -mod=mod"))
}

// TestLibnetconf2CallHome: RFC 8071 call home over SSH with Debian's libnetconf2 as the client
// (testdata/nc2callhome.c, built with gcc): the program listens, ncws serve --call-home dials it
// and is the SSH server on that connection, libnetconf2 logs in with the password, fills its
// libyang context through <get-schema>, reads running, merges an interface, reads the
// ietf-netconf-monitoring sessions (the session's username and transport), and closes; ncws
// redials after the session's end and the program accepts the second session, which sees the
// first one's edit.
func TestLibnetconf2CallHome(t *testing.T) {
	t.Parallel()
	_, err := exec.LookPath("gcc")
	need(t, "gcc", err)
	_, err = exec.LookPath("pkg-config")
	need(t, "pkg-config", err)
	flags, err := exec.Command("pkg-config", "--cflags", "--libs", "libnetconf2", "libyang").CombinedOutput()
	if err != nil {
		err = fmt.Errorf("pkg-config --cflags --libs libnetconf2 libyang: %v: %s", err, bytes.TrimSpace(flags))
	} else {
		// nc_client.h includes libssh's and OpenSSL's headers, which libnetconf2-dev does not
		// depend on.
		cc := exec.Command("gcc", append([]string{"-fsyntax-only", "-x", "c", "-"}, strings.Fields(string(flags))...)...)
		cc.Stdin = strings.NewReader("#include <nc_client.h>\n")
		if out, cerr := cc.CombinedOutput(); cerr != nil {
			err = fmt.Errorf("#include <nc_client.h>: %v: %s", cerr, bytes.TrimSpace(out))
		}
	}
	need(t, "libnetconf2-dev, libyang2-dev, libssh-dev and libssl-dev", err)

	dir := t.TempDir()
	bin := filepath.Join(dir, "nc2callhome")
	start := time.Now()
	args := append([]string{"-Wall", "-o", bin, "testdata/nc2callhome.c"}, strings.Fields(string(flags))...)
	out, err := exec.Command("gcc", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("gcc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if len(out) > 0 {
		t.Errorf("gcc warns:\n%s", out)
	}
	t.Logf("built nc2callhome in %v", time.Since(start).Round(time.Millisecond))

	port := freePort(t)
	schemas := filepath.Join(dir, "schemas")
	os.Mkdir(schemas, 0o755)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, port, "2", schemas)
	cmd.Env = append(os.Environ(), "NCWS_USER="+testUser, "NCWS_PASSWORD="+testPassword)
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := newLogBuffer()
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			t.Logf("nc2callhome stderr:\n%s", stderr)
		}
	}()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "listening for SSH call home on 127.0.0.1:"+port {
		cmd.Wait()
		t.Fatalf("nc2callhome did not listen: %q", lines.Text())
	}

	start = time.Now()
	s := startServer(t, "--call-home", "ssh://127.0.0.1:"+port, "--log-level", "debug")
	var got []string
	for lines.Scan() {
		got = append(got, lines.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("nc2callhome: %v", err)
	}
	t.Logf("two call-home sessions took %v", time.Since(start).Round(time.Millisecond))
	want := []string{
		"session 1: accepted call home from 127.0.0.1 as " + testUser + ", NETCONF 1.1",
		"session 1: get-config running: eth5 absent",
		"session 1: edit-config merge eth5: ok",
		"session 1: monitoring: this session's username " + testUser + ", transport ietf-netconf-monitoring:netconf-ssh",
		"session 1: closed",
		"session 2: accepted call home from 127.0.0.1 as " + testUser + ", NETCONF 1.1",
		"session 2: get-config running: eth5 present, mtu 1400",
		"session 2: monitoring: this session's username " + testUser + ", transport ietf-netconf-monitoring:netconf-ssh",
		"session 2: closed",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("libnetconf2 call-home sessions mismatch (-want +got):\n%s", diff)
	}

	// libnetconf2 stored the modules it fetched with <get-schema>: the served text.
	fetched, err := os.ReadFile(filepath.Join(schemas, "ietf-netconf@2011-06-01.yang"))
	if err != nil {
		t.Errorf("libnetconf2 did not fetch ietf-netconf with <get-schema>: %v", err)
	} else if served, err := os.ReadFile("../yang/ietf-netconf@2011-06-01.yang"); err != nil {
		t.Error(err)
	} else if string(fetched) != string(served) {
		t.Errorf("ietf-netconf fetched with <get-schema> differs from yang/ietf-netconf@2011-06-01.yang")
	}

	// The server's side: two connections, each ended and redialed.
	s.stop(t)
	log := s.stderr.String()
	if n := strings.Count(log, `msg="agent: call home: connected" client=ssh://127.0.0.1:`+port); n < 2 {
		t.Errorf("the server logged %d call-home connections, want at least 2", n)
	}
	for _, want := range []string{
		`msg="server: session ended" session=1 user=` + testUser,
		`msg="server: session ended" session=2 user=` + testUser,
		`msg="agent: call home: connection ended" client=ssh://127.0.0.1:` + port + ` retry=1s`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the server's log lacks %s", want)
		}
	}
}

// freePort returns a loopback TCP port that was free a moment ago, for a client that takes the
// port to listen on as an argument.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
