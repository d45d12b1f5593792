package journal

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// payloadFor derives a payload of a size that varies with id (up to about 40 KB) from id alone.
// byteSlices compares payloads and snapshots with bytes.Equal: cmp's element-wise walk over
// megabytes is slow under -race.
var byteSlices = cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })

func payloadFor(id uint64, maxSize int) []byte {
	x := id*0x9e3779b97f4a7c15 + 1
	next := func() uint64 { // splitmix64
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		return z ^ z>>31
	}
	n := int(next() % uint64(maxSize+1))
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := next()
		for k := 0; k < 8 && i+k < n; k++ {
			b[i+k] = byte(v >> (8 * k))
		}
	}
	if n == 0 {
		return nil
	}
	return b
}

func snapshotFor(id uint64) []byte {
	return []byte(strings.Repeat(fmt.Sprintf("<running id=%d/>", id), int(id%500)+1))
}

func recordFor(id uint64, maxSize int) Record {
	return Record{
		ID:      id,
		Time:    time.Unix(1_700_000_000+int64(id), int64(id)*1001).UTC(),
		User:    fmt.Sprintf("user%d", id%3),
		Session: uint32(id % 7),
		Payload: payloadFor(id, maxSize),
	}
}

func records(from, to uint64, maxSize int) []Record {
	var rs []Record
	for id := from; id <= to; id++ {
		rs = append(rs, recordFor(id, maxSize))
	}
	return rs
}

func mustOpen(t testing.TB, dir string, opts Options) (*Journal, *State) {
	t.Helper()
	j, st, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { j.Close() })
	return j, st
}

func mustAppend(t testing.TB, j *Journal, rs ...Record) {
	t.Helper()
	for _, r := range rs {
		if err := j.Append(r); err != nil {
			t.Fatalf("Append(%d): %v", r.ID, err)
		}
	}
}

func reopen(t testing.TB, j *Journal, dir string, opts Options) (*Journal, *State) {
	t.Helper()
	if err := j.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return mustOpen(t, dir, opts)
}

func TestAppendReopenReplay(t *testing.T) {
	tests := []struct {
		name    string
		records []Record
	}{
		{"empty", nil},
		{"one", records(1, 1, 100)},
		{"many varying sizes", records(1, 50, 40_000)},
		{"payloads written apart from their frame's head", records(1, 12, 3*splitPayload)},
		{"sparse ids", []Record{recordFor(3, 10), recordFor(70, 10), recordFor(1<<40, 10)}},
		{"empty payload and user", []Record{{ID: 1, Time: time.Unix(0, 0).UTC()}, {ID: 2}}},
		{"time with nanoseconds and before 1970", []Record{
			{ID: 1, Time: time.Date(1969, 7, 20, 20, 17, 40, 123456789, time.UTC), Payload: []byte("x")},
			{ID: 2, Time: time.Date(2400, 1, 1, 0, 0, 0, 1, time.UTC), Payload: []byte("y")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "a", "b")
			j, st := mustOpen(t, dir, Options{})
			if diff := cmp.Diff(&State{}, st); diff != "" {
				t.Errorf("fresh state mismatch (-want +got):\n%s", diff)
			}
			mustAppend(t, j, tt.records...)
			_, st = reopen(t, j, dir, Options{})
			want := &State{Records: tt.records}
			if diff := cmp.Diff(want, st, byteSlices); diff != "" {
				t.Errorf("replay mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDirMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	mustOpen(t, dir, Options{})
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o700 {
		t.Errorf("directory mode = %v, want 0700", got)
	}
}

func TestAppendRefuses(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	mustAppend(t, j, recordFor(5, 10))
	if err := j.Compact([]byte("s"), 8); err != nil {
		t.Fatal(err)
	}
	old := maxRecordSize
	maxRecordSize = 1000
	t.Cleanup(func() { maxRecordSize = old })
	tests := []struct {
		name string
		r    Record
		want error
	}{
		{"id zero", Record{ID: 0}, ErrOrder},
		{"id below last record", Record{ID: 4}, ErrOrder},
		{"id covered by snapshot", Record{ID: 8}, ErrOrder},
		{"payload too large", Record{ID: 9, Payload: make([]byte, 1001)}, ErrTooLarge},
		{"user and payload too large", Record{ID: 9, User: strings.Repeat("u", 500), Payload: make([]byte, 501)}, ErrTooLarge},
		{"encoding too large", Record{ID: 9, Payload: make([]byte, 1000)}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := j.Append(tt.r); !errors.Is(err, tt.want) {
				t.Errorf("Append(%d) = %v, want %v", tt.r.ID, err, tt.want)
			}
		})
	}
	if err := j.Compact(nil, 7); !errors.Is(err, ErrOrder) {
		t.Errorf("Compact below last id = %v, want %v", err, ErrOrder)
	}
	mustAppend(t, j, Record{ID: 9, Payload: make([]byte, 900)})
	_, st := reopen(t, j, dir, Options{})
	if diff := cmp.Diff(&State{Snapshot: []byte("s"), SnapshotID: 8, Records: []Record{{ID: 9, Payload: make([]byte, 900)}}}, st); diff != "" {
		t.Errorf("state mismatch (-want +got):\n%s", diff)
	}
}

func TestCompactReplay(t *testing.T) {
	dir := t.TempDir()
	opts := Options{CompactEvery: 3}
	j, _ := mustOpen(t, dir, opts)
	mustAppend(t, j, records(1, 2, 1000)...)
	if j.NeedCompact() {
		t.Errorf("NeedCompact after 2 records = true, want false")
	}
	mustAppend(t, j, recordFor(3, 1000))
	if !j.NeedCompact() {
		t.Errorf("NeedCompact after 3 records = false, want true")
	}
	if err := j.Compact(snapshotFor(3), 3); err != nil {
		t.Fatal(err)
	}
	if j.NeedCompact() {
		t.Errorf("NeedCompact after Compact = true, want false")
	}
	mustAppend(t, j, records(4, 5, 1000)...)

	j, st := reopen(t, j, dir, opts)
	want := &State{Snapshot: snapshotFor(3), SnapshotID: 3, Records: records(4, 5, 1000)}
	if diff := cmp.Diff(want, st, byteSlices); diff != "" {
		t.Errorf("after one compaction mismatch (-want +got):\n%s", diff)
	}

	// A snapshot may cover more than was appended (a state installed without a record).
	if err := j.Compact(snapshotFor(10), 10); err != nil {
		t.Fatal(err)
	}
	_, st = reopen(t, j, dir, opts)
	want = &State{Snapshot: snapshotFor(10), SnapshotID: 10}
	if diff := cmp.Diff(want, st, byteSlices); diff != "" {
		t.Errorf("after second compaction mismatch (-want +got):\n%s", diff)
	}
	if got := st.LastID(); got != 10 {
		t.Errorf("LastID = %d, want 10", got)
	}
	if got := listFiles(t, dir, "snap-"); len(got) != 1 {
		t.Errorf("snapshot files = %v, want one", got)
	}
}

func TestCompactEmptySnapshot(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	if err := j.Compact(nil, 1); err != nil {
		t.Fatal(err)
	}
	_, st := reopen(t, j, dir, Options{})
	if diff := cmp.Diff(&State{Snapshot: []byte{}, SnapshotID: 1}, st); diff != "" {
		t.Errorf("state mismatch (-want +got):\n%s", diff)
	}
}

func listFiles(t testing.TB, dir, prefix string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		if strings.HasPrefix(de.Name(), prefix) {
			names = append(names, de.Name())
		}
	}
	return names
}

func TestHistoryAcrossCompactions(t *testing.T) {
	dir := t.TempDir()
	opts := Options{KeepHistory: 7}
	j, _ := mustOpen(t, dir, opts)
	const last = 40
	for id := uint64(1); id <= last; id++ {
		mustAppend(t, j, recordFor(id, 300))
		if id%3 == 0 {
			if err := j.Compact(snapshotFor(id), id); err != nil {
				t.Fatal(err)
			}
		}
		h, err := j.History()
		if err != nil {
			t.Fatal(err)
		}
		want := records(max(1, int64ToU(int64(id)-6)), id, 300)
		if diff := cmp.Diff(want, h, byteSlices); diff != "" {
			t.Fatalf("History after %d mismatch (-want +got):\n%s", id, diff)
		}
	}
	// Segments hold 3 records each; the window of 7 needs at most 4 of them, plus the active one.
	if got := listFiles(t, dir, "wal-"); len(got) > 5 {
		t.Errorf("segments kept = %v, want at most 5", got)
	}

	j, st := reopen(t, j, dir, opts)
	want := &State{Snapshot: snapshotFor(39), SnapshotID: 39, Records: records(40, 40, 300)}
	if diff := cmp.Diff(want, st, byteSlices); diff != "" {
		t.Errorf("state mismatch (-want +got):\n%s", diff)
	}
	h, err := j.History()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(records(34, 40, 300), h, byteSlices); diff != "" {
		t.Errorf("History after reopen mismatch (-want +got):\n%s", diff)
	}

	tests := []struct {
		id     uint64
		wantOK bool
	}{
		{40, true}, {34, true}, {36, true}, {1, false}, {41, false}, {0, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("Get ", tt.id), func(t *testing.T) {
			r, ok, err := j.Get(tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK {
				t.Fatalf("Get(%d) ok = %v, want %v", tt.id, ok, tt.wantOK)
			}
			if ok {
				if diff := cmp.Diff(recordFor(tt.id, 300), r, byteSlices); diff != "" {
					t.Errorf("Get(%d) mismatch (-want +got):\n%s", tt.id, diff)
				}
			}
		})
	}
}

func int64ToU(v int64) uint64 {
	if v < 0 {
		return 0
	}
	return uint64(v)
}

func TestHistoryWithoutCompaction(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{KeepHistory: 3})
	mustAppend(t, j, records(1, 5, 100)...)
	h, err := j.History()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(records(3, 5, 100), h, byteSlices); diff != "" {
		t.Errorf("History mismatch (-want +got):\n%s", diff)
	}
}

func TestLocked(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	if _, _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open = %v, want %v", err, ErrLocked)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	mustOpen(t, dir, Options{})
}

func TestClosed(t *testing.T) {
	j, _ := mustOpen(t, t.TempDir(), Options{})
	mustAppend(t, j, recordFor(1, 10))
	j.Close()
	checks := map[string]error{
		"Append":  j.Append(recordFor(2, 10)),
		"Compact": j.Compact(nil, 2),
		"Put":     j.Put("x", nil),
		"Remove":  j.Remove("x"),
	}
	_, checks["History"] = j.History()
	_, _, checks["Get"] = j.Get(1)
	_, _, checks["Load"] = j.Load("x")
	for name, err := range checks {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close = %v, want %v", name, err, ErrClosed)
		}
	}
}

func TestBlobs(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	load := func(j *Journal, name string) ([]byte, bool) {
		t.Helper()
		b, ok, err := j.Load(name)
		if err != nil {
			t.Fatalf("Load(%q): %v", name, err)
		}
		return b, ok
	}
	if _, ok := load(j, "startup"); ok {
		t.Errorf("Load of a missing blob: ok = true")
	}
	if err := j.Put("startup", []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if err := j.Put("startup", []byte("v2")); err != nil {
		t.Fatal(err)
	}
	if err := j.Put("confirmed-commit_1", nil); err != nil {
		t.Fatal(err)
	}
	// A crash in the middle of a Put leaves the temporary file next to the old content.
	if err := os.WriteFile(filepath.Join(dir, "blob-startup.tmp"), []byte("half-written v3"), 0o600); err != nil {
		t.Fatal(err)
	}
	j, _ = reopen(t, j, dir, Options{})
	if b, ok := load(j, "startup"); !ok || string(b) != "v2" {
		t.Errorf("Load(startup) = %q, %v; want \"v2\", true", b, ok)
	}
	if b, ok := load(j, "confirmed-commit_1"); !ok || len(b) != 0 {
		t.Errorf("Load(confirmed-commit_1) = %q, %v; want \"\", true", b, ok)
	}
	if got := listFiles(t, dir, "blob-"); !cmp.Equal(got, []string{"blob-confirmed-commit_1", "blob-startup"}) {
		t.Errorf("blob files = %v, want the two blobs and no temporary file", got)
	}
	if err := j.Remove("startup"); err != nil {
		t.Fatal(err)
	}
	if err := j.Remove("startup"); err != nil {
		t.Errorf("second Remove = %v, want nil", err)
	}
	if _, ok := load(j, "startup"); ok {
		t.Errorf("Load after Remove: ok = true")
	}

	// Damage is reported, not returned as content.
	p := filepath.Join(dir, "blob-confirmed-commit_1")
	raw, _ := os.ReadFile(p)
	os.WriteFile(p, append(raw, 'x'), 0o600)
	if _, _, err := j.Load("confirmed-commit_1"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Load of a damaged blob = %v, want %v", err, ErrCorrupt)
	}
}

func TestBlobBadNames(t *testing.T) {
	j, _ := mustOpen(t, t.TempDir(), Options{})
	for _, name := range []string{"", "../x", "a/b", `a\b`, ".", "..", "x.tmp", "LOCK.", "a b", "é", strings.Repeat("n", MaxNameLen+1), "a\x00"} {
		t.Run(name, func(t *testing.T) {
			if err := j.Put(name, []byte("x")); !errors.Is(err, ErrBadName) {
				t.Errorf("Put(%q) = %v, want %v", name, err, ErrBadName)
			}
			if _, _, err := j.Load(name); !errors.Is(err, ErrBadName) {
				t.Errorf("Load(%q) = %v, want %v", name, err, ErrBadName)
			}
			if err := j.Remove(name); !errors.Is(err, ErrBadName) {
				t.Errorf("Remove(%q) = %v, want %v", name, err, ErrBadName)
			}
		})
	}
	if err := j.Put(strings.Repeat("n", MaxNameLen), nil); err != nil {
		t.Errorf("Put of a %d-character name: %v", MaxNameLen, err)
	}
}

// TestAppendFailure: a failed write is cut off; the next write repairs the journal and goes on,
// with no restart, and reopening recovers every record that was acknowledged.
func TestAppendFailure(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	mustAppend(t, j, records(1, 2, 100)...)
	j.segs[len(j.segs)-1].f.Close() // the next write fails as a disk error would
	if err := j.Append(recordFor(3, 100)); err == nil || errors.Is(err, ErrFailed) {
		t.Fatalf("Append on a failing file = %v, want the write error", err)
	}
	if j.Failed() == nil {
		t.Error("Failed() = nil after a failed write")
	}
	mustAppend(t, j, recordFor(4, 100))
	if err := j.Failed(); err != nil {
		t.Errorf("Failed() = %v after a repaired write", err)
	}
	j, st := reopen(t, j, dir, Options{})
	want := append(records(1, 2, 100), recordFor(4, 100))
	if diff := cmp.Diff(&State{Records: want}, st, byteSlices); diff != "" {
		t.Errorf("state mismatch (-want +got):\n%s", diff)
	}
	mustAppend(t, j, recordFor(5, 100))
}

// TestRepairFails: while the repair cannot reopen the active segment, every write fails with
// ErrFailed (and writes nothing); once it can, the journal goes on.
func TestRepairFails(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	mustAppend(t, j, records(1, 2, 100)...)
	seg := j.segs[len(j.segs)-1]
	seg.f.Close()
	aside := filepath.Join(t.TempDir(), "aside")
	if err := os.Rename(seg.path, aside); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(seg.path, 0o700); err != nil { // the reopen fails: a directory
		t.Fatal(err)
	}
	if err := j.Append(recordFor(3, 100)); err == nil || errors.Is(err, ErrFailed) {
		t.Fatalf("Append on a failing file = %v, want the write error", err)
	}
	for name, err := range map[string]error{
		"Append":  j.Append(recordFor(4, 100)),
		"Compact": j.Compact(nil, 4),
		"Repair":  j.Repair(),
	} {
		if !errors.Is(err, ErrFailed) {
			t.Errorf("%s while the repair fails = %v, want %v", name, err, ErrFailed)
		}
	}
	if err := os.Remove(seg.path); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(aside, seg.path); err != nil {
		t.Fatal(err)
	}
	if err := j.Repair(); err != nil {
		t.Fatalf("Repair once the file is back: %v", err)
	}
	mustAppend(t, j, recordFor(5, 100))
	_, st := reopen(t, j, dir, Options{})
	want := append(records(1, 2, 100), recordFor(5, 100))
	if diff := cmp.Diff(&State{Records: want}, st, byteSlices); diff != "" {
		t.Errorf("state mismatch (-want +got):\n%s", diff)
	}
}

// TestCompactFailureRepair: a compaction that installed its snapshot but could not create the
// next segment leaves the journal failed; the repair removes what the failure left, records go
// on into the old segment, and reopening recovers the snapshot and every record.
func TestCompactFailureRepair(t *testing.T) {
	dir := t.TempDir()
	j, _ := mustOpen(t, dir, Options{})
	mustAppend(t, j, records(1, 3, 100)...)
	blocker := filepath.Join(dir, segName(4))
	if err := os.Mkdir(blocker, 0o700); err != nil { // createSegment's O_EXCL fails
		t.Fatal(err)
	}
	if err := j.Compact(snapshotFor(3), 3); err == nil {
		t.Fatal("Compact with its next segment blocked succeeded")
	}
	if j.Failed() == nil {
		t.Fatal("Failed() = nil after a failed Compact")
	}
	mustAppend(t, j, records(4, 6, 100)...)
	if _, err := os.Stat(blocker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stray segment entry is still there: %v", err)
	}
	_, st := reopen(t, j, dir, Options{})
	if diff := cmp.Diff(&State{Snapshot: snapshotFor(3), SnapshotID: 3, Records: records(4, 6, 100)}, st, byteSlices); diff != "" {
		t.Errorf("state mismatch (-want +got):\n%s", diff)
	}
}

// TestConcurrentUse reads History, Get and blobs while records are appended and compacted
// (run with -race).
func TestConcurrentUse(t *testing.T) {
	j, _ := mustOpen(t, t.TempDir(), Options{KeepHistory: 10})
	done := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		defer close(errc)
		for {
			select {
			case <-done:
				return
			default:
			}
			h, err := j.History()
			if err == nil && len(h) > 0 {
				_, _, err = j.Get(h[len(h)-1].ID)
			}
			if err == nil {
				_, _, err = j.Load("startup")
			}
			if err != nil {
				errc <- err
				return
			}
		}
	}()
	for id := uint64(1); id <= 60; id++ {
		mustAppend(t, j, recordFor(id, 500))
		if id%7 == 0 {
			if err := j.Compact(snapshotFor(id), id); err != nil {
				t.Fatal(err)
			}
			if err := j.Put("startup", snapshotFor(id)); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(done)
	if err := <-errc; err != nil {
		t.Fatalf("reader: %v", err)
	}
	h, err := j.History()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(records(51, 60, 500), h, byteSlices); diff != "" {
		t.Errorf("History mismatch (-want +got):\n%s", diff)
	}
}
