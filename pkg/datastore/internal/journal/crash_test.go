package journal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The test binary re-executes itself as a child process; these variables select what it does.
const (
	envChild = "NCWS_JOURNAL_TEST_CHILD" // "crash" or "lock"
	envDir   = "NCWS_JOURNAL_TEST_DIR"

	lockChildLocked = 10 // exit code: Open failed with ErrLocked
	crashPayload    = 40_000
	crashSnapEvery  = 20
)

var crashOpts = Options{KeepHistory: 50}

func TestMain(m *testing.M) {
	switch os.Getenv(envChild) {
	case "crash":
		os.Exit(crashChild(os.Getenv(envDir)))
	case "lock":
		os.Exit(lockChild(os.Getenv(envDir)))
	}
	os.Exit(m.Run())
}

// crashChild appends records (and a snapshot every crashSnapEvery ids) until it is killed,
// printing "ack <id>" once an Append returned and "ack <id> snapshot" once a Compact did.
func crashChild(dir string) int {
	j, st, err := Open(dir, crashOpts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	for id := st.LastID() + 1; ; id++ {
		if err := j.Append(recordFor(id, crashPayload)); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 3
		}
		fmt.Fprintf(os.Stdout, "ack %d\n", id) // one write(2) each: lines never interleave or tear
		if id%crashSnapEvery == 0 {
			if err := j.Compact(snapshotFor(id), id); err != nil {
				fmt.Fprintln(os.Stderr, "child:", err)
				return 3
			}
			fmt.Fprintf(os.Stdout, "ack %d snapshot\n", id)
		}
	}
}

func lockChild(dir string) int {
	j, _, err := Open(dir, Options{})
	switch {
	case errors.Is(err, ErrLocked):
		return lockChildLocked
	case err != nil:
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	j.Close()
	return 0
}

func child(t *testing.T, mode, dir string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot re-execute the test binary: %v", err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+mode, envDir+"="+dir)
	return cmd
}

func TestLockedAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	err := child(t, "lock", dir).Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != lockChildLocked {
		t.Errorf("Open in another process while locked: %v, want exit code %d (ErrLocked)", err, lockChildLocked)
	}
	j.Close()
	if err := child(t, "lock", dir).Run(); err != nil {
		t.Errorf("Open in another process after Close: %v, want success", err)
	}
}

// TestCrashRecovery kills a child process that appends and compacts in a loop with SIGKILL at
// random moments, then checks that recovery returns every acknowledged record and snapshot (and
// at most the one record being written when the kill came), with the right contents.
func TestCrashRecovery(t *testing.T) {
	const kills = 50
	dir := t.TempDir()
	var acked, ackedSnap uint64
	tornTails, unacked := 0, 0
	for kill := range kills {
		cmd := child(t, "crash", dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(stdout)
		started := false
		for {
			line, err := r.ReadString('\n')
			if err == io.EOF {
				break // a partial line cannot happen (one write each), and would not be an ack
			}
			if err != nil {
				t.Fatal(err)
			}
			var id uint64
			if _, err := fmt.Sscanf(line, "ack %d", &id); err != nil {
				t.Fatalf("child said %q", line)
			}
			if id < acked || id > acked+1 {
				t.Fatalf("run %d: child acknowledged %d after %d", kill, id, acked)
			}
			acked = id
			if strings.HasSuffix(line, " snapshot\n") {
				ackedSnap = id
			}
			if !started {
				started = true
				delay := 2*time.Millisecond + rand.N(98*time.Millisecond)
				time.AfterFunc(delay, func() { cmd.Process.Kill() }) // SIGKILL
			}
		}
		err = cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("run %d: child ended with %v, not by the kill; stderr:\n%s", kill, err, stderr.Bytes())
		}

		j, st, err := Open(dir, crashOpts)
		if err != nil {
			t.Fatalf("run %d: Open after kill: %v", kill, err)
		}
		last := st.LastID()
		if last != acked && last != acked+1 {
			t.Fatalf("run %d: recovered up to id %d, last acknowledged %d", kill, last, acked)
		}
		if last == acked+1 {
			unacked++
		}
		if st.Discarded > 0 {
			tornTails++
		}
		if st.SnapshotID < ackedSnap || st.SnapshotID%crashSnapEvery != 0 || st.SnapshotID > last {
			t.Fatalf("run %d: snapshot id %d, last acknowledged snapshot %d, last id %d", kill, st.SnapshotID, ackedSnap, last)
		}
		var wantSnap []byte
		if st.SnapshotID > 0 {
			wantSnap = snapshotFor(st.SnapshotID)
		}
		want := &State{Snapshot: wantSnap, SnapshotID: st.SnapshotID, Records: records(st.SnapshotID+1, last, crashPayload), Discarded: st.Discarded}
		if diff := cmp.Diff(want, st, byteSlices); diff != "" {
			t.Fatalf("run %d: state mismatch (-want +got):\n%s", kill, diff)
		}
		h, err := j.History()
		if err != nil {
			t.Fatalf("run %d: History: %v", kill, err)
		}
		from := uint64(1)
		if k := uint64(crashOpts.KeepHistory); last > k {
			from = last - k + 1
		}
		if diff := cmp.Diff(records(from, last, crashPayload), h, byteSlices); diff != "" {
			t.Fatalf("run %d: History mismatch (-want +got):\n%s", kill, diff)
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		acked = last // the child goes on from what was recovered
	}
	t.Logf("%d kills: last id %d, %d recoveries with a durable but unacknowledged record, %d with a torn tail cut off",
		kills, acked, unacked, tornTails)
}
