package datastore_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ncws/ncws/internal/testfs"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/rpcerror"
)

// bigEdit creates entry id with a value of n bytes and names it newest: its journal record
// spans several pages, so it cannot fit in the slack of the journal's last page.
func bigEdit(id, n int) string {
	return fmt.Sprintf(`<store xmlns="urn:ncws:test:dstest"><entry><id>%d</id><value>%s</value></entry><newest>%d</newest></store>`,
		id, strings.Repeat(string(rune('a'+id%26)), n), id)
}

// smallEdit changes only which entry is newest.
func smallEdit(id int) string {
	return fmt.Sprintf(`<store xmlns="urn:ncws:test:dstest"><newest>%d</newest></store>`, id)
}

// expectedAfter is running after edits applied to an empty in-memory store.
func expectedAfter(t *testing.T, edits []string) string {
	t.Helper()
	st, err := datastore.Open(datastore.Options{Schema: loadSchema(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, e := range edits {
		if errs := st.Edit(context.Background(), datastore.Who{}, datastore.Running, []byte(e), datastore.EditOptions{}); len(errs) > 0 {
			t.Fatalf("expected state, edit %d: %v", i, errs)
		}
	}
	return runningXML(t, st)
}

func editRunning(st *datastore.Store, e string) rpcerror.List {
	return st.Edit(context.Background(), datastore.Who{User: "test", Session: 1}, datastore.Running, []byte(e), datastore.EditOptions{})
}

// TestDiskFull fills the filesystem under a store: the commit is refused with resource-denied
// and leaves running as it was, the health reports the journal failing; once space is freed the
// next commit succeeds without a restart, and a restart recovers every acknowledged commit and
// none of the refused ones.
func TestDiskFull(t *testing.T) {
	mnt := testfs.Mount(t, "1m")
	dir := filepath.Join(mnt, "store")
	s := loadSchema(t)
	var wl warnLog
	st, err := datastore.Open(datastore.Options{Schema: s, Dir: dir, Logger: wl.logger()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var acked []string
	for i := 1; i <= 5; i++ {
		e := bigEdit(i, 2000)
		if errs := editRunning(st, e); len(errs) > 0 {
			t.Fatalf("edit %d: %v", i, errs)
		}
		acked = append(acked, e)
	}
	before := runningXML(t, st)
	if h := st.Health(); !h.Persistent || !h.Writable() || !h.OK() {
		t.Fatalf("health before the disk fills = %+v, want persistent and OK", h)
	}

	filler := testfs.Fill(t, mnt, "filler")
	for attempt := 1; attempt <= 2; attempt++ {
		errs := editRunning(st, bigEdit(6, 20000))
		if len(errs) != 1 || errs[0].Tag != rpcerror.TagResourceDenied || errs[0].Type != rpcerror.Application {
			t.Fatalf("commit on a full disk (attempt %d) = %v, want one application resource-denied", attempt, errs)
		}
		if got := runningXML(t, st); got != before {
			t.Fatalf("running changed by a refused commit:\n got %s\nwant %s", got, before)
		}
		h := st.Health()
		if h.Writable() || h.Journal.Failures != attempt || !errors.Is(h.Journal.Err, syscall.ENOSPC) || h.Journal.Retry.IsZero() {
			t.Fatalf("health after %d refused commits = %+v, want the journal failing %d times with ENOSPC", attempt, h.Journal, attempt)
		}
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{bigEdit(6, 20000), bigEdit(7, 2000)} {
		if errs := editRunning(st, e); len(errs) > 0 {
			t.Fatalf("commit once space is free: %v", errs)
		}
		acked = append(acked, e)
	}
	if h := st.Health(); !h.Writable() || h.Journal.Err != nil || h.Journal.Failures != 0 {
		t.Fatalf("health after a commit succeeded again = %+v, want the journal OK", h.Journal)
	}
	// One warning when the writes started failing, one when they worked again: not one per
	// refused commit.
	if lines := wl.lines(); len(lines) != 2 || !strings.Contains(lines[0], "failed") || !strings.Contains(lines[1], "work again") {
		t.Errorf("warnings logged:\n%s\nwant one for the failure and one for the recovery", strings.Join(lines, "\n"))
	}
	want := expectedAfter(t, acked)
	if got := runningXML(t, st); got != want {
		t.Fatalf("running after recovery:\n got %s\nwant %s", got, want)
	}
	st.Close()

	st, err = datastore.Open(datastore.Options{Schema: s, Dir: dir, Logger: quietLogger()})
	if err != nil {
		t.Fatalf("reopening after the disk was full: %v", err)
	}
	defer st.Close()
	if got := runningXML(t, st); got != want {
		t.Fatalf("running after a restart:\n got %s\nwant %s", got, want)
	}
	h, err := st.History()
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != len(acked) {
		t.Errorf("history holds %d commits after the restart, want the %d acknowledged", len(h), len(acked))
	}
}

// TestDiskFullProbe: a store whose journal failed and that gets no further commit finds out by
// itself (its probe) that the disk has room again.
func TestDiskFullProbe(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the probe's first retry (about a second)")
	}
	mnt := testfs.Mount(t, "1m")
	st, err := datastore.Open(datastore.Options{Schema: loadSchema(t), Dir: filepath.Join(mnt, "store"), Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	filler := testfs.Fill(t, mnt, "filler")
	if errs := editRunning(st, bigEdit(1, 20000)); len(errs) == 0 {
		t.Fatal("commit on a full disk succeeded")
	}
	if st.Health().Writable() {
		t.Fatal("health reports the journal writable after a refused commit")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	// The probe retries after ProbeRetryMin, then with backoff; this waits for it, it does not
	// time it.
	deadline := time.Now().Add(time.Minute)
	for !st.Health().Writable() {
		if time.Now().After(deadline) {
			t.Fatalf("the journal was not found writable again within a minute: %+v", st.Health().Journal)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if errs := editRunning(st, bigEdit(1, 20000)); len(errs) > 0 {
		t.Fatalf("commit after the probe recovered: %v", errs)
	}
}

// warnLog collects the Warn and Error lines a store logs.
type warnLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *warnLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *warnLog) lines() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Split(strings.TrimSpace(w.b.String()), "\n")
}

func (w *warnLog) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// clock is a settable Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestSnapshotBackoff: on a disk with room for journal records but not for a snapshot, the
// commits go on, the failed snapshot is retried only after its backoff (not after every
// commit), the backoff doubles, and the snapshot is taken once space returns.
func TestSnapshotBackoff(t *testing.T) {
	mnt := testfs.Mount(t, "1m")
	dir := filepath.Join(mnt, "store")
	s := loadSchema(t)
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	const every = 4
	open := func() *datastore.Store {
		st, err := datastore.Open(datastore.Options{Schema: s, Dir: dir, SnapshotEvery: every, Now: clk.now, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	defer st.Close()
	var acked []string
	commit := func(e string) {
		t.Helper()
		if errs := editRunning(st, e); len(errs) > 0 {
			t.Fatalf("commit %d: %v", len(acked)+1, errs)
		}
		acked = append(acked, e)
		datastore.WaitSnapshot(st)
	}
	// About 200 KB of configuration: one snapshot of it does not fit in what is left below.
	for i := 1; i <= every; i++ {
		commit(bigEdit(i, 50000))
	}
	if h := st.Health(); !h.OK() {
		t.Fatalf("health after the first snapshot = %+v", h)
	}
	room := testfs.Reserve(t, mnt, "room", 64<<10)
	filler := testfs.Fill(t, mnt, "filler")
	if err := os.Remove(room); err != nil {
		t.Fatal(err)
	}

	snapFailures := func() int { return st.Health().Snapshot.Failures }
	for i := 0; i < every; i++ { // the last of these makes the journal long enough
		commit(smallEdit(1 + i%every))
	}
	h := st.Health()
	if h.Snapshot.OK || h.Snapshot.Failures != 1 || !errors.Is(h.Snapshot.Err, syscall.ENOSPC) {
		t.Fatalf("snapshot health on a disk without room = %+v, want one ENOSPC failure", h.Snapshot)
	}
	if !h.Writable() {
		t.Fatalf("journal health while only snapshots fail = %+v, want OK", h.Journal)
	}
	if want := clk.now().Add(datastore.SnapshotRetryMin); !h.Snapshot.Retry.Equal(want) {
		t.Errorf("first retry at %v, want %v", h.Snapshot.Retry, want)
	}
	for i := 0; i < 2*every; i++ {
		commit(smallEdit(1 + i%every))
	}
	if n := snapFailures(); n != 1 {
		t.Fatalf("%d snapshot attempts within the backoff, want none after the first failure", n-1)
	}
	clk.advance(datastore.SnapshotRetryMin)
	commit(smallEdit(2))
	h = st.Health()
	if h.Snapshot.Failures != 2 || !h.Snapshot.Retry.Equal(clk.now().Add(2*datastore.SnapshotRetryMin)) {
		t.Fatalf("after the first retry: %+v, want 2 failures and a doubled backoff", h.Snapshot)
	}
	clk.advance(datastore.SnapshotRetryMin)
	commit(smallEdit(3))
	if n := snapFailures(); n != 2 {
		t.Fatalf("%d snapshot attempts, want 2 (the doubled backoff has not passed)", n)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	clk.advance(datastore.SnapshotRetryMin)
	commit(smallEdit(4))
	if h := st.Health(); !h.OK() {
		t.Fatalf("health once space is back = %+v, want OK", h)
	}
	snaps, _ := filepath.Glob(filepath.Join(dir, "snap-*.snap"))
	if len(snaps) != 1 {
		t.Errorf("snapshot files %v, want one", snaps)
	}
	want := expectedAfter(t, acked)
	st.Close()
	st = open()
	if got := runningXML(t, st); got != want {
		t.Fatalf("running after a restart:\n got %s\nwant %s", got, want)
	}
}

// TestDiskFullConfirmedCommit: a confirmed commit whose marker (what a restart reverts to) the
// full disk refuses is refused before anything changes; once there is room it is accepted, and a
// restart before its confirmation reverts it.
func TestDiskFullConfirmedCommit(t *testing.T) {
	mnt := testfs.Mount(t, "1m")
	dir := filepath.Join(mnt, "store")
	s := loadSchema(t)
	open := func() *datastore.Store {
		st, err := datastore.Open(datastore.Options{Schema: s, Dir: dir, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	defer st.Close()
	ctx := context.Background()
	who := datastore.Who{User: "test", Session: 1}
	if errs := editRunning(st, bigEdit(1, 100)); len(errs) > 0 {
		t.Fatal(errs)
	}
	before := runningXML(t, st)
	if errs := st.Edit(ctx, who, datastore.Candidate, []byte(smallEdit(1)), datastore.EditOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	if errs := st.Edit(ctx, who, datastore.Candidate, []byte(`<store xmlns="urn:ncws:test:dstest"><entry><id>2</id><value>two</value></entry></store>`), datastore.EditOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	filler := testfs.Fill(t, mnt, "filler")
	errs := st.Commit(ctx, who, datastore.CommitOptions{Confirmed: true})
	if len(errs) != 1 || errs[0].Tag != rpcerror.TagResourceDenied {
		t.Fatalf("confirmed commit on a full disk = %v, want one resource-denied", errs)
	}
	if st.ConfirmPending() || runningXML(t, st) != before {
		t.Fatal("a refused confirmed commit changed running or left a confirmed commit pending")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if errs := st.Commit(ctx, who, datastore.CommitOptions{Confirmed: true}); len(errs) > 0 {
		t.Fatalf("confirmed commit once there is room: %v", errs)
	}
	if !st.ConfirmPending() || runningXML(t, st) == before {
		t.Fatal("the confirmed commit is not pending in running")
	}
	st.Close()
	st = open()
	defer st.Close()
	if got := runningXML(t, st); got != before {
		t.Errorf("running after a restart before confirmation:\n got %s\nwant %s (reverted)", got, before)
	}
}
