package cli

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	ws "github.com/coder/websocket"
)

// ncwsProcess is a real `ncws serve` process.
type ncwsProcess struct {
	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
	url    string
	exit   chan error
}

// buildNcws builds the ncws command into the test's temporary directory.
func buildNcws(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ncws")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/ncws/ncws/cmd/ncws").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startNcws(t *testing.T, bin string, args ...string) *ncwsProcess {
	t.Helper()
	p := &ncwsProcess{stdout: &syncBuffer{}, stderr: &syncBuffer{}, exit: make(chan error, 1)}
	p.cmd = exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exit <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if m := servingRe.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1] + "://" + m[2] + "/netconf"
			return p
		}
		select {
		case err := <-p.exit:
			t.Fatalf("serve exited: %v\nstderr: %s", err, p.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start\nstderr: %s", p.stderr)
		}
	}
}

// TestServeSIGTERM: SIGTERM to a real `ncws serve` with edits pipelined and in flight: the
// session is closed with 1001, the process exits 0, and after a restart the running datastore
// holds exactly the last edit that was answered (what is not answered is not executed).
func TestServeSIGTERM(t *testing.T) {
	bin := buildNcws(t)
	dir := filepath.Join(t.TempDir(), "data")
	p := startNcws(t, bin, "--datastore", dir)
	m := regexp.MustCompile(`user admin, password (\S+) `).FindStringSubmatch(p.stdout.String())
	if m == nil {
		t.Fatalf("no admin password printed: %s", p.stdout)
	}
	pw := m[1]
	c, _, err := ncDial(t, p.url, &ws.DialOptions{HTTPHeader: basicAuth("admin", pw)})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.call(exHostname); !strings.Contains(r, "<ok/>") {
		t.Fatalf("edit-config: %s", r)
	}
	// Edits pipelined (each sets the hostname to h-<message-id>), then SIGTERM once the fifth is
	// answered, while the server works through the others.
	const n = 300
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := 1; i <= n; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			err := c.c.Write(ctx, ws.MessageText, []byte(fmt.Sprintf(`<rpc message-id="%d" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`+
				`<edit-config><target><running/></target><config><system xmlns="urn:ncws:yang:ncws-example"><hostname>h-%d</hostname></system></config></edit-config></rpc>`, i, i)))
			cancel()
			if err != nil {
				return
			}
		}
	}()
	last := 0
	var closeErr error
	idRe := regexp.MustCompile(`<rpc-reply [^>]*message-id="(\d+)"`)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, msg, err := c.c.Read(ctx)
		cancel()
		if err != nil {
			closeErr = err
			break
		}
		mm := idRe.FindStringSubmatch(string(msg))
		if mm == nil || !strings.Contains(string(msg), "<ok/>") {
			t.Fatalf("reply: %s", msg)
		}
		var id int
		fmt.Sscan(mm[1], &id)
		if id != last+1 {
			t.Fatalf("reply to %d after %d", id, last)
		}
		last = id
		if id == 5 {
			// Edits are queued behind this one, one is likely running.
			p.cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	<-sent
	if code := ws.CloseStatus(closeErr); code != ws.StatusGoingAway {
		t.Errorf("session ended with %v (%v), want close 1001", code, closeErr)
	}
	select {
	case err := <-p.exit:
		var ee *exec.ExitError
		if errors.As(err, &ee) || err != nil {
			t.Errorf("serve exited with %v, want 0\nstderr: %s", err, p.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not exit after SIGTERM\nstderr: %s", p.stderr)
	}
	t.Logf("%d of %d pipelined edits answered before the shutdown", last, n)

	p2 := startNcws(t, bin, "--datastore", dir)
	c2, _, err := ncDial(t, p2.url, &ws.DialOptions{HTTPHeader: basicAuth("admin", pw)})
	if err != nil {
		t.Fatal(err)
	}
	want := "edge-1"
	if last > 0 {
		want = fmt.Sprintf("h-%d", last)
	}
	r := c2.call(`<get-config><source><running/></source><filter><system xmlns="urn:ncws:yang:ncws-example"><hostname/></system></filter></get-config>`)
	if got := regexp.MustCompile(`<hostname>([^<]*)</hostname>`).FindStringSubmatch(r); got == nil || got[1] != want {
		t.Errorf("after restart running holds %q, want the last answered edit's %q\n%s", got, want, r)
	}
	p2.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-p2.exit; err != nil {
		t.Errorf("second serve exited with %v", err)
	}
}
