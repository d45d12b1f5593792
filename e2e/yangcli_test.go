package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestYangcli: yuma123's yangcli (Debian's yangcli, libssh2) against ncws serve --ssh-listen,
// scripted with --run-script: it downloads the served YANG 1.0 module it lacks through
// <get-schema> (its autoload), then locks the candidate, merges a list entry, commits, reads
// running back, unlocks, and refuses an out-of-range value from the schema it downloaded (a
// refusal ends a batch script, so it comes last).
func TestYangcli(t *testing.T) {
	t.Parallel()
	_, err := exec.LookPath("yangcli")
	need(t, "yangcli", err)
	module, err := filepath.Abs("testdata/yc-test.yang")
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, "--ssh-listen", "127.0.0.1:0", module)
	host, port := s.sshAddr(t)
	home := t.TempDir()
	script := filepath.Join(home, "steps.yc")
	os.WriteFile(script, []byte(strings.Join([]string{
		"lock target=candidate",
		"merge /things/thing -- name=a size=3",
		"commit",
		"get-config source=running",
		"unlock target=candidate",
		"merge /things/thing -- name=b size=20",
	}, "\n")+"\n"), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "yangcli", "--server="+host, "--ncport="+port, "--user="+testUser,
		"--password="+testPassword, "--batch-mode", "--run-script="+script, "--log-level=debug")
	cmd.Env = append(os.Environ(), "HOME="+home)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("yangcli: %v\n%s", err, out)
	}
	got := string(out)
	for _, want := range []string{
		"Module 'yc-test' not available, will try <get-schema>",
		"Got autoload reply for 'yc-test'",
		"Error: value not in range (size = 20)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("yangcli output lacks %q", want)
		}
	}
	// Each step of the script, as yangcli ran it: the reply's number depends on how many
	// modules yangcli fetched with get-schema before, so the step is found by its script line.
	step := func(line int) string {
		_, rest, ok := strings.Cut(got, fmt.Sprintf("runstack: run line %d, ", line))
		if !ok {
			return ""
		}
		seg, _, _ := strings.Cut(rest, "runstack: run line")
		return seg
	}
	for _, line := range []int{1, 2, 3, 5} { // lock, merge, commit, unlock
		if !regexp.MustCompile(`RPC OK Reply \d+ `).MatchString(step(line)) {
			t.Errorf("script line %d was not answered <ok/>:\n%s", line, step(line))
		}
	}
	if !regexp.MustCompile(`(?s)RPC Data Reply \d+ .*thing a \{\s*name a\s*size 3`).MatchString(step(4)) {
		t.Errorf("get-config after the commit does not show thing a")
	}
	if t.Failed() {
		t.Logf("yangcli output:\n%s", got)
	}
}
