package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// python is Debian's interpreter, which has python3-websockets (another python3 may come first
// on PATH).
const python = "/usr/bin/python3"

func needPython(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-c", "import websockets").CombinedOutput()
	if err != nil {
		err = fmt.Errorf("%s -c 'import websockets': %v: %s", python, err, bytes.TrimSpace(out))
	}
	need(t, "python3-websockets", err)
}

// pythonClient runs testdata/nc_ws_client.py in a mode against url as testUser (or with a wrong
// password in mode badpass).
func pythonClient(ctx context.Context, mode, url string) (*exec.Cmd, *logBuffer, *logBuffer) {
	cmd := exec.CommandContext(ctx, python, "testdata/nc_ws_client.py", mode, url)
	cmd.Env = append(os.Environ(), "NCWS_USER="+testUser, "NCWS_PASSWORD="+testPassword)
	cmd.WaitDelay = 5 * time.Second
	stdout, stderr := newLogBuffer(), newLogBuffer()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd, stdout, stderr
}

var sessionID = regexp.MustCompile(`session-id=[1-9][0-9]*`)

// outputLines splits the client's output into lines with the session-id (a positive number
// that the server chooses) replaced by N.
func outputLines(out string) []string {
	return strings.Split(strings.TrimSpace(sessionID.ReplaceAllString(out, "session-id=N")), "\n")
}

// TestPython drives ncws serve with Python's websockets library: a whole session on the example
// device model, a wrong password, and a session held open while the server stops.
func TestPython(t *testing.T) {
	t.Parallel()
	needPython(t)
	s := startServer(t)

	t.Run("session", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		cmd, stdout, stderr := pythonClient(ctx, "steps", s.URL)
		if err := cmd.Run(); err != nil {
			t.Errorf("nc_ws_client.py steps: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
		}
		want := []string{
			"subprotocol netconf",
			"hello session-id=N base11=true",
			"get-config hostname=(none) interfaces=(none)",
			"edit-config ok",
			"get-config hostname=e2e-host interfaces=eth0",
			// The hostname violates the pattern of its type.
			"edit-config error-tag=invalid-value",
			// The interface lacks its mandatory type.
			"edit-config error-tag=missing-element bad-element=type",
			// Neither failed edit changed running.
			"get-config hostname=e2e-host interfaces=eth0",
			"close-session ok",
			"closed code=1000",
		}
		if diff := cmp.Diff(want, outputLines(stdout.String())); diff != "" {
			t.Errorf("nc_ws_client.py steps: mismatch (-want +got):\n%s\nstderr:\n%s", diff, stderr)
		}
	})

	t.Run("wrong-password", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		cmd, stdout, stderr := pythonClient(ctx, "badpass", s.URL)
		if err := cmd.Run(); err != nil {
			t.Errorf("nc_ws_client.py badpass: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
		}
		if diff := cmp.Diff([]string{"wrong-password status=401"}, outputLines(stdout.String())); diff != "" {
			t.Errorf("nc_ws_client.py badpass: mismatch (-want +got):\n%s\nstderr:\n%s", diff, stderr)
		}
	})

	// Last: SIGTERM stops the server; the open session sees close code 1001 (going away) and
	// the server exits with status 0.
	t.Run("shutdown", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		cmd, stdout, stderr := pythonClient(ctx, "hold", s.URL)
		if err := cmd.Start(); err != nil {
			t.Fatalf("nc_ws_client.py hold: %v", err)
		}
		exited := make(chan struct{})
		var waitErr error
		go func() {
			waitErr = cmd.Wait()
			close(exited)
		}()
		if _, err := stdout.waitFor(ctx, regexp.MustCompile(`held session-id=`), exited); err != nil {
			<-exited
			t.Fatalf("nc_ws_client.py hold: %v (%v)\nstdout:\n%s\nstderr:\n%s", err, waitErr, stdout, stderr)
		}
		s.stop(t)
		<-exited // bounded by ctx
		if waitErr != nil {
			t.Errorf("nc_ws_client.py hold: %v\nstderr:\n%s", waitErr, stderr)
		}
		want := []string{"held session-id=N", "closed code=1001"}
		if diff := cmp.Diff(want, outputLines(stdout.String())); diff != "" {
			t.Errorf("nc_ws_client.py hold: mismatch (-want +got):\n%s\nstderr:\n%s", diff, stderr)
		}
	})
}
