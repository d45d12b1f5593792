package datastore_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/pkg/validate"
)

func loadSchema(t testing.TB) *schema.Schema {
	t.Helper()
	s, err := yangload.Load(yangload.Options{Files: []string{"testdata/dstest.yang"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// crashEdit is commit i of the crash workload: entry i is created and named newest, entry i-5
// deleted; every 7th commit also rewrites an older entry's value.
func crashEdit(i int) string {
	var b strings.Builder
	b.WriteString(`<store xmlns="urn:ncws:test:dstest" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">`)
	fmt.Fprintf(&b, `<entry><id>%d</id><value>v%d-%s</value></entry>`, i, i, strings.Repeat("x", i%50))
	if i > 5 {
		fmt.Fprintf(&b, `<entry nc:operation="delete"><id>%d</id></entry>`, i-5)
	}
	if i%7 == 0 && i > 2 {
		fmt.Fprintf(&b, `<entry><id>%d</id><value>rewritten-%d</value></entry>`, i-2, i)
	}
	fmt.Fprintf(&b, `<newest>%d</newest></store>`, i)
	return b.String()
}

// crashReplay computes running after commits 1..n, as get-config would show it, in an in-memory
// store that replays the crash workload. The commits the test asks for only grow (the last
// acknowledged one and the one in flight), so the store goes on from the last one it reached
// instead of replaying every commit from the first each time (quadratic in the number of
// commits); an earlier n starts a new store.
type crashReplay struct {
	s  *schema.Schema
	st *datastore.Store
	n  int // commits applied to st
}

func (r *crashReplay) running(t testing.TB, n int) string {
	if r.st == nil || n < r.n {
		r.close()
		st, err := datastore.Open(datastore.Options{Schema: r.s})
		if err != nil {
			t.Fatal(err)
		}
		r.st, r.n = st, 0
	}
	for ; r.n < n; r.n++ {
		if errs := r.st.Edit(context.Background(), datastore.Who{}, datastore.Running, []byte(crashEdit(r.n+1)), datastore.EditOptions{}); len(errs) > 0 {
			t.Fatalf("expected state, commit %d: %v", r.n+1, errs)
		}
	}
	return runningXML(t, r.st)
}

func (r *crashReplay) close() {
	if r.st != nil {
		r.st.Close()
		r.st = nil
	}
}

func runningXML(t testing.TB, st *datastore.Store) string {
	var out []byte
	var err error
	st.Read(datastore.Running, func(root *data.Node) {
		out, err = yangxml.Marshal(root, yangxml.EncodeOptions{WithDefaults: yangxml.ReportAllTagged})
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestMain runs the crash child when asked to.
func TestMain(m *testing.M) {
	if dir := os.Getenv("NCWS_CRASH_CHILD"); dir != "" {
		os.Exit(crashChild(dir))
	}
	os.Exit(m.Run())
}

// crashChild commits in a loop, printing "ack N" after commit N returned.
func crashChild(dir string) int {
	s, err := yangload.Load(yangload.Options{Files: []string{"testdata/dstest.yang"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	st, err := datastore.Open(datastore.Options{Schema: s, Dir: dir, SnapshotEvery: 16, KeepHistory: 40})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	h, _ := st.History()
	next := 1
	if len(h) > 0 {
		next = int(h[len(h)-1].ID) + 1
	}
	w := bufio.NewWriter(os.Stdout)
	for i := next; ; i++ {
		if errs := st.Edit(context.Background(), datastore.Who{User: "crash"}, datastore.Running, []byte(crashEdit(i)), datastore.EditOptions{}); len(errs) > 0 {
			fmt.Fprintln(os.Stderr, errs)
			return 3
		}
		fmt.Fprintf(w, "ack %d\n", i)
		w.Flush()
	}
}

// TestCrash kills a committing child process with SIGKILL at random moments, at least 50
// times, and checks after each restart that running is the last acknowledged commit or the
// one in flight, never anything else, and that it validates.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	s := loadSchema(t)
	v := validate.New(s)
	dir := filepath.Join(t.TempDir(), "store")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	expected := map[int]string{}
	replay := &crashReplay{s: s}
	defer replay.close()
	want := func(n int) string {
		if _, ok := expected[n]; !ok {
			expected[n] = replay.running(t, n)
		}
		return expected[n]
	}
	lastAck, inFlight := 0, 0
	kills := 0
	for kills < 50 {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "NCWS_CRASH_CHILD="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		acks := make(chan int, 1024)
		go func() {
			defer close(acks)
			for sc.Scan() {
				if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack ")); err == nil {
					acks <- n
				}
			}
		}()
		// Wait for the first ack of this run, then kill after a random delay.
		select {
		case n, ok := <-acks:
			if !ok {
				cmd.Wait()
				t.Fatalf("child exited before committing (run %d)", kills)
			}
			lastAck = n
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatal("child did not commit within 30 s")
		}
		time.Sleep(time.Duration(r.IntN(60)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for n := range acks {
			lastAck = n
		}
		cmd.Wait()
		kills++
		inFlight = lastAck + 1

		st, err := datastore.Open(datastore.Options{Schema: s, Dir: dir, SnapshotEvery: 16, KeepHistory: 40})
		if err != nil {
			t.Fatalf("kill %d: reopening after the crash: %v", kills, err)
		}
		got := runningXML(t, st)
		h, _ := st.History()
		var tree *data.Node
		st.Read(datastore.Running, func(root *data.Node) { tree = root.Clone() })
		st.Close()
		switch got {
		case want(lastAck):
		case want(inFlight):
			t.Logf("kill %d: commit %d was in flight and durable", kills, inFlight)
		default:
			t.Fatalf("kill %d: running is neither commit %d nor %d:\n got %s\nwant %s", kills, lastAck, inFlight, got, want(lastAck))
		}
		if errs := v.Validate(tree, validate.Options{}); len(errs) > 0 {
			t.Fatalf("kill %d: running does not validate: %v", kills, errs)
		}
		if len(h) == 0 || int(h[len(h)-1].ID) < lastAck {
			t.Fatalf("kill %d: history ends before the acknowledged commit %d", kills, lastAck)
		}
		for k := range expected {
			if k < lastAck-1 {
				delete(expected, k)
			}
		}
	}
	t.Logf("%d kills, last acknowledged commit %d", kills, lastAck)
}
